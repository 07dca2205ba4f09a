/*
 * The capability derivation tree: what Revoke removes and what it spares
 * (copies, badged mints and their copies, objects retyped from untyped),
 * what Delete leaves behind, badge and rights rules on derived caps, and how
 * an untyped's free space follows its children.
 */
#include "conf_checks.h"

CONF_CASE(cdt_revoke_removes_copies_and_mints, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr copy = conf_slot(e), mint = conf_slot(e), mint_copy = conf_slot(e), copy_copy = conf_slot(e);
    CHECK_OK(conf_copy(e, copy, ep, seL4_AllRights));
    CHECK_OK(conf_mint(e, mint, ep, seL4_AllRights, 7));
    CHECK_OK(conf_copy(e, mint_copy, mint, seL4_AllRights));
    CHECK_OK(conf_copy(e, copy_copy, copy, seL4_CanRead));
    CHECK_OK(conf_revoke(e, ep));
    CHECK_TAG(ep, TAG_ENDPOINT);
    CHECK_EMPTY(copy);
    CHECK_EMPTY(mint);
    CHECK_EMPTY(mint_copy);
    CHECK_EMPTY(copy_copy);
}

CONF_CASE(cdt_revoke_copy_removes_nothing, "")
{
    /* A plain copy is not revocable: it has no children of its own. */
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr copy = conf_slot(e), copy2 = conf_slot(e);
    CHECK_OK(conf_copy(e, copy, ep, seL4_AllRights));
    CHECK_OK(conf_copy(e, copy2, copy, seL4_AllRights));
    CHECK_OK(conf_revoke(e, copy));
    CHECK_TAG(copy, TAG_ENDPOINT);
    CHECK_TAG(copy2, TAG_ENDPOINT);
    CHECK_OK(conf_revoke(e, ep));
    CHECK_EMPTY(copy);
    CHECK_EMPTY(copy2);
}

CONF_CASE(cdt_revoke_untyped_removes_objects, "")
{
    static const seL4_Word types[] = {seL4_EndpointObject, seL4_NotificationObject, seL4_TCBObject,
                                      seL4_X86_4K,         seL4_X86_PageTableObject, seL4_UntypedObject};
    seL4_CPtr objs = conf_slots(e, sizeof(types) / sizeof(types[0]));
    for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        CHECK_OK(conf_retype(e, e->ut, types[i], types[i] == seL4_UntypedObject ? 12 : 0, objs + i, 1));
    }
    seL4_CPtr cn = conf_make(e, seL4_CapTableObject, 2);
    seL4_CPtr copy = conf_slot(e);
    CHECK_OK(conf_copy(e, copy, objs, seL4_AllRights));
    CHECK_OK(conf_revoke(e, e->ut));
    for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        CHECK_EMPTY(objs + i);
    }
    CHECK_EMPTY(cn);
    CHECK_EMPTY(copy);
    CHECK_TAG(e->ut, TAG_UNTYPED);
}

CONF_CASE(cdt_revoke_reaches_grandchildren, "")
{
    /* An untyped retyped from an untyped, with objects of its own. */
    seL4_CPtr child = conf_make(e, seL4_UntypedObject, 16);
    seL4_CPtr grandchild = conf_slot(e);
    CHECK_OK(conf_retype(e, child, seL4_NotificationObject, 0, grandchild, 1));
    CHECK_OK(conf_revoke(e, e->ut));
    CHECK_EMPTY(child);
    CHECK_EMPTY(grandchild);
}

CONF_CASE(cdt_delete_original_keeps_copies, "")
{
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr copy = conf_slot(e), badged = conf_slot(e);
    CHECK_OK(conf_copy(e, copy, ntfn, seL4_AllRights));
    CHECK_OK(conf_mint(e, badged, ntfn, seL4_AllRights, 0x40));
    CHECK_OK(conf_delete(e, ntfn));
    CHECK_EMPTY(ntfn);
    /* The object lives on in its other caps. */
    seL4_Signal(badged);
    CHECK_EQ(conf_poll(copy), 0x40);
    CHECK_OK(conf_revoke(e, copy));
    CHECK_TAG(badged, TAG_NOTIFICATION);
}

CONF_CASE(cdt_badged_mint_revocable_from_original, "")
{
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr m1 = conf_slot(e), m2 = conf_slot(e);
    CHECK_OK(conf_mint(e, m1, ntfn, seL4_AllRights, 1));
    CHECK_OK(conf_mint(e, m2, ntfn, seL4_AllRights, 2));
    CHECK_OK(conf_revoke(e, ntfn));
    CHECK_EMPTY(m1);
    CHECK_EMPTY(m2);
    CHECK_TAG(ntfn, TAG_NOTIFICATION);
}

