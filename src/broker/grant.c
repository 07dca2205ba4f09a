/*
 * Grants on request: memory, IO ports, IRQs, device registers and channels
 * that a running component asks the broker for (src/broker/rpc.c decodes the
 * requests). Each is checked against the component's description, recorded
 * in its table of grants (which grows in the broker's heap, as do the frames
 * of each grant), and undone exactly by grant_release(): frames unmapped and
 * freed, capabilities revoked from the broker's original (which takes the
 * component's copy and every copy it made of it), the IRQ given back to the
 * kernel. spawn_destroy() releases whatever is left.
 */
#include <kaal/arch.h>
#include <kaal/device.h>
#include <kaal/rt.h>
#include <kaal/spawn.h>

#define PAGE 0x1000ul

static int overlaps(seL4_Word a0, seL4_Word a1, seL4_Word b0, seL4_Word b1)
{
    return a0 < b1 && b0 < a1;
}

grant_t *grant_find(component_t *c, seL4_Word what, seL4_Word key)
{
    for (unsigned i = 0; i < c->grants_room; i++) {
        if (c->grants[i].what == what && c->grants[i].key == key) {
            return &c->grants[i];
        }
    }
    return 0;
}

/* A free entry (what == 0, whatever else it last held), now of kind `what`; the table grows if
 * every entry is in use. */
static grant_t *new_grant(broker_t *b, component_t *c, seL4_Word what)
{
    unsigned i = 0;
    while (i < c->grants_room && c->grants[i].what != 0) {
        i++;
    }
    kaal_allocator_t heap = heap_allocator(&b->heap);
    if (i == c->grants_room && !kaal_room(&heap, (void **)&c->grants, &c->grants_room, i + 1, sizeof(grant_t))) {
        return 0;
    }
    c->grants[i] = (grant_t){.what = what};
    return &c->grants[i];
}

/* A table of n frames for the grant (zeroed: none made yet). */
static kaal_err_t new_frames(broker_t *b, grant_t *g, seL4_Word n)
{
    g->frames = n < (1u << 24) ? heap_alloc(&b->heap, n * sizeof(kaal_obj_t)) : 0;
    g->nframes = g->frames ? (unsigned)n : 0;
    return g->frames ? KAAL_OK : KAAL_E_NO_METADATA;
}

/* An entry whose grant failed part way, or was released: free again, nothing of it left. */
static void forget(broker_t *b, grant_t *g)
{
    heap_free(&b->heap, g->frames, (seL4_Word)g->nframes * sizeof(kaal_obj_t));
    *g = (grant_t){0};
}

/* A held range of `what` overlapping [first, end). */
static int held_overlap(const component_t *c, seL4_Word what, seL4_Word first, seL4_Word end)
{
    for (unsigned i = 0; i < c->grants_room; i++) {
        const grant_t *g = &c->grants[i];
        if (g->what == what && overlaps(first, end, g->key, g->end)) {
            return 1;
        }
    }
    return 0;
}

/* The slot must be one the component may fill: past its fixed and broker-given caps, inside its CNode. */
static int slot_ok(const component_t *c, seL4_Word slot)
{
    return slot >= c->info.free_slot && slot >= KAAL_CAP_FIRST_FREE && slot < (1ul << c->info.cnode_bits);
}

/* The lowest address in [lo, hi) where size bytes fit clear of what `what` holds, and a page after it. */
static seL4_Word choose_vaddr(const component_t *c, seL4_Word what, seL4_Word size, seL4_Word lo, seL4_Word hi)
{
    seL4_Word at = lo;
    for (int moved = 1; moved;) {
        moved = 0;
        for (unsigned i = 0; i < c->grants_room; i++) {
            const grant_t *g = &c->grants[i];
            if (g->what == what && overlaps(at, at + size + PAGE, g->key, g->end + PAGE)) {
                at = g->end + PAGE;
                moved = 1;
            }
        }
    }
    return at + size <= hi ? at : 0;
}

/* Unmaps and frees a memory, MMIO, channel or region grant's frames (a channel's and a region's
 * are the broker's copies of their caps), then its reservation (a region keeps its). */
