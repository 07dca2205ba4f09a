/*
 * The conformance harness: cases written against the libsel4 API alone, run
 * as the root task on real seL4 and on the sim, one after another. No libc:
 * the same objects link into a freestanding root task.
 *
 * A case gets a fresh environment: an untyped of 2^CONF_UT_BITS bytes of RAM
 * (e->ut, at physical address e->ut_paddr) and slots from conf_slot(). When
 * it ends, everything it made is revoked and every slot it took is emptied,
 * so cases are independent. A case may move, delete or revoke e->ut.
 *
 * Write a case as
 *     CONF_CASE(cnode_copy_to_full_slot, "CNODEOP0001") { ... CHECK_ERR(..., seL4_DeleteFirst); }
 * where the second argument names the sel4test case it mirrors ("" if none).
 */
#pragma once

#include <sel4/sel4.h>

#define CONF_UT_BITS 20

typedef struct conf_env {
    seL4_BootInfo *bi;
    seL4_CPtr cnode;    /* the root CNode: seL4_CapInitThreadCNode */
    seL4_Uint8 depth;   /* depth that names a slot of the root CNode: seL4_WordBits */
    seL4_CPtr ut;       /* this case's untyped, 2^CONF_UT_BITS bytes */
    seL4_Word ut_paddr;
    /* harness state */
    seL4_CPtr pool;      /* the largest RAM untyped; cases' memory comes from it */
    seL4_Word pool_bits, pool_paddr;
    seL4_CPtr slot_next, slot_end, slot_first;
    int failed;
} conf_env_t;

typedef struct conf_case {
    const char *name;
    const char *mirrors;
    void (*fn)(conf_env_t *e);
} conf_case_t;

#define CONF_CASE(name_, mirrors_)                                                             \
    static void conf_fn_##name_(conf_env_t *e);                                                \
    static const conf_case_t conf_case_##name_ __attribute__((used, section("conf_cases"),    \
                                                              aligned(sizeof(void *)))) = { \
        #name_, mirrors_, conf_fn_##name_};                                                    \
    static void conf_fn_##name_(conf_env_t *e __attribute__((unused)))

/* An empty slot of the root CNode, new to this case. */
seL4_CPtr conf_slot(conf_env_t *e);
/* n contiguous empty slots; returns the first. */
seL4_CPtr conf_slots(conf_env_t *e, seL4_Word n);
/* Retypes one object from e->ut into a new slot; a failure fails the case. */
seL4_CPtr conf_make(conf_env_t *e, seL4_Word type, seL4_Word size_bits);
/* A further untyped of 2^bits bytes from the pool, in a new slot. */
seL4_CPtr conf_untyped(conf_env_t *e, seL4_Word bits);

/* Records a failure; the CHECK macros return from the case after it. */
void conf_fail(conf_env_t *e, const char *file, int line, const char *expr, seL4_Word got, seL4_Word want);

#define CHECK_EQ(got_, want_)                                                           \
    do {                                                                                \
        seL4_Word conf_g_ = (seL4_Word)(got_), conf_w_ = (seL4_Word)(want_);            \
        if (conf_g_ != conf_w_) {                                                       \
            conf_fail(e, __FILE__, __LINE__, #got_, conf_g_, conf_w_);                  \
            return;                                                                     \
        }                                                                               \
    } while (0)
#define CHECK(cond_) CHECK_EQ(!!(cond_), 1)
#define CHECK_OK(expr_) CHECK_EQ((expr_), seL4_NoError)
#define CHECK_ERR(expr_, err_) CHECK_EQ((expr_), (err_))
/* After a failed invocation: message register i holds want. */
#define CHECK_MR(i_, want_) CHECK_EQ(seL4_GetMR(i_), (want_))

/* Runs every case; prints one line per case and "N passed, N failed". Returns the failures. */
int conf_run_all(seL4_BootInfo *bi);
