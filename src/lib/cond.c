#include "cond.h"

uint64_t atom_width_mask(unsigned bits)
{
	return bits >= 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
}

int64_t atom_sign_extend(uint64_t v, unsigned bits)
{
	if (bits >= 64)
		return (int64_t)v;
	v &= atom_width_mask(bits);
	if (v >> (bits - 1))
		v |= ~atom_width_mask(bits);
	return (int64_t)v;
}

bool atom_eval(const struct atom *atom, const uint64_t args[6])
{
	uint64_t v = args[atom->arg];
	uint64_t k = atom->value;

	/* The kernel truncates narrow arguments: only the low bits exist. */
	v &= atom_width_mask(atom->bits) & atom->mask;
	switch (atom->op) {
	case CMP_EQ:
		return v == k;
	case CMP_NE:
		return v != k;
	default:
		break;
	}
	if (atom->is_signed) {
		int64_t sv = atom_sign_extend(v, atom->bits);
		int64_t sk = atom_sign_extend(k, atom->bits);

		switch (atom->op) {
		case CMP_LT: return sv < sk;
		case CMP_LE: return sv <= sk;
		case CMP_GT: return sv > sk;
		default: return sv >= sk;
		}
	}
	switch (atom->op) {
	case CMP_LT: return v < k;
	case CMP_LE: return v <= k;
	case CMP_GT: return v > k;
	default: return v >= k;
	}
}

bool cond_eval(const struct cond *cond, const uint64_t args[6])
{
	switch (cond->kind) {
	case COND_TRUE:
		return true;
	case COND_FALSE:
		return false;
	case COND_ATOM:
		return atom_eval(&cond->atom, args);
	case COND_AND:
		return cond_eval(cond->a, args) && cond_eval(cond->b, args);
	case COND_OR:
		return cond_eval(cond->a, args) || cond_eval(cond->b, args);
	case COND_NOT:
		return !cond_eval(cond->a, args);
	}
	return false;
}

enum cond_known cond_eval_known(const struct cond *cond, unsigned known, const uint64_t args[6])
{
	enum cond_known a, b;

	switch (cond->kind) {
	case COND_TRUE:
		return COND_HOLDS;
	case COND_FALSE:
		return COND_FAILS;
	case COND_ATOM:
		if (!(known & (1u << cond->atom.arg)))
			return COND_DEPENDS;
		return atom_eval(&cond->atom, args) ? COND_HOLDS : COND_FAILS;
	case COND_AND:
		a = cond_eval_known(cond->a, known, args);
		b = cond_eval_known(cond->b, known, args);
		if (a == COND_FAILS || b == COND_FAILS)
			return COND_FAILS;
		return a == COND_HOLDS && b == COND_HOLDS ? COND_HOLDS : COND_DEPENDS;
	case COND_OR:
		a = cond_eval_known(cond->a, known, args);
		b = cond_eval_known(cond->b, known, args);
		if (a == COND_HOLDS || b == COND_HOLDS)
			return COND_HOLDS;
		return a == COND_FAILS && b == COND_FAILS ? COND_FAILS : COND_DEPENDS;
	case COND_NOT:
		a = cond_eval_known(cond->a, known, args);
		return a == COND_DEPENDS ? a : a == COND_HOLDS ? COND_FAILS : COND_HOLDS;
	}
	return COND_DEPENDS;
}

bool cond_equal(const struct cond *x, const struct cond *y)
{
	if (x == y)
		return true;
	if (x->kind != y->kind)
		return false;
	switch (x->kind) {
	case COND_TRUE:
	case COND_FALSE:
		return true;
	case COND_ATOM:
		return x->atom.arg == y->atom.arg && x->atom.bits == y->atom.bits &&
		       x->atom.is_signed == y->atom.is_signed && x->atom.op == y->atom.op &&
		       x->atom.mask == y->atom.mask && x->atom.value == y->atom.value;
	case COND_NOT:
		return cond_equal(x->a, y->a);
	case COND_AND:
	case COND_OR:
		return cond_equal(x->a, y->a) && cond_equal(x->b, y->b);
	}
	return false;
}

void cond_for_each_atom(const struct cond *cond,
			void (*fn)(const struct atom *atom, void *ctx), void *ctx)
{
	switch (cond->kind) {
	case COND_ATOM:
		fn(&cond->atom, ctx);
		break;
	case COND_AND:
	case COND_OR:
		cond_for_each_atom(cond->a, fn, ctx);
		cond_for_each_atom(cond->b, fn, ctx);
		break;
	case COND_NOT:
		cond_for_each_atom(cond->a, fn, ctx);
		break;
	default:
		break;
	}
}
