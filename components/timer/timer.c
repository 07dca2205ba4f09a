/*
 * The timer: runs the PIT's counter 0 as a rate generator and, every
 * TICKS_PER_EVENT interrupts, sends each reader of its channels a tick record
 * if its ring has room: the timer never waits for a reader. It runs from the
 * runtime's event loop, its interrupts dispatched to tick().
 */
#include <kaal/rt.h>
#include <kaal/runtime.h>
#include <kaal/tick.h>

#define PIT_HZ 1193182u
#define TICK_HZ 100u
#define TICKS_PER_EVENT 10u
#define PIT_COUNTER0 0x40
#define PIT_MODE 0x43
#define PIT_MODE_RATE 0x34 /* counter 0, low byte then high byte, mode 2 */

static seL4_Error pit_start(seL4_CPtr port)
{
    unsigned divisor = PIT_HZ / TICK_HZ;
    seL4_Error e = seL4_X86_IOPort_Out8(port, PIT_MODE, PIT_MODE_RATE);
    if (e == seL4_NoError) {
        e = seL4_X86_IOPort_Out8(port, PIT_COUNTER0, divisor & 0xff);
    }
    return e == seL4_NoError ? seL4_X86_IOPort_Out8(port, PIT_COUNTER0, divisor >> 8) : e;
}

static void publish(const kaal_info_t *info, uint64_t ticks)
{
    kaal_tick_t t = {.ticks = ticks, .hz = TICK_HZ};
    for (uint32_t i = 0; i < info->nchannels; i++) {
        const kaal_channel_grant_t *ch = kaal_channel_at(i); /* opened on first use */
        if (ch && ch->role == KAAL_CHANNEL_WRITER && rt_strcmp(ch->peer, "serial") != 0) {
            kaal_channel_offer(ch, &t, sizeof(t)); /* a reader that is behind, or gone, misses ticks */
        }
    }
}

static uint64_t ticks;

/* The PIT's interrupt (the event loop's irq handler). */
static void tick(seL4_CPtr handler, seL4_Word bit)
{
    (void)bit;
    kaal_irq_ack(handler);
    if (++ticks % TICKS_PER_EVENT == 0) {
        publish(kaal_self(), ticks);
    }
}

int component_main(const kaal_info_t *info)
{
    kaal_console_attach(kaal_channel("serial", KAAL_CHANNEL_WRITER));
    seL4_CPtr ports = 0, handler = 0;
    seL4_Word bit = 0;
    kaal_err_t err = info->nioports < 1 || info->nirqs < 1
                         ? KAAL_E_DENIED
                         : kaal_ioports(info->ioports[0].first, info->ioports[0].last, &ports);
    if (err == KAAL_OK) {
        err = kaal_irq(info->irqs[0].pin, &handler, &bit);
    }
    if (err != KAAL_OK || pit_start(ports) != seL4_NoError) {
        kaal_printf("%s: no PIT to drive (%s)\n", info->name, kaal_err_str(err));
        return 1;
    }
    kaal_printf("%s: PIT counter 0 at %u Hz on IRQ pin %lu; a tick record every %u interrupts\n", info->name,
                TICK_HZ, (unsigned long)info->irqs[0].pin, TICKS_PER_EVENT);
    return kaal_run(&(kaal_handlers_t){.irq = tick});
}
