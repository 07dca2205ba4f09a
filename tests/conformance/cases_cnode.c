/*
 * CNode invocations (decodeCNodeInvocation): Copy, Mint, Move, Mutate,
 * Rotate, Delete, Revoke, SaveCaller and CancelBadgedSends, their success
 * paths and their errors in the order the kernel checks them. The first
 * cases mirror sel4test's CNODEOP0001-0009.
 */
#include "conf_checks.h"

/* ---- sel4test CNODEOP0001-0009 ---------------------------------------- */

CONF_CASE(cnode_copy_basic, "CNODEOP0001")
{
    seL4_CPtr tcb = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr dest = conf_slot(e);
    CHECK_OK(conf_copy(e, dest, tcb, seL4_AllRights));
    CHECK_TAG(dest, TAG_THREAD);

    seL4_CPtr other = conf_make(e, seL4_TCBObject, 0);
    CHECK_ERR(conf_copy(e, other, tcb, seL4_AllRights), seL4_DeleteFirst);

    seL4_CPtr empty = conf_slot(e);
    CHECK_ERR(conf_copy(e, other, empty, seL4_AllRights), seL4_DeleteFirst);

    seL4_CPtr empty_dest = conf_slot(e);
    CHECK_MISSING_CAP(conf_copy(e, empty_dest, empty, seL4_AllRights), SRC, seL4_WordBits);
    CHECK_EMPTY(empty_dest);
}

CONF_CASE(cnode_delete_basic, "CNODEOP0002")
{
    seL4_CPtr tcb = conf_make(e, seL4_TCBObject, 0);
    CHECK_OK(conf_delete(e, tcb));
    CHECK_EMPTY(tcb);
    seL4_CPtr empty = conf_slot(e);
    CHECK_OK(conf_delete(e, empty));
    CHECK_EMPTY(empty);
}

CONF_CASE(cnode_mint_basic, "CNODEOP0003")
{
    seL4_CPtr tcb = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr dest = conf_slot(e);
    CHECK_OK(conf_mint(e, dest, tcb, seL4_AllRights, 0));
    CHECK_TAG(dest, TAG_THREAD);

    seL4_CPtr other = conf_make(e, seL4_TCBObject, 0);
    CHECK_ERR(conf_mint(e, other, tcb, seL4_AllRights, 0), seL4_DeleteFirst);

    seL4_CPtr empty = conf_slot(e), empty_dest = conf_slot(e);
    CHECK_MISSING_CAP(conf_mint(e, empty_dest, empty, seL4_AllRights, 0), SRC, seL4_WordBits);
}

CONF_CASE(cnode_move_basic, "CNODEOP0004")
{
    seL4_CPtr tcb = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr dest = conf_slot(e);
    CHECK_OK(conf_move(e, dest, tcb));
    CHECK_EMPTY(tcb);
    CHECK_TAG(dest, TAG_THREAD);

    seL4_CPtr empty = conf_slot(e), empty_dest = conf_slot(e);
    CHECK_MISSING_CAP(conf_move(e, empty_dest, empty), SRC, seL4_WordBits);
    CHECK_EMPTY(empty_dest);

    seL4_CPtr a = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr b = conf_make(e, seL4_EndpointObject, 0);
    CHECK_ERR(conf_move(e, b, a), seL4_DeleteFirst);
    CHECK_TAG(a, TAG_THREAD);
    CHECK_TAG(b, TAG_ENDPOINT);
}

CONF_CASE(cnode_mutate_basic, "CNODEOP0005")
{
    seL4_CPtr tcb = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr dest = conf_slot(e);
    CHECK_OK(conf_mutate(e, dest, tcb, 0));
    CHECK_EMPTY(tcb);
    CHECK_TAG(dest, TAG_THREAD);

    seL4_CPtr a = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr b = conf_make(e, seL4_TCBObject, 0);
    CHECK_ERR(conf_mutate(e, b, a, 0), seL4_DeleteFirst);
    CHECK_TAG(a, TAG_THREAD);
    CHECK_TAG(b, TAG_THREAD);

    seL4_CPtr empty = conf_slot(e), empty_dest = conf_slot(e);
    CHECK_MISSING_CAP(conf_mutate(e, empty_dest, empty, 0), SRC, seL4_WordBits);
    CHECK_EMPTY(empty);
    CHECK_EMPTY(empty_dest);
}

