/*
 * CSpace addressing (resolveAddressBits, lookupSlotForCNodeOp): guards,
 * radices and depths across more than one CNode, and the lookup failures
 * each mismatch reports. CSPACE0001's chain of one-bit CNodes is here too,
 * resolved through CNode operations rather than through a second thread.
 */
#include "conf_checks.h"

/* Two levels: L1 (radix 4, no guard) holds in slot 3 a cap to L2 (radix 4)
 * with the 4-bit guard 0x5. From L1, the 12-bit cptr 0x35s names slot s of L2. */
typedef struct {
    seL4_CPtr l1, l2;
} two_level_t;

#define L2_SLOT_IN_L1 3
#define L2_GUARD 5
#define L2_GUARD_BITS 4
#define RADIX 4
#define PATH(s) ((L2_SLOT_IN_L1 << 8) | (L2_GUARD << 4) | (s))

static void make_two_level(conf_env_t *e, two_level_t *t)
{
    t->l1 = conf_make(e, seL4_CapTableObject, RADIX);
    t->l2 = conf_make(e, seL4_CapTableObject, RADIX);
    CHECK_OK(seL4_CNode_Mint(t->l1, L2_SLOT_IN_L1, RADIX, e->cnode, t->l2, e->depth, seL4_AllRights,
                             seL4_CNode_CapData_new(L2_GUARD, L2_GUARD_BITS).words[0]));
}

CONF_CASE(cspace_two_level_resolve, "")
{
    two_level_t t;
    make_two_level(e, &t);
    if (e->failed) {
        return;
    }
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    CHECK_OK(seL4_CNode_Copy(t.l1, PATH(7), 12, e->cnode, ep, e->depth, seL4_AllRights));
    seL4_CPtr out = conf_slot(e);
    CHECK_OK(seL4_CNode_Copy(e->cnode, out, e->depth, t.l1, PATH(7), 12, seL4_AllRights));
    CHECK_TAG(out, TAG_ENDPOINT);
    /* The same slot, reached from L2's own (guardless) cap. */
    CHECK_ERR(seL4_CNode_Copy(t.l2, 7, RADIX, e->cnode, ep, e->depth, seL4_AllRights), seL4_DeleteFirst);
    CHECK_OK(seL4_CNode_Delete(t.l1, PATH(7), 12));
    CHECK_OK(conf_delete(e, out));
    CHECK_MISSING_CAP(seL4_CNode_Copy(e->cnode, out, e->depth, t.l1, PATH(7), 12, seL4_AllRights), SRC, 12);
}

CONF_CASE(cspace_guard_mismatch_second_level, "")
{
    two_level_t t;
    make_two_level(e, &t);
    if (e->failed) {
        return;
    }
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_Word wrong = (L2_SLOT_IN_L1 << 8) | (6 << 4) | 7;
    /* L1 took 4 bits; L2 reports the 8 left, its own guard and guard size. */
    CHECK_GUARD_MISMATCH(seL4_CNode_Copy(t.l1, wrong, 12, e->cnode, ep, e->depth, seL4_AllRights), DEST, 8,
                         L2_GUARD, L2_GUARD_BITS);
    seL4_CPtr out = conf_slot(e);
    CHECK_GUARD_MISMATCH(seL4_CNode_Copy(e->cnode, out, e->depth, t.l1, wrong, 12, seL4_AllRights), SRC, 8,
                         L2_GUARD, L2_GUARD_BITS);
}

CONF_CASE(cspace_depth_mismatch_second_level, "")
{
    two_level_t t;
    make_two_level(e, &t);
    if (e->failed) {
        return;
    }
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    /* 8 bits: L1 takes 4, the guard matches, but L2's level is 8 bits. */
    CHECK_DEPTH_MISMATCH(seL4_CNode_Copy(t.l1, PATH(0) >> 4, 8, e->cnode, ep, e->depth, seL4_AllRights), DEST, 4,
                         8);
    /* 10 bits: 6 left at L2, still short of its 8. */
    CHECK_DEPTH_MISMATCH(seL4_CNode_Copy(t.l1, PATH(4) >> 2, 10, e->cnode, ep, e->depth, seL4_AllRights), DEST, 6,
                         8);
    /* 4 bits name L1's slot 3 itself, which holds a cap. */
    CHECK_ERR(seL4_CNode_Copy(t.l1, L2_SLOT_IN_L1, RADIX, e->cnode, ep, e->depth, seL4_AllRights), seL4_DeleteFirst);
}

