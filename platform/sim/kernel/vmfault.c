/*
 * VM faults. A sim thread touching memory its vspace does not map touches
 * memory the host has not mapped either (root-task mappings are host
 * mappings), so the host raises SIGSEGV on that thread. The handler turns it
 * into the kernel's VM fault: a message to the thread's fault endpoint with
 * the instruction, the address and the page-fault error code. A reply
 * returns from the handler, and the instruction runs again: if the fault
 * handler mapped the page meanwhile, it now succeeds, as on seL4.
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

static void on_segv(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    tcb_t *self = sim_self;
    ucontext_t *uc = context;
    if (!self) {
        abort(); /* not a sim thread: a real crash */
    }
    word_t ip = (word_t)uc->uc_mcontext.gregs[REG_RIP], err = (word_t)uc->uc_mcontext.gregs[REG_ERR];
    pthread_mutex_lock(&ksim.lock);
    self->fault_label = seL4_Fault_VMFault;
    self->fault_msg[seL4_VMFault_IP] = ip;
    self->fault_msg[seL4_VMFault_Addr] = (word_t)info->si_addr;
    self->fault_msg[seL4_VMFault_PrefetchFault] = (err & PF_INSTRUCTION) != 0;
    self->fault_msg[seL4_VMFault_FSR] = err;
    self->fault_len = seL4_VMFault_Length;
    if (!send_fault_ipc(self)) {
        fprintf(stderr, "sim: thread '%s' faulted (VM fault at 0x%lx, ip 0x%lx) and has no fault handler: it is stopped\n",
                self->name, (unsigned long)(word_t)info->si_addr, (unsigned long)ip);
        tcb_suspend(self);
    }
    do {
        sched_wait_turn(self);
    } while (self->state != ts_restart && self->state != ts_running);
    self->state = ts_running;
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
