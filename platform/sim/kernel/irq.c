/*
 * Interrupts (IOAPIC mode): issuing handlers from IRQControl, binding a
 * notification, Ack and Clear, and delivery when a simulated device raises
 * its line. A delivered interrupt masks its line until Ack, as on the kernel.
 */
#include "model.h"

#define IRQ_USER_MIN 16
#define IRQ_USER_VECTORS 108 /* user vectors 0..107 become kernel irqs 16..123 */
#define SIM_IOAPIC_PINS 24

/* The checks common to IOAPIC and MSI handlers; returns the destination slot. */
static cte_t *check_issue(invocation_t *inv, word_t *irq)
{
    word_t vector = inv->mr[6];
    if (vector >= IRQ_USER_VECTORS) {
        fail_range(0, IRQ_USER_VECTORS - 1);
        return NULL;
    }
    *irq = vector + IRQ_USER_MIN;
    if (ksim.irqs[*irq].state != irq_inactive) {
        fail(seL4_RevokeFirst);
        return NULL;
    }
    cte_t *dest = lookup_slot_for_cnode_op(false, inv->extra[0]->cap, inv->mr[0], inv->mr[1]);
    if (!dest || !ensure_empty_slot(dest)) {
        return NULL;
    }
    return dest;
}

static void activate(invocation_t *inv, cte_t *dest, word_t irq, int pin)
{
    irq_t *s = &ksim.irqs[irq];
    s->state = irq_signal;
    s->masked = false;
    s->pending = false;
    s->ioapic_pin = pin;
    cap_t c = {.type = cap_irq_handler};
    c.irq.irq = irq;
    cte_insert(c, inv->slot, dest);
}

bool decode_irq_control(invocation_t *inv)
{
    word_t irq;
    switch (inv->label) {
    case X86IRQIssueIRQHandlerIOAPIC:
    case X86IRQIssueIRQHandlerMSI: {
        if (inv->length < 7 || inv->n_extra < 1) {
            return fail(seL4_TruncatedMessage);
        }
        cte_t *dest = check_issue(inv, &irq);
        if (!dest) {
            return false;
        }
        if (inv->label == X86IRQIssueIRQHandlerIOAPIC) {
            word_t ioapic = inv->mr[2], pin = inv->mr[3], level = inv->mr[4], polarity = inv->mr[5];
            if (ioapic >= 1) {
                return fail_range(0, 0);
            }
            if (pin >= SIM_IOAPIC_PINS) {
                return fail_range(0, SIM_IOAPIC_PINS - 1);
            }
            if (level > 1 || polarity > 1) {
                return fail_range(0, 1);
            }
            activate(inv, dest, irq, (int)pin);
        } else {
            if (inv->mr[2] > 255) {
                return fail_range(0, 255);
            }
            if (inv->mr[3] > 31) {
                return fail_range(0, 31);
            }
            if (inv->mr[4] > 7) {
                return fail_range(0, 7);
            }
            activate(inv, dest, irq, -1);
        }
        return true;
    }
    case IRQIssueIRQHandler:
        if (inv->length < 3 || inv->n_extra < 1) {
            return fail(seL4_TruncatedMessage);
        }
        return fail(seL4_IllegalOperation); /* IOAPIC mode has no legacy IRQ numbers */
    default:
        return fail(seL4_IllegalOperation);
    }
}

static void deliver(word_t irq)
{
    irq_t *s = &ksim.irqs[irq];
    const cap_t *n = &s->ntfn_slot.cap;
    if (s->state != irq_signal || s->masked || !s->pending) {
        return;
    }
    s->pending = false;
    s->masked = true;
    if (n->type == cap_notification && n->ntfn.send) {
        send_signal(n->obj, n->ntfn.badge);
    }
}

bool decode_irq_handler(invocation_t *inv)
{
    word_t irq = inv->slot->cap.irq.irq;
    irq_t *s = &ksim.irqs[irq];
    switch (inv->label) {
    case IRQAckIRQ:
        s->masked = false;
        deliver(irq); /* a level still raised comes straight back */
        if (s->ioapic_pin >= 0) {
            device_irq_acked(s->ioapic_pin);
        }
        return true;
    case IRQSetIRQHandler: {
        if (inv->n_extra < 1) {
            return fail(seL4_TruncatedMessage);
        }
        cte_t *n = inv->extra[0];
        if (n->cap.type != cap_notification || !n->cap.ntfn.send) {
            return fail_invalid_cap(0);
        }
        cte_delete(&s->ntfn_slot);
        cte_insert(n->cap, n, &s->ntfn_slot);
        return true;
    }
    case IRQClearIRQHandler:
        cte_delete(&s->ntfn_slot);
        return true;
    default:
        return fail(seL4_IllegalOperation);
    }
}

/* The last handler cap for an irq is gone: unbind, mask, and make it issuable again. */
void irq_handler_deleted(word_t irq)
{
    irq_t *s = &ksim.irqs[irq];
    cte_delete(&s->ntfn_slot);
    s->state = irq_inactive;
    s->masked = true;
    s->pending = false;
}

/* A simulated device raises its IOAPIC pin (called with the kernel lock held). */
void irq_raise_pin(int pin)
{
    for (word_t irq = IRQ_USER_MIN; irq < IRQ_USER_MIN + IRQ_USER_VECTORS; irq++) {
        if (ksim.irqs[irq].state == irq_signal && ksim.irqs[irq].ioapic_pin == pin) {
            ksim.irqs[irq].pending = true;
            deliver(irq);
        }
    }
}
