/*
 * The system description parser with its device checks. Whatever the text,
 * a refusal is KAAL_E_MANIFEST with a "file:line:col: ..." message and a
 * zeroed manifest; what is accepted obeys every rule of docs/system-format.md,
 * checked here again from the parsed result, and its MMIO lies in this boot's
 * device memory if manifest_check_devices passes it.
 */
#include <stdlib.h>
#include <string.h>
#include <kaal/arch.h>
#include <kaal/bootinfo.h>
#include <kaal/manifest.h>
#include "../../tools/host_alloc.h"
#include <sel4/sim.h>
#include "fuzz.h"

#define PAGE 0x1000ul

static const seL4_BootInfo *bi;



static int is_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        if (b[i]) {
            return 0;
        }
    }
    return 1;
}

static int string_ok(const char *s, size_t max)
{
    return memchr(s, '\0', max) != NULL && s[0] != '\0';
}

static int overlaps(seL4_Word a0, seL4_Word a1, seL4_Word b0, seL4_Word b1) /* inclusive ranges */
{
    return a0 <= b1 && b0 <= a1;
}

static void check_component(const manifest_t *m, unsigned i)
{
    const manifest_component_t *c = &m->components[i];
    FUZZ_CHECK(string_ok(c->name, sizeof(c->name)) && string_ok(c->image, sizeof(c->image)));
    for (unsigned j = 0; j < i; j++) {
        FUZZ_CHECK(strcmp(c->name, m->components[j].name) != 0);
    }
    FUZZ_CHECK(c->priority <= seL4_MaxPrio);
    FUZZ_CHECK(c->stack && c->stack % PAGE == 0 && c->memory && c->memory % PAGE == 0);
    FUZZ_CHECK(c->fault == FAULT_STOP || c->fault == FAULT_RESTART);
    FUZZ_CHECK(c->restarts >= 1 && c->restarts <= MANIFEST_MAX_RESTARTS && c->restart_window_ms > 0);
    FUZZ_CHECK(c->restarts_at.line == 0 || c->fault == FAULT_RESTART);
    FUZZ_CHECK(c->lifetime == LIFETIME_SERVICE || c->lifetime == LIFETIME_TASK);
    FUZZ_CHECK(c->nioports <= c->ioports_room && c->nirqs <= c->irqs_room && c->nmmio <= c->mmio_room);
    for (unsigned k = 0; k < c->nioports; k++) {
        FUZZ_CHECK(c->ioports[k].first <= c->ioports[k].last && c->ioports[k].last <= MANIFEST_IOPORT_LAST);
    }
    for (unsigned k = 0; k < c->nirqs; k++) {
        FUZZ_CHECK(c->irqs[k] < kaal_arch.irqs);
    }
    for (unsigned k = 0; k < c->nmmio; k++) {
        const manifest_range_t *r = &c->mmio[k];
        FUZZ_CHECK(r->first % PAGE == 0 && (r->last + 1) % PAGE == 0 && r->first <= r->last);
    }
}

/* No IO port, IRQ pin or MMIO page is given twice, within a component or across two. */
static void check_exclusive(const manifest_t *m)
{
    for (unsigned i = 0; i < m->ncomponents; i++) {
        const manifest_component_t *a = &m->components[i];
        for (unsigned j = i; j < m->ncomponents; j++) {
            const manifest_component_t *b = &m->components[j];
            for (unsigned x = 0; x < a->nioports; x++) {
                for (unsigned y = i == j ? x + 1 : 0; y < b->nioports; y++) {
                    FUZZ_CHECK(!overlaps(a->ioports[x].first, a->ioports[x].last, b->ioports[y].first,
                                         b->ioports[y].last));
                }
            }
            for (unsigned x = 0; x < a->nirqs; x++) {
                for (unsigned y = i == j ? x + 1 : 0; y < b->nirqs; y++) {
                    FUZZ_CHECK(a->irqs[x] != b->irqs[y]);
                }
            }
            for (unsigned x = 0; x < a->nmmio; x++) {
                for (unsigned y = i == j ? x + 1 : 0; y < b->nmmio; y++) {
                    FUZZ_CHECK(!overlaps(a->mmio[x].first, a->mmio[x].last, b->mmio[y].first, b->mmio[y].last));
                }
            }
        }
    }
}

