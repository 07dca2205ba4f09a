/*
 * The sim's one addition to the libsel4 API: booting the simulated machine.
 * A program written against libsel4 calls sel4sim_boot() first; it returns the
 * bootinfo the kernel hands the root task and makes the calling host thread
 * the root thread (its IPC buffer set, its CSpace the root CNode).
 */
#pragma once

#include <sel4/sel4.h>

seL4_BootInfo *sel4sim_boot(void);
