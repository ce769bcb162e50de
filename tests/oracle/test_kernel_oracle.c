/*
 * The kernel as oracle: random policies over harmless syscalls, compiled
 * by syscage, loaded for real into a child process, and thousands of calls
 * made under each. For every call four verdicts must agree:
 *
 *   model     this file's own reading of doc/policy-language.md (first
 *             match in file order, widths 16/32/64, signedness, arch rules)
 *             applied to the generated rules;
 *   evaluate  syscage_policy_evaluate;
 *   emulate   syscage_program_emulate (the compiled program in syscage's
 *             BPF emulator);
 *   kernel    what the kernel did with the call under the loaded program
 *             (only for the calls actually made, see below).
 *
 * The calls are harmless whatever the filter says: getpid and friends
 * ignore their arguments (the filter still sees all six registers); lseek,
 * ioctl, fchmod, fchown and write always get a file descriptor whose low 32
 * bits are >= 0x40000000 (EBADF); kill always gets a signal whose low 32
 * bits are 0; getpgid only reads. They are made natively (syscall), as i386
 * calls (int $0x80, full 64-bit registers) and as x32 calls (nr | 1 << 30;
 * x32 is compiled out of most kernels, so an allowed x32 call returns
 * ENOSYS, while an errno, trap or kill is still seen), and a few numbers
 * no arch has (ENOSYS). Every errno rule has its own errno (>= 1000, which no
 * syscall returns by itself), so the return value names the deciding rule.
 *
 * One child per policy makes all its calls, writing each result into
 * shared memory before the next call: after loading the filter it makes no
 * other syscall than the calls under test, rt_sigreturn (after a trap) and
 * exit_group, which the policies allow by a fixed rule. A kill ends the
 * child; the next child goes on after the killed call. To keep forks few,
 * at most KILLS_PER_POLICY calls the model expects to be killed are made.
 *
 * ORACLE_SEED=N replays with base seed N, ORACLE_POLICY=I runs policy I
 * only, ORACLE_VERBOSE=1 prints every policy. The closing line is
 * "kernel-oracle: N passed, M failed" (N, M: policies).
 *
 * Not reused: tests/live/live.h makes one call per child (a fork per call
 * is too slow for 10^5 calls); its int $0x80 sequence is copied below.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/seccomp.h>

#include "syscage.h"
#include "syscall_table.h"

#include "oracle/oracle.h"

#define NAME "kernel-oracle"
#define NPOLICIES 250
#define CALLS_PER_POLICY 450
#define EMULATED_PER_POLICY 2000
#define KILLS_PER_POLICY 1
#define MAX_RULES 48	/* a tenth of the policies are large: far jumps */
#define MAX_NODES 768
#define X32_BIT 0x40000000u

enum mode { M_NATIVE, M_I386, M_X32, M_COUNT };
static const char *const mode_name[M_COUNT] = { "x86_64", "i386", "x32" };
static const enum arch_id mode_arch[M_COUNT] = { ARCH_X86_64, ARCH_I386, ARCH_X32 };

/* ---- the syscalls the calls use ------------------------------------------- */

enum safety { S_ANY, S_BADFD, S_SIG0 };
enum natural { N_NONNEG, N_EBADF, N_KILL, N_GETPGID, N_ENOSYS };

struct target {
	const char *name;		/* a syscall, or a label for a raw number */
	uint8_t safety[6];
	uint8_t natural;
	uint32_t raw[M_COUNT];		/* raw numbers (name not a syscall); 0: none */
	int idx;			/* syscall_lookup, -1 for raw numbers */
	int64_t nr[M_COUNT];		/* the number the filter sees; -1: none */
};

static struct target targets[] = {
	{ "getppid" }, { "getpid" }, { "getuid" }, { "getgid" }, { "geteuid" },
	{ "getegid" }, { "gettid" }, { "sched_yield" }, { "getpgrp" },
	{ "lseek", { S_BADFD }, N_EBADF },
	{ "ioctl", { S_BADFD }, N_EBADF },
	{ "fchmod", { S_BADFD }, N_EBADF },
	{ "fchown", { S_BADFD }, N_EBADF },
	{ "write", { S_BADFD }, N_EBADF },
	{ "kill", { S_ANY, S_SIG0 }, N_KILL },
	{ "getpgid", { S_ANY }, N_GETPGID },
	/* numbers no arch has: the default decides, the kernel says ENOSYS */
	{ "#999", { 0 }, N_ENOSYS, { 999, 999, X32_BIT | 999 } },
	{ "#0x3fffffff", { 0 }, N_ENOSYS, { 0x3fffffff, 0x3fffffff, 0 } },
	{ "#-1", { 0 }, N_ENOSYS, { 0xffffffff, 0xffffffff, 0 } },
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))
#define NNAMED 16	/* the first NNAMED are syscalls rules can name */

static bool x32_enabled;

static void targets_init(void)
{
	for (size_t t = 0; t < NTARGETS; t++) {
		struct target *tg = &targets[t];

		tg->idx = t < NNAMED ? syscall_lookup(tg->name) : -1;
		for (int m = 0; m < M_COUNT; m++) {
			if (t >= NNAMED) {
				tg->nr[m] = tg->raw[m] ? (int64_t)tg->raw[m] : -1;
				continue;
			}
			tg->nr[m] = syscage_syscall_number(mode_name[m], tg->name);
			if (tg->nr[m] < 0) {
				fprintf(stderr, "%s: no %s on %s\n", NAME, tg->name, mode_name[m]);
				exit(1);
			}
		}
	}
}

