/*
 * The contract between the broker and a component: where a component finds
 * its capabilities, what its address space looks like when it starts, and
 * the information page that describes its grants. The broker builds a
 * component to this layout (src/broker/component.c); the component runtime
 * (src/component) reads it. docs/components.md explains it with an example.
 */
#pragma once

#include <stdint.h>
#include <sel4/sel4.h>

/*
 * The initial CSpace: one CNode of 2^kaal_info_t.cnode_bits slots (at least
 * 2^KAAL_CNODE_BITS: as many as its grants and the description's `slots`
 * take) whose cap carries a guard of the remaining bits, so a cptr is the
 * plain slot index.
 */
#define KAAL_CNODE_BITS 8
/* The depth of a slot in CNode invocations on KAAL_CAP_CNODE: the guard and the index, a whole word. */
#define KAAL_SLOT_DEPTH seL4_WordBits
enum kaal_cap {
    KAAL_CAP_NULL = 0,
    KAAL_CAP_CNODE = 1,  /* its own CNode (with the guard) */
    KAAL_CAP_VSPACE = 2, /* its PML4 */
    KAAL_CAP_TCB = 3,    /* its thread */
    KAAL_CAP_BROKER = 4, /* endpoint to the broker, badged with its id: RPC */
    KAAL_CAP_NTFN = 5,   /* its notification: IRQs and channels set bits of the badge */
    KAAL_CAP_FAULT = 6,  /* its fault endpoint (the kernel uses it, the component need not) */
    KAAL_CAP_INBOX = 7,  /* Read on its endpoint for channel messages, if an incoming channel has one */
    KAAL_CAP_FIRST_FREE = 8, /* grants start here: IO ports, IRQ handlers, channel signals */
};

/*
 * The badge bits of KAAL_CAP_NTFN: the broker hands out bits below
 * KAAL_BIT_PEER (channels, IRQs), one to each while they last and then
 * shared (a bit then says that one of the channels or IRQs on it has news);
 * KAAL_BIT_PEER is the broker's own: a peer changed (its state and generation
 * in our table of channels). The bits from KAAL_BIT_OWN_FIRST to 62 are the
 * component's own, for badges it mints itself. Bit 63 is never a
 * notification's: it marks a message on KAAL_CAP_INBOX (the notification is
 * bound to the thread, so one seL4_Recv on the inbox waits for both).
 */
#define KAAL_BIT_PEER 47
#define KAAL_BIT_OWN_FIRST 48
#define KAAL_BIT_OWN_LAST 62
#define KAAL_BADGE_MESSAGE (1ul << 63)

/* The fixed part of the address space; ELF segments go where they are linked, below KAAL_INFO_VADDR. */
#define KAAL_INFO_VADDR 0x10000000ul   /* the information page, read-only */
#define KAAL_IPCBUF_VADDR 0x10001000ul /* the IPC buffer */
#define KAAL_STACK_TOP 0x20000000ul    /* the stack grows down from here; the page below it stays unmapped */
#define KAAL_CHANNELS_VADDR 0x10100000ul /* the table of its channels (kaal_info_t.channels), as many pages as it takes */
#define KAAL_CHANNEL_VADDR 0x30000000ul /* channels' rings, each followed by an unmapped page ... */
#define KAAL_CHANNEL_END 0x10000000000ul /* ... below 1 TiB */
#define KAAL_IMAGE_LIMIT KAAL_INFO_VADDR

#define KAAL_INFO_MAGIC 0x6f666e696c61616bull /* "kaalinfo" */
#define KAAL_INFO_VERSION 6u
#define KAAL_NAME_MAX 32
#define KAAL_MAX_IOPORTS 4 /* grants of each kind the information page lists (the description may give more) */
#define KAAL_MAX_IRQS 4
#define KAAL_MAX_MMIO 4

/* Where the broker maps what a component asks for (KAAL_RPC_MEMORY, KAAL_RPC_MMIO). */
#define KAAL_MEMORY_VADDR 0x10000000000ul /* memory: [KAAL_MEMORY_VADDR, KAAL_MEMORY_END), 1 TiB */
#define KAAL_MEMORY_END 0x20000000000ul
#define KAAL_MMIO_VADDR 0x20000000000ul   /* device registers: [KAAL_MMIO_VADDR, KAAL_MMIO_END), 64 GiB */
#define KAAL_MMIO_END 0x21000000000ul
#define KAAL_REGION_VADDR 0x21000000000ul /* regions where the broker chooses: [KAAL_REGION_VADDR, KAAL_REGION_END) */
#define KAAL_REGION_END 0x40000000000ul

