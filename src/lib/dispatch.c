#include "dispatch.h"

/*
 * The search over syscall numbers, shaped by dynamic programming over
 * intervals of ranges. An interval is either split in two by `nr >= k`, or,
 * when it is one outcome with a few single-number exceptions, ends in a
 * chain of `nr == k` tests (a *group*):
 *
 *     allow [0-40] | errno [41] | allow [42-55]   one jeq instead of two jge
 *
 * Each test costs one instruction on every path through it; the cost of a
 * tree is the sum over ranges of weight x tests on the way. Only jeq and
 * jge are used, which the kernel's constant-action analysis understands.
 *
 * Large tables fall back to optimal splits alone (Knuth's O(n^2)), and very
 * large ones to weight-balanced splits.
 */

/* At most this many exceptions in a group (a chain of jeq). */
#define MAX_EXCEPTIONS 4
/* A group spans at most this many ranges. */
#define MAX_GROUP (2 * MAX_EXCEPTIONS + 1)
/* Intervals DP with groups, every split tried up to this size (O(n^3)),
 * with Knuth's bound on the splits above it, splits alone above the max. */
#define GROUP_DP_EXACT 48
#define GROUP_DP_MAX 400
/* Splits-only DP with Knuth's bound: O(n^2) memory and time. */
#define SPLIT_DP_MAX 1024

struct dp {
	const struct range *ranges;
	size_t n;
	const uint64_t *prefix;	/* prefix sums of weights */
	uint64_t *cost;		/* cost[i * n + j] */
	int32_t *choice;	/* >= 0: split after that range; -1: group */
};

static uint64_t weight(const struct dp *dp, size_t i, size_t j)
{
	return dp->prefix[j + 1] - dp->prefix[i];
}

static struct dispatch_node *new_node(struct arena *arena, enum dispatch_kind kind)
{
	struct dispatch_node *node = arena_alloc(arena, sizeof(*node));

	node->kind = kind;
	node->leaf = kind == DISPATCH_LEAF;
	return node;
}

static struct dispatch_node *leaf(struct arena *arena, size_t range)
{
	struct dispatch_node *node = new_node(arena, DISPATCH_LEAF);

	node->range = range;
	return node;
}

static struct dispatch_node *split(struct arena *arena, const struct range *ranges, size_t k,
				   struct dispatch_node *left, struct dispatch_node *right)
{
	struct dispatch_node *node = new_node(arena, DISPATCH_SPLIT);

	node->split = ranges[k + 1].lo;
	node->left = left;
	node->right = right;
	return node;
}

/*
 * Whether ranges i..j can be one group: every range of more than one
 * number has the same outcome (the group's), and at most MAX_EXCEPTIONS
 * single numbers have another. Fills *dominant (a range of the group's
 * outcome), the exceptions sorted by weight (heaviest first: it pays the
 * fewest tests), and returns the group's cost, or UINT64_MAX.
 */
static uint64_t group_cost(const struct dp *dp, size_t i, size_t j, size_t *dominant,
			   size_t exceptions[MAX_EXCEPTIONS], size_t *nexc)
{
	const struct range *r = dp->ranges;
	size_t outcome = SIZE_MAX, heaviest = i, n = 0;
	uint64_t cost = 0, exc_weight = 0;

	if (j - i + 1 > MAX_GROUP)
		return UINT64_MAX;
	/* The group's outcome: that of its wide ranges, else the heaviest. */
	for (size_t k = i; k <= j; k++) {
		if (r[k].lo != r[k].hi) {
			if (outcome != SIZE_MAX && outcome != r[k].outcome)
				return UINT64_MAX;
			outcome = r[k].outcome;
			heaviest = k;
		} else if (outcome == SIZE_MAX && r[k].weight > r[heaviest].weight) {
			heaviest = k;
		}
	}
	if (outcome == SIZE_MAX)
		outcome = r[heaviest].outcome;
	for (size_t k = i; k <= j; k++) {
		if (r[k].outcome == outcome) {
			*dominant = k;
			continue;
		}
		if (n == MAX_EXCEPTIONS)
			return UINT64_MAX;
		/* insertion by weight, heaviest first */
		size_t p = n++;
		while (p > 0 && r[exceptions[p - 1]].weight < r[k].weight) {
			exceptions[p] = exceptions[p - 1];
			p--;
		}
		exceptions[p] = k;
	}
	for (size_t p = 0; p < n; p++) {
		cost += (p + 1) * r[exceptions[p]].weight;
		exc_weight += r[exceptions[p]].weight;
	}
	*nexc = n;
	return cost + n * (weight(dp, i, j) - exc_weight);
}

static struct dispatch_node *build_group(struct arena *arena, const struct dp *dp, size_t i,
					 size_t j)
{
	size_t exceptions[MAX_EXCEPTIONS], n = 0, dominant = i;
	struct dispatch_node *node;

	group_cost(dp, i, j, &dominant, exceptions, &n);
	node = leaf(arena, dominant);
	/* Built from the last test to the first. */
	while (n-- > 0) {
		struct dispatch_node *eq = new_node(arena, DISPATCH_EQUAL);

		eq->split = dp->ranges[exceptions[n]].lo;
		eq->range = exceptions[n];
		eq->left = node;
		node = eq;
	}
	return node;
}

