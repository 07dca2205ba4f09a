/*
 * The broker's RPC server on the sim. Each input gets two components built
 * afresh (the writer and the reader of one channel with an endpoint, each
 * with devices of its own to ask for), then a run of requests, 32 bytes each:
 *
 *   byte 0      bit 0: which component asks
 *   byte 1      the label, modulo KAAL_RPC_LABELS + 2 (so unknown ones too)
 *   byte 2      the length: below 0xc0, 0 to 3 (the real ones); else its low 7 bits
 *   byte 3      extra caps (bits 0-1), caps unwrapped (bits 2-4)
 *   byte 4      how each argument is read, 2 bits each: the word itself, its low
 *               byte, a page count (low 10 bits, in pages), or a pick from
 *               `interesting` (layout addresses, granted devices, slots, labels)
 *   bytes 8-31  three words, little-endian: MR0, MR1, MR2
 *
 * After each request: the reply is well formed; no component holds more than
 * its quota; the broker's used bytes are exactly what the components, the
 * channel and the region hold; a grant entry not in use is all zero (so it can be used
 * again); a memory or MMIO grant covers what was asked. At the end both go,
 * and every byte and slot comes back.
 */
#include <string.h>
#include <kaal/broker.h>
#include <kaal/spawn.h>
#include <sel4/sim.h>
#include "../unit/elf_header.h"
#include "fuzz.h"

#define PAGE 0x1000ul
#define RECORD 32
#define MAX_REQUESTS 64

typedef unsigned __int128 u128;

typedef struct {
    Elf64_Ehdr eh;
    Elf64_Phdr ph;
    uint8_t text[PAGE - sizeof(Elf64_Ehdr) - sizeof(Elf64_Phdr)];
} image_t;

static broker_t br;
static kaal_obj_t ep;
static image_t img;
static manifest_component_t desc[2];
static component_t comp[2];
static channel_t chan, call;
static region_t region;
static seL4_Word used0, slots0;

static const seL4_Word interesting[] = {
    0, 1, 2, 4, PAGE, 16 * PAGE, 64 * PAGE, 0x40000, ~0ul, ~0ul - 0xffe, ~0ul & ~(PAGE - 1),
    KAAL_MEMORY_VADDR, KAAL_MEMORY_VADDR + PAGE, KAAL_MEMORY_END - PAGE, KAAL_MMIO_VADDR,
    0xfed00000, 0xfed00004, 0xfed01000, 0x40, 0x43, 0x60, 0x3f8, 0x3ff,
    KAAL_CAP_FIRST_FREE, KAAL_CAP_FIRST_FREE + 1, KAAL_CAP_FIRST_FREE + 2, 1ul << KAAL_CNODE_BITS,
    KAAL_RPC_MEMORY, KAAL_RPC_IOPORTS, KAAL_RPC_IRQ, KAAL_RPC_MMIO, KAAL_RPC_CHANNEL, KAAL_RPC_RELEASE,
};
#define NINTERESTING (sizeof(interesting) / sizeof(interesting[0]))

static manifest_range_t ports[2][2], mmio[2][1];
static seL4_Word irqs[2][1];

static void describe(manifest_component_t *d, const char *name, seL4_Word memory)
{
    memset(d, 0, sizeof(*d));
    unsigned k = d == &desc[0] ? 0 : 1;
    d->ioports = ports[k];
    d->irqs = irqs[k];
    d->mmio = mmio[k];
    strcpy(d->name, name);
    d->priority = 1;
    d->stack = 4 * PAGE;
    d->memory = memory;
}

static void boot(void)
{
    FUZZ_CHECK(broker_init(&br, sel4sim_boot(), NULL) == KAAL_OK);
    FUZZ_CHECK(untyped_alloc(&br.mem, seL4_EndpointObject, 0, &ep) == KAAL_OK && spawn_prepare(&br) == KAAL_OK);
    memset(&img, 0, sizeof(img));
    elf_header_init(&img.eh, 0x400000 + offsetof(image_t, text), offsetof(image_t, ph), 1);
    img.ph = (Elf64_Phdr){.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_vaddr = 0x400000, .p_filesz = PAGE,
                          .p_memsz = PAGE, .p_align = PAGE};
    img.text[0] = 0x0f; /* ud2: it never runs here (the harness keeps the CPU), but if it did it would fault */
    img.text[1] = 0x0b;
    describe(&desc[0], "writer", 256 * 1024);
    desc[0].nioports = 2;
    desc[0].ioports[0] = (manifest_range_t){0x40, 0x43, {1, 1}};
    desc[0].ioports[1] = (manifest_range_t){0x60, 0x60, {1, 1}};
    desc[0].nirqs = 1;
    desc[0].irqs[0] = 2;
    desc[0].nmmio = 1;
    desc[0].mmio[0] = (manifest_range_t){0xfed00000, 0xfed00fff, {1, 1}};
    describe(&desc[1], "reader", 128 * 1024);
    desc[1].nioports = 1;
    desc[1].ioports[0] = (manifest_range_t){0x3f8, 0x3ff, {1, 1}};
    desc[1].nirqs = 1;
    desc[1].irqs[0] = 4;
    untyped_coalesce(&br.mem);
    untyped_coalesce(&br.devmem);
    used0 = broker_given_bytes(&br);
    slots0 = broker_given_slots(&br);
}

