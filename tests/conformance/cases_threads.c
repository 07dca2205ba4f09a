/*
 * Endpoint and notification IPC between the root thread (priority 255) and
 * helper threads: message transfer, Call and Reply, badges, capability
 * transfer, bound notifications, and who runs first.
 */
#include "conf_threads.h"

#define LOW 100
#define MID 150

/* Shared with helpers: the caps they use and what they saw. */
static struct {
    seL4_CPtr ep, ep2, ntfn, cap;
    seL4_Word seen[8];
} sh;

static void sender_fn(seL4_Word n)
{
    for (seL4_Word i = 0; i < n; i++) {
        seL4_SetMR((int)i, 0x100 + i);
    }
    seL4_Send(sh.ep, seL4_MessageInfo_new(0x42, 0, 0, n));
}

CONF_CASE(ipc_send_recv_message_and_badge, "IPC0001")
{
    CHECK_OK(conf_threads_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    sh.ep = conf_slot(e);
    CHECK_OK(conf_mint(e, sh.ep, ep, seL4_AllRights, 0x77));
    conf_thread_start(e, 0, LOW, sender_fn, 5);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 0x42);
    CHECK_EQ(seL4_MessageInfo_get_length(info), 5);
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    CHECK_EQ(badge, 0x77);
    for (int i = 0; i < 5; i++) {
        CHECK_MR(i, 0x100 + (seL4_Word)i);
    }
}

CONF_CASE(ipc_longest_message, "IPC0001")
{
    CHECK_OK(conf_threads_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    conf_thread_start(e, 0, LOW, sender_fn, seL4_MsgMaxLength);
    seL4_Word badge = 1;
    seL4_MessageInfo_t info = seL4_Recv(sh.ep, &badge);
    CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_MsgMaxLength);
    CHECK_EQ(badge, 0);
    CHECK_MR(seL4_MsgMaxLength - 1, 0x100 + seL4_MsgMaxLength - 1);
}

static void caller_fn(seL4_Word rounds)
{
    for (seL4_Word i = 0; i < rounds; i++) {
        seL4_SetMR(0, i);
        seL4_MessageInfo_t reply = seL4_Call(sh.ep, seL4_MessageInfo_new(1, 0, 0, 1));
        sh.seen[i] = seL4_GetMR(0) + (seL4_MessageInfo_get_label(reply) << 16);
    }
    seL4_Send(sh.ep2, seL4_MessageInfo_new(2, 0, 0, 0));
}

CONF_CASE(ipc_call_and_reply, "IPC0002")
{
    CHECK_OK(conf_threads_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    sh.ep2 = conf_make(e, seL4_EndpointObject, 0);
    conf_thread_start(e, 0, LOW, caller_fn, 1);
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(sh.ep, &badge);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 1);
    CHECK_MR(0, 0);
    seL4_SetMR(0, 500);
    seL4_Reply(seL4_MessageInfo_new(3, 0, 0, 1));
    seL4_Recv(sh.ep2, &badge);
    CHECK_EQ(sh.seen[0], 500 + (3ul << 16));
}

