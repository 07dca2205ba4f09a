/*
 * Memory for tables that grow (the untyped allocator's blocks, the slot
 * allocator's lists, a system's components): a pair of functions and their
 * context. The root task's come from the broker's heap (heap_allocator());
 * host tools may give malloc's. alloc returns zeroed memory or NULL.
 */
#pragma once

#include <sel4/sel4.h>

typedef struct kaal_allocator {
    void *(*alloc)(void *ctx, seL4_Word bytes);
    void (*free)(void *ctx, void *p, seL4_Word bytes);
    void *ctx;
} kaal_allocator_t;