CONF_CASE(cnode_cancel_badged_sends_basic, "CNODEOP0006")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    CHECK_OK(seL4_CNode_CancelBadgedSends(e->cnode, ep, e->depth));
    CHECK_TAG(ep, TAG_ENDPOINT);

    seL4_CPtr empty = conf_slot(e);
    CHECK_ERR(seL4_CNode_CancelBadgedSends(e->cnode, empty, e->depth), seL4_IllegalOperation);
    CHECK_EMPTY(empty);
}

CONF_CASE(cnode_revoke_basic, "CNODEOP0007")
{
    seL4_CPtr tcb = conf_make(e, seL4_TCBObject, 0);
    CHECK_OK(conf_revoke(e, tcb));
    CHECK_TAG(tcb, TAG_THREAD);
    seL4_CPtr empty = conf_slot(e);
    CHECK_OK(conf_revoke(e, empty));
    CHECK_EMPTY(empty);
}

/* Rotate cannot carry endpoints or notifications (see
 * cnode_rotate_endpoint_illegal), so these use a TCB and a frame. */
CONF_CASE(cnode_rotate_three_slots, "CNODEOP0008")
{
    seL4_CPtr src = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr pivot = conf_make(e, seL4_X86_4K, 0);
    seL4_CPtr dest = conf_slot(e);
    CHECK_OK(conf_rotate(e, dest, pivot, src));
    CHECK_EMPTY(src);
    CHECK_TAG(pivot, TAG_THREAD);
    CHECK_TAG(dest, TAG_FRAME);
}

CONF_CASE(cnode_rotate_dest_occupied, "CNODEOP0008")
{
    seL4_CPtr src = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr pivot = conf_make(e, seL4_X86_4K, 0);
    seL4_CPtr dest = conf_make(e, seL4_EndpointObject, 0);
    CHECK_ERR(conf_rotate(e, dest, pivot, src), seL4_DeleteFirst);
    CHECK_TAG(src, TAG_THREAD);
    CHECK_TAG(pivot, TAG_FRAME);
    CHECK_TAG(dest, TAG_ENDPOINT);
}

CONF_CASE(cnode_rotate_swap, "CNODEOP0008")
{
    seL4_CPtr src = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr pivot = conf_make(e, seL4_X86_4K, 0);
    CHECK_OK(conf_rotate(e, src, pivot, src));
    CHECK_TAG(src, TAG_FRAME);
    CHECK_TAG(pivot, TAG_THREAD);
}

CONF_CASE(cnode_rotate_pivot_is_source, "CNODEOP0008")
{
    seL4_CPtr src = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr dest = conf_slot(e);
    CHECK_ERR(conf_rotate(e, dest, src, src), seL4_IllegalOperation);
    CHECK_TAG(src, TAG_THREAD);
    CHECK_EMPTY(dest);
}

CONF_CASE(cnode_rotate_pivot_is_dest, "")
{
    seL4_CPtr src = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr pivot = conf_make(e, seL4_X86_4K, 0);
    /* The pivot check comes before the check that dest is empty. */
    CHECK_ERR(conf_rotate(e, pivot, pivot, src), seL4_IllegalOperation);
    CHECK_TAG(src, TAG_THREAD);
    CHECK_TAG(pivot, TAG_FRAME);
}

CONF_CASE(cnode_rotate_empty_slots, "CNODEOP0008")
{
    seL4_CPtr src = conf_slot(e), pivot = conf_slot(e), dest = conf_slot(e);
    CHECK_MISSING_CAP(conf_rotate(e, dest, pivot, src), SRC, seL4_WordBits);
    CHECK_EMPTY(src);
    CHECK_EMPTY(pivot);
    CHECK_EMPTY(dest);
}

CONF_CASE(cnode_rotate_empty_pivot, "")
{
    seL4_CPtr src = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr pivot = conf_slot(e), dest = conf_slot(e);
    /* An empty pivot is reported as a destination failure. */
    CHECK_MISSING_CAP(conf_rotate(e, dest, pivot, src), DEST, seL4_WordBits);
    CHECK_TAG(src, TAG_THREAD);
}

