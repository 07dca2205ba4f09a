/*
 * What a thread's IPC buffer may be: a RAM frame, at an address aligned to
 * 2^seL4_IPCBufferSizeBits. Mirrors the checks sel4test's FRAMEDIPC0001 and
 * FRAMEDIPC0002 rely on (a device frame is refused as an IPC buffer).
 */
#include "conf_checks.h"

#define BUF_VADDR 0x400000000000ul /* never mapped here: Configure does not look */

static seL4_CPtr device_frame(conf_env_t *e)
{
    seL4_Word paddr, bits;
    seL4_CPtr dev = conf_device_untyped(e, seL4_PageBits, &paddr, &bits);
    seL4_CPtr frame = conf_slot(e);
    if (dev == seL4_CapNull || conf_retype(e, dev, seL4_X86_4K, 0, frame, 1) != seL4_NoError) {
        conf_fail(e, __FILE__, __LINE__, "device frame", 0, 1);
    }
    return frame;
}

static seL4_Error configure(conf_env_t *e, seL4_CPtr tcb, seL4_Word buffer, seL4_CPtr frame)
{
    return seL4_TCB_Configure(tcb, 0, e->cnode, 0, seL4_CapInitThreadVSpace, 0, buffer, frame);
}

CONF_CASE(ipc_buffer_may_not_be_a_device_frame, "FRAMEDIPC0001")
{
    seL4_CPtr tcb = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr dev = device_frame(e);
    seL4_CPtr copy = conf_slot(e);
    CHECK_OK(conf_copy(e, copy, dev, seL4_AllRights));
    CHECK_ERR(configure(e, tcb, BUF_VADDR, copy), seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_SetIPCBuffer(tcb, BUF_VADDR, copy), seL4_IllegalOperation);
}

CONF_CASE(ipc_buffer_checks, "FRAMEDIPC0002")
{
    seL4_CPtr tcb = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr frame = conf_make(e, seL4_X86_4K, 0);
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    CHECK_ERR(configure(e, tcb, BUF_VADDR, ep), seL4_IllegalOperation);
    CHECK_ERR(configure(e, tcb, BUF_VADDR + 512, frame), seL4_AlignmentError);
    CHECK_OK(configure(e, tcb, BUF_VADDR + 1024, frame)); /* 1 KiB alignment is enough */
    CHECK_OK(configure(e, tcb, 0, ep));                   /* no buffer: the cap is not looked at */
    CHECK_ERR(seL4_TCB_SetIPCBuffer(tcb, BUF_VADDR + 8, frame), seL4_AlignmentError);
    CHECK_OK(seL4_TCB_SetIPCBuffer(tcb, BUF_VADDR, frame));
}

CONF_CASE(tcb_configure_checks_its_roots, "")
{
    seL4_CPtr tcb = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr frame = conf_make(e, seL4_X86_4K, 0);
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    CHECK_ERR(seL4_TCB_Configure(tcb, 0, ep, 0, seL4_CapInitThreadVSpace, 0, 0, frame), seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_Configure(tcb, 0, e->cnode, 0, ep, 0, 0, frame), seL4_IllegalOperation);
    /* An unassigned PML4 cannot be derived, so it cannot be a thread's vspace. */
    seL4_CPtr pml4 = conf_make(e, seL4_X64_PML4Object, 0);
    CHECK_ERR(seL4_TCB_Configure(tcb, 0, e->cnode, 0, pml4, 0, 0, frame), seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_SetSpace(tcb, 0, e->cnode, 0, ep, 0), seL4_IllegalOperation);
    CHECK_OK(seL4_TCB_SetSpace(tcb, 0, e->cnode, 0, seL4_CapInitThreadVSpace, 0));
}

CONF_CASE(tcb_priority_is_bounded_by_the_authority, "SCHED0005")
{
    seL4_CPtr tcb = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr other = conf_make(e, seL4_TCBObject, 0);
    CHECK_OK(seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 200));
    CHECK_RANGE_ERR(seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 256), 0, 255);
    /* A new thread's MCP is 0: as an authority it allows priority 0 only. */
    CHECK_RANGE_ERR(seL4_TCB_SetPriority(other, tcb, 1), 0, 0);
    CHECK_OK(seL4_TCB_SetPriority(other, tcb, 0));
    CHECK_OK(seL4_TCB_SetMCPriority(tcb, seL4_CapInitThreadTCB, 100));
    CHECK_RANGE_ERR(seL4_TCB_SetSchedParams(other, tcb, 101, 50), 0, 100);
    CHECK_RANGE_ERR(seL4_TCB_SetSchedParams(other, tcb, 50, 101), 0, 100);
    CHECK_OK(seL4_TCB_SetSchedParams(other, tcb, 100, 100));
    CHECK_ERR(seL4_TCB_SetPriority(other, e->cnode, 0), seL4_InvalidCapability);
    CHECK_MR(0, 1);
}

CONF_CASE(tcb_registers_round_trip, "")
{
    seL4_CPtr tcb = conf_make(e, seL4_TCBObject, 0);
    seL4_UserContext in = {0}, out = {0};
    seL4_Word *w = (seL4_Word *)&in;
    for (unsigned i = 0; i < sizeof(in) / sizeof(seL4_Word); i++) {
        w[i] = 0x1000 + i;
    }
    in.rflags = 0x202; /* the kernel keeps the flags it allows */
    CHECK_OK(seL4_TCB_WriteRegisters(tcb, 0, 0, 3, &in));
    CHECK_OK(seL4_TCB_ReadRegisters(tcb, 0, 0, 3, &out));
    CHECK_EQ(out.rip, in.rip);
    CHECK_EQ(out.rsp, in.rsp);
    CHECK_RANGE_ERR(seL4_TCB_ReadRegisters(tcb, 0, 0, 0, &out), 1, 20);
    CHECK_RANGE_ERR(seL4_TCB_ReadRegisters(tcb, 0, 0, 21, &out), 1, 20);
    /* A thread cannot read or write its own registers. */
    CHECK_ERR(seL4_TCB_ReadRegisters(seL4_CapInitThreadTCB, 0, 0, 1, &out), seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_WriteRegisters(seL4_CapInitThreadTCB, 0, 0, 1, &in), seL4_IllegalOperation);
}

CONF_CASE(tcb_bind_notification_checks, "BIND0001")
{
    seL4_CPtr tcb = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr ntfn = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr ntfn2 = conf_make(e, seL4_NotificationObject, 0);
    seL4_CPtr send_only = conf_slot(e);
    CHECK_OK(conf_copy(e, send_only, ntfn2, seL4_CanWrite));
    CHECK_ERR(seL4_TCB_UnbindNotification(tcb), seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_BindNotification(tcb, send_only), seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_BindNotification(tcb, e->cnode), seL4_IllegalOperation);
    CHECK_OK(seL4_TCB_BindNotification(tcb, ntfn));
    CHECK_ERR(seL4_TCB_BindNotification(tcb, ntfn2), seL4_IllegalOperation);
    /* A notification takes one bound thread. */
    seL4_CPtr tcb2 = conf_make(e, seL4_TCBObject, 0);
    CHECK_ERR(seL4_TCB_BindNotification(tcb2, ntfn), seL4_IllegalOperation);
    CHECK_OK(seL4_TCB_UnbindNotification(tcb));
    CHECK_OK(seL4_TCB_BindNotification(tcb2, ntfn));
}
