/*
 * The system description parser: declarations (system, component, channel),
 * the keys of their blocks, and their values. Every error is reported at the
 * token it is about; on any error the result is zeroed.
 */
#include <kaal/arch.h>
#include <kaal/manifest.h>
#include <kaal/rt.h>
#include "manifest_internal.h"

#define PAGE_SIZE 0x1000ul
#define MAX_KEYS 16 /* in one block's table */

typedef struct parser {
    lexer_t lx;
    token_t tok; /* the current token */
    const char *file;
    manifest_t *m;
    manifest_diag_t *d;
    int resync;                 /* a declaration broke off at the start of the next one: no skipping */
    unsigned system_line;       /* where 'system' was given; 0 if not yet */
    manifest_component_t *c;    /* the component being parsed */
    manifest_channel_t *ch;     /* the channel being parsed */
    unsigned seen_at[MAX_KEYS]; /* line of each once-only key of the block; 0 if not given */
    manifest_pos_t region_size_at; /* a region's size, if given */
} parser_t;

#define FAIL_AT(ps, t, ...) manifest_fail((ps)->d, (ps)->file, (t).line, (t).col, __VA_ARGS__)

/* A table of the manifest's with room for `need` entries (kaal_room). */
static int room(parser_t *ps, void **table, unsigned *n, unsigned need, size_t size)
{
    return kaal_room(&ps->m->mem, table, n, need, size);
}

static void next(parser_t *ps)
{
    ps->tok = manifest_lex_next(&ps->lx);
}

static kaal_err_t unexpected(parser_t *ps, const char *wanted)
{
    char got[40];
    manifest_tok_describe(&ps->tok, got, sizeof(got));
    if (ps->tok.kind == TOK_BAD) {
        return FAIL_AT(ps, ps->tok, "unexpected %s", got);
    }
    return FAIL_AT(ps, ps->tok, "expected %s, found %s", wanted, got);
}

static kaal_err_t end_of_line(parser_t *ps)
{
    if (ps->tok.kind != TOK_NEWLINE && ps->tok.kind != TOK_EOF) {
        return unexpected(ps, "the end of the line");
    }
    return KAAL_OK;
}

static void skip_newlines(parser_t *ps)
{
    while (ps->tok.kind == TOK_NEWLINE) {
        next(ps);
    }
}

/* ---- values ---- */

typedef enum { NUM_OK, NUM_BAD, NUM_TOO_BIG } num_t;

/* Decimal, or hexadecimal after 0x; no sign. */
static num_t parse_number(const char *s, size_t len, seL4_Word *out)
{
    unsigned base = 10;
    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        len -= 2;
    }
    seL4_Word v = 0;
    int too_big = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                            : 99u;
        if (d >= base) {
            return NUM_BAD;
        }
        too_big |= v > (~(seL4_Word)0 - d) / base;
        v = v * base + d;
    }
    *out = v;
    return len == 0 ? NUM_BAD : too_big ? NUM_TOO_BIG : NUM_OK;
}

static kaal_err_t bad_value(parser_t *ps, const token_t *t, num_t why, const char *what)
{
    char got[40];
    manifest_tok_describe(t, got, sizeof(got));
    if (why == NUM_TOO_BIG) {
        return FAIL_AT(ps, *t, "%s is too large", got);
    }
    return FAIL_AT(ps, *t, "%s is not %s", got, what);
}

static kaal_err_t value_number(parser_t *ps, seL4_Word *out)
{
    token_t t = ps->tok;
    if (t.kind != TOK_WORD) {
        return unexpected(ps, "a number");
    }
    num_t n = parse_number(t.s, t.len, out);
    if (n != NUM_OK) {
        return bad_value(ps, &t, n, "a number");
    }
    next(ps);
    return KAAL_OK;
}

/* A number of bytes with an optional K or M suffix: a non-zero number of whole pages. */
static kaal_err_t value_size(parser_t *ps, seL4_Word *out)
{
    token_t t = ps->tok;
    if (t.kind != TOK_WORD) {
        return unexpected(ps, "a size");
    }
    size_t len = t.len;
    unsigned shift = 0;
    if (len > 1 && (t.s[len - 1] == 'K' || t.s[len - 1] == 'M')) {
        shift = t.s[len - 1] == 'K' ? 10 : 20;
        len--;
    }
    seL4_Word v = 0;
    num_t n = parse_number(t.s, len, &v);
    if (n == NUM_OK && (v << shift) >> shift != v) {
        n = NUM_TOO_BIG;
    }
    if (n != NUM_OK) {
        return bad_value(ps, &t, n, "a size (a number, then K or M if you like)");
    }
    *out = v << shift;
    if (*out == 0 || *out % PAGE_SIZE) {
        char got[40];
        manifest_tok_describe(&t, got, sizeof(got));
        return FAIL_AT(ps, t, "size %s is not a non-zero multiple of 4K", got);
    }
    next(ps);
    return KAAL_OK;
}

