/* CPIO newc reading, for code that has no libc. */
#include <kaal/cpio.h>
#include <kaal/rt.h>

#define HEADER_SIZE 110u
#define FIELD(i) (6u + 8u * (i)) /* the i-th 8-digit field after the magic */
enum { F_MODE = 1, F_FILESIZE = 6, F_NAMESIZE = 11 };

static size_t align4(size_t v)
{
    return (v + 3u) & ~(size_t)3u;
}

static int hex_field(const char *p, uint32_t *out)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < 8; i++) {
        char c = p[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                            : 16u;
        if (d == 16u) {
            return CPIO_E_HEX;
        }
        v = (v << 4) | d;
    }
    *out = v;
    return 0;
}

int cpio_next(const void *archive, size_t size, size_t *offset, cpio_entry_t *out)
{
    const char *a = archive, *h = a + *offset;
    if (*offset > size || size - *offset < HEADER_SIZE) {
        return CPIO_E_TRUNCATED;
    }
    static const char magic[6] = {'0', '7', '0', '7', '0', '1'};
    for (unsigned i = 0; i < 6; i++) {
        if (h[i] != magic[i]) {
            return CPIO_E_MAGIC;
        }
    }
    uint32_t mode, filesize, namesize;
    if (hex_field(h + FIELD(F_MODE), &mode) || hex_field(h + FIELD(F_FILESIZE), &filesize) ||
        hex_field(h + FIELD(F_NAMESIZE), &namesize)) {
        return CPIO_E_HEX;
    }
    size_t name_at = *offset + HEADER_SIZE;
    if (namesize == 0 || namesize > size - name_at) {
        return CPIO_E_BOUNDS;
    }
    if (a[name_at + namesize - 1] != '\0') {
        return CPIO_E_NAME;
    }
    size_t data_at = align4(name_at + namesize);
    if (data_at > size || filesize > size - data_at) {
        return CPIO_E_BOUNDS;
    }
    out->name = a + name_at;
    out->data = a + data_at;
    out->size = filesize;
    out->mode = mode;
    *offset = align4(data_at + filesize);
    return rt_strcmp(out->name, "TRAILER!!!") == 0 ? CPIO_END : CPIO_ENTRY;
}

const char *cpio_strerror(int code)
{
    static const char *const reasons[] = {
        [-CPIO_E_TRUNCATED] = "the archive is cut short (a header runs past its end)",
        [-CPIO_E_MAGIC] = "a header is not a newc header (bad magic)",
        [-CPIO_E_HEX] = "a header field is not hexadecimal",
        [-CPIO_E_BOUNDS] = "a name or a file runs past the archive's end",
        [-CPIO_E_NAME] = "a name has no terminating NUL",
    };
    if (code == CPIO_END) {
        return "not found";
    }
    if (code == CPIO_ENTRY) {
        return "found";
    }
    return code < 0 && -code < (int)(sizeof(reasons) / sizeof(reasons[0])) ? reasons[-code] : "unknown result";
}

int cpio_find(const void *archive, size_t size, const char *name, cpio_entry_t *out)
{
    size_t offset = 0;
    for (;;) {
        int r = cpio_next(archive, size, &offset, out);
        if (r != CPIO_ENTRY) {
            return r; /* the end (not found) or a malformed archive */
        }
        if (rt_strcmp(out->name, name) == 0) {
            return 1;
        }
    }
}
