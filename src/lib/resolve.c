/*
 * Resolution: from statements to per-arch entries. Names become syscall
 * numbers (per arch), groups are expanded, and conditions become atoms typed
 * by the syscall's signature: width, signedness, pointer-ness.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "constants.h"
#include "groups.h"
#include "policy.h"
#include "syscall_table.h"

/* Nested groups deeper than this are a cycle in the built-in data. */
#define MAX_GROUP_DEPTH 16

struct user_group {
	const struct stmt *stmt;
	uint8_t *members;	/* a set over syscall indexes */
};

struct resolver {
	struct syscage_policy *policy;
	struct arena *arena;
	struct syscage_diagnostics *diags;
	size_t nsyscalls;
	struct user_group *groups;
	size_t ngroups, groups_cap;
	uint8_t *skipped[ARCH_COUNT];	/* sets of the names in arches[].skipped */
	const struct cond *always;	/* the condition of unconditional rules */
	bool rule_failed;	/* an error was reported for the current rule */
	struct loc warned;	/* the last comparison warned about (once for
				 * all the syscalls and arches of its rule) */
};

static void error_at(struct resolver *r, struct loc loc, const char *hint, const char *message)
{
	diag_report(r->diags, SYSCAGE_ERROR, loc, hint, "%s", message);
}

/* ---- arches ------------------------------------------------------------- */

static const char *known_arches(struct arena *arena)
{
	const char *list = "";

	for (int a = 0; a < ARCH_COUNT; a++)
		list = arena_printf(arena, "%s%s%s", list, a ? ", " : "", arch_info(a)->name);
	return list;
}

static int resolve_arches(struct resolver *r, const char *override)
{
	struct syscage_policy *pol = r->policy;
	const struct stmt *arch_stmt = NULL;
	uint32_t mask = 0;

	if (override) {
		char *copy = arena_strdup(r->arena, override), *save = NULL;

		for (char *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
			int a = arch_from_name(name);

			if (a < 0) {
				diag_report(r->diags, SYSCAGE_ERROR, (struct loc){ 0 },
					    arena_printf(r->arena, "known arches: %s", known_arches(r->arena)),
					    "unknown architecture '%s' in --arch", name);
				return -EINVAL;
			}
			mask |= arch_bit(a);
		}
	}
	for (size_t i = 0; i < pol->stmts.count; i++) {
		const struct stmt *s = &pol->stmts.items[i];

		if (s->kind != STMT_ARCH)
			continue;
		if (arch_stmt) {
			diag_report(r->diags, SYSCAGE_ERROR, s->loc,
				    arena_printf(r->arena, "list every arch in the statement at %s:%u",
						 arch_stmt->loc.src->path, arch_stmt->loc.line),
				    "a second 'arch' statement");
			return -EINVAL;
		}
		arch_stmt = s;
		for (size_t j = 0; j < s->nrefs; j++) {
			int a = arch_from_name(s->refs[j].name);

			if (a < 0) {
				struct spelling sp;
				const char *hint;

				spelling_init(&sp, s->refs[j].name);
				for (int k = 0; k < ARCH_COUNT; k++)
					spelling_consider(&sp, arch_info(k)->name);
				hint = sp.best ? arena_printf(r->arena, "did you mean '%s'?", sp.best)
					       : arena_printf(r->arena, "known arches: %s",
							      known_arches(r->arena));
				diag_report(r->diags, SYSCAGE_ERROR, s->refs[j].loc, hint,
					    "unknown architecture '%s'", s->refs[j].name);
				return -EINVAL;
			}
			if (!override)
				mask |= arch_bit(a);
		}
	}
	if (!mask)
		mask = arch_bit(arch_native());
	for (int a = 0; a < ARCH_COUNT; a++)
		pol->arches[a].covered = mask & arch_bit(a);
	return 0;
}

/* ---- default ------------------------------------------------------------ */

static int resolve_default(struct resolver *r)
{
	struct syscage_policy *pol = r->policy;
	const struct stmt *first = NULL;
	unsigned last_line = 1;

	for (size_t i = 0; i < pol->stmts.count; i++) {
		const struct stmt *s = &pol->stmts.items[i];

		if (s->kind != STMT_DEFAULT)
			continue;
		if (first) {
			diag_report(r->diags, SYSCAGE_ERROR, s->loc,
				    arena_printf(r->arena, "the first is at %s:%u; keep one",
						 first->loc.src->path, first->loc.line),
				    "a second 'default' statement");
			return -EINVAL;
		}
		first = s;
	}
	if (!first) {
		for (size_t i = 0; i < pol->main->len; i++)
			last_line += pol->main->text[i] == '\n' && i + 1 < pol->main->len;
		diag_report_file(r->diags, SYSCAGE_ERROR, pol->main, last_line,
				 "add a line such as 'default kill' or 'default errno EPERM'",
				 "the policy has no 'default' statement: it must say what happens "
				 "to syscalls no rule decides");
		return -EINVAL;
	}
	pol->default_action = first->action;
	return 0;
}

/* ---- syscall sets and groups -------------------------------------------- */

static uint8_t *new_set(struct resolver *r)
{
	return arena_alloc(r->arena, r->nsyscalls);
}

static const struct user_group *find_user_group(struct resolver *r, const char *name)
{
	for (size_t i = 0; i < r->ngroups; i++) {
		if (strcmp(r->groups[i].stmt->group.name, name) == 0)
			return &r->groups[i];
	}
	return NULL;
}

