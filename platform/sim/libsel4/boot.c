/* Booting the sim, and the bootinfo the root task was started with. */
#include <sel4/sel4.h>
#include <sel4/sim.h>
#include "../kernel/sim_internal.h"

static seL4_BootInfo *bootinfo;

void seL4_InitBootInfo(seL4_BootInfo *bi)
{
    bootinfo = bi;
}

seL4_BootInfo *seL4_GetBootInfo(void)
{
    return bootinfo;
}

seL4_BootInfo *sel4sim_boot(void)
{
    seL4_BootInfo *bi = sim_boot_kernel();
    seL4_InitBootInfo(bi);
    return bi;
}
