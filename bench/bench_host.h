/* Shared by the benchmarks' sim runners (host code): the clock, and output for rt_printf. */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <time.h>

static inline uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline void bench_putc(char c)
{
    putchar(c);
}
