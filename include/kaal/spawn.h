/*
 * Building components: an ELF image becomes a thread in its own CSpace and
 * VSpace, laid out as include/kaal/component.h says, with the devices its
 * description grants. Everything a component holds is recorded here, so
 * that destroying it returns every byte and slot to the broker.
 *
 * The steps: spawn_build() (objects, image, stack, devices), then
 * channel_connect() for its channels, then spawn_start() (writes the
 * information page and resumes the thread). spawn_destroy() undoes any
 * prefix of that.
 */
#pragma once

#include <sel4/sel4.h>
#include <kaal/broker.h>
#include <kaal/component.h>
#include <kaal/elf.h>
#include <kaal/manifest.h>


/* What a component got by asking (KAAL_RPC_MEMORY, _IOPORTS, _IRQ, _MMIO,
 * _CHANNEL), until it releases it or goes. */
typedef struct grant {
    seL4_Word what;            /* the request's label; 0: entry free */
    seL4_Word key, end;        /* vaddr, first port, pin or channel; the end of the range (exclusive) */
    seL4_Word vaddr;           /* memory, MMIO, channel: where its frames are mapped */
    seL4_Word slot;            /* the component's slot holding its copy of a cap (a channel's: its signal) */
    seL4_Word inbox;           /* channel: the component's slot of the writer's inbox cap, or 0 */
    seL4_CPtr original;        /* broker slot: the cap the copy derives from (IO ports, IRQ handler) */
    seL4_CPtr signal;          /* IRQ: the badged notification cap the handler signals */
    seL4_Word bit;             /* IRQ: the badge bit */
    seL4_Word paddr;           /* MMIO: the first physical page */
    kaal_obj_t *frames;        /* memory, MMIO, channel: its nframes frames (from the broker's heap) */
    unsigned nframes;
} grant_t;

typedef enum {
    COMPONENT_NONE = 0, /* never built, or reclaimed */
    COMPONENT_BUILT,    /* built, not started */
    COMPONENT_RUNNING,
    COMPONENT_EXITED,  /* it returned from main, and was reclaimed */
    COMPONENT_STOPPED, /* it faulted under the stop policy, and was reclaimed */
} component_state_t;

struct channel;

typedef struct component {
    const manifest_component_t *desc;
    uint32_t id, generation;
    component_state_t state;
    kaal_obj_t cnode, pml4, tcb, ntfn;
    kaal_obj_t inbox; /* its endpoint for channel messages (KAAL_CAP_INBOX), if it has one */
    kaal_obj_t *frames; /* its image, stack, IPC buffer and information page: frames[0] is the information page, frames[1] the IPC buffer */
    unsigned nframes, frames_room;
    seL4_Word entry;
    untyped_quota_t quota; /* its memory (objects and paging structures) against desc->memory */
    seL4_Word bits;        /* badge bits of its notification in use (channels, IRQs) */
    uint16_t bit_users[KAAL_BIT_OWN_FIRST]; /* how many channel ends and IRQs each bit serves */
    seL4_Word next_vaddr;  /* where its next channel goes */
    seL4_Word invocations; /* kernel invocations spent building it (allocators' included) */
    kaal_info_t info;      /* what the information page will say (info.channels: chan_table, here) */
    struct channel **channels; /* info.nchannels of them, by index in info.channels */
    kaal_channel_grant_t *chan_table; /* what its table of channels will say (its frames are among frames[]) */
    unsigned chan_room;    /* entries those two tables hold */
    unsigned tables_frame; /* once started: frames[] index of the first page of its table of channels */
    seL4_CPtr ep;          /* the broker's endpoint its RPC and fault caps are badged copies of */
    kaal_obj_t *untypeds;         /* info.nuntyped of them: the untyped memory it was given */
    struct region **regions;      /* nregions of them, by index in info.regions */
    kaal_region_t *region_table;  /* what its table of regions will say */
    unsigned nregions, regions_room;
    seL4_Word next_region;        /* where the broker puts its next region without an `at` */
    grant_t *grants;   /* grants_room entries; what == 0: free */
    unsigned grants_room;
    vspace_t vs;
} component_t;

/* Why a build failed: the step, for the log. */
typedef struct spawn_problem {
    const char *step;
    elf_problem_t elf;
} spawn_problem_t;

/*
 * Makes what building components needs of the broker's own, once: the paging
 * structures of its window (BROKER_WINDOW), kept from then on. spawn_build
 * calls it; call it first where the broker's memory is counted before and after.
 */
kaal_err_t spawn_prepare(broker_t *b);

/*
 * Builds component `id` from its description and ELF image; `ep` is the
 * broker's endpoint (the component gets it badged with id, and badged with
 * id | KAAL_BADGE_FAULT as its fault endpoint). On error nothing is left
 * allocated.
 */
