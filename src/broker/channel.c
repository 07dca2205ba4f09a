/*
 * Channels: the ring's frames belong to the broker. Connecting a channel
 * only lays out each side's end: its entry in the information page, a bit
 * of its notification, a place for the ring. A side maps the ring when it
 * opens the channel by RPC (grant_channel), and gets a Signal-only cap to
 * the other side's notification, badged with the other side's bit. A
 * channel with an endpoint also gives its reader an inbox (KAAL_CAP_INBOX),
 * and its writer, on opening, a cap to that inbox badged with
 * KAAL_BADGE_MESSAGE and the reader's bit, with Grant if the channel may
 * carry capabilities.
 */
#include <kaal/rt.h>
#include <kaal/spawn.h>

#define PAGE 0x1000ul

#define LARGE (1ul << seL4_LargePageBits)

/* The ring's frames: 2 MiB pages for each whole 2 MiB of it (4 KiB ones if memory has no 2 MiB
 * block left), then 4 KiB pages for the rest. */
static kaal_err_t ring_frames(broker_t *b, channel_t *ch, seL4_Word large, seL4_Word small)
{
    kaal_err_t err = large ? untyped_alloc_objects(&b->mem, 0, kaal_arch.large_page_object, large, ch->frames)
                           : KAAL_OK;
    if (err == KAAL_OK && small) {
        err = untyped_alloc_objects(&b->mem, 0, kaal_arch.page_object, small, ch->frames + large);
        if (err != KAAL_OK) {
            untyped_free_objects(&b->mem, 0, ch->frames, large);
        }
    }
    return err;
}

kaal_err_t call_create(channel_t *ch, kaal_endpoint_t endpoint)
{
    *ch = (channel_t){.kind = CONNECTION_CALL, .endpoint = endpoint};
    return endpoint == KAAL_ENDPOINT_SEND || endpoint == KAAL_ENDPOINT_GRANT ? KAAL_OK : KAAL_E_INVAL;
}

kaal_err_t channel_create(broker_t *b, channel_t *ch, seL4_Word size, kaal_endpoint_t endpoint)
{
    ch->kind = CONNECTION_CHANNEL;
    ch->gone_pending = 0;
    ch->nframes = 0;
    ch->size = size;
    ch->endpoint = endpoint;
    ch->frames = 0;
    if (size == 0 || (size & (PAGE - 1)) || size > KAAL_CHANNEL_END - KAAL_CHANNEL_VADDR) {
        return KAAL_E_INVAL;
    }
    seL4_Word room = size / PAGE; /* entries: enough for 4 KiB pages only */
    ch->frames = heap_alloc(&b->heap, room * sizeof(kaal_obj_t));
    if (!ch->frames) {
        return KAAL_E_NO_METADATA;
    }
    seL4_Word large = size / LARGE, small = (size % LARGE) / PAGE;
    kaal_err_t err = ring_frames(b, ch, large, small);
    if (err == KAAL_E_NO_MEMORY && large) {
        large = 0;
        small = room;
        err = ring_frames(b, ch, large, small);
    }
    if (err == KAAL_OK) {
        ch->nframes = (unsigned)(large + small);
    } else {
        heap_free(&b->heap, ch->frames, room * sizeof(kaal_obj_t));
        ch->frames = 0;
    }
    return err;
}

void channel_destroy(broker_t *b, channel_t *ch)
{
    if (ch->frames) {
        untyped_free_objects(&b->mem, 0, ch->frames, ch->nframes);
        heap_free(&b->heap, ch->frames, ch->size / PAGE * sizeof(kaal_obj_t));
    }
    ch->frames = 0;
    ch->nframes = 0;
}

static kaal_err_t kernel(component_t *c, seL4_Error e)
{
    c->invocations++;
    return e == seL4_NoError ? KAAL_OK : e == seL4_DeleteFirst ? KAAL_E_SLOT : KAAL_E_KERNEL;
}

/* An endpoint the reader receives on (Read only), and its notification bound
 * to its thread, so that one seL4_Recv waits for messages and signals. */
static kaal_err_t give_inbox(broker_t *b, component_t *c)
{
    if (c->inbox.cap) {
        return KAAL_OK;
    }
    kaal_err_t err = spawn_alloc(b, c, seL4_EndpointObject, 0, &c->inbox);
    if (err == KAAL_OK) {
        err = kernel(c, seL4_CNode_Mint(c->cnode.cap, KAAL_CAP_INBOX, c->info.cnode_bits, b->slots.root, c->inbox.cap,
                                        b->slots.depth, seL4_CanRead, 0));
    }
    return err == KAAL_OK ? kernel(c, seL4_TCB_BindNotification(c->tcb.cap, c->ntfn.cap)) : err;
}

/* Where the component's next ring of `size` goes: a ring of 2 MiB or more at a 2 MiB boundary
 * in every component, so its 2 MiB pages map whole. */
