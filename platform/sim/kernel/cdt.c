/*
 * The capability derivation tree, kept as the kernel keeps it: a doubly
 * linked list in depth-first order, with a revocable and a first-badged flag
 * per slot. A slot's descendants are the run of slots after it for which
 * is_mdb_parent_of holds.
 */
#include <string.h>
#include "model.h"

static word_t cap_badge(const cap_t *c)
{
    return c->type == cap_endpoint ? c->ep.badge : c->ntfn.badge;
}

bool is_mdb_parent_of(const cte_t *a, const cte_t *b)
{
    if (!a->revocable || !same_region_as(&a->cap, &b->cap)) {
        return false;
    }
    switch (a->cap.type) {
    case cap_endpoint:
    case cap_notification: {
        word_t badge = cap_badge(&a->cap);
        if (badge == 0) {
            return true;
        }
        return badge == cap_badge(&b->cap) && !b->first_badged;
    }
    default:
        return true;
    }
}

bool ensure_no_children(const cte_t *slot)
{
    if (slot->mdb_next && is_mdb_parent_of(slot, slot->mdb_next)) {
        return fail(seL4_RevokeFirst);
    }
    return true;
}

bool ensure_empty_slot(const cte_t *slot)
{
    if (slot->cap.type != cap_null) {
        return fail(seL4_DeleteFirst);
    }
    return true;
}

bool is_final_capability(const cte_t *slot)
{
    if (slot->mdb_prev && same_object_as(&slot->mdb_prev->cap, &slot->cap)) {
        return false;
    }
    return !slot->mdb_next || !same_object_as(&slot->cap, &slot->mdb_next->cap);
}

/* A derived untyped that covers all of its parent marks the parent full, so
 * the parent cannot retype over memory the child hands out. */
static void set_untyped_cap_as_full(const cap_t *src, const cap_t *new_cap, cte_t *src_slot)
{
    if (src->type == cap_untyped && new_cap->type == cap_untyped && src->paddr == new_cap->paddr &&
        src->ut.size_bits == new_cap->ut.size_bits) {
        src_slot->cap.ut.free_offset = BIT(src->ut.size_bits);
    }
}

void cte_insert(cap_t c, cte_t *src, cte_t *dest)
{
    bool revocable = cap_is_revocable(&c, &src->cap);
    set_untyped_cap_as_full(&src->cap, &c, src);
    dest->cap = c;
    dest->mdb_prev = src;
    dest->mdb_next = src->mdb_next;
    dest->revocable = revocable;
    dest->first_badged = revocable;
    if (src->mdb_next) {
        src->mdb_next->mdb_prev = dest;
    }
    src->mdb_next = dest;
}

/* Inserts a freshly created object's cap as a child of the untyped in parent. */
void cte_insert_new(cte_t *parent, cte_t *slot, cap_t c)
{
    slot->cap = c;
    slot->mdb_prev = parent;
    slot->mdb_next = parent->mdb_next;
    slot->revocable = true;
    slot->first_badged = true;
    if (parent->mdb_next) {
        parent->mdb_next->mdb_prev = slot;
    }
    parent->mdb_next = slot;
}

/* Places a boot-time cap that has no parent. */
void cte_set_root(cte_t *slot, cap_t c)
{
    memset(slot, 0, sizeof(*slot));
    slot->cap = c;
    slot->revocable = true;
    slot->first_badged = true;
}

void cte_move(cap_t c, cte_t *src, cte_t *dest)
{
    dest->cap = c;
    dest->mdb_prev = src->mdb_prev;
    dest->mdb_next = src->mdb_next;
    dest->revocable = src->revocable;
    dest->first_badged = src->first_badged;
    if (dest->mdb_prev) {
        dest->mdb_prev->mdb_next = dest;
    }
    if (dest->mdb_next) {
        dest->mdb_next->mdb_prev = dest;
    }
    memset(src, 0, sizeof(*src));
}

static void relink(cte_t *slot)
{
    if (slot->mdb_prev) {
        slot->mdb_prev->mdb_next = slot;
    }
    if (slot->mdb_next) {
        slot->mdb_next->mdb_prev = slot;
    }
}

void cte_swap(cap_t c1, cte_t *s1, cap_t c2, cte_t *s2)
{
    cte_t t1 = *s1, t2 = *s2;
    /* Neighbours that point at the other slot must keep doing so. */
    if (t1.mdb_next == s2) {
        t1.mdb_next = s1;
        t2.mdb_prev = s2;
    } else if (t2.mdb_next == s1) {
        t2.mdb_next = s2;
        t1.mdb_prev = s1;
    }
    *s1 = t2;
    *s2 = t1;
    s1->cap = c2;
    s2->cap = c1;
    relink(s1);
    relink(s2);
}

/* Unlinks the slot from the MDB and empties it, as the kernel's emptySlot. */
static cap_t empty_slot(cte_t *slot)
{
    cap_t old = slot->cap;
    cte_t *prev = slot->mdb_prev, *next = slot->mdb_next;
    if (prev) {
        prev->mdb_next = next;
    }
    if (next) {
        next->mdb_prev = prev;
        next->first_badged = next->first_badged || slot->first_badged;
    }
    memset(slot, 0, sizeof(*slot));
    return old;
}

/* Deletes the cap in slot; if it was the last cap to its object, the object
 * is finalised (its contained slots deleted, its waiters released, its host
 * storage freed). The slot is empty before the object goes, so a CNode that
 * holds a cap to itself is handled. */
void cte_delete(cte_t *slot)
{
    if (slot->cap.type == cap_null) {
        return;
    }
    bool final = is_final_capability(slot);
    cap_t old = empty_slot(slot);
    finalise_cap(&old, final);
}

void cte_revoke(cte_t *slot)
{
    while (slot->mdb_next && is_mdb_parent_of(slot, slot->mdb_next)) {
        cte_delete(slot->mdb_next);
    }
}