CONF_CASE(cnode_rotate_endpoint_illegal, "")
{
    /* Rotate rewrites both caps' data with preserve set, which no
     * endpoint or notification cap survives, badged or not. */
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr tcb = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr dest = conf_slot(e);
    CHECK_ERR(conf_rotate(e, dest, tcb, ep), seL4_IllegalOperation);
    CHECK_ERR(conf_rotate(e, dest, ntfn, tcb), seL4_IllegalOperation);
    CHECK_TAG(ep, TAG_ENDPOINT);
    CHECK_TAG(tcb, TAG_THREAD);
    CHECK_TAG(ntfn, TAG_NOTIFICATION);
    CHECK_EMPTY(dest);
}

CONF_CASE(cnode_rotate_lookup_order, "")
{
    seL4_CPtr src = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr pivot = conf_make(e, seL4_X86_4K, 0);
    seL4_CPtr dest = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr not_cnode = conf_make(e, seL4_NotificationObject, 0);
    /* The source is looked up first, then the pivot, then dest must be empty. */
    CHECK_RANGE_ERR(seL4_CNode_Rotate(e->cnode, dest, e->depth, 0, e->cnode, pivot, 0, 0, e->cnode, src, 0), 1,
                    seL4_WordBits);
    CHECK_INVALID_ROOT(
        seL4_CNode_Rotate(e->cnode, dest, e->depth, 0, e->cnode, pivot, e->depth, 0, not_cnode, src, e->depth), SRC);
    /* A pivot lookup failure counts as a source failure. */
    CHECK_INVALID_ROOT(
        seL4_CNode_Rotate(e->cnode, dest, e->depth, 0, not_cnode, pivot, e->depth, 0, e->cnode, src, e->depth), SRC);
    CHECK_ERR(conf_rotate(e, dest, pivot, src), seL4_DeleteFirst);
    /* The destination is looked up before anything else. */
    CHECK_RANGE_ERR(seL4_CNode_Rotate(e->cnode, dest, 0, 0, not_cnode, pivot, 0, 0, not_cnode, src, 0), 1,
                    seL4_WordBits);
}

CONF_CASE(cnode_save_caller_basic, "CNODEOP0009")
{
    /* The root task has no caller: the call succeeds and saves nothing. */
    seL4_CPtr slot = conf_slot(e);
    CHECK_OK(seL4_CNode_SaveCaller(e->cnode, slot, e->depth));
    CHECK_EMPTY(slot);

    seL4_CPtr tcb = conf_make(e, seL4_TCBObject, 0);
    CHECK_ERR(seL4_CNode_SaveCaller(e->cnode, tcb, e->depth), seL4_DeleteFirst);
    CHECK_TAG(tcb, TAG_THREAD);
}

CONF_CASE(cnode_save_caller_bad_depth, "")
{
    seL4_CPtr slot = conf_slot(e);
    CHECK_RANGE_ERR(seL4_CNode_SaveCaller(e->cnode, slot, 0), 1, seL4_WordBits);
    CHECK_RANGE_ERR(seL4_CNode_SaveCaller(e->cnode, slot, seL4_WordBits + 1), 1, seL4_WordBits);
}

/* ---- addressing errors -------------------------------------------------- */

CONF_CASE(cnode_copy_depth_out_of_range, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr dest = conf_slot(e);
    CHECK_RANGE_ERR(seL4_CNode_Copy(e->cnode, dest, 0, e->cnode, ep, e->depth, seL4_AllRights), 1, seL4_WordBits);
    CHECK_RANGE_ERR(seL4_CNode_Copy(e->cnode, dest, 65, e->cnode, ep, e->depth, seL4_AllRights), 1, seL4_WordBits);
    CHECK_RANGE_ERR(seL4_CNode_Copy(e->cnode, dest, e->depth, e->cnode, ep, 0, seL4_AllRights), 1, seL4_WordBits);
    CHECK_RANGE_ERR(seL4_CNode_Copy(e->cnode, dest, e->depth, e->cnode, ep, 255, seL4_AllRights), 1,
                    seL4_WordBits);
    CHECK_EMPTY(dest);
}

