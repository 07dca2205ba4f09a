/*
 * Threads and the scheduler with helper threads: what Suspend, Resume and
 * the register invocations do to a thread, and who runs when (priorities,
 * MCP authority, endpoint queues, Yield). Non-MCS: endpoint queues are FIFO
 * whatever the priorities, which is what the MCS-only sel4test cases
 * SCHED0007-0009 check the other way round.
 */
#include "conf_threads_ext.h"

#define LOW 100
#define MID 110
#define HIGH 120

/* What the helpers use: caps in the root CNode. */
static struct {
    seL4_CPtr ep, ntfn, tcb[MAX_THREADS];
} sh;

static void send_fn(seL4_Word v)
{
    seL4_SetMR(0, v);
    conf_send(sh.ep, seL4_MessageInfo_new(0, 0, 0, 1));
}

static void log_fn(seL4_Word v)
{
    log_put(v);
}

static void recv_loop_fn(seL4_Word unused)
{
    (void)unused;
    for (;;) {
        seL4_Word badge;
        seL4_Recv(sh.ep, &badge);
        log_put(seL4_GetMR(0));
    }
}

static void call_fn(seL4_Word v)
{
    seL4_SetMR(0, v);
    seL4_Call(sh.ep, seL4_MessageInfo_new(0, 0, 0, 1));
    log_put(seL4_GetMR(0));
}

static seL4_Word recv_mr0(seL4_CPtr ep)
{
    seL4_Word badge;
    seL4_Recv(ep, &badge);
    return seL4_GetMR(0);
}

/* Configure and SetSpace check every cap before they change anything. */
CONF_CASE(tcb_configure_with_null_cspace_fails, "THREADS0004")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr t = conf_thread_new(e, 0, LOW, send_fn, 7);
    CHECK_ERR(seL4_TCB_Configure(t, 0, seL4_CapNull, 0, seL4_CapInitThreadVSpace, 0, 0, 0), seL4_IllegalOperation);
    CHECK_OK(seL4_TCB_Resume(t));
    CHECK_EQ(recv_mr0(sh.ep), 7); /* still in the root's CSpace */
}

CONF_CASE(tcb_set_space_with_null_cspace_fails, "THREADS0005")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr t = conf_thread_new(e, 0, LOW, send_fn, 7);
    CHECK_ERR(seL4_TCB_SetSpace(t, 0, seL4_CapNull, 0, seL4_CapInitThreadVSpace, 0), seL4_IllegalOperation);
    CHECK_OK(seL4_TCB_Resume(t));
    CHECK_EQ(recv_mr0(sh.ep), 7);
}

/* WriteRegisters' resume flag starts the thread with what was written. */
CONF_CASE(tcb_write_registers_can_resume, "")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr t = conf_thread_new(e, 0, LOW, send_fn, 1);
    seL4_UserContext ctx;
    seL4_Word n = sizeof(ctx) / sizeof(seL4_Word);
    CHECK_OK(seL4_TCB_ReadRegisters(t, 0, 0, n, &ctx));
    CHECK_EQ(ctx.rsi, 1); /* conf_thread_entry's second argument */
    ctx.rsi = 2;
    CHECK_OK(seL4_TCB_WriteRegisters(t, 1, 0, n, &ctx));
    CHECK_EQ(recv_mr0(sh.ep), 2);
}

/* ReadRegisters' suspend flag stops a thread that was about to run. */
CONF_CASE(tcb_read_registers_can_suspend, "")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr t = conf_thread_start(e, 0, LOW, log_fn, 5);
    seL4_UserContext ctx;
    CHECK_OK(seL4_TCB_ReadRegisters(t, 1, 0, 1, &ctx));
    CHECK_OK(conf_settle());
    CHECK_EQ(conf_log.n, 0);
    CHECK_OK(seL4_TCB_Resume(t));
    CHECK_OK(conf_settle());
    CHECK_LOG(5);
}

/* CopyRegisters copies the 18 "frame" registers (rip, rsp, rflags and the
 * general-purpose ones) and, as its "integer" registers, fs_base and gs_base. */
