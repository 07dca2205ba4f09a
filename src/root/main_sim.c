/* The root task on the sim: boot the simulated machine, then run as its root
 * thread, with the boot archive read from the build directory. */
#include <stdio.h>
#include <stdlib.h>
#include <kaal/rt.h>
#include <sel4/sim.h>
#include "root.h"

int main(void)
{
    seL4_BootInfo *bi = sel4sim_boot();
    rt_set_putc(seL4_DebugPutChar);
    /* The build's archive, unless the environment names another (the system tests do). */
    const char *path = getenv("KAAL_BOOT_ARCHIVE") ? getenv("KAAL_BOOT_ARCHIVE") : KAAL_BOOT_ARCHIVE;
    static char archive[1 << 20];
    FILE *f = fopen(path, "rb");
    size_t size = f ? fread(archive, 1, sizeof(archive), f) : 0;
    if (!f) {
        perror(path);
        return 1;
    }
    fclose(f);
    return root_main(bi, archive, size);
}
