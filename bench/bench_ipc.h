/* Shared by the IPC round-trip benchmark (bench/ipc_bench.c) and its component (components/pinger). */
#pragma once

#define BENCH_IPC_CALLS 1000  /* round trips per batch */
#define BENCH_IPC_BATCHES 7   /* batches of each kind; the median is reported */
#define BENCH_IPC_RAW 0x1000  /* a label the bench's server answers at once, outside the RPC protocol */
#define BENCH_IPC_REPORT 0x1001 /* MR0, MR1: median TSC ticks per round trip, raw and through kaal_ping */
