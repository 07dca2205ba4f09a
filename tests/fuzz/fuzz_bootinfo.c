/*
 * Bootinfo validation and the broker's start on what it accepts. The input
 * is a list of patches to the sim's own bootinfo, ten bytes each: an offset
 * into seL4_BootInfo (2 bytes) and the 8 bytes written there. What
 * bootinfo_validate accepts is checked again here, field by field and in
 * 128-bit arithmetic (nothing wraps); broker_init must then take it over with
 * its totals right, and bootinfo_device_covers must agree with a plain search.
 */
#include <string.h>
#include <kaal/bootinfo.h>
#include <kaal/broker.h>
#include <sel4/sim.h>
#include "fuzz.h"

typedef unsigned __int128 u128;

static seL4_BootInfo booted;
static int ready;

static int regions_ok(const seL4_BootInfo *bi)
{
    const seL4_SlotRegion initial = {0, seL4_NumInitialCaps};
    const seL4_SlotRegion *r[] = {&initial,           &bi->empty,         &bi->sharedFrames, &bi->userImageFrames,
                                  &bi->userImagePaging, &bi->ioSpaceCaps, &bi->extraBIPages, &bi->untyped};
    unsigned n = sizeof(r) / sizeof(r[0]);
    if (bi->initThreadCNodeSizeBits < 1 || bi->initThreadCNodeSizeBits >= 64) {
        return 0;
    }
    for (unsigned i = 0; i < n; i++) {
        if (r[i]->start > r[i]->end || r[i]->end > (1ul << bi->initThreadCNodeSizeBits)) {
            return 0;
        }
        for (unsigned j = 0; j < i; j++) {
            if (r[i]->start < r[i]->end && r[j]->start < r[j]->end && r[i]->start < r[j]->end &&
                r[j]->start < r[i]->end) {
                return 0;
            }
        }
    }
    return 1;
}

static u128 ut_end(const seL4_UntypedDesc *d)
{
    return (u128)d->paddr + ((u128)1 << d->sizeBits);
}

static int untypeds_ok(const seL4_BootInfo *bi)
{
    seL4_Word n = bi->untyped.end - bi->untyped.start;
    if (n > CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS) {
        return 0;
    }
    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        unsigned align = d->sizeBits < 39 ? d->sizeBits : 39;
        if (d->sizeBits < seL4_MinUntypedBits || d->sizeBits > seL4_MaxUntypedBits || d->isDevice > 1 ||
            d->paddr % (1ul << align) || ut_end(d) > CONFIG_PADDR_USER_DEVICE_TOP) {
            return 0;
        }
        for (seL4_Word j = 0; j < i; j++) {
            const seL4_UntypedDesc *o = &bi->untypedList[j];
            if (d->paddr < ut_end(o) && o->paddr < ut_end(d)) {
                return 0;
            }
        }
    }
    return 1;
}

/* Whether device untypeds cover [first, last], the plain way: walk it untyped by untyped. */
static int covered(const seL4_BootInfo *bi, seL4_Word first, seL4_Word last)
{
    u128 at = first;
    for (int moved = 1; moved && at <= last;) {
        moved = 0;
        for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
            const seL4_UntypedDesc *d = &bi->untypedList[i];
            if (d->isDevice && at >= d->paddr && at < ut_end(d)) {
                at = ut_end(d);
                moved = 1;
            }
        }
    }
    return at > last;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static seL4_BootInfo bi;
    static broker_t br;
    if (!ready) {
        booted = *sel4sim_boot();
        ready = 1;
    }
    bi = booted;
    for (size_t at = 0; at + 10 <= size; at += 10) {
        size_t off = fuzz_le(data + at, 2, 2) % (sizeof(bi) - 7);
        uint64_t v = fuzz_le(data + at + 2, 8, 8);
        memcpy((uint8_t *)&bi + off, &v, 8);
    }
    bootinfo_problem_t why = {0, 0};
    kaal_err_t err = bootinfo_validate(&bi, &why);
    int ok = bi.numNodes >= 1 && bi.nodeID < bi.numNodes && regions_ok(&bi) && untypeds_ok(&bi);
    FUZZ_CHECK((err == KAAL_OK) == ok);
    if (err != KAAL_OK) {
        FUZZ_CHECK(why.field != NULL);
        return 0;
    }
    FUZZ_CHECK(broker_init(&br, &bi, &why) == KAAL_OK);
    bootinfo_totals_t t = bootinfo_totals(&bi);
    FUZZ_CHECK(br.mem.total_bytes == t.ram_bytes && br.mem.free_bytes == t.ram_bytes);
    /* Two ranges the input picks (the last 16 bytes), and the HPET's page. */
    seL4_Word a = fuzz_le(data + (size >= 16 ? size - 16 : 0), size, 8);
    seL4_Word b = fuzz_le(data + (size >= 8 ? size - 8 : 0), size, 8);
    seL4_Word ranges[][2] = {{a < b ? a : b, a < b ? b : a}, {a, a}, {0xfed00000, 0xfed00fff}};
    for (unsigned i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
        FUZZ_CHECK(bootinfo_device_covers(&bi, ranges[i][0], ranges[i][1]) == covered(&bi, ranges[i][0], ranges[i][1]));
    }
    return 0;
}
