/*
 * The event loop: the runtime waits, and calls the component's handlers for
 * what arrived (kaal_run, include/kaal/runtime.h). A call's reply and the
 * wait for the next event are one system call (seL4_ReplyRecv). Before it
 * sleeps it does the channels' half of the sleep protocol: a reader with
 * data still in its ring is told again instead of sleeping.
 */
#include <kaal/runtime.h>

seL4_Word kaal_runtime_wait(const seL4_MessageInfo_t *reply);
seL4_Word kaal_runtime_received(seL4_Word badge, seL4_MessageInfo_t info);
int kaal_runtime_plain_inbox(void);

static const kaal_handlers_t *handlers;

static int has_readers; /* a channel we read: its ring is looked at before the loop sleeps */

/* Readers with unread data: notified again rather than left asleep. 1 if any was. */
static int drain_readers(const kaal_info_t *self)
{
    int any = 0;
    for (uint32_t i = 0; has_readers && handlers->notified && i < self->nchannels; i++) {
        const kaal_channel_grant_t *ch = &self->channels[i];
        if (ch->role == KAAL_CHANNEL_READER && ch->signal && !kaal_channel_sleep_ok(ch)) {
            handlers->notified(ch);
            any = 1;
        }
    }
    return any;
}

/* Bits of the notification: each open channel on a bit that is set, the peers' news, the IRQs
 * kaal_irq gave, then what is left (the component's own bits). */
static void dispatch_bits(const kaal_info_t *self, seL4_Word bits)
{
    seL4_Word channel_bits = 0;
    for (uint32_t i = 0; i < self->nchannels; i++) {
        const kaal_channel_grant_t *ch = &self->channels[i];
        int on = ch->signal && (ch->role == KAAL_CHANNEL_READER || ch->role == KAAL_CHANNEL_WRITER) &&
                 (bits >> ch->bit) & 1;
        if (on && handlers->notified) {
            handlers->notified(ch);
        }
        channel_bits |= on ? 1ul << ch->bit : 0;
    }
    if (bits & (1ul << KAAL_BIT_PEER)) {
        for (const kaal_channel_grant_t *ch; (ch = kaal_peer_news());) {
            if (handlers->peer) {
                handlers->peer(ch);
            }
        }
    }
    seL4_Word rest = bits & ~channel_bits & ~(1ul << KAAL_BIT_PEER);
    for (seL4_Word irqs = rest & ((1ul << KAAL_BIT_PEER) - 1); irqs && handlers->irq;) {
        seL4_Word bit = (seL4_Word)__builtin_ctzl(irqs);
        irqs &= irqs - 1;
        seL4_CPtr handler = kaal_irq_handler(bit);
        if (handler) {
            handlers->irq(handler, bit);
            rest &= ~(1ul << bit);
        }
    }
    if (rest && handlers->signal) {
        handlers->signal(rest);
    }
}

int kaal_run(const kaal_handlers_t *h)
{
    const kaal_info_t *self = kaal_self();
    if (!h || !self) {
        return -1;
    }
    handlers = h;
    for (uint32_t i = 0; i < self->nchannels; i++) {
        has_readers |= self->channels[i].role == KAAL_CHANNEL_READER;
    }
    if (h->init) {
        h->init();
    }
    seL4_MessageInfo_t answer;
    int answering = 0;
    for (;;) {
        if (!answering && drain_readers(self)) {
            continue;
        }
        seL4_Word bits;
        if (kaal_runtime_plain_inbox()) { /* the fast path: nothing deferred, no cap to receive */
            seL4_Word badge;
            seL4_MessageInfo_t info =
                answering ? seL4_ReplyRecv(KAAL_CAP_INBOX, answer, &badge) : seL4_Recv(KAAL_CAP_INBOX, &badge);
            seL4_Word index = badge & 0xfffffffful;
            if ((badge & (KAAL_BADGE_MESSAGE | KAAL_BADGE_CALL)) == (KAAL_BADGE_MESSAGE | KAAL_BADGE_CALL) &&
                index < self->nchannels && self->channels[index].role == KAAL_CALL_SERVER && h->protected) {
                answer = h->protected(&self->channels[index], info);
                answering = 1;
                if (seL4_MessageInfo_get_label(answer) & KAAL_LABEL_KAAL) {
                    answer = seL4_MessageInfo_new(0, 0, 0, 0); /* kaal's labels are not the server's to give */
                }
                continue;
            }
            bits = kaal_runtime_received(badge, info);
        } else {
            bits = kaal_runtime_wait(answering ? &answer : 0);
        }
        answering = 0;
        kaal_message_t m;
        if (bits != KAAL_BADGE_MESSAGE) {
            dispatch_bits(self, bits);
        } else if (!kaal_take(&m)) {
            continue;
        } else if (m.from && m.from->role == KAAL_CALL_SERVER) {
            answer = h->protected ? h->protected(m.from, m.info) : seL4_MessageInfo_new(0, 0, 0, 0);
            if (seL4_MessageInfo_get_label(answer) & KAAL_LABEL_KAAL) {
                answer = seL4_MessageInfo_new(0, 0, 0, 0); /* kaal's labels are not the server's to give */
            }
            answering = 1;
        } else if (h->message) {
            h->message(&m);
        } else if (m.cap) { /* nobody takes it: the slot is free again */
            seL4_CNode_Delete(KAAL_CAP_CNODE, m.cap, KAAL_SLOT_DEPTH);
            kaal_slot_free(m.cap);
        }
    }
}
