/*
 * Notifications with helper threads: blocking waits and which waiter a
 * signal wakes; bound notifications, whose signal wakes the bound thread
 * only while it waits in a receive (a thread blocked in Call or Send finds
 * the signal pending later); and what Suspend and deleting a notification do
 * to its waiters.
 */
#include "conf_threads_ext.h"

#define LOW 100
#define HIGH 110

static struct {
    seL4_CPtr ep, ep2, ntfn, sig;
} sh;

static seL4_CPtr badged(conf_env_t *e, seL4_CPtr obj, seL4_Word badge)
{
    seL4_CPtr slot = conf_slot(e);
    if (conf_mint(e, slot, obj, seL4_AllRights, badge) != seL4_NoError) {
        conf_fail(e, __FILE__, __LINE__, "conf_mint", 0, 1);
    }
    return slot;
}

static void signal_n_fn(seL4_Word n)
{
    for (seL4_Word i = 0; i < n; i++) {
        seL4_Signal(sh.sig);
    }
}

static void send_n_fn(seL4_Word n)
{
    for (seL4_Word i = 0; i < n; i++) {
        seL4_SetMR(0, 0xbeef);
        conf_send(sh.ep, seL4_MessageInfo_new(0, 0, 0, 1));
    }
}

/* Helper `id` waits on sh.ntfn and logs 100 * id + the badge. */
static void waiter_fn(seL4_Word id)
{
    seL4_Word badge;
    seL4_Wait(sh.ntfn, &badge);
    log_put(100 * id + badge);
}

/* A bound thread's non-blocking receive on an endpoint takes a pending
 * signal, or a queued sender's message, or returns badge 0. */
CONF_CASE(ntfn_nbrecv_of_a_bound_thread, "NBWAIT0001")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    sh.ep = badged(e, ep, 1);
    CHECK_OK(seL4_TCB_BindNotification(seL4_CapInitThreadTCB, ntfn));
    seL4_Word got[4];
    seL4_NBRecv(ep, &got[0]);
    seL4_Signal(badged(e, ntfn, 2));
    seL4_NBRecv(ep, &got[1]);
    conf_thread_start(e, 0, LOW, send_n_fn, 1);
    CHECK_OK(conf_settle());
    seL4_MessageInfo_t info = seL4_NBRecv(ep, &got[2]);
    seL4_Word mr0 = seL4_GetMR(0);
    seL4_NBRecv(ep, &got[3]);
    CHECK_OK(seL4_TCB_UnbindNotification(seL4_CapInitThreadTCB));
    CHECK_EQ(got[0], 0);
    CHECK_EQ(got[1], 2);
    CHECK_EQ(got[2], 1);
    CHECK_EQ(seL4_MessageInfo_get_length(info), 1);
    CHECK_EQ(mr0, 0xbeef);
    CHECK_EQ(got[3], 0);
}

/* A thread bound to a notification and waiting on an endpoint gets both:
 * each signal and each message wakes it with its own badge. */
CONF_CASE(ntfn_bound_thread_gets_signals_and_messages, "BIND0001")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    sh.sig = badged(e, ntfn, 1);
    sh.ep = badged(e, ep, 2);
    CHECK_OK(seL4_TCB_BindNotification(seL4_CapInitThreadTCB, ntfn));
    conf_thread_start(e, 0, LOW, signal_n_fn, 10);
    conf_thread_start(e, 1, LOW, send_n_fn, 10);
    seL4_Word count[3] = {0};
    for (int i = 0; i < 20; i++) {
        seL4_Word badge = 0;
        seL4_Recv(ep, &badge);
        count[badge < 3 ? badge : 0]++;
    }
    CHECK_OK(seL4_TCB_UnbindNotification(seL4_CapInitThreadTCB));
    CHECK_EQ(count[1], 10);
    CHECK_EQ(count[2], 10);
}

/* A bound thread may also wait on its notification directly. */
CONF_CASE(ntfn_bound_thread_waits_on_its_notification, "BIND0002")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    sh.sig = badged(e, ntfn, 1);
    CHECK_OK(seL4_TCB_BindNotification(seL4_CapInitThreadTCB, ntfn));
    conf_thread_start(e, 0, LOW, signal_n_fn, 10);
    seL4_Word woken = 0;
    for (int i = 0; i < 10; i++) {
        seL4_Word badge = 0;
        seL4_Wait(ntfn, &badge);
        woken += badge == 1;
    }
    CHECK_OK(seL4_TCB_UnbindNotification(seL4_CapInitThreadTCB));
    CHECK_EQ(woken, 10);
}

