/*
 * Shared by the fuzz harnesses (tests/fuzz/fuzz_*.c). Each defines
 * LLVMFuzzerTestOneInput and checks invariants on what the code under test
 * accepts, not only that it does not crash. The same harness links two ways:
 * with libFuzzer (`make fuzz`), where a broken invariant aborts so libFuzzer
 * keeps the input as a finding, and with replay.c (`make test`), which runs
 * every file of the seed corpus and of past findings and counts each input
 * whose checks all held as passed.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Set by replay.c: broken invariants are counted instead of aborting. */
extern int fuzz_replaying;
extern unsigned fuzz_broken_count;

void fuzz_broken(const char *what, const char *file, int line);

#define FUZZ_CHECK(cond)                                 \
    do {                                                 \
        if (!(cond)) {                                   \
            fuzz_broken(#cond, __FILE__, __LINE__);      \
        }                                                \
    } while (0)

/* Little-endian reads from fuzz input, 0 past its end. */
static inline uint64_t fuzz_le(const uint8_t *p, size_t avail, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < width && i < avail; i++) {
        v |= (uint64_t)p[i] << (8 * i);
    }
    return v;
}