static int is_name_char(char c, int first)
{
    int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    return letter || (!first && ((c >= '0' && c <= '9') || c == '-'));
}

/* A word of up to MANIFEST_NAME_MAX - 1 characters; if is_name, also a name's characters. */
static kaal_err_t value_word(parser_t *ps, char *buf, int is_name)
{
    token_t t = ps->tok;
    if (t.kind != TOK_WORD) {
        return unexpected(ps, is_name ? "a name" : "a file name");
    }
    if (!manifest_tok_copy(&t, buf, MANIFEST_NAME_MAX)) {
        return FAIL_AT(ps, t, "%s longer than %d characters", is_name ? "name" : "file name", MANIFEST_NAME_MAX - 1);
    }
    for (size_t i = 0; is_name && i < t.len; i++) {
        if (!is_name_char(t.s[i], i == 0)) {
            return FAIL_AT(ps, t, "'%s' is not a name (a letter or '_', then letters, digits, '_' or '-')", buf);
        }
    }
    next(ps);
    return KAAL_OK;
}

/* Whether the len bytes at s are exactly the word w. */
static int is_word(const char *s, size_t len, const char *w)
{
    size_t i = 0;
    while (i < len && w[i] && s[i] == w[i]) {
        i++;
    }
    return i == len && w[i] == '\0';
}

/* A duration: a number, then its unit (ms, s, min or h), with nothing between. Non-zero. */
static kaal_err_t value_duration(parser_t *ps, seL4_Word *ms)
{
    static const struct {
        const char *unit;
        seL4_Word ms;
    } units[] = {{"ms", 1}, {"s", 1000}, {"min", 60000}, {"h", 3600000}};
    token_t t = ps->tok;
    if (t.kind != TOK_WORD) {
        return unexpected(ps, "a duration");
    }
    size_t digits = 0;
    while (digits < t.len && t.s[digits] >= '0' && t.s[digits] <= '9') {
        digits++;
    }
    char got[40];
    manifest_tok_describe(&t, got, sizeof(got));
    for (unsigned i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        seL4_Word v = 0;
        if (!is_word(t.s + digits, t.len - digits, units[i].unit)) {
            continue;
        }
        num_t n = parse_number(t.s, digits, &v);
        if (n == NUM_OK && v > ~(seL4_Word)0 / units[i].ms) {
            n = NUM_TOO_BIG;
        }
        if (n != NUM_OK || v == 0) {
            return n == NUM_TOO_BIG ? FAIL_AT(ps, t, "%s is too large", got)
                                    : FAIL_AT(ps, t, "%s is not a non-zero duration", got);
        }
        *ms = v * units[i].ms;
        next(ps);
        return KAAL_OK;
    }
    return FAIL_AT(ps, t, "%s is not a duration (a number, then ms, s, min or h, like 10s)", got);
}

/* "first-last" or one port "first". */
static kaal_err_t value_ioports(parser_t *ps, manifest_range_t *r)
{
    token_t t = ps->tok;
    if (t.kind != TOK_WORD) {
        return unexpected(ps, "an IO port range");
    }
    size_t dash = 0;
    while (dash < t.len && t.s[dash] != '-') {
        dash++;
    }
    num_t a = parse_number(t.s, dash, &r->first), b = a;
    r->last = r->first;
    if (dash < t.len) {
        b = parse_number(t.s + dash + 1, t.len - dash - 1, &r->last);
    }
    char got[40];
    manifest_tok_describe(&t, got, sizeof(got));
    if (a == NUM_BAD || b == NUM_BAD) {
        return FAIL_AT(ps, t, "%s is not an IO port range (first-last, like 0x3f8-0x3ff)", got);
    }
    if (a == NUM_TOO_BIG || b == NUM_TOO_BIG || r->first > MANIFEST_IOPORT_LAST || r->last > MANIFEST_IOPORT_LAST) {
        return FAIL_AT(ps, t, "IO port range %s goes past 0x%x", got, MANIFEST_IOPORT_LAST);
    }
    if (r->first > r->last) {
        return FAIL_AT(ps, t, "IO port range %s ends before it starts", got);
    }
    r->at = (manifest_pos_t){t.line, t.col};
    next(ps);
    return KAAL_OK;
}