static void logged_waiter_fn(seL4_Word unused)
{
    (void)unused;
    log_put('w');
    waiter_fn(0);
}

static void logged_signal_fn(seL4_Word unused)
{
    (void)unused;
    log_put('s');
    seL4_Signal(sh.sig);
    log_put('S');
}

/* A helper bound to sh.ntfn waits on it, another signals it once. */
static void bound_pair(conf_env_t *e, seL4_Word waiter_prio, seL4_Word signaller_prio)
{
    sh.ntfn = conf_make(e, seL4_NotificationObject, 0);
    sh.sig = badged(e, sh.ntfn, 7);
    seL4_CPtr w = conf_thread_new(e, 0, waiter_prio, logged_waiter_fn, 0);
    CHECK_OK(seL4_TCB_BindNotification(w, sh.ntfn));
    CHECK_OK(seL4_TCB_Resume(w));
    conf_thread_start(e, 1, signaller_prio, logged_signal_fn, 0);
    CHECK_OK(conf_settle());
}

/* The waiter, higher, waits first; the signal switches to it at once. */
CONF_CASE(ntfn_bound_waiter_above_the_signaller, "BIND0003")
{
    CHECK_OK(conf_helpers_init(e));
    bound_pair(e, HIGH, LOW);
    CHECK_LOG('w', 's', 7, 'S');
}

/* The signaller, higher, signals first; the waiter finds it pending. */
CONF_CASE(ntfn_bound_waiter_below_the_signaller, "BIND0004")
{
    CHECK_OK(conf_helpers_init(e));
    bound_pair(e, LOW, HIGH);
    CHECK_LOG('s', 'S', 'w', 7);
}

/* The same without binding: a signal wakes a higher waiter at once. */
CONF_CASE(ntfn_signal_wakes_a_higher_waiter_at_once, "")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ntfn = conf_make(e, seL4_NotificationObject, 0);
    sh.sig = badged(e, sh.ntfn, 7);
    conf_thread_start(e, 0, HIGH, waiter_fn, 1);
    conf_thread_start(e, 1, LOW, logged_signal_fn, 0);
    CHECK_OK(conf_settle());
    CHECK_LOG('s', 107, 'S');
}

static void bound_caller_fn(seL4_Word unused)
{
    (void)unused;
    seL4_Call(sh.ep, seL4_MessageInfo_new(0, 0, 0, 0));
    log_put('c');
    seL4_Word badge;
    seL4_Recv(sh.ep2, &badge); /* nobody sends there */
    log_put(badge);
}

static void bound_sender_fn(seL4_Word unused)
{
    (void)unused;
    seL4_SetMR(0, 1);
    conf_send(sh.ep, seL4_MessageInfo_new(0, 0, 0, 1));
    log_put('s');
    seL4_Word badge;
    seL4_Recv(sh.ep2, &badge);
    log_put(badge);
}

/* Helper 0 bound to a notification, signalled through sh.sig with badge 6. */
static seL4_CPtr start_bound(conf_env_t *e, conf_thread_fn fn)
{
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    sh.ep2 = conf_make(e, seL4_EndpointObject, 0);
    sh.ntfn = conf_make(e, seL4_NotificationObject, 0);
    sh.sig = badged(e, sh.ntfn, 6);
    seL4_CPtr t = conf_thread_new(e, 0, LOW, fn, 0);
    if (seL4_TCB_BindNotification(t, sh.ntfn) || seL4_TCB_Resume(t)) {
        conf_fail(e, __FILE__, __LINE__, "start_bound", 0, 1);
    }
    return t;
}

/* A thread waiting for its reply is not woken by its bound notification:
 * the signal stays pending until its next receive. */
