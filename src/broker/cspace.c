/* The slot allocator: free list for single slots, bitmap for runs. */
#include <kaal/cspace.h>
#include <kaal/rt.h>

static int is_free(const cspace_t *cs, uint32_t i)
{
    return (cs->free_bits[i / 64] >> (i % 64)) & 1;
}

static void list_push(cspace_t *cs, uint32_t i)
{
    cs->prev[i] = -1;
    cs->next[i] = cs->head;
    if (cs->head >= 0) {
        cs->prev[cs->head] = (int32_t)i;
    }
    cs->head = (int32_t)i;
    cs->free_bits[i / 64] |= 1ull << (i % 64);
    if (i / 64 < cs->first_free_word) {
        cs->first_free_word = i / 64;
    }
    cs->nfree++;
}

static void list_remove(cspace_t *cs, uint32_t i)
{
    if (cs->prev[i] >= 0) {
        cs->next[cs->prev[i]] = cs->next[i];
    } else {
        cs->head = cs->next[i];
    }
    if (cs->next[i] >= 0) {
        cs->prev[cs->next[i]] = cs->prev[i];
    }
    cs->free_bits[i / 64] &= ~(1ull << (i % 64));
    cs->nfree--;
}

kaal_err_t cspace_init(cspace_t *cs, seL4_CPtr root, seL4_Uint8 depth, seL4_CPtr start, seL4_CPtr end)
{
    if (!cs || end < start || end - start > CSPACE_MAX_SLOTS) {
        return KAAL_E_INVAL;
    }
    cs->root = root;
    cs->depth = depth;
    cs->first = start;
    cs->count = (uint32_t)(end - start);
    cs->nfree = 0;
    cs->head = -1;
    cs->first_free_word = 0;
    cs->next = cs->inline_next;
    cs->prev = cs->inline_prev;
    cs->free_bits = cs->inline_bits;
    cs->capacity = CSPACE_MAX_SLOTS;
    cs->leaf_bits = 0;
    cs->reclaim = 0;
    cs->reclaim_ctx = 0;
    cs->reclaiming = 0;
    cs->grow = 0;
    cs->grow_ctx = 0;
    cs->growing = 0;
    cs->tables = (kaal_allocator_t){0};
    for (uint32_t w = 0; w < CSPACE_MAX_SLOTS / 64; w++) {
        cs->free_bits[w] = 0;
    }
    /* Pushed in reverse so that slots come out lowest first. */
    for (uint32_t i = cs->count; i-- > 0;) {
        list_push(cs, i);
    }
    return KAAL_OK;
}

void cspace_set_grow(cspace_t *cs, cspace_grow_fn fn, void *ctx, kaal_allocator_t tables)
{
    cs->grow = fn;
    cs->grow_ctx = ctx;
    cs->tables = tables;
}

/* Tables for at least `want` entries: twice as large as before, or more. */
static kaal_err_t grow_tables(cspace_t *cs, uint32_t want)
{
    uint32_t cap = cs->capacity;
    while (cap < want) {
        cap *= 2;
    }
    if (cap == cs->capacity) {
        return KAAL_OK;
    }
    if (!cs->tables.alloc) {
        return KAAL_E_NO_METADATA;
    }
    int32_t *next = cs->tables.alloc(cs->tables.ctx, (seL4_Word)cap * sizeof(int32_t));
    int32_t *prev = cs->tables.alloc(cs->tables.ctx, (seL4_Word)cap * sizeof(int32_t));
    uint64_t *bits = cs->tables.alloc(cs->tables.ctx, (seL4_Word)cap / 8);
    if (!next || !prev || !bits) {
        cs->tables.free(cs->tables.ctx, next, (seL4_Word)cap * sizeof(int32_t));
        cs->tables.free(cs->tables.ctx, prev, (seL4_Word)cap * sizeof(int32_t));
        cs->tables.free(cs->tables.ctx, bits, (seL4_Word)cap / 8);
        return KAAL_E_NO_METADATA;
    }
    rt_memcpy(next, cs->next, (seL4_Word)cs->capacity * sizeof(int32_t));
    rt_memcpy(prev, cs->prev, (seL4_Word)cs->capacity * sizeof(int32_t));
    rt_memcpy(bits, cs->free_bits, (seL4_Word)cs->capacity / 8);
    if (cs->next != cs->inline_next) {
        cs->tables.free(cs->tables.ctx, cs->next, (seL4_Word)cs->capacity * sizeof(int32_t));
        cs->tables.free(cs->tables.ctx, cs->prev, (seL4_Word)cs->capacity * sizeof(int32_t));
        cs->tables.free(cs->tables.ctx, cs->free_bits, (seL4_Word)cs->capacity / 8);
    }
    cs->next = next;
    cs->prev = prev;
    cs->free_bits = bits;
    cs->capacity = cap;
    return KAAL_OK;
}

