/* The root task's boot sequence. */
#include <kaal/broker.h>
#include <kaal/rt.h>
#include "root.h"

#define ROOT_TASK_NAME "cap-broker"

/* The broker's state is large (allocator tables): it lives here, not on the stack. */
static broker_t broker;

int root_main(const seL4_BootInfo *bi, const void *archive, size_t archive_size)
{
    bootinfo_problem_t why = {0, 0};
    kaal_err_t err = bootinfo_validate(bi, &why);
    if (err != KAAL_OK) {
        rt_printf("kaal: bad bootinfo: %s (%s, index %lu)\n", kaal_err_str(err), why.field, (unsigned long)why.index);
        return 1;
    }
    bootinfo_print_summary(bi, ROOT_TASK_NAME);
    err = broker_init(&broker, bi, &why);
    if (err == KAAL_OK) {
        err = broker_start(&broker); /* its CSpace may grow past the root CNode from here */
    }
    if (err != KAAL_OK) {
        rt_printf("kaal: broker init failed: %s\n", kaal_err_str(err));
        return 1;
    }
    rt_printf("Capability broker initialized\n");
    rt_printf("  Slots free: %lu, untyped memory free: %lu KiB of %lu KiB\n",
              (unsigned long)cspace_free_count(&broker.slots), (unsigned long)(broker.mem.free_bytes >> 10),
              (unsigned long)(broker.mem.total_bytes >> 10));
    if (root_devices_check(&broker) != 0) {
        return 1;
    }
    const manifest_t *m = root_load_system(&broker, archive, archive_size);
    return m ? root_run_system(&broker, m, archive, archive_size) : 1;
}
