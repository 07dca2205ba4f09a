/*
 * Map + unmap of a 4 KiB page in the root task's vspace:
 *   fresh      nothing else mapped near it, so each map makes (and each unmap
 *              frees) a PDPT, a PD and a PT;
 *   populated  another page keeps the paging structures alive.
 * For each: the median cost of a map+unmap pair over 7 batches, and the
 * kernel invocations the broker made per pair next to the fewest the x86_64
 * paging structure needs (fresh: 3 retypes + 3 table maps + 1 page map to
 * map, 1 page unmap + 3 deletions to free; populated: 1 map + 1 unmap).
 */
#include <kaal/rt.h>
#include "bench_util.h"
#include "vspace_bench.h"

#define BATCHES 7
#define PAIRS 200
#define VADDR (BROKER_VSPACE_BASE + (1ul << 30))
#define NEIGHBOUR (VADDR + (1ul << seL4_PageBits))

static seL4_Word invocations(const broker_t *b)
{
    return b->vspace.invocations + b->mem.invocations;
}

static int run_case(broker_t *b, seL4_CPtr frame, uint64_t (*now)(void), const char *platform, const char *unit,
                    const char *name, unsigned minimum)
{
    uint64_t cost[BATCHES];
    seL4_Word inv_before = invocations(b);
    for (int k = 0; k < BATCHES; k++) {
        uint64_t t0 = now();
        for (int i = 0; i < PAIRS; i++) {
            if (vspace_map(&b->vspace, frame, VADDR, seL4_PageBits, seL4_ReadWrite, ARCH_MAP_DEFAULT) != KAAL_OK ||
                vspace_unmap(&b->vspace, frame, VADDR, seL4_PageBits) != KAAL_OK) {
                rt_printf("bench: map/unmap failed\n");
                return 1;
            }
        }
        cost[k] = (now() - t0) / PAIRS;
    }
    bench_sort(cost, BATCHES);
    seL4_Word per_pair = (invocations(b) - inv_before) / (BATCHES * PAIRS);
    rt_printf("{\"bench\":\"vspace_map_unmap_4k\",\"platform\":\"%s\",\"case\":\"%s\",\"pairs\":%d,"
              "\"median_%s_per_pair\":%lu,\"invocations_per_pair\":%lu,\"minimum_invocations\":%u}\n",
              platform, name, BATCHES * PAIRS, unit, (unsigned long)cost[BATCHES / 2], (unsigned long)per_pair,
              minimum);
    return 0;
}

int vspace_bench_run(broker_t *b, uint64_t (*now)(void), const char *platform, const char *unit)
{
    kaal_obj_t frame, neighbour;
    if (untyped_alloc(&b->mem, seL4_X86_4K, 0, &frame) != KAAL_OK ||
        untyped_alloc(&b->mem, seL4_X86_4K, 0, &neighbour) != KAAL_OK) {
        return 1;
    }
    int bad = run_case(b, frame.cap, now, platform, unit, "fresh", 7 + 4);
    bad |= vspace_map(&b->vspace, neighbour.cap, NEIGHBOUR, seL4_PageBits, seL4_ReadWrite, ARCH_MAP_DEFAULT) != KAAL_OK;
    bad |= run_case(b, frame.cap, now, platform, unit, "populated", 1 + 1);
    bad |= vspace_unmap(&b->vspace, neighbour.cap, NEIGHBOUR, seL4_PageBits) != KAAL_OK;
    bad |= untyped_free(&b->mem, &frame) != KAAL_OK || untyped_free(&b->mem, &neighbour) != KAAL_OK;
    return bad;
}
