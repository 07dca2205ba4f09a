/*
 * Protected calls on the sim, from the broker's side: what connecting a call
 * lays out (the server's inbox, a client and a server entry), what opening
 * it by RPC mints (the client's cap to the server's inbox), the refusals,
 * the client's cap once the server is gone (one to the broker's endpoint,
 * which answers) and once it is back, and that everything comes back.
 */
#include "spawn_fixture.h"

#define CLIENT_ID 1
#define SERVER_ID 2
#define SLOT KAAL_CAP_FIRST_FREE

static component_t *const client = &comp, *const server = &other;
static channel_t call;

static kaal_err_t err_of(seL4_MessageInfo_t reply)
{
    return (kaal_err_t)seL4_MessageInfo_get_label(reply);
}

static kaal_err_t open_as(component_t *c, seL4_Word index, seL4_Word slot, seL4_Word inbox)
{
    seL4_SetMR(0, index);
    seL4_SetMR(1, slot);
    seL4_SetMR(2, inbox);
    return err_of(rpc_serve(&br, c, seL4_MessageInfo_new(KAAL_RPC_CHANNEL, 0, 0, 3)));
}

static void start(component_t *c, uint32_t id)
{
    assert_int_equal(spawn_start(&br, c), KAAL_OK);
    seL4_Word badge;
    seL4_Recv(ep.cap, &badge); /* its first instruction faults: it stays stopped */
    assert_int_equal(badge, id | KAAL_BADGE_FAULT);
}

static int setup(void **state)
{
    fresh(state);
    memset(&other, 0, sizeof(other));
    spawn_problem_t why;
    assert_int_equal(spawn_build(&br, client, &desc, CLIENT_ID, &img, sizeof(img), ep.cap, &why), KAAL_OK);
    assert_int_equal(spawn_build(&br, server, &desc, SERVER_ID, &img, sizeof(img), ep.cap, &why), KAAL_OK);
    assert_int_equal(call_create(&call, KAAL_ENDPOINT_SEND), KAAL_OK);
    assert_int_equal(channel_connect(&br, &call, client, server), KAAL_OK);
    start(client, CLIENT_ID);
    start(server, SERVER_ID);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    spawn_destroy(&br, client);
    spawn_destroy(&br, server);
    channel_destroy(&br, &call);
    assert_all_back();
    return 0;
}

/* The kind of cap in the client's slot: 4 for an endpoint, 0 for none (seL4_DebugCapIdentify). Where
 * it leads, and with what badge, the system tests see (tests/system/kv.sh: calls reach the server
 * as its call, and a call to a gone server is answered by the broker). */
static seL4_Word cap_in(seL4_Word slot)
{
    seL4_CPtr copy;
    assert_int_equal(cspace_slot_alloc(&br.slots, &copy), KAAL_OK);
    seL4_Word kind = 0;
    if (seL4_CNode_Copy(br.slots.root, copy, br.slots.depth, client->cnode.cap, slot, client->info.cnode_bits,
                        seL4_AllRights) == seL4_NoError) {
        kind = seL4_DebugCapIdentify(copy);
        assert_int_equal(seL4_CNode_Delete(br.slots.root, copy, br.slots.depth), seL4_NoError);
    }
    assert_int_equal(cspace_slot_free(&br.slots, copy), KAAL_OK);
    return kind;
}

static void connecting_lays_out_a_client_and_a_server(void **state)
{
    (void)state;
    const kaal_channel_grant_t *c = &client->info.channels[0], *s = &server->info.channels[0];
    assert_int_equal(c->role, KAAL_CALL_CLIENT);
    assert_int_equal(s->role, KAAL_CALL_SERVER);
    assert_string_equal(c->peer, "test");
    assert_int_equal(c->vaddr, 0);
    assert_int_equal(c->size, 0);
    assert_int_not_equal(server->inbox.cap, 0); /* calls arrive on its inbox */
    assert_int_equal(client->inbox.cap, 0);
    assert_int_equal(client->next_vaddr, KAAL_CHANNEL_VADDR); /* no ring, no room taken */
}

static void opening_mints_a_cap_to_the_server_badged_with_its_index(void **state)
{
    (void)state;
    assert_int_equal(cap_in(SLOT), 0);
    assert_int_equal(open_as(client, 0, SLOT, 0), KAAL_OK);
    assert_int_equal(cap_in(SLOT), 4);
    assert_int_equal(spawn_own_slots(client), 6 + 1);
}

