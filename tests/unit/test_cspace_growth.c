/*
 * The broker's CSpace past its root CNode, on the sim: broker_start makes it
 * two-level, and slots then grow a leaf CNode at a time, charged to the
 * broker's own; objects go into slots of any leaf, runs stay in one, cptrs of
 * the root CNode keep their meaning, and everything given out comes back.
 */
#include <string.h>
#include "unit.h"
#include "elf_header.h"
#include <kaal/broker.h>
#include <kaal/spawn.h>
#include <sel4/sim.h>

#define SLOTS 10000u

static broker_t br;

static int boot(void **state)
{
    (void)state;
    if (broker_init(&br, sel4sim_boot(), NULL) != KAAL_OK) {
        return -1;
    }
    return broker_start(&br) == KAAL_OK ? 0 : -1;
}

static void slots_grow_a_leaf_at_a_time(void **state)
{
    (void)state;
    static seL4_CPtr slots[SLOTS];
    seL4_Word given = broker_given_slots(&br), own = broker_own_bytes(&br);
    for (unsigned i = 0; i < SLOTS; i++) {
        assert_int_equal(cspace_slot_alloc(&br.slots, &slots[i]), KAAL_OK);
    }
    assert_true(br.leaves >= 3);
    assert_true(broker_own_bytes(&br) >= own + (br.leaves - 1) * (4096ul * 32)); /* 128 KiB a leaf */
    assert_int_equal(broker_given_slots(&br), given + SLOTS);
    /* The root CNode's cptrs still mean what they did. */
    assert_int_equal(seL4_DebugCapIdentify(seL4_CapInitThreadTCB), 12);
    assert_int_equal(seL4_DebugCapIdentify(seL4_CapInitThreadCNode), 10);
    for (unsigned i = 0; i < SLOTS; i++) {
        assert_int_equal(cspace_slot_free(&br.slots, slots[i]), KAAL_OK);
    }
    assert_int_equal(broker_given_slots(&br), given);
}

static void objects_live_in_any_leaf(void **state)
{
    (void)state;
    static kaal_obj_t eps[6000];
    seL4_Word given = broker_given_bytes(&br), slots = broker_given_slots(&br);
    for (unsigned i = 0; i < 6000; i++) {
        assert_int_equal(untyped_alloc(&br.mem, seL4_EndpointObject, 0, &eps[i]), KAAL_OK);
    }
    seL4_CPtr far = eps[5999].cap;
    assert_true(far >= (1ul << 12)); /* past the root CNode */
    assert_int_equal(seL4_DebugCapIdentify(far), 4);            /* an endpoint */
    seL4_CPtr copy;
    assert_int_equal(cspace_slot_alloc(&br.slots, &copy), KAAL_OK);
    assert_int_equal(seL4_CNode_Copy(br.slots.root, copy, br.slots.depth, br.slots.root, far, br.slots.depth,
                                     seL4_AllRights), seL4_NoError);
    assert_int_equal(seL4_DebugCapIdentify(copy), 4);
    assert_int_equal(seL4_CNode_Delete(br.slots.root, copy, br.slots.depth), seL4_NoError);
    cspace_slot_free(&br.slots, copy);
    for (unsigned i = 0; i < 6000; i++) {
        assert_int_equal(untyped_free(&br.mem, &eps[i]), KAAL_OK);
    }
    untyped_coalesce(&br.mem);
    assert_int_equal(broker_given_bytes(&br), given);
    assert_int_equal(broker_given_slots(&br), slots);
}

static void runs_stay_in_one_leaf(void **state)
{
    (void)state;
    static seL4_CPtr firsts[200];
    for (unsigned i = 0; i < 200; i++) {
        assert_int_equal(cspace_range_alloc(&br.slots, 100, &firsts[i]), KAAL_OK);
        assert_int_equal(firsts[i] >> 12, (firsts[i] + 99) >> 12);
    }
    for (unsigned i = 0; i < 200; i++) {
        assert_int_equal(cspace_range_free(&br.slots, firsts[i], 100), KAAL_OK);
    }
}

