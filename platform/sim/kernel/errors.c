/* The current invocation's error, and its encoding into message registers. */
#include <string.h>
#include "model.h"

bool fail(seL4_Error e)
{
    memset(&ksim.err, 0, sizeof(ksim.err));
    ksim.err.type = e;
    return false;
}

bool fail_arg(word_t n)
{
    fail(seL4_InvalidArgument);
    ksim.err.invalid_argument = n;
    return false;
}

bool fail_invalid_cap(word_t n)
{
    fail(seL4_InvalidCapability);
    ksim.err.invalid_cap = n;
    return false;
}

bool fail_range(word_t min, word_t max)
{
    fail(seL4_RangeError);
    ksim.err.range_min = min;
    ksim.err.range_max = max;
    return false;
}

bool fail_lookup(bool source, seL4_LookupFailureType luf, word_t bits_left, word_t bits_found, word_t guard)
{
    fail(seL4_FailedLookup);
    ksim.err.lookup_was_source = source;
    ksim.err.luf = luf;
    ksim.err.luf_bits_left = bits_left;
    ksim.err.luf_bits_found = bits_found;
    ksim.err.luf_guard_found = guard;
    return false;
}

/* Writes the error's message registers as the kernel's setMRs_syscall_error
 * does and returns the message length. */
unsigned error_to_mrs(word_t *mr)
{
    const syscall_error_t *e = &ksim.err;
    switch (e->type) {
    case seL4_InvalidArgument:
        mr[0] = e->invalid_argument;
        return 1;
    case seL4_InvalidCapability:
        mr[0] = e->invalid_cap;
        return 1;
    case seL4_RangeError:
        mr[0] = e->range_min;
        mr[1] = e->range_max;
        return 2;
    case seL4_FailedLookup:
        mr[0] = e->lookup_was_source ? 1 : 0;
        mr[1] = e->luf;
        switch (e->luf) {
        case seL4_MissingCapability:
            mr[2] = e->luf_bits_left;
            return 3;
        case seL4_DepthMismatch:
            mr[2] = e->luf_bits_left;
            mr[3] = e->luf_bits_found;
            return 4;
        case seL4_GuardMismatch:
            mr[2] = e->luf_bits_left;
            mr[3] = e->luf_guard_found;
            mr[4] = e->luf_bits_found;
            return 5;
        default:
            return 2;
        }
    case seL4_NotEnoughMemory:
        mr[0] = e->memory_left;
        return 1;
    default:
        return 0;
    }
}
