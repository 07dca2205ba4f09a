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
    vspace_init(&b->vspace, seL4_CapInitThreadVSpace, &b->mem, &b->own);
    err = vspace_reserve(&b->vspace, BROKER_VSPACE_BASE, BROKER_VSPACE_SIZE);
    return err == KAAL_OK ? heap_init(&b->heap, &b->vspace, &b->mem, &b->own, BROKER_HEAP_BASE, BROKER_HEAP_SIZE)
                          : err;
}

seL4_Word broker_own_bytes(const broker_t *b)
{
    return b->own.used;
}

seL4_Word broker_own_slots(const broker_t *b)
{
    return b->vspace.ntables + b->heap.frames;
}

seL4_Word broker_given_bytes(const broker_t *b)
{
    return b->mem.used_bytes - b->own.used;
}
