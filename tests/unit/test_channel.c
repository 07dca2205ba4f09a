/*
 * Channels on the sim, from the broker's side: what connecting lays out,
 * what opening one by RPC maps and mints (the ring, a signal each way, the
 * writer's cap to the reader's inbox), the refusals, what releasing revokes
 * (copies made of the caps included), the caps a restarted side gets back
 * from its peer, and exact accounting after a thousand restarts of one side.
 */
#include "spawn_fixture.h"

#define WRITER_ID 1
#define READER_ID 2
#define SLOT KAAL_CAP_FIRST_FREE /* the first of a component's free slots */

static component_t *const writer = &comp, *const reader = &other;
static channel_t chan;

static kaal_err_t err_of(seL4_MessageInfo_t reply)
{
    return (kaal_err_t)seL4_MessageInfo_get_label(reply);
}

/* KAAL_RPC_CHANNEL from c, as its stub sends it. */
static kaal_err_t open_as(component_t *c, seL4_Word index, seL4_Word slot, seL4_Word inbox, seL4_Word *vaddr)
{
    seL4_SetMR(0, index);
    seL4_SetMR(1, slot);
    seL4_SetMR(2, inbox);
    seL4_MessageInfo_t r = rpc_serve(&br, c, seL4_MessageInfo_new(KAAL_RPC_CHANNEL, 0, 0, 3));
    if (err_of(r) == KAAL_OK && vaddr) {
        *vaddr = seL4_GetMR(0);
    }
    return err_of(r);
}

static kaal_err_t release_as(component_t *c, seL4_Word index)
{
    seL4_SetMR(0, KAAL_RPC_CHANNEL);
    seL4_SetMR(1, index);
    return err_of(rpc_serve(&br, c, seL4_MessageInfo_new(KAAL_RPC_RELEASE, 0, 0, 2)));
}

/* Builds and starts component id; its first instruction (ud2) arrives as its fault, and it stays stopped. */
static void start_one(component_t *c, uint32_t id)
{
    spawn_problem_t why;
    assert_int_equal(spawn_build(&br, c, &desc, id, &img, sizeof(img), ep.cap, &why), KAAL_OK);
    assert_int_equal(channel_reconnect(&br, &chan, c), KAAL_OK);
    assert_int_equal(spawn_start(&br, c), KAAL_OK);
    seL4_Word badge;
    seL4_Recv(ep.cap, &badge);
    assert_int_equal(badge, id | KAAL_BADGE_FAULT);
}

