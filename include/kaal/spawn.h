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
    seL4_Word next_bit;    /* the next free badge bit of its notification */
    seL4_Word next_vaddr;  /* where its next channel goes */
    seL4_Word invocations; /* kernel invocations spent building it (allocators' included) */
    kaal_info_t info;      /* what the information page will say */
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
