/* Entry points from the sim's libsel4 into the kernel model. */
#pragma once

#include <stdbool.h>
#include <sel4/sel4.h>

struct tcb;
extern __thread struct tcb *sim_self;

seL4_MessageInfo_t sim_sys_send(seL4_Word cptr, seL4_MessageInfo_t info, bool blocking, bool call);
seL4_MessageInfo_t sim_sys_recv(seL4_Word cptr, seL4_Word *badge, bool blocking);
void sim_sys_reply(seL4_MessageInfo_t info);
seL4_MessageInfo_t sim_sys_reply_recv(seL4_Word cptr, seL4_MessageInfo_t info, seL4_Word *badge);
void sim_sys_yield(void);
void sim_sys_set_tls_base(seL4_Word base);
void sim_sys_debug_putchar(char c);
seL4_Uint32 sim_sys_cap_identify(seL4_Word cptr);
seL4_BootInfo *sim_boot_kernel(void);