static int build_both(void)
{
    spawn_problem_t why;
    for (unsigned i = 0; i < 2; i++) {
        if (spawn_build(&br, &comp[i], &desc[i], i + 1, &img, sizeof(img), ep.cap, &why) != KAAL_OK) {
            return 0;
        }
    }
    static const manifest_region_use_t rw = {.writable = 1, .cached = 1}, r_uncached = {.writable = 0, .cached = 0};
    return channel_create(&br, &chan, 2 * PAGE, KAAL_ENDPOINT_GRANT) == KAAL_OK &&
           channel_connect(&br, &chan, &comp[0], &comp[1]) == KAAL_OK &&
           call_create(&call, KAAL_ENDPOINT_GRANT) == KAAL_OK && channel_connect(&br, &call, &comp[0], &comp[1]) == KAAL_OK &&
           region_create(&br, &region, 2 * PAGE, seL4_PageBits) == KAAL_OK &&
           region_attach(&br, &region, &comp[0], "shared", &rw) == KAAL_OK &&
           region_attach(&br, &region, &comp[1], "shared", &r_uncached) == KAAL_OK &&
           spawn_start(&br, &comp[0]) == KAAL_OK && spawn_start(&br, &comp[1]) == KAAL_OK;
}

static seL4_Word argument(unsigned how, seL4_Word raw)
{
    switch (how) {
    case 0:
        return raw;
    case 1:
        return raw & 0xff;
    case 2:
        return (raw & 0x3ff) * PAGE;
    default:
        return interesting[raw % NINTERESTING];
    }
}

static int all_zero(const grant_t *g)
{
    static const grant_t zero;
    return memcmp(g, &zero, sizeof(zero)) == 0;
}

static void check_component(const component_t *c)
{
    FUZZ_CHECK(spawn_bytes(c) <= c->desc->memory);
    for (unsigned i = 0; i < c->grants_room; i++) {
        const grant_t *g = &c->grants[i];
        FUZZ_CHECK(g->what != 0 || all_zero(g));
        if (g->what == KAAL_RPC_MEMORY) {
            FUZZ_CHECK(g->vaddr >= KAAL_MEMORY_VADDR && g->end <= KAAL_MEMORY_END && g->end - g->vaddr == g->nframes * PAGE);
        } else if (g->what == KAAL_RPC_MMIO) {
            FUZZ_CHECK(g->vaddr >= KAAL_MMIO_VADDR && g->end <= KAAL_MMIO_END && g->end - g->vaddr == g->nframes * PAGE);
        }
    }
}

/* What a granted request must have given: its reply, and a grant covering the range asked for. */
static void check_granted(const component_t *c, seL4_Word label, const seL4_Word *a, seL4_MessageInfo_t r)
{
    seL4_Word at = seL4_GetMR(0);
    if (label == KAAL_RPC_MEMORY) {
        FUZZ_CHECK(seL4_MessageInfo_get_length(r) == 1 && (a[0] == 0 || at == a[0]));
        const grant_t *g = grant_find((component_t *)c, KAAL_RPC_MEMORY, at);
        FUZZ_CHECK(g && g->end - g->vaddr == a[1]);
    } else if (label == KAAL_RPC_MMIO) {
        /* The pages of [paddr, paddr + size), counted without wrapping. */
        u128 first = a[0] / PAGE, end = ((u128)a[0] + a[1] + PAGE - 1) / PAGE;
        FUZZ_CHECK((u128)a[0] + a[1] <= (u128)1 << 64);
        const grant_t *g = grant_find((component_t *)c, KAAL_RPC_MMIO, at);
        FUZZ_CHECK(g && (u128)g->nframes == end - first && at % PAGE == a[0] % PAGE);
    }
}

static void request(const uint8_t *r)
{
    component_t *c = &comp[r[0] & 1];
    seL4_Word label = r[1] % (KAAL_RPC_LABELS + 2), len = r[2] < 0xc0 ? r[2] % 4u : r[2] & 0x7fu;
    seL4_Word a[3];
    for (unsigned i = 0; i < 3; i++) {
        a[i] = argument((r[4] >> (2 * i)) & 3, fuzz_le(r + 8 + 8 * i, 8, 8));
        seL4_SetMR((int)i, a[i]);
    }
    seL4_MessageInfo_t info = seL4_MessageInfo_new(label, (r[3] >> 2) & 7, r[3] & 3, len);
    seL4_MessageInfo_t reply = rpc_serve(&br, c, info);
    kaal_err_t err = (kaal_err_t)seL4_MessageInfo_get_label(reply);
    FUZZ_CHECK(err < KAAL_E_COUNT && err != KAAL_E_KERNEL);
    FUZZ_CHECK(seL4_MessageInfo_get_length(reply) <= 2 && seL4_MessageInfo_get_extraCaps(reply) == 0);
    FUZZ_CHECK(err == KAAL_OK || seL4_MessageInfo_get_length(reply) == 0);
    if (err == KAAL_OK) {
        check_granted(c, label, a, reply);
    }
    check_component(&comp[0]);
    check_component(&comp[1]);
    FUZZ_CHECK(broker_given_bytes(&br) - used0 ==
               spawn_bytes(&comp[0]) + spawn_bytes(&comp[1]) + chan.nframes * PAGE + region.size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int booted;
    if (!booted) {
        boot();
        booted = 1;
    }
    int built = build_both();
    FUZZ_CHECK(built);
    for (size_t at = 0; built && at + RECORD <= size && at / RECORD < MAX_REQUESTS; at += RECORD) {
        request(data + at);
    }
    spawn_destroy(&br, &comp[0]);
    spawn_destroy(&br, &comp[1]);
    channel_destroy(&br, &chan);
    channel_destroy(&br, &call);
    region_destroy(&br, &region);
    untyped_coalesce(&br.mem);
    untyped_coalesce(&br.devmem);
    FUZZ_CHECK(broker_given_bytes(&br) == used0 && broker_given_slots(&br) == slots0);
    return 0;
}
