/*
 * Client stubs of the broker's RPC protocol (include/kaal/component.h),
 * and the component's own free slots, which capability grants go into.
 */
#include <kaal/rt.h>
#include <kaal/runtime.h>

static seL4_Word next_slot; /* where the search for a free slot starts */

/* A slot from info->free_slot up is free while its bit in info->slot_map is clear. */
seL4_CPtr kaal_slot_alloc(void)
{
    const kaal_info_t *info = kaal_self();
    seL4_Word n = 1ul << info->cnode_bits;
    if (next_slot < info->free_slot) {
        next_slot = info->free_slot;
    }
    for (seL4_Word tried = 0, s = next_slot; tried < n; tried++, s = s + 1 < n ? s + 1 : info->free_slot) {
        seL4_Word *word = &info->slot_map[s / seL4_WordBits], bit = 1ul << (s % seL4_WordBits);
        if (s >= info->free_slot && !(*word & bit)) {
            *word |= bit;
            next_slot = s + 1;
            return s;
        }
    }
    return 0;
}

void kaal_slot_free(seL4_CPtr slot)
{
    const kaal_info_t *info = kaal_self();
    if (slot < info->free_slot || slot >= 1ul << info->cnode_bits) {
        return;
    }
    info->slot_map[slot / seL4_WordBits] &= ~(1ul << (slot % seL4_WordBits));
    if (slot < next_slot) {
        next_slot = slot;
    }
}

/* One request: n arguments out, up to nres results back; the reply's label is the error. */
static kaal_err_t call(seL4_Word label, seL4_Word n, const seL4_Word *args, seL4_Word nres, seL4_Word *res)
{
    for (seL4_Word i = 0; i < n; i++) {
        seL4_SetMR((int)i, args[i]);
    }
    seL4_MessageInfo_t info = seL4_Call(KAAL_CAP_BROKER, seL4_MessageInfo_new(label, 0, 0, n));
    kaal_err_t err = (kaal_err_t)seL4_MessageInfo_get_label(info);
    for (seL4_Word i = 0; err == KAAL_OK && i < nres; i++) {
        res[i] = seL4_GetMR((int)i);
    }
    return err;
}

/* Written out rather than through call(): every request pays for the shape
 * of this path, and the IPC bench measures it. */
kaal_err_t kaal_ping(seL4_Word word, seL4_Word *version)
{
    seL4_SetMR(0, word);
    seL4_MessageInfo_t info = seL4_Call(KAAL_CAP_BROKER, seL4_MessageInfo_new(KAAL_RPC_PING, 0, 0, 1));
    kaal_err_t err = (kaal_err_t)seL4_MessageInfo_get_label(info);
    if (err == KAAL_OK && seL4_GetMR(0) != word) {
        err = KAAL_E_PROTOCOL;
    }
    if (err == KAAL_OK && version) {
        *version = seL4_GetMR(1);
    }
    return err;
}

kaal_err_t kaal_memory(seL4_Word vaddr, seL4_Word size, void **at)
{
    seL4_Word args[2] = {vaddr, size}, res = 0;
    kaal_err_t err = call(KAAL_RPC_MEMORY, 2, args, 1, &res);
    *at = (void *)res;
    return err;
}

/* A grant that comes as a cap: into a slot of our own, given back if refused. */
static kaal_err_t call_for_cap(seL4_Word label, seL4_Word arg0, seL4_Word arg1, int slot_mr, seL4_CPtr *cap,
                               seL4_Word *result)
{
    seL4_CPtr slot = kaal_slot_alloc();
    if (slot == 0) {
        return KAAL_E_NO_SLOTS;
    }
    seL4_Word args[3] = {arg0, arg1, 0};
    args[slot_mr] = slot;
    kaal_err_t err = call(label, (seL4_Word)slot_mr + 1, args, result ? 1 : 0, result);
    if (err != KAAL_OK) {
        kaal_slot_free(slot);
        slot = 0;
    }
    *cap = slot;
    return err;
}

kaal_err_t kaal_ioports(seL4_Word first, seL4_Word last, seL4_CPtr *cap)
{
    return call_for_cap(KAAL_RPC_IOPORTS, first, last, 2, cap, 0);
}

/* The handler of each IRQ we hold, by the badge bit its interrupts set: what the event loop's
 * irq handler is given. */
static seL4_CPtr irq_handlers[KAAL_BIT_PEER];

kaal_err_t kaal_irq(seL4_Word pin, seL4_CPtr *handler, seL4_Word *bit)
{
    kaal_err_t err = call_for_cap(KAAL_RPC_IRQ, pin, 0, 1, handler, bit);
    if (err == KAAL_OK && *bit < KAAL_BIT_PEER) {
        irq_handlers[*bit] = *handler;
    }
    return err;
}

seL4_CPtr kaal_irq_handler(seL4_Word bit)
{
    return bit < KAAL_BIT_PEER ? irq_handlers[bit] : 0;
}

kaal_err_t kaal_irq_ack(seL4_CPtr handler)
{
    return seL4_IRQHandler_Ack(handler) == seL4_NoError ? KAAL_OK : KAAL_E_INVAL;
}

const kaal_region_t *kaal_region(const char *name)
{
    const kaal_info_t *self = kaal_self();
    for (uint32_t i = 0; self && i < self->nregions; i++) {
        kaal_region_t *r = &self->regions[i];
        if (rt_strcmp(r->name, name) != 0) {
            continue;
        }
        seL4_Word index = i, vaddr = 0;
        if (!r->mapped && call(KAAL_RPC_REGION, 1, &index, 1, &vaddr) == KAAL_OK && vaddr == r->vaddr) {
            r->mapped = 1;
        }
        return r->mapped ? r : 0;
    }
    return 0;
}

kaal_err_t kaal_mmio(seL4_Word paddr, seL4_Word size, volatile void **regs)
{
    seL4_Word args[2] = {paddr, size}, res = 0;
    kaal_err_t err = call(KAAL_RPC_MMIO, 2, args, 1, &res);
    *regs = (volatile void *)res;
    return err;
}

kaal_err_t kaal_release(seL4_Word what, seL4_Word which, seL4_CPtr slot)
{
    seL4_Word args[2] = {what, which};
    kaal_err_t err = call(KAAL_RPC_RELEASE, 2, args, 0, 0);
    if (err == KAAL_OK && slot) {
        kaal_slot_free(slot); /* the broker revoked our copy: the slot is empty again */
    }
    return err;
}

kaal_err_t kaal_open_channel(seL4_Word index, seL4_CPtr signal, seL4_CPtr inbox, seL4_Word *vaddr)
{
    seL4_Word args[3] = {index, signal, inbox};
    return call(KAAL_RPC_CHANNEL, 3, args, 1, vaddr);
}
