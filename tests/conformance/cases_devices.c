/*
 * x86 IO ports and interrupts through libsel4. The IO port cases use COM2's
 * range (0x2f8-0x2ff: no device on QEMU's pc, so it reads as all ones) and
 * COM1's scratch register; the interrupt case takes COM1's transmit-empty
 * interrupt on IOAPIC pin 4.
 */
#include "conf_checks.h"

#define COM1 0x3f8
#define COM2 0x2f8
#define UART_IER 1
#define UART_IIR 2
#define UART_SCR 7
#define COM1_PIN 4

static seL4_Error issue(conf_env_t *e, seL4_Word first, seL4_Word last, seL4_CPtr slot)
{
    return seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, first, last, e->cnode, slot, e->depth);
}

CONF_CASE(ioport_issue_checks, "")
{
    seL4_CPtr a = conf_slot(e), b = conf_slot(e);
    CHECK_ARG_ERR(issue(e, COM2 + 1, COM2, a), 1);
    CHECK_OK(issue(e, COM2, COM2 + 7, a));
    CHECK_TAG(a, TAG_IO_PORT);
    CHECK_ERR(issue(e, COM2 + 7, COM2 + 8, b), seL4_RevokeFirst);
    CHECK_ERR(issue(e, COM2 + 8, COM2 + 9, a), seL4_DeleteFirst);
    CHECK_RANGE_ERR(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, COM2 + 8, COM2 + 9, e->cnode, b, 0), 1, 64);
}

CONF_CASE(ioport_range_freed_with_the_last_cap, "")
{
    seL4_CPtr a = conf_slot(e), copy = conf_slot(e), b = conf_slot(e);
    CHECK_OK(issue(e, COM2, COM2 + 7, a));
    CHECK_OK(conf_copy(e, copy, a, seL4_AllRights));
    CHECK_OK(conf_delete(e, a));
    CHECK_ERR(issue(e, COM2, COM2, b), seL4_RevokeFirst); /* the copy still holds it */
    CHECK_OK(conf_delete(e, copy));
    CHECK_OK(issue(e, COM2, COM2, b));
}

CONF_CASE(ioport_control_cannot_be_copied, "")
{
    CHECK_ERR(conf_copy(e, conf_slot(e), seL4_CapIOPortControl, seL4_AllRights), seL4_IllegalOperation);
}

CONF_CASE(ioport_in_out_stay_inside_the_cap, "")
{
    seL4_CPtr p = conf_slot(e);
    CHECK_OK(issue(e, COM2, COM2 + 3, p));
    CHECK_EQ(seL4_X86_IOPort_In8(p, COM2).error, seL4_NoError);
    CHECK_EQ(seL4_X86_IOPort_In8(p, COM2).result, 0xff); /* nothing answers there */
    CHECK_EQ(seL4_X86_IOPort_In8(p, COM2 + 4).error, seL4_IllegalOperation);
    CHECK_EQ(seL4_X86_IOPort_In16(p, COM2 + 3).error, seL4_IllegalOperation);
    CHECK_EQ(seL4_X86_IOPort_In32(p, COM2).error, seL4_NoError);
    CHECK_ERR(seL4_X86_IOPort_Out32(p, COM2 + 1, 0), seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_IOPort_Out8(p, COM2 - 1, 0), seL4_IllegalOperation);
}

CONF_CASE(ioport_uart_scratch_register, "")
{
    seL4_CPtr p = conf_slot(e);
    CHECK_OK(issue(e, COM1 + UART_SCR, COM1 + UART_SCR, p));
    CHECK_OK(seL4_X86_IOPort_Out8(p, COM1 + UART_SCR, 0x5a));
    CHECK_EQ(seL4_X86_IOPort_In8(p, COM1 + UART_SCR).result, 0x5a);
    CHECK_OK(seL4_X86_IOPort_Out8(p, COM1 + UART_SCR, 0xa5));
    CHECK_EQ(seL4_X86_IOPort_In8(p, COM1 + UART_SCR).result, 0xa5);
}

static seL4_Error get_ioapic(conf_env_t *e, seL4_CPtr slot, seL4_Word pin, seL4_Word vector)
{
    return seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, e->cnode, slot, e->depth, 0, pin, 0, 0, vector);
}

