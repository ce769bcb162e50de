#include "parser.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "constants.h"
#include "lexer.h"

/* Deeper include chains are almost surely a cycle through symlinks. */
#define MAX_INCLUDE_DEPTH 16
/* Policy files larger than this are not policies. */
#define MAX_POLICY_BYTES (16u << 20)
/* Bounds the recursion of the expression parser on hostile input. */
#define MAX_EXPR_DEPTH 200

struct parser {
	struct parser_input *in;
	struct lexer lx;
	struct token tok;
	unsigned depth;			/* include depth of this file */
	const char *dir;		/* directory of this file, for includes */
	const char *const *chain;	/* real paths of the including files */
	unsigned expr_depth;
	unsigned paren_depth;
	bool failed;			/* an error in the current statement */
};

static int parse_source(struct parser_input *in, const struct source *src, const char *dir,
			unsigned depth, const char *const *chain);

/* ---- tokens ------------------------------------------------------------- */

static bool tok_is_word(const struct token *tok, const char *word)
{
	return tok->kind == TOK_IDENT && strlen(word) == tok->len &&
	       memcmp(tok->start, word, tok->len) == 0;
}

/*
 * A statement goes on over a line break inside parentheses, after a comma
 * and after `&&`, `||`, `and`, `or`: places where a reader sees at once that
 * the line is not finished. Anywhere else a line break ends the statement,
 * so a broken line is reported where it breaks, not on the next one.
 */
static bool continues_line(const struct parser *p)
{
	return p->paren_depth > 0 || p->tok.kind == TOK_COMMA || p->tok.kind == TOK_ANDAND ||
	       p->tok.kind == TOK_OROR || tok_is_word(&p->tok, "and") || tok_is_word(&p->tok, "or");
}

static void advance(struct parser *p)
{
	bool cont;

	if (p->tok.kind == TOK_LPAREN)
		p->paren_depth++;
	else if (p->tok.kind == TOK_RPAREN && p->paren_depth > 0)
		p->paren_depth--;
	cont = continues_line(p);
	do {
		lexer_next(&p->lx, &p->tok);
	} while (cont && p->tok.kind == TOK_NEWLINE);
	if (p->tok.kind == TOK_ERROR)
		p->failed = true;
}

static char *tok_text(struct parser *p, const struct token *tok)
{
	return arena_strndup(p->in->arena, tok->start, tok->len);
}

static void describe_token(const struct token *tok, char *buf, size_t size)
{
	if (tok->kind == TOK_IDENT || tok->kind == TOK_NUMBER || tok->kind == TOK_GROUP)
		snprintf(buf, size, "'%.*s'", (int)(tok->len > 40 ? 40 : tok->len), tok->start);
	else
		snprintf(buf, size, "%s", token_kind_name(tok->kind));
}

/* Reports "expected X, found Y" once per statement. */
static void expected(struct parser *p, const char *what, const char *hint)
{
	char found[64];

	struct loc loc = p->tok.loc;

	if (p->failed)
		return;
	p->failed = true;
	describe_token(&p->tok, found, sizeof(found));
	/* At the end of the file, point after the last thing written rather
	 * than at the empty line behind the final newline. */
	if (p->tok.kind == TOK_EOF && loc.line > 1 && loc.col == 1) {
		size_t end = loc.offset;

		while (end > 0 && (p->lx.src->text[end - 1] == '\n' || p->lx.src->text[end - 1] == ' '))
			end--;
		loc = diag_line_loc(p->lx.src, 1);
		for (size_t i = 0; i < end; i++) {
			if (p->lx.src->text[i] == '\n')
				loc = diag_line_loc(p->lx.src, loc.line + 1);
		}
		loc.col = (unsigned)(end - loc.offset + 1);
		loc.offset = end;
		loc.len = 1;
	}
	diag_report(p->in->diags, SYSCAGE_ERROR, loc, hint, "expected %s, found %s", what, found);
}

static void skip_to_line_end(struct parser *p)
{
	while (p->tok.kind != TOK_NEWLINE && p->tok.kind != TOK_EOF)
		lexer_next(&p->lx, &p->tok);
}

/* ---- actions -------------------------------------------------------------- */

