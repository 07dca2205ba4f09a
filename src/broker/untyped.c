/* The untyped allocator: a buddy allocator over untyped caps. */
#include <kaal/arch.h>
#include <kaal/rt.h>
#include <kaal/untyped.h>

_Static_assert((1u << UNTYPED_RUN_MAX_BITS) <= seL4_UntypedRetypeMaxObjects, "a run is one retype");

/* TAKEN: off its free list while an allocation splits or retypes it, so a
 * merge (which a slot shortage may start mid-allocation) leaves it alone. */
enum { BLOCK_SPARE, BLOCK_FREE, BLOCK_TAKEN, BLOCK_SPLIT, BLOCK_USED };

static void list_push(int32_t *head, ut_block_t *blocks, int32_t i)
{
    blocks[i].prev = -1;
    blocks[i].next = *head;
    if (*head >= 0) {
        blocks[*head].prev = i;
    }
    *head = i;
}

static void list_remove(int32_t *head, ut_block_t *blocks, int32_t i)
{
    if (blocks[i].prev >= 0) {
        blocks[blocks[i].prev].next = blocks[i].next;
    } else {
        *head = blocks[i].next;
    }
    if (blocks[i].next >= 0) {
        blocks[blocks[i].next].prev = blocks[i].prev;
    }
}

static void make_free(untyped_alloc_t *ua, int32_t i)
{
    ua->blocks[i].state = BLOCK_FREE;
    list_push(&ua->free_head[ua->blocks[i].bits], ua->blocks, i);
}

static void take_free(untyped_alloc_t *ua, int32_t i)
{
    list_remove(&ua->free_head[ua->blocks[i].bits], ua->blocks, i);
    ua->blocks[i].state = BLOCK_TAKEN;
}

static int32_t node_new(untyped_alloc_t *ua)
{
    int32_t i = ua->spare;
    if (i >= 0) {
        list_remove(&ua->spare, ua->blocks, i);
        ua->nspare--;
    }
    return i;
}

static void node_release(untyped_alloc_t *ua, int32_t i)
{
    ua->blocks[i].state = BLOCK_SPARE;
    list_push(&ua->spare, ua->blocks, i);
    ua->nspare++;
}

/* Nodes in [from, to) become spares, the lowest used first. */
static void add_spares(untyped_alloc_t *ua, uint32_t from, uint32_t to)
{
    for (uint32_t i = to; i-- > from;) {
        node_release(ua, (int32_t)i);
    }
}

void untyped_init(untyped_alloc_t *ua, cspace_t *cs)
{
    ua->cs = cs;
    ua->total_bytes = ua->free_bytes = ua->used_bytes = 0;
    ua->splits = ua->merges = ua->invocations = 0;
    for (unsigned k = 0; k < UNTYPED_LEVELS; k++) {
        ua->free_head[k] = -1;
    }
    ua->spare = -1;
    ua->nspare = 0;
    ua->blocks = ua->inline_blocks;
    ua->capacity = UNTYPED_INLINE_BLOCKS;
    ua->grow = (kaal_allocator_t){0};
    ua->growing = 0;
    add_spares(ua, 0, UNTYPED_INLINE_BLOCKS);
}

void untyped_set_allocator(untyped_alloc_t *ua, kaal_allocator_t grow)
{
    ua->grow = grow;
}

/* Enough spare nodes for the splits of one allocation, and of the allocation that
 * growing the table may make itself (the allocator's memory may come from here). */
#define SPARE_RESERVE (4u * UNTYPED_LEVELS)

/* Before an allocation: a table twice as large if spares run low. Indices stay valid. */
static void reserve_nodes(untyped_alloc_t *ua)
{
    if (ua->nspare >= SPARE_RESERVE || !ua->grow.alloc || ua->growing || ua->capacity >= (1u << 30)) {
        return;
    }
    ua->growing = 1;
    uint32_t old = ua->capacity, cap = 2 * old;
    ut_block_t *bigger = ua->grow.alloc(ua->grow.ctx, (seL4_Word)cap * sizeof(ut_block_t));
    if (bigger) {
        rt_memcpy(bigger, ua->blocks, (seL4_Word)old * sizeof(ut_block_t));
        if (ua->blocks != ua->inline_blocks) {
            ua->grow.free(ua->grow.ctx, ua->blocks, (seL4_Word)old * sizeof(ut_block_t));
        }
        ua->blocks = bigger;
        ua->capacity = cap;
        add_spares(ua, old, cap);
    }
    ua->growing = 0;
}

