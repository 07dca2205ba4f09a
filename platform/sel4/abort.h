/* How an image stops when it cannot go on (a failed assertion): each start file defines it for its kind. */
#pragma once

/*
 * The root task (start.c): ends the run, leaving QEMU with IMAGE_ABORT_STATUS.
 * A component (component_start.c): traps, so that the broker gets a fault
 * (a user exception) and applies the component's fault policy.
 */
void image_abort(void) __attribute__((noreturn));

#define IMAGE_ABORT_STATUS 3
