/*
 * Building a component from its ELF image, every step an seL4 invocation:
 * objects from the untyped allocator, a guarded CNode filled to the layout of
 * include/kaal/component.h, segments copied into fresh frames through a
 * window in the broker's own address space, a stack under a guard page, the
 * IPC buffer, granted devices, and the TCB.
 */
#include <kaal/arch.h>
#include <kaal/rt.h>
#include <kaal/spawn.h>

#define PAGE 0x1000ul
#define INFO_FRAME 0
#define IPCBUF_FRAME 1

static seL4_Word page_down(seL4_Word v)
{
    return v & ~(PAGE - 1);
}

static seL4_Word page_up(seL4_Word v)
{
    return (v + PAGE - 1) & ~(PAGE - 1);
}

/* The bits set in w (no libgcc on seL4 for __builtin_popcount). */
static unsigned bits_set(seL4_Word w)
{
    unsigned n = 0;
    for (; w; w &= w - 1) {
        n++;
    }
    return n;
}

seL4_Word spawn_bytes(const component_t *c)
{
    return c->quota.used;
}

seL4_Word spawn_broker_slots(const component_t *c)
{
    seL4_Word n = c->nframes + c->vs.ntables + grant_broker_slots(c) + c->info.nuntyped;
    const kaal_obj_t *objs[] = {&c->cnode, &c->pml4, &c->tcb, &c->ntfn, &c->inbox};
    for (unsigned i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
        n += objs[i]->cap != 0;
    }
    return n;
}

seL4_Word spawn_own_slots(const component_t *c)
{
    if (!c->cnode.cap) {
        return 0;
    }
    seL4_Word n = KAAL_CAP_FAULT - KAAL_CAP_CNODE + 1 + (c->inbox.cap != 0) + c->info.nuntyped;
    for (unsigned i = 0; i < c->grants_room; i++) {
        n += (c->grants[i].slot != 0) + (c->grants[i].inbox != 0);
    }
    return n;
}

kaal_err_t spawn_alloc(broker_t *b, component_t *c, seL4_Word type, seL4_Word user_bits, kaal_obj_t *o)
{
    kaal_err_t err = untyped_alloc_charged(&b->mem, &c->quota, type, user_bits, o);
    if (err != KAAL_OK) {
        o->cap = 0;
    }
    return err;
}

void spawn_free(broker_t *b, component_t *c, kaal_obj_t *o)
{
    if (o->cap) {
        untyped_free_charged(&b->mem, &c->quota, o);
        o->cap = 0;
    }
}

seL4_Word spawn_take_bit(component_t *c)
{
    seL4_Word bit = 0;
    for (seL4_Word b = 1; b < KAAL_BIT_PEER; b++) {
        bit = c->bit_users[b] < c->bit_users[bit] ? b : bit;
    }
    c->bit_users[bit]++;
    c->bits |= 1ul << bit;
    return bit;
}

void spawn_give_bit(component_t *c, seL4_Word bit)
{
    if (bit < KAAL_BIT_PEER && c->bit_users[bit] && --c->bit_users[bit] == 0) {
        c->bits &= ~(1ul << bit);
    }
}

static kaal_err_t kernel(component_t *c, seL4_Error e)
{
    c->invocations++;
    return e == seL4_NoError ? KAAL_OK : KAAL_E_KERNEL;
}

/* Mints src (a cap in the broker's CSpace) into slot `slot` of the component's CNode. */
static kaal_err_t give(broker_t *b, component_t *c, seL4_Word slot, seL4_CPtr src, seL4_CapRights_t rights,
                       seL4_Word badge)
{
    return kernel(c, seL4_CNode_Mint(c->cnode.cap, slot, c->info.cnode_bits, b->slots.root, src, b->slots.depth,
                                     rights, badge));
}

/* The guard of the component's CNode cap: the bits a cptr has above the CNode's radix. */
static seL4_Word cnode_guard(const component_t *c)
{
    return seL4_CNode_CapData_new(0, seL4_WordBits - c->info.cnode_bits).words[0];
}

