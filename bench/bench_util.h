/* Shared by the benchmarks (freestanding). */
#pragma once

#include <stdint.h>

/* Sorts a few samples in place, for a median. */
static inline void bench_sort(uint64_t *v, int n)
{
    for (int i = 1; i < n; i++) {
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    }
}

/* The TSC: under QEMU with -icount shift=0 it counts instructions, so figures repeat. */
static inline uint64_t bench_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}