CONF_CASE(ipc_reply_recv_serves_a_caller, "IPC0003")
{
    CHECK_OK(conf_threads_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    sh.ep2 = conf_make(e, seL4_EndpointObject, 0);
    conf_thread_start(e, 0, LOW, caller_fn, 3);
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(sh.ep, &badge);
    for (int i = 0; i < 3; i++) {
        CHECK_MR(0, (seL4_Word)i);
        seL4_SetMR(0, 10 * (seL4_GetMR(0) + 1));
        if (i < 2) {
            info = seL4_ReplyRecv(sh.ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge);
        } else {
            seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
        }
    }
    (void)info;
    seL4_Recv(sh.ep2, &badge);
    CHECK_EQ(sh.seen[0], 10);
    CHECK_EQ(sh.seen[1], 20);
    CHECK_EQ(sh.seen[2], 30);
}

/* Without a grant or grant-reply right, a Call has no reply cap: the caller is stuck. */
CONF_CASE(ipc_call_without_grant_leaves_no_reply_cap, "")
{
    CHECK_OK(conf_threads_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    sh.ep = conf_slot(e);
    CHECK_OK(conf_copy(e, sh.ep, ep, seL4_ReadWrite));
    sh.ep2 = conf_make(e, seL4_EndpointObject, 0);
    conf_thread_start(e, 0, LOW, caller_fn, 1);
    seL4_Word badge;
    seL4_Recv(ep, &badge);
    seL4_CPtr saved = conf_slot(e);
    CHECK_OK(seL4_CNode_SaveCaller(e->cnode, saved, e->depth));
    CHECK_EMPTY(saved);
}

CONF_CASE(ipc_save_caller_keeps_the_reply_cap, "")
{
    CHECK_OK(conf_threads_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    sh.ep2 = conf_make(e, seL4_EndpointObject, 0);
    conf_thread_start(e, 0, LOW, caller_fn, 1);
    seL4_Word badge;
    seL4_Recv(sh.ep, &badge);
    seL4_CPtr saved = conf_slot(e);
    CHECK_OK(seL4_CNode_SaveCaller(e->cnode, saved, e->depth));
    CHECK_TAG(saved, TAG_REPLY);
    seL4_SetMR(0, 9);
    seL4_Send(saved, seL4_MessageInfo_new(0, 0, 0, 1));
    CHECK_EMPTY(saved); /* used up */
    seL4_Recv(sh.ep2, &badge);
    CHECK_EQ(sh.seen[0], 9);
}

static void cap_sender_fn(seL4_Word n_caps)
{
    for (seL4_Word i = 0; i < n_caps; i++) {
        seL4_SetCap((int)i, i == 0 ? sh.cap : sh.ep);
    }
    seL4_Send(sh.ep, seL4_MessageInfo_new(0, 0, n_caps, 0));
}

static void set_receive_slot(conf_env_t *e, seL4_CPtr slot)
{
    seL4_SetCapReceivePath(e->cnode, slot, e->depth);
}

CONF_CASE(ipc_cap_transfer_with_grant, "")
{
    CHECK_OK(conf_threads_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    sh.cap = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr recv = conf_slot(e);
    set_receive_slot(e, recv);
    conf_thread_start(e, 0, LOW, cap_sender_fn, 1);
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(sh.ep, &badge);
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 1);
    CHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 0);
    CHECK_TAG(recv, TAG_NOTIFICATION);
    /* The transferred cap is a copy: the receiver may signal with it. */
    seL4_Signal(recv);
    CHECK_EQ(conf_poll(sh.cap), 0);
}

CONF_CASE(ipc_cap_transfer_needs_grant, "IPCRIGHTS0003")
{
    CHECK_OK(conf_threads_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    sh.ep = conf_slot(e);
    CHECK_OK(conf_copy(e, sh.ep, ep, seL4_ReadWrite));
    sh.cap = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr recv = conf_slot(e);
    set_receive_slot(e, recv);
    conf_thread_start(e, 0, LOW, cap_sender_fn, 1);
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    CHECK_EMPTY(recv);
}

CONF_CASE(ipc_cap_transfer_into_a_full_slot_stops, "")
{
    CHECK_OK(conf_threads_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    sh.cap = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr full = conf_make(e, seL4_EndpointObject, 0);
    set_receive_slot(e, full);
    conf_thread_start(e, 0, LOW, cap_sender_fn, 1);
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(sh.ep, &badge);
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    CHECK_TAG(full, TAG_ENDPOINT);
}

CONF_CASE(ipc_caps_to_the_same_endpoint_are_unwrapped, "IPC0004")
{
    CHECK_OK(conf_threads_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    sh.ep = conf_slot(e);
    CHECK_OK(conf_mint(e, sh.ep, ep, seL4_AllRights, 0x55));
    sh.cap = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr recv = conf_slot(e);
    set_receive_slot(e, recv);
    conf_thread_start(e, 0, LOW, cap_sender_fn, 2);
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    /* Cap 0 (a notification) is transferred, cap 1 (the endpoint itself) unwrapped to its badge. */
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 2);
    CHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(info), 2);
    CHECK_EQ(seL4_GetBadge(1), 0x55);
    CHECK_TAG(recv, TAG_NOTIFICATION);
}

static void signal_fn(seL4_Word unused)
{
    (void)unused;
    seL4_Signal(sh.ntfn);
}

CONF_CASE(notification_wait_blocks_until_signalled, "NBWAIT0001")
{
    CHECK_OK(conf_threads_init(e));
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    sh.ntfn = conf_slot(e);
    CHECK_OK(conf_mint(e, sh.ntfn, ntfn, seL4_AllRights, 0x30));
    conf_thread_start(e, 0, LOW, signal_fn, 0);
    seL4_Word badge = 0;
    seL4_Wait(ntfn, &badge);
    CHECK_EQ(badge, 0x30);
}

CONF_CASE(bound_notification_wakes_a_receive, "BIND0002")
{
    CHECK_OK(conf_threads_init(e));
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    sh.ntfn = conf_slot(e);
    CHECK_OK(conf_mint(e, sh.ntfn, ntfn, seL4_AllRights, 0x9));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    CHECK_OK(seL4_TCB_BindNotification(seL4_CapInitThreadTCB, ntfn));
    conf_thread_start(e, 0, LOW, signal_fn, 0);
    seL4_Word badge = 0;
    seL4_Recv(ep, &badge);
    CHECK_OK(seL4_TCB_UnbindNotification(seL4_CapInitThreadTCB));
    CHECK_EQ(badge, 0x9);
}

CONF_CASE(bound_notification_pending_before_receive, "BIND0003")
{
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr badged = conf_slot(e);
    CHECK_OK(conf_mint(e, badged, ntfn, seL4_AllRights, 0x3));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    CHECK_OK(seL4_TCB_BindNotification(seL4_CapInitThreadTCB, ntfn));
    seL4_Signal(badged);
    seL4_Word badge = 0;
    seL4_Recv(ep, &badge); /* returns at once with the pending signal */
    CHECK_OK(seL4_TCB_UnbindNotification(seL4_CapInitThreadTCB));
    CHECK_EQ(badge, 0x3);
}

static void tagged_sender_fn(seL4_Word tag)
{
    seL4_SetMR(0, tag);
    seL4_Send(sh.ep, seL4_MessageInfo_new(0, 0, 0, 1));
}

/* With the root waiting, the higher-priority helper runs (and sends) first. */
CONF_CASE(higher_priority_runs_first, "SCHED0003")
{
    CHECK_OK(conf_threads_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    conf_thread_start(e, 0, LOW, tagged_sender_fn, 1);
    conf_thread_start(e, 1, MID, tagged_sender_fn, 2);
    seL4_Word badge;
    seL4_Recv(sh.ep, &badge);
    CHECK_MR(0, 2);
    seL4_Recv(sh.ep, &badge);
    CHECK_MR(0, 1);
}

/* Threads resumed by a higher-priority thread go to the head of their
 * priority's queue (the kernel's tcbSchedEnqueue): among equals, the one
 * resumed last runs first. */
CONF_CASE(resumed_equals_run_last_first, "")
{
    CHECK_OK(conf_threads_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    conf_thread_start(e, 0, MID, tagged_sender_fn, 1);
    conf_thread_start(e, 1, MID, tagged_sender_fn, 2);
    conf_thread_start(e, 2, MID, tagged_sender_fn, 3);
    seL4_Word badge;
    for (seL4_Word want = 3; want >= 1; want--) {
        seL4_Recv(sh.ep, &badge);
        CHECK_MR(0, want);
    }
}

static void suspended_fn(seL4_Word unused)
{
    (void)unused;
    sh.seen[0]++;
    seL4_Send(sh.ep, seL4_MessageInfo_new(0, 0, 0, 0));
}

/* A suspended thread does nothing until resumed. */
CONF_CASE(suspend_holds_a_thread_until_resume, "")
{
    CHECK_OK(conf_threads_init(e));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    sh.seen[0] = 0;
    seL4_CPtr t = conf_thread_start(e, 0, LOW, suspended_fn, 0);
    CHECK_OK(seL4_TCB_Suspend(t));
    /* Let lower priorities run: the suspended helper must not. */
    CHECK_OK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50));
    CHECK_OK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255));
    CHECK_EQ(sh.seen[0], 0);
    CHECK_OK(seL4_TCB_Resume(t));
    seL4_Word badge;
    seL4_Recv(sh.ep, &badge);
    CHECK_EQ(sh.seen[0], 1);
}

/* A cptr that does not resolve in the root CNode: its guard bits are not zero. */
#define BAD_CPTR 0x1000ul

static void faulting_fn(seL4_Word unused)
{
    (void)unused;
    seL4_Call(BAD_CPTR, seL4_MessageInfo_new(0, 0, 0, 0));
    sh.seen[0] = 1; /* reached only if the fault handler mends the cause */
}

/* A cap fault goes to the fault endpoint as a message; a reply restarts the faulting call. */
CONF_CASE(cap_fault_reaches_the_fault_handler, "")
{
    CHECK_OK(conf_threads_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr fault_ep = conf_slot(e);
    CHECK_OK(conf_mint(e, fault_ep, ep, seL4_AllRights, 0xfa));
    sh.seen[0] = 0;
    conf_thread_start_with_fault(e, 0, LOW, faulting_fn, 0, fault_ep);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
    CHECK_EQ(badge, 0xfa);
    CHECK_MR(seL4_CapFault_Addr, BAD_CPTR);
    CHECK_MR(seL4_CapFault_InRecvPhase, 0);
    CHECK_MR(seL4_CapFault_LookupFailureType, seL4_GuardMismatch);
    CHECK_MR(seL4_CapFault_BitsLeft, 64);
    CHECK_MR(seL4_CapFault_GuardMismatch_GuardFound, 0);
    CHECK_MR(seL4_CapFault_GuardMismatch_BitsFound, 64 - e->bi->initThreadCNodeSizeBits);
    /* Replying restarts the Call, which faults again. */
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    info = seL4_Recv(ep, &badge);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
    CHECK_EQ(sh.seen[0], 0);
}

#define UNMAPPED (THREAD_VA + (1ul << 20)) /* under the same page table, no page */

static void writer_fn(seL4_Word value)
{
    *(volatile seL4_Word *)UNMAPPED = value; /* faults until a page is mapped there */
    sh.seen[1] = *(volatile seL4_Word *)UNMAPPED;
    seL4_Send(sh.ep, seL4_MessageInfo_new(0, 0, 0, 0));
}

/* A write to unmapped memory is a VM fault at its address; mapping the page
 * and replying lets the write happen. */
CONF_CASE(vm_fault_reaches_the_fault_handler, "")
{
    CHECK_OK(conf_threads_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr fault_ep = conf_slot(e);
    CHECK_OK(conf_mint(e, fault_ep, ep, seL4_AllRights, 0xfb));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    sh.seen[1] = 0;
    conf_thread_start_with_fault(e, 0, LOW, writer_fn, 0x5eed, fault_ep);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_VMFault_Length);
    CHECK_EQ(badge, 0xfb);
    CHECK_MR(seL4_VMFault_Addr, UNMAPPED);
    CHECK_MR(seL4_VMFault_PrefetchFault, 0);
    CHECK_EQ(seL4_GetMR(seL4_VMFault_FSR) & 0x7, 0x6); /* user, write, page not present */
    seL4_CPtr frame = conf_make(e, seL4_X86_4K, 0);
    CHECK_OK(seL4_X86_Page_Map(frame, seL4_CapInitThreadVSpace, UNMAPPED, seL4_ReadWrite, 0));
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_Recv(sh.ep, &badge);
    CHECK_EQ(sh.seen[1], 0x5eed);
}

static void port_reader_fn(seL4_Word port)
{
    seL4_Uint8 value;
    /* No thread has I/O privilege: the instruction traps, and the fault
     * handler makes it "return" 1 by setting rax and stepping over it. */
    __asm__ volatile("inb %w1, %b0" : "=a"(value) : "Nd"((seL4_Uint16)port));
    sh.seen[2] = value;
    seL4_Send(sh.ep, seL4_MessageInfo_new(0, 0, 0, 0));
}

CONF_CASE(in_instruction_is_a_user_exception, "IOPORTS1000")
{
    CHECK_OK(conf_threads_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr fault_ep = conf_slot(e);
    CHECK_OK(conf_copy(e, fault_ep, ep, seL4_AllRights));
    sh.ep = conf_make(e, seL4_EndpointObject, 0);
    sh.seen[2] = 0;
    seL4_CPtr tcb = conf_thread_start_with_fault(e, 0, LOW, port_reader_fn, 0x80, fault_ep);
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
    CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_UserException_Length);
    CHECK_MR(seL4_UserException_Number, 13); /* general protection */
    seL4_Word ip = seL4_GetMR(seL4_UserException_FaultIP);
    seL4_UserContext regs;
    CHECK_OK(seL4_TCB_ReadRegisters(tcb, 0, 0, sizeof(regs) / sizeof(seL4_Word), &regs));
    CHECK_EQ(regs.rip, ip);
    regs.rax = 1;
    regs.rip += 1; /* inb %dx, %al is one byte */
    CHECK_OK(seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs));
    seL4_Recv(sh.ep, &badge);
    CHECK_EQ(sh.seen[2], 1);
}
