/*
 * The system description, from the boot archive: parsed, checked against
 * the boot's device memory, and listed. Any error refuses the system.
 */
#include <kaal/cpio.h>
#include <kaal/manifest.h>
#include <kaal/rt.h>
#include "root.h"

#define SYSTEM_FILE "demo.system"

static manifest_t system_description;

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

const manifest_t *root_load_system(const seL4_BootInfo *bi, const void *archive, size_t size)
{
    cpio_entry_t file;
    int found = cpio_find(archive, size, SYSTEM_FILE, &file);
    if (found == 0) {
        rt_printf("kaal: no %s in the boot archive\n", SYSTEM_FILE);
    } else if (found < 0) {
        rt_printf("kaal: looking for %s: bad boot archive: %s\n", SYSTEM_FILE, cpio_strerror(found));
    }
    if (found != 1) {
        return 0;
    }
    manifest_t *m = &system_description;
    manifest_error_t err;
    if (manifest_parse(file.data, file.size, SYSTEM_FILE, m, &err) != KAAL_OK ||
        manifest_check_devices(m, bi, SYSTEM_FILE, &err) != KAAL_OK) {
        rt_printf("%s\nkaal: system refused; nothing started\n", err.message);
        return 0;
    }
    rt_printf("System '%s': %u components, %u channels\n", m->name, m->ncomponents, m->nchannels);
    for (unsigned i = 0; i < m->ncomponents; i++) {
        print_component(&m->components[i]);
    }
    for (unsigned i = 0; i < m->nchannels; i++) {
        const manifest_channel_t *ch = &m->channels[i];
        static const char *const endpoint[] = {"", ", endpoint send", ", endpoint grant"};
        rt_printf("  channel %s -> %s, %lu KiB%s\n", m->components[ch->from].name, m->components[ch->to].name,
                  (unsigned long)(ch->size >> 10), endpoint[ch->endpoint]);
    }
    return m;
}
