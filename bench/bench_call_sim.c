/* The protected-call benchmark on the sim. */
#include <kaal/rt.h>
#include <sel4/sim.h>
#include "bench_host.h"
#include "call_bench.h"

static broker_t broker;
static char image[1 << 20];

int main(void)
{
    size_t size = bench_read_file(KAAL_CALLER_IMAGE, image, sizeof(image));
    if (size == 0 || broker_init(&broker, sel4sim_boot(), NULL) != KAAL_OK) {
        return 1;
    }
    rt_set_putc(bench_putc);
    return call_bench_run(&broker, image, size, "sim");
}
