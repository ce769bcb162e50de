#include "rule_table.h"

#include <string.h>

#include "syscall_table.h"

static const struct action kill_action = { .kind = SYSCAGE_ACTION_KILL_PROCESS };

static bool same_action(const struct action *a, const struct action *b)
{
	return action_seccomp_ret(a) == action_seccomp_ret(b);
}

static bool same_outcome(const struct outcome *a, const struct outcome *b)
{
	if (a->count != b->count || !same_action(a->fallback, b->fallback))
		return false;
	for (size_t i = 0; i < a->count; i++) {
		if (!same_action(&a->entries[i].rule->stmt->action, &b->entries[i].rule->stmt->action) ||
		    !cond_equal(a->entries[i].cond, b->entries[i].cond))
			return false;
	}
	/* Constant outcomes from different rules are one outcome: the program
	 * cannot tell them apart, and sharing makes the ranges longer. */
	return true;
}

static size_t intern(struct arena *arena, struct rule_table *t, const struct outcome *o)
{
	for (size_t i = 0; i < t->noutcomes; i++) {
		if (same_outcome(&t->outcomes[i], o))
			return i;
	}
	*ARENA_PUSH(arena, t->outcomes, t->noutcomes, t->outcomes_cap) = *o;
	return t->noutcomes - 1;
}

/* Most numbers with rules have a constant outcome, and long runs of them
 * the same one: the last constant outcome interned, so that those need not
 * be compared with every outcome so far. */
struct last_constant {
	bool valid;
	uint32_t ret;
	size_t outcome;
};

/* intern(), remembering constant outcomes in *last. The index is the one
 * intern() gives: constant outcomes are equal when their actions are. */
static size_t intern_outcome(struct arena *arena, struct rule_table *t, const struct outcome *o,
			     struct last_constant *last)
{
	uint32_t ret;

	if (!outcome_is_constant(o))
		return intern(arena, t, o);
	ret = action_seccomp_ret(o->fallback);
	if (!last->valid || last->ret != ret) {
		last->outcome = intern(arena, t, o);
		last->ret = ret;
		last->valid = true;
	}
	return last->outcome;
}

/* The outcome of one syscall: its entries up to the first that always
 * matches, leaving out those that never do. */
static struct outcome outcome_of(struct arena *arena, const struct syscage_policy *policy,
				 const struct entry *e, size_t n)
{
	struct outcome o = { .fallback = &policy->default_action };
	struct entry *kept = NULL;

	for (size_t i = 0; i < n; i++) {
		if (e[i].cond->kind == COND_FALSE)
			continue;
		if (e[i].cond->kind == COND_TRUE) {
			o.fallback = &e[i].rule->stmt->action;
			o.fallback_rule = e[i].rule;
			break;
		}
		/* allocated only for a condition: most syscalls have none */
		if (!kept)
			kept = arena_alloc(arena, sizeof(*kept) * n);
		kept[o.count++] = e[i];
	}
	o.entries = kept;
	return o;
}

static void add_range(struct arena *arena, struct rule_table *t, uint32_t lo, uint32_t hi,
		      size_t outcome)
{
	struct range *last = t->nranges ? &t->ranges[t->nranges - 1] : NULL;

	if (last && last->outcome == outcome && last->hi + 1 == lo) {
		last->hi = hi;
		return;
	}
	struct range *r = ARENA_PUSH(arena, t->ranges, t->nranges, t->ranges_cap);
	r->lo = lo;
	r->hi = hi;
	r->outcome = outcome;
}

/* The numbers in [lo, hi] a supervised filter notifies whatever the policy
 * says (execve, execveat: see struct compile_mode), sorted; returns how many. */
static size_t exec_numbers(const struct rule_table *t, int arch, uint32_t lo, uint32_t hi,
			   uint32_t out[2])
{
	size_t n = 0;

	for (int i = 0; i < 2 && t->mode->supervised && arch >= 0; i++) {
		int64_t nr = syscall_number(arch, syscall_lookup(i ? "execveat" : "execve"));

		if (nr >= lo && nr <= hi)
			out[n++] = (uint32_t)nr;
	}
	if (n == 2 && out[0] > out[1]) {
		uint32_t tmp = out[0];
		out[0] = out[1];
		out[1] = tmp;
	}
	return n;
}

/* Fills [lo, hi] of the number space, owned by arch (or by nobody: -1). */
static void fill_segment(struct arena *arena, const struct syscage_policy *policy,
			 struct rule_table *t, int arch, uint32_t lo, uint32_t hi)
{
	static const struct action notify = { .kind = SYSCAGE_ACTION_NOTIFY };
	struct outcome o = { .fallback = arch < 0 ? &kill_action : &policy->default_action };
	struct outcome notified = { .fallback = &notify };
	const struct arch_rules *ar = arch >= 0 ? &policy->arches[arch] : NULL;
	size_t none = intern(arena, t, &o), i = 0, x = 0;
	uint32_t execs[2];
	size_t nexecs = exec_numbers(t, arch, lo, hi, execs);
	uint64_t next = lo;
	struct last_constant last = { 0 };