CONF_CASE(cnode_copy_dest_checked_first, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr full = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr empty = conf_slot(e);
    /* A full destination is reported before any problem with the source. */
    CHECK_ERR(seL4_CNode_Copy(e->cnode, full, e->depth, e->cnode, ep, 0, seL4_AllRights), seL4_DeleteFirst);
    CHECK_ERR(seL4_CNode_Copy(e->cnode, full, e->depth, ep, ep, e->depth, seL4_AllRights), seL4_DeleteFirst);
    CHECK_ERR(conf_copy(e, full, empty, seL4_AllRights), seL4_DeleteFirst);
    /* And a bad destination address before a full destination. */
    CHECK_RANGE_ERR(seL4_CNode_Copy(e->cnode, full, 0, e->cnode, ep, e->depth, seL4_AllRights), 1, seL4_WordBits);
}

CONF_CASE(cnode_copy_invalid_source_root, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr empty = conf_slot(e), dest = conf_slot(e);
    CHECK_INVALID_ROOT(seL4_CNode_Copy(e->cnode, dest, e->depth, empty, ep, e->depth, seL4_AllRights), SRC);
    CHECK_INVALID_ROOT(seL4_CNode_Copy(e->cnode, dest, e->depth, ep, ep, e->depth, seL4_AllRights), SRC);
    CHECK_INVALID_ROOT(seL4_CNode_Mint(e->cnode, dest, e->depth, ep, ep, e->depth, seL4_AllRights, 1), SRC);
    CHECK_INVALID_ROOT(seL4_CNode_Move(e->cnode, dest, e->depth, ep, ep, e->depth), SRC);
    CHECK_INVALID_ROOT(seL4_CNode_Mutate(e->cnode, dest, e->depth, ep, ep, e->depth, 0), SRC);
    CHECK_EMPTY(dest);
}

/* The root CNode has radix 12 and a 52-bit guard of 0: a cptr whose top bits
 * are not 0 fails the guard with 64 bits left to resolve. */
CONF_CASE(cnode_root_guard_mismatch, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr dest = conf_slot(e);
    seL4_Word guard_bits = seL4_WordBits - e->bi->initThreadCNodeSizeBits;
    seL4_Word high = 1ul << 63;
    CHECK_GUARD_MISMATCH(conf_copy(e, dest | high, ep, seL4_AllRights), DEST, seL4_WordBits, 0, guard_bits);
    CHECK_GUARD_MISMATCH(conf_copy(e, dest, ep | high, seL4_AllRights), SRC, seL4_WordBits, 0, guard_bits);
    CHECK_GUARD_MISMATCH(conf_delete(e, ep | high), DEST, seL4_WordBits, 0, guard_bits);
    CHECK_GUARD_MISMATCH(conf_revoke(e, ep | high), DEST, seL4_WordBits, 0, guard_bits);
    CHECK_TAG(ep, TAG_ENDPOINT);
}

CONF_CASE(cnode_root_short_depth, "")
{
    seL4_CPtr dest = conf_slot(e);
    seL4_Word guard_bits = seL4_WordBits - e->bi->initThreadCNodeSizeBits;
    /* Fewer bits than the guard: a guard mismatch with the bits given. */
    CHECK_GUARD_MISMATCH(seL4_CNode_Copy(e->cnode, dest, e->depth, e->cnode, seL4_CapInitThreadTCB, 32,
                                         seL4_AllRights),
                         SRC, 32, 0, guard_bits);
    /* The guard fits but the radix does not: a depth mismatch that found
     * the whole 64-bit level. */
    CHECK_DEPTH_MISMATCH(seL4_CNode_Copy(e->cnode, dest, e->depth, e->cnode, seL4_CapInitThreadTCB, 63,
                                         seL4_AllRights),
                         SRC, 63, seL4_WordBits);
    CHECK_DEPTH_MISMATCH(seL4_CNode_Delete(e->cnode, seL4_CapInitThreadTCB, 63), DEST, 63, seL4_WordBits);
    CHECK_TAG(seL4_CapInitThreadTCB, TAG_THREAD);
}

CONF_CASE(cnode_delete_revoke_bad_depth, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    CHECK_RANGE_ERR(seL4_CNode_Delete(e->cnode, ep, 0), 1, seL4_WordBits);
    CHECK_RANGE_ERR(seL4_CNode_Revoke(e->cnode, ep, 0), 1, seL4_WordBits);
    CHECK_RANGE_ERR(seL4_CNode_Delete(e->cnode, ep, 100), 1, seL4_WordBits);
    CHECK_RANGE_ERR(seL4_CNode_CancelBadgedSends(e->cnode, ep, 0), 1, seL4_WordBits);
    CHECK_TAG(ep, TAG_ENDPOINT);
}

