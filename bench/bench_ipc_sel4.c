/* The IPC round-trip benchmark as a seL4 root task, with the pinger image from the boot archive. */
#include "bench_sel4.h"
#include "ipc_bench.h"

static broker_t broker;

int kaal_image_main(seL4_BootInfo *bi)
{
    cpio_entry_t pinger;
    if (!bench_sel4_setup(&broker, bi, "pinger.elf", &pinger)) {
        return 1;
    }
    return ipc_bench_run(&broker, pinger.data, pinger.size, "qemu");
}
