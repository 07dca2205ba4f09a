/* The VSpace manager on the sim: paging structures made on demand, counted, and freed. */
#include "unit.h"
#include <kaal/broker.h>
#include <kaal/vspace.h>
#include <sel4/sim.h>

#define BASE 0x200000000000ul
#define PAGE 4096ul
#define LARGE (2ul << 20)

static broker_t br;
static vspace_t vs;

static int boot(void **state)
{
    (void)state;
    return broker_init(&br, sel4sim_boot(), NULL) == KAAL_OK ? 0 : -1;
}

static int fresh_vspace(void **state)
{
    (void)state;
    vspace_init(&vs, seL4_CapInitThreadVSpace, &br.mem, NULL);
    return vspace_reserve(&vs, BASE, 1ul << 30) == KAAL_OK ? 0 : -1;
}

static kaal_obj_t frame(seL4_Word type)
{
    kaal_obj_t f;
    assert_int_equal(untyped_alloc(&br.mem, type, 0, &f), KAAL_OK);
    return f;
}

static void first_page_makes_three_tables_and_last_unmap_frees_them(void **state)
{
    (void)state;
    kaal_obj_t f = frame(seL4_X86_4K), g = frame(seL4_X86_4K);
    seL4_Word used = br.mem.used_bytes;
    assert_int_equal(vspace_map(&vs, f.cap, BASE, 12, seL4_ReadWrite, ARCH_MAP_DEFAULT), KAAL_OK);
    assert_int_equal(vs.ntables, 3);
    assert_int_equal(br.mem.used_bytes, used + 3 * PAGE); /* a PDPT, a PD and a PT */
    /* 4 invocations of our own: three table maps and the page map. */
    assert_int_equal(vs.invocations, 4);
    volatile seL4_Word *p = (volatile seL4_Word *)BASE;
    p[3] = 99;
    assert_int_equal(p[3], 99);
    /* A second page under the same PT costs one map and no table. */
    assert_int_equal(vspace_map(&vs, g.cap, BASE + PAGE, 12, seL4_ReadWrite, ARCH_MAP_DEFAULT), KAAL_OK);
    assert_int_equal(vs.ntables, 3);
    assert_int_equal(vs.invocations, 5);
    assert_int_equal(vspace_unmap(&vs, f.cap, BASE, 12), KAAL_OK);
    assert_int_equal(vs.ntables, 3);
    assert_int_equal(vspace_unmap(&vs, g.cap, BASE + PAGE, 12), KAAL_OK);
    assert_int_equal(vs.ntables, 0);
    assert_int_equal(br.mem.used_bytes, used);
    assert_int_equal(untyped_free(&br.mem, &f), KAAL_OK);
    assert_int_equal(untyped_free(&br.mem, &g), KAAL_OK);
}

static void mapping_over_a_mapping_is_an_error(void **state)
{
    (void)state;
    kaal_obj_t f = frame(seL4_X86_4K), g = frame(seL4_X86_4K);
    assert_int_equal(vspace_map(&vs, f.cap, BASE, 12, seL4_ReadWrite, ARCH_MAP_DEFAULT), KAAL_OK);
    assert_int_equal(vspace_map(&vs, g.cap, BASE, 12, seL4_ReadWrite, ARCH_MAP_DEFAULT), KAAL_E_MAPPED);
    assert_int_equal(vspace_map(&vs, g.cap, BASE + 8, 12, seL4_ReadWrite, ARCH_MAP_DEFAULT), KAAL_E_INVAL);
    assert_int_equal(vspace_map(&vs, g.cap, BASE - PAGE, 12, seL4_ReadWrite, ARCH_MAP_DEFAULT), KAAL_E_NOT_RESERVED);
    assert_int_equal(vspace_map(&vs, g.cap, BASE, 13, seL4_ReadWrite, ARCH_MAP_DEFAULT), KAAL_E_INVAL);
    assert_int_equal(vspace_unmap(&vs, g.cap, BASE + PAGE, 12), KAAL_E_NOT_MAPPED);
    /* The frame itself still reads and writes through the first mapping. */
    *(volatile seL4_Word *)BASE = 7;
    assert_int_equal(*(volatile seL4_Word *)BASE, 7);
    assert_int_equal(vspace_unmap(&vs, f.cap, BASE, 12), KAAL_OK);
    assert_int_equal(vs.ntables, 0);
    assert_int_equal(untyped_free(&br.mem, &f), KAAL_OK);
    assert_int_equal(untyped_free(&br.mem, &g), KAAL_OK);
}