CONF_CASE(cdt_revoke_badged_removes_its_copies, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr badged = conf_slot(e), copy = conf_slot(e), copy2 = conf_slot(e), other = conf_slot(e);
    CHECK_OK(conf_mint(e, badged, ep, seL4_AllRights, 9));
    CHECK_OK(conf_copy(e, copy, badged, seL4_AllRights));
    CHECK_OK(conf_copy(e, copy2, copy, seL4_NoWrite));
    CHECK_OK(conf_mint(e, other, ep, seL4_AllRights, 10));
    CHECK_OK(conf_revoke(e, badged));
    CHECK_TAG(badged, TAG_ENDPOINT);
    CHECK_EMPTY(copy);
    CHECK_EMPTY(copy2);
    CHECK_TAG(other, TAG_ENDPOINT);
    CHECK_TAG(ep, TAG_ENDPOINT);
}

CONF_CASE(cdt_revoke_badged_spares_same_badge_sibling, "")
{
    /* Two mints with the same badge are separate subtrees: each is the
     * first of its badge where it was made. */
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr m1 = conf_slot(e), m2 = conf_slot(e), m2_copy = conf_slot(e);
    CHECK_OK(conf_mint(e, m1, ntfn, seL4_AllRights, 5));
    CHECK_OK(conf_mint(e, m2, ntfn, seL4_AllRights, 5));
    CHECK_OK(conf_copy(e, m2_copy, m2, seL4_AllRights));
    CHECK_OK(conf_revoke(e, m2));
    CHECK_EMPTY(m2_copy);
    CHECK_TAG(m1, TAG_NOTIFICATION);
    CHECK_TAG(m2, TAG_NOTIFICATION);
    CHECK_OK(conf_revoke(e, m1));
    CHECK_TAG(m2, TAG_NOTIFICATION);
}

CONF_CASE(cdt_delete_badged_parent_keeps_copies, "")
{
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr badged = conf_slot(e), copy = conf_slot(e);
    CHECK_OK(conf_mint(e, badged, ntfn, seL4_AllRights, 0x11));
    CHECK_OK(conf_copy(e, copy, badged, seL4_AllRights));
    CHECK_OK(conf_delete(e, badged));
    seL4_Signal(copy);
    CHECK_EQ(conf_poll(ntfn), 0x11);
    /* The copy still descends from the original. */
    CHECK_OK(conf_revoke(e, ntfn));
    CHECK_EMPTY(copy);
}

CONF_CASE(cdt_rebadge_endpoint_illegal, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr badged = conf_slot(e), dest = conf_slot(e);
    CHECK_OK(conf_mint(e, badged, ep, seL4_AllRights, 3));
    CHECK_ERR(conf_mint(e, dest, badged, seL4_AllRights, 4), seL4_IllegalOperation);
    /* Not even badge 0 can be minted from a badged cap. */
    CHECK_ERR(conf_mint(e, dest, badged, seL4_AllRights, 0), seL4_IllegalOperation);
    CHECK_ERR(conf_mutate(e, dest, badged, 4), seL4_IllegalOperation);
    CHECK_EMPTY(dest);
    CHECK_OK(conf_copy(e, dest, badged, seL4_AllRights));
}

CONF_CASE(cdt_rebadge_notification_illegal, "")
{
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr badged = conf_slot(e), dest = conf_slot(e);
    CHECK_OK(conf_mint(e, badged, ntfn, seL4_AllRights, 3));
    CHECK_ERR(conf_mint(e, dest, badged, seL4_AllRights, 4), seL4_IllegalOperation);
    CHECK_ERR(conf_mint(e, dest, badged, seL4_AllRights, 0), seL4_IllegalOperation);
    CHECK_EMPTY(dest);
    /* A copy keeps the badge. */
    CHECK_OK(conf_copy(e, dest, badged, seL4_AllRights));
    seL4_Signal(dest);
    CHECK_EQ(conf_poll(ntfn), 3);
}

CONF_CASE(cdt_mint_badge_zero_is_plain_copy, "")
{
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr plain = conf_slot(e), badged = conf_slot(e);
    CHECK_OK(conf_mint(e, plain, ntfn, seL4_AllRights, 0));
    /* Still unbadged: it can be minted with a badge. */
    CHECK_OK(conf_mint(e, badged, plain, seL4_AllRights, 6));
    /* The badge-0 mint is not revocable; the original is. */
    CHECK_OK(conf_revoke(e, plain));
    CHECK_TAG(badged, TAG_NOTIFICATION);
    CHECK_OK(conf_revoke(e, ntfn));
    CHECK_EMPTY(plain);
    CHECK_EMPTY(badged);
}