CONF_CASE(tcb_copy_registers, "")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr src = conf_thread_start(e, 0, LOW, log_fn, 5);
    seL4_CPtr dest = conf_make(e, seL4_TCBObject, 0);
    seL4_UserContext s, d;
    seL4_Word n = sizeof(s) / sizeof(seL4_Word);
    CHECK_OK(seL4_TCB_CopyRegisters(dest, src, 1, 0, 1, 0, 0)); /* and suspend the source */
    CHECK_OK(seL4_TCB_ReadRegisters(src, 0, 0, n, &s));
    CHECK_OK(seL4_TCB_ReadRegisters(dest, 0, 0, n, &d));
    CHECK_EQ(d.rip, s.rip);
    CHECK_EQ(d.rsp, s.rsp);
    CHECK_EQ(d.rsi, 5);
    CHECK_EQ(d.r15, s.r15);
    CHECK_EQ(d.fs_base, 0);
    CHECK_OK(seL4_TCB_CopyRegisters(dest, src, 0, 0, 0, 1, 0));
    CHECK_OK(seL4_TCB_ReadRegisters(dest, 0, 0, n, &d));
    CHECK_EQ(d.fs_base, s.fs_base);
    CHECK(s.fs_base != 0);
    CHECK_OK(conf_settle());
    CHECK_EQ(conf_log.n, 0); /* the source never ran */
}

/* Suspending a receiver takes it off the endpoint; Resume restarts its Recv. */
CONF_CASE(tcb_suspend_cancels_a_receive, "IPC0010")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr t = conf_thread_start(e, 0, LOW, recv_loop_fn, 0);
    CHECK_OK(conf_settle());
    CHECK_OK(seL4_TCB_Suspend(t));
    seL4_SetMR(0, 1);
    conf_nbsend(sh.ep, seL4_MessageInfo_new(0, 0, 0, 1)); /* nobody receives: dropped */
    CHECK_OK(seL4_TCB_Resume(t));
    CHECK_OK(conf_settle());
    seL4_SetMR(0, 2);
    conf_nbsend(sh.ep, seL4_MessageInfo_new(0, 0, 0, 1));
    CHECK_OK(conf_settle());
    CHECK_LOG(2);
}

/* Suspending a caller that waits for its reply deletes the reply cap; Resume
 * makes it issue the same Call again. */
CONF_CASE(tcb_suspend_during_call_drops_the_reply, "IPC0010")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr t = conf_thread_start(e, 0, LOW, call_fn, 5);
    CHECK_EQ(recv_mr0(sh.ep), 5);
    CHECK_OK(seL4_TCB_Suspend(t));
    seL4_CPtr saved = conf_slot(e);
    CHECK_OK(seL4_CNode_SaveCaller(e->cnode, saved, e->depth));
    CHECK_EMPTY(saved);
    seL4_SetMR(0, 9);
    conf_reply(seL4_MessageInfo_new(0, 0, 0, 1)); /* to nobody */
    CHECK_OK(seL4_TCB_Resume(t));
    CHECK_EQ(recv_mr0(sh.ep), 5);
    seL4_SetMR(0, 6);
    conf_reply(seL4_MessageInfo_new(0, 0, 0, 1));
    CHECK_OK(conf_settle());
    CHECK_LOG(6);
}

/* Resume of a blocked thread is not a no-op: it cancels the IPC and restarts
 * the system call, so a queued sender goes to the back of the queue. */
CONF_CASE(tcb_resume_restarts_a_blocked_sender, "")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr a = conf_thread_start(e, 0, LOW, send_fn, 1);
    CHECK_OK(conf_settle());
    conf_thread_start(e, 1, LOW, send_fn, 2);
    CHECK_OK(conf_settle());
    CHECK_OK(seL4_TCB_Resume(a));
    CHECK_OK(conf_settle());
    CHECK_EQ(recv_mr0(sh.ep), 2);
    CHECK_EQ(recv_mr0(sh.ep), 1);
}

/* Resuming a thread that is running or ready changes nothing. */
CONF_CASE(tcb_resume_of_a_ready_thread_is_a_no_op, "SCHED0002")
{
    CHECK_OK(conf_helpers_init(e));
    CHECK_OK(seL4_TCB_Resume(seL4_CapInitThreadTCB));
    seL4_CPtr t = conf_thread_start(e, 0, LOW, log_fn, 3);
    CHECK_OK(seL4_TCB_Resume(t));
    CHECK_OK(conf_settle());
    CHECK_LOG(3); /* it ran once */
}

static void sched3_high(seL4_Word unused)
{
    (void)unused;
    log_put('a');
    seL4_TCB_Suspend(sh.tcb[1]); /* ready, not yet run */
    log_put('A');
    seL4_TCB_Suspend(sh.tcb[0]);
}

static void sched3_low(seL4_Word unused)
{
    (void)unused;
    log_put('c');
    seL4_TCB_Resume(sh.tcb[1]); /* higher than us: it runs before Resume returns */
    log_put('C');
}

/* Helpers suspend and resume each other; a resumed higher-priority thread
 * runs at once. */
