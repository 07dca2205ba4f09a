/* Leaving QEMU with a status: the isa-debug-exit device on IO port 0xf4. */
#pragma once

#include <sel4/sel4.h>

/* Writes status to the debug-exit port (QEMU exits with (status << 1) | 1)
 * using an IO port cap issued from seL4_CapIOPortControl into an empty slot.
 * If QEMU has no such device, the thread stops by suspending itself. */
void qemu_exit(const seL4_BootInfo *bi, int status) __attribute__((noreturn));
