/* The component spawn benchmark, shared by its sim and seL4 runners (freestanding). */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <kaal/broker.h>

/* Spawns (builds and starts) and reclaims the component image again and again,
 * printing JSON lines. now() is the platform's clock; unit names it. */
int spawn_bench_run(broker_t *b, const void *image, size_t size, uint64_t (*now)(void), const char *platform,
                    const char *unit);