CONF_CASE(ntfn_bound_signal_waits_out_a_call, "")
{
    CHECK_OK(conf_helpers_init(e));
    start_bound(e, bound_caller_fn);
    seL4_Word badge;
    seL4_Recv(sh.ep, &badge);
    seL4_Signal(sh.sig);
    CHECK_OK(conf_settle());
    CHECK_EQ(conf_log.n, 0);
    conf_reply(seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_OK(conf_settle());
    CHECK_LOG('c', 6);
}

/* Nor is a thread queued in a Send: its message stays queued too. */
CONF_CASE(ntfn_bound_signal_waits_out_a_send, "")
{
    CHECK_OK(conf_helpers_init(e));
    start_bound(e, bound_sender_fn);
    CHECK_OK(conf_settle());
    seL4_Signal(sh.sig);
    seL4_Word badge;
    seL4_Recv(sh.ep, &badge);
    CHECK_MR(0, 1);
    CHECK_OK(conf_settle());
    CHECK_LOG('s', 6);
}

static void recv_log_fn(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    seL4_Recv(sh.ep, &badge);
    log_put(badge);
}

/* Unbinding a thread blocked in a receive: signals stay in the notification. */
CONF_CASE(ntfn_unbound_receiver_is_not_woken, "")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr t = start_bound(e, recv_log_fn);
    CHECK_OK(conf_settle());
    CHECK_OK(seL4_TCB_UnbindNotification(t));
    seL4_Signal(sh.sig);
    CHECK_OK(conf_settle());
    CHECK_EQ(conf_log.n, 0);
    CHECK_EQ(conf_poll(sh.ntfn), 6);
    conf_nbsend(badged(e, sh.ep, 3), seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_OK(conf_settle());
    CHECK_LOG(3);
}

/* Waiters are woken in the order they came, whatever their priorities; a
 * signal that wakes a waiter leaves nothing pending. */
CONF_CASE(ntfn_waiters_are_woken_in_order, "")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ntfn = conf_make(e, seL4_NotificationObject, 0);
    conf_thread_start(e, 0, LOW, waiter_fn, 1);
    CHECK_OK(conf_settle());
    conf_thread_start(e, 1, HIGH, waiter_fn, 2);
    CHECK_OK(conf_settle());
    seL4_Signal(badged(e, sh.ntfn, 1));
    CHECK_EQ(conf_poll(sh.ntfn), 0);
    CHECK_OK(conf_settle());
    CHECK_LOG(101);
    seL4_Signal(badged(e, sh.ntfn, 2));
    CHECK_OK(conf_settle());
    CHECK_LOG(101, 202);
}

/* A suspended waiter leaves the queue: the signal stays pending, and the
 * resumed thread's restarted Wait takes it. */
CONF_CASE(ntfn_suspended_waiter_misses_the_signal, "")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr t = conf_thread_start(e, 0, LOW, waiter_fn, 1);
    CHECK_OK(conf_settle());
    CHECK_OK(seL4_TCB_Suspend(t));
    seL4_Signal(badged(e, sh.ntfn, 5));
    CHECK_OK(conf_settle());
    CHECK_EQ(conf_log.n, 0);
    CHECK_OK(seL4_TCB_Resume(t));
    CHECK_OK(conf_settle());
    CHECK_LOG(105);
}

static void wait_via_sig_fn(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    seL4_Wait(sh.sig, &badge);
    log_put(badge);
}

/* Deleting a notification's last cap restarts its waiters: they wait again
 * on what their slot holds by then. */
CONF_CASE(ntfn_deleting_restarts_its_waiters, "")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr first = conf_make(e, seL4_NotificationObject, 0);
    sh.sig = badged(e, first, 0);
    conf_thread_start(e, 0, LOW, wait_via_sig_fn, 0);
    CHECK_OK(conf_settle());
    CHECK_OK(conf_delete(e, first));
    CHECK_OK(conf_delete(e, sh.sig));
    seL4_CPtr second = conf_make(e, seL4_NotificationObject, 0);
    CHECK_OK(conf_mint(e, sh.sig, second, seL4_AllRights, 0x12));
    seL4_Signal(sh.sig);
    CHECK_OK(conf_settle());
    CHECK_LOG(0x12);
}

/* A notification with waiters cannot be bound. */
CONF_CASE(ntfn_with_waiters_cannot_be_bound, "")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ntfn = conf_make(e, seL4_NotificationObject, 0);
    conf_thread_start(e, 0, LOW, waiter_fn, 1);
    CHECK_OK(conf_settle());
    CHECK_ERR(seL4_TCB_BindNotification(seL4_CapInitThreadTCB, sh.ntfn), seL4_IllegalOperation);
    seL4_Signal(badged(e, sh.ntfn, 3));
    CHECK_OK(conf_settle());
    CHECK_LOG(103);
    CHECK_OK(seL4_TCB_BindNotification(seL4_CapInitThreadTCB, sh.ntfn));
    CHECK_OK(seL4_TCB_UnbindNotification(seL4_CapInitThreadTCB));
}
