/*
 * Kernel objects: sizes, creation and destruction, and the relations between
 * caps (same region, same object, derivation, badges and rights) as the
 * kernel's objecttype.c defines them for x86_64.
 */
#include <stdlib.h>
#include <string.h>
#include "model.h"

bool object_type_is_frame(word_t type)
{
    return type == seL4_X86_4K || type == seL4_X86_LargePageObject || type == seL4_X64_HugePageObject;
}

word_t object_size_bits(word_t type, word_t user_bits)
{
    switch (type) {
    case seL4_UntypedObject:
        return user_bits;
    case seL4_TCBObject:
        return seL4_TCBBits;
    case seL4_EndpointObject:
        return seL4_EndpointBits;
    case seL4_NotificationObject:
        return seL4_NotificationBits;
    case seL4_CapTableObject:
        return seL4_SlotBits + user_bits;
    case seL4_X86_4K:
        return seL4_PageBits;
    case seL4_X86_LargePageObject:
        return seL4_LargePageBits;
    case seL4_X64_HugePageObject:
        return seL4_HugePageBits;
    default: /* paging structures */
        return seL4_PageTableBits;
    }
}

word_t cap_size_bits(const cap_t *c)
{
    switch (c->type) {
    case cap_untyped:
        return c->ut.size_bits;
    case cap_endpoint:
        return seL4_EndpointBits;
    case cap_notification:
        return seL4_NotificationBits;
    case cap_cnode:
        return c->cn.radix + seL4_SlotBits;
    case cap_thread:
        return seL4_TCBBits;
    case cap_frame:
        return c->frame.size_bits;
    case cap_page_table:
    case cap_page_directory:
    case cap_pdpt:
    case cap_pml4:
    case cap_io_page_table:
    case cap_asid_pool:
        return seL4_PageTableBits;
    default:
        return 0;
    }
}

/* The kernel's tag for each cap type on x86_64, as seL4_DebugCapIdentify
 * reports it: generic caps have even tags, architecture caps odd ones. */
static const seL4_Uint32 kernel_tags[] = {
    [cap_null] = 0,
    [cap_untyped] = 2,
    [cap_endpoint] = 4,
    [cap_notification] = 6,
    [cap_reply] = 8,
    [cap_cnode] = 10,
    [cap_thread] = 12,
    [cap_irq_control] = 14,
    [cap_irq_handler] = 16,
    [cap_domain] = 20,
    [cap_frame] = 1,
    [cap_page_table] = 3,
    [cap_page_directory] = 5,
    [cap_pdpt] = 7,
    [cap_pml4] = 9,
    [cap_asid_control] = 11,
    [cap_asid_pool] = 13,
    [cap_io_page_table] = 17,
    [cap_io_port] = 19,
    [cap_io_port_control] = 31,
};

_Static_assert(sizeof(kernel_tags) / sizeof(kernel_tags[0]) == cap_io_page_table + 1, "a tag for every cap type");

seL4_Uint32 cap_kernel_tag(cap_type_t type)
{
    return kernel_tags[type];
}

bool cap_is_physical(const cap_t *c)
{
    switch (c->type) {
    case cap_untyped:
    case cap_endpoint:
    case cap_notification:
    case cap_cnode:
    case cap_thread:
    case cap_frame:
    case cap_page_table:
    case cap_page_directory:
    case cap_pdpt:
    case cap_pml4:
    case cap_io_page_table:
    case cap_asid_pool:
        return true;
    default:
        return false;
    }
}

bool same_region_as(const cap_t *a, const cap_t *b)
{
    switch (a->type) {
    case cap_untyped:
        if (cap_is_physical(b)) {
            word_t a_top = a->paddr + MASK(a->ut.size_bits);
            word_t b_top = b->paddr + MASK(cap_size_bits(b));
            return a->paddr <= b->paddr && b_top <= a_top && b->paddr <= b_top;
        }
        return false;
    case cap_frame:
        if (b->type == cap_frame) {
            word_t a_top = a->paddr + MASK(a->frame.size_bits);
            word_t b_top = b->paddr + MASK(b->frame.size_bits);
            return a->paddr <= b->paddr && a_top >= b_top && b->paddr <= b_top;
        }
        return false;
    case cap_cnode:
        return b->type == cap_cnode && a->obj == b->obj && a->cn.radix == b->cn.radix;
    case cap_reply:
        return b->type == cap_reply && a->obj == b->obj;
    case cap_domain:
    case cap_asid_control:
        return b->type == a->type;
    case cap_irq_control:
        return b->type == cap_irq_control || b->type == cap_irq_handler;
    case cap_irq_handler:
        return b->type == cap_irq_handler && a->irq.irq == b->irq.irq;
    case cap_io_port_control:
        return b->type == cap_io_port_control || b->type == cap_io_port;
    case cap_io_port:
        return b->type == cap_io_port && a->ioport.first == b->ioport.first && a->ioport.last == b->ioport.last;
    case cap_null:
        return false;
    default: /* endpoint, notification, thread, paging structures, ASID pool */
        return b->type == a->type && a->obj == b->obj;
    }
}

