/* A polled 16550 UART driver over an IO port cap. */
#include <kaal/uart16550.h>

enum { THR = 0, IER = 1, IIR = 2, LSR = 5 };
#define LSR_DR 0x01 /* a received byte is waiting */
#define LSR_THRE 0x20
#define RBR 0

seL4_Error uart16550_init(uart16550_t *u, seL4_CPtr port, seL4_Word base)
{
    u->port = port;
    u->base = base;
    return uart16550_set_interrupts(u, 0);
}

seL4_Error uart16550_set_interrupts(uart16550_t *u, seL4_Word ier)
{
    return seL4_X86_IOPort_Out8(u->port, u->base + IER, ier);
}

seL4_Word uart16550_interrupt_id(uart16550_t *u)
{
    return seL4_X86_IOPort_In8(u->port, (seL4_Uint16)(u->base + IIR)).result;
}

static seL4_Error put_raw(uart16550_t *u, char c)
{
    for (;;) {
        seL4_X86_IOPort_In8_t lsr = seL4_X86_IOPort_In8(u->port, (seL4_Uint16)(u->base + LSR));
        if (lsr.error != seL4_NoError) {
            return (seL4_Error)lsr.error;
        }
        if (lsr.result & LSR_THRE) {
            return seL4_X86_IOPort_Out8(u->port, u->base + THR, (seL4_Word)(unsigned char)c);
        }
    }
}

seL4_Error uart16550_putc(uart16550_t *u, char c)
{
    if (c == '\n') {
        seL4_Error err = put_raw(u, '\r');
        if (err != seL4_NoError) {
            return err;
        }
    }
    return put_raw(u, c);
}

seL4_Error uart16550_puts(uart16550_t *u, const char *s)
{
    for (; *s; s++) {
        seL4_Error err = uart16550_putc(u, *s);
        if (err != seL4_NoError) {
            return err;
        }
    }
    return seL4_NoError;
}

unsigned long uart16550_drain_input(uart16550_t *u)
{
    unsigned long n = 0;
    for (;;) {
        seL4_X86_IOPort_In8_t lsr = seL4_X86_IOPort_In8(u->port, (seL4_Uint16)(u->base + LSR));
        if (lsr.error != seL4_NoError || !(lsr.result & LSR_DR)) {
            return n;
        }
        seL4_X86_IOPort_In8(u->port, (seL4_Uint16)(u->base + RBR));
        n++;
    }
}
