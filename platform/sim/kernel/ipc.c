/*
 * Endpoints and notifications, as the kernel's endpoint.c, notification.c
 * and thread.c (doIPCTransfer, transferCaps) define them for non-MCS:
 * queues, message and capability transfer, Call and Reply, bound
 * notifications, and cancellation.
 */
#include <string.h>
#include "model.h"

static void queue_append(tcb_t **head, tcb_t **tail, tcb_t *t)
{
    t->ep_prev = *tail;
    t->ep_next = NULL;
    if (*tail) {
        (*tail)->ep_next = t;
    } else {
        *head = t;
    }
    *tail = t;
}

static void queue_remove(tcb_t **head, tcb_t **tail, tcb_t *t)
{
    if (t->ep_prev) {
        t->ep_prev->ep_next = t->ep_next;
    } else {
        *head = t->ep_next;
    }
    if (t->ep_next) {
        t->ep_next->ep_prev = t->ep_prev;
    } else {
        *tail = t->ep_prev;
    }
    t->ep_next = t->ep_prev = NULL;
}

/* A woken thread's system call returns this. */
static void set_return(tcb_t *t, seL4_MessageInfo_t info, word_t badge)
{
    t->ret_info = info;
    t->ret_badge = badge;
}

static void wake(tcb_t *t)
{
    t->state = ts_running;
    t->blocked_on = NULL;
    sched_make_runnable(t);
}

/* Restarted threads run their system call again when they next run. */
static void restart(tcb_t *t)
{
    t->state = ts_restart;
    t->blocked_on = NULL;
    sched_make_runnable(t);
}

void ep_cancel_all(endpoint_t *ep)
{
    while (ep->head) {
        tcb_t *t = ep->head;
        queue_remove(&ep->head, &ep->tail, t);
        restart(t);
    }
    ep->state = ep_idle;
}

void ep_cancel_badged_sends(endpoint_t *ep, word_t badge)
{
    if (ep->state != ep_send) {
        return;
    }
    for (tcb_t *t = ep->head, *next; t; t = next) {
        next = t->ep_next;
        if (t->ipc_badge == badge) {
            queue_remove(&ep->head, &ep->tail, t);
            restart(t);
        }
    }
    if (!ep->head) {
        ep->state = ep_idle;
    }
}

void ntfn_cancel_all(notification_t *n)
{
    if (n->bound_tcb) {
        n->bound_tcb->bound_ntfn = NULL;
        n->bound_tcb = NULL;
    }
    while (n->head) {
        tcb_t *t = n->head;
        queue_remove(&n->head, &n->tail, t);
        restart(t);
    }
    n->state = ntfn_idle;
}

/* Takes a thread out of whatever IPC it is blocked in. */
void cancel_ipc(tcb_t *t)
{
    switch (t->state) {
    case ts_blocked_on_send:
    case ts_blocked_on_receive: {
        endpoint_t *ep = t->blocked_on;
        queue_remove(&ep->head, &ep->tail, t);
        if (!ep->head) {
            ep->state = ep_idle;
        }
        break;
    }
    case ts_blocked_on_notification: {
        notification_t *n = t->blocked_on;
        queue_remove(&n->head, &n->tail, t);
        if (!n->head) {
            n->state = ntfn_idle;
        }
        break;
    }
    case ts_blocked_on_reply:
        /* The reply cap, wherever the callee keeps it, goes: it is the master's child. */
        if (t->ctes[tcb_reply].mdb_next && t->ctes[tcb_reply].mdb_next->cap.type == cap_reply &&
            t->ctes[tcb_reply].mdb_next->cap.obj == t) {
            cte_delete(t->ctes[tcb_reply].mdb_next);
        }
        break;
    default:
        break;
    }
    t->blocked_on = NULL;
}

/* The receiver's empty receive slot, if its receive path names one. */
static cte_t *receive_slot(tcb_t *receiver, seL4_IPCBuffer *buf)
{
    syscall_error_t saved = ksim.err;
    cte_t *root = lookup_slot(receiver, buf->receiveCNode);
    cte_t *slot = root ? lookup_slot_for_cnode_op(false, root->cap, buf->receiveIndex, buf->receiveDepth) : NULL;
    ksim.err = saved;
    return slot && slot->cap.type == cap_null ? slot : NULL;
}

/* Moves the sender's extra caps: caps to the endpoint itself are unwrapped
 * into badges, and at most one other cap is copied into the receive slot. */
