/* The system description parser: declarations, each component's keys, and whole-system checks. */
#include <stdarg.h>
#include <kaal/bootinfo.h>
#include <kaal/manifest.h>
#include <kaal/rt.h>
#include "manifest_lex.h"

#define PAGE_SIZE 0x1000ul

typedef struct parser {
    lexer_t lx;
    token_t tok; /* the current token */
    const char *file;
    manifest_t *m;
    manifest_error_t *err;
} parser_t;

static kaal_err_t fail_at(parser_t *ps, unsigned line, unsigned col, const char *fmt, ...)
{
    manifest_error_t *e = ps->err;
    e->line = line;
    e->col = col;
    int n = rt_snprintf(e->message, sizeof(e->message), "%s:%u:%u: ", ps->file, line, col);
    va_list ap;
    va_start(ap, fmt);
    rt_vsnprintf(e->message + n, sizeof(e->message) - (size_t)n, fmt, ap);
    va_end(ap);
    return KAAL_E_MANIFEST;
}

static kaal_err_t unexpected(parser_t *ps, const char *wanted)
{
    char got[40];
    tok_copy(&ps->tok, got, sizeof(got));
    return fail_at(ps, ps->tok.line, ps->tok.col, "expected %s, found '%s'", wanted, got);
}

static void next(parser_t *ps)
{
    ps->tok = lex_next(&ps->lx);
}

static kaal_err_t end_of_line(parser_t *ps)
{
    if (ps->tok.kind != TOK_NEWLINE && ps->tok.kind != TOK_EOF) {
        return unexpected(ps, "the end of the line");
    }
    next(ps);
    return KAAL_OK;
}

static int parse_number(const token_t *t, size_t len, seL4_Word *out)
{
    const char *s = t->s;
    unsigned base = 10;
    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        len -= 2;
    }
    seL4_Word v = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                     : base == 16 && c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : base == 16 && c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                                          : 99u;
        if (d >= base || v > (~(seL4_Word)0 - d) / base) {
            return 0;
        }
        v = v * base + d;
    }
    *out = v;
    return len > 0;
}

/* A value token as a number, or a size with a K or M suffix. */
static kaal_err_t value_number(parser_t *ps, seL4_Word *out, int size_suffix)
{
    const token_t *t = &ps->tok;
    if (t->kind != TOK_WORD) {
        return unexpected(ps, "a number");
    }
    size_t len = t->len;
    unsigned shift = 0;
    if (size_suffix && len > 1 && (t->s[len - 1] == 'K' || t->s[len - 1] == 'M')) {
        shift = t->s[len - 1] == 'K' ? 10 : 20;
        len--;
    }
    seL4_Word v;
    if (!parse_number(t, len, &v) || (v << shift) >> shift != v) {
        char got[40];
        tok_copy(t, got, sizeof(got));
        return fail_at(ps, t->line, t->col, "'%s' is not a number%s", got, size_suffix ? " or size" : "");
    }
    *out = v << shift;
    next(ps);
    return KAAL_OK;
}

static kaal_err_t value_word(parser_t *ps, char *buf)
{
    if (ps->tok.kind != TOK_WORD) {
        return unexpected(ps, "a name");
    }
    if (ps->tok.len >= MANIFEST_NAME_MAX) {
        return fail_at(ps, ps->tok.line, ps->tok.col, "name longer than %d characters", MANIFEST_NAME_MAX - 1);
    }
    tok_copy(&ps->tok, buf, MANIFEST_NAME_MAX);
    next(ps);
    return KAAL_OK;
}

/* "first-last" (IO ports) */
static kaal_err_t value_range(parser_t *ps, manifest_range_t *r)
{
    token_t t = ps->tok;
    size_t dash = 0;
    while (t.kind == TOK_WORD && dash < t.len && t.s[dash] != '-') {
        dash++;
    }
    token_t tail = t;
    tail.s += dash + 1;
    if (t.kind != TOK_WORD || dash == t.len || !parse_number(&t, dash, &r->first) ||
        !parse_number(&tail, t.len - dash - 1, &r->last)) {
        return unexpected(ps, "a port range like 0x3f8-0x3ff");
    }
    if (r->first > r->last || r->last > 0xffff) {
        return fail_at(ps, t.line, t.col, "IO port range must be first-last within 0-0xffff");
    }
    next(ps);
    return KAAL_OK;
}

