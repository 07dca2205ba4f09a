/* The VSpace benchmark as a seL4 root task: TSC cycles (under QEMU with
 * -icount shift=0 the TSC counts instructions, so figures repeat). */
#include <kaal/rt.h>
#include "bench_util.h"
#include "vspace_bench.h"

int kaal_image_main(seL4_BootInfo *bi);

static broker_t broker;

int kaal_image_main(seL4_BootInfo *bi)
{
    if (broker_init(&broker, bi, NULL) != KAAL_OK) {
        return 1;
    }
    return vspace_bench_run(&broker, bench_rdtsc, "qemu", "cycles");
}
