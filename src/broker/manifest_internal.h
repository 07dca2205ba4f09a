/*
 * Shared by the system description's files: the tokenizer and error
 * reports (manifest_lex.c), the parser (manifest.c) and the whole-system
 * checks (manifest_check.c).
 */
#pragma once

#include <stddef.h>
#include <kaal/manifest.h>

/* Words, braces, arrows and line ends. A control character is TOK_BAD. */
typedef enum { TOK_WORD, TOK_LBRACE, TOK_RBRACE, TOK_ARROW, TOK_NEWLINE, TOK_EOF, TOK_BAD } tok_kind_t;

typedef struct token {
    tok_kind_t kind;
    const char *s;
    size_t len;
    unsigned line, col;
} token_t;

typedef struct lexer {
    const char *p, *end;
    unsigned line, col;
} lexer_t;

void manifest_lex_init(lexer_t *lx, const char *text, size_t len);
token_t manifest_lex_next(lexer_t *lx);
int manifest_tok_is(const token_t *t, const char *word);
/* The token for a message: a word quoted ('image', cut short with ... if long), else its name. */
void manifest_tok_describe(const token_t *t, char *buf, size_t size);
/* The word itself, NUL-terminated; 0 if it does not fit in size. */
int manifest_tok_copy(const token_t *t, char *buf, size_t size);

/* Reports "file:line:col: message" through d (manifest.h) and returns KAAL_E_MANIFEST. */
kaal_err_t manifest_fail(manifest_diag_t *d, const char *file, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Grants no two components, and no component twice, may hold: IO ports, IRQ pins, MMIO; every
 * conflict reported, in the order of the file. */
kaal_err_t manifest_check_grants(const manifest_t *m, const char *file, manifest_diag_t *d);