/* Width and sign of argument i of syscall idx on arch, as the doc says. */
static unsigned arg_bits(int idx, int i, enum arch_id arch, bool *is_signed)
{
	struct syscall_signature on_arch;
	const struct syscall_signature *sig = &on_arch;
	unsigned bits = arch == ARCH_I386 ? 32 : 64;

	syscall_signature_on(arch, idx, &on_arch);

	*is_signed = false;
	/* register i, and the parameter it holds there (a 64-bit value takes
	 * two on i386: the registers after it hold the next parameters) */
	int half, param = syscall_register_param(arch, sig, i, &half);

	if (param >= 0) {
		if (sig->params[param].bits < bits)
			bits = sig->params[param].bits;
		*is_signed = sig->params[param].kind == PARAM_SIGNED;
	}
	return bits;
}

static uint64_t width_mask(unsigned bits)
{
	return bits >= 64 ? UINT64_MAX : (1ull << bits) - 1;
}

static int64_t sext(uint64_t v, unsigned bits)
{
	if (bits >= 64)
		return (int64_t)v;
	v &= width_mask(bits);
	if (v >> (bits - 1))
		v |= ~width_mask(bits);
	return (int64_t)v;
}

/* ---- generated policies ------------------------------------------------------ */

enum op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_NOTIN, OP_BARE };
static const char *const op_text[] = { "==", "!=", "<", "<=", ">", ">=" };

enum node_kind { N_ATOM, N_AND, N_OR, N_NOT };

struct node {
	enum node_kind kind;
	int a, b;		/* children (node indexes) */
	/* N_ATOM */
	int arg;
	bool named;		/* by its parameter name, else argN */
	uint64_t mask;		/* UINT64_MAX: none */
	enum op op;
	uint64_t vals[3];
	int nvals;
};

struct rule {
	uint32_t ret;		/* SECCOMP_RET_* */
	int targets[3];
	int ntargets;
	int cond;		/* root node, -1: unconditional */
};

struct policy {
	bool cover[M_COUNT];
	bool arch_stmt;		/* written as an `arch` statement */
	uint32_t default_ret;
	struct rule rules[MAX_RULES];
	int nrules;
	int fixed_at;		/* the rule allowing exit_group, rt_sigreturn goes before rule fixed_at */
	struct node nodes[MAX_NODES];
	int nnodes;
	char text[65536];
};

/* Constants the policy compares argument i of target t with, and their masks. */
struct konst {
	int target, arg;
	uint64_t value, mask;
};

static struct konst konsts[1024];
static int nkonsts;

static void add_konst(int t, int arg, uint64_t v, uint64_t mask)
{
	if (nkonsts < (int)(sizeof(konsts) / sizeof(konsts[0])))
		konsts[nkonsts++] = (struct konst){ t, arg, v, mask };
}

static uint32_t random_action(struct rng *r, unsigned *next_errno)
{
	unsigned k = rng_below(r, 100);

	if (k < 55)
		return SECCOMP_RET_ERRNO | (*next_errno)++;
	if (k < 67)
		return SECCOMP_RET_ALLOW;
	if (k < 72)
		return SECCOMP_RET_LOG;
	if (k < 78)
		return SECCOMP_RET_TRAP;
	if (k < 84)
		return SECCOMP_RET_TRACE | rng_below(r, 65536);
	if (k < 88)
		return SECCOMP_RET_USER_NOTIF;
	if (k < 94)
		return SECCOMP_RET_KILL_PROCESS;
	return SECCOMP_RET_KILL_THREAD;
}

static void action_text(uint32_t ret, char *buf, size_t size)
{
	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW: snprintf(buf, size, "allow"); break;
	case SECCOMP_RET_LOG: snprintf(buf, size, "log"); break;
	case SECCOMP_RET_TRAP: snprintf(buf, size, "trap"); break;
	case SECCOMP_RET_TRACE: snprintf(buf, size, "trace %u", ret & SECCOMP_RET_DATA); break;
	case SECCOMP_RET_USER_NOTIF: snprintf(buf, size, "notify"); break;
	case SECCOMP_RET_KILL_PROCESS: snprintf(buf, size, "%s", ret & 1 ? "kill" : "kill-process"); break;
	case SECCOMP_RET_KILL_THREAD: snprintf(buf, size, "kill-thread"); break;
	default: snprintf(buf, size, "errno %u", ret & SECCOMP_RET_DATA); break;
	}
}

/* What the argument i of the rule's syscalls allows: not a pointer on any,
 * the narrowest width over the covered arches, and whether any is signed.
 * Returns false when i cannot be compared (a pointer somewhere). */
static bool arg_shape(const struct policy *p, const struct rule *ru, int i, unsigned *wmin,
		      bool *any_signed, bool *same_name)
{
	const char *name = NULL;

	*wmin = 64;
	*any_signed = false;
	*same_name = true;
	for (int k = 0; k < ru->ntargets; k++) {
		int idx = targets[ru->targets[k]].idx;
		const struct syscall_signature *sig = syscall_signature(idx);

		if (i < sig->nparams) {
			if (sig->params[i].kind == PARAM_POINTER)
				return false;
			if (name && strcmp(name, sig->params[i].name))
				*same_name = false;
			name = sig->params[i].name;
		} else {
			*same_name = false;
		}
		for (int m = 0; m < M_COUNT; m++) {
			struct syscall_signature on_arch;
			int half, param;
			bool sg;
			unsigned w;

			if (!p->cover[m])
				continue;
			/* register i as that arch reads it: a pointer there, or
			 * another parameter than i (a name would mean another
			 * register), rules it or the name out */
			syscall_signature_on(mode_arch[m], idx, &on_arch);
			param = syscall_register_param(mode_arch[m], &on_arch, i, &half);
			if (param >= 0 && on_arch.params[param].kind == PARAM_POINTER)
				return false;
			if (param != i)
				*same_name = false;
			w = arg_bits(idx, i, mode_arch[m], &sg);
			if (w < *wmin)
				*wmin = w;
			*any_signed |= sg;
		}
	}
	return true;
}