kaal_err_t spawn_build(broker_t *b, component_t *c, const manifest_component_t *desc, uint32_t id,
                       const void *image, size_t image_size, seL4_CPtr ep, spawn_problem_t *why);
/* Writes the information page, maps it, and starts the thread at the image's entry. */
kaal_err_t spawn_start(broker_t *b, component_t *c);
/* Entry `index` of a running component's table of channels, as the component has it now (its
 * own memory: what it wrote there is its word, not the broker's). */
kaal_err_t spawn_read_channel(broker_t *b, component_t *c, seL4_Word index, kaal_channel_grant_t *out);
/* Writes the other end's state and generation into entry `index` of a running component's table
 * of channels (what it reads when told KAAL_BIT_PEER). */
kaal_err_t spawn_write_peer(broker_t *b, component_t *c, seL4_Word index, uint32_t state, uint32_t generation);
/* Reclaims everything the component holds (it stops running first). */
void spawn_destroy(broker_t *b, component_t *c);

/* An object charged to the component's memory quota (KAAL_E_QUOTA beyond it, nothing allocated), and its return. */
kaal_err_t spawn_alloc(broker_t *b, component_t *c, seL4_Word type, seL4_Word user_bits, kaal_obj_t *o);
void spawn_free(broker_t *b, component_t *c, kaal_obj_t *o);
/* A badge bit of the component's notification below KAAL_BIT_OWN_FIRST: a free one while there
 * is one, else the one serving fewest (bits are shared then). */
seL4_Word spawn_take_bit(component_t *c);
/* One user fewer of the bit; free when it has none. */
void spawn_give_bit(component_t *c, seL4_Word bit);

/*
 * Grants on request (grant.c), each checked against the component's
 * description; the RPC server (rpc.c) calls them. A cap goes into the
 * component's `slot`, which must be one of its free slots and empty.
 */
kaal_err_t grant_memory(broker_t *b, component_t *c, seL4_Word vaddr, seL4_Word size, seL4_Word *at);
kaal_err_t grant_ioports(broker_t *b, component_t *c, seL4_Word first, seL4_Word last, seL4_Word slot);
kaal_err_t grant_irq(broker_t *b, component_t *c, seL4_Word pin, seL4_Word slot, seL4_Word *bit);
kaal_err_t grant_mmio(broker_t *b, component_t *c, seL4_Word paddr, seL4_Word size, seL4_Word *regs);
/* Opens channel `index` of c->info.channels: maps its ring, a signal to the peer in `slot`, and for
 * the writer of a channel with an endpoint, if `inbox` is not 0, its cap to the reader's inbox there. */
kaal_err_t grant_channel(broker_t *b, component_t *c, seL4_Word index, seL4_Word slot, seL4_Word inbox,
                         seL4_Word *vaddr);
/* The grant `what` (its request's label) keyed by `key` that c holds, or NULL. */
grant_t *grant_find(component_t *c, seL4_Word what, seL4_Word key);
/* Gives back the grant `what` (its request's label) keyed by `key`; KAAL_E_NOT_HELD if there is none. */
kaal_err_t grant_release(broker_t *b, component_t *c, seL4_Word what, seL4_Word key);
void grant_release_all(broker_t *b, component_t *c);
/* Broker slots the component's grants hold. */
seL4_Word grant_broker_slots(const component_t *c);

/* Serves one RPC request from c (rpc.c); the message is in the IPC buffer.
 * Returns the reply (label: a kaal_err_t). KAAL_RPC_EXIT is the caller's. */
seL4_MessageInfo_t rpc_serve(broker_t *b, component_t *c, seL4_MessageInfo_t info);

/* Untyped bytes the component holds, paging structures included. */
seL4_Word spawn_bytes(const component_t *c);
/* Slots it holds in the broker's CNode (its objects' caps, grant frames and originals). */
seL4_Word spawn_broker_slots(const component_t *c);
/* Slots of its own CNode the broker filled: its fixed caps and the caps of its grants. */
seL4_Word spawn_own_slots(const component_t *c);

/*
 * Channels (channel.c): frames the broker owns, which each side maps when it
 * opens the channel (grant_channel), a signal each way, and optionally an
 * endpoint from writer to reader (the reader's inbox).
 */
typedef struct channel_side {
    component_t *comp;
    seL4_Word index; /* the channel's index in comp->info.channels */
    seL4_Word vaddr; /* where the ring appears in comp once open */
    seL4_Word bit;   /* the bit the other side's signals set in comp's notification */
} channel_side_t;