CONF_CASE(cspace_lookup_stops_at_leaf, "")
{
    seL4_CPtr l1 = conf_make(e, seL4_CapTableObject, RADIX);
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    CHECK_OK(seL4_CNode_Copy(l1, 4, RADIX, e->cnode, ep, e->depth, seL4_AllRights));
    seL4_CPtr out = conf_slot(e);
    /* Resolution ends at a cap that is not a CNode with 4 bits unresolved. */
    CHECK_DEPTH_MISMATCH(seL4_CNode_Copy(e->cnode, out, e->depth, l1, 0x4a, 8, seL4_AllRights), SRC, 4, 0);
    CHECK_DEPTH_MISMATCH(seL4_CNode_Copy(e->cnode, out, e->depth, l1, 0x5a, 8, seL4_AllRights), SRC, 4, 0);
    CHECK_DEPTH_MISMATCH(seL4_CNode_Delete(l1, 0x4a, 8), DEST, 4, 0);
    CHECK_OK(seL4_CNode_Copy(e->cnode, out, e->depth, l1, 4, RADIX, seL4_AllRights));
    CHECK_TAG(out, TAG_ENDPOINT);
}

CONF_CASE(cspace_depth_shorter_than_guard, "")
{
    seL4_CPtr cn = conf_make(e, seL4_CapTableObject, RADIX);
    seL4_CPtr guarded = conf_slot(e);
    CHECK_OK(conf_mint(e, guarded, cn, seL4_AllRights, seL4_CNode_CapData_new(L2_GUARD, L2_GUARD_BITS).words[0]));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    CHECK_GUARD_MISMATCH(seL4_CNode_Copy(guarded, 2, 3, e->cnode, ep, e->depth, seL4_AllRights), DEST, 3, L2_GUARD,
                         L2_GUARD_BITS);
    CHECK_OK(seL4_CNode_Copy(guarded, (L2_GUARD << 4) | 2, 8, e->cnode, ep, e->depth, seL4_AllRights));
}

CONF_CASE(cspace_guard_masked_to_its_size, "")
{
    seL4_CPtr cn = conf_make(e, seL4_CapTableObject, RADIX);
    seL4_CPtr guarded = conf_slot(e);
    /* Guard bits above the guard size are dropped: 0xf5 of 4 bits is 0x5. */
    CHECK_OK(conf_mint(e, guarded, cn, seL4_AllRights, seL4_CNode_CapData_new(0xf5, L2_GUARD_BITS).words[0]));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    CHECK_OK(seL4_CNode_Copy(guarded, 0x57, 8, e->cnode, ep, e->depth, seL4_AllRights));
    CHECK_GUARD_MISMATCH(seL4_CNode_Copy(guarded, 0x68, 8, e->cnode, ep, e->depth, seL4_AllRights), DEST, 8, 5,
                         L2_GUARD_BITS);
}

CONF_CASE(cspace_guard_fills_the_word, "")
{
    /* A radix-4 CNode with a 60-bit guard resolves a whole word in one level. */
    seL4_CPtr cn = conf_make(e, seL4_CapTableObject, RADIX);
    seL4_CPtr guarded = conf_slot(e);
    seL4_Word guard = 0xabcdef;
    CHECK_OK(conf_mint(e, guarded, cn, seL4_AllRights, seL4_CNode_CapData_new(guard, 60).words[0]));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_Word index = (guard << RADIX) | 9;
    CHECK_OK(seL4_CNode_Copy(guarded, index, seL4_WordBits, e->cnode, ep, e->depth, seL4_AllRights));
    seL4_CPtr out = conf_slot(e);
    CHECK_OK(seL4_CNode_Copy(e->cnode, out, e->depth, guarded, index, seL4_WordBits, seL4_AllRights));
    CHECK_TAG(out, TAG_ENDPOINT);
    CHECK_GUARD_MISMATCH(seL4_CNode_Delete(guarded, index ^ (1ul << 63), seL4_WordBits), DEST, seL4_WordBits, guard,
                         60);
    CHECK_DEPTH_MISMATCH(seL4_CNode_Delete(guarded, index >> 1, seL4_WordBits - 1), DEST, seL4_WordBits - 1,
                         seL4_WordBits);
}

CONF_CASE(cspace_mutate_sets_guard, "")
{
    seL4_CPtr cn = conf_make(e, seL4_CapTableObject, RADIX);
    seL4_CPtr guarded = conf_slot(e);
    CHECK_OK(conf_mutate(e, guarded, cn, seL4_CNode_CapData_new(L2_GUARD, L2_GUARD_BITS).words[0]));
    CHECK_EMPTY(cn);
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    CHECK_OK(seL4_CNode_Copy(guarded, (L2_GUARD << 4) | 1, 8, e->cnode, ep, e->depth, seL4_AllRights));
    /* 4 bits that match the guard leave nothing for the radix. */
    CHECK_DEPTH_MISMATCH(seL4_CNode_Copy(guarded, L2_GUARD, RADIX, e->cnode, ep, e->depth, seL4_AllRights), DEST, 4,
                         8);
    /* Mutating back with empty data removes the guard. */
    seL4_CPtr plain = conf_slot(e);
    CHECK_OK(conf_mutate(e, plain, guarded, 0));
    CHECK_ERR(seL4_CNode_Copy(plain, 1, RADIX, e->cnode, ep, e->depth, seL4_AllRights), seL4_DeleteFirst);
}

