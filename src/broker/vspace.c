/* The VSpace manager: reservations, and paging structures made on demand and freed when empty. */
#include <kaal/arch.h>
#include <kaal/rt.h>
#include <kaal/vspace.h>

#define ENTRY_BITS(level) (seL4_PageBits + ARCH_INDEX_BITS * ((level) - 1u)) /* bytes mapped by one entry: log2 */
#define TABLE_BITS(level) (ENTRY_BITS(level) + ARCH_INDEX_BITS)               /* bytes covered by a table: log2 */
#define ENTRIES (1u << ARCH_INDEX_BITS)
#define BITS_MASK(bits) ((1ull << (bits)) - 1)

void vspace_init(vspace_t *vs, seL4_CPtr pml4, untyped_alloc_t *mem, untyped_quota_t *quota)
{
    vs->root = pml4;
    vs->mem = mem;
    vs->quota = quota;
    vs->invocations = 0;
    vs->ntables = 0;
    vs->nreserved = 0;
    vs->reserved = vs->inline_reserved;
    vs->reserved_room = VSPACE_INLINE_RESERVATIONS;
    vs->tables = vs->inline_tables;
    vs->tables_room = VSPACE_INLINE_TABLES;
    vs->grow = (kaal_allocator_t){0};
    for (unsigned i = 0; i < VSPACE_INLINE_TABLES; i++) {
        vs->tables[i].level = 0;
    }
}

void vspace_set_allocator(vspace_t *vs, kaal_allocator_t grow)
{
    vs->grow = grow;
}

/* A table twice as large (its entries keep their indices); 0 if there is no memory for it. */
static int enlarge(vspace_t *vs, void **table, unsigned *room, const void *inline_table, size_t entry)
{
    unsigned n = *room * 2;
    void *bigger = vs->grow.alloc ? vs->grow.alloc(vs->grow.ctx, (seL4_Word)n * entry) : 0;
    if (!bigger) {
        return 0;
    }
    rt_memcpy(bigger, *table, (seL4_Word)*room * entry);
    if (*table != inline_table) {
        vs->grow.free(vs->grow.ctx, *table, (seL4_Word)*room * entry);
    }
    *table = bigger;
    *room = n;
    return 1;
}

static int overlaps(seL4_Word a, seL4_Word a_end, seL4_Word b, seL4_Word b_end)
{
    return a < b_end && b < a_end;
}

kaal_err_t vspace_reserve(vspace_t *vs, seL4_Word vaddr, seL4_Word size)
{
    seL4_Word end;
    if (size == 0 || (vaddr | size) & BITS_MASK(seL4_PageBits) || !rt_range_end(vaddr, size, &end) || end > kaal_arch.user_top) {
        return KAAL_E_INVAL;
    }
    if (vs->nreserved == vs->reserved_room &&
        !enlarge(vs, (void **)&vs->reserved, &vs->reserved_room, vs->inline_reserved, sizeof(vs_range_t))) {
        return KAAL_E_NO_METADATA;
    }
    for (unsigned i = 0; i < vs->nreserved; i++) {
        if (overlaps(vaddr, end, vs->reserved[i].start, vs->reserved[i].end)) {
            return KAAL_E_NOT_RESERVED;
        }
    }
    vs->reserved[vs->nreserved++] = (vs_range_t){vaddr, end};
    return KAAL_OK;
}

static int is_reserved(const vspace_t *vs, seL4_Word vaddr, seL4_Word size)
{
    seL4_Word end;
    if (!rt_range_end(vaddr, size, &end)) {
        return 0;
    }
    for (unsigned i = 0; i < vs->nreserved; i++) {
        if (vaddr >= vs->reserved[i].start && end <= vs->reserved[i].end) {
            return 1;
        }
    }
    return 0;
}

static int find_table(const vspace_t *vs, unsigned level, seL4_Word vaddr)
{
    seL4_Word base = vaddr & ~BITS_MASK(TABLE_BITS(level));
    for (unsigned i = 0; i < vs->tables_room; i++) {
        if (vs->tables[i].level == level && vs->tables[i].base == base) {
            return (int)i;
        }
    }
    return -1;
}

