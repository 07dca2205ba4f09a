/*
 * The freestanding runtime shared by the root task and components: formatted
 * output over a character sink, and the few string helpers C code needs
 * without libc.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

typedef void (*rt_putc_fn)(char c);

/* Where rt_printf writes; the root task points it at its console. */
void rt_set_putc(rt_putc_fn putc);

/* printf subset: %d %i %u %x %X %p %s %c %% with l/z/ll sizes, width, '0' and '-' flags. */
int rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rt_vprintf(const char *fmt, va_list ap);
/* Formats into buf (always NUL-terminated when size > 0); returns the full length. */
int rt_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

size_t rt_strlen(const char *s);
int rt_strcmp(const char *a, const char *b);
/* Copies s into d of `size` bytes, cut to fit and always NUL-terminated when size > 0; returns strlen(s). */
size_t rt_strlcpy(char *d, const char *s, size_t size);
void *rt_memset(void *d, int c, size_t n);
void *rt_memcpy(void *d, const void *s, size_t n);

/* The end of [start, start + size) in *end, if it does not run past the top of
 * the address space (2^64 on a 64-bit machine); 0 if it does. Every range the
 * broker is given is checked with this before its end is used. */
static inline int rt_range_end(unsigned long start, unsigned long size, unsigned long *end)
{
    return !__builtin_add_overflow(start, size, end);
}

/* Likewise, with the end rounded up to a multiple of `align` (a power of two). */
static inline int rt_range_end_aligned(unsigned long start, unsigned long size, unsigned long align,
                                       unsigned long *end)
{
    return rt_range_end(start, size, end) && rt_range_end(*end, align - 1, end) && ((*end &= ~(align - 1)), 1);
}
