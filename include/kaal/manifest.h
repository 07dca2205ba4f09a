/*
 * System descriptions (systems/<name>.system): the components of a system,
 * what each may use, and the channels between them. The format and every
 * error message are in docs/system-format.md.
 *
 * Parsing is all or nothing: on any error the caller gets KAAL_E_MANIFEST, a
 * message "file:line:col: what is wrong", and a zeroed manifest (no
 * components), so nothing can be started from a half-read description. A
 * system has as many components, channels and grants as memory allows: its
 * tables come from the allocator the caller gives (the root task's: the
 * broker's heap), and manifest_free gives them back.
 */
#pragma once

#include <stddef.h>
#include <sel4/sel4.h>
#include <kaal/allocator.h>
#include <kaal/component.h>
#include <kaal/err.h>

#define MANIFEST_NAME_MAX 32 /* names and image names: up to 31 characters and a NUL */
#define MANIFEST_IOPORT_LAST 0xffff
#define MANIFEST_MAX_RESTARTS 32 /* the most restarts a budget may allow in its window */

/* Defaults for keys a component leaves out. */
#define MANIFEST_DEFAULT_STACK 0x4000   /* 16K */
#define MANIFEST_DEFAULT_MEMORY 0x40000 /* 256K */
#define MANIFEST_DEFAULT_CHANNEL 0x1000 /* 4K */
#define MANIFEST_DEFAULT_RESTARTS 5       /* restarts allowed ... */
#define MANIFEST_DEFAULT_RESTART_MS 10000 /* ... within this window (10s) */
#define MANIFEST_DEFAULT_SLOTS 64         /* free slots of its CNode for a component's own use */
#define MANIFEST_MAX_SLOTS (1u << 20)     /* 32 MiB of CNode */

typedef enum { FAULT_STOP, FAULT_RESTART } fault_policy_t;
/* How long a component runs (`lifetime`): a service for as long as the system
 * runs, a task until it is done. A system with tasks ends when they have all
 * ended; one without ends when no component is left. */
typedef enum { LIFETIME_SERVICE, LIFETIME_TASK } lifetime_t;
/* A channel's endpoint (`endpoint send|grant`): the protocol's kaal_endpoint_t, by the manifest's names. */
typedef enum {
    ENDPOINT_NONE = KAAL_ENDPOINT_NONE,
    ENDPOINT_SEND = KAAL_ENDPOINT_SEND,   /* words from writer to reader */
    ENDPOINT_GRANT = KAAL_ENDPOINT_GRANT, /* words and capabilities */
} endpoint_kind_t;

/* Where something was written: 1-based line and column (a tab is one column). */
typedef struct manifest_pos {
    unsigned line, col;
} manifest_pos_t;

typedef struct manifest_range {
    seL4_Word first, last; /* inclusive */
    manifest_pos_t at;     /* the value in the file */
} manifest_range_t;

/* A memory region (`region NAME { size SIZE page 4K|2M }`): frames shared by the components
 * that name it, from the first of them until the last has ended. */
typedef struct manifest_region {
    char name[MANIFEST_NAME_MAX];
    seL4_Word size;     /* bytes, whole pages of its page size */
    unsigned page_bits; /* 12 (4K) or 21 (2M) */
    unsigned line, col; /* the 'region' keyword */
} manifest_region_t;

/* A component's use of a region (its key `map REGION [r|rw] [cached|uncached] [at ADDR]`). */
typedef struct manifest_region_use {
    unsigned region;       /* index in manifest_t.regions */
    int writable, cached;  /* rw (the default) or r; cached (the default) or uncached */
    seL4_Word vaddr;       /* where it maps; 0: where the broker chooses */
    manifest_pos_t at;     /* the region's name in the file */
} manifest_region_use_t;

