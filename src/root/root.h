/* The root task, common to both platforms: boot, then serve. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sel4/sel4.h>
#include <kaal/broker.h>
#include <kaal/manifest.h>

/* Runs the root task on the bootinfo and its boot archive (CPIO); returns its exit status (0: success). */
int root_main(const seL4_BootInfo *bi, const void *archive, size_t archive_size);

/* Parses (its tables in the broker's heap), checks and lists the system description from the
 * boot archive; NULL if it cannot start. */
const manifest_t *root_load_system(broker_t *b, const void *archive, size_t size);

/* Builds and starts the system's components, then serves them until the
 * system ends (its tasks have ended, or no component is left), stops its
 * services and checks that everything came back; returns the root task's
 * status: 0, or 1 if a component exited with a status other than 0, was
 * stopped by its fault policy or restart budget, or the accounting is off. */
int root_run_system(broker_t *b, const manifest_t *m, const void *archive, size_t size);

/* Checks memory and the board's devices with the broker's own means (board/<board>.c); 0 if all is well. */
int root_devices_check(broker_t *b);

/* Milliseconds since some fixed moment, for restart budgets (each platform's main defines it). */
uint64_t root_now_ms(void);

/* One line describing a fault message (the label and message registers just received). */
void root_fault_describe(seL4_MessageInfo_t info, char *buf, size_t size);
