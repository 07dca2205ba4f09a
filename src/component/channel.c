/* Channels from a component's side: opening them, the ring (kaal/ring.h)
 * plus the signals that wake the peer, and passing a word and a capability
 * over a channel's endpoint. */
#include <kaal/rt.h>
#include <kaal/ring.h>
#include <kaal/runtime.h>

/* Asks the broker for channel i: the ring's mapping, its signal, and the writer's inbox cap. The
 * table entry itself records them (signal != 0: open). */
static const kaal_channel_grant_t *open_channel(uint32_t i)
{
    kaal_channel_grant_t *ch = &kaal_self()->channels[i];
    if (ch->signal || ch->role == KAAL_CALL_SERVER) {
        return ch; /* open; or a call's server, which has nothing to open */
    }
    seL4_CPtr signal = kaal_slot_alloc(), inbox = 0;
    if (ch->role == KAAL_CHANNEL_WRITER && ch->endpoint != KAAL_ENDPOINT_NONE) {
        inbox = kaal_slot_alloc();
    }
    seL4_Word vaddr = 0;
    kaal_err_t err = signal ? kaal_open_channel(i, signal, inbox, &vaddr) : KAAL_E_NO_SLOTS;
    if (err != KAAL_OK) {
        kaal_slot_free(inbox);
        kaal_slot_free(signal);
        return 0;
    }
    ch->vaddr = vaddr;
    ch->signal = signal;
    ch->inbox = inbox;
    return ch;
}

const kaal_channel_grant_t *kaal_channel_at(uint32_t i)
{
    const kaal_info_t *self = kaal_self();
    return self && i < self->nchannels ? open_channel(i) : 0;
}

const kaal_channel_grant_t *kaal_channel(const char *peer, kaal_channel_role_t role)
{
    const kaal_info_t *self = kaal_self();
    for (uint32_t i = 0; self && i < self->nchannels; i++) {
        if (self->channels[i].role == (uint32_t)role && rt_strcmp(self->channels[i].peer, peer) == 0) {
            return open_channel(i);
        }
    }
    return 0;
}

kaal_err_t kaal_channel_close(const kaal_channel_grant_t *ch)
{
    kaal_channel_grant_t *table = kaal_self()->channels;
    uintptr_t at = (uintptr_t)ch - (uintptr_t)table;
    if (at >= kaal_self()->nchannels * sizeof(*table) || at % sizeof(*table) || !ch->signal) {
        return KAAL_E_INVAL; /* not an open channel kaal_channel() returned */
    }
    kaal_channel_grant_t *c = &table[ch - table];
    kaal_err_t err = kaal_release(KAAL_RPC_CHANNEL, (seL4_Word)(ch - table), c->signal);
    if (err == KAAL_OK) {
        kaal_slot_free(c->inbox);
        c->signal = c->inbox = 0; /* closed: the rest of the entry stays what the broker wrote */
    }
    return err;
}

kaal_err_t kaal_pass(const kaal_channel_grant_t *ch, seL4_CPtr cap, seL4_Word word)
{
    if (ch->role != KAAL_CHANNEL_WRITER || !ch->inbox || (cap && ch->endpoint != KAAL_ENDPOINT_GRANT)) {
        return KAAL_E_DENIED;
    }
    seL4_SetMR(0, word);
    seL4_SetCap(0, cap);
    __asm__ volatile("" ::: "memory"); /* seL4_Send has no memory clobber: the cap must be in the buffer */
    seL4_Send(ch->inbox, seL4_MessageInfo_new(0, 0, cap ? 1 : 0, 1));
    return KAAL_OK;
}

static kaal_ring_t *ring(const kaal_channel_grant_t *ch)
{
    return (kaal_ring_t *)ch->vaddr;
}

void kaal_channel_wait_for_room(const kaal_channel_grant_t *ch, size_t need)
{
    while (ring_writer_sleep_ok(ring(ch), ch->size, need)) {
        seL4_Word bits;
        seL4_Wait(KAAL_CAP_NTFN, &bits);
        kaal_defer_bits(bits & ~(1ul << ch->bit));
    }
}

static void wake_reader(const kaal_channel_grant_t *ch)
{
    if (ring_reader_wake_needed(ring(ch))) {
        seL4_Signal(ch->signal);
    }
}

void kaal_channel_write(const kaal_channel_grant_t *ch, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        size_t n = ring_write(ring(ch), ch->size, p, len);
        p += n;
        len -= n;
        wake_reader(ch);
        if (len) {
            kaal_channel_wait_for_room(ch, 1);
        }
    }
}

static void wake_writer(const kaal_channel_grant_t *ch)
{
    if (ring_writer_wake_needed(ring(ch))) {
        seL4_Signal(ch->signal);
    }
}

size_t kaal_channel_read(const kaal_channel_grant_t *ch, void *buf, size_t max)
{
    size_t n = ring_read(ring(ch), ch->size, buf, max);
    if (n) {
        wake_writer(ch);
    }
    return n;
}

int kaal_channel_sleep_ok(const kaal_channel_grant_t *ch)
{
    return ring_reader_sleep_ok(ring(ch));
}

const kaal_channel_grant_t *kaal_peer_news(void)
{
    const kaal_info_t *self = kaal_self();
    for (uint32_t i = 0; self && i < self->nchannels; i++) {
        kaal_channel_grant_t *ch = &self->channels[i];
        uint32_t state = *(volatile uint32_t *)&ch->peer_state, generation = *(volatile uint32_t *)&ch->peer_generation;
        if (state != ch->seen_state || generation != ch->seen_generation) {
            ch->seen_state = state;
            ch->seen_generation = generation;
            return ch;
        }
    }
    return 0;
}
