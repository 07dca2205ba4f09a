/*
 * A single-producer, single-consumer ring in memory shared by two
 * components (a channel), in the style of seL4's sDDF queues: the producer
 * only writes `head`, the consumer only writes `tail`, so neither ever
 * blocks the other. Each side raises a flag before it sleeps, and the other
 * side signals only when it sees the flag: a busy channel costs no system
 * calls.
 *
 * Two ways to use it: a byte stream (ring_write / ring_read, partial
 * transfers) or fixed-size records (ring_send / ring_recv, all or nothing).
 * Records of whole 8-byte words, to and from 8-byte-aligned buffers, take
 * the fast path, inline: a word-at-a-time copy with nothing else in the way.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define RING_HEADER 128u /* head and tail on their own cache lines */

typedef struct kaal_ring {
    volatile uint64_t head; /* bytes ever written: producer only */
    uint8_t pad0[56];
    volatile uint64_t tail;          /* bytes ever read: consumer only */
    volatile uint32_t reader_waiting; /* set by the consumer before it sleeps */
    volatile uint32_t writer_waiting; /* set by the producer before it sleeps on a full ring */
    uint8_t pad1[48];
    uint8_t data[];
} kaal_ring_t;

_Static_assert(sizeof(kaal_ring_t) == RING_HEADER, "ring header layout");

/* Bytes of data a ring in `size` bytes of shared memory holds. */
static inline size_t ring_capacity(size_t size)
{
    return size > RING_HEADER ? size - RING_HEADER : 0;
}

size_t ring_used(const kaal_ring_t *r);

static inline uint64_t ring_load_acquire(const volatile uint64_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void ring_store_release(volatile uint64_t *p, uint64_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/*
 * The copy is most of a record's cost, and there is no libc here (rt_memcpy
 * goes byte by byte): the ring copies a word at a time where it can. A
 * record of whole words from a word-aligned buffer lands at word-aligned
 * places only, so ring_send and ring_recv take a short way for it, inline,
 * when it does not wrap; anything else goes the general way, out of line
 * (ring_send_any, ring_recv_any).
 */
typedef uint64_t __attribute__((may_alias)) ring_word_t;
#define RING_WORD_MASK ((uintptr_t)sizeof(ring_word_t) - 1)

/* Whether a record of n bytes at offset `at` of the (word-aligned) data and at rec is whole words. */
static inline int ring_words_only(size_t at, const void *rec, size_t n)
{
    return ((at | (uintptr_t)rec | n) & RING_WORD_MASK) == 0;
}

static inline void ring_copy_words(void *d, const void *s, size_t n)
{
    ring_word_t *dw = d;
    const ring_word_t *sw = s, *end = (const ring_word_t *)((const uint8_t *)s + n);
    while (sw != end) {
        *dw++ = *sw++;
    }
}

int ring_send_any(kaal_ring_t *r, size_t cap, uint64_t head, const void *rec, size_t len);
int ring_recv_any(kaal_ring_t *r, size_t cap, uint64_t tail, void *rec, size_t len);

/* Byte stream: copies what fits / what is there, returns the count. */
size_t ring_write(kaal_ring_t *r, size_t size, const void *buf, size_t len);
size_t ring_read(kaal_ring_t *r, size_t size, void *buf, size_t max);

/* Records: 1 if the whole record went in / came out, 0 if there was no room / none.
 * size must be more than RING_HEADER (the byte stream takes any size).
 * A record goes whole or not at all: one look at the peer's counter decides
 * (a record larger than the ring never finds room). */
static inline int ring_send(kaal_ring_t *r, size_t size, const void *rec, size_t len)
{
    size_t cap = size - RING_HEADER; /* size > RING_HEADER: a channel is whole pages */
    uint64_t head = r->head;
    if (len == 0 || cap - (size_t)(head - ring_load_acquire(&r->tail)) < len) {
        return 0;
    }
    size_t at = (size_t)(head % cap);
    if (len > cap - at || !ring_words_only(at, rec, len)) {
        return ring_send_any(r, cap, head, rec, len);
    }
    ring_copy_words(r->data + at, rec, len);
    ring_store_release(&r->head, head + len);
    return 1;
}

static inline int ring_recv(kaal_ring_t *r, size_t size, void *rec, size_t len)
{
    size_t cap = size - RING_HEADER;
    uint64_t tail = r->tail;
    if (len == 0 || len > cap || (size_t)(ring_load_acquire(&r->head) - tail) < len) {
        return 0;
    }
    size_t at = (size_t)(tail % cap);
    if (len > cap - at || !ring_words_only(at, rec, len)) {
        return ring_recv_any(r, cap, tail, rec, len);
    }
    ring_copy_words(rec, r->data + at, len);
    ring_store_release(&r->tail, tail + len);
    return 1;
}

/*
 * Sleeping and waking. The consumer calls ring_reader_sleep_ok() before it
 * waits: it raises its flag and returns 1 if the ring is still empty (wait),
 * 0 if data arrived meanwhile (read it). The producer calls
 * ring_reader_wake_needed() after it writes: it returns 1, and clears the
 * flag, when the consumer may be asleep and must be signalled. The writer_*
 * pair does the same for a producer waiting for room.
 */
int ring_reader_sleep_ok(kaal_ring_t *r);
int ring_writer_sleep_ok(kaal_ring_t *r, size_t size, size_t need);

/* The full fence orders our counter's store before the look at the flag. */
static inline int ring_take_flag(volatile uint32_t *flag)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(flag, __ATOMIC_RELAXED)) {
        __atomic_store_n(flag, 0, __ATOMIC_RELAXED);
        return 1;
    }
    return 0;
}

static inline int ring_reader_wake_needed(kaal_ring_t *r)
{
    return ring_take_flag(&r->reader_waiting);
}

static inline int ring_writer_wake_needed(kaal_ring_t *r)
{
    return ring_take_flag(&r->writer_waiting);
}
