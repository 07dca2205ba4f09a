/*
 * Protected calls from a component's side: the client's seL4_Call on its
 * cap to the server's inbox (kaal_call, inline in kaal/runtime.h; here what
 * it does the first time, or when it is not given an open call of ours),
 * and the server's reply. A call's requests
 * arrive at the server through kaal_wait()/kaal_take() like a channel's
 * messages (runtime.c), or through the event loop (kaal_run).
 */
#include <kaal/runtime.h>

/* Our own (writable) entry for a call we are the client of, or 0. */
static kaal_channel_grant_t *client_entry(const kaal_channel_grant_t *server)
{
    const kaal_info_t *self = kaal_self();
    uintptr_t at = (uintptr_t)server - (uintptr_t)self->channels;
    if (!server || at >= self->nchannels * sizeof(*server) || at % sizeof(*server) ||
        server->role != KAAL_CALL_CLIENT) {
        return 0;
    }
    return &self->channels[server - self->channels];
}

kaal_err_t kaal_call_open(const kaal_channel_grant_t *server, seL4_MessageInfo_t *msg)
{
    kaal_channel_grant_t *ch = client_entry(server);
    if (!ch || (seL4_MessageInfo_get_extraCaps(*msg) && ch->endpoint != KAAL_ENDPOINT_GRANT)) {
        return KAAL_E_INVAL;
    }
    if (!ch->signal && !kaal_channel_at((uint32_t)(ch - kaal_self()->channels))) {
        return KAAL_E_DENIED; /* the broker would not open it */
    }
    return kaal_call(ch, msg);
}

kaal_err_t kaal_reply(seL4_MessageInfo_t reply)
{
    if (seL4_MessageInfo_get_label(reply) & KAAL_LABEL_KAAL) {
        return KAAL_E_INVAL; /* those labels are kaal's own */
    }
    seL4_Reply(reply);
    return KAAL_OK;
}
