/*
 * Invocations built by hand with seL4_Call on CNode, untyped and frame caps
 * (never on an endpoint): the message checks the libsel4 stubs never trip
 * (labels, truncated messages, missing extra caps), and the reply's label
 * and length for each kind of error.
 */
#include "conf_checks.h"

#define MAX_ARGS 8

/* Calls `service` with `label`, the first n_args of args and n_caps caps. */
static seL4_MessageInfo_t invoke(seL4_CPtr service, seL4_Word label, seL4_Word n_args, const seL4_Word *args,
                                 seL4_Word n_caps, seL4_CPtr cap0, seL4_CPtr cap1)
{
    for (seL4_Word i = 0; i < n_args; i++) {
        seL4_SetMR((int)i, args[i]);
    }
    seL4_SetCap(0, cap0);
    seL4_SetCap(1, cap1);
    return seL4_Call(service, seL4_MessageInfo_new(label, 0, n_caps, n_args));
}

#define LABEL(info_) seL4_MessageInfo_get_label(info_)
#define LENGTH(info_) seL4_MessageInfo_get_length(info_)

/* The reply: error `err_` with `len_` message registers, no caps. */
#define CHECK_REPLY(info_, err_, len_)                        \
    do {                                                      \
        seL4_MessageInfo_t conf_r_ = (info_);                 \
        CHECK_EQ(LABEL(conf_r_), (err_));                     \
        CHECK_EQ(LENGTH(conf_r_), (len_));                    \
        CHECK_EQ(seL4_MessageInfo_get_extraCaps(conf_r_), 0); \
    } while (0)

CONF_CASE(msg_cnode_label_checked_first, "")
{
    const seL4_Word args[MAX_ARGS] = {0};
    CHECK_REPLY(invoke(e->cnode, InvalidInvocation, 0, args, 0, 0, 0), seL4_IllegalOperation, 0);
    CHECK_REPLY(invoke(e->cnode, UntypedRetype, 0, args, 0, 0, 0), seL4_IllegalOperation, 0);
    CHECK_REPLY(invoke(e->cnode, CNodeSaveCaller + 1, 0, args, 0, 0, 0), seL4_IllegalOperation, 0);
    CHECK_REPLY(invoke(e->cnode, CNodeRevoke - 1, 8, args, 0, 0, 0), seL4_IllegalOperation, 0);
}

CONF_CASE(msg_cnode_truncated, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    const seL4_Word args[MAX_ARGS] = {ep, e->depth};
    CHECK_REPLY(invoke(e->cnode, CNodeDelete, 0, args, 0, 0, 0), seL4_TruncatedMessage, 0);
    CHECK_REPLY(invoke(e->cnode, CNodeDelete, 1, args, 0, 0, 0), seL4_TruncatedMessage, 0);
    CHECK_REPLY(invoke(e->cnode, CNodeRevoke, 1, args, 0, 0, 0), seL4_TruncatedMessage, 0);
    CHECK_TAG(ep, TAG_ENDPOINT);
    CHECK_REPLY(invoke(e->cnode, CNodeDelete, 2, args, 0, 0, 0), seL4_NoError, 0);
    CHECK_EMPTY(ep);
}

CONF_CASE(msg_copy_truncated, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr dest = conf_slot(e), empty = conf_slot(e);
    const seL4_Word args[MAX_ARGS] = {dest, e->depth, ep, e->depth, seL4_AllRights.words[0]};
    /* Four arguments and the source root are needed before anything else. */
    CHECK_REPLY(invoke(e->cnode, CNodeCopy, 3, args, 1, e->cnode, 0), seL4_TruncatedMessage, 0);
    CHECK_REPLY(invoke(e->cnode, CNodeCopy, 5, args, 0, 0, 0), seL4_TruncatedMessage, 0);
    /* The rights word is read only after both slots have been checked. */
    CHECK_REPLY(invoke(e->cnode, CNodeCopy, 4, args, 1, e->cnode, 0), seL4_TruncatedMessage, 0);
    const seL4_Word full_dest[MAX_ARGS] = {ep, e->depth, ep, e->depth};
    CHECK_REPLY(invoke(e->cnode, CNodeCopy, 4, full_dest, 1, e->cnode, 0), seL4_DeleteFirst, 0);
    const seL4_Word empty_src[MAX_ARGS] = {dest, e->depth, empty, e->depth};
    CHECK_REPLY(invoke(e->cnode, CNodeCopy, 4, empty_src, 1, e->cnode, 0), seL4_FailedLookup, 3);
    CHECK_EMPTY(dest);
    CHECK_REPLY(invoke(e->cnode, CNodeCopy, 5, args, 1, e->cnode, 0), seL4_NoError, 0);
    CHECK_TAG(dest, TAG_ENDPOINT);
}

