/*
 * Faults of threads in the root task's address space. A sim thread touching
 * memory its vspace does not map touches memory the host has not mapped
 * either (root-task mappings are host mappings), and an instruction it may
 * not execute (an `in` or `out`: seL4 grants no I/O privilege) traps; either
 * way the host raises SIGSEGV on that thread. An undefined instruction or a
 * divide error raises SIGILL or SIGFPE. A `syscall` instruction in the
 * program's own code raises SIGSYS (Linux's syscall user dispatch, set up for
 * each sim thread): the sim serves seL4 system calls through its libsel4, so
 * such an instruction is a system call seL4 does not know.
 *
 * The handler, on the thread's alternate signal stack, turns the signal into
 * the kernel's fault message to the thread's fault endpoint, with the
 * thread's registers saved in its TCB. When the thread is restarted (a reply,
 * or TCB_WriteRegisters with resume), the handler returns with the registers
 * as they are then: the instruction runs again, or the thread goes on
 * wherever its fault handler pointed it.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include "model.h"
#include "sim_internal.h"

#define PF_INSTRUCTION 0x10
#define X86_GENERAL_PROTECTION 13
#define SYSCALL_INSN_BYTES 2

#ifndef PR_SET_SYSCALL_USER_DISPATCH /* Linux 5.11 */
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_ON 1
#endif
#define SUD_FILTER_BLOCK 1 /* SYSCALL_DISPATCH_FILTER_BLOCK */
#define SUD_SI_CODE 2      /* SYS_USER_DISPATCH */
#define USER_SPACE_TOP 0x800000000000ul

/* gregs index for each word of seL4_UserContext (fs_base and gs_base are not in gregs). */
static const int context_regs[] = {REG_RIP, REG_RSP, REG_EFL, REG_RAX, REG_RBX, REG_RCX, REG_RDX, REG_RSI, REG_RDI,
                                   REG_RBP, REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};
#define N_CONTEXT_REGS (sizeof(context_regs) / sizeof(context_regs[0]))

/* The x86 exception each fault signal stands for, when it is not a page fault. */
static word_t exception_vector(int signo)
{
    switch (signo) {
    case SIGILL:
        return 6; /* invalid opcode */
    case SIGFPE:
        return 0; /* divide error */
    case SIGTRAP:
        return 3; /* breakpoint */
    default:
        return X86_GENERAL_PROTECTION; /* SIGSEGV without an address: in, out, hlt, ... */
    }
}

void fault_set_message(tcb_t *t, int signo, int si_code, word_t addr, word_t err)
{
    if ((signo == SIGSEGV && si_code != SI_KERNEL) || signo == SIGBUS) {
        /* seL4 calls a fault an instruction fault by bit 4 of the error code,
         * which the CPU sets only with NX or SMEP enabled. The modelled target
         * (pc99 on QEMU's Nehalem) has neither: a fetch reports as a read. */
        err &= ~(word_t)PF_INSTRUCTION;
        t->fault_label = seL4_Fault_VMFault;
        t->fault_msg[seL4_VMFault_IP] = t->regs[0];
        t->fault_msg[seL4_VMFault_Addr] = addr;
        t->fault_msg[seL4_VMFault_PrefetchFault] = 0;
        t->fault_msg[seL4_VMFault_FSR] = err;
        t->fault_len = seL4_VMFault_Length;
        return;
    }
    t->fault_label = seL4_Fault_UserException;
    t->fault_msg[seL4_UserException_FaultIP] = t->regs[0];
    t->fault_msg[seL4_UserException_SP] = t->regs[1];
    t->fault_msg[seL4_UserException_FLAGS] = t->regs[2];
    t->fault_msg[seL4_UserException_Number] = exception_vector(signo);
    t->fault_msg[seL4_UserException_Code] = signo == SIGSEGV ? err : 0;
    t->fault_len = seL4_UserException_Length;
}

