/*
 * The broker's heap: memory for its own tables (components, channels, the
 * allocators' bookkeeping), which grow with the system instead of being
 * fixed in size. It is a range of the broker's address space backed on
 * demand with 2 MiB frames from the untyped allocator: chunk k holds 2^k of
 * them, so a table of 48 chunks covers any size the machine has memory for,
 * each chunk is one run (one retype per 256 frames), and the heap holds one
 * slot per 2 MiB. Allocations come in power-of-two size
 * classes from the range; what is freed goes on its class's list and is used
 * again. Pages stay with the heap once mapped: they are the broker's own,
 * charged to the quota the broker keeps for itself.
 *
 * heap_alloc returns zeroed memory, aligned to its class (at least 16
 * bytes), or NULL when memory runs out.
 */
#pragma once

#include <stddef.h>
#include <sel4/sel4.h>
#include <kaal/allocator.h>
#include <kaal/untyped.h>
#include <kaal/vspace.h>

#define HEAP_CHUNKS 48
#define HEAP_CLASSES 48
#define HEAP_MIN_BITS 4

typedef struct heap_free {
    struct heap_free *next;
} heap_free_t;

typedef struct heap {
    vspace_t *vs;             /* where it is mapped: the broker's own address space */
    untyped_alloc_t *mem;     /* its frames come from here */
    untyped_quota_t *quota;   /* and are charged to this */
    seL4_Word base, end;      /* its reserved range */
    seL4_Word brk, mapped;    /* [base, brk) handed out, [base, mapped) backed by frames */
    seL4_Word frames;         /* 2 MiB frames it holds (a slot each) */
    kaal_obj_t chunks[HEAP_CHUNKS]; /* the first frame of each chunk's run: chunk k is 2^k frames */
    unsigned nchunks;
    heap_free_t *free[HEAP_CLASSES];
    int growing; /* mapping a chunk: what that needs must not come from here */
} heap_t;

/* A heap over [base, base + size) of vs (reserved here), backed from mem and charged to quota. */
kaal_err_t heap_init(heap_t *h, vspace_t *vs, untyped_alloc_t *mem, untyped_quota_t *quota, seL4_Word base,
                     seL4_Word size);
void *heap_alloc(heap_t *h, seL4_Word size);
/* Gives back what heap_alloc(h, size) returned (p may be NULL). */
void heap_free(heap_t *h, void *p, seL4_Word size);
/* An allocation of `size` bytes that keeps the first `old` bytes of p (p may be NULL), the rest zeroed. */
void *heap_resize(heap_t *h, void *p, seL4_Word old, seL4_Word size);
/* The heap as an allocator of growing tables. */
kaal_allocator_t heap_allocator(heap_t *h);
