/*
 * Capability transfer in endpoint messages (the kernel's transferCaps): a
 * sender with grant names up to three caps; each cap to the endpoint the
 * message goes through is unwrapped to its badge, and the first other cap
 * is copied into the receiver's receive slot. The first cap that cannot be
 * transferred (no slot left, a null cap, a cap that cannot be derived) ends
 * the transfer: extraCaps counts the caps handled before it.
 */
#include "conf_threads_ext.h"

#define LOW 100

enum { MSGS = 4 };

/* What the cap sender sends: message k carries msg[k]'s caps and MR0 = k. */
static struct {
    seL4_CPtr ep, slot;
    seL4_Word n_msgs;
    struct {
        seL4_Word n;
        seL4_CPtr cap[seL4_MsgMaxExtraCaps];
    } msg[MSGS];
} sh;

static void cap_sender_fn(seL4_Word unused)
{
    (void)unused;
    for (seL4_Word k = 0; k < sh.n_msgs; k++) {
        for (seL4_Word i = 0; i < sh.msg[k].n; i++) {
            seL4_SetCap((int)i, sh.msg[k].cap[i]);
        }
        seL4_SetMR(0, k);
        conf_send(sh.ep, seL4_MessageInfo_new(0, 0, sh.msg[k].n, 1));
    }
}

/* The endpoint messages go through; the sender's cap to it has grant and
 * badge 0x70. Returns the endpoint (unbadged). */
static seL4_CPtr start_cap_sender(conf_env_t *e, seL4_Word n_msgs)
{
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    sh.ep = conf_slot(e);
    sh.n_msgs = n_msgs;
    if (conf_mint(e, sh.ep, ep, seL4_AllRights, 0x70) != seL4_NoError) {
        conf_fail(e, __FILE__, __LINE__, "conf_mint", 0, 1);
    }
    conf_thread_start(e, 0, LOW, cap_sender_fn, 0);
    return ep;
}

static void set_msg(seL4_Word k, seL4_Word n, seL4_CPtr c0, seL4_CPtr c1, seL4_CPtr c2)
{
    sh.msg[k].n = n;
    sh.msg[k].cap[0] = c0;
    sh.msg[k].cap[1] = c1;
    sh.msg[k].cap[2] = c2;
}

/* Receives the next message into the root CNode's `slot` (0: no receive slot). */
static seL4_MessageInfo_t recv_into(conf_env_t *e, seL4_CPtr ep, seL4_CPtr slot)
{
    seL4_SetCapReceivePath(slot ? e->cnode : 0, slot, slot ? e->depth : 0);
    seL4_Word badge;
    return seL4_Recv(ep, &badge);
}

#define CHECK_CAPS(info_, extra_, unwrapped_)                                   \
    do {                                                                        \
        seL4_MessageInfo_t conf_info_ = (info_);                                \
        CHECK_EQ(seL4_MessageInfo_get_extraCaps(conf_info_), (extra_));         \
        CHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(conf_info_), (unwrapped_)); \
        CHECK_EQ(seL4_MessageInfo_get_length(conf_info_), 1);                   \
    } while (0)

static seL4_CPtr badged(conf_env_t *e, seL4_CPtr obj, seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_CPtr slot = conf_slot(e);
    if (conf_mint(e, slot, obj, rights, badge) != seL4_NoError) {
        conf_fail(e, __FILE__, __LINE__, "conf_mint", 0, 1);
    }
    return slot;
}

/* The received cap is a copy, badge and all, and a child of the sent cap in
 * the derivation tree: revoking the sender's cap deletes it. */
CONF_CASE(xfer_received_cap_is_a_child_of_the_sent_one, "")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr sent = badged(e, ntfn, seL4_AllRights, 0x21);
    set_msg(0, 1, sent, 0, 0);
    seL4_CPtr ep = start_cap_sender(e, 1);
    seL4_CPtr slot = conf_slot(e);
    CHECK_CAPS(recv_into(e, ep, slot), 1, 0);
    CHECK_MR(0, 0);
    seL4_Signal(slot);
    CHECK_EQ(conf_poll(ntfn), 0x21);
    CHECK_OK(conf_revoke(e, sent));
    CHECK_EMPTY(slot);
    CHECK_TAG(sent, TAG_NOTIFICATION);
}