CONF_CASE(sched_suspend_and_resume_between_helpers, "SCHED0003")
{
    CHECK_OK(conf_helpers_init(e));
    sh.tcb[0] = conf_thread_start(e, 0, HIGH, sched3_high, 0);
    sh.tcb[1] = conf_thread_start(e, 1, MID, log_fn, 'b');
    sh.tcb[2] = conf_thread_start(e, 2, LOW, sched3_low, 0);
    CHECK_OK(conf_settle());
    CHECK_LOG('a', 'A', 'c', 'b', 'C');
}

static void last_signals_fn(seL4_Word prio)
{
    log_put(prio);
    if (prio == seL4_MinPrio) {
        seL4_Signal(sh.ntfn);
    }
}

/* While the root waits, helpers run strictly by priority, down to the lowest. */
CONF_CASE(sched_helpers_run_by_priority, "SCHED0004")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ntfn = conf_make(e, seL4_NotificationObject, 0);
    static const seL4_Word prios[MAX_THREADS] = {seL4_MinPrio, 100, 200, seL4_MaxPrio - 1};
    for (unsigned i = 0; i < MAX_THREADS; i++) {
        conf_thread_start(e, i, prios[i], last_signals_fn, prios[i]);
    }
    seL4_Word badge;
    seL4_Wait(sh.ntfn, &badge);
    CHECK_LOG(seL4_MaxPrio - 1, 200, 100, seL4_MinPrio);
}

#define H5 (seL4_MaxPrio - 2)

static void setprio_t1(seL4_Word unused)
{
    (void)unused;
    seL4_CPtr t1 = sh.tcb[0];
    log_put(1);
    log_put(seL4_TCB_SetPriority(t1, t1, H5 - 4)); /* t2 runs here */
    log_put(3);
    log_put(seL4_TCB_SetPriority(t1, t1, H5));           /* up to its MCP again */
    log_put(seL4_TCB_SetMCPriority(t1, t1, H5 - 4));     /* lowers its own MCP */
    log_put(seL4_TCB_SetPriority(t1, t1, H5 - 3));       /* above the new MCP */
    log_put(seL4_TCB_SetMCPriority(t1, t1, H5));         /* and the MCP cannot rise */
}

static void setprio_t2(seL4_Word unused)
{
    (void)unused;
    seL4_CPtr t1 = sh.tcb[0], t2 = sh.tcb[1];
    log_put(2);
    log_put(seL4_TCB_SetPriority(t1, t2, H5));     /* t2's MCP is H5 - 2 */
    log_put(seL4_TCB_SetPriority(t1, t2, H5 - 2)); /* below t2: no switch */
    log_put(seL4_TCB_SetPriority(t2, t2, H5 - 3)); /* below t1: t1 runs */
    log_put(4);
}

/* Helpers change priorities with their own MCP as authority: a priority or
 * MCP above the authority's MCP is a range error, even for itself. */
CONF_CASE(sched_set_priority_between_helpers, "SCHED0005")
{
    CHECK_OK(conf_helpers_init(e));
    sh.tcb[0] = conf_thread_new(e, 0, H5, setprio_t1, 0);
    sh.tcb[1] = conf_thread_new(e, 1, H5 - 1, setprio_t2, 0);
    CHECK_OK(seL4_TCB_SetMCPriority(sh.tcb[0], seL4_CapInitThreadTCB, H5));
    CHECK_OK(seL4_TCB_SetMCPriority(sh.tcb[1], seL4_CapInitThreadTCB, H5 - 2));
    CHECK_OK(seL4_TCB_Resume(sh.tcb[0]));
    CHECK_OK(seL4_TCB_Resume(sh.tcb[1]));
    CHECK_OK(conf_settle());
    CHECK_LOG(1, 2, seL4_RangeError, 0, 0, 3, 0, 0, seL4_RangeError, seL4_RangeError, 0, 4);
}

static void logged_send_fn(seL4_Word v)
{
    log_put('s');
    send_fn(v);
    log_put('S');
}

/* A Send that wakes a higher-priority receiver switches to it at once. */
CONF_CASE(sched_send_wakes_a_higher_receiver_at_once, "SCHED0006")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    conf_thread_start(e, 0, HIGH, recv_loop_fn, 0);
    CHECK_OK(conf_settle());
    conf_thread_start(e, 1, LOW, logged_send_fn, 7);
    CHECK_OK(conf_settle());
    CHECK_LOG('s', 7, 'S');
}

/* ... and a lower-priority one only when the sender blocks. */
CONF_CASE(sched_send_wakes_a_lower_receiver_later, "SCHED0006")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    conf_thread_start(e, 0, LOW, recv_loop_fn, 0);
    CHECK_OK(conf_settle());
    conf_thread_start(e, 1, HIGH, logged_send_fn, 7);
    CHECK_OK(conf_settle());
    CHECK_LOG('s', 'S', 7);
}