kaal_err_t vspace_unreserve(vspace_t *vs, seL4_Word vaddr)
{
    for (unsigned i = 0; i < vs->nreserved; i++) {
        if (vs->reserved[i].start != vaddr) {
            continue;
        }
        /* A range with anything still mapped in it stays reserved. */
        for (unsigned t = 0; t < vs->tables_room; t++) {
            const vs_table_t *tb = &vs->tables[t];
            if (tb->level && overlaps(tb->base, tb->base + (1ull << TABLE_BITS(tb->level)), vs->reserved[i].start,
                                      vs->reserved[i].end)) {
                for (unsigned w = 0; w < ENTRIES / 64; w++) {
                    if (tb->pages[w]) {
                        return KAAL_E_MAPPED;
                    }
                }
            }
        }
        vs->reserved[i] = vs->reserved[--vs->nreserved];
        return KAAL_OK;
    }
    return KAAL_E_NOT_RESERVED;
}

static unsigned entry_index(unsigned level, seL4_Word vaddr)
{
    return (unsigned)((vaddr >> ENTRY_BITS(level)) & (ENTRIES - 1));
}

static int page_bit(const vs_table_t *t, seL4_Word vaddr)
{
    unsigned i = entry_index(t->level, vaddr);
    return (int)((t->pages[i / 64] >> (i % 64)) & 1);
}

static void set_page_bit(vs_table_t *t, seL4_Word vaddr, int on)
{
    unsigned i = entry_index(t->level, vaddr);
    if (on) {
        t->pages[i / 64] |= 1ull << (i % 64);
    } else {
        t->pages[i / 64] &= ~(1ull << (i % 64));
    }
}

/* A free entry of the table of paging structures, which grows when it is full. */
static int table_slot_free(vspace_t *vs)
{
    for (unsigned i = 0; i < vs->tables_room; i++) {
        if (vs->tables[i].level == 0) {
            return (int)i;
        }
    }
    unsigned first = vs->tables_room;
    if (first >= (1u << 15) ||
        !enlarge(vs, (void **)&vs->tables, &vs->tables_room, vs->inline_tables, sizeof(vs_table_t))) {
        return -1; /* parents are int16_t indices */
    }
    return (int)first;
}

/* Frees empty tables from t upwards (the kernel detaches a table when its last cap goes). */
static void release_if_empty(vspace_t *vs, int t)
{
    while (t >= 0 && vs->tables[t].used == 0 && !vs->tables[t].pinned) {
        int parent = vs->tables[t].parent;
        untyped_free_charged(vs->mem, vs->quota, &vs->tables[t].obj);
        vs->tables[t].level = 0;
        vs->ntables--;
        if (parent >= 0) {
            vs->tables[parent].used--;
        }
        t = parent;
    }
}

static seL4_Error map_table(vspace_t *vs, unsigned level, seL4_CPtr cap, seL4_Word vaddr)
{
    vs->invocations++;
    return arch_map_table(level, cap, vs->root, vaddr);
}

/* The table at `level` that holds vaddr's entry, made (with those above it) if missing. */
static kaal_err_t ensure_table(vspace_t *vs, unsigned level, seL4_Word vaddr, int *out)
{
    int t = find_table(vs, level, vaddr);
    if (t >= 0) {
        *out = t;
        return KAAL_OK;
    }
    int parent = -1;
    if (level < ARCH_LEVELS) {
        kaal_err_t err = ensure_table(vs, level + 1, vaddr, &parent);
        if (err != KAAL_OK) {
            return err;
        }
        if (page_bit(&vs->tables[parent], vaddr)) {
            return KAAL_E_MAPPED; /* a large page covers this table's range */
        }
    }
    t = table_slot_free(vs);
    kaal_obj_t obj;
    kaal_err_t err = t < 0 ? KAAL_E_NO_METADATA : untyped_alloc_charged(vs->mem, vs->quota, kaal_arch.table_object[level], 0, &obj);
    if (err == KAAL_OK && map_table(vs, level, obj.cap, vaddr) != seL4_NoError) {
        untyped_free_charged(vs->mem, vs->quota, &obj);
        err = KAAL_E_KERNEL;
    }
    if (err != KAAL_OK) {
        if (parent >= 0) {
            release_if_empty(vs, parent);
        }
        return err;
    }
    vs_table_t *tb = &vs->tables[t];
    *tb = (vs_table_t){.obj = obj, .base = vaddr & ~BITS_MASK(TABLE_BITS(level)), .parent = (int16_t)parent,
                       .level = (uint8_t)level};
    if (parent >= 0) {
        vs->tables[parent].used++;
    }
    vs->ntables++;
    *out = t;
    return KAAL_OK;
}