void fault_deliver(tcb_t *self)
{
    if (!send_fault_ipc(self)) {
        fprintf(stderr, "sim: thread '%s' faulted (%s at ip 0x%lx) and has no fault handler: it is stopped\n",
                self->name, self->fault_label == seL4_Fault_VMFault ? "VM fault" : "user exception",
                (unsigned long)self->regs[0]);
        tcb_suspend(self);
    }
    do {
        sched_wait_turn(self);
    } while (self->state != ts_restart && self->state != ts_running);
    self->state = ts_running;
    self->has_fault = false;
}

/* The kernel's message for a system call it does not know (x86_64:
 * handleUnknownSyscall): the registers, the instruction's address, and the
 * number, which seL4 takes from rdx. */
static void fault_set_unknown_syscall(tcb_t *t)
{
    for (unsigned k = 0; k <= seL4_UnknownSyscall_R15; k++) {
        t->fault_msg[k] = t->regs[CONTEXT_RAX + k]; /* rax to r15, in the same order in both */
    }
    t->fault_msg[seL4_UnknownSyscall_FaultIP] = t->regs[0];
    t->fault_msg[seL4_UnknownSyscall_SP] = t->regs[1];
    t->fault_msg[seL4_UnknownSyscall_FLAGS] = t->regs[2];
    t->fault_msg[seL4_UnknownSyscall_Syscall] = t->regs[CONTEXT_RAX + seL4_UnknownSyscall_RDX];
    t->fault_label = seL4_Fault_UnknownSyscall;
    t->fault_len = seL4_UnknownSyscall_Length;
}

static void on_fault_signal(int sig, siginfo_t *info, void *context)
{
    tcb_t *self = sim_self;
    ucontext_t *uc = context;
    if (!self || (sig == SIGSYS && info->si_code != SUD_SI_CODE)) {
        abort(); /* not a sim thread, or not its fault: a real crash */
    }
    greg_t *g = uc->uc_mcontext.gregs;
    pthread_mutex_lock(&ksim.lock);
    for (unsigned i = 0; i < N_CONTEXT_REGS; i++) {
        self->regs[i] = (word_t)g[context_regs[i]];
    }
    if (sig == SIGSYS) {
        self->regs[0] -= SYSCALL_INSN_BYTES; /* FaultIP: the instruction itself */
        fault_set_unknown_syscall(self);
    } else {
        fault_set_message(self, sig, info->si_code, (word_t)info->si_addr, (word_t)g[REG_ERR]);
    }
    fault_deliver(self);
    for (unsigned i = 0; i < N_CONTEXT_REGS; i++) {
        g[context_regs[i]] = (greg_t)self->regs[i];
    }
    pthread_mutex_unlock(&ksim.lock);
}

void vmfault_install(void)
{
    static const int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGSYS};
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_fault_signal;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (unsigned i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
        sigaction(signals[i], &sa, NULL);
    }
}

/* The end of the program's own code: system call instructions below it are
 * the seL4 threads' own, those above it (the C library, the loader, the
 * vDSO) are the host's. */
extern char etext[];

void vmfault_thread_init(void *altstack, size_t size)
{
    stack_t ss = {.ss_sp = altstack, .ss_size = size, .ss_flags = 0}, old;
    if (sigaltstack(NULL, &old) == 0 && (old.ss_flags & SS_DISABLE)) {
        sigaltstack(&ss, NULL); /* unless the host set one up already (a sanitizer's runtime does) */
    }
    static char selector = SUD_FILTER_BLOCK;
    word_t host_from = (word_t)etext;
    if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, host_from, USER_SPACE_TOP - host_from, &selector)) {
        static bool warned;
        if (!warned) {
            warned = true;
            fprintf(stderr, "sim: this host has no syscall user dispatch (Linux 5.11 or later): a syscall "
                            "instruction in a thread's own code runs on the host instead of faulting\n");
        }
    }
}
