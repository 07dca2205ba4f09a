/*
 * The component runtime (src/component): what a component's code calls. A
 * component defines component_main(); the runtime has already set up its
 * thread (TLS, IPC buffer) from the information page the broker wrote.
 */
#pragma once

#include <stddef.h>
#include <kaal/component.h>
#include <kaal/err.h>
#include <kaal/ring.h>

/* The component's entry: its information page. Returning from it is kaal_exit(status). */
int component_main(const kaal_info_t *info);

/* Called by the platform's start code, once the thread is set up. Never returns. */
void kaal_runtime_start(const kaal_info_t *info) __attribute__((noreturn));

/* Ends the component: the broker reclaims everything it holds. */
void kaal_exit(int status) __attribute__((noreturn));

const kaal_info_t *kaal_self(void);

/*
 * Waits on the component's notification; returns the badge bits set since
 * the last call (IRQs and channel signals: kaal_irq_grant_t.bit,
 * kaal_channel_grant_t.bit). Bits that arrive while the runtime itself waits
 * (for room in a channel) are kept for the next call. A component with an
 * inbox (a channel with an endpoint comes to it) waits on that too: a
 * message returns KAAL_BADGE_MESSAGE, and kaal_take() has it. While a
 * message is not taken, the next message waits (its writer with it).
 */
seL4_Word kaal_wait(void);
/* Marks bits as arrived, for the next kaal_wait(). */
void kaal_defer_bits(seL4_Word bits);

/*
 * Channels. Each is opened on first use by asking the broker
 * (KAAL_RPC_CHANNEL): the pointer returned is the open channel, with its
 * ring's address and its caps in our slots. NULL if there is no such
 * channel, or the broker refused.
 */
/* The channel to or from `peer` in the given role. */
const kaal_channel_grant_t *kaal_channel(const char *peer, kaal_channel_role_t role);
/* Channel i of kaal_info_t.channels. */
const kaal_channel_grant_t *kaal_channel_at(uint32_t i);
/* Gives an open channel back: the ring is unmapped and its caps revoked (and any copy made of them). */
kaal_err_t kaal_channel_close(const kaal_channel_grant_t *ch);

/* A message over a channel's endpoint, or a call, as kaal_take() hands it over. */
typedef struct kaal_message {
    const kaal_channel_grant_t *from; /* our entry in kaal_info_t.channels: a reader's, or a call's server's */
    seL4_Word word;                   /* MR0 (the rest of a call's are where seL4_GetMR finds them) */
    seL4_CPtr cap;                    /* the cap it carried, now in a slot of ours; 0 if none */
    seL4_MessageInfo_t info;          /* as received: a call's label and length */
} kaal_message_t;

/*
 * Protected calls (`call CLIENT -> SERVER` in the description). The client
 * finds the call with kaal_channel(server, KAAL_CALL_CLIENT), sets the
 * message registers (and, with `grant yes`, a cap with seL4_SetCap) and
 * calls: *msg goes out, the reply comes back in it. KAAL_E_PEER_GONE if the
 * server is not there (exited, stopped, being restarted) or went while the
 * call was in flight; KAAL_E_INVAL if it is not a call of ours or carries a
 * cap it may not.
 */
kaal_err_t kaal_call_open(const kaal_channel_grant_t *server, seL4_MessageInfo_t *msg);
/* Inline, as the least around a seL4_Call that can tell a gone server: the checks of an entry
 * not open yet (or not a call of ours) are kaal_call_open's. */