static const struct {
	const char *word;
	enum syscage_action kind;
} action_words[] = {
	{ "allow", SYSCAGE_ACTION_ALLOW },
	{ "kill", SYSCAGE_ACTION_KILL_PROCESS },
	{ "kill-process", SYSCAGE_ACTION_KILL_PROCESS },
	{ "kill-thread", SYSCAGE_ACTION_KILL_THREAD },
	{ "trap", SYSCAGE_ACTION_TRAP },
	{ "errno", SYSCAGE_ACTION_ERRNO },
	{ "log", SYSCAGE_ACTION_LOG },
	{ "notify", SYSCAGE_ACTION_NOTIFY },
	{ "trace", SYSCAGE_ACTION_TRACE },
};

static int action_word(const struct token *tok)
{
	for (size_t i = 0; i < sizeof(action_words) / sizeof(action_words[0]); i++) {
		if (tok_is_word(tok, action_words[i].word))
			return (int)i;
	}
	return -1;
}

static void parse_errno_value(struct parser *p, struct action *action)
{
	if (p->tok.kind == TOK_NUMBER) {
		if (p->tok.number < 1 || p->tok.number > 4095) {
			diag_report(p->in->diags, SYSCAGE_ERROR, p->tok.loc,
				    "the kernel passes errno values from 1 to 4095; use a name such as EPERM",
				    "errno value %llu is out of range",
				    (unsigned long long)p->tok.number);
			p->failed = true;
		}
		action->data = (uint32_t)p->tok.number;
		advance(p);
		return;
	}
	if (p->tok.kind != TOK_IDENT) {
		expected(p, "an errno name or number after 'errno'", "for example: errno EPERM read");
		return;
	}
	char *name = tok_text(p, &p->tok);
	int value = errno_lookup(name);

	if (value < 0) {
		struct spelling s;
		char *hint = NULL;

		spelling_init(&s, name);
		for (size_t i = 0; i < constant_count(); i++) {
			const struct named_constant *c = constant_at(i);

			if (strcmp(c->family, "E") == 0)
				spelling_consider(&s, c->name);
		}
		if (s.best)
			hint = arena_printf(p->in->arena, "did you mean '%s'?", s.best);
		diag_report(p->in->diags, SYSCAGE_ERROR, p->tok.loc,
			    hint ? hint : "use an errno name such as EPERM or EACCES, or a number",
			    "unknown errno name '%s'", name);
		p->failed = true;
	}
	action->data = value > 0 ? (uint32_t)value : 0;
	advance(p);
}

/* ACTION: the current token is an action word. */
static void parse_action(struct parser *p, struct action *action)
{
	int w = action_word(&p->tok);

	action->kind = action_words[w].kind;
	action->loc = p->tok.loc;
	advance(p);
	if (action->kind == SYSCAGE_ACTION_ERRNO) {
		parse_errno_value(p, action);
	} else if (action->kind == SYSCAGE_ACTION_TRACE) {
		if (p->tok.kind != TOK_NUMBER) {
			expected(p, "a number after 'trace'",
				 "the tracer reads it with PTRACE_GETEVENTMSG: trace 1 ptrace");
			return;
		}
		if (p->tok.number > 65535) {
			diag_report(p->in->diags, SYSCAGE_ERROR, p->tok.loc,
				    "seccomp passes 16 bits of data to the tracer",
				    "trace value %llu is out of range (0 to 65535)",
				    (unsigned long long)p->tok.number);
			p->failed = true;
		}
		action->data = (uint32_t)p->tok.number;
		advance(p);
	}
	action->loc.len = (unsigned)(p->lx.src->text + p->tok.loc.offset - (p->lx.src->text + action->loc.offset));
	if (p->tok.loc.line != action->loc.line)
		action->loc.len = (unsigned)strlen(action_words[w].word);
}

/* ---- syscall lists ------------------------------------------------------ */

static void parse_name_list(struct parser *p, struct name_ref **refs, size_t *count,
			    bool allow_groups, const char *what)
{
	size_t cap = 0;

	*refs = NULL;
	*count = 0;
	for (;;) {
		struct name_ref *ref;

		if (p->tok.kind != TOK_IDENT && !(allow_groups && p->tok.kind == TOK_GROUP)) {
			expected(p, what, NULL);
			return;
		}
		ref = ARENA_PUSH(p->in->arena, *refs, *count, cap);
		ref->is_group = p->tok.kind == TOK_GROUP;
		ref->loc = p->tok.loc;
		ref->name = ref->is_group ? arena_strndup(p->in->arena, p->tok.start + 1, p->tok.len - 1)
					  : tok_text(p, &p->tok);
		advance(p);
		if (p->tok.kind != TOK_COMMA)
			return;
		advance(p);
	}
}

