/*
 * Components on the sim run in host processes of their own, one per seL4
 * address space (docs/sim.md, "Components"). This is the contract between
 * such a process and the kernel model in the root task's process: one
 * shared page, at the same address in every component process, through
 * which the process makes its system calls and reports its faults. The
 * thread's side writes a request and hands the turn to the kernel; the
 * kernel's side (kernel/proc.c) answers and hands it back. Turns are futex
 * words in memory both processes map.
 */
#pragma once

#include <stdint.h>

/* Component processes keep below this address what their vspace maps; the
 * page and the launcher above it are the sim's. */
#define SIM_PROC_LIMIT 0x7e0000000000ul
#define SIM_PROC_CTL_VADDR SIM_PROC_LIMIT
#define SIM_PROC_RAM_FD 3 /* the machine's RAM, as a file, in every component process */
#define SIM_PROC_CTL_FD 4 /* the shared page */
#define SIM_PROC_REGS 18  /* seL4_UserContext without fs_base and gs_base */

enum sim_proc_turn { SIM_TURN_THREAD = 0, SIM_TURN_KERNEL = 1 };

enum sim_proc_op {
    SIM_OP_START = 1, /* the launcher is ready: where does the thread start? */
    SIM_OP_SEND,      /* a: cptr, info, blocking, call   r: info */
    SIM_OP_RECV,      /* a: cptr, -, blocking            r: info, badge */
    SIM_OP_REPLY,     /* a: -, info */
    SIM_OP_REPLY_RECV, /* a: cptr, info                  r: info, badge */
    SIM_OP_YIELD,
    SIM_OP_SET_TLS, /* a: base */
    SIM_OP_PUTCHAR, /* a: character */
    SIM_OP_CAP_IDENTIFY, /* a: cptr                      r: type */
    SIM_OP_FAULT,   /* regs, fault_*: a signal the thread took */
};

enum sim_proc_action {
    SIM_ACT_RETURN = 1, /* the system call returns r[] */
    SIM_ACT_MAP,        /* map map_* and run the faulting instruction again */
    SIM_ACT_JUMP,       /* load regs[] and go on there */
};

typedef struct sim_proc_ctl {
    volatile uint32_t turn;
    uint32_t op, action, flush; /* flush: drop every mapping below SIM_PROC_LIMIT first */
    uint64_t a[4], r[2];
    uint64_t regs[SIM_PROC_REGS]; /* rip, rsp, rflags, rax, rbx, rcx, rdx, rsi, rdi, rbp, r8-r15 */
    uint64_t fs_base;             /* the thread's TLS base, to load on the way back */
    uint64_t fs_loaded;           /* the process's: what it loaded last */
    uint64_t fault_signo, fault_code, fault_addr, fault_err;
    uint64_t map_vaddr, map_paddr, map_size, map_prot; /* map_prot: 1 read, 2 write */
} sim_proc_ctl_t;

_Static_assert(sizeof(sim_proc_ctl_t) <= 4096, "one page");