/* "newer-than-6.1": every syscall added after that release. */
static bool expand_newer_than(struct resolver *r, const struct name_ref *ref, uint8_t *set)
{
	const char *prefix = "newer-than-";
	unsigned major, minor;
	char tail;

	if (strncmp(ref->name, prefix, strlen(prefix)) != 0)
		return false;
	if (sscanf(ref->name + strlen(prefix), "%u.%u%c", &major, &minor, &tail) != 2 ||
	    minor > 999) {
		error_at(r, ref->loc, "write a kernel release such as @newer-than-6.1",
			 "expected a kernel version MAJOR.MINOR after @newer-than-");
		r->rule_failed = true;
		return true;
	}
	unsigned version = major * 1000 + minor, floor = syscall_since_floor();
	if (version < floor) {
		error_at(r, ref->loc, NULL,
			 arena_printf(r->arena,
				      "syscage knows when syscalls were added only back to %u.%u; "
				      "use @newer-than-%u.%u or later",
				      floor / 1000, floor % 1000, floor / 1000, floor % 1000));
		r->rule_failed = true;
		return true;
	}
	for (size_t i = 0; i < r->nsyscalls; i++) {
		if (syscall_since((int)i) > version)
			set[i] = 1;
	}
	return true;
}

static void suggest_name(struct resolver *r, const struct name_ref *ref)
{
	struct spelling sp;
	const char *hint = NULL;

	spelling_init(&sp, ref->name);
	if (ref->is_group) {
		for (size_t i = 0; i < builtin_group_count(); i++)
			spelling_consider(&sp, builtin_group_at(i)->name);
		for (size_t i = 0; i < r->ngroups; i++)
			spelling_consider(&sp, r->groups[i].stmt->group.name);
		if (sp.best)
			hint = arena_printf(r->arena, "did you mean '@%s'?", sp.best);
		else
			hint = "define it first with 'group @name = ...', or see 'syscage groups'";
		diag_report(r->diags, SYSCAGE_ERROR, ref->loc, hint, "unknown group '@%s'", ref->name);
	} else {
		for (size_t i = 0; i < r->nsyscalls; i++)
			spelling_consider(&sp, syscall_name((int)i));
		if (sp.best)
			hint = arena_printf(r->arena, "did you mean '%s'?", sp.best);
		else
			hint = "'syscage syscalls' lists the syscalls syscage knows";
		diag_report(r->diags, SYSCAGE_ERROR, ref->loc, hint, "unknown syscall '%s'", ref->name);
	}
	r->rule_failed = true;
}

static void expand_builtin(struct resolver *r, const struct builtin_group *g, uint8_t *set,
			   unsigned depth, const struct name_ref *ref)
{
	if (depth > MAX_GROUP_DEPTH) {
		error_at(r, ref->loc, NULL, "built-in groups nest too deeply (a bug in syscage)");
		r->rule_failed = true;
		return;
	}
	for (size_t i = 0; i < g->count; i++) {
		const char *name = g->members[i].name;

		if (name[0] == '@') {
			const struct builtin_group *inner = builtin_group_lookup(name + 1);

			if (inner)
				expand_builtin(r, inner, set, depth + 1, ref);
			continue;
		}
		int idx = syscall_lookup(name);
		if (idx >= 0)
			set[idx] = 1;
	}
}

/* Adds the syscalls named by refs to set. */
static void expand_refs(struct resolver *r, const struct name_ref *refs, size_t n, uint8_t *set)
{
	for (size_t i = 0; i < n; i++) {
		const struct name_ref *ref = &refs[i];

		if (!ref->is_group) {
			int idx = syscall_lookup(ref->name);

			if (idx < 0)
				suggest_name(r, ref);
			else
				set[idx] = 1;
			continue;
		}
		const struct user_group *ug = find_user_group(r, ref->name);
		if (ug) {
			for (size_t j = 0; j < r->nsyscalls; j++)
				set[j] |= ug->members[j];
			continue;
		}
		const struct builtin_group *bg = builtin_group_lookup(ref->name);
		if (bg) {
			expand_builtin(r, bg, set, 0, ref);
			continue;
		}
		if (!expand_newer_than(r, ref, set))
			suggest_name(r, ref);
	}
}

static void define_group(struct resolver *r, const struct stmt *s)
{
	const struct user_group *prev = find_user_group(r, s->group.name);

	if (prev) {
		diag_report(r->diags, SYSCAGE_ERROR, s->group.loc,
			    arena_printf(r->arena, "it was defined at %s:%u; give this one another name",
					 prev->stmt->loc.src->path, prev->stmt->loc.line),
			    "group '@%s' is defined twice", s->group.name);
		return;
	}
	if (builtin_group_lookup(s->group.name)) {
		diag_report(r->diags, SYSCAGE_ERROR, s->group.loc,
			    "choose another name; 'syscage groups' lists the built-in ones",
			    "'@%s' is a built-in group and cannot be redefined", s->group.name);
		return;
	}
	struct user_group *g = ARENA_PUSH(r->arena, r->groups, r->ngroups, r->groups_cap);
	g->stmt = s;
	g->members = new_set(r);
	r->rule_failed = false;
	expand_refs(r, s->refs, s->nrefs, g->members);
}

/* ---- conditions --------------------------------------------------------- */

struct arg_ref {
	int index;
	uint8_t bits;
	bool is_signed;
	bool old_id;	/* a 16-bit uid or gid (i386, arm): 0xffff is -1 */
};

