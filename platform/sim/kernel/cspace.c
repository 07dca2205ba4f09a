/* Capability addressing: guard/radix resolution as the kernel's cspace.c. */
#include "model.h"

/* Resolves n_bits of cptr starting at the CNode cap `node`. On a lookup
 * fault, ok is false and the fault is recorded (as a FailedLookup whose
 * source flag the caller sets). */
lookup_t resolve_address_bits(cap_t node, word_t cptr, word_t n_bits)
{
    lookup_t r = {.slot = NULL, .bits_remaining = n_bits, .ok = false};
    if (node.type != cap_cnode) {
        fail_lookup(false, seL4_InvalidRoot, 0, 0, 0);
        return r;
    }
    for (;;) {
        word_t radix = node.cn.radix, guard_bits = node.cn.guard_size;
        word_t level = radix + guard_bits;
        word_t guard = (cptr >> ((n_bits - guard_bits) & 63)) & MASK(guard_bits);
        if (guard_bits > n_bits || guard != node.cn.guard) {
            fail_lookup(false, seL4_GuardMismatch, n_bits, guard_bits, node.cn.guard);
            return r;
        }
        if (level > n_bits) {
            fail_lookup(false, seL4_DepthMismatch, n_bits, level, 0);
            return r;
        }
        word_t offset = (cptr >> (n_bits - level)) & MASK(radix);
        cte_t *slot = (cte_t *)node.obj + offset;
        if (n_bits == level) {
            r.slot = slot;
            r.bits_remaining = 0;
            r.ok = true;
            return r;
        }
        n_bits -= level;
        node = slot->cap;
        if (node.type != cap_cnode) {
            r.slot = slot;
            r.bits_remaining = n_bits;
            r.ok = true;
            return r;
        }
    }
}

cte_t *lookup_slot_for_cnode_op(bool is_source, cap_t root, word_t cptr, word_t depth)
{
    if (root.type != cap_cnode) {
        fail_lookup(is_source, seL4_InvalidRoot, 0, 0, 0);
        return NULL;
    }
    if (depth < 1 || depth > seL4_WordBits) {
        fail_range(1, seL4_WordBits);
        return NULL;
    }
    lookup_t r = resolve_address_bits(root, cptr, depth);
    if (!r.ok) {
        ksim.err.lookup_was_source = is_source;
        return NULL;
    }
    if (r.bits_remaining != 0) {
        fail_lookup(is_source, seL4_DepthMismatch, r.bits_remaining, 0, 0);
        return NULL;
    }
    return r.slot;
}

/* The slot a thread's cptr names, resolving all 64 bits from its CSpace root. */
cte_t *lookup_slot(tcb_t *t, word_t cptr)
{
    lookup_t r = resolve_address_bits(t->ctes[tcb_ctable].cap, cptr, seL4_WordBits);
    return r.ok ? r.slot : NULL;
}
