/*
 * The broker's RPC server on the sim: each request as a component would
 * send it (the message in the IPC buffer, then rpc_serve), its checks
 * against the description, the malformed messages it refuses while it goes
 * on serving, and exact accounting when grants are released or the
 * component goes.
 */
#include "spawn_fixture.h"

#define FREE_SLOT (comp.info.free_slot)

static seL4_MessageInfo_t ask(seL4_Word label, seL4_Word n, seL4_Word a0, seL4_Word a1, seL4_Word a2)
{
    seL4_Word a[3] = {a0, a1, a2};
    for (seL4_Word i = 0; i < n && i < 3; i++) {
        seL4_SetMR((int)i, a[i]);
    }
    return rpc_serve(&br, &comp, seL4_MessageInfo_new(label, 0, 0, n));
}

static kaal_err_t err_of(seL4_MessageInfo_t reply)
{
    return (kaal_err_t)seL4_MessageInfo_get_label(reply);
}

static int setup(void **state)
{
    fresh(state);
    desc.nioports = 2;
    desc.ioports[0] = (manifest_range_t){0x40, 0x43, {1, 1}};
    desc.ioports[1] = (manifest_range_t){0x60, 0x60, {1, 1}};
    desc.nirqs = 1;
    desc.irqs[0] = 2;
    start_until_fault(); /* it stays stopped while the test asks for it */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    spawn_destroy(&br, &comp);
    assert_all_back();
    return 0;
}

/* A copy of the cap in the component's slot, made in the broker's CNode: 0 if the slot is empty. */
static seL4_CPtr copy_out(seL4_Word slot)
{
    seL4_CPtr copy;
    assert_int_equal(cspace_slot_alloc(&br.slots, &copy), KAAL_OK);
    if (seL4_CNode_Copy(br.slots.root, copy, br.slots.depth, comp.cnode.cap, slot, comp.info.cnode_bits,
                        seL4_AllRights) != seL4_NoError) {
        cspace_slot_free(&br.slots, copy);
        return 0;
    }
    return copy;
}

static void drop(seL4_CPtr copy)
{
    seL4_CNode_Delete(br.slots.root, copy, br.slots.depth);
    cspace_slot_free(&br.slots, copy);
}

static void ping_echoes_and_says_the_version(void **state)
{
    (void)state;
    seL4_MessageInfo_t r = ask(KAAL_RPC_PING, 1, 0x5eed, 0, 0);
    assert_int_equal(err_of(r), KAAL_OK);
    assert_int_equal(seL4_MessageInfo_get_length(r), 2);
    assert_int_equal(seL4_GetMR(0), 0x5eed);
    assert_int_equal(seL4_GetMR(1), KAAL_RPC_VERSION);
}

static void malformed_requests_get_an_error_and_the_broker_goes_on(void **state)
{
    (void)state;
    assert_int_equal(err_of(ask(0, 0, 0, 0, 0)), KAAL_E_PROTOCOL);
    assert_int_equal(err_of(ask(99, 1, 0, 0, 0)), KAAL_E_PROTOCOL);          /* unknown label */
    assert_int_equal(err_of(ask(1ul << 40, 1, 0, 0, 0)), KAAL_E_PROTOCOL);   /* far out of range */
    assert_int_equal(err_of(ask(KAAL_RPC_MEMORY, 1, 0, 0, 0)), KAAL_E_PROTOCOL); /* too short */
    assert_int_equal(err_of(ask(KAAL_RPC_MEMORY, 3, 0, PAGE, 0)), KAAL_E_PROTOCOL); /* too long */
    assert_int_equal(err_of(ask(KAAL_RPC_PING, 0, 0, 0, 0)), KAAL_E_PROTOCOL);
    /* A capability where none is allowed: sent, or unwrapped (its own badged broker endpoint). */
    seL4_SetMR(0, 1);
    assert_int_equal(err_of(rpc_serve(&br, &comp, seL4_MessageInfo_new(KAAL_RPC_PING, 0, 1, 1))),
                     KAAL_E_PROTOCOL);
    assert_int_equal(err_of(rpc_serve(&br, &comp, seL4_MessageInfo_new(KAAL_RPC_PING, 1, 1, 1))),
                     KAAL_E_PROTOCOL);
    /* Nothing was granted, and the next good request is served. */
    assert_int_equal(grant_broker_slots(&comp), 0);
    assert_int_equal(err_of(ask(KAAL_RPC_PING, 1, 7, 0, 0)), KAAL_OK);
}

