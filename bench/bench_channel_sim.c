/*
 * The channel benchmark on the sim, and its baseline measured in the same
 * run: two host processes handing each record over through shared memory,
 * one futex ping-pong per record (copy in, wake the other, copy out, wake
 * back). Both in TSC ticks, with records and MB per second from the TSC's
 * rate against the host clock.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <kaal/rt.h>
#include <sel4/sim.h>
#include "bench_channel.h"
#include "bench_host.h"
#include "bench_util.h"
#include "channel_bench.h"

static broker_t broker;
static char image[1 << 20];

typedef struct {
    uint32_t turn; /* 1: a record is there for the reader; 0: the writer's turn */
    char record[BENCH_CHANNEL_MAX_RECORD];
} handoff_t;

static uint64_t futex_handoff(handoff_t *h, size_t size)
{
    static char out[BENCH_CHANNEL_MAX_RECORD], in[BENCH_CHANNEL_MAX_RECORD];
    h->turn = 0;
    pid_t child = fork();
    if (child == 0) {
        for (int i = 0; i < BENCH_CHANNEL_RECORDS; i++) {
            bench_futex_wait_while(&h->turn, 0);
            memcpy(in, h->record, size);
            bench_futex_set(&h->turn, 0);
        }
        _exit(0);
    }
    uint64_t t0 = bench_rdtsc();
    for (int i = 0; i < BENCH_CHANNEL_RECORDS; i++) {
        out[0] = (char)i;
        bench_futex_wait_while(&h->turn, 1);
        memcpy(h->record, out, size);
        bench_futex_set(&h->turn, 1);
    }
    bench_futex_wait_while(&h->turn, 1);
    uint64_t ticks = (bench_rdtsc() - t0) / BENCH_CHANNEL_RECORDS;
    waitpid(child, NULL, 0);
    return ticks;
}

static uint64_t tsc_per_us(void)
{
    uint64_t n0 = bench_now_ns(), t0 = bench_rdtsc();
    while (bench_now_ns() - n0 < 50 * 1000 * 1000) {
    }
    return (bench_rdtsc() - t0) * 1000 / (bench_now_ns() - n0);
}

int main(void)
{
    size_t size = bench_read_file(KAAL_STREAMER_IMAGE, image, sizeof(image));
    handoff_t *h = mmap(NULL, sizeof(handoff_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (size == 0 || h == MAP_FAILED || broker_init(&broker, sel4sim_boot(), NULL) != KAAL_OK) {
        return 1;
    }
    uint64_t rate = tsc_per_us();
    static const size_t sizes[] = {BENCH_CHANNEL_SMALL_RECORD, BENCH_CHANNEL_MAX_RECORD};
    for (unsigned k = 0; k < 2; k++) {
        uint64_t ticks = futex_handoff(h, sizes[k]);
        printf("{\"bench\":\"channel_baseline\",\"platform\":\"host\",\"what\":\"futex ping-pong per record between "
               "two processes\",\"record_bytes\":%zu,\"records\":%d,\"ticks_per_record\":%lu,\"records_per_s\":%lu,"
               "\"mb_per_s\":%lu}\n",
               sizes[k], BENCH_CHANNEL_RECORDS, (unsigned long)ticks, (unsigned long)(rate * 1000000 / ticks),
               (unsigned long)(rate * sizes[k] / ticks));
    }
    rt_set_putc(bench_putc);
    return channel_bench_run(&broker, image, size, rate, "sim");
}