static void a_shared_frame_is_one_memory(void **state)
{
    (void)state;
    kaal_obj_t f = frame(seL4_X86_4K);
    seL4_CPtr copy;
    assert_int_equal(cspace_slot_alloc(&br.slots, &copy), KAAL_OK);
    assert_int_equal(seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, 64, seL4_CapInitThreadCNode, f.cap, 64,
                                     seL4_AllRights),
                     seL4_NoError);
    seL4_Word far = BASE + (512ul << 20); /* another page table */
    assert_int_equal(vspace_map(&vs, f.cap, BASE, 12, seL4_ReadWrite, ARCH_MAP_DEFAULT), KAAL_OK);
    assert_int_equal(vspace_map(&vs, copy, far, 12, seL4_ReadWrite, ARCH_MAP_DEFAULT), KAAL_OK);
    assert_int_equal(vs.ntables, 4); /* PDPT, PD, and a PT for each */
    ((volatile char *)BASE)[100] = 'k';
    assert_int_equal(((volatile char *)far)[100], 'k');
    assert_int_equal(vspace_unmap(&vs, copy, far, 12), KAAL_OK);
    assert_int_equal(vs.ntables, 3);
    assert_int_equal(vspace_unmap(&vs, f.cap, BASE, 12), KAAL_OK);
    assert_int_equal(vs.ntables, 0);
    assert_int_equal(seL4_CNode_Delete(seL4_CapInitThreadCNode, copy, 64), seL4_NoError);
    assert_int_equal(cspace_slot_free(&br.slots, copy), KAAL_OK);
    assert_int_equal(untyped_free(&br.mem, &f), KAAL_OK);
}

static void large_and_small_pages_exclude_each_other(void **state)
{
    (void)state;
    kaal_obj_t big = frame(seL4_X86_LargePageObject), small = frame(seL4_X86_4K);
    assert_int_equal(vspace_map(&vs, big.cap, BASE, 21, seL4_ReadWrite, ARCH_MAP_DEFAULT), KAAL_OK);
    assert_int_equal(vs.ntables, 2); /* no page table under a large page */
    assert_int_equal(vspace_map(&vs, small.cap, BASE + PAGE, 12, seL4_ReadWrite, ARCH_MAP_DEFAULT), KAAL_E_MAPPED);
    ((volatile char *)BASE)[LARGE - 1] = 1;
    assert_int_equal(vspace_unmap(&vs, big.cap, BASE, 21), KAAL_OK);
    assert_int_equal(vspace_map(&vs, small.cap, BASE + PAGE, 12, seL4_ReadWrite, ARCH_MAP_DEFAULT), KAAL_OK);
    assert_int_equal(vspace_map(&vs, big.cap, BASE, 21, seL4_ReadWrite, ARCH_MAP_DEFAULT), KAAL_E_MAPPED);
    assert_int_equal(vspace_unmap(&vs, small.cap, BASE + PAGE, 12), KAAL_OK);
    assert_int_equal(vs.ntables, 0);
    assert_int_equal(untyped_free(&br.mem, &big), KAAL_OK);
    assert_int_equal(untyped_free(&br.mem, &small), KAAL_OK);
}