/* A constant that fits a width: unsigned up to its mask, or negative down to
 * its signed minimum; with signed_order, only signed values of the width. */
static uint64_t random_const(struct rng *r, unsigned w, bool signed_order)
{
	uint64_t wm = width_mask(w), v;

	switch (rng_below(r, 4)) {
	case 0: v = rng_below(r, 20); break;
	case 1: v = rng_u64(r); break;
	default: v = oracle_boundaries[rng_below(r, ORACLE_NBOUNDARIES)] + (uint64_t)(int)rng_below(r, 3) - 1; break;
	}
	if (signed_order && w < 64)
		return (uint64_t)sext(v, w);
	if (rng_pct(r, 20) && w < 64)
		return (uint64_t)sext(v, w);	/* negative or not, written signed */
	return v & wm;
}

static int new_node(struct policy *p)
{
	if (p->nnodes >= MAX_NODES)
		return -1;
	memset(&p->nodes[p->nnodes], 0, sizeof(p->nodes[0]));
	return p->nnodes++;
}

static int gen_atom(struct rng *r, struct policy *p, struct rule *ru)
{
	int n = new_node(p), tries = 0, i;
	unsigned w;
	bool sg, same;
	struct node *nd;

	if (n < 0)
		return -1;
	nd = &p->nodes[n];
	nd->kind = N_ATOM;
	do {
		i = (int)rng_below(r, 6);
		if (rng_pct(r, 60)) /* prefer the declared parameters */
			i = (int)rng_below(r, 3);
	} while (!arg_shape(p, ru, i, &w, &sg, &same) && ++tries < 50);
	if (tries >= 50)
		return -1;
	nd->arg = i;
	nd->named = same && rng_pct(r, 60);
	nd->mask = UINT64_MAX;
	if (rng_pct(r, 25)) {
		nd->mask = rng_pct(r, 50) ? rng_u64(r) : oracle_boundaries[rng_below(r, ORACLE_NBOUNDARIES)];
		nd->mask &= width_mask(w);
		if (!nd->mask)
			nd->mask = 1;
	}
	unsigned k = rng_below(r, 100);
	if (k < 60) {
		nd->op = (enum op)rng_below(r, 6);
		nd->nvals = 1;
	} else if (k < 75) {
		nd->op = OP_IN;
		nd->nvals = 1 + (int)rng_below(r, 3);
	} else if (k < 87) {
		nd->op = OP_NOTIN;
		nd->nvals = 1 + (int)rng_below(r, 3);
	} else {
		nd->op = OP_BARE;
		nd->nvals = 0;
	}
	for (int v = 0; v < nd->nvals; v++) {
		bool ordered = nd->op >= OP_LT && nd->op <= OP_GE;

		nd->vals[v] = random_const(r, w, ordered && sg);
		/* masked comparisons mostly with a value inside the mask */
		if (nd->mask != UINT64_MAX && rng_pct(r, 70) && !(ordered && sg))
			nd->vals[v] &= nd->mask;
		for (int t = 0; t < ru->ntargets; t++)
			add_konst(ru->targets[t], i, nd->vals[v], nd->mask);
	}
	if (nd->op == OP_BARE)
		for (int t = 0; t < ru->ntargets; t++)
			add_konst(ru->targets[t], i, 0, nd->mask);
	return n;
}

static int gen_cond(struct rng *r, struct policy *p, struct rule *ru, int depth)
{
	unsigned k = rng_below(r, 100);
	int n, a, b;

	if (depth >= 3 || k < 45)
		return gen_atom(r, p, ru);
	if (k < 58) {
		a = gen_cond(r, p, ru, depth + 1);
		n = new_node(p);
		if (a < 0 || n < 0)
			return -1;
		p->nodes[n].kind = N_NOT;
		p->nodes[n].a = a;
		return n;
	}
	a = gen_cond(r, p, ru, depth + 1);
	b = gen_cond(r, p, ru, depth + 1);
	n = new_node(p);
	if (a < 0 || b < 0 || n < 0)
		return -1;
	p->nodes[n].kind = k < 80 ? N_AND : N_OR;
	p->nodes[n].a = a;
	p->nodes[n].b = b;
	return n;
}

/* ---- rendering ----------------------------------------------------------------- */

/* Writes v; with ordered, a top bit set is written negative: compared with
 * a signed 64-bit argument, 0x8000000000000000 written so is an error. */
static void put_const(struct rng *r, struct buf *b, uint64_t v, bool ordered)
{
	if ((int64_t)v < 0 && (ordered || (int64_t)v >= INT32_MIN * 2ll)) {
		put(b, "-%llu", (unsigned long long)(0 - v));
		return;
	}
	if ((int64_t)v < 0 && rng_pct(r, 30) && v != 0x8000000000000000ull) {
		put(b, "-%llu", (unsigned long long)-(int64_t)v);
		return;
	}
	switch (rng_below(r, 6)) {
	case 0: put(b, "%llu", (unsigned long long)v); break;
	case 1: put(b, "0%llo", (unsigned long long)v); break;
	default: put(b, "%#llx", (unsigned long long)v); break;
	}
}

