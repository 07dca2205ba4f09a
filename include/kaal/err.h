/* Broker errors: every broker call returns one, and each names what went wrong. */
#pragma once

typedef enum kaal_err {
    KAAL_OK = 0,
    KAAL_E_INVAL,          /* an argument is out of range or malformed */
    KAAL_E_NO_SLOTS,       /* the slot allocator has no free slot (or run) left */
    KAAL_E_NO_MEMORY,      /* no free untyped block is large enough */
    KAAL_E_NOT_ALLOCATED,  /* freeing a slot or object that is not allocated */
    KAAL_E_NO_METADATA,    /* the allocator's bookkeeping table is full */
    KAAL_E_KERNEL,         /* the kernel refused an invocation the broker made */
    KAAL_E_MAPPED,         /* the virtual address is already mapped */
    KAAL_E_NOT_MAPPED,     /* nothing is mapped there */
    KAAL_E_NOT_RESERVED,   /* the virtual range is not reserved (or overlaps a reservation) */
    KAAL_E_NO_DEVICE,      /* no device untyped covers the physical range */
    KAAL_E_ELF,            /* a malformed or unsupported ELF image */
    KAAL_E_MANIFEST,       /* a system description with an error (file:line:col says where) */
    KAAL_E_QUOTA,          /* the component's memory quota would be exceeded */
    KAAL_E_LAYOUT,         /* an image overlaps the component's fixed layout, or needs too many pages */
    KAAL_E_BOOTINFO_NODES, /* bootinfo: node id and count are inconsistent */
    KAAL_E_BOOTINFO_REGION,   /* bootinfo: a slot region is inverted or exceeds the CNode */
    KAAL_E_BOOTINFO_OVERLAP,  /* bootinfo: two slot regions overlap */
    KAAL_E_BOOTINFO_UNTYPED,  /* bootinfo: an untyped descriptor is malformed */
    KAAL_E_DENIED,         /* the system description does not grant it to the component */
    KAAL_E_PROTOCOL,       /* a malformed RPC message: unknown label, wrong length, or a capability */
    KAAL_E_SLOT,           /* the named slot is outside the component's free slots, or not empty */
    KAAL_E_BUSY,           /* it is held already (by this component or another) */
    KAAL_E_NOT_HELD,       /* releasing something the component does not hold */
    KAAL_E_PEER_GONE,      /* the other end of a call is not there (exited, stopped, or restarted mid-call) */
    KAAL_E_COUNT
} kaal_err_t;

/* A short, stable description of the error, for logs. */
const char *kaal_err_str(kaal_err_t err);
