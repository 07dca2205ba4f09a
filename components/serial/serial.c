/*
 * The serial driver: owns COM1's IO ports and its IRQ, and copies what the
 * other components write into their channels to the UART, line by line.
 * Received bytes raise the IRQ; the driver counts and drops them.
 */
#include <kaal/ring.h>
#include <kaal/rt.h>
#include <kaal/runtime.h>
#include <kaal/uart16550.h>

#define UART_IER_RX 0x01 /* interrupt when a byte arrives */

static uart16550_t uart;
static unsigned long received;
static seL4_CPtr irq_handler;
static seL4_Word irq_bit;

static void uart_putc(char c)
{
    uart16550_putc(&uart, c);
}

static void drain(const kaal_channel_grant_t *ch)
{
    char buf[128];
    size_t n;
    while ((n = kaal_channel_read(ch, buf, sizeof(buf))) > 0) {
        for (size_t i = 0; i < n; i++) {
            uart16550_putc(&uart, buf[i]);
        }
    }
}

static void take_input(void)
{
    uart16550_interrupt_id(&uart);
    received += uart16550_drain_input(&uart);
    seL4_IRQHandler_Ack(irq_handler);
}

int component_main(const kaal_info_t *info)
{
    /* The UART is ours once the broker hands over its ports and its IRQ. */
    seL4_CPtr ports = 0;
    if (info->nioports < 1 || info->nirqs < 1 ||
        kaal_ioports(info->ioports[0].first, info->ioports[0].last, &ports) != KAAL_OK ||
        kaal_irq(info->irqs[0].pin, &irq_handler, &irq_bit) != KAAL_OK ||
        uart16550_init(&uart, ports, info->ioports[0].first) != seL4_NoError) {
        return 1;
    }
    rt_set_putc(uart_putc);
    rt_printf("%s: 16550 driver on ports 0x%lx-0x%lx (IO port cap %lu), IRQ pin %lu (handler cap %lu), both "
              "from the broker; serving %u channels\n",
              info->name, (unsigned long)info->ioports[0].first, (unsigned long)info->ioports[0].last,
              (unsigned long)ports, (unsigned long)info->irqs[0].pin, (unsigned long)irq_handler, info->nchannels);
    uart16550_set_interrupts(&uart, UART_IER_RX);
    for (;;) {
        /* Copy out everything there is; sleep only when every channel is
         * empty and its writer has seen that it must signal. */
        int idle = 1;
        for (uint32_t i = 0; i < info->nchannels; i++) {
            const kaal_channel_grant_t *ch = &info->channels[i];
            if (ch->role == KAAL_CHANNEL_READER) {
                drain(ch);
                idle &= kaal_channel_sleep_ok(ch);
            }
        }
        seL4_Word bits = idle ? kaal_wait() : 0;
        if (bits & (1ul << irq_bit)) {
            take_input();
        }
    }
}