/* A resolved value expression: a constant, or an argument under a mask. */
struct term {
	bool is_const;
	/* The constant went through '-' or '~': a top bit set means a
	 * negative value, not a number above INT64_MAX. */
	bool signed_form;
	uint64_t value;		/* constant */
	struct arg_ref arg;	/* argument */
	uint64_t mask;
	struct loc loc;
};

struct cond_ctx {
	struct resolver *r;
	int idx;		/* the syscall */
	enum arch_id arch;
};

static void cond_error(struct cond_ctx *c, struct loc loc, const char *hint, const char *message)
{
	if (c->r->rule_failed)
		return;
	error_at(c->r, loc, hint, message);
	c->r->rule_failed = true;
}

static const char *param_list(struct arena *arena, const struct syscall_signature *sig)
{
	const char *list = "";

	for (int i = 0; i < sig->nparams; i++)
		list = arena_printf(arena, "%s%s%s", list, i ? ", " : "", sig->params[i].name);
	return sig->nparams ? list : "none";
}

static bool lookup_arg(struct cond_ctx *c, const struct expr *e, struct arg_ref *out)
{
	struct syscall_signature on_arch;
	const struct syscall_signature *sig = &on_arch;
	const char *sname = syscall_name(c->idx);
	const struct arch_info *ai = arch_info(c->arch);
	int index = -1;

	syscall_signature_on(c->arch, c->idx, &on_arch);
	if (sig->in_memory) {
		cond_error(c, e->loc,
			   arena_printf(c->r->arena,
					"libc calls %s there; cover %s in a policy of its own that "
					"refuses %s (errno ENOSYS), or leave %s out of this one",
					sname[0] == 'm' ? "mmap2" : "_newselect", ai->name, sname,
					ai->name),
			   arena_printf(c->r->arena,
					"on %s, %s (%lld) is old_%s: its arguments are in memory "
					"behind one pointer, which a filter cannot check",
					ai->name, sname, (long long)syscall_number(c->arch, c->idx),
					sname));
		return true;
	}
	/* The kernel's parameter names first: prctl, keyctl and arch_prctl
	 * name theirs arg2 to arg5, and those names mean those parameters. */
	int param = -1, half;

	for (int i = 0; i < sig->nparams; i++) {
		if (strcmp(sig->params[i].name, e->name) == 0)
			param = i;
	}
	if (param < 0 && strlen(e->name) == 4 && strncmp(e->name, "arg", 3) == 0 &&
	    e->name[3] >= '0' && e->name[3] <= '5') {
		/* A register, and whatever parameter it holds on this arch. */
		index = e->name[3] - '0';
		param = syscall_register_param(c->arch, sig, index, &half);
		if (syscall_register_unused(c->arch, sig, index))
			diag_report(c->r->diags, SYSCAGE_WARNING, e->loc,
				    "compare the registers of the arguments: 'syscage syscalls --arch' "
				    "lists them",
				    "on %s, register %d of %s is left unused (the 64-bit argument after "
				    "it starts at an even register): the kernel does not read it",
				    ai->name, index, sname);
	} else {
		if (param < 0)
			return false;
		bool two;

		index = syscall_param_register(c->arch, sig, param, &two);
		if (index < 0 || two) {
			cond_error(c, e->loc,
				   index < 0 ? NULL
					     : arena_printf(c->r->arena,
							    "compare its halves by position: arg%d (the "
							    "low one) and arg%d",
							    index, index + 1),
				   index < 0 ? arena_printf(c->r->arena,
							    "on %s, '%s' of %s lies past the six "
							    "registers a filter sees",
							    ai->name, e->name, sname)
					     : arena_printf(c->r->arena,
							    "on %s, '%s' of %s is a 64-bit value in two "
							    "registers: no one comparison sees it whole",
							    ai->name, e->name, sname));
			return true;
		}
	}
	out->index = index;
	out->bits = ai->arg_bits;
	out->is_signed = false;
	if (param >= 0) {
		const struct syscall_param *p = &sig->params[param];

		if (p->kind == PARAM_POINTER) {
			cond_error(c, e->loc,
				   "check the values the program passes, or let the supervisor do the operation",
				   arena_printf(c->r->arena,
						"argument '%s' of %s is a pointer (%s): the memory it points "
						"to can change after the filter looked, so syscage does not "
						"compare it",
						p->name, sname, p->ctype));
			return true;
		}
		if (p->bits < out->bits)
			out->bits = p->bits;
		out->is_signed = p->kind == PARAM_SIGNED;
		out->old_id = strncmp(p->ctype, "old_", 4) == 0;
	}
	return true;
}

static bool resolve_term(struct cond_ctx *c, const struct expr *e, struct term *t);

static bool resolve_const_name(struct cond_ctx *c, const struct expr *e, struct term *t)
{
	const struct named_constant *k = constant_lookup(e->name);

	if (k) {
		t->is_const = true;
		t->value = k->value;
		/* AT_FDCWD is -100, as its header defines it */
		t->signed_form = true;
		return true;
	}
	struct syscall_signature on_arch;
	const struct syscall_signature *sig = &on_arch;
	struct spelling sp;
	const char *hint;

	syscall_signature_on(c->arch, c->idx, &on_arch);
	spelling_init(&sp, e->name);
	for (int i = 0; i < sig->nparams; i++)
		spelling_consider(&sp, sig->params[i].name);
	for (size_t i = 0; i < constant_count(); i++)
		spelling_consider(&sp, constant_at(i)->name);
	if (sp.best)
		hint = arena_printf(c->r->arena, "did you mean '%s'?", sp.best);
	else if (sig->nparams < 0)
		hint = "syscage does not know this syscall's argument names; use arg0 to arg5";
	else
		hint = arena_printf(c->r->arena, "the arguments of %s are: %s (or arg0 to arg5)",
				    syscall_name(c->idx), param_list(c->r->arena, sig));
	cond_error(c, e->loc, hint,
		   arena_printf(c->r->arena, "'%s' is neither an argument of %s nor a known constant",
				e->name, syscall_name(c->idx)));
	return false;
}

