/* The VSpace map/unmap benchmark, shared by its sim and seL4 runners (freestanding). */
#pragma once

#include <stdint.h>
#include <kaal/broker.h>

/* Runs the benchmark with the broker's allocators and prints JSON lines.
 * now() is the platform's clock; unit names it ("ns" or "cycles"). */
int vspace_bench_run(broker_t *b, uint64_t (*now)(void), const char *platform, const char *unit);
