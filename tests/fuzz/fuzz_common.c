/* A broken invariant: fatal under libFuzzer, counted when replaying. */
#include <stdio.h>
#include <stdlib.h>
#include "fuzz.h"

int fuzz_replaying;
unsigned fuzz_broken_count;

void fuzz_broken(const char *what, const char *file, int line)
{
    fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    fuzz_broken_count++;
    if (!fuzz_replaying) {
        abort();
    }
}
