/* Shared by the benchmarks' seL4 root tasks: the broker, and a component
 * image from the boot archive linked into the image. */
#pragma once

#include <kaal/broker.h>
#include <kaal/cpio.h>

int kaal_image_main(seL4_BootInfo *bi);

extern const char _binary_boot_cpio_start[], _binary_boot_cpio_end[];

/* 1 when the broker is up and `name` is in the boot archive. */
static inline int bench_sel4_setup(broker_t *b, seL4_BootInfo *bi, const char *name, cpio_entry_t *image)
{
    return broker_init(b, bi, NULL) == KAAL_OK &&
           cpio_find(_binary_boot_cpio_start, (size_t)(_binary_boot_cpio_end - _binary_boot_cpio_start), name,
                     image) == 1;
}
