/* The conformance harness: environment per case, reporting. */
#include <kaal/rt.h>
#include "harness.h"

extern const conf_case_t __start_conf_cases[];
extern const conf_case_t __stop_conf_cases[];

static void conf_abort_case(conf_env_t *e, const char *what, seL4_Word err)
{
    if (!e->failed) {
        rt_printf("  harness: %s failed with seL4 error %lu\n", what, (unsigned long)err);
    }
    e->failed = 1;
}

void conf_fail(conf_env_t *e, const char *file, int line, const char *expr, seL4_Word got, seL4_Word want)
{
    if (!e->failed) {
        rt_printf("  %s:%d: %s is %lu (0x%lx), want %lu (0x%lx)\n", file, line, expr, (unsigned long)got,
                  (unsigned long)got, (unsigned long)want, (unsigned long)want);
    }
    e->failed = 1;
}

seL4_CPtr conf_slots(conf_env_t *e, seL4_Word n)
{
    if (e->slot_next + n > e->slot_end) {
        conf_abort_case(e, "conf_slots (out of slots)", 0);
        return seL4_CapNull;
    }
    seL4_CPtr first = e->slot_next;
    e->slot_next += n;
    return first;
}

seL4_CPtr conf_slot(conf_env_t *e)
{
    return conf_slots(e, 1);
}

seL4_CPtr conf_make(conf_env_t *e, seL4_Word type, seL4_Word size_bits)
{
    seL4_CPtr slot = conf_slot(e);
    seL4_Error err = seL4_Untyped_Retype(e->ut, type, size_bits, e->cnode, 0, 0, slot, 1);
    if (err != seL4_NoError) {
        conf_abort_case(e, "conf_make", err);
    }
    return slot;
}

seL4_CPtr conf_untyped(conf_env_t *e, seL4_Word bits)
{
    seL4_CPtr slot = conf_slot(e);
    seL4_Error err = seL4_Untyped_Retype(e->pool, seL4_UntypedObject, bits, e->cnode, 0, 0, slot, 1);
    if (err != seL4_NoError) {
        conf_abort_case(e, "conf_untyped", err);
    }
    return slot;
}

static void find_pool(conf_env_t *e)
{
    seL4_BootInfo *bi = e->bi;
    e->pool_bits = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (!d->isDevice && d->sizeBits > e->pool_bits) {
            e->pool = bi->untyped.start + i;
            e->pool_bits = d->sizeBits;
            e->pool_paddr = d->paddr;
        }
    }
}

/* Empties everything the case made: revoke the pool, then delete each slot. */
static int clean_up(conf_env_t *e)
{
    int err = seL4_CNode_Revoke(e->cnode, e->pool, e->depth);
    for (seL4_CPtr s = e->slot_first; s < e->slot_next; s++) {
        err |= seL4_CNode_Delete(e->cnode, s, e->depth);
    }
    return err;
}

static int run_case(conf_env_t *e, const conf_case_t *c)
{
    e->failed = 0;
    e->slot_next = e->slot_first;
    e->ut = conf_untyped(e, CONF_UT_BITS);
    e->ut_paddr = e->pool_paddr; /* the pool has no children, so retype starts at its base */
    if (!e->failed) {
        c->fn(e);
    }
    if (clean_up(e) != seL4_NoError) {
        conf_abort_case(e, "clean-up", 0);
    }
    rt_printf("case %s%s%s%s: %s\n", c->name, c->mirrors[0] ? " [" : "", c->mirrors, c->mirrors[0] ? "]" : "",
              e->failed ? "FAIL" : "ok");
    return e->failed;
}

int conf_run_all(seL4_BootInfo *bi)
{
    conf_env_t env = {.bi = bi, .cnode = seL4_CapInitThreadCNode, .depth = seL4_WordBits};
    find_pool(&env);
    env.slot_first = bi->empty.start;
    env.slot_end = bi->empty.end;
    int passed = 0, failed = 0;
    rt_printf("conformance: %ld cases, pool untyped 2^%lu bytes\n", (long)(__stop_conf_cases - __start_conf_cases),
              (unsigned long)env.pool_bits);
    for (const conf_case_t *c = __start_conf_cases; c < __stop_conf_cases; c++) {
        if (run_case(&env, c)) {
            failed++;
        } else {
            passed++;
        }
    }
    rt_printf("%d passed, %d failed\n", passed, failed);
    return failed;
}
