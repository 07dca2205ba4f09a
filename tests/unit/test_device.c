/* The broker's device module on the sim: IO ports, IRQs and MMIO, with their refusals. */
#include "unit.h"
#include <kaal/device.h>
#include <sel4/sim.h>

#define MMIO_VA (BROKER_VSPACE_BASE + (4ul << 20))

static broker_t br;

static int boot(void **state)
{
    (void)state;
    return broker_init(&br, sel4sim_boot(), NULL) == KAAL_OK ? 0 : -1;
}

static void mmio_maps_device_memory_only(void **state)
{
    (void)state;
    kaal_obj_t frames[2];
    volatile void *regs;
    seL4_Word slots = cspace_free_count(&br.slots);
    /* RAM is not device memory, and no untyped covers the address space's top. */
    assert_int_equal(device_mmio_map(&br, &br.vspace, 0x100000, 4096, MMIO_VA, frames, 2, &regs), KAAL_E_NO_DEVICE);
    assert_int_equal(device_mmio_map(&br, &br.vspace, 0x800000000000ul, 4096, MMIO_VA, frames, 2, &regs),
                     KAAL_E_NO_DEVICE);
    assert_int_equal(device_mmio_map(&br, &br.vspace, 0xfed00000, 0x2000, MMIO_VA, frames, 1, &regs), KAAL_E_INVAL);
    /* A size that runs past 2^64 (it would wrap to a page or two): refused, nothing mapped. */
    assert_int_equal(device_mmio_map(&br, &br.vspace, 0xfed00004, ~0ul, MMIO_VA, frames, 2, &regs), KAAL_E_INVAL);
    assert_int_equal(device_mmio_map(&br, &br.vspace, 0xfed00000, ~0ul - 0xffe, MMIO_VA, frames, 2, &regs),
                     KAAL_E_INVAL);
    assert_false(vspace_is_mapped(&br.vspace, MMIO_VA, 12));
    /* The HPET: the page offset is kept, the registers answer. */
    assert_int_equal(device_mmio_map(&br, &br.vspace, 0xfed00000, 8, MMIO_VA, frames, 2, &regs), KAAL_OK);
    assert_ptr_equal(regs, (void *)MMIO_VA);
    assert_int_equal((*(volatile seL4_Word *)regs >> 16) & 0xffff, 0x8086);
    assert_int_equal(frames[0].paddr, 0xfed00000);
    assert_int_equal(vspace_unmap(&br.vspace, frames[0].cap, MMIO_VA, 12), KAAL_OK);
    assert_int_equal(untyped_free(&br.devmem, &frames[0]), KAAL_OK);
    untyped_coalesce(&br.devmem);
    untyped_coalesce(&br.mem);
    assert_int_equal(cspace_free_count(&br.slots), slots);
}

static void ioports_are_exclusive(void **state)
{
    (void)state;
    seL4_CPtr a, b;
    assert_int_equal(device_ioport(&br, 0x60, 0x64, &a), KAAL_OK);
    assert_int_equal(device_ioport(&br, 0x64, 0x64, &b), KAAL_E_KERNEL); /* overlaps */
    assert_int_equal(seL4_X86_IOPort_In8(a, 0x60).error, seL4_NoError);
    assert_int_equal(seL4_CNode_Delete(br.slots.root, a, br.slots.depth), seL4_NoError);
    assert_int_equal(cspace_slot_free(&br.slots, a), KAAL_OK);
    assert_int_equal(device_ioport(&br, 0x64, 0x64, &b), KAAL_OK);
    assert_int_equal(seL4_CNode_Delete(br.slots.root, b, br.slots.depth), seL4_NoError);
    assert_int_equal(cspace_slot_free(&br.slots, b), KAAL_OK);
}

static void irq_handlers_signal_their_notification(void **state)
{
    (void)state;
    kaal_obj_t ntfn;
    seL4_CPtr h, h2;
    assert_int_equal(untyped_alloc(&br.mem, seL4_NotificationObject, 0, &ntfn), KAAL_OK);
    assert_int_equal(device_irq(&br, 4, ntfn.cap, &h), KAAL_OK);
    assert_int_equal(device_irq(&br, 4, ntfn.cap, &h2), KAAL_E_KERNEL); /* the pin (and its vector) is taken */
    /* A handler cannot signal through an endpoint. */
    kaal_obj_t ep;
    assert_int_equal(untyped_alloc(&br.mem, seL4_EndpointObject, 0, &ep), KAAL_OK);
    assert_int_equal(device_irq(&br, 5, ep.cap, &h2), KAAL_E_KERNEL);
    assert_int_equal(seL4_CNode_Delete(br.slots.root, h, br.slots.depth), seL4_NoError);
    assert_int_equal(cspace_slot_free(&br.slots, h), KAAL_OK);
    assert_int_equal(untyped_free(&br.mem, &ep), KAAL_OK);
    assert_int_equal(untyped_free(&br.mem, &ntfn), KAAL_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mmio_maps_device_memory_only),
        cmocka_unit_test(ioports_are_exclusive),
        cmocka_unit_test(irq_handlers_signal_their_notification),
    };
    RUN_TESTS(tests, boot, NULL);
}