static void reservations(void **state)
{
    (void)state;
    assert_int_equal(vspace_reserve(&vs, BASE + PAGE, PAGE), KAAL_E_NOT_RESERVED); /* overlaps */
    assert_int_equal(vspace_reserve(&vs, BASE + (2ul << 30), 100), KAAL_E_INVAL);
    assert_int_equal(vspace_reserve(&vs, 0x7ffffffff000ul, 2 * PAGE), KAAL_E_INVAL);
    assert_int_equal(vspace_reserve(&vs, BASE + (2ul << 30), PAGE), KAAL_OK);
    kaal_obj_t f = frame(seL4_X86_4K);
    /* A page at the top of the address space is in no reservation, though its end wraps to 0. */
    assert_int_equal(vspace_map(&vs, f.cap, ~0ul & ~(PAGE - 1), 12, seL4_ReadWrite, ARCH_MAP_DEFAULT), KAAL_E_NOT_RESERVED);
    assert_int_equal(vspace_map(&vs, f.cap, BASE + (2ul << 30), 12, seL4_ReadWrite, ARCH_MAP_DEFAULT), KAAL_OK);
    assert_int_equal(vspace_unreserve(&vs, BASE + (2ul << 30)), KAAL_E_MAPPED);
    assert_int_equal(vspace_unmap(&vs, f.cap, BASE + (2ul << 30), 12), KAAL_OK);
    assert_int_equal(vspace_unreserve(&vs, BASE + (2ul << 30)), KAAL_OK);
    assert_int_equal(vspace_unreserve(&vs, BASE + (2ul << 30)), KAAL_E_NOT_RESERVED);
    assert_int_equal(untyped_free(&br.mem, &f), KAAL_OK);
}

static void another_vspace(void **state)
{
    (void)state;
    /* A fresh PML4 with an ASID from the initial pool, managed like any other. */
    kaal_obj_t pml4 = frame(seL4_X64_PML4Object);
    assert_int_equal(seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pml4.cap), seL4_NoError);
    static vspace_t other;
    vspace_init(&other, pml4.cap, &br.mem, NULL);
    assert_int_equal(vspace_reserve(&other, 0x400000, 1ul << 20), KAAL_OK);
    kaal_obj_t f = frame(seL4_X86_4K);
    seL4_Word used = br.mem.used_bytes;
    assert_int_equal(vspace_map(&other, f.cap, 0x400000, 12, seL4_CanRead, ARCH_MAP_DEFAULT), KAAL_OK);
    assert_int_equal(br.mem.used_bytes, used + 3 * PAGE);
    assert_int_equal(vspace_unmap(&other, f.cap, 0x400000, 12), KAAL_OK);
    assert_int_equal(br.mem.used_bytes, used);
    assert_int_equal(untyped_free(&br.mem, &f), KAAL_OK);
    assert_int_equal(untyped_free(&br.mem, &pml4), KAAL_OK);
}

/* Paging structures are charged to the vspace's quota as they are made: a map
 * that would pass it fails with nothing made, and unmapping gives them back. */
static void paging_structures_are_charged_to_the_quota(void **state)
{
    (void)state;
    static vspace_t charged;
    untyped_quota_t quota = {.limit = 2 * PAGE, .used = 0};
    vspace_init(&charged, seL4_CapInitThreadVSpace, &br.mem, &quota);
    assert_int_equal(vspace_reserve(&charged, BASE, 1ul << 30), KAAL_OK);
    kaal_obj_t f = frame(seL4_X86_4K);
    seL4_Word used = br.mem.used_bytes;
    assert_int_equal(vspace_map(&charged, f.cap, BASE, 12, seL4_ReadWrite, ARCH_MAP_DEFAULT), KAAL_E_QUOTA); /* needs three */
    assert_int_equal(quota.used, 0);
    assert_int_equal(charged.ntables, 0);
    assert_int_equal(br.mem.used_bytes, used);
    quota.limit = 3 * PAGE;
    assert_int_equal(vspace_map(&charged, f.cap, BASE, 12, seL4_ReadWrite, ARCH_MAP_DEFAULT), KAAL_OK);
    assert_int_equal(quota.used, 3 * PAGE);
    assert_int_equal(vspace_unmap(&charged, f.cap, BASE, 12), KAAL_OK);
    assert_int_equal(quota.used, 0);
    assert_int_equal(br.mem.used_bytes, used);
    assert_int_equal(untyped_free(&br.mem, &f), KAAL_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(first_page_makes_three_tables_and_last_unmap_frees_them, fresh_vspace),
        cmocka_unit_test_setup(mapping_over_a_mapping_is_an_error, fresh_vspace),
        cmocka_unit_test_setup(a_shared_frame_is_one_memory, fresh_vspace),
        cmocka_unit_test_setup(large_and_small_pages_exclude_each_other, fresh_vspace),
        cmocka_unit_test_setup(reservations, fresh_vspace),
        cmocka_unit_test(another_vspace),
        cmocka_unit_test(paging_structures_are_charged_to_the_quota),
    };
    RUN_TESTS(tests, boot, NULL);
}
