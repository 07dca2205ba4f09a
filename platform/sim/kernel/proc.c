/*
 * Threads in address spaces other than the root task's. A host thread can
 * only run code the host process maps, so such a thread runs in a host
 * process of its own (proc/launcher.c), which maps exactly what its vspace
 * maps, at the same addresses, from the same RAM file, when it first
 * touches it. The thread's host thread here stays its kernel side: it
 * takes each system call and fault from the shared page (proc/proc_abi.h)
 * and runs it in the model as that thread, so scheduling, IPC and faults
 * are the model's own. Each such thread has a process of its own; threads
 * of one vspace share its memory all the same, since every mapping is a
 * shared mapping of the one RAM file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../proc/proc_abi.h"
#include "model.h"
#include "sim_internal.h"

extern char **environ;

typedef struct proc {
    pid_t pid;
    int ctl_fd;
    sim_proc_ctl_t *ctl;
    word_t asid, epoch; /* its thread's vspace, and ksim.unmaps[asid], when it last dropped its mappings */
} proc_t;

/* Where the launcher is: the environment's SEL4SIM_LAUNCHER, else what the
 * program linked in (an installed SDK links its own path), else the build's. */
extern const char *const sel4sim_launcher __attribute__((weak));

static const char *launcher_path(void)
{
    const char *env = getenv("SEL4SIM_LAUNCHER");
    if (env && *env) {
        return env;
    }
    return &sel4sim_launcher && sel4sim_launcher ? sel4sim_launcher : SEL4SIM_LAUNCHER;
}

static proc_t *spawn_process(tcb_t *t)
{
    proc_t *p = calloc(1, sizeof(*p));
    if (!p) {
        return NULL;
    }
    p->ctl_fd = memfd_create("sel4sim-proc", MFD_CLOEXEC);
    if (p->ctl_fd < 0 || ftruncate(p->ctl_fd, 4096) != 0) {
        free(p);
        return NULL;
    }
    p->ctl = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, p->ctl_fd, 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, ksim.ram_fd, SIM_PROC_RAM_FD);
    posix_spawn_file_actions_adddup2(&fa, p->ctl_fd, SIM_PROC_CTL_FD);
    char *argv[] = {(char *)"sel4sim-component", t->name, NULL};
    int rc = p->ctl == MAP_FAILED ? ENOMEM : posix_spawn(&p->pid, launcher_path(), &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        fprintf(stderr, "sim: cannot start a process for thread '%s' (%s: %s)\n", t->name, launcher_path(),
                strerror(rc));
        close(p->ctl_fd);
        free(p);
        return NULL;
    }
    return p;
}

/* Waits for the process to hand over the turn; false if it died instead. */
static bool wait_request(proc_t *p)
{
    while (__atomic_load_n(&p->ctl->turn, __ATOMIC_ACQUIRE) != SIM_TURN_KERNEL) {
        struct timespec tick = {0, 100 * 1000 * 1000};
        syscall(SYS_futex, &p->ctl->turn, FUTEX_WAIT, SIM_TURN_THREAD, &tick, NULL, 0);
        int status;
        if (__atomic_load_n(&p->ctl->turn, __ATOMIC_ACQUIRE) != SIM_TURN_KERNEL &&
            waitpid(p->pid, &status, WNOHANG) == p->pid) {
            p->pid = 0;
            return false;
        }
    }
    return true;
}

