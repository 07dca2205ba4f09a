/*
 * Endpoint IPC between the root and helper threads: messages of every
 * length, Call with Reply or ReplyRecv, NBSend; the same with the helper in
 * a CSpace of its own (sel4test's inter-AS IPC1001-1004: here every thread
 * shares the root's address space, so the other "process" is another
 * CSpace); the rights an endpoint cap needs for each operation; reply caps;
 * and what cancels queued IPC.
 */
#include "conf_threads_ext.h"

#define LOW 100

static struct {
    seL4_CPtr ep, ret, recv_slot, cap[MAX_THREADS];
    volatile seL4_Word bad; /* mismatches a helper saw */
} sh;

/* Message n has n words; word i of a request and of a reply. */
static seL4_Word request_word(seL4_Word n, seL4_Word i)
{
    return (n << 16) | i;
}

static seL4_Word reply_word(seL4_Word n, seL4_Word i)
{
    return ~request_word(n, i);
}

static void fill(seL4_Word n, seL4_Word (*word)(seL4_Word, seL4_Word))
{
    for (seL4_Word i = 0; i < n; i++) {
        seL4_SetMR((int)i, word(n, i));
    }
}

/* How far a message is from n words of word(n, i). */
static seL4_Word mismatches(seL4_MessageInfo_t info, seL4_Word n, seL4_Word (*word)(seL4_Word, seL4_Word))
{
    seL4_Word bad = seL4_MessageInfo_get_length(info) != n;
    for (seL4_Word i = 0; i < n; i++) {
        bad += seL4_GetMR((int)i) != word(n, i);
    }
    return bad;
}

static seL4_MessageInfo_t words(seL4_Word n)
{
    return seL4_MessageInfo_new(0, 0, 0, n);
}

static seL4_Word recv_mr0(seL4_CPtr ep)
{
    seL4_Word badge;
    seL4_Recv(ep, &badge);
    return seL4_GetMR(0);
}

static void send_lengths_fn(seL4_Word unused)
{
    (void)unused;
    for (seL4_Word n = 0; n <= seL4_MsgMaxLength; n++) {
        fill(n, request_word);
        conf_send(sh.ep, seL4_MessageInfo_new(n, 0, 0, n));
    }
}

static void nbsend_lengths_fn(seL4_Word unused)
{
    (void)unused;
    for (seL4_Word n = 0; n <= seL4_MsgMaxLength; n++) {
        fill(n, request_word);
        conf_nbsend(sh.ep, words(n)); /* the root waits for each */
    }
    seL4_SetMR(0, 1);
    conf_nbsend(sh.ep, words(1)); /* the root does not wait: dropped */
    seL4_SetMR(0, 2);
    conf_send(sh.ep, words(1));
}

/* A server: checks each request and replies with ReplyRecv. */
static void reply_recv_server_fn(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(sh.ep, &badge);
    for (;;) {
        seL4_Word n = seL4_MessageInfo_get_length(info);
        sh.bad += mismatches(info, n, request_word);
        fill(n, reply_word);
        info = seL4_ReplyRecv(sh.ep, words(n), &badge);
    }
}

/* The same with Reply, then Recv. */
static void reply_then_recv_server_fn(seL4_Word unused)
{
    (void)unused;
    for (;;) {
        seL4_Word badge;
        seL4_MessageInfo_t info = seL4_Recv(sh.ep, &badge);
        seL4_Word n = seL4_MessageInfo_get_length(info);
        sh.bad += mismatches(info, n, request_word);
        fill(n, reply_word);
        conf_reply(words(n));
    }
}

/* Starts helper 0 running fn with sh.ep naming ep, badged: in the root's
 * CSpace, or (own) in a CSpace of its own. */
static void start_peer(conf_env_t *e, seL4_CPtr ep, seL4_Word badge, int own, conf_thread_fn fn)
{
    sh.bad = 0;
    if (own) {
        seL4_CPtr cnode = conf_own_cspace(e);
        CHECK_OK(conf_own_put(e, cnode, OWN_FREE, ep, seL4_AllRights, badge));
        sh.ep = OWN_FREE;
        conf_thread_start_own(e, 0, LOW, fn, 0, cnode);
    } else {
        sh.ep = conf_slot(e);
        CHECK_OK(conf_mint(e, sh.ep, ep, seL4_AllRights, badge));
        conf_thread_start(e, 0, LOW, fn, 0);
    }
}

