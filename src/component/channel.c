/* Channels from a component's side: the ring (kaal/ring.h) plus the signals that wake the peer. */
#include <kaal/ring.h>
#include <kaal/runtime.h>

static kaal_ring_t *ring(const kaal_channel_grant_t *ch)
{
    return (kaal_ring_t *)ch->vaddr;
}

/* Sleeps until the reader made room for `need` bytes; other bits are kept for kaal_wait(). */
static void wait_for_room(const kaal_channel_grant_t *ch, size_t need)
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
            wait_for_room(ch, 1);
        }
    }
}

void kaal_channel_send(const kaal_channel_grant_t *ch, const void *rec, size_t len)
{
    while (!ring_send(ring(ch), ch->size, rec, len)) {
        wait_for_room(ch, len);
    }
    wake_reader(ch);
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

int kaal_channel_recv(const kaal_channel_grant_t *ch, void *rec, size_t len)
{
    int got = ring_recv(ring(ch), ch->size, rec, len);
    if (got) {
        wake_writer(ch);
    }
    return got;
}

int kaal_channel_sleep_ok(const kaal_channel_grant_t *ch)
{
    return ring_reader_sleep_ok(ring(ch));
}
