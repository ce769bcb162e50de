/*
 * Verification: before a program leaves the library, run it in the
 * emulator on every syscall number of every covered arch (and on numbers
 * around them, around the x32 bit, and of arches the policy does not cover),
 * with argument values at and around every constant the policy compares
 * with, and compare each verdict with the policy's own evaluation.
 *
 * The two sides share only the resolved rules: the program is built through
 * rule tables, outcome sharing, the dispatch tree and the emitter; the
 * reference walks the rules in order. Any disagreement is a compiler bug.
 */
#include "verify.h"

#include <errno.h>
#include <string.h>

#include "bpf.h"
#include "syscall_table.h"

/* Above this many argument combinations for one syscall, sample them. */
#define MAX_COMBINATIONS 4096

struct values {
	uint64_t *v;
	size_t count, cap;
};

struct verifier {
	struct arena *arena;
	const struct syscage_policy *policy;
	const struct compile_mode *mode;
	const struct sock_filter *prog;
	size_t len;
	struct syscage_diagnostics *diags;
	uint64_t cases;
	bool failed;
};

static void add_value(struct arena *arena, struct values *vals, uint64_t v)
{
	for (size_t i = 0; i < vals->count; i++) {
		if (vals->v[i] == v)
			return;
	}
	*ARENA_PUSH(arena, vals->v, vals->count, vals->cap) = v;
}

/* Values that probe one atom: the constant, its neighbours, the other bits
 * of the mask set, and garbage above the argument's width, which the
 * kernel ignores and so must the filter. */
struct probe {
	struct arena *arena;
	struct values args[6];
};

static void probe_atom(const struct atom *a, void *ctx)
{
	struct probe *probe = ctx;
	struct arena *arena = probe->arena;
	struct values *vals = &probe->args[a->arg];
	uint64_t width = atom_width_mask(a->bits);
	uint64_t k = a->value, outside = ~a->mask & width;
	uint64_t base[] = { k, k + 1, k - 1, k | outside, (k | outside) + 1, k & ~(k & -k),
			    k ^ (uint64_t)1 << 31, k ^ (uint64_t)1 << 32, k ^ (uint64_t)1 << 63 };

	for (size_t i = 0; i < sizeof(base) / sizeof(base[0]); i++) {
		uint64_t v = base[i] & width;

		add_value(arena, vals, v);
		if (a->bits < 64) {
			add_value(arena, vals, v | ~width);
			add_value(arena, vals, v | (0xdeadbeefULL << 32 & ~width));
		}
	}
	if (a->bits == 64) {
		/* equal in one half only */
		add_value(arena, vals, k ^ 0x100000000ULL);
		add_value(arena, vals, k ^ 1);
		add_value(arena, vals, (k & 0xffffffffULL) | ((k >> 32) + 1) << 32);
	}
}

static const uint64_t special_values[] = {
	0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 0x8000000000000000,
	UINT64_MAX, 0xffffffff00000000, 0x00000001ffffffff,
};

static void report_mismatch(struct verifier *v, uint32_t audit, uint32_t nr,
			    const uint64_t args[6], uint32_t got, const struct syscage_verdict *want)
{
	const char *name = NULL;

	for (int a = 0; a < ARCH_COUNT && !name; a++) {
		if (arch_info(a)->audit_arch == audit) {
			int idx = syscall_by_number(a, nr);

			if (idx >= 0)
				name = syscall_name(idx);
		}
	}
	diag_report(v->diags, SYSCAGE_ERROR, (struct loc){ 0 },
		    "this is a bug in syscage; please report it with the policy. Nothing was written or loaded.",
		    "internal error: the compiled filter disagrees with the policy for arch %#x, "
		    "syscall %u (%s), args %#llx %#llx %#llx %#llx %#llx %#llx: the filter returns "
		    "%#x, the policy says %#x (%s:%u)",
		    audit, nr, name ? name : "?", (unsigned long long)args[0],
		    (unsigned long long)args[1], (unsigned long long)args[2],
		    (unsigned long long)args[3], (unsigned long long)args[4],
		    (unsigned long long)args[5], got, want->seccomp_ret,
		    want->file ? want->file : "-", want->line);
	v->failed = true;
}

/* Checks one input; returns whether the program read an argument on it. */
static bool check_one(struct verifier *v, uint32_t audit, uint32_t nr, const uint64_t args[6])
{
	struct seccomp_data data = { .nr = (int)nr, .arch = audit };
	struct syscage_verdict want;
	bool read_args;
	uint32_t got;

	memcpy(data.args, args, sizeof(data.args));
	syscage_policy_evaluate(v->policy, audit, nr, args, &want);
	if (mode_always_notifies(v->mode, policy_arch_of(v->policy, audit, nr), nr))
		want.seccomp_ret = SECCOMP_RET_USER_NOTIF;
	else
		want.seccomp_ret = mode_filter_ret(v->mode, want.seccomp_ret);
	got = bpf_run_traced(v->prog, v->len, &data, &read_args);
	v->cases++;
	if (got != want.seccomp_ret && !v->failed)
		report_mismatch(v, audit, nr, args, got, &want);
	return read_args;
}

/* A simple deterministic generator for sampling (the same policy must give
 * the same checks). */
static uint64_t next_random(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 17;
}

