#include <kaal/arch.h>
#include <kaal/broker.h>

/* Slots ran short: the split caps of free buddies give theirs back as they merge. */
static void reclaim_slots(void *ctx)
{
    broker_t *b = ctx;
    untyped_coalesce(&b->mem);
    untyped_coalesce(&b->devmem);
}

kaal_err_t broker_init(broker_t *b, const seL4_BootInfo *bi, bootinfo_problem_t *why)
{
    kaal_err_t err = bootinfo_validate(bi, why);
    if (err != KAAL_OK) {
        return err;
    }
    b->bi = bi;
    /* A kernel built with a large root CNode has more empty slots than the
     * allocator's table: the broker manages the first CSPACE_MAX_SLOTS. */
    seL4_CPtr end = bi->empty.end;
    if (end - bi->empty.start > CSPACE_MAX_SLOTS) {
        end = bi->empty.start + CSPACE_MAX_SLOTS;
    }
    err = cspace_init(&b->slots, seL4_CapInitThreadCNode, seL4_WordBits, bi->empty.start, end);
    if (err != KAAL_OK) {
        return err;
    }
    cspace_set_reclaim(&b->slots, reclaim_slots, b);
    untyped_init(&b->mem, &b->slots);
    untyped_init(&b->devmem, &b->slots);
    untyped_set_allocator(&b->mem, heap_allocator(&b->heap)); /* their bookkeeping grows into the heap */
    untyped_set_allocator(&b->devmem, heap_allocator(&b->heap));
    err = untyped_add_bootinfo(&b->mem, bi);
    if (err == KAAL_OK) {
        err = untyped_add_bootinfo_devices(&b->devmem, bi);
    }
    if (err != KAAL_OK) {
        return err;
    }
    b->own = (untyped_quota_t){.limit = ~(seL4_Word)0, .used = 0};
    b->window_ready = 0;
    b->top = b->top_raw = 0;
    b->leaves = 0;
    b->asid_pools = 0;
    b->nasid_pools = b->asid_pools_room = 0;
    vspace_init(&b->vspace, seL4_CapInitThreadVSpace, &b->mem, &b->own);
    vspace_set_allocator(&b->vspace, heap_allocator(&b->heap));
    err = vspace_reserve(&b->vspace, BROKER_VSPACE_BASE, BROKER_VSPACE_SIZE);
    return err == KAAL_OK ? heap_init(&b->heap, &b->vspace, &b->mem, &b->own, BROKER_HEAP_BASE, BROKER_HEAP_SIZE)
                          : err;
}

seL4_Word broker_own_bytes(const broker_t *b)
{
    return b->own.used;
}

/* Its paging structures, its heap's frames, its top CNode (two caps), its ASID pools (each and
 * its untyped), and the caps of the halves of every split untyped (the allocators' bookkeeping:
 * two for each split not merged again). */
seL4_Word broker_own_slots(const broker_t *b)
{
    seL4_Word splits = (b->mem.splits - b->mem.merges) + (b->devmem.splits - b->devmem.merges);
    return b->vspace.ntables + b->heap.frames + (b->top != 0) * 2 + 2 * b->nasid_pools + 2 * splits;
}

/* One more ASID pool, of a 4 KiB untyped of the broker's own. */
static kaal_err_t new_asid_pool(broker_t *b, seL4_Word *invocations)
{
    kaal_allocator_t heap = heap_allocator(&b->heap);
    kaal_obj_t ut;
    seL4_CPtr pool;
    if (!kaal_room(&heap, (void **)&b->asid_pools, &b->asid_pools_room, b->nasid_pools + 1, sizeof(seL4_CPtr))) {
        return KAAL_E_NO_METADATA;
    }
    kaal_err_t err = untyped_alloc_charged(&b->mem, &b->own, seL4_UntypedObject, seL4_ASIDPoolBits, &ut);
    if (err == KAAL_OK && (err = cspace_slot_alloc(&b->slots, &pool)) != KAAL_OK) {
        untyped_free_charged(&b->mem, &b->own, &ut);
    }
    if (err != KAAL_OK) {
        return err;
    }
    (*invocations)++;
    if (arch_make_asid_pool(ut.cap, b->slots.root, pool, b->slots.depth) != seL4_NoError) {
        cspace_slot_free(&b->slots, pool);
        untyped_free_charged(&b->mem, &b->own, &ut);
        return KAAL_E_NO_METADATA; /* the kernel's table of pools is full */
    }
    b->asid_pools[b->nasid_pools++] = pool;
    return KAAL_OK;
}

