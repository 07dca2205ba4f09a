/*
 * Building components on the sim: the objects, the image's bytes in their
 * frames, the layout, the quota, refusals, and exact reclamation. A started
 * component runs its own code in a process of its own: its first
 * instruction (ud2) reaches the broker's endpoint as its fault.
 */
#include "spawn_fixture.h"

/* Reads a component frame through a copy of its cap mapped in the broker's own vspace. */
static void peek(seL4_CPtr frame, void *out, size_t len)
{
    seL4_CPtr copy;
    assert_int_equal(cspace_slot_alloc(&br.slots, &copy), KAAL_OK);
    assert_int_equal(seL4_CNode_Copy(br.slots.root, copy, br.slots.depth, br.slots.root, frame, br.slots.depth,
                                     seL4_AllRights),
                     seL4_NoError);
    assert_int_equal(vspace_map(&br.vspace, copy, PEEK_VADDR, seL4_PageBits, seL4_ReadWrite, ARCH_MAP_DEFAULT),
                     KAAL_OK);
    memcpy(out, (void *)PEEK_VADDR, len);
    assert_int_equal(vspace_unmap(&br.vspace, copy, PEEK_VADDR, seL4_PageBits), KAAL_OK);
    assert_int_equal(seL4_CNode_Delete(br.slots.root, copy, br.slots.depth), seL4_NoError);
    assert_int_equal(cspace_slot_free(&br.slots, copy), KAAL_OK);
}

static void build_lays_out_and_destroy_gives_everything_back(void **state)
{
    (void)state;
    assert_int_equal(build(&comp), KAAL_OK);
    assert_int_equal(comp.state, COMPONENT_BUILT);
    /* info, IPC buffer, 4 stack pages, text, 3 data pages */
    assert_int_equal(comp.nframes, 2 + 4 + 1 + 3);
    assert_true(vspace_is_mapped(&comp.vs, KAAL_IPCBUF_VADDR, seL4_PageBits));
    assert_false(vspace_is_mapped(&comp.vs, KAAL_INFO_VADDR, seL4_PageBits)); /* mapped at start */
    assert_true(vspace_is_mapped(&comp.vs, KAAL_STACK_TOP - PAGE, seL4_PageBits));
    assert_true(vspace_is_mapped(&comp.vs, KAAL_STACK_TOP - 4 * PAGE, seL4_PageBits));
    assert_false(vspace_is_mapped(&comp.vs, KAAL_STACK_TOP - 5 * PAGE, seL4_PageBits)); /* the guard page */
    assert_true(vspace_is_mapped(&comp.vs, 0x400000, seL4_PageBits));
    assert_true(vspace_is_mapped(&comp.vs, 0x403000, seL4_PageBits));
    assert_int_equal(comp.entry, 0x400000 + offsetof(image_t, text));
    assert_int_equal(comp.info.stack_top, KAAL_STACK_TOP);
    assert_int_equal(comp.info.ipc_buffer, KAAL_IPCBUF_VADDR);
    /* The data segment's bytes are in its first frame, and the rest of it is zero. */
    uint8_t page[PAGE];
    peek(comp.frames[7].cap, page, sizeof(page));
    assert_memory_equal(page, img.data, sizeof(img.data));
    for (size_t i = sizeof(img.data); i < PAGE; i++) {
        assert_int_equal(page[i], 0);
    }
    assert_int_equal(spawn_bytes(&comp), broker_given_bytes(&br) - used_before);
    assert_int_equal(spawn_broker_slots(&comp), 4 + comp.nframes + comp.vs.ntables);
    spawn_destroy(&br, &comp);
    assert_int_equal(comp.state, COMPONENT_NONE);
    assert_all_back();
}

static void a_started_component_runs_its_own_code(void **state)
{
    (void)state;
    start_until_fault();
    assert_int_equal(seL4_GetMR(seL4_UserException_Number), 6); /* invalid opcode */
    assert_int_equal(seL4_GetMR(seL4_UserException_FaultIP), comp.entry);
    assert_int_equal(seL4_GetMR(seL4_UserException_SP), KAAL_STACK_TOP);
    spawn_destroy(&br, &comp);
    assert_all_back();
}

static void over_quota_is_refused_and_leaves_nothing(void **state)
{
    (void)state;
    desc.memory = 32 * 1024;
    assert_int_equal(build(&comp), KAAL_E_QUOTA);
    assert_all_back();
}

static void malformed_image_is_refused_before_anything_is_made(void **state)
{
    (void)state;
    img.eh.e_machine = EM_386;
    spawn_problem_t why;
    assert_int_equal(spawn_build(&br, &comp, &desc, 1, &img, sizeof(img), ep.cap, &why), KAAL_E_ELF);
    assert_string_equal(why.elf.reason, "not for x86_64");
    assert_int_equal(broker_given_bytes(&br), used_before);
    assert_int_equal(broker_given_slots(&br), slots_before);
}

static void image_over_the_fixed_layout_is_refused(void **state)
{
    (void)state;
    build_image(KAAL_IPCBUF_VADDR);
    assert_int_equal(build(&comp), KAAL_E_LAYOUT);
    assert_all_back();
}

