/* The client: puts keys into the store, reads them back, asks for one it never put, and exits. */
#include <kaal/runtime.h>
#include "kv.h"

#define KEYS 32

static const kaal_channel_grant_t *requests, *replies;

static kv_reply_t ask(uint64_t op, uint64_t key, uint64_t value)
{
    kv_request_t r = {op, key, value};
    kaal_channel_send(requests, &r, sizeof(r));
    kv_reply_t a;
    while (!kaal_channel_recv(replies, &a, sizeof(a))) {
        if (kaal_channel_sleep_ok(replies)) {
            kaal_wait(); /* until the store signals its reply */
        }
    }
    return a;
}

int component_main(const kaal_info_t *info)
{
    kaal_console_attach(kaal_channel("serial", KAAL_CHANNEL_WRITER));
    requests = kaal_channel("kvstore", KAAL_CHANNEL_WRITER);
    replies = kaal_channel("kvstore", KAAL_CHANNEL_READER);
    if (!requests || !replies) {
        kaal_printf("%s: no channels to the store\n", info->name);
        return 1;
    }
    unsigned good = 0;
    for (uint64_t k = 0; k < KEYS; k++) {
        good += ask(KV_PUT, 1000 + k, k * k).status == KV_OK;
    }
    for (uint64_t k = 0; k < KEYS; k++) {
        kv_reply_t a = ask(KV_GET, 1000 + k, 0);
        good += a.status == KV_OK && a.value == k * k;
    }
    kv_reply_t missing = ask(KV_GET, 7, 0);
    kaal_printf("%s: %u puts and gets of %u, %u answered right; a key never put: %s\n", info->name, 2 * KEYS, KEYS,
                good, missing.status == KV_NOT_FOUND ? "not found" : "FOUND");
    return good == 2 * KEYS && missing.status == KV_NOT_FOUND ? 0 : 1;
}