/* Room for the caps it starts with, two for each channel end (its signal, a writer's inbox), one
 * for each IO port range and IRQ, its untyped caps, and the slots the description asks for. */
static unsigned cnode_bits(const manifest_component_t *d)
{
    seL4_Word slots = KAAL_CAP_FIRST_FREE + 2ul * d->nchannel_ends + d->nioports + d->nirqs + d->slots +
                      (seL4_Word)bits_set(d->untyped);
    unsigned bits = KAAL_CNODE_BITS;
    while ((1ul << bits) < slots) {
        bits++;
    }
    return bits;
}

static kaal_err_t fill_cspace(broker_t *b, component_t *c, seL4_CPtr ep)
{
    kaal_err_t err = give(b, c, KAAL_CAP_CNODE, c->cnode.cap, seL4_AllRights, cnode_guard(c));
    if (err == KAAL_OK) {
        err = give(b, c, KAAL_CAP_VSPACE, c->pml4.cap, seL4_AllRights, 0);
    }
    if (err == KAAL_OK) {
        err = give(b, c, KAAL_CAP_TCB, c->tcb.cap, seL4_AllRights, 0);
    }
    if (err == KAAL_OK) {
        err = give(b, c, KAAL_CAP_BROKER, ep, seL4_CapRights_new(1, 0, 0, 1), c->id);
    }
    if (err == KAAL_OK) {
        err = give(b, c, KAAL_CAP_NTFN, c->ntfn.cap, seL4_AllRights, 0);
    }
    if (err == KAAL_OK) {
        err = give(b, c, KAAL_CAP_FAULT, ep, seL4_CapRights_new(1, 0, 0, 1), c->id | KAAL_BADGE_FAULT);
    }
    return err;
}

/* New frames for [vaddr, vaddr + n pages), recorded in c->frames from index *first. */
static kaal_err_t new_frames(broker_t *b, component_t *c, seL4_Word n, unsigned *first)
{
    kaal_allocator_t heap = heap_allocator(&b->heap);
    if (n >= (1u << 24) || !kaal_room(&heap, (void **)&c->frames, &c->frames_room, c->nframes + (unsigned)n,
                                      sizeof(*c->frames))) {
        return n >= (1u << 24) ? KAAL_E_LAYOUT : KAAL_E_NO_METADATA;
    }
    *first = c->nframes;
    /* In a few retypes (runs), freed together when the component goes. */
    kaal_err_t err = untyped_alloc_objects(&b->mem, &c->quota, kaal_arch.page_object, n, &c->frames[c->nframes]);
    if (err == KAAL_OK) {
        c->nframes += (unsigned)n;
    }
    return err;
}

static kaal_err_t map_frames(component_t *c, unsigned first, seL4_Word n, seL4_Word vaddr, seL4_CapRights_t rights,
                             unsigned attrs)
{
    for (seL4_Word i = 0; i < n; i++) {
        kaal_err_t err = vspace_map(&c->vs, c->frames[first + i].cap, vaddr + i * PAGE, seL4_PageBits, rights, attrs);
        if (err != KAAL_OK) {
            return err;
        }
    }
    return KAAL_OK;
}

/* Code copied in through the broker's window, now mapped in the component: fetches must see it. */
static kaal_err_t sync_code(component_t *c, unsigned first, seL4_Word n)
{
    for (seL4_Word i = 0; i < n; i++) {
        c->invocations++;
        if (arch_sync_code(c->frames[first + i].cap, PAGE) != seL4_NoError) {
            return KAAL_E_KERNEL;
        }
    }
    return KAAL_OK;
}

kaal_err_t spawn_prepare(broker_t *b)
{
    kaal_err_t err = b->window_ready ? KAAL_OK : vspace_pin(&b->vspace, BROKER_WINDOW);
    b->window_ready = err == KAAL_OK;
    return err;
}