/* ---- expressions -------------------------------------------------------- */

static struct expr *parse_or(struct parser *p);

static struct expr *new_expr(struct parser *p, enum expr_kind kind, struct loc loc)
{
	struct expr *e = arena_alloc(p->in->arena, sizeof(*e));

	e->kind = kind;
	e->loc = loc;
	return e;
}

/* The span from a's start to b's end, when on one line. */
static struct loc span(struct loc a, struct loc b)
{
	if (a.line == b.line && b.offset + b.len >= a.offset)
		a.len = (unsigned)(b.offset + b.len - a.offset);
	return a;
}

static struct expr *binary(struct parser *p, enum expr_kind kind, struct expr *l, struct expr *r)
{
	struct expr *e = new_expr(p, kind, span(l->loc, r->loc));

	e->left = l;
	e->right = r;
	return e;
}

static struct expr *parse_primary(struct parser *p)
{
	struct expr *e;

	if (++p->expr_depth > MAX_EXPR_DEPTH) {
		if (!p->failed)
			diag_report(p->in->diags, SYSCAGE_ERROR, p->tok.loc, NULL,
				    "expression nested too deeply (more than %d levels)",
				    MAX_EXPR_DEPTH);
		p->failed = true;
		return NULL;
	}
	switch (p->tok.kind) {
	case TOK_NUMBER:
		e = new_expr(p, EXPR_NUMBER, p->tok.loc);
		e->number = p->tok.number;
		advance(p);
		return e;
	case TOK_IDENT:
		e = new_expr(p, EXPR_NAME, p->tok.loc);
		e->name = tok_text(p, &p->tok);
		advance(p);
		return e;
	case TOK_LPAREN: {
		struct loc open = p->tok.loc;

		advance(p);
		e = parse_or(p);
		if (!e)
			return NULL;
		if (p->tok.kind != TOK_RPAREN) {
			expected(p, "')'",
				 arena_printf(p->in->arena, "the '(' at line %u, column %u is not closed",
					      open.line, open.col));
			return NULL;
		}
		e->loc = span(open, p->tok.loc);
		advance(p);
		return e;
	}
	case TOK_TILDE:
	case TOK_MINUS: {
		struct loc op = p->tok.loc;
		enum expr_kind kind = p->tok.kind == TOK_TILDE ? EXPR_BITNOT : EXPR_NEG;

		advance(p);
		struct expr *operand = parse_primary(p);
		if (!operand)
			return NULL;
		p->expr_depth--;
		e = new_expr(p, kind, span(op, operand->loc));
		e->left = operand;
		return e;
	}
	default:
		expected(p, "an argument name, a constant or a number", NULL);
		return NULL;
	}
}

static struct expr *parse_bitand(struct parser *p)
{
	struct expr *e = parse_primary(p);

	if (e)
		p->expr_depth--;
	while (e && p->tok.kind == TOK_AMP) {
		advance(p);
		struct expr *r = parse_primary(p);
		if (!r)
			return NULL;
		p->expr_depth--;
		e = binary(p, EXPR_BITAND, e, r);
	}
	return e;
}

static struct expr *parse_bitor(struct parser *p)
{
	struct expr *e = parse_bitand(p);

	while (e && p->tok.kind == TOK_PIPE) {
		advance(p);
		struct expr *r = parse_bitand(p);
		if (!r)
			return NULL;
		e = binary(p, EXPR_BITOR, e, r);
	}
	return e;
}

static int cmp_op_of(enum token_kind kind)
{
	switch (kind) {
	case TOK_EQ: return CMP_EQ;
	case TOK_NE: return CMP_NE;
	case TOK_LT: return CMP_LT;
	case TOK_LE: return CMP_LE;
	case TOK_GT: return CMP_GT;
	case TOK_GE: return CMP_GE;
	default: return -1;
	}
}

/* x in (a, b, c) and x not in (...). */
static struct expr *parse_in_list(struct parser *p, struct expr *left, bool negated)
{
	struct expr *e = new_expr(p, EXPR_IN, left->loc);
	size_t cap = 0;