/* Receives the messages of send_lengths_fn: half of them from a sender
 * already queued, half by waiting for it. */
static void recv_lengths(conf_env_t *e, seL4_CPtr ep, seL4_Word want_badge)
{
    for (seL4_Word n = 0; n <= seL4_MsgMaxLength; n++) {
        if (n & 1) {
            CHECK_OK(conf_settle());
        }
        seL4_Word badge = ~0ul;
        seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
        CHECK_EQ(badge, want_badge);
        CHECK_EQ(seL4_MessageInfo_get_label(info), n);
        CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
        CHECK_EQ(mismatches(info, n, request_word), 0);
    }
}

/* Calls a server with every length; it replies with as many words. */
static void call_lengths(conf_env_t *e, seL4_CPtr ep)
{
    for (seL4_Word n = 0; n <= seL4_MsgMaxLength; n++) {
        fill(n, request_word);
        seL4_MessageInfo_t info = seL4_Call(ep, words(n));
        CHECK_EQ(seL4_MessageInfo_get_label(info), 0);
        CHECK_EQ(mismatches(info, n, reply_word), 0);
    }
    CHECK_EQ(sh.bad, 0);
}

static void nbsend_recv(conf_env_t *e, seL4_CPtr ep)
{
    for (seL4_Word n = 0; n <= seL4_MsgMaxLength; n++) {
        seL4_Word badge;
        CHECK_EQ(mismatches(seL4_Recv(ep, &badge), n, request_word), 0);
    }
    CHECK_OK(conf_settle()); /* the next NBSend finds nobody waiting */
    seL4_Word badge;
    seL4_Recv(ep, &badge);
    CHECK_MR(0, 2);
}

CONF_CASE(ipc_send_every_length, "IPC0001")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    start_peer(e, ep, 0x11, 0, send_lengths_fn);
    recv_lengths(e, ep, 0x11);
}

CONF_CASE(ipc_call_and_reply_recv_every_length, "IPC0002")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    start_peer(e, ep, 0, 0, reply_recv_server_fn);
    call_lengths(e, ep);
}

CONF_CASE(ipc_call_and_reply_then_recv_every_length, "IPC0003")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    start_peer(e, ep, 0, 0, reply_then_recv_server_fn);
    call_lengths(e, ep);
}

/* NBSend delivers to a waiting receiver only. */
CONF_CASE(ipc_nbsend_reaches_only_a_waiting_receiver, "IPC0004")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    start_peer(e, ep, 0, 0, nbsend_lengths_fn);
    nbsend_recv(e, ep);
}

CONF_CASE(ipc_send_every_length_across_cspaces, "IPC1001")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    start_peer(e, ep, 0x12, 1, send_lengths_fn);
    recv_lengths(e, ep, 0x12);
}

CONF_CASE(ipc_call_and_reply_recv_across_cspaces, "IPC1002")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    start_peer(e, ep, 0, 1, reply_recv_server_fn);
    call_lengths(e, ep);
}

CONF_CASE(ipc_call_and_reply_then_recv_across_cspaces, "IPC1003")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    start_peer(e, ep, 0, 1, reply_then_recv_server_fn);
    call_lengths(e, ep);
}

CONF_CASE(ipc_nbsend_across_cspaces, "IPC1004")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    start_peer(e, ep, 0, 1, nbsend_lengths_fn);
    nbsend_recv(e, ep);
}

#define LABEL_MAX ((1ul << 52) - 1)

static void overlong_fn(seL4_Word unused)
{
    (void)unused;
    fill(seL4_MsgMaxLength, request_word);
    conf_send(sh.ep, seL4_MessageInfo_new(LABEL_MAX, 7, 0, 127));
}

/* The kernel cuts a length above seL4_MsgMaxLength, keeps the whole label,
 * and ignores the capsUnwrapped bits a sender sets. */
CONF_CASE(ipc_overlong_message_is_cut, "")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    start_peer(e, ep, 0, 0, overlong_fn);
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    CHECK_EQ(seL4_MessageInfo_get_label(info), LABEL_MAX);
    CHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 0);
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    CHECK_EQ(mismatches(info, seL4_MsgMaxLength, request_word), 0);
}

