/*
 * libsel4's assertions (sel4/assert.h, sel4/debug_assert.h): its bitfield
 * constructors check that every value fits its field, and a failed check
 * calls __assert_fail. Code on seL4 provides that function itself
 * (platform/sel4/libc_min.c); host code gets the C library's, which glibc
 * declares with an unsigned line.
 */
#pragma once

#if __STDC_HOSTED__
void __assert_fail(const char *str, const char *file, unsigned int line, const char *function);
#else
void __assert_fail(const char *str, const char *file, int line, const char *function);
#endif

#define seL4_Fail(s) __assert_fail(s, __FILE__, __LINE__, __func__)
#define seL4_Assert(expr)                                          \
    do {                                                           \
        if (!(expr)) {                                             \
            __assert_fail(#expr, __FILE__, __LINE__, __func__);    \
        }                                                          \
    } while (0)

#ifdef NDEBUG
#define seL4_DebugAssert(expr) ((void)0)
#else
#define seL4_DebugAssert(expr) seL4_Assert(expr)
#endif
