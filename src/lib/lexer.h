/* Splitting policy text into tokens. */
#ifndef SYSCAGE_LEXER_H
#define SYSCAGE_LEXER_H

#include <stdint.h>

#include "diag.h"

enum token_kind {
	TOK_EOF,
	TOK_NEWLINE,
	TOK_IDENT,	/* allow, openat, O_RDONLY, kill-thread, arg0 */
	TOK_GROUP,	/* @file-read, @newer-than-6.1 */
	TOK_NUMBER,	/* 42, 0x1f, 0755 (no sign: '-' is an operator) */
	TOK_STRING,	/* "file.policy" */
	TOK_COMMA,
	TOK_LPAREN,
	TOK_RPAREN,
	TOK_ASSIGN,	/* = */
	TOK_EQ,		/* == */
	TOK_NE,		/* != */
	TOK_LT,
	TOK_LE,
	TOK_GT,
	TOK_GE,
	TOK_AMP,	/* & */
	TOK_PIPE,	/* | */
	TOK_TILDE,
	TOK_MINUS,
	TOK_ANDAND,
	TOK_OROR,
	TOK_BANG,
	TOK_ERROR,	/* reported already */
};

struct token {
	enum token_kind kind;
	struct loc loc;
	const char *start;	/* into the source text */
	unsigned len;
	uint64_t number;	/* TOK_NUMBER */
};

struct lexer {
	const struct source *src;
	size_t pos;
	unsigned line;
	size_t line_start;
	struct syscage_diagnostics *diags;
};

void lexer_init(struct lexer *lx, const struct source *src, struct syscage_diagnostics *diags);

/* The next token, into *tok; errors (a stray character, a number too
 * large) are reported to diags and returned as TOK_ERROR. */
void lexer_next(struct lexer *lx, struct token *tok);

/* A readable name of a token kind for messages: "','", "end of line". */
const char *token_kind_name(enum token_kind kind);

#endif
