/*
 * Whole-system checks of a parsed description: grants that cannot be given
 * (an IO port, IRQ pin or MMIO page given twice), and MMIO outside this
 * boot's device memory. Each is reported at the later of the two grants.
 */
#include <kaal/bootinfo.h>
#include <kaal/manifest.h>
#include <kaal/rt.h>
#include "manifest_internal.h"

#define GRANTS_MAX 4

_Static_assert(MANIFEST_MAX_IOPORTS <= GRANTS_MAX && MANIFEST_MAX_IRQS <= GRANTS_MAX && MANIFEST_MAX_MMIO <= GRANTS_MAX,
               "GRANTS_MAX too small");

typedef struct grant {
    seL4_Word first, last; /* inclusive */
    manifest_pos_t at;
} grant_t;

static unsigned ranges(const manifest_range_t *r, unsigned n, grant_t *g)
{
    for (unsigned i = 0; i < n; i++) {
        g[i] = (grant_t){r[i].first, r[i].last, r[i].at};
    }
    return n;
}

static unsigned ioport_grants(const manifest_component_t *c, grant_t *g)
{
    return ranges(c->ioports, c->nioports, g);
}

static unsigned mmio_grants(const manifest_component_t *c, grant_t *g)
{
    return ranges(c->mmio, c->nmmio, g);
}

static unsigned irq_grants(const manifest_component_t *c, grant_t *g)
{
    for (unsigned i = 0; i < c->nirqs; i++) {
        g[i] = (grant_t){c->irqs[i], c->irqs[i], c->irq_at[i]};
    }
    return c->nirqs;
}

/* The kinds of exclusive grant: the kernel hands out each port, pin and device frame once. */
static const struct {
    const char *what, *verb;
    int single; /* one number, not a range */
    unsigned (*get)(const manifest_component_t *c, grant_t *g);
} kinds[] = {
    {"IO ports", "overlap", 0, ioport_grants},
    {"irq", "", 1, irq_grants},
    {"mmio", "overlaps", 0, mmio_grants},
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

/* The first grant written before grant i of kind k in component a that overlaps it, or NULL. */
static const grant_t *earlier_overlap(const manifest_t *m, unsigned k, unsigned a, const grant_t *g, unsigned i,
                                      grant_t other[GRANTS_MAX], unsigned *owner)
{
    for (unsigned b = 0; b <= a; b++) {
        unsigned n = kinds[k].get(&m->components[b], other);
        for (unsigned j = 0; j < (b == a ? i : n); j++) {
            if (g->first <= other[j].last && other[j].first <= g->last) {
                *owner = b;
                return &other[j];
            }
        }
    }
    return NULL;
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
            grant_t g[GRANTS_MAX], other[GRANTS_MAX];
            unsigned n = kinds[k].get(&m->components[a], g), owner;
            for (unsigned i = 0; i < n; i++) {
                const grant_t *o = before(after, g[i].at) ? earlier_overlap(m, k, a, &g[i], i, other, &owner) : 0;
                if (o && (!found || before(g[i].at, next->g.at))) {
                    *next = (conflict_t){g[i], *o, k, m->components[a].name, m->components[owner].name};
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
