/*
 * The serial driver: owns COM1's IO ports and its IRQ, and copies what the
 * other components write into their channels to the UART, line by line.
 * Received bytes raise the IRQ; the driver counts and drops them. A writer
 * whose channel has an endpoint may pass it a capability: the driver
 * signals through it, and notices when the broker has revoked it. It runs
 * from the runtime's event loop.
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

/* A cap a writer passed us over its channel's endpoint: the broker revokes it when that writer goes. */
static seL4_CPtr lent;
static char lender[KAAL_NAME_MAX];

/* A message over a channel's endpoint (the event loop's message handler). */
static void take_message(const kaal_message_t *msg)
{
    kaal_message_t m = *msg;
    const char *from = m.from ? m.from->peer : "an unknown writer";
    if (!m.cap) {
        rt_printf("serial: %s sent the word %lu, without a capability\n", from, (unsigned long)m.word);
        return;
    }
    rt_printf("serial: %s passed me a capability over our channel's endpoint (now in my slot %lu); signalling "
              "through it\n",
              from, (unsigned long)m.cap);
    seL4_Signal(m.cap);
    if (lent) {
        seL4_CNode_Delete(KAAL_CAP_CNODE, lent, KAAL_SLOT_DEPTH);
        kaal_slot_free(lent);
    }
    lent = m.cap;
    rt_strlcpy(lender, from, sizeof(lender));
}

/* Whether a slot still holds a cap: empty once the broker has revoked it. Asked of the
 * debug kernel (seL4_DebugCapIdentify: 0 is the null cap), which, unlike an invocation
 * on an empty slot, logs nothing. */
static int still_held(seL4_CPtr slot)
{
    return seL4_DebugCapIdentify(slot) != 0;
}

/* A writer changed (the event loop's peer handler): the cap it lent us goes with it. */
static void check_lent(const kaal_channel_grant_t *ch)
{
    (void)ch;
    if (lent && !still_held(lent)) {
        rt_printf("serial: the capability %s passed me is gone from slot %lu: revoked with %s\n", lender,
                  (unsigned long)lent, lender);
        kaal_slot_free(lent);
        lent = 0;
    }
}

/* COM1's interrupt (the event loop's irq handler): the bytes that came, counted and dropped. */
static void take_input(seL4_CPtr handler, seL4_Word bit)
{
    (void)bit;
    uart16550_interrupt_id(&uart);
    received += uart16550_drain_input(&uart);
    kaal_irq_ack(handler);
}

/* A writer's channel has data (the event loop's notified handler). */
static void copy_out(const kaal_channel_grant_t *ch)
{
    if (ch->role == KAAL_CHANNEL_READER) {
        drain(ch);
    }
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
    for (uint32_t i = 0; i < info->nchannels; i++) {
        if (info->channels[i].role == KAAL_CHANNEL_READER) {
            kaal_channel_at(i); /* open: its entry of the table has its signal from now on */
        }
    }
    /* Everything there is is copied out; the loop sleeps only when every channel is empty and its
     * writer has seen that it must signal. */
    return kaal_run(&(kaal_handlers_t){
        .notified = copy_out, .irq = take_input, .message = take_message, .peer = check_lent});
}