static void answer(proc_t *p, tcb_t *t)
{
    pthread_mutex_lock(&ksim.lock);
    p->ctl->fs_base = t->tls_base;
    const cap_t *vs = &t->ctes[tcb_vtable].cap;
    word_t asid = vs->type == cap_pml4 && vs->pt.mapped ? vs->pt.mapped_asid : 0;
    p->ctl->flush = asid != p->asid || p->epoch != ksim.unmaps[asid];
    p->asid = asid;
    p->epoch = ksim.unmaps[asid];
    pthread_mutex_unlock(&ksim.lock);
    __atomic_store_n(&p->ctl->turn, SIM_TURN_THREAD, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &p->ctl->turn, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* A signal in the process: a page its vspace maps but the process has not
 * mapped yet, or the thread's own fault. */
static void on_fault(proc_t *p, tcb_t *t)
{
    sim_proc_ctl_t *c = p->ctl;
    pthread_mutex_lock(&ksim.lock);
    word_t paddr, size;
    unsigned rights;
    bool write = (c->fault_err & 2) != 0;
    if (c->fault_signo == SIGSEGV && (int)c->fault_code != SI_KERNEL &&
        vspace_translate(&t->ctes[tcb_vtable].cap, c->fault_addr, &paddr, &size, &rights) &&
        rights >= 2 /* user-accessible */ && (!write || rights == 3) && paddr + size <= ksim.ram_size) {
        c->action = SIM_ACT_MAP;
        c->map_vaddr = c->fault_addr & ~(size - 1);
        c->map_paddr = paddr;
        c->map_size = size;
        c->map_prot = rights == 3 ? 3 : 1;
        pthread_mutex_unlock(&ksim.lock);
        return;
    }
    memcpy(t->regs, c->regs, sizeof(c->regs));
    fault_set_message(t, (int)c->fault_signo, (int)c->fault_code, c->fault_addr, c->fault_err);
    fault_deliver(t);
    memcpy(c->regs, t->regs, sizeof(c->regs));
    c->action = SIM_ACT_JUMP;
    pthread_mutex_unlock(&ksim.lock);
}

/* Runs one request as the thread, with the model's own system call entries. */
static void serve(proc_t *p, tcb_t *t)
{
    sim_proc_ctl_t *c = p->ctl;
    seL4_Word badge = 0;
    c->action = SIM_ACT_RETURN;
    switch (c->op) {
    case SIM_OP_START:
        pthread_mutex_lock(&ksim.lock);
        memcpy(c->regs, t->regs, sizeof(c->regs));
        pthread_mutex_unlock(&ksim.lock);
        c->action = SIM_ACT_JUMP;
        break;
    case SIM_OP_SEND:
        c->r[0] = sim_sys_send(c->a[0], (seL4_MessageInfo_t){{c->a[1]}}, c->a[2], c->a[3]).words[0];
        break;
    case SIM_OP_RECV:
        c->r[0] = sim_sys_recv(c->a[0], &badge, c->a[2]).words[0];
        c->r[1] = badge;
        break;
    case SIM_OP_REPLY:
        sim_sys_reply((seL4_MessageInfo_t){{c->a[1]}});
        break;
    case SIM_OP_REPLY_RECV:
        c->r[0] = sim_sys_reply_recv(c->a[0], (seL4_MessageInfo_t){{c->a[1]}}, &badge).words[0];
        c->r[1] = badge;
        break;
    case SIM_OP_YIELD:
        sim_sys_yield();
        break;
    case SIM_OP_SET_TLS:
        sim_sys_set_tls_base(c->a[0]);
        break;
    case SIM_OP_PUTCHAR:
        sim_sys_debug_putchar((char)c->a[0]);
        break;
    case SIM_OP_CAP_IDENTIFY:
        c->r[0] = sim_sys_cap_identify(c->a[0]);
        break;
    case SIM_OP_FAULT:
        on_fault(p, t);
        break;
    default:
        c->r[0] = 0;
        break;
    }
}

/* The process is gone without the thread being destroyed: the thread stops. */
__attribute__((noreturn)) static void lost(tcb_t *t)
{
    pthread_mutex_lock(&ksim.lock);
    fprintf(stderr, "sim: the process of thread '%s' ended; the thread is stopped\n", t->name);
    tcb_suspend(t);
    for (;;) {
        sched_wait_turn(t);
    }
}

void proc_run(tcb_t *t)
{
    pthread_mutex_lock(&ksim.lock);
    proc_t *p = spawn_process(t);
    t->proc = p;
    pthread_mutex_unlock(&ksim.lock);
    if (!p) {
        lost(t);
    }
    while (wait_request(p)) {
        serve(p, t);
        answer(p, t);
    }
    lost(t);
}

void proc_thread_destroyed(tcb_t *t)
{
    proc_t *p = t->proc;
    if (!p) {
        return;
    }
    if (p->pid > 0) {
        kill(p->pid, SIGKILL);
        waitpid(p->pid, NULL, 0);
        p->pid = 0;
    }
    munmap(p->ctl, 4096);
    close(p->ctl_fd);
    t->proc = NULL;
    free(p);
}
