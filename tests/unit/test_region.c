/*
 * Memory regions on the sim, from the broker's side: a region's frames
 * (physically one range when they can be), what giving it to a component
 * does (its entry, its range reserved, its quota), the refusals (a region
 * over something else in the address space, one larger than the quota, one
 * asked for that the component was not given), mapping it by RPC with the
 * rights and cacheability given, and that everything comes back.
 */
#include "spawn_fixture.h"

static region_t region;

static kaal_err_t err_of(seL4_MessageInfo_t reply)
{
    return (kaal_err_t)seL4_MessageInfo_get_label(reply);
}

static kaal_err_t ask_region(seL4_Word index, seL4_Word *vaddr)
{
    seL4_SetMR(0, index);
    seL4_MessageInfo_t r = rpc_serve(&br, &comp, seL4_MessageInfo_new(KAAL_RPC_REGION, 0, 0, 1));
    if (err_of(r) == KAAL_OK) {
        *vaddr = seL4_GetMR(0);
    }
    return err_of(r);
}

static void started(void)
{
    assert_int_equal(spawn_start(&br, &comp), KAAL_OK);
    seL4_Word badge;
    seL4_Recv(ep.cap, &badge);
    assert_int_equal(badge, 1 | KAAL_BADGE_FAULT);
}

static int region_teardown(void **state)
{
    (void)state;
    spawn_destroy(&br, &comp);
    region_destroy(&br, &region);
    assert_all_back();
    return 0;
}

static void a_region_of_2m_pages_is_one_physical_range(void **state)
{
    (void)state;
    assert_int_equal(region_create(&br, &region, 4ul << 20, seL4_LargePageBits), KAAL_OK);
    assert_int_equal(region.nframes, 2);
    assert_int_equal(region.frames[0].size_bits, seL4_LargePageBits);
    assert_int_not_equal(region.paddr, 0);
    assert_int_equal(region.frames[1].paddr, region.paddr + (2ul << 20));
    region_t odd;
    assert_int_equal(region_create(&br, &odd, 6ul << 10, seL4_PageBits), KAAL_E_INVAL); /* not whole pages */
    assert_int_equal(region_create(&br, &odd, 1ul << 20, 16), KAAL_E_INVAL);            /* no such page size */
}

static void giving_lays_it_out_reserves_and_charges(void **state)
{
    (void)state;
    desc.memory = 1ul << 20;
    assert_int_equal(region_create(&br, &region, 64ul << 10, seL4_PageBits), KAAL_OK);
    assert_int_equal(build(&comp), KAAL_OK);
    seL4_Word limit = comp.quota.limit;
    manifest_region_use_t use = {.writable = 0, .cached = 0};
    assert_int_equal(region_attach(&br, &region, &comp, "shared", &use), KAAL_OK);
    assert_int_equal(comp.quota.limit, limit - (64ul << 10));
    assert_int_equal(region.holders, 1);
    const kaal_region_t *e = &comp.info.regions[0];
    assert_string_equal(e->name, "shared");
    assert_int_equal(e->vaddr, KAAL_REGION_VADDR);
    assert_int_equal(e->size, 64ul << 10);
    assert_int_equal(e->writable, 0);
    assert_int_equal(e->cached, 0);
    started();
    seL4_Word v = 0;
    assert_int_equal(ask_region(0, &v), KAAL_OK);
    assert_int_equal(v, KAAL_REGION_VADDR);
    assert_true(vspace_is_mapped(&comp.vs, v, seL4_PageBits));
    assert_true(vspace_is_mapped(&comp.vs, v + (60ul << 10), seL4_PageBits));
    assert_int_equal(ask_region(0, &v), KAAL_E_BUSY);                   /* mapped already */
    assert_int_equal(ask_region(1, &v), KAAL_E_DENIED);                 /* not given it */
    seL4_SetMR(0, KAAL_RPC_REGION);
    seL4_SetMR(1, 0);
    assert_int_equal(err_of(rpc_serve(&br, &comp, seL4_MessageInfo_new(KAAL_RPC_RELEASE, 0, 0, 2))), KAAL_OK);
    assert_false(vspace_is_mapped(&comp.vs, v, seL4_PageBits));
    assert_int_equal(ask_region(0, &v), KAAL_OK); /* its range stayed its own: it maps there again */
    assert_int_equal(v, KAAL_REGION_VADDR);
}

static void a_region_over_something_else_is_refused(void **state)
{
    (void)state;
    assert_int_equal(region_create(&br, &region, 8ul << 10, seL4_PageBits), KAAL_OK);
    assert_int_equal(build(&comp), KAAL_OK);
    manifest_region_use_t over_the_ipc_buffer = {.writable = 1, .cached = 1, .vaddr = KAAL_IPCBUF_VADDR};
    assert_int_equal(region_attach(&br, &region, &comp, "shared", &over_the_ipc_buffer), KAAL_E_LAYOUT);
    manifest_region_use_t over_the_image = {.writable = 1, .cached = 1, .vaddr = 0x400000};
    assert_int_equal(region_attach(&br, &region, &comp, "shared", &over_the_image), KAAL_E_LAYOUT);
    manifest_region_use_t misaligned = {.writable = 1, .cached = 1, .vaddr = 0x4000000800};
    assert_int_equal(region_attach(&br, &region, &comp, "shared", &misaligned), KAAL_E_LAYOUT);
    assert_int_equal(region.holders, 0);
    assert_int_equal(comp.nregions, 0);
}

static void a_region_larger_than_the_quota_is_refused(void **state)
{
    (void)state;
    assert_int_equal(region_create(&br, &region, 2ul << 20, seL4_PageBits), KAAL_OK);
    assert_int_equal(build(&comp), KAAL_OK); /* 256 KiB of quota */
    manifest_region_use_t use = {.writable = 1, .cached = 1};
    assert_int_equal(region_attach(&br, &region, &comp, "shared", &use), KAAL_E_QUOTA);
    assert_int_equal(region.holders, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_region_of_2m_pages_is_one_physical_range, fresh, region_teardown),
        cmocka_unit_test_setup_teardown(giving_lays_it_out_reserves_and_charges, fresh, region_teardown),
        cmocka_unit_test_setup_teardown(a_region_over_something_else_is_refused, fresh, region_teardown),
        cmocka_unit_test_setup_teardown(a_region_larger_than_the_quota_is_refused, fresh, region_teardown),
    };
    RUN_TESTS(tests, boot, NULL);
}