static void put_arg(struct rng *r, struct buf *b, const struct policy *p, const struct rule *ru,
		    const struct node *nd)
{
	(void)p;
	if (nd->named) {
		const struct syscall_signature *sig = syscall_signature(targets[ru->targets[0]].idx);

		put(b, "%s", sig->params[nd->arg].name);
	} else {
		put(b, "arg%d", nd->arg);
	}
	if (nd->mask != UINT64_MAX) {
		put(b, " & ");
		put_const(r, b, nd->mask, false);
	}
}

static const char *and_word(struct rng *r) { return rng_pct(r, 80) ? "&&" : "and"; }
static const char *or_word(struct rng *r) { return rng_pct(r, 80) ? "||" : "or"; }

static void put_cond(struct rng *r, struct buf *b, const struct policy *p, const struct rule *ru, int n)
{
	const struct node *nd = &p->nodes[n];

	switch (nd->kind) {
	case N_AND:
	case N_OR:
		put(b, "(");
		put_cond(r, b, p, ru, nd->a);
		put(b, " %s ", nd->kind == N_AND ? and_word(r) : or_word(r));
		put_cond(r, b, p, ru, nd->b);
		put(b, ")");
		return;
	case N_NOT:
		put(b, rng_pct(r, 70) ? "!(" : "not (");
		put_cond(r, b, p, ru, nd->a);
		put(b, ")");
		return;
	case N_ATOM:
		break;
	}
	switch (nd->op) {
	case OP_BARE:
		put_arg(r, b, p, ru, nd);
		return;
	case OP_IN:
	case OP_NOTIN:
		put_arg(r, b, p, ru, nd);
		put(b, nd->op == OP_IN ? " in (" : " not in (");
		for (int v = 0; v < nd->nvals; v++) {
			if (v)
				put(b, ", ");
			put_const(r, b, nd->vals[v], false);
		}
		put(b, ")");
		return;
	default:
		break;
	}
	if (nd->mask == UINT64_MAX && rng_pct(r, 15)) {
		/* the constant on the left: the order flips */
		static const enum op flipped[] = { OP_EQ, OP_NE, OP_GT, OP_GE, OP_LT, OP_LE };

		put_const(r, b, nd->vals[0], nd->op >= OP_LT && nd->op <= OP_GE);
		put(b, " %s ", op_text[flipped[nd->op]]);
		put_arg(r, b, p, ru, nd);
		return;
	}
	put_arg(r, b, p, ru, nd);
	put(b, " %s ", op_text[nd->op]);
	put_const(r, b, nd->vals[0], nd->op >= OP_LT && nd->op <= OP_GE);
}

static void render(struct rng *r, struct policy *p)
{
	struct buf b = { p->text, 0, sizeof(p->text) };
	char act[64];
	int first = 1;

	put(&b, "# generated by %s\n", NAME);
	if (p->arch_stmt) {
		put(&b, "arch ");
		for (int m = 0; m < M_COUNT; m++) {
			if (p->cover[m]) {
				put(&b, "%s%s", first ? "" : ", ", mode_name[m]);
				first = 0;
			}
		}
		put(&b, "\n");
	}
	action_text(p->default_ret, act, sizeof(act));
	put(&b, "default %s\n", act);
	for (int i = 0; i <= p->nrules; i++) {
		if (i == p->fixed_at)
			put(&b, "allow exit_group, rt_sigreturn\n");
		if (i == p->nrules)
			break;
		const struct rule *ru = &p->rules[i];

		action_text(ru->ret, act, sizeof(act));
		put(&b, "%s ", act);
		for (int t = 0; t < ru->ntargets; t++)
			put(&b, "%s%s", t ? ", " : "", targets[ru->targets[t]].name);
		if (ru->cond >= 0) {
			put(&b, " if ");
			put_cond(r, &b, p, ru, ru->cond);
		}
		put(&b, "\n");
	}
}

static void gen_policy(struct rng *r, struct policy *p)
{
	unsigned next_errno = 1000 + rng_below(r, 2000);
	unsigned k = rng_below(r, 100);

	memset(p, 0, sizeof(*p));
	nkonsts = 0;
	p->cover[M_NATIVE] = true;
	p->cover[M_I386] = k >= 40 && k < 85;
	p->cover[M_X32] = k >= 70;
	p->arch_stmt = p->cover[M_I386] || p->cover[M_X32] || rng_pct(r, 50);
	/* mostly a default that lets calls go on: a kill ends the child */
	k = rng_below(r, 100);
	p->default_ret = k < 45 ? SECCOMP_RET_ERRNO | 999 : k < 70 ? SECCOMP_RET_ALLOW
						 : random_action(r, &next_errno);
	p->nrules = 1 + (int)rng_below(r, rng_pct(r, 10) ? MAX_RULES : 8);
	p->fixed_at = (int)rng_below(r, (uint32_t)p->nrules + 1);
	for (int i = 0; i < p->nrules; i++) {
		struct rule *ru = &p->rules[i];

		ru->ret = random_action(r, &next_errno);
		if (ru->ret == p->default_ret)
			ru->ret = SECCOMP_RET_ERRNO | next_errno++;
		ru->ntargets = rng_pct(r, 70) ? 1 : 2 + (int)rng_below(r, 2);
		for (int t = 0; t < ru->ntargets; t++) {
			int pick;
			bool dup;

			do {
				pick = (int)rng_below(r, NNAMED);
				dup = false;
				for (int u = 0; u < t; u++)
					dup |= ru->targets[u] == pick;
			} while (dup);
			ru->targets[t] = pick;
		}
		ru->cond = rng_pct(r, 15) ? -1 : gen_cond(r, p, ru, 0);
	}
	render(r, p);
}