CONF_CASE(msg_mint_mutate_move_truncated, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr frame = conf_make(e, seL4_X86_4K, 0);
    seL4_CPtr dest = conf_slot(e);
    const seL4_Word mint[MAX_ARGS] = {dest, e->depth, ep, e->depth, seL4_AllRights.words[0], 5};
    CHECK_REPLY(invoke(e->cnode, CNodeMint, 5, mint, 1, e->cnode, 0), seL4_TruncatedMessage, 0);
    CHECK_EMPTY(dest);
    const seL4_Word mutate[MAX_ARGS] = {dest, e->depth, frame, e->depth, 0};
    CHECK_REPLY(invoke(e->cnode, CNodeMutate, 4, mutate, 1, e->cnode, 0), seL4_TruncatedMessage, 0);
    CHECK_TAG(frame, TAG_FRAME);
    /* Move has no further arguments. */
    CHECK_REPLY(invoke(e->cnode, CNodeMove, 4, mutate, 1, e->cnode, 0), seL4_NoError, 0);
    CHECK_EMPTY(frame);
    CHECK_TAG(dest, TAG_FRAME);
}

CONF_CASE(msg_rotate_truncated, "")
{
    seL4_CPtr src = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr pivot = conf_make(e, seL4_X86_4K, 0);
    seL4_CPtr dest = conf_slot(e);
    const seL4_Word args[MAX_ARGS] = {dest, e->depth, 0, pivot, e->depth, 0, src, e->depth};
    CHECK_REPLY(invoke(e->cnode, CNodeRotate, 7, args, 2, e->cnode, e->cnode), seL4_TruncatedMessage, 0);
    CHECK_REPLY(invoke(e->cnode, CNodeRotate, 8, args, 1, e->cnode, 0), seL4_TruncatedMessage, 0);
    CHECK_EMPTY(dest);
    CHECK_REPLY(invoke(e->cnode, CNodeRotate, 8, args, 2, e->cnode, e->cnode), seL4_NoError, 0);
    CHECK_TAG(dest, TAG_FRAME);
}

CONF_CASE(msg_retype_truncated, "")
{
    seL4_CPtr slot = conf_slot(e);
    const seL4_Word args[MAX_ARGS] = {seL4_EndpointObject, 0, 0, 0, slot, 1};
    CHECK_REPLY(invoke(e->ut, UntypedRetype, 5, args, 1, e->cnode, 0), seL4_TruncatedMessage, 0);
    CHECK_REPLY(invoke(e->ut, UntypedRetype, 6, args, 0, 0, 0), seL4_TruncatedMessage, 0);
    CHECK_REPLY(invoke(e->ut, CNodeCopy, 6, args, 1, e->cnode, 0), seL4_IllegalOperation, 0);
    CHECK_EMPTY(slot);
    CHECK_REPLY(invoke(e->ut, UntypedRetype, 6, args, 1, e->cnode, 0), seL4_NoError, 0);
    CHECK_TAG(slot, TAG_ENDPOINT);
}

