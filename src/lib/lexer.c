#include "lexer.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

void lexer_init(struct lexer *lx, const struct source *src, struct syscage_diagnostics *diags)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = src;
	lx->line = 1;
	lx->diags = diags;
}

static struct loc loc_here(const struct lexer *lx, size_t start, size_t end)
{
	struct loc loc = {
		.src = lx->src,
		.offset = start,
		.line = lx->line,
		.col = (unsigned)(start - lx->line_start + 1),
		.len = (unsigned)(end - start),
	};
	return loc;
}

/* ASCII only, and without the locale's tables: policies are ASCII. One
 * table for the loops that run over every byte. */
enum { CLASS_ALPHA = 1, CLASS_DIGIT = 2, CLASS_IDENT = 4, CLASS_BLANK = 8 };

static const uint8_t char_class[256] = {
	['a' ... 'z'] = CLASS_ALPHA | CLASS_IDENT,
	['A' ... 'Z'] = CLASS_ALPHA | CLASS_IDENT,
	['0' ... '9'] = CLASS_DIGIT | CLASS_IDENT,
	['_'] = CLASS_IDENT,
	[' '] = CLASS_BLANK, ['\t'] = CLASS_BLANK, ['\r'] = CLASS_BLANK,
};

static bool is_alpha(int c)
{
	return char_class[c] & CLASS_ALPHA;
}

static bool is_digit(int c)
{
	return char_class[c] & CLASS_DIGIT;
}

static bool is_ident_start(int c)
{
	return is_alpha(c) || c == '_';
}

static bool is_ident_char(int c)
{
	return char_class[c] & CLASS_IDENT;
}

/* Identifiers may hold a '-' between letters ("kill-thread"); group names
 * also '.' and digits after it ("@newer-than-6.1"). */
static size_t scan_name(const struct lexer *lx, size_t pos, bool group)
{
	const char *t = lx->src->text;
	size_t len = lx->src->len;

	while (pos < len) {
		int c = (unsigned char)t[pos];

		if (is_ident_char(c) || (group && c == '.' && pos + 1 < len &&
					 is_digit((unsigned char)t[pos + 1]))) {
			pos++;
		} else if (c == '-' && pos + 1 < len &&
			   (is_alpha((unsigned char)t[pos + 1]) ||
			    (group && is_digit((unsigned char)t[pos + 1])))) {
			pos++;
		} else {
			break;
		}
	}
	return pos;
}

static struct token lex_number(struct lexer *lx, size_t start)
{
	const char *t = lx->src->text;
	size_t pos = start, len = lx->src->len;
	unsigned base = 10;
	uint64_t value = 0;
	bool overflow = false, bad = false;
	struct token tok = { .kind = TOK_NUMBER };

	if (t[pos] == '0' && pos + 1 < len && (t[pos + 1] == 'x' || t[pos + 1] == 'X')) {
		base = 16;
		pos += 2;
	} else if (t[pos] == '0' && pos + 1 < len && (t[pos + 1] == 'b' || t[pos + 1] == 'B')) {
		base = 2;
		pos += 2;
	} else if (t[pos] == '0') {
		base = 8;
	}
	size_t digits = pos;
	while (pos < len && (isalnum((unsigned char)t[pos]) || t[pos] == '_')) {
		int c = tolower((unsigned char)t[pos]);
		unsigned d = isdigit(c) ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 99;

		if (d >= base) {
			bad = true;
		} else {
			if (value > (UINT64_MAX - d) / base)
				overflow = true;
			value = value * base + d;
		}
		pos++;
	}
	tok.loc = loc_here(lx, start, pos);
	tok.start = t + start;
	tok.len = (unsigned)(pos - start);
	lx->pos = pos;
	if (bad || pos == digits) {
		diag_report(lx->diags, SYSCAGE_ERROR, tok.loc,
			    "write numbers in decimal (42), hex (0x2a), octal (052) or binary (0b101010)",
			    "'%.*s' is not a valid number", (int)tok.len, tok.start);
		tok.kind = TOK_ERROR;
	} else if (overflow) {
		diag_report(lx->diags, SYSCAGE_ERROR, tok.loc,
			    "syscall arguments are at most 64 bits wide", "number '%.*s' is too large",
			    (int)tok.len, tok.start);
		tok.kind = TOK_ERROR;
	}
	tok.number = value;
	return tok;
}

/* The operator at s (left bytes), or TOK_EOF; *used is its length. The
 * two-character ones win: "==" over "=". */
static enum token_kind match_operator(const char *s, size_t left, size_t *used)
{
	char next = left > 1 ? s[1] : '\0';

