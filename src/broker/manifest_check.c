/*
 * Whole-system checks of a parsed description: grants that cannot be given
 * (an IO port, IRQ pin or MMIO page given twice), and MMIO outside this
 * boot's device memory. Each is reported at the later of the two grants.
 */
#include <kaal/bootinfo.h>
#include <kaal/manifest.h>
#include <kaal/rt.h>
#include "manifest_internal.h"

typedef struct grant {
    seL4_Word first, last; /* inclusive */
    manifest_pos_t at;
} grant_t;

static unsigned ioport_count(const manifest_component_t *c)
{
    return c->nioports;
}

static grant_t ioport_at(const manifest_component_t *c, unsigned i)
{
    return (grant_t){c->ioports[i].first, c->ioports[i].last, c->ioports[i].at};
}

static unsigned irq_count(const manifest_component_t *c)
{
    return c->nirqs;
}

static grant_t irq_at(const manifest_component_t *c, unsigned i)
{
    return (grant_t){c->irqs[i], c->irqs[i], c->irq_at[i]};
}

static unsigned mmio_count(const manifest_component_t *c)
{
    return c->nmmio;
}

static grant_t mmio_at(const manifest_component_t *c, unsigned i)
{
    return (grant_t){c->mmio[i].first, c->mmio[i].last, c->mmio[i].at};
}

/* The kinds of exclusive grant: the kernel hands out each port, pin and device frame once. */
static const struct {
    const char *what, *verb;
    int single; /* one number, not a range */
    unsigned (*count)(const manifest_component_t *c);
    grant_t (*at)(const manifest_component_t *c, unsigned i);
} kinds[] = {
    {"IO ports", "overlap", 0, ioport_count, ioport_at},
    {"irq", "", 1, irq_count, irq_at},
    {"mmio", "overlaps", 0, mmio_count, mmio_at},
};

/* A conflict: grant g of kind k, held by component holder, overlaps other, given to owner before. */
typedef struct conflict {
    grant_t g, other;
    unsigned kind;
    const char *holder, *owner;
} conflict_t;

static kaal_err_t report(const char *file, manifest_diag_t *d, const conflict_t *c)
{
    const grant_t *g = &c->g, *o = &c->other;
    if (kinds[c->kind].single) {
        return manifest_fail(d, file, g->at.line, g->at.col,
                             "component '%s': %s %lu is also given to '%s' at line %u", c->holder, kinds[c->kind].what,
                             (unsigned long)g->first, c->owner, o->at.line);
    }
    return manifest_fail(d, file, g->at.line, g->at.col,
                         "component '%s': %s 0x%lx-0x%lx %s 0x%lx-0x%lx, given to '%s' at line %u", c->holder,
                         kinds[c->kind].what, (unsigned long)g->first, (unsigned long)g->last, kinds[c->kind].verb,
                         (unsigned long)o->first, (unsigned long)o->last, c->owner, o->at.line);
}

/* The first grant written before grant i of kind k in component a that overlaps it: 1 and *other, *owner. */
static int earlier_overlap(const manifest_t *m, unsigned k, unsigned a, const grant_t *g, unsigned i, grant_t *other,
                           unsigned *owner)
{
    for (unsigned b = 0; b <= a; b++) {
        unsigned n = kinds[k].count(&m->components[b]);
        for (unsigned j = 0; j < (b == a ? i : n); j++) {
            grant_t o = kinds[k].at(&m->components[b], j);
            if (g->first <= o.last && o.first <= g->last) {
                *other = o;
                *owner = b;
                return 1;
            }
        }
    }
    return 0;
}

static int before(manifest_pos_t x, manifest_pos_t y)
{
    return x.line < y.line || (x.line == y.line && x.col < y.col);
}

#define KINDS (sizeof(kinds) / sizeof(kinds[0]))

/* The first conflict in the file that comes after position `after` (each grant against the first
 * earlier grant it overlaps); 0 if there is none. */
static int next_conflict(const manifest_t *m, manifest_pos_t after, conflict_t *next)
{
    int found = 0;
    for (unsigned a = 0; a < m->ncomponents; a++) {
        for (unsigned k = 0; k < KINDS; k++) {
            unsigned n = kinds[k].count(&m->components[a]), owner;
            for (unsigned i = 0; i < n; i++) {
                grant_t g = kinds[k].at(&m->components[a], i), o;
                if (before(after, g.at) && (!found || before(g.at, next->g.at)) &&
                    earlier_overlap(m, k, a, &g, i, &o, &owner)) {
                    *next = (conflict_t){g, o, k, m->components[a].name, m->components[owner].name};
                    found = 1;
                }
            }
        }
    }
    return found;
}

/* Every conflict, in the order of the file: the first reported is the first in the file. */
kaal_err_t manifest_check_grants(const manifest_t *m, const char *file, manifest_diag_t *d)
{
    kaal_err_t err = KAAL_OK;
    conflict_t c;
    for (manifest_pos_t at = {0, 0}; next_conflict(m, at, &c); at = c.g.at) {
        err = report(file, d, &c);
    }
    return err;
}

kaal_err_t manifest_check_devices_diag(const manifest_t *m, const seL4_BootInfo *bi, const char *file,
                                       manifest_diag_t *d)
{
    if (!m || !bi) {
        return KAAL_E_INVAL;
    }
    kaal_err_t err = KAAL_OK;
    for (unsigned a = 0; a < m->ncomponents; a++) {
        const manifest_component_t *c = &m->components[a];
        for (unsigned i = 0; i < c->nmmio; i++) {
            const manifest_range_t *r = &c->mmio[i];
            if (!bootinfo_device_covers(bi, r->first, r->last)) {
                err = manifest_fail(d, file, r->at.line, r->at.col,
                                    "component '%s': no device untyped covers mmio 0x%lx-0x%lx", c->name,
                                    (unsigned long)r->first, (unsigned long)r->last);
            }
        }
    }
    return err;
}

kaal_err_t manifest_check_devices(const manifest_t *m, const seL4_BootInfo *bi, const char *file, manifest_error_t *err)
{
    manifest_diag_t d = {.first = err};
    if (err) {
        rt_memset(err, 0, sizeof(*err));
    }
    return manifest_check_devices_diag(m, bi, file, &d);
}

unsigned manifest_warn(const manifest_t *m, const char *file, manifest_diag_t *d)
{
    unsigned before = d->count;
    for (unsigned k = 0; k < m->nchannels; k++) {
        const manifest_channel_t *ch = &m->channels[k];
        const manifest_component_t *client = &m->components[ch->from], *server = &m->components[ch->to];
        if (ch->kind == CONNECTION_CALL && client->priority > server->priority) {
            manifest_fail(d, file, ch->line, ch->col,
                          "warning: call %s -> %s: the client's priority %u is above the server's %u: its calls "
                          "run at the server's, below it (priority inversion)",
                          client->name, server->name, client->priority, server->priority);
        }
    }
    return d->count - before;
}
