/*
 * The rule table of one arch value: every syscall number maps to an
 * outcome, either a constant action or a list of argument tests; the
 * numbers form ranges of equal outcome that the dispatch tree searches.
 */
#ifndef SYSCAGE_RULE_TABLE_H
#define SYSCAGE_RULE_TABLE_H

#include "policy.h"

struct outcome {
	/* The entries of one syscall, in policy order, up to and including
	 * the first unconditional one; none for a constant outcome. */
	const struct entry *entries;
	size_t count;
	const struct action *fallback;	/* when no entry matches */
	const struct rule *fallback_rule;	/* NULL: the default decided */
};

struct range {
	uint32_t lo, hi;	/* inclusive */
	size_t outcome;		/* index into the table's outcomes */
	uint64_t weight;	/* how often the search should expect it */
	/* A syscall of the arch's main ABI lies in it: the search reaches it
	 * within ceil(log2(number of ranges)) tests, whatever the weights. */
	bool bounded;
	/* Instructions the outcome's shortest path takes after the search,
	 * beyond the one `ret` a constant outcome takes: argument tests. The
	 * search puts such a range higher when the tree has room, so that
	 * its path is no longer than the others'. */
	uint8_t extra;
	/* The syscall numbers in it, which its weight counts (sorted). */
	const uint32_t *nrs;
	uint32_t nnrs;
	/* A leaf of its own, reached by `nr >= k` splits alone, never in a
	 * group (dispatch_build's stand-in for x32's tree). */
	bool alone;
};

struct rule_table {
	uint32_t audit_arch;
	struct outcome *outcomes;
	size_t noutcomes, outcomes_cap;
	const struct compile_mode *mode;
	struct range *ranges;	/* sorted, covering 0 to UINT32_MAX */
	size_t nranges, ranges_cap;
};

/* Builds the table for one audit arch value (x86_64 and x32 together). */
void rule_table_build(struct arena *arena, const struct syscage_policy *policy,
		      const struct compile_mode *mode, uint32_t audit_arch, struct rule_table *out);

/* True when the outcome needs no argument test. */
static inline bool outcome_is_constant(const struct outcome *o)
{
	return o->count == 0;
}

#endif
