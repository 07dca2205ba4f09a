/*
 * The component runtime (src/component): what a component's code calls. A
 * component defines component_main(); the runtime has already set up its
 * thread (TLS, IPC buffer) from the information page the broker wrote.
 */
#pragma once

#include <stddef.h>
#include <kaal/component.h>
#include <kaal/err.h>

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
 * (for room in a channel) are kept for the next call.
 */
seL4_Word kaal_wait(void);
/* Marks bits as arrived, for the next kaal_wait(). */
void kaal_defer_bits(seL4_Word bits);

/* The channel to or from `peer` in the given role, NULL if there is none. */
const kaal_channel_grant_t *kaal_channel(const char *peer, kaal_channel_role_t role);

/* Writes all of buf into a writer channel, waiting for room; signals the reader when it may sleep. */
void kaal_channel_write(const kaal_channel_grant_t *ch, const void *buf, size_t len);
/* Sends one record, waiting for room. */
void kaal_channel_send(const kaal_channel_grant_t *ch, const void *rec, size_t len);
/* Reads what is there (up to max bytes) from a reader channel; signals a writer waiting for room. */
size_t kaal_channel_read(const kaal_channel_grant_t *ch, void *buf, size_t max);
/* Takes one record if a whole one is there; 1 if it did. */
int kaal_channel_recv(const kaal_channel_grant_t *ch, void *rec, size_t len);
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
/* The handler of IOAPIC pin `pin` (Ack it after each interrupt); its interrupts set *bit in kaal_wait(). */
kaal_err_t kaal_irq(seL4_Word pin, seL4_CPtr *handler, seL4_Word *bit);
/* Device registers at physical paddr, mapped uncached; *regs is where paddr appears. */
kaal_err_t kaal_mmio(seL4_Word paddr, seL4_Word size, volatile void **regs);
/* Gives a grant back: what is the request that got it (KAAL_RPC_MEMORY, ...), which its
 * address, first port or pin; slot, if not 0, is where its cap was (now empty again). */
kaal_err_t kaal_release(seL4_Word what, seL4_Word which, seL4_CPtr slot);
/* The component's own free slots (from kaal_info_t.free_slot); 0 when none is left. */
seL4_CPtr kaal_slot_alloc(void);
void kaal_slot_free(seL4_CPtr slot);

/* The console: rt_printf and kaal_printf write whole lines into this writer channel. */
void kaal_console_attach(const kaal_channel_grant_t *ch);
int kaal_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
