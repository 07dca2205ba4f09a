/*
 * Fault messages and fault replies, the semantics of sel4test's
 * PAGEFAULT0001-0005: a helper reads, writes or jumps to an address nothing
 * maps, makes a system call the kernel does not know, or runs an undefined
 * instruction. The root is its fault handler: it checks the message, steers
 * the helper past the fault (by writing its registers, or by the message
 * registers of the reply, which the kernel copies into them), and then
 * replies or does not.
 *
 * Each case runs four variants: a badged or unbadged fault endpoint, and a
 * reply that restarts the helper or no reply (a helper left stopped at its
 * fault stays stopped until seL4_TCB_Resume restarts it).
 */
#include "conf_threads_ext.h"

#define FAULTER_PRIO 100
#define BAD_VADDR 0x7edcba987650ul /* in the lower half, mapped by nothing */
#define GOOD_MAGIC 0x15831851
#define BAD_MAGIC (~GOOD_MAGIC)
#define BAD_SYSCALL 0xc1ul
#define FAULT_BADGE 0xabababaul
#define LINUX_NO_SUCH_SYSCALL 0xc1c1 /* in rax: had a host run the instruction itself, it fails harmlessly */
#define FLAGS_RF (1ul << 16)         /* the resume flag: hardware may set it on the way into the kernel */
#define PF_USER 0x4
#define PF_WRITE 0x2
#define INSN_STACK_WORDS 2048

/* The labels the faulting instructions carry (defined in the asm below). */
extern char conf_read_fault_at[], conf_read_fault_resume[];
extern char conf_write_fault_at[], conf_write_fault_resume[];
extern char conf_exec_fault_resume[];
extern char conf_bad_syscall_at[], conf_bad_syscall_resume[];
extern char conf_bad_insn_at[], conf_bad_insn_resume[];

static struct {
    seL4_CPtr done;                 /* a helper that got past its fault says so here */
    volatile int val[MAX_THREADS]; /* what each helper's register held afterwards */
    seL4_Word insn_sp, insn_flags;  /* the stack pointer and flags before the undefined instruction */
    seL4_Word insn_stack[INSN_STACK_WORDS] __attribute__((aligned(16)));
} fs;

static void faulter_done(seL4_Word i, int val)
{
    fs.val[i] = val;
    conf_send(fs.done, seL4_MessageInfo_new(0, 0, 0, 0));
}

static void __attribute__((noinline)) read_faulter(seL4_Word i)
{
    int val = BAD_MAGIC;
    __asm__ volatile("mov %[val], %%eax\n"
                     "conf_read_fault_at:\n"
                     "mov (%[addr]), %%eax\n"
                     "conf_read_fault_resume:\n"
                     "mov %%eax, %[val]\n"
                     : [val] "+r"(val)
                     : [addr] "r"(BAD_VADDR)
                     : "eax", "memory");
    faulter_done(i, val);
}

static void __attribute__((noinline)) write_faulter(seL4_Word i)
{
    int val = BAD_MAGIC;
    __asm__ volatile("mov %[val], %%eax\n"
                     "conf_write_fault_at:\n"
                     "mov %%eax, (%[addr])\n"
                     "conf_write_fault_resume:\n"
                     "mov %%eax, %[val]\n"
                     : [val] "+r"(val)
                     : [addr] "r"(BAD_VADDR)
                     : "eax", "memory");
    faulter_done(i, val);
}

static void __attribute__((noinline)) exec_faulter(seL4_Word i)
{
    int val = BAD_MAGIC;
    __asm__ volatile("mov %[val], %%eax\n"
                     "jmp *%[addr]\n"
                     "conf_exec_fault_resume:\n"
                     "mov %%eax, %[val]\n"
                     : [val] "+r"(val)
                     : [addr] "r"(BAD_VADDR)
                     : "eax", "memory");
    faulter_done(i, val);
}

/* seL4 on x86_64 takes its system call number in rdx. The instruction
 * clobbers rcx and r11, and the kernel's syscall entry saves neither them
 * nor rsp: the message's RCX, R11 and SP are stale, and the reply writes them
 * back, so the helper keeps its stack pointer in r12. */
