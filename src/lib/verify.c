/*
 * Verification: before a program leaves the library, run it in the
 * emulator on every syscall number of every arch, covered by the policy or
 * not (whose calls must all be killed), with argument values at and around
 * every constant the policy compares with, and compare each verdict with
 * the policy's own evaluation.
 *
 * "Every number" is all 2^32 of them, a range at a time where that is
 * provably the same as one at a time (check_audit_by_range); programs the
 * proof does not cover get the numbers of the tables, their neighbours and
 * those around the x32 bit, one at a time (check_audit_by_number), and
 * the arches the policy does not cover a sample.
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

static bool force_by_number;
static const uint32_t *forced_numbers;
static size_t nforced_numbers;

void verify_force_by_number(bool on)
{
	force_by_number = on;
}

void verify_force_numbers(const uint32_t *nrs, size_t count)
{
	forced_numbers = nrs;
	nforced_numbers = count;
}

struct values {
	uint64_t *v;		/* in the order first added */
	size_t count, cap;
	uint32_t *slots;	/* a hash set over v: index + 1, 0 empty */
	size_t nslots;		/* a power of two, more than twice count */
};

/* What the policy side says about every number of an arch (indexed by
 * arch + 1: -1 is no covered arch) that is the same for all of them,
 * worked out once (verifier_init). */
struct arch_facts {
	/* policy_decide on a number with no entries: it reads neither the
	 * number nor the arguments, only the arch; seccomp_ret as the filter
	 * must return it (mode_filter_ret). */
	struct syscage_verdict no_entries;
	uint32_t notified[2];	/* mode_notified_numbers */
	size_t nnotified;
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
	struct arch_facts facts[ARCH_COUNT + 1];
};

static void verifier_init(struct verifier *v)
{
	static const uint64_t zero[6];

	for (int arch = -1; arch < ARCH_COUNT; arch++) {
		struct arch_facts *f = &v->facts[arch + 1];

		policy_decide(v->policy, arch, NULL, 0, zero, &f->no_entries);
		f->no_entries.seccomp_ret = mode_filter_ret(v->mode, f->no_entries.seccomp_ret);
		f->nnotified = mode_notified_numbers(v->mode, arch, f->notified);
	}
}

/* mode_always_notifies, from the numbers looked up once per arch. */
static bool always_notifies(const struct verifier *v, int arch, uint32_t nr)
{
	const struct arch_facts *f = &v->facts[arch + 1];

	for (size_t i = 0; i < f->nnotified; i++) {
		if (f->notified[i] == nr)
			return true;
	}
	return false;
}

/* Where v is in the set, or the empty slot where it would go (Fibonacci
 * hashing: the values are often small and alike in their low bits). */
static size_t value_slot(const struct values *vals, uint64_t v)
{
	size_t mask = vals->nslots - 1, slot = (size_t)((v * 0x9e3779b97f4a7c15ULL) >> 32) & mask;

	while (vals->slots[slot] && vals->v[vals->slots[slot] - 1] != v)
		slot = (slot + 1) & mask;
	return slot;
}

/* Adds v unless it is there: an atom adds some 30 values, and a syscall
 * with many atoms would otherwise compare each with all before it. */