static void unmap_frames(broker_t *b, component_t *c, grant_t *g)
{
    kaal_obj_t *frames = g->frames;
    seL4_Word at = g->vaddr;
    for (unsigned i = 0; i < g->nframes; at += 1ul << frames[i].size_bits, i++) {
        kaal_obj_t *f = &frames[i];
        if (!f->cap) {
            continue;
        }
        vspace_unmap(&c->vs, f->cap, at, f->size_bits);
        if (g->what == KAAL_RPC_MMIO) {
            untyped_free(&b->devmem, f);
            f->cap = 0;
        } else if (g->what != KAAL_RPC_MEMORY) {
            seL4_CNode_Delete(b->slots.root, f->cap, b->slots.depth);
            cspace_slot_free(&b->slots, f->cap);
            f->cap = 0;
        }
    }
    if (g->what == KAAL_RPC_MEMORY) {
        untyped_free_objects(&b->mem, &c->quota, frames, g->nframes); /* its runs, whole */
    }
    if (g->what != KAAL_RPC_REGION) {
        vspace_unreserve(&c->vs, g->vaddr);
    }
}

kaal_err_t grant_memory(broker_t *b, component_t *c, seL4_Word vaddr, seL4_Word size, seL4_Word *at)
{
    if (size == 0 || (size & (PAGE - 1)) || (vaddr & (PAGE - 1)) || size > KAAL_MEMORY_END - KAAL_MEMORY_VADDR) {
        return KAAL_E_INVAL;
    }
    if (vaddr == 0) {
        vaddr = choose_vaddr(c, KAAL_RPC_MEMORY, size, KAAL_MEMORY_VADDR, KAAL_MEMORY_END);
        if (vaddr == 0) {
            return KAAL_E_NO_MEMORY;
        }
    } else if (vaddr < KAAL_MEMORY_VADDR || vaddr > KAAL_MEMORY_END - size) {
        return KAAL_E_INVAL;
    } else if (held_overlap(c, KAAL_RPC_MEMORY, vaddr, vaddr + size)) {
        return KAAL_E_MAPPED;
    }
    seL4_Word n = size / PAGE;
    grant_t *g = new_grant(b, c, KAAL_RPC_MEMORY);
    if (!g) {
        return KAAL_E_NO_METADATA;
    }
    g->key = g->vaddr = vaddr;
    g->end = vaddr + size;
    kaal_err_t err = new_frames(b, g, n);
    if (err == KAAL_OK) {
        err = vspace_reserve(&c->vs, vaddr, size);
    }
    if (err == KAAL_OK) {
        err = untyped_alloc_objects(&b->mem, &c->quota, kaal_arch.page_object, n, g->frames);
    }
    for (seL4_Word i = 0; err == KAAL_OK && i < n; i++) {
        err = vspace_map(&c->vs, g->frames[i].cap, vaddr + i * PAGE, seL4_PageBits, seL4_ReadWrite, ARCH_MAP_DEFAULT);
    }
    if (err != KAAL_OK) {
        unmap_frames(b, c, g);
        forget(b, g);
        return err == KAAL_E_NOT_RESERVED ? KAAL_E_MAPPED : err;
    }
    *at = vaddr;
    return KAAL_OK;
}

/* Copies the broker's original into the component's slot. */
static kaal_err_t copy_to(broker_t *b, component_t *c, seL4_CPtr original, seL4_Word slot)
{
    c->invocations++;
    seL4_Error e = seL4_CNode_Copy(c->cnode.cap, slot, c->info.cnode_bits, b->slots.root, original, b->slots.depth,
                                   seL4_AllRights);
    return e == seL4_NoError ? KAAL_OK : e == seL4_DeleteFirst ? KAAL_E_SLOT : KAAL_E_KERNEL;
}

/* Revokes and deletes a broker original (the component's copy goes with it). */
static void drop_original(broker_t *b, component_t *c, seL4_CPtr *cap)
{
    if (*cap) {
        seL4_CNode_Revoke(b->slots.root, *cap, b->slots.depth);
        seL4_CNode_Delete(b->slots.root, *cap, b->slots.depth);
        cspace_slot_free(&b->slots, *cap);
        c->invocations += 2;
        *cap = 0;
    }
}

static int ioports_granted(const manifest_component_t *d, seL4_Word first, seL4_Word last)
{
    for (unsigned i = 0; i < d->nioports; i++) {
        if (first >= d->ioports[i].first && last <= d->ioports[i].last) {
            return 1;
        }
    }
    return 0;
}

