/* The VSpace benchmark on the sim: nanoseconds of host time. */
#include <stdio.h>
#include <time.h>
#include <kaal/rt.h>
#include <sel4/sim.h>
#include "vspace_bench.h"

static broker_t broker;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void out(char c)
{
    putchar(c);
}

int main(void)
{
    if (broker_init(&broker, sel4sim_boot(), NULL) != KAAL_OK) {
        return 1;
    }
    rt_set_putc(out);
    return vspace_bench_run(&broker, now_ns, "sim", "ns");
}
