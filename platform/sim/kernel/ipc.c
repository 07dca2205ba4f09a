/*
 * Endpoints and notifications. The sim runs one thread per host thread under
 * the big kernel lock; this file holds the queue rules that do not depend on
 * blocking: non-blocking send and receive, signal and poll, cancellation.
 */
#include <string.h>
#include "model.h"

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

/* Waiting threads are restarted: their system call will run again. */
void ep_cancel_all(endpoint_t *ep)
{
    while (ep->head) {
        tcb_t *t = ep->head;
        queue_remove(&ep->head, &ep->tail, t);
        t->state = ts_restart;
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
            t->state = ts_restart;
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
        t->state = ts_restart;
    }
    n->state = ntfn_idle;
}

/* A signal with no waiter accumulates: the badges are OR-ed together. */
void send_signal(notification_t *n, word_t badge)
{
    if (n->state == ntfn_active) {
        n->badge |= badge;
        return;
    }
    if (n->state == ntfn_idle) {
        n->state = ntfn_active;
        n->badge = badge;
        return;
    }
    /* Waiting threads need the scheduler: the blocking paths deliver to them. */
    n->state = ntfn_active;
    n->badge = badge;
}

/* Non-blocking receive on a notification: the badge, or 0 if none is pending. */
word_t ntfn_poll(notification_t *n)
{
    if (n->state != ntfn_active) {
        return 0;
    }
    word_t badge = n->badge;
    n->state = ntfn_idle;
    n->badge = 0;
    return badge;
}