static inline kaal_err_t kaal_call(const kaal_channel_grant_t *server, seL4_MessageInfo_t *msg)
{
    if (server->role != KAAL_CALL_CLIENT || !server->signal ||
        (seL4_MessageInfo_get_extraCaps(*msg) && server->endpoint != KAAL_ENDPOINT_GRANT)) {
        return kaal_call_open(server, msg);
    }
    /* Our own entry (kaal_channel() gave it): the broker reads `calling` if the server goes while
     * we wait (the kernel has us blocked by then, so the store is seen), and restarts our call
     * into itself. */
    volatile seL4_Word *calling = (volatile seL4_Word *)&server->calling;
    *calling = 1;
    seL4_MessageInfo_t reply = seL4_Call(server->signal, *msg);
    *calling = 0;
    seL4_Word label = seL4_MessageInfo_get_label(reply);
    if (label & KAAL_LABEL_KAAL) {
        return (kaal_err_t)(label & ~KAAL_LABEL_KAAL);
    }
    *msg = reply;
    return KAAL_OK;
}
/*
 * The event loop, for a component that would rather be told than wait:
 * kaal_run calls init, then, for ever, the handler for each thing that
 * arrives. notified: a channel with news (a reader with data, a writer whose
 * reader made room), once for each open channel on a badge bit that was
 * set; a reader whose ring still holds data when the loop would sleep is
 * notified again. irq: an interrupt of an IRQ the component holds (from
 * kaal_irq), with its handler to ack. signal: the bits neither an open
 * channel nor an IRQ has (the component's own). protected: a call; its return is the reply (its message
 * registers set), sent as the loop waits again, in one seL4_ReplyRecv.
 * message: a message over a channel's endpoint. peer: the other end of a
 * connection exited, was stopped, is being restarted or runs again (a new
 * generation): see kaal_peer_news. Any handler may be NULL. A
 * handler may call kaal_exit(). kaal_run returns (-1) only if it has no
 * handlers or no information page.
 */
typedef struct kaal_handlers {
    void (*init)(void);
    void (*notified)(const kaal_channel_grant_t *ch);
    void (*signal)(seL4_Word bits);
    seL4_MessageInfo_t (*protected)(const kaal_channel_grant_t *caller, seL4_MessageInfo_t call);
    void (*message)(const kaal_message_t *m);
    void (*peer)(const kaal_channel_grant_t *ch); /* its other end changed: ch->peer_state, peer_generation */
    void (*irq)(seL4_CPtr handler, seL4_Word bit); /* an interrupt of an IRQ kaal_irq gave; kaal_irq_ack(handler) */
} kaal_handlers_t;
int kaal_run(const kaal_handlers_t *h);

/* After KAAL_BIT_PEER (the loop does this itself): the next connection whose other end changed
 * since we last looked (ch->peer_state, a kaal_peer_state_t, and ch->peer_generation), or 0. */
const kaal_channel_grant_t *kaal_peer_news(void);

/* Server: answers the call kaal_take() gave (m.from->role == KAAL_CALL_SERVER), with its
 * message registers set; before it waits again, or the caller waits for good. Labels with
 * KAAL_LABEL_KAAL are kaal's own: KAAL_E_INVAL. */
kaal_err_t kaal_reply(seL4_MessageInfo_t reply);

/* Writer: sends a word, and a cap we hold (0: none), to the reader's inbox. It
 * waits until the reader takes it in. KAAL_E_DENIED if the channel has no
 * endpoint, or a cap goes where the channel carries none (`endpoint send`). */
kaal_err_t kaal_pass(const kaal_channel_grant_t *ch, seL4_CPtr cap, seL4_Word word);
/* Reader: the message kaal_wait() received, if there is one (1), and it is ours now. */
int kaal_take(kaal_message_t *m);

/* Writes all of buf into a writer channel, waiting for room; signals the reader when it may sleep. */
void kaal_channel_write(const kaal_channel_grant_t *ch, const void *buf, size_t len);
/* Sleeps until the reader has made room for `need` bytes; other bits are kept for kaal_wait(). */
void kaal_channel_wait_for_room(const kaal_channel_grant_t *ch, size_t need);

/* Records are inline: a small record costs a few dozen instructions, and a
 * call and its checks would be a good part of that (bench/channel_bench.c). */

/* Sends one record if there is room now (1), else 0: for a writer that must not wait on a slow or gone reader. */
static inline int kaal_channel_offer(const kaal_channel_grant_t *ch, const void *rec, size_t len)
{
    kaal_ring_t *r = (kaal_ring_t *)ch->vaddr;
    if (!ring_send(r, ch->size, rec, len)) {
        return 0;
    }
    if (ring_reader_wake_needed(r)) {
        seL4_Signal(ch->signal);
    }
    return 1;
}