CONF_CASE(irq_ioapic_checks, "")
{
    seL4_CPtr h = conf_slot(e), h2 = conf_slot(e);
    CHECK_RANGE_ERR(get_ioapic(e, h, COM1_PIN, 108), 0, 107);
    CHECK_OK(get_ioapic(e, h, COM1_PIN, 3));
    CHECK_TAG(h, TAG_IRQ_HANDLER);
    CHECK_ERR(get_ioapic(e, h2, COM1_PIN, 3), seL4_RevokeFirst);
    CHECK_ERR(get_ioapic(e, h, COM1_PIN, 4), seL4_DeleteFirst);
    CHECK_RANGE_ERR(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, e->cnode, h2, e->depth, 1, 0, 0, 0, 4), 0, 0);
    CHECK_RANGE_ERR(get_ioapic(e, h2, 24, 4), 0, 23);
    CHECK_RANGE_ERR(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, e->cnode, h2, e->depth, 0, 5, 2, 0, 4), 0, 1);
    CHECK_RANGE_ERR(seL4_IRQControl_GetMSI(seL4_CapIRQControl, e->cnode, h2, e->depth, 256, 0, 0, 0, 4), 0, 255);
    CHECK_RANGE_ERR(seL4_IRQControl_GetMSI(seL4_CapIRQControl, e->cnode, h2, e->depth, 0, 32, 0, 0, 4), 0, 31);
    CHECK_OK(seL4_IRQControl_GetMSI(seL4_CapIRQControl, e->cnode, h2, e->depth, 0, 3, 0, 0, 4));
    /* IOAPIC mode has no legacy IRQ numbers. */
    CHECK_ERR(seL4_IRQControl_Get(seL4_CapIRQControl, 4, e->cnode, conf_slot(e), e->depth), seL4_IllegalOperation);
    /* Once the last handler cap is gone the vector can be issued again. */
    CHECK_OK(conf_delete(e, h));
    CHECK_OK(get_ioapic(e, h, COM1_PIN, 3));
}

CONF_CASE(irq_handler_binds_a_notification, "")
{
    seL4_CPtr h = conf_slot(e);
    CHECK_OK(get_ioapic(e, h, COM1_PIN, 5));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr recv_only = conf_slot(e);
    CHECK_OK(conf_copy(e, recv_only, ntfn, seL4_CanRead));
    CHECK_ERR(seL4_IRQHandler_SetNotification(h, ep), seL4_InvalidCapability);
    CHECK_MR(0, 0);
    CHECK_ERR(seL4_IRQHandler_SetNotification(h, recv_only), seL4_InvalidCapability);
    CHECK_OK(seL4_IRQHandler_SetNotification(h, ntfn));
    CHECK_OK(seL4_IRQHandler_SetNotification(h, ntfn)); /* rebinding replaces */
    CHECK_OK(seL4_IRQHandler_Ack(h));
    CHECK_OK(seL4_IRQHandler_Clear(h));
    CHECK_OK(seL4_IRQHandler_Clear(h));
    seL4_CPtr copy = conf_slot(e);
    CHECK_OK(conf_copy(e, copy, h, seL4_AllRights));
    CHECK_ERR(conf_copy(e, conf_slot(e), seL4_CapIRQControl, seL4_AllRights), seL4_IllegalOperation);
}

/* COM1 raises its line when its transmitter is empty and that interrupt is enabled. */
CONF_CASE(irq_uart_transmit_empty_is_delivered_and_acked, "")
{
    seL4_CPtr h = conf_slot(e), port = conf_slot(e), badged = conf_slot(e);
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    CHECK_OK(conf_mint(e, badged, ntfn, seL4_AllRights, 0x40));
    CHECK_OK(get_ioapic(e, h, COM1_PIN, 6));
    CHECK_OK(seL4_IRQHandler_SetNotification(h, badged));
    CHECK_OK(issue(e, COM1 + UART_IER, COM1 + UART_IIR, port));
    CHECK_OK(seL4_X86_IOPort_Out8(port, COM1 + UART_IER, 0x02));
    seL4_Word badge = 0;
    seL4_Wait(ntfn, &badge);
    CHECK_EQ(badge, 0x40);
    CHECK_EQ(seL4_X86_IOPort_In8(port, COM1 + UART_IIR).result & 0x0f, 0x02); /* transmit empty; reading clears it */
    CHECK_OK(seL4_X86_IOPort_Out8(port, COM1 + UART_IER, 0x00));
    CHECK_OK(seL4_IRQHandler_Ack(h));
    CHECK_EQ(conf_poll(ntfn), 0);
}
