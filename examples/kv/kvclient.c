/* A client: puts keys into the store, reads them back, asks for one it never put, and exits. One whose name ends in "-flaky" faults halfway through its first run (its
 * description restarts it): the store goes on serving, and its second run does it all again.
 * If the store goes mid-call (KAAL_E_PEER_GONE), the client starts over with the new one. */
#include <kaal/rt.h>
#include <kaal/runtime.h>
#include "kv.h"

#define KEYS 32

static const kaal_channel_grant_t *store;
static int gone; /* a call found the store gone (it went mid-call, or is being restarted) */

/* One call: op with its arguments out, the status back (and the value in *value). */
static seL4_Word ask(seL4_Word op, seL4_Word key, seL4_Word value, seL4_Word *out)
{
    seL4_SetMR(0, key);
    seL4_SetMR(1, value);
    seL4_MessageInfo_t msg = seL4_MessageInfo_new(op, 0, 0, op == KV_PUT ? 2 : 1);
    kaal_err_t err = kaal_call(store, &msg);
    if (err != KAAL_OK) {
        kaal_printf("%s: call failed: %s\n", kaal_self()->name, kaal_err_str(err));
        gone |= err == KAAL_E_PEER_GONE;
        return KV_BAD_REQUEST;
    }
    if (out) {
        *out = seL4_GetMR(0);
    }
    return seL4_MessageInfo_get_label(msg);
}

static int flaky(const kaal_info_t *info)
{
    size_t len = rt_strlen(info->name);
    return len > 6 && rt_strcmp(info->name + len - 6, "-flaky") == 0 && info->generation == 0;
}

/* Every key put, then read back: how many answers were right. */
static seL4_Word puts_and_gets(const kaal_info_t *info)
{
    seL4_Word base = 1000 * (info->id + 1), good = 0, value = 0;
    for (seL4_Word k = 0; k < KEYS && !gone; k++) {
        good += ask(KV_PUT, base + k, k * k, 0) == KV_OK;
        if (flaky(info) && k == KEYS / 2) {
            kaal_printf("%s: halfway, faulting on purpose\n", info->name);
            *(volatile int *)0xdead0000 = 1;
        }
    }
    for (seL4_Word k = 0; k < KEYS && !gone; k++) {
        good += ask(KV_GET, base + k, 0, &value) == KV_OK && value == k * k;
    }
    return good;
}

int component_main(const kaal_info_t *info)
{
    kaal_console_attach(kaal_channel("serial", KAAL_CHANNEL_WRITER));
    for (uint32_t i = 0; i < info->nchannels && !store; i++) { /* our one call: to the store */
        store = info->channels[i].role == KAAL_CALL_CLIENT ? kaal_channel_at(i) : 0;
    }
    if (!store) {
        kaal_printf("%s: no call to the store\n", info->name);
        return 1;
    }
    seL4_Word good = puts_and_gets(info);
    for (int again = 0; gone && again < 3; again++) { /* a restarted store has lost what it held */
        kaal_printf("%s: the store is back (a new one); starting over\n", info->name);
        gone = 0;
        good = puts_and_gets(info);
    }
    seL4_Word missing = ask(KV_GET, 7, 0, 0);
    kaal_printf("%s: %u puts and gets of %u, %lu answered right; a key never put: %s\n", info->name, 2 * KEYS, KEYS,
                (unsigned long)good, missing == KV_NOT_FOUND ? "not found" : "FOUND");
    return good == 2 * KEYS && missing == KV_NOT_FOUND ? 0 : 1;
}
