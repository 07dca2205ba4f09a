/* Shared by the channel benchmark (bench/channel_bench.c) and its component (components/streamer). */
#pragma once

#define BENCH_CHANNEL_RECORDS 2000     /* records in a batch */
#define BENCH_CHANNEL_BATCHES 7        /* batches of each size and way (raw, kaal); the median is reported */
#define BENCH_CHANNEL_SMALL_RECORD 64
#define BENCH_CHANNEL_MAX_RECORD 4096
#define BENCH_CHANNEL_RING (64 * 1024) /* the channel's size */
#define BENCH_CHANNEL_REPORT 0x1002    /* MR0 record size, MR1 and MR2 median TSC ticks per record, raw and kaal */
#define BENCH_CHANNEL_BARRIER 0x1003   /* MR0 n: answered once both streamers have asked for barrier n */
