/* The root task on real seL4: platform/sel4's entry calls this with the kernel's bootinfo. */
#include "root.h"

int kaal_image_main(seL4_BootInfo *bi);

int kaal_image_main(seL4_BootInfo *bi)
{
    return root_main(bi);
}
