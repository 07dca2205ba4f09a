/* The spawn benchmark as a seL4 root task: TSC cycles (under QEMU with
 * -icount shift=0 the TSC counts instructions), with the client image from
 * the boot archive linked into this image. */
#include "bench_sel4.h"
#include <kaal/rt.h>
#include "bench_util.h"
#include "spawn_bench.h"

static broker_t broker;

int kaal_image_main(seL4_BootInfo *bi)
{
    cpio_entry_t client;
    if (!bench_sel4_setup(&broker, bi, "client.elf", &client)) {
        return 1;
    }
    return spawn_bench_run(&broker, client.data, client.size, bench_rdtsc, "qemu", "cycles");
}
