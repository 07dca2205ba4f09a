/* The VSpace benchmark on the sim: nanoseconds of host time. */
#include <stdio.h>
#include <kaal/rt.h>
#include <sel4/sim.h>
#include "bench_host.h"
#include "vspace_bench.h"

static broker_t broker;

int main(void)
{
    if (broker_init(&broker, sel4sim_boot(), NULL) != KAAL_OK) {
        return 1;
    }
    rt_set_putc(bench_putc);
    return vspace_bench_run(&broker, bench_now_ns, "sim", "ns");
}
