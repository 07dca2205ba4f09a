/*
 * The channel benchmark's component (bench/channel_bench.c spawns two, one
 * at each end of a channel). For each record size it runs batches of
 * BENCH_CHANNEL_RECORDS records two ways over the channel's frames, in
 * turn, so that drift in the machine's load hits both alike:
 *
 *  - kaal: the writer sends with kaal_channel_send, the reader takes with
 *    kaal_channel_recv, sleeping on its notification when the ring is empty;
 *  - raw: the same records through the least a seL4 programmer would write
 *    for the job (the raw ring below), over the same frames and caps.
 *
 * The reader checks every record's sequence number, times each batch from
 * its first record to its last, and reports the median TSC ticks per record
 * of each way. Both ends meet at a barrier in the bench's server between
 * batches: the two rings share the frames, so one must be idle, and the raw
 * ring reset, before the other starts.
 */
#include <kaal/ring.h>
#include <kaal/runtime.h>
#include "../../bench/bench_channel.h"
#include "../../bench/bench_util.h"

static uint64_t record[BENCH_CHANNEL_MAX_RECORD / sizeof(uint64_t)];

/* ---- kaal: the channel API ---------------------------------------------- */

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

/* ---- raw: a hand-written ring straight over seL4 ------------------------
 *
 * sDDF-style: fixed-size slots, a head counter only the writer moves and a
 * tail counter only the reader moves, each side's "may be asleep" flag, a
 * full fence between publishing a counter and looking at the peer's flag,
 * seL4_Signal on the peer's cap only when the flag was up, seL4_Wait on our
 * own notification. It sits in the channel's frames past kaal's ring header,
 * so kaal's ring keeps its own state from batch to batch.
 */
typedef struct {
    volatile uint64_t head; /* records written */
    uint8_t pad0[56];
    volatile uint64_t tail; /* records read */
    volatile uint32_t reader_asleep, writer_asleep;
    uint8_t pad1[48];
    uint64_t slots[]; /* slot k at slots[k * record words] */
} raw_ring_t;

static raw_ring_t *raw_ring(const kaal_channel_grant_t *ch)
{
    return (raw_ring_t *)(ch->vaddr + RING_HEADER);
}

static size_t raw_slots(const kaal_channel_grant_t *ch, size_t len)
{
    return (ch->size - RING_HEADER - sizeof(raw_ring_t)) / len;
}

/* A record is whole words, so the copy is a word loop (there is no libc). */
static void raw_copy(uint64_t *restrict d, const uint64_t *restrict s, size_t len)
{
    for (size_t i = 0; i < len / sizeof(uint64_t); i++) {
        d[i] = s[i];
    }
}

static int raw_full(const raw_ring_t *q, uint64_t head, size_t nslots)
{
    return head - __atomic_load_n(&q->tail, __ATOMIC_ACQUIRE) == nslots;
}

static int raw_empty(const raw_ring_t *q, uint64_t tail)
{
    return __atomic_load_n(&q->head, __ATOMIC_ACQUIRE) == tail;
}

static void raw_wait(void)
{
    seL4_Word bits;
    seL4_Wait(KAAL_CAP_NTFN, &bits);
}

/* After publishing a counter: signal the peer if its flag says it may be asleep. */
static void raw_wake(volatile uint32_t *peer_asleep, seL4_CPtr peer)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (*peer_asleep) {
        *peer_asleep = 0;
        seL4_Signal(peer);
    }
}

/* Before sleeping, each side raises its flag and looks again: a peer that
 * moved meanwhile either shows in that second look or sees the flag. */
