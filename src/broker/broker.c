#include <kaal/broker.h>

kaal_err_t broker_init(broker_t *b, const seL4_BootInfo *bi, bootinfo_problem_t *why)
{
    kaal_err_t err = bootinfo_validate(bi, why);
    if (err != KAAL_OK) {
        return err;
    }
    b->bi = bi;
    err = cspace_init(&b->slots, seL4_CapInitThreadCNode, seL4_WordBits, bi->empty.start, bi->empty.end);
    if (err != KAAL_OK) {
        return err;
    }
    untyped_init(&b->mem, &b->slots);
    return untyped_add_bootinfo(&b->mem, bi);
}