kaal_err_t untyped_add(untyped_alloc_t *ua, seL4_CPtr cap, seL4_Word paddr, uint8_t bits)
{
    if (bits < seL4_MinUntypedBits || bits > seL4_MaxUntypedBits) {
        return KAAL_E_INVAL;
    }
    int32_t i = node_new(ua);
    if (i < 0) {
        return KAAL_E_NO_METADATA;
    }
    ua->blocks[i] = (ut_block_t){.cap = cap, .paddr = paddr, .bits = bits, .parent = -1, .sibling = -1};
    make_free(ua, i);
    ua->total_bytes += 1ul << bits;
    ua->free_bytes += 1ul << bits;
    return KAAL_OK;
}

static kaal_err_t add_bootinfo_untypeds(untyped_alloc_t *ua, const seL4_BootInfo *bi, seL4_Uint8 device)
{
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (d->isDevice != device) {
            continue;
        }
        kaal_err_t err = untyped_add(ua, bi->untyped.start + i, d->paddr, d->sizeBits);
        if (err != KAAL_OK) {
            return err;
        }
    }
    return KAAL_OK;
}

kaal_err_t untyped_add_bootinfo(untyped_alloc_t *ua, const seL4_BootInfo *bi)
{
    return add_bootinfo_untypeds(ua, bi, 0);
}

kaal_err_t untyped_add_bootinfo_devices(untyped_alloc_t *ua, const seL4_BootInfo *bi)
{
    return add_bootinfo_untypeds(ua, bi, 1);
}

/* The kernel's own object types; past seL4_NonArchObjectTypeCount they are the architecture's. */
seL4_Word untyped_object_bits(seL4_Word type, seL4_Word user_bits)
{
    static const seL4_Word fixed[seL4_NonArchObjectTypeCount] = {
        [seL4_TCBObject] = seL4_TCBBits,
        [seL4_EndpointObject] = seL4_EndpointBits,
        [seL4_NotificationObject] = seL4_NotificationBits,
    };
    if (type == seL4_UntypedObject) {
        return user_bits;
    }
    if (type == seL4_CapTableObject) {
        return seL4_SlotBits + user_bits;
    }
    return type < seL4_NonArchObjectTypeCount ? fixed[type] : arch_object_bits(type);
}

/* n objects into the slots from `slot` on (one leaf: cspace_range_alloc keeps runs in one). */
static seL4_Error retype(untyped_alloc_t *ua, seL4_CPtr untyped, seL4_Word type, seL4_Word user_bits, seL4_CPtr slot,
                         seL4_Word n)
{
    seL4_Word index, depth, offset;
    cspace_dest(ua->cs, slot, &index, &depth, &offset);
    return seL4_Untyped_Retype(untyped, type, user_bits, ua->cs->root, index, depth, offset, n);
}

/* Counts a kernel invocation the allocator made, passing its result on. */
static seL4_Error counted(untyped_alloc_t *ua, seL4_Error result)
{
    ua->invocations++;
    return result;
}

static int32_t smallest_free_at_least(const untyped_alloc_t *ua, unsigned bits)
{
    for (unsigned k = bits; k < UNTYPED_LEVELS; k++) {
        if (ua->free_head[k] >= 0) {
            return ua->free_head[k];
        }
    }
    return -1;
}

/* Splits free block b (already off its free list) into two halves; the right
 * half goes on the free list and the left half is returned in *left. */