static void memory_is_mapped_charged_and_given_back(void **state)
{
    (void)state;
    seL4_Word bytes0 = spawn_bytes(&comp), slots0 = spawn_broker_slots(&comp);
    seL4_MessageInfo_t r = ask(KAAL_RPC_MEMORY, 2, 0, 4 * PAGE, 0);
    assert_int_equal(err_of(r), KAAL_OK);
    seL4_Word first = seL4_GetMR(0);
    assert_int_equal(first, KAAL_MEMORY_VADDR);
    for (seL4_Word p = 0; p < 4; p++) {
        assert_true(vspace_is_mapped(&comp.vs, first + p * PAGE, seL4_PageBits));
    }
    assert_true(spawn_bytes(&comp) >= bytes0 + 4 * PAGE); /* and the paging structures it needed */
    assert_int_equal(broker_given_bytes(&br) - used_before, spawn_bytes(&comp));
    /* The broker's choice leaves an unmapped page after each grant. */
    assert_int_equal(err_of(ask(KAAL_RPC_MEMORY, 2, 0, PAGE, 0)), KAAL_OK);
    seL4_Word second = seL4_GetMR(0);
    assert_int_equal(second, first + 5 * PAGE);
    /* A place of its own choosing: inside the window, page aligned, not over another grant. */
    assert_int_equal(err_of(ask(KAAL_RPC_MEMORY, 2, first + PAGE, PAGE, 0)), KAAL_E_MAPPED);
    assert_int_equal(err_of(ask(KAAL_RPC_MEMORY, 2, first + 100 * PAGE + 8, PAGE, 0)), KAAL_E_INVAL);
    assert_int_equal(err_of(ask(KAAL_RPC_MEMORY, 2, KAAL_INFO_VADDR, PAGE, 0)), KAAL_E_INVAL);
    assert_int_equal(err_of(ask(KAAL_RPC_MEMORY, 2, KAAL_MEMORY_END - PAGE, 2 * PAGE, 0)), KAAL_E_INVAL);
    assert_int_equal(err_of(ask(KAAL_RPC_MEMORY, 2, 0, 0, 0)), KAAL_E_INVAL);
    assert_int_equal(err_of(ask(KAAL_RPC_MEMORY, 2, 0, PAGE + 1, 0)), KAAL_E_INVAL);
    assert_int_equal(err_of(ask(KAAL_RPC_MEMORY, 2, first + 100 * PAGE, PAGE, 0)), KAAL_OK);
    /* Beyond its quota: refused, and nothing of the attempt stays. */
    seL4_Word bytes1 = spawn_bytes(&comp), over = (desc.memory - bytes1) / PAGE + 1;
    assert_int_equal(err_of(ask(KAAL_RPC_MEMORY, 2, 0, over * PAGE, 0)), KAAL_E_QUOTA);
    assert_int_equal(spawn_bytes(&comp), bytes1);
    /* Given back one by one: exactly what it was before. */
    assert_int_equal(err_of(ask(KAAL_RPC_RELEASE, 2, KAAL_RPC_MEMORY, first + PAGE, 0)), KAAL_E_NOT_HELD);
    assert_int_equal(err_of(ask(KAAL_RPC_RELEASE, 2, KAAL_RPC_MEMORY, first, 0)), KAAL_OK);
    assert_false(vspace_is_mapped(&comp.vs, first, seL4_PageBits));
    assert_int_equal(err_of(ask(KAAL_RPC_RELEASE, 2, KAAL_RPC_MEMORY, first, 0)), KAAL_E_NOT_HELD);
    assert_int_equal(err_of(ask(KAAL_RPC_RELEASE, 2, KAAL_RPC_MEMORY, second, 0)), KAAL_OK);
    assert_int_equal(err_of(ask(KAAL_RPC_RELEASE, 2, KAAL_RPC_MEMORY, first + 100 * PAGE, 0)), KAAL_OK);
    assert_int_equal(spawn_bytes(&comp), bytes0);
    assert_int_equal(spawn_broker_slots(&comp), slots0);
    assert_int_equal(broker_given_bytes(&br) - used_before, spawn_bytes(&comp));
}

