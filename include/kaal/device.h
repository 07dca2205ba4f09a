/* Devices: IO port ranges, interrupts, and memory-mapped registers. */
#pragma once

#include <sel4/sel4.h>
#include <kaal/broker.h>

/* An IO port cap for [first, last] in a new slot (x86 only: KAAL_E_KERNEL elsewhere). */
kaal_err_t device_ioport(broker_t *b, seL4_Word first, seL4_Word last, seL4_CPtr *cap);

/* A handler for interrupt `irq` (include/kaal/arch.h: an IOAPIC pin, edge-triggered and active
 * high, on x86_64), signalling `ntfn` when it fires; its cap in a new slot. */
kaal_err_t device_irq(broker_t *b, seL4_Word irq, seL4_CPtr ntfn, seL4_CPtr *handler);

/* Maps [paddr, paddr + size) of device memory, uncached, at the page-aligned
 * vaddr in vs; *regs is where paddr itself appears (the page offset is kept).
 * Frames are made from the device untypeds and recorded in frames[]. */
kaal_err_t device_mmio_map(broker_t *b, vspace_t *vs, seL4_Word paddr, seL4_Word size, seL4_Word vaddr,
                           kaal_obj_t *frames, unsigned max_frames, volatile void **regs);
