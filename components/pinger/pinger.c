/*
 * The IPC round-trip benchmark's component (bench/ipc_bench.c spawns it):
 * from its own address space it calls the broker's endpoint again and
 * again, first with a label the bench's server answers at once (a bare
 * seL4_Call / seL4_ReplyRecv round trip), then through the kaal RPC stub
 * (kaal_ping: the stub, and the broker's checks and dispatch in rpc_serve).
 * It times batches with the TSC and reports the median of each.
 */
#include <kaal/runtime.h>
#include "../../bench/bench_ipc.h"
#include "../../bench/bench_util.h"

static uint64_t median(uint64_t *v, int n)
{
    bench_sort(v, n);
    return v[n / 2];
}

static uint64_t raw_batch(void)
{
    uint64_t t0 = bench_rdtsc();
    for (int i = 0; i < BENCH_IPC_CALLS; i++) {
        seL4_SetMR(0, (seL4_Word)i);
        seL4_Call(KAAL_CAP_BROKER, seL4_MessageInfo_new(BENCH_IPC_RAW, 0, 0, 1));
    }
    return (bench_rdtsc() - t0) / BENCH_IPC_CALLS;
}

static uint64_t kaal_batch(int *bad)
{
    uint64_t t0 = bench_rdtsc();
    for (int i = 0; i < BENCH_IPC_CALLS; i++) {
        *bad |= kaal_ping((seL4_Word)i, 0) != KAAL_OK;
    }
    return (bench_rdtsc() - t0) / BENCH_IPC_CALLS;
}

int component_main(const kaal_info_t *info)
{
    (void)info;
    uint64_t raw[BENCH_IPC_BATCHES], kaal[BENCH_IPC_BATCHES];
    int bad = 0;
    for (int k = 0; k < BENCH_IPC_BATCHES; k++) { /* interleaved, so drift hits both alike */
        raw[k] = raw_batch();
        kaal[k] = kaal_batch(&bad);
    }
    seL4_SetMR(0, median(raw, BENCH_IPC_BATCHES));
    seL4_SetMR(1, median(kaal, BENCH_IPC_BATCHES));
    seL4_Call(KAAL_CAP_BROKER, seL4_MessageInfo_new(BENCH_IPC_REPORT, 0, 0, 2));
    return bad;
}
