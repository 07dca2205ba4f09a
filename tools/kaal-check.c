/*
 * kaal-check: checks a system description before it boots, with the broker's
 * own parser and checks, and reports every problem as "file:line:col: message",
 * in the order of the file. A host tool: it runs the broker on the sim, which
 * models the target machine (QEMU pc99 with 512 MiB), and builds every
 * component and channel there as the root task would, without starting any:
 *
 *   - the description itself: syntax, values, grants given twice;
 *   - images: each named image among those given, a valid ELF for the target,
 *     within the component layout, and with its stack and objects within the
 *     component's memory quota;
 *   - devices: MMIO that no device memory of the machine covers (IO ports and
 *     interrupts the machine cannot have are refused by the parser);
 *   - channels: an end with no room for another, a size a channel cannot have;
 *   - memory: quotas and channels adding up to more than the machine's RAM.
 *
 * Usage: kaal-check [-q] FILE.system [IMAGE...]   (images by path; matched by file name)
 * Exit status: 0 if all is well, 1 if there are problems, 2 for bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kaal/bootinfo.h>
#include <kaal/broker.h>
#include <kaal/manifest.h>
#include "host_alloc.h"
#include <kaal/spawn.h>
#include <sel4/sim.h>

#define MAX_PROBLEMS 4096

static manifest_error_t problems[MAX_PROBLEMS];
static unsigned nproblems, dropped;
static const char *file;

static void collect(void *ctx, const manifest_error_t *e)
{
    (void)ctx;
    if (nproblems < MAX_PROBLEMS) {
        problems[nproblems++] = *e;
    } else {
        dropped++;
    }
}

static manifest_diag_t diag = {.report = collect};

/* Warnings say what is likely wrong but allowed: on stderr, and not problems (the status stays 0). */
static void warn(void *ctx, const manifest_error_t *e)
{
    (void)ctx;
    fprintf(stderr, "%s\n", e->message);
}

#define PROBLEM(at, ...)                                                                                  \
    do {                                                                                                  \
        manifest_error_t e_ = {.line = (at).line ? (at).line : 1, .col = (at).col ? (at).col : 1};       \
        int n_ = snprintf(e_.message, sizeof(e_.message), "%s:%u:%u: ", file, e_.line, e_.col);          \
        snprintf(e_.message + n_, sizeof(e_.message) - (size_t)n_, __VA_ARGS__);                         \
        collect(NULL, &e_);                                                                               \
    } while (0)

static int before(const manifest_error_t *a, const manifest_error_t *b)
{
    return a->line < b->line || (a->line == b->line && a->col < b->col);
}

static int by_position(const void *a, const void *b)
{
    const manifest_error_t *x = a, *y = b;
    return before(x, y) ? -1 : before(y, x) ? 1 : 0;
}



static void *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
        free(data);
        data = NULL;
    }
    fclose(f);
    *size = (size_t)n;
    return data;
}

/* The image of that name among those given on the command line, or NULL. */
static const char *image_path(const char *name, char **images, int nimages)
{
    for (int i = 0; i < nimages; i++) {
        const char *slash = strrchr(images[i], '/');
        if (strcmp(slash ? slash + 1 : images[i], name) == 0) {
            return images[i];
        }
    }
    return NULL;
}

static broker_t br;
static kaal_obj_t ep;
static component_t *comps;
static channel_t *chans;
static region_t *regions;

/* The image component i names, read from those given (NULL, reported, if it is not there or
 * cannot be read; NULL unreported if no images were given). */
static void *component_image(const manifest_component_t *d, manifest_pos_t at, char **images, int nimages,
                             size_t *size)
{
    const char *path = nimages ? image_path(d->image, images, nimages) : NULL;
    if (nimages && !path) {
        PROBLEM(at, "component '%s': image '%s' is not among the images given", d->name, d->image);
        return NULL;
    }
    void *data = path ? read_file(path, size) : NULL;
    if (path && !data) {
        PROBLEM(at, "component '%s': image '%s' cannot be read (%s)", d->name, d->image, path);
    }
    return data;
}

static manifest_pos_t image_at(const manifest_component_t *d)
{
    return d->image_at.line ? d->image_at : (manifest_pos_t){d->line, d->col};
}

static void elf_refused(const manifest_component_t *d, const elf_problem_t *why)
{
    PROBLEM(image_at(d), "component '%s': image '%s' refused: %s (%lu)", d->name, d->image, why->reason,
            (unsigned long)why->index);
}

/* After errors in the description: the images of what parsed, as files and as ELF. */
static void check_image_only(const manifest_component_t *d, char **images, int nimages)
{
    size_t size = 0;
    void *data = d->image[0] ? component_image(d, image_at(d), images, nimages, &size) : NULL;
    elf_image_t img;
    elf_problem_t why = {0, 0};
    if (data && elf_parse(data, size, &img, &why) != KAAL_OK) {
        elf_refused(d, &why);
    }
    free(data);
}

