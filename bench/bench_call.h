/* Shared by the protected-call benchmark (bench/call_bench.c) and its component (components/caller). */
#pragma once

#define BENCH_CALL_CALLS 1000   /* round trips per batch */
#define BENCH_CALL_BATCHES 7    /* batches of each kind; the median is reported */
#define BENCH_CALL_ECHO 1       /* a call's label: answer at once */
#define BENCH_CALL_SWITCH 2     /* the raw server's last call: from here on it serves from the event loop */
#define BENCH_CALL_REPORT 0x1002 /* to the broker: MR0, MR1 median TSC ticks per call, raw and kaal */