static void add_value(struct arena *arena, struct values *vals, uint64_t v)
{
	size_t slot;

	if ((vals->count + 1) * 2 > vals->nslots) {
		vals->nslots = vals->nslots ? vals->nslots * 2 : 64;
		vals->slots = arena_alloc(arena, sizeof(*vals->slots) * vals->nslots);
		for (size_t i = 0; i < vals->count; i++)
			vals->slots[value_slot(vals, vals->v[i])] = (uint32_t)(i + 1);
	}
	slot = value_slot(vals, v);
	if (vals->slots[slot])
		return;
	*ARENA_PUSH(arena, vals->v, vals->count, vals->cap) = v;
	vals->slots[slot] = (uint32_t)vals->count;
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

/* What the policy side needs to know about one number, looked up once. */
struct number {
	uint32_t audit, nr;
	int arch;			/* policy_arch_of */
	const struct entry *e;		/* policy_entries_for */
	size_t n;
	bool notified;			/* mode_always_notifies */
};

/* Compares got, the program's verdict on num with args, with the
 * policy's. */
static void compare(struct verifier *v, const struct number *num, const uint64_t args[6],
		    uint32_t got)
{
	struct syscage_verdict want;

	/* syscage_policy_evaluate, with the look-ups done once per number;
	 * with no entries, once per arch (verifier_init) */
	if (num->n) {
		policy_decide(v->policy, num->arch, num->e, num->n, args, &want);
		want.seccomp_ret = mode_filter_ret(v->mode, want.seccomp_ret);
	} else {
		want = v->facts[num->arch + 1].no_entries;
	}
	if (num->notified)
		want.seccomp_ret = SECCOMP_RET_USER_NOTIF;
	v->cases++;
	if (got != want.seccomp_ret && !v->failed)
		report_mismatch(v, num->audit, num->nr, args, got, &want);
}

/* Checks one input; returns whether the program read an argument on it. */
static bool check_one(struct verifier *v, const struct number *num, const uint64_t args[6])
{
	struct seccomp_data data = { .nr = (int)num->nr, .arch = num->audit };
	bool read_args;

	memcpy(data.args, args, sizeof(data.args));
	compare(v, num, args, bpf_run_traced(v->prog, v->len, &data, &read_args));
	return read_args;
}

/* A simple deterministic generator for sampling (the same policy must give
 * the same checks). */
static uint64_t next_random(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 17;
}

/* Arguments no rule looks at: zero, and garbage. */
static const uint64_t zero_args[6];
static const uint64_t garbage[6] = {
	0xa5a5a5a5deadbeefULL, 0xa5a5a5a5deadbef0ULL, 0xa5a5a5a5deadbef1ULL,
	0xa5a5a5a5deadbef2ULL, 0xa5a5a5a5deadbef3ULL, 0xa5a5a5a5deadbef4ULL,
};

/* Whether any of the entries has a condition with an atom: true and false
 * have none, every other kind is a tree over at least one. */
static bool has_atoms(const struct entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (e[i].cond->kind != COND_TRUE && e[i].cond->kind != COND_FALSE)
			return true;
	}
	return false;
}

/* Checks one number, its entries looked up (check_number). */
static void check_entries(struct verifier *v, const struct number *num)
{
	struct probe probe;
	struct values *per_arg = probe.args;
	const struct entry *e = num->e;
	size_t n = num->n, combos = 1;
	uint32_t nr = num->nr;
	uint64_t args[6] = { 0 };

	/* No atom, no probes: what the general case below does when every
	 * count stays 0 (combos 1), without setting up the probes. Most
	 * numbers have no entries at all. */
	if (!has_atoms(e, n)) {
		if (check_one(v, num, zero_args))
			check_one(v, num, garbage);
		return;
	}
	probe = (struct probe){ .arena = v->arena };
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
	if (check_one(v, num, args) || combos > 1)
		check_one(v, num, garbage);
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
			check_one(v, num, args);
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
		check_one(v, num, args);
	}
}

/* Checks one number of one arch value, with the policy's look-ups. */
static void check_number(struct verifier *v, uint32_t audit, uint32_t nr)
{
	struct number num = { .audit = audit, .nr = nr,
			      .arch = policy_arch_of(v->policy, audit, nr) };

	if (num.arch >= 0)
		num.n = policy_entries_for(&v->policy->arches[num.arch], nr, &num.e);
	num.notified = always_notifies(v, num.arch, nr);
	check_entries(v, &num);
}