	/* Walk the numbers that have rules and the exec numbers in order;
	 * the gaps between them get the default. */
	for (;;) {
		uint64_t nr_rule = UINT64_MAX, nr;
		size_t n = 0;

		while (ar && i < ar->count && ar->entries[i].nr < lo)
			i++;
		if (ar && i < ar->count && ar->entries[i].nr <= hi) {
			nr_rule = ar->entries[i].nr;
			while (i + n < ar->count && ar->entries[i + n].nr == nr_rule)
				n++;
		}
		nr = x < nexecs && execs[x] <= nr_rule ? execs[x] : nr_rule;
		if (nr == UINT64_MAX)
			break;
		if (nr > next)
			add_range(arena, t, (uint32_t)next, (uint32_t)nr - 1, none);
		if (x < nexecs && nr == execs[x]) {
			add_range(arena, t, (uint32_t)nr, (uint32_t)nr, intern(arena, t, &notified));
			x++;
		} else {
			struct outcome here = outcome_of(arena, policy, &ar->entries[i], n);

			add_range(arena, t, (uint32_t)nr, (uint32_t)nr,
				  intern_outcome(arena, t, &here, &last));
		}
		if (nr == nr_rule)
			i += n;
		next = nr + 1;
	}
	if (next <= hi)
		add_range(arena, t, (uint32_t)next, hi, none);
}

/*
 * Weights: how often the search should expect a range. The syscalls of the
 * arch a program normally uses count most (x32's, in a policy without
 * x86_64); those of a second ABI sharing the audit value (x32 beside
 * x86_64) little, since programs rarely use it (they shape x32's own tree:
 * dispatch_build hangs it from the arch's as one leaf); numbers no syscall
 * has count least, but not nothing, so that no path grows without bound.
 */
#define WEIGHT_SYSCALL 64
#define WEIGHT_OTHER_ABI 1

static void weigh(struct arena *arena, struct rule_table *t, const struct syscage_policy *policy)
{
	size_t total = 0, used = 0;
	uint32_t *nrs;

	for (int a = 0; a < ARCH_COUNT; a++) {
		if (policy->arches[a].covered && arch_info(a)->audit_arch == t->audit_arch)
			total += syscall_arch_count(a);
	}
	nrs = arena_alloc_uninit(arena, sizeof(*nrs) * (total ? total : 1));
	for (size_t i = 0; i < t->nranges; i++) {
		t->ranges[i].weight = 1;
		t->ranges[i].nnrs = 0;
		t->ranges[i].nrs = nrs;
	}
	/* The arches sharing an audit value (x86_64 and x32) number apart:
	 * each range's numbers are one arch's, in a row. */
	for (int a = 0; a < ARCH_COUNT; a++) {
		if (!policy->arches[a].covered || arch_info(a)->audit_arch != t->audit_arch)
			continue;
		/* x32 is the main ABI of a policy without x86_64 */
		bool main_abi = a != ARCH_X32 || !policy->arches[ARCH_X86_64].covered;
		uint64_t w = main_abi ? WEIGHT_SYSCALL : WEIGHT_OTHER_ABI;
		size_t r = 0;
		for (size_t i = 0; i < syscall_arch_count(a); i++) {
			uint32_t nr = syscall_arch_number_at(a, i);

			while (r < t->nranges && t->ranges[r].hi < nr)
				r++;
			if (r < t->nranges) {
				if (!t->ranges[r].nnrs)
					t->ranges[r].nrs = nrs + used;
				nrs[used++] = nr;
				t->ranges[r].nnrs++;
				t->ranges[r].weight += w;
				t->ranges[r].bounded |= main_abi;
			}
		}
	}
}

void rule_table_build(struct arena *arena, const struct syscage_policy *policy,
		      const struct compile_mode *mode, uint32_t audit_arch, struct rule_table *out)
{
	memset(out, 0, sizeof(*out));
	out->mode = mode;
	out->audit_arch = audit_arch;
	if (arch_info(ARCH_X86_64)->audit_arch == audit_arch) {
		/* One audit value, two ABIs: x32 owns every number with the
		 * x32 bit or above; a policy that does not name x32 kills them. */
		fill_segment(arena, policy, out, policy->arches[ARCH_X86_64].covered ? ARCH_X86_64 : -1, 0,
			     ARCH_X32_SYSCALL_BIT - 1);
		fill_segment(arena, policy, out, policy->arches[ARCH_X32].covered ? ARCH_X32 : -1,
			     ARCH_X32_SYSCALL_BIT, UINT32_MAX);
	} else {
		int arch = -1;

		for (int a = 0; a < ARCH_COUNT; a++) {
			if (policy->arches[a].covered && arch_info(a)->audit_arch == audit_arch)
				arch = a;
		}
		fill_segment(arena, policy, out, arch, 0, UINT32_MAX);
	}
	weigh(arena, out, policy);
}
