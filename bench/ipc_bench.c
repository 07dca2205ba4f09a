/*
 * IPC round trips across address spaces: the pinger component (its source
 * says what it times) calls the broker's endpoint, and this server answers.
 * A raw call is answered at once with seL4_ReplyRecv; a kaal_ping goes
 * through rpc_serve, as in the root task. Both share this one loop, so
 * their difference is the stub's and the broker's own work. The figures are
 * TSC ticks per round trip (under QEMU with -icount shift=0, instructions).
 */
#include <kaal/rt.h>
#include <kaal/spawn.h>
#include "bench_ipc.h"
#include "bench_util.h"
#include "ipc_bench.h"

static component_t comp;

static const manifest_component_t pinger = {
    .name = "pinger",
    .image = "pinger.elf",
    .priority = 100,
    .stack = 0x4000,
    .memory = 0x40000,
};

int ipc_bench_run(broker_t *b, const void *image, size_t size, const char *platform)
{
    kaal_obj_t ep;
    spawn_problem_t why;
    if (untyped_alloc(&b->mem, seL4_EndpointObject, 0, &ep) != KAAL_OK ||
        spawn_build(b, &comp, &pinger, 1, image, size, ep.cap, &why) != KAAL_OK || spawn_start(b, &comp) != KAAL_OK) {
        rt_printf("bench: the pinger did not start\n");
        return 1;
    }
    seL4_Word badge, raw = 0, kaal = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep.cap, &badge);
    for (;;) {
        seL4_Word label = seL4_MessageInfo_get_label(info);
        if (badge != 1 || label == KAAL_RPC_EXIT) {
            break; /* done, or a fault */
        }
        seL4_MessageInfo_t answer = seL4_MessageInfo_new(0, 0, 0, 1);
        if (label == BENCH_IPC_REPORT) {
            raw = seL4_GetMR(0);
            kaal = seL4_GetMR(1);
        } else if (label != BENCH_IPC_RAW) {
            answer = rpc_serve(b, &comp, info);
        }
        info = seL4_ReplyRecv(ep.cap, answer, &badge);
    }
    int ok = badge == 1 && seL4_MessageInfo_get_label(info) == KAAL_RPC_EXIT && seL4_GetMR(0) == 0 && raw > 0;
    spawn_destroy(b, &comp);
    if (!ok) {
        rt_printf("bench: the pinger failed (badge %lx)\n", (unsigned long)badge);
        return 1;
    }
    rt_printf("{\"bench\":\"ipc_round_trip\",\"platform\":\"%s\",\"calls\":%d,\"median_ticks_raw\":%lu,"
              "\"median_ticks_kaal\":%lu",
              platform, BENCH_IPC_CALLS * BENCH_IPC_BATCHES, (unsigned long)raw, (unsigned long)kaal);
    bench_print_overhead(raw, kaal);
    return untyped_free(&b->mem, &ep) != KAAL_OK;
}