typedef struct manifest_component {
    char name[MANIFEST_NAME_MAX];
    char image[MANIFEST_NAME_MAX];
    manifest_pos_t image_at, memory_at; /* their values in the file (0:0 if not given) */
    unsigned priority;       /* 0..seL4_MaxPrio */
    seL4_Word stack, memory; /* bytes, whole 4K pages */
    seL4_Word slots;         /* free slots it wants beyond those its grants take (1..MANIFEST_MAX_SLOTS) */
    seL4_Word untyped;       /* bytes of raw untyped memory it is given to retype (0: none), out of its quota */
    fault_policy_t fault;
    unsigned restarts;          /* under `fault restart`: at most this many restarts ... */
    seL4_Word restart_window_ms; /* ... within any window of this many milliseconds; then it is stopped */
    manifest_pos_t restarts_at;  /* the `restarts` key, if given */
    lifetime_t lifetime;
    manifest_range_t *ioports;  /* nioports of them */
    seL4_Word *irqs;            /* nirqs interrupts: IOAPIC pins on x86_64 (include/kaal/arch.h) */
    manifest_pos_t *irq_at;     /* where each was written */
    manifest_range_t *mmio;     /* nmmio of them: physical, page aligned, inclusive */
    unsigned nioports, nirqs, nmmio;
    unsigned nchannel_ends;     /* channels that have it at one end */
    manifest_region_use_t *regions; /* nregions of them */
    unsigned nregions, regions_room;
    unsigned ioports_room, irqs_room, mmio_room; /* how many each table holds */
    unsigned line, col; /* the 'component' keyword */
} manifest_component_t;

/* A connection: a channel (a ring from `from` to `to`) or a call (`from` calls `to`). */
typedef enum { CONNECTION_CHANNEL, CONNECTION_CALL } connection_kind_t;

typedef struct manifest_channel {
    connection_kind_t kind;
    unsigned from, to;  /* component indices, never equal: writer and reader, or client and server */
    seL4_Word size;     /* bytes, whole 4K pages (0 for a call) */
    endpoint_kind_t endpoint; /* a call's: SEND, or GRANT if caps may go with it (`grant yes`) */
    unsigned line, col; /* the 'channel' or 'call' keyword */
} manifest_channel_t;

typedef struct manifest {
    char name[MANIFEST_NAME_MAX]; /* empty if the file has no 'system' line */
    manifest_component_t *components;
    manifest_channel_t *channels;
    manifest_region_t *regions;
    unsigned ncomponents, nchannels, nregions;
    unsigned components_room, channels_room, regions_room; /* how many each table holds */
    kaal_allocator_t mem;                    /* where the tables are */
} manifest_t;

typedef struct manifest_error {
    unsigned line, col; /* 1-based */
    char message[256];  /* "file:line:col: what is wrong", cut to fit */
} manifest_error_t;

/*
 * Where errors go when every one is wanted (kaal-check): each is passed to
 * `report` (if set) in the order found, the first is also kept in *first (if
 * set), and `count` counts them. Parsing goes on past an error to the next
 * key or declaration, so one run finds them all.
 */
typedef void (*manifest_report_fn)(void *ctx, const manifest_error_t *e);
typedef struct manifest_diag {
    manifest_error_t *first;
    manifest_report_fn report;
    void *ctx;
    unsigned count;
} manifest_diag_t;

/*
 * Parses len bytes of text (need not be NUL-terminated) into *out, its tables
 * from mem. file names the text in messages. Returns KAAL_OK, KAAL_E_MANIFEST
 * with *err filled in (err may be NULL), or KAAL_E_INVAL if out is NULL.
 */
kaal_err_t manifest_parse(const char *text, size_t len, const char *file, kaal_allocator_t mem, manifest_t *out,
                          manifest_error_t *err);
/* The same, with every error through d (d->count of them; KAAL_E_MANIFEST if any). After
 * errors, *out holds what parsed (the components and channels whose declarations could be
 * read), for a checker to look further: never a system to start. manifest_free it all the same. */
kaal_err_t manifest_parse_diag(const char *text, size_t len, const char *file, kaal_allocator_t mem, manifest_t *out,
                               manifest_diag_t *d);
/* What is allowed but likely wrong, through d as "file:line:col: warning: ..." (not errors: the
 * system may start): a call whose client has a higher priority than its server. The count. */
unsigned manifest_warn(const manifest_t *m, const char *file, manifest_diag_t *d);
/* How many of its connections (m->channels) are of that kind. */
unsigned manifest_count(const manifest_t *m, connection_kind_t kind);
/* Gives back a parsed manifest's tables and zeroes it (a zeroed one is fine too). */
void manifest_free(manifest_t *m);

/*
 * Checks every MMIO grant against the device untypeds of this boot
 * (bootinfo_device_covers, the check device_mmio_map makes). An uncovered
 * range is reported at its line:col in file, as KAAL_E_MANIFEST.
 */
kaal_err_t manifest_check_devices(const manifest_t *m, const seL4_BootInfo *bi, const char *file,
                                  manifest_error_t *err);
/* The same, with every uncovered range through d. */
kaal_err_t manifest_check_devices_diag(const manifest_t *m, const seL4_BootInfo *bi, const char *file,
                                       manifest_diag_t *d);