static void check_accepted(const manifest_t *m)
{
    FUZZ_CHECK(m->ncomponents >= 1 && m->ncomponents <= m->components_room);
    FUZZ_CHECK(m->nchannels <= m->channels_room);
    FUZZ_CHECK(memchr(m->name, '\0', sizeof(m->name)) != NULL);
    for (unsigned i = 0; i < m->ncomponents; i++) {
        check_component(m, i);
    }
    for (unsigned k = 0; k < m->nchannels; k++) {
        const manifest_channel_t *ch = &m->channels[k];
        FUZZ_CHECK(ch->from < m->ncomponents && ch->to < m->ncomponents && ch->from != ch->to);
        if (ch->kind == CONNECTION_CALL) { /* no ring; words, or words and caps */
            FUZZ_CHECK(ch->size == 0 && (ch->endpoint == ENDPOINT_SEND || ch->endpoint == ENDPOINT_GRANT));
        } else {
            FUZZ_CHECK(ch->kind == CONNECTION_CHANNEL && ch->size && ch->size % PAGE == 0);
            FUZZ_CHECK(ch->endpoint == ENDPOINT_NONE || ch->endpoint == ENDPOINT_SEND ||
                       ch->endpoint == ENDPOINT_GRANT);
        }
    }
    FUZZ_CHECK(m->nregions <= m->regions_room);
    for (unsigned r = 0; r < m->nregions; r++) {
        const manifest_region_t *region = &m->regions[r];
        FUZZ_CHECK(region->page_bits == 12 || region->page_bits == 21);
        FUZZ_CHECK(region->size && region->size % (1ul << region->page_bits) == 0);
    }
    for (unsigned i = 0; i < m->ncomponents; i++) {
        const manifest_component_t *c = &m->components[i];
        for (unsigned k = 0; k < c->nregions; k++) {
            const manifest_region_use_t *u = &c->regions[k];
            FUZZ_CHECK(u->region < m->nregions);
            FUZZ_CHECK(u->vaddr % (1ul << m->regions[u->region].page_bits) == 0);
        }
    }
    check_exclusive(m);
}

/* A refusal names a place inside the text: a line it has (or the one after its last). */
static void check_refusal(const uint8_t *data, size_t size, const manifest_t *m, const manifest_error_t *err)
{
    static const char prefix[] = "fuzz.system:";
    unsigned lines = 1;
    for (size_t i = 0; i < size; i++) {
        lines += data[i] == '\n';
    }
    FUZZ_CHECK(memchr(err->message, '\0', sizeof(err->message)) != NULL);
    FUZZ_CHECK(strncmp(err->message, prefix, sizeof(prefix) - 1) == 0);
    FUZZ_CHECK(err->line >= 1 && err->line <= lines + 1 && err->col >= 1);
    FUZZ_CHECK(is_zero(m, sizeof(*m)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static manifest_t m;
    manifest_error_t err;
    if (!bi) {
        bi = sel4sim_boot();
    }
    kaal_err_t e = manifest_parse((const char *)data, size, "fuzz.system", host_mem, &m, &err);
    FUZZ_CHECK(e == KAAL_OK || e == KAAL_E_MANIFEST);
    if (e != KAAL_OK) {
        check_refusal(data, size, &m, &err);
        return 0;
    }
    check_accepted(&m);
    e = manifest_check_devices(&m, bi, "fuzz.system", &err);
    FUZZ_CHECK(e == KAAL_OK || e == KAAL_E_MANIFEST);
    for (unsigned i = 0; e == KAAL_OK && i < m.ncomponents; i++) {
        const manifest_component_t *c = &m.components[i];
        for (unsigned k = 0; k < c->nmmio; k++) {
            FUZZ_CHECK(bootinfo_device_covers(bi, c->mmio[k].first, c->mmio[k].last));
        }
    }
    manifest_free(&m);
    FUZZ_CHECK(m.ncomponents == 0 && m.components == NULL);
    return 0;
}