static kaal_err_t split(untyped_alloc_t *ua, int32_t b, int32_t *left)
{
    int32_t l = node_new(ua);
    int32_t r = node_new(ua);
    if (l < 0 || r < 0) {
        if (l >= 0) {
            node_release(ua, l);
        }
        return KAAL_E_NO_METADATA;
    }
    seL4_CPtr first;
    kaal_err_t err = cspace_range_alloc(ua->cs, 2, &first);
    if (err == KAAL_OK && counted(ua, retype(ua, ua->blocks[b].cap, seL4_UntypedObject, ua->blocks[b].bits - 1u,
                                                          first, 2)) !=
                              seL4_NoError) {
        cspace_range_free(ua->cs, first, 2);
        err = KAAL_E_KERNEL;
    }
    if (err != KAAL_OK) {
        node_release(ua, l);
        node_release(ua, r);
        return err;
    }
    ut_block_t *p = &ua->blocks[b];
    uint8_t bits = (uint8_t)(p->bits - 1u);
    ua->blocks[l] = (ut_block_t){.cap = first, .paddr = p->paddr, .bits = bits, .parent = b, .sibling = r};
    ua->blocks[r] = (ut_block_t){
        .cap = first + 1, .paddr = p->paddr + (1ul << bits), .bits = bits, .parent = b, .sibling = l};
    p->state = BLOCK_SPLIT;
    make_free(ua, r);
    ua->splits++;
    *left = l;
    return KAAL_OK;
}

/* Merges free buddies back into their parents, smallest first so merges cascade. */
void untyped_coalesce(untyped_alloc_t *ua)
{
    for (unsigned k = seL4_MinUntypedBits; k < UNTYPED_LEVELS; k++) {
        int32_t i = ua->free_head[k];
        while (i >= 0) {
            int32_t next = ua->blocks[i].next;
            int32_t s = ua->blocks[i].sibling;
            int32_t p = ua->blocks[i].parent;
            if (p < 0 || ua->blocks[s].state != BLOCK_FREE ||
                counted(ua, seL4_CNode_Revoke(ua->cs->root, ua->blocks[p].cap, ua->cs->depth)) != seL4_NoError) {
                i = next;
                continue;
            }
            if (next == s) {
                next = ua->blocks[s].next;
            }
            take_free(ua, i);
            take_free(ua, s);
            cspace_slot_free(ua->cs, ua->blocks[i].cap);
            cspace_slot_free(ua->cs, ua->blocks[s].cap);
            node_release(ua, i);
            node_release(ua, s);
            make_free(ua, p);
            ua->merges++;
            i = next;
        }
    }
}

#define ANYWHERE (~(seL4_Word)0)

/* The free block of at least 2^bits bytes that contains paddr, or -1. */
static int32_t free_block_containing(const untyped_alloc_t *ua, unsigned bits, seL4_Word paddr)
{
    for (unsigned k = bits; k < UNTYPED_LEVELS; k++) {
        for (int32_t i = ua->free_head[k]; i >= 0; i = ua->blocks[i].next) {
            if (paddr >= ua->blocks[i].paddr && paddr - ua->blocks[i].paddr < (1ul << k)) {
                return i;
            }
        }
    }
    return -1;
}

static int32_t pick_free(const untyped_alloc_t *ua, unsigned bits, seL4_Word want)
{
    return want == ANYWHERE ? smallest_free_at_least(ua, bits) : free_block_containing(ua, bits, want);
}

/* A free block of exactly 2^bits bytes (at paddr `want`, unless ANYWHERE), off the
 * free lists: the smallest that fits is split down, keeping the half wanted. */
static kaal_err_t find_block(untyped_alloc_t *ua, unsigned bits, seL4_Word want, int32_t *out)
{
    int32_t b = pick_free(ua, bits, want);
    if (b < 0) {
        untyped_coalesce(ua);
        b = pick_free(ua, bits, want);
        if (b < 0) {
            return KAAL_E_NO_MEMORY;
        }
    }
    take_free(ua, b);
    while (ua->blocks[b].bits > bits) {
        int32_t left;
        kaal_err_t err = split(ua, b, &left);
        if (err != KAAL_OK) {
            make_free(ua, b);
            return err;
        }
        int32_t right = ua->blocks[left].sibling;
        if (want != ANYWHERE && want >= ua->blocks[right].paddr) {
            take_free(ua, right);
            make_free(ua, left);
            b = right;
        } else {
            b = left;
        }
    }
    *out = b;
    return KAAL_OK;
}

