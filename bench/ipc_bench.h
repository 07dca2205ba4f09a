/* The IPC round-trip benchmark, shared by its sim and seL4 runners (freestanding). */
#pragma once

#include <stddef.h>
#include <kaal/broker.h>

/* Spawns the pinger image, serves its calls, prints a JSON line. */
int ipc_bench_run(broker_t *b, const void *image, size_t size, const char *platform);
