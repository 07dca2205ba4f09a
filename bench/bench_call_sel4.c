/* The protected-call benchmark as a seL4 root task, with the caller image from the boot archive. */
#include "bench_sel4.h"
#include "call_bench.h"

static broker_t broker;

int kaal_image_main(seL4_BootInfo *bi)
{
    cpio_entry_t caller;
    if (!bench_sel4_setup(&broker, bi, "caller.elf", &caller)) {
        return 1;
    }
    return call_bench_run(&broker, caller.data, caller.size, "qemu");
}