/* ---- the keys of a block ---- */

typedef kaal_err_t (*key_fn)(parser_t *ps, const token_t *key);

typedef struct key_def {
    const char *name;
    key_fn fn;
    int once; /* may be given only once; else as often as memory allows */
} key_def_t;

static kaal_err_t key_image(parser_t *ps, const token_t *key)
{
    (void)key;
    ps->c->image_at = (manifest_pos_t){ps->tok.line, ps->tok.col};
    return value_word(ps, ps->c->image, 0);
}

static kaal_err_t key_priority(parser_t *ps, const token_t *key)
{
    token_t t = ps->tok;
    seL4_Word p = 0;
    kaal_err_t err = value_number(ps, &p);
    if (err == KAAL_OK && p > seL4_MaxPrio) {
        return FAIL_AT(ps, t, "priority %lu is out of range (0 to %d)", (unsigned long)p, seL4_MaxPrio);
    }
    (void)key;
    ps->c->priority = (unsigned)p;
    return err;
}

static kaal_err_t key_stack(parser_t *ps, const token_t *key)
{
    (void)key;
    return value_size(ps, &ps->c->stack);
}

static kaal_err_t key_untyped(parser_t *ps, const token_t *key)
{
    (void)key;
    return value_size(ps, &ps->c->untyped);
}

static kaal_err_t key_memory(parser_t *ps, const token_t *key)
{
    (void)key;
    ps->c->memory_at = (manifest_pos_t){ps->tok.line, ps->tok.col};
    return value_size(ps, &ps->c->memory);
}

static kaal_err_t key_slots(parser_t *ps, const token_t *key)
{
    token_t t = ps->tok;
    kaal_err_t err = value_number(ps, &ps->c->slots);
    if (err == KAAL_OK && (ps->c->slots == 0 || ps->c->slots > MANIFEST_MAX_SLOTS)) {
        return FAIL_AT(ps, t, "slots %lu is out of range (1 to %u)", (unsigned long)ps->c->slots, MANIFEST_MAX_SLOTS);
    }
    (void)key;
    return err;
}

/* A value that is one of two words: *second says whether it was the second. */
static kaal_err_t value_either(parser_t *ps, const char *first, const char *second_word, int *second)
{
    *second = manifest_tok_is(&ps->tok, second_word);
    if (!*second && !manifest_tok_is(&ps->tok, first)) {
        char want[40];
        rt_snprintf(want, sizeof(want), "'%s' or '%s'", first, second_word);
        return unexpected(ps, want);
    }
    next(ps);
    return KAAL_OK;
}

static kaal_err_t key_fault(parser_t *ps, const token_t *key)
{
    (void)key;
    int stop = 0;
    kaal_err_t err = value_either(ps, "restart", "stop", &stop);
    ps->c->fault = stop ? FAULT_STOP : FAULT_RESTART;
    return err;
}

/* "N in DURATION": at most N restarts within any window of DURATION. */
static kaal_err_t key_restarts(parser_t *ps, const token_t *key)
{
    manifest_component_t *c = ps->c;
    token_t t = ps->tok;
    seL4_Word n = 0;
    kaal_err_t err = value_number(ps, &n);
    if (err != KAAL_OK) {
        return err;
    }
    if (n == 0 || n > MANIFEST_MAX_RESTARTS) {
        return FAIL_AT(ps, t, "restarts %lu is out of range (1 to %d; 'fault stop' for none)", (unsigned long)n,
                       MANIFEST_MAX_RESTARTS);
    }
    if (!manifest_tok_is(&ps->tok, "in")) {
        return unexpected(ps, "'in'");
    }
    next(ps);
    c->restarts = (unsigned)n;
    c->restarts_at = (manifest_pos_t){key->line, key->col};
    return value_duration(ps, &c->restart_window_ms);
}

static kaal_err_t key_lifetime(parser_t *ps, const token_t *key)
{
    (void)key;
    int task = 0;
    kaal_err_t err = value_either(ps, "service", "task", &task);
    ps->c->lifetime = task ? LIFETIME_TASK : LIFETIME_SERVICE;
    return err;
}