/* ---- the model ------------------------------------------------------------------- */

static bool model_atom(const struct node *nd, int idx, enum arch_id arch, const uint64_t args[6],
		       uint64_t k)
{
	bool sg;
	unsigned w = arg_bits(idx, nd->arg, arch, &sg);
	uint64_t wm = width_mask(w);
	uint64_t v = args[nd->arg] & wm & nd->mask;
	enum op op = nd->op;

	k &= wm;
	if (op == OP_EQ || op == OP_IN)
		return v == k;
	if (op == OP_NE || op == OP_NOTIN)
		return v != k;
	if (sg) {
		int64_t sv = sext(v, w), sk = sext(k, w);

		switch (op) {
		case OP_LT: return sv < sk;
		case OP_LE: return sv <= sk;
		case OP_GT: return sv > sk;
		default: return sv >= sk;
		}
	}
	switch (op) {
	case OP_LT: return v < k;
	case OP_LE: return v <= k;
	case OP_GT: return v > k;
	default: return v >= k;
	}
}

static bool model_cond(const struct policy *p, int n, int idx, enum arch_id arch,
		       const uint64_t args[6])
{
	const struct node *nd = &p->nodes[n];

	switch (nd->kind) {
	case N_AND:
		return model_cond(p, nd->a, idx, arch, args) && model_cond(p, nd->b, idx, arch, args);
	case N_OR:
		return model_cond(p, nd->a, idx, arch, args) || model_cond(p, nd->b, idx, arch, args);
	case N_NOT:
		return !model_cond(p, nd->a, idx, arch, args);
	case N_ATOM:
		break;
	}
	switch (nd->op) {
	case OP_BARE:
		return model_atom(&(struct node){ .arg = nd->arg, .mask = nd->mask, .op = OP_NE }, idx,
				  arch, args, 0);
	case OP_IN:
		for (int v = 0; v < nd->nvals; v++)
			if (model_atom(nd, idx, arch, args, nd->vals[v]))
				return true;
		return false;
	case OP_NOTIN:
		for (int v = 0; v < nd->nvals; v++)
			if (!model_atom(nd, idx, arch, args, nd->vals[v]))
				return false;
		return true;
	default:
		return model_atom(nd, idx, arch, args, nd->vals[0]);
	}
}

/* The verdict the doc gives for (audit arch, nr, args). */
static uint32_t model_verdict(const struct policy *p, uint32_t audit, uint32_t nr, const uint64_t args[6])
{
	int m;

	if (audit == AUDIT_ARCH_I386)
		m = M_I386;
	else if (audit == AUDIT_ARCH_X86_64)
		m = nr >= X32_BIT ? M_X32 : M_NATIVE;
	else
		return SECCOMP_RET_KILL_PROCESS;
	if (!p->cover[m])
		return SECCOMP_RET_KILL_PROCESS;
	for (int i = 0; i <= p->nrules; i++) {
		if (i == p->fixed_at) {
			const char *fixed[] = { "exit_group", "rt_sigreturn" };

			for (int f = 0; f < 2; f++)
				if (syscage_syscall_number(mode_name[m], fixed[f]) == (long)nr)
					return SECCOMP_RET_ALLOW;
		}
		if (i == p->nrules)
			break;
		const struct rule *ru = &p->rules[i];

		for (int t = 0; t < ru->ntargets; t++) {
			const struct target *tg = &targets[ru->targets[t]];

			if (tg->nr[m] != (int64_t)nr)
				continue;
			if (ru->cond < 0 || model_cond(p, ru->cond, tg->idx, mode_arch[m], args))
				return ru->ret;
			break;
		}
	}
	return p->default_ret;
}

/* ---- calls -------------------------------------------------------------------------- */

struct call {
	int target;
	enum mode mode;
	uint64_t args[6];
	uint32_t expect;	/* the model's verdict (== evaluate == emulate) */
};

static uint64_t make_safe(struct rng *r, uint8_t safety, uint64_t v)
{
	static const uint32_t bad_fds[] = { 0xffffffff, 0xfffffffe, 0x80000000, 0x7fffffff,
					    0x40000000, 0xc0000000, 0x7ffffffe };

	switch (safety) {
	case S_BADFD:
		if ((v & 0xffffffff) < 0x40000000)
			v = (v & 0xffffffff00000000ull) | bad_fds[rng_below(r, 7)];
		return v;
	case S_SIG0:
		return v & 0xffffffff00000000ull;
	default:
		return v;
	}
}

