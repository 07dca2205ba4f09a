/*
 * x86 IO ports: issuing port ranges from IOPortControl, and In/Out on the
 * simulated devices behind them (devices.c). Checks in the kernel's order.
 */
#include "model.h"
#include "devices.h"

static bool port_allocated(word_t p)
{
    return (ksim.ioport_owner[p / 64] >> (p % 64)) & 1;
}

bool decode_ioport_control(invocation_t *inv)
{
    if (inv->label != X86IOPortControlIssue) {
        return fail(seL4_IllegalOperation);
    }
    if (inv->length < 4 || inv->n_extra < 1) {
        return fail(seL4_TruncatedMessage);
    }
    word_t first = inv->mr[0] & 0xffff, last = inv->mr[1] & 0xffff;
    if (last < first) {
        return fail_arg(1);
    }
    for (word_t p = first; p <= last; p++) {
        if (port_allocated(p)) {
            return fail(seL4_RevokeFirst);
        }
    }
    cte_t *dest = lookup_slot_for_cnode_op(false, inv->extra[0]->cap, inv->mr[2], inv->mr[3]);
    if (!dest || !ensure_empty_slot(dest)) {
        return false;
    }
    for (word_t p = first; p <= last; p++) {
        ksim.ioport_owner[p / 64] |= BIT(p % 64);
    }
    cap_t c = {.type = cap_io_port};
    c.ioport.first = (seL4_Uint16)first;
    c.ioport.last = (seL4_Uint16)last;
    cte_insert(c, inv->slot, dest);
    return true;
}

bool decode_ioport(invocation_t *inv)
{
    static const struct {
        word_t label;
        unsigned width;
        bool out;
    } ops[] = {
        {X86IOPortIn8, 1, false},  {X86IOPortIn16, 2, false},  {X86IOPortIn32, 4, false},
        {X86IOPortOut8, 1, true},  {X86IOPortOut16, 2, true},  {X86IOPortOut32, 4, true},
    };
    for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        if (ops[i].label != inv->label) {
            continue;
        }
        if (inv->length < (ops[i].out ? 2u : 1u)) {
            return fail(seL4_TruncatedMessage);
        }
        const cap_t *c = &inv->slot->cap;
        uint32_t port = (uint32_t)(inv->mr[0] & 0xffff), end = port + ops[i].width - 1;
        if (port < c->ioport.first || end > c->ioport.last) {
            return fail(seL4_IllegalOperation);
        }
        if (ops[i].out) {
            word_t mask = ops[i].width == 4 ? 0xffffffffu : BIT(8 * ops[i].width) - 1;
            device_out((uint16_t)port, ops[i].width, (uint32_t)(inv->mr[1] & mask));
        } else {
            inv->mr[0] = device_in((uint16_t)port, ops[i].width);
            inv->reply_len = 1;
        }
        return true;
    }
    return fail(seL4_IllegalOperation);
}
