/* The slot allocator: every slot once, exhaustion, double free, runs. */
#include <string.h>
#include "unit.h"
#include <kaal/cspace.h>

static cspace_t cs;

static int setup(void **state)
{
    (void)state;
    return cspace_init(&cs, seL4_CapInitThreadCNode, seL4_WordBits, 100, 164) == KAAL_OK ? 0 : -1;
}

static void every_slot_once_then_exhausted(void **state)
{
    (void)state;
    uint8_t seen[64] = {0};
    for (int i = 0; i < 64; i++) {
        seL4_CPtr s;
        assert_int_equal(cspace_slot_alloc(&cs, &s), KAAL_OK);
        assert_in_range(s, 100, 163);
        assert_int_equal(seen[s - 100], 0);
        seen[s - 100] = 1;
    }
    seL4_CPtr s;
    assert_int_equal(cspace_slot_alloc(&cs, &s), KAAL_E_NO_SLOTS);
    assert_int_equal(cspace_free_count(&cs), 0);
}

static void lowest_first_and_lifo_reuse(void **state)
{
    (void)state;
    seL4_CPtr a, b, c;
    assert_int_equal(cspace_slot_alloc(&cs, &a), KAAL_OK);
    assert_int_equal(cspace_slot_alloc(&cs, &b), KAAL_OK);
    assert_int_equal(a, 100);
    assert_int_equal(b, 101);
    assert_int_equal(cspace_slot_free(&cs, a), KAAL_OK);
    assert_int_equal(cspace_slot_alloc(&cs, &c), KAAL_OK);
    assert_int_equal(c, a);
}

static void double_free_and_foreign_slots_are_errors(void **state)
{
    (void)state;
    seL4_CPtr a;
    assert_int_equal(cspace_slot_alloc(&cs, &a), KAAL_OK);
    assert_int_equal(cspace_slot_free(&cs, a), KAAL_OK);
    assert_int_equal(cspace_slot_free(&cs, a), KAAL_E_NOT_ALLOCATED);
    assert_int_equal(cspace_slot_free(&cs, 99), KAAL_E_INVAL);
    assert_int_equal(cspace_slot_free(&cs, 164), KAAL_E_INVAL);
    assert_int_equal(cspace_free_count(&cs), 64);
}

static void range_is_contiguous_and_skips_holes(void **state)
{
    (void)state;
    seL4_CPtr s[64];
    for (int i = 0; i < 64; i++) {
        assert_int_equal(cspace_slot_alloc(&cs, &s[i]), KAAL_OK);
    }
    /* Free every other slot: no run of two exists. */
    for (int i = 0; i < 64; i += 2) {
        assert_int_equal(cspace_slot_free(&cs, s[i]), KAAL_OK);
    }
    seL4_CPtr first;
    assert_int_equal(cspace_range_alloc(&cs, 2, &first), KAAL_E_NO_SLOTS);
    /* Freeing slot 41 joins 40..42 into a run of three. */
    assert_int_equal(cspace_slot_free(&cs, 141), KAAL_OK);
    assert_int_equal(cspace_range_alloc(&cs, 3, &first), KAAL_OK);
    assert_int_equal(first, 140);
    assert_int_equal(cspace_free_count(&cs), 30);
    /* The run is allocated: single allocations never return it. */
    for (int i = 0; i < 30; i++) {
        seL4_CPtr x;
        assert_int_equal(cspace_slot_alloc(&cs, &x), KAAL_OK);
        assert_true(x < 140 || x > 142);
    }
}

static void range_free_checks_every_slot_first(void **state)
{
    (void)state;
    seL4_CPtr first;
    assert_int_equal(cspace_range_alloc(&cs, 8, &first), KAAL_OK);
    assert_int_equal(cspace_slot_free(&cs, first + 3), KAAL_OK);
    /* Slot first+3 is already free: the whole call fails and changes nothing. */
    assert_int_equal(cspace_range_free(&cs, first, 8), KAAL_E_NOT_ALLOCATED);
    assert_int_equal(cspace_free_count(&cs), 57);
    assert_int_equal(cspace_range_free(&cs, first, 3), KAAL_OK);
    assert_int_equal(cspace_range_free(&cs, first + 4, 4), KAAL_OK);
    assert_int_equal(cspace_free_count(&cs), 64);
    assert_int_equal(cspace_range_alloc(&cs, 64, &first), KAAL_OK);
    assert_int_equal(cspace_range_alloc(&cs, 0, &first), KAAL_E_INVAL);
    assert_int_equal(cspace_range_alloc(&cs, 65, &first), KAAL_E_NO_SLOTS);
}

