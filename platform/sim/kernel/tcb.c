/* TCB invocations (non-MCS), checked in the kernel's order (decodeTCBInvocation). */
#include <string.h>
#include "model.h"

#define IPC_BUFFER_ALIGN_BITS 10

/* The host address of a thread's IPC buffer: its frame's RAM, at the buffer's offset. */
seL4_IPCBuffer *ipc_buffer_host(tcb_t *t)
{
    if (t->ipc_buffer) {
        return t->ipc_buffer;
    }
    const cap_t *f = &t->ctes[tcb_buffer].cap;
    if (f->type != cap_frame || t->ipc_buffer_vaddr == 0) {
        return NULL;
    }
    return ram_at(f->paddr + (t->ipc_buffer_vaddr & MASK(f->frame.size_bits)), sizeof(seL4_IPCBuffer));
}

void tcb_suspend(tcb_t *t)
{
    cancel_ipc(t);
    t->state = ts_inactive;
    sched_remove(t);
}

/* Resume restarts a stopped thread: inactive or blocked in any IPC (the
 * kernel's isStopped); a blocked thread's system call runs again. */
static void tcb_resume(tcb_t *t)
{
    if (runnable(t)) {
        return;
    }
    cancel_ipc(t);
    t->has_fault = false;
    t->state = ts_restart;
    sched_start(t);
    sched_make_runnable(t);
}

static void set_priority(tcb_t *t, word_t prio)
{
    bool was_queued = t->queued;
    sched_remove(t);
    t->priority = (unsigned)prio;
    if (was_queued || (runnable(t) && t != ksim.cur)) {
        sched_make_runnable(t);
    }
}

static bool check_prio(word_t prio, const cte_t *auth_slot)
{
    if (auth_slot->cap.type != cap_thread) {
        return fail_invalid_cap(1);
    }
    const tcb_t *auth = auth_slot->cap.obj;
    if (prio > auth->mcp) {
        return fail_range(seL4_MinPrio, auth->mcp);
    }
    return true;
}

static bool check_ipc_buffer(word_t vaddr, const cap_t *c)
{
    if (c->type != cap_frame || c->frame.device) {
        return fail(seL4_IllegalOperation);
    }
    if (vaddr & MASK(IPC_BUFFER_ALIGN_BITS)) {
        return fail(seL4_AlignmentError);
    }
    return true;
}

/* A root cap as the thread will hold it: re-guarded if data is given, then derived. */
static bool derive_root(cte_t *slot, word_t data, cap_type_t want, cap_t *out)
{
    cap_t c = data ? update_cap_data(false, data, slot->cap) : slot->cap;
    if (!derive_cap(slot, c, out)) {
        return false;
    }
    if (out->type != want) {
        return fail(seL4_IllegalOperation);
    }
    return true;
}

static void replace_slot(tcb_t *t, int which, cap_t c, cte_t *src)
{
    cte_delete(&t->ctes[which]);
    if (c.type != cap_null) {
        cte_insert(c, src, &t->ctes[which]);
    }
}

/* The CSpace and VSpace roots of SetSpace and Configure. */
static bool derive_roots(word_t cdata, word_t vdata, cte_t *croot, cte_t *vroot, cap_t *cnode, cap_t *vspace)
{
    return derive_root(croot, cdata, cap_cnode, cnode) && derive_root(vroot, vdata, cap_pml4, vspace);
}

static bool decode_configure(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 4 || inv->n_extra < 3) {
        return fail(seL4_TruncatedMessage);
    }
    word_t fault_ep = inv->mr[0], cdata = inv->mr[1], vdata = inv->mr[2], buffer = inv->mr[3];
    cap_t buf_cap = {.type = cap_null}, cnode, vspace;
    if (buffer != 0) {
        if (!derive_cap(inv->extra[2], inv->extra[2]->cap, &buf_cap) || !check_ipc_buffer(buffer, &buf_cap)) {
            return false;
        }
    }
    if (!derive_roots(cdata, vdata, inv->extra[0], inv->extra[1], &cnode, &vspace)) {
        return false;
    }
    t->fault_ep = fault_ep;
    replace_slot(t, tcb_ctable, cnode, inv->extra[0]);
    replace_slot(t, tcb_vtable, vspace, inv->extra[1]);
    replace_slot(t, tcb_buffer, buf_cap, inv->extra[2]);
    t->ipc_buffer_vaddr = buffer;
    t->ipc_buffer = NULL;
    return true;
}

