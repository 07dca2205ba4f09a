/* Shared by the benchmarks (freestanding). */
#pragma once

#include <stdint.h>
#include <kaal/rt.h>

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

/* Ends a JSON line with kaal's cost over raw, in percent to a tenth: ,"kaal_overhead_percent":7.5} */
static inline void bench_print_overhead(uint64_t raw, uint64_t kaal)
{
    long permille = raw ? ((long)kaal - (long)raw) * 1000 / (long)raw : 0;
    long mag = permille < 0 ? -permille : permille;
    rt_printf(",\"kaal_overhead_percent\":%s%ld.%ld}\n", permille < 0 ? "-" : "", mag / 10, mag % 10);
}