kaal_err_t grant_ioports(broker_t *b, component_t *c, seL4_Word first, seL4_Word last, seL4_Word slot)
{
    if (first > last || last > MANIFEST_IOPORT_LAST) {
        return KAAL_E_INVAL;
    }
    if (!ioports_granted(c->desc, first, last)) {
        return KAAL_E_DENIED;
    }
    if (held_overlap(c, KAAL_RPC_IOPORTS, first, last + 1)) {
        return KAAL_E_BUSY;
    }
    if (!slot_ok(c, slot)) {
        return KAAL_E_SLOT;
    }
    grant_t *g = new_grant(b, c, KAAL_RPC_IOPORTS);
    if (!g) {
        return KAAL_E_NO_METADATA;
    }
    c->invocations++;
    kaal_err_t err = device_ioport(b, first, last, &g->original);
    if (err == KAAL_E_KERNEL) {
        err = KAAL_E_BUSY; /* the kernel issues a port once: another holder has it */
    }
    if (err == KAAL_OK) {
        err = copy_to(b, c, g->original, slot);
    }
    if (err != KAAL_OK) {
        drop_original(b, c, &g->original);
        forget(b, g);
        return err;
    }
    g->key = first;
    g->end = last + 1;
    g->slot = slot;
    return KAAL_OK;
}

static int irq_granted(const manifest_component_t *d, seL4_Word pin)
{
    for (unsigned i = 0; i < d->nirqs; i++) {
        if (d->irqs[i] == pin) {
            return 1;
        }
    }
    return 0;
}

/* The handler signals the component's notification with a bit of its own;
 * the vector is the pin. */
kaal_err_t grant_irq(broker_t *b, component_t *c, seL4_Word pin, seL4_Word slot, seL4_Word *bit)
{
    if (pin >= kaal_arch.irqs) {
        return KAAL_E_INVAL;
    }
    if (!irq_granted(c->desc, pin)) {
        return KAAL_E_DENIED;
    }
    if (grant_find(c, KAAL_RPC_IRQ, pin)) {
        return KAAL_E_BUSY;
    }
    if (!slot_ok(c, slot)) {
        return KAAL_E_SLOT;
    }
    grant_t *g = new_grant(b, c, KAAL_RPC_IRQ);
    if (!g) {
        return KAAL_E_NO_METADATA;
    }
    g->bit = spawn_take_bit(c);
    kaal_err_t err = g->bit < seL4_WordBits ? cspace_slot_alloc(&b->slots, &g->signal) : KAAL_E_LAYOUT;
    if (err == KAAL_OK) {
        c->invocations++;
        if (seL4_CNode_Mint(b->slots.root, g->signal, b->slots.depth, b->slots.root, c->ntfn.cap, b->slots.depth,
                            seL4_CanWrite, 1ul << g->bit)) {
            cspace_slot_free(&b->slots, g->signal);
            g->signal = 0;
            err = KAAL_E_KERNEL;
        }
    }
    if (err == KAAL_OK) {
        c->invocations += 2;
        err = device_irq(b, pin, g->signal, &g->original);
        if (err == KAAL_E_KERNEL) {
            err = KAAL_E_BUSY; /* the kernel hands out a handler once */
        }
    }
    if (err == KAAL_OK) {
        err = copy_to(b, c, g->original, slot);
    }
    if (err != KAAL_OK) {
        drop_original(b, c, &g->original);
        drop_original(b, c, &g->signal);
        if (g->bit < seL4_WordBits) {
            spawn_give_bit(c, g->bit);
        }
        forget(b, g);
        return err;
    }
    g->key = pin;
    g->slot = slot;
    *bit = g->bit;
    return KAAL_OK;
}

static int mmio_granted(const manifest_component_t *d, seL4_Word first, seL4_Word end)
{
    for (unsigned i = 0; i < d->nmmio; i++) {
        if (first >= d->mmio[i].first && end - 1 <= d->mmio[i].last) {
            return 1;
        }
    }
    return 0;
}