CONF_CASE(cspace_rotate_sets_guard, "")
{
    /* Rotate applies its data words to CNode caps as Mutate does. */
    seL4_CPtr cn = conf_make(e, seL4_CapTableObject, RADIX);
    seL4_CPtr tcb = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr dest = conf_slot(e);
    seL4_Word data = seL4_CNode_CapData_new(L2_GUARD, L2_GUARD_BITS).words[0];
    CHECK_OK(seL4_CNode_Rotate(e->cnode, dest, e->depth, 0, e->cnode, tcb, e->depth, data, e->cnode, cn, e->depth));
    CHECK_TAG(dest, TAG_THREAD);
    CHECK_TAG(tcb, TAG_CNODE);
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    CHECK_OK(seL4_CNode_Copy(tcb, (L2_GUARD << 4) | 2, 8, e->cnode, ep, e->depth, seL4_AllRights));
}

CONF_CASE(cspace_ops_inside_subcnode, "")
{
    seL4_CPtr cn = conf_make(e, seL4_CapTableObject, RADIX);
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    CHECK_OK(seL4_CNode_Move(cn, 0, RADIX, e->cnode, ntfn, e->depth));
    CHECK_EMPTY(ntfn);
    CHECK_OK(seL4_CNode_Mint(cn, 1, RADIX, cn, 0, RADIX, seL4_AllRights, 0x81));
    CHECK_OK(seL4_CNode_Move(cn, 2, RADIX, cn, 1, RADIX));
    CHECK_MISSING_CAP(seL4_CNode_Move(cn, 3, RADIX, cn, 1, RADIX), SRC, RADIX);
    seL4_CPtr out = conf_slot(e);
    CHECK_OK(seL4_CNode_Copy(e->cnode, out, e->depth, cn, 2, RADIX, seL4_AllRights));
    seL4_Signal(out);
    CHECK_EQ(conf_poll(out), 0x81);
    /* Revoking the original, now inside the sub-CNode, removes the badged caps. */
    CHECK_OK(seL4_CNode_Revoke(cn, 0, RADIX));
    CHECK_EMPTY(out);
    CHECK_MISSING_CAP(seL4_CNode_Copy(e->cnode, out, e->depth, cn, 2, RADIX, seL4_AllRights), SRC, RADIX);
    CHECK_OK(seL4_CNode_Copy(e->cnode, out, e->depth, cn, 0, RADIX, seL4_AllRights));
    CHECK_TAG(out, TAG_NOTIFICATION);
    CHECK_RANGE_ERR(seL4_CNode_Delete(cn, 0, 0), 1, seL4_WordBits);
}

CONF_CASE(cspace_retype_into_second_level, "")
{
    two_level_t t;
    make_two_level(e, &t);
    if (e->failed) {
        return;
    }
    /* node_index/node_depth name L1's slot 3, which holds the guarded L2. */
    CHECK_OK(seL4_Untyped_Retype(e->ut, seL4_EndpointObject, 0, t.l1, L2_SLOT_IN_L1, RADIX, 9, 2));
    seL4_CPtr out = conf_slot(e);
    CHECK_OK(seL4_CNode_Copy(e->cnode, out, e->depth, t.l1, PATH(10), 12, seL4_AllRights));
    CHECK_TAG(out, TAG_ENDPOINT);
    /* And by the root CNode's path to L2 itself. */
    CHECK_OK(seL4_Untyped_Retype(e->ut, seL4_NotificationObject, 0, e->cnode, t.l2, e->depth, 0, 1));
    CHECK_ERR(seL4_CNode_Copy(t.l2, 0, RADIX, e->cnode, out, e->depth, seL4_AllRights), seL4_DeleteFirst);
}

/* sel4test CSPACE0001 builds 64 one-bit CNodes, each holding the next in
 * alternating slots, with a cap at the end of the path; every cptr then
 * resolves through all 64 levels. Here the path is resolved by CNode
 * operations with the first CNode as the root. */
