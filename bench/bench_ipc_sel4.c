/* The IPC round-trip benchmark as a seL4 root task, with the pinger image from the boot archive. */
#include <kaal/cpio.h>
#include "ipc_bench.h"

int kaal_image_main(seL4_BootInfo *bi);

extern const char _binary_boot_cpio_start[], _binary_boot_cpio_end[];
static broker_t broker;

int kaal_image_main(seL4_BootInfo *bi)
{
    cpio_entry_t pinger;
    if (broker_init(&broker, bi, NULL) != KAAL_OK ||
        cpio_find(_binary_boot_cpio_start, (size_t)(_binary_boot_cpio_end - _binary_boot_cpio_start), "pinger.elf",
                  &pinger) != 1) {
        return 1;
    }
    return ipc_bench_run(&broker, pinger.data, pinger.size, "qemu");
}