	*used = 1;
	switch (s[0]) {
	case ',': return TOK_COMMA;
	case '(': return TOK_LPAREN;
	case ')': return TOK_RPAREN;
	case '~': return TOK_TILDE;
	case '-': return TOK_MINUS;
	case '=':
		*used = 1 + (next == '=');
		return next == '=' ? TOK_EQ : TOK_ASSIGN;
	case '!':
		*used = 1 + (next == '=');
		return next == '=' ? TOK_NE : TOK_BANG;
	case '<':
		*used = 1 + (next == '=');
		return next == '=' ? TOK_LE : TOK_LT;
	case '>':
		*used = 1 + (next == '=');
		return next == '=' ? TOK_GE : TOK_GT;
	case '&':
		*used = 1 + (next == '&');
		return next == '&' ? TOK_ANDAND : TOK_AMP;
	case '|':
		*used = 1 + (next == '|');
		return next == '|' ? TOK_OROR : TOK_PIPE;
	default:
		*used = 0;
		return TOK_EOF;
	}
}

void lexer_next(struct lexer *lx, struct token *tok)
{
	const char *t = lx->src->text;
	size_t len = lx->src->len;
	size_t start;

	*tok = (struct token){ .kind = TOK_EOF };
	for (;;) {
		while (lx->pos < len && (char_class[(unsigned char)t[lx->pos]] & CLASS_BLANK))
			lx->pos++;
		if (lx->pos < len && t[lx->pos] == '#') {
			while (lx->pos < len && t[lx->pos] != '\n')
				lx->pos++;
		}
		/* A backslash at the end of a line continues the statement. */
		if (lx->pos + 1 < len && t[lx->pos] == '\\' && t[lx->pos + 1] == '\n') {
			lx->pos += 2;
			lx->line++;
			lx->line_start = lx->pos;
			continue;
		}
		break;
	}
	start = lx->pos;
	tok->start = t + start;
	if (start >= len) {
		tok->loc = loc_here(lx, start, start);
		return;
	}
	if (t[start] == '\n') {
		tok->kind = TOK_NEWLINE;
		tok->loc = loc_here(lx, start, start + 1);
		tok->len = 1;
		lx->pos++;
		lx->line++;
		lx->line_start = lx->pos;
		return;
	}
	if (is_ident_start((unsigned char)t[start])) {
		lx->pos = scan_name(lx, start, false);
		tok->kind = TOK_IDENT;
	} else if (t[start] == '@') {
		lx->pos = scan_name(lx, start + 1, true);
		tok->kind = TOK_GROUP;
		if (lx->pos == start + 1) {
			tok->loc = loc_here(lx, start, start + 1);
			diag_report(lx->diags, SYSCAGE_ERROR, tok->loc,
				    "group names look like @stdio or @file-read",
				    "expected a group name after '@'");
			tok->kind = TOK_ERROR;
		}
	} else if (is_digit((unsigned char)t[start])) {
		*tok = lex_number(lx, start);
		return;
	} else if (t[start] == '"') {
		size_t pos = start + 1;

		while (pos < len && t[pos] != '"' && t[pos] != '\n')
			pos++;
		if (pos >= len || t[pos] != '"') {
			tok->loc = loc_here(lx, start, pos);
			diag_report(lx->diags, SYSCAGE_ERROR, tok->loc,
				    "close the string with '\"' on the same line",
				    "unterminated string");
			lx->pos = pos;
			tok->kind = TOK_ERROR;
			return;
		}
		lx->pos = pos + 1;
		tok->kind = TOK_STRING;
	} else {
		tok->kind = match_operator(t + start, len - start, &lx->pos);
		lx->pos += start;
		if (tok->kind == TOK_EOF) {
			unsigned char c = (unsigned char)t[start];

			lx->pos = start + 1;
			tok->loc = loc_here(lx, start, start + 1);
			if (isprint(c))
				diag_report(lx->diags, SYSCAGE_ERROR, tok->loc, NULL,
					    "unexpected character '%c'", c);
			else
				diag_report(lx->diags, SYSCAGE_ERROR, tok->loc, NULL,
					    "unexpected byte 0x%02x", c);
			tok->kind = TOK_ERROR;
			return;
		}
	}
	tok->len = (unsigned)(lx->pos - start);
	tok->loc = loc_here(lx, start, lx->pos);
}

const char *token_kind_name(enum token_kind kind)
{
	static const char *const names[] = {
		[TOK_EOF] = "end of file", [TOK_NEWLINE] = "end of line",
		[TOK_IDENT] = "a name", [TOK_GROUP] = "a @group",
		[TOK_NUMBER] = "a number", [TOK_STRING] = "a string",
		[TOK_COMMA] = "','", [TOK_LPAREN] = "'('", [TOK_RPAREN] = "')'",
		[TOK_ASSIGN] = "'='", [TOK_EQ] = "'=='", [TOK_NE] = "'!='",
		[TOK_LT] = "'<'", [TOK_LE] = "'<='", [TOK_GT] = "'>'", [TOK_GE] = "'>='",
		[TOK_AMP] = "'&'", [TOK_PIPE] = "'|'", [TOK_TILDE] = "'~'",
		[TOK_MINUS] = "'-'", [TOK_ANDAND] = "'&&'", [TOK_OROR] = "'||'",
		[TOK_BANG] = "'!'", [TOK_ERROR] = "an invalid token",
	};
	return names[kind];
}
