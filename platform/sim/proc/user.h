/* The component process's side of the shared page (proc_abi.h): freestanding, no libc. */
#pragma once

#include "proc_abi.h"

#define SIM_CTL ((sim_proc_ctl_t *)SIM_PROC_CTL_VADDR)

long sim_raw_syscall(long n, long a, long b, long c, long d, long e, long f);
/* Hands the turn to the kernel model and waits for its answer; applies the
 * answer's flush and TLS base. Returns the answer's action. */
uint32_t sim_user_exchange(void);
/* Maps what a SIM_ACT_MAP answer says. */
void sim_user_map(void);
/* Loads every register from regs (SIM_PROC_REGS words) and continues at its rip. */
__attribute__((noreturn)) void sim_user_jump(const uint64_t *regs);