static void claim_takes_a_specific_slot(void **state)
{
    (void)state;
    assert_int_equal(cspace_slot_claim(&cs, 120), KAAL_OK);
    assert_int_equal(cspace_slot_claim(&cs, 120), KAAL_E_INVAL);
    for (int i = 0; i < 63; i++) {
        seL4_CPtr x;
        assert_int_equal(cspace_slot_alloc(&cs, &x), KAAL_OK);
        assert_int_not_equal(x, 120);
    }
}

/* A hook that gives back the slots it was holding, counting its calls. */
static seL4_CPtr held[4];
static unsigned nheld, reclaim_calls;

static void give_back(void *ctx)
{
    assert_ptr_equal(ctx, &cs);
    reclaim_calls++;
    seL4_CPtr s;
    assert_int_equal(cspace_slot_alloc(&cs, &s), KAAL_E_NO_SLOTS); /* no second call from inside */
    while (nheld > 0) {
        assert_int_equal(cspace_slot_free(&cs, held[--nheld]), KAAL_OK);
    }
}

static void a_short_request_asks_the_reclaim_hook_once(void **state)
{
    (void)state;
    seL4_CPtr s, first;
    while (cspace_free_count(&cs) > 0) {
        assert_int_equal(cspace_slot_alloc(&cs, &s), KAAL_OK);
    }
    held[0] = 100;
    held[1] = 101;
    nheld = 2;
    reclaim_calls = 0;
    cspace_set_reclaim(&cs, give_back, &cs);
    assert_int_equal(cspace_range_alloc(&cs, 2, &first), KAAL_OK); /* after the hook gave two back */
    assert_int_equal(first, 100);
    assert_int_equal(reclaim_calls, 1);
    assert_int_equal(cspace_slot_alloc(&cs, &s), KAAL_E_NO_SLOTS); /* the hook had nothing more */
    assert_int_equal(reclaim_calls, 2);
    held[0] = 163;
    nheld = 1;
    assert_int_equal(cspace_slot_alloc(&cs, &s), KAAL_OK);
    assert_int_equal(s, 163);
    assert_int_equal(reclaim_calls, 3);
    assert_int_equal(cspace_slot_alloc(&cs, &s), KAAL_E_NO_SLOTS);
}

static void init_rejects_bad_regions(void **state)
{
    (void)state;
    cspace_t other;
    assert_int_equal(cspace_init(&other, 2, 64, 10, 5), KAAL_E_INVAL);
    assert_int_equal(cspace_init(&other, 2, 64, 0, CSPACE_MAX_SLOTS + 1), KAAL_E_INVAL);
    assert_int_equal(cspace_init(&other, 2, 64, 7, 7), KAAL_OK);
    seL4_CPtr x;
    assert_int_equal(cspace_slot_alloc(&other, &x), KAAL_E_NO_SLOTS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(every_slot_once_then_exhausted, setup),
        cmocka_unit_test_setup(lowest_first_and_lifo_reuse, setup),
        cmocka_unit_test_setup(double_free_and_foreign_slots_are_errors, setup),
        cmocka_unit_test_setup(range_is_contiguous_and_skips_holes, setup),
        cmocka_unit_test_setup(range_free_checks_every_slot_first, setup),
        cmocka_unit_test_setup(claim_takes_a_specific_slot, setup),
        cmocka_unit_test_setup(a_short_request_asks_the_reclaim_hook_once, setup),
        cmocka_unit_test(init_rejects_bad_regions),
    };
    RUN_TESTS(tests, NULL, NULL);
}