static seL4_MessageInfo_t transfer_caps(tcb_t *sender, seL4_MessageInfo_t info, const endpoint_t *ep,
                                        tcb_t *receiver, seL4_IPCBuffer *rbuf)
{
    seL4_IPCBuffer *sbuf = ipc_buffer_host(sender);
    unsigned n = (unsigned)seL4_MessageInfo_get_extraCaps(info), i, unwrapped = 0;
    cte_t *dest = rbuf ? receive_slot(receiver, rbuf) : NULL;
    for (i = 0; i < n && sbuf && rbuf; i++) {
        cte_t *src = lookup_slot(sender, sbuf->caps_or_badges[i]);
        if (!src) {
            break;
        }
        if (src->cap.type == cap_endpoint && src->cap.obj == ep) {
            rbuf->caps_or_badges[i] = src->cap.ep.badge;
            unwrapped |= 1u << i;
            continue;
        }
        cap_t derived;
        syscall_error_t saved = ksim.err;
        bool ok = dest && derive_cap(src, src->cap, &derived) && derived.type != cap_null;
        ksim.err = saved;
        if (!ok) {
            break;
        }
        cte_insert(derived, src, dest);
        dest = NULL;
    }
    return seL4_MessageInfo_new(seL4_MessageInfo_get_label(info), unwrapped, i, 0);
}

/* The kernel's doIPCTransfer for a normal message. */
static void do_ipc_transfer(tcb_t *sender, const endpoint_t *ep, word_t badge, bool grant, tcb_t *receiver)
{
    seL4_MessageInfo_t info = sender->send_info;
    seL4_IPCBuffer *sbuf = ipc_buffer_host(sender), *rbuf = ipc_buffer_host(receiver);
    if (sender->has_fault) { /* the fault message, made by the kernel */
        word_t n = rbuf ? sender->fault_len : 0;
        if (rbuf) {
            memcpy(rbuf->msg, sender->fault_msg, n * sizeof(word_t));
        }
        set_return(receiver, seL4_MessageInfo_new(sender->fault_label, 0, 0, n), badge);
        return;
    }
    word_t len = seL4_MessageInfo_get_length(info);
    if (len > seL4_MsgMaxLength) {
        len = seL4_MsgMaxLength;
    }
    if (!sbuf || !rbuf) {
        len = len < seL4_FastMessageRegisters ? len : seL4_FastMessageRegisters;
    }
    if (sbuf && rbuf && sbuf != rbuf) {
        memmove(rbuf->msg, sbuf->msg, len * sizeof(word_t));
    }
    seL4_MessageInfo_t out = grant ? transfer_caps(sender, info, ep, receiver, rbuf)
                                   : seL4_MessageInfo_new(seL4_MessageInfo_get_label(info), 0, 0, 0);
    set_return(receiver, seL4_MessageInfo_set_length(out, len), badge);
}

static void setup_caller_cap(tcb_t *sender, tcb_t *receiver, bool can_grant)
{
    sender->state = ts_blocked_on_reply;
    cap_t reply = {.type = cap_reply, .obj = sender};
    reply.reply.grant = can_grant;
    cte_insert(reply, &sender->ctes[tcb_reply], &receiver->ctes[tcb_caller]);
}

void send_ipc(tcb_t *t, endpoint_t *ep, const cap_t *cap, bool blocking, bool call)
{
    if (ep->state != ep_recv) {
        if (blocking) {
            t->state = ts_blocked_on_send;
            t->blocked_on = ep;
            t->ipc_badge = cap->ep.badge;
            t->ipc_can_grant = cap->ep.grant;
            t->ipc_can_grant_reply = cap->ep.grant_reply;
            t->ipc_is_call = call;
            queue_append(&ep->head, &ep->tail, t);
            ep->state = ep_send;
        }
        return;
    }
    tcb_t *dest = ep->head;
    queue_remove(&ep->head, &ep->tail, dest);
    if (!ep->head) {
        ep->state = ep_idle;
    }
    do_ipc_transfer(t, ep, cap->ep.badge, cap->ep.grant, dest);
    bool reply_grant = dest->ipc_can_grant;
    wake(dest);
    if (call) {
        if (cap->ep.grant || cap->ep.grant_reply) {
            setup_caller_cap(t, dest, reply_grant);
        } else {
            t->state = ts_inactive;
        }
    }
}

static void complete_signal(notification_t *n, tcb_t *t)
{
    set_return(t, seL4_MessageInfo_new(0, 0, 0, 0), n->badge);
    n->state = ntfn_idle;
    n->badge = 0;
}

void receive_ipc(tcb_t *t, const cap_t *cap, bool blocking)
{
    endpoint_t *ep = cap->obj;
    if (t->bound_ntfn && t->bound_ntfn->state == ntfn_active) {
        complete_signal(t->bound_ntfn, t);
        return;
    }
    if (ep->state != ep_send) {
        if (blocking) {
            t->state = ts_blocked_on_receive;
            t->blocked_on = ep;
            t->ipc_can_grant = cap->ep.grant;
            queue_append(&ep->head, &ep->tail, t);
            ep->state = ep_recv;
        } else {
            set_return(t, t->ret_info, 0); /* NBRecv with nothing: only the badge is defined */
        }
        return;
    }
    tcb_t *sender = ep->head;
    queue_remove(&ep->head, &ep->tail, sender);
    if (!ep->head) {
        ep->state = ep_idle;
    }
    do_ipc_transfer(sender, ep, sender->ipc_badge, sender->ipc_can_grant, t);
    if (sender->ipc_is_call) {
        if (sender->ipc_can_grant || sender->ipc_can_grant_reply) {
            setup_caller_cap(sender, t, cap->ep.grant);
        } else {
            sender->state = ts_inactive;
            sender->blocked_on = NULL;
        }
    } else {
        wake(sender);
    }
}