/* More frames at once than 16 bits count (a 300 MiB ring, say): runs of one retype's fan-out,
 * each in one leaf, every frame where its run says; all of it back after. */
static void objects_past_sixteen_bits(void **state)
{
    (void)state;
    enum { N = 70001 };
    static kaal_obj_t frames[N];
    seL4_Word given = broker_given_bytes(&br), slots = broker_given_slots(&br), inv = br.mem.invocations;
    assert_int_equal(untyped_alloc_objects(&br.mem, 0, seL4_X86_4K, N, frames), KAAL_OK);
    assert_true(br.mem.invocations - inv >= N / 256);
    assert_int_equal(broker_given_bytes(&br), given + (seL4_Word)N * 4096);
    assert_int_equal(seL4_X86_Page_GetAddress(frames[N - 1].cap).paddr, frames[N - 1].paddr);
    assert_int_equal(seL4_X86_Page_GetAddress(frames[300].cap).paddr, frames[300].paddr);
    assert_true(frames[255].run_bits == UNTYPED_RUN_MAX_BITS);
    untyped_free_objects(&br.mem, 0, frames, N);
    untyped_coalesce(&br.mem);
    assert_int_equal(broker_given_bytes(&br), given);
    assert_int_equal(broker_given_slots(&br), slots);
}

/* Past the initial pool's ASIDs (2^9, two taken: ASID 0 and the root task's) the broker makes
 * pools of its own; freed ASIDs of an older pool are used again before any further pool is made. */
static void asids_past_the_initial_pool(void **state)
{
    (void)state;
    enum { SPACES = 1100 };
    static kaal_obj_t pml4[SPACES];
    seL4_Word inv = 0, own = broker_own_slots(&br);
    for (unsigned i = 0; i < SPACES; i++) {
        assert_int_equal(untyped_alloc(&br.mem, seL4_X64_PML4Object, 0, &pml4[i]), KAAL_OK);
        assert_int_equal(broker_assign_asid(&br, pml4[i].cap, &inv), KAAL_OK);
    }
    unsigned per_pool = 1u << seL4_ASIDPoolIndexBits, pools = (SPACES - (per_pool - 2) + per_pool - 1) / per_pool;
    assert_int_equal(br.nasid_pools, pools);
    assert_true(broker_own_slots(&br) >= own + 2 * pools);
    for (unsigned i = 0; i < 200; i++) { /* the initial pool's ASIDs come back */
        assert_int_equal(untyped_free(&br.mem, &pml4[i * 2]), KAAL_OK);
    }
    for (unsigned i = 0; i < 200; i++) {
        assert_int_equal(untyped_alloc(&br.mem, seL4_X64_PML4Object, 0, &pml4[i * 2]), KAAL_OK);
        assert_int_equal(broker_assign_asid(&br, pml4[i * 2].cap, &inv), KAAL_OK);
    }
    assert_int_equal(br.nasid_pools, pools);
    kaal_obj_t extra;
    assert_int_equal(untyped_alloc(&br.mem, seL4_X64_PML4Object, 0, &extra), KAAL_OK);
    assert_int_equal(broker_assign_asid(&br, extra.cap, &inv), KAAL_OK);
    assert_int_equal(untyped_free(&br.mem, &extra), KAAL_OK);
    for (unsigned i = 0; i < SPACES; i++) {
        assert_int_equal(untyped_free(&br.mem, &pml4[i]), KAAL_OK);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(slots_grow_a_leaf_at_a_time),
        cmocka_unit_test(objects_live_in_any_leaf),
        cmocka_unit_test(runs_stay_in_one_leaf),
        cmocka_unit_test(objects_past_sixteen_bits),
        cmocka_unit_test(asids_past_the_initial_pool),
    };
    RUN_TESTS(tests, boot, NULL);
}
