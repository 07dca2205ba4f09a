/* The store: answers the calls of every client (one endpoint for all of them) from the event
 * loop; it serves for as long as the system runs. */
#include <kaal/rt.h>
#include <kaal/runtime.h>
#include "kv.h"

#define SLOTS 64

static struct {
    uint64_t key, value;
    int used;
} table[SLOTS];

static seL4_Word put(uint64_t key, uint64_t value)
{
    int free = -1;
    for (int i = 0; i < SLOTS; i++) {
        if (table[i].used && table[i].key == key) {
            table[i].value = value;
            return KV_OK;
        }
        if (!table[i].used && free < 0) {
            free = i;
        }
    }
    if (free < 0) {
        return KV_FULL;
    }
    table[free].used = 1;
    table[free].key = key;
    table[free].value = value;
    return KV_OK;
}

static seL4_Word get(uint64_t key, seL4_Word *value)
{
    for (int i = 0; i < SLOTS; i++) {
        if (table[i].used && table[i].key == key) {
            *value = table[i].value;
            return KV_OK;
        }
    }
    return KV_NOT_FOUND;
}

static unsigned long served, errors;
static unsigned done, clients; /* clients that have ended, of all */
static int flaky; /* named "...-flaky": it faults at its 20th call in its first run */

/* One call (the event loop's protected handler): its label says what, MR0 and MR1 hold the key
 * and value; the reply's label says how it went, its MR0 the value. */
static seL4_MessageInfo_t serve(const kaal_channel_grant_t *caller, seL4_MessageInfo_t call)
{
    seL4_Word op = seL4_MessageInfo_get_label(call), n = seL4_MessageInfo_get_length(call), value = 0, status;
    if (op == KV_PUT && n == 2) {
        status = put(seL4_GetMR(0), seL4_GetMR(1));
    } else if (op == KV_GET && n == 1) {
        status = get(seL4_GetMR(0), &value);
    } else {
        status = KV_BAD_REQUEST;
    }
    (void)caller; /* who called: caller->peer names the client */
    served++;
    if (flaky && served == 20) {
        kaal_printf("%s: %lu calls in, faulting on purpose\n", kaal_self()->name, served);
        *(volatile int *)0xdead0000 = 1;
    }
    errors += status == KV_BAD_REQUEST || status == KV_FULL;
    seL4_SetMR(0, value);
    return seL4_MessageInfo_new(status, 0, 0, 1);
}

/* A client changed (the event loop's peer handler): once every one has ended, the count. A
 * client being restarted has not ended; its new generation calls on. */
static void peer(const kaal_channel_grant_t *ch)
{
    int ended = ch->peer_state == KAAL_PEER_EXITED || ch->peer_state == KAAL_PEER_STOPPED;
    if (ch->role == KAAL_CALL_SERVER && ended && ++done == clients) {
        kaal_printf("kv: %lu calls served, %lu errors\n", served, errors);
    }
}

int component_main(const kaal_info_t *info)
{
    kaal_console_attach(kaal_channel("serial", KAAL_CHANNEL_WRITER));
    for (uint32_t i = 0; i < info->nchannels; i++) {
        clients += info->channels[i].role == KAAL_CALL_SERVER;
    }
    size_t len = rt_strlen(info->name);
    flaky = len > 6 && rt_strcmp(info->name + len - 6, "-flaky") == 0 && info->generation == 0;
    kaal_printf("%s: serving %u slots to %u clients\n", info->name, SLOTS, clients);
    return kaal_run(&(kaal_handlers_t){.protected = serve, .peer = peer});
}
