/* Tokens of the system description: '#' starts a comment, CR is blank, braces stand alone. */
#include "manifest_lex.h"

void lex_init(lexer_t *lx, const char *text, size_t len)
{
    lx->p = text;
    lx->end = text + len;
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

static int ends_word(char c)
{
    return is_blank(c) || c == '\n' || c == '{' || c == '}' || c == '#';
}

token_t lex_next(lexer_t *lx)
{
    while (lx->p < lx->end && (is_blank(*lx->p) || *lx->p == '#')) {
        if (*lx->p == '#') {
            while (lx->p < lx->end && *lx->p != '\n') {
                advance(lx);
            }
        } else {
            advance(lx);
        }
    }
    token_t t = {TOK_EOF, lx->p, 0, lx->line, lx->col};
    if (lx->p == lx->end) {
        return t;
    }
    char c = *lx->p;
    if (c == '\n' || c == '{' || c == '}') {
        t.kind = c == '\n' ? TOK_NEWLINE : c == '{' ? TOK_LBRACE : TOK_RBRACE;
        t.len = 1;
        advance(lx);
        return t;
    }
    t.kind = TOK_WORD;
    while (lx->p < lx->end && !ends_word(*lx->p)) {
        advance(lx);
        t.len++;
    }
    return t;
}

int tok_is(const token_t *t, const char *word)
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

void tok_copy(const token_t *t, char *buf, size_t size)
{
    static const char *const names[] = {"", "'{'", "'}'", "end of line", "end of file"};
    const char *s = t->kind == TOK_WORD ? t->s : names[t->kind];
    size_t n = t->kind == TOK_WORD ? t->len : 0;
    if (t->kind != TOK_WORD) {
        while (s[n]) {
            n++;
        }
    }
    if (n >= size) {
        n = size - 1;
    }
    for (size_t i = 0; i < n; i++) {
        buf[i] = s[i];
    }
    buf[n] = '\0';
}
