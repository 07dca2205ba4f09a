/*
 * The IPC round-trip benchmark on the sim, and its baseline: the same
 * number of round trips between two host processes that hand a word back
 * and forth with futexes, as the sim's own process-to-process step does.
 * Both in TSC ticks, in the same run.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <kaal/rt.h>
#include <sel4/sim.h>
#include "bench_host.h"
#include "bench_ipc.h"
#include "bench_util.h"
#include "ipc_bench.h"

static broker_t broker;
static char image[1 << 20];

/* Round trips between this process and a child: the turn word goes 0 (child's) -> 1 (ours) -> 0. */
static int futex_baseline(void)
{
    volatile uint32_t *turn = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (turn == MAP_FAILED) {
        return 1;
    }
    int n = BENCH_IPC_CALLS * BENCH_IPC_BATCHES;
    *turn = 1;
    pid_t child = fork();
    if (child == 0) {
        for (int i = 0; i < n; i++) {
            bench_futex_wait_while(turn, 1);
            bench_futex_set(turn, 1);
        }
        _exit(0);
    }
    uint64_t batch[BENCH_IPC_BATCHES];
    for (int k = 0; k < BENCH_IPC_BATCHES; k++) {
        uint64_t t0 = bench_rdtsc();
        for (int i = 0; i < BENCH_IPC_CALLS; i++) {
            bench_futex_set(turn, 0);
            bench_futex_wait_while(turn, 0);
        }
        batch[k] = (bench_rdtsc() - t0) / BENCH_IPC_CALLS;
    }
    waitpid(child, NULL, 0);
    bench_sort(batch, BENCH_IPC_BATCHES);
    printf("{\"bench\":\"ipc_round_trip_baseline\",\"platform\":\"host\",\"what\":\"futex ping-pong between two "
           "processes\",\"calls\":%d,\"median_ticks\":%lu}\n",
           n, (unsigned long)batch[BENCH_IPC_BATCHES / 2]);
    return 0;
}

int main(void)
{
    size_t size = bench_read_file(KAAL_PINGER_IMAGE, image, sizeof(image));
    if (size == 0) {
        return 1;
    }
    if (futex_baseline() != 0 || broker_init(&broker, sel4sim_boot(), NULL) != KAAL_OK) {
        return 1;
    }
    rt_set_putc(bench_putc);
    return ipc_bench_run(&broker, image, size, "sim");
}
