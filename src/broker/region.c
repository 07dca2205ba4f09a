/*
 * Memory regions: frames the broker owns, shared by the components the
 * description gives them to. A region is made once, when the system starts;
 * each component given it gets an entry in its table of regions, the range
 * reserved at its address, and the size taken out of its quota; it maps the
 * frames when it asks (grant_region, in grant.c). The root task frees the
 * region when the last component given it has ended.
 */
#include <kaal/arch.h>
#include <kaal/rt.h>
#include <kaal/spawn.h>

#define PAGE 0x1000ul

kaal_err_t region_create(broker_t *b, region_t *r, seL4_Word size, unsigned page_bits)
{
    *r = (region_t){.size = size, .page_bits = page_bits};
    seL4_Word page = 1ul << page_bits, n = size / page;
    if (n == 0 || size % page || (page_bits != seL4_PageBits && page_bits != seL4_LargePageBits) || n >= 1u << 24) {
        return KAAL_E_INVAL;
    }
    r->frames = heap_alloc(&b->heap, n * sizeof(kaal_obj_t));
    if (!r->frames) {
        return KAAL_E_NO_METADATA;
    }
    seL4_Word type = page_bits == seL4_PageBits ? kaal_arch.page_object : kaal_arch.large_page_object;
    kaal_err_t err = untyped_alloc_objects(&b->mem, 0, type, n, r->frames);
    if (err != KAAL_OK) {
        heap_free(&b->heap, r->frames, n * sizeof(kaal_obj_t));
        r->frames = 0;
        return err;
    }
    r->nframes = (unsigned)n;
    int contiguous = 1;
    for (seL4_Word i = 1; i < n && contiguous; i++) {
        contiguous = r->frames[i].paddr == r->frames[0].paddr + i * page;
    }
    r->paddr = contiguous ? r->frames[0].paddr : 0;
    return KAAL_OK;
}

void region_destroy(broker_t *b, region_t *r)
{
    if (r->frames) {
        untyped_free_objects(&b->mem, 0, r->frames, r->nframes);
        heap_free(&b->heap, r->frames, (seL4_Word)(r->size >> r->page_bits) * sizeof(kaal_obj_t));
    }
    r->frames = 0;
    r->nframes = 0;
}

kaal_err_t region_attach(broker_t *b, region_t *r, component_t *c, const char *name,
                         const manifest_region_use_t *use)
{
    kaal_allocator_t heap = heap_allocator(&b->heap);
    unsigned room = c->regions_room;
    if (!kaal_room(&heap, (void **)&c->regions, &room, c->nregions + 1, sizeof(*c->regions)) ||
        !kaal_room(&heap, (void **)&c->region_table, &c->regions_room, c->nregions + 1, sizeof(*c->region_table))) {
        return KAAL_E_NO_METADATA;
    }
    seL4_Word page = 1ul << r->page_bits, vaddr = use->vaddr;
    if (!vaddr) { /* the next place in its window, on a page boundary, with an unmapped page after it */
        seL4_Word next = c->next_region ? c->next_region : KAAL_REGION_VADDR;
        vaddr = (next + page - 1) & ~(page - 1);
        if (vaddr + r->size > KAAL_REGION_END) {
            return KAAL_E_LAYOUT;
        }
    }
    kaal_err_t err = vaddr % page || vaddr + r->size < vaddr ? KAAL_E_LAYOUT : vspace_reserve(&c->vs, vaddr, r->size);
    if (err != KAAL_OK) {
        return err == KAAL_E_NOT_RESERVED || err == KAAL_E_INVAL ? KAAL_E_LAYOUT : err; /* over something else */
    }
    if (c->quota.limit - c->quota.used < r->size) {
        vspace_unreserve(&c->vs, vaddr);
        return KAAL_E_QUOTA;
    }
    c->quota.limit -= r->size; /* it counts against the component's quota, wherever its frames are */
    if (!use->vaddr) {
        c->next_region = vaddr + r->size + PAGE;
    }
    kaal_region_t *e = &c->region_table[c->nregions];
    *e = (kaal_region_t){.vaddr = vaddr, .size = r->size, .paddr = r->paddr, .page_bits = r->page_bits,
                         .writable = (uint32_t)use->writable, .cached = (uint32_t)use->cached};
    rt_strlcpy(e->name, name, sizeof(e->name));
    c->regions[c->nregions++] = r;
    c->info.regions = c->region_table;
    c->info.nregions = c->nregions;
    r->holders++;
    r->orphan = 0;
    return KAAL_OK;
}