static bool resolve_term(struct cond_ctx *c, const struct expr *e, struct term *t)
{
	struct term l, rr;

	memset(t, 0, sizeof(*t));
	t->loc = e->loc;
	switch (e->kind) {
	case EXPR_NUMBER:
		t->is_const = true;
		t->value = e->number;
		return true;
	case EXPR_NAME:
		if (lookup_arg(c, e, &t->arg)) {
			t->mask = UINT64_MAX;
			return !c->r->rule_failed;
		}
		return resolve_const_name(c, e, t);
	case EXPR_NEG:
	case EXPR_BITNOT:
		if (!resolve_term(c, e->left, &l))
			return false;
		if (!l.is_const) {
			cond_error(c, e->loc, "apply '~' and '-' to constants, as in flags & ~O_CLOEXEC",
				   "an argument cannot be negated or inverted here");
			return false;
		}
		t->is_const = true;
		t->signed_form = true;
		t->value = e->kind == EXPR_NEG ? (uint64_t)0 - l.value : ~l.value;
		return true;
	case EXPR_BITAND:
	case EXPR_BITOR:
		if (!resolve_term(c, e->left, &l) || !resolve_term(c, e->right, &rr))
			return false;
		if (l.is_const && rr.is_const) {
			t->is_const = true;
			t->signed_form = l.signed_form || rr.signed_form;
			t->value = e->kind == EXPR_BITAND ? l.value & rr.value : l.value | rr.value;
			return true;
		}
		if (e->kind == EXPR_BITOR) {
			cond_error(c, e->loc, "combine constants with '|', then mask: flags & (A | B) == A",
				   "'|' cannot be applied to an argument");
			return false;
		}
		if (!l.is_const && !rr.is_const) {
			cond_error(c, e->loc, NULL, "two arguments cannot be combined with '&'");
			return false;
		}
		*t = l.is_const ? rr : l;
		t->mask &= l.is_const ? l.value : rr.value;
		t->loc = e->loc;
		return true;
	default:
		cond_error(c, e->loc, "use parentheses around comparisons combined with &&, ||",
			   "expected a value here, found a condition");
		return false;
	}
}

static struct cond *new_cond(struct cond_ctx *c, enum cond_kind kind)
{
	struct cond *cond = arena_alloc(c->r->arena, sizeof(*cond));

	cond->kind = kind;
	return cond;
}

static enum cmp_op flip(enum cmp_op op)
{
	switch (op) {
	case CMP_LT: return CMP_GT;
	case CMP_LE: return CMP_GE;
	case CMP_GT: return CMP_LT;
	case CMP_GE: return CMP_LE;
	default: return op;
	}
}

static bool const_compare(enum cmp_op op, uint64_t a, uint64_t b)
{
	struct atom atom = { .arg = 0, .bits = 64, .op = op, .mask = UINT64_MAX, .value = b };
	uint64_t args[6] = { a };

	return atom_eval(&atom, args);
}

/*
 * An order comparison whose outcome no value of the argument changes: the
 * argument (masked) ranges from lo to hi, and `x op k` is monotonic in x,
 * so it is constant when it is the same at both ends. `fd >= 0` on an
 * unsigned fd is always true, `fd < 0` never: folded, and the first is
 * worth a word (the second makes the rule dead, which is warned about).
 */
static void fold_constant_order(struct cond_ctx *c, struct cond *cond, struct loc loc)
{
	const struct atom *a = &cond->atom;
	uint64_t sign = (uint64_t)1 << (a->bits - 1), m = a->mask;
	uint64_t lo = a->is_signed ? m & sign : 0, hi = a->is_signed ? m & ~sign : m;
	uint64_t args_lo[6] = { 0 }, args_hi[6] = { 0 };
	bool at_lo, at_hi;

	if (a->op == CMP_EQ || a->op == CMP_NE)
		return;
	args_lo[a->arg] = lo;
	args_hi[a->arg] = hi;
	at_lo = atom_eval(a, args_lo);
	at_hi = atom_eval(a, args_hi);
	if (at_lo != at_hi)
		return;
	cond->kind = at_lo ? COND_TRUE : COND_FALSE;
	if (!at_lo || (c->r->warned.src == loc.src && c->r->warned.offset == loc.offset))
		return;
	c->r->warned = loc;
	diag_report(c->r->diags, SYSCAGE_WARNING, loc, "remove it, or compare with what you meant",
		    "this comparison is always true: what it compares (%s %u-bit argument of "
		    "%s%s) ranges from %lld to %llu", a->is_signed ? "a signed" : "an unsigned",
		    a->bits, syscall_name(c->idx), m == atom_width_mask(a->bits) ? "" : ", masked",
		    a->is_signed ? (long long)atom_sign_extend(lo, a->bits) : 0LL,
		    (unsigned long long)hi);
}