static void io_ports_as_the_description_says_and_revoked_on_release(void **state)
{
    (void)state;
    seL4_Word slot = FREE_SLOT;
    assert_int_equal(err_of(ask(KAAL_RPC_IOPORTS, 3, 0x40, 0x43, slot)), KAAL_OK);
    assert_int_equal(err_of(ask(KAAL_RPC_IOPORTS, 3, 0x3f8, 0x3ff, slot + 1)), KAAL_E_DENIED);
    assert_int_equal(err_of(ask(KAAL_RPC_IOPORTS, 3, 0x43, 0x44, slot + 1)), KAAL_E_DENIED); /* partly outside */
    assert_int_equal(err_of(ask(KAAL_RPC_IOPORTS, 3, 0x41, 0x41, slot + 1)), KAAL_E_BUSY);
    assert_int_equal(err_of(ask(KAAL_RPC_IOPORTS, 3, 0x43, 0x40, slot + 1)), KAAL_E_INVAL);
    assert_int_equal(err_of(ask(KAAL_RPC_IOPORTS, 3, 0x60, 0x60, KAAL_CAP_TCB)), KAAL_E_SLOT);
    assert_int_equal(err_of(ask(KAAL_RPC_IOPORTS, 3, 0x60, 0x60, 1ul << comp.info.cnode_bits)), KAAL_E_SLOT);
    assert_int_equal(err_of(ask(KAAL_RPC_IOPORTS, 3, 0x60, 0x60, slot)), KAAL_E_SLOT); /* not empty */
    assert_int_equal(err_of(ask(KAAL_RPC_IOPORTS, 3, 0x60, 0x60, slot + 1)), KAAL_OK);
    /* The cap works; a copy made from the component's (a delegation) goes when the broker revokes. */
    seL4_CPtr copy = copy_out(slot);
    assert_int_not_equal(copy, 0);
    assert_int_equal(seL4_X86_IOPort_In8(copy, 0x43).error, seL4_NoError);
    assert_int_equal(err_of(ask(KAAL_RPC_RELEASE, 2, KAAL_RPC_IOPORTS, 0x40, 0)), KAAL_OK);
    assert_int_not_equal(seL4_X86_IOPort_In8(copy, 0x43).error, seL4_NoError);
    drop(copy);
    assert_int_equal(copy_out(slot), 0); /* the component's own copy is gone */
    assert_int_equal(err_of(ask(KAAL_RPC_IOPORTS, 3, 0x40, 0x43, slot)), KAAL_OK); /* so it can ask again */
}

static void an_irq_comes_with_a_bit_and_goes_back_to_the_kernel(void **state)
{
    (void)state;
    seL4_Word slot = FREE_SLOT;
    seL4_MessageInfo_t r = ask(KAAL_RPC_IRQ, 2, 2, slot, 0);
    assert_int_equal(err_of(r), KAAL_OK);
    seL4_Word bit = seL4_GetMR(0);
    assert_true(bit < seL4_WordBits);
    assert_true(comp.bits & (1ul << bit));
    assert_int_equal(err_of(ask(KAAL_RPC_IRQ, 2, 4, slot + 1, 0)), KAAL_E_DENIED);
    assert_int_equal(err_of(ask(KAAL_RPC_IRQ, 2, 2, slot + 1, 0)), KAAL_E_BUSY);
    assert_int_equal(err_of(ask(KAAL_RPC_IRQ, 2, 99, slot + 1, 0)), KAAL_E_INVAL);
    seL4_CPtr copy = copy_out(slot);
    assert_int_equal(seL4_IRQHandler_Ack(copy), seL4_NoError);
    assert_int_equal(err_of(ask(KAAL_RPC_RELEASE, 2, KAAL_RPC_IRQ, 2, 0)), KAAL_OK);
    assert_int_not_equal(seL4_IRQHandler_Ack(copy), seL4_NoError);
    drop(copy);
    assert_false(comp.bits & (1ul << bit));
    /* The kernel took the IRQ back: the broker can hand it out again. */
    assert_int_equal(err_of(ask(KAAL_RPC_IRQ, 2, 2, slot, 0)), KAAL_OK);
}

static void releasing_what_was_never_granted_is_refused(void **state)
{
    (void)state;
    assert_int_equal(err_of(ask(KAAL_RPC_RELEASE, 2, KAAL_RPC_IRQ, 2, 0)), KAAL_E_NOT_HELD);
    assert_int_equal(err_of(ask(KAAL_RPC_RELEASE, 2, KAAL_RPC_EXIT, 0, 0)), KAAL_E_INVAL);
    assert_int_equal(err_of(ask(KAAL_RPC_RELEASE, 2, 1234, 0, 0)), KAAL_E_NOT_HELD);
    assert_int_equal(err_of(ask(KAAL_RPC_MMIO, 2, 0xfed00000, PAGE, 0)), KAAL_E_DENIED);
}

/* Ranges whose end runs past 2^64 are refused, whatever they would wrap to. */
static void ranges_that_wrap_are_refused(void **state)
{
    (void)state;
    spawn_destroy(&br, &comp);
    desc.nmmio = 1;
    desc.mmio[0] = (manifest_range_t){0xfed00000, 0xfed00fff, {1, 1}}; /* the HPET */
    start_until_fault();
    assert_int_equal(err_of(ask(KAAL_RPC_MMIO, 2, 0xfed00004, ~0ul, 0)), KAAL_E_INVAL);
    assert_int_equal(err_of(ask(KAAL_RPC_MMIO, 2, 0xfed00000, ~0ul - 0xffe, 0)), KAAL_E_INVAL);
    assert_int_equal(err_of(ask(KAAL_RPC_MEMORY, 2, ~0ul & ~(PAGE - 1), PAGE, 0)), KAAL_E_INVAL);
    assert_int_equal(err_of(ask(KAAL_RPC_MEMORY, 2, KAAL_MEMORY_VADDR, ~0ul & ~(PAGE - 1), 0)), KAAL_E_INVAL);
    assert_int_equal(grant_broker_slots(&comp), 0);
    assert_int_equal(err_of(ask(KAAL_RPC_MMIO, 2, 0xfed00000, 8, 0)), KAAL_OK); /* the right request still works */
}

