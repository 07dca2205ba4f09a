/* The channel benchmark as a seL4 root task, with the streamer image from the boot archive. */
#include <kaal/cpio.h>
#include "channel_bench.h"

int kaal_image_main(seL4_BootInfo *bi);

extern const char _binary_boot_cpio_start[], _binary_boot_cpio_end[];
static broker_t broker;

int kaal_image_main(seL4_BootInfo *bi)
{
    cpio_entry_t streamer;
    if (broker_init(&broker, bi, NULL) != KAAL_OK ||
        cpio_find(_binary_boot_cpio_start, (size_t)(_binary_boot_cpio_end - _binary_boot_cpio_start),
                  "streamer.elf", &streamer) != 1) {
        return 1;
    }
    /* Under QEMU with -icount shift=0 a TSC tick is one instruction and one ns of
     * virtual time: rates are per second of that time. */
    return channel_bench_run(&broker, streamer.data, streamer.size, 1000, "qemu");
}