static void recv_log_fn(seL4_Word unused)
{
    (void)unused;
    for (;;) {
        seL4_Word badge;
        seL4_Recv(sh.ep, &badge);
        log_put(seL4_GetMR(0));
    }
}

enum { WRITE = 1, READ = 2, GRANT = 4, GRANT_REPLY = 8, ALL_RIGHTS = 16 };

/* A Send through a cap without write is dropped; a Call gets an error. */
CONF_CASE(ipc_send_needs_write, "IPCRIGHTS0001")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    conf_thread_start(e, 0, LOW, recv_log_fn, 0);
    seL4_CPtr cap = conf_slot(e);
    for (seL4_Word r = 0; r < ALL_RIGHTS; r++) {
        CHECK_OK(conf_mint(e, cap, sh.ep, conf_rights(r), 0));
        if (!(r & WRITE)) {
            seL4_MessageInfo_t info = seL4_Call(cap, words(0));
            CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_InvalidCapability);
            CHECK_EQ(seL4_MessageInfo_get_length(info), 1);
            CHECK_MR(0, 0);
        }
        seL4_SetMR(0, 100 + r);
        conf_send(cap, words(1));
        seL4_SetMR(0, 1);
        conf_send(sh.ep, words(1));
        CHECK_OK(conf_delete(e, cap));
    }
    CHECK_OK(conf_settle());
    seL4_Word want[LOG_MAX], k = 0;
    for (seL4_Word r = 0; r < ALL_RIGHTS; r++) {
        if (r & WRITE) {
            want[k++] = 100 + r;
        }
        want[k++] = 1;
    }
    conf_check_log(e, want, k);
}

static void send_count_fn(seL4_Word n)
{
    for (seL4_Word i = 0; i < n; i++) {
        seL4_SetMR(0, i);
        conf_send(sh.ep, words(1));
    }
}

/* Read is all a receive needs. (Without read it is a cap fault.) */
CONF_CASE(ipc_recv_needs_only_read, "IPCRIGHTS0002")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    conf_thread_start(e, 0, LOW, send_count_fn, ALL_RIGHTS / 2);
    seL4_CPtr cap = conf_slot(e);
    seL4_Word i = 0;
    for (seL4_Word r = READ; r < ALL_RIGHTS; r = (r + 1) | READ) {
        CHECK_OK(conf_mint(e, cap, sh.ep, conf_rights(r), 0));
        seL4_Word badge;
        seL4_Recv(cap, &badge);
        CHECK_MR(0, i++);
        CHECK_OK(conf_delete(e, cap));
    }
    CHECK_EQ(i, ALL_RIGHTS / 2);
}

static void set_receive_slot(seL4_CPtr slot)
{
    seL4_SetCapReceivePath(seL4_CapInitThreadCNode, slot, seL4_WordBits);
}

static void recv_caps_fn(seL4_Word unused)
{
    (void)unused;
    for (;;) {
        seL4_Word badge;
        set_receive_slot(sh.recv_slot);
        log_put(seL4_MessageInfo_get_extraCaps(seL4_Recv(sh.ep, &badge)));
    }
}

/* A cap goes with a message only through a cap with grant (grant-reply is
 * not enough). The message itself goes through. */
CONF_CASE(ipc_send_caps_needs_grant, "IPCRIGHTS0003")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    sh.ret = conf_make(e, seL4_EndpointObject, 0);
    sh.recv_slot = conf_slot(e);
    conf_thread_start(e, 0, LOW, recv_caps_fn, 0);
    seL4_CPtr cap = conf_slot(e);
    for (seL4_Word r = WRITE; r < ALL_RIGHTS; r += 2) {
        CHECK_OK(conf_mint(e, cap, sh.ep, conf_rights(r), 0));
        CHECK_OK(conf_settle()); /* the helper waits */
        seL4_SetCap(0, sh.ret);
        conf_send(cap, seL4_MessageInfo_new(0, 0, 1, 0));
        CHECK_TAG(sh.recv_slot, (r & GRANT) ? TAG_ENDPOINT : TAG_NULL);
        CHECK_OK(conf_delete(e, sh.recv_slot));
        CHECK_OK(conf_delete(e, cap));
    }
    CHECK_OK(conf_settle());
    CHECK_LOG(0, 0, 1, 1, 0, 0, 1, 1);
}

