/* seL4_Untyped_Retype, checked in the kernel's order (decodeUntypedInvocation). */
#include "model.h"

#define RETYPE_FAN_OUT_LIMIT CONFIG_RETYPE_FAN_OUT_LIMIT

static word_t align_up(word_t v, word_t bits)
{
    return (v + MASK(bits)) & ~MASK(bits);
}

bool decode_untyped(invocation_t *inv)
{
    if (inv->label != UntypedRetype) {
        return fail(seL4_IllegalOperation);
    }
    if (inv->length < 6 || inv->n_extra < 1) {
        return fail(seL4_TruncatedMessage);
    }
    word_t type = inv->mr[0], user_bits = inv->mr[1], node_index = inv->mr[2];
    word_t node_depth = inv->mr[3], node_offset = inv->mr[4], window = inv->mr[5];
    cte_t *self = inv->slot;
    cap_t ut = self->cap;

    if (type >= seL4_ObjectTypeCount) {
        return fail_arg(0);
    }
    word_t obj_bits = object_size_bits(type, user_bits);
    if (user_bits >= seL4_WordBits || obj_bits > seL4_MaxUntypedBits) {
        return fail_range(0, seL4_MaxUntypedBits);
    }
    if (type == seL4_CapTableObject && user_bits == 0) {
        return fail_arg(1);
    }
    if (type == seL4_UntypedObject && user_bits < seL4_MinUntypedBits) {
        return fail_arg(1);
    }

    cap_t node;
    if (node_depth == 0) {
        node = inv->extra[0]->cap;
    } else {
        cte_t *s = lookup_slot_for_cnode_op(false, inv->extra[0]->cap, node_index, node_depth);
        if (!s) {
            return false;
        }
        node = s->cap;
    }
    if (node.type != cap_cnode) {
        return fail_lookup(false, seL4_MissingCapability, node_depth, 0, 0);
    }
    word_t node_size = BIT(node.cn.radix);
    if (node_offset > node_size - 1) {
        return fail_range(0, node_size - 1);
    }
    if (window < 1 || window > RETYPE_FAN_OUT_LIMIT) {
        return fail_range(1, RETYPE_FAN_OUT_LIMIT);
    }
    if (window > node_size - node_offset) {
        return fail_range(1, node_size - node_offset);
    }
    cte_t *dest = node.obj;
    for (word_t i = node_offset; i < node_offset + window; i++) {
        if (!ensure_empty_slot(&dest[i])) {
            return false;
        }
    }

    /* With no children left the untyped is reset and allocation restarts at 0. */
    word_t free_offset = ensure_no_children(self) ? 0 : ut.ut.free_offset;
    word_t free_bytes = BIT(ut.ut.size_bits) - free_offset;
    if ((free_bytes >> obj_bits) < window) {
        fail(seL4_NotEnoughMemory);
        ksim.err.memory_left = free_bytes;
        return false;
    }
    if (ut.ut.device && !object_type_is_frame(type) && type != seL4_UntypedObject) {
        return fail_arg(1);
    }

    word_t base = align_up(ut.paddr + free_offset, obj_bits);
    self->cap.ut.free_offset = base + (window << obj_bits) - ut.paddr;
    for (word_t i = 0; i < window; i++) {
        cap_t c = create_object(type, base + (i << obj_bits), user_bits, ut.ut.device);
        cte_insert_new(self, &dest[node_offset + i], c);
    }
    return true;
}