/* The other end of a connection, as the broker tells it (KAAL_BIT_PEER). */
typedef enum {
    KAAL_PEER_RUNNING = 1,    /* built and started (again, after a restart: a new generation) */
    KAAL_PEER_RESTARTING = 2, /* faulted, and being built afresh */
    KAAL_PEER_EXITED = 3,     /* it returned, or called kaal_exit */
    KAAL_PEER_STOPPED = 4,    /* by its fault policy, its restart budget, or the end of the system */
} kaal_peer_state_t;

/* A component's end of a connection: a channel's writer or reader, or a call's client or server. */
typedef enum {
    KAAL_CHANNEL_WRITER = 1,
    KAAL_CHANNEL_READER = 2,
    KAAL_CALL_CLIENT = 3,
    KAAL_CALL_SERVER = 4,
} kaal_channel_role_t;
/* What a channel's endpoint carries from writer to reader: nothing (no endpoint), words, or words and a cap. */
typedef enum { KAAL_ENDPOINT_NONE = 0, KAAL_ENDPOINT_SEND = 1, KAAL_ENDPOINT_GRANT = 2 } kaal_endpoint_t;

/* What the description grants, for the component to ask for (KAAL_RPC_IOPORTS, _IRQ, _MMIO). */
typedef struct kaal_ioport_grant {
    seL4_Word first, last; /* inclusive */
} kaal_ioport_grant_t;

typedef struct kaal_irq_grant {
    seL4_Word pin; /* IOAPIC pin */
} kaal_irq_grant_t;

typedef struct kaal_mmio_grant {
    seL4_Word paddr, size; /* physical, page aligned */
} kaal_mmio_grant_t;

/*
 * A channel the description gives the component. It opens it by asking
 * (KAAL_RPC_CHANNEL); in the table the broker writes `signal` and `inbox`
 * are 0, and the runtime writes there the slots the broker filled. The table
 * is the component's own memory (read-write), at KAAL_CHANNELS_VADDR.
 */
/*
 * One of its connections, in its table of them (kaal_info_t.channels). A
 * channel: a shared ring and a signal each way. A call (role CALL_CLIENT or
 * CALL_SERVER): the client's `signal` is its cap to the server's inbox, badged
 * KAAL_BADGE_MESSAGE | KAAL_BADGE_CALL | the server's index of the call, with
 * which it seL4_Calls; `endpoint` is KAAL_ENDPOINT_GRANT if caps may go with
 * a call. A server needs nothing opened: calls arrive on KAAL_CAP_INBOX.
 */
typedef struct kaal_channel_grant {
    seL4_Word vaddr, size; /* where the shared ring (a kaal_ring_t) appears once open; 0 for a call */
    seL4_Word signal;      /* cap that signals the peer (its notification, badged with the peer's bit); a call's cap */
    seL4_Word inbox;       /* writer: cap to the reader's KAAL_CAP_INBOX, badged KAAL_BADGE_MESSAGE | 1 << its bit */
    seL4_Word bit;         /* the badge bit the peer's signals set in KAAL_CAP_NTFN (none for a call) */
    uint32_t role;         /* kaal_channel_role_t: this component's end */
    uint32_t endpoint;     /* kaal_endpoint_t */
    char peer[KAAL_NAME_MAX];
    seL4_Word calling;     /* a call's client: 1 while its call is in flight (the broker reads it if the server goes) */
    uint32_t peer_state;   /* kaal_peer_state_t of the other end, as the broker last wrote it */
    uint32_t peer_generation; /* and its generation (one more each restart) */
    uint32_t seen_state, seen_generation; /* the runtime's: what it last told the component */
} kaal_channel_grant_t;

/* A memory region the description gives it (`map NAME ...` in its block), in its table of
 * them (kaal_info_t.regions). It is mapped when asked for (KAAL_RPC_REGION, kaal_region()). */
typedef struct kaal_region {
    char name[KAAL_NAME_MAX];
    seL4_Word vaddr;     /* where it appears once mapped: its `at`, or where the broker chose */
    seL4_Word size;
    seL4_Word paddr;     /* the physical address of its first byte, if it is contiguous (for DMA); else 0 */
    uint32_t page_bits;  /* 12 or 21 */
    uint32_t writable, cached;
    uint32_t mapped;     /* the runtime's: 1 once it asked */
} kaal_region_t;

