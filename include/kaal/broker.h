/* The capability broker's context: everything it owns, in one place. */
#pragma once

#include <sel4/sel4.h>
#include <kaal/bootinfo.h>
#include <kaal/cspace.h>
#include <kaal/err.h>
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

typedef struct broker {
    const seL4_BootInfo *bi;
    cspace_t slots;          /* the root CNode's empty slots */
    untyped_alloc_t mem;     /* all RAM untypeds */
    untyped_alloc_t devmem;  /* all device untypeds, for MMIO */
    vspace_t vspace;         /* the root task's own address space */
    int window_ready;        /* BROKER_WINDOW's paging structures are made (spawn_prepare) */
} broker_t;

/* Validates the bootinfo and takes over its empty slots and RAM untypeds. */
kaal_err_t broker_init(broker_t *b, const seL4_BootInfo *bi, bootinfo_problem_t *why);