/* Builds the atom `arg OP k` at the argument's width. */
static const struct cond *make_atom(struct cond_ctx *c, const struct term *arg, enum cmp_op op,
				    const struct term *k, struct loc loc)
{
	uint64_t width_mask = atom_width_mask(arg->arg.bits);
	/* A 16-bit id's -1 is 0xffff: uid_t's -1, 0xffffffff, means it too. */
	uint64_t value = arg->arg.old_id && k->value == 0xffffffff ? UINT64_MAX : k->value;
	struct cond *cond;

	/* A constant fits when it is a value of the width, unsigned or
	 * negative: -1 compared with an int is 0xffffffff. */
	bool fits = value <= width_mask ||
		    ((int64_t)value < 0 && (int64_t)value >= -(int64_t)(width_mask >> 1) - 1);
	bool ordered = op != CMP_EQ && op != CMP_NE;

	/* An order on a signed argument is an order on its signed values: a
	 * constant such as 0x80000000 would silently mean INT_MIN there, and
	 * 0x8000000000000000, unless written negative, INT64_MIN. */
	if (fits && ordered && arg->arg.is_signed &&
	    (arg->arg.bits < 64 ? value <= width_mask && value > (width_mask >> 1)
				: (int64_t)value < 0 && !k->signed_form)) {
		cond_error(c, k->loc,
			   arena_printf(c->r->arena,
					"it holds %lld to %lld; for that bit pattern write %lld",
					(long long)-(int64_t)(width_mask >> 1) - 1,
					(long long)(width_mask >> 1),
					(long long)atom_sign_extend(value, arg->arg.bits)),
			   arena_printf(c->r->arena,
					"%#llx is larger than any value of this signed %u-bit argument of %s",
					(unsigned long long)value, arg->arg.bits, syscall_name(c->idx)));
		return NULL;
	}
	if (!fits) {
		cond_error(c, k->loc,
			   arg->arg.old_id
				   ? arena_printf(c->r->arena,
						  "this %s is the 16-bit call, for ids up to 65534 (0xffff "
						  "is -1); libc calls %s32, which takes the others",
						  syscall_name(c->idx), syscall_name(c->idx))
				   : arena_printf(c->r->arena,
						  "the kernel uses only the low %u bits of this argument",
						  arg->arg.bits),
			   arena_printf(c->r->arena,
					"%#llx does not fit in this argument of %s: it is %u bits "
					"wide on %s",
					(unsigned long long)value, syscall_name(c->idx), arg->arg.bits,
					arch_info(c->arch)->name));
		return NULL;
	}
	cond = new_cond(c, COND_ATOM);
	cond->atom.arg = (uint8_t)arg->arg.index;
	cond->atom.bits = arg->arg.bits;
	cond->atom.is_signed = arg->arg.is_signed;
	cond->atom.op = op;
	cond->atom.mask = arg->mask & width_mask;
	cond->atom.value = value & width_mask;
	/* (x & m) == k with bits of k outside m is never true. */
	if ((op == CMP_EQ || op == CMP_NE) && (cond->atom.value & ~cond->atom.mask)) {
		cond->kind = op == CMP_EQ ? COND_FALSE : COND_TRUE;
	}
	fold_constant_order(c, cond, loc);
	return cond;
}

static const struct cond *resolve_cond(struct cond_ctx *c, const struct expr *e);

static const struct cond *compare(struct cond_ctx *c, const struct expr *le, enum cmp_op op,
				  const struct expr *re, struct loc loc)
{
	struct term l, r;

	if (!resolve_term(c, le, &l) || !resolve_term(c, re, &r))
		return NULL;
	if (l.is_const && r.is_const)
		return new_cond(c, const_compare(op, l.value, r.value) ? COND_TRUE : COND_FALSE);
	if (!l.is_const && !r.is_const) {
		cond_error(c, loc, "compare an argument with a constant",
			   "two arguments cannot be compared with each other");
		return NULL;
	}
	if (l.is_const)
		return make_atom(c, &r, flip(op), &l, loc);
	return make_atom(c, &l, op, &r, loc);
}

static const struct cond *combine(struct cond_ctx *c, enum cond_kind kind, const struct cond *a,
				  const struct cond *b)
{
	struct cond *cond;

	if (!a || !b)
		return NULL;
	/* Fold constants so that `if 1` and shadowing analysis see through them. */
	if (kind == COND_AND) {
		if (a->kind == COND_FALSE || b->kind == COND_TRUE)
			return a;
		if (a->kind == COND_TRUE || b->kind == COND_FALSE)
			return b;
	} else {
		if (a->kind == COND_TRUE || b->kind == COND_FALSE)
			return a;
		if (a->kind == COND_FALSE || b->kind == COND_TRUE)
			return b;
	}
	cond = new_cond(c, kind);
	cond->a = a;
	cond->b = b;
	return cond;
}

static const struct cond *negate(struct cond_ctx *c, const struct cond *a)
{
	struct cond *cond;

	if (!a)
		return NULL;
	if (a->kind == COND_TRUE || a->kind == COND_FALSE)
		return new_cond(c, a->kind == COND_TRUE ? COND_FALSE : COND_TRUE);
	if (a->kind == COND_NOT)
		return a->a;
	cond = new_cond(c, COND_NOT);
	cond->a = a;
	return cond;
}