static struct dispatch_node *from_dp(struct arena *arena, const struct dp *dp, size_t i, size_t j)
{
	int32_t k = dp->choice[i * dp->n + j];

	if (k < 0)
		return build_group(arena, dp, i, j);
	return split(arena, dp->ranges, (size_t)k, from_dp(arena, dp, i, (size_t)k),
		     from_dp(arena, dp, (size_t)k + 1, j));
}

/* Splits and groups. Small tables try every split point (O(n^3)); larger
 * ones only those between the best splits of the two intervals one range
 * shorter (Knuth's bound, exact for splits alone, near enough with groups:
 * the shape only decides speed, the verifier decides correctness). */
static void solve_with_groups(struct dp *dp)
{
	bool bounded = dp->n > GROUP_DP_EXACT;
	size_t n = dp->n, exc[MAX_EXCEPTIONS], nexc, dom;

	for (size_t len = 1; len <= n; len++) {
		for (size_t i = 0; i + len <= n; i++) {
			size_t j = i + len - 1;
			uint64_t best = group_cost(dp, i, j, &dom, exc, &nexc);
			uint64_t w = weight(dp, i, j);
			int32_t choice = -1;
			size_t lo = i, hi = j;

			if (bounded && len > 2) {
				int32_t left = dp->choice[i * n + j - 1], right = dp->choice[(i + 1) * n + j];

				lo = left >= 0 ? (size_t)left : i;
				hi = right >= 0 && (size_t)right < j ? (size_t)right + 1 : j;
			}
			for (int pass = 0; pass < 2; pass++) {
				for (size_t k = lo; k < hi; k++) {
					uint64_t c = dp->cost[i * n + k] + dp->cost[(k + 1) * n + j] + w;

					if (c < best) {
						best = c;
						choice = (int32_t)k;
					}
				}
				/* The bound is a heuristic with groups: when it leaves
				 * nothing possible, try every split. */
				if (best != UINT64_MAX)
					break;
				lo = i;
				hi = j;
			}
			dp->cost[i * n + j] = best;
			dp->choice[i * n + j] = choice;
		}
	}
}

/* Splits only, with Knuth's bound on the best split: O(n^2). */
static void solve_splits(struct dp *dp)
{
	size_t n = dp->n;

	for (size_t i = 0; i < n; i++) {
		dp->cost[i * n + i] = 0;
		dp->choice[i * n + i] = -1;
	}
	for (size_t len = 2; len <= n; len++) {
		for (size_t i = 0; i + len <= n; i++) {
			size_t j = i + len - 1;
			size_t lo = len == 2 ? i : (size_t)dp->choice[i * n + j - 1];
			size_t hi = len == 2 ? i : (size_t)dp->choice[(i + 1) * n + j];
			uint64_t best = UINT64_MAX;
			size_t best_k = lo;

			for (size_t k = lo; k <= hi && k < j; k++) {
				uint64_t c = dp->cost[i * n + k] + dp->cost[(k + 1) * n + j];

				if (c < best) {
					best = c;
					best_k = k;
				}
			}
			dp->cost[i * n + j] = best + weight(dp, i, j);
			dp->choice[i * n + j] = (int32_t)best_k;
		}
	}
}

static struct dispatch_node *balanced(struct arena *arena, const struct range *ranges,
				      const uint64_t *prefix, size_t i, size_t j)
{
	if (i == j)
		return leaf(arena, i);
	/* Split where the weight on each side is closest to half. */
	uint64_t half = (prefix[j + 1] + prefix[i]) / 2;
	size_t k = i;
	while (k + 1 < j && prefix[k + 2] <= half)
		k++;
	return split(arena, ranges, k, balanced(arena, ranges, prefix, i, k),
		     balanced(arena, ranges, prefix, k + 1, j));
}

struct dispatch_node *dispatch_build(struct arena *arena, const struct range *ranges, size_t n)
{
	uint64_t *prefix = arena_alloc(arena, sizeof(*prefix) * (n + 1));

	for (size_t i = 0; i < n; i++)
		prefix[i + 1] = prefix[i] + ranges[i].weight;
	if (n > SPLIT_DP_MAX)
		return balanced(arena, ranges, prefix, 0, n - 1);

	struct dp dp = { .ranges = ranges, .n = n, .prefix = prefix };
	/* Every cell is written before it is read: no need to clear them. */
	dp.cost = arena_alloc_uninit(arena, sizeof(*dp.cost) * n * n);
	dp.choice = arena_alloc_uninit(arena, sizeof(*dp.choice) * n * n);
	if (n <= GROUP_DP_MAX)
		solve_with_groups(&dp);
	else
		solve_splits(&dp);
	return from_dp(arena, &dp, 0, n - 1);
}