kaal_err_t grant_mmio(broker_t *b, component_t *c, seL4_Word paddr, seL4_Word size, seL4_Word *regs)
{
    seL4_Word first = paddr & ~(PAGE - 1), end;
    if (size == 0 || !rt_range_end_aligned(paddr, size, PAGE, &end) || end - first > KAAL_MMIO_END - KAAL_MMIO_VADDR) {
        return KAAL_E_INVAL;
    }
    if (!mmio_granted(c->desc, first, end)) {
        return KAAL_E_DENIED;
    }
    for (unsigned i = 0; i < c->grants_room; i++) { /* the same registers mapped twice: a second user of one device */
        const grant_t *h = &c->grants[i];
        if (h->what == KAAL_RPC_MMIO && overlaps(first, end, h->paddr, h->paddr + h->nframes * PAGE)) {
            return KAAL_E_BUSY;
        }
    }
    seL4_Word n = (end - first) / PAGE, vaddr = choose_vaddr(c, KAAL_RPC_MMIO, end - first, KAAL_MMIO_VADDR,
                                                             KAAL_MMIO_END);
    if (!vaddr) {
        return KAAL_E_NO_MEMORY;
    }
    grant_t *g = new_grant(b, c, KAAL_RPC_MMIO);
    if (!g) {
        return KAAL_E_NO_METADATA;
    }
    g->vaddr = vaddr;
    kaal_err_t err = new_frames(b, g, n);
    if (err == KAAL_OK) {
        err = vspace_reserve(&c->vs, vaddr, end - first);
    }
    volatile void *where = 0;
    if (err == KAAL_OK) {
        err = device_mmio_map(b, &c->vs, paddr, size, vaddr, g->frames, (unsigned)n, &where);
        if (err != KAAL_OK) {
            vspace_unreserve(&c->vs, vaddr);
        }
    }
    if (err != KAAL_OK) {
        forget(b, g);
        return err;
    }
    g->key = (seL4_Word)where;
    g->end = vaddr + (end - first);
    g->paddr = first;
    *regs = (seL4_Word)where;
    return KAAL_OK;
}

static void release(broker_t *b, component_t *c, grant_t *g);

/* Maps a copy of each of the frames (a ring's, a region's) from g->vaddr on, kept in the broker's
 * CNode as the grant's frames. */
static kaal_err_t map_copies(broker_t *b, component_t *c, grant_t *g, const kaal_obj_t *frames, unsigned n,
                             seL4_CapRights_t rights, unsigned attrs)
{
    for (unsigned i = 0; i < n; i++) { /* each as the original frame, none held yet */
        g->frames[i] = (kaal_obj_t){.size_bits = frames[i].size_bits};
    }
    kaal_err_t err = KAAL_OK;
    seL4_Word at = g->vaddr;
    for (unsigned i = 0; err == KAAL_OK && i < n; at += 1ul << frames[i].size_bits, i++) {
        kaal_obj_t *f = &g->frames[i];
        err = cspace_slot_alloc(&b->slots, &f->cap);
        if (err != KAAL_OK) {
            f->cap = 0;
            break;
        }
        c->invocations++;
        if (seL4_CNode_Copy(b->slots.root, f->cap, b->slots.depth, b->slots.root, frames[i].cap, b->slots.depth,
                            seL4_AllRights) != seL4_NoError) {
            cspace_slot_free(&b->slots, f->cap);
            f->cap = 0;
            return KAAL_E_KERNEL;
        }
        err = vspace_map(&c->vs, f->cap, at, f->size_bits, rights, attrs);
    }
    return err;
}

static kaal_err_t map_ring(broker_t *b, component_t *c, const channel_t *ch, grant_t *g)
{
    kaal_err_t err = vspace_reserve(&c->vs, g->vaddr, ch->size);
    return err == KAAL_OK ? map_copies(b, c, g, ch->frames, ch->nframes, seL4_ReadWrite, ARCH_MAP_DEFAULT) : err;
}

kaal_err_t grant_region(broker_t *b, component_t *c, seL4_Word index, seL4_Word *vaddr)
{
    region_t *r = index < c->nregions ? c->regions[index] : 0;
    if (!r) {
        return KAAL_E_DENIED; /* the description gives it no such region */
    }
    if (grant_find(c, KAAL_RPC_REGION, index)) {
        return KAAL_E_BUSY;
    }
    grant_t *g = new_grant(b, c, KAAL_RPC_REGION);
    if (!g) {
        return KAAL_E_NO_METADATA;
    }
    const kaal_region_t *e = &c->region_table[index];
    *g = (grant_t){.what = KAAL_RPC_REGION, .key = index, .end = index + 1, .vaddr = e->vaddr};
    kaal_err_t err = new_frames(b, g, r->nframes);
    if (err == KAAL_OK) { /* into the range reserved for it when it was given (region_attach) */
        err = map_copies(b, c, g, r->frames, r->nframes, e->writable ? seL4_ReadWrite : seL4_CanRead,
                         e->cached ? ARCH_MAP_DEFAULT : ARCH_MAP_UNCACHED);
    }
    if (err != KAAL_OK) {
        release(b, c, g);
        return err;
    }
    *vaddr = g->vaddr;
    return KAAL_OK;
}