/* Builds component i on the sim as the root task would; says why not where it cannot. */
static void check_component(const manifest_t *m, unsigned i, char **images, int nimages)
{
    const manifest_component_t *d = &m->components[i];
    manifest_pos_t at = image_at(d);
    size_t size = 0;
    void *data = component_image(d, at, images, nimages, &size);
    if (!data) {
        return; /* reported; or no images given: the description alone is checked */
    }
    spawn_problem_t why = {0, {0, 0}};
    kaal_err_t err = spawn_build(&br, &comps[i], d, i + 1, data, size, ep.cap, &why);
    if (err == KAAL_E_ELF) {
        elf_refused(d, &why.elf);
    } else if (err == KAAL_E_QUOTA) {
        manifest_component_t roomy = *d; /* how much it needs: the same build with room to spare */
        roomy.memory = ~0ul >> 1;
        seL4_Word need = 0;
        if (spawn_build(&br, &comps[i], &roomy, i + 1, data, size, ep.cap, &why) == KAAL_OK) {
            need = spawn_bytes(&comps[i]);
            spawn_destroy(&br, &comps[i]);
        }
        PROBLEM(d->memory_at.line ? d->memory_at : at,
                "component '%s': its image, stack and kernel objects need %lu KiB, more than its memory quota of %lu KiB",
                d->name, (unsigned long)((need + 1023) >> 10), (unsigned long)(d->memory >> 10));
    } else if (err == KAAL_E_LAYOUT) {
        PROBLEM(at, "component '%s': image '%s' does not fit the component layout (%s: below 0x%lx, clear of its "
                    "information page, IPC buffer and stack)", d->name, d->image, why.step,
                (unsigned long)KAAL_IMAGE_LIMIT);
    } else if (err != KAAL_OK) {
        PROBLEM(at, "component '%s': %s failed: %s", d->name, why.step, kaal_err_str(err));
    }
    free(data);
}

static void check_channel(const manifest_t *m, unsigned k)
{
    const manifest_channel_t *mc = &m->channels[k];
    component_t *from = &comps[mc->from], *to = &comps[mc->to];
    manifest_pos_t at = {mc->line, mc->col};
    const char *fname = m->components[mc->from].name, *tname = m->components[mc->to].name;
    if (mc->kind == CONNECTION_CALL) {
        if (from->state == COMPONENT_BUILT && to->state == COMPONENT_BUILT &&
            (call_create(&chans[k], (kaal_endpoint_t)mc->endpoint) != KAAL_OK ||
             channel_connect(&br, &chans[k], from, to) != KAAL_OK)) {
            PROBLEM(at, "call %s -> %s cannot be made", fname, tname);
        }
        return;
    }
    if (mc->size > KAAL_CHANNEL_END - KAAL_CHANNEL_VADDR) {
        PROBLEM(at, "channel %s -> %s: %lu MiB is more than a channel holds (%lu MiB)", fname, tname,
                (unsigned long)(mc->size >> 20), (unsigned long)((KAAL_CHANNEL_END - KAAL_CHANNEL_VADDR) >> 20));
        return;
    }
    if (from->state != COMPONENT_BUILT || to->state != COMPONENT_BUILT) {
        return; /* an end with problems of its own, reported above; or no images given */
    }
    const component_t *full = !channel_room(from, mc->size) ? from : !channel_room(to, mc->size) ? to : NULL;
    if (full) {
        PROBLEM(at, "channel %s -> %s: %s has no room for another channel (its rings take %lu MiB at most)", fname,
                tname, full->desc->name, (unsigned long)((KAAL_CHANNEL_END - KAAL_CHANNEL_VADDR) >> 20));
        return;
    }
    kaal_err_t err = channel_create(&br, &chans[k], mc->size, (kaal_endpoint_t)mc->endpoint);
    if (err == KAAL_OK) {
        err = channel_connect(&br, &chans[k], from, to);
    }
    if (err != KAAL_OK) {
        PROBLEM(at, "channel %s -> %s cannot be made: %s", fname, tname, kaal_err_str(err));
    }
}

/* Each region made, and given to each built component that maps it, as the root task would. */
static void check_regions(const manifest_t *m, region_t *regions)
{
    for (unsigned r = 0; r < m->nregions; r++) {
        const manifest_region_t *mr = &m->regions[r];
        kaal_err_t err = region_create(&br, &regions[r], mr->size, mr->page_bits);
        if (err != KAAL_OK) {
            PROBLEM(((manifest_pos_t){mr->line, mr->col}), "region '%s' cannot be made: %s", mr->name,
                    kaal_err_str(err));
        }
    }
    for (unsigned i = 0; i < m->ncomponents; i++) {
        const manifest_component_t *d = &m->components[i];
        for (unsigned k = 0; comps[i].state == COMPONENT_BUILT && k < d->nregions; k++) {
            const manifest_region_use_t *use = &d->regions[k];
            const manifest_region_t *mr = &m->regions[use->region];
            if (!regions[use->region].frames) {
                continue; /* reported above */
            }
            kaal_err_t err = region_attach(&br, &regions[use->region], &comps[i], mr->name, use);
            if (err == KAAL_E_LAYOUT) {
                PROBLEM(use->at, "component '%s': region '%s' at 0x%lx is over something else in its address space",
                        d->name, mr->name, (unsigned long)use->vaddr);
            } else if (err == KAAL_E_QUOTA) {
                PROBLEM(use->at, "component '%s': region '%s' (%lu KiB) does not fit its memory quota of %lu KiB "
                                 "with its image, stack and kernel objects", d->name, mr->name,
                        (unsigned long)(mr->size >> 10), (unsigned long)(d->memory >> 10));
            } else if (err != KAAL_OK) {
                PROBLEM(use->at, "component '%s': region '%s' cannot be given: %s", d->name, mr->name,
                        kaal_err_str(err));
            }
        }
    }
}

