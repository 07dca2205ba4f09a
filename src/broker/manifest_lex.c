/*
 * Tokens of the system description, and error reports at their positions.
 * '#' starts a comment; spaces, tabs and a CR are blank, except that CRLF
 * is one line end; '{', '}' and '->' stand alone, so `a->b {size 4K}` is
 * seven tokens. Any other control character is a token of its own, TOK_BAD.
 */
#include <stdarg.h>
#include <kaal/rt.h>
#include "manifest_internal.h"

void manifest_lex_init(lexer_t *lx, const char *text, size_t len)
{
    lx->p = text ? text : "";
    lx->end = lx->p + (text ? len : 0);
    lx->line = 1;
    lx->col = 1;
}

static void advance(lexer_t *lx)
{
    if (*lx->p == '\n') {
        lx->line++;
        lx->col = 1;
    } else {
        lx->col++;
    }
    lx->p++;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static int is_control(char c)
{
    return (unsigned char)c < 0x20 || c == 0x7f;
}

static int is_arrow(const lexer_t *lx)
{
    return lx->end - lx->p >= 2 && lx->p[0] == '-' && lx->p[1] == '>';
}

static int at_crlf(const lexer_t *lx)
{
    return lx->end - lx->p >= 2 && lx->p[0] == '\r' && lx->p[1] == '\n';
}

static int ends_word(const lexer_t *lx)
{
    char c = *lx->p;
    return is_blank(c) || is_control(c) || c == '{' || c == '}' || c == '#' || is_arrow(lx);
}

static void skip_blanks_and_comments(lexer_t *lx)
{
    while (lx->p < lx->end && !at_crlf(lx) && (is_blank(*lx->p) || *lx->p == '#')) {
        if (*lx->p == '#') {
            while (lx->p < lx->end && *lx->p != '\n' && !at_crlf(lx)) {
                advance(lx);
            }
        } else {
            advance(lx);
        }
    }
}

/* Tokens whose text is fixed: the kind and how many bytes it takes. */
static int fixed_token(const lexer_t *lx, tok_kind_t *kind, size_t *len)
{
    char c = *lx->p;
    *len = 1;
    if (at_crlf(lx) || is_arrow(lx)) {
        *kind = c == '\r' ? TOK_NEWLINE : TOK_ARROW;
        *len = 2;
    } else if (c == '\n' || c == '{' || c == '}') {
        *kind = c == '\n' ? TOK_NEWLINE : c == '{' ? TOK_LBRACE : TOK_RBRACE;
    } else if (is_control(c)) {
        *kind = TOK_BAD;
    } else {
        return 0;
    }
    return 1;
}

token_t manifest_lex_next(lexer_t *lx)
{
    skip_blanks_and_comments(lx);
    token_t t = {TOK_EOF, lx->p, 0, lx->line, lx->col};
    if (lx->p == lx->end) {
        return t;
    }
    if (fixed_token(lx, &t.kind, &t.len)) {
        for (size_t i = 0; i < t.len; i++) {
            advance(lx);
        }
        return t;
    }
    t.kind = TOK_WORD;
    t.len = 0;
    while (lx->p < lx->end && !ends_word(lx)) {
        advance(lx);
        t.len++;
    }
    return t;
}

int manifest_tok_is(const token_t *t, const char *word)
{
    size_t i = 0;
    if (t->kind != TOK_WORD) {
        return 0;
    }
    for (; i < t->len && word[i]; i++) {
        if (t->s[i] != word[i]) {
            return 0;
        }
    }
    return i == t->len && word[i] == '\0';
}

int manifest_tok_copy(const token_t *t, char *buf, size_t size)
{
    if (t->kind != TOK_WORD || t->len >= size) {
        return 0;
    }
    rt_memcpy(buf, t->s, t->len);
    buf[t->len] = '\0';
    return 1;
}

#define DESCRIBE_MAX 24 /* characters of a long word shown in a message */

void manifest_tok_describe(const token_t *t, char *buf, size_t size)
{
    static const char *const names[] = {
        [TOK_LBRACE] = "'{'",          [TOK_RBRACE] = "'}'",      [TOK_ARROW] = "'->'",
        [TOK_NEWLINE] = "end of line", [TOK_EOF] = "end of file",
    };
    if (t->kind == TOK_BAD) {
        rt_snprintf(buf, size, "character 0x%02x", (unsigned char)t->s[0]);
    } else if (t->kind != TOK_WORD) {
        rt_snprintf(buf, size, "%s", names[t->kind]);
    } else {
        char word[DESCRIBE_MAX + 1];
        size_t n = t->len > DESCRIBE_MAX ? DESCRIBE_MAX : t->len;
        rt_memcpy(word, t->s, n);
        word[n] = '\0';
        rt_snprintf(buf, size, "'%s%s'", word, t->len > DESCRIBE_MAX ? "..." : "");
    }
}

kaal_err_t manifest_fail(manifest_diag_t *d, const char *file, unsigned line, unsigned col, const char *fmt, ...)
{
    manifest_error_t e = {.line = line, .col = col};
    int n = rt_snprintf(e.message, sizeof(e.message), "%s:%u:%u: ", file ? file : "(system)", line, col);
    if (n >= 0 && (size_t)n < sizeof(e.message)) { /* a file name too long leaves no room for the rest */
        va_list ap;
        va_start(ap, fmt);
        rt_vsnprintf(e.message + n, sizeof(e.message) - (size_t)n, fmt, ap);
        va_end(ap);
    }
    if (d->count++ == 0 && d->first) {
        *d->first = e;
    }
    if (d->report) {
        d->report(d->ctx, &e);
    }
    return KAAL_E_MANIFEST;
}
