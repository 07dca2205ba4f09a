/*
 * The sim's host resources follow the model's objects: a thread resumed and
 * destroyed before it ever had the CPU leaves no host thread behind (its
 * host thread ends when its TCB goes, as one that ran does).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "unit.h"
#include <kaal/broker.h>
#include <sel4/sim.h>

static broker_t br;

static int boot(void **state)
{
    (void)state;
    return broker_init(&br, sel4sim_boot(), NULL) == KAAL_OK ? 0 : -1;
}

/* The process's host threads, from /proc. */
static long host_threads(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long n = -1;
    while (f && fgets(line, sizeof(line), f)) {
        if (strncmp(line, "Threads:", 8) == 0) {
            n = strtol(line + 8, NULL, 10);
        }
    }
    if (f) {
        fclose(f);
    }
    return n;
}

/* Its host thread ends once the TCB is gone; it gets no CPU, so give it a moment to see that. */
static long settled_host_threads(long want)
{
    long n = host_threads();
    for (int i = 0; i < 2000 && n != want; i++) {
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
        n = host_threads();
    }
    return n;
}

static void threads_destroyed_before_they_ran_end(void **state)
{
    (void)state;
    long before = host_threads();
    assert_true(before >= 1);
    for (int i = 0; i < 100; i++) {
        kaal_obj_t tcb;
        assert_int_equal(untyped_alloc(&br.mem, seL4_TCBObject, 0, &tcb), KAAL_OK);
        /* Below the root thread's priority: resumed, it waits for a CPU it never gets. */
        assert_int_equal(seL4_TCB_SetPriority(tcb.cap, seL4_CapInitThreadTCB, 1), seL4_NoError);
        assert_int_equal(seL4_TCB_Resume(tcb.cap), seL4_NoError);
        assert_int_equal(untyped_free(&br.mem, &tcb), KAAL_OK);
    }
    assert_int_equal(settled_host_threads(before), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(threads_destroyed_before_they_ran_end),
    };
    RUN_TESTS(tests, boot, NULL);
}
