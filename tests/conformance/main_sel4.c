/* The conformance suite as a seL4 root task. */
#include "harness.h"

int kaal_image_main(seL4_BootInfo *bi);

int kaal_image_main(seL4_BootInfo *bi)
{
    return conf_run_all(bi) == 0 ? 0 : 1;
}
