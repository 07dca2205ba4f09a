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
 * the fast path: a word-at-a-time copy with nothing else in the way.
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

/* Byte stream: copies what fits / what is there, returns the count. */
size_t ring_write(kaal_ring_t *r, size_t size, const void *buf, size_t len);
size_t ring_read(kaal_ring_t *r, size_t size, void *buf, size_t max);

/* Records: 1 if the whole record went in / came out, 0 if there was no room / none. */
int ring_send(kaal_ring_t *r, size_t size, const void *rec, size_t len);
int ring_recv(kaal_ring_t *r, size_t size, void *rec, size_t len);

/*
 * Sleeping and waking. The consumer calls ring_reader_sleep_ok() before it
 * waits: it raises its flag and returns 1 if the ring is still empty (wait),
 * 0 if data arrived meanwhile (read it). The producer calls
 * ring_reader_wake_needed() after it writes: it returns 1, and clears the
 * flag, when the consumer may be asleep and must be signalled. The writer_*
 * pair does the same for a producer waiting for room.
 */
int ring_reader_sleep_ok(kaal_ring_t *r);
int ring_reader_wake_needed(kaal_ring_t *r);
int ring_writer_sleep_ok(kaal_ring_t *r, size_t size, size_t need);
int ring_writer_wake_needed(kaal_ring_t *r);