/* Calls n times (a Call on an empty slot would return at once: a helper
 * that looped on it would never block). */
static void call_n_fn(seL4_Word n)
{
    for (seL4_Word i = 0; i < n; i++) {
        seL4_SetMR(0, 7);
        seL4_Call(sh.ep, words(1));
        log_put(seL4_GetMR(0));
    }
}

/* A Call through a cap with neither grant nor grant-reply delivers the
 * message but leaves the caller inactive, with no reply cap. Resuming it
 * restarts the Call, here through a cap with all rights. */
CONF_CASE(ipc_call_needs_grant_or_grant_reply, "IPCRIGHTS0004")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    sh.ep = conf_slot(e);
    seL4_CPtr saved = conf_slot(e);
    seL4_CPtr t = conf_thread_start(e, 0, LOW, call_n_fn, ALL_RIGHTS / 2);
    for (seL4_Word r = WRITE; r < ALL_RIGHTS; r += 2) {
        CHECK_OK(conf_copy(e, sh.ep, ep, conf_rights(r)));
        CHECK_OK(conf_settle());
        CHECK_EQ(recv_mr0(ep), 7);
        CHECK_OK(seL4_CNode_SaveCaller(e->cnode, saved, e->depth));
        if (!(r & (GRANT | GRANT_REPLY))) {
            CHECK_EMPTY(saved);
            CHECK_OK(conf_settle());
            CHECK_EQ(conf_log.n, r / 2); /* the caller did not go on */
            CHECK_OK(conf_delete(e, sh.ep));
            CHECK_OK(conf_copy(e, sh.ep, ep, seL4_AllRights));
            CHECK_OK(seL4_TCB_Resume(t));
            CHECK_OK(conf_settle());
            CHECK_EQ(recv_mr0(ep), 7);
            CHECK_OK(seL4_CNode_SaveCaller(e->cnode, saved, e->depth));
        }
        CHECK_TAG(saved, TAG_REPLY);
        seL4_SetMR(0, 200 + r);
        conf_send(saved, words(1));
        CHECK_EMPTY(saved);
        CHECK_OK(conf_delete(e, sh.ep));
    }
    CHECK_OK(conf_settle());
    CHECK_LOG(201, 203, 205, 207, 209, 211, 213, 215);
}

static void call_with_slot_fn(seL4_Word unused)
{
    (void)unused;
    for (;;) {
        set_receive_slot(sh.recv_slot);
        log_put(seL4_MessageInfo_get_extraCaps(seL4_Call(sh.ep, words(0))));
    }
}

/* A reply carries a cap only if the server received the call through a cap
 * with grant: the reply cap inherits that right, saved or not. Half of the
 * calls find the server waiting, half are queued when it receives. */
CONF_CASE(ipc_reply_grant_follows_the_receive_cap, "IPCRIGHTS0005")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    sh.ep = ep;
    sh.ret = conf_make(e, seL4_EndpointObject, 0);
    sh.recv_slot = conf_slot(e);
    seL4_CPtr cap = conf_slot(e), saved = conf_slot(e);
    conf_thread_start(e, 0, LOW, call_with_slot_fn, 0);
    for (seL4_Word r = READ; r < ALL_RIGHTS; r = (r + 1) | READ) {
        CHECK_OK(conf_mint(e, cap, ep, conf_rights(r), 0));
        int odd = (r >> 2) & 1;
        if (odd) {
            CHECK_OK(conf_settle());
        }
        seL4_Word badge;
        seL4_Recv(cap, &badge);
        seL4_SetCap(0, sh.ret);
        if (odd) {
            CHECK_OK(seL4_CNode_SaveCaller(e->cnode, saved, e->depth));
            conf_send(saved, seL4_MessageInfo_new(0, 0, 1, 0));
        } else {
            conf_reply(seL4_MessageInfo_new(0, 0, 1, 0));
        }
        CHECK_TAG(sh.recv_slot, (r & GRANT) ? TAG_ENDPOINT : TAG_NULL);
        CHECK_OK(conf_delete(e, sh.recv_slot));
        CHECK_OK(conf_delete(e, cap));
    }
    CHECK_OK(conf_settle());
    CHECK_LOG(0, 0, 1, 1, 0, 0, 1, 1);
}

