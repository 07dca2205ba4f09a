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

void *rt_memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    while (n--) {
        *p++ = (unsigned char)c;
    }
    return d;
}

void *rt_memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
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
