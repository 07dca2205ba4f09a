/*
 * Channels: the ring's frames belong to the broker; each side maps its own
 * copies of their caps (kept in that side's CNode, so reclaiming a side
 * unmaps it) and holds a Signal-only cap to the other side's notification,
 * badged with a bit of the other side's choosing.
 */
#include <kaal/rt.h>
#include <kaal/spawn.h>

#define PAGE 0x1000ul

kaal_err_t channel_create(broker_t *b, channel_t *ch, seL4_Word size)
{
    ch->nframes = 0;
    ch->size = size;
    if (size == 0 || (size & (PAGE - 1)) || size / PAGE > CHANNEL_MAX_FRAMES) {
        return KAAL_E_INVAL;
    }
    for (unsigned i = 0; i < size / PAGE; i++) {
        kaal_err_t err = untyped_alloc(&b->mem, seL4_X86_4K, 0, &ch->frames[i]);
        if (err != KAAL_OK) {
            channel_destroy(b, ch);
            return err;
        }
        ch->nframes++;
    }
    return KAAL_OK;
}

void channel_destroy(broker_t *b, channel_t *ch)
{
    for (unsigned i = 0; i < ch->nframes; i++) {
        untyped_free(&b->mem, &ch->frames[i]);
    }
    ch->nframes = 0;
}

/* Maps one copy of a ring frame into comp at vaddr and parks the copy in comp's CNode. */
static kaal_err_t map_copy(broker_t *b, component_t *c, seL4_CPtr frame, seL4_Word vaddr)
{
    seL4_CPtr copy;
    seL4_Word slot;
    kaal_err_t err = cspace_slot_alloc(&b->slots, &copy);
    if (err != KAAL_OK) {
        return err;
    }
    c->invocations++;
    if (seL4_CNode_Copy(b->slots.root, copy, b->slots.depth, b->slots.root, frame, b->slots.depth,
                        seL4_AllRights) != seL4_NoError) {
        cspace_slot_free(&b->slots, copy);
        return KAAL_E_KERNEL;
    }
    err = vspace_map(&c->vs, copy, vaddr, seL4_PageBits, seL4_ReadWrite, seL4_X86_Default_VMAttributes);
    if (err != KAAL_OK) {
        seL4_CNode_Delete(b->slots.root, copy, b->slots.depth);
        cspace_slot_free(&b->slots, copy);
        return err;
    }
    return spawn_hand_over(b, c, copy, &slot);
}

/* Lays out side k in its component: the ring's mapping, a slot for its signal, a bit of its notification. */
static kaal_err_t attach(broker_t *b, channel_t *ch, unsigned k)
{
    channel_side_t *s = &ch->side[k];
    component_t *c = s->comp;
    if (c->info.nchannels == KAAL_MAX_CHANNELS || c->next_slot + ch->nframes + 1 > (1u << KAAL_CNODE_BITS)) {
        return KAAL_E_LAYOUT;
    }
    s->vaddr = c->next_vaddr;
    kaal_err_t err = vspace_reserve(&c->vs, s->vaddr, ch->size);
    for (unsigned i = 0; err == KAAL_OK && i < ch->nframes; i++) {
        err = map_copy(b, c, ch->frames[i].cap, s->vaddr + i * PAGE);
    }
    if (err != KAAL_OK) {
        return err;
    }
    s->bit = spawn_take_bit(c);
    if (s->bit >= seL4_WordBits) {
        return KAAL_E_LAYOUT;
    }
    c->next_vaddr += ch->size + PAGE; /* an unmapped page after each ring */
    s->signal = c->next_slot++;
    const component_t *peer = ch->side[1 - k].comp;
    kaal_channel_grant_t *g = &c->info.channels[c->info.nchannels++];
    *g = (kaal_channel_grant_t){.vaddr = s->vaddr, .size = ch->size, .signal = s->signal, .bit = s->bit,
                                .role = k == 0 ? KAAL_CHANNEL_WRITER : KAAL_CHANNEL_READER};
    rt_strlcpy(g->peer, peer->desc->name, sizeof(g->peer));
    return KAAL_OK;
}

/* Side k's signal: the other side's notification, badged with the other side's bit, Write only. */
static kaal_err_t give_signal(broker_t *b, channel_t *ch, unsigned k)
{
    const channel_side_t *s = &ch->side[k], *other = &ch->side[1 - k];
    s->comp->invocations++;
    seL4_Error e = seL4_CNode_Mint(s->comp->cnode.cap, s->signal, KAAL_CNODE_BITS, b->slots.root,
                                   other->comp->ntfn.cap, b->slots.depth, seL4_CanWrite, 1ul << other->bit);
    return e == seL4_NoError ? KAAL_OK : KAAL_E_KERNEL;
}

kaal_err_t channel_connect(broker_t *b, channel_t *ch, component_t *writer, component_t *reader)
{
    ch->side[0].comp = writer;
    ch->side[1].comp = reader;
    kaal_err_t err = attach(b, ch, 0);
    if (err == KAAL_OK) {
        err = attach(b, ch, 1);
    }
    if (err == KAAL_OK) {
        err = give_signal(b, ch, 0);
    }
    return err == KAAL_OK ? give_signal(b, ch, 1) : err;
}

/* The rebuilt side's old caps went with its old objects, and so did the
 * peer's signal to it (a badged child of the old notification). */
kaal_err_t channel_reconnect(broker_t *b, channel_t *ch, component_t *rebuilt)
{
    unsigned k = ch->side[0].comp == rebuilt ? 0 : 1;
    if (ch->side[k].comp != rebuilt) {
        return KAAL_E_INVAL;
    }
    kaal_err_t err = attach(b, ch, k);
    if (err == KAAL_OK) {
        err = give_signal(b, ch, k);
    }
    return err == KAAL_OK ? give_signal(b, ch, 1 - k) : err;
}
