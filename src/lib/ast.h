/*
 * The syntax tree of a policy, as the parser builds it: statements in file
 * order with includes expanded in place. Names are not resolved yet.
 */
#ifndef SYSCAGE_AST_H
#define SYSCAGE_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"

struct action {
	enum syscage_action kind;
	uint32_t data;
	struct loc loc;
};

enum expr_kind {
	EXPR_NUMBER,
	EXPR_NAME,	/* an argument or a named constant: resolved per syscall */
	EXPR_NOT,
	EXPR_AND,
	EXPR_OR,
	EXPR_CMP,
	EXPR_IN,	/* left in (items...), or not in when negated */
	EXPR_BITAND,
	EXPR_BITOR,
	EXPR_BITNOT,
	EXPR_NEG,
};

enum cmp_op { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };

struct expr {
	enum expr_kind kind;
	struct loc loc;
	uint64_t number;	/* EXPR_NUMBER */
	const char *name;	/* EXPR_NAME */
	enum cmp_op op;		/* EXPR_CMP */
	bool negated;		/* EXPR_IN: `not in` */
	struct expr *left, *right;	/* operands; unary ones use left */
	struct expr **items;	/* EXPR_IN */
	size_t nitems;
};

/* A syscall name or @group in a list. */
struct name_ref {
	const char *name;	/* without the '@' for groups */
	bool is_group;
	struct loc loc;
};

enum stmt_kind { STMT_RULE, STMT_DEFAULT, STMT_GROUP, STMT_ARCH };

struct stmt {
	enum stmt_kind kind;
	struct loc loc;		/* the statement's first token */
	struct action action;	/* rule, default */
	struct name_ref *refs;	/* rule and group: syscalls; arch: arch names */
	size_t nrefs;
	struct expr *cond;	/* rule: NULL when unconditional */
	struct name_ref group;	/* group: the name being defined */
};

struct stmt_list {
	struct stmt *items;
	size_t count, cap;
};

#endif