kaal_err_t cspace_add(cspace_t *cs, seL4_CPtr start, seL4_Word n)
{
    if (start != cs->first + cs->count || n > (1u << 30) - cs->count) {
        return KAAL_E_INVAL;
    }
    kaal_err_t err = grow_tables(cs, cs->count + (uint32_t)n);
    if (err != KAAL_OK) {
        return err;
    }
    uint32_t from = cs->count;
    cs->count += (uint32_t)n;
    for (uint32_t i = cs->count; i-- > from;) {
        list_push(cs, i);
    }
    return KAAL_OK;
}

void cspace_dest(const cspace_t *cs, seL4_CPtr slot, seL4_Word *node_index, seL4_Word *node_depth,
                 seL4_Word *offset)
{
    if (cs->leaf_bits == 0) { /* one CNode: cs->root itself */
        *node_index = 0;
        *node_depth = 0;
        *offset = slot;
        return;
    }
    *node_index = slot >> cs->leaf_bits; /* the leaf, by the bits above its own */
    *node_depth = cs->depth - cs->leaf_bits;
    *offset = slot & ((1ul << cs->leaf_bits) - 1);
}

/* The grow hook adds slots, once at a time; 0 if there is none to ask. */
static int grow(cspace_t *cs)
{
    if (!cs->grow || cs->growing) {
        return 0;
    }
    uint32_t count = cs->count;
    cs->growing = 1;
    cs->grow(cs->grow_ctx);
    cs->growing = 0;
    return cs->count > count;
}

/* Few slots left: more before the last go (the hook may need a few of them itself). */
static void ensure_reserve(cspace_t *cs)
{
    if (cs->nfree < CSPACE_RESERVE) {
        grow(cs);
    }
}

void cspace_set_reclaim(cspace_t *cs, cspace_reclaim_fn fn, void *ctx)
{
    cs->reclaim = fn;
    cs->reclaim_ctx = ctx;
}

/* Asks the owner of reclaimable slots to give them back; 0 if there is no one to ask. */
static int reclaim(cspace_t *cs)
{
    if (!cs->reclaim || cs->reclaiming) {
        return 0;
    }
    cs->reclaiming = 1;
    cs->reclaim(cs->reclaim_ctx);
    cs->reclaiming = 0;
    return 1;
}

kaal_err_t cspace_slot_alloc(cspace_t *cs, seL4_CPtr *slot)
{
    ensure_reserve(cs);
    if (cs->head < 0 && (!reclaim(cs) || cs->head < 0) && (!grow(cs) || cs->head < 0)) {
        return KAAL_E_NO_SLOTS;
    }
    uint32_t i = (uint32_t)cs->head;
    list_remove(cs, i);
    *slot = cs->first + i;
    return KAAL_OK;
}

