/*
 * The broker's heap on the sim: zeroed, aligned and distinct allocations;
 * what is freed is used again; it grows a chunk at a time, each charged to
 * the broker's own quota; resizing keeps the contents.
 */
#include <string.h>
#include "unit.h"
#include <kaal/broker.h>
#include <sel4/sim.h>

static broker_t br;

static int boot(void **state)
{
    (void)state;
    return broker_init(&br, sel4sim_boot(), NULL) == KAAL_OK ? 0 : -1;
}

static int zeroed(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i]) {
            return 0;
        }
    }
    return 1;
}

static void allocations_are_zeroed_aligned_and_distinct(void **state)
{
    (void)state;
    static unsigned char *p[200];
    for (unsigned i = 0; i < 200; i++) {
        size_t size = 1 + i * 37;
        p[i] = heap_alloc(&br.heap, size);
        assert_non_null(p[i]);
        assert_true((seL4_Word)p[i] >= BROKER_HEAP_BASE && (seL4_Word)p[i] + size <= BROKER_HEAP_BASE + BROKER_HEAP_SIZE);
        assert_int_equal((seL4_Word)p[i] % 16, 0);
        assert_true(zeroed(p[i], size));
        memset(p[i], (int)(i + 1), size);
    }
    for (unsigned i = 0; i < 200; i++) { /* nothing overlapped: each still holds its own bytes */
        size_t size = 1 + i * 37;
        for (size_t k = 0; k < size; k++) {
            assert_int_equal(p[i][k], (unsigned char)(i + 1));
        }
        heap_free(&br.heap, p[i], size);
    }
}

static void freed_memory_is_used_again_zeroed(void **state)
{
    (void)state;
    void *a = heap_alloc(&br.heap, 1000);
    assert_non_null(a);
    memset(a, 0xff, 1000);
    seL4_Word pages = br.heap.frames;
    heap_free(&br.heap, a, 1000);
    void *b = heap_alloc(&br.heap, 700); /* the same class */
    assert_ptr_equal(a, b);
    assert_true(zeroed(b, 700));
    assert_int_equal(br.heap.frames, pages);
    heap_free(&br.heap, b, 700);
}

static void it_grows_a_chunk_at_a_time_charged_to_the_broker(void **state)
{
    (void)state;
    seL4_Word own = broker_own_bytes(&br), given = broker_given_bytes(&br), pages = br.heap.frames;
    void *big = heap_alloc(&br.heap, 3ul << 20); /* 3 MiB: several chunks more */
    assert_non_null(big);
    assert_true(br.heap.frames > pages);
    assert_true(br.heap.mapped - br.heap.base >= br.heap.brk - br.heap.base);
    assert_int_equal((seL4_Word)big % 4096, 0);
    memset(big, 0x42, 3ul << 20);
    assert_true(broker_own_bytes(&br) >= own + (br.heap.frames - pages) * (2ul << 20));
    assert_int_equal(broker_given_bytes(&br), given); /* nothing given out */
    assert_int_equal(broker_own_slots(&br), br.vspace.ntables + br.heap.frames + 2 * (br.mem.splits - br.mem.merges));
    assert_true(br.heap.frames <= 3); /* a slot per 2 MiB: chunks of 1 and 2 */
    heap_free(&br.heap, big, 3ul << 20);
}

static void resizing_keeps_what_was_there(void **state)
{
    (void)state;
    unsigned *a = heap_alloc(&br.heap, 10 * sizeof(unsigned));
    for (unsigned i = 0; i < 10; i++) {
        a[i] = i * i;
    }
    unsigned *b = heap_resize(&br.heap, a, 10 * sizeof(unsigned), 1000 * sizeof(unsigned));
    assert_non_null(b);
    for (unsigned i = 0; i < 10; i++) {
        assert_int_equal(b[i], i * i);
    }
    assert_true(zeroed((unsigned char *)(b + 10), 990 * sizeof(unsigned)));
    unsigned *c = heap_resize(&br.heap, b, 1000 * sizeof(unsigned), 12 * sizeof(unsigned)); /* smaller */
    assert_int_equal(c[9], 81);
    heap_free(&br.heap, c, 12 * sizeof(unsigned));
    assert_null(heap_alloc(&br.heap, 1ul << 50)); /* more than it can ever map */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allocations_are_zeroed_aligned_and_distinct),
        cmocka_unit_test(freed_memory_is_used_again_zeroed),
        cmocka_unit_test(it_grows_a_chunk_at_a_time_charged_to_the_broker),
        cmocka_unit_test(resizing_keeps_what_was_there),
    };
    RUN_TESTS(tests, boot, NULL);
}
