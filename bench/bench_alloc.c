/*
 * Broker allocation benchmarks on the sim, printed as JSON lines:
 *   slot_alloc_free     single-slot alloc+free pairs per second
 *   frame_alloc_free    4 KiB frame alloc+free pairs per second (retype + revoke)
 *   mixed_alloc_free    mixed object sizes, random order of allocs and frees
 *   untyped_waste       components created and destroyed at random in a 2 MiB
 *                       pool: memory free but unusable each time it runs full
 * Each rate is the median of 5 runs.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <kaal/broker.h>
#include <kaal/heap.h>
#include <sel4/sim.h>

#define RUNS 5

static broker_t br;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v)
{
    qsort(v, RUNS, sizeof(double), cmp_double);
    return v[RUNS / 2];
}

static void report(const char *name, double *rates, long ops)
{
    double m = median(rates);
    printf("{\"bench\":\"%s\",\"platform\":\"sim\",\"ops\":%ld,\"median_ops_per_s\":%.0f,\"ns_per_op\":%.1f}\n",
           name, ops, m, 1e9 / m);
}

static void check(kaal_err_t err, const char *what)
{
    if (err != KAAL_OK) {
        fprintf(stderr, "bench: %s failed: %s\n", what, kaal_err_str(err));
        exit(1);
    }
}

static void bench_slots(void)
{
    const long n = 20000000;
    double rates[RUNS];
    for (int r = 0; r < RUNS; r++) {
        double t0 = now();
        for (long i = 0; i < n; i++) {
            seL4_CPtr s;
            check(cspace_slot_alloc(&br.slots, &s), "slot alloc");
            check(cspace_slot_free(&br.slots, s), "slot free");
        }
        rates[r] = (double)n / (now() - t0);
    }
    report("slot_alloc_free", rates, n);
}

static void bench_frames(void)
{
    const long n = 1000000;
    double rates[RUNS];
    for (int r = 0; r < RUNS; r++) {
        double t0 = now();
        for (long i = 0; i < n; i++) {
            kaal_obj_t f;
            check(untyped_alloc(&br.mem, seL4_X86_4K, 0, &f), "frame alloc");
            check(untyped_free(&br.mem, &f), "frame free");
        }
        rates[r] = (double)n / (now() - t0);
    }
    report("frame_alloc_free", rates, n);
}

typedef struct {
    seL4_Word type, user_bits;
} kind_t;

static const kind_t mixed[] = {
    {seL4_EndpointObject, 0}, {seL4_NotificationObject, 0}, {seL4_TCBObject, 0},
    {seL4_X86_4K, 0},         {seL4_X86_4K, 0},             {seL4_X86_PageTableObject, 0},
    {seL4_CapTableObject, 6}, {seL4_CapTableObject, 10},    {seL4_UntypedObject, 16},
};

static void bench_mixed(void)
{
    const long n = 1000000;
    enum { LIVE = 256 };
    static kaal_obj_t live[LIVE];
    double rates[RUNS];
    for (int r = 0; r < RUNS; r++) {
        int nlive = 0;
        uint32_t seed = 12345;
        double t0 = now();
        for (long i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            if (nlive < LIVE && (nlive == 0 || (seed >> 16) % 2 == 0)) {
                const kind_t *k = &mixed[(seed >> 8) % (sizeof(mixed) / sizeof(mixed[0]))];
                check(untyped_alloc(&br.mem, k->type, k->user_bits, &live[nlive++]), "mixed alloc");
            } else {
                int victim = (int)((seed >> 4) % (uint32_t)nlive);
                check(untyped_free(&br.mem, &live[victim]), "mixed free");
                live[victim] = live[--nlive];
            }
        }
        while (nlive > 0) {
            check(untyped_free(&br.mem, &live[--nlive]), "mixed free");
        }
        rates[r] = (double)n / (now() - t0);
    }
    report("mixed_alloc_free", rates, n);
}

/* Components of realistic shape are created and destroyed at random in a
 * 2 MiB pool, so that it runs full again and again. Each time a component
 * cannot be created, the memory still free is what fragmentation (or, for
 * allocators that align objects inside larger blocks, alignment) wastes:
 * reported as a share of the pool, median and worst over all such moments.
 * A buddy allocator loses nothing to alignment: objects are powers of two. */
