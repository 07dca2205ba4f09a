/*
 * The protected-call benchmark's component (bench/call_bench.c spawns two,
 * joined by a call): the one that is the call's server answers, the client
 * times round trips. Both ways use the same cap and endpoint, so they differ
 * only in the code around the system calls:
 *
 *  - raw: the client's seL4_Call, the server's own seL4_Recv/seL4_ReplyRecv
 *    loop, the least a seL4 programmer would write;
 *  - kaal: kaal_call, and the event loop's dispatch to a protected handler.
 *
 * The server serves raw until the client's BENCH_CALL_SWITCH, then from
 * kaal_run. The client reports the median TSC ticks per round trip of each.
 */
#include <kaal/runtime.h>
#include "../../bench/bench_call.h"
#include "../../bench/bench_util.h"

static seL4_MessageInfo_t echo(const kaal_channel_grant_t *caller, seL4_MessageInfo_t call)
{
    (void)caller;
    (void)call;
    return seL4_MessageInfo_new(0, 0, 0, 1); /* MR0 goes back as it came */
}

static int serve(void)
{
    seL4_Word badge;
    seL4_MessageInfo_t call = seL4_Recv(KAAL_CAP_INBOX, &badge);
    while (seL4_MessageInfo_get_label(call) == BENCH_CALL_ECHO) {
        call = seL4_ReplyRecv(KAAL_CAP_INBOX, seL4_MessageInfo_new(0, 0, 0, 1), &badge);
    }
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0)); /* the switch */
    return kaal_run(&(kaal_handlers_t){.protected = echo});
}

static uint64_t median(uint64_t *v, int n)
{
    bench_sort(v, n);
    return v[n / 2];
}

static int client(const kaal_channel_grant_t *server)
{
    uint64_t raw[BENCH_CALL_BATCHES], kaal[BENCH_CALL_BATCHES];
    int bad = 0;
    for (int k = 0; k < BENCH_CALL_BATCHES; k++) {
        uint64_t t0 = bench_rdtsc();
        for (int i = 0; i < BENCH_CALL_CALLS; i++) {
            seL4_SetMR(0, (seL4_Word)i);
            seL4_Call(server->signal, seL4_MessageInfo_new(BENCH_CALL_ECHO, 0, 0, 1));
            bad |= seL4_GetMR(0) != (seL4_Word)i;
        }
        raw[k] = (bench_rdtsc() - t0) / BENCH_CALL_CALLS;
    }
    seL4_Call(server->signal, seL4_MessageInfo_new(BENCH_CALL_SWITCH, 0, 0, 0));
    for (int k = 0; k < BENCH_CALL_BATCHES; k++) {
        uint64_t t0 = bench_rdtsc();
        for (int i = 0; i < BENCH_CALL_CALLS; i++) {
            seL4_SetMR(0, (seL4_Word)i);
            seL4_MessageInfo_t msg = seL4_MessageInfo_new(BENCH_CALL_ECHO, 0, 0, 1);
            bad |= kaal_call(server, &msg) != KAAL_OK || seL4_GetMR(0) != (seL4_Word)i;
        }
        kaal[k] = (bench_rdtsc() - t0) / BENCH_CALL_CALLS;
    }
    seL4_SetMR(0, median(raw, BENCH_CALL_BATCHES));
    seL4_SetMR(1, median(kaal, BENCH_CALL_BATCHES));
    seL4_Call(KAAL_CAP_BROKER, seL4_MessageInfo_new(BENCH_CALL_REPORT, 0, 0, 2));
    return bad;
}

int component_main(const kaal_info_t *info)
{
    for (uint32_t i = 0; i < info->nchannels; i++) {
        if (info->channels[i].role == KAAL_CALL_SERVER) {
            return serve();
        }
        if (info->channels[i].role == KAAL_CALL_CLIENT) {
            const kaal_channel_grant_t *server = kaal_channel_at(i);
            return server ? client(server) : 2;
        }
    }
    return 3;
}
