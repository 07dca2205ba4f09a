/* The system description's tokens: words, braces and line ends, with their positions. */
#pragma once

#include <stddef.h>

typedef enum { TOK_WORD, TOK_LBRACE, TOK_RBRACE, TOK_NEWLINE, TOK_EOF } tok_kind_t;

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

void lex_init(lexer_t *lx, const char *text, size_t len);
token_t lex_next(lexer_t *lx);
int tok_is(const token_t *t, const char *word);
/* The token's text, NUL-terminated and cut to fit, for messages and names. */
void tok_copy(const token_t *t, char *buf, size_t size);