/* The kernel's handleFaultReply: whether the faulted thread runs again. A
 * cap fault or a VM fault restarts it, whatever the reply says. After an
 * unknown system call or a user exception, the reply's message registers
 * become the thread's registers (as many as the reply has, in the order of
 * the fault message, sanitised), and the thread restarts only on label 0. */
static bool handle_fault_reply(tcb_t *faulted, tcb_t *replier)
{
    static const unsigned frame_tail[] = {CONTEXT_RIP, CONTEXT_RSP, CONTEXT_FLAGS};
    word_t label = faulted->fault_label, n;
    if (label == seL4_Fault_UnknownSyscall) {
        n = seL4_UnknownSyscall_Syscall; /* rax..r15, FaultIP, SP, FLAGS */
    } else if (label == seL4_Fault_UserException) {
        n = seL4_UserException_Number; /* FaultIP, SP, FLAGS */
    } else {
        return true;
    }
    word_t len = seL4_MessageInfo_get_length(replier->send_info);
    const seL4_IPCBuffer *buf = ipc_buffer_host(replier);
    for (word_t i = 0; buf && i < n && i < len; i++) {
        word_t tail = n - (sizeof(frame_tail) / sizeof(frame_tail[0]));
        tcb_set_register(faulted, i < tail ? CONTEXT_RAX + (unsigned)i : frame_tail[i - tail], buf->msg[i]);
    }
    return seL4_MessageInfo_get_label(replier->send_info) == 0;
}

/* Reply through the reply cap in slot: the caller gets the message and runs
 * again; the reply cap is used up. */
void do_reply_slot(tcb_t *t, cte_t *slot)
{
    if (slot->cap.type != cap_reply || slot->cap.reply.master) {
        return;
    }
    tcb_t *caller = slot->cap.obj;
    if (caller->state == ts_blocked_on_reply && caller->has_fault) {
        bool again = handle_fault_reply(caller, t);
        caller->has_fault = false;
        cte_delete(slot);
        if (again) {
            restart(caller);
        } else {
            caller->state = ts_inactive;
        }
    } else if (caller->state == ts_blocked_on_reply) {
        do_ipc_transfer(t, NULL, 0, slot->cap.reply.grant, caller);
        cte_delete(slot);
        wake(caller);
    } else {
        cte_delete(slot);
    }
}

/* A signal wakes a waiter, or a bound thread blocked in a receive, or else
 * accumulates: the badges are OR-ed together. */
void send_signal(notification_t *n, word_t badge)
{
    switch (n->state) {
    case ntfn_idle: {
        tcb_t *bound = n->bound_tcb;
        if (bound && bound->state == ts_blocked_on_receive) {
            cancel_ipc(bound);
            set_return(bound, seL4_MessageInfo_new(0, 0, 0, 0), badge);
            wake(bound);
        } else {
            n->state = ntfn_active;
            n->badge = badge;
        }
        return;
    }
    case ntfn_waiting: {
        tcb_t *dest = n->head;
        queue_remove(&n->head, &n->tail, dest);
        if (!n->head) {
            n->state = ntfn_idle;
        }
        set_return(dest, seL4_MessageInfo_new(0, 0, 0, 0), badge);
        wake(dest);
        return;
    }
    default:
        n->badge |= badge;
        return;
    }
}

void receive_signal(tcb_t *t, notification_t *n, bool blocking)
{
    if (n->state == ntfn_active) {
        complete_signal(n, t);
        return;
    }
    if (blocking) {
        t->state = ts_blocked_on_notification;
        t->blocked_on = n;
        queue_append(&n->head, &n->tail, t);
        n->state = ntfn_waiting;
    } else {
        set_return(t, t->ret_info, 0);
    }
}

/* Delivers the fault recorded in t to its fault endpoint as a Call (the
 * kernel's sendFaultIPC): false if t has no usable fault handler. */
bool send_fault_ipc(tcb_t *t)
{
    syscall_error_t saved = ksim.err;
    cte_t *slot = lookup_slot(t, t->fault_ep);
    ksim.err = saved;
    const cap_t *c = slot ? &slot->cap : NULL;
    if (!c || c->type != cap_endpoint || !c->ep.send || !(c->ep.grant || c->ep.grant_reply)) {
        return false;
    }
    cap_t handler = *c;
    handler.ep.grant_reply = true; /* a fault handler always gets a reply cap */
    t->has_fault = true;
    send_ipc(t, c->obj, &handler, true, true);
    return true;
}