static kaal_err_t index_of(const cspace_t *cs, seL4_CPtr slot, seL4_Word n, uint32_t *i)
{
    if (slot < cs->first || n > cs->count || slot - cs->first > cs->count - n) {
        return KAAL_E_INVAL;
    }
    *i = (uint32_t)(slot - cs->first);
    return KAAL_OK;
}

kaal_err_t cspace_slot_free(cspace_t *cs, seL4_CPtr slot)
{
    return cspace_range_free(cs, slot, 1);
}

kaal_err_t cspace_slot_claim(cspace_t *cs, seL4_CPtr slot)
{
    uint32_t i;
    kaal_err_t err = index_of(cs, slot, 1, &i);
    if (err != KAAL_OK) {
        return err;
    }
    if (!is_free(cs, i)) {
        return KAAL_E_INVAL;
    }
    list_remove(cs, i);
    return KAAL_OK;
}

/* Length of the run of free slots starting at i, up to max. */
static uint32_t free_run(const cspace_t *cs, uint32_t i, uint32_t max)
{
    uint32_t n = 0;
    while (n < max && i + n < cs->count && is_free(cs, i + n)) {
        n++;
    }
    return n;
}

static kaal_err_t find_range(cspace_t *cs, seL4_Word n, seL4_CPtr *first);

kaal_err_t cspace_range_alloc(cspace_t *cs, seL4_Word n, seL4_CPtr *first)
{
    ensure_reserve(cs);
    kaal_err_t err = find_range(cs, n, first);
    if (err == KAAL_E_NO_SLOTS && reclaim(cs)) {
        err = find_range(cs, n, first);
    }
    while (err == KAAL_E_NO_SLOTS && grow(cs)) { /* a new leaf may be what a run needs */
        err = find_range(cs, n, first);
    }
    return err;
}

static kaal_err_t find_range(cspace_t *cs, seL4_Word n, seL4_CPtr *first)
{
    if (n == 0 || n > cs->count) {
        return n == 0 ? KAAL_E_INVAL : KAAL_E_NO_SLOTS;
    }
    /* Whole words without a free slot at the start are skipped for good: the search starts past them. */
    while (cs->first_free_word < (cs->count + 63) / 64 && cs->free_bits[cs->first_free_word] == 0) {
        cs->first_free_word++;
    }
    uint32_t i = cs->first_free_word * 64;
    while (i + n <= cs->count) {
        uint64_t word = cs->free_bits[i / 64] >> (i % 64);
        if (word == 0) { /* nothing free in the rest of this word: skip it */
            i = (i / 64 + 1) * 64;
            continue;
        }
        i += (uint32_t)__builtin_ctzll(word);
        if (i + n > cs->count) {
            break;
        }
        seL4_CPtr at = cs->first + i, last = at + n - 1;
        if (cs->leaf_bits && (at >> cs->leaf_bits) != (last >> cs->leaf_bits)) {
            i = (uint32_t)(((last >> cs->leaf_bits) << cs->leaf_bits) - cs->first); /* runs stay in one leaf */
            continue;
        }
        uint32_t run = free_run(cs, i, (uint32_t)n);
        if (run == n) {
            for (uint32_t k = 0; k < n; k++) {
                list_remove(cs, i + k);
            }
            *first = cs->first + i;
            return KAAL_OK;
        }
        i += run + 1;
    }
    return KAAL_E_NO_SLOTS;
}

kaal_err_t cspace_range_free(cspace_t *cs, seL4_CPtr first, seL4_Word n)
{
    uint32_t i;
    kaal_err_t err = index_of(cs, first, n, &i);
    if (err != KAAL_OK) {
        return err;
    }
    for (uint32_t k = 0; k < n; k++) {
        if (is_free(cs, i + k)) {
            return KAAL_E_NOT_ALLOCATED;
        }
    }
    for (uint32_t k = 0; k < n; k++) {
        list_push(cs, i + k);
    }
    return KAAL_OK;
}

seL4_Word cspace_free_count(const cspace_t *cs)
{
    return cs->nfree;
}
