/*
 * The untyped allocator: kernel objects of any type and size from the
 * untyped memory the broker owns. It is a buddy allocator whose blocks are
 * untyped caps: a block larger than the request is split by retyping it into
 * two untypeds of half its size; an object is retyped from a block of exactly
 * its size; freeing revokes the block (the object and every copy of its cap
 * go) so the block can be retyped again. Free buddies are merged again only
 * when a request cannot otherwise be met (revoking their parent), so an
 * alloc/free loop does not split and merge each time.
 *
 * Accounting is exact: free_bytes + used_bytes == total_bytes always, where
 * total_bytes is the sum of the untypeds added.
 *
 * Its bookkeeping (a node per block) starts in a table of its own and grows,
 * when an allocator is given (untyped_set_allocator), into memory from it:
 * twice as large each time, before an allocation could run short.
 */
#pragma once

#include <stdint.h>
#include <sel4/sel4.h>
#include <kaal/allocator.h>
#include <kaal/cspace.h>
#include <kaal/err.h>

#define UNTYPED_INLINE_BLOCKS 1024u /* nodes before the first growth */
#define UNTYPED_LEVELS (seL4_MaxUntypedBits + 1)

typedef struct ut_block {
    seL4_CPtr cap;
    seL4_Word paddr;
    uint8_t bits, state;
    uint8_t run_bits;        /* used by a run (untyped_alloc_objects): it holds 2^run_bits objects */
    int32_t parent, sibling; /* -1 for an untyped that was added, not split off */
    int32_t next, prev;      /* links in the free list of its size, or the spare list */
} ut_block_t;

typedef struct untyped_alloc {
    cspace_t *cs; /* where object and split caps go */
    seL4_Word total_bytes, free_bytes, used_bytes;
    seL4_Word splits, merges; /* retypes into halves, and revokes that undo them */
    seL4_Word invocations;    /* every kernel invocation the allocator made */
    int32_t free_head[UNTYPED_LEVELS];
    int32_t spare;
    uint32_t nspare;
    ut_block_t *blocks;                  /* inline_blocks, or a larger table from the allocator */
    uint32_t capacity;
    kaal_allocator_t grow;               /* where a larger table comes from (alloc NULL: none) */
    int growing;
    ut_block_t inline_blocks[UNTYPED_INLINE_BLOCKS];
} untyped_alloc_t;

/* An allocated object: its cap (in the allocator's CSpace) and where it lives.
 * size_bits is its block's size; an object of a run (untyped_alloc_objects)
 * shares its run's block, of 2^(size_bits + run_bits) bytes, with the others. */
typedef struct kaal_obj {
    seL4_CPtr cap;
    seL4_Word paddr;
    seL4_Word type;
    uint8_t size_bits;
    uint8_t run_bits;   /* 0: an object of its own; else one of a run of 2^run_bits */
    uint16_t run_index; /* its place in the run: the first is 0 */
    int32_t block;
} kaal_obj_t;

/* A budget of untyped bytes (a component's memory quota): objects charged to
 * it are refused with KAAL_E_QUOTA when `used` would pass `limit`, before any
 * invocation is made. used <= limit always; used is the sum of the blocks
 * charged and not yet freed. */
typedef struct untyped_quota {
    seL4_Word limit, used;
} untyped_quota_t;

/* An empty allocator whose caps go into cs. */
void untyped_init(untyped_alloc_t *ua, cspace_t *cs);
/* Where its bookkeeping grows into once its own table runs short. */
void untyped_set_allocator(untyped_alloc_t *ua, kaal_allocator_t grow);
/* Gives the allocator an untyped cap (with no children) of 2^bits bytes at paddr. */
kaal_err_t untyped_add(untyped_alloc_t *ua, seL4_CPtr cap, seL4_Word paddr, uint8_t bits);
/* Adds every RAM untyped the bootinfo lists (device untypeds are for devices). */
kaal_err_t untyped_add_bootinfo(untyped_alloc_t *ua, const seL4_BootInfo *bi);