kaal_err_t grant_channel(broker_t *b, component_t *c, seL4_Word index, seL4_Word slot, seL4_Word inbox,
                         seL4_Word *vaddr)
{
    channel_t *ch = index < c->info.nchannels ? c->channels[index] : 0;
    if (!ch) {
        return KAAL_E_INVAL;
    }
    unsigned k = ch->side[0].comp == c && ch->side[0].index == index ? 0 : 1;
    int call = ch->kind == CONNECTION_CALL;
    if (call && k == 1) {
        return KAAL_E_INVAL; /* a call's server has nothing to open: calls come to its inbox */
    }
    if (grant_find(c, KAAL_RPC_CHANNEL, index)) {
        return KAAL_E_BUSY;
    }
    if (inbox && (k != 0 || ch->endpoint == KAAL_ENDPOINT_NONE || call)) {
        return KAAL_E_DENIED; /* only the writer of a channel with an endpoint has an inbox cap */
    }
    if (!slot_ok(c, slot) || (inbox && (!slot_ok(c, inbox) || inbox == slot))) {
        return KAAL_E_SLOT;
    }
    grant_t *g = new_grant(b, c, KAAL_RPC_CHANNEL);
    if (!g) {
        return KAAL_E_NO_METADATA;
    }
    *g = (grant_t){.what = KAAL_RPC_CHANNEL, .key = index, .end = index + 1, .vaddr = ch->side[k].vaddr};
    kaal_err_t err = call ? KAAL_OK : new_frames(b, g, ch->nframes);
    if (err == KAAL_OK && !call) {
        err = map_ring(b, c, ch, g);
    }
    if (err == KAAL_OK && (err = call ? channel_mint_call(b, ch, slot) : channel_mint_signal(b, ch, k, slot)) == KAAL_OK) {
        g->slot = slot;
    }
    if (err == KAAL_OK && inbox && (err = channel_mint_inbox(b, ch, inbox)) == KAAL_OK) {
        g->inbox = inbox;
    }
    if (err != KAAL_OK) {
        release(b, c, g);
        return err;
    }
    *vaddr = g->vaddr;
    return KAAL_OK;
}

/* Revokes and deletes a cap the broker put in the component's CNode (and whatever it made of it). */
static void take_back(component_t *c, seL4_Word slot)
{
    if (slot) {
        seL4_CNode_Revoke(c->cnode.cap, slot, c->info.cnode_bits);
        seL4_CNode_Delete(c->cnode.cap, slot, c->info.cnode_bits);
        c->invocations += 2;
    }
}

static void release(broker_t *b, component_t *c, grant_t *g)
{
    switch (g->what) {
    case KAAL_RPC_MEMORY:
    case KAAL_RPC_MMIO:
    case KAAL_RPC_REGION:
        unmap_frames(b, c, g);
        break;
    case KAAL_RPC_CHANNEL:
        if (g->vaddr) { /* a ring (a call has none) */
            unmap_frames(b, c, g);
        }
        take_back(c, g->slot);
        take_back(c, g->inbox);
        break;
    case KAAL_RPC_IRQ:
        drop_original(b, c, &g->original); /* the last handler cap: the kernel frees the IRQ */
        drop_original(b, c, &g->signal);
        spawn_give_bit(c, g->bit);
        break;
    default:
        drop_original(b, c, &g->original);
        break;
    }
    forget(b, g);
}

kaal_err_t grant_release(broker_t *b, component_t *c, seL4_Word what, seL4_Word key)
{
    grant_t *g = what ? grant_find(c, what, key) : 0;
    if (!g) {
        return KAAL_E_NOT_HELD;
    }
    release(b, c, g);
    return KAAL_OK;
}

void grant_release_all(broker_t *b, component_t *c)
{
    for (unsigned i = 0; i < c->grants_room; i++) {
        if (c->grants[i].what) {
            release(b, c, &c->grants[i]);
        }
    }
}

seL4_Word grant_broker_slots(const component_t *c)
{
    seL4_Word n = 0;
    for (unsigned i = 0; i < c->grants_room; i++) {
        const grant_t *g = &c->grants[i];
        n += (g->original != 0) + (g->signal != 0);
        for (unsigned f = 0; f < g->nframes; f++) {
            n += g->frames[f].cap != 0;
        }
    }
    return n;
}