bool same_object_as(const cap_t *a, const cap_t *b)
{
    switch (a->type) {
    case cap_untyped:
    case cap_irq_control:
        return false;
    case cap_io_port_control:
        return b->type != cap_io_port && same_region_as(a, b);
    case cap_frame:
        return b->type == cap_frame && a->paddr == b->paddr && a->frame.size_bits == b->frame.size_bits &&
               a->frame.device == b->frame.device;
    default:
        return same_region_as(a, b);
    }
}

bool cap_is_revocable(const cap_t *derived, const cap_t *src)
{
    switch (derived->type) {
    case cap_endpoint:
        return derived->ep.badge != src->ep.badge;
    case cap_notification:
        return derived->ntfn.badge != src->ntfn.badge;
    case cap_irq_handler:
        return src->type == cap_irq_control;
    case cap_io_port:
        return src->type == cap_io_port_control;
    case cap_untyped:
        return true;
    default:
        return false;
    }
}

/* The cap a copy of `c` from `slot` may hold, or false with the error set;
 * out->type == cap_null means the cap cannot be copied. */
bool derive_cap(cte_t *slot, cap_t c, cap_t *out)
{
    cap_t null = {.type = cap_null};
    *out = c;
    switch (c.type) {
    case cap_irq_control:
    case cap_reply:
    case cap_io_port_control:
        *out = null;
        return true;
    case cap_untyped:
        if (!ensure_no_children(slot)) {
            *out = null;
            return false;
        }
        return true;
    case cap_page_table:
    case cap_page_directory:
    case cap_pdpt:
    case cap_pml4:
    case cap_io_page_table:
        if (!c.pt.mapped) {
            *out = null;
            return fail(seL4_IllegalOperation);
        }
        return true;
    case cap_frame:
        out->frame.mapped_asid = 0;
        out->frame.mapped_vaddr = 0;
        return true;
    default:
        return true;
    }
}

cap_t update_cap_data(bool preserve, word_t data, cap_t c)
{
    cap_t null = {.type = cap_null};
    switch (c.type) {
    case cap_endpoint:
        if (preserve || c.ep.badge != 0) {
            return null;
        }
        c.ep.badge = data;
        return c;
    case cap_notification:
        if (preserve || c.ntfn.badge != 0) {
            return null;
        }
        c.ntfn.badge = data;
        return c;
    case cap_cnode: {
        seL4_CNode_CapData_t w = {{data}};
        word_t guard_size = seL4_CNode_CapData_get_guardSize(w);
        if (guard_size + c.cn.radix > seL4_WordBits) {
            return null;
        }
        c.cn.guard_size = (unsigned)guard_size;
        c.cn.guard = seL4_CNode_CapData_get_guard(w) & MASK(guard_size);
        return c;
    }
    default:
        return c;
    }
}

/* Frame rights as the kernel's maskVMRights: read-only, read-write or kernel-only. */
static seL4_CapRights_t mask_vm_rights(seL4_CapRights_t vm, seL4_CapRights_t mask)
{
    bool r = seL4_CapRights_get_capAllowRead(vm), w = seL4_CapRights_get_capAllowWrite(vm);
    bool mr = seL4_CapRights_get_capAllowRead(mask), mw = seL4_CapRights_get_capAllowWrite(mask);
    if (r && mr) {
        return seL4_CapRights_new(0, 0, 1, w && mw);
    }
    return seL4_CapRights_new(0, 0, 0, 0);
}

cap_t mask_cap_rights(seL4_CapRights_t r, cap_t c)
{
    switch (c.type) {
    case cap_endpoint:
        c.ep.send = c.ep.send && seL4_CapRights_get_capAllowWrite(r);
        c.ep.recv = c.ep.recv && seL4_CapRights_get_capAllowRead(r);
        c.ep.grant = c.ep.grant && seL4_CapRights_get_capAllowGrant(r);
        c.ep.grant_reply = c.ep.grant_reply && seL4_CapRights_get_capAllowGrantReply(r);
        return c;
    case cap_notification:
        c.ntfn.send = c.ntfn.send && seL4_CapRights_get_capAllowWrite(r);
        c.ntfn.recv = c.ntfn.recv && seL4_CapRights_get_capAllowRead(r);
        return c;
    case cap_reply:
        c.reply.grant = c.reply.grant && seL4_CapRights_get_capAllowGrant(r);
        return c;
    case cap_frame:
        c.frame.rights = mask_vm_rights(c.frame.rights, r);
        return c;
    default:
        return c;
    }
}

void *ram_at(word_t paddr, word_t size)
{
    if (paddr + size < paddr || paddr + size > ksim.ram_size) {
        return NULL;
    }
    return ksim.ram + paddr;
}

static void *host_alloc(size_t size)
{
    void *p = calloc(1, size);
    if (!p) {
        abort(); /* the host is out of memory: the model cannot go on */
    }
    return p;
}

