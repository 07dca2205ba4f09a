/*
 * The root task's own check of the board at boot, for pc99 (QEMU's PC, and
 * the sim, which models it): it maps a fresh frame and uses it, writes to COM1 through its
 * IO ports, takes COM1's interrupt and a PIT interrupt, and reads the HPET's
 * registers through an uncached MMIO mapping. Everything is handed back at the end, and the
 * broker's books must be where they were.
 */
#include <kaal/arch.h>
#include <kaal/device.h>
#include <kaal/rt.h>
#include <kaal/uart16550.h>
#include "../root.h"

#define SCRATCH BROKER_VSPACE_BASE
#define MMIO_VADDR (BROKER_VSPACE_BASE + (1ul << 21))
#define HPET_PADDR 0xfed00000ul
#define COM1_PIN 4
#define IRQ_BADGE 0x1
#define PIT_PORTS 0x40
#define PIT_PIN 2 /* the PIT's ISA IRQ 0 arrives on IOAPIC pin 2 */
#define PIT_BADGE 0x2
#define PIT_ONE_MS 1193 /* at 1.193182 MHz */

static int check_memory(broker_t *b)
{
    kaal_obj_t f;
    seL4_Word used = b->mem.used_bytes;
    if (untyped_alloc(&b->mem, kaal_arch.page_object, 0, &f) != KAAL_OK ||
        vspace_map(&b->vspace, f.cap, SCRATCH, seL4_PageBits, seL4_ReadWrite, ARCH_MAP_DEFAULT) != KAAL_OK) {
        rt_printf("Memory: could not map a frame\n");
        return 1;
    }
    volatile seL4_Word *p = (volatile seL4_Word *)SCRATCH;
    int bad = 0;
    for (unsigned i = 0; i < 512; i++) {
        p[i] = 0x6b61616c00000000ul | i;
    }
    for (unsigned i = 0; i < 512; i++) {
        bad |= p[i] != (0x6b61616c00000000ul | i);
    }
    rt_printf("Memory: frame at paddr 0x%lx mapped at 0x%lx with %u paging structures; 4096 bytes %s\n",
              (unsigned long)f.paddr, (unsigned long)SCRATCH, b->vspace.ntables,
              bad ? "read back WRONG" : "written and read back");
    bad |= vspace_unmap(&b->vspace, f.cap, SCRATCH, seL4_PageBits) != KAAL_OK;
    bad |= untyped_free(&b->mem, &f) != KAAL_OK;
    return bad || b->mem.used_bytes != used;
}

/* COM1's transmit-empty interrupt: enable it, wait for the notification, acknowledge. */
static int check_irq(broker_t *b, uart16550_t *u)
{
    kaal_obj_t ntfn;
    seL4_CPtr badged, handler;
    if (untyped_alloc(&b->mem, seL4_NotificationObject, 0, &ntfn) != KAAL_OK ||
        cspace_slot_alloc(&b->slots, &badged) != KAAL_OK) {
        return 1;
    }
    int bad = seL4_CNode_Mint(b->slots.root, badged, b->slots.depth, b->slots.root, ntfn.cap, b->slots.depth,
                              seL4_AllRights, IRQ_BADGE) != seL4_NoError;
    if (bad || device_irq(b, COM1_PIN, badged, &handler) != KAAL_OK) {
        rt_printf("IRQ: could not get a handler for IOAPIC pin %d\n", COM1_PIN);
        return 1;
    }
    seL4_Word badge = 0;
    uart16550_set_interrupts(u, UART16550_IER_THRE);
    seL4_Wait(ntfn.cap, &badge);
    seL4_Word iir = uart16550_interrupt_id(u);
    uart16550_set_interrupts(u, 0);
    bad |= seL4_IRQHandler_Ack(handler) != seL4_NoError;
    rt_printf("IRQ: COM1 interrupt on IOAPIC pin %d delivered (badge 0x%lx, IIR 0x%lx), acknowledged\n", COM1_PIN,
              (unsigned long)badge, (unsigned long)iir);
    bad |= badge != IRQ_BADGE || (iir & 0xf) != 0x2;
    seL4_CNode_Delete(b->slots.root, handler, b->slots.depth);
    seL4_CNode_Delete(b->slots.root, badged, b->slots.depth);
    cspace_slot_free(&b->slots, handler);
    cspace_slot_free(&b->slots, badged);
    return bad | (untyped_free(&b->mem, &ntfn) != KAAL_OK);
}

