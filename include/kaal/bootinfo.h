/* Bootinfo: validating what the kernel hands the root task, and summarising it. */
#pragma once

#include <sel4/sel4.h>
#include <kaal/err.h>

typedef struct bootinfo_totals {
    seL4_Word ram_untypeds, ram_bytes;
    seL4_Word device_untypeds;
} bootinfo_totals_t;

/* Where a bootinfo went wrong: the field and, for lists, the index. */
typedef struct bootinfo_problem {
    const char *field;
    seL4_Word index;
} bootinfo_problem_t;

/* Checks the bootinfo's internal consistency: node ids, slot regions inside
 * the root CNode and disjoint from each other and the initial caps, untyped
 * descriptors of valid size and alignment (to their size, or to 2^39 for the
 * largest, as the kernel carves them) that do not overlap. On an error,
 * *why (if given) names the offending field. */
kaal_err_t bootinfo_validate(const seL4_BootInfo *bi, bootinfo_problem_t *why);

bootinfo_totals_t bootinfo_totals(const seL4_BootInfo *bi);

/* Whether the bootinfo's device untypeds cover [first, last] entirely. */
int bootinfo_device_covers(const seL4_BootInfo *bi, seL4_Word first, seL4_Word last);

/* Prints the boot summary (through rt_printf). */
void bootinfo_print_summary(const seL4_BootInfo *bi, const char *root_task_name);
