/* Restart budgets: at most N restarts within any window, counted afresh as time passes. */
#include "unit.h"
#include "restart.h"

#define DAY (24ull * 3600 * 1000)

static void a_burst_is_allowed_up_to_the_limit(void **state)
{
    (void)state;
    restart_log_t log = {0};
    for (uint64_t t = 0; t < 3; t++) {
        assert_true(restart_allowed(&log, 3, 10000, 1000 + t));
    }
    assert_false(restart_allowed(&log, 3, 10000, 1003));
    assert_false(restart_allowed(&log, 3, 10000, 10999)); /* the first is still inside the window */
    assert_true(restart_allowed(&log, 3, 10000, 11000));  /* now it has left it */
    assert_false(restart_allowed(&log, 3, 10000, 11000));
    assert_true(restart_allowed(&log, 3, 10000, 11001));
}

/* The count was never reset: a component that faulted once a day was stopped on the fourth day. */
static void a_fault_a_day_is_restarted_every_day(void **state)
{
    (void)state;
    restart_log_t log = {0};
    for (uint64_t day = 0; day < 400; day++) {
        assert_true(restart_allowed(&log, 3, 10000, day * DAY));
    }
}

/* A refused restart is not logged: once the window has moved on, restarts are allowed again. */
static void refusals_do_not_count(void **state)
{
    (void)state;
    restart_log_t log = {0};
    assert_true(restart_allowed(&log, 1, 500, 0));
    for (uint64_t t = 1; t < 500; t += 50) {
        assert_false(restart_allowed(&log, 1, 500, t));
    }
    assert_true(restart_allowed(&log, 1, 500, 500));
}

static void every_limit_up_to_the_most_a_budget_may_allow(void **state)
{
    (void)state;
    for (unsigned limit = 1; limit <= MANIFEST_MAX_RESTARTS; limit++) {
        restart_log_t log = {0};
        for (unsigned k = 0; k < limit; k++) {
            assert_true(restart_allowed(&log, limit, 1000, 5000 + k));
        }
        assert_false(restart_allowed(&log, limit, 1000, 5000 + limit));
        assert_true(restart_allowed(&log, limit, 1000, 6000));
    }
    restart_log_t log = {0};
    assert_false(restart_allowed(&log, 0, 1000, 0));
    assert_false(restart_allowed(&log, MANIFEST_MAX_RESTARTS + 1, 1000, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_burst_is_allowed_up_to_the_limit),
        cmocka_unit_test(a_fault_a_day_is_restarted_every_day),
        cmocka_unit_test(refusals_do_not_count),
        cmocka_unit_test(every_limit_up_to_the_most_a_budget_may_allow),
    };
    RUN_TESTS(tests, NULL, NULL);
}
