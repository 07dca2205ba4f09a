/*
 * A client: says where it lives (its own address space and capability
 * space), asks the broker for memory and for something it is not granted,
 * lends the serial driver a capability if its channel allows, waits for
 * three tick records from the timer, and exits.
 */
#include <kaal/rt.h>
#include <kaal/runtime.h>
#include <kaal/tick.h>

#define TICKS_WANTED 3
#define HEAP_BYTES (16 * 1024)

static int counter; /* in this component's own data segment */

/* Memory, written and read back, then given back; and a request the description does not allow. */
static int use_the_broker(const kaal_info_t *info)
{
    seL4_Word version = 0;
    void *heap = 0;
    kaal_err_t err = kaal_ping(info->id, &version);
    if (err == KAAL_OK) {
        err = kaal_memory(0, HEAP_BYTES, &heap);
    }
    if (err != KAAL_OK) {
        kaal_printf("%s: the broker refused: %s\n", info->name, kaal_err_str(err));
        return 1;
    }
    volatile seL4_Word *words = heap;
    seL4_Word n = HEAP_BYTES / sizeof(seL4_Word), good = 0;
    for (seL4_Word i = 0; i < n; i++) {
        words[i] = i ^ info->id;
    }
    for (seL4_Word i = 0; i < n; i++) {
        good += words[i] == (i ^ info->id);
    }
    err = kaal_release(KAAL_RPC_MEMORY, (seL4_Word)heap, 0);
    kaal_printf("%s: broker protocol %lu; %u KiB of memory from the broker at %p, %lu of %lu words read back, "
                "released: %s\n",
                info->name, (unsigned long)version, HEAP_BYTES / 1024, heap, (unsigned long)good, (unsigned long)n,
                kaal_err_str(err));
    seL4_CPtr ports;
    err = kaal_ioports(0x3f8, 0x3ff, &ports);
    kaal_printf("%s: asking for COM1's ports: %s\n", info->name, kaal_err_str(err));
    return good == n && err == KAAL_E_DENIED ? 0 : 1;
}

/*
 * Over a console channel with an endpoint (`endpoint grant`): passes the
 * serial driver a cap to signal us, minted from our own notification with a
 * bit of our own, and waits for its signal. The cap is ours to give: when we
 * go, the broker revokes it with our notification.
 */
static int lend_a_signal(const kaal_info_t *info, const kaal_channel_grant_t *console)
{
    if (console->endpoint != KAAL_ENDPOINT_GRANT) {
        return 0;
    }
    seL4_Word own = 1ul << KAAL_BIT_OWN_FIRST;
    seL4_CPtr cap = kaal_slot_alloc();
    if (!cap || seL4_CNode_Mint(KAAL_CAP_CNODE, cap, KAAL_SLOT_DEPTH, KAAL_CAP_CNODE, KAAL_CAP_NTFN, KAAL_SLOT_DEPTH,
                                seL4_CanWrite, own) != seL4_NoError) {
        kaal_printf("%s: could not mint a signal to lend\n", info->name);
        return 1;
    }
    kaal_err_t err = kaal_pass(console, cap, 0);
    seL4_Word got = 0;
    while (err == KAAL_OK && !(got & own)) {
        seL4_Word bits;
        seL4_Wait(KAAL_CAP_NTFN, &bits);
        got |= bits;
    }
    kaal_defer_bits(got & ~own);
    kaal_printf("%s: passing the serial driver a capability (slot %lu): %s; it signalled me through it\n",
                info->name, (unsigned long)cap, kaal_err_str(err));
    return err == KAAL_OK ? 0 : 1;
}

/* The timer's channel has ticks (the event loop's notified handler): TICKS_WANTED of them, then
 * the channel is closed and the client exits. */
static void take_ticks(const kaal_channel_grant_t *timer)
{
    const kaal_info_t *info = kaal_self();
    if (timer->role != KAAL_CHANNEL_READER || rt_strcmp(timer->peer, "timer") != 0) {
        return; /* the console's reader made room: nothing to do */
    }
    kaal_tick_t t;
    while (counter < TICKS_WANTED && kaal_channel_recv(timer, &t, sizeof(t))) {
        counter++;
        kaal_printf("%s: tick %d: %lu timer interrupts (%lu ms)\n", info->name, counter, (unsigned long)t.ticks,
                    (unsigned long)(t.ticks * 1000 / t.hz));
    }
    if (counter == TICKS_WANTED) {
        kaal_printf("%s: done; closing the timer's channel: %s\n", info->name,
                    kaal_err_str(kaal_channel_close(timer)));
        kaal_exit(0);
    }
}

int component_main(const kaal_info_t *info)
{
    const kaal_channel_grant_t *console = kaal_channel("serial", KAAL_CHANNEL_WRITER);
    if (!console) {
        return 1;
    }
    kaal_console_attach(console);
    int local = 0;
    kaal_printf("%s: running in my own address space: code at %p, data at %p, stack at %p; my VSpace is cap %u, "
                "my CNode cap %u (2^%u slots); generation %u\n",
                info->name, (void *)component_main, (void *)&counter, (void *)&local, KAAL_CAP_VSPACE,
                KAAL_CAP_CNODE, info->cnode_bits, info->generation);
    if (use_the_broker(info) != 0 || lend_a_signal(info, console) != 0) {
        return 1;
    }
    const kaal_channel_grant_t *timer = kaal_channel("timer", KAAL_CHANNEL_READER);
    if (!timer) {
        kaal_printf("%s: no channel from the timer\n", info->name);
        return 1;
    }
    return kaal_run(&(kaal_handlers_t){.notified = take_ticks});
}
