/* The root task on real seL4: platform/sel4's entry calls this with the kernel's bootinfo. */
#include "root.h"

int kaal_image_main(seL4_BootInfo *bi);

/* The boot archive, linked into the image (objcopy names its bounds after the file). */
extern const char _binary_boot_cpio_start[], _binary_boot_cpio_end[];

int kaal_image_main(seL4_BootInfo *bi)
{
    return root_main(bi, _binary_boot_cpio_start, (size_t)(_binary_boot_cpio_end - _binary_boot_cpio_start));
}
