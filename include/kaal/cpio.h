/*
 * CPIO "newc" archives (magic 070701): how component images travel inside
 * the root task's image. Read-only and bounds-checked: a malformed archive
 * gives a negative code, never an access outside it.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct cpio_entry {
    const char *name; /* NUL-terminated, inside the archive */
    const void *data;
    size_t size;
    uint32_t mode;
} cpio_entry_t;

enum {
    CPIO_END = 0,          /* the trailer entry: no more files */
    CPIO_ENTRY = 1,        /* *out is the next file */
    CPIO_E_TRUNCATED = -1, /* a header runs past the archive */
    CPIO_E_MAGIC = -2,     /* not a newc header */
    CPIO_E_HEX = -3,       /* a header field is not hexadecimal */
    CPIO_E_BOUNDS = -4,    /* a name or the data runs past the archive */
    CPIO_E_NAME = -5,      /* a name without its terminating NUL */
};

/* Reads the entry at *offset and advances *offset past it. */
int cpio_next(const void *archive, size_t size, size_t *offset, cpio_entry_t *out);

/* Finds a file by name: 1 if found, 0 if not, or a negative code for a malformed archive. */
int cpio_find(const void *archive, size_t size, const char *name, cpio_entry_t *out);

/* What a result of cpio_find or cpio_next means, for a message. */
const char *cpio_strerror(int code);