CONF_CASE(cnode_copy_onto_itself, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    CHECK_ERR(conf_copy(e, ep, ep, seL4_AllRights), seL4_DeleteFirst);
    CHECK_ERR(conf_move(e, ep, ep), seL4_DeleteFirst);
    CHECK_ERR(conf_mint(e, ep, ep, seL4_AllRights, 3), seL4_DeleteFirst);
    CHECK_TAG(ep, TAG_ENDPOINT);
}

/* ---- caps that cannot be copied ----------------------------------------- */

CONF_CASE(cnode_copy_irq_control_illegal, "")
{
    seL4_CPtr dest = conf_slot(e);
    CHECK_ERR(conf_copy(e, dest, seL4_CapIRQControl, seL4_AllRights), seL4_IllegalOperation);
    CHECK_ERR(conf_mint(e, dest, seL4_CapIRQControl, seL4_AllRights, 0), seL4_IllegalOperation);
    CHECK_EMPTY(dest);
    CHECK_TAG(seL4_CapIRQControl, TAG_IRQ_CONTROL);
}

CONF_CASE(cnode_copy_io_port_control_illegal, "")
{
    seL4_CPtr dest = conf_slot(e);
    CHECK_ERR(conf_copy(e, dest, seL4_CapIOPortControl, seL4_AllRights), seL4_IllegalOperation);
    CHECK_ERR(conf_mint(e, dest, seL4_CapIOPortControl, seL4_AllRights, 0), seL4_IllegalOperation);
    CHECK_EMPTY(dest);
    CHECK_TAG(seL4_CapIOPortControl, TAG_IO_PORT_CONTROL);
}

CONF_CASE(cnode_copy_untyped_with_children, "")
{
    seL4_CPtr ut = conf_untyped(e, 12);
    seL4_CPtr dest = conf_slot(e);
    CHECK_OK(conf_copy(e, dest, ut, seL4_AllRights));
    CHECK_OK(conf_delete(e, dest));
    conf_retype(e, ut, seL4_EndpointObject, 0, conf_slot(e), 1);
    CHECK_ERR(conf_copy(e, dest, ut, seL4_AllRights), seL4_RevokeFirst);
    CHECK_ERR(conf_mint(e, dest, ut, seL4_AllRights, 0), seL4_RevokeFirst);
    CHECK_EMPTY(dest);
    /* Move does not derive, so it takes an untyped with children. */
    CHECK_OK(conf_move(e, dest, ut));
    CHECK_TAG(dest, TAG_UNTYPED);
}

CONF_CASE(cnode_copy_unmapped_paging_illegal, "")
{
    static const seL4_Word types[] = {seL4_X86_PageTableObject, seL4_X86_PageDirectoryObject, seL4_X86_PDPTObject,
                                      seL4_X64_PML4Object, seL4_X86_IOPageTableObject};
    seL4_CPtr dest = conf_slot(e);
    for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        seL4_CPtr obj = conf_make(e, types[i], 0);
        CHECK_ERR(conf_copy(e, dest, obj, seL4_AllRights), seL4_IllegalOperation);
        CHECK_ERR(conf_mint(e, dest, obj, seL4_AllRights, 0), seL4_IllegalOperation);
        CHECK_EMPTY(dest);
        /* Moving needs no derivation. */
        CHECK_OK(conf_move(e, dest, obj));
        CHECK_OK(conf_delete(e, dest));
    }
}

CONF_CASE(cnode_copy_mapped_paging_allowed, "")
{
    seL4_CPtr dest = conf_slot(e);
    CHECK_OK(conf_copy(e, dest, seL4_CapInitThreadVSpace, seL4_AllRights));
    CHECK_TAG(dest, TAG_PML4);
    CHECK_OK(conf_delete(e, dest));
    for (seL4_CPtr s = e->bi->userImagePaging.start; s < e->bi->userImagePaging.end; s++) {
        CHECK_OK(conf_copy(e, dest, s, seL4_AllRights));
        CHECK_EQ(seL4_DebugCapIdentify(dest), seL4_DebugCapIdentify(s));
        CHECK_OK(conf_delete(e, dest));
    }
}

