/* The channel benchmark as a seL4 root task, with the streamer image from the boot archive. */
#include "bench_sel4.h"
#include "channel_bench.h"

static broker_t broker;

int kaal_image_main(seL4_BootInfo *bi)
{
    cpio_entry_t streamer;
    if (!bench_sel4_setup(&broker, bi, "streamer.elf", &streamer)) {
        return 1;
    }
    /* Under QEMU with -icount shift=0 a TSC tick is one instruction and one ns of
     * virtual time: rates are per second of that time. */
    return channel_bench_run(&broker, streamer.data, streamer.size, 1000, "qemu");
}