static void check_number(struct verifier *v, uint32_t audit, uint32_t nr)
{
	int arch = policy_arch_of(v->policy, audit, nr);
	struct probe probe = { .arena = v->arena };
	struct values *per_arg = probe.args;
	const struct entry *e;
	size_t n = 0, combos = 1;
	uint64_t args[6] = { 0 }, garbage[6];

	for (int i = 0; i < 6; i++)
		garbage[i] = 0xa5a5a5a5deadbeefULL + (uint64_t)i;
	if (arch >= 0)
		n = policy_entries_for(&v->policy->arches[arch], nr, &e);
	for (size_t i = 0; i < n; i++)
		cond_for_each_atom(e[i].cond, probe_atom, &probe);
	for (int i = 0; i < 6; i++) {
		if (!per_arg[i].count)
			continue;
		for (size_t s = 0; s < sizeof(special_values) / sizeof(special_values[0]); s++)
			add_value(v->arena, &per_arg[i], special_values[s]);
		combos = combos > MAX_COMBINATIONS ? combos : combos * per_arg[i].count;
	}
	/* Arguments no rule looks at: zero, and garbage. When the program does
	 * not read an argument on the way (and no rule of the policy looks at
	 * one), no other argument values can change either side's verdict. */
	if (check_one(v, audit, nr, args) || combos > 1)
		check_one(v, audit, nr, garbage);
	if (combos == 1)
		return;
	if (combos <= MAX_COMBINATIONS) {
		size_t idx[6] = { 0 };

		for (size_t c = 0; c < combos; c++) {
			size_t rest = c;

			for (int i = 0; i < 6; i++) {
				if (!per_arg[i].count) {
					args[i] = (c & 1) ? garbage[i] : 0;
					continue;
				}
				idx[i] = rest % per_arg[i].count;
				rest /= per_arg[i].count;
				args[i] = per_arg[i].v[idx[i]];
			}
			check_one(v, audit, nr, args);
		}
		return;
	}
	uint64_t state = nr;
	for (size_t c = 0; c < MAX_COMBINATIONS; c++) {
		for (int i = 0; i < 6; i++) {
			if (!per_arg[i].count)
				args[i] = (c & 1) ? garbage[i] : 0;
			else
				args[i] = per_arg[i].v[next_random(&state) % per_arg[i].count];
		}
		check_one(v, audit, nr, args);
	}
}

static void check_audit(struct verifier *v, uint32_t audit)
{
	static const uint32_t specials[] = { 0x3fffffff, 0x40000000, 0x40000001, 0x7fffffff,
					     0x80000000, 0xbfffffff, 0xc0000000, 0xfffffffe,
					     0xffffffff };

	for (size_t i = 0; i < sizeof(specials) / sizeof(specials[0]); i++)
		check_number(v, audit, specials[i]);
	/* Every number of every arch table, and their neighbours: the
	 * boundaries of the ranges the dispatch tree splits on. */
	for (int a = 0; a < ARCH_COUNT; a++) {
		size_t count = syscall_arch_count(a);

		if (arch_info(a)->audit_arch != audit && audit != 0)
			continue;
		/* An ABI the policy does not cover (x32 beside x86_64) is killed
		 * whole: a sample of its numbers shows it, with the specials. */
		if (!v->policy->arches[a].covered && count > 16)
			count = 16;
		for (size_t i = 0; i < count; i++) {
			uint32_t nr = syscall_arch_number_at(a, i);

			if (i == 0 || syscall_arch_number_at(a, i - 1) != nr - 1)
				check_number(v, audit, nr - 1);
			check_number(v, audit, nr);
			if (i + 1 == count || syscall_arch_number_at(a, i + 1) != nr + 1)
				check_number(v, audit, nr + 1);
		}
	}
}

int verify_program(struct arena *arena, const struct syscage_policy *policy,
		   const struct compile_mode *mode, const struct sock_filter *prog, size_t len,
		   struct syscage_diagnostics *diags, uint64_t *cases)
{
	struct verifier v = { .arena = arena, .policy = policy, .mode = mode, .prog = prog,
			      .len = len, .diags = diags };
	size_t bad_pc;

	if (bpf_check(prog, len, &bad_pc)) {
		diag_report(diags, SYSCAGE_ERROR, (struct loc){ 0 },
			    "this is a bug in syscage; please report it with the policy",
			    "internal error: the compiled program breaks the kernel's rules at "
			    "instruction %zu", bad_pc);
		return -EPROTO;
	}
	/* Covered arches get every number; the others a sample, to show they
	 * are killed; 0 is no arch at all. */
	for (int a = 0; a < ARCH_COUNT && !v.failed; a++) {
		bool seen = false;

		for (int b = 0; b < a; b++)
			seen |= arch_info(b)->audit_arch == arch_info(a)->audit_arch;
		if (seen)
			continue;
		if (policy->arches[a].covered ||
		    (a == ARCH_X86_64 && policy->arches[ARCH_X32].covered)) {
			check_audit(&v, arch_info(a)->audit_arch);
		} else {
			for (uint32_t nr = 0; nr < 8; nr++)
				check_number(&v, arch_info(a)->audit_arch, nr);
		}
	}
	check_number(&v, 0, 0);
	check_number(&v, 0xffffffff, 0);
	*cases = v.cases;
	return v.failed ? -EPROTO : 0;
}
