/* The channel ring: free-running 64-bit counters, copies that wrap, and the sleep flags. */
#include <kaal/ring.h>

static uint64_t load_acquire(const volatile uint64_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_release(volatile uint64_t *p, uint64_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

size_t ring_used(const kaal_ring_t *r)
{
    return (size_t)(load_acquire(&r->head) - load_acquire(&r->tail));
}

/*
 * The copy is most of a record's cost, and there is no libc here (rt_memcpy
 * goes byte by byte): the ring copies a word at a time where it can. A
 * record of whole words from a word-aligned buffer lands at word-aligned
 * places only, so ring_send and ring_recv take a short way for it when it
 * does not wrap; anything else (byte streams, a record across the end) goes
 * the general way, out of line, so that the short way saves no registers.
 */
typedef uint64_t __attribute__((may_alias)) ring_word_t;
#define WORD_MASK ((uintptr_t)sizeof(ring_word_t) - 1)

static inline int words_only(const void *a, const void *b, size_t n)
{
    return (((uintptr_t)a | (uintptr_t)b | n) & WORD_MASK) == 0;
}

static inline void copy_words(void *d, const void *s, size_t n)
{
    ring_word_t *dw = d;
    const ring_word_t *sw = s, *end = (const ring_word_t *)((const uint8_t *)s + n);
    while (sw != end) {
        *dw++ = *sw++;
    }
}

/* Any run of bytes: words in the middle if both sides can be aligned together. */
static void copy_bytes(uint8_t *d, const uint8_t *s, size_t n)
{
    if ((((uintptr_t)d ^ (uintptr_t)s) & WORD_MASK) == 0) {
        for (; n && ((uintptr_t)d & WORD_MASK); n--) {
            *d++ = *s++;
        }
        copy_words(d, s, n & ~WORD_MASK);
        d += n & ~WORD_MASK;
        s += n & ~WORD_MASK;
        n &= WORD_MASK;
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
    size_t room = cap - (size_t)(head - load_acquire(&r->tail));
    size_t n = len < room ? len : room;
    if (n) {
        copy_in(r, cap, head, buf, n);
        store_release(&r->head, head + n);
    }
    return n;
}

size_t ring_read(kaal_ring_t *r, size_t size, void *buf, size_t max)
{
    size_t cap = ring_capacity(size);
    uint64_t tail = r->tail;
    size_t avail = (size_t)(load_acquire(&r->head) - tail);
    size_t n = max < avail ? max : avail;
    n = n < cap ? n : cap; /* a peer that wrote a wild head gets no read past the ring */
    if (n) {
        copy_out(r, cap, tail, buf, n);
        store_release(&r->tail, tail + n);
    }
    return n;
}

static __attribute__((noinline)) int send_any(kaal_ring_t *r, size_t cap, uint64_t head, const void *rec, size_t len)
{
    copy_in(r, cap, head, rec, len);
    store_release(&r->head, head + len);
    return 1;
}

static __attribute__((noinline)) int recv_any(kaal_ring_t *r, size_t cap, uint64_t tail, void *rec, size_t len)
{
    copy_out(r, cap, tail, rec, len);
    store_release(&r->tail, tail + len);
    return 1;
}

/* A record goes whole or not at all: one look at the peer's counter decides
 * (a record larger than the ring never finds room). */
int ring_send(kaal_ring_t *r, size_t size, const void *rec, size_t len)
{
    size_t cap = ring_capacity(size), first;
    uint64_t head = r->head;
    if (len == 0 || cap - (size_t)(head - load_acquire(&r->tail)) < len) {
        return 0;
    }
    size_t at = place(cap, head, len, &first);
    if (first != len || !words_only(r->data + at, rec, len)) {
        return send_any(r, cap, head, rec, len);
    }
    copy_words(r->data + at, rec, len);
    store_release(&r->head, head + len);
    return 1;
}

int ring_recv(kaal_ring_t *r, size_t size, void *rec, size_t len)
{
    size_t cap = ring_capacity(size), first;
    uint64_t tail = r->tail;
    if (len == 0 || len > cap || (size_t)(load_acquire(&r->head) - tail) < len) {
        return 0;
    }
    size_t at = place(cap, tail, len, &first);
    if (first != len || !words_only(r->data + at, rec, len)) {
        return recv_any(r, cap, tail, rec, len);
    }
    copy_words(rec, r->data + at, len);
    store_release(&r->tail, tail + len);
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

static int take_flag(volatile uint32_t *flag)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(flag, __ATOMIC_RELAXED)) {
        __atomic_store_n(flag, 0, __ATOMIC_RELAXED);
        return 1;
    }
    return 0;
}

int ring_reader_wake_needed(kaal_ring_t *r)
{
    return take_flag(&r->reader_waiting);
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

int ring_writer_wake_needed(kaal_ring_t *r)
{
    return take_flag(&r->writer_waiting);
}
