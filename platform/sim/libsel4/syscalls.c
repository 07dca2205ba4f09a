/*
 * libsel4's system calls for the sim. On x86_64 the first four message
 * registers travel in CPU registers; here they live in the IPC buffer, which
 * the kernel model reads directly, so the *WithMRs forms copy them in and out.
 * Each ends in a sim_sys_* entry: the kernel model itself (kernel/syscall.c)
 * in the root task's process, the shared page (proc/sim_sys.c) in a
 * component's.
 */
#include <sel4/sel4.h>
#include "../kernel/sim_internal.h"

__thread seL4_IPCBuffer *__sel4_ipc_buffer;
static void mrs_in(seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word *const in[4] = {mr0, mr1, mr2, mr3};
    for (int i = 0; i < 4; i++) {
        if (in[i]) {
            seL4_SetMR(i, *in[i]);
        }
    }
}

static void mrs_out(seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word *const out[4] = {mr0, mr1, mr2, mr3};
    for (int i = 0; i < 4; i++) {
        if (out[i]) {
            *out[i] = seL4_GetMR(i);
        }
    }
}

void seL4_Send(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    sim_sys_send(dest, msgInfo, true, false);
}

void seL4_NBSend(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    sim_sys_send(dest, msgInfo, false, false);
}

void seL4_SendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_Word *mr0, seL4_Word *mr1,
                      seL4_Word *mr2, seL4_Word *mr3)
{
    mrs_in(mr0, mr1, mr2, mr3);
    seL4_Send(dest, msgInfo);
}

void seL4_NBSendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_Word *mr0, seL4_Word *mr1,
                        seL4_Word *mr2, seL4_Word *mr3)
{
    mrs_in(mr0, mr1, mr2, mr3);
    seL4_NBSend(dest, msgInfo);
}

seL4_MessageInfo_t seL4_Call(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    return sim_sys_send(dest, msgInfo, true, true);
}

seL4_MessageInfo_t seL4_CallWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_Word *mr0,
                                    seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    mrs_in(mr0, mr1, mr2, mr3);
    seL4_MessageInfo_t info = seL4_Call(dest, msgInfo);
    mrs_out(mr0, mr1, mr2, mr3);
    return info;
}

void seL4_Signal(seL4_CPtr dest)
{
    sim_sys_send(dest, seL4_MessageInfo_new(0, 0, 0, 0), false, false);
}

seL4_MessageInfo_t seL4_Recv(seL4_CPtr src, seL4_Word *sender)
{
    seL4_Word badge;
    seL4_MessageInfo_t info = sim_sys_recv(src, &badge, true);
    if (sender) {
        *sender = badge;
    }
    return info;
}

seL4_MessageInfo_t seL4_RecvWithMRs(seL4_CPtr src, seL4_Word *sender, seL4_Word *mr0, seL4_Word *mr1,
                                    seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_MessageInfo_t info = seL4_Recv(src, sender);
    mrs_out(mr0, mr1, mr2, mr3);
    return info;
}

seL4_MessageInfo_t seL4_NBRecv(seL4_CPtr src, seL4_Word *sender)
{
    seL4_Word badge;
    seL4_MessageInfo_t info = sim_sys_recv(src, &badge, false);
    if (sender) {
        *sender = badge;
    }
    return info;
}

void seL4_Wait(seL4_CPtr src, seL4_Word *sender)
{
    seL4_Recv(src, sender);
}

seL4_MessageInfo_t seL4_Poll(seL4_CPtr src, seL4_Word *sender)
{
    return seL4_NBRecv(src, sender);
}

void seL4_Yield(void)
{
    sim_sys_yield();
}

void seL4_Reply(seL4_MessageInfo_t msgInfo)
{
    sim_sys_reply(msgInfo);
}

void seL4_ReplyWithMRs(seL4_MessageInfo_t msgInfo, seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    mrs_in(mr0, mr1, mr2, mr3);
    seL4_Reply(msgInfo);
}

seL4_MessageInfo_t seL4_ReplyRecv(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_Word *sender)
{
    seL4_Word badge;
    seL4_MessageInfo_t info = sim_sys_reply_recv(dest, msgInfo, &badge);
    if (sender) {
        *sender = badge;
    }
    return info;
}

seL4_MessageInfo_t seL4_ReplyRecvWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_Word *sender,
                                         seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    mrs_in(mr0, mr1, mr2, mr3);
    seL4_MessageInfo_t info = seL4_ReplyRecv(dest, msgInfo, sender);
    mrs_out(mr0, mr1, mr2, mr3);
    return info;
}

void seL4_SetTLSBase(seL4_Word tls_base)
{
    sim_sys_set_tls_base(tls_base);
}

void seL4_DebugPutChar(char c)
{
    sim_sys_debug_putchar(c);
}

seL4_Uint32 seL4_DebugCapIdentify(seL4_CPtr cap)
{
    return sim_sys_cap_identify(cap);
}
