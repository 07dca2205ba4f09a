/* Devices: IO ports and interrupts from the kernel's control caps, MMIO from device untypeds. */
#include <kaal/arch.h>
#include <kaal/device.h>
#include <kaal/rt.h>

#define PAGE_MASK ((1ul << seL4_PageBits) - 1)

kaal_err_t device_ioport(broker_t *b, seL4_Word first, seL4_Word last, seL4_CPtr *cap)
{
    kaal_err_t err = cspace_slot_alloc(&b->slots, cap);
    if (err != KAAL_OK) {
        return err;
    }
    if (arch_issue_ioports(first, last, b->slots.root, *cap, b->slots.depth) != seL4_NoError) {
        cspace_slot_free(&b->slots, *cap);
        return KAAL_E_KERNEL;
    }
    return KAAL_OK;
}

kaal_err_t device_irq(broker_t *b, seL4_Word irq, seL4_CPtr ntfn, seL4_CPtr *handler)
{
    kaal_err_t err = cspace_slot_alloc(&b->slots, handler);
    if (err != KAAL_OK) {
        return err;
    }
    seL4_Error e = arch_issue_irq(irq, b->slots.root, *handler, b->slots.depth);
    if (e == seL4_NoError) {
        e = seL4_IRQHandler_SetNotification(*handler, ntfn);
        if (e != seL4_NoError) {
            seL4_CNode_Delete(b->slots.root, *handler, b->slots.depth);
        }
    }
    if (e != seL4_NoError) {
        cspace_slot_free(&b->slots, *handler);
        return KAAL_E_KERNEL;
    }
    return KAAL_OK;
}

kaal_err_t device_mmio_map(broker_t *b, vspace_t *vs, seL4_Word paddr, seL4_Word size, seL4_Word vaddr,
                           kaal_obj_t *frames, unsigned max_frames, volatile void **regs)
{
    seL4_Word first = paddr & ~PAGE_MASK, end;
    if (size == 0 || !rt_range_end_aligned(paddr, size, PAGE_MASK + 1, &end) || (vaddr & PAGE_MASK) ||
        (end - first) >> seL4_PageBits > max_frames) {
        return KAAL_E_INVAL;
    }
    seL4_Word n = (end - first) >> seL4_PageBits;
    if (!bootinfo_device_covers(b->bi, first, end - 1)) {
        return KAAL_E_NO_DEVICE;
    }
    for (seL4_Word i = 0; i < n; i++) {
        kaal_err_t err = untyped_alloc_at(&b->devmem, kaal_arch.page_object, 0, first + (i << seL4_PageBits), &frames[i]);
        if (err == KAAL_OK) {
            err = vspace_map(vs, frames[i].cap, vaddr + (i << seL4_PageBits), seL4_PageBits, seL4_ReadWrite,
                             ARCH_MAP_UNCACHED);
            if (err != KAAL_OK) {
                untyped_free(&b->devmem, &frames[i]);
            }
        }
        if (err != KAAL_OK) {
            while (i-- > 0) {
                vspace_unmap(vs, frames[i].cap, vaddr + (i << seL4_PageBits), seL4_PageBits);
                untyped_free(&b->devmem, &frames[i]);
            }
            return err;
        }
    }
    *regs = (volatile void *)(vaddr + (paddr & PAGE_MASK));
    return KAAL_OK;
}