/* Declared quotas and channels against the machine's RAM (what the broker has once booted). */
static void check_memory(const manifest_t *m)
{
    seL4_Word total = 0;
    for (unsigned i = 0; i < m->ncomponents; i++) {
        total += m->components[i].memory;
    }
    for (unsigned k = 0; k < m->nchannels; k++) {
        total += m->channels[k].size;
    }
    for (unsigned r = 0; r < m->nregions; r++) { /* its frames are the broker's: not in any quota */
        total += m->regions[r].size;
    }
    if (total > br.mem.total_bytes) {
        PROBLEM(((manifest_pos_t){1, 1}), "the quotas and channels add up to %lu MiB, more than the machine's %lu MiB "
                                          "of memory", (unsigned long)(total >> 20),
                (unsigned long)(br.mem.total_bytes >> 20));
    }
}

int main(int argc, char **argv)
{
    static const char usage[] = "usage: kaal-check [-q] FILE.system [IMAGE...]\n"
                                "  checks a system description, and its components' images (by path, matched\n"
                                "  by file name) when given; every problem as file:line:col: message.\n"
                                "  -q: say nothing when all is well. Exit status 0: all is well; 1: problems; 2: usage.\n";
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        fputs(usage, stdout);
        return 0;
    }
    int quiet = argc > 1 && strcmp(argv[1], "-q") == 0, first = 1 + quiet;
    if (argc < first + 1 || argv[first][0] == '-') {
        fputs(usage, stderr);
        return 2;
    }
    const char *path = argv[first];
    const char *slash = strrchr(path, '/');
    file = slash ? slash + 1 : path; /* as the root task names it: the file in the boot archive */
    size_t size;
    char *text = read_file(path, &size);
    if (!text) {
        perror(path);
        return 2;
    }
    static manifest_t m;
    char **images = argv + first + 1;
    int nimages = argc - first - 1;
    if (manifest_parse_diag(text, size, file, host_mem, &m, &diag) != KAAL_OK) {
        for (unsigned i = 0; i < m.ncomponents; i++) { /* what parsed: are its images there, and ELF? */
            check_image_only(&m.components[i], images, nimages);
        }
    } else {
        const seL4_BootInfo *bi = sel4sim_boot();
        if (broker_init(&br, bi, NULL) != KAAL_OK || broker_start(&br) != KAAL_OK ||
            untyped_alloc(&br.mem, seL4_EndpointObject, 0, &ep) != KAAL_OK) {
            fprintf(stderr, "kaal-check: the sim's broker did not start\n");
            return 2;
        }
        manifest_check_devices_diag(&m, bi, file, &diag);
        manifest_diag_t warnings = {.report = warn};
        manifest_warn(&m, file, &warnings);
        comps = calloc(m.ncomponents, sizeof(*comps));
        chans = calloc(m.nchannels ? m.nchannels : 1, sizeof(*chans));
        for (unsigned i = 0; i < m.ncomponents; i++) {
            check_component(&m, i, images, nimages);
        }
        for (unsigned k = 0; k < m.nchannels; k++) {
            check_channel(&m, k);
        }
        regions = calloc(m.nregions ? m.nregions : 1, sizeof(*regions));
        check_regions(&m, regions);
        check_memory(&m);
    }
    qsort(problems, nproblems, sizeof(problems[0]), by_position);
    for (unsigned i = 0; i < nproblems; i++) {
        printf("%s\n", problems[i].message);
    }
    if (dropped) {
        printf("%s: and %u problems more\n", file, dropped);
    }
    if (nproblems == 0 && !quiet) {
        unsigned calls = manifest_count(&m, CONNECTION_CALL), nchan = m.nchannels - calls;
        printf("%s: ok: %u component%s, %u channel%s", file, m.ncomponents, m.ncomponents == 1 ? "" : "s", nchan,
               nchan == 1 ? "" : "s");
        if (calls) {
            printf(", %u call%s", calls, calls == 1 ? "" : "s");
        }
        printf("%s\n", nimages ? "" : " (images not checked: none given)");
    } else if (nproblems && !nimages) {
        fprintf(stderr, "%s: images not checked: none given\n", file);
    }
    free(comps);
    free(chans);
    free(regions);
    free(text);
    manifest_free(&m);
    return nproblems ? 1 : 0;
}
