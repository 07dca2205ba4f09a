/*
 * Channel throughput: two streamer components (their source says what they
 * time) at the ends of one channel, the writer sending records of 64 B and
 * then of 4 KiB while the reader takes them, in batches that alternate
 * between kaal's channel and a raw hand-written ring over the same frames.
 * The broker only builds, connects, holds the barrier between batches and
 * reclaims; the data never passes through it.
 */
#include <kaal/rt.h>
#include <kaal/spawn.h>
#include "bench_channel.h"
#include "bench_util.h"
#include "channel_bench.h"

static component_t ends[2];
static channel_t chan;
static manifest_component_t descs[2] = {
    {.name = "writer", .image = "streamer.elf", .priority = 100, .stack = 0x4000, .memory = 0x40000},
    {.name = "reader", .image = "streamer.elf", .priority = 100, .stack = 0x4000, .memory = 0x40000},
};

/* The first streamer at a barrier waits in its Call, its reply cap saved in `slot`, for the other. */
typedef struct {
    seL4_CPtr slot;
    seL4_Word waiting; /* the badge of the streamer waiting, 0 if none */
    seL4_Word n;       /* the barrier it waits at */
} barrier_t;

/* 0, or -1 if the streamers disagree about where they are. */
static int barrier_arrive(broker_t *b, barrier_t *bar, seL4_Word badge, seL4_Word n)
{
    if (!bar->waiting) {
        bar->waiting = badge;
        bar->n = n;
        return seL4_CNode_SaveCaller(b->slots.root, bar->slot, b->slots.depth) == seL4_NoError ? 0 : -1;
    }
    if (bar->waiting == badge || bar->n != n) {
        return -1;
    }
    seL4_Send(bar->slot, seL4_MessageInfo_new(0, 0, 0, 0)); /* uses the saved reply cap up */
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    bar->waiting = 0;
    return 0;
}

static void rates(const char *way, seL4_Word size, seL4_Word ticks, seL4_Word tsc_per_us)
{
    if (tsc_per_us && ticks) {
        rt_printf(",\"records_per_s_%s\":%lu,\"mb_per_s_%s\":%lu", way, (unsigned long)(tsc_per_us * 1000000 / ticks),
                  way, (unsigned long)(tsc_per_us * size / ticks));
    }
}

static void report(seL4_Word size, seL4_Word raw, seL4_Word kaal, seL4_Word tsc_per_us, const char *platform)
{
    rt_printf("{\"bench\":\"channel\",\"platform\":\"%s\",\"record_bytes\":%lu,\"records\":%d,\"batches\":%d,"
              "\"median_ticks_per_record_raw\":%lu,\"median_ticks_per_record_kaal\":%lu",
              platform, (unsigned long)size, BENCH_CHANNEL_RECORDS, BENCH_CHANNEL_BATCHES, (unsigned long)raw,
              (unsigned long)kaal);
    rates("raw", size, raw, tsc_per_us);
    rates("kaal", size, kaal, tsc_per_us);
    bench_print_overhead(raw, kaal);
}

int channel_bench_run(broker_t *b, const void *image, size_t size, seL4_Word tsc_per_us, const char *platform)
{
    kaal_obj_t ep;
    spawn_problem_t why;
    kaal_err_t err = untyped_alloc(&b->mem, seL4_EndpointObject, 0, &ep);
    for (unsigned i = 0; err == KAAL_OK && i < 2; i++) {
        err = spawn_build(b, &ends[i], &descs[i], i + 1, image, size, ep.cap, &why);
    }
    if (err == KAAL_OK) {
        err = channel_create(b, &chan, BENCH_CHANNEL_RING, KAAL_ENDPOINT_NONE);
    }
    if (err == KAAL_OK) {
        err = channel_connect(b, &chan, &ends[0], &ends[1]);
    }
    for (unsigned i = 0; err == KAAL_OK && i < 2; i++) {
        err = spawn_start(b, &ends[i]);
    }
    if (err != KAAL_OK) {
        rt_printf("bench: the streamers did not start: %s\n", kaal_err_str(err));
        return 1;
    }
    barrier_t bar = {0};
    int exited = 0, failed = cspace_slot_alloc(&b->slots, &bar.slot) != KAAL_OK;
    while (exited < 2 && !failed) {
        seL4_Word badge;
        seL4_MessageInfo_t info = seL4_Recv(ep.cap, &badge);
        seL4_Word label = seL4_MessageInfo_get_label(info);
        if ((badge & KAAL_BADGE_FAULT) || badge < 1 || badge > 2) {
            failed = 1;
        } else if (label == BENCH_CHANNEL_BARRIER) {
            failed = barrier_arrive(b, &bar, badge, seL4_GetMR(0)) != 0;
        } else if (label == BENCH_CHANNEL_REPORT) {
            report(seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2), tsc_per_us, platform);
            seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
        } else if (label == KAAL_RPC_EXIT) {
            failed = seL4_GetMR(0) != 0;
            exited++;
        } else { /* the broker's own requests: opening the channel */
            seL4_Reply(rpc_serve(b, &ends[badge - 1], info));
        }
    }
    spawn_destroy(b, &ends[0]);
    spawn_destroy(b, &ends[1]);
    channel_destroy(b, &chan);
    if (bar.slot) { /* empty, unless a streamer failed while the other waited at a barrier */
        seL4_CNode_Delete(b->slots.root, bar.slot, b->slots.depth);
        failed |= cspace_slot_free(&b->slots, bar.slot) != KAAL_OK;
    }
    if (failed) {
        rt_printf("bench: a streamer failed\n");
    }
    return failed || untyped_free(&b->mem, &ep) != KAAL_OK;
}