/* Block b, just retyped into 2^run_bits objects (the first in slot `cap`): used, its bytes
 * counted and charged to q; what describes its first object. */
static kaal_obj_t take(untyped_alloc_t *ua, untyped_quota_t *q, int32_t b, unsigned run_bits, seL4_CPtr cap,
                       seL4_Word type)
{
    ut_block_t *blk = &ua->blocks[b];
    blk->state = BLOCK_USED;
    blk->run_bits = (uint8_t)run_bits;
    ua->free_bytes -= 1ul << blk->bits;
    ua->used_bytes += 1ul << blk->bits;
    if (q) {
        q->used += 1ul << blk->bits;
    }
    return (kaal_obj_t){.cap = cap, .paddr = blk->paddr, .type = type, .size_bits = (uint8_t)(blk->bits - run_bits),
                        .run_bits = (uint8_t)run_bits, .run_index = 0, .block = b};
}

static kaal_err_t alloc_object(untyped_alloc_t *ua, untyped_quota_t *q, seL4_Word type, seL4_Word user_bits,
                               seL4_Word want, kaal_obj_t *out)
{
    reserve_nodes(ua);
    seL4_Word bits = untyped_object_bits(type, user_bits);
    if (type >= seL4_ObjectTypeCount || bits == 0 || bits > seL4_MaxUntypedBits ||
        (type == seL4_CapTableObject && user_bits == 0)) {
        return KAAL_E_INVAL;
    }
    if (bits < seL4_MinUntypedBits) {
        bits = seL4_MinUntypedBits;
    }
    if (want != ANYWHERE && (want & ((1ul << bits) - 1)) != 0) {
        return KAAL_E_INVAL;
    }
    if (q && (1ul << bits) > q->limit - q->used) {
        return KAAL_E_QUOTA;
    }
    seL4_CPtr slot;
    kaal_err_t err = cspace_slot_alloc(ua->cs, &slot);
    if (err != KAAL_OK) {
        return err;
    }
    int32_t b;
    err = find_block(ua, (unsigned)bits, want, &b);
    if (err == KAAL_OK &&
        counted(ua, retype(ua, ua->blocks[b].cap, type, user_bits, slot, 1)) !=
            seL4_NoError) {
        make_free(ua, b);
        err = KAAL_E_KERNEL;
    }
    if (err != KAAL_OK) {
        cspace_slot_free(ua->cs, slot);
        return err;
    }
    *out = take(ua, q, b, 0, slot, type);
    return KAAL_OK;
}

kaal_err_t untyped_alloc_to(untyped_alloc_t *ua, untyped_quota_t *q, seL4_Word type, seL4_Word user_bits,
                            seL4_CPtr root, seL4_Word node_index, seL4_Word node_depth, seL4_Word offset,
                            kaal_obj_t *out)
{
    reserve_nodes(ua);
    seL4_Word bits = untyped_object_bits(type, user_bits);
    if (type >= seL4_ObjectTypeCount || bits == 0 || bits > seL4_MaxUntypedBits) {
        return KAAL_E_INVAL;
    }
    bits = bits < seL4_MinUntypedBits ? seL4_MinUntypedBits : bits;
    if (q && (1ul << bits) > q->limit - q->used) {
        return KAAL_E_QUOTA;
    }
    int32_t b;
    kaal_err_t err = find_block(ua, (unsigned)bits, ANYWHERE, &b);
    if (err != KAAL_OK) {
        return err;
    }
    if (counted(ua, seL4_Untyped_Retype(ua->blocks[b].cap, type, user_bits, root, node_index, node_depth, offset,
                                        1)) != seL4_NoError) {
        make_free(ua, b);
        return KAAL_E_KERNEL;
    }
    *out = take(ua, q, b, 0, 0, type);
    return KAAL_OK;
}