static kaal_err_t key_ioports(parser_t *ps, const token_t *key)
{
    if (!kaal_arch.has_ioports) {
        return FAIL_AT(ps, *key, "'ioports' are x86's: %s has none", kaal_arch.name);
    }
    manifest_component_t *c = ps->c;
    if (!room(ps, (void **)&c->ioports, &c->ioports_room, c->nioports + 1, sizeof(*c->ioports))) {
        return FAIL_AT(ps, *key, "no memory for another IO port range");
    }
    return value_ioports(ps, &c->ioports[c->nioports++]);
}

static kaal_err_t key_irq(parser_t *ps, const token_t *key)
{
    manifest_component_t *c = ps->c;
    token_t t = ps->tok;
    seL4_Word pin = 0;
    kaal_err_t err = value_number(ps, &pin);
    if (err == KAAL_OK && pin >= kaal_arch.irqs) {
        return FAIL_AT(ps, t, "irq %lu is not an %s (0 to %lu)", (unsigned long)pin, kaal_arch.irq_name,
                       (unsigned long)kaal_arch.irqs - 1);
    }
    unsigned irqs_room = c->irqs_room;
    if (err == KAAL_OK && (!room(ps, (void **)&c->irqs, &irqs_room, c->nirqs + 1, sizeof(*c->irqs)) ||
                           !room(ps, (void **)&c->irq_at, &c->irqs_room, c->nirqs + 1, sizeof(*c->irq_at)))) {
        return FAIL_AT(ps, *key, "no memory for another irq");
    }
    if (err == KAAL_OK) {
        c->irqs[c->nirqs] = pin;
        c->irq_at[c->nirqs++] = (manifest_pos_t){t.line, t.col};
    }
    return err;
}

/* "base size": a page-aligned physical base and a size in pages. */
static kaal_err_t key_mmio(parser_t *ps, const token_t *key)
{
    token_t t = ps->tok;
    seL4_Word base = 0, size = 0;
    kaal_err_t err = value_number(ps, &base);
    if (err == KAAL_OK && base % PAGE_SIZE) {
        return FAIL_AT(ps, t, "mmio base 0x%lx is not 4K aligned", (unsigned long)base);
    }
    if (err == KAAL_OK) {
        err = value_size(ps, &size);
    }
    if (err == KAAL_OK && base + size - 1 < base) {
        return FAIL_AT(ps, t, "mmio 0x%lx of size 0x%lx runs past the end of the address space", (unsigned long)base,
                       (unsigned long)size);
    }
    manifest_component_t *c = ps->c;
    if (err == KAAL_OK && !room(ps, (void **)&c->mmio, &c->mmio_room, c->nmmio + 1, sizeof(*c->mmio))) {
        return FAIL_AT(ps, *key, "no memory for another mmio range");
    }
    if (err == KAAL_OK) {
        c->mmio[c->nmmio++] = (manifest_range_t){base, base + size - 1, {t.line, t.col}};
    }
    return err;
}