/* Senders queue in the order they blocked, not by priority. */
CONF_CASE(sched_endpoint_queue_is_fifo, "SCHED0007")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    conf_thread_start(e, 0, LOW, send_fn, 1);
    CHECK_OK(conf_settle());
    conf_thread_start(e, 1, HIGH, send_fn, 2);
    CHECK_OK(conf_settle());
    CHECK_EQ(recv_mr0(sh.ep), 1);
    CHECK_EQ(recv_mr0(sh.ep), 2);
}

/* Changing a queued sender's priority neither runs it nor moves it. */
CONF_CASE(sched_priority_change_keeps_the_queue, "SCHED0008")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr a = conf_thread_start(e, 0, LOW, send_fn, 1);
    CHECK_OK(conf_settle());
    seL4_CPtr b = conf_thread_start(e, 1, LOW, send_fn, 2);
    CHECK_OK(conf_settle());
    CHECK_OK(seL4_TCB_SetPriority(a, seL4_CapInitThreadTCB, SETTLE_PRIO + 1));
    CHECK_OK(seL4_TCB_SetPriority(b, seL4_CapInitThreadTCB, ROOT_PRIO - 1));
    CHECK_OK(conf_settle());
    CHECK_EQ(recv_mr0(sh.ep), 1);
    CHECK_EQ(recv_mr0(sh.ep), 2);
}

static void server_fn(seL4_Word id)
{
    seL4_Word badge;
    seL4_Recv(sh.ep, &badge);
    for (;;) {
        seL4_SetMR(0, id);
        seL4_ReplyRecv(sh.ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge);
    }
}

/* Waiting servers take calls in the order they queued, whatever their
 * priority; each ReplyRecv puts the server at the back. */
CONF_CASE(sched_servers_take_calls_in_turn, "SCHED0009")
{
    CHECK_OK(conf_helpers_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    conf_thread_start(e, 0, LOW, server_fn, 1);
    CHECK_OK(conf_settle());
    conf_thread_start(e, 1, HIGH, server_fn, 2);
    CHECK_OK(conf_settle());
    static const seL4_Word order[] = {1, 2, 1, 2};
    for (unsigned i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        seL4_Call(sh.ep, seL4_MessageInfo_new(0, 0, 0, 0));
        CHECK_MR(0, order[i]);
    }
}

/* Raising a ready thread above the caller runs it before SetPriority returns. */
CONF_CASE(sched_raised_thread_runs_at_once, "SCHED0020")
{
    CHECK_OK(conf_helpers_init(e));
    CHECK_OK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50));
    seL4_CPtr t = conf_thread_start(e, 0, 40, log_fn, 1);
    seL4_Word before = conf_log.n;
    seL4_Error err = seL4_TCB_SetPriority(t, seL4_CapInitThreadTCB, 60);
    seL4_Word after = conf_log.n;
    CHECK_OK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ROOT_PRIO));
    CHECK_OK(err);
    CHECK_EQ(before, 0);
    CHECK_EQ(after, 1);
}

static void yield_fn(seL4_Word id)
{
    log_put(id);
    seL4_Yield();
    log_put(id + 1);
}

/* Yield goes behind the threads of its own priority. Both are resumed by
 * the root, which outranks them, and the kernel puts each resumed thread at
 * the head of its priority's queue: the one resumed last runs first. */
CONF_CASE(sched_yield_goes_behind_equals, "")
{
    CHECK_OK(conf_helpers_init(e));
    conf_thread_start(e, 0, LOW, yield_fn, 'a');
    conf_thread_start(e, 1, LOW, yield_fn, 'b');
    CHECK_OK(conf_settle());
    CHECK_LOG('b', 'a', 'b' + 1, 'a' + 1);
}

/* Deleting a queued sender's TCB takes it off the endpoint. */
CONF_CASE(tcb_delete_removes_a_queued_sender, "")
{
    CHECK_OK(conf_helpers_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    sh.ep = conf_slot(e);
    CHECK_OK(conf_mint(e, sh.ep, ep, seL4_AllRights, 0x10));
    seL4_CPtr a = conf_thread_start(e, 0, LOW, send_fn, 1);
    CHECK_OK(conf_settle());
    conf_thread_start(e, 1, LOW, send_fn, 2);
    CHECK_OK(conf_settle());
    CHECK_OK(conf_delete(e, a));
    CHECK_EQ(recv_mr0(ep), 2);
    seL4_Word badge = 1;
    seL4_NBRecv(ep, &badge);
    CHECK_EQ(badge, 0); /* nobody left */
}
