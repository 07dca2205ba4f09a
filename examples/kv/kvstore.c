/* The store: answers each request from its client in order; it serves for as long as the system runs. */
#include <kaal/runtime.h>
#include "kv.h"

#define SLOTS 64

static struct {
    uint64_t key, value;
    int used;
} table[SLOTS];

static kv_reply_t put(uint64_t key, uint64_t value)
{
    int free = -1;
    for (int i = 0; i < SLOTS; i++) {
        if (table[i].used && table[i].key == key) {
            table[i].value = value;
            return (kv_reply_t){KV_OK, value};
        }
        if (!table[i].used && free < 0) {
            free = i;
        }
    }
    if (free < 0) {
        return (kv_reply_t){KV_FULL, 0};
    }
    table[free].used = 1;
    table[free].key = key;
    table[free].value = value;
    return (kv_reply_t){KV_OK, value};
}

static kv_reply_t get(uint64_t key)
{
    for (int i = 0; i < SLOTS; i++) {
        if (table[i].used && table[i].key == key) {
            return (kv_reply_t){KV_OK, table[i].value};
        }
    }
    return (kv_reply_t){KV_NOT_FOUND, 0};
}

int component_main(const kaal_info_t *info)
{
    kaal_console_attach(kaal_channel("serial", KAAL_CHANNEL_WRITER));
    const kaal_channel_grant_t *requests = kaal_channel("kvclient", KAAL_CHANNEL_READER);
    const kaal_channel_grant_t *replies = kaal_channel("kvclient", KAAL_CHANNEL_WRITER);
    if (!requests || !replies) {
        kaal_printf("%s: no channels to the client\n", info->name);
        return 1;
    }
    kaal_printf("%s: serving %u slots\n", info->name, SLOTS);
    for (unsigned long served = 0;;) {
        kv_request_t r;
        while (kaal_channel_recv(requests, &r, sizeof(r))) {
            kv_reply_t a = r.op == KV_PUT ? put(r.key, r.value) : r.op == KV_GET ? get(r.key)
                                                                                 : (kv_reply_t){KV_BAD_REQUEST, 0};
            kaal_channel_send(replies, &a, sizeof(a));
            served++;
        }
        if (kaal_channel_sleep_ok(requests)) {
            kaal_wait(); /* until the client signals a request */
        }
    }
}
