/* The record the timer component sends on its channels. */
#pragma once

#include <stdint.h>

typedef struct kaal_tick {
    uint64_t ticks; /* timer interrupts since the timer started */
    uint64_t hz;    /* interrupts per second */
} kaal_tick_t;
