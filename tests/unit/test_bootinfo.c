/* Bootinfo validation and the boot summary. */
#include <string.h>
#include "unit.h"
#include <kaal/bootinfo.h>
#include <kaal/rt.h>
#include <sel4/sim.h>

static seL4_BootInfo *booted;
static seL4_BootInfo bi; /* a copy each test may corrupt */

static int boot(void **state)
{
    (void)state;
    booted = sel4sim_boot();
    return 0;
}

static int copy(void **state)
{
    (void)state;
    bi = *booted;
    return 0;
}

static void sim_bootinfo_is_valid(void **state)
{
    (void)state;
    bootinfo_problem_t why = {0, 0};
    assert_int_equal(bootinfo_validate(&bi, &why), KAAL_OK);
    assert_null(why.field);
}

static void expect(kaal_err_t err, const char *field)
{
    bootinfo_problem_t why = {0, 0};
    assert_int_equal(bootinfo_validate(&bi, &why), err);
    assert_string_equal(why.field, field);
}

static void node_ids(void **state)
{
    (void)state;
    bi.numNodes = 0;
    expect(KAAL_E_BOOTINFO_NODES, "nodeID");
    bi.numNodes = 2;
    bi.nodeID = 2;
    expect(KAAL_E_BOOTINFO_NODES, "nodeID");
}

static void inverted_region(void **state)
{
    (void)state;
    bi.empty.start = bi.empty.end + 1;
    expect(KAAL_E_BOOTINFO_REGION, "empty");
}

static void region_beyond_the_cnode(void **state)
{
    (void)state;
    bi.empty.end = (1ul << bi.initThreadCNodeSizeBits) + 1;
    expect(KAAL_E_BOOTINFO_REGION, "empty");
    bi = *booted;
    bi.initThreadCNodeSizeBits = 0;
    expect(KAAL_E_BOOTINFO_REGION, "initThreadCNodeSizeBits");
}

static void overlapping_regions(void **state)
{
    (void)state;
    bi.empty.start = bi.untyped.end - 1; /* empty now starts inside the untyped caps */
    expect(KAAL_E_BOOTINFO_OVERLAP, "untyped");
    bi = *booted;
    bi.userImagePaging.start = seL4_NumInitialCaps - 1; /* over the initial caps */
    expect(KAAL_E_BOOTINFO_OVERLAP, "userImagePaging");
}

static void malformed_untypeds(void **state)
{
    (void)state;
    bi.untypedList[3].paddr += 16; /* no longer aligned to its size */
    expect(KAAL_E_BOOTINFO_UNTYPED, "untypedList");
    bi = *booted;
    bi.untypedList[0].sizeBits = seL4_MinUntypedBits - 1;
    expect(KAAL_E_BOOTINFO_UNTYPED, "untypedList");
    bi = *booted;
    bi.untypedList[1].isDevice = 7;
    expect(KAAL_E_BOOTINFO_UNTYPED, "untypedList");
    bi = *booted;
    bi.untyped.end = bi.untyped.start + CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS + 1;
    bi.empty.start = bi.untyped.end;
    expect(KAAL_E_BOOTINFO_UNTYPED, "untyped");
}

static void overlapping_untypeds(void **state)
{
    (void)state;
    bi.untypedList[2] = bi.untypedList[1];
    expect(KAAL_E_BOOTINFO_OVERLAP, "untypedList");
}

/* An untyped whose end runs past 2^64 (so an overlap test on its end would wrap), or past
 * the top of physical memory the kernel gives out (CONFIG_PADDR_USER_DEVICE_TOP). */
static void untypeds_beyond_physical_memory(void **state)
{
    (void)state;
    seL4_Word last = bi.untyped.end - bi.untyped.start - 1;
    bi.untypedList[last] = (seL4_UntypedDesc){.paddr = 0xfffff88000000000ul, .sizeBits = 45, .isDevice = 1};
    expect(KAAL_E_BOOTINFO_UNTYPED, "untypedList");
    bi = *booted;
    bi.untypedList[last] = (seL4_UntypedDesc){.paddr = 1ul << 63, .sizeBits = 39, .isDevice = 1};
    expect(KAAL_E_BOOTINFO_UNTYPED, "untypedList");
    bi = *booted;
    bi.untypedList[last] = (seL4_UntypedDesc){.paddr = CONFIG_PADDR_USER_DEVICE_TOP, .sizeBits = 12, .isDevice = 1};
    expect(KAAL_E_BOOTINFO_UNTYPED, "untypedList");
    bi = *booted;
    int cut = 0;
    for (seL4_Word i = 0; i <= last && !cut; i++) { /* the untyped that ends at the top, cut to its last page: fine */
        const seL4_UntypedDesc *d = &bi.untypedList[i];
        if (d->paddr + (1ul << d->sizeBits) == CONFIG_PADDR_USER_DEVICE_TOP) {
            bi.untypedList[i] = (seL4_UntypedDesc){.paddr = CONFIG_PADDR_USER_DEVICE_TOP - 4096, .sizeBits = 12,
                                                   .isDevice = 1};
            cut = 1;
        }
    }
    assert_true(cut);
    assert_int_equal(bootinfo_validate(&bi, NULL), KAAL_OK);
}

static void null_bootinfo(void **state)
{
    (void)state;
    assert_int_equal(bootinfo_validate(NULL, NULL), KAAL_E_INVAL);
}

static char out[4096];
static size_t out_len;
static void capture(char c)
{
    if (out_len + 1 < sizeof(out)) {
        out[out_len++] = c;
        out[out_len] = '\0';
    }
}

static void summary_reads_its_numbers_from_the_bootinfo(void **state)
{
    (void)state;
    /* Totals computed here independently of the broker. */
    seL4_Word ram = 0, ram_bytes = 0, dev = 0;
    for (seL4_Word i = 0; i < bi.untyped.end - bi.untyped.start; i++) {
        if (bi.untypedList[i].isDevice) {
            dev++;
        } else {
            ram++;
            ram_bytes += 1ul << bi.untypedList[i].sizeBits;
        }
    }
    out_len = 0;
    rt_set_putc(capture);
    bootinfo_print_summary(&bi, "cap-broker");
    rt_set_putc(NULL);
    char want[128];
    snprintf(want, sizeof(want), "  Untyped regions: %lu (%lu MiB)\n  Device untypeds: %lu\n", (unsigned long)ram,
             (unsigned long)(ram_bytes >> 20), (unsigned long)dev);
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, "seL4 Bootstrapping\nRoot task: cap-broker\n"));
    snprintf(want, sizeof(want), "Bootinfo @ %p\n", (void *)&bi);
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, "  CSpace root: 2\n  VSpace root: 3\n  TCB: 1\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(sim_bootinfo_is_valid, copy),
        cmocka_unit_test_setup(node_ids, copy),
        cmocka_unit_test_setup(inverted_region, copy),
        cmocka_unit_test_setup(region_beyond_the_cnode, copy),
        cmocka_unit_test_setup(overlapping_regions, copy),
        cmocka_unit_test_setup(malformed_untypeds, copy),
        cmocka_unit_test_setup(overlapping_untypeds, copy),
        cmocka_unit_test_setup(untypeds_beyond_physical_memory, copy),
        cmocka_unit_test(null_bootinfo),
        cmocka_unit_test_setup(summary_reads_its_numbers_from_the_bootinfo, copy),
    };
    RUN_TESTS(tests, boot, NULL);
}
