/* The conformance suite on the sim: boot the simulated machine, run every case. */
#include <kaal/rt.h>
#include <sel4/sim.h>
#include "harness.h"

int main(void)
{
    seL4_BootInfo *bi = sel4sim_boot();
    rt_set_putc(seL4_DebugPutChar);
    return conf_run_all(bi) == 0 ? 0 : 1;
}