static const struct cond *resolve_cond(struct cond_ctx *c, const struct expr *e)
{
	switch (e->kind) {
	case EXPR_AND:
	case EXPR_OR: {
		const struct cond *a = resolve_cond(c, e->left);
		const struct cond *b = a ? resolve_cond(c, e->right) : NULL;

		return combine(c, e->kind == EXPR_AND ? COND_AND : COND_OR, a, b);
	}
	case EXPR_NOT:
		return negate(c, resolve_cond(c, e->left));
	case EXPR_CMP:
		return compare(c, e->left, e->op, e->right, e->loc);
	case EXPR_IN: {
		const struct cond *acc = new_cond(c, COND_FALSE);

		for (size_t i = 0; i < e->nitems && acc; i++)
			acc = combine(c, COND_OR, acc,
				      compare(c, e->left, CMP_EQ, e->items[i], e->items[i]->loc));
		return e->negated ? negate(c, acc) : acc;
	}
	default: {
		/* A bare value is true when non-zero: `flags & O_CLOEXEC`. */
		struct expr zero = { .kind = EXPR_NUMBER, .loc = e->loc, .number = 0 };

		return compare(c, e, CMP_NE, &zero, e->loc);
	}
	}
}

/* ---- rules -------------------------------------------------------------- */

static void add_skipped(struct resolver *r, int arch, int idx)
{
	struct arch_rules *ar = &r->policy->arches[arch];

	if (!r->skipped[arch])
		r->skipped[arch] = new_set(r);
	if (r->skipped[arch][idx])
		return;
	r->skipped[arch][idx] = 1;
	*ARENA_PUSH(r->arena, ar->skipped, ar->nskipped, ar->skipped_cap) = syscall_name(idx);
}

/* The next member of set at or after i, or nsyscalls: a word at a time,
 * since a rule names a few of the hundreds of syscalls. */
static size_t next_member(const struct resolver *r, const uint8_t *set, size_t i)
{
	uint64_t word;

	while (i + sizeof(word) <= r->nsyscalls) {
		memcpy(&word, set + i, sizeof(word));
		if (word)
			break;
		i += sizeof(word);
	}
	while (i < r->nsyscalls && !set[i])
		i++;
	return i;
}

static const char *covered_arch_names(struct resolver *r)
{
	const char *list = "";

	for (int a = 0; a < ARCH_COUNT; a++) {
		if (r->policy->arches[a].covered)
			list = arena_printf(r->arena, "%s%s%s", list, *list ? ", " : "", arch_info(a)->name);
	}
	return list;
}

static void resolve_rule(struct resolver *r, const struct rule *rule)
{
	const struct stmt *s = rule->stmt;
	uint8_t *set = new_set(r);
	bool exists_somewhere = false;

	r->rule_failed = false;
	expand_refs(r, s->refs, s->nrefs, set);
	if (r->rule_failed)
		return;
	for (int a = 0; a < ARCH_COUNT && !r->rule_failed; a++) {
		struct arch_rules *ar = &r->policy->arches[a];

		if (!ar->covered)
			continue;
		for (size_t i = next_member(r, set, 0); i < r->nsyscalls && !r->rule_failed;
		     i = next_member(r, set, i + 1)) {
			int64_t nr = syscall_number(a, (int)i);
			if (nr < 0) {
				add_skipped(r, a, (int)i);
				continue;
			}
			struct cond_ctx c = { .r = r, .idx = (int)i, .arch = a };
			const struct cond *cond = s->cond ? resolve_cond(&c, s->cond) : NULL;
			if (r->rule_failed)
				return;
			if (!cond) {
				/* one for all: conditions are never changed once made */
				if (!r->always) {
					struct cond *t = arena_alloc(r->arena, sizeof(*t));
					t->kind = COND_TRUE;
					r->always = t;
				}
				cond = r->always;
			}
			struct entry *e = ARENA_PUSH(r->arena, ar->entries, ar->count, ar->cap);
			e->rule = rule;
			e->nr = (uint32_t)nr;
			e->cond = cond;
			exists_somewhere = true;
		}
	}
	if (!exists_somewhere && !r->rule_failed)
		diag_report(r->diags, SYSCAGE_WARNING, s->loc, NULL,
			    "this rule names no syscall that exists on %s", covered_arch_names(r));
}

/*
 * Sorts entries by number, keeping policy order among those of one number:
 * they were made in policy order, and a stable radix sort on the number
 * (four passes of a byte) keeps it. Faster than a comparison sort here.
 */
static void sort_entries(struct arena *arena, struct arch_rules *ar)
{
	struct entry *tmp = arena_alloc_uninit(arena, sizeof(*tmp) * ar->count);
	struct entry *from = ar->entries, *to = tmp;

	for (unsigned shift = 0; shift < 32; shift += 8) {
		size_t counts[257] = { 0 };

		for (size_t i = 0; i < ar->count; i++)
			counts[((from[i].nr >> shift) & 0xff) + 1]++;
		if (counts[1] == ar->count)
			continue; /* every key byte 0 here: nothing moves */
		for (int b = 0; b < 256; b++)
			counts[b + 1] += counts[b];
		for (size_t i = 0; i < ar->count; i++)
			to[counts[(from[i].nr >> shift) & 0xff]++] = from[i];
		struct entry *swap = from;
		from = to;
		to = swap;
	}
	if (from != ar->entries)
		memcpy(ar->entries, from, sizeof(*from) * ar->count);
}

/*
 * Warns about rules that never decide anything: each of their entries has a
 * condition that is never true, or comes after an unconditional rule for the
 * same syscall.
 */
