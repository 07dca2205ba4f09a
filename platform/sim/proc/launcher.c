/*
 * The first program of a component process on the sim. The kernel model
 * starts it with the machine's RAM and the shared page as open files; it
 * maps the page, takes every fault signal on a stack of its own, asks
 * where the thread starts, and jumps there. From then on the process holds
 * nothing of the launcher but this code and its signal handler: what the
 * thread touches is mapped on demand from its vspace (a fault the vspace
 * explains becomes a mapping; any other is the thread's fault, delivered as
 * the kernel would). Freestanding, linked high, above SIM_PROC_LIMIT.
 */
#include "user.h"

#define SYS_rt_sigaction 13
#define SYS_sigaltstack 131
#define SYS_prctl 157
#define SYS_mmap 9
#define SYS_exit_group 231
#define PR_SET_PDEATHSIG 1
#define SIGKILL 9
#define SA_SIGINFO 0x4
#define SA_ONSTACK 0x08000000
#define SA_RESTORER 0x04000000
#define SA_NODEFER 0x40000000
#define MAP_SHARED 1
#define MAP_FIXED 0x10
#define UC_GREGS 40 /* offset of mcontext's gregs in a ucontext */
#define REG_ERR 19
#define SI_CODE 8   /* offsets in a siginfo */
#define SI_ADDR 16

void launcher_main(void);
void launcher_restore(void);

/* gregs index for each of the ABI's registers (rip, rsp, rflags, rax, rbx, rcx, rdx, rsi, rdi, rbp, r8-r15). */
static const int gregs_of[SIM_PROC_REGS] = {16, 15, 17, 13, 11, 14, 12, 9, 8, 10, 0, 1, 2, 3, 4, 5, 6, 7};
static uint8_t signal_stack[64 * 1024] __attribute__((aligned(16)));

struct kernel_sigaction {
    void (*handler)(int, void *, void *);
    unsigned long flags;
    void (*restorer)(void);
    unsigned long mask;
};

/* A fault may come between a request's writing its arguments to the shared
 * page and its exchange (the code of sim_user_exchange not mapped yet): the
 * fault's own exchange must leave the request as it found it. */
static void on_fault(int sig, void *info, void *uc)
{
    sim_proc_ctl_t *ctl = SIM_CTL;
    uint32_t op = ctl->op;
    uint64_t a[4] = {ctl->a[0], ctl->a[1], ctl->a[2], ctl->a[3]};
    uint64_t *g = (uint64_t *)((char *)uc + UC_GREGS);
    for (int i = 0; i < SIM_PROC_REGS; i++) {
        ctl->regs[i] = g[gregs_of[i]];
    }
    ctl->op = SIM_OP_FAULT;
    ctl->fault_signo = (uint64_t)sig;
    ctl->fault_code = (uint64_t)(int64_t) * (int *)((char *)info + SI_CODE);
    ctl->fault_addr = *(uint64_t *)((char *)info + SI_ADDR);
    ctl->fault_err = g[REG_ERR];
    uint32_t action = sim_user_exchange();
    if (action == SIM_ACT_MAP) {
        sim_user_map();
    } else if (action == SIM_ACT_JUMP) {
        for (int i = 0; i < SIM_PROC_REGS; i++) {
            g[gregs_of[i]] = ctl->regs[i];
        }
    }
    ctl->op = op;
    for (int i = 0; i < 4; i++) {
        ctl->a[i] = a[i];
    }
}

static void catch_faults(void)
{
    static const int signals[] = {4 /* SIGILL */, 5 /* SIGTRAP */, 7 /* SIGBUS */, 8 /* SIGFPE */, 11 /* SIGSEGV */};
    struct {
        void *sp;
        int flags;
        unsigned long size;
    } stack = {signal_stack, 0, sizeof(signal_stack)};
    sim_raw_syscall(SYS_sigaltstack, (long)&stack, 0, 0, 0, 0, 0);
    struct kernel_sigaction sa = {on_fault, SA_SIGINFO | SA_ONSTACK | SA_RESTORER | SA_NODEFER, launcher_restore, 0};
    for (unsigned i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
        sim_raw_syscall(SYS_rt_sigaction, signals[i], (long)&sa, 0, sizeof(sa.mask), 0, 0);
    }
}

void launcher_main(void)
{
    sim_raw_syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0, 0);
    long page = sim_raw_syscall(SYS_mmap, (long)SIM_PROC_CTL_VADDR, 4096, 3, MAP_SHARED | MAP_FIXED,
                                SIM_PROC_CTL_FD, 0);
    if (page != (long)SIM_PROC_CTL_VADDR) {
        sim_raw_syscall(SYS_exit_group, 120, 0, 0, 0, 0, 0);
    }
    catch_faults();
    SIM_CTL->op = SIM_OP_START;
    if (sim_user_exchange() != SIM_ACT_JUMP) {
        sim_raw_syscall(SYS_exit_group, 121, 0, 0, 0, 0, 0);
    }
    sim_user_jump(SIM_CTL->regs);
}

__asm__(".text\n"
        ".global _start\n"
        "_start:\n"
        "    xorq %rbp, %rbp\n"
        "    andq $-16, %rsp\n"
        "    call launcher_main\n"
        "    hlt\n"
        ".global launcher_restore\n"
        "launcher_restore:\n"
        "    movq $15, %rax\n" /* rt_sigreturn */
        "    syscall\n");