static void gen_call(struct rng *r, const struct policy *p, struct call *c)
{
	unsigned k = rng_below(r, 100);

	memset(c, 0, sizeof(*c));
	if (k < 75 && p->nrules) {
		const struct rule *ru = &p->rules[rng_below(r, (uint32_t)p->nrules)];

		c->target = ru->targets[rng_below(r, (uint32_t)ru->ntargets)];
	} else {
		c->target = (int)rng_below(r, NTARGETS);
	}
	k = rng_below(r, 100);
	c->mode = k < 70 ? M_NATIVE : k < 88 ? M_I386 : M_X32;
	if (!p->cover[c->mode] && rng_pct(r, 70))
		c->mode = M_NATIVE;
	if (targets[c->target].nr[c->mode] < 0)
		c->mode = M_NATIVE;
	for (int i = 0; i < 6; i++) {
		uint64_t v;
		int tries = 0;

		v = oracle_boundary(r);
		if (rng_pct(r, 65)) {
			/* near a constant the policy compares this argument with */
			for (tries = 0; tries < 6; tries++) {
				const struct konst *kk = nkonsts ? &konsts[rng_below(r, (uint32_t)nkonsts)] : NULL;

				if (kk && kk->arg == i && (kk->target == c->target || rng_pct(r, 20))) {
					v = oracle_near(r, kk->value, kk->mask);
					break;
				}
			}
		}
		c->args[i] = make_safe(r, targets[c->target].safety[i], v);
	}
}

/* ---- the child ------------------------------------------------------------------------ */

struct result {
	int32_t done;		/* 1: the call returned (or trapped) */
	int32_t trapped;
	int64_t ret;		/* the raw return value: -errno on failure */
	int32_t trap_nr;
	uint32_t trap_arch;
};

struct shared {
	volatile int32_t current;	/* the call being made */
	volatile int32_t load_err;
	volatile int32_t trapped;
	volatile int32_t trap_nr;
	volatile uint32_t trap_arch;
	struct result res[CALLS_PER_POLICY];
};

static struct shared *shm;

static long raw_syscall(uint64_t nr, const uint64_t a[6])
{
	register uint64_t rax __asm__("rax") = nr;
	register uint64_t rdi __asm__("rdi") = a[0];
	register uint64_t rsi __asm__("rsi") = a[1];
	register uint64_t rdx __asm__("rdx") = a[2];
	register uint64_t r10 __asm__("r10") = a[3];
	register uint64_t r8 __asm__("r8") = a[4];
	register uint64_t r9 __asm__("r9") = a[5];

	__asm__ volatile("syscall"
			 : "+r"(rax)
			 : "r"(rdi), "r"(rsi), "r"(rdx), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return (long)rax;
}

/* int $0x80 with the full 64-bit registers (as in tests/live/live.h). */
static long raw_i386(uint64_t nr, const uint64_t a[6])
{
	register uint64_t rax __asm__("rax") = nr;
	register uint64_t rbx __asm__("rbx") = a[0];
	register uint64_t rcx __asm__("rcx") = a[1];
	register uint64_t rdx __asm__("rdx") = a[2];
	register uint64_t rsi __asm__("rsi") = a[3];
	register uint64_t rdi __asm__("rdi") = a[4];
	register uint64_t r12 __asm__("r12") = a[5];

	__asm__ volatile("leaq -128(%%rsp), %%rsp\n\t"
			 "pushq %%rbp\n\t"
			 "movq %%r12, %%rbp\n\t"
			 "int $0x80\n\t"
			 "popq %%rbp\n\t"
			 "leaq 128(%%rsp), %%rsp"
			 : "+r"(rax), "+r"(rbx), "+r"(rcx), "+r"(rdx), "+r"(rsi), "+r"(rdi), "+r"(r12)
			 :
			 : "memory", "cc", "r8", "r9", "r10", "r11");
	return (long)(int)rax;
}

/*
 * exit_group, made in place: a call to a function that does not return
 * (declared so, or found so by the compiler) makes ASan first run
 * __asan_handle_no_return, whose syscalls (sigaltstack, mmap) the filter
 * under test may refuse.
 */
#define RAW_EXIT(code)                                                          \
	for (;;) {                                                              \
		register uint64_t rax_ __asm__("rax") = SYS_exit_group;         \
		register uint64_t rdi_ __asm__("rdi") = (uint64_t)(code);       \
		__asm__ volatile("syscall"                                      \
				 : "+r"(rax_)                                   \
				 : "r"(rdi_)                                    \
				 : "rcx", "r11", "memory");                     \
	}

static void on_sigsys(int sig, siginfo_t *info, void *uctx)
{
	(void)sig;
	(void)uctx;
	shm->trapped = 1;
	shm->trap_nr = info->si_syscall;
	shm->trap_arch = info->si_arch;
}

static void child(const struct syscage_program *prog,
					    const struct call *calls, int from, int n)
{
	struct rlimit no_core = { 0, 0 };
	struct sigaction sa;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) < 0)
		RAW_EXIT(4);
	setrlimit(RLIMIT_CORE, &no_core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	alarm(30);	/* a safety net */
	rc = syscage_program_load(prog, 0);
	if (rc < 0) {
		shm->load_err = -rc;
		RAW_EXIT(2);
	}
	/* From here on: raw syscalls only. */
	for (int i = from; i < n; i++) {
		const struct call *c = &calls[i];
		const struct target *tg = &targets[c->target];
		uint64_t nr = (uint64_t)tg->nr[c->mode];
		long ret;

		shm->current = i;
		shm->trapped = 0;
		if (c->mode == M_I386)
			ret = raw_i386(nr, c->args);
		else
			ret = raw_syscall(nr, c->args);
		shm->res[i].ret = ret;
		shm->res[i].trapped = shm->trapped;
		shm->res[i].trap_nr = shm->trap_nr;
		shm->res[i].trap_arch = shm->trap_arch;
		shm->res[i].done = 1;
	}
	RAW_EXIT(0);
}