CONF_CASE(cnode_copy_control_caps_allowed, "")
{
    static const seL4_CPtr caps[] = {seL4_CapASIDControl, seL4_CapInitThreadASIDPool, seL4_CapDomain,
                                     seL4_CapInitThreadTCB, seL4_CapBootInfoFrame};
    seL4_CPtr dest = conf_slot(e);
    for (unsigned i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        CHECK_OK(conf_copy(e, dest, caps[i], seL4_AllRights));
        CHECK_EQ(seL4_DebugCapIdentify(dest), seL4_DebugCapIdentify(caps[i]));
        CHECK_OK(conf_delete(e, dest));
    }
}

/* ---- Mint and Mutate data ------------------------------------------------ */

CONF_CASE(cnode_mint_cnode_guard_too_large, "")
{
    seL4_CPtr cn = conf_make(e, seL4_CapTableObject, 4);
    seL4_CPtr dest = conf_slot(e);
    /* Guard size plus radix may not exceed 64. */
    CHECK_ERR(conf_mint(e, dest, cn, seL4_AllRights, seL4_CNode_CapData_new(0, 61).words[0]), seL4_IllegalOperation);
    CHECK_EMPTY(dest);
    CHECK_ERR(conf_mutate(e, dest, cn, seL4_CNode_CapData_new(0, 63).words[0]), seL4_IllegalOperation);
    CHECK_TAG(cn, TAG_CNODE);
    CHECK_OK(conf_mint(e, dest, cn, seL4_AllRights, seL4_CNode_CapData_new(0, 60).words[0]));
    CHECK_TAG(dest, TAG_CNODE);
}

CONF_CASE(cnode_mutate_endpoint_illegal, "")
{
    /* Mutate cannot set a badge, not even 0, on an endpoint or notification. */
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr dest = conf_slot(e);
    CHECK_ERR(conf_mutate(e, dest, ep, 0), seL4_IllegalOperation);
    CHECK_ERR(conf_mutate(e, dest, ep, 5), seL4_IllegalOperation);
    CHECK_ERR(conf_mutate(e, dest, ntfn, 0), seL4_IllegalOperation);
    CHECK_ERR(conf_mutate(e, dest, ntfn, 5), seL4_IllegalOperation);
    CHECK_TAG(ep, TAG_ENDPOINT);
    CHECK_TAG(ntfn, TAG_NOTIFICATION);
    CHECK_EMPTY(dest);
    /* Move has no data to apply, so it takes them. */
    CHECK_OK(conf_move(e, dest, ep));
}

CONF_CASE(cnode_mutate_keeps_other_caps, "")
{
    /* Caps without data (TCB, frame, untyped) mutate unchanged, whatever the data. */
    seL4_CPtr frame = conf_make(e, seL4_X86_4K, 0);
    seL4_Word paddr = conf_paddr(frame);
    seL4_CPtr dest = conf_slot(e);
    CHECK_OK(conf_mutate(e, dest, frame, 0x1234));
    CHECK_EQ(conf_paddr(dest), paddr);
    seL4_CPtr ut = conf_untyped(e, 12), ut_dest = conf_slot(e);
    CHECK_OK(conf_mutate(e, ut_dest, ut, ~0ul));
    CHECK_OK(conf_retype(e, ut_dest, seL4_X86_4K, 0, conf_slot(e), 1));
}

CONF_CASE(cnode_mint_data_ignored_by_plain_caps, "")
{
    seL4_CPtr frame = conf_make(e, seL4_X86_4K, 0);
    seL4_CPtr dest = conf_slot(e);
    CHECK_OK(conf_mint(e, dest, frame, seL4_AllRights, 0xabc));
    CHECK_EQ(conf_paddr(dest), conf_paddr(frame));
}

CONF_CASE(cnode_copy_rights_ignored_by_cnode, "")
{
    /* CNode caps carry no rights: a copy with none still works. */
    seL4_CPtr cn = conf_slot(e);
    CHECK_OK(conf_copy(e, cn, e->cnode, seL4_NoRights));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr dest = conf_slot(e);
    CHECK_OK(seL4_CNode_Copy(cn, dest, e->depth, cn, ep, e->depth, seL4_NoRights));
    CHECK_TAG(dest, TAG_ENDPOINT);
}

