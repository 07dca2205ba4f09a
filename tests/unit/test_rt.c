/* The freestanding runtime's memory functions: every alignment and length against libc's. */
#include <string.h>
#include "unit.h"
#include <kaal/rt.h>

#define SIZE 96

static void memset_fills_exactly_what_it_is_given(void **state)
{
    (void)state;
    for (size_t at = 0; at < 16; at++) {
        for (size_t n = 0; n + at <= SIZE - 16; n++) {
            unsigned char got[SIZE], want[SIZE];
            memset(got, 0x5a, sizeof(got));
            memset(want, 0x5a, sizeof(want));
            assert_ptr_equal(rt_memset(got + at, 0xc3, n), got + at);
            memset(want + at, 0xc3, n);
            assert_memory_equal(got, want, SIZE);
        }
    }
}

static void memcpy_copies_exactly_what_it_is_given(void **state)
{
    (void)state;
    unsigned char src[SIZE];
    for (size_t i = 0; i < SIZE; i++) {
        src[i] = (unsigned char)(i * 7 + 1);
    }
    for (size_t from = 0; from < 16; from++) {
        for (size_t to = 0; to < 16; to++) {
            for (size_t n = 0; n + 16 <= SIZE; n += 3) {
                unsigned char got[SIZE], want[SIZE];
                memset(got, 0xee, sizeof(got));
                memset(want, 0xee, sizeof(want));
                assert_ptr_equal(rt_memcpy(got + to, src + from, n), got + to);
                memcpy(want + to, src + from, n);
                assert_memory_equal(got, want, SIZE);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(memset_fills_exactly_what_it_is_given),
        cmocka_unit_test(memcpy_copies_exactly_what_it_is_given),
    };
    RUN_TESTS(tests, NULL, NULL);
}