/* ---- checking -------------------------------------------------------------------------- */

static bool natural_ok(const struct call *c, long ret)
{
	const struct target *tg = &targets[c->target];

	if (c->mode == M_X32 && !x32_enabled)
		return ret == -ENOSYS;
	switch (tg->natural) {
	case N_NONNEG: return ret >= 0;
	case N_EBADF: return ret == -EBADF;
	case N_KILL: return ret == 0 || ret == -ESRCH || ret == -EPERM;
	case N_GETPGID: return ret >= 0 || ret == -ESRCH;
	default: return ret == -ENOSYS;
	}
}

static uint32_t seen_nr(const struct call *c)
{
	return (uint32_t)targets[c->target].nr[c->mode];
}

static uint32_t audit_of(enum mode m)
{
	return m == M_I386 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;
}

static void describe_call(const struct call *c, char *buf, size_t size)
{
	snprintf(buf, size,
		 "%s %s (nr %#x) args %#" PRIx64 ", %#" PRIx64 ", %#" PRIx64 ", %#" PRIx64
		 ", %#" PRIx64 ", %#" PRIx64,
		 mode_name[c->mode], targets[c->target].name, seen_nr(c), c->args[0], c->args[1],
		 c->args[2], c->args[3], c->args[4], c->args[5]);
}

struct stats {
	uint64_t policies, kernel_calls, emulated, disagreements, kills, forks, trapped;
	uint64_t rejected, failed_policies;
};

static struct stats st;
static bool verbose;

static void report(uint64_t base, long pi, const char *what)
{
	st.disagreements++;
	fprintf(stderr, "%s: DISAGREE (replay: ORACLE_SEED=%#llx ORACLE_POLICY=%ld): %s\n", NAME,
		(unsigned long long)base, pi, what);
}

static void print_policy_once(const struct policy *p, bool *printed)
{
	if (*printed)
		return;
	*printed = true;
	fprintf(stderr, "---- policy ----\n%s----------------\n", p->text);
}

/* Compares model, evaluate and emulate on one call; returns the verdict. */
static bool check_emulated(const struct policy *p, const struct syscage_policy *pol,
			   const struct syscage_program *prog, const struct call *c, uint64_t base,
			   long pi, bool *printed)
{
	struct syscage_verdict v;
	uint32_t em = 0, model, audit = audit_of(c->mode), nr = seen_nr(c);
	char desc[256], what[512];

	model = model_verdict(p, audit, nr, c->args);
	syscage_policy_evaluate(pol, audit, nr, c->args, &v);
	if (syscage_program_emulate(prog, audit, nr, c->args, &em, NULL) != 0)
		em = 0xdeadbeef;
	st.emulated++;
	if (model == v.seccomp_ret && v.seccomp_ret == em)
		return true;
	describe_call(c, desc, sizeof(desc));
	snprintf(what, sizeof(what), "%s: model %#x, syscage_policy_evaluate %#x (line %u), "
		 "syscage_program_emulate %#x", desc, model, v.seccomp_ret, v.line, em);
	report(base, pi, what);
	print_policy_once(p, printed);
	return false;
}

static bool kernel_agrees(const struct call *c, uint32_t expect, const struct result *res,
			  bool killed, int sig, char *why, size_t size)
{
	uint32_t action = expect & SECCOMP_RET_ACTION_FULL;

	if (killed) {
		snprintf(why, size, "killed by signal %d", sig);
		return sig == SIGSYS &&
		       (action == SECCOMP_RET_KILL_PROCESS || action == SECCOMP_RET_KILL_THREAD);
	}
	if (res->trapped) {
		snprintf(why, size, "trapped (nr %d, arch %#x)", res->trap_nr, res->trap_arch);
		return action == SECCOMP_RET_TRAP && res->trap_nr == (int32_t)seen_nr(c) &&
		       res->trap_arch == audit_of(c->mode);
	}
	snprintf(why, size, "returned %" PRId64, res->ret);
	switch (action) {
	case SECCOMP_RET_ALLOW:
	case SECCOMP_RET_LOG:
		return natural_ok(c, res->ret);
	case SECCOMP_RET_ERRNO:
		return res->ret == -(int64_t)(expect & SECCOMP_RET_DATA);
	case SECCOMP_RET_TRACE:
	case SECCOMP_RET_USER_NOTIF:
		return res->ret == -ENOSYS;
	default:
		return false;
	}
}

