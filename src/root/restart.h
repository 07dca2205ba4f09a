/*
 * A component's restart budget under `fault restart`: at most `limit`
 * restarts within any window of `window_ms` milliseconds (the intensity and
 * period of an Erlang/OTP supervisor). A component that faults once a day is
 * restarted every day; one that faults in a loop is stopped once it passes
 * the budget.
 */
#pragma once

#include <stdint.h>
#include <kaal/manifest.h>

typedef struct restart_log {
    uint64_t at[MANIFEST_MAX_RESTARTS]; /* the times of the last `limit` restarts, a ring; at[next] the oldest once full */
    unsigned next, count;
} restart_log_t;

/* Whether a restart at now_ms stays within the budget; if it does, it is logged. */
int restart_allowed(restart_log_t *log, unsigned limit, uint64_t window_ms, uint64_t now_ms);