static void warn_dead_rules(struct resolver *r)
{
	struct syscage_policy *pol = r->policy;
	uint8_t *decides = arena_alloc(r->arena, pol->nrules + 1);
	const struct rule **shadow = arena_alloc(r->arena, sizeof(*shadow) * (pol->nrules + 1));
	bool *has_entry = arena_alloc(r->arena, pol->nrules + 1);

	for (int a = 0; a < ARCH_COUNT; a++) {
		struct arch_rules *ar = &pol->arches[a];
		const struct rule *unconditional = NULL;

		for (size_t i = 0; i < ar->count; i++) {
			const struct entry *e = &ar->entries[i];

			if (i == 0 || ar->entries[i - 1].nr != e->nr)
				unconditional = NULL;
			has_entry[e->rule->index] = true;
			if (unconditional) {
				if (!shadow[e->rule->index])
					shadow[e->rule->index] = unconditional;
				continue;
			}
			if (e->cond->kind != COND_FALSE)
				decides[e->rule->index] = 1;
			if (e->cond->kind == COND_TRUE)
				unconditional = e->rule;
		}
	}
	for (size_t i = 0; i < pol->nrules; i++) {
		const struct stmt *s = pol->rules[i].stmt;

		if (decides[i] || !has_entry[i])
			continue;
		if (shadow[i])
			diag_report(r->diags, SYSCAGE_WARNING, s->loc,
				    "move it before that rule, or remove it",
				    "this rule never decides: its syscalls are all decided earlier, "
				    "by %s:%u", shadow[i]->stmt->loc.src->path, shadow[i]->stmt->loc.line);
		else
			diag_report(r->diags, SYSCAGE_WARNING, s->cond ? s->cond->loc : s->loc, NULL,
				    "this condition is never true, so the rule never decides");
	}
}

static bool lets_through(enum syscage_action kind)
{
	return kind == SYSCAGE_ACTION_ALLOW || kind == SYSCAGE_ACTION_LOG ||
	       kind == SYSCAGE_ACTION_NOTIFY;
}

/*
 * io_uring performs reads, writes and opens without passing seccomp: a
 * policy that refuses anything but lets io_uring_setup through does not
 * mean what it says. Warn where io_uring_setup is decided.
 */
static void warn_io_uring(struct resolver *r)
{
	struct syscage_policy *pol = r->policy;
	static const uint64_t zero[6];
	int idx = syscall_lookup("io_uring_setup");
	bool refuses = !lets_through(pol->default_action.kind);

	for (size_t i = 0; i < pol->nrules && !refuses; i++)
		refuses = !lets_through(pol->rules[i].stmt->action.kind);
	for (int a = 0; a < ARCH_COUNT && refuses && idx >= 0; a++) {
		const struct arch_rules *ar = &pol->arches[a];
		int64_t nr = syscall_number(a, idx);
		const struct rule *by;

		if (!ar->covered || nr < 0)
			continue;
		/* For any arguments: a condition on them does not make io_uring safe. */
		if (policy_may_let_through(pol, a, (uint32_t)nr, 0, zero, &by))
			diag_report(r->diags, SYSCAGE_WARNING,
				    by ? by->stmt->loc : pol->default_action.loc,
				    "refuse it (errno EPERM io_uring_setup) unless the program needs "
				    "io_uring and may read, write and open whatever it likes",
				    "this lets io_uring_setup through: io_uring reads, writes and opens "
				    "files without passing the filter, whatever the other rules say");
		return;
	}
}

/*
 * clone3 takes its flags in memory, where no filter can look: a rule on
 * clone's flags (no new namespaces, say) does not hold for clone3. Warn at
 * the first such rule when the policy may let clone3 through.
 */
static void warn_clone3(struct resolver *r)
{
	static const uint64_t any[6];
	struct syscage_policy *pol = r->policy;
	int clone = syscall_lookup("clone"), clone3 = syscall_lookup("clone3");

	for (int a = 0; a < ARCH_COUNT && clone >= 0 && clone3 >= 0; a++) {
		const struct arch_rules *ar = &pol->arches[a];
		int64_t nr = syscall_number(a, clone), nr3 = syscall_number(a, clone3);
		const struct rule *by;
		const struct entry *e;

		if (!ar->covered || nr < 0 || nr3 < 0 ||
		    !policy_may_let_through(pol, a, (uint32_t)nr3, 0, any, &by))
			continue;
		size_t n = policy_entries_for(ar, (uint32_t)nr, &e);
		for (size_t i = 0; i < n; i++) {
			if (e[i].cond->kind == COND_TRUE || e[i].cond->kind == COND_FALSE)
				continue;
			diag_report(r->diags, SYSCAGE_WARNING, e[i].rule->stmt->loc,
				    by ? arena_printf(r->arena,
						      "refuse clone3 (errno ENOSYS clone3, before line %u): "
						      "libc then falls back to clone, which this rule checks",
						      by->stmt->loc.line)
				       : "refuse clone3 (errno ENOSYS clone3): libc then falls back to "
					 "clone, which this rule checks",
				    "this condition on clone's arguments does not hold for clone3, "
				    "which the policy may let through: clone3 takes its flags in "
				    "memory, where no filter can look");
			return;
		}
	}
}

/* Whether the policy may let the multiplexer through for call (with any
 * version above ipc's 16 bits), or a plain twin for any arguments. */
static bool twin_may_run(const struct syscage_policy *pol, int a, uint32_t nr, const char *twin,
			 int call, const struct rule **by)
{
	static const uint64_t any[6];
	static const uint64_t versions[] = { 0, 1, 0xffff };

	if (!call)
		return policy_may_let_through(pol, a, nr, 0, any, by);
	for (size_t v = 0; v < (strcmp(twin, "ipc") == 0 ? 3u : 1u); v++) {
		const uint64_t args[6] = { (uint64_t)call | versions[v] << 16 };

		if (policy_may_let_through(pol, a, nr, 1u, args, by))
			return true;
	}
	return false;
}

