/* The protected-call benchmark, shared by its sim and seL4 runners (freestanding). */
#pragma once

#include <stddef.h>
#include <kaal/broker.h>

/* Spawns two of the caller image joined by a call, serves their RPC, prints a JSON line. */
int call_bench_run(broker_t *b, const void *image, size_t size, const char *platform);
