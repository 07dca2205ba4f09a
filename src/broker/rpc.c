/*
 * The broker's side of the RPC protocol (include/kaal/component.h): checks
 * a request's shape, then hands it to grant.c. A request from a component
 * is untrusted input: the label, the length and the absence of capabilities
 * are checked before any argument is read, and every refusal is a reply
 * with an error, so the broker goes on serving.
 */
#include <kaal/spawn.h>

/* The message registers each request carries, by label (0: no such request). */
static const seL4_Word request_length[KAAL_RPC_LABELS] = {
    [KAAL_RPC_PING] = 1, [KAAL_RPC_MEMORY] = 2, [KAAL_RPC_IOPORTS] = 3,
    [KAAL_RPC_IRQ] = 2,  [KAAL_RPC_MMIO] = 2,   [KAAL_RPC_RELEASE] = 2,
};

static seL4_MessageInfo_t reply(kaal_err_t err, seL4_Word nresults, const seL4_Word *results)
{
    if (err != KAAL_OK) {
        nresults = 0;
    }
    for (seL4_Word i = 0; i < nresults; i++) {
        seL4_SetMR((int)i, results[i]);
    }
    return seL4_MessageInfo_new(err, 0, 0, nresults);
}

seL4_MessageInfo_t rpc_serve(broker_t *b, component_t *c, seL4_MessageInfo_t info)
{
    seL4_Word label = seL4_MessageInfo_get_label(info), len = seL4_MessageInfo_get_length(info);
    if (label >= KAAL_RPC_LABELS || request_length[label] == 0 || len != request_length[label] ||
        seL4_MessageInfo_get_extraCaps(info) != 0 || seL4_MessageInfo_get_capsUnwrapped(info) != 0) {
        return reply(KAAL_E_PROTOCOL, 0, 0);
    }
    seL4_Word a[3] = {0, 0, 0}, r[2] = {0, 0};
    for (seL4_Word i = 0; i < len; i++) {
        a[i] = seL4_GetMR((int)i); /* before any invocation overwrites them */
    }
    kaal_err_t err = KAAL_OK;
    seL4_Word nresults = 1;
    switch (label) {
    case KAAL_RPC_PING:
        r[0] = a[0];
        r[1] = KAAL_RPC_VERSION;
        nresults = 2;
        break;
    case KAAL_RPC_MEMORY:
        err = grant_memory(b, c, a[0], a[1], &r[0]);
        break;
    case KAAL_RPC_IOPORTS:
        err = grant_ioports(b, c, a[0], a[1], a[2]);
        nresults = 0;
        break;
    case KAAL_RPC_IRQ:
        err = grant_irq(b, c, a[0], a[1], &r[0]);
        break;
    case KAAL_RPC_MMIO:
        err = grant_mmio(b, c, a[0], a[1], &r[0]);
        break;
    default: /* KAAL_RPC_RELEASE */
        err = a[0] == KAAL_RPC_EXIT || a[0] == KAAL_RPC_PING || a[0] == KAAL_RPC_RELEASE
                  ? KAAL_E_INVAL
                  : grant_release(b, c, a[0], a[1]);
        nresults = 0;
        break;
    }
    return reply(err, nresults, r);
}
