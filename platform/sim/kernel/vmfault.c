/*
 * VM faults and user exceptions. A sim thread touching memory its vspace
 * does not map touches memory the host has not mapped either (root-task
 * mappings are host mappings), and an instruction it may not execute (an
 * `in` or `out`: seL4 grants no I/O privilege) traps; either way the host
 * raises SIGSEGV on that thread. The handler turns it into the kernel's
 * fault message to the thread's fault endpoint, with the thread's registers
 * saved in its TCB. When the thread is restarted (a reply, or
 * TCB_WriteRegisters with resume), the handler returns with the registers as
 * they are then: the instruction runs again, or the thread goes on wherever
 * its fault handler pointed it.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include "model.h"
#include "sim_internal.h"

#define PF_INSTRUCTION 0x10
#define X86_GENERAL_PROTECTION 13

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
        t->fault_label = seL4_Fault_VMFault;
        t->fault_msg[seL4_VMFault_IP] = t->regs[0];
        t->fault_msg[seL4_VMFault_Addr] = addr;
        t->fault_msg[seL4_VMFault_PrefetchFault] = (err & PF_INSTRUCTION) != 0;
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

static void on_segv(int sig, siginfo_t *info, void *context)
{
    tcb_t *self = sim_self;
    ucontext_t *uc = context;
    if (!self) {
        abort(); /* not a sim thread: a real crash */
    }
    greg_t *g = uc->uc_mcontext.gregs;
    pthread_mutex_lock(&ksim.lock);
    for (unsigned i = 0; i < N_CONTEXT_REGS; i++) {
        self->regs[i] = (word_t)g[context_regs[i]];
    }
    fault_set_message(self, sig, info->si_code, (word_t)info->si_addr, (word_t)g[REG_ERR]);
    fault_deliver(self);
    for (unsigned i = 0; i < N_CONTEXT_REGS; i++) {
        g[context_regs[i]] = (greg_t)self->regs[i];
    }
    pthread_mutex_unlock(&ksim.lock);
}

void vmfault_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
}
