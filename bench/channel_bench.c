/*
 * Channel throughput: two streamer components (their source says what they
 * time) at the ends of one channel, the writer sending records of 64 B and
 * then of 4 KiB through the ring while the reader takes them. The broker
 * only builds, connects and reclaims; the data never passes through it.
 */
#include <kaal/rt.h>
#include <kaal/spawn.h>
#include "bench_channel.h"
#include "channel_bench.h"

static component_t ends[2];
static channel_t chan;
static manifest_component_t descs[2] = {
    {.name = "writer", .image = "streamer.elf", .priority = 100, .stack = 0x4000, .memory = 0x40000},
    {.name = "reader", .image = "streamer.elf", .priority = 100, .stack = 0x4000, .memory = 0x40000},
};

static void report(seL4_Word size, seL4_Word ticks, seL4_Word tsc_per_us, const char *platform)
{
    rt_printf("{\"bench\":\"channel\",\"platform\":\"%s\",\"record_bytes\":%lu,\"records\":%d,"
              "\"ticks_per_record\":%lu",
              platform, (unsigned long)size, BENCH_CHANNEL_RECORDS, (unsigned long)ticks);
    if (tsc_per_us) {
        rt_printf(",\"records_per_s\":%lu,\"mb_per_s\":%lu", (unsigned long)(tsc_per_us * 1000000 / ticks),
                  (unsigned long)(tsc_per_us * size / ticks));
    }
    rt_printf("}\n");
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
        err = channel_create(b, &chan, BENCH_CHANNEL_RING);
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
    int exited = 0, failed = 0;
    while (exited < 2 && !failed) {
        seL4_Word badge;
        seL4_MessageInfo_t info = seL4_Recv(ep.cap, &badge);
        seL4_Word label = seL4_MessageInfo_get_label(info);
        if ((badge & KAAL_BADGE_FAULT) || badge < 1 || badge > 2) {
            failed = 1;
        } else if (label == BENCH_CHANNEL_REPORT) {
            report(seL4_GetMR(0), seL4_GetMR(1), tsc_per_us, platform);
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
    if (failed) {
        rt_printf("bench: a streamer failed\n");
    }
    return failed || untyped_free(&b->mem, &ep) != KAAL_OK;
}
