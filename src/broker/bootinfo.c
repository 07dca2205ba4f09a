/* Bootinfo validation and the boot summary. */
#include <kaal/bootinfo.h>
#include <kaal/rt.h>

typedef struct {
    const char *field;
    const seL4_SlotRegion *r;
} named_region_t;

static kaal_err_t problem(bootinfo_problem_t *why, const char *field, seL4_Word index, kaal_err_t err)
{
    if (why) {
        why->field = field;
        why->index = index;
    }
    return err;
}

static int regions_overlap(const seL4_SlotRegion *a, const seL4_SlotRegion *b)
{
    if (a->start == a->end || b->start == b->end) {
        return 0;
    }
    return a->start < b->end && b->start < a->end;
}

static kaal_err_t check_regions(const seL4_BootInfo *bi, bootinfo_problem_t *why)
{
    static const seL4_SlotRegion initial = {0, seL4_NumInitialCaps};
    const named_region_t regions[] = {
        {"initial caps", &initial},           {"empty", &bi->empty},
        {"sharedFrames", &bi->sharedFrames},  {"userImageFrames", &bi->userImageFrames},
        {"userImagePaging", &bi->userImagePaging}, {"ioSpaceCaps", &bi->ioSpaceCaps},
        {"extraBIPages", &bi->extraBIPages},  {"untyped", &bi->untyped},
    };
    const unsigned n = sizeof(regions) / sizeof(regions[0]);
    if (bi->initThreadCNodeSizeBits < 1 || bi->initThreadCNodeSizeBits >= seL4_WordBits) {
        return problem(why, "initThreadCNodeSizeBits", 0, KAAL_E_BOOTINFO_REGION);
    }
    seL4_Word slots = 1ul << bi->initThreadCNodeSizeBits;
    for (unsigned i = 0; i < n; i++) {
        if (regions[i].r->start > regions[i].r->end || regions[i].r->end > slots) {
            return problem(why, regions[i].field, 0, KAAL_E_BOOTINFO_REGION);
        }
        for (unsigned j = 0; j < i; j++) {
            if (regions_overlap(regions[i].r, regions[j].r)) {
                return problem(why, regions[i].field, j, KAAL_E_BOOTINFO_OVERLAP);
            }
        }
    }
    return KAAL_OK;
}

/* The kernel carves untypeds in its virtual window, which is aligned to 2^39
 * bytes: an untyped is aligned to its size there, so physically to its size
 * or 2^39, whichever is smaller (the top device regions are that large). */
#define UNTYPED_MAX_PHYS_ALIGN_BITS 39

static seL4_Word untyped_alignment(const seL4_UntypedDesc *d)
{
    unsigned bits = d->sizeBits < UNTYPED_MAX_PHYS_ALIGN_BITS ? d->sizeBits : UNTYPED_MAX_PHYS_ALIGN_BITS;
    return 1ul << bits;
}

/* The end of an untyped (exclusive): the kernel gives out none that ends above
 * CONFIG_PADDR_USER_DEVICE_TOP; 0 for one that does, or whose end would wrap. */
static seL4_Word untyped_end(const seL4_UntypedDesc *d)
{
    seL4_Word end;
    return rt_range_end(d->paddr, 1ul << d->sizeBits, &end) && end <= CONFIG_PADDR_USER_DEVICE_TOP ? end : 0;
}

static kaal_err_t check_untypeds(const seL4_BootInfo *bi, bootinfo_problem_t *why)
{
    seL4_Word n = bi->untyped.end - bi->untyped.start;
    if (n > CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS) {
        return problem(why, "untyped", n, KAAL_E_BOOTINFO_UNTYPED);
    }
    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (d->sizeBits < seL4_MinUntypedBits || d->sizeBits > seL4_MaxUntypedBits || d->isDevice > 1 ||
            (d->paddr & (untyped_alignment(d) - 1)) != 0 || untyped_end(d) == 0) {
            return problem(why, "untypedList", i, KAAL_E_BOOTINFO_UNTYPED);
        }
        for (seL4_Word j = 0; j < i; j++) {
            const seL4_UntypedDesc *o = &bi->untypedList[j];
            if (d->paddr < untyped_end(o) && o->paddr < untyped_end(d)) {
                return problem(why, "untypedList", i, KAAL_E_BOOTINFO_OVERLAP);
            }
        }
    }
    return KAAL_OK;
}

kaal_err_t bootinfo_validate(const seL4_BootInfo *bi, bootinfo_problem_t *why)
{
    if (!bi) {
        return problem(why, "bootinfo", 0, KAAL_E_INVAL);
    }
    if (bi->numNodes < 1 || bi->nodeID >= bi->numNodes) {
        return problem(why, "nodeID", bi->nodeID, KAAL_E_BOOTINFO_NODES);
    }
    kaal_err_t err = check_regions(bi, why);
    if (err != KAAL_OK) {
        return err;
    }
    return check_untypeds(bi, why);
}

bootinfo_totals_t bootinfo_totals(const seL4_BootInfo *bi)
{
    bootinfo_totals_t t = {0, 0, 0};
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (d->isDevice) {
            t.device_untypeds++;
        } else {
            t.ram_untypeds++;
            t.ram_bytes += 1ul << d->sizeBits;
        }
    }
    return t;
}

int bootinfo_device_covers(const seL4_BootInfo *bi, seL4_Word first, seL4_Word last)
{
    for (;;) {
        const seL4_UntypedDesc *hit = NULL;
        for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start && !hit; i++) {
            const seL4_UntypedDesc *d = &bi->untypedList[i];
            if (d->isDevice && first >= d->paddr && first - d->paddr < (1ul << d->sizeBits)) {
                hit = d;
            }
        }
        if (!hit) {
            return 0;
        }
        seL4_Word end = hit->paddr + (1ul << hit->sizeBits) - 1;
        if (end >= last) {
            return 1;
        }
        first = end + 1;
    }
}

void bootinfo_print_summary(const seL4_BootInfo *bi, const char *root_task_name)
{
    bootinfo_totals_t t = bootinfo_totals(bi);
    rt_printf("seL4 Bootstrapping\n");
    rt_printf("Root task: %s\n", root_task_name);
    rt_printf("Bootinfo @ %p\n", (const void *)bi);
    rt_printf("  CSpace root: %lu\n", (unsigned long)seL4_CapInitThreadCNode);
    rt_printf("  VSpace root: %lu\n", (unsigned long)seL4_CapInitThreadVSpace);
    rt_printf("  TCB: %lu\n", (unsigned long)seL4_CapInitThreadTCB);
    rt_printf("  Untyped regions: %lu (%lu MiB)\n", (unsigned long)t.ram_untypeds,
              (unsigned long)(t.ram_bytes >> 20));
    rt_printf("  Device untypeds: %lu\n", (unsigned long)t.device_untypeds);
    rt_printf("  Empty slots: %lu..%lu\n", (unsigned long)bi->empty.start, (unsigned long)bi->empty.end - 1);
}