CONF_CASE(cdt_badged_from_copy_revoked_by_copy, "")
{
    /* A badged cap minted from a plain copy sits below that copy, but a
     * plain copy is not revocable: only the original's revoke reaches it. */
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr copy = conf_slot(e), badged = conf_slot(e);
    CHECK_OK(conf_copy(e, copy, ntfn, seL4_AllRights));
    CHECK_OK(conf_mint(e, badged, copy, seL4_AllRights, 6));
    CHECK_OK(conf_revoke(e, copy));
    CHECK_TAG(badged, TAG_NOTIFICATION);
    CHECK_OK(conf_revoke(e, ntfn));
    CHECK_EMPTY(badged);
    CHECK_EMPTY(copy);
}

CONF_CASE(cdt_move_keeps_children, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr copy = conf_slot(e), moved = conf_slot(e);
    CHECK_OK(conf_copy(e, copy, ep, seL4_AllRights));
    CHECK_OK(conf_move(e, moved, ep));
    CHECK_OK(conf_revoke(e, moved));
    CHECK_EMPTY(copy);
    CHECK_TAG(moved, TAG_ENDPOINT);
}

CONF_CASE(cdt_frame_copies_are_children, "")
{
    seL4_CPtr frame = conf_make(e, seL4_X86_4K, 0);
    seL4_CPtr copy = conf_slot(e), copy2 = conf_slot(e);
    CHECK_OK(conf_copy(e, copy, frame, seL4_CanRead));
    CHECK_OK(conf_copy(e, copy2, copy, seL4_AllRights));
    CHECK_EQ(conf_paddr(copy2), conf_paddr(frame));
    CHECK_OK(conf_revoke(e, copy));
    CHECK_TAG(copy2, TAG_FRAME);
    CHECK_OK(conf_revoke(e, frame));
    CHECK_EMPTY(copy);
    CHECK_EMPTY(copy2);
}

CONF_CASE(cdt_rights_never_grow, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr weak = conf_slot(e), regrown = conf_slot(e), minted = conf_slot(e);
    CHECK_OK(conf_copy(e, weak, ep, seL4_NoWrite));
    CHECK_OK(conf_copy(e, regrown, weak, seL4_AllRights));
    CHECK_OK(conf_mint(e, minted, weak, seL4_AllRights, 8));
    /* CancelBadgedSends needs every right, so it shows the lost write. */
    CHECK_ERR(seL4_CNode_CancelBadgedSends(e->cnode, weak, e->depth), seL4_IllegalOperation);
    CHECK_ERR(seL4_CNode_CancelBadgedSends(e->cnode, regrown, e->depth), seL4_IllegalOperation);
    CHECK_ERR(seL4_CNode_CancelBadgedSends(e->cnode, minted, e->depth), seL4_IllegalOperation);
    CHECK_OK(seL4_CNode_CancelBadgedSends(e->cnode, ep, e->depth));
}

CONF_CASE(cdt_retype_after_revoke_reuses_memory, "")
{
    seL4_CPtr f = conf_slots(e, 3);
    CHECK_OK(conf_retype(e, e->ut, seL4_X86_4K, 0, f, 2));
    CHECK_EQ(conf_paddr(f), e->ut_paddr);
    CHECK_EQ(conf_paddr(f + 1), e->ut_paddr + 4096);
    CHECK_OK(conf_revoke(e, e->ut));
    CHECK_EMPTY(f);
    CHECK_OK(conf_retype(e, e->ut, seL4_X86_4K, 0, f + 2, 1));
    CHECK_EQ(conf_paddr(f + 2), e->ut_paddr);
}

CONF_CASE(cdt_untyped_free_index_continues_past_deleted, "")
{
    seL4_CPtr f = conf_slots(e, 4);
    CHECK_OK(conf_retype(e, e->ut, seL4_X86_4K, 0, f, 2));
    /* With a child left, freed memory below the free index is not reused. */
    CHECK_OK(conf_delete(e, f));
    CHECK_OK(conf_retype(e, e->ut, seL4_X86_4K, 0, f + 2, 1));
    CHECK_EQ(conf_paddr(f + 2), e->ut_paddr + 2 * 4096);
    /* With no children left, retype starts at the base again. */
    CHECK_OK(conf_delete(e, f + 1));
    CHECK_OK(conf_delete(e, f + 2));
    CHECK_OK(conf_retype(e, e->ut, seL4_X86_4K, 0, f + 3, 1));
    CHECK_EQ(conf_paddr(f + 3), e->ut_paddr);
}

