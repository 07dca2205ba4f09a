/* Restart budgets: a sliding window over the times of the last restarts. */
#include "restart.h"

int restart_allowed(restart_log_t *log, unsigned limit, uint64_t window_ms, uint64_t now_ms)
{
    if (limit == 0 || limit > MANIFEST_MAX_RESTARTS) {
        return 0;
    }
    if (log->count < limit) {
        log->count++;
    } else if (now_ms - log->at[log->next] < window_ms) {
        return 0; /* `limit` restarts already within the window: this one would pass it */
    }
    log->at[log->next] = now_ms;
    log->next = (log->next + 1) % limit;
    return 1;
}