/* No usable receive slot: the message arrives, the cap does not. */
CONF_CASE(xfer_without_a_receive_slot, "")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    for (seL4_Word k = 0; k < 3; k++) {
        set_msg(k, 1, ntfn, 0, 0);
    }
    seL4_CPtr ep = start_cap_sender(e, 3);
    seL4_CPtr slot = conf_slot(e);
    CHECK_CAPS(recv_into(e, ep, 0), 0, 0);
    CHECK_MR(0, 0);
    seL4_SetCapReceivePath(e->cnode, slot, e->depth / 2); /* the wrong depth */
    seL4_Word badge;
    CHECK_CAPS(seL4_Recv(ep, &badge), 0, 0);
    seL4_SetCapReceivePath(ep, slot, e->depth); /* not a CNode */
    CHECK_CAPS(seL4_Recv(ep, &badge), 0, 0);
    CHECK_MR(0, 2);
    CHECK_EMPTY(slot);
}

/* Caps to the endpoint itself are unwrapped without a receive slot, until a
 * cap that needs one ends the transfer. */
CONF_CASE(xfer_unwrapping_needs_no_receive_slot, "")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr ep = start_cap_sender(e, 2);
    seL4_CPtr same = badged(e, ep, seL4_AllRights, 5);
    set_msg(0, 2, same, ntfn, 0);
    set_msg(1, 2, ntfn, same, 0);
    CHECK_CAPS(recv_into(e, ep, 0), 1, 1);
    CHECK_EQ(seL4_GetBadge(0), 5);
    CHECK_CAPS(recv_into(e, ep, 0), 0, 0);
}

/* One slot, so one cap copied per message; unwrapping goes on past it, an
 * unbadged cap to the endpoint unwraps to badge 0, and the second cap
 * needing a slot ends the transfer. */
CONF_CASE(xfer_one_cap_per_message, "")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr ep = start_cap_sender(e, 1);
    set_msg(0, 3, badged(e, ntfn, seL4_AllRights, 1), ep, badged(e, ntfn, seL4_AllRights, 2));
    seL4_CPtr slot = conf_slot(e);
    CHECK_CAPS(recv_into(e, ep, slot), 2, 2);
    CHECK_EQ(seL4_GetBadge(1), 0);
    seL4_Signal(slot);
    CHECK_EQ(conf_poll(ntfn), 1);
}

/* An empty slot is a null cap: it ends the transfer at once. */
CONF_CASE(xfer_an_empty_slot_ends_the_transfer, "")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = start_cap_sender(e, 1);
    set_msg(0, 2, conf_slot(e), ep, 0);
    seL4_CPtr slot = conf_slot(e);
    CHECK_CAPS(recv_into(e, ep, slot), 0, 0);
    CHECK_EMPTY(slot);
}

/* A cap that cannot be derived ends the transfer: an unmapped page table,
 * an untyped with children. An untyped without children goes through. */
CONF_CASE(xfer_underivable_caps_end_the_transfer, "")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr pt = conf_make(e, seL4_X86_PageTableObject, 0);
    seL4_CPtr fresh = conf_untyped(e, 12);
    set_msg(0, 1, pt, 0, 0);
    set_msg(1, 1, e->ut, 0, 0);
    set_msg(2, 1, fresh, 0, 0);
    seL4_CPtr ep = start_cap_sender(e, 3);
    seL4_CPtr slot = conf_slot(e);
    CHECK_CAPS(recv_into(e, ep, slot), 0, 0);
    CHECK_CAPS(recv_into(e, ep, slot), 0, 0);
    CHECK_EMPTY(slot);
    CHECK_CAPS(recv_into(e, ep, slot), 1, 0);
    CHECK_TAG(slot, TAG_UNTYPED);
}

/* The copy has the rights of the cap sent: read without write receives
 * (polls) but cannot signal. */