static void opening_is_checked(void **state)
{
    (void)state;
    assert_int_equal(open_as(server, 0, SLOT, 0), KAAL_E_INVAL);        /* a server has nothing to open */
    assert_int_equal(open_as(client, 0, SLOT, SLOT + 1), KAAL_E_DENIED); /* a call has no inbox cap */
    assert_int_equal(open_as(client, 0, 3, 0), KAAL_E_SLOT);            /* not a free slot */
    assert_int_equal(open_as(client, 1, SLOT, 0), KAAL_E_INVAL);        /* no such connection */
    assert_int_equal(open_as(client, 0, SLOT, 0), KAAL_OK);
    assert_int_equal(open_as(client, 0, SLOT + 1, 0), KAAL_E_BUSY);     /* open already */
}

/* The server gone: the client's cap leads to the broker, badged with the client and its index
 * of the call, so the broker can answer "the peer is gone"; the server back: to its new inbox. */
static void a_gone_server_is_answered_by_the_broker(void **state)
{
    (void)state;
    assert_int_equal(open_as(client, 0, SLOT, 0), KAAL_OK);
    spawn_destroy(&br, server);
    assert_int_equal(cap_in(SLOT), 0); /* its inbox went, and every cap to it */
    channel_call_server_gone(&br, &call);
    assert_int_equal(call.gone_pending, 0); /* it was not calling: nothing to restart */
    assert_int_equal(cap_in(SLOT), 4);  /* the broker's endpoint */
    spawn_problem_t why;
    assert_int_equal(spawn_build(&br, server, &desc, SERVER_ID, &img, sizeof(img), ep.cap, &why), KAAL_OK);
    assert_int_equal(channel_reconnect(&br, &call, server), KAAL_OK);
    start(server, SERVER_ID);
    assert_int_equal(cap_in(SLOT), 4);
    /* The broker's answer to a call into it: the cap leads to the new server (its old one gone). */
    call.gone_pending = 1;
    channel_call_answered(&br, &call);
    assert_int_equal(call.gone_pending, 0);
    assert_int_equal(cap_in(SLOT), 4);
}

/* The client's word that it is in the middle of a call, as the broker reads it from its memory. */
static void the_broker_reads_the_clients_table(void **state)
{
    (void)state;
    kaal_channel_grant_t entry;
    assert_int_equal(spawn_read_channel(&br, client, 0, &entry), KAAL_OK);
    assert_int_equal(entry.role, KAAL_CALL_CLIENT);
    assert_int_equal(entry.calling, 0);
    assert_string_equal(entry.peer, "test");
    assert_int_equal(spawn_read_channel(&br, client, 1, &entry), KAAL_E_INVAL);
}

/* The server's news reaches the client: its state and generation in the client's own entry, and
 * KAAL_BIT_PEER on its notification. */
static void peers_are_told_what_became_of_the_other_end(void **state)
{
    (void)state;
    kaal_channel_grant_t entry;
    assert_int_equal(spawn_read_channel(&br, client, 0, &entry), KAAL_OK);
    assert_int_equal(entry.peer_state, KAAL_PEER_RUNNING);
    assert_int_equal(entry.seen_state, KAAL_PEER_RUNNING); /* nothing new at the start */
    server->generation = 3;
    channel_peer_changed(&br, &call, server, KAAL_PEER_RESTARTING);
    assert_int_equal(spawn_read_channel(&br, client, 0, &entry), KAAL_OK);
    assert_int_equal(entry.peer_state, KAAL_PEER_RESTARTING);
    assert_int_equal(entry.peer_generation, 3);
    assert_int_equal(entry.seen_state, KAAL_PEER_RUNNING); /* the runtime's, untouched */
    seL4_Word bits = 0;
    seL4_Poll(client->ntfn.cap, &bits);
    assert_int_equal(bits, 1ul << KAAL_BIT_PEER);
    channel_peer_changed(&br, &call, client, KAAL_PEER_EXITED); /* and the other way */
    assert_int_equal(spawn_read_channel(&br, server, 0, &entry), KAAL_OK);
    assert_int_equal(entry.peer_state, KAAL_PEER_EXITED);
    /* A component that is not running is told nothing (its entries are laid out afresh). */
    spawn_destroy(&br, client);
    channel_peer_changed(&br, &call, server, KAAL_PEER_RUNNING);
    assert_int_equal(spawn_read_channel(&br, client, 0, &entry), KAAL_E_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(connecting_lays_out_a_client_and_a_server, setup, teardown),
        cmocka_unit_test_setup_teardown(opening_mints_a_cap_to_the_server_badged_with_its_index, setup, teardown),
        cmocka_unit_test_setup_teardown(opening_is_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(a_gone_server_is_answered_by_the_broker, setup, teardown),
        cmocka_unit_test_setup_teardown(the_broker_reads_the_clients_table, setup, teardown),
        cmocka_unit_test_setup_teardown(peers_are_told_what_became_of_the_other_end, setup, teardown),
    };
    RUN_TESTS(tests, boot, NULL);
}
