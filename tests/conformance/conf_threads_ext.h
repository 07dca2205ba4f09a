/*
 * More for cases with helper threads (conf_threads.h starts them): a log the
 * helpers append to and the root checks, a way for the root to let its
 * helpers run until they block, helpers that exist but have not run yet, and
 * helpers in a CSpace of their own.
 *
 * The root runs at priority 255 and helpers below it, so a helper runs only
 * while the root is blocked or has lowered itself (conf_settle). Helpers
 * block in system calls, never spin: on seL4 and on the sim alike, who runs
 * next is decided at system calls only.
 */
#pragma once

#include "conf_threads.h"

#define ROOT_PRIO 255
#define SETTLE_PRIO 10 /* helpers that conf_settle lets run are above it */
#define LOG_MAX 32

/* A compiler barrier. libsel4's x86_64 seL4_Send, seL4_NBSend, seL4_Reply,
 * seL4_Signal and seL4_Yield tell the compiler nothing about memory: it may
 * drop or delay stores made just before them, to the IPC buffer (caps,
 * message registers past the fourth, the receive path) or elsewhere.
 * GCC 12 -O2 did drop a seL4_SetCap before a seL4_Send (a later
 * seL4_TCB_SetPriority sets the same cap word). */
static inline void conf_barrier(void)
{
    __asm__ volatile("" ::: "memory");
}

static inline void conf_send(seL4_CPtr dest, seL4_MessageInfo_t info)
{
    conf_barrier();
    seL4_Send(dest, info);
}

static inline void conf_nbsend(seL4_CPtr dest, seL4_MessageInfo_t info)
{
    conf_barrier();
    seL4_NBSend(dest, info);
}

static inline void conf_reply(seL4_MessageInfo_t info)
{
    conf_barrier();
    seL4_Reply(info);
}

/* What the helpers did, in order; conf_helpers_init empties it. */
static struct {
    volatile seL4_Word n;
    volatile seL4_Word v[LOG_MAX];
} conf_log;

__attribute__((unused)) static void log_put(seL4_Word v)
{
    conf_barrier();
    if (conf_log.n < LOG_MAX) {
        conf_log.v[conf_log.n++] = v;
    }
    conf_barrier();
}

/* The log holds exactly want[0..n-1]. */
static inline void conf_check_log(conf_env_t *e, const seL4_Word *want, seL4_Word n)
{
    CHECK_EQ(conf_log.n, n);
    for (seL4_Word i = 0; i < n; i++) {
        CHECK_EQ(conf_log.v[i], want[i]);
    }
}

#define CHECK_LOG(...)                                                             \
    do {                                                                           \
        static const seL4_Word conf_want_[] = {__VA_ARGS__};                       \
        conf_check_log(e, conf_want_, sizeof(conf_want_) / sizeof(conf_want_[0])); \
        if (e->failed) {                                                           \
            return;                                                                \
        }                                                                          \
    } while (0)

static inline seL4_Error conf_helpers_init(conf_env_t *e)
{
    conf_log.n = 0;
    return conf_threads_init(e);
}

/* Lets every ready helper above SETTLE_PRIO run until it blocks: the root
 * drops below them, and runs again only when none of them can. */
static inline seL4_Error conf_settle(void)
{
    seL4_Error down = seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, SETTLE_PRIO);
    seL4_Error up = seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ROOT_PRIO);
    return down ? down : up;
}

/* A helper that exists but has not run: started, then suspended before the
 * root (which outranks it) let it run. seL4_TCB_Resume starts it. */
static inline seL4_CPtr conf_thread_new(conf_env_t *e, unsigned i, seL4_Word prio, conf_thread_fn fn, seL4_Word arg)
{
    seL4_CPtr tcb = conf_thread_start(e, i, prio, fn, arg);
    if (seL4_TCB_Suspend(tcb) != seL4_NoError) {
        conf_fail(e, __FILE__, __LINE__, "conf_thread_new", 0, 1);
    }
    return tcb;
}

/* A CSpace of its own: a 16-slot CNode whose 60-bit guard makes cptr k name
 * slot k. It holds the helper's own TCB (so that conf_thread_entry can
 * suspend it when fn returns) and the CNode itself (for receive paths); the
 * case puts what else the helper needs from OWN_FREE on. */
enum { OWN_RADIX = 4, OWN_SELF = 1, OWN_CNODE = 2, OWN_FREE = 3 };

static inline seL4_Word conf_own_guard(void)
{
    return seL4_CNode_CapData_new(0, seL4_WordBits - OWN_RADIX).words[0];
}

static inline seL4_Error conf_own_put(conf_env_t *e, seL4_CPtr cnode, seL4_Word k, seL4_CPtr src,
                                      seL4_CapRights_t rights, seL4_Word badge)
{
    return seL4_CNode_Mint(cnode, k, OWN_RADIX, e->cnode, src, e->depth, rights, badge);
}

static inline seL4_CPtr conf_own_cspace(conf_env_t *e)
{
    return conf_make(e, seL4_CapTableObject, OWN_RADIX);
}

/* Starts helper i in the CSpace `cnode` (made by conf_own_cspace). */
static inline seL4_CPtr conf_thread_start_own(conf_env_t *e, unsigned i, seL4_Word prio, conf_thread_fn fn,
                                              seL4_Word arg, seL4_CPtr cnode)
{
    seL4_CPtr tcb = conf_thread_new(e, i, prio, fn, arg);
    seL4_UserContext ctx;
    seL4_Word n = sizeof(ctx) / sizeof(seL4_Word);
    seL4_Error err = seL4_TCB_ReadRegisters(tcb, 0, 0, n, &ctx);
    ctx.rcx = OWN_SELF; /* conf_thread_entry's TCB, as the helper names it */
    if (err || seL4_TCB_WriteRegisters(tcb, 0, 0, n, &ctx) ||
        conf_own_put(e, cnode, OWN_SELF, tcb, seL4_AllRights, 0) ||
        conf_own_put(e, cnode, OWN_CNODE, cnode, seL4_AllRights, conf_own_guard()) ||
        seL4_TCB_SetSpace(tcb, 0, cnode, conf_own_guard(), seL4_CapInitThreadVSpace, 0) || seL4_TCB_Resume(tcb)) {
        conf_fail(e, __FILE__, __LINE__, "conf_thread_start_own", 0, 1);
    }
    return tcb;
}

/* The rights a 4-bit word names (write, read, grant, grant-reply from bit 0). */
static inline seL4_CapRights_t conf_rights(seL4_Word bits)
{
    return seL4_CapRights_new((bits >> 3) & 1, (bits >> 2) & 1, (bits >> 1) & 1, bits & 1);
}
