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

#define SPAWN_MAX_FRAMES 128 /* image, stack, IPC buffer and information page */
#define GRANT_MAX 16         /* grants a component holds at once (src/broker/grant.c) */
#define GRANT_MAX_FRAMES 64  /* frames of its memory and MMIO grants together */

/* What a component got by asking (KAAL_RPC_MEMORY, _IOPORTS, _IRQ, _MMIO),
 * until it releases it or goes. */
typedef struct grant {
    seL4_Word what;            /* the request's label; 0: entry free */
    seL4_Word key, end;        /* vaddr, first port or pin; the end of the range (exclusive) */
    seL4_Word slot;            /* the component's slot holding its copy of a cap */
    seL4_CPtr original;        /* broker slot: the cap the copy derives from (IO ports, IRQ handler) */
    seL4_CPtr signal;          /* IRQ: the badged notification cap the handler signals */
    seL4_Word bit;             /* IRQ: the badge bit */
    seL4_Word paddr;           /* MMIO: the first physical page */
    unsigned first_frame, nframes;
} grant_t;

typedef enum {
    COMPONENT_NONE = 0, /* never built, or reclaimed */
    COMPONENT_BUILT,    /* built, not started */
    COMPONENT_RUNNING,
    COMPONENT_EXITED,  /* it returned from main, and was reclaimed */
    COMPONENT_STOPPED, /* it faulted under the stop policy, and was reclaimed */
} component_state_t;

typedef struct component {
    const manifest_component_t *desc;
    uint32_t id, generation;
    component_state_t state;
    kaal_obj_t cnode, pml4, tcb, ntfn;
    kaal_obj_t frames[SPAWN_MAX_FRAMES]; /* frames[0] is the information page, frames[1] the IPC buffer */
    unsigned nframes;
    seL4_Word entry;
    seL4_Word bytes;       /* untyped bytes of its objects, paging structures not included */
    seL4_Word next_slot;   /* the next free slot of its CNode */
    seL4_Word bits;        /* badge bits of its notification in use (channels, IRQs) */
    seL4_Word next_vaddr;  /* where its next channel goes */
    seL4_Word invocations; /* kernel invocations spent building it (allocators' included) */
    kaal_info_t info;      /* what the information page will say */
    grant_t grants[GRANT_MAX];
    kaal_obj_t grant_frames[GRANT_MAX_FRAMES];
    vspace_t vs;
} component_t;

/* Why a build failed: the step, for the log. */
typedef struct spawn_problem {
    const char *step;
    elf_problem_t elf;
} spawn_problem_t;

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
/* Reclaims everything the component holds (it stops running first). */
void spawn_destroy(broker_t *b, component_t *c);

/* Moves a cap from a broker slot into the component's next free CNode slot
 * (*slot says which) and frees the broker slot; on failure the cap is deleted. */
kaal_err_t spawn_hand_over(broker_t *b, component_t *c, seL4_CPtr src, seL4_Word *slot);

/* An object charged to the component's memory quota (KAAL_E_QUOTA beyond it), and its return. */
kaal_err_t spawn_alloc(broker_t *b, component_t *c, seL4_Word type, seL4_Word user_bits, kaal_obj_t *o);
void spawn_free(broker_t *b, component_t *c, kaal_obj_t *o);
/* A free badge bit of the component's notification, taken; seL4_WordBits if none is left. */
seL4_Word spawn_take_bit(component_t *c);

/*
 * Grants on request (grant.c), each checked against the component's
 * description; the RPC server (rpc.c) calls them. A cap goes into the
 * component's `slot`, which must be one of its free slots and empty.
 */
kaal_err_t grant_memory(broker_t *b, component_t *c, seL4_Word vaddr, seL4_Word size, seL4_Word *at);
kaal_err_t grant_ioports(broker_t *b, component_t *c, seL4_Word first, seL4_Word last, seL4_Word slot);
kaal_err_t grant_irq(broker_t *b, component_t *c, seL4_Word pin, seL4_Word slot, seL4_Word *bit);
kaal_err_t grant_mmio(broker_t *b, component_t *c, seL4_Word paddr, seL4_Word size, seL4_Word *regs);
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
/* Slots it holds: in the broker's CNode (its objects' caps) and in its own CNode. */
seL4_Word spawn_broker_slots(const component_t *c);

/*
 * Frames mapped into two components, and a signal each way (channel.c).
 */
typedef struct channel_side {
    component_t *comp;
    seL4_Word vaddr;  /* where the ring is mapped in comp */
    seL4_Word signal; /* slot in comp's CNode: the cap that signals the other side */
    seL4_Word bit;    /* the bit the other side's signals set in comp's notification */
} channel_side_t;

#define CHANNEL_MAX_FRAMES 16

typedef struct channel {
    seL4_Word size;
    kaal_obj_t frames[CHANNEL_MAX_FRAMES];
    unsigned nframes;
    channel_side_t side[2]; /* [0] writes, [1] reads */
} channel_t;

/* Allocates the ring's frames (zeroed by the kernel). */
kaal_err_t channel_create(broker_t *b, channel_t *ch, seL4_Word size);
/* Maps the ring into both components and gives each a signal to the other. */
kaal_err_t channel_connect(broker_t *b, channel_t *ch, component_t *writer, component_t *reader);
/* After one side was rebuilt (a restart): maps it again and renews both signals. */
kaal_err_t channel_reconnect(broker_t *b, channel_t *ch, component_t *rebuilt);
void channel_destroy(broker_t *b, channel_t *ch);