static unsigned page_level(unsigned size_bits)
{
    return size_bits == seL4_PageBits ? 1 : size_bits == seL4_LargePageBits ? 2 : 0;
}

kaal_err_t vspace_map(vspace_t *vs, seL4_CPtr frame, seL4_Word vaddr, unsigned size_bits, seL4_CapRights_t rights,
                      unsigned attrs)
{
    unsigned level = page_level(size_bits);
    if (level == 0 || (vaddr & BITS_MASK(size_bits))) {
        return KAAL_E_INVAL;
    }
    if (!is_reserved(vs, vaddr, 1ull << size_bits)) {
        return KAAL_E_NOT_RESERVED;
    }
    if (level > 1 && find_table(vs, level - 1, vaddr) >= 0) {
        return KAAL_E_MAPPED; /* smaller pages are mapped inside this large one */
    }
    int t;
    kaal_err_t err = ensure_table(vs, level, vaddr, &t);
    if (err != KAAL_OK) {
        return err;
    }
    if (page_bit(&vs->tables[t], vaddr)) {
        return KAAL_E_MAPPED;
    }
    vs->invocations++;
    if (arch_map_page(frame, vs->root, vaddr, rights, attrs) != seL4_NoError) {
        release_if_empty(vs, t);
        return KAAL_E_KERNEL;
    }
    set_page_bit(&vs->tables[t], vaddr, 1);
    vs->tables[t].used++;
    return KAAL_OK;
}

kaal_err_t vspace_unmap(vspace_t *vs, seL4_CPtr frame, seL4_Word vaddr, unsigned size_bits)
{
    unsigned level = page_level(size_bits);
    int t = level ? find_table(vs, level, vaddr) : -1;
    if (t < 0 || (vaddr & BITS_MASK(size_bits)) || !page_bit(&vs->tables[t], vaddr)) {
        return level ? KAAL_E_NOT_MAPPED : KAAL_E_INVAL;
    }
    vs->invocations++;
    if (arch_unmap_page(frame) != seL4_NoError) {
        return KAAL_E_KERNEL;
    }
    set_page_bit(&vs->tables[t], vaddr, 0);
    vs->tables[t].used--;
    release_if_empty(vs, t);
    return KAAL_OK;
}

kaal_err_t vspace_pin(vspace_t *vs, seL4_Word vaddr)
{
    int t;
    kaal_err_t err = ensure_table(vs, 1, vaddr, &t);
    for (; err == KAAL_OK && t >= 0; t = vs->tables[t].parent) {
        vs->tables[t].pinned = 1;
    }
    return err;
}

void vspace_destroy(vspace_t *vs)
{
    for (unsigned i = 0; i < vs->tables_room; i++) {
        if (vs->tables[i].level) {
            untyped_free_charged(vs->mem, vs->quota, &vs->tables[i].obj);
            vs->tables[i].level = 0;
        }
    }
    vs->ntables = 0;
    if (vs->tables && vs->tables != vs->inline_tables) {
        vs->grow.free(vs->grow.ctx, vs->tables, (seL4_Word)vs->tables_room * sizeof(vs_table_t));
    }
    if (vs->reserved && vs->reserved != vs->inline_reserved) {
        vs->grow.free(vs->grow.ctx, vs->reserved, (seL4_Word)vs->reserved_room * sizeof(vs_range_t));
    }
    vs->tables = vs->inline_tables;
    vs->tables_room = VSPACE_INLINE_TABLES;
    vs->reserved = vs->inline_reserved;
    vs->reserved_room = VSPACE_INLINE_RESERVATIONS;
    vs->nreserved = 0;
}

int vspace_is_mapped(const vspace_t *vs, seL4_Word vaddr, unsigned size_bits)
{
    unsigned level = page_level(size_bits);
    int t = level ? find_table(vs, level, vaddr) : -1;
    return t >= 0 && page_bit(&vs->tables[t], vaddr);
}