cap_t create_object(word_t type, word_t paddr, word_t user_bits, bool device)
{
    cap_t c;
    memset(&c, 0, sizeof(c));
    c.paddr = paddr;
    switch (type) {
    case seL4_UntypedObject:
        c.type = cap_untyped;
        c.ut.size_bits = (unsigned)user_bits;
        c.ut.device = device;
        return c;
    case seL4_TCBObject: {
        tcb_t *t = host_alloc(sizeof(tcb_t));
        t->state = ts_inactive;
        pthread_cond_init(&t->cv, NULL);
        /* The reply master: reply caps for calls this thread makes derive from it. */
        cap_t master = {.type = cap_reply, .obj = t};
        master.reply.master = true;
        master.reply.grant = true;
        cte_set_root(&t->ctes[tcb_reply], master);
        c.type = cap_thread;
        c.obj = t;
        return c;
    }
    case seL4_EndpointObject:
        c.type = cap_endpoint;
        c.obj = host_alloc(sizeof(endpoint_t));
        c.ep.send = c.ep.recv = c.ep.grant = c.ep.grant_reply = true;
        return c;
    case seL4_NotificationObject:
        c.type = cap_notification;
        c.obj = host_alloc(sizeof(notification_t));
        c.ntfn.send = c.ntfn.recv = true;
        return c;
    case seL4_CapTableObject:
        c.type = cap_cnode;
        c.obj = host_alloc(BIT(user_bits) * sizeof(cte_t));
        c.cn.radix = (unsigned)user_bits;
        return c;
    case seL4_X86_4K:
    case seL4_X86_LargePageObject:
    case seL4_X64_HugePageObject:
        c.type = cap_frame;
        c.frame.size_bits = (unsigned)object_size_bits(type, 0);
        c.frame.device = device;
        c.frame.rights = seL4_ReadWrite;
        if (!device) {
            void *mem = ram_at(paddr, BIT(c.frame.size_bits));
            if (mem) {
                memset(mem, 0, BIT(c.frame.size_bits));
            }
        }
        return c;
    case seL4_X86_PageTableObject:
        c.type = cap_page_table;
        break;
    case seL4_X86_PageDirectoryObject:
        c.type = cap_page_directory;
        break;
    case seL4_X86_PDPTObject:
        c.type = cap_pdpt;
        break;
    case seL4_X86_IOPageTableObject:
        c.type = cap_io_page_table;
        break;
    default:
        c.type = cap_pml4;
        break;
    }
    c.obj = host_alloc(sizeof(paging_t));
    return c;
}

cap_t make_asid_pool(word_t paddr)
{
    cap_t c;
    memset(&c, 0, sizeof(c));
    c.type = cap_asid_pool;
    c.paddr = paddr;
    c.obj = host_alloc(sizeof(asid_pool_t));
    return c;
}

static void destroy_cnode(cte_t *slots, word_t n)
{
    for (word_t i = 0; i < n; i++) {
        cte_delete(&slots[i]);
    }
}

/* Returns whether the TCB's memory must outlive it: a thread that ran has a
 * host thread still waiting on it, which frees it when it wakes and ends. */
static bool destroy_tcb(tcb_t *t)
{
    tcb_suspend(t);
    proc_thread_destroyed(t);
    t->destroyed = true;
    pthread_cond_signal(&t->cv);
    if (t->bound_ntfn) {
        t->bound_ntfn->bound_tcb = NULL;
        t->bound_ntfn = NULL;
    }
    for (int i = 0; i < tcb_cnode_entries; i++) {
        cte_delete(&t->ctes[i]);
    }
    return t->host_started;
}

/* What deleting a cap does: frames unmap whichever cap is deleted; other
 * objects are finalised when their last cap goes. */
void finalise_cap(cap_t *c, bool final)
{
    vspace_finalise(c, final);
    if (final) {
        destroy_object(c);
    }
}

/* Finalises an object whose last cap has gone. */
void destroy_object(const cap_t *c)
{
    switch (c->type) {
    case cap_cnode:
        destroy_cnode(c->obj, BIT(c->cn.radix));
        break;
    case cap_thread:
        if (destroy_tcb(c->obj)) {
            return;
        }
        break;
    case cap_endpoint:
        ep_cancel_all(c->obj);
        break;
    case cap_notification:
        ntfn_cancel_all(c->obj);
        break;
    case cap_irq_handler:
        irq_handler_deleted(c->irq.irq);
        return;
    case cap_io_port:
        for (word_t p = c->ioport.first; p <= c->ioport.last; p++) {
            ksim.ioport_owner[p / 64] &= ~BIT(p % 64);
        }
        return;
    case cap_page_table:
    case cap_page_directory:
    case cap_pdpt:
    case cap_pml4:
    case cap_io_page_table:
    case cap_asid_pool:
        break;
    default:
        return;
    }
    free(c->obj);
}
