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
#include <kaal/heap.h>
#include <kaal/rt.h>
#include <kaal/spawn.h>
#include "bench_util.h"
#include "spawn_bench.h"

#define BATCHES 7
#define SPAWNS 20
#define LIVE 1000 /* components alive in the second measure, the one spawned included */

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
 * (information page and IPC buffer, stack, each segment, the page of its table of channels and
 * map of slots); one map per frame
 * and paging structure; a map and an unmap in the broker's window for each
 * page it writes (the pages of segments that hold file bytes, the information page); six caps,
 * the ASID, and TCB configure, priority and registers. The first figure counts
 * a retype per frame, as without runs.
 */
static void minimum_invocations(const component_t *c, const elf_image_t *img, seL4_Word *unbatched,
                                seL4_Word *batched)
{
    seL4_Word frame_runs = bits_set(2) + bits_set(c->desc->stack / 4096) + 1, written = 1;
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

typedef struct {
    uint64_t spawn, reclaim; /* medians, per spawn */
    seL4_Word invocations, minimum, batched, bytes;
} spawn_figures_t;

/* BATCHES of SPAWNS spawns and reclaims of the image as component id. */
static int measure(broker_t *b, const void *image, size_t size, const elf_image_t *img, seL4_CPtr ep, uint32_t id,
                   uint64_t (*now)(void), spawn_figures_t *f)
{
    uint64_t spawn[BATCHES], reclaim[BATCHES];
    for (int k = 0; k < BATCHES; k++) {
        uint64_t spawning = 0, reclaiming = 0;
        for (int i = 0; i < SPAWNS; i++) {
            spawn_problem_t why;
            uint64_t t0 = now();
            if (spawn_build(b, &comp, &client, id, image, size, ep, &why) != KAAL_OK ||
                spawn_start(b, &comp) != KAAL_OK) {
                rt_printf("bench: spawn failed at %s\n", why.step);
                return 1;
            }
            uint64_t t1 = now();
            f->invocations = comp.invocations;
            minimum_invocations(&comp, img, &f->minimum, &f->batched);
            f->bytes = spawn_bytes(&comp);
            spawn_destroy(b, &comp);
            reclaiming += now() - t1;
            spawning += t1 - t0;
        }
        spawn[k] = spawning / SPAWNS;
        reclaim[k] = reclaiming / SPAWNS;
    }
    bench_sort(spawn, BATCHES);
    bench_sort(reclaim, BATCHES);
    f->spawn = spawn[BATCHES / 2];
    f->reclaim = reclaim[BATCHES / 2];
    return 0;
}

/* LIVE - 1 more of the image, built and started (the broker outranks them: none runs). */
static component_t *others;

static int populate(broker_t *b, const void *image, size_t size, seL4_CPtr ep)
{
    others = heap_alloc(&b->heap, (LIVE - 1) * sizeof(*others));
    for (unsigned i = 0; others && i < LIVE - 1; i++) {
        spawn_problem_t why;
        if (spawn_build(b, &others[i], &client, 2 + i, image, size, ep, &why) != KAAL_OK ||
            spawn_start(b, &others[i]) != KAAL_OK) {
            rt_printf("bench: component %u of %u failed at %s\n", i + 2, LIVE, why.step);
            return 1;
        }
    }
    return others == 0;
}

static void depopulate(broker_t *b)
{
    for (unsigned i = 0; i < LIVE - 1; i++) {
        spawn_destroy(b, &others[i]);
    }
    heap_free(&b->heap, others, (LIVE - 1) * sizeof(*others));
    untyped_coalesce(&b->mem);
}

int spawn_bench_run(broker_t *b, const void *image, size_t size, uint64_t (*now)(void), const char *platform,
                    const char *unit)
{
    kaal_obj_t ep; /* broker_start: a two-level CSpace, for a thousand components */
    if (broker_start(b) != KAAL_OK || untyped_alloc(&b->mem, seL4_EndpointObject, 0, &ep) != KAAL_OK ||
        spawn_prepare(b) != KAAL_OK) {
        return 1;
    }
    elf_image_t img;
    elf_problem_t problem;
    if (elf_parse(image, size, &img, &problem) != KAAL_OK) {
        return 1;
    }
    seL4_Word used = broker_given_bytes(b);
    spawn_figures_t alone, crowd;
    if (measure(b, image, size, &img, ep.cap, 1, now, &alone) != 0) {
        return 1;
    }
    rt_printf("{\"bench\":\"spawn\",\"platform\":\"%s\",\"image\":\"client.elf\",\"spawns\":%d,"
              "\"median_%s_per_spawn\":%lu,\"median_%s_per_reclaim\":%lu,\"invocations_per_spawn\":%lu,"
              "\"minimum_invocations\":%lu,\"minimum_invocations_batched\":%lu,\"component_bytes\":%lu,"
              "\"bytes_back\":%s}\n",
              platform, BATCHES * SPAWNS, unit, (unsigned long)alone.spawn, unit, (unsigned long)alone.reclaim,
              (unsigned long)alone.invocations, (unsigned long)alone.minimum, (unsigned long)alone.batched,
              (unsigned long)alone.bytes, broker_given_bytes(b) == used ? "true" : "false");
    /* The same with LIVE - 1 others alive: the cost of one more should not grow with their number. */
    if (populate(b, image, size, ep.cap) != 0 || measure(b, image, size, &img, ep.cap, 1, now, &crowd) != 0) {
        return 1;
    }
    depopulate(b);
    rt_printf("{\"bench\":\"spawn_live\",\"platform\":\"%s\",\"image\":\"client.elf\",\"live\":%d,"
              "\"median_%s_per_spawn_at_1\":%lu,\"median_%s_per_spawn_at_%d\":%lu,\"ratio\":%lu.%02lu,"
              "\"median_%s_per_reclaim_at_%d\":%lu,\"invocations_per_spawn_at_%d\":%lu,\"bytes_back\":%s}\n",
              platform, LIVE, unit, (unsigned long)alone.spawn, unit, LIVE, (unsigned long)crowd.spawn,
              (unsigned long)(crowd.spawn / alone.spawn), (unsigned long)(crowd.spawn * 100 / alone.spawn % 100),
              unit, LIVE, (unsigned long)crowd.reclaim, LIVE, (unsigned long)crowd.invocations,
              broker_given_bytes(b) == used ? "true" : "false");
    return untyped_free(&b->mem, &ep) != KAAL_OK;
}
