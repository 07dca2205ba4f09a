/*
 * The four functions the C compiler may call on its own (for struct copies
 * and initialisers) even in freestanding code. Only seL4 images link this;
 * on the host, libc provides them.
 */
#include <stddef.h>
#include <kaal/rt.h>
#include <sel4/sel4.h>
#include "abort.h"

void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memcpy(void *d, const void *s, size_t n)
{
    return rt_memcpy(d, s, n);
}

void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    if (p < q) {
        while (n--) {
            *p++ = *q++;
        }
    } else {
        while (n--) {
            p[n] = q[n];
        }
    }
    return d;
}

void *memset(void *d, int c, size_t n)
{
    return rt_memset(d, c, n);
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    for (; n--; p++, q++) {
        if (*p != *q) {
            return *p - *q;
        }
    }
    return 0;
}

/* libsel4's generated bitfield code asserts its field widths: a failed check
 * is reported (once: printing may fail an assertion too), then the image
 * stops the way its kind does (abort.h). */
void __assert_fail(const char *expr, const char *file, int line, const char *func)
{
    static int failing;
    if (!failing) {
        failing = 1;
        rt_printf("%s:%d: %s: assertion '%s' failed\n", file, line, func, expr);
    }
    image_abort();
}