static void call_fn(seL4_Word v)
{
    seL4_SetMR(0, v);
    seL4_Call(sh.ep, words(1));
    log_put(seL4_GetMR(0));
}

/* A receive on an endpoint deletes the reply cap of an unanswered caller,
 * who then waits forever. */
CONF_CASE(ipc_recv_drops_an_unsaved_reply_cap, "")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    conf_thread_start(e, 0, LOW, call_fn, 1);
    conf_thread_start(e, 1, LOW - 10, call_fn, 2);
    CHECK_EQ(recv_mr0(sh.ep), 1);
    CHECK_EQ(recv_mr0(sh.ep), 2);
    seL4_SetMR(0, 20);
    conf_reply(words(1));
    CHECK_OK(conf_settle());
    CHECK_LOG(20);
}

/* SaveCaller moves the reply cap out of the way: it can be moved again but
 * not copied, and used after later receives. */
CONF_CASE(ipc_saved_reply_cap_outlives_receives, "")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    conf_thread_start(e, 0, LOW, call_fn, 1);
    conf_thread_start(e, 1, LOW - 10, call_fn, 2);
    CHECK_EQ(recv_mr0(sh.ep), 1);
    seL4_CPtr saved = conf_slot(e), copy = conf_slot(e), moved = conf_slot(e);
    CHECK_OK(seL4_CNode_SaveCaller(e->cnode, saved, e->depth));
    CHECK_ERR(conf_copy(e, copy, saved, seL4_AllRights), seL4_IllegalOperation);
    CHECK_OK(conf_move(e, moved, saved));
    CHECK_EQ(recv_mr0(sh.ep), 2);
    seL4_SetMR(0, 20);
    conf_reply(words(1));
    seL4_SetMR(0, 10);
    conf_send(moved, words(1));
    CHECK_EMPTY(moved);
    CHECK_OK(conf_settle());
    CHECK_LOG(10, 20);
}

static void call_twice_fn(seL4_Word v)
{
    call_fn(v);
    call_fn(v + 1);
}

/* Only a receive on an endpoint drops the reply cap: waiting on or polling
 * a notification keeps it; a non-blocking receive on an endpoint drops it
 * even when there is nothing to receive. */
CONF_CASE(ipc_notification_receives_keep_the_reply_cap, "")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr other = conf_make(e, seL4_EndpointObject, 0);
    conf_thread_start(e, 0, LOW, call_twice_fn, 1);
    CHECK_EQ(recv_mr0(sh.ep), 1);
    seL4_Signal(ntfn);
    seL4_Word badge;
    seL4_Wait(ntfn, &badge);
    CHECK_EQ(conf_poll(ntfn), 0);
    seL4_SetMR(0, 5);
    conf_reply(words(1));
    CHECK_EQ(recv_mr0(sh.ep), 2);
    badge = 1;
    seL4_NBRecv(other, &badge);
    CHECK_EQ(badge, 0);
    seL4_CPtr saved = conf_slot(e);
    CHECK_OK(seL4_CNode_SaveCaller(e->cnode, saved, e->depth));
    CHECK_EMPTY(saved);
    CHECK_OK(conf_settle());
    CHECK_LOG(5);
}

/* Helper i sends i through sh.cap[i], or receives through it and logs the badge. */
static void send_via_fn(seL4_Word i)
{
    seL4_SetMR(0, i);
    conf_send(sh.cap[i], words(1));
}

static void recv_via_fn(seL4_Word i)
{
    seL4_Word badge;
    seL4_Recv(sh.cap[i], &badge);
    log_put(badge);
}

/* Cancelling a badge restarts the senders queued with it; restarted, they
 * send again, behind the others. A cap without a badge cancels nothing. */
