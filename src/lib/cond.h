/*
 * Resolved argument conditions: a boolean tree over atoms, each atom one
 * comparison of one (masked) argument with a constant, at the width the
 * kernel gives that argument on that arch.
 */
#ifndef SYSCAGE_COND_H
#define SYSCAGE_COND_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"

struct atom {
	uint8_t arg;		/* 0..5 */
	uint8_t bits;		/* 16, 32: only the low bits count; 64: both halves */
	bool is_signed;		/* ordered comparisons are signed at that width */
	enum cmp_op op;
	uint64_t mask;		/* applied before comparing; within bits */
	uint64_t value;		/* within bits */
};

enum cond_kind { COND_TRUE, COND_FALSE, COND_ATOM, COND_AND, COND_OR, COND_NOT };

struct cond {
	enum cond_kind kind;
	struct atom atom;	/* COND_ATOM */
	const struct cond *a, *b;	/* AND, OR: both; NOT: a */
};

/* All ones in the low bits (16, 32 or 64). */
uint64_t atom_width_mask(unsigned bits);
/* v's low bits, sign-extended to 64. */
int64_t atom_sign_extend(uint64_t v, unsigned bits);

bool atom_eval(const struct atom *atom, const uint64_t args[6]);
bool cond_eval(const struct cond *cond, const uint64_t args[6]);

/* A condition where only some arguments are known: it holds, it does not,
 * or that depends on the others (or on what syscage does not work out). */
enum cond_known { COND_HOLDS, COND_FAILS, COND_DEPENDS };

/* cond with the arguments whose bit is set in known taken from args, and
 * the others any value. */
enum cond_known cond_eval_known(const struct cond *cond, unsigned known, const uint64_t args[6]);

/* Structural equality, so equal conditions can share code. */
bool cond_equal(const struct cond *x, const struct cond *y);

/* Calls fn for every atom of cond (in order). */
void cond_for_each_atom(const struct cond *cond,
			void (*fn)(const struct atom *atom, void *ctx), void *ctx);

#endif