static seL4_Word ring_vaddr(const component_t *c, seL4_Word size)
{
    return size >= LARGE ? (c->next_vaddr + LARGE - 1) & ~(LARGE - 1) : c->next_vaddr;
}

int channel_room(const component_t *c, seL4_Word size)
{
    return ring_vaddr(c, size) + size <= KAAL_CHANNEL_END;
}

/* Lays out side k in its component: its entry, a bit of its notification, a place for the ring. */
static kaal_err_t attach(broker_t *b, channel_t *ch, unsigned k)
{
    channel_side_t *s = &ch->side[k];
    component_t *c = s->comp;
    int call = ch->kind == CONNECTION_CALL;
    if (!call && !channel_room(c, ch->size)) {
        return KAAL_E_LAYOUT;
    }
    kaal_allocator_t heap = heap_allocator(&b->heap);
    unsigned room = c->chan_room;
    if (!kaal_room(&heap, (void **)&c->channels, &room, c->info.nchannels + 1, sizeof(*c->channels)) ||
        !kaal_room(&heap, (void **)&c->chan_table, &c->chan_room, c->info.nchannels + 1, sizeof(*c->chan_table))) {
        return KAAL_E_NO_METADATA;
    }
    c->info.channels = c->chan_table;
    s->bit = call ? 0 : spawn_take_bit(c); /* a call signals nothing */
    if (k == 1 && ch->endpoint != KAAL_ENDPOINT_NONE) { /* a reader with messages, a call's server */
        kaal_err_t err = give_inbox(b, c);
        if (err != KAAL_OK) {
            return err;
        }
    }
    s->index = c->info.nchannels++;
    s->vaddr = call ? 0 : ring_vaddr(c, ch->size);
    if (!call) {
        c->next_vaddr = s->vaddr + ch->size + PAGE; /* an unmapped page after each ring */
    }
    c->channels[s->index] = ch;
    kaal_channel_grant_t *g = &c->info.channels[s->index];
    uint32_t role = call ? (k == 0 ? KAAL_CALL_CLIENT : KAAL_CALL_SERVER)
                         : (k == 0 ? KAAL_CHANNEL_WRITER : KAAL_CHANNEL_READER);
    const component_t *peer = ch->side[1 - k].comp;
    uint32_t peer_state = peer->state == COMPONENT_EXITED    ? KAAL_PEER_EXITED
                          : peer->state == COMPONENT_STOPPED ? KAAL_PEER_STOPPED
                          : peer->state == COMPONENT_NONE    ? KAAL_PEER_RESTARTING
                                                             : KAAL_PEER_RUNNING;
    *g = (kaal_channel_grant_t){.vaddr = s->vaddr, .size = ch->size, .bit = s->bit, .role = role,
                                .endpoint = ch->endpoint, .peer_state = peer_state,
                                .peer_generation = peer->generation, .seen_state = peer_state,
                                .seen_generation = peer->generation};
    rt_strlcpy(g->peer, ch->side[1 - k].comp->desc->name, sizeof(g->peer));
    return KAAL_OK;
}

kaal_err_t channel_connect(broker_t *b, channel_t *ch, component_t *writer, component_t *reader)
{
    ch->side[0].comp = writer;
    ch->side[1].comp = reader;
    kaal_err_t err = attach(b, ch, 0);
    return err == KAAL_OK ? attach(b, ch, 1) : err;
}

kaal_err_t channel_mint_signal(broker_t *b, channel_t *ch, unsigned k, seL4_Word slot)
{
    const channel_side_t *s = &ch->side[k], *other = &ch->side[1 - k];
    if (!other->comp->ntfn.cap) {
        return KAAL_OK; /* minted when the other side is rebuilt */
    }
    return kernel(s->comp, seL4_CNode_Mint(s->comp->cnode.cap, slot, s->comp->info.cnode_bits, b->slots.root,
                                           other->comp->ntfn.cap, b->slots.depth, seL4_CanWrite, 1ul << other->bit));
}

kaal_err_t channel_mint_inbox(broker_t *b, channel_t *ch, seL4_Word slot)
{
    component_t *writer = ch->side[0].comp, *reader = ch->side[1].comp;
    if (!reader->inbox.cap) {
        return KAAL_OK;
    }
    seL4_CapRights_t rights = seL4_CapRights_new(0, ch->endpoint == KAAL_ENDPOINT_GRANT, 0, 1);
    return kernel(writer, seL4_CNode_Mint(writer->cnode.cap, slot, writer->info.cnode_bits, b->slots.root, reader->inbox.cap,
                                          b->slots.depth, rights, KAAL_BADGE_MESSAGE | 1ul << ch->side[1].bit));
}