/* Each error's reply carries exactly the registers that describe it. */
CONF_CASE(msg_error_reply_lengths, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr dest = conf_slot(e), empty = conf_slot(e);
    seL4_CPtr ut = conf_untyped(e, 12);
    const seL4_Word bad_type[MAX_ARGS] = {seL4_ObjectTypeCount, 0, 0, 0, dest, 1};
    CHECK_REPLY(invoke(e->ut, UntypedRetype, 6, bad_type, 1, e->cnode, 0), seL4_InvalidArgument, 1);
    const seL4_Word no_room[MAX_ARGS] = {seL4_X86_4K, 0, 0, 0, dest, 2};
    CHECK_REPLY(invoke(ut, UntypedRetype, 6, no_room, 1, e->cnode, 0), seL4_NotEnoughMemory, 1);
    CHECK_MR(0, 4096);
    const seL4_Word depth0[MAX_ARGS] = {dest, 0};
    CHECK_REPLY(invoke(e->cnode, CNodeDelete, 2, depth0, 0, 0, 0), seL4_RangeError, 2);
    const seL4_Word copy_bad_root[MAX_ARGS] = {dest, e->depth, ep, e->depth, seL4_AllRights.words[0]};
    CHECK_REPLY(invoke(e->cnode, CNodeCopy, 5, copy_bad_root, 1, ep, 0), seL4_FailedLookup, 2);
    const seL4_Word copy_missing[MAX_ARGS] = {dest, e->depth, empty, e->depth, seL4_AllRights.words[0]};
    CHECK_REPLY(invoke(e->cnode, CNodeCopy, 5, copy_missing, 1, e->cnode, 0), seL4_FailedLookup, 3);
    const seL4_Word depth_mismatch[MAX_ARGS] = {ep, e->depth - 1};
    CHECK_REPLY(invoke(e->cnode, CNodeDelete, 2, depth_mismatch, 0, 0, 0), seL4_FailedLookup, 4);
    const seL4_Word guard_mismatch[MAX_ARGS] = {ep | (1ul << 63), e->depth};
    CHECK_REPLY(invoke(e->cnode, CNodeDelete, 2, guard_mismatch, 0, 0, 0), seL4_FailedLookup, 5);
    const seL4_Word copy_full[MAX_ARGS] = {ep, e->depth, ep, e->depth, seL4_AllRights.words[0]};
    CHECK_REPLY(invoke(e->cnode, CNodeCopy, 5, copy_full, 1, e->cnode, 0), seL4_DeleteFirst, 0);
    const seL4_Word cancel[MAX_ARGS] = {dest, e->depth};
    CHECK_REPLY(invoke(e->cnode, CNodeCancelBadgedSends, 2, cancel, 0, 0, 0), seL4_IllegalOperation, 0);
    CHECK_OK(conf_retype(e, ut, seL4_EndpointObject, 0, dest, 1));
    const seL4_Word copy_ut[MAX_ARGS] = {empty, e->depth, ut, e->depth, seL4_AllRights.words[0]};
    CHECK_REPLY(invoke(e->cnode, CNodeCopy, 5, copy_ut, 1, e->cnode, 0), seL4_RevokeFirst, 0);
}

CONF_CASE(msg_success_reply_lengths, "")
{
    seL4_CPtr frame = conf_make(e, seL4_X86_4K, 0);
    const seL4_Word none[MAX_ARGS] = {0};
    CHECK_REPLY(invoke(frame, X86PageGetAddress, 0, none, 0, 0, 0), seL4_NoError, 1);
    CHECK_MR(0, e->ut_paddr);
    seL4_CPtr slot = conf_slot(e);
    const seL4_Word revoke[MAX_ARGS] = {slot, e->depth};
    CHECK_REPLY(invoke(e->cnode, CNodeRevoke, 2, revoke, 0, 0, 0), seL4_NoError, 0);
}

CONF_CASE(msg_extra_arguments_ignored, "")
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr dest = conf_slot(e);
    const seL4_Word args[MAX_ARGS] = {dest, e->depth, ep, e->depth, seL4_AllRights.words[0], 77, 78, 79};
    CHECK_REPLY(invoke(e->cnode, CNodeCopy, MAX_ARGS, args, 2, e->cnode, e->cnode), seL4_NoError, 0);
    CHECK_TAG(dest, TAG_ENDPOINT);
}

CONF_CASE(msg_nbsend_invocation_takes_effect, "")
{
    /* An invocation sent without Call is performed; only the reply is lost,
     * errors included. */
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr full = conf_make(e, seL4_NotificationObject, 0);
    seL4_SetMR(0, full);
    seL4_SetMR(1, e->depth);
    seL4_SetMR(2, ep);
    seL4_SetMR(3, e->depth);
    seL4_SetMR(4, seL4_AllRights.words[0]);
    seL4_SetCap(0, e->cnode);
    seL4_NBSend(e->cnode, seL4_MessageInfo_new(CNodeCopy, 0, 1, 5));
    CHECK_TAG(full, TAG_NOTIFICATION);
    seL4_NBSend(e->cnode, seL4_MessageInfo_new(CNodeDelete, 0, 0, 2));
    CHECK_EMPTY(full);
    seL4_SetMR(0, full);
    seL4_SetMR(1, e->depth);
    seL4_SetMR(2, ep);
    seL4_SetMR(3, e->depth);
    seL4_NBSend(e->cnode, seL4_MessageInfo_new(CNodeCopy, 0, 1, 5));
    CHECK_TAG(full, TAG_ENDPOINT);
}

CONF_CASE(msg_nbsend_to_nothing_ignored, "")
{
    /* A non-blocking send neither faults nor reports: to an empty slot, or
     * to a cptr that does not resolve. */
    seL4_CPtr empty = conf_slot(e);
    seL4_NBSend(empty, seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_NBSend(empty | (1ul << 63), seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EMPTY(empty);
}
