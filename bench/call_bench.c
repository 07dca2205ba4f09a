/*
 * Protected calls between two components (components/caller says what it
 * times): a client and a server joined by a call, raw seL4_Call and
 * seL4_ReplyRecv against kaal_call and the event loop. This root task only
 * builds them, serves their RPC (opening the call) and takes the report.
 * The figures are TSC ticks per round trip (under QEMU with -icount shift=0,
 * instructions).
 */
#include <kaal/rt.h>
#include <kaal/spawn.h>
#include "bench_call.h"
#include "bench_util.h"
#include "call_bench.h"

static component_t comps[2]; /* [0] the server, [1] the client: badges 1 and 2 */
static channel_t call;

static const manifest_component_t callers[2] = {
    {.name = "callee", .image = "caller.elf", .priority = 100, .stack = 0x4000, .memory = 0x40000},
    {.name = "caller", .image = "caller.elf", .priority = 100, .stack = 0x4000, .memory = 0x40000},
};

static int build(broker_t *b, const void *image, size_t size, seL4_CPtr ep)
{
    spawn_problem_t why;
    for (unsigned i = 0; i < 2; i++) {
        if (spawn_build(b, &comps[i], &callers[i], i + 1, image, size, ep, &why) != KAAL_OK) {
            return 0;
        }
    }
    return call_create(&call, KAAL_ENDPOINT_SEND) == KAAL_OK && channel_connect(b, &call, &comps[1], &comps[0]) ==
           KAAL_OK && spawn_start(b, &comps[0]) == KAAL_OK && spawn_start(b, &comps[1]) == KAAL_OK;
}

int call_bench_run(broker_t *b, const void *image, size_t size, const char *platform)
{
    kaal_obj_t ep;
    if (untyped_alloc(&b->mem, seL4_EndpointObject, 0, &ep) != KAAL_OK || !build(b, image, size, ep.cap)) {
        rt_printf("bench: the callers did not start\n");
        return 1;
    }
    seL4_Word badge, raw = 0, kaal = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep.cap, &badge);
    for (;;) {
        seL4_Word label = seL4_MessageInfo_get_label(info);
        if ((badge != 1 && badge != 2) || label == KAAL_RPC_EXIT) {
            break; /* the client is done, or a fault */
        }
        seL4_MessageInfo_t answer = seL4_MessageInfo_new(0, 0, 0, 0);
        if (label == BENCH_CALL_REPORT) {
            raw = seL4_GetMR(0);
            kaal = seL4_GetMR(1);
        } else {
            answer = rpc_serve(b, &comps[badge - 1], info);
        }
        info = seL4_ReplyRecv(ep.cap, answer, &badge);
    }
    int ok = badge == 2 && seL4_MessageInfo_get_label(info) == KAAL_RPC_EXIT && seL4_GetMR(0) == 0 && raw > 0;
    spawn_destroy(b, &comps[1]);
    spawn_destroy(b, &comps[0]);
    channel_destroy(b, &call);
    if (!ok) {
        rt_printf("bench: the caller failed (badge %lx)\n", (unsigned long)badge);
        return 1;
    }
    rt_printf("{\"bench\":\"call_round_trip\",\"platform\":\"%s\",\"calls\":%d,\"median_ticks_raw\":%lu,"
              "\"median_ticks_kaal\":%lu",
              platform, BENCH_CALL_CALLS * BENCH_CALL_BATCHES, (unsigned long)raw, (unsigned long)kaal);
    bench_print_overhead(raw, kaal);
    return untyped_free(&b->mem, &ep) != KAAL_OK;
}