/* Maps frames [first, first + n) into the broker's window, so they can be written. */
static kaal_err_t window_open(broker_t *b, component_t *c, unsigned first, seL4_Word n)
{
    for (seL4_Word i = 0; i < n; i++) {
        kaal_err_t err = vspace_map(&b->vspace, c->frames[first + i].cap, BROKER_WINDOW + i * PAGE, seL4_PageBits,
                                    seL4_ReadWrite, ARCH_MAP_DEFAULT);
        if (err != KAAL_OK) {
            while (i-- > 0) {
                vspace_unmap(&b->vspace, c->frames[first + i].cap, BROKER_WINDOW + i * PAGE, seL4_PageBits);
            }
            return err;
        }
    }
    return KAAL_OK;
}

static void window_close(broker_t *b, component_t *c, unsigned first, seL4_Word n)
{
    for (seL4_Word i = 0; i < n; i++) {
        vspace_unmap(&b->vspace, c->frames[first + i].cap, BROKER_WINDOW + i * PAGE, seL4_PageBits);
    }
}

#define WINDOW_PAGES ((1ul << seL4_LargePageBits) / PAGE) /* what one of the window's page tables maps */

/* Copies len bytes from src into the component's frames from frames[first] on, starting `offset`
 * bytes into it, through the window, as many pages at a time as its one page table maps. The
 * pages it does not touch stay as the kernel made them, zero. */
static kaal_err_t copy_in(broker_t *b, component_t *c, unsigned first, seL4_Word offset, const void *src,
                          seL4_Word len)
{
    seL4_Word pages = len ? page_up(offset + len) / PAGE : 0, end = offset + len;
    for (seL4_Word p = 0; p < pages; p += WINDOW_PAGES) {
        seL4_Word n = pages - p < WINDOW_PAGES ? pages - p : WINDOW_PAGES;
        seL4_Word lo = p * PAGE, hi = lo + n * PAGE;
        seL4_Word from = lo > offset ? lo : offset, to = hi < end ? hi : end;
        kaal_err_t err = window_open(b, c, first + (unsigned)p, n);
        if (err != KAAL_OK) {
            return err;
        }
        rt_memcpy((uint8_t *)BROKER_WINDOW + (from - lo), (const uint8_t *)src + (from - offset), to - from);
        window_close(b, c, first + (unsigned)p, n);
    }
    return KAAL_OK;
}

/* Reads (or, if `write`, writes) len bytes at `offset` into the component's frames from
 * frames[first] on, while they are mapped in its address space: through copies of their caps
 * (a cap maps in one place only). */
static kaal_err_t touch(broker_t *b, component_t *c, unsigned first, seL4_Word offset, void *buf, seL4_Word len,
                        int write)
{
    for (seL4_Word done = 0; done < len;) {
        seL4_Word at = offset + done, in_page = at % PAGE, n = PAGE - in_page < len - done ? PAGE - in_page : len - done;
        seL4_CPtr copy;
        kaal_err_t err = cspace_slot_alloc(&b->slots, &copy);
        if (err != KAAL_OK) {
            return err;
        }
        c->invocations++;
        err = seL4_CNode_Copy(b->slots.root, copy, b->slots.depth, b->slots.root, c->frames[first + at / PAGE].cap,
                              b->slots.depth, seL4_AllRights) == seL4_NoError ? KAAL_OK : KAAL_E_KERNEL;
        if (err == KAAL_OK) {
            err = vspace_map(&b->vspace, copy, BROKER_WINDOW, seL4_PageBits, write ? seL4_ReadWrite : seL4_CanRead,
                             ARCH_MAP_DEFAULT);
            if (err == KAAL_OK) {
                uint8_t *there = (uint8_t *)BROKER_WINDOW + in_page, *here = (uint8_t *)buf + done;
                rt_memcpy(write ? there : here, write ? here : there, n);
                vspace_unmap(&b->vspace, copy, BROKER_WINDOW, seL4_PageBits);
            }
            seL4_CNode_Delete(b->slots.root, copy, b->slots.depth);
        }
        cspace_slot_free(&b->slots, copy);
        if (err != KAAL_OK) {
            return err;
        }
        done += n;
    }
    return KAAL_OK;
}