static void __attribute__((noinline)) syscall_faulter(seL4_Word i)
{
    int val = BAD_MAGIC;
    __asm__ volatile("mov %[val], %%ebx\n"
                     "mov %[nr], %%eax\n"
                     "mov %%rsp, %%r12\n"
                     "conf_bad_syscall_at:\n"
                     "syscall\n"
                     "conf_bad_syscall_resume:\n"
                     "mov %%r12, %%rsp\n"
                     "mov %%ebx, %[val]\n"
                     : [val] "+r"(val)
                     : "d"(BAD_SYSCALL), [nr] "i"(LINUX_NO_SUCH_SYSCALL)
                     : "rax", "rbx", "rcx", "r11", "r12", "memory");
    faulter_done(i, val);
}

/* ud2 with the stack pointer at a word holding BAD_MAGIC: the handler finds
 * the word through the SP of the fault message, and the reply's SP puts the
 * stack back. */
static void __attribute__((noinline)) insn_faulter(seL4_Word i)
{
    volatile seL4_Word *slot = &fs.insn_stack[INSN_STACK_WORDS - 2];
    *slot = (seL4_Word)(unsigned)BAD_MAGIC;
    __asm__ volatile("mov %%rsp, (%[sp])\n"
                     "pushf\n"
                     "pop %%rax\n"
                     "mov %%rax, (%[flags])\n"
                     "mov %[slot], %%rsp\n"
                     "conf_bad_insn_at:\n"
                     "ud2\n"
                     "conf_bad_insn_resume:\n"
                     :
                     : [sp] "r"(&fs.insn_sp), [flags] "r"(&fs.insn_flags), [slot] "r"(slot)
                     : "rax", "memory");
    faulter_done(i, (int)*slot);
}

/* How the root handles one fault: check the message, then steer the helper
 * (its rax to GOOD_MAGIC, its IP past the fault), replying if restart. */
typedef void (*handle_fn)(conf_env_t *e, seL4_CPtr tcb, seL4_MessageInfo_t info, int restart);

/* The registers after a VM fault: rax still BAD_MAGIC; the handler makes it
 * GOOD_MAGIC and moves rip past the faulting instruction. */
static void steer_registers(conf_env_t *e, seL4_CPtr tcb, const char *resume)
{
    seL4_UserContext regs;
    seL4_Word n = sizeof(regs) / sizeof(seL4_Word);
    CHECK_OK(seL4_TCB_ReadRegisters(tcb, 0, 0, n, &regs));
    CHECK_EQ((int)regs.rax, BAD_MAGIC);
    regs.rax = GOOD_MAGIC;
    regs.rip = (seL4_Word)resume;
    CHECK_OK(seL4_TCB_WriteRegisters(tcb, 0, 0, n, &regs));
}

/* What a VM fault case expects: the faulting IP, where to resume, the access. */
static struct {
    const char *ip, *resume;
    seL4_Word access;
} vm_expect;

static void handle_vm_fault(conf_env_t *e, seL4_CPtr tcb, seL4_MessageInfo_t info, int restart)
{
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_VMFault_Length);
    CHECK_MR(seL4_VMFault_IP, (seL4_Word)vm_expect.ip);
    CHECK_MR(seL4_VMFault_Addr, BAD_VADDR);
    /* seL4 takes an instruction fault from bit 4 of the error code, which the
     * CPU sets only with NX or SMEP enabled; on the pc99 target (QEMU's
     * Nehalem, no SMEP, NX not enabled) even a fetch reports as a read. */
    CHECK_MR(seL4_VMFault_PrefetchFault, 0);
    /* The page-fault error code: present (bit 0) clear, the access, user mode. */
    CHECK_EQ(seL4_GetMR(seL4_VMFault_FSR) & 0x1f, vm_expect.access | PF_USER);
    steer_registers(e, tcb, vm_expect.resume);
    if (restart) {
        conf_reply(info); /* any label restarts a thread after a VM fault */
    }
}

/* The reply's message registers become the helper's registers, whatever its
 * label; label 0 restarts the helper, any other leaves it stopped. */
static void handle_syscall(conf_env_t *e, seL4_CPtr tcb, seL4_MessageInfo_t info, int restart)
{
    (void)tcb;
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UnknownSyscall);
    CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_UnknownSyscall_Length);
    CHECK_MR(seL4_UnknownSyscall_FaultIP, (seL4_Word)conf_bad_syscall_at);
    CHECK_MR(seL4_UnknownSyscall_Syscall, BAD_SYSCALL);
    CHECK_MR(seL4_UnknownSyscall_RDX, BAD_SYSCALL);
    CHECK_MR(seL4_UnknownSyscall_RAX, LINUX_NO_SUCH_SYSCALL);
    CHECK_EQ((int)seL4_GetMR(seL4_UnknownSyscall_RBX), BAD_MAGIC);
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, (seL4_Word)conf_bad_syscall_resume);
    seL4_SetMR(seL4_UnknownSyscall_RBX, GOOD_MAGIC);
    seL4_MessageInfo_ptr_set_label(&info, restart ? 0 : 1);
    conf_reply(info);
}