/* The paging structures a grant needs count against the quota like its frames:
 * a component at its quota gets no device registers mapped in a new table. */
static void paging_structures_are_charged_to_the_quota(void **state)
{
    (void)state;
    spawn_destroy(&br, &comp);
    desc.memory = 128 * 1024;
    desc.nmmio = 1;
    desc.mmio[0] = (manifest_range_t){0xfed00000, 0xfed00fff, {1, 1}};
    start_until_fault();
    fill_quota(&comp);
    seL4_Word held = spawn_bytes(&comp);
    assert_int_equal(err_of(ask(KAAL_RPC_MMIO, 2, 0xfed00000, 8, 0)), KAAL_E_QUOTA);
    assert_int_equal(spawn_bytes(&comp), held);
    assert_int_equal(broker_given_bytes(&br) - used_before, held);
    assert_int_equal(err_of(ask(KAAL_RPC_RELEASE, 2, KAAL_RPC_MEMORY, KAAL_MEMORY_VADDR, 0)), KAAL_OK);
    assert_int_equal(err_of(ask(KAAL_RPC_MMIO, 2, 0xfed00000, 8, 0)), KAAL_OK);
    assert_true(spawn_bytes(&comp) <= desc.memory);
}

/* Each failed request leaves its grant entry free: a component that retries
 * an allocation beyond its quota can still ask for anything else. */
static void refused_requests_use_up_no_grant_entries(void **state)
{
    (void)state;
    seL4_Word over = (desc.memory - spawn_bytes(&comp)) / PAGE + 1;
    for (unsigned i = 0; i < 32; i++) {
        assert_int_equal(err_of(ask(KAAL_RPC_MEMORY, 2, 0, over * PAGE, 0)), KAAL_E_QUOTA);
    }
    /* Every refused entry was freed whole: the table never grew past its first few entries. */
    assert_true(comp.grants_room <= 4);
    for (unsigned i = 0; i < comp.grants_room; i++) {
        assert_int_equal(comp.grants[i].what, 0);
        assert_int_equal(comp.grants[i].key, 0);
    }
    assert_int_equal(err_of(ask(KAAL_RPC_MEMORY, 2, 0, PAGE, 0)), KAAL_OK);
    assert_int_equal(err_of(ask(KAAL_RPC_IOPORTS, 3, 0x40, 0x43, FREE_SLOT)), KAAL_OK);
    assert_int_equal(err_of(ask(KAAL_RPC_IRQ, 2, 2, FREE_SLOT + 1, 0)), KAAL_OK);
}

/* Whatever it holds when it goes comes back (teardown checks every byte and slot). */
static void a_component_that_goes_gives_back_its_grants(void **state)
{
    (void)state;
    assert_int_equal(err_of(ask(KAAL_RPC_MEMORY, 2, 0, 2 * PAGE, 0)), KAAL_OK);
    assert_int_equal(err_of(ask(KAAL_RPC_IOPORTS, 3, 0x40, 0x43, FREE_SLOT)), KAAL_OK);
    assert_int_equal(err_of(ask(KAAL_RPC_IRQ, 2, 2, FREE_SLOT + 1, 0)), KAAL_OK);
    assert_int_equal(grant_broker_slots(&comp), 2 + 1 + 2); /* frames, IO port original, handler and signal */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(ping_echoes_and_says_the_version, setup, teardown),
        cmocka_unit_test_setup_teardown(malformed_requests_get_an_error_and_the_broker_goes_on, setup, teardown),
        cmocka_unit_test_setup_teardown(memory_is_mapped_charged_and_given_back, setup, teardown),
        cmocka_unit_test_setup_teardown(io_ports_as_the_description_says_and_revoked_on_release, setup, teardown),
        cmocka_unit_test_setup_teardown(an_irq_comes_with_a_bit_and_goes_back_to_the_kernel, setup, teardown),
        cmocka_unit_test_setup_teardown(releasing_what_was_never_granted_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(refused_requests_use_up_no_grant_entries, setup, teardown),
        cmocka_unit_test_setup_teardown(ranges_that_wrap_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(paging_structures_are_charged_to_the_quota, setup, teardown),
        cmocka_unit_test_setup_teardown(a_component_that_goes_gives_back_its_grants, setup, teardown),
    };
    RUN_TESTS(tests, boot, NULL);
}
