/* Shared by the benchmarks' sim runners (host code): the clock, and output for rt_printf. */
#pragma once

#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

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

/* Reads a whole file (a component image the build made) into buf; its size, or 0 after saying why. */
static inline size_t bench_read_file(const char *path, char *buf, size_t max)
{
    FILE *f = fopen(path, "rb");
    size_t size = f ? fread(buf, 1, max, f) : 0;
    if (!f || size == 0) {
        perror(path);
    }
    if (f) {
        fclose(f);
    }
    return size;
}

/* The baselines' handoff between two host processes: wait while *w is v; set it and wake the other. */
static inline void bench_futex_wait_while(volatile uint32_t *w, uint32_t v)
{
    while (__atomic_load_n(w, __ATOMIC_ACQUIRE) == v) {
        syscall(SYS_futex, w, FUTEX_WAIT, v, NULL, NULL, 0);
    }
}

static inline void bench_futex_set(volatile uint32_t *w, uint32_t v)
{
    __atomic_store_n(w, v, __ATOMIC_RELEASE);
    syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
}
