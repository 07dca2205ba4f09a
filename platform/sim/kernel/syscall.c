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

word_t ntfn_poll(notification_t *n);

static void enter(void)
{
    pthread_mutex_lock(&ksim.lock);
    ksim.cur = sim_self;
}

static void leave(void)
{
    ksim.cur = NULL;
    pthread_mutex_unlock(&ksim.lock);
}

/* A fault with no handler stops the thread for good, as on the kernel,
 * where the root task has no fault endpoint. */
static void fault_no_handler(const char *what, word_t cptr)
{
    fprintf(stderr, "sim: thread '%s' faulted (%s, cptr 0x%lx) and has no fault handler: it is stopped\n",
            ksim.cur->name, what, (unsigned long)cptr);
    ksim.cur->state = ts_inactive;
    leave();
    for (;;) {
        pthread_mutex_lock(&ksim.lock);
        pthread_cond_t never = PTHREAD_COND_INITIALIZER;
        pthread_cond_wait(&never, &ksim.lock);
    }
}

static bool lookup_extra_caps(invocation_t *inv, seL4_MessageInfo_t info)
{
    seL4_IPCBuffer *buf = ksim.cur->ipc_buffer;
    inv->n_extra = (unsigned)seL4_MessageInfo_get_extraCaps(info);
    for (unsigned i = 0; i < inv->n_extra; i++) {
        inv->extra[i] = lookup_slot(ksim.cur, buf->caps_or_badges[i]);
        if (!inv->extra[i]) {
            return false;
        }
    }
    return true;
}

static seL4_MessageInfo_t reply_error(seL4_IPCBuffer *buf)
{
    unsigned len = error_to_mrs(buf->msg);
    return seL4_MessageInfo_new(ksim.err.type, 0, 0, len);
}

/* Send, NBSend and Call on any cap. Returns the reply's message info for Call. */
seL4_MessageInfo_t sim_sys_send(word_t cptr, seL4_MessageInfo_t info, bool blocking, bool call)
{
    enter();
    seL4_IPCBuffer *buf = ksim.cur->ipc_buffer;
    seL4_MessageInfo_t reply = seL4_MessageInfo_new(0, 0, 0, 0);
    cte_t *slot = lookup_slot(ksim.cur, cptr);
    if (!slot) {
        if (blocking) {
            fault_no_handler("invocation of an invalid cap", cptr);
        }
        leave();
        return reply;
    }
    invocation_t inv = {.label = seL4_MessageInfo_get_label(info),
                        .length = seL4_MessageInfo_get_length(info),
                        .mr = buf->msg,
                        .slot = slot};
    if (inv.length > seL4_MsgMaxLength) {
        inv.length = seL4_MsgMaxLength;
    }
    if (!lookup_extra_caps(&inv, info)) {
        if (blocking) {
            fault_no_handler("an extra cap could not be looked up", cptr);
        }
        leave();
        return reply;
    }
    cap_t cap = slot->cap;
    bool ok;
    switch (cap.type) {
    case cap_null:
        ok = fail(seL4_InvalidCapability);
        break;
    case cap_endpoint:
        if (!cap.ep.send) {
            ok = fail(seL4_InvalidCapability);
            break;
        }
        /* No receiver can be waiting while the sim runs only this thread. */
        leave();
        return reply;
    case cap_notification:
        if (!cap.ntfn.send) {
            ok = fail(seL4_InvalidCapability);
            break;
        }
        send_signal(cap.obj, cap.ntfn.badge);
        leave();
        return reply;
    case cap_untyped:
        ok = decode_untyped(&inv);
        break;
    case cap_cnode:
        ok = decode_cnode(&inv);
        break;
    case cap_frame:
        ok = decode_x86_frame(&inv);
        break;
    case cap_page_table:
    case cap_page_directory:
    case cap_pdpt:
        ok = decode_x86_paging(&inv);
        break;
    case cap_asid_control:
        ok = decode_asid_control(&inv);
        break;
    case cap_asid_pool:
        ok = decode_asid_pool(&inv);
        break;
    case cap_io_port_control:
        ok = decode_ioport_control(&inv);
        break;
    case cap_io_port:
        ok = decode_ioport(&inv);
        break;
    case cap_irq_control:
        ok = decode_irq_control(&inv);
        break;
    case cap_irq_handler:
        ok = decode_irq_handler(&inv);
        break;
    default:
        ok = fail(seL4_IllegalOperation);
        break;
    }
    if (call) {
        reply = ok ? seL4_MessageInfo_new(0, 0, 0, inv.reply_len) : reply_error(buf);
    }
    leave();
    return reply;
}

/* NBRecv and Poll (and Recv/Wait when something is pending). */
seL4_MessageInfo_t sim_sys_recv(word_t cptr, word_t *badge, bool blocking)
{
    enter();
    seL4_MessageInfo_t info = seL4_MessageInfo_new(0, 0, 0, 0);
    cte_t *slot = lookup_slot(ksim.cur, cptr);
    cap_t cap = slot ? slot->cap : (cap_t){.type = cap_null};
    bool can_recv = (cap.type == cap_endpoint && cap.ep.recv) ||
                    (cap.type == cap_notification && cap.ntfn.recv &&
                     (!((notification_t *)cap.obj)->bound_tcb ||
                      ((notification_t *)cap.obj)->bound_tcb == ksim.cur));
    if (!can_recv) {
        fault_no_handler("receive on a cap without receive rights", cptr);
    }
    *badge = 0;
    if (cap.type == cap_notification) {
        notification_t *n = cap.obj;
        if (n->state == ntfn_active) {
            *badge = ntfn_poll(n);
        } else if (blocking) {
            fault_no_handler("wait on a notification nothing can signal", cptr);
        }
    } else if (blocking) {
        fault_no_handler("receive on an endpoint no thread can send to", cptr);
    }
    leave();
    return info;
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
    enter();
    cte_t *slot = lookup_slot(ksim.cur, cptr);
    seL4_Uint32 type = slot ? cap_kernel_tag(slot->cap.type) : 0;
    leave();
    return type;
}
