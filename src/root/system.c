/*
 * The system description, from the boot archive: the archive's ".system"
 * entry names the file (tools/mkcpio --system), which is parsed, checked
 * against the boot's device memory, and listed. Any error refuses the
 * system, in a message that names that file.
 */
#include <kaal/cpio.h>
#include <kaal/manifest.h>
#include <kaal/rt.h>
#include "root.h"

#define SYSTEM_ENTRY ".system"
#define FILE_NAME_MAX 64

static manifest_t system_description;
static char system_file[FILE_NAME_MAX];

/* A name from the archive: printable, no '/', and short enough to keep. */
static int name_ok(const char *s, size_t n)
{
    if (n == 0 || n >= FILE_NAME_MAX) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] <= ' ' || s[i] == '/' || s[i] == 0x7f) {
            return 0;
        }
    }
    return 1;
}

/* Looks up `name` in the archive, saying what is wrong if it is not there. */
static int find(const void *archive, size_t size, const char *name, cpio_entry_t *file)
{
    int found = cpio_find(archive, size, name, file);
    if (found == 0) {
        rt_printf("kaal: no %s in the boot archive\n", name);
    } else if (found < 0) {
        rt_printf("kaal: looking for %s: bad boot archive: %s\n", name, cpio_strerror(found));
    }
    return found == 1;
}

/* The system file's name, as the archive records it. */
static const char *system_file_name(const void *archive, size_t size)
{
    cpio_entry_t entry;
    if (!find(archive, size, SYSTEM_ENTRY, &entry)) {
        rt_printf("kaal: the boot archive does not say which file is the system (mkcpio --system)\n");
        return 0;
    }
    const char *name = entry.data;
    size_t n = entry.size;
    while (n > 0 && (name[n - 1] == '\n' || name[n - 1] == '\r')) {
        n--;
    }
    if (!name_ok(name, n)) {
        rt_printf("kaal: the boot archive's %s entry is not a file name\n", SYSTEM_ENTRY);
        return 0;
    }
    rt_memcpy(system_file, name, n);
    system_file[n] = '\0';
    return system_file;
}

static void print_warning(void *ctx, const manifest_error_t *e)
{
    (void)ctx;
    rt_printf("%s\n", e->message);
}

static void print_component(const manifest_component_t *c)
{
    rt_printf("  %-8s %-12s prio %3u  stack %3lu KiB  memory %4lu KiB  fault %-7s", c->name, c->image, c->priority,
              (unsigned long)(c->stack >> 10), (unsigned long)(c->memory >> 10),
              c->fault == FAULT_RESTART ? "restart" : "stop");
    for (unsigned i = 0; i < c->nioports; i++) {
        rt_printf("  ioports 0x%lx-0x%lx", (unsigned long)c->ioports[i].first, (unsigned long)c->ioports[i].last);
    }
    for (unsigned i = 0; i < c->nirqs; i++) {
        rt_printf("  irq %lu", (unsigned long)c->irqs[i]);
    }
    for (unsigned i = 0; i < c->nmmio; i++) {
        rt_printf("  mmio 0x%lx-0x%lx", (unsigned long)c->mmio[i].first, (unsigned long)c->mmio[i].last);
    }
    rt_printf("\n");
}

const manifest_t *root_load_system(broker_t *b, const void *archive, size_t size)
{
    const char *name = system_file_name(archive, size);
    cpio_entry_t file;
    if (!name || !find(archive, size, name, &file)) {
        return 0;
    }
    manifest_t *m = &system_description;
    manifest_error_t err;
    if (manifest_parse(file.data, file.size, name, heap_allocator(&b->heap), m, &err) != KAAL_OK ||
        manifest_check_devices(m, b->bi, name, &err) != KAAL_OK) {
        rt_printf("%s\nkaal: system refused; nothing started\n", err.message);
        return 0;
    }
    manifest_diag_t warnings = {.report = print_warning};
    manifest_warn(m, name, &warnings);
    unsigned calls = manifest_count(m, CONNECTION_CALL);
    rt_printf("System '%s' (%s): %u component%s, %u channels", m->name, name, m->ncomponents,
              m->ncomponents == 1 ? "" : "s", m->nchannels - calls);
    rt_printf(calls ? ", %u call%s\n" : "\n", calls, calls == 1 ? "" : "s");
    for (unsigned i = 0; i < m->ncomponents; i++) {
        print_component(&m->components[i]);
    }
    for (unsigned i = 0; i < m->nchannels; i++) {
        const manifest_channel_t *ch = &m->channels[i];
        static const char *const endpoint[] = {"", ", endpoint send", ", endpoint grant"};
        const char *from = m->components[ch->from].name, *to = m->components[ch->to].name;
        if (ch->kind == CONNECTION_CALL) {
            rt_printf("  call %s -> %s%s\n", from, to, ch->endpoint == ENDPOINT_GRANT ? ", grant" : "");
        } else {
            rt_printf("  channel %s -> %s, %lu KiB%s\n", from, to, (unsigned long)(ch->size >> 10),
                      endpoint[ch->endpoint]);
        }
    }
    return m;
}
