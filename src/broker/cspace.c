/* The slot allocator: free list for single slots, bitmap for runs. */
#include <kaal/cspace.h>

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
    cs->reclaim = 0;
    cs->reclaim_ctx = 0;
    cs->reclaiming = 0;
    for (uint32_t w = 0; w < CSPACE_MAX_SLOTS / 64; w++) {
        cs->free_bits[w] = 0;
    }
    /* Pushed in reverse so that slots come out lowest first. */
    for (uint32_t i = cs->count; i-- > 0;) {
        list_push(cs, i);
    }
    return KAAL_OK;
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
    if (cs->head < 0 && (!reclaim(cs) || cs->head < 0)) {
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
    kaal_err_t err = find_range(cs, n, first);
    if (err == KAAL_E_NO_SLOTS && reclaim(cs)) {
        err = find_range(cs, n, first);
    }
    return err;
}

static kaal_err_t find_range(cspace_t *cs, seL4_Word n, seL4_CPtr *first)
{
    if (n == 0 || n > cs->count) {
        return n == 0 ? KAAL_E_INVAL : KAAL_E_NO_SLOTS;
    }
    uint32_t i = 0;
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
