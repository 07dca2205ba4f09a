/* The root task on the sim: boot the simulated machine, then run as its root thread. */
#include <kaal/rt.h>
#include <sel4/sim.h>
#include "root.h"

int main(void)
{
    seL4_BootInfo *bi = sel4sim_boot();
    rt_set_putc(seL4_DebugPutChar);
    return root_main(bi);
}