kaal_err_t broker_assign_asid(broker_t *b, seL4_CPtr vspace, seL4_Word *invocations)
{
    /* Newest pool first; a full one answers seL4_DeleteFirst, and an older one may have room
     * again (ASIDs come back as address spaces are deleted): a new pool once all are full. */
    for (;;) {
        for (unsigned i = b->nasid_pools + 1; i-- > 0;) {
            seL4_CPtr pool = i ? b->asid_pools[i - 1] : seL4_CapInitThreadASIDPool;
            (*invocations)++;
            seL4_Error e = arch_assign_asid(pool, vspace);
            if (e != seL4_DeleteFirst) {
                return e == seL4_NoError ? KAAL_OK : KAAL_E_KERNEL;
            }
        }
        kaal_err_t err = new_asid_pool(b, invocations);
        if (err != KAAL_OK) {
            return err;
        }
    }
}

seL4_Word broker_given_slots(const broker_t *b)
{
    return b->slots.count - cspace_free_count(&b->slots) - broker_own_slots(b);
}

/* Slots ran low: the root CNode's empty slots the tables could not hold at first, else one more leaf. */
static void add_leaf(void *ctx)
{
    broker_t *b = ctx;
    seL4_Word leaf = 1ul << b->bi->initThreadCNodeSizeBits, end = b->slots.first + b->slots.count;
    if (end < b->bi->empty.end) {
        cspace_add(&b->slots, end, b->bi->empty.end - end);
        return;
    }
    kaal_obj_t cnode;
    if (b->leaves == (1ul << BROKER_TOP_BITS) ||
        untyped_alloc_to(&b->mem, &b->own, seL4_CapTableObject, b->bi->initThreadCNodeSizeBits, b->top, 0, 0,
                         b->leaves, &cnode) != KAAL_OK) {
        return;
    }
    if (cspace_add(&b->slots, b->leaves * leaf, leaf) == KAAL_OK) {
        b->leaves++;
    }
}

kaal_err_t broker_start(broker_t *b)
{
    unsigned radix = (unsigned)b->bi->initThreadCNodeSizeBits;
    if (b->top || radix + BROKER_TOP_BITS > seL4_WordBits || b->bi->empty.end != (1ul << radix)) {
        return b->top ? KAAL_OK : KAAL_E_INVAL; /* the leaves follow the root CNode's last empty slot */
    }
    kaal_obj_t top;
    seL4_CPtr guarded;
    kaal_err_t err = untyped_alloc_charged(&b->mem, &b->own, seL4_CapTableObject, BROKER_TOP_BITS, &top);
    if (err == KAAL_OK && (err = cspace_slot_alloc(&b->slots, &guarded)) != KAAL_OK) {
        untyped_free_charged(&b->mem, &b->own, &top);
    }
    if (err != KAAL_OK) {
        return err;
    }
    /* Guard bits above the top's radix and a leaf's; the root CNode its leaf 0, with no guard. */
    seL4_Word guard = seL4_CNode_CapData_new(0, seL4_WordBits - BROKER_TOP_BITS - radix).words[0];
    if (seL4_CNode_Mint(seL4_CapInitThreadCNode, guarded, seL4_WordBits, seL4_CapInitThreadCNode, top.cap,
                        seL4_WordBits, seL4_AllRights, guard) != seL4_NoError ||
        seL4_CNode_Mint(top.cap, 0, BROKER_TOP_BITS, seL4_CapInitThreadCNode, seL4_CapInitThreadCNode,
                        seL4_WordBits, seL4_AllRights, seL4_CNode_CapData_new(0, 0).words[0]) != seL4_NoError ||
        seL4_TCB_SetSpace(seL4_CapInitThreadTCB, seL4_CapNull, guarded, 0, seL4_CapInitThreadVSpace, 0) !=
            seL4_NoError) {
        seL4_CNode_Delete(seL4_CapInitThreadCNode, guarded, seL4_WordBits);
        cspace_slot_free(&b->slots, guarded);
        untyped_free_charged(&b->mem, &b->own, &top);
        return KAAL_E_KERNEL;
    }
    b->top = guarded;
    b->top_raw = top.cap;
    b->leaves = 1;
    b->slots.root = guarded;
    b->slots.leaf_bits = radix;
    cspace_set_grow(&b->slots, add_leaf, b, heap_allocator(&b->heap));
    return KAAL_OK;
}

seL4_Word broker_given_bytes(const broker_t *b)
{
    return b->mem.used_bytes - b->own.used;
}