kaal_err_t spawn_read_channel(broker_t *b, component_t *c, seL4_Word index, kaal_channel_grant_t *out)
{
    if (c->state != COMPONENT_RUNNING || index >= c->info.nchannels) {
        return KAAL_E_INVAL;
    }
    return touch(b, c, c->tables_frame, index * sizeof(*out), out, sizeof(*out), 0);
}

kaal_err_t spawn_write_peer(broker_t *b, component_t *c, seL4_Word index, uint32_t state, uint32_t generation)
{
    if (c->state != COMPONENT_RUNNING || index >= c->info.nchannels) {
        return KAAL_E_INVAL;
    }
    uint32_t words[2] = {state, generation};
    return touch(b, c, c->tables_frame, index * sizeof(kaal_channel_grant_t) + __builtin_offsetof(kaal_channel_grant_t, peer_state),
                 words, sizeof(words), 1);
}

/* One segment: reserve its pages, fill fresh frames with its file bytes (the rest stays zero), map them. */
static kaal_err_t load_segment(broker_t *b, component_t *c, const elf_image_t *img, const elf_segment_t *s)
{
    seL4_Word start = page_down(s->vaddr), end = page_up(s->vaddr + s->memsz), n = (end - start) / PAGE;
    if (end > KAAL_IMAGE_LIMIT) {
        return KAAL_E_LAYOUT;
    }
    unsigned first;
    kaal_err_t err = vspace_reserve(&c->vs, start, end - start);
    if (err == KAAL_OK) {
        err = new_frames(b, c, n, &first);
    }
    if (err == KAAL_OK) {
        err = copy_in(b, c, first, s->vaddr - start, img->data + s->offset, s->filesz);
    }
    int code = (s->flags & ELF_SEG_X) != 0;
    if (err == KAAL_OK) {
        err = map_frames(c, first, n, start, elf_segment_rights(s), code ? ARCH_MAP_EXECUTABLE : ARCH_MAP_DEFAULT);
    }
    return err == KAAL_OK && code && s->filesz ? sync_code(c, first, n) : err;
}

static kaal_err_t load_image(broker_t *b, component_t *c, const elf_image_t *img)
{
    for (unsigned i = 0; i < img->nsegments; i++) {
        kaal_err_t err = load_segment(b, c, img, &img->segments[i]);
        if (err != KAAL_OK) {
            return err == KAAL_E_NOT_RESERVED ? KAAL_E_LAYOUT : err;
        }
    }
    c->entry = img->entry;
    return KAAL_OK;
}

/* The information page and the IPC buffer, then the stack with an unmapped page below it. */
static kaal_err_t build_fixed(broker_t *b, component_t *c)
{
    seL4_Word stack = c->desc->stack, guard_start = KAAL_STACK_TOP - stack - PAGE;
    unsigned first;
    kaal_err_t err = vspace_reserve(&c->vs, KAAL_INFO_VADDR, 2 * PAGE);
    if (err == KAAL_OK) {
        err = new_frames(b, c, 2, &first);
    }
    if (err == KAAL_OK) {
        err = map_frames(c, IPCBUF_FRAME, 1, KAAL_IPCBUF_VADDR, seL4_ReadWrite, ARCH_MAP_DEFAULT);
    }
    if (err == KAAL_OK) {
        err = vspace_reserve(&c->vs, guard_start, KAAL_STACK_TOP - guard_start);
    }
    if (err == KAAL_OK) {
        err = new_frames(b, c, stack / PAGE, &first);
    }
    if (err == KAAL_OK) {
        err = map_frames(c, first, stack / PAGE, KAAL_STACK_TOP - stack, seL4_ReadWrite, ARCH_MAP_DEFAULT);
    }
    c->info.ipc_buffer = KAAL_IPCBUF_VADDR;
    c->info.stack_bottom = KAAL_STACK_TOP - stack;
    c->info.stack_top = KAAL_STACK_TOP;
    return err;
}

/* What the description grants, listed in the information page for the
 * component to ask for: nothing is issued until it does. */