/* A one-shot PIT count of 1 ms on channel 0 (mode 0): IRQ 0 when it runs out. */
static int check_pit(broker_t *b)
{
    kaal_obj_t ntfn;
    seL4_CPtr port, badged, handler;
    if (untyped_alloc(&b->mem, seL4_NotificationObject, 0, &ntfn) != KAAL_OK ||
        cspace_slot_alloc(&b->slots, &badged) != KAAL_OK ||
        seL4_CNode_Mint(b->slots.root, badged, b->slots.depth, b->slots.root, ntfn.cap, b->slots.depth,
                        seL4_AllRights, PIT_BADGE) != seL4_NoError ||
        device_ioport(b, PIT_PORTS, PIT_PORTS + 3, &port) != KAAL_OK ||
        device_irq(b, PIT_PIN, badged, &handler) != KAAL_OK) {
        rt_printf("PIT: could not take its IO ports and IRQ\n");
        return 1;
    }
    seL4_Word badge = 0;
    int bad = seL4_X86_IOPort_Out8(port, PIT_PORTS + 3, 0x30) != seL4_NoError; /* ch 0, lo/hi, mode 0 */
    bad |= seL4_X86_IOPort_Out8(port, PIT_PORTS, PIT_ONE_MS & 0xff) != seL4_NoError;
    bad |= seL4_X86_IOPort_Out8(port, PIT_PORTS, PIT_ONE_MS >> 8) != seL4_NoError;
    seL4_Wait(ntfn.cap, &badge);
    bad |= seL4_IRQHandler_Ack(handler) != seL4_NoError || badge != PIT_BADGE;
    rt_printf("PIT: one-shot count on channel 0 ran out: IRQ 0 on IOAPIC pin %d delivered (badge 0x%lx), acknowledged\n",
              PIT_PIN, (unsigned long)badge);
    seL4_CPtr caps[] = {handler, port, badged};
    for (unsigned i = 0; i < 3; i++) {
        seL4_CNode_Delete(b->slots.root, caps[i], b->slots.depth);
        cspace_slot_free(&b->slots, caps[i]);
    }
    return bad | (untyped_free(&b->mem, &ntfn) != KAAL_OK);
}

static int check_mmio(broker_t *b)
{
    kaal_obj_t frame;
    volatile void *regs;
    kaal_err_t err = device_mmio_map(b, &b->vspace, HPET_PADDR, 8, MMIO_VADDR, &frame, 1, &regs);
    if (err != KAAL_OK) {
        rt_printf("MMIO: could not map the HPET: %s\n", kaal_err_str(err));
        return 1;
    }
    seL4_Word cap = *(volatile seL4_Word *)regs;
    rt_printf("MMIO: HPET at 0x%lx: vendor 0x%lx, %lu timers, counter period %lu fs\n", (unsigned long)HPET_PADDR,
              (unsigned long)((cap >> 16) & 0xffff), (unsigned long)(((cap >> 8) & 0x1f) + 1),
              (unsigned long)(cap >> 32));
    err = vspace_unmap(&b->vspace, frame.cap, MMIO_VADDR, seL4_PageBits);
    return err != KAAL_OK || untyped_free(&b->devmem, &frame) != KAAL_OK || ((cap >> 16) & 0xffff) == 0;
}

int root_devices_check(broker_t *b)
{
    seL4_Word slots = cspace_free_count(&b->slots), used = b->mem.used_bytes;
    int bad = check_memory(b);
    seL4_CPtr port;
    uart16550_t com1;
    if (device_ioport(b, UART16550_COM1, UART16550_COM1 + UART16550_PORTS - 1, &port) != KAAL_OK ||
        uart16550_init(&com1, port, UART16550_COM1) != seL4_NoError) {
        rt_printf("UART: could not take COM1's IO ports\n");
        return 1;
    }
    bad |= uart16550_puts(&com1, "UART: this line went out through COM1's IO ports, not seL4_DebugPutChar\n") !=
           seL4_NoError;
    bad |= check_irq(b, &com1);
    bad |= check_pit(b);
    bad |= check_mmio(b);
    seL4_CNode_Delete(b->slots.root, port, b->slots.depth);
    cspace_slot_free(&b->slots, port);
    untyped_coalesce(&b->mem);
    untyped_coalesce(&b->devmem);
    bad |= cspace_free_count(&b->slots) != slots || b->mem.used_bytes != used;
    rt_printf("Devices: %s; slots free %lu, memory used %lu bytes (as before: %s)\n", bad ? "FAILED" : "ok",
              (unsigned long)cspace_free_count(&b->slots), (unsigned long)b->mem.used_bytes,
              cspace_free_count(&b->slots) == slots && b->mem.used_bytes == used ? "yes" : "no");
    return bad;
}
