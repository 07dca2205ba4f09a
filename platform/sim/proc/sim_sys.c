/*
 * The sim's system call entries in a component process: each is a request
 * on the shared page, answered by the kernel model in the root task's
 * process, which runs it as this thread (kernel/proc.c). The message
 * registers need no copying: the IPC buffer is a frame both processes map.
 */
#include "../kernel/sim_internal.h"
#include "user.h"

static uint64_t request(uint32_t op, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    sim_proc_ctl_t *ctl = SIM_CTL;
    ctl->op = op;
    ctl->a[0] = a0;
    ctl->a[1] = a1;
    ctl->a[2] = a2;
    ctl->a[3] = a3;
    if (sim_user_exchange() == SIM_ACT_JUMP) {
        sim_user_jump(ctl->regs); /* the thread was sent elsewhere while it waited */
    }
    return ctl->r[0];
}

seL4_MessageInfo_t sim_sys_send(seL4_Word cptr, seL4_MessageInfo_t info, bool blocking, bool call)
{
    return (seL4_MessageInfo_t){{request(SIM_OP_SEND, cptr, info.words[0], blocking, call)}};
}

seL4_MessageInfo_t sim_sys_recv(seL4_Word cptr, seL4_Word *badge, bool blocking)
{
    seL4_MessageInfo_t info = {{request(SIM_OP_RECV, cptr, 0, blocking, 0)}};
    *badge = SIM_CTL->r[1];
    return info;
}

void sim_sys_reply(seL4_MessageInfo_t info)
{
    request(SIM_OP_REPLY, 0, info.words[0], 0, 0);
}

seL4_MessageInfo_t sim_sys_reply_recv(seL4_Word cptr, seL4_MessageInfo_t info, seL4_Word *badge)
{
    seL4_MessageInfo_t got = {{request(SIM_OP_REPLY_RECV, cptr, info.words[0], 0, 0)}};
    *badge = SIM_CTL->r[1];
    return got;
}

void sim_sys_yield(void)
{
    request(SIM_OP_YIELD, 0, 0, 0, 0);
}

void sim_sys_set_tls_base(seL4_Word base)
{
    request(SIM_OP_SET_TLS, base, 0, 0, 0);
}

void sim_sys_debug_putchar(char c)
{
    request(SIM_OP_PUTCHAR, (unsigned char)c, 0, 0, 0);
}

seL4_Uint32 sim_sys_cap_identify(seL4_Word cptr)
{
    return (seL4_Uint32)request(SIM_OP_CAP_IDENTIFY, cptr, 0, 0, 0);
}
