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

/* Room in *table (of *room entries of `size` bytes) for `need`: if it has too little, a table
 * twice as large (or more) takes its place, its entries copied, the rest zeroed. 0 if there is
 * no memory (the table is as it was). */
int kaal_room(const kaal_allocator_t *mem, void **table, unsigned *room, unsigned need, seL4_Word size);
/* Gives a table back (it may be NULL) and clears the pointer and its room. */
void kaal_table_free(const kaal_allocator_t *mem, void **table, unsigned *room, seL4_Word size);