static void list_grants(component_t *c)
{
    const manifest_component_t *d = c->desc;
    kaal_info_t *info = &c->info;
    for (unsigned i = 0; i < d->nioports && i < KAAL_MAX_IOPORTS; i++) {
        info->ioports[info->nioports++] = (kaal_ioport_grant_t){d->ioports[i].first, d->ioports[i].last};
    }
    for (unsigned i = 0; i < d->nirqs && i < KAAL_MAX_IRQS; i++) {
        info->irqs[info->nirqs++] = (kaal_irq_grant_t){d->irqs[i]};
    }
    for (unsigned i = 0; i < d->nmmio && i < KAAL_MAX_MMIO; i++) {
        info->mmio[info->nmmio++] = (kaal_mmio_grant_t){d->mmio[i].first, d->mmio[i].last + 1 - d->mmio[i].first};
    }
}

/* Its untyped memory (`untyped SIZE`): a block for each power of two of it, largest first, out
 * of its quota, copied into its slots from KAAL_CAP_FIRST_FREE on. */
static kaal_err_t give_untyped(broker_t *b, component_t *c)
{
    seL4_Word size = c->desc->untyped;
    unsigned n = (unsigned)bits_set(size);
    if (n == 0) {
        return KAAL_OK;
    }
    c->untypeds = heap_alloc(&b->heap, n * sizeof(kaal_obj_t));
    if (!c->untypeds) {
        return KAAL_E_NO_METADATA;
    }
    c->info.untyped_first = KAAL_CAP_FIRST_FREE;
    for (unsigned k = 64; k-- > 0;) {
        if (!(size >> k & 1)) {
            continue;
        }
        kaal_obj_t *u = &c->untypeds[c->info.nuntyped];
        kaal_err_t err = spawn_alloc(b, c, seL4_UntypedObject, k, u);
        if (err == KAAL_OK) {
            err = kernel(c, seL4_CNode_Copy(c->cnode.cap, KAAL_CAP_FIRST_FREE + c->info.nuntyped, c->info.cnode_bits,
                                            b->slots.root, u->cap, b->slots.depth, seL4_AllRights));
            if (err != KAAL_OK) {
                spawn_free(b, c, u);
            }
        }
        if (err != KAAL_OK) {
            return err;
        }
        c->info.untyped_bits[c->info.nuntyped++] = (uint8_t)k;
    }
    return KAAL_OK;
}

static kaal_err_t configure_tcb(component_t *c)
{
    kaal_err_t err = kernel(c, seL4_TCB_Configure(c->tcb.cap, KAAL_CAP_FAULT, c->cnode.cap, cnode_guard(c),
                                                  c->pml4.cap, 0, KAAL_IPCBUF_VADDR, c->frames[IPCBUF_FRAME].cap));
    if (err == KAAL_OK) {
        err = kernel(c, seL4_TCB_SetSchedParams(c->tcb.cap, seL4_CapInitThreadTCB, 0, c->desc->priority));
    }
    return err;
}

static kaal_err_t build(broker_t *b, component_t *c, const elf_image_t *img, seL4_CPtr ep, spawn_problem_t *why)
{
    static const struct {
        seL4_Word type;
        size_t offset;
    } objects[] = {
        {seL4_CapTableObject, __builtin_offsetof(component_t, cnode)}, /* of c->info.cnode_bits */
        {0, __builtin_offsetof(component_t, pml4)}, /* the architecture's vspace root */
        {seL4_TCBObject, __builtin_offsetof(component_t, tcb)},
        {seL4_NotificationObject, __builtin_offsetof(component_t, ntfn)},
    };
    why->step = "kernel objects";
    for (unsigned i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
        seL4_Word type = objects[i].type ? objects[i].type : kaal_arch.vspace_object;
        seL4_Word bits = type == seL4_CapTableObject ? c->info.cnode_bits : 0;
        kaal_err_t err = spawn_alloc(b, c, type, bits, (kaal_obj_t *)((char *)c + objects[i].offset));
        if (err != KAAL_OK) {
            return err;
        }
    }
    why->step = "ASID";
    kaal_err_t err = broker_assign_asid(b, c->pml4.cap, &c->invocations);
    vspace_init(&c->vs, c->pml4.cap, &b->mem, &c->quota);
    vspace_set_allocator(&c->vs, heap_allocator(&b->heap));
    if (err == KAAL_OK) {
        why->step = "CSpace";
        err = fill_cspace(b, c, ep);
    }
    if (err == KAAL_OK) {
        why->step = "untyped memory";
        err = give_untyped(b, c);
    }
    if (err == KAAL_OK) {
        why->step = "information page, IPC buffer and stack"; /* first: they are frames[0] and [1] */
        err = build_fixed(b, c);
    }
    if (err == KAAL_OK) {
        why->step = "image";
        err = load_image(b, c, img);
    }
    if (err == KAAL_OK) {
        why->step = "TCB";
        err = configure_tcb(c);
    }
    return err;
}

