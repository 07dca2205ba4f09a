/* The root task, common to both platforms: boot, then serve. */
#pragma once

#include <sel4/sel4.h>

#include <kaal/broker.h>

#include <stddef.h>

/* Runs the root task on the bootinfo and its boot archive (CPIO); returns its exit status (0: success). */
int root_main(const seL4_BootInfo *bi, const void *archive, size_t archive_size);

/* Parses, checks and lists the system description from the boot archive; 0 if it can start. */
int root_load_system(const seL4_BootInfo *bi, const void *archive, size_t size);

/* Checks memory and devices with the broker's own means; 0 if all is well. */
int root_devices_check(broker_t *b);
