/* The channel ring: byte streams that wrap, records that go whole or not at all, and the sleep flags. */
#include <string.h>
#include "unit.h"
#include <kaal/ring.h>

#define SIZE 256 /* 128 bytes of data */

static union {
    kaal_ring_t ring;
    uint8_t bytes[SIZE];
} mem;

static int fresh(void **state)
{
    (void)state;
    memset(&mem, 0, sizeof(mem));
    return 0;
}

static void capacity_is_size_less_header(void **state)
{
    (void)state;
    assert_int_equal(ring_capacity(SIZE), SIZE - RING_HEADER);
    assert_int_equal(ring_capacity(RING_HEADER), 0);
    assert_int_equal(ring_capacity(16), 0);
}

static void bytes_wrap_around_in_order(void **state)
{
    (void)state;
    uint8_t out[200], in[200];
    unsigned next_in = 0, next_out = 0;
    /* 40 rounds of 100 bytes through a 128-byte ring: every byte comes out once, in order. */
    for (int round = 0; round < 40; round++) {
        for (unsigned i = 0; i < 100; i++) {
            in[i] = (uint8_t)(next_in + i);
        }
        assert_int_equal(ring_write(&mem.ring, SIZE, in, 100), 100);
        next_in += 100;
        size_t n = ring_read(&mem.ring, SIZE, out, sizeof(out));
        assert_int_equal(n, 100);
        for (unsigned i = 0; i < n; i++) {
            assert_int_equal(out[i], (uint8_t)(next_out + i));
        }
        next_out += (unsigned)n;
    }
    assert_int_equal(ring_used(&mem.ring), 0);
}

static void a_full_ring_takes_what_fits(void **state)
{
    (void)state;
    uint8_t buf[200] = {0};
    assert_int_equal(ring_write(&mem.ring, SIZE, buf, 200), 128);
    assert_int_equal(ring_write(&mem.ring, SIZE, buf, 1), 0);
    assert_int_equal(ring_read(&mem.ring, SIZE, buf, 28), 28);
    assert_int_equal(ring_write(&mem.ring, SIZE, buf, 200), 28);
    assert_int_equal(ring_used(&mem.ring), 128);
}

static void records_go_whole_or_not_at_all(void **state)
{
    (void)state;
    uint64_t rec[6] = {1, 2, 3, 4, 5, 6}, got[6], two[12], big[17];
    assert_true(ring_send(&mem.ring, SIZE, rec, sizeof(rec)));
    assert_true(ring_send(&mem.ring, SIZE, rec, sizeof(rec)));
    assert_false(ring_send(&mem.ring, SIZE, rec, sizeof(rec))); /* 3 x 48 > 128 */
    assert_int_equal(ring_used(&mem.ring), 96);
    assert_true(ring_recv(&mem.ring, SIZE, got, sizeof(got)));
    assert_memory_equal(got, rec, sizeof(rec));
    assert_false(ring_recv(&mem.ring, SIZE, two, sizeof(two))); /* not a whole record there */
    assert_int_equal(ring_used(&mem.ring), 48);
    assert_false(ring_send(&mem.ring, SIZE, rec, 0));
    memset(big, 0, sizeof(big));
    assert_false(ring_send(&mem.ring, SIZE, big, 129)); /* larger than the ring */
}

static void reader_flag_protocol(void **state)
{
    (void)state;
    uint8_t b = 7;
    /* A writer with no sleeping reader does not signal. */
    assert_int_equal(ring_write(&mem.ring, SIZE, &b, 1), 1);
    assert_false(ring_reader_wake_needed(&mem.ring));
    /* A reader that finds data does not sleep, and leaves no flag. */
    assert_false(ring_reader_sleep_ok(&mem.ring));
    assert_false(ring_reader_wake_needed(&mem.ring));
    assert_int_equal(ring_read(&mem.ring, SIZE, &b, 1), 1);
    /* An empty ring: the reader sleeps, the next write must signal, once. */
    assert_true(ring_reader_sleep_ok(&mem.ring));
    assert_int_equal(ring_write(&mem.ring, SIZE, &b, 1), 1);
    assert_true(ring_reader_wake_needed(&mem.ring));
    assert_false(ring_reader_wake_needed(&mem.ring));
}

static void writer_flag_protocol(void **state)
{
    (void)state;
    uint8_t buf[128] = {0};
    assert_int_equal(ring_write(&mem.ring, SIZE, buf, 128), 128);
    assert_true(ring_writer_sleep_ok(&mem.ring, SIZE, 1));
    assert_int_equal(ring_read(&mem.ring, SIZE, buf, 10), 10);
    assert_true(ring_writer_wake_needed(&mem.ring));
    assert_false(ring_writer_wake_needed(&mem.ring));
    assert_false(ring_writer_sleep_ok(&mem.ring, SIZE, 10)); /* room for 10 now: no sleep */
    assert_true(ring_writer_sleep_ok(&mem.ring, SIZE, 11));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(capacity_is_size_less_header, fresh),
        cmocka_unit_test_setup(bytes_wrap_around_in_order, fresh),
        cmocka_unit_test_setup(a_full_ring_takes_what_fits, fresh),
        cmocka_unit_test_setup(records_go_whole_or_not_at_all, fresh),
        cmocka_unit_test_setup(reader_flag_protocol, fresh),
        cmocka_unit_test_setup(writer_flag_protocol, fresh),
    };
    RUN_TESTS(tests, NULL, NULL);
}
