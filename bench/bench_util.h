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