CONF_CASE(cnode_copy_rights_ignored_by_untyped, "")
{
    seL4_CPtr ut = conf_untyped(e, 12);
    seL4_CPtr copy = conf_slot(e);
    CHECK_OK(conf_copy(e, copy, ut, seL4_NoRights));
    seL4_CPtr obj = conf_slot(e);
    CHECK_OK(conf_retype(e, copy, seL4_NotificationObject, 0, obj, 1));
    CHECK_TAG(obj, TAG_NOTIFICATION);
}

/* ---- CancelBadgedSends --------------------------------------------------- */

CONF_CASE(cnode_cancel_badged_sends_needs_all_rights, "")
{
    static const seL4_Word masks[] = {0xe, 0xd, 0xb, 0x7}; /* each one right short */
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    for (unsigned i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
        seL4_CPtr copy = conf_slot(e);
        CHECK_OK(conf_copy(e, copy, ep, (seL4_CapRights_t){{masks[i]}}));
        CHECK_ERR(seL4_CNode_CancelBadgedSends(e->cnode, copy, e->depth), seL4_IllegalOperation);
    }
    seL4_CPtr full = conf_slot(e);
    CHECK_OK(conf_copy(e, full, ep, seL4_AllRights));
    CHECK_OK(seL4_CNode_CancelBadgedSends(e->cnode, full, e->depth));
}

CONF_CASE(cnode_cancel_badged_sends_badged, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr badged = conf_slot(e);
    CHECK_OK(conf_mint(e, badged, ep, seL4_AllRights, 42));
    CHECK_OK(seL4_CNode_CancelBadgedSends(e->cnode, badged, e->depth));
    CHECK_TAG(badged, TAG_ENDPOINT);
    seL4_CPtr weak = conf_slot(e);
    CHECK_OK(conf_mint(e, weak, ep, seL4_ReadWrite, 43));
    CHECK_ERR(seL4_CNode_CancelBadgedSends(e->cnode, weak, e->depth), seL4_IllegalOperation);
}

CONF_CASE(cnode_cancel_badged_sends_not_endpoint, "")
{
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr tcb = conf_make(e, seL4_TCBObject, 0);
    CHECK_ERR(seL4_CNode_CancelBadgedSends(e->cnode, ntfn, e->depth), seL4_IllegalOperation);
    CHECK_ERR(seL4_CNode_CancelBadgedSends(e->cnode, tcb, e->depth), seL4_IllegalOperation);
    CHECK_ERR(seL4_CNode_CancelBadgedSends(e->cnode, e->ut, e->depth), seL4_IllegalOperation);
}

/* ---- invoking the wrong object ------------------------------------------- */

CONF_CASE(cnode_wrong_labels_illegal, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr tcb = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr frame = conf_make(e, seL4_X86_4K, 0);
    seL4_CPtr dest = conf_slot(e);
    /* A CNode asked to retype, and other objects asked to copy. */
    CHECK_ERR(seL4_Untyped_Retype(e->cnode, seL4_EndpointObject, 0, e->cnode, 0, 0, dest, 1), seL4_IllegalOperation);
    CHECK_ERR(seL4_CNode_Copy(e->ut, dest, e->depth, e->cnode, ep, e->depth, seL4_AllRights),
              seL4_IllegalOperation);
    CHECK_ERR(seL4_CNode_Copy(tcb, dest, e->depth, e->cnode, ep, e->depth, seL4_AllRights), seL4_IllegalOperation);
    CHECK_ERR(seL4_CNode_Delete(frame, ep, e->depth), seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_Page_GetAddress(e->cnode).error, seL4_IllegalOperation);
    CHECK_EMPTY(dest);
    CHECK_TAG(ep, TAG_ENDPOINT);
}

CONF_CASE(cnode_call_on_notification_signals, "")
{
    /* Any invocation of a notification cap is a signal: the label and
     * arguments are ignored and a Call gets an empty success reply. */
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr badged = conf_slot(e);
    CHECK_OK(conf_mint(e, badged, ntfn, seL4_AllRights, 0x30));
    CHECK_OK(seL4_CNode_Delete(badged, 0, e->depth));
    CHECK_TAG(badged, TAG_NOTIFICATION);
    CHECK_EQ(conf_poll(ntfn), 0x30);
}