static int find_region(const manifest_t *m, const char *name)
{
    for (unsigned i = 0; i < m->nregions; i++) {
        if (rt_strcmp(m->regions[i].name, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* A component's `map REGION [r|rw] [cached|uncached] [at ADDR]`. */
static kaal_err_t key_map(parser_t *ps, const token_t *key)
{
    manifest_component_t *c = ps->c;
    token_t t = ps->tok;
    char name[MANIFEST_NAME_MAX];
    kaal_err_t err = value_word(ps, name, 1);
    if (err != KAAL_OK) {
        return err;
    }
    int r = find_region(ps->m, name);
    if (r < 0) {
        return FAIL_AT(ps, t, "no region '%s' declared before this component", name);
    }
    for (unsigned i = 0; i < c->nregions; i++) {
        if (c->regions[i].region == (unsigned)r) {
            return FAIL_AT(ps, t, "component '%s': region '%s' given twice (first at line %u)", c->name, name,
                           c->regions[i].at.line);
        }
    }
    manifest_region_use_t use = {.region = (unsigned)r, .writable = 1, .cached = 1, .at = {t.line, t.col}};
    const manifest_region_t *region = &ps->m->regions[r];
    while (err == KAAL_OK && ps->tok.kind == TOK_WORD) {
        token_t w = ps->tok;
        if (manifest_tok_is(&w, "r") || manifest_tok_is(&w, "rw")) {
            use.writable = manifest_tok_is(&w, "rw");
            next(ps);
        } else if (manifest_tok_is(&w, "cached") || manifest_tok_is(&w, "uncached")) {
            use.cached = manifest_tok_is(&w, "cached");
            next(ps);
        } else if (manifest_tok_is(&w, "at")) {
            next(ps);
            token_t a = ps->tok;
            err = value_number(ps, &use.vaddr);
            if (err == KAAL_OK && (use.vaddr == 0 || use.vaddr % (1ul << region->page_bits))) {
                return FAIL_AT(ps, a, "region '%s' at 0x%lx: not a non-zero multiple of its page size (%luK)", name,
                               (unsigned long)use.vaddr, (unsigned long)(1ul << region->page_bits) >> 10);
            }
        } else {
            return unexpected(ps, "'r', 'rw', 'cached', 'uncached' or 'at'");
        }
    }
    if (err == KAAL_OK && !room(ps, (void **)&c->regions, &c->regions_room, c->nregions + 1, sizeof(*c->regions))) {
        return FAIL_AT(ps, *key, "no memory for another region");
    }
    if (err == KAAL_OK) {
        c->regions[c->nregions++] = use;
    }
    return err;
}

static kaal_err_t key_size(parser_t *ps, const token_t *key)
{
    (void)key;
    return value_size(ps, &ps->ch->size);
}

static kaal_err_t key_endpoint(parser_t *ps, const token_t *key)
{
    (void)key;
    int grant = 0;
    kaal_err_t err = value_either(ps, "send", "grant", &grant);
    ps->ch->endpoint = grant ? ENDPOINT_GRANT : ENDPOINT_SEND;
    return err;
}

/* A call's `grant yes|no`: whether capabilities may go with a call (and its reply). */
static kaal_err_t key_grant(parser_t *ps, const token_t *key)
{
    (void)key;
    int yes = 0;
    kaal_err_t err = value_either(ps, "no", "yes", &yes);
    ps->ch->endpoint = yes ? ENDPOINT_GRANT : ENDPOINT_SEND;
    return err;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const key_def_t component_keys[] = {
    {"image", key_image, 1},
    {"priority", key_priority, 1},
    {"stack", key_stack, 1},
    {"memory", key_memory, 1},
    {"slots", key_slots, 1},
    {"untyped", key_untyped, 1},
    {"map", key_map, 0},
    {"fault", key_fault, 1},
    {"restarts", key_restarts, 1},
    {"lifetime", key_lifetime, 1},
    {"ioports", key_ioports, 0},
    {"irq", key_irq, 0},
    {"mmio", key_mmio, 0},
};

static const key_def_t channel_keys[] = {
    {"size", key_size, 1},
    {"endpoint", key_endpoint, 1},
};

static const key_def_t call_keys[] = {
    {"grant", key_grant, 1},
};

static kaal_err_t key_region_size(parser_t *ps, const token_t *key)
{
    (void)key;
    ps->region_size_at = (manifest_pos_t){ps->tok.line, ps->tok.col};
    return value_size(ps, &ps->m->regions[ps->m->nregions].size);
}

/* A region's `page 4K|2M`. */
static kaal_err_t key_page(parser_t *ps, const token_t *key)
{
    (void)key;
    int large = 0;
    kaal_err_t err = value_either(ps, "4K", "2M", &large);
    ps->m->regions[ps->m->nregions].page_bits = large ? 21 : 12;
    return err;
}

static const key_def_t region_keys[] = {
    {"size", key_region_size, 1},
    {"page", key_page, 1},
};


_Static_assert(N(component_keys) <= MAX_KEYS && N(channel_keys) <= MAX_KEYS && N(call_keys) <= MAX_KEYS &&
                   N(region_keys) <= MAX_KEYS,
               "seen_at too small");

static kaal_err_t parse_key(parser_t *ps, const key_def_t *keys, unsigned nkeys)
{
    token_t key = ps->tok;
    char k[40];
    manifest_tok_describe(&key, k, sizeof(k));
    if (key.kind != TOK_WORD) {
        return unexpected(ps, "a key or '}'");
    }
    for (unsigned i = 0; i < nkeys; i++) {
        const key_def_t *d = &keys[i];
        if (!manifest_tok_is(&key, d->name)) {
            continue;
        }
        if (d->once && ps->seen_at[i]) {
            return FAIL_AT(ps, key, "%s given twice (first at line %u)", k, ps->seen_at[i]);
        }
        ps->seen_at[i] = key.line;
        next(ps);
        return d->fn(ps, &key);
    }
    return FAIL_AT(ps, key, "unknown key %s", k);
}

/* ---- declarations ---- */

static int is_declaration(const token_t *t);

/* Past the rest of a line inside a block: to its end, or to the block's '}'. */
static void skip_key(parser_t *ps)
{
    while (ps->tok.kind != TOK_NEWLINE && ps->tok.kind != TOK_RBRACE && ps->tok.kind != TOK_EOF) {
        next(ps);
    }
}

/* '{' then keys, one a line, then '}'; the braces may share a line with a key. A key
 * with an error is reported and skipped, so the keys after it are checked too; the
 * block is then an error as a whole. */
static kaal_err_t parse_block(parser_t *ps, const token_t *decl, const char *what, const key_def_t *keys,
                              unsigned nkeys)
{
    if (ps->tok.kind != TOK_LBRACE) {
        return unexpected(ps, "'{'");
    }
    next(ps);
    rt_memset(ps->seen_at, 0, sizeof(ps->seen_at));
    kaal_err_t result = KAAL_OK;
    for (;;) {
        skip_newlines(ps);
        if (ps->tok.kind == TOK_RBRACE) {
            next(ps);
            return result;
        }
        if (ps->tok.kind == TOK_EOF || is_declaration(&ps->tok)) {
            ps->resync = 1;
            return FAIL_AT(ps, *decl, "%s has no closing '}'", what);
        }
        kaal_err_t err = parse_key(ps, keys, nkeys);
        if (err == KAAL_OK && ps->tok.kind != TOK_RBRACE) {
            err = end_of_line(ps);
        }
        if (err != KAAL_OK) {
            result = err;
            skip_key(ps);
        }
    }
}

/* Past the rest of a declaration that broke off: to the end of its line, and through
 * its block if one opens on it. */
static void skip_declaration(parser_t *ps)
{
    if (ps->resync) {
        ps->resync = 0;
        return;
    }
    while (ps->tok.kind != TOK_NEWLINE && ps->tok.kind != TOK_EOF) {
        if (ps->tok.kind == TOK_LBRACE) {
            while (ps->tok.kind != TOK_RBRACE && ps->tok.kind != TOK_EOF && !is_declaration(&ps->tok)) {
                next(ps);
            }
            if (ps->tok.kind != TOK_RBRACE) {
                return; /* no closing brace: the next declaration starts here */
            }
        }
        next(ps);
    }
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

static kaal_err_t parse_system(parser_t *ps, const token_t *decl)
{
    if (ps->system_line) {
        return FAIL_AT(ps, *decl, "'system' given twice (first at line %u)", ps->system_line);
    }
    ps->system_line = decl->line;
    kaal_err_t err = value_word(ps, ps->m->name, 1);
    return err != KAAL_OK ? err : end_of_line(ps);
}

static kaal_err_t parse_component(parser_t *ps, const token_t *decl)
{
    manifest_t *m = ps->m;
    if (!room(ps, (void **)&m->components, &m->components_room, m->ncomponents + 1, sizeof(*m->components))) {
        return FAIL_AT(ps, *decl, "no memory for another component");
    }
    manifest_component_t *c = ps->c = &m->components[m->ncomponents];
    *c = (manifest_component_t){.stack = MANIFEST_DEFAULT_STACK,
                                .memory = MANIFEST_DEFAULT_MEMORY,
                                .slots = MANIFEST_DEFAULT_SLOTS,
                                .restarts = MANIFEST_DEFAULT_RESTARTS,
                                .restart_window_ms = MANIFEST_DEFAULT_RESTART_MS,
                                .line = decl->line,
                                .col = decl->col};
    token_t name = ps->tok;
    kaal_err_t err = value_word(ps, c->name, 1);
    if (err != KAAL_OK) {
        return err;
    }
    int other = find_component(m, c->name);
    if (other >= 0) {
        return FAIL_AT(ps, name, "component '%s' is declared twice (first at line %u)", c->name,
                       m->components[other].line);
    }
    m->ncomponents++; /* declared: the channels below may name it, whatever its block holds */
    char what[64];
    rt_snprintf(what, sizeof(what), "component '%s'", c->name);
    err = parse_block(ps, decl, what, component_keys, N(component_keys));
    if (err != KAAL_OK) {
        return err;
    }
    if (c->image[0] == '\0') {
        return FAIL_AT(ps, *decl, "component '%s' has no image", c->name);
    }
    if (c->restarts_at.line && c->fault != FAULT_RESTART) {
        return manifest_fail(ps->d, ps->file, c->restarts_at.line, c->restarts_at.col,
                             "component '%s': 'restarts' is a budget for 'fault restart'", c->name);
    }
    return end_of_line(ps);
}

static const char *connection_word(const manifest_channel_t *ch)
{
    return ch->kind == CONNECTION_CALL ? "call" : "channel";
}

static kaal_err_t channel_end(parser_t *ps, unsigned *index)
{
    token_t t = ps->tok;
    char name[MANIFEST_NAME_MAX];
    kaal_err_t err = value_word(ps, name, 1);
    if (err != KAAL_OK) {
        return err;
    }
    int i = find_component(ps->m, name);
    if (i < 0) {
        return FAIL_AT(ps, t, "no component '%s' declared before this %s", name, connection_word(ps->ch));
    }
    *index = (unsigned)i;
    return KAAL_OK;
}

/* `channel FROM -> TO [{ keys }]` or `call CLIENT -> SERVER [{ keys }]`. */
static kaal_err_t parse_connection(parser_t *ps, const token_t *decl, connection_kind_t kind)
{
    manifest_t *m = ps->m;
    const char *word = kind == CONNECTION_CALL ? "call" : "channel";
    if (!room(ps, (void **)&m->channels, &m->channels_room, m->nchannels + 1, sizeof(*m->channels))) {
        return FAIL_AT(ps, *decl, "no memory for another %s", word);
    }
    manifest_channel_t *ch = ps->ch = &m->channels[m->nchannels];
    *ch = (manifest_channel_t){.kind = kind,
                               .size = kind == CONNECTION_CALL ? 0 : MANIFEST_DEFAULT_CHANNEL,
                               .endpoint = kind == CONNECTION_CALL ? ENDPOINT_SEND : ENDPOINT_NONE,
                               .line = decl->line,
                               .col = decl->col};
    kaal_err_t err = channel_end(ps, &ch->from);
    if (err != KAAL_OK) {
        return err;
    }
    if (ps->tok.kind != TOK_ARROW) {
        return unexpected(ps, "'->'");
    }
    next(ps);
    token_t to = ps->tok;
    if ((err = channel_end(ps, &ch->to)) != KAAL_OK) {
        return err;
    }
    const char *from_name = m->components[ch->from].name;
    if (ch->to == ch->from) {
        return FAIL_AT(ps, to, "%s from '%s' to itself", word, from_name);
    }
    if (ps->tok.kind == TOK_LBRACE) {
        char what[96];
        rt_snprintf(what, sizeof(what), "%s %s -> %s", word, from_name, m->components[ch->to].name);
        err = kind == CONNECTION_CALL ? parse_block(ps, decl, what, call_keys, N(call_keys))
                                      : parse_block(ps, decl, what, channel_keys, N(channel_keys));
        if (err != KAAL_OK) {
            return err;
        }
    }
    m->nchannels++;
    m->components[ch->from].nchannel_ends++;
    m->components[ch->to].nchannel_ends++;
    return end_of_line(ps);
}

static kaal_err_t parse_channel(parser_t *ps, const token_t *decl)
{
    return parse_connection(ps, decl, CONNECTION_CHANNEL);
}

/* `region NAME { size SIZE [page 4K|2M] }`. */
static kaal_err_t parse_region(parser_t *ps, const token_t *decl)
{
    manifest_t *m = ps->m;
    if (!room(ps, (void **)&m->regions, &m->regions_room, m->nregions + 1, sizeof(*m->regions))) {
        return FAIL_AT(ps, *decl, "no memory for another region");
    }
    manifest_region_t *r = &m->regions[m->nregions];
    *r = (manifest_region_t){.page_bits = 12, .line = decl->line, .col = decl->col};
    token_t name = ps->tok;
    kaal_err_t err = value_word(ps, r->name, 1);
    if (err != KAAL_OK) {
        return err;
    }
    if (find_region(m, r->name) >= 0) {
        return FAIL_AT(ps, name, "region '%s' is declared twice (first at line %u)", r->name,
                       m->regions[find_region(m, r->name)].line);
    }
    char what[64];
    rt_snprintf(what, sizeof(what), "region '%s'", r->name);
    ps->region_size_at = (manifest_pos_t){0, 0};
    if ((err = parse_block(ps, decl, what, region_keys, N(region_keys))) != KAAL_OK) {
        return err;
    }
    if (r->size == 0) {
        return FAIL_AT(ps, *decl, "region '%s' has no size", r->name);
    }
    if (r->size % (1ul << r->page_bits)) {
        return manifest_fail(ps->d, ps->file, ps->region_size_at.line, ps->region_size_at.col,
                             "region '%s': size %luK is not a multiple of its page size (%luK)", r->name,
                             (unsigned long)(r->size >> 10), (unsigned long)(1ul << r->page_bits) >> 10);
    }
    m->nregions++;
    return end_of_line(ps);
}

static kaal_err_t parse_call(parser_t *ps, const token_t *decl)
{
    return parse_connection(ps, decl, CONNECTION_CALL);
}

typedef kaal_err_t (*decl_fn)(parser_t *ps, const token_t *decl);

static const struct {
    const char *name;
    decl_fn fn;
} declarations[] = {
    {"system", parse_system},
    {"component", parse_component},
    {"channel", parse_channel},
    {"call", parse_call},
    {"region", parse_region},
};

static int is_declaration(const token_t *t)
{
    for (unsigned i = 0; i < N(declarations); i++) {
        if (manifest_tok_is(t, declarations[i].name)) {
            return 1;
        }
    }
    return 0;
}

static kaal_err_t parse_declaration(parser_t *ps)
{
    token_t decl = ps->tok;
    for (unsigned i = 0; i < N(declarations); i++) {
        if (manifest_tok_is(&decl, declarations[i].name)) {
            next(ps);
            return declarations[i].fn(ps, &decl);
        }
    }
    return unexpected(ps, "'system', 'component', 'channel', 'call' or 'region'");
}

/* Every declaration; one with an error is reported and skipped, and the rest are checked
 * too. The whole-system checks need a whole system: they run only if all parsed. */
static kaal_err_t parse_all(parser_t *ps)
{
    kaal_err_t result = KAAL_OK;
    next(ps);
    for (;;) {
        skip_newlines(ps);
        if (ps->tok.kind == TOK_EOF) {
            break;
        }
        kaal_err_t err = parse_declaration(ps);
        if (err != KAAL_OK) {
            result = err;
            skip_declaration(ps);
        }
    }
    if (result != KAAL_OK) {
        return result;
    }
    if (ps->m->ncomponents == 0) {
        return FAIL_AT(ps, ps->tok, "the system has no components");
    }
    return manifest_check_grants(ps->m, ps->file, ps->d);
}

kaal_err_t manifest_parse_diag(const char *text, size_t len, const char *file, kaal_allocator_t mem, manifest_t *out,
                               manifest_diag_t *d)
{
    if (!out || !d) {
        return KAAL_E_INVAL;
    }
    parser_t ps = {.file = file, .m = out, .d = d};
    rt_memset(out, 0, sizeof(*out));
    out->mem = mem;
    manifest_lex_init(&ps.lx, text, len);
    return parse_all(&ps);
}

kaal_err_t manifest_parse(const char *text, size_t len, const char *file, kaal_allocator_t mem, manifest_t *out,
                          manifest_error_t *err)
{
    manifest_diag_t d = {.first = err};
    if (err) {
        rt_memset(err, 0, sizeof(*err));
    }
    kaal_err_t e = manifest_parse_diag(text, len, file, mem, out, &d);
    if (e == KAAL_E_MANIFEST) {
        manifest_free(out); /* nothing half-parsed reaches the caller */
    }
    return e;
}

static void give_back(const kaal_allocator_t *mem, void *table, unsigned n, size_t size)
{
    if (table) {
        mem->free(mem->ctx, table, (seL4_Word)n * size);
    }
}

void manifest_free(manifest_t *m)
{
    kaal_allocator_t mem = m->mem;
    for (unsigned i = 0; mem.free && i < m->ncomponents; i++) {
        manifest_component_t *c = &m->components[i];
        give_back(&mem, c->ioports, c->ioports_room, sizeof(*c->ioports));
        give_back(&mem, c->irqs, c->irqs_room, sizeof(*c->irqs));
        give_back(&mem, c->irq_at, c->irqs_room, sizeof(*c->irq_at));
        give_back(&mem, c->mmio, c->mmio_room, sizeof(*c->mmio));
        give_back(&mem, c->regions, c->regions_room, sizeof(*c->regions));
    }
    if (mem.free) {
        give_back(&mem, m->components, m->components_room, sizeof(*m->components));
        give_back(&mem, m->channels, m->channels_room, sizeof(*m->channels));
        give_back(&mem, m->regions, m->regions_room, sizeof(*m->regions));
    }
    rt_memset(m, 0, sizeof(*m));
}

unsigned manifest_count(const manifest_t *m, connection_kind_t kind)
{
    unsigned n = 0;
    for (unsigned k = 0; k < m->nchannels; k++) {
        n += m->channels[k].kind == kind;
    }
    return n;
}
