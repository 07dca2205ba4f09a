/* The root task, common to both platforms: boot, then serve. */
#pragma once

#include <sel4/sel4.h>

#include <kaal/broker.h>

/* Runs the root task on the bootinfo; returns its exit status (0: success). */
int root_main(const seL4_BootInfo *bi);

/* Checks memory and devices with the broker's own means; 0 if all is well. */
int root_devices_check(broker_t *b);
