/* The channel benchmark, shared by its sim and seL4 runners (freestanding). */
#pragma once

#include <stddef.h>
#include <kaal/broker.h>

/* Spawns two streamers joined by a channel and prints a JSON line per record
 * size; tsc_per_us, if not 0, turns TSC ticks into records and MB per second. */
int channel_bench_run(broker_t *b, const void *image, size_t size, seL4_Word tsc_per_us, const char *platform);