static bool decode_set_space(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 3 || inv->n_extra < 2) {
        return fail(seL4_TruncatedMessage);
    }
    cap_t cnode, vspace;
    if (!derive_roots(inv->mr[1], inv->mr[2], inv->extra[0], inv->extra[1], &cnode, &vspace)) {
        return false;
    }
    t->fault_ep = inv->mr[0];
    replace_slot(t, tcb_ctable, cnode, inv->extra[0]);
    replace_slot(t, tcb_vtable, vspace, inv->extra[1]);
    return true;
}

static bool decode_set_ipc_buffer(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 1 || inv->n_extra < 1) {
        return fail(seL4_TruncatedMessage);
    }
    word_t buffer = inv->mr[0];
    cap_t buf_cap = {.type = cap_null};
    if (buffer != 0 &&
        (!derive_cap(inv->extra[0], inv->extra[0]->cap, &buf_cap) || !check_ipc_buffer(buffer, &buf_cap))) {
        return false;
    }
    replace_slot(t, tcb_buffer, buf_cap, inv->extra[0]);
    t->ipc_buffer_vaddr = buffer;
    t->ipc_buffer = NULL;
    return true;
}

static bool decode_read_registers(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 2) {
        return fail(seL4_TruncatedMessage);
    }
    word_t flags = inv->mr[0], n = inv->mr[1];
    if (n < 1 || n > SIM_USER_CONTEXT_WORDS) {
        return fail_range(1, SIM_USER_CONTEXT_WORDS);
    }
    if (t == ksim.cur) {
        return fail(seL4_IllegalOperation);
    }
    if (flags & 1) {
        tcb_suspend(t);
    }
    memcpy(inv->mr, t->regs, n * sizeof(word_t));
    inv->reply_len = (unsigned)n;
    return true;
}

/* What the kernel makes of a register value a thread is given
 * (sanitiseRegister on x86_64): instruction and TLS addresses must be
 * canonical, and the flags keep only the user's bits, with interrupts on and
 * no trap flag. i indexes seL4_UserContext. */
static word_t sanitise_register(unsigned i, word_t v)
{
    if ((i == CONTEXT_RIP || i == CONTEXT_FS_BASE || i == CONTEXT_GS_BASE) && v > 0x00007ffffffffffful && v < 0xffff800000000000ul) {
        return 0;
    }
    if (i == CONTEXT_FLAGS) {
        v |= FLAGS_HIGH | FLAGS_IF;
        v &= ~(FLAGS_LOW | FLAGS_TF);
        v &= FLAGS_MASK;
    }
    return v;
}

void tcb_set_register(tcb_t *t, unsigned i, word_t v)
{
    t->regs[i] = sanitise_register(i, v);
    if (i == CONTEXT_FS_BASE) { /* x86_64's TLS base is fs_base */
        t->tls_base = t->regs[i];
    }
}

static bool decode_write_registers(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 2) {
        return fail(seL4_TruncatedMessage);
    }
    word_t flags = inv->mr[0], n = inv->mr[1];
    if (inv->length - 2 < n) {
        return fail(seL4_TruncatedMessage);
    }
    if (t == ksim.cur) {
        return fail(seL4_IllegalOperation);
    }
    if (n > SIM_USER_CONTEXT_WORDS) {
        n = SIM_USER_CONTEXT_WORDS;
    }
    for (unsigned i = 0; i < n; i++) {
        tcb_set_register(t, i, inv->mr[2 + i]);
    }
    if (flags & 1) {
        tcb_resume(t);
    }
    return true;
}