CONF_CASE(cspace_chain_of_one_bit_cnodes, "CSPACE0001")
{
    enum { LEVELS = seL4_WordBits };
    seL4_CPtr cn = conf_slots(e, LEVELS);
    CHECK_OK(conf_retype(e, e->ut, seL4_CapTableObject, 1, cn, LEVELS));
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    /* Level i resolves bit 63 - i of the cptr. */
    seL4_Word path = 0;
    for (seL4_Word i = 0; i < LEVELS; i++) {
        seL4_Word bit = i & 1;
        seL4_CPtr next = i + 1 < LEVELS ? cn + i + 1 : ntfn;
        CHECK_OK(seL4_CNode_Copy(cn + i, bit, 1, e->cnode, next, e->depth, seL4_AllRights));
        path |= bit << (LEVELS - 1 - i);
    }
    seL4_CPtr out = conf_slot(e);
    CHECK_OK(seL4_CNode_Copy(e->cnode, out, e->depth, cn, path, seL4_WordBits, seL4_AllRights));
    CHECK_TAG(out, TAG_NOTIFICATION);
    CHECK_OK(conf_delete(e, out));

    /* One bit off the path: the empty sibling slot at that level ends the
     * lookup with the rest of the bits unresolved, or is itself the last. */
    for (seL4_Word i = 0; i < LEVELS; i++) {
        seL4_Word left = LEVELS - 1 - i;
        seL4_Error err = seL4_CNode_Copy(e->cnode, out, e->depth, cn, path ^ (1ul << left), seL4_WordBits,
                                         seL4_AllRights);
        if (left > 0) {
            CHECK_DEPTH_MISMATCH(err, SRC, left, 0);
        } else {
            CHECK_MISSING_CAP(err, SRC, seL4_WordBits);
        }
    }
    /* Small cptrs leave the path at level 1, whose bit is 1. */
    for (seL4_Word c = 0; c < LEVELS; c++) {
        CHECK_DEPTH_MISMATCH(seL4_CNode_Copy(e->cnode, out, e->depth, cn, c, seL4_WordBits, seL4_AllRights), SRC,
                             LEVELS - 2, 0);
    }
    CHECK_EMPTY(out);
}

CONF_CASE(cspace_cnode_holding_itself, "")
{
    /* A CNode whose only remaining cap lives in its own slot is unreachable;
     * revoking the untyped still destroys it and everything it holds. */
    seL4_CPtr cn = conf_make(e, seL4_CapTableObject, RADIX);
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    CHECK_OK(seL4_CNode_Copy(cn, 0, RADIX, e->cnode, cn, e->depth, seL4_AllRights));
    CHECK_OK(seL4_CNode_Move(cn, 1, RADIX, e->cnode, ntfn, e->depth));
    CHECK_OK(conf_delete(e, cn));
    CHECK_OK(conf_revoke(e, e->ut));
    /* No children left: the next object starts at the untyped's base again. */
    seL4_CPtr frame = conf_slot(e);
    CHECK_OK(conf_retype(e, e->ut, seL4_X86_4K, 0, frame, 1));
    CHECK_EQ(conf_paddr(frame), e->ut_paddr);
}

CONF_CASE(cspace_root_cnode_with_other_guards, "")
{
    /* The root CNode minted with a shorter guard takes shorter cptrs. */
    seL4_Word radix = e->bi->initThreadCNodeSizeBits;
    seL4_CPtr bare = conf_slot(e), g20 = conf_slot(e), dest = conf_slot(e);
    CHECK_OK(conf_mint(e, bare, e->cnode, seL4_AllRights, seL4_CNode_CapData_new(0, 0).words[0]));
    CHECK_OK(conf_mint(e, g20, e->cnode, seL4_AllRights, seL4_CNode_CapData_new(0, 20).words[0]));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    CHECK_OK(seL4_CNode_Copy(bare, dest, radix, e->cnode, ep, e->depth, seL4_AllRights));
    CHECK_TAG(dest, TAG_ENDPOINT);
    CHECK_OK(conf_delete(e, dest));
    CHECK_OK(seL4_CNode_Copy(g20, dest, radix + 20, e->cnode, ep, e->depth, seL4_AllRights));
    CHECK_TAG(dest, TAG_ENDPOINT);
    /* At full depth a small cptr's top bits pick slot 0, which is empty. */
    CHECK_DEPTH_MISMATCH(seL4_CNode_Delete(bare, dest, seL4_WordBits), DEST, seL4_WordBits - radix, 0);
    CHECK_DEPTH_MISMATCH(seL4_CNode_Delete(g20, dest, seL4_WordBits), DEST, seL4_WordBits - radix - 20, 0);
    /* Through slot 2, the root CNode cap with its 52-bit guard, 12 bits are too few. */
    CHECK_GUARD_MISMATCH(seL4_CNode_Delete(bare, (seL4_CapInitThreadCNode << radix) | dest, 2 * radix), DEST, radix,
                         0, seL4_WordBits - radix);
    CHECK_TAG(dest, TAG_ENDPOINT);
}