static void check_audit_by_number(struct verifier *v, uint32_t audit)
{
	static const uint32_t specials[] = { 0x3fffffff, 0x40000000, 0x40000001, 0x7fffffff,
					     0x80000000, 0xbfffffff, 0xc0000000, 0xfffffffe,
					     0xffffffff };

	if (forced_numbers) {
		for (size_t i = 0; i < nforced_numbers; i++)
			check_number(v, audit, forced_numbers[i]);
		return;
	}
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

/* ---- a range at a time -------------------------------------------------- */

/*
 * Numbers where a side's answer may change: a cut at c separates c - 1 from
 * c. Between two cuts both sides answer every number alike, so the numbers
 * at the two ends of that piece stand for all of it (check_audit_by_range).
 */
struct cuts {
	uint32_t *at;
	size_t count, cap;
};

/* A cut at 2^32 is where the number space ends, and every segment with
 * it: nothing to record. */
static void add_cut(struct arena *arena, struct cuts *cuts, uint64_t at)
{
	if (at <= UINT32_MAX)
		*ARENA_PUSH(arena, cuts->at, cuts->count, cuts->cap) = (uint32_t)at;
}

/* Where the program holds a copy of the syscall number: A, X, M[0..15]. */
#define HOLDS_A (1u << 0)
#define HOLDS_X (1u << 1)
#define HOLDS_M(i) (1u << (2 + (i)))
#define REACHED (1u << 31)

/* A bit test of the number is followed through at most this many blocks
 * of the numbers reaching it that the test finds clear (bit_test_cuts). */
#define MAX_BIT_TEST_BLOCKS (1u << 16)

/* What reaches an instruction: where a copy of the number may be (on some
 * path) and must be (on every path), and the numbers that can get there. */
struct reach {
	uint32_t may, must;	/* HOLDS_ bits; may also has REACHED */
	uint32_t lo, hi;	/* lo <= hi */
};

/* Where copies are after in, which does not jump (copies, loads, stores). */
static uint32_t holds_after(const struct sock_filter *in, uint32_t s)
{
	uint32_t k = in->k;
	bool a = s & HOLDS_A, x = s & HOLDS_X;

	switch (BPF_CLASS(in->code)) {
	case BPF_LD:
		s &= ~HOLDS_A;
		if ((BPF_MODE(in->code) == BPF_ABS && k == SECCOMP_DATA_NR) ||
		    (BPF_MODE(in->code) == BPF_MEM && (s & HOLDS_M(k))))
			s |= HOLDS_A;
		break;
	case BPF_LDX:
		s &= ~HOLDS_X;
		if (BPF_MODE(in->code) == BPF_MEM && (s & HOLDS_M(k)))
			s |= HOLDS_X;
		break;
	case BPF_ST:
	case BPF_STX:
		s &= ~HOLDS_M(k);
		if (BPF_CLASS(in->code) == BPF_ST ? a : x)
			s |= HOLDS_M(k);
		break;
	case BPF_MISC:
		if (BPF_MISCOP(in->code) == BPF_TAX)
			s = (s & ~HOLDS_X) | (a ? HOLDS_X : 0);
		else
			s = (s & ~HOLDS_A) | (x ? HOLDS_A : 0);
		break;
	}
	return s;
}

/* The least x >= n with x & mask == 0, or more than UINT32_MAX: where n
 * has bits of mask, the highest of them is cleared by carrying into the
 * bit above it, and again until none is left (each pass moves higher). */
static uint64_t next_clear(uint64_t n, uint32_t mask)
{
	while (n <= UINT32_MAX && (n & mask)) {
		uint64_t top = 1ull << (63 - __builtin_clzll(n & mask));

		n = (n | (top - 1)) + 1;
	}
	return n;
}

/* Cuts where `nr & mask` turns from zero to non-zero or back within
 * [lo, hi]; false when that is too many pieces to look at. The numbers
 * with no bit of mask come in aligned blocks as long as the lowest bit of
 * mask (adding one to a block's last sets that bit): each block found is
 * two cuts, and the numbers between blocks are skipped, so a test over a
 * wide range with few such numbers (a group of x32 numbers) stays cheap. */
static bool bit_test_cuts(struct verifier *v, uint32_t mask, uint32_t lo, uint32_t hi,
			  struct cuts *cuts)
{
	uint64_t step = mask & -mask;
	uint32_t blocks = 0;

	if (!mask)
		return true;
	for (uint64_t n = next_clear(lo, mask); n <= hi; n = next_clear(n, mask)) {
		if (++blocks > MAX_BIT_TEST_BLOCKS)
			return false;
		add_cut(v->arena, cuts, n);
		n = (n | (step - 1)) + 1;
		add_cut(v->arena, cuts, n);
	}
	return true;
}

/* Merges what one way into an instruction brings: an empty range of
 * numbers (lo > hi) is a way no number takes. */
static void arrive(struct reach *to, uint32_t may, uint32_t must, uint64_t lo, uint64_t hi)
{
	if (lo > hi)
		return;
	if (!(to->may & REACHED)) {
		*to = (struct reach){ may, must, (uint32_t)lo, (uint32_t)hi };
		return;
	}
	to->may |= may;
	to->must &= must;
	to->lo = lo < to->lo ? (uint32_t)lo : to->lo;
	to->hi = hi > to->hi ? (uint32_t)hi : to->hi;
}

/*
 * The cuts of the program: the constants it compares a copy of the syscall
 * number with, and where a bit test of a copy changes its outcome among the
 * numbers that can reach it. Classic BPF jumps only forward, so one pass in
 * order sees every way into an instruction before the instruction; where
 * paths meet, a place may hold a copy if it does on any of them, and must
 * if it does on all. The numbers reaching an instruction are narrowed by
 * the comparisons on the way only where A must hold a copy: a range that
 * holds every number that can get there (a hull: never too small).
 *
 * Returns false when the number is used in any other way (arithmetic, a
 * comparison with X, returning it, a bit test where A only may hold it or
 * with too many pieces): then the program is checked number by number.
 */
static bool program_cuts(struct verifier *v, struct cuts *cuts)
{
	struct reach *at = arena_alloc(v->arena, sizeof(*at) * v->len);

	at[0] = (struct reach){ REACHED, 0, 0, UINT32_MAX };
	for (size_t pc = 0; pc < v->len; pc++) {
		const struct sock_filter *in = &v->prog[pc];
		struct reach r = at[pc];
		uint32_t k = in->k, op = BPF_OP(in->code);
		bool may_a = r.may & HOLDS_A, must_a = r.must & HOLDS_A;
		bool by_x = BPF_SRC(in->code) == BPF_X && (r.may & HOLDS_X);
		uint64_t lo = r.lo, hi = r.hi;

		if (!(r.may & REACHED))
			continue;
		switch (BPF_CLASS(in->code)) {
		case BPF_RET:
			if (may_a && BPF_RVAL(in->code) == BPF_A)
				return false;
			continue;
		case BPF_ALU:
			if (may_a || by_x)
				return false;
			break;
		case BPF_JMP:
			if (op == BPF_JA) {
				arrive(&at[pc + 1 + k], r.may, r.must, lo, hi);
				continue;
			}
			if (by_x || (may_a && BPF_SRC(in->code) == BPF_X))
				return false;
			if (!may_a) {
				arrive(&at[pc + 1 + in->jt], r.may, r.must, lo, hi);
				arrive(&at[pc + 1 + in->jf], r.may, r.must, lo, hi);
				continue;
			}
			if (op == BPF_JSET) {
				/* bpf_check() proved every target inside the program */
				if (!must_a || !bit_test_cuts(v, k, r.lo, r.hi, cuts))
					return false;
				arrive(&at[pc + 1 + in->jt], r.may, r.must, lo, hi);
				arrive(&at[pc + 1 + in->jf], r.may, r.must, lo, hi);
				continue;
			}
			/* a == k changes at k and k + 1, a > k at k + 1, a >= k at k */
			if (op != BPF_JGT)
				add_cut(v->arena, cuts, k);
			if (op != BPF_JGE)
				add_cut(v->arena, cuts, (uint64_t)k + 1);
			if (!must_a) {
				arrive(&at[pc + 1 + in->jt], r.may, r.must, lo, hi);
				arrive(&at[pc + 1 + in->jf], r.may, r.must, lo, hi);
			} else if (op == BPF_JEQ) {
				bool inside = lo <= k && k <= hi;

				arrive(&at[pc + 1 + in->jt], r.may, r.must, inside ? k : 1, inside ? k : 0);
				if (lo < hi || k != lo)	/* else k was the only number */
					arrive(&at[pc + 1 + in->jf], r.may, r.must, lo + (k == lo),
					       k == hi ? hi - 1 : hi);
			} else {
				/* true from first on, false below it */
				uint64_t first = op == BPF_JGT ? (uint64_t)k + 1 : k;

				arrive(&at[pc + 1 + in->jt], r.may, r.must, first > lo ? first : lo, hi);
				if (first > 0)
					arrive(&at[pc + 1 + in->jf], r.may, r.must, lo,
					       first - 1 < hi ? first - 1 : hi);
			}
			continue;
		}
		arrive(&at[pc + 1], holds_after(in, r.may) | REACHED, holds_after(in, r.must), lo, hi);
	}
	return true;
}

/* Not a seccomp return value: the number is checked on its own, as a piece
 * of one number (fixed_verdict). */
#define VARIES UINT64_MAX

/*
 * The policy's verdict on a number with entries e (all argument values
 * alike), or VARIES: as policy_decide, where a condition that is always
 * (never) true decides (is passed over) whatever the arguments.
 *
 * A number with any condition on the arguments is VARIES even when an
 * earlier unconditional rule decides it: check_entries probes a number with
 * the values of every condition of its entries, and the ends of a piece
 * stand for the numbers inside it only when they are probed alike. A
 * number whose shadowed rule looks at fd == 5 is checked with fd = 5; its
 * neighbours are not, so it must not hide inside their piece.
 */
static uint64_t fixed_verdict(const struct syscage_policy *policy, const struct entry *e, size_t n)
{
	uint64_t verdict = VARIES;

	for (size_t i = 0; i < n; i++) {
		if (e[i].cond->kind == COND_FALSE)
			continue;
		if (e[i].cond->kind != COND_TRUE)
			return VARIES;
		if (verdict == VARIES)
			verdict = action_seccomp_ret(&e[i].rule->stmt->action);
	}
	return verdict != VARIES ? verdict : action_seccomp_ret(&policy->default_action);
}

/* A radix sort, a byte at a time (the bytes all cuts share are skipped):
 * a large program has thousands of cuts. */
static void sort_cuts(struct arena *arena, struct cuts *cuts)
{
	uint32_t *from = cuts->at, *to = arena_alloc_uninit(arena, sizeof(*to) * cuts->count);

	for (unsigned shift = 0; shift < 32 && cuts->count; shift += 8) {
		size_t counts[257] = { 0 };

		for (size_t i = 0; i < cuts->count; i++)
			counts[((from[i] >> shift) & 0xff) + 1]++;
		if (counts[((from[0] >> shift) & 0xff) + 1] == cuts->count)
			continue;
		for (int b = 0; b < 256; b++)
			counts[b + 1] += counts[b];
		for (size_t i = 0; i < cuts->count; i++)
			to[counts[(from[i] >> shift) & 0xff]++] = from[i];
		uint32_t *swap = from;
		from = to;
		to = swap;
	}
	if (from != cuts->at)
		memcpy(cuts->at, from, sizeof(*from) * cuts->count);
}

/* The first cut above after (*i: where to start looking, advanced), or
 * UINT64_MAX; cuts are sorted. */
static uint64_t next_cut(const struct cuts *cuts, size_t *i, uint64_t after)
{
	while (*i < cuts->count && cuts->at[*i] <= after)
		(*i)++;
	return *i < cuts->count ? cuts->at[*i] : UINT64_MAX;
}

/*
 * The cuts of the policy in [lo, hi], owned by arch (-1: nobody, so every
 * call is killed and there are none): where the fixed verdict of one
 * number differs from the next one's, on both sides of every number whose
 * verdict varies, and around the numbers a supervised filter always
 * notifies. Numbers without entries get the default. Sorted.
 */
static void policy_cuts(struct verifier *v, int arch, uint64_t lo, uint64_t hi, struct cuts *cuts)
{
	const struct arch_rules *ar = &v->policy->arches[arch < 0 ? 0 : arch];
	uint64_t fallback = action_seccomp_ret(&v->policy->default_action);
	uint64_t prev_nr = 0, prev = fallback;
	const uint32_t *notified = v->facts[arch + 1].notified;
	size_t nnotified = v->facts[arch + 1].nnotified;
	bool any = false;

	for (size_t i = 0, n; arch >= 0 && i < ar->count; i += n) {
		uint32_t nr = ar->entries[i].nr;
		uint64_t here;

		for (n = 1; i + n < ar->count && ar->entries[i + n].nr == nr; n++)
			;
		if (nr < lo || nr > hi)
			continue;
		here = fixed_verdict(v->policy, &ar->entries[i], n);
		if (any && prev_nr + 1 < nr && prev != fallback)
			add_cut(v->arena, cuts, prev_nr + 1);
		if (here == VARIES || here != (any && prev_nr + 1 == nr ? prev : fallback))
			add_cut(v->arena, cuts, nr);
		prev_nr = nr;
		prev = here;
		any = true;
	}
	if (any && prev != fallback)
		add_cut(v->arena, cuts, prev_nr + 1);
	for (size_t i = 0; i < nnotified; i++) {
		add_cut(v->arena, cuts, notified[i]);
		add_cut(v->arena, cuts, (uint64_t)notified[i] + 1);
	}
	if (nnotified)
		sort_cuts(v->arena, cuts);
}

/* The policy's look-ups for nr, for ascending numbers of one segment
 * (owned by arch): the entries are found by walking on from the last
 * number's (*k), not by a search; entries are sorted by number, so it is
 * the same slice as policy_entries_for finds. */
static void next_number(struct verifier *v, uint32_t audit, int arch, size_t *k, uint32_t nr,
			struct number *num)
{
	*num = (struct number){ .audit = audit, .nr = nr, .arch = arch };
	if (arch >= 0) {
		const struct arch_rules *ar = &v->policy->arches[arch];

		while (*k < ar->count && ar->entries[*k].nr < nr)
			(*k)++;
		while (*k + num->n < ar->count && ar->entries[*k + num->n].nr == nr)
			num->n++;
		/* An arch with no entries has none (NULL): no offset on it. */
		num->e = num->n ? ar->entries + *k : NULL;
	}
	num->notified = always_notifies(v, arch, nr);
}

/* check_number, for ascending numbers of one segment (next_number). */
static void check_next_number(struct verifier *v, uint32_t audit, int arch, size_t *k,
			      uint32_t nr)
{
	struct number num;

	next_number(v, audit, arch, k, nr, &num);
	check_entries(v, &num);
}

/*
 * Checks the numbers lo to hi (lo < hi) of one piece of the policy's
 * (policy_cuts: no cut of the policy's in it, in one segment) with one
 * run of the program per argument vector for all of them (bpf_run_range),
 * its verdict held against the policy's at both ends. The argument vectors
 * are those check_entries chooses for each end, and the ends are probed
 * alike: zeros, and garbage where the program reads an argument (on one
 * path for all the numbers, so at both ends or at neither). Returns false,
 * having checked nothing and *k as it was, where the program's runs may
 * part between lo and hi, or an end is not probed that way (an entry with
 * a condition, a notified number: policy_cuts isolates those, so never).
 */
static bool check_piece_at_once(struct verifier *v, uint32_t audit, int arch, size_t *k,
				uint32_t lo, uint32_t hi)
{
	struct seccomp_data data = { .nr = (int)lo, .arch = audit };
	struct number ends[2];
	size_t at = *k;
	uint32_t got[2];
	bool read_args, read_garbage;

	next_number(v, audit, arch, &at, lo, &ends[0]);
	next_number(v, audit, arch, &at, hi, &ends[1]);
	for (int i = 0; i < 2; i++) {
		if (ends[i].notified || has_atoms(ends[i].e, ends[i].n))
			return false;
	}
	if (!bpf_run_range(v->prog, v->len, &data, hi, &got[0], &read_args))
		return false;
	if (read_args) {
		memcpy(data.args, garbage, sizeof(data.args));
		if (!bpf_run_range(v->prog, v->len, &data, hi, &got[1], &read_garbage))
			return false;
	}
	for (int i = 0; i < 2; i++) {
		compare(v, &ends[i], zero_args, got[0]);
		if (read_args)
			compare(v, &ends[i], garbage, got[1]);
	}
	*k = at;
	return true;
}

/* Checks every number of [lo, hi]: a piece of the policy's at once where
 * the program goes one way on all of it, else both ends of every piece
 * between the program's cuts (sorted) and the policy's. */
static void check_segment(struct verifier *v, uint32_t audit, const struct cuts *prog_cuts,
			  uint64_t lo, uint64_t hi)
{
	int arch = policy_arch_of(v->policy, audit, (uint32_t)lo);
	struct cuts cuts = { 0 };
	uint64_t start = lo;
	size_t i = 0, j = 0, k = 0;

	policy_cuts(v, arch, lo, hi, &cuts);
	while (start <= hi) {
		uint64_t piece_end = next_cut(&cuts, &i, start);

		piece_end = hi + 1 < piece_end ? hi + 1 : piece_end;
		if (piece_end - 1 > start &&
		    check_piece_at_once(v, audit, arch, &k, (uint32_t)start,
					(uint32_t)(piece_end - 1))) {
			start = piece_end;
			continue;
		}
		while (start < piece_end) {
			uint64_t end = next_cut(prog_cuts, &j, start);

			end = piece_end < end ? piece_end : end;
			check_next_number(v, audit, arch, &k, (uint32_t)start);
			if (end - 1 != start)
				check_next_number(v, audit, arch, &k, (uint32_t)(end - 1));
			start = end;
		}
	}
}

/*
 * Every number of one arch value, a piece at a time. Why the two ends of a
 * piece stand for every number in it, for every argument vector:
 *
 * The program. Take two numbers of one piece and run the program on each,
 * with everything else in seccomp_data equal. Induction over the steps: both
 * runs are at the same instruction, and every place (A, X, M[]) holds the
 * same value in both, except places that hold a copy of the number in both
 * (program_cuts over-approximates where those can be). Loads of other
 * fields, constants and arithmetic on other values give equal results; a
 * copy is never computed with or returned (else program_cuts fails and we
 * check number by number); a comparison of a copy with k goes the same way
 * for both numbers, since no cut where its outcome can change (k, k + 1)
 * lies between them; and a bit test of a copy (only where A must hold one)
 * too: both numbers reached it, so both lie in the range program_cuts
 * found for it, and it put a cut at every number of that range where the
 * test's outcome changes. So both runs take the same path to the same
 * return.
 *
 * The policy. syscage_policy_evaluate depends on the number through the
 * owning arch (policy_arch_of: which side of the x32 bit, so segments split
 * there), the entries of the number (policy_cuts separates every number
 * whose fixed verdict differs from its neighbour's, and isolates those
 * whose entries look at the arguments at all), and the numbers a supervised
 * filter notifies (isolated too). A piece lies within one segment.
 *
 * So both sides give every number of a piece what they give its ends;
 * the ends are checked with the argument values as check_number always
 * chooses them, which are the same for every number of a piece of more
 * than one (no entry looks at an argument: zeros, and garbage), and the
 * single numbers whose entries have conditions with all their probes.
 * Checking both ends also tests both sides of every cut.
 *
 * A piece of the policy's at once (check_piece_at_once). Between two cuts
 * of the policy's, the argument above for the policy holds as it is; for
 * the program, bpf_run_range runs every number of the piece in one go and
 * fails where the runs might part, instead of the program's cuts saying
 * they cannot. Where it does not fail, the runs of every number of the
 * piece, ends included, give its verdict: the verdicts of the pieces the
 * program's cuts would make of it and of their ends, which the policy's
 * are held against at the ends of the whole piece (the policy's are the
 * same inside it). Where it fails, the program's pieces are checked as
 * above. So the verdicts proved are the same, for the same arguments
 * (test_verify_fuzz holds bpf_run_range against the emulator number by
 * number); a program with a cut inside a piece of the policy's (a bound
 * of the dispatch tree, a wrong range) makes it fail there, and a program
 * of one path over it (every arch the policy does not cover) takes one run
 * for the whole of it.
 */
static void check_audit_by_range(struct verifier *v, uint32_t audit, const struct cuts *prog_cuts)
{
	check_segment(v, audit, prog_cuts, 0, ARCH_X32_SYSCALL_BIT - 1);
	check_segment(v, audit, prog_cuts, ARCH_X32_SYSCALL_BIT, UINT32_MAX);
}

int verify_program(struct arena *arena, const struct syscage_policy *policy,
		   const struct compile_mode *mode, const struct sock_filter *prog, size_t len,
		   struct syscage_diagnostics *diags, uint64_t *cases)
{
	struct verifier v = { .arena = arena, .policy = policy, .mode = mode, .prog = prog,
			      .len = len, .diags = diags };
	struct cuts prog_cuts = { 0 };
	bool by_range;
	size_t bad_pc;

	verifier_init(&v);
	if (bpf_check(prog, len, &bad_pc)) {
		diag_report(diags, SYSCAGE_ERROR, (struct loc){ 0 },
			    "this is a bug in syscage; please report it with the policy",
			    "internal error: the compiled program breaks the kernel's rules at "
			    "instruction %zu", bad_pc);
		return -EPROTO;
	}
	by_range = !force_by_number && program_cuts(&v, &prog_cuts);
	if (by_range)
		sort_cuts(arena, &prog_cuts);
	/* Covered arches get every number. So do the others where the range
	 * argument holds: every one of their calls must be killed, and the
	 * ends of the program's pieces are few. Else they get a sample, to
	 * show they are killed; 0 and ~0 are no arch at all. */
	for (int a = 0; a < ARCH_COUNT && !v.failed; a++) {
		uint32_t audit = arch_info(a)->audit_arch;
		bool seen = false;

		for (int b = 0; b < a; b++)
			seen |= arch_info(b)->audit_arch == audit;
		if (seen)
			continue;
		if (by_range)
			check_audit_by_range(&v, audit, &prog_cuts);
		else if (policy->arches[a].covered || forced_numbers ||
			 (a == ARCH_X86_64 && policy->arches[ARCH_X32].covered))
			check_audit_by_number(&v, audit);
		else
			for (uint32_t nr = 0; nr < 8; nr++)
				check_number(&v, audit, nr);
	}
	if (by_range) {
		check_audit_by_range(&v, 0, &prog_cuts);
		check_audit_by_range(&v, 0xffffffff, &prog_cuts);
	} else {
		check_number(&v, 0, 0);
		check_number(&v, 0xffffffff, 0);
	}
	*cases = v.cases;
	return v.failed ? -EPROTO : 0;
}
