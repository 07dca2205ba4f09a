/* The root task, common to both platforms: boot, then serve. */
#pragma once

#include <sel4/sel4.h>

/* Runs the root task on the bootinfo; returns its exit status (0: success). */
int root_main(const seL4_BootInfo *bi);
