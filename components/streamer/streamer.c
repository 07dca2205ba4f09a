/*
 * The channel benchmark's component (bench/channel_bench.c spawns two, one
 * at each end of a channel): the writer sends BENCH_CHANNEL_RECORDS records
 * of each size through kaal_channel_send, the reader takes them with
 * kaal_channel_recv, sleeping on its notification when the ring is empty,
 * and reports the TSC ticks per record from its first record to its last.
 */
#include <kaal/runtime.h>
#include "../../bench/bench_channel.h"
#include "../../bench/bench_util.h"

static uint64_t record[BENCH_CHANNEL_MAX_RECORD / sizeof(uint64_t)];

static void write_all(const kaal_channel_grant_t *ch, size_t len)
{
    for (uint64_t i = 0; i < BENCH_CHANNEL_RECORDS; i++) {
        record[0] = i;
        kaal_channel_send(ch, record, len);
    }
}

/* Ticks per record; the record numbers must arrive in order. */
static uint64_t read_all(const kaal_channel_grant_t *ch, size_t len, int *bad)
{
    uint64_t t0 = 0;
    for (uint64_t i = 0; i < BENCH_CHANNEL_RECORDS;) {
        if (kaal_channel_recv(ch, record, len)) {
            if (i == 0) {
                t0 = bench_rdtsc();
            }
            *bad |= record[0] != i;
            i++;
        } else if (kaal_channel_sleep_ok(ch)) {
            kaal_wait();
        }
    }
    return (bench_rdtsc() - t0) / (BENCH_CHANNEL_RECORDS - 1);
}

int component_main(const kaal_info_t *info)
{
    static const size_t sizes[] = {BENCH_CHANNEL_SMALL_RECORD, BENCH_CHANNEL_MAX_RECORD};
    const kaal_channel_grant_t *out = kaal_channel("reader", KAAL_CHANNEL_WRITER);
    const kaal_channel_grant_t *in = kaal_channel("writer", KAAL_CHANNEL_READER);
    int bad = 0;
    for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        if (out) {
            write_all(out, sizes[k]);
        } else if (in) {
            seL4_SetMR(1, read_all(in, sizes[k], &bad));
            seL4_SetMR(0, sizes[k]);
            seL4_Call(KAAL_CAP_BROKER, seL4_MessageInfo_new(BENCH_CHANNEL_REPORT, 0, 0, 2));
        }
    }
    (void)info;
    return (out || in) && !bad ? 0 : 1;
}
