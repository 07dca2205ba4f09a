/*
 * Spawning a component: spawn_build + spawn_start of the demo's client image
 * (its ELF parsed and copied into fresh frames, CNode, VSpace, TCB,
 * notification, stack, IPC buffer, information page), then spawn_destroy.
 * The broker runs at the highest priority, so the started thread never runs
 * before it is reclaimed: this measures the broker's work alone. For each:
 * the median over batches, and the kernel invocations per spawn next to the
 * fewest its objects need: one retype per object, one map per frame and
 * paging structure, six caps into its CNode, the ASID, TCB configure,
 * priority, and registers with resume.
 */
#include <kaal/rt.h>
#include <kaal/spawn.h>
#include "bench_util.h"
#include "spawn_bench.h"

#define BATCHES 7
#define SPAWNS 20

static component_t comp;

static const manifest_component_t client = {
    .name = "client",
    .image = "client.elf",
    .priority = 100,
    .stack = 0x4000,
    .memory = 0x40000,
};

static seL4_Word bits_set(seL4_Word n)
{
    return (seL4_Word)__builtin_popcountl(n);
}

/*
 * The fewest invocations its objects need. One retype per kernel object
 * (CNode, vspace root, TCB, notification, each paging structure), and for the
 * frames one per power-of-two run of each group the broker allocates at once
 * (information page and IPC buffer, stack, each segment); one map per frame
 * and paging structure; a map and an unmap in the broker's window for each
 * page it writes (the pages of segments that hold file bytes, the information page); six caps,
 * the ASID, and TCB configure, priority and registers. The first figure counts
 * a retype per frame, as without runs.
 */
static void minimum_invocations(const component_t *c, const elf_image_t *img, seL4_Word *unbatched,
                                seL4_Word *batched)
{
    seL4_Word frame_runs = bits_set(2) + bits_set(c->desc->stack / 4096), written = 1;
    for (unsigned i = 0; i < img->nsegments; i++) {
        const elf_segment_t *s = &img->segments[i];
        seL4_Word pages = ((s->vaddr + s->memsz + 4095) / 4096) - s->vaddr / 4096;
        frame_runs += bits_set(pages);
        written += s->filesz ? ((s->vaddr + s->filesz + 4095) / 4096) - s->vaddr / 4096 : 0;
    }
    seL4_Word rest = c->nframes + c->vs.ntables /* maps */ + 6 /* caps */ + 1 /* ASID */ + 3 /* TCB */;
    *unbatched = 4 + c->nframes + c->vs.ntables /* retypes */ + rest;
    *batched = 4 + frame_runs + c->vs.ntables + rest + 2 * written;
}

int spawn_bench_run(broker_t *b, const void *image, size_t size, uint64_t (*now)(void), const char *platform,
                    const char *unit)
{
    kaal_obj_t ep;
    if (untyped_alloc(&b->mem, seL4_EndpointObject, 0, &ep) != KAAL_OK || spawn_prepare(b) != KAAL_OK) {
        return 1;
    }
    uint64_t spawn[BATCHES], reclaim[BATCHES];
    elf_image_t img;
    elf_problem_t problem;
    if (elf_parse(image, size, &img, &problem) != KAAL_OK) {
        return 1;
    }
    seL4_Word invocations = 0, minimum = 0, batched = 0, bytes = 0, used = b->mem.used_bytes;
    for (int k = 0; k < BATCHES; k++) {
        uint64_t spawning = 0, reclaiming = 0;
        for (int i = 0; i < SPAWNS; i++) {
            spawn_problem_t why;
            uint64_t t0 = now();
            if (spawn_build(b, &comp, &client, 1, image, size, ep.cap, &why) != KAAL_OK ||
                spawn_start(b, &comp) != KAAL_OK) {
                rt_printf("bench: spawn failed at %s\n", why.step);
                return 1;
            }
            uint64_t t1 = now();
            invocations = comp.invocations;
            minimum_invocations(&comp, &img, &minimum, &batched);
            bytes = spawn_bytes(&comp);
            spawn_destroy(b, &comp);
            reclaiming += now() - t1;
            spawning += t1 - t0;
        }
        spawn[k] = spawning / SPAWNS;
        reclaim[k] = reclaiming / SPAWNS;
    }
    bench_sort(spawn, BATCHES);
    bench_sort(reclaim, BATCHES);
    rt_printf("{\"bench\":\"spawn\",\"platform\":\"%s\",\"image\":\"client.elf\",\"spawns\":%d,"
              "\"median_%s_per_spawn\":%lu,\"median_%s_per_reclaim\":%lu,\"invocations_per_spawn\":%lu,"
              "\"minimum_invocations\":%lu,\"minimum_invocations_batched\":%lu,\"component_bytes\":%lu,"
              "\"bytes_back\":%s}\n",
              platform, BATCHES * SPAWNS, unit, (unsigned long)spawn[BATCHES / 2], unit,
              (unsigned long)reclaim[BATCHES / 2], (unsigned long)invocations, (unsigned long)minimum,
              (unsigned long)batched, (unsigned long)bytes, b->mem.used_bytes == used ? "true" : "false");
    return untyped_free(&b->mem, &ep) != KAAL_OK;
}
