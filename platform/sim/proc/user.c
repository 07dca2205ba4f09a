/*
 * The process side of a component's system calls and faults on the sim:
 * raw Linux system calls (the component has no libc, and its thread pointer
 * is its own TLS, not a libc's), the futex handshake on the shared page,
 * and what an answer asks the process to do.
 */
#include "user.h"

#define SYS_mmap 9
#define SYS_munmap 11
#define SYS_futex 202
#define SYS_arch_prctl 158
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define ARCH_SET_FS 0x1002
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_SHARED 1
#define MAP_FIXED 0x10
#define LOW_LIMIT 0x1000ul

long sim_raw_syscall(long n, long a, long b, long c, long d, long e, long f)
{
    long ret;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

uint32_t sim_user_exchange(void)
{
    sim_proc_ctl_t *ctl = SIM_CTL;
    __atomic_store_n(&ctl->turn, SIM_TURN_KERNEL, __ATOMIC_SEQ_CST);
    sim_raw_syscall(SYS_futex, (long)&ctl->turn, FUTEX_WAKE, 1, 0, 0, 0);
    while (__atomic_load_n(&ctl->turn, __ATOMIC_ACQUIRE) != SIM_TURN_THREAD) {
        sim_raw_syscall(SYS_futex, (long)&ctl->turn, FUTEX_WAIT, SIM_TURN_KERNEL, 0, 0, 0);
    }
    if (ctl->flush) {
        /* Something was unmapped in this vspace: drop every mapping, and let
         * faults bring back the ones that are still there. */
        sim_raw_syscall(SYS_munmap, (long)LOW_LIMIT, (long)(SIM_PROC_LIMIT - LOW_LIMIT), 0, 0, 0, 0);
    }
    if (ctl->fs_base != ctl->fs_loaded) {
        sim_raw_syscall(SYS_arch_prctl, ARCH_SET_FS, (long)ctl->fs_base, 0, 0, 0, 0);
        ctl->fs_loaded = ctl->fs_base;
    }
    return ctl->action;
}

void sim_user_map(void)
{
    sim_proc_ctl_t *ctl = SIM_CTL;
    /* seL4 maps x86 frames executable: there is no execute-never among its rights */
    long prot = PROT_READ | PROT_EXEC | ((ctl->map_prot & 2) ? PROT_WRITE : 0);
    sim_raw_syscall(SYS_mmap, (long)ctl->map_vaddr, (long)ctl->map_size, prot, MAP_SHARED | MAP_FIXED,
                    SIM_PROC_RAM_FD, (long)ctl->map_paddr);
}

__attribute__((noreturn)) void sim_user_jump_regs(void);

/* The registers to jump with, apart from the shared page (the thread's next
 * fault reports its registers there). */
uint64_t sim_user_regs[SIM_PROC_REGS];

void sim_user_jump(const uint64_t *regs)
{
    for (int i = 0; i < SIM_PROC_REGS; i++) {
        sim_user_regs[i] = regs[i];
    }
    sim_user_jump_regs();
}

/* Nothing touches the thread's stack, as on seL4 (whose rsp may be
 * anything, even 0): the flags come off the launcher's stack, and rip is
 * taken by an indirect jump through sim_user_regs. */
__asm__(".text\n"
        ".global sim_user_jump_regs\n"
        "sim_user_jump_regs:\n"
        "    leaq sim_user_regs(%rip), %rax\n"
        "    pushq 16(%rax)\n"
        "    popfq\n"
        "    movq 8(%rax), %rsp\n"
        "    movq 32(%rax), %rbx\n"
        "    movq 40(%rax), %rcx\n"
        "    movq 48(%rax), %rdx\n"
        "    movq 56(%rax), %rsi\n"
        "    movq 64(%rax), %rdi\n"
        "    movq 72(%rax), %rbp\n"
        "    movq 80(%rax), %r8\n"
        "    movq 88(%rax), %r9\n"
        "    movq 96(%rax), %r10\n"
        "    movq 104(%rax), %r11\n"
        "    movq 112(%rax), %r12\n"
        "    movq 120(%rax), %r13\n"
        "    movq 128(%rax), %r14\n"
        "    movq 136(%rax), %r15\n"
        "    movq 24(%rax), %rax\n"
        "    jmp *sim_user_regs(%rip)\n");