/* Makes the calls in children; compares the kernel's verdicts. */
static void run_kernel(const struct policy *p, const struct syscage_program *prog,
		       const struct call *calls, int n, uint64_t base, long pi, bool *printed)
{
	int from = 0;

	memset(shm, 0, sizeof(*shm));
	while (from < n) {
		int status;
		pid_t pid;

		shm->current = -1;
		shm->load_err = 0;
		fflush(NULL);
		pid = fork();
		if (pid < 0) {
			perror("fork");
			exit(1);
		}
		if (pid == 0) {
			child(prog, calls, from, n);
			RAW_EXIT(5);
		}
		st.forks++;
		while (waitpid(pid, &status, 0) < 0) {
			if (errno != EINTR) {
				perror("waitpid");
				exit(1);
			}
		}
		int last = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? n : shm->current;
		for (int i = from; i < n && i < last; i++) {
			char why[128], desc[256], what[600];

			if (!shm->res[i].done)
				break;
			st.kernel_calls++;
			st.trapped += shm->res[i].trapped != 0;
			if (kernel_agrees(&calls[i], calls[i].expect, &shm->res[i], false, 0, why,
					  sizeof(why)))
				continue;
			describe_call(&calls[i], desc, sizeof(desc));
			snprintf(what, sizeof(what), "%s: expected %#x, the kernel: %s", desc,
				 calls[i].expect, why);
			report(base, pi, what);
			print_policy_once(p, printed);
		}
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			return;
		if (WIFSIGNALED(status) && shm->current >= from && !shm->res[shm->current].done) {
			int i = shm->current;
			char why[128], desc[256], what[600];

			st.kernel_calls++;
			st.kills++;
			if (!kernel_agrees(&calls[i], calls[i].expect, NULL, true, WTERMSIG(status), why,
					   sizeof(why))) {
				describe_call(&calls[i], desc, sizeof(desc));
				snprintf(what, sizeof(what), "%s: expected %#x, the kernel: %s", desc,
					 calls[i].expect, why);
				report(base, pi, what);
				print_policy_once(p, printed);
			}
			from = i + 1;
			continue;
		}
		{
			char what[256];

			snprintf(what, sizeof(what), "child broken: wait status %#x, load error %d, at call %d",
				 status, shm->load_err, shm->current);
			report(base, pi, what);
			print_policy_once(p, printed);
			return;
		}
	}
}

static void run_policy(uint64_t base, long pi)
{
	static struct policy p;
	static struct call calls[CALLS_PER_POLICY];
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_policy *pol = NULL;
	struct syscage_program *prog = NULL;
	uint64_t before = st.disagreements;
	struct rng r;
	bool printed = false;
	int rc, n = 0, kills = 0, attempts = 0;

	rng_seed(&r, base, (uint64_t)pi);
	gen_policy(&r, &p);
	if (verbose)
		printf("---- policy %ld ----\n%s", pi, p.text);
	rc = syscage_policy_parse("oracle.policy", p.text, strlen(p.text), NULL, diags, &pol);
	if (rc == 0)
		rc = syscage_compile(pol, diags, &prog);
	if (rc != 0) {
		char what[64];

		/* The generator writes valid policies only: a refusal is a finding. */
		snprintf(what, sizeof(what), "syscage refused the policy: %d", rc);
		st.rejected++;
		report(base, pi, what);
		for (size_t i = 0; i < syscage_diagnostics_count(diags); i++)
			if (syscage_diagnostic_severity(diags, i) == SYSCAGE_ERROR)
				fprintf(stderr, "%s", syscage_diagnostic_text(diags, i));
		print_policy_once(&p, &printed);
		goto out;
	}
	st.policies++;
	/* emulated only: many calls */
	for (int i = 0; i < EMULATED_PER_POLICY; i++) {
		struct call c;

		gen_call(&r, &p, &c);
		check_emulated(&p, pol, prog, &c, base, pi, &printed);
	}
	/* the calls the kernel sees too */
	while (n < CALLS_PER_POLICY && attempts++ < 50 * CALLS_PER_POLICY) {
		struct call *c = &calls[n];
		uint32_t a;

		gen_call(&r, &p, c);
		if (!check_emulated(&p, pol, prog, c, base, pi, &printed))
			continue;
		c->expect = model_verdict(&p, audit_of(c->mode), seen_nr(c), c->args);
		a = c->expect & SECCOMP_RET_ACTION_FULL;
		if (a == SECCOMP_RET_KILL_PROCESS || a == SECCOMP_RET_KILL_THREAD) {
			if (kills >= KILLS_PER_POLICY)
				continue;
			kills++;
		}
		n++;
	}
	run_kernel(&p, prog, calls, n, base, pi, &printed);
out:
	if (st.disagreements != before)
		st.failed_policies++;
	syscage_program_free(prog);
	syscage_policy_free(pol);
	syscage_diagnostics_free(diags);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	struct oracle_seeds seeds;
	const uint64_t zero[6] = { 0 };
	double t0 = now();
	long npol = NPOLICIES;

	setvbuf(stdout, NULL, _IOLBF, 0);
	verbose = getenv("ORACLE_VERBOSE") != NULL;
	oracle_seeds_init(&seeds, NAME);
	if (getenv("ORACLE_POLICIES"))
		npol = strtol(getenv("ORACLE_POLICIES"), NULL, 0);
	targets_init();
	x32_enabled = raw_syscall(X32_BIT | SYS_getpid, zero) != -ENOSYS;
	printf("%s: x32 is %s in this kernel\n", NAME, x32_enabled ? "enabled" : "compiled out (allowed x32 calls return ENOSYS)");
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (long i = 0; i < npol; i++) {
		if (seeds.only >= 0 && i != seeds.only)
			continue;
		run_policy(oracle_seed_of(&seeds, i, npol), i);
	}
	printf("%s: %" PRIu64 " policies, %" PRIu64 " kernel-checked calls (%" PRIu64 " killed, %" PRIu64
	       " trapped, %" PRIu64 " children), %" PRIu64 " emulated comparisons, %" PRIu64
	       " disagreements, %" PRIu64 " policies refused, %.1f s\n",
	       NAME, st.policies, st.kernel_calls, st.kills, st.trapped, st.forks, st.emulated,
	       st.disagreements, st.rejected, now() - t0);
	munmap(shm, sizeof(*shm));
	printf("%s: %" PRIu64 " passed, %" PRIu64 " failed\n", NAME,
	       st.policies + st.rejected - st.failed_policies, st.failed_policies);
	return st.failed_policies ? 1 : 0;
}