kaal_err_t channel_mint_call(broker_t *b, channel_t *ch, seL4_Word slot)
{
    component_t *client = ch->side[0].comp, *server = ch->side[1].comp;
    seL4_CPtr to = client->ep;
    seL4_Word badge = client->id | KAAL_BADGE_GONE | ch->side[0].index << KAAL_BADGE_GONE_SHIFT;
    seL4_CapRights_t rights = seL4_CapRights_new(1, 0, 0, 1); /* Write and GrantReply: a call */
    if (server->inbox.cap && !ch->gone_pending) {
        to = server->inbox.cap;
        badge = KAAL_BADGE_MESSAGE | KAAL_BADGE_CALL | ch->side[1].index;
        rights = seL4_CapRights_new(1, ch->endpoint == KAAL_ENDPOINT_GRANT, 0, 1);
    }
    return kernel(client, seL4_CNode_Mint(client->cnode.cap, slot, client->info.cnode_bits, b->slots.root, to,
                                          b->slots.depth, rights, badge));
}

/* The cap in the client's slot (a call it has open) made again: to the server, or to the broker. */
static void remint_call(broker_t *b, channel_t *ch, const grant_t *g)
{
    component_t *client = ch->side[0].comp;
    seL4_CNode_Delete(client->cnode.cap, g->slot, client->info.cnode_bits);
    channel_mint_call(b, ch, g->slot);
}

void channel_call_server_gone(broker_t *b, channel_t *ch)
{
    component_t *client = ch->side[0].comp;
    const grant_t *g = client->state == COMPONENT_RUNNING ? grant_find(client, KAAL_RPC_CHANNEL, ch->side[0].index) : 0;
    if (!g) {
        return; /* it has not opened the call: nothing leads to the server */
    }
    kaal_channel_grant_t entry;
    ch->gone_pending = spawn_read_channel(b, client, ch->side[0].index, &entry) == KAAL_OK && entry.calling;
    remint_call(b, ch, g);
    if (ch->gone_pending) { /* blocked on a reply that will not come: it calls again, into the broker */
        client->invocations++;
        seL4_TCB_Resume(client->tcb.cap);
    }
}

void channel_call_answered(broker_t *b, channel_t *ch)
{
    component_t *client = ch->side[0].comp;
    const grant_t *g = grant_find(client, KAAL_RPC_CHANNEL, ch->side[0].index);
    ch->gone_pending = 0;
    if (g && ch->side[1].comp->inbox.cap) {
        remint_call(b, ch, g);
    }
}

/* The rebuilt side's old objects took with them every cap the other side
 * held to them (badged children of its old notification and inbox). */
kaal_err_t channel_reconnect(broker_t *b, channel_t *ch, component_t *rebuilt)
{
    unsigned k = ch->side[0].comp == rebuilt ? 0 : 1;
    if (ch->side[k].comp != rebuilt) {
        return KAAL_E_INVAL;
    }
    kaal_err_t err = attach(b, ch, k);
    const channel_side_t *other = &ch->side[1 - k];
    const grant_t *g = err == KAAL_OK ? grant_find(other->comp, KAAL_RPC_CHANNEL, other->index) : 0;
    if (ch->kind == CONNECTION_CALL) {
        if (k == 0) {
            ch->gone_pending = 0; /* a new client: nothing of the old one's call is left */
        } else if (g && !ch->gone_pending) {
            remint_call(b, ch, g); /* the server is back: the client's cap leads to it again */
        }
        return err;
    }
    if (g) { /* the other side has it open */
        err = channel_mint_signal(b, ch, 1 - k, g->slot);
        if (err == KAAL_OK && g->inbox) {
            err = channel_mint_inbox(b, ch, g->inbox);
        }
    }
    return err;
}

/* Signals `bits` on c's notification, through a badged copy made for the moment. */
static void signal_bits(broker_t *b, const component_t *c, seL4_Word bits)
{
    seL4_CPtr signal;
    if (!c->ntfn.cap || cspace_slot_alloc(&b->slots, &signal) != KAAL_OK) {
        return;
    }
    if (seL4_CNode_Mint(b->slots.root, signal, b->slots.depth, b->slots.root, c->ntfn.cap, b->slots.depth,
                        seL4_CanWrite, bits) == seL4_NoError) {
        seL4_Signal(signal);
        seL4_CNode_Delete(b->slots.root, signal, b->slots.depth);
    }
    cspace_slot_free(&b->slots, signal);
}

void channel_wake_peer(broker_t *b, channel_t *ch, const component_t *gone)
{
    if (ch->kind == CONNECTION_CALL) {
        return; /* calls have no signals */
    }
    const channel_side_t *other = &ch->side[ch->side[0].comp == gone ? 1 : 0];
    signal_bits(b, other->comp, 1ul << other->bit);
}

void channel_peer_changed(broker_t *b, channel_t *ch, const component_t *changed, kaal_peer_state_t state)
{
    const channel_side_t *other = &ch->side[ch->side[0].comp == changed ? 1 : 0];
    if (other->comp->state == COMPONENT_RUNNING &&
        spawn_write_peer(b, other->comp, other->index, state, changed->generation) == KAAL_OK) {
        signal_bits(b, other->comp, 1ul << KAAL_BIT_PEER);
    }
}