/* The description's devices are listed for the component to ask for; nothing is issued yet. */
static void granted_devices_are_listed_not_issued(void **state)
{
    (void)state;
    desc.nioports = 1;
    desc.ioports[0] = (manifest_range_t){0x40, 0x43, {1, 1}};
    desc.nirqs = 1;
    desc.irqs[0] = 2;
    assert_int_equal(build(&comp), KAAL_OK);
    assert_int_equal(comp.info.nioports, 1);
    assert_int_equal(comp.info.ioports[0].first, 0x40);
    assert_int_equal(comp.info.ioports[0].last, 0x43);
    assert_int_equal(comp.info.nirqs, 1);
    assert_int_equal(comp.info.irqs[0].pin, 2);
    memset(&other, 0, sizeof(other));
    assert_int_equal(build(&other), KAAL_OK); /* the same grants: neither holds the devices yet */
    spawn_destroy(&br, &other);
    spawn_destroy(&br, &comp);
    assert_all_back();
}

/* The CNode has room for the description's channel ends and grants and the slots it asks for,
 * charged to the component's quota: 2^8 slots at least, the guard the rest of a cptr's bits. */
static void the_cnode_is_as_large_as_the_description_needs(void **state)
{
    (void)state;
    assert_int_equal(build(&comp), KAAL_OK);
    assert_int_equal(comp.info.cnode_bits, KAAL_CNODE_BITS);
    seL4_Word small = spawn_bytes(&comp);
    spawn_destroy(&br, &comp);
    desc.slots = 1000;           /* 8 + 1000 */
    desc.nchannel_ends = 10;     /* + 20: 1028 > 2^10 */
    assert_int_equal(build(&comp), KAAL_OK);
    assert_int_equal(comp.info.cnode_bits, 11);
    assert_int_equal(spawn_bytes(&comp), small + (1ul << (11 + seL4_SlotBits)) - (1ul << (8 + seL4_SlotBits)));
    assert_int_equal(seL4_DebugCapIdentify(comp.cnode.cap), 10); /* a CNode */
    /* The component's cptrs resolve through the guard: its last slot is reachable at full depth. */
    assert_int_equal(seL4_CNode_Copy(comp.cnode.cap, (1ul << 11) - 1, 11, br.slots.root, ep.cap, br.slots.depth,
                                     seL4_AllRights),
                     seL4_NoError);
    assert_int_equal(seL4_CNode_Delete(comp.cnode.cap, (1ul << 11) - 1, 11), seL4_NoError);
    spawn_destroy(&br, &comp);
    assert_all_back();
}

/* Untyped memory handed over (`untyped 96K`: 64K and 32K, largest first) sits in its first free
 * slots, out of its quota; what it retypes from it goes when it goes, and every byte comes back. */
static void untyped_memory_is_handed_over_and_taken_back_whole(void **state)
{
    (void)state;
    desc.untyped = 96 * 1024;
    assert_int_equal(build(&comp), KAAL_OK);
    assert_int_equal(comp.info.nuntyped, 2);
    assert_int_equal(comp.info.untyped_first, KAAL_CAP_FIRST_FREE);
    assert_int_equal(comp.info.untyped_bits[0], 16);
    assert_int_equal(comp.info.untyped_bits[1], 15);
    assert_true(spawn_bytes(&comp) >= 96 * 1024);
    /* As the component would: retype endpoints from its first untyped into its own free slots. */
    seL4_CPtr ut;
    assert_int_equal(cspace_slot_alloc(&br.slots, &ut), KAAL_OK);
    assert_int_equal(seL4_CNode_Copy(br.slots.root, ut, br.slots.depth, comp.cnode.cap, KAAL_CAP_FIRST_FREE,
                                     comp.info.cnode_bits, seL4_AllRights),
                     seL4_NoError);
    assert_int_equal(seL4_DebugCapIdentify(ut), 2); /* an untyped */
    assert_int_equal(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, comp.cnode.cap, 0, 0, KAAL_CAP_FIRST_FREE + 2,
                                         4),
                     seL4_NoError);
    assert_int_equal(spawn_start(&br, &comp), KAAL_OK);
    assert_int_equal(comp.info.free_slot, KAAL_CAP_FIRST_FREE + 2);
    spawn_destroy(&br, &comp); /* revokes the untyped: the endpoints and the copy go with it */
    assert_int_equal(seL4_DebugCapIdentify(ut), 0);
    assert_int_equal(cspace_slot_free(&br.slots, ut), KAAL_OK);
    assert_all_back();
}

/* A component that faults at once, built, started, its fault taken and
 * reclaimed, a thousand times: the broker ends with exactly the memory and
 * slots it began with. */
static void a_thousand_spawn_crash_reclaim_cycles_leave_nothing_behind(void **state)
{
    (void)state;
    for (int i = 0; i < 1000; i++) {
        start_until_fault();
        spawn_destroy(&br, &comp);
        comp.generation++;
    }
    assert_all_back();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(build_lays_out_and_destroy_gives_everything_back, fresh),
        cmocka_unit_test_setup(a_started_component_runs_its_own_code, fresh),
        cmocka_unit_test_setup(over_quota_is_refused_and_leaves_nothing, fresh),
        cmocka_unit_test_setup(malformed_image_is_refused_before_anything_is_made, fresh),
        cmocka_unit_test_setup(image_over_the_fixed_layout_is_refused, fresh),
        cmocka_unit_test_setup(granted_devices_are_listed_not_issued, fresh),
        cmocka_unit_test_setup(the_cnode_is_as_large_as_the_description_needs, fresh),
        cmocka_unit_test_setup(untyped_memory_is_handed_over_and_taken_back_whole, fresh),
        cmocka_unit_test_setup(a_thousand_spawn_crash_reclaim_cycles_leave_nothing_behind, fresh),
    };
    RUN_TESTS(tests, boot, NULL);
}