CONF_CASE(cdt_untyped_not_retyped_over_children, "")
{
    seL4_CPtr ut = conf_untyped(e, 12);
    seL4_CPtr f = conf_slots(e, 2);
    CHECK_OK(conf_retype(e, ut, seL4_X86_4K, 0, f, 1));
    CHECK_MEMORY_ERR(conf_retype(e, ut, seL4_X86_4K, 0, f + 1, 1), 0);
    CHECK_MEMORY_ERR(conf_retype(e, ut, seL4_EndpointObject, 0, f + 1, 1), 0);
    CHECK_OK(conf_delete(e, f));
    CHECK_OK(conf_retype(e, ut, seL4_X86_4K, 0, f + 1, 1));
}

CONF_CASE(cdt_copied_untyped_marks_original_full, "")
{
    /* A copy covers all of the original, so the original hands out nothing
     * while the copy exists; the copy itself starts empty. */
    seL4_CPtr ut = conf_untyped(e, 12);
    seL4_CPtr copy = conf_slot(e), obj = conf_slots(e, 3);
    CHECK_OK(conf_copy(e, copy, ut, seL4_AllRights));
    CHECK_MEMORY_ERR(conf_retype(e, ut, seL4_EndpointObject, 0, obj, 1), 0);
    CHECK_OK(conf_retype(e, copy, seL4_X86_4K, 0, obj, 1));
    CHECK_OK(conf_delete(e, obj));
    CHECK_OK(conf_delete(e, copy));
    CHECK_OK(conf_retype(e, ut, seL4_X86_4K, 0, obj + 1, 1));
    CHECK_OK(conf_delete(e, obj + 1));
    /* Revoking the original removes the copy. */
    CHECK_OK(conf_copy(e, copy, ut, seL4_AllRights));
    CHECK_OK(conf_revoke(e, ut));
    CHECK_EMPTY(copy);
    CHECK_OK(conf_retype(e, ut, seL4_X86_4K, 0, obj + 2, 1));
}

CONF_CASE(cdt_delete_untyped_leaves_objects, "")
{
    seL4_CPtr child = conf_make(e, seL4_UntypedObject, 12);
    seL4_CPtr ntfn = conf_slot(e), badged = conf_slot(e);
    CHECK_OK(conf_retype(e, child, seL4_NotificationObject, 0, ntfn, 1));
    CHECK_OK(conf_mint(e, badged, ntfn, seL4_AllRights, 0x5a));
    CHECK_OK(conf_delete(e, child));
    seL4_Signal(badged);
    CHECK_EQ(conf_poll(ntfn), 0x5a);
    /* They still descend from the grandparent. */
    CHECK_OK(conf_revoke(e, e->ut));
    CHECK_EMPTY(ntfn);
    CHECK_EMPTY(badged);
}

CONF_CASE(cdt_delete_cnode_deletes_contents, "")
{
    seL4_CPtr cn = conf_make(e, seL4_CapTableObject, 2);
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    CHECK_OK(seL4_CNode_Move(cn, 0, 2, e->cnode, ntfn, e->depth));
    CHECK_OK(conf_delete(e, cn));
    /* The notification went with the CNode, so the untyped has no children. */
    seL4_CPtr frame = conf_slot(e);
    CHECK_OK(conf_retype(e, e->ut, seL4_X86_4K, 0, frame, 1));
    CHECK_EQ(conf_paddr(frame), e->ut_paddr);
}

CONF_CASE(cdt_delete_last_cap_resets_notification, "")
{
    /* A notification made where a signalled one was deleted starts idle. */
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr badged = conf_slot(e);
    CHECK_OK(conf_mint(e, badged, ntfn, seL4_AllRights, 4));
    seL4_Signal(badged);
    CHECK_OK(conf_revoke(e, ntfn));
    CHECK_OK(conf_delete(e, ntfn));
    seL4_CPtr again = conf_make(e, seL4_NotificationObject, 0);
    CHECK_EQ(conf_poll(again), 0);
    CHECK_OK(conf_mint(e, badged, again, seL4_AllRights, 2));
    seL4_Signal(badged);
    CHECK_EQ(conf_poll(again), 2);
}