kaal_err_t untyped_alloc(untyped_alloc_t *ua, seL4_Word type, seL4_Word user_bits, kaal_obj_t *out)
{
    return alloc_object(ua, 0, type, user_bits, ANYWHERE, out);
}

kaal_err_t untyped_alloc_charged(untyped_alloc_t *ua, untyped_quota_t *q, seL4_Word type, seL4_Word user_bits,
                                 kaal_obj_t *out)
{
    return alloc_object(ua, q, type, user_bits, ANYWHERE, out);
}

kaal_err_t untyped_alloc_at(untyped_alloc_t *ua, seL4_Word type, seL4_Word user_bits, seL4_Word paddr,
                            kaal_obj_t *out)
{
    return alloc_object(ua, 0, type, user_bits, paddr, out);
}

kaal_err_t untyped_free(untyped_alloc_t *ua, const kaal_obj_t *obj)
{
    if (!obj || obj->block < 0 || obj->block >= (int32_t)ua->capacity || obj->run_bits) {
        return KAAL_E_INVAL;
    }
    ut_block_t *b = &ua->blocks[obj->block];
    if (b->state != BLOCK_USED || b->paddr != obj->paddr || b->bits != obj->size_bits || b->run_bits) {
        return KAAL_E_NOT_ALLOCATED;
    }
    /* Revoking the block removes the object's cap and any copy made of it. */
    if (counted(ua, seL4_CNode_Revoke(ua->cs->root, b->cap, ua->cs->depth)) != seL4_NoError) {
        return KAAL_E_KERNEL;
    }
    kaal_err_t err = cspace_slot_free(ua->cs, obj->cap);
    if (err != KAAL_OK) {
        return err;
    }
    make_free(ua, obj->block);
    ua->free_bytes += 1ul << b->bits;
    ua->used_bytes -= 1ul << b->bits;
    return KAAL_OK;
}

kaal_err_t untyped_free_charged(untyped_alloc_t *ua, untyped_quota_t *q, const kaal_obj_t *obj)
{
    kaal_err_t err = untyped_free(ua, obj);
    if (err == KAAL_OK && q) {
        q->used -= 1ul << obj->size_bits;
    }
    return err;
}

/* One run: 2^k objects of 2^bits bytes from one block, into 2^k consecutive slots; *first describes the first. */
static kaal_err_t alloc_run(untyped_alloc_t *ua, untyped_quota_t *q, seL4_Word type, unsigned bits, unsigned k,
                            kaal_obj_t *first_obj)
{
    reserve_nodes(ua);
    unsigned block_bits = bits + k;
    if (block_bits > seL4_MaxUntypedBits || (q && (1ul << block_bits) > q->limit - q->used)) {
        return block_bits > seL4_MaxUntypedBits ? KAAL_E_INVAL : KAAL_E_QUOTA;
    }
    seL4_CPtr first;
    kaal_err_t err = cspace_range_alloc(ua->cs, 1ul << k, &first);
    if (err != KAAL_OK) {
        return err;
    }
    int32_t b;
    err = find_block(ua, block_bits, ANYWHERE, &b);
    /* As many retypes as the kernel's fan-out limit asks, from the one block. */
    for (seL4_Word done = 0; err == KAAL_OK && done < (1ul << k); done += seL4_UntypedRetypeMaxObjects) {
        seL4_Word n = (1ul << k) - done < seL4_UntypedRetypeMaxObjects ? (1ul << k) - done : seL4_UntypedRetypeMaxObjects;
        if (counted(ua, retype(ua, ua->blocks[b].cap, type, 0, first + done, n)) !=
            seL4_NoError) {
            counted(ua, seL4_CNode_Revoke(ua->cs->root, ua->blocks[b].cap, ua->cs->depth)); /* what it made goes */
            make_free(ua, b);
            err = KAAL_E_KERNEL;
        }
    }
    if (err != KAAL_OK) {
        cspace_range_free(ua->cs, first, 1ul << k);
        return err;
    }
    *first_obj = take(ua, q, b, k, first, type);
    return KAAL_OK;
}

