/* The broker's heap: power-of-two classes over a range backed by doubling chunks of frames. */
#include <kaal/arch.h>
#include <kaal/heap.h>
#include <kaal/rt.h>

#define PAGE (1ul << seL4_PageBits)
#define FRAME (1ul << seL4_LargePageBits)

kaal_err_t heap_init(heap_t *h, vspace_t *vs, untyped_alloc_t *mem, untyped_quota_t *quota, seL4_Word base,
                     seL4_Word size)
{
    rt_memset(h, 0, sizeof(*h));
    h->vs = vs;
    h->mem = mem;
    h->quota = quota;
    h->base = h->brk = h->mapped = base;
    h->end = base + size;
    return vspace_reserve(vs, base, size);
}

/* One more chunk (twice the last), mapped at the end of what is backed. */
static int grow(heap_t *h)
{
    unsigned k = h->nchunks;
    seL4_Word n = 1ul << k;
    kaal_obj_t *first = &h->chunks[k];
    if (k == HEAP_CHUNKS || n * FRAME > h->end - h->mapped ||
        untyped_alloc_run(h->mem, h->quota, kaal_arch.large_page_object, k, first) != KAAL_OK) {
        return 0;
    }
    for (seL4_Word i = 0; i < n; i++) {
        if (vspace_map(h->vs, first->cap + i, h->mapped + i * FRAME, seL4_LargePageBits, seL4_ReadWrite,
                       ARCH_MAP_DEFAULT) != KAAL_OK) {
            while (i-- > 0) {
                vspace_unmap(h->vs, first->cap + i, h->mapped + i * FRAME, seL4_LargePageBits);
            }
            untyped_free_run(h->mem, h->quota, first);
            return 0;
        }
    }
    h->mapped += n * FRAME;
    h->frames += n;
    h->nchunks++;
    return 1;
}

static unsigned class_of(seL4_Word size)
{
    unsigned c = HEAP_MIN_BITS;
    while (c < HEAP_CLASSES && (1ul << c) < size) {
        c++;
    }
    return c;
}

void *heap_alloc(heap_t *h, seL4_Word size)
{
    unsigned c = class_of(size ? size : 1);
    if (c >= HEAP_CLASSES) {
        return 0;
    }
    seL4_Word bytes = 1ul << c;
    heap_free_t *f = h->free[c];
    if (f) {
        h->free[c] = f->next;
        return rt_memset(f, 0, bytes);
    }
    seL4_Word align = bytes < PAGE ? bytes : PAGE; /* its class, or a page */
    seL4_Word at = (h->brk + align - 1) & ~(align - 1);
    if (at < h->brk || at > h->end || bytes > h->end - at) {
        return 0;
    }
    while (h->mapped < at + bytes) {
        if (h->growing) {
            return 0;
        }
        h->growing = 1;
        int grown = grow(h);
        h->growing = 0;
        if (!grown) {
            return 0;
        }
    }
    h->brk = at + bytes;
    return (void *)at; /* fresh frames are zero */
}

void heap_free(heap_t *h, void *p, seL4_Word size)
{
    unsigned c = class_of(size ? size : 1);
    if (p && c < HEAP_CLASSES) {
        heap_free_t *f = p;
        f->next = h->free[c];
        h->free[c] = f;
    }
}

void *heap_resize(heap_t *h, void *p, seL4_Word old, seL4_Word size)
{
    if (p && class_of(old ? old : 1) == class_of(size ? size : 1)) {
        if (size > old) {
            rt_memset((char *)p + old, 0, size - old);
        }
        return p;
    }
    void *q = heap_alloc(h, size);
    if (q && p) {
        rt_memcpy(q, p, old < size ? old : size);
        heap_free(h, p, old);
    }
    return q;
}

static void *alloc_from(void *ctx, seL4_Word bytes)
{
    return heap_alloc(ctx, bytes);
}

static void free_to(void *ctx, void *p, seL4_Word bytes)
{
    heap_free(ctx, p, bytes);
}

kaal_allocator_t heap_allocator(heap_t *h)
{
    return (kaal_allocator_t){.alloc = alloc_from, .free = free_to, .ctx = h};
}

int kaal_room(const kaal_allocator_t *mem, void **table, unsigned *room, unsigned need, seL4_Word size)
{
    if (need <= *room) {
        return 1;
    }
    unsigned cap = *room ? *room : 4;
    while (cap < need) {
        cap *= 2;
    }
    void *bigger = mem->alloc ? mem->alloc(mem->ctx, (seL4_Word)cap * size) : 0;
    if (!bigger) {
        return 0;
    }
    if (*table) {
        rt_memcpy(bigger, *table, (seL4_Word)*room * size);
        mem->free(mem->ctx, *table, (seL4_Word)*room * size);
    }
    *table = bigger;
    *room = cap;
    return 1;
}

void kaal_table_free(const kaal_allocator_t *mem, void **table, unsigned *room, seL4_Word size)
{
    if (*table && mem->free) {
        mem->free(mem->ctx, *table, (seL4_Word)*room * size);
    }
    *table = 0;
    *room = 0;
}