/* Size in bits of an object of the type (user_bits: CNode radix, untyped size). */
seL4_Word untyped_object_bits(seL4_Word type, seL4_Word user_bits);
kaal_err_t untyped_alloc(untyped_alloc_t *ua, seL4_Word type, seL4_Word user_bits, kaal_obj_t *out);
/* An object at a given physical address (aligned to its size), for device memory:
 * the block that contains it is split down to it. KAAL_E_NO_MEMORY if no free
 * block covers the address. */
kaal_err_t untyped_alloc_at(untyped_alloc_t *ua, seL4_Word type, seL4_Word user_bits, seL4_Word paddr,
                            kaal_obj_t *out);
kaal_err_t untyped_free(untyped_alloc_t *ua, const kaal_obj_t *obj);
/* An object charged to q retyped straight into slot `offset` of the CNode at (root, node_index,
 * node_depth) rather than a slot of the allocator's own: for a CNode that becomes part of the
 * allocator's CSpace. It is never freed (out->cap is 0). */
kaal_err_t untyped_alloc_to(untyped_alloc_t *ua, untyped_quota_t *q, seL4_Word type, seL4_Word user_bits,
                            seL4_CPtr root, seL4_Word node_index, seL4_Word node_depth, seL4_Word offset,
                            kaal_obj_t *out);
/* untyped_alloc and untyped_free, charged to q (the block's whole size); q may be NULL: no budget. */
kaal_err_t untyped_alloc_charged(untyped_alloc_t *ua, untyped_quota_t *q, seL4_Word type, seL4_Word user_bits,
                                 kaal_obj_t *out);
kaal_err_t untyped_free_charged(untyped_alloc_t *ua, untyped_quota_t *q, const kaal_obj_t *obj);

/* The largest run: as many objects as one retype makes (seL4_UntypedRetypeMaxObjects). */
#define UNTYPED_RUN_MAX_BITS 8u

/*
 * n objects of one fixed-size type (frames, say) in as few retypes as the
 * kernel's fan-out allows: runs of 2^UNTYPED_RUN_MAX_BITS, then each
 * power-of-two part of the rest, each retyped at once from a block of exactly
 * its size, into consecutive slots. Charged to q (may be NULL), whole
 * or not at all: on error nothing is left allocated. The objects of a run are
 * freed together, with untyped_free_objects; untyped_free refuses them.
 */
kaal_err_t untyped_alloc_objects(untyped_alloc_t *ua, untyped_quota_t *q, seL4_Word type, seL4_Word n,
                                 kaal_obj_t *objs);
/* One run of 2^run_bits objects; *first describes the first, object i is first->cap + i at
 * first->paddr + i * 2^first->size_bits. Freed with untyped_free_run(first). */
kaal_err_t untyped_alloc_run(untyped_alloc_t *ua, untyped_quota_t *q, seL4_Word type, unsigned run_bits,
                             kaal_obj_t *first);
kaal_err_t untyped_free_run(untyped_alloc_t *ua, untyped_quota_t *q, const kaal_obj_t *first);
/* Frees objects[0..n) of untyped_alloc_objects (or untyped_alloc) calls: every run whole, caps zeroed. */
void untyped_free_objects(untyped_alloc_t *ua, untyped_quota_t *q, kaal_obj_t *objs, seL4_Word n);
/* Adds every device untyped the bootinfo lists. */
kaal_err_t untyped_add_bootinfo_devices(untyped_alloc_t *ua, const seL4_BootInfo *bi);

/* Merges every pair of free buddies back into their parent (revoking it),
 * returning split slots to the CSpace. Allocation does this by itself when a
 * request cannot otherwise be met. */
void untyped_coalesce(untyped_alloc_t *ua);

/* The largest object size (bits) that can be allocated now without merging, 0 if none. */
unsigned untyped_largest_free(const untyped_alloc_t *ua);
