/* The capability broker's context: everything it owns, in one place. */
#pragma once

#include <sel4/sel4.h>
#include <kaal/bootinfo.h>
#include <kaal/cspace.h>
#include <kaal/err.h>
#include <kaal/untyped.h>

typedef struct broker {
    const seL4_BootInfo *bi;
    cspace_t slots;       /* the root CNode's empty slots */
    untyped_alloc_t mem;  /* all RAM untypeds */
} broker_t;

/* Validates the bootinfo and takes over its empty slots and RAM untypeds. */
kaal_err_t broker_init(broker_t *b, const seL4_BootInfo *bi, bootinfo_problem_t *why);
