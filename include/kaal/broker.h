/* The capability broker's context: everything it owns, in one place. */
#pragma once

#include <sel4/sel4.h>
#include <kaal/bootinfo.h>
#include <kaal/cspace.h>
#include <kaal/err.h>
#include <kaal/heap.h>
#include <kaal/untyped.h>
#include <kaal/vspace.h>

/* Where the root task maps what it maps for itself: above the boot image, and
 * (on the sim) in a range the host process leaves free. */
#define BROKER_VSPACE_BASE 0x200000000000ul
#define BROKER_VSPACE_SIZE (1ul << 39)
/* Where the broker fills frames before they go to a component (an image's
 * segments, an information page): its paging structures are made once, by
 * spawn_prepare(), and kept. */
#define BROKER_WINDOW (BROKER_VSPACE_BASE + (4ul << 20))
/* The broker's heap (heap.h): the next 512 GiB, under a PML4 entry of its own. */
#define BROKER_HEAP_BASE (BROKER_VSPACE_BASE + BROKER_VSPACE_SIZE)
#define BROKER_HEAP_SIZE (1ul << 39)

typedef struct broker {
    const seL4_BootInfo *bi;
    cspace_t slots;          /* the root CNode's empty slots */
    untyped_alloc_t mem;     /* all RAM untypeds */
    untyped_alloc_t devmem;  /* all device untypeds, for MMIO */
    vspace_t vspace;         /* the root task's own address space */
    int window_ready;        /* BROKER_WINDOW's paging structures are made (spawn_prepare) */
    untyped_quota_t own;     /* what the broker holds for itself: its paging structures and its heap's frames */
    heap_t heap;             /* its tables, grown as the system grows */
    seL4_CPtr top;           /* once started: its top CNode, guarded (broker_start), or 0 */
    seL4_CPtr top_raw;       /* the same, as retyped */
    seL4_Word leaves;        /* leaf CNodes under the top one, the root CNode first */
    seL4_CPtr *asid_pools;   /* the pools it made beyond the initial one (its heap), newest last */
    unsigned nasid_pools, asid_pools_room;
} broker_t;

/* The radix of the broker's top CNode, once started: up to 2^8 leaves of the root CNode's size. */
#define BROKER_TOP_BITS 8u

/* Validates the bootinfo and takes over its empty slots and RAM untypeds. Makes no invocation. */
kaal_err_t broker_init(broker_t *b, const seL4_BootInfo *bi, bootinfo_problem_t *why);

/*
 * Makes the broker's CSpace grow past the root CNode: a top CNode, with the
 * root CNode as its first leaf, becomes the root task's CSpace, so every cptr
 * keeps its meaning; when slots run short the broker adds a leaf CNode of the
 * root CNode's size from untyped memory (cspace.h). Invocations through
 * seL4_CapInitThreadCNode still reach the root CNode's slots only; the broker
 * addresses all of them through b->slots.root.
 */
kaal_err_t broker_start(broker_t *b);

/* An ASID for a new address space: from a pool with room, or from a new pool the broker makes
 * (of a 4 KiB untyped) when that one is full. KAAL_E_NO_METADATA when the kernel has no more. */
kaal_err_t broker_assign_asid(broker_t *b, seL4_CPtr vspace, seL4_Word *invocations);

/* What the broker holds for itself (b->own: its paging structures, its heap, its CNodes): untyped
 * bytes, and slots of its CSpace. */
seL4_Word broker_own_bytes(const broker_t *b);
seL4_Word broker_own_slots(const broker_t *b);
/* What the broker has given out (to components, channels and grants), its own not counted. */
seL4_Word broker_given_bytes(const broker_t *b);
seL4_Word broker_given_slots(const broker_t *b);