typedef kaal_err_t (*key_fn)(parser_t *ps, manifest_component_t *c, const token_t *key);

static kaal_err_t key_image(parser_t *ps, manifest_component_t *c, const token_t *key)
{
    (void)key;
    return value_word(ps, c->image);
}

static kaal_err_t key_priority(parser_t *ps, manifest_component_t *c, const token_t *key)
{
    token_t v = ps->tok;
    seL4_Word p;
    kaal_err_t err = value_number(ps, &p, 0);
    if (err == KAAL_OK && p > seL4_MaxPrio) {
        return fail_at(ps, v.line, v.col, "priority must be 0 to %d", seL4_MaxPrio);
    }
    (void)key;
    c->priority = (unsigned)p;
    return err;
}

static kaal_err_t page_size_value(parser_t *ps, seL4_Word *out)
{
    token_t v = ps->tok;
    kaal_err_t err = value_number(ps, out, 1);
    if (err == KAAL_OK && (*out == 0 || *out % PAGE_SIZE)) {
        return fail_at(ps, v.line, v.col, "size must be a non-zero multiple of 4K");
    }
    return err;
}

static kaal_err_t key_stack(parser_t *ps, manifest_component_t *c, const token_t *key)
{
    (void)key;
    return page_size_value(ps, &c->stack);
}

static kaal_err_t key_memory(parser_t *ps, manifest_component_t *c, const token_t *key)
{
    (void)key;
    return page_size_value(ps, &c->memory);
}

static kaal_err_t too_many(parser_t *ps, const token_t *key)
{
    char k[16];
    tok_copy(key, k, sizeof(k));
    return fail_at(ps, key->line, key->col, "more than %d '%s' grants", MANIFEST_MAX_GRANTS, k);
}

static kaal_err_t key_ioports(parser_t *ps, manifest_component_t *c, const token_t *key)
{
    if (c->nioports == MANIFEST_MAX_GRANTS) {
        return too_many(ps, key);
    }
    return value_range(ps, &c->ioports[c->nioports++]);
}

static kaal_err_t key_irq(parser_t *ps, manifest_component_t *c, const token_t *key)
{
    if (c->nirqs == MANIFEST_MAX_GRANTS) {
        return too_many(ps, key);
    }
    token_t v = ps->tok;
    kaal_err_t err = value_number(ps, &c->irqs[c->nirqs], 0);
    if (err == KAAL_OK && c->irqs[c->nirqs] >= MANIFEST_IOAPIC_PINS) {
        return fail_at(ps, v.line, v.col, "irq must be an IOAPIC pin, 0 to %d", MANIFEST_IOAPIC_PINS - 1);
    }
    c->nirqs++;
    return err;
}

static kaal_err_t key_mmio(parser_t *ps, manifest_component_t *c, const token_t *key)
{
    if (c->nmmio == MANIFEST_MAX_GRANTS) {
        return too_many(ps, key);
    }
    seL4_Word base = 0, size = 0;
    kaal_err_t err = value_number(ps, &base, 0);
    if (err == KAAL_OK) {
        err = page_size_value(ps, &size);
    }
    if (err != KAAL_OK) {
        return err;
    }
    if (base + size < base || (base % PAGE_SIZE)) {
        return fail_at(ps, key->line, key->col, "mmio base must be page aligned and the range must not wrap");
    }
    c->mmio[c->nmmio++] = (manifest_range_t){base, base + size - 1};
    return KAAL_OK;
}

static kaal_err_t key_fault(parser_t *ps, manifest_component_t *c, const token_t *key)
{
    (void)key;
    if (tok_is(&ps->tok, "restart") || tok_is(&ps->tok, "stop")) {
        c->fault = tok_is(&ps->tok, "restart") ? FAULT_RESTART : FAULT_STOP;
        next(ps);
        return KAAL_OK;
    }
    return unexpected(ps, "'restart' or 'stop'");
}