CONF_CASE(xfer_keeps_the_rights, "")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    set_msg(0, 1, badged(e, ntfn, seL4_CanRead, 3), 0, 0);
    seL4_CPtr ep = start_cap_sender(e, 1);
    seL4_CPtr slot = conf_slot(e);
    CHECK_CAPS(recv_into(e, ep, slot), 1, 0);
    seL4_Signal(slot);
    CHECK_EQ(conf_poll(ntfn), 0);
    seL4_Signal(badged(e, ntfn, seL4_CanWrite, 8));
    CHECK_EQ(conf_poll(slot), 8);
}

/* The receive path may name a slot of another CNode, at that CNode's depth. */
CONF_CASE(xfer_into_a_sub_cnode, "")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    set_msg(0, 1, badged(e, ntfn, seL4_AllRights, 6), 0, 0);
    seL4_CPtr ep = start_cap_sender(e, 1);
    seL4_CPtr sub = conf_make(e, seL4_CapTableObject, 2);
    seL4_SetCapReceivePath(sub, 3, 2);
    seL4_Word badge;
    CHECK_CAPS(seL4_Recv(ep, &badge), 1, 0);
    seL4_CPtr slot = conf_slot(e);
    CHECK_OK(seL4_CNode_Move(e->cnode, slot, e->depth, sub, 3, 2));
    seL4_Signal(slot);
    CHECK_EQ(conf_poll(ntfn), 6);
}

static void caller_fn(seL4_Word unused)
{
    (void)unused;
    seL4_SetCapReceivePath(seL4_CapInitThreadCNode, sh.slot, seL4_WordBits);
    seL4_MessageInfo_t info = seL4_Call(sh.ep, seL4_MessageInfo_new(0, 0, 0, 0));
    log_put(seL4_MessageInfo_get_extraCaps(info));
    log_put(seL4_MessageInfo_get_capsUnwrapped(info));
}

/* A reply is not sent through an endpoint: a cap to the endpoint the call
 * came through is copied, not unwrapped. */
CONF_CASE(xfer_a_reply_never_unwraps, "")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    sh.ep = ep;
    sh.slot = conf_slot(e);
    conf_thread_start(e, 0, LOW, caller_fn, 0);
    seL4_Word badge;
    seL4_Recv(ep, &badge);
    seL4_SetCap(0, badged(e, ep, seL4_AllRights, 9));
    conf_reply(seL4_MessageInfo_new(0, 0, 1, 0));
    CHECK_TAG(sh.slot, TAG_ENDPOINT);
    CHECK_OK(conf_settle());
    CHECK_LOG(1, 0);
}

enum { PEER_EP = OWN_FREE, PEER_NTFN, PEER_RECV };

static void peer_fn(seL4_Word unused)
{
    (void)unused;
    seL4_SetCap(0, PEER_NTFN);
    seL4_SetMR(0, 0);
    conf_send(PEER_EP, seL4_MessageInfo_new(0, 0, 1, 1));
    seL4_SetCapReceivePath(OWN_CNODE, PEER_RECV, seL4_WordBits);
    seL4_Word badge;
    seL4_Recv(PEER_EP, &badge);
    seL4_Signal(PEER_RECV);
}

/* Caps cross CSpaces both ways: each side names slots of its own CSpace. */
CONF_CASE(xfer_between_cspaces, "IPC1001")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr theirs = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr ours = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr cnode = conf_own_cspace(e);
    CHECK_OK(conf_own_put(e, cnode, PEER_EP, ep, seL4_AllRights, 0));
    CHECK_OK(conf_own_put(e, cnode, PEER_NTFN, theirs, seL4_AllRights, 0x44));
    conf_thread_start_own(e, 0, LOW, peer_fn, 0, cnode);
    seL4_CPtr slot = conf_slot(e);
    CHECK_CAPS(recv_into(e, ep, slot), 1, 0);
    seL4_Signal(slot);
    CHECK_EQ(conf_poll(theirs), 0x44);
    seL4_SetCap(0, badged(e, ours, seL4_AllRights, 0x55));
    conf_send(ep, seL4_MessageInfo_new(0, 0, 1, 0));
    CHECK_OK(conf_settle());
    CHECK_EQ(conf_poll(ours), 0x55);
}
