/* Simulated devices behind IO ports: a 16550 UART (COM1) and QEMU's debug-exit port. */
#pragma once

#include <stdint.h>

#define SIM_COM1_BASE 0x3f8
#define SIM_COM1_PIN 4 /* ISA IRQ 4, IOAPIC pin 4 */
#define SIM_DEBUG_EXIT_PORT 0xf4
#define SIM_PIT_BASE 0x40 /* channels 0-2 at 0x40-0x42, command at 0x43 */
#define SIM_PIT_PIN 2      /* the PIT's ISA IRQ 0 arrives on IOAPIC pin 2 */

#define SIM_HPET_PADDR 0xfed00000ul

/* Called with the kernel lock held, for ports an IOPort cap allows. */
void device_out(uint16_t port, unsigned width, uint32_t value);
uint32_t device_in(uint16_t port, unsigned width);

/* Memory-mapped device registers: the host file and offset that back the
 * device page at paddr, or -1 if no simulated device answers there. */
int device_mmio_fd(unsigned long paddr, long *offset);