static const struct {
    const char *name;
    key_fn fn;
    int once; /* may be given only once */
} keys[] = {
    {"image", key_image, 1},   {"priority", key_priority, 1}, {"stack", key_stack, 1},
    {"memory", key_memory, 1}, {"fault", key_fault, 1},       {"ioports", key_ioports, 0},
    {"irq", key_irq, 0},       {"mmio", key_mmio, 0},
};

static kaal_err_t parse_key(parser_t *ps, manifest_component_t *c)
{
    token_t key = ps->tok;
    char k[40];
    tok_copy(&key, k, sizeof(k));
    for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (!tok_is(&key, keys[i].name)) {
            continue;
        }
        if (keys[i].once && (c->seen & (1u << i))) {
            return fail_at(ps, key.line, key.col, "'%s' given twice", k);
        }
        c->seen |= 1u << i;
        next(ps);
        kaal_err_t err = keys[i].fn(ps, c, &key);
        return err != KAAL_OK ? err : end_of_line(ps);
    }
    return fail_at(ps, key.line, key.col, "unknown key '%s'", k);
}

static int find_component(const manifest_t *m, const char *name)
{
    for (unsigned i = 0; i < m->ncomponents; i++) {
        if (rt_strcmp(m->components[i].name, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static void skip_newlines(parser_t *ps)
{
    while (ps->tok.kind == TOK_NEWLINE) {
        next(ps);
    }
}

static kaal_err_t parse_component(parser_t *ps, token_t decl)
{
    manifest_t *m = ps->m;
    if (m->ncomponents == MANIFEST_MAX_COMPONENTS) {
        return fail_at(ps, decl.line, decl.col, "more than %d components", MANIFEST_MAX_COMPONENTS);
    }
    manifest_component_t *c = &m->components[m->ncomponents];
    rt_memset(c, 0, sizeof(*c));
    c->line = decl.line;
    c->col = decl.col;
    c->stack = 4 * PAGE_SIZE;
    c->memory = 64 * PAGE_SIZE;
    token_t name = ps->tok;
    kaal_err_t err = value_word(ps, c->name);
    if (err != KAAL_OK) {
        return err;
    }
    if (find_component(m, c->name) >= 0) {
        return fail_at(ps, name.line, name.col, "component '%s' is declared twice", c->name);
    }
    if (ps->tok.kind != TOK_LBRACE) {
        return unexpected(ps, "'{'");
    }
    next(ps);
    for (err = end_of_line(ps); err == KAAL_OK; err = parse_key(ps, c)) {
        skip_newlines(ps);
        if (ps->tok.kind == TOK_RBRACE) {
            next(ps);
            break;
        }
        if (ps->tok.kind == TOK_EOF) {
            return fail_at(ps, decl.line, decl.col, "component '%s' has no closing '}'", c->name);
        }
    }
    if (err != KAAL_OK) {
        return err;
    }
    if (c->image[0] == '\0') {
        return fail_at(ps, decl.line, decl.col, "component '%s' has no image", c->name);
    }
    m->ncomponents++;
    return end_of_line(ps);
}

static kaal_err_t channel_end(parser_t *ps, unsigned *index)
{
    token_t t = ps->tok;
    char name[MANIFEST_NAME_MAX];
    kaal_err_t err = value_word(ps, name);
    if (err != KAAL_OK) {
        return err;
    }
    int i = find_component(ps->m, name);
    if (i < 0) {
        return fail_at(ps, t.line, t.col, "no component named '%s'", name);
    }
    *index = (unsigned)i;
    return KAAL_OK;
}

static kaal_err_t parse_channel(parser_t *ps, token_t decl)
{
    manifest_t *m = ps->m;
    if (m->nchannels == MANIFEST_MAX_CHANNELS) {
        return fail_at(ps, decl.line, decl.col, "more than %d channels", MANIFEST_MAX_CHANNELS);
    }
    manifest_channel_t *ch = &m->channels[m->nchannels];
    *ch = (manifest_channel_t){.size = PAGE_SIZE, .line = decl.line, .col = decl.col};
    kaal_err_t err = channel_end(ps, &ch->from);
    if (err != KAAL_OK) {
        return err;
    }
    if (!tok_is(&ps->tok, "->")) {
        return unexpected(ps, "'->'");
    }
    next(ps);
    token_t to = ps->tok;
    if ((err = channel_end(ps, &ch->to)) != KAAL_OK) {
        return err;
    }
    if (ch->to == ch->from) {
        return fail_at(ps, to.line, to.col, "a channel needs two different components");
    }
    if (ps->tok.kind == TOK_LBRACE) {
        next(ps);
        if (!tok_is(&ps->tok, "size")) {
            return unexpected(ps, "'size'");
        }
        next(ps);
        if ((err = page_size_value(ps, &ch->size)) != KAAL_OK) {
            return err;
        }
        if (ps->tok.kind != TOK_RBRACE) {
            return unexpected(ps, "'}'");
        }
        next(ps);
    }
    m->nchannels++;
    return end_of_line(ps);
}

/* Grants no two components may share: IO ports and IRQ pins. */
static kaal_err_t check_exclusive(parser_t *ps)
{
    const manifest_t *m = ps->m;
    for (unsigned a = 0; a < m->ncomponents; a++) {
        for (unsigned b = 0; b < a; b++) {
            const manifest_component_t *x = &m->components[a], *y = &m->components[b];
            for (unsigned i = 0; i < x->nioports; i++) {
                for (unsigned j = 0; j < y->nioports; j++) {
                    if (x->ioports[i].first <= y->ioports[j].last && y->ioports[j].first <= x->ioports[i].last) {
                        return fail_at(ps, x->line, x->col, "component '%s': IO ports 0x%lx-0x%lx are also given to '%s'",
                                       x->name, (unsigned long)x->ioports[i].first,
                                       (unsigned long)x->ioports[i].last, y->name);
                    }
                }
            }
            for (unsigned i = 0; i < x->nirqs; i++) {
                for (unsigned j = 0; j < y->nirqs; j++) {
                    if (x->irqs[i] == y->irqs[j]) {
                        return fail_at(ps, x->line, x->col, "component '%s': irq %lu is also given to '%s'",
                                       x->name, (unsigned long)x->irqs[i], y->name);
                    }
                }
            }
        }
    }
    return KAAL_OK;
}

kaal_err_t manifest_parse(const char *text, size_t len, const char *file, manifest_t *out, manifest_error_t *err)
{
    parser_t ps = {.file = file, .m = out, .err = err};
    rt_memset(out, 0, sizeof(*out));
    lex_init(&ps.lx, text, len);
    next(&ps);
    for (;;) {
        skip_newlines(&ps);
        if (ps.tok.kind == TOK_EOF) {
            return check_exclusive(&ps);
        }
        token_t decl = ps.tok;
        kaal_err_t e;
        next(&ps);
        if (tok_is(&decl, "system")) {
            e = value_word(&ps, out->name);
            e = e != KAAL_OK ? e : end_of_line(&ps);
        } else if (tok_is(&decl, "component")) {
            e = parse_component(&ps, decl);
        } else if (tok_is(&decl, "channel")) {
            e = parse_channel(&ps, decl);
        } else {
            ps.tok = decl;
            e = unexpected(&ps, "'system', 'component' or 'channel'");
        }
        if (e != KAAL_OK) {
            return e;
        }
    }
}

kaal_err_t manifest_check_devices(const manifest_t *m, const seL4_BootInfo *bi, const char *file,
                                  manifest_error_t *err)
{
    parser_t ps = {.file = file, .err = err};
    for (unsigned a = 0; a < m->ncomponents; a++) {
        const manifest_component_t *c = &m->components[a];
        for (unsigned i = 0; i < c->nmmio; i++) {
            if (!bootinfo_device_covers(bi, c->mmio[i].first, c->mmio[i].last)) {
                return fail_at(&ps, c->line, c->col, "component '%s': no device memory at 0x%lx-0x%lx", c->name,
                               (unsigned long)c->mmio[i].first, (unsigned long)c->mmio[i].last);
            }
        }
    }
    return KAAL_OK;
}