enum { PARTS = 8, MAX_FRAMES = 24, MAX_COMPONENTS = 64 };
typedef struct {
    kaal_obj_t obj[PARTS + MAX_FRAMES];
    int n;
} comp_t;

static void destroy(untyped_alloc_t *ua, comp_t *c)
{
    while (c->n > 0) {
        check(untyped_free(ua, &c->obj[--c->n]), "free");
    }
}

static kaal_err_t create(untyped_alloc_t *ua, comp_t *c, int frames)
{
    static const kind_t parts[PARTS] = {
        {seL4_TCBObject, 0},          {seL4_CapTableObject, 8},          {seL4_EndpointObject, 0},
        {seL4_NotificationObject, 0}, {seL4_X64_PML4Object, 0},          {seL4_X86_PDPTObject, 0},
        {seL4_X86_PageDirectoryObject, 0}, {seL4_X86_PageTableObject, 0},
    };
    c->n = 0;
    for (int i = 0; i < PARTS + frames; i++) {
        const kind_t k = i < PARTS ? parts[i] : (kind_t){seL4_X86_4K, 0};
        kaal_err_t err = untyped_alloc(ua, k.type, k.user_bits, &c->obj[c->n]);
        if (err != KAAL_OK) {
            return err;
        }
        c->n++;
    }
    return KAAL_OK;
}

static void bench_waste(void)
{
    static comp_t comps[MAX_COMPONENTS];
    static untyped_alloc_t ua;
    static double waste[20000];
    kaal_obj_t pool;
    check(untyped_alloc(&br.mem, seL4_UntypedObject, 21, &pool), "pool");
    untyped_init(&ua, &br.slots);
    untyped_set_allocator(&ua, heap_allocator(&br.heap)); /* its bookkeeping grows as the broker's does */
    check(untyped_add(&ua, pool.cap, pool.paddr, 21), "pool add");

    int ncomp = 0, nfull = 0;
    uint32_t seed = 777;
    for (int step = 0; step < 20000; step++) {
        seed = seed * 1103515245u + 12345u;
        bool drop = ncomp == MAX_COMPONENTS || (ncomp > 0 && (seed >> 16) % 3 == 0);
        if (!drop) {
            kaal_err_t err = create(&ua, &comps[ncomp], 4 + (int)((seed >> 8) % (MAX_FRAMES - 4)));
            if (err == KAAL_OK) {
                ncomp++;
                continue;
            }
            if (err != KAAL_E_NO_MEMORY) {
                check(err, "component");
            }
            waste[nfull++] = (double)ua.free_bytes / (double)ua.total_bytes;
            destroy(&ua, &comps[ncomp]);
        }
        if (ncomp > 0) {
            comp_t *c = &comps[(seed >> 4) % (uint32_t)ncomp];
            destroy(&ua, c);
            *c = comps[--ncomp];
        }
    }
    qsort(waste, (size_t)nfull, sizeof(double), cmp_double);
    printf("{\"bench\":\"untyped_waste\",\"platform\":\"sim\",\"pool_bytes\":%lu,\"times_full\":%d,"
           "\"median_waste_percent\":%.2f,\"max_waste_percent\":%.2f}\n",
           (unsigned long)ua.total_bytes, nfull, nfull ? waste[nfull / 2] * 100.0 : 0.0,
           nfull ? waste[nfull - 1] * 100.0 : 0.0);
    for (int i = 0; i < ncomp; i++) {
        destroy(&ua, &comps[i]);
    }
    untyped_coalesce(&ua);
    check(untyped_free(&br.mem, &pool), "pool free");
}

int main(void)
{
    seL4_BootInfo *bi = sel4sim_boot();
    check(broker_init(&br, bi, NULL), "broker init");
    bench_slots();
    bench_frames();
    bench_mixed();
    bench_waste();
    return 0;
}
