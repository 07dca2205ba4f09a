/* CNode invocations, checked in the kernel's order (decodeCNodeInvocation). */
#include "model.h"

static bool missing_source(word_t depth)
{
    return fail_lookup(true, seL4_MissingCapability, depth, 0, 0);
}

/* Copy, Mint, Move and Mutate: a source slot into an empty destination. */
static bool decode_copy_family(invocation_t *inv, cte_t *dest)
{
    if (inv->length < 4 || inv->n_extra < 1) {
        return fail(seL4_TruncatedMessage);
    }
    word_t src_index = inv->mr[2], src_depth = inv->mr[3];
    if (!ensure_empty_slot(dest)) {
        return false;
    }
    cte_t *src = lookup_slot_for_cnode_op(true, inv->extra[0]->cap, src_index, src_depth);
    if (!src) {
        return false;
    }
    if (src->cap.type == cap_null) {
        return missing_source(src_depth);
    }
    cap_t new_cap;
    bool is_move = false;
    switch (inv->label) {
    case CNodeCopy:
        if (inv->length < 5) {
            return fail(seL4_TruncatedMessage);
        }
        if (!derive_cap(src, mask_cap_rights((seL4_CapRights_t){{inv->mr[4]}}, src->cap), &new_cap)) {
            return false;
        }
        break;
    case CNodeMint: {
        if (inv->length < 6) {
            return fail(seL4_TruncatedMessage);
        }
        cap_t masked = mask_cap_rights((seL4_CapRights_t){{inv->mr[4]}}, src->cap);
        if (!derive_cap(src, update_cap_data(false, inv->mr[5], masked), &new_cap)) {
            return false;
        }
        break;
    }
    case CNodeMove:
        new_cap = src->cap;
        is_move = true;
        break;
    default: /* CNodeMutate */
        if (inv->length < 5) {
            return fail(seL4_TruncatedMessage);
        }
        new_cap = update_cap_data(true, inv->mr[4], src->cap);
        is_move = true;
        break;
    }
    if (new_cap.type == cap_null) {
        return fail(seL4_IllegalOperation);
    }
    if (is_move) {
        cte_move(new_cap, src, dest);
    } else {
        cte_insert(new_cap, src, dest);
    }
    return true;
}

static bool decode_rotate(invocation_t *inv, cte_t *dest)
{
    if (inv->length < 8 || inv->n_extra < 2) {
        return fail(seL4_TruncatedMessage);
    }
    word_t pivot_badge = inv->mr[2], pivot_index = inv->mr[3], pivot_depth = inv->mr[4];
    word_t src_badge = inv->mr[5], src_index = inv->mr[6], src_depth = inv->mr[7];
    cte_t *src = lookup_slot_for_cnode_op(true, inv->extra[1]->cap, src_index, src_depth);
    if (!src) {
        return false;
    }
    cte_t *pivot = lookup_slot_for_cnode_op(true, inv->extra[0]->cap, pivot_index, pivot_depth);
    if (!pivot) {
        return false;
    }
    if (pivot == src || pivot == dest) {
        return fail(seL4_IllegalOperation);
    }
    if (src != dest && !ensure_empty_slot(dest)) {
        return false;
    }
    if (src->cap.type == cap_null) {
        return missing_source(src_depth);
    }
    if (pivot->cap.type == cap_null) {
        return fail_lookup(false, seL4_MissingCapability, pivot_depth, 0, 0);
    }
    cap_t new_src = update_cap_data(true, src_badge, src->cap);
    cap_t new_pivot = update_cap_data(true, pivot_badge, pivot->cap);
    if (new_src.type == cap_null || new_pivot.type == cap_null) {
        return fail(seL4_IllegalOperation);
    }
    if (src == dest) {
        cte_swap(new_src, src, new_pivot, pivot);
    } else {
        cte_move(new_pivot, pivot, dest);
        cte_move(new_src, src, pivot);
    }
    return true;
}

static bool has_cancel_send_rights(const cap_t *c)
{
    return c->type == cap_endpoint && c->ep.send && c->ep.recv && c->ep.grant && c->ep.grant_reply;
}


bool decode_cnode(invocation_t *inv)
{
    if (inv->label < CNodeRevoke || inv->label > CNodeSaveCaller) {
        return fail(seL4_IllegalOperation);
    }
    if (inv->length < 2) {
        return fail(seL4_TruncatedMessage);
    }
    cte_t *dest = lookup_slot_for_cnode_op(false, inv->slot->cap, inv->mr[0], inv->mr[1]);
    if (!dest) {
        return false;
    }
    switch (inv->label) {
    case CNodeCopy:
    case CNodeMint:
    case CNodeMove:
    case CNodeMutate:
        return decode_copy_family(inv, dest);
    case CNodeRevoke:
        cte_revoke(dest);
        return true;
    case CNodeDelete:
        cte_delete(dest);
        return true;
    case CNodeSaveCaller: {
        if (!ensure_empty_slot(dest)) {
            return false;
        }
        cte_t *caller = &ksim.cur->ctes[tcb_caller];
        if (caller->cap.type == cap_reply && !caller->cap.reply.master) {
            cte_move(caller->cap, caller, dest);
        }
        return true;
    }
    case CNodeCancelBadgedSends:
        if (!has_cancel_send_rights(&dest->cap)) {
            return fail(seL4_IllegalOperation);
        }
        if (dest->cap.ep.badge) {
            ep_cancel_badged_sends(dest->cap.obj, dest->cap.ep.badge);
        }
        return true;
    default: /* CNodeRotate */
        return decode_rotate(inv, dest);
    }
}