kaal_err_t spawn_build(broker_t *b, component_t *c, const manifest_component_t *desc, uint32_t id,
                       const void *image, size_t image_size, seL4_CPtr ep, spawn_problem_t *why)
{
    uint32_t generation = c->generation;
    rt_memset(c, 0, sizeof(*c));
    c->desc = desc;
    c->quota.limit = desc->memory;
    c->id = id;
    c->generation = generation;
    c->info.cnode_bits = cnode_bits(desc);
    c->ep = ep;
    why->step = "the broker's window";
    kaal_err_t err = spawn_prepare(b);
    if (err != KAAL_OK) {
        return err;
    }
    why->step = "ELF";
    elf_image_t img;
    err = elf_parse(image, image_size, &img, &why->elf);
    if (err != KAAL_OK) {
        return err;
    }
    seL4_Word inv0 = b->mem.invocations + b->vspace.invocations;
    err = build(b, c, &img, ep, why);
    c->invocations += b->mem.invocations + b->vspace.invocations - inv0 + c->vs.invocations;
    if (err != KAAL_OK) {
        spawn_destroy(b, c);
        return err;
    }
    kaal_info_t *info = &c->info;
    info->magic = KAAL_INFO_MAGIC;
    info->version = KAAL_INFO_VERSION;
    info->id = id;
    info->generation = generation;
    rt_strlcpy(info->name, desc->name, sizeof(info->name));
    list_grants(c);
    c->next_vaddr = KAAL_CHANNEL_VADDR;
    c->state = COMPONENT_BUILT;
    return KAAL_OK;
}

/* Where its table of regions goes: after its table of channels, word aligned; then its map of slots. */
static seL4_Word regions_offset(const component_t *c)
{
    return ((seL4_Word)c->info.nchannels * sizeof(kaal_channel_grant_t) + 7) & ~7ul;
}

static seL4_Word slot_map_offset(const component_t *c)
{
    return regions_offset(c) + (seL4_Word)c->nregions * sizeof(kaal_region_t);
}

/* Its tables of channels and regions and its map of slots, in frames of its own at
 * KAAL_CHANNELS_VADDR: the component's to write. */
static kaal_err_t write_tables(broker_t *b, component_t *c)
{
    seL4_Word table = (seL4_Word)c->info.nchannels * sizeof(kaal_channel_grant_t);
    seL4_Word n = page_up(slot_map_offset(c) + (1ul << c->info.cnode_bits) / 8) / PAGE;
    unsigned first = 0;
    kaal_err_t err = vspace_reserve(&c->vs, KAAL_CHANNELS_VADDR, n * PAGE);
    if (err == KAAL_OK) {
        err = new_frames(b, c, n, &first);
    }
    if (err == KAAL_OK && table) {
        err = copy_in(b, c, first, 0, c->chan_table, table);
    }
    if (err == KAAL_OK && c->nregions) {
        err = copy_in(b, c, first, regions_offset(c), c->region_table, c->nregions * sizeof(kaal_region_t));
    }
    c->tables_frame = first;
    if (err == KAAL_OK) {
        err = map_frames(c, first, n, KAAL_CHANNELS_VADDR, seL4_ReadWrite, ARCH_MAP_DEFAULT);
    }
    return err == KAAL_E_NOT_RESERVED ? KAAL_E_LAYOUT : err;
}