	e->left = left;
	e->negated = negated;
	if (p->tok.kind != TOK_LPAREN) {
		expected(p, "'(' after 'in'", "write: flags in (1, 2, 3)");
		return NULL;
	}
	advance(p);
	for (;;) {
		struct expr *item = parse_bitor(p);

		if (!item)
			return NULL;
		*ARENA_PUSH(p->in->arena, e->items, e->nitems, cap) = item;
		if (p->tok.kind == TOK_RPAREN)
			break;
		if (p->tok.kind != TOK_COMMA) {
			expected(p, "',' or ')' in the list", NULL);
			return NULL;
		}
		advance(p);
	}
	e->loc = span(left->loc, p->tok.loc);
	advance(p);
	return e;
}

static struct expr *parse_cmp(struct parser *p)
{
	struct expr *left = parse_bitor(p);
	int op;

	if (!left)
		return NULL;
	if (tok_is_word(&p->tok, "in")) {
		advance(p);
		return parse_in_list(p, left, false);
	}
	if (tok_is_word(&p->tok, "not")) {
		advance(p);
		if (!tok_is_word(&p->tok, "in")) {
			expected(p, "'in' after 'not'", NULL);
			return NULL;
		}
		advance(p);
		return parse_in_list(p, left, true);
	}
	op = cmp_op_of(p->tok.kind);
	if (op < 0) {
		if (p->tok.kind == TOK_ASSIGN && !p->failed) {
			diag_report(p->in->diags, SYSCAGE_ERROR, p->tok.loc, "write '==' to compare",
				    "'=' is not a comparison");
			p->failed = true;
			return NULL;
		}
		return left;
	}
	advance(p);
	struct expr *right = parse_bitor(p);
	if (!right)
		return NULL;
	struct expr *e = binary(p, EXPR_CMP, left, right);
	e->op = (enum cmp_op)op;
	return e;
}

static struct expr *parse_not(struct parser *p)
{
	if (p->tok.kind == TOK_BANG || tok_is_word(&p->tok, "not")) {
		struct loc op = p->tok.loc;

		if (++p->expr_depth > MAX_EXPR_DEPTH) {
			if (!p->failed)
				diag_report(p->in->diags, SYSCAGE_ERROR, p->tok.loc, NULL,
					    "expression nested too deeply (more than %d levels)",
					    MAX_EXPR_DEPTH);
			p->failed = true;
			return NULL;
		}
		advance(p);
		struct expr *operand = parse_not(p);
		p->expr_depth--;
		if (!operand)
			return NULL;
		struct expr *e = new_expr(p, EXPR_NOT, span(op, operand->loc));
		e->left = operand;
		return e;
	}
	return parse_cmp(p);
}

/* A chain of one binary boolean operator (&& or ||, and or or) over next. */
static struct expr *parse_chain(struct parser *p, struct expr *(*next)(struct parser *),
				enum token_kind op, const char *word, enum expr_kind kind)
{
	struct expr *e = next(p);

	while (e && (p->tok.kind == op || tok_is_word(&p->tok, word))) {
		advance(p);
		struct expr *r = next(p);
		if (!r)
			return NULL;
		e = binary(p, kind, e, r);
	}
	return e;
}

static struct expr *parse_and(struct parser *p)
{
	return parse_chain(p, parse_not, TOK_ANDAND, "and", EXPR_AND);
}

static struct expr *parse_or(struct parser *p)
{
	return parse_chain(p, parse_and, TOK_OROR, "or", EXPR_OR);
}

/* ---- statements --------------------------------------------------------- */

static struct stmt *new_stmt(struct parser *p, enum stmt_kind kind)
{
	struct stmt *s = ARENA_PUSH(p->in->arena, p->in->out->items, p->in->out->count,
				    p->in->out->cap);

	s->kind = kind;
	s->loc = p->tok.loc;
	return s;
}