CONF_CASE(cdt_delete_cnode_keeps_outside_copies, "")
{
    seL4_CPtr cn = conf_make(e, seL4_CapTableObject, 2);
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr copy = conf_slot(e), badged = conf_slot(e);
    CHECK_OK(conf_copy(e, copy, ntfn, seL4_AllRights));
    CHECK_OK(seL4_CNode_Move(cn, 1, 2, e->cnode, ntfn, e->depth));
    CHECK_OK(conf_delete(e, cn));
    /* The original went with the CNode; the object lives on in the copy. */
    CHECK_OK(conf_mint(e, badged, copy, seL4_AllRights, 0x21));
    seL4_Signal(badged);
    CHECK_EQ(conf_poll(copy), 0x21);
}

CONF_CASE(cdt_deleted_first_badge_passes_its_mark_on, "")
{
    /* m1 and m2 carry the same badge; c1 is a copy of m1. Deleting m1 makes
     * c1 the first of its badge, so m2's revoke still cannot reach it. */
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr m1 = conf_slot(e), m2 = conf_slot(e), c1 = conf_slot(e);
    CHECK_OK(conf_mint(e, m1, ntfn, seL4_AllRights, 5));
    CHECK_OK(conf_mint(e, m2, ntfn, seL4_AllRights, 5));
    CHECK_OK(conf_copy(e, c1, m1, seL4_AllRights));
    CHECK_OK(conf_delete(e, m1));
    CHECK_OK(conf_revoke(e, m2));
    CHECK_TAG(c1, TAG_NOTIFICATION);
    CHECK_OK(conf_revoke(e, ntfn));
    CHECK_EMPTY(c1);
    CHECK_EMPTY(m2);
}

CONF_CASE(cdt_rotate_keeps_children, "")
{
    /* Rotate moves the original frame cap, and its place in the tree, to dest. */
    seL4_CPtr frame = conf_make(e, seL4_X86_4K, 0);
    seL4_CPtr copy = conf_slot(e), dest = conf_slot(e), other = conf_slot(e);
    CHECK_OK(conf_copy(e, copy, frame, seL4_AllRights));
    CHECK_OK(conf_copy(e, other, frame, seL4_AllRights));
    CHECK_OK(conf_rotate(e, dest, frame, copy));
    CHECK_TAG(copy, TAG_NULL);
    CHECK_OK(conf_revoke(e, frame));
    CHECK_TAG(frame, TAG_FRAME);
    CHECK_TAG(other, TAG_FRAME);
    CHECK_OK(conf_revoke(e, dest));
    CHECK_EMPTY(frame);
    CHECK_EMPTY(other);
    CHECK_TAG(dest, TAG_FRAME);
}

CONF_CASE(cdt_swap_adjacent_keeps_tree, "")
{
    /* Swapping a cap with its own child, next to it in the tree. */
    seL4_CPtr frame = conf_make(e, seL4_X86_4K, 0);
    seL4_CPtr copy = conf_slot(e);
    CHECK_OK(conf_copy(e, copy, frame, seL4_AllRights));
    CHECK_OK(conf_rotate(e, frame, copy, frame));
    /* The original now sits in `copy`, the copy in `frame`. */
    CHECK_OK(conf_revoke(e, frame));
    CHECK_TAG(copy, TAG_FRAME);
    CHECK_OK(conf_revoke(e, copy));
    CHECK_EMPTY(frame);
    CHECK_TAG(copy, TAG_FRAME);
}

CONF_CASE(cdt_revoke_untyped_copy_removes_its_objects, "")
{
    seL4_CPtr ut = conf_untyped(e, 12);
    seL4_CPtr copy = conf_slot(e), obj = conf_slots(e, 2);
    CHECK_OK(conf_copy(e, copy, ut, seL4_AllRights));
    CHECK_OK(conf_retype(e, copy, seL4_EndpointObject, 0, obj, 2));
    CHECK_OK(conf_revoke(e, copy));
    CHECK_EMPTY(obj);
    CHECK_EMPTY(obj + 1);
    CHECK_TAG(copy, TAG_UNTYPED);
    /* The copy is still there, so the original stays full. */
    CHECK_MEMORY_ERR(conf_retype(e, ut, seL4_EndpointObject, 0, obj, 1), 0);
}

CONF_CASE(cdt_frame_copy_without_rights, "")
{
    /* A frame cap with no rights left is still a cap to the same frame. */
    seL4_CPtr frame = conf_make(e, seL4_X86_4K, 0);
    seL4_CPtr copy = conf_slot(e);
    CHECK_OK(conf_copy(e, copy, frame, seL4_NoRights));
    CHECK_TAG(copy, TAG_FRAME);
    CHECK_EQ(conf_paddr(copy), e->ut_paddr);
}
