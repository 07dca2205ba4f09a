/* The spawn benchmark on the sim: nanoseconds of host time, with the client image the build made. */
#include <stdio.h>
#include <kaal/rt.h>
#include <sel4/sim.h>
#include "bench_host.h"
#include "spawn_bench.h"

static broker_t broker;
static char image[1 << 20];

int main(void)
{
    size_t size = bench_read_file(KAAL_CLIENT_IMAGE, image, sizeof(image));
    if (size == 0) {
        return 1;
    }
    if (broker_init(&broker, sel4sim_boot(), NULL) != KAAL_OK) {
        return 1;
    }
    rt_set_putc(bench_putc);
    return spawn_bench_run(&broker, image, size, bench_now_ns, "sim", "ns");
}
