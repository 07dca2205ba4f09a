/*
 * System descriptions (systems/<name>.system): the components of a system,
 * what each may use, and the channels between them. The format is in
 * docs/system-format.md. Parsing is all or nothing: on any error the caller
 * gets file:line:col and a message, and must start nothing.
 */
#pragma once

#include <stddef.h>
#include <sel4/sel4.h>
#include <kaal/err.h>

#define MANIFEST_NAME_MAX 32
#define MANIFEST_MAX_COMPONENTS 16
#define MANIFEST_MAX_CHANNELS 32
#define MANIFEST_MAX_GRANTS 4 /* of each kind per component: ioports, irqs, mmio */
#define MANIFEST_IOAPIC_PINS 24

typedef enum { FAULT_STOP, FAULT_RESTART } fault_policy_t;

typedef struct manifest_range {
    seL4_Word first, last; /* inclusive */
} manifest_range_t;

typedef struct manifest_component {
    char name[MANIFEST_NAME_MAX];
    char image[MANIFEST_NAME_MAX];
    unsigned priority;
    seL4_Word stack, memory; /* bytes */
    fault_policy_t fault;
    manifest_range_t ioports[MANIFEST_MAX_GRANTS];
    seL4_Word irqs[MANIFEST_MAX_GRANTS];        /* IOAPIC pins */
    manifest_range_t mmio[MANIFEST_MAX_GRANTS]; /* physical, inclusive */
    unsigned nioports, nirqs, nmmio;
    unsigned line, col; /* where it is declared */
    unsigned seen;      /* keys given once already (a bit per key) */
} manifest_component_t;

typedef struct manifest_channel {
    unsigned from, to; /* component indices */
    seL4_Word size;
    unsigned line, col;
} manifest_channel_t;

typedef struct manifest {
    char name[MANIFEST_NAME_MAX];
    manifest_component_t components[MANIFEST_MAX_COMPONENTS];
    manifest_channel_t channels[MANIFEST_MAX_CHANNELS];
    unsigned ncomponents, nchannels;
} manifest_t;

typedef struct manifest_error {
    unsigned line, col;
    char message[192]; /* "file:line:col: what is wrong" */
} manifest_error_t;

kaal_err_t manifest_parse(const char *text, size_t len, const char *file, manifest_t *out, manifest_error_t *err);

/* Checks the MMIO grants against the device untypeds of a boot (same file:line:col reports). */
kaal_err_t manifest_check_devices(const manifest_t *m, const seL4_BootInfo *bi, const char *file,
                                  manifest_error_t *err);
