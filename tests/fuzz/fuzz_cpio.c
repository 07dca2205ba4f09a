/*
 * The CPIO reader. Whatever the bytes, every entry it returns lies inside
 * the archive (name with its NUL, data), offsets only move forward and stay
 * 4-aligned, and cpio_find finds the first entry of each name the walk saw,
 * or reports the same malformation the walk ran into.
 */
#include <string.h>
#include <kaal/cpio.h>
#include "fuzz.h"

#define MAX_NAMES 64
#define ABSENT "\x01no such name"

static int inside(const uint8_t *a, size_t size, const void *p, size_t n)
{
    const uint8_t *q = p;
    return q >= a && (size_t)(q - a) <= size && n <= size - (size_t)(q - a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t offset = 0;
    cpio_entry_t e, seen[MAX_NAMES];
    unsigned n = 0;
    int r, absent_seen = 0;
    while ((r = cpio_next(data, size, &offset, &e)) == CPIO_ENTRY || r == CPIO_END) {
        size_t name_len = strnlen(e.name, size);
        FUZZ_CHECK(inside(data, size, e.name, name_len + 1));
        FUZZ_CHECK(inside(data, size, e.data, e.size));
        FUZZ_CHECK(offset % 4 == 0 && (const uint8_t *)e.data + e.size <= data + offset);
        if (r == CPIO_END) {
            break;
        }
        absent_seen |= strcmp(e.name, ABSENT) == 0;
        int first = 1;
        for (unsigned i = 0; i < n; i++) {
            first &= strcmp(seen[i].name, e.name) != 0;
        }
        if (first && n < MAX_NAMES) {
            seen[n++] = e;
        }
    }
    FUZZ_CHECK(r <= CPIO_ENTRY && r >= CPIO_E_NAME);
    FUZZ_CHECK(strcmp(cpio_strerror(r), "unknown result") != 0);
    for (unsigned i = 0; i < n; i++) {
        cpio_entry_t found;
        FUZZ_CHECK(cpio_find(data, size, seen[i].name, &found) == 1);
        FUZZ_CHECK(found.data == seen[i].data && found.size == seen[i].size);
    }
    /* A name the walk never saw: not found at the end, or the walk's own error. */
    cpio_entry_t none;
    int f = cpio_find(data, size, ABSENT, &none);
    FUZZ_CHECK(absent_seen || f == (r == CPIO_END ? 0 : r));
    return 0;
}