kaal_err_t spawn_start(broker_t *b, component_t *c)
{
    seL4_Word inv0 = b->mem.invocations + b->vspace.invocations + c->vs.invocations;
    c->info.free_slot = KAAL_CAP_FIRST_FREE + c->info.nuntyped; /* past its untyped caps */
    kaal_info_t page = c->info; /* as the component sees it: its table of channels is at its own address */
    page.channels = (kaal_channel_grant_t *)KAAL_CHANNELS_VADDR;
    page.slot_map = (seL4_Word *)(KAAL_CHANNELS_VADDR + slot_map_offset(c));
    page.regions = c->nregions ? (kaal_region_t *)(KAAL_CHANNELS_VADDR + regions_offset(c)) : 0;
    kaal_err_t err = write_tables(b, c);
    if (err == KAAL_OK) {
        err = copy_in(b, c, INFO_FRAME, 0, &page, sizeof(page));
    }
    if (err == KAAL_OK) {
        err = map_frames(c, INFO_FRAME, 1, KAAL_INFO_VADDR, seL4_CanRead, ARCH_MAP_DEFAULT);
    }
    if (err == KAAL_OK) {
        seL4_UserContext regs;
        seL4_Word n = arch_entry_registers(&regs, c->entry, KAAL_STACK_TOP, KAAL_INFO_VADDR);
        err = kernel(c, seL4_TCB_WriteRegisters(c->tcb.cap, 1, 0, n, &regs));
    }
    c->invocations += b->mem.invocations + b->vspace.invocations + c->vs.invocations - inv0;
    if (err == KAAL_OK) {
        c->state = COMPONENT_RUNNING;
    }
    return err;
}

/* The thread goes first, so nothing runs while the rest is taken apart; then
 * its grants (which revokes their copies). Freeing an object revokes every
 * cap to it, wherever the component passed one. */
void spawn_destroy(broker_t *b, component_t *c)
{
    spawn_free(b, c, &c->tcb);
    grant_release_all(b, c);
    for (unsigned i = 0; i < c->info.nuntyped; i++) { /* revoked: whatever it made of them goes too */
        spawn_free(b, c, &c->untypeds[i]);
    }
    if (c->untypeds) {
        heap_free(&b->heap, c->untypeds, (seL4_Word)bits_set(c->desc->untyped) * sizeof(kaal_obj_t));
    }
    c->untypeds = 0;
    c->info.nuntyped = 0;
    untyped_free_objects(&b->mem, &c->quota, c->frames, c->nframes);
    kaal_allocator_t heap = heap_allocator(&b->heap);
    kaal_table_free(&heap, (void **)&c->frames, &c->frames_room, sizeof(*c->frames));
    kaal_table_free(&heap, (void **)&c->grants, &c->grants_room, sizeof(*c->grants));
    unsigned room = c->chan_room;
    kaal_table_free(&heap, (void **)&c->channels, &room, sizeof(*c->channels));
    kaal_table_free(&heap, (void **)&c->chan_table, &c->chan_room, sizeof(*c->chan_table));
    room = c->regions_room;
    kaal_table_free(&heap, (void **)&c->regions, &room, sizeof(*c->regions));
    kaal_table_free(&heap, (void **)&c->region_table, &c->regions_room, sizeof(*c->region_table));
    c->nregions = 0;
    c->info.regions = 0;
    c->info.nregions = 0;
    c->info.channels = 0;
    c->info.nchannels = 0;
    vspace_destroy(&c->vs);
    spawn_free(b, c, &c->pml4);
    spawn_free(b, c, &c->ntfn);
    spawn_free(b, c, &c->inbox);
    spawn_free(b, c, &c->cnode);
    c->nframes = 0;
    c->bits = 0;
    rt_memset(c->bit_users, 0, sizeof(c->bit_users));
    c->state = COMPONENT_NONE;
}
