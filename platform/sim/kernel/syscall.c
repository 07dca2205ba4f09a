/*
 * System call entry: the sim's equivalent of the kernel's handleSyscall.
 * Every libsel4 call in platform/sim/libsel4 ends here, with its message in
 * the calling thread's IPC buffer, and runs under the big kernel lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "sim_internal.h"

kernel_t ksim = {.lock = PTHREAD_MUTEX_INITIALIZER};
__thread tcb_t *sim_self;

static tcb_t *enter(void)
{
    pthread_mutex_lock(&ksim.lock);
    return sim_self;
}

/* Leaves the kernel: the CPU may pass to another thread first. Returns true
 * if the call must run again (its thread was restarted while it waited). */
static bool leave(tcb_t *self)
{
    sched_wait_turn(self);
    bool again = self->state == ts_restart;
    if (again) {
        self->state = ts_running;
    }
    return again;
}

static void unlock(void)
{
    pthread_mutex_unlock(&ksim.lock);
}

/* A cap fault: the kernel sends it to the thread's fault handler, if it has
 * one, and otherwise stops the thread (the root task has none). The lookup
 * failure is the one ksim.err holds. The faulting instruction's address is
 * not known to the sim: it reports 0. */
static void cap_fault(tcb_t *self, const char *what, word_t cptr, bool in_recv)
{
    word_t lookup[5];
    unsigned n = error_to_mrs(lookup); /* MR0 source flag, MR1.. the lookup failure */
    self->fault_label = seL4_Fault_CapFault;
    self->fault_msg[seL4_CapFault_IP] = 0;
    self->fault_msg[seL4_CapFault_Addr] = cptr;
    self->fault_msg[seL4_CapFault_InRecvPhase] = in_recv;
    for (unsigned i = 1; i < n; i++) {
        self->fault_msg[seL4_CapFault_LookupFailureType + i - 1] = lookup[i];
    }
    self->fault_len = seL4_CapFault_LookupFailureType + (n > 1 ? n - 1 : 0);
    if (send_fault_ipc(self)) {
        return;
    }
    fprintf(stderr, "sim: thread '%s' faulted (%s, cptr 0x%lx) and has no fault handler: it is stopped\n",
            self->name, what, (unsigned long)cptr);
    tcb_suspend(self);
}

static bool lookup_extra_caps(tcb_t *self, invocation_t *inv, seL4_MessageInfo_t info)
{
    seL4_IPCBuffer *buf = ipc_buffer_host(self);
    inv->n_extra = (unsigned)seL4_MessageInfo_get_extraCaps(info);
    for (unsigned i = 0; i < inv->n_extra; i++) {
        inv->extra[i] = buf ? lookup_slot(self, buf->caps_or_badges[i]) : NULL;
        if (!inv->extra[i]) {
            return false;
        }
    }
    return true;
}

/* Decodes and performs an invocation of a kernel object (not IPC). */
static bool invoke_object(invocation_t *inv)
{
    switch (inv->slot->cap.type) {
    case cap_untyped:
        return decode_untyped(inv);
    case cap_cnode:
        return decode_cnode(inv);
    case cap_thread:
        return decode_tcb(inv);
    case cap_frame:
        return decode_x86_frame(inv);
    case cap_page_table:
    case cap_page_directory:
    case cap_pdpt:
        return decode_x86_paging(inv);
    case cap_asid_control:
        return decode_asid_control(inv);
    case cap_asid_pool:
        return decode_asid_pool(inv);
    case cap_io_port_control:
        return decode_ioport_control(inv);
    case cap_io_port:
        return decode_ioport(inv);
    case cap_irq_control:
        return decode_irq_control(inv);
    case cap_irq_handler:
        return decode_irq_handler(inv);
    default:
        return fail(seL4_IllegalOperation);
    }
}

void do_reply_slot(tcb_t *t, cte_t *slot);