static void parse_include(struct parser *p)
{
	struct loc loc = p->tok.loc;

	advance(p);
	if (p->tok.kind != TOK_STRING) {
		expected(p, "a file name in quotes after 'include'", "write: include \"base.policy\"");
		return;
	}
	struct loc name_loc = p->tok.loc;
	char *name = arena_strndup(p->in->arena, p->tok.start + 1, p->tok.len - 2);
	advance(p);
	if (p->tok.kind != TOK_NEWLINE && p->tok.kind != TOK_EOF) {
		expected(p, "end of line after the include", NULL);
		return;
	}
	if (p->depth + 1 >= MAX_INCLUDE_DEPTH) {
		diag_report(p->in->diags, SYSCAGE_ERROR, loc, NULL,
			    "includes nested more than %d deep", MAX_INCLUDE_DEPTH);
		p->failed = true;
		return;
	}
	const char *path = name[0] == '/' ? name : arena_printf(p->in->arena, "%s/%s", p->dir, name);
	if (strncmp(path, "./", 2) == 0)
		path += 2;
	/* A buffer of our own: realpath's malloc would leak when the arena
	 * below runs out of memory and unwinds with longjmp. */
	char real[PATH_MAX];
	if (!realpath(path, real)) {
		diag_report(p->in->diags, SYSCAGE_ERROR, name_loc,
			    "include paths are relative to the including file",
			    "cannot read included file '%s': %s", path, strerror(errno));
		p->failed = true;
		return;
	}
	char *real_copy = arena_strdup(p->in->arena, real);
	for (unsigned i = 0; i <= p->depth && p->chain[i]; i++) {
		if (strcmp(p->chain[i], real_copy) == 0) {
			diag_report(p->in->diags, SYSCAGE_ERROR, name_loc,
				    "remove the include that closes the cycle",
				    "'%s' includes itself (through a cycle of includes)", path);
			p->failed = true;
			return;
		}
	}
	struct source *src;
	const char **chain = arena_alloc(p->in->arena, sizeof(*chain) * (p->depth + 3));
	memcpy(chain, p->chain, sizeof(*chain) * (p->depth + 1));
	chain[p->depth + 1] = real_copy;
	int err = source_read(p->in->arena, path, &src);
	if (err) {
		diag_report(p->in->diags, SYSCAGE_ERROR, name_loc, NULL,
			    "cannot read included file '%s': %s", path,
			    err == -EFBIG ? "larger than 16 MiB" : strerror(-err));
		p->failed = true;
		return;
	}
	const char *slash = strrchr(path, '/');
	const char *dir = slash ? arena_strndup(p->in->arena, path, (size_t)(slash - path)) : ".";
	if (parse_source(p->in, src, dir, p->depth + 1, chain))
		p->failed = false; /* the errors are the included file's; ours is fine */
}

static void parse_statement(struct parser *p)
{
	struct stmt *s;

	if (tok_is_word(&p->tok, "include")) {
		parse_include(p);
		return;
	}
	if (tok_is_word(&p->tok, "default")) {
		s = new_stmt(p, STMT_DEFAULT);
		advance(p);
		if (action_word(&p->tok) < 0) {
			expected(p, "an action after 'default'",
				 "actions: allow, kill, kill-thread, trap, errno NAME, log, notify, trace N");
			return;
		}
		parse_action(p, &s->action);
		return;
	}
	if (tok_is_word(&p->tok, "group")) {
		s = new_stmt(p, STMT_GROUP);
		advance(p);
		if (p->tok.kind != TOK_GROUP) {
			expected(p, "a group name such as @net after 'group'", NULL);
			return;
		}
		s->group.name = arena_strndup(p->in->arena, p->tok.start + 1, p->tok.len - 1);
		s->group.is_group = true;
		s->group.loc = p->tok.loc;
		advance(p);
		if (p->tok.kind != TOK_ASSIGN) {
			expected(p, "'=' after the group name", "write: group @net = socket, connect");
			return;
		}
		advance(p);
		parse_name_list(p, &s->refs, &s->nrefs, true, "a syscall name or @group");
		return;
	}
	if (tok_is_word(&p->tok, "arch")) {
		s = new_stmt(p, STMT_ARCH);
		advance(p);
		parse_name_list(p, &s->refs, &s->nrefs, false, "an architecture name such as x86_64");
		return;
	}
	if (action_word(&p->tok) >= 0) {
		s = new_stmt(p, STMT_RULE);
		parse_action(p, &s->action);
		if (p->failed)
			return;
		parse_name_list(p, &s->refs, &s->nrefs, true, "a syscall name or @group");
		if (p->failed)
			return;
		if (tok_is_word(&p->tok, "if")) {
			advance(p);
			p->expr_depth = 0;
			s->cond = parse_or(p);
		}
		return;
	}
	expected(p, "a statement (an action such as allow, or default, group, include, arch)",
		 NULL);
}