static void raw_write_all(const kaal_channel_grant_t *ch, size_t len)
{
    raw_ring_t *q = raw_ring(ch);
    size_t nslots = raw_slots(ch, len), at = 0;
    uint64_t head = 0;
    for (uint64_t i = 0; i < BENCH_CHANNEL_RECORDS; i++) {
        while (raw_full(q, head, nslots)) {
            q->writer_asleep = 1;
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            if (raw_full(q, head, nslots)) {
                raw_wait();
            } else {
                q->writer_asleep = 0;
            }
        }
        record[0] = i;
        raw_copy(q->slots + at * (len / sizeof(uint64_t)), record, len);
        at = at + 1 == nslots ? 0 : at + 1;
        __atomic_store_n(&q->head, ++head, __ATOMIC_RELEASE);
        raw_wake(&q->reader_asleep, ch->signal);
    }
}

/* Ticks per record, timed as read_all times them; the record numbers must arrive in order. */
static uint64_t raw_read_all(const kaal_channel_grant_t *ch, size_t len, int *bad)
{
    raw_ring_t *q = raw_ring(ch);
    size_t nslots = raw_slots(ch, len), at = 0;
    uint64_t tail = 0, t0 = 0;
    for (uint64_t i = 0; i < BENCH_CHANNEL_RECORDS;) {
        if (raw_empty(q, tail)) {
            q->reader_asleep = 1;
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            if (raw_empty(q, tail)) {
                raw_wait();
            } else {
                q->reader_asleep = 0;
            }
            continue;
        }
        raw_copy(record, q->slots + at * (len / sizeof(uint64_t)), len);
        at = at + 1 == nslots ? 0 : at + 1;
        __atomic_store_n(&q->tail, ++tail, __ATOMIC_RELEASE);
        raw_wake(&q->writer_asleep, ch->signal);
        if (i == 0) {
            t0 = bench_rdtsc();
        }
        *bad |= record[0] != i;
        i++;
    }
    return (bench_rdtsc() - t0) / (BENCH_CHANNEL_RECORDS - 1);
}

/* Called by the reader while both rings are idle: the raw ring starts empty. */
static void raw_reset(const kaal_channel_grant_t *ch)
{
    raw_ring_t *q = raw_ring(ch);
    q->head = q->tail = 0;
    q->reader_asleep = q->writer_asleep = 0;
}

/* ---- the run ------------------------------------------------------------ */

/* Waits until the other end has called barrier(n) too. */
static void barrier(seL4_Word n)
{
    seL4_SetMR(0, n);
    seL4_Call(KAAL_CAP_BROKER, seL4_MessageInfo_new(BENCH_CHANNEL_BARRIER, 0, 0, 1));
}

static uint64_t median(uint64_t *v, int n)
{
    bench_sort(v, n);
    return v[n / 2];
}

int component_main(const kaal_info_t *info)
{
    static const size_t sizes[] = {BENCH_CHANNEL_SMALL_RECORD, BENCH_CHANNEL_MAX_RECORD};
    const kaal_channel_grant_t *out = kaal_channel("reader", KAAL_CHANNEL_WRITER);
    const kaal_channel_grant_t *in = kaal_channel("writer", KAAL_CHANNEL_READER);
    (void)info;
    if (!out == !in) {
        return 1;
    }
    int bad = 0;
    seL4_Word n = 0;
    for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        uint64_t raw[BENCH_CHANNEL_BATCHES], kaal[BENCH_CHANNEL_BATCHES];
        for (int b = 0; b < BENCH_CHANNEL_BATCHES; b++) {
            if (in) {
                raw_reset(in);
            }
            barrier(n++);
            if (out) {
                raw_write_all(out, sizes[k]);
            } else {
                raw[b] = raw_read_all(in, sizes[k], &bad);
            }
            barrier(n++);
            if (out) {
                write_all(out, sizes[k]);
            } else {
                kaal[b] = read_all(in, sizes[k], &bad);
            }
        }
        if (in) {
            seL4_SetMR(0, sizes[k]);
            seL4_SetMR(1, median(raw, BENCH_CHANNEL_BATCHES));
            seL4_SetMR(2, median(kaal, BENCH_CHANNEL_BATCHES));
            seL4_Call(KAAL_CAP_BROKER, seL4_MessageInfo_new(BENCH_CHANNEL_REPORT, 0, 0, 3));
        }
    }
    return bad;
}
