/*
 * The broker's side of the RPC protocol (include/kaal/component.h): checks
 * a request's shape, then hands it to grant.c. A request from a component
 * is untrusted input: the label, the length and the absence of capabilities
 * are checked before any argument is read, and every refusal is a reply
 * with an error, so the broker goes on serving.
 */
#include <kaal/arch.h>
#include <kaal/spawn.h>

/* The message registers each request carries, by label (0: no such request). */
static const seL4_Word request_length[KAAL_RPC_LABELS] = {
    [KAAL_RPC_PING] = 1, [KAAL_RPC_MEMORY] = 2, [KAAL_RPC_IOPORTS] = 3,
    [KAAL_RPC_IRQ] = 2,  [KAAL_RPC_MMIO] = 2,   [KAAL_RPC_RELEASE] = 2, [KAAL_RPC_CHANNEL] = 3,
    [KAAL_RPC_REGION] = 1,
};

/* The reply: the error, and on success n results already in MR0.. */
static seL4_MessageInfo_t reply(kaal_err_t err, seL4_Word n)
{
    return seL4_MessageInfo_new(err, 0, 0, err == KAAL_OK ? n : 0);
}

static seL4_MessageInfo_t reply_word(kaal_err_t err, seL4_Word result)
{
    if (err == KAAL_OK) {
        seL4_SetMR(0, result);
    }
    return reply(err, 1);
}

/* Every request pays for this path (the IPC bench measures it with PING):
 * it stays short, and reads the arguments before any invocation can
 * overwrite them. */
seL4_MessageInfo_t rpc_serve(broker_t *b, component_t *c, seL4_MessageInfo_t info)
{
    seL4_Word label = seL4_MessageInfo_get_label(info), len = seL4_MessageInfo_get_length(info);
    if (label >= KAAL_RPC_LABELS || request_length[label] == 0 || len != request_length[label] ||
        seL4_MessageInfo_get_extraCaps(info) != 0 || seL4_MessageInfo_get_capsUnwrapped(info) != 0 ||
        (label == KAAL_RPC_IOPORTS && !kaal_arch.has_ioports)) {
        return reply(KAAL_E_PROTOCOL, 0); /* IO ports are x86's: elsewhere there is no such request */
    }
    seL4_Word a0 = seL4_GetMR(0), a1 = seL4_GetMR(1), a2 = seL4_GetMR(2), r = 0;
    kaal_err_t err;
    switch (label) {
    case KAAL_RPC_PING: /* MR0 still holds the word */
        seL4_SetMR(1, KAAL_RPC_VERSION);
        return reply(KAAL_OK, 2);
    case KAAL_RPC_MEMORY:
        err = grant_memory(b, c, a0, a1, &r);
        return reply_word(err, r);
    case KAAL_RPC_IOPORTS:
        return reply(grant_ioports(b, c, a0, a1, a2), 0);
    case KAAL_RPC_IRQ:
        err = grant_irq(b, c, a0, a1, &r);
        return reply_word(err, r);
    case KAAL_RPC_MMIO:
        err = grant_mmio(b, c, a0, a1, &r);
        return reply_word(err, r);
    case KAAL_RPC_CHANNEL:
        err = grant_channel(b, c, a0, a1, a2, &r);
        return reply_word(err, r);
    case KAAL_RPC_REGION:
        err = grant_region(b, c, a0, &r);
        return reply_word(err, r);
    default: /* KAAL_RPC_RELEASE */
        err = a0 == KAAL_RPC_EXIT || a0 == KAAL_RPC_PING || a0 == KAAL_RPC_RELEASE ? KAAL_E_INVAL
                                                                                   : grant_release(b, c, a0, a1);
        return reply(err, 0);
    }
}