/* One attempt at Send, NBSend or Call; the result is left in self->ret_*. */
static void send_once(tcb_t *self, word_t cptr, seL4_MessageInfo_t info, bool blocking, bool call)
{
    seL4_IPCBuffer *buf = ipc_buffer_host(self);
    self->ret_info = seL4_MessageInfo_new(0, 0, 0, 0);
    self->ret_badge = 0;
    cte_t *slot = lookup_slot(self, cptr);
    invocation_t inv = {.label = seL4_MessageInfo_get_label(info),
                        .length = seL4_MessageInfo_get_length(info),
                        .mr = buf ? buf->msg : NULL,
                        .slot = slot};
    if (!slot || !lookup_extra_caps(self, &inv, info)) {
        if (blocking) {
            cap_fault(self, slot ? "an extra cap could not be looked up" : "invocation of an invalid cap", cptr,
                      false);
        }
        return;
    }
    if (inv.length > seL4_MsgMaxLength) {
        inv.length = seL4_MsgMaxLength;
    }
    const cap_t *cap = &slot->cap;
    bool ok;
    switch (cap->type) {
    case cap_null:
        ok = fail_invalid_cap(0);
        break;
    case cap_endpoint:
        if (!cap->ep.send) {
            ok = fail_invalid_cap(0);
            break;
        }
        self->send_info = info;
        send_ipc(self, cap->obj, cap, blocking, call);
        return;
    case cap_notification:
        if (!cap->ntfn.send) {
            ok = fail_invalid_cap(0);
            break;
        }
        send_signal(cap->obj, cap->ntfn.badge);
        return;
    case cap_reply:
        if (cap->reply.master) {
            ok = fail_invalid_cap(0);
            break;
        }
        self->send_info = info;
        do_reply_slot(self, slot);
        return;
    default:
        ok = invoke_object(&inv);
        break;
    }
    if (call && buf) {
        self->ret_info = ok ? seL4_MessageInfo_new(0, 0, 0, inv.reply_len)
                            : seL4_MessageInfo_new(ksim.err.type, 0, 0, error_to_mrs(buf->msg));
    }
}

/* Send, NBSend and Call on any cap. Returns the reply's message info for Call. */
seL4_MessageInfo_t sim_sys_send(word_t cptr, seL4_MessageInfo_t info, bool blocking, bool call)
{
    tcb_t *self = enter();
    do {
        send_once(self, cptr, info, blocking, call);
    } while (leave(self));
    seL4_MessageInfo_t r = self->ret_info;
    unlock();
    return r;
}

/* One attempt at Recv, NBRecv, Wait or Poll. */
static void recv_once(tcb_t *self, word_t cptr, bool blocking)
{
    cte_t *slot = lookup_slot(self, cptr);
    const cap_t *cap = slot ? &slot->cap : NULL;
    self->ret_badge = 0;
    if (cap && cap->type == cap_endpoint && cap->ep.recv) {
        cte_delete(&self->ctes[tcb_caller]); /* an unused reply cap does not survive a new receive */
        receive_ipc(self, cap, blocking);
        return;
    }
    if (cap && cap->type == cap_notification && cap->ntfn.recv) {
        notification_t *n = cap->obj;
        if (!n->bound_tcb || n->bound_tcb == self) {
            receive_signal(self, n, blocking);
            return;
        }
    }
    if (slot) { /* the cap exists but cannot receive: the kernel reports a missing capability */
        fail_lookup(false, seL4_MissingCapability, 0, 0, 0);
    }
    cap_fault(self, "receive on a cap that cannot receive", cptr, true);
}

seL4_MessageInfo_t sim_sys_recv(word_t cptr, word_t *badge, bool blocking)
{
    tcb_t *self = enter();
    do {
        recv_once(self, cptr, blocking);
    } while (leave(self));
    seL4_MessageInfo_t r = self->ret_info;
    *badge = self->ret_badge;
    unlock();
    return r;
}

void sim_sys_reply(seL4_MessageInfo_t info)
{
    tcb_t *self = enter();
    self->send_info = info;
    do_reply_slot(self, &self->ctes[tcb_caller]);
    leave(self);
    unlock();
}

seL4_MessageInfo_t sim_sys_reply_recv(word_t cptr, seL4_MessageInfo_t info, word_t *badge)
{
    tcb_t *self = enter();
    self->send_info = info;
    do_reply_slot(self, &self->ctes[tcb_caller]);
    do {
        recv_once(self, cptr, true);
    } while (leave(self));
    seL4_MessageInfo_t r = self->ret_info;
    *badge = self->ret_badge;
    unlock();
    return r;
}

void sim_sys_yield(void)
{
    tcb_t *self = enter();
    sched_yield_thread(self);
    leave(self);
    unlock();
}

void sim_sys_set_tls_base(word_t base)
{
    tcb_t *self = enter();
    self->tls_base = base;
    unlock();
}

void sim_sys_debug_putchar(char c)
{
    fputc(c, stdout);
    if (c == '\n') {
        fflush(stdout);
    }
}

seL4_Uint32 sim_sys_cap_identify(word_t cptr)
{
    tcb_t *self = enter();
    cte_t *slot = lookup_slot(self, cptr);
    seL4_Uint32 type = slot ? cap_kernel_tag(slot->cap.type) : 0;
    unlock();
    return type;
}