typedef struct kaal_info {
    uint64_t magic;   /* KAAL_INFO_MAGIC */
    uint32_t version; /* KAAL_INFO_VERSION */
    uint32_t id;      /* the component's index in its system, also its RPC badge */
    uint32_t generation; /* 0 on the first start, one more on each restart */
    uint32_t cnode_bits; /* its CNode has 2^cnode_bits slots */
    uint32_t nioports, nirqs, nmmio, nchannels;
    char name[KAAL_NAME_MAX];
    seL4_Word ipc_buffer, stack_bottom, stack_top;
    seL4_Word free_slot; /* slots from here to the end of its CNode are empty: the component's to use */
    kaal_ioport_grant_t ioports[KAAL_MAX_IOPORTS];
    kaal_irq_grant_t irqs[KAAL_MAX_IRQS];
    kaal_mmio_grant_t mmio[KAAL_MAX_MMIO];
    kaal_channel_grant_t *channels; /* nchannels of them, at KAAL_CHANNELS_VADDR (read-write) */
    seL4_Word *slot_map; /* after them, zeroed: 2^cnode_bits bits for the runtime to mark the slots it uses */
    kaal_region_t *regions; /* nregions of them, between the two */
    uint32_t nregions;
    /* Raw untyped memory the description gives it (`untyped SIZE`): nuntyped caps from slot
     * untyped_first on, of 2^untyped_bits[i] bytes each (largest first), its own to retype into its
     * free slots. The broker revokes them when it goes: everything made from them goes too. */
    uint32_t untyped_first, nuntyped;
    uint8_t untyped_bits[64];
} kaal_info_t;

_Static_assert(sizeof(kaal_info_t) <= 4096, "the information page is one page");

/*
 * RPC to the broker, protocol version 1. A request is a seL4_Call on
 * KAAL_CAP_BROKER: the label says what, the message registers carry exactly
 * the arguments listed (no more, no fewer), and no capability goes with it.
 * The reply's label is a kaal_err_t; on KAAL_OK its message registers carry
 * the results listed. A request that breaks these rules gets
 * KAAL_E_PROTOCOL. A capability the broker grants goes into the empty slot
 * of the component's CNode the request names (KAAL_E_SLOT if that slot is
 * not one of its free slots or not empty); the broker keeps the original, so
 * releasing it revokes the component's copy and every copy made from it.
 */
#define KAAL_RPC_VERSION 1u
enum kaal_rpc_label {
    KAAL_RPC_EXIT = 1,    /* MR0 status. No reply: the broker reclaims the component. */
    KAAL_RPC_PING = 2,    /* MR0 any word -> MR0 the same word, MR1 KAAL_RPC_VERSION */
    KAAL_RPC_MEMORY = 3,  /* MR0 vaddr (0: the broker chooses), MR1 bytes (whole pages) -> MR0 vaddr */
    KAAL_RPC_IOPORTS = 4, /* MR0 first port, MR1 last port, MR2 slot -> an IO port cap in slot */
    KAAL_RPC_IRQ = 5,     /* MR0 IOAPIC pin, MR1 slot -> its handler in slot, MR0 the badge bit it sets */
    KAAL_RPC_MMIO = 6,    /* MR0 paddr, MR1 bytes -> MR0 the vaddr where paddr appears (uncached) */
    KAAL_RPC_RELEASE = 7, /* MR0 what (the label that got it), MR1 which (vaddr, first port, pin, channel) */
    KAAL_RPC_CHANNEL = 8, /* MR0 channel (index in kaal_info_t.channels), MR1 slot for its signal, MR2 slot
                           * for the writer's inbox cap (0: none wanted) -> MR0 the ring's vaddr */
    KAAL_RPC_REGION = 9,  /* MR0 region (index in kaal_info_t.regions) -> MR0 where it is mapped */
    KAAL_RPC_LABELS
};

/* Badges on the broker's endpoint: the component's id, and a bit that marks its fault endpoint,
 * or one that marks a call whose server is gone (with the client's index of the call above it). */
#define KAAL_BADGE_FAULT (1ul << 32)
#define KAAL_BADGE_GONE (1ul << 33)
#define KAAL_BADGE_GONE_SHIFT 34

/* With KAAL_BADGE_MESSAGE, on a server's inbox: a call, the server's index of it in the low 32 bits. */
#define KAAL_BADGE_CALL (1ul << 62)
/* Reply labels with this bit are kaal's, not the server's: the rest is a kaal_err_t (KAAL_E_PEER_GONE).
 * A server's own labels stay below it. */
#define KAAL_LABEL_KAAL (1ul << 51)
