/* Memory for kaal's growing tables (kaal/allocator.h) from malloc: for host programs (tools, tests). */
#pragma once

#include <stdlib.h>
#include <kaal/allocator.h>

static inline void *host_alloc(void *ctx, seL4_Word bytes)
{
    (void)ctx;
    return calloc(1, bytes);
}

static inline void host_free(void *ctx, void *p, seL4_Word bytes)
{
    (void)ctx;
    (void)bytes;
    free(p);
}

static const kaal_allocator_t host_mem __attribute__((unused)) = {host_alloc, host_free, NULL};