static int setup(void **state)
{
    fresh(state);
    memset(&other, 0, sizeof(other));
    memset(&chan, 0, sizeof(chan));
    spawn_problem_t why;
    assert_int_equal(spawn_build(&br, writer, &desc, WRITER_ID, &img, sizeof(img), ep.cap, &why), KAAL_OK);
    assert_int_equal(spawn_build(&br, reader, &desc, READER_ID, &img, sizeof(img), ep.cap, &why), KAAL_OK);
    assert_int_equal(channel_create(&br, &chan, 2 * PAGE, KAAL_ENDPOINT_GRANT), KAAL_OK);
    assert_int_equal(channel_connect(&br, &chan, writer, reader), KAAL_OK);
    for (component_t *c = writer; c; c = c == writer ? reader : 0) {
        assert_int_equal(spawn_start(&br, c), KAAL_OK);
        seL4_Word badge;
        seL4_Recv(ep.cap, &badge);
        assert_int_equal(badge, (c == writer ? WRITER_ID : READER_ID) | KAAL_BADGE_FAULT);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    spawn_destroy(&br, writer);
    spawn_destroy(&br, reader);
    channel_destroy(&br, &chan);
    assert_all_back();
    return 0;
}

/* A copy of what is in slot `slot` of c's CNode, made in the broker's: 0 if the slot is empty. */
static seL4_CPtr copy_out(const component_t *c, seL4_Word slot)
{
    seL4_CPtr copy;
    assert_int_equal(cspace_slot_alloc(&br.slots, &copy), KAAL_OK);
    if (seL4_CNode_Copy(br.slots.root, copy, br.slots.depth, c->cnode.cap, slot, c->info.cnode_bits,
                        seL4_AllRights) != seL4_NoError) {
        cspace_slot_free(&br.slots, copy);
        return 0;
    }
    return copy;
}

static void drop(seL4_CPtr copy)
{
    assert_int_equal(seL4_CNode_Delete(br.slots.root, copy, br.slots.depth), seL4_NoError);
    assert_int_equal(cspace_slot_free(&br.slots, copy), KAAL_OK);
}

/* Signals through slot `slot` of c; the bits the other side's notification then holds. */
static seL4_Word signal_through(const component_t *c, seL4_Word slot, const component_t *to)
{
    seL4_CPtr copy = copy_out(c, slot);
    assert_int_not_equal(copy, 0);
    seL4_Signal(copy);
    drop(copy);
    /* Only its own thread may wait on a bound notification: unbound to look. */
    if (to->inbox.cap) {
        assert_int_equal(seL4_TCB_UnbindNotification(to->tcb.cap), seL4_NoError);
    }
    seL4_Word bits = 0;
    seL4_Poll(to->ntfn.cap, &bits);
    if (to->inbox.cap) {
        assert_int_equal(seL4_TCB_BindNotification(to->tcb.cap, to->ntfn.cap), seL4_NoError);
    }
    return bits;
}

static void connecting_lays_out_both_ends_and_maps_nothing(void **state)
{
    (void)state;
    const kaal_channel_grant_t *w = &writer->info.channels[0], *r = &reader->info.channels[0];
    assert_int_equal(writer->info.nchannels, 1);
    assert_int_equal(w->role, KAAL_CHANNEL_WRITER);
    assert_int_equal(r->role, KAAL_CHANNEL_READER);
    assert_int_equal(w->vaddr, KAAL_CHANNEL_VADDR);
    assert_int_equal(w->size, 2 * PAGE);
    assert_int_equal(w->endpoint, KAAL_ENDPOINT_GRANT);
    assert_int_equal(w->signal, 0); /* caps come when it opens the channel */
    assert_int_equal(w->inbox, 0);
    assert_true(w->bit < KAAL_BIT_OWN_FIRST && r->bit < KAAL_BIT_OWN_FIRST);
    assert_false(vspace_is_mapped(&writer->vs, w->vaddr, seL4_PageBits));
    /* Only the reader has an inbox, Read only, and its notification is bound to its thread. */
    assert_int_not_equal(reader->inbox.cap, 0);
    assert_int_equal(writer->inbox.cap, 0);
    seL4_CPtr inbox = copy_out(reader, KAAL_CAP_INBOX);
    assert_int_not_equal(inbox, 0);
    drop(inbox);
    assert_int_equal(copy_out(writer, KAAL_CAP_INBOX), 0);
    assert_int_equal(seL4_TCB_BindNotification(reader->tcb.cap, reader->ntfn.cap), seL4_IllegalOperation);
}

static void opening_maps_the_ring_and_mints_a_signal_to_the_peer(void **state)
{
    (void)state;
    seL4_Word wv = 0, rv = 0, slots0 = spawn_broker_slots(writer);
    unsigned tables0 = writer->vs.ntables;
    assert_int_equal(open_as(writer, 0, SLOT, SLOT + 1, &wv), KAAL_OK);
    assert_int_equal(open_as(reader, 0, SLOT, 0, &rv), KAAL_OK);
    assert_int_equal(wv, writer->info.channels[0].vaddr);
    assert_int_equal(rv, reader->info.channels[0].vaddr);
    for (seL4_Word p = 0; p < 2; p++) {
        assert_true(vspace_is_mapped(&writer->vs, wv + p * PAGE, seL4_PageBits));
        assert_true(vspace_is_mapped(&reader->vs, rv + p * PAGE, seL4_PageBits));
    }
    assert_false(vspace_is_mapped(&writer->vs, wv + 2 * PAGE, seL4_PageBits)); /* the guard page */
    /* Its copies of the ring's frame caps, and the paging structures they needed. */
    assert_int_equal(spawn_broker_slots(writer), slots0 + 2 + (seL4_Word)(writer->vs.ntables - tables0));
    /* Each side's signal sets the other side's bit, and only that. */
    assert_int_equal(signal_through(writer, SLOT, reader), 1ul << reader->info.channels[0].bit);
    assert_int_equal(signal_through(reader, SLOT, writer), 1ul << writer->info.channels[0].bit);
    seL4_CPtr inbox = copy_out(writer, SLOT + 1);
    assert_int_not_equal(inbox, 0);
    drop(inbox);
    assert_int_equal(spawn_own_slots(writer), 6 + 2);
    assert_int_equal(spawn_own_slots(reader), 6 + 1 + 1);
}

static void opening_is_checked(void **state)
{
    (void)state;
    seL4_Word v = 0;
    assert_int_equal(open_as(writer, 1, SLOT, 0, &v), KAAL_E_INVAL); /* it has one channel */
    assert_int_equal(open_as(writer, 1ul << 40, SLOT, 0, &v), KAAL_E_INVAL);
    assert_int_equal(open_as(reader, 0, SLOT, SLOT + 1, &v), KAAL_E_DENIED); /* the reader has no inbox cap */
    assert_int_equal(open_as(writer, 0, KAAL_CAP_NTFN, 0, &v), KAAL_E_SLOT);
    assert_int_equal(open_as(writer, 0, SLOT, SLOT, &v), KAAL_E_SLOT);
    assert_int_equal(open_as(writer, 0, SLOT, 1ul << writer->info.cnode_bits, &v), KAAL_E_SLOT);
    assert_int_equal(grant_broker_slots(writer), 0); /* nothing of the refusals stays */
    assert_int_equal(open_as(writer, 0, SLOT, 0, &v), KAAL_OK); /* no inbox cap wanted */
    assert_int_equal(open_as(writer, 0, SLOT + 1, 0, &v), KAAL_E_BUSY);
    assert_int_equal(copy_out(writer, SLOT + 1), 0);
    /* A slot that is not empty: refused, and nothing of the attempt stays. */
    assert_int_equal(open_as(reader, 0, KAAL_CAP_FIRST_FREE - 1, 0, &v), KAAL_E_SLOT);
    seL4_CPtr copy = copy_out(writer, SLOT);
    assert_int_equal(seL4_CNode_Copy(reader->cnode.cap, SLOT, reader->info.cnode_bits, br.slots.root, copy, br.slots.depth,
                                     seL4_AllRights),
                     seL4_NoError);
    drop(copy);
    assert_int_equal(open_as(reader, 0, SLOT, 0, &v), KAAL_E_SLOT);
    assert_int_equal(grant_broker_slots(reader), 0);
    assert_false(vspace_is_mapped(&reader->vs, reader->info.channels[0].vaddr, seL4_PageBits));
    assert_int_equal(seL4_CNode_Delete(reader->cnode.cap, SLOT, reader->info.cnode_bits), seL4_NoError);
    assert_int_equal(open_as(reader, 0, SLOT, 0, &v), KAAL_OK);
}

static void releasing_unmaps_and_revokes_every_copy(void **state)
{
    (void)state;
    seL4_Word v = 0, slots0 = spawn_broker_slots(writer), bytes0 = spawn_bytes(writer);
    unsigned tables0 = writer->vs.ntables; /* paging structures made for the ring stay with the vspace */
    assert_int_equal(open_as(writer, 0, SLOT, SLOT + 1, &v), KAAL_OK);
    /* Copies the writer made of its caps, as it would to pass them on. */
    assert_int_equal(seL4_CNode_Copy(writer->cnode.cap, SLOT + 2, writer->info.cnode_bits, writer->cnode.cap, SLOT,
                                     writer->info.cnode_bits, seL4_AllRights),
                     seL4_NoError);
    assert_int_equal(seL4_CNode_Copy(reader->cnode.cap, SLOT + 3, reader->info.cnode_bits, writer->cnode.cap, SLOT + 1,
                                     writer->info.cnode_bits, seL4_AllRights),
                     seL4_NoError);
    assert_int_equal(release_as(writer, 0), KAAL_OK);
    assert_false(vspace_is_mapped(&writer->vs, v, seL4_PageBits));
    for (seL4_Word s = SLOT; s < SLOT + 3; s++) {
        assert_int_equal(copy_out(writer, s), 0);
    }
    assert_int_equal(copy_out(reader, SLOT + 3), 0);
    assert_int_equal(spawn_broker_slots(writer), slots0 + (seL4_Word)(writer->vs.ntables - tables0));
    assert_int_equal(spawn_bytes(writer), bytes0 + (seL4_Word)(writer->vs.ntables - tables0) * PAGE);
    assert_int_equal(release_as(writer, 0), KAAL_E_NOT_HELD);
    assert_int_equal(open_as(writer, 0, SLOT, SLOT + 1, &v), KAAL_OK); /* and it may open it again */
}

/* The reader goes (its objects, and every cap to them, with it) and comes back. */
static void restart_reader(void)
{
    spawn_destroy(&br, reader);
    reader->generation++;
    start_one(reader, READER_ID);
}

static void a_restarted_side_gets_its_peer_caps_renewed(void **state)
{
    (void)state;
    seL4_Word v = 0;
    assert_int_equal(open_as(writer, 0, SLOT, SLOT + 1, &v), KAAL_OK);
    assert_int_equal(open_as(reader, 0, SLOT, 0, &v), KAAL_OK);
    restart_reader();
    /* The reader's end is laid out as before, closed; the writer's caps point at the new reader. */
    assert_int_equal(reader->info.nchannels, 1);
    assert_int_equal(reader->info.channels[0].vaddr, KAAL_CHANNEL_VADDR);
    assert_false(vspace_is_mapped(&reader->vs, KAAL_CHANNEL_VADDR, seL4_PageBits));
    assert_int_equal(signal_through(writer, SLOT, reader), 1ul << reader->info.channels[0].bit);
    seL4_CPtr inbox = copy_out(writer, SLOT + 1);
    assert_int_not_equal(inbox, 0);
    drop(inbox);
    assert_int_equal(open_as(reader, 0, SLOT, 0, &v), KAAL_OK);
    assert_int_equal(signal_through(reader, SLOT, writer), 1ul << writer->info.channels[0].bit);
}

/* The acceptance's figure: restarts of one side of an open channel, each
 * crash taken, reclaimed, rebuilt and reconnected; afterwards the broker has
 * exactly the memory and slots it had with the reader first built. */
static void a_thousand_restarts_of_a_channel_side_leave_nothing_behind(void **state)
{
    (void)state;
    seL4_Word v = 0;
    assert_int_equal(open_as(writer, 0, SLOT, SLOT + 1, &v), KAAL_OK);
    assert_int_equal(open_as(reader, 0, SLOT, 0, &v), KAAL_OK);
    untyped_coalesce(&br.mem);
    seL4_Word used = broker_given_bytes(&br), slots = broker_given_slots(&br);
    for (int i = 0; i < 1000; i++) {
        restart_reader();
        assert_int_equal(open_as(reader, 0, SLOT, 0, &v), KAAL_OK);
    }
    assert_int_equal(signal_through(writer, SLOT, reader), 1ul << reader->info.channels[0].bit);
    assert_int_equal(broker_given_bytes(&br), used);
    untyped_coalesce(&br.mem);
    assert_int_equal(broker_given_slots(&br), slots);
}

/* Opening a channel maps its ring in a new page table: charged to the component's
 * quota, refused when it would pass it, and the refusal leaves nothing behind. */
static void opening_a_channel_is_charged_to_the_quota(void **state)
{
    (void)state;
    fill_quota(writer);
    seL4_Word held = spawn_bytes(writer), used = broker_given_bytes(&br);
    assert_int_equal(open_as(writer, 0, SLOT, 0, NULL), KAAL_E_QUOTA);
    assert_int_equal(spawn_bytes(writer), held);
    assert_int_equal(broker_given_bytes(&br), used);
    assert_int_equal(release_as(writer, 0), KAAL_E_NOT_HELD);
    assert_int_equal(open_as(reader, 0, SLOT, 0, NULL), KAAL_OK); /* its peer has room */
}

/* A ring of 4 MiB and 8 KiB: two 2 MiB pages and two 4 KiB ones, at a 2 MiB boundary in both
 * components, with its guard page after it; all of it back once released and destroyed. */
static void a_large_ring_maps_in_2_mib_pages(void **state)
{
    (void)state;
    static channel_t big;
    const seL4_Word large = 1ul << seL4_LargePageBits, size = 2 * large + 2 * PAGE;
    assert_int_equal(channel_create(&br, &big, size, KAAL_ENDPOINT_NONE), KAAL_OK);
    assert_int_equal(big.nframes, 4);
    assert_int_equal(big.frames[0].size_bits, seL4_LargePageBits);
    assert_int_equal(big.frames[2].size_bits, seL4_PageBits);
    assert_int_equal(channel_connect(&br, &big, writer, reader), KAAL_OK);
    for (component_t *c = writer; c; c = c == writer ? reader : 0) {
        seL4_Word v = 0;
        assert_int_equal(open_as(c, 1, c == writer ? SLOT + 2 : SLOT + 1, 0, &v), KAAL_OK);
        assert_int_equal(v, c->info.channels[1].vaddr);
        assert_int_equal(v % large, 0);
        assert_true(v >= KAAL_CHANNEL_VADDR + 2 * PAGE + PAGE); /* past the first ring and its guard */
        assert_true(vspace_is_mapped(&c->vs, v, seL4_LargePageBits));
        assert_true(vspace_is_mapped(&c->vs, v + large, seL4_LargePageBits));
        assert_true(vspace_is_mapped(&c->vs, v + 2 * large, seL4_PageBits));
        assert_true(vspace_is_mapped(&c->vs, v + 2 * large + PAGE, seL4_PageBits));
        assert_false(vspace_is_mapped(&c->vs, v + size, seL4_PageBits)); /* the guard page */
    }
    /* Both ends see the same memory. */
    seL4_Word paddr_w = 0, paddr_r = 0;
    assert_int_equal(grant_find(writer, KAAL_RPC_CHANNEL, 1)->nframes, 4);
    paddr_w = seL4_X86_Page_GetAddress(grant_find(writer, KAAL_RPC_CHANNEL, 1)->frames[1].cap).paddr;
    paddr_r = seL4_X86_Page_GetAddress(grant_find(reader, KAAL_RPC_CHANNEL, 1)->frames[1].cap).paddr;
    assert_int_equal(paddr_w, paddr_r);
    assert_int_equal(paddr_w, big.frames[1].paddr);
    assert_int_equal(release_as(writer, 1), KAAL_OK);
    assert_int_equal(release_as(reader, 1), KAAL_OK);
    assert_false(vspace_is_mapped(&writer->vs, writer->info.channels[1].vaddr, seL4_LargePageBits));
    channel_destroy(&br, &big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(connecting_lays_out_both_ends_and_maps_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(opening_maps_the_ring_and_mints_a_signal_to_the_peer, setup, teardown),
        cmocka_unit_test_setup_teardown(opening_is_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(opening_a_channel_is_charged_to_the_quota, setup, teardown),
        cmocka_unit_test_setup_teardown(releasing_unmaps_and_revokes_every_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(a_restarted_side_gets_its_peer_caps_renewed, setup, teardown),
        cmocka_unit_test_setup_teardown(a_thousand_restarts_of_a_channel_side_leave_nothing_behind, setup, teardown),
        cmocka_unit_test_setup_teardown(a_large_ring_maps_in_2_mib_pages, setup, teardown),
    };
    RUN_TESTS(tests, boot, NULL);
}
