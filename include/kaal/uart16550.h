/*
 * A polled 16550 UART driver over an IO port cap: what the root task and the
 * serial driver component use to write to a PC serial port themselves.
 */
#pragma once

#include <sel4/sel4.h>

#define UART16550_COM1 0x3f8
#define UART16550_PORTS 8
#define UART16550_IER_THRE 0x02 /* interrupt when the transmitter is empty */

typedef struct uart16550 {
    seL4_CPtr port; /* an IO port cap covering base..base+7 */
    seL4_Word base;
} uart16550_t;

/* Takes the UART with its line settings as they are, interrupts off. */
seL4_Error uart16550_init(uart16550_t *u, seL4_CPtr port, seL4_Word base);
/* Writes a character, waiting for the transmitter; "\n" goes out as "\r\n". */
seL4_Error uart16550_putc(uart16550_t *u, char c);
seL4_Error uart16550_puts(uart16550_t *u, const char *s);
/* Sets the interrupt-enable register. */
seL4_Error uart16550_set_interrupts(uart16550_t *u, seL4_Word ier);
/* Reads and drops every received byte waiting; returns how many. */
unsigned long uart16550_drain_input(uart16550_t *u);
/* Reads the interrupt-identification register (reading clears a transmit-empty interrupt). */
seL4_Word uart16550_interrupt_id(uart16550_t *u);