kaal_err_t untyped_alloc_run(untyped_alloc_t *ua, untyped_quota_t *q, seL4_Word type, unsigned run_bits,
                             kaal_obj_t *first)
{
    seL4_Word bits = untyped_object_bits(type, 0);
    if (run_bits >= 16 || bits < seL4_MinUntypedBits || bits > seL4_MaxUntypedBits || type == seL4_UntypedObject ||
        type == seL4_CapTableObject) {
        return KAAL_E_INVAL;
    }
    return alloc_run(ua, q, type, (unsigned)bits, run_bits, first);
}

/* Frees the run that starts at obj (run_index 0): its block is revoked, which deletes every object's cap. */
kaal_err_t untyped_free_run(untyped_alloc_t *ua, untyped_quota_t *q, const kaal_obj_t *obj)
{
    if (!obj || obj->block < 0 || obj->block >= (int32_t)ua->capacity) {
        return KAAL_E_INVAL;
    }
    ut_block_t *b = &ua->blocks[obj->block];
    seL4_Word n = 1ul << obj->run_bits, bytes = 1ul << (obj->size_bits + obj->run_bits);
    if (b->state != BLOCK_USED || b->run_bits != obj->run_bits || b->paddr != obj->paddr || obj->run_index) {
        return KAAL_E_NOT_ALLOCATED;
    }
    if (counted(ua, seL4_CNode_Revoke(ua->cs->root, b->cap, ua->cs->depth)) != seL4_NoError) {
        return KAAL_E_KERNEL;
    }
    cspace_range_free(ua->cs, obj->cap, n);
    b->run_bits = 0;
    make_free(ua, obj->block);
    ua->free_bytes += bytes;
    ua->used_bytes -= bytes;
    if (q) {
        q->used -= bytes;
    }
    return KAAL_OK;
}

void untyped_free_objects(untyped_alloc_t *ua, untyped_quota_t *q, kaal_obj_t *objs, seL4_Word n)
{
    for (seL4_Word i = 0; i < n; i++) {
        kaal_obj_t *o = &objs[i];
        if (!o->cap) {
            continue;
        }
        if (o->run_bits == 0) {
            untyped_free_charged(ua, q, o);
            o->cap = 0;
        } else if (o->run_index == 0 && i + (1ul << o->run_bits) <= n && untyped_free_run(ua, q, o) == KAAL_OK) {
            for (seL4_Word j = (1ul << o->run_bits); j-- > 0;) {
                objs[i + j].cap = 0;
            }
        }
    }
}

kaal_err_t untyped_alloc_objects(untyped_alloc_t *ua, untyped_quota_t *q, seL4_Word type, seL4_Word n,
                                 kaal_obj_t *objs)
{
    seL4_Word bits = untyped_object_bits(type, 0);
    if (n == 0 || bits < seL4_MinUntypedBits || bits > seL4_MaxUntypedBits || type == seL4_UntypedObject ||
        type == seL4_CapTableObject) {
        return KAAL_E_INVAL;
    }
    seL4_Word done = 0;
    while (done < n) { /* the largest parts first: runs of one retype's fan-out, then n's lower bits */
        seL4_Word left = n - done;
        unsigned k = left >> UNTYPED_RUN_MAX_BITS ? UNTYPED_RUN_MAX_BITS : 63u - (unsigned)__builtin_clzl(left);
        kaal_err_t err = alloc_run(ua, q, type, (unsigned)bits, k, objs + done);
        if (err != KAAL_OK) {
            untyped_free_objects(ua, q, objs, done);
            return err;
        }
        for (seL4_Word i = 1; i < (1ul << k); i++) {
            kaal_obj_t *o = &objs[done + i];
            *o = objs[done];
            o->cap += i;
            o->paddr += i << bits;
            o->run_index = (uint16_t)i;
        }
        done += 1ul << k;
    }
    return KAAL_OK;
}

unsigned untyped_largest_free(const untyped_alloc_t *ua)
{
    for (unsigned k = UNTYPED_LEVELS; k-- > seL4_MinUntypedBits;) {
        if (ua->free_head[k] >= 0) {
            return k;
        }
    }
    return 0;
}
