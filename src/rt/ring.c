/* The channel ring: free-running 64-bit counters, copies that wrap, and the sleep flags. */
#include <kaal/ring.h>
#include <kaal/rt.h>

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

/* Copies len bytes between buf and the ring's data at counter position pos, wrapping at cap. */
static void copy_in(kaal_ring_t *r, size_t cap, uint64_t pos, const uint8_t *buf, size_t len)
{
    size_t at = (size_t)(pos % cap), first = len < cap - at ? len : cap - at;
    rt_memcpy(r->data + at, buf, first);
    rt_memcpy(r->data, buf + first, len - first);
}

static void copy_out(const kaal_ring_t *r, size_t cap, uint64_t pos, uint8_t *buf, size_t len)
{
    size_t at = (size_t)(pos % cap), first = len < cap - at ? len : cap - at;
    rt_memcpy(buf, r->data + at, first);
    rt_memcpy(buf + first, r->data, len - first);
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
    if (n) {
        copy_out(r, cap, tail, buf, n);
        store_release(&r->tail, tail + n);
    }
    return n;
}

int ring_send(kaal_ring_t *r, size_t size, const void *rec, size_t len)
{
    size_t cap = ring_capacity(size);
    if (len == 0 || len > cap || cap - ring_used(r) < len) {
        return 0;
    }
    return ring_write(r, size, rec, len) == len;
}

int ring_recv(kaal_ring_t *r, size_t size, void *rec, size_t len)
{
    if (len == 0 || ring_used(r) < len) {
        return 0;
    }
    return ring_read(r, size, rec, len) == len;
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