CONF_CASE(ipc_cancel_badged_sends_restarts_its_senders, "CANCEL_BADGED_SENDS_0001")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr one = conf_slot(e), two = conf_slot(e);
    CHECK_OK(conf_mint(e, one, ep, seL4_AllRights, 1));
    CHECK_OK(conf_mint(e, two, ep, seL4_AllRights, 2));
    static const seL4_Word prios[] = {LOW + 1, LOW, LOW + 2};
    for (seL4_Word i = 0; i < 3; i++) {
        sh.cap[i] = conf_slot(e);
        CHECK_OK(conf_copy(e, sh.cap[i], i == 1 ? two : one, seL4_AllRights));
        conf_thread_start(e, (unsigned)i, prios[i], send_via_fn, i);
        CHECK_OK(conf_settle()); /* queued in this order */
    }
    CHECK_OK(seL4_CNode_CancelBadgedSends(e->cnode, ep, e->depth));
    CHECK_OK(seL4_CNode_CancelBadgedSends(e->cnode, one, e->depth));
    static const seL4_Word want[][2] = {{2, 1}, {1, 2}, {1, 0}}; /* badge, sender */
    for (unsigned k = 0; k < 3; k++) {
        seL4_Word badge;
        seL4_Recv(ep, &badge);
        CHECK_EQ(badge, want[k][0]);
        CHECK_MR(0, want[k][1]);
    }
}

/* A queued send outlives the cap it was sent with: its badge is in the
 * sender's state. */
CONF_CASE(ipc_queued_send_outlives_its_cap, "CANCEL_BADGED_SENDS_0002")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr badged = conf_slot(e);
    CHECK_OK(conf_mint(e, badged, ep, seL4_AllRights, 5));
    sh.cap[0] = conf_slot(e);
    CHECK_OK(conf_copy(e, sh.cap[0], badged, seL4_AllRights));
    conf_thread_start(e, 0, LOW, send_via_fn, 0);
    CHECK_OK(conf_settle());
    CHECK_OK(conf_revoke(e, badged));
    CHECK_EMPTY(sh.cap[0]);
    seL4_Word badge;
    seL4_Recv(ep, &badge);
    CHECK_EQ(badge, 5);
}

/* Revoke, then cancel: the send is gone, and the restarted sender uses what
 * its slot holds now (here a notification: its Send signals). */
CONF_CASE(ipc_cancel_after_revoke_restarts_with_the_new_cap, "CANCEL_BADGED_SENDS_0002")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr badged = conf_slot(e);
    CHECK_OK(conf_mint(e, badged, ep, seL4_AllRights, 5));
    sh.cap[0] = conf_slot(e);
    CHECK_OK(conf_copy(e, sh.cap[0], badged, seL4_AllRights));
    conf_thread_start(e, 0, LOW, send_via_fn, 0);
    CHECK_OK(conf_settle());
    CHECK_OK(conf_revoke(e, badged));
    CHECK_OK(seL4_CNode_CancelBadgedSends(e->cnode, badged, e->depth));
    CHECK_OK(conf_mint(e, sh.cap[0], ntfn, seL4_AllRights, 9));
    CHECK_OK(conf_settle());
    seL4_Word badge = 1;
    seL4_NBRecv(ep, &badge);
    CHECK_EQ(badge, 0);
    CHECK_EQ(conf_poll(ntfn), 9);
}

/* Deleting an endpoint's last cap restarts every thread queued on it:
 * senders and receivers alike run their system call again, here on the
 * notification their slot holds by then. */
CONF_CASE(ipc_deleting_an_endpoint_restarts_its_queue, "")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep[2], ntfn[2];
    for (unsigned i = 0; i < 2; i++) {
        ep[i] = conf_make(e, seL4_EndpointObject, 0);
        ntfn[i] = conf_make(e, seL4_NotificationObject, 0);
        sh.cap[i] = conf_slot(e);
        CHECK_OK(conf_copy(e, sh.cap[i], ep[i], seL4_AllRights));
        conf_thread_start(e, i, LOW, i == 0 ? send_via_fn : recv_via_fn, i);
    }
    CHECK_OK(conf_settle());
    for (unsigned i = 0; i < 2; i++) {
        CHECK_OK(conf_delete(e, ep[i]));
        CHECK_OK(conf_delete(e, sh.cap[i]));
        CHECK_OK(conf_mint(e, sh.cap[i], ntfn[i], seL4_AllRights, 4 + i));
    }
    CHECK_OK(conf_settle());
    CHECK_EQ(conf_poll(ntfn[0]), 4); /* the sender signalled */
    CHECK_EQ(conf_log.n, 0);         /* the receiver waits on its notification */
    seL4_Signal(sh.cap[1]);
    CHECK_OK(conf_settle());
    CHECK_LOG(5);
}
