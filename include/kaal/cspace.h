/*
 * The slot allocator: hands out the empty slots of a CNode. Single slots are
 * O(1) to allocate and free (a free list threaded through the slot indices);
 * contiguous runs, for retype windows, come from a bitmap scan. A slot is
 * never handed out twice, and freeing a slot that is not allocated is an
 * error, not a corruption.
 *
 * Slots may be held by what can give them back (the broker's split untypeds:
 * two slots each for free buddies that could merge). Such an owner registers
 * a reclaim hook; when a request finds too few free slots, the allocator
 * calls it once and tries again, so slots run out only when nothing can be
 * given back.
 *
 * The slots need not all lie in one CNode: a two-level CSpace (the broker's,
 * once it has grown past its root CNode) has leaf CNodes of 2^leaf_bits slots
 * each under a top one, and slot cptr c is slot c mod 2^leaf_bits of leaf
 * c >> leaf_bits. Runs never cross a leaf, and cspace_dest says where a
 * retype must put a slot's object. The slots grow (cspace_add) when a grow
 * hook, asked before the last few are gone, adds a leaf; the tables grow
 * with them, in memory from an allocator.
 */
#pragma once

#include <stdint.h>
#include <sel4/sel4.h>
#include <kaal/allocator.h>
#include <kaal/err.h>

#define CSPACE_MAX_SLOTS 4096u /* slots the tables hold before they grow */
#define CSPACE_RESERVE 128u    /* free slots below which the grow hook is asked for more */

typedef void (*cspace_reclaim_fn)(void *ctx);
typedef void (*cspace_grow_fn)(void *ctx);

typedef struct cspace {
    seL4_CPtr root;  /* the CSpace the slots are addressed in, with depth */
    seL4_Uint8 depth;
    seL4_CPtr first; /* slots [first, first + count) are managed */
    uint32_t count, nfree;
    int32_t head;    /* the free list, as indices from first; -1 is empty */
    int32_t *next, *prev;
    uint64_t *free_bits; /* 1 = free */
    uint32_t first_free_word; /* no free bit in the words of free_bits below it: where runs are sought from */
    uint32_t capacity;   /* entries the tables hold */
    unsigned leaf_bits;  /* 0: one CNode; else the leaves' radix (two levels) */
    cspace_reclaim_fn reclaim; /* called when slots run short (may be NULL) */
    void *reclaim_ctx;
    int reclaiming;            /* inside the hook: no second call */
    cspace_grow_fn grow;       /* called when free slots fall below CSPACE_RESERVE (may be NULL) */
    void *grow_ctx;
    int growing;
    kaal_allocator_t tables;   /* where larger tables come from */
    int32_t inline_next[CSPACE_MAX_SLOTS], inline_prev[CSPACE_MAX_SLOTS];
    uint64_t inline_bits[CSPACE_MAX_SLOTS / 64];
} cspace_t;

/* Manages slots [start, end) of the CNode `root`, all initially free. */
kaal_err_t cspace_init(cspace_t *cs, seL4_CPtr root, seL4_Uint8 depth, seL4_CPtr start, seL4_CPtr end);
/* The hook that frees slots when a request finds too few (it may free slots, not allocate them). */
void cspace_set_reclaim(cspace_t *cs, cspace_reclaim_fn fn, void *ctx);
/* The hook that adds slots (cspace_add) when few are left; it may allocate some of the last
 * ones itself. The tables grow in memory from `tables`. */
void cspace_set_grow(cspace_t *cs, cspace_grow_fn fn, void *ctx, kaal_allocator_t tables);
/* Manages [start, start + n) too, all free: it must follow the slots managed so far. */
kaal_err_t cspace_add(cspace_t *cs, seL4_CPtr start, seL4_Word n);
/* Where a retype puts the object for `slot`: the CNode (node_index at node_depth from cs->root)
 * and the offset in it, as seL4_Untyped_Retype takes them. */
void cspace_dest(const cspace_t *cs, seL4_CPtr slot, seL4_Word *node_index, seL4_Word *node_depth,
                 seL4_Word *offset);
kaal_err_t cspace_slot_alloc(cspace_t *cs, seL4_CPtr *slot);
kaal_err_t cspace_slot_free(cspace_t *cs, seL4_CPtr slot);
/* n contiguous slots; *first is the lowest. */
kaal_err_t cspace_range_alloc(cspace_t *cs, seL4_Word n, seL4_CPtr *first);
kaal_err_t cspace_range_free(cspace_t *cs, seL4_CPtr first, seL4_Word n);
/* Marks a slot allocated that is already in use (for example, handed out by boot). */
kaal_err_t cspace_slot_claim(cspace_t *cs, seL4_CPtr slot);
seL4_Word cspace_free_count(const cspace_t *cs);
