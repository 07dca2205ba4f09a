/* String and memory helpers for code that has no libc. */
#include <kaal/rt.h>

size_t rt_strlen(const char *s)
{
    size_t n = 0;
    while (s[n]) {
        n++;
    }
    return n;
}

int rt_strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

/* Word at a time where both ends allow it (the broker clears and copies whole
 * pages and large structures), byte by byte for the rest. may_alias: the
 * words may be of any type. */
typedef unsigned long __attribute__((may_alias)) rt_word_t;
#define WORD sizeof(rt_word_t)

static int word_aligned(const void *p)
{
    return ((unsigned long)p & (WORD - 1)) == 0;
}

void *rt_memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    while (n && !word_aligned(p)) {
        *p++ = (unsigned char)c;
        n--;
    }
    rt_word_t w = (unsigned char)c * (~0ul / 0xff), *wp = (rt_word_t *)p;
    for (; n >= WORD; n -= WORD) {
        *wp++ = w;
    }
    for (p = (unsigned char *)wp; n--;) {
        *p++ = (unsigned char)c;
    }
    return d;
}

void *rt_memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    if (((unsigned long)p & (WORD - 1)) == ((unsigned long)q & (WORD - 1))) {
        while (n && !word_aligned(p)) {
            *p++ = *q++;
            n--;
        }
        rt_word_t *wp = (rt_word_t *)p;
        const rt_word_t *wq = (const rt_word_t *)q;
        for (; n >= WORD; n -= WORD) {
            *wp++ = *wq++;
        }
        p = (unsigned char *)wp;
        q = (const unsigned char *)wq;
    }
    while (n--) {
        *p++ = *q++;
    }
    return d;
}

size_t rt_strlcpy(char *d, const char *s, size_t size)
{
    size_t n = rt_strlen(s);
    if (size) {
        size_t k = n < size - 1 ? n : size - 1;
        rt_memcpy(d, s, k);
        d[k] = 0;
    }
    return n;
}
