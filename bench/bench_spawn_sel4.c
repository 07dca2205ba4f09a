/* The spawn benchmark as a seL4 root task: TSC cycles (under QEMU with
 * -icount shift=0 the TSC counts instructions), with the client image from
 * the boot archive linked into this image. */
#include <kaal/cpio.h>
#include <kaal/rt.h>
#include "bench_util.h"
#include "spawn_bench.h"

int kaal_image_main(seL4_BootInfo *bi);

extern const char _binary_boot_cpio_start[], _binary_boot_cpio_end[];
static broker_t broker;

int kaal_image_main(seL4_BootInfo *bi)
{
    cpio_entry_t client;
    if (broker_init(&broker, bi, NULL) != KAAL_OK ||
        cpio_find(_binary_boot_cpio_start, (size_t)(_binary_boot_cpio_end - _binary_boot_cpio_start), "client.elf",
                  &client) != 1) {
        return 1;
    }
    return spawn_bench_run(&broker, client.data, client.size, bench_rdtsc, "qemu", "cycles");
}
