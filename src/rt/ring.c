/* The channel ring: free-running 64-bit counters, copies that wrap, and the sleep flags. */
#include <kaal/ring.h>

size_t ring_used(const kaal_ring_t *r)
{
    return (size_t)(ring_load_acquire(&r->head) - ring_load_acquire(&r->tail));
}

/* The general copy, for byte streams and records across the end (whole-word
 * records that do not wrap take the short way in ring.h). */
/* Any run of bytes: words in the middle if both sides can be aligned together. */
static void copy_bytes(uint8_t *d, const uint8_t *s, size_t n)
{
    if ((((uintptr_t)d ^ (uintptr_t)s) & RING_WORD_MASK) == 0) {
        for (; n && ((uintptr_t)d & RING_WORD_MASK); n--) {
            *d++ = *s++;
        }
        ring_copy_words(d, s, n & ~RING_WORD_MASK);
        d += n & ~RING_WORD_MASK;
        s += n & ~RING_WORD_MASK;
        n &= RING_WORD_MASK;
    }
    for (; n; n--) {
        *d++ = *s++;
    }
}

/* Where counter position pos falls in the data, and how much of len fits before the end. */
static inline size_t place(size_t cap, uint64_t pos, size_t len, size_t *first)
{
    size_t at = (size_t)(pos % cap);
    *first = len < cap - at ? len : cap - at;
    return at;
}

/* Copies len bytes between buf and the ring's data at counter position pos, wrapping at cap. */
static void copy_in(kaal_ring_t *r, size_t cap, uint64_t pos, const uint8_t *buf, size_t len)
{
    size_t first, at = place(cap, pos, len, &first);
    copy_bytes(r->data + at, buf, first);
    copy_bytes(r->data, buf + first, len - first);
}

static void copy_out(const kaal_ring_t *r, size_t cap, uint64_t pos, uint8_t *buf, size_t len)
{
    size_t first, at = place(cap, pos, len, &first);
    copy_bytes(buf, r->data + at, first);
    copy_bytes(buf + first, r->data, len - first);
}

size_t ring_write(kaal_ring_t *r, size_t size, const void *buf, size_t len)
{
    size_t cap = ring_capacity(size);
    uint64_t head = r->head;
    size_t room = cap - (size_t)(head - ring_load_acquire(&r->tail));
    size_t n = len < room ? len : room;
    if (n) {
        copy_in(r, cap, head, buf, n);
        ring_store_release(&r->head, head + n);
    }
    return n;
}

size_t ring_read(kaal_ring_t *r, size_t size, void *buf, size_t max)
{
    size_t cap = ring_capacity(size);
    uint64_t tail = r->tail;
    size_t avail = (size_t)(ring_load_acquire(&r->head) - tail);
    size_t n = max < avail ? max : avail;
    n = n < cap ? n : cap; /* a peer that wrote a wild head gets no read past the ring */
    if (n) {
        copy_out(r, cap, tail, buf, n);
        ring_store_release(&r->tail, tail + n);
    }
    return n;
}

int ring_send_any(kaal_ring_t *r, size_t cap, uint64_t head, const void *rec, size_t len)
{
    copy_in(r, cap, head, rec, len);
    ring_store_release(&r->head, head + len);
    return 1;
}

int ring_recv_any(kaal_ring_t *r, size_t cap, uint64_t tail, void *rec, size_t len)
{
    copy_out(r, cap, tail, rec, len);
    ring_store_release(&r->tail, tail + len);
    return 1;
}

/* Raise the flag, then look again: a write that raced with us is either seen
 * here or sees the flag (the full fence orders the flag before the re-check). */
int ring_reader_sleep_ok(kaal_ring_t *r)
{
    __atomic_store_n(&r->reader_waiting, 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (ring_used(r) == 0) {
        return 1;
    }
    __atomic_store_n(&r->reader_waiting, 0, __ATOMIC_RELAXED);
    return 0;
}

int ring_writer_sleep_ok(kaal_ring_t *r, size_t size, size_t need)
{
    __atomic_store_n(&r->writer_waiting, 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (ring_capacity(size) - ring_used(r) < need) {
        return 1;
    }
    __atomic_store_n(&r->writer_waiting, 0, __ATOMIC_RELAXED);
    return 0;
}