/* Whether a and b, numbers of one arch, get their rules from the same
 * statements in the same order (one rule naming both): then they agree,
 * if their arguments sit in the same registers or no rule looks at them. */
static bool same_rules(const struct arch_rules *ar, uint32_t a, uint32_t b, bool moved)
{
	const struct entry *ea, *eb;
	size_t na = policy_entries_for(ar, a, &ea), nb = policy_entries_for(ar, b, &eb);

	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (ea[i].rule != eb[i].rule || (moved && ea[i].cond->kind != COND_TRUE))
			return false;
	return true;
}

/* The first rule of nr that restricts it (a condition, or a refusal). */
static const struct rule *restricting_rule(const struct arch_rules *ar, uint32_t nr)
{
	const struct entry *e;
	size_t n = policy_entries_for(ar, nr, &e);

	for (size_t i = 0; i < n; i++) {
		if (e[i].cond->kind == COND_FALSE ||
		    (e[i].cond->kind == COND_TRUE && lets_through(e[i].rule->stmt->action.kind)))
			continue;
		return e[i].rule;
	}
	return NULL;
}

/*
 * Warns at a rule that restricts a syscall when the policy may let its
 * twin through (with the multiplexer's number for it, the one argument a
 * filter sees), once per pair and direction: a rule naming both is taken
 * to mean both.
 */
static void warn_twins(struct resolver *r)
{
	struct syscage_policy *pol = r->policy;
	size_t ntwins;
	const struct syscall_twin *twins = syscall_twins(&ntwins);

	for (size_t t = 0; t < ntwins; t++) {
		bool mux = twins[t].calls[0] != 0;

		for (int dir = 0; dir < (mux ? 1 : 2); dir++) {
			const char *one = dir ? twins[t].twin : twins[t].name;
			const char *other = dir ? twins[t].name : twins[t].twin;
			int idx = syscall_lookup(one), twin = syscall_lookup(other);

			for (int a = 0; a < ARCH_COUNT && idx >= 0 && twin >= 0; a++) {
				const struct arch_rules *ar = &pol->arches[a];
				int64_t nr = syscall_number(a, idx), nr2 = syscall_number(a, twin);
				const struct rule *restricts, *by;
				int open_call = 0;

				if (!ar->covered || arch_info(a)->arg_bits != 32 || nr < 0 || nr2 < 0)
					continue;
				restricts = restricting_rule(ar, (uint32_t)nr);
				if (!restricts)
					continue;
				if (mux) {
					for (int c = 0; c < 2 && twins[t].calls[c] && !open_call; c++)
						if (twin_may_run(pol, a, (uint32_t)nr2, other,
								 twins[t].calls[c], &by))
							open_call = twins[t].calls[c];
					if (!open_call)
						continue;
				} else if (same_rules(ar, (uint32_t)nr, (uint32_t)nr2, twins[t].moved) ||
					   !twin_may_run(pol, a, (uint32_t)nr2, other, 0, &by)) {
					continue;
				}
				diag_report(r->diags, SYSCAGE_WARNING, restricts->stmt->loc,
					    mux ? arena_printf(r->arena,
							       "refuse %s for it too (%s if arg0%s == %d): libc "
							       "may call %s through %s (i386 glibc does)",
							       other, other,
							       strcmp(other, "ipc") == 0 ? " & 0xffff" : "",
							       open_call, one, other)
					    : twins[t].moved
						    ? arena_printf(r->arena,
								   "give %s a rule of its own: it takes its "
								   "arguments in other registers",
								   other)
						    : arena_printf(r->arena,
								   "name %s in the same rule: libc calls it there",
								   other),
					    "on %s, %s does the work of %s, and this rule does not hold "
					    "for it, which the policy may let through",
					    arch_info(a)->name, other, one);
				break;
			}
		}
	}
}

int resolve_policy(struct syscage_policy *pol, const char *arch_override,
		   struct syscage_diagnostics *diags)
{
	struct resolver r = { .policy = pol, .arena = &pol->arena, .diags = diags };
	size_t errors_before = syscage_diagnostics_errors(diags);
	size_t cap = 0;

	r.nsyscalls = syscall_count();
	if (resolve_arches(&r, arch_override) || resolve_default(&r))
		return -EINVAL;
	for (size_t i = 0; i < pol->stmts.count; i++) {
		const struct stmt *s = &pol->stmts.items[i];

		if (s->kind == STMT_GROUP) {
			define_group(&r, s);
		} else if (s->kind == STMT_RULE) {
			struct rule *rule = ARENA_PUSH(r.arena, pol->rules, pol->nrules, cap);

			rule->stmt = s;
			rule->index = (unsigned)(pol->nrules - 1);
		}
	}
	/* Rules point into pol->rules: resolve once it no longer moves. */
	for (size_t i = 0; i < pol->nrules; i++)
		resolve_rule(&r, &pol->rules[i]);
	if (syscage_diagnostics_errors(diags) > errors_before)
		return -EINVAL;
	for (int a = 0; a < ARCH_COUNT; a++) {
		struct arch_rules *ar = &pol->arches[a];

		if (ar->count)
			sort_entries(r.arena, ar);
	}
	warn_dead_rules(&r);
	warn_io_uring(&r);
	warn_clone3(&r);
	warn_twins(&r);
	return 0;
}