typedef struct channel {
    connection_kind_t kind; /* a channel, or a call (side[0] the client, side[1] the server) */
    int gone_pending;       /* a call: the server went mid-call; the client's next call is told so */
    seL4_Word size;
    kaal_endpoint_t endpoint;
    kaal_obj_t *frames; /* nframes of them, in runs, the table in the broker's heap */
    unsigned nframes;
    channel_side_t side[2]; /* [0] writes, [1] reads */
} channel_t;

/*
 * A memory region: frames the broker owns, mapped into each component the
 * description gives it to (on request), at each one's address and rights.
 * It lives from the system's start until the last of them has ended.
 */
typedef struct region {
    seL4_Word size;
    unsigned page_bits;
    kaal_obj_t *frames; /* nframes of them, in runs */
    unsigned nframes;
    seL4_Word paddr;    /* its first byte, if its frames are physically one range; else 0 */
    unsigned holders;   /* components given it that have not ended */
    int orphan;         /* its last holder has ended: the root task frees it */
} region_t;

/* Allocates a region's frames (zeroed by the kernel), of 2^page_bits bytes each. */
kaal_err_t region_create(broker_t *b, region_t *r, seL4_Word size, unsigned page_bits);
void region_destroy(broker_t *b, region_t *r);
/* Gives a built (not started) component region r as `name`, per its use: an entry in its table
 * of regions, the range reserved at its address (KAAL_E_LAYOUT over anything else), and its size
 * out of the component's quota (KAAL_E_QUOTA). */
kaal_err_t region_attach(broker_t *b, region_t *r, component_t *c, const char *name,
                         const manifest_region_use_t *use);
/* KAAL_RPC_REGION: maps region `index` of c's table (KAAL_E_DENIED: no such region). */
kaal_err_t grant_region(broker_t *b, component_t *c, seL4_Word index, seL4_Word *vaddr);

/* A call from side[0] to side[1] (channel_connect joins them): caps may go with it if `endpoint`
 * is KAAL_ENDPOINT_GRANT (KAAL_ENDPOINT_SEND: words only). Nothing is allocated. */
kaal_err_t call_create(channel_t *ch, kaal_endpoint_t endpoint);
/* Mints a call's client cap into slot `slot` of the client's CNode: to the server's inbox, or,
 * while the server is gone, to the broker's endpoint (badged KAAL_BADGE_GONE), which answers. */
kaal_err_t channel_mint_call(broker_t *b, channel_t *ch, seL4_Word slot);
/* A call's server has just been taken apart: the client's cap now leads to the broker, and a
 * client in the middle of a call is restarted into it (it is told KAAL_E_PEER_GONE). */
void channel_call_server_gone(broker_t *b, channel_t *ch);
/* The broker answered a client's call to a gone server: its cap leads to the server again if
 * the server is back. */
void channel_call_answered(broker_t *b, channel_t *ch);
/* Allocates the ring's frames (zeroed by the kernel); `endpoint` says whether the writer may send the reader messages. */
kaal_err_t channel_create(broker_t *b, channel_t *ch, seL4_Word size, kaal_endpoint_t endpoint);
/* Whether a built component has room for one more channel of `size` bytes in its window of
 * channel addresses ([KAAL_CHANNEL_VADDR, KAAL_CHANNEL_END)). */
int channel_room(const component_t *c, seL4_Word size);
/* Gives both (built, not started) components their end: listed in the
 * information page, with a badge bit and a place for the ring; the reader
 * of a channel with an endpoint gets its inbox. Nothing is mapped until a
 * side opens it. */
kaal_err_t channel_connect(broker_t *b, channel_t *ch, component_t *writer, component_t *reader);
/* After one side was rebuilt (a restart): gives it its end again, and renews
 * the caps the other side holds to it (its signal, and the writer's inbox cap). */
kaal_err_t channel_reconnect(broker_t *b, channel_t *ch, component_t *rebuilt);
/* Mints side k's signal (to the other side) into slot `slot` of its CNode, if the other side is there. */
kaal_err_t channel_mint_signal(broker_t *b, channel_t *ch, unsigned k, seL4_Word slot);
/* Mints the writer's cap to the reader's inbox into slot `slot` of the writer's CNode, if the reader is there. */
kaal_err_t channel_mint_inbox(broker_t *b, channel_t *ch, seL4_Word slot);
/* Tells the side that is not `changed` what became of it: its state and generation in that side's
 * entry, and KAAL_BIT_PEER signalled (if that side is running). */
void channel_peer_changed(broker_t *b, channel_t *ch, const component_t *changed, kaal_peer_state_t state);
/* Wakes the side that is not `gone` with its bit, so it can notice (a reader waiting for data, say). */
void channel_wake_peer(broker_t *b, channel_t *ch, const component_t *gone);
void channel_destroy(broker_t *b, channel_t *ch);
