/*
 * Helper threads for conformance cases: each runs a function in the root
 * task's own CSpace and VSpace, with its own stack, TLS block (libsel4's IPC
 * buffer pointer is thread-local) and IPC buffer frame mapped at
 * THREAD_VA. conf_threads_init() maps the paging structures once per case;
 * the harness's clean-up deletes everything afterwards.
 */
#pragma once

#include "conf_checks.h"

#define THREAD_VA 0x300000000000ul /* a PML4 slot no other case uses */
#define MAX_THREADS 4
#define THREAD_STACK 8192

typedef void (*conf_thread_fn)(seL4_Word arg);

static char conf_stacks[MAX_THREADS][THREAD_STACK] __attribute__((aligned(16)));
static seL4_Word conf_tls[MAX_THREADS][64] __attribute__((aligned(64)));

/* What every helper thread runs: its IPC buffer, then fn; a helper never returns. */
__attribute__((unused)) static void conf_thread_entry(seL4_Word fn, seL4_Word arg, seL4_Word ipc, seL4_Word tcb)
{
    seL4_SetIPCBuffer((seL4_IPCBuffer *)ipc);
    ((conf_thread_fn)fn)(arg);
    for (;;) {
        seL4_TCB_Suspend(tcb);
    }
}

static inline seL4_Error conf_threads_init(conf_env_t *e)
{
    seL4_CPtr pdpt = conf_make(e, seL4_X86_PDPTObject, 0);
    seL4_CPtr pd = conf_make(e, seL4_X86_PageDirectoryObject, 0);
    seL4_CPtr pt = conf_make(e, seL4_X86_PageTableObject, 0);
    seL4_Error err = seL4_X86_PDPT_Map(pdpt, seL4_CapInitThreadVSpace, THREAD_VA, 0);
    if (!err) {
        err = seL4_X86_PageDirectory_Map(pd, seL4_CapInitThreadVSpace, THREAD_VA, 0);
    }
    if (!err) {
        err = seL4_X86_PageTable_Map(pt, seL4_CapInitThreadVSpace, THREAD_VA, 0);
    }
    return err;
}

/* Starts helper i (0..MAX_THREADS-1) at priority prio running fn(arg), with
 * fault_ep (a cptr in the root CNode, 0 for none) as its fault endpoint; returns its TCB. */
static inline seL4_CPtr conf_thread_start_with_fault(conf_env_t *e, unsigned i, seL4_Word prio, conf_thread_fn fn,
                                                     seL4_Word arg, seL4_CPtr fault_ep)
{
    seL4_CPtr tcb = conf_make(e, seL4_TCBObject, 0);
    seL4_CPtr frame = conf_make(e, seL4_X86_4K, 0);
    seL4_Word ipc = THREAD_VA + i * 4096;
    /* x86_64 TLS variant II: the thread pointer is the block's end, and points to itself. */
    seL4_Word *tp = &conf_tls[i][63];
    *tp = (seL4_Word)tp;
    seL4_UserContext ctx = {0};
    ctx.rip = (seL4_Word)conf_thread_entry;
    ctx.rsp = (seL4_Word)(conf_stacks[i] + THREAD_STACK) - 8; /* as after a call */
    ctx.rdi = (seL4_Word)fn;
    ctx.rsi = arg;
    ctx.rdx = ipc;
    ctx.rcx = tcb;
    ctx.fs_base = (seL4_Word)tp; /* WriteRegisters sets the TLS base too */
    if (seL4_X86_Page_Map(frame, seL4_CapInitThreadVSpace, ipc, seL4_ReadWrite, 0) ||
        seL4_TCB_Configure(tcb, fault_ep, e->cnode, 0, seL4_CapInitThreadVSpace, 0, ipc, frame) ||
        seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, prio) || seL4_TCB_SetTLSBase(tcb, (seL4_Word)tp) ||
        seL4_TCB_WriteRegisters(tcb, 0, 0, sizeof(ctx) / sizeof(seL4_Word), &ctx) || seL4_TCB_Resume(tcb)) {
        conf_fail(e, __FILE__, __LINE__, "conf_thread_start", 0, 1);
    }
    return tcb;
}

static inline seL4_CPtr conf_thread_start(conf_env_t *e, unsigned i, seL4_Word prio, conf_thread_fn fn,
                                          seL4_Word arg)
{
    return conf_thread_start_with_fault(e, i, prio, fn, arg, 0);
}