static void handle_insn(conf_env_t *e, seL4_CPtr tcb, seL4_MessageInfo_t info, int restart)
{
    (void)tcb;
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
    CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_UserException_Length);
    CHECK_MR(seL4_UserException_FaultIP, (seL4_Word)conf_bad_insn_at);
    CHECK_MR(seL4_UserException_Number, 6); /* invalid opcode */
    CHECK_MR(seL4_UserException_Code, 0);
    CHECK_EQ((seL4_GetMR(seL4_UserException_FLAGS) ^ fs.insn_flags) & ~FLAGS_RF, 0);
    volatile seL4_Word *slot = (volatile seL4_Word *)seL4_GetMR(seL4_UserException_SP);
    CHECK_EQ((seL4_Word)slot, (seL4_Word)&fs.insn_stack[INSN_STACK_WORDS - 2]);
    CHECK_EQ((int)*slot, BAD_MAGIC);
    *slot = GOOD_MAGIC;
    seL4_SetMR(seL4_UserException_FaultIP, (seL4_Word)conf_bad_insn_resume);
    seL4_SetMR(seL4_UserException_SP, fs.insn_sp);
    seL4_MessageInfo_ptr_set_label(&info, restart ? 0 : 1);
    conf_reply(info);
}

static void fault_case(conf_env_t *e, conf_thread_fn faulter, handle_fn handle)
{
    CHECK_OK(conf_threads_init(e));
    seL4_CPtr ep = conf_make(e, seL4_EndpointObject, 0);
    fs.done = conf_make(e, seL4_EndpointObject, 0);
    for (unsigned i = 0; i < 4; i++) {
        int badged = i >= 2, restart = i & 1;
        seL4_CPtr fault_ep = conf_slot(e);
        CHECK_OK(conf_mint(e, fault_ep, ep, seL4_AllRights, badged ? FAULT_BADGE : 0));
        fs.val[i] = 0;
        seL4_CPtr tcb = conf_thread_start_with_fault(e, i, FAULTER_PRIO, faulter, i, fault_ep);
        seL4_Word badge = 1;
        seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
        CHECK_EQ(badge, badged ? FAULT_BADGE : 0);
        handle(e, tcb, info, restart);
        if (e->failed) {
            return;
        }
        if (!restart) {
            CHECK_OK(conf_settle());
            CHECK_EQ(fs.val[i], 0); /* still stopped at its fault */
            CHECK_OK(seL4_TCB_Resume(tcb));
        }
        seL4_Recv(fs.done, &badge);
        CHECK_EQ(fs.val[i], GOOD_MAGIC);
    }
}

CONF_CASE(read_fault_message_and_restart, "PAGEFAULT0001")
{
    vm_expect.ip = conf_read_fault_at;
    vm_expect.resume = conf_read_fault_resume;
    vm_expect.access = 0;
    fault_case(e, read_faulter, handle_vm_fault);
}

CONF_CASE(write_fault_message_and_restart, "PAGEFAULT0002")
{
    vm_expect.ip = conf_write_fault_at;
    vm_expect.resume = conf_write_fault_resume;
    vm_expect.access = PF_WRITE;
    fault_case(e, write_faulter, handle_vm_fault);
}

CONF_CASE(execute_fault_message_and_restart, "PAGEFAULT0003")
{
    vm_expect.ip = (const char *)BAD_VADDR; /* the jump itself succeeds: fetching at its target faults */
    vm_expect.resume = conf_exec_fault_resume;
    vm_expect.access = 0;
    fault_case(e, exec_faulter, handle_vm_fault);
}

CONF_CASE(unknown_syscall_message_and_reply_registers, "PAGEFAULT0004")
{
    fault_case(e, syscall_faulter, handle_syscall);
}

CONF_CASE(undefined_instruction_message_and_reply_registers, "PAGEFAULT0005")
{
    fault_case(e, insn_faulter, handle_insn);
}
