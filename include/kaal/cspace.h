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
 */
#pragma once

#include <stdint.h>
#include <sel4/sel4.h>
#include <kaal/err.h>

#define CSPACE_MAX_SLOTS 4096u

typedef void (*cspace_reclaim_fn)(void *ctx);

typedef struct cspace {
    seL4_CPtr root;  /* the CNode the slots belong to (addressed with depth) */
    seL4_Uint8 depth;
    seL4_CPtr first; /* slots [first, first + count) are managed */
    uint32_t count, nfree;
    int32_t head;    /* the free list, as indices from first; -1 is empty */
    int32_t next[CSPACE_MAX_SLOTS], prev[CSPACE_MAX_SLOTS];
    uint64_t free_bits[CSPACE_MAX_SLOTS / 64]; /* 1 = free */
    cspace_reclaim_fn reclaim; /* called when slots run short (may be NULL) */
    void *reclaim_ctx;
    int reclaiming;            /* inside the hook: no second call */
} cspace_t;

/* Manages slots [start, end) of the CNode `root`, all initially free. */
kaal_err_t cspace_init(cspace_t *cs, seL4_CPtr root, seL4_Uint8 depth, seL4_CPtr start, seL4_CPtr end);
/* The hook that frees slots when a request finds too few (it may free slots, not allocate them). */
void cspace_set_reclaim(cspace_t *cs, cspace_reclaim_fn fn, void *ctx);
kaal_err_t cspace_slot_alloc(cspace_t *cs, seL4_CPtr *slot);
kaal_err_t cspace_slot_free(cspace_t *cs, seL4_CPtr slot);
/* n contiguous slots; *first is the lowest. */
kaal_err_t cspace_range_alloc(cspace_t *cs, seL4_Word n, seL4_CPtr *first);
kaal_err_t cspace_range_free(cspace_t *cs, seL4_CPtr first, seL4_Word n);
/* Marks a slot allocated that is already in use (for example, handed out by boot). */
kaal_err_t cspace_slot_claim(cspace_t *cs, seL4_CPtr slot);
seL4_Word cspace_free_count(const cspace_t *cs);
