#include "dispatch.h"

/*
 * Optimal alphabetic trees by dynamic programming, with Knuth's bound on
 * where the best root can be (O(n^2)). Above this many ranges the tables
 * grow large, and a weight-balanced split is nearly as good.
 */
#define DP_MAX_RANGES 512

struct dp {
	size_t n;
	uint64_t *cost;		/* cost[i * n + j]: ranges i..j */
	uint32_t *root;		/* the last range of the left subtree */
	const uint64_t *prefix;	/* prefix sums of weights */
};

static uint64_t weight(const struct dp *dp, size_t i, size_t j)
{
	return dp->prefix[j + 1] - dp->prefix[i];
}

static struct dispatch_node *leaf(struct arena *arena, size_t range)
{
	struct dispatch_node *node = arena_alloc(arena, sizeof(*node));

	node->leaf = true;
	node->range = range;
	return node;
}

static struct dispatch_node *inner(struct arena *arena, const struct range *ranges, size_t k,
				   struct dispatch_node *left, struct dispatch_node *right)
{
	struct dispatch_node *node = arena_alloc(arena, sizeof(*node));

	node->split = ranges[k + 1].lo;
	node->left = left;
	node->right = right;
	return node;
}

static struct dispatch_node *from_dp(struct arena *arena, const struct dp *dp,
				     const struct range *ranges, size_t i, size_t j)
{
	if (i == j)
		return leaf(arena, i);
	size_t k = dp->root[i * dp->n + j];
	return inner(arena, ranges, k, from_dp(arena, dp, ranges, i, k),
		     from_dp(arena, dp, ranges, k + 1, j));
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
	return inner(arena, ranges, k, balanced(arena, ranges, prefix, i, k),
		     balanced(arena, ranges, prefix, k + 1, j));
}

struct dispatch_node *dispatch_build(struct arena *arena, const struct range *ranges, size_t n)
{
	uint64_t *prefix = arena_alloc(arena, sizeof(*prefix) * (n + 1));

	for (size_t i = 0; i < n; i++)
		prefix[i + 1] = prefix[i] + ranges[i].weight;
	if (n > DP_MAX_RANGES)
		return balanced(arena, ranges, prefix, 0, n - 1);

	struct dp dp = { .n = n, .prefix = prefix };
	dp.cost = arena_alloc(arena, sizeof(*dp.cost) * n * n);
	dp.root = arena_alloc(arena, sizeof(*dp.root) * n * n);
	for (size_t i = 0; i + 1 < n; i++) {
		dp.cost[i * n + i + 1] = weight(&dp, i, i + 1);
		dp.root[i * n + i + 1] = (uint32_t)i;
	}
	for (size_t len = 3; len <= n; len++) {
		for (size_t i = 0; i + len <= n; i++) {
			size_t j = i + len - 1;
			size_t lo = dp.root[i * n + j - 1], hi = dp.root[(i + 1) * n + j];
			uint64_t best = UINT64_MAX;
			size_t best_k = lo;

			for (size_t k = lo; k <= hi && k < j; k++) {
				uint64_t c = dp.cost[i * n + k] + dp.cost[(k + 1) * n + j];

				if (c < best) {
					best = c;
					best_k = k;
				}
			}
			dp.cost[i * n + j] = best + weight(&dp, i, j);
			dp.root[i * n + j] = (uint32_t)best_k;
		}
	}
	return from_dp(arena, &dp, ranges, 0, n - 1);
}

unsigned dispatch_depth(const struct dispatch_node *node, const struct range *ranges, uint32_t nr)
{
	unsigned depth = 0;

	(void)ranges;
	while (!node->leaf) {
		node = nr >= node->split ? node->right : node->left;
		depth++;
	}
	return depth;
}