static int parse_source(struct parser_input *in, const struct source *src, const char *dir,
			unsigned depth, const char *const *chain)
{
	struct parser p = { .in = in, .depth = depth, .dir = dir, .chain = chain };
	size_t errors_before = syscage_diagnostics_errors(in->diags);

	if (!in->first)
		in->first = src;
	lexer_init(&p.lx, src, in->diags);
	advance(&p);
	while (p.tok.kind != TOK_EOF) {
		if (p.tok.kind == TOK_NEWLINE) {
			advance(&p);
			continue;
		}
		size_t before = p.in->out->count;

		p.failed = p.tok.kind == TOK_ERROR;
		p.paren_depth = 0;
		if (!p.failed)
			parse_statement(&p);
		if (!p.failed && p.tok.kind != TOK_NEWLINE && p.tok.kind != TOK_EOF)
			expected(&p, "end of line", NULL);
		if (p.failed) {
			skip_to_line_end(&p);
			p.in->out->count = before; /* drop the broken statement */
		}
		advance(&p);
	}
	return syscage_diagnostics_errors(in->diags) > errors_before ? -EINVAL : 0;
}

/* The whole of fd into the arena; a pipe (/dev/stdin) has no size, so it is
 * read to the end, up to the limit. */
static int read_all(struct arena *arena, int fd, const struct stat *st, char **text,
		    size_t *len)
{
	size_t cap = S_ISREG(st->st_mode) ? (size_t)st->st_size : 65536, got = 0;
	char *buf = arena_alloc(arena, cap + 1);

	for (;;) {
		ssize_t n;

		if (got == cap) {
			if (S_ISREG(st->st_mode))
				break;
			if (cap >= MAX_POLICY_BYTES)
				return -EFBIG;
			char *grown = arena_alloc(arena, 2 * cap + 1);
			memcpy(grown, buf, got);
			buf = grown;
			cap *= 2;
		}
		n = read(fd, buf + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	*text = buf;
	*len = got;
	return 0;
}

/* read_all, then close fd, also when running out of memory unwinds
 * through here (fd is not changed after setjmp, so it survives longjmp). */
static int read_and_close(struct arena *arena, int fd, const struct stat *st, char **text,
			  size_t *len)
{
	jmp_buf closing, *outer = arena->on_oom;
	int err;

	if (setjmp(closing)) {
		close(fd);
		arena->on_oom = outer;
		longjmp(*outer, 1);
	}
	arena->on_oom = &closing;
	err = read_all(arena, fd, st, text, len);
	arena->on_oom = outer;
	close(fd);
	return err;
}

int source_read(struct arena *arena, const char *path, struct source **out)
{
	struct source *src;
	struct stat st;
	char *text;
	size_t len;
	int err, fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	if (S_ISDIR(st.st_mode) || st.st_size > (off_t)MAX_POLICY_BYTES) {
		close(fd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EFBIG;
	}
	err = read_and_close(arena, fd, &st, &text, &len);
	if (err)
		return err;
	src = arena_alloc(arena, sizeof(*src));
	src->path = arena_strdup(arena, path);
	src->text = text;
	src->len = len;
	*out = src;
	return 0;
}

int parser_parse_file(struct parser_input *in, const char *path)
{
	struct source *src;
	int err = source_read(in->arena, path, &src);

	if (err) {
		struct source *named = arena_alloc(in->arena, sizeof(*named));

		named->path = arena_strdup(in->arena, path);
		named->text = "";
		diag_report_file(in->diags, SYSCAGE_ERROR, named, 0, NULL, "cannot read policy: %s",
				 err == -EFBIG ? "larger than 16 MiB" : strerror(-err));
		in->first = named;
		return -EINVAL;
	}
	char real[PATH_MAX]; /* not realpath's malloc: the arena may unwind below */
	const char **chain = arena_alloc(in->arena, sizeof(*chain) * 2);
	chain[0] = realpath(path, real) ? arena_strdup(in->arena, real) : src->path;
	const char *slash = strrchr(path, '/');
	const char *dir = slash ? arena_strndup(in->arena, path, (size_t)(slash - path)) : ".";
	if (slash == path)
		dir = "/";
	return parse_source(in, src, dir, 0, chain);
}

int parser_parse_text(struct parser_input *in, const char *name, const char *text, size_t len)
{
	struct source *src = arena_alloc(in->arena, sizeof(*src));
	const char **chain = arena_alloc(in->arena, sizeof(*chain) * 2);

	src->path = arena_strdup(in->arena, name);
	src->text = arena_strndup(in->arena, text, len);
	src->len = len;
	chain[0] = "";
	return parse_source(in, src, ".", 0, chain);
}