/* Flags: suspend the source, resume the target, copy the 18 frame registers
 * (rip to r15), copy the integer ones (fs_base, gs_base). */
static bool decode_copy_registers(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 1 || inv->n_extra < 1) {
        return fail(seL4_TruncatedMessage);
    }
    const cap_t *src_cap = &inv->extra[0]->cap;
    if (src_cap->type != cap_thread) {
        return fail_invalid_cap(1);
    }
    tcb_t *src = src_cap->obj;
    word_t flags = inv->mr[0];
    if (flags & 1) {
        tcb_suspend(src);
    }
    if (flags & 4) {
        memcpy(t->regs, src->regs, 18 * sizeof(word_t));
    }
    if (flags & 8) {
        memcpy(&t->regs[18], &src->regs[18], 2 * sizeof(word_t));
    }
    if (flags & 2) {
        tcb_resume(t);
    }
    return true;
}

static bool decode_bind(invocation_t *inv, tcb_t *t)
{
    if (inv->n_extra < 1) {
        return fail(seL4_TruncatedMessage);
    }
    if (t->bound_ntfn) {
        return fail(seL4_IllegalOperation);
    }
    const cap_t *c = &inv->extra[0]->cap;
    if (c->type != cap_notification || !c->ntfn.recv) {
        return fail(seL4_IllegalOperation);
    }
    notification_t *n = c->obj;
    if (n->head || n->bound_tcb) {
        return fail(seL4_IllegalOperation);
    }
    n->bound_tcb = t;
    t->bound_ntfn = n;
    return true;
}

/* SetPriority, SetMCPriority and SetSchedParams: (mcp?, prio?) checked against the authority. */
static bool decode_sched(invocation_t *inv, tcb_t *t)
{
    unsigned nargs = inv->label == TCBSetSchedParams ? 2 : 1;
    if (inv->length < nargs || inv->n_extra < 1) {
        return fail(seL4_TruncatedMessage);
    }
    bool sets_mcp = inv->label != TCBSetPriority, sets_prio = inv->label != TCBSetMCPriority;
    word_t mcp = inv->mr[0], prio = inv->label == TCBSetSchedParams ? inv->mr[1] : inv->mr[0];
    if ((sets_mcp && !check_prio(mcp, inv->extra[0])) || (sets_prio && !check_prio(prio, inv->extra[0]))) {
        return false;
    }
    if (sets_mcp) {
        t->mcp = (unsigned)mcp;
    }
    if (sets_prio) {
        set_priority(t, prio);
    }
    return true;
}

bool decode_tcb(invocation_t *inv)
{
    tcb_t *t = inv->slot->cap.obj;
    switch (inv->label) {
    case TCBReadRegisters:
        return decode_read_registers(inv, t);
    case TCBWriteRegisters:
        return decode_write_registers(inv, t);
    case TCBCopyRegisters:
        return decode_copy_registers(inv, t);
    case TCBSuspend:
        tcb_suspend(t);
        return true;
    case TCBResume:
        tcb_resume(t);
        return true;
    case TCBConfigure:
        return decode_configure(inv, t);
    case TCBSetPriority:
    case TCBSetMCPriority:
    case TCBSetSchedParams:
        return decode_sched(inv, t);
    case TCBSetIPCBuffer:
        return decode_set_ipc_buffer(inv, t);
    case TCBSetSpace:
        return decode_set_space(inv, t);
    case TCBBindNotification:
        return decode_bind(inv, t);
    case TCBUnbindNotification:
        if (!t->bound_ntfn) {
            return fail(seL4_IllegalOperation);
        }
        t->bound_ntfn->bound_tcb = NULL;
        t->bound_ntfn = NULL;
        return true;
    case TCBSetTLSBase:
        if (inv->length < 1) {
            return fail(seL4_TruncatedMessage);
        }
        tcb_set_register(t, CONTEXT_FS_BASE, inv->mr[0]);
        return true;
    default:
        return fail(seL4_IllegalOperation);
    }
}
