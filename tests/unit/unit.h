/* Shared by the unit tests: cmocka, and the closing "N passed, N failed" line every runner prints. */
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#define RUN_TESTS(tests, setup, teardown)                                                       \
    do {                                                                                        \
        setvbuf(stdout, NULL, _IOLBF, 0); /* keep stdout in step with cmocka's stderr */     \
        int failed_ = cmocka_run_group_tests(tests, setup, teardown);                           \
        int total_ = (int)(sizeof(tests) / sizeof((tests)[0]));                                 \
        printf("%d passed, %d failed\n", failed_ < 0 ? 0 : total_ - failed_, failed_ < 0 ? total_ : failed_); \
        return failed_ == 0 ? 0 : 1;                                                            \
    } while (0)

#include "../../tools/host_alloc.h"

/* Memory for tables that grow (kaal/allocator.h), from malloc. */
#define unit_mem host_mem