/* Sends one record, waiting for room. */
static inline void kaal_channel_send(const kaal_channel_grant_t *ch, const void *rec, size_t len)
{
    while (!kaal_channel_offer(ch, rec, len)) {
        kaal_channel_wait_for_room(ch, len);
    }
}
/* Reads what is there (up to max bytes) from a reader channel; signals a writer waiting for room. */
size_t kaal_channel_read(const kaal_channel_grant_t *ch, void *buf, size_t max);
/* Takes one record if a whole one is there; 1 if it did. */
static inline int kaal_channel_recv(const kaal_channel_grant_t *ch, void *rec, size_t len)
{
    kaal_ring_t *r = (kaal_ring_t *)ch->vaddr;
    int got = ring_recv(r, ch->size, rec, len);
    if (got && ring_writer_wake_needed(r)) {
        seL4_Signal(ch->signal);
    }
    return got;
}
/* For a reader about to wait: 1 if the channel is empty and the writer will signal. */
int kaal_channel_sleep_ok(const kaal_channel_grant_t *ch);

/*
 * RPC to the broker (src/component/rpc.c). Each returns the broker's
 * answer: KAAL_OK, or why it refused (KAAL_E_DENIED: the description does
 * not grant it; KAAL_E_BUSY: held already; KAAL_E_QUOTA; ...).
 */
/* A round trip; *version (may be NULL) gets the broker's protocol version. */
kaal_err_t kaal_ping(seL4_Word word, seL4_Word *version);
/* size bytes (whole pages) of fresh zeroed memory at vaddr, or where the broker chooses if vaddr is 0. */
kaal_err_t kaal_memory(seL4_Word vaddr, seL4_Word size, void **at);
/* An IO port cap for [first, last], in a slot of our own. */
kaal_err_t kaal_ioports(seL4_Word first, seL4_Word last, seL4_CPtr *cap);
/* The handler of IOAPIC pin `pin` (ack it after each interrupt: kaal_irq_ack); its interrupts set
 * *bit in kaal_wait(), and reach the event loop's irq handler. */
kaal_err_t kaal_irq(seL4_Word pin, seL4_CPtr *handler, seL4_Word *bit);
/* Lets the interrupt come again (seL4_IRQHandler_Ack). */
kaal_err_t kaal_irq_ack(seL4_CPtr handler);
/* The handler kaal_irq gave for the IRQ on badge bit `bit`, or 0. */
seL4_CPtr kaal_irq_handler(seL4_Word bit);
/* The region the description gives us under that name, mapped (asked of the broker on first
 * use): its address, size, rights, and physical address if it is contiguous. 0 if there is none. */
const kaal_region_t *kaal_region(const char *name);
/* Device registers at physical paddr, mapped uncached; *regs is where paddr appears. */
kaal_err_t kaal_mmio(seL4_Word paddr, seL4_Word size, volatile void **regs);
/* Gives a grant back: what is the request that got it (KAAL_RPC_MEMORY, ...), which its
 * address, first port or pin; slot, if not 0, is where its cap was (now empty again). */
kaal_err_t kaal_release(seL4_Word what, seL4_Word which, seL4_CPtr slot);
/* Channel `index`'s ring, its signal in slot `signal` and (writer) its inbox cap in `inbox` (0: none).
 * kaal_channel() calls it; *vaddr is where the ring appears. */
kaal_err_t kaal_open_channel(seL4_Word index, seL4_CPtr signal, seL4_CPtr inbox, seL4_Word *vaddr);
/* The component's own free slots (from kaal_info_t.free_slot); 0 when none is left. */
seL4_CPtr kaal_slot_alloc(void);
void kaal_slot_free(seL4_CPtr slot);

/* The console: rt_printf and kaal_printf write whole lines into this writer channel. */
void kaal_console_attach(const kaal_channel_grant_t *ch);
int kaal_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
