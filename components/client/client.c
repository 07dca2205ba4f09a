/*
 * A client: says where it lives (its own address space and capability
 * space), waits for three tick records from the timer, and exits.
 */
#include <kaal/rt.h>
#include <kaal/runtime.h>
#include <kaal/tick.h>

#define TICKS_WANTED 3

static int counter; /* in this component's own data segment */

int component_main(const kaal_info_t *info)
{
    kaal_console_attach(kaal_channel("serial", KAAL_CHANNEL_WRITER));
    int local = 0;
    kaal_printf("%s: running in my own address space: code at %p, data at %p, stack at %p; my VSpace is cap %u, "
                "my CNode cap %u (2^%u slots); generation %u\n",
                info->name, (void *)component_main, (void *)&counter, (void *)&local, KAAL_CAP_VSPACE,
                KAAL_CAP_CNODE, KAAL_CNODE_BITS, info->generation);
    const kaal_channel_grant_t *timer = kaal_channel("timer", KAAL_CHANNEL_READER);
    if (!timer) {
        kaal_printf("%s: no channel from the timer\n", info->name);
        return 1;
    }
    while (counter < TICKS_WANTED) {
        kaal_tick_t t;
        if (kaal_channel_recv(timer, &t, sizeof(t))) {
            counter++;
            kaal_printf("%s: tick %d: %lu timer interrupts (%lu ms)\n", info->name, counter, (unsigned long)t.ticks,
                        (unsigned long)(t.ticks * 1000 / t.hz));
        } else if (kaal_channel_sleep_ok(timer)) {
            kaal_wait();
        }
    }
    kaal_printf("%s: done\n", info->name);
    return 0;
}
