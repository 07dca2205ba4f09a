/*
 * Shared vocabulary of the conformance cases: checks for the error reports
 * the kernel writes into the message registers, the cap tags that
 * seL4_DebugCapIdentify answers with, and short forms of the CNode
 * operations on the root CNode. libsel4 and the harness only, no libc.
 */
#pragma once

#include "harness.h"

/* seL4_DebugCapIdentify returns the kernel's cap tag; these are x86_64's. */
enum conf_cap_tag {
    TAG_NULL = 0,
    TAG_FRAME = 1,
    TAG_UNTYPED = 2,
    TAG_PAGE_TABLE = 3,
    TAG_ENDPOINT = 4,
    TAG_PAGE_DIRECTORY = 5,
    TAG_NOTIFICATION = 6,
    TAG_PDPT = 7,
    TAG_REPLY = 8,
    TAG_PML4 = 9,
    TAG_CNODE = 10,
    TAG_ASID_CONTROL = 11,
    TAG_THREAD = 12,
    TAG_ASID_POOL = 13,
    TAG_IRQ_CONTROL = 14,
    TAG_IO_SPACE = 15,
    TAG_IRQ_HANDLER = 16,
    TAG_IO_PAGE_TABLE = 17,
    TAG_IO_PORT = 19,
    TAG_DOMAIN = 20,
    TAG_IO_PORT_CONTROL = 31,
};

#define CHECK_TAG(slot_, tag_) CHECK_EQ(seL4_DebugCapIdentify(slot_), (tag_))
#define CHECK_EMPTY(slot_) CHECK_TAG(slot_, TAG_NULL)

/* The error and the message registers that describe it (setMRs_syscall_error). */
#define CHECK_ARG_ERR(expr_, index_)                \
    do {                                            \
        CHECK_ERR((expr_), seL4_InvalidArgument);   \
        CHECK_MR(0, (index_));                      \
    } while (0)

#define CHECK_RANGE_ERR(expr_, min_, max_)          \
    do {                                            \
        CHECK_ERR((expr_), seL4_RangeError);        \
        CHECK_MR(0, (min_));                        \
        CHECK_MR(1, (max_));                        \
    } while (0)

#define CHECK_MEMORY_ERR(expr_, bytes_left_)        \
    do {                                            \
        CHECK_ERR((expr_), seL4_NotEnoughMemory);   \
        CHECK_MR(0, (bytes_left_));                 \
    } while (0)

/* FailedLookup: MR0 says whether the source (1) or the destination (0)
 * failed, MR1 the lookup failure type, MR2.. its details. */
#define CHECK_INVALID_ROOT(expr_, source_)          \
    do {                                            \
        CHECK_ERR((expr_), seL4_FailedLookup);      \
        CHECK_MR(0, (source_));                     \
        CHECK_MR(1, seL4_InvalidRoot);              \
    } while (0)

#define CHECK_MISSING_CAP(expr_, source_, bits_left_) \
    do {                                              \
        CHECK_ERR((expr_), seL4_FailedLookup);        \
        CHECK_MR(0, (source_));                       \
        CHECK_MR(1, seL4_MissingCapability);          \
        CHECK_MR(2, (bits_left_));                    \
    } while (0)

#define CHECK_DEPTH_MISMATCH(expr_, source_, bits_left_, bits_found_) \
    do {                                                              \
        CHECK_ERR((expr_), seL4_FailedLookup);                        \
        CHECK_MR(0, (source_));                                       \
        CHECK_MR(1, seL4_DepthMismatch);                              \
        CHECK_MR(2, (bits_left_));                                    \
        CHECK_MR(3, (bits_found_));                                   \
    } while (0)

#define CHECK_GUARD_MISMATCH(expr_, source_, bits_left_, guard_found_, bits_found_) \
    do {                                                                            \
        CHECK_ERR((expr_), seL4_FailedLookup);                                      \
        CHECK_MR(0, (source_));                                                     \
        CHECK_MR(1, seL4_GuardMismatch);                                            \
        CHECK_MR(2, (bits_left_));                                                  \
        CHECK_MR(3, (guard_found_));                                                \
        CHECK_MR(4, (bits_found_));                                                 \
    } while (0)

#define SRC 1 /* the failed lookup was the source's */
#define DEST 0

/* CNode operations with both slots in the root CNode at full depth. */
static inline seL4_Error conf_copy(conf_env_t *e, seL4_CPtr dest, seL4_CPtr src, seL4_CapRights_t rights)
{
    return seL4_CNode_Copy(e->cnode, dest, e->depth, e->cnode, src, e->depth, rights);
}

static inline seL4_Error conf_mint(conf_env_t *e, seL4_CPtr dest, seL4_CPtr src, seL4_CapRights_t rights,
                                   seL4_Word badge)
{
    return seL4_CNode_Mint(e->cnode, dest, e->depth, e->cnode, src, e->depth, rights, badge);
}

static inline seL4_Error conf_move(conf_env_t *e, seL4_CPtr dest, seL4_CPtr src)
{
    return seL4_CNode_Move(e->cnode, dest, e->depth, e->cnode, src, e->depth);
}

static inline seL4_Error conf_mutate(conf_env_t *e, seL4_CPtr dest, seL4_CPtr src, seL4_Word data)
{
    return seL4_CNode_Mutate(e->cnode, dest, e->depth, e->cnode, src, e->depth, data);
}

static inline seL4_Error conf_rotate(conf_env_t *e, seL4_CPtr dest, seL4_CPtr pivot, seL4_CPtr src)
{
    return seL4_CNode_Rotate(e->cnode, dest, e->depth, 0, e->cnode, pivot, e->depth, 0, e->cnode, src, e->depth);
}

static inline seL4_Error conf_delete(conf_env_t *e, seL4_CPtr slot)
{
    return seL4_CNode_Delete(e->cnode, slot, e->depth);
}

static inline seL4_Error conf_revoke(conf_env_t *e, seL4_CPtr slot)
{
    return seL4_CNode_Revoke(e->cnode, slot, e->depth);
}

/* Retypes n objects from ut into the root CNode's slots from `slot` on. */
static inline seL4_Error conf_retype(conf_env_t *e, seL4_CPtr ut, seL4_Word type, seL4_Word size_bits,
                                     seL4_CPtr slot, seL4_Word n)
{
    return seL4_Untyped_Retype(ut, type, size_bits, e->cnode, 0, 0, slot, n);
}

/* The badge a non-blocking receive returns; ~0 if the kernel left it alone. */
static inline seL4_Word conf_poll(seL4_CPtr ntfn)
{
    seL4_Word badge = ~0ul;
    seL4_Poll(ntfn, &badge);
    return badge;
}

/* A frame's physical address, or ~0 if the frame cannot say. */
static inline seL4_Word conf_paddr(seL4_CPtr frame)
{
    seL4_X86_Page_GetAddress_t r = seL4_X86_Page_GetAddress(frame);
    return r.error == seL4_NoError ? r.paddr : ~0ul;
}

/* A device untyped of at least 2^min_bits bytes from bootinfo, or seL4_CapNull. */
static inline seL4_CPtr conf_device_untyped(conf_env_t *e, seL4_Word min_bits, seL4_Word *paddr, seL4_Word *bits)
{
    seL4_BootInfo *bi = e->bi;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (d->isDevice && d->sizeBits >= min_bits) {
            *paddr = d->paddr;
            *bits = d->sizeBits;
            return bi->untyped.start + i;
        }
    }
    return seL4_CapNull;
}
