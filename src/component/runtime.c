/* The component runtime's core: start, exit, and waiting on the notification and the inbox. */
#include <kaal/rt.h>
#include <kaal/runtime.h>

static const kaal_info_t *self;
static seL4_Word deferred;
static int has_inbox, has_pending;
static int takes_caps; /* a connection may bring a cap with its messages or calls (endpoint grant) */
static kaal_message_t pending; /* received, not yet taken */

const kaal_info_t *kaal_self(void)
{
    return self;
}

void kaal_runtime_start(const kaal_info_t *info)
{
    self = info;
    rt_set_putc(seL4_DebugPutChar); /* the kernel's console, until kaal_console_attach names a channel */
    for (uint32_t i = 0; i < info->nchannels; i++) {
        const kaal_channel_grant_t *ch = &info->channels[i];
        int incoming = (ch->role == KAAL_CHANNEL_READER && ch->endpoint) || ch->role == KAAL_CALL_SERVER;
        has_inbox |= incoming;
        takes_caps |= incoming && ch->endpoint == KAAL_ENDPOINT_GRANT;
    }
    kaal_exit(component_main(info));
}

void kaal_exit(int status)
{
    seL4_SetMR(0, (seL4_Word)status);
    seL4_Call(KAAL_CAP_BROKER, seL4_MessageInfo_new(KAAL_RPC_EXIT, 0, 0, 1));
    for (;;) {
        seL4_TCB_Suspend(KAAL_CAP_TCB); /* the broker did not take us apart: stop here */
    }
}

/* One seL4_Recv on the inbox waits for a message and for the notification
 * (bound to our thread). A message's badge has KAAL_BADGE_MESSAGE and the
 * bit of its channel; a signal's badge is the notification's word. */
static seL4_CPtr receive_slot; /* where a cap that comes with a message or call goes; kept till one does */

/* What a receive on the inbox got (a cap, if any, in `slot`): a signal's bits, or
 * KAAL_BADGE_MESSAGE with the message pending for kaal_take(). */
seL4_Word kaal_runtime_received(seL4_Word badge, seL4_MessageInfo_t info)
{
    if (!(badge & KAAL_BADGE_MESSAGE)) {
        return badge;
    }
    pending = (kaal_message_t){.word = seL4_MessageInfo_get_length(info) > 0 ? seL4_GetMR(0) : 0, .info = info};
    seL4_Word index = badge & 0xfffffffful;
    if (badge & KAAL_BADGE_CALL) { /* the broker badged the caller's cap with our index of the call */
        pending.from = index < self->nchannels && self->channels[index].role == KAAL_CALL_SERVER
                           ? &self->channels[index]
                           : 0;
    }
    for (uint32_t i = 0; !(badge & KAAL_BADGE_CALL) && i < self->nchannels; i++) {
        const kaal_channel_grant_t *ch = &self->channels[i];
        if (ch->role == KAAL_CHANNEL_READER && (badge & ~KAAL_BADGE_MESSAGE) == 1ul << ch->bit) {
            pending.from = ch;
        }
    }
    if (receive_slot && seL4_MessageInfo_get_extraCaps(info) == 1 && seL4_MessageInfo_get_capsUnwrapped(info) == 0) {
        pending.cap = receive_slot; /* it is the component's now: the next message's cap goes to a new slot */
        receive_slot = 0;
    }
    has_pending = 1;
    return KAAL_BADGE_MESSAGE;
}

int kaal_runtime_plain_inbox(void)
{
    return has_inbox && !takes_caps && deferred == 0 && !has_pending;
}

static seL4_Word wait_inbox(const seL4_MessageInfo_t *reply)
{
    if (!receive_slot && takes_caps) {
        seL4_CPtr slot = receive_slot = kaal_slot_alloc();
        seL4_SetCapReceivePath(slot ? KAAL_CAP_CNODE : seL4_CapNull, slot, slot ? KAAL_SLOT_DEPTH : 0);
    }
    seL4_Word badge;
    seL4_MessageInfo_t info = reply ? seL4_ReplyRecv(KAAL_CAP_INBOX, *reply, &badge) : seL4_Recv(KAAL_CAP_INBOX, &badge);
    return kaal_runtime_received(badge, info);
}

seL4_Word kaal_runtime_wait(const seL4_MessageInfo_t *reply)
{
    seL4_Word bits = deferred;
    deferred = 0;
    if (reply && bits) { /* what arrived meanwhile comes first: answer alone */
        seL4_Reply(*reply);
    } else if (reply) { /* a call to answer: the answer and the wait are one system call */
        bits = wait_inbox(reply);
    } else if (bits == 0 && has_inbox && !has_pending) {
        bits = wait_inbox(0);
    } else if (bits == 0) {
        seL4_Wait(KAAL_CAP_NTFN, &bits);
    }
    return bits;
}

seL4_Word kaal_wait(void)
{
    return kaal_runtime_wait(0);
}

int kaal_take(kaal_message_t *m)
{
    if (!has_pending) {
        return 0;
    }
    *m = pending;
    has_pending = 0;
    return 1;
}

void kaal_defer_bits(seL4_Word bits)
{
    deferred |= bits;
}


