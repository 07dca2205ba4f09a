/*
 * The VSpace manager: one address space (its root with an ASID; the paging
 * levels are the architecture's, include/kaal/arch.h). It
 * reserves virtual ranges, maps and unmaps 4 KiB and 2 MiB frames in them,
 * allocates the paging structures a mapping needs from the untyped
 * allocator, charged to the owner's quota where it has one (a mapping that
 * would need a table beyond it fails with KAAL_E_QUOTA), and frees each one
 * as soon as nothing is mapped below it.
 * Mapping over a mapped page is an error (the kernel itself would silently
 * overwrite it). Frames stay the caller's: the manager maps the caps it is
 * given and never deletes them. Its tables of paging structures and of
 * reservations start small, inside it, and grow into memory from the
 * allocator it is given (vspace_set_allocator): as many as memory allows.
 */
#pragma once

#include <stdint.h>
#include <sel4/sel4.h>
#include <kaal/allocator.h>
#include <kaal/arch.h>
#include <kaal/err.h>
#include <kaal/untyped.h>

#define VSPACE_INLINE_TABLES 16u       /* paging structures before its table grows */
#define VSPACE_INLINE_RESERVATIONS 8u  /* reservations likewise */

typedef struct vs_table {
    kaal_obj_t obj;      /* the table (x86_64: PDPT, PD or PT) */
    seL4_Word base;      /* first virtual address it covers */
    int16_t parent;      /* index of the table above, -1 under the PML4 */
    uint16_t used;       /* entries in use: tables below and pages */
    uint8_t level;       /* 1 (maps 4 KiB pages) .. ARCH_LEVELS (under the root); 0: slot free */
    uint8_t pinned;      /* kept when empty (vspace_pin) */
    uint64_t pages[(1u << ARCH_INDEX_BITS) / 64]; /* entries that map a page, a bit each */
} vs_table_t;

typedef struct vs_range {
    seL4_Word start, end;
} vs_range_t;

typedef struct vspace {
    seL4_CPtr root;          /* the cap to its root (x86_64: the PML4), with an ASID */
    untyped_alloc_t *mem;    /* paging structures come from here */
    untyped_quota_t *quota;  /* and are charged to this; NULL: no budget (the broker's own) */
    seL4_Word invocations;   /* kernel invocations the manager made itself */
    unsigned ntables;
    vs_range_t *reserved;
    unsigned nreserved, reserved_room;
    vs_table_t *tables;      /* tables_room entries; level 0: free */
    unsigned tables_room;
    kaal_allocator_t grow;   /* where larger tables come from (alloc NULL: none) */
    vs_range_t inline_reserved[VSPACE_INLINE_RESERVATIONS];
    vs_table_t inline_tables[VSPACE_INLINE_TABLES];
} vspace_t;

void vspace_init(vspace_t *vs, seL4_CPtr pml4, untyped_alloc_t *mem, untyped_quota_t *quota);
/* Where its tables grow into past their first few entries. */
void vspace_set_allocator(vspace_t *vs, kaal_allocator_t grow);
/* Makes the tables that map the 4 KiB page at vaddr, and keeps them when nothing is mapped
 * below them, until vspace_destroy: for a window that is mapped and unmapped over and over. */
kaal_err_t vspace_pin(vspace_t *vs, seL4_Word vaddr);
/* Frees every paging structure at once, and its grown tables (the address space is going: its
 * frames are the caller's to free). */
void vspace_destroy(vspace_t *vs);
/* Reserves [vaddr, vaddr + size): page aligned, below the user top, free of other reservations. */
kaal_err_t vspace_reserve(vspace_t *vs, seL4_Word vaddr, seL4_Word size);
kaal_err_t vspace_unreserve(vspace_t *vs, seL4_Word vaddr);
/* Maps a frame cap of 2^size_bits bytes (12 or 21) at vaddr, inside a reservation, with kaal's
 * attributes (ARCH_MAP_UNCACHED, ARCH_MAP_EXECUTABLE; ARCH_MAP_DEFAULT: cached, not for code). */
kaal_err_t vspace_map(vspace_t *vs, seL4_CPtr frame, seL4_Word vaddr, unsigned size_bits, seL4_CapRights_t rights,
                      unsigned attrs);
/* Unmaps the frame mapped at vaddr (the same cap that was mapped), freeing empty paging structures. */
kaal_err_t vspace_unmap(vspace_t *vs, seL4_CPtr frame, seL4_Word vaddr, unsigned size_bits);
/* Whether a page of 2^size_bits is mapped at vaddr. */
int vspace_is_mapped(const vspace_t *vs, seL4_Word vaddr, unsigned size_bits);
