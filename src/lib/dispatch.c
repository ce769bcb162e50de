#include "dispatch.h"

#include "arch.h"

#include <string.h>

/*
 * The search over syscall numbers, shaped by dynamic programming over
 * intervals of ranges. An interval is either split in two by `nr >= k`, or,
 * when it is mostly one outcome, ends in a chain of tests (a *group*):
 * `nr == k` for the numbers of other outcomes, and at most one `nr & m`
 * for the numbers of a bit pattern, or as a shortcut for the group's own
 * numbers that have a bit none of the others has (found by a research
 * helper: with x32's tree of its own, it took Docker's profile from 9.01
 * to 8.98 instructions a call and its worst from 12 to 11):
 *
 *     allow [0-40] | errno [41] | allow [42-55]   one jeq instead of two jge
 *     errno [300] | allow [301-303] | errno [304] | ... | allow [309-311]
 *                                  one `jset #3`: errno when nr % 4 == 0
 *     allow [0-40] | socket [41] | allow [42-55] | clone [56] | allow [57-102]
 *                 jset #0x46: allow; jeq 41; jeq 56; allow  (87 of 103 in one)
 *
 * Each test costs one instruction on every path through it; the cost of a
 * tree is the sum over ranges of weight x tests on the way. Only jeq, jge
 * and jset are used, which the kernel's constant-action analysis
 * understands.
 *
 * The weights make rare numbers deep. Ranges marked bounded (the syscalls
 * of the arch) must not be deeper than ceil(log2(n)) tests, n the number of
 * ranges (x32's, beside x86_64's, are one: dispatch_build): when the best
 * tree breaks that, the search is done again under the bound, only for the
 * intervals where it binds, with the cheapest group that keeps it. A
 * bounded range whose outcome tests arguments after the search (its extra
 * instructions) must
 * sit that much higher, so that no syscall's shortest path is longer than
 * the bound's; where the tree has no room for all of that, each gets the
 * same allowance less, down to none.
 *
 * Large tables fall back to optimal splits alone (Knuth's O(n^2)), and very
 * large ones to weight-balanced splits, under the same bound.
 */

/* At most this many jeq in a group's chain. Longer chains hardly ever
 * beat splits on real tables (with 3, Docker's profile costs 0.02 less a
 * call, for a fifth more of the search's time), and every interval that
 * long costs an evaluation. */
#define MAX_EXCEPTIONS 2
/* A group spans at most this many ranges. */
#define MAX_GROUP (2 * MAX_EXCEPTIONS + 1)
/* A shortcut's bit test leaves at most this many runs of numbers it does
 * not catch over its group. */
#define MAX_SHORTCUT_RUNS 64
/* Bit tests are tried for groups of at most this many outcomes. */
#define MAX_BIT_OUTCOMES 3
/* Intervals DP with groups, every split tried up to this size (O(n^3)),
 * with Knuth's bound on the splits above it, splits alone above the max. */
#define GROUP_DP_EXACT 48
#define GROUP_DP_MAX 400
/* Splits-only DP with Knuth's bound: O(n^2) memory and time. */
#define SPLIT_DP_MAX 1024
/* The search under the depth bound searches about this many splits per
 * range at most; past that, each interval takes the split that keeps the
 * bound with the cheapest unbounded sides. */
#define BOUNDED_BUDGET 64

/* Not worked out yet (depths saturate below it). */
#define UNKNOWN UINT8_MAX

/* A group's chain, first test first: ranges caught by `nr == lo`, and
 * BIT_TEST where the bit test goes. */
#define BIT_TEST UINT16_MAX

/* One per interval of up to MAX_GROUP ranges, so small: range indices in
 * 16 bits (groups stop at GROUP_DP_MAX ranges). */
struct group {
	uint64_t cost;
	uint32_t mask;		/* the bit test, when tests hold BIT_TEST */
	uint16_t fallthrough;	/* a range of the outcome no test catches */
	uint16_t caught;	/* a range of the outcome it catches */
	uint16_t tests[MAX_EXCEPTIONS + 1];
	uint8_t at[MAX_EXCEPTIONS + 1];	/* a jeq's number: its range's lo + at */
	uint8_t ntests;
	bool on_clear;		/* it catches nr & mask == 0 rather than != 0 */
};
_Static_assert(GROUP_DP_MAX < BIT_TEST, "a group's range indices fit in 16 bits");

/* The search under the depth bound, for the intervals where it binds:
 * (i, j, depth) -> cost and choice, open addressing. The DP's tables stop
 * at SPLIT_DP_MAX ranges, so i and j take 10 bits each, and the depth
 * (at most ceil(log2(SPLIT_DP_MAX))) 5. */
struct memo_slot {
	uint32_t key;		/* MEMO_KEY, 0: empty */
	int32_t choice;		/* INT32_MIN: not worked out yet */
	uint64_t cost;
};

#define MEMO_KEY(i, j, b) (((uint32_t)(b) << 20 | (uint32_t)(i) << 10 | (uint32_t)(j)) + 1)
_Static_assert(SPLIT_DP_MAX <= 1024, "MEMO_KEY holds range indices in 10 bits");

struct dp {
	const struct range *ranges;
	size_t n;
	bool groups;		/* groups allowed, or splits alone */
	/* Prefix sums of weights, scaled so that their sum times n + 4 is
	 * below 2^32: no cost comes near it (a cost is at most its
	 * interval's weight times its length + 3, the length for splits, 3
	 * for a group's tests), and the cells take 4 bytes. */
	const uint64_t *prefix;
	const uint32_t *bounded;	/* prefix counts of bounded ranges */
	/* Prefix counts of the leaves fits() counts: bounded ranges, and
	 * starts of runs of unbounded ones; a bounded range with slack s
	 * counts 2^s, the leaves of a subtree of s levels it stands for. */
	uint32_t *leaves;
	/* Per range: levels it must sit above the bound (its extra minus
	 * the allowance). */
	uint8_t *slack;
	bool any_slack;
	const uint32_t *ors;	/* the bits set in some number of each range */
	/* Per interval i..j, at [CELL(dp, i, j)]: the cells with i <= j only,
	 * row by row (half the pages a square would touch, and a page touched
	 * the first time costs a microsecond on a virtual machine). */
	const size_t *row;
	uint32_t *cost;
	int16_t *choice;	/* >= 0: split after that range; -1: group */
	/* Tests before the deepest bounded range, plus its slack, or UNKNOWN. */
	uint8_t *depth;
	/* The best group over i..i + len - 1 at [i * MAX_GROUP + len - 1]
	 * (cost UINT64_MAX: none) and its depth, or UNKNOWN. */
	struct group *group;
	uint8_t *group_depth;
	struct arena *arena;
	struct memo_slot *memo;
	size_t memo_cap, memo_used;
	size_t budget;		/* splits the bounded search may still search */
};

#define CELL(dp, i, j) ((dp)->row[i] + (j))

static uint64_t weight(const struct dp *dp, size_t i, size_t j)
{
	return dp->prefix[j + 1] - dp->prefix[i];
}

static unsigned ceil_log2(size_t v)
{
	unsigned b = 0;

	while (((size_t)1 << b) < v)
		b++;
	return b;
}

/*
 * Whether b tests can put every bounded range of i..j at a leaf: the
 * bounded ranges and the runs of unbounded ones between them are the
 * leaves of a balanced tree of splits, at most 2^b of them (the unbounded
 * ones may go deeper below it). True when nothing in i..j is bounded.
 *
 * Range i is a leaf of its own, bounded or the start of a run within
 * i..j: the leaves are its own and those counted after it, and when
 * nothing is bounded, that is the one run, which always fits.
 *
 * A range with slack s needs a subtree of s levels to itself, 2^s leaves:
 * with slack the count is only necessary (it does not see that the leaves
 * keep their order), without it, also sufficient.
 */
static inline bool fits(const struct dp *dp, size_t i, size_t j, unsigned b)
{
	return b >= 32 || dp->leaves[j + 1] - dp->leaves[i + 1] + ((uint32_t)1 << dp->slack[i]) <=
					 (uint32_t)1 << b;
}

/* ---- groups ------------------------------------------------------------------------- */

/* The bits set in some number of [lo, hi]. */
static uint32_t range_or(uint32_t lo, uint32_t hi)
{
	if (lo == hi)
		return lo;
	return hi | (uint32_t)((1ull << (31 - __builtin_clz(lo ^ hi))) - 1);
}

/* The first number from x on with no bit of m (above 2^32 - 1: none). From
 * a number with bits of m, the next one without its highest such bit lies
 * past all the numbers that keep it: carry over it. */
static uint64_t next_clear(uint64_t x, uint32_t m)
{
	while (x <= UINT32_MAX && (x & m)) {
		uint64_t top = 1ull << (63 - __builtin_clzll(x & m));

		x = (x | (2 * top - 1)) + 1;
	}
	return x;
}

/* Whether some number of [lo, hi] has no bit of m. */
static bool has_clear(uint32_t lo, uint32_t hi, uint32_t m)
{
	return next_clear(lo, m) <= hi;
}

/* Whether [lo, hi] holds at most limit runs of numbers with no bit of m
 * (m not 0): the pieces the verifier cuts a bit test into, so that it can
 * check the program a range at a time (past 65536 it goes number by number,
 * over the table's numbers only). A run ends where the lowest bit of m
 * turns on. */
static bool few_clear_runs(uint32_t lo, uint32_t hi, uint32_t m, unsigned limit)
{
	uint64_t step = m & -m;
	unsigned runs = 0;

	for (uint64_t x = next_clear(lo, m); x <= hi; x = next_clear((x | (step - 1)) + 1, m)) {
		if (runs++ == limit)
			return false;
	}
	return true;
}

/* How many numbers below limit (at most 2^32) have no bit of m: for each
 * 1 bit of limit, those that match it above, have a 0 there and are free
 * below, but for the bits of m; a 1 bit of m in limit ends it. */
static uint64_t clear_below(uint64_t limit, uint32_t m)
{
	uint64_t count = 0;

	for (int b = 32; b >= 0; b--) {
		if (!(limit >> b & 1))
			continue;
		/* the bits below b that are not m's (a portable popcount: no
		 * libgcc call on CPUs the build does not assume) */
		uint32_t free = (uint32_t)(((1ull << b) - 1) & ~(uint64_t)m);

		free = free - ((free >> 1) & 0x55555555u);
		free = (free & 0x33333333u) + ((free >> 2) & 0x33333333u);
		free = (((free + (free >> 4)) & 0x0f0f0f0fu) * 0x01010101u) >> 24;
		count += 1ull << free;
		if ((uint64_t)m >> b & 1)
			break;
	}
	return count;
}

/* Inserts a test of range k (number lo + at for a jeq) into g's tests from
 * position from on, kept heaviest first (the heaviest pays the fewest
 * tests); w is its weight, weights[] those of the tests. */
static inline void insert_test(struct group *g, uint64_t *weights, size_t from, size_t k,
			       unsigned at, uint64_t w)
{
	size_t p = g->ntests++;

	while (p > from && weights[p - 1] < w) {
		g->tests[p] = g->tests[p - 1];
		g->at[p] = g->at[p - 1];
		weights[p] = weights[p - 1];
		p--;
	}
	g->tests[p] = (uint16_t)k;
	g->at[p] = (uint8_t)at;
	weights[p] = w;
}

/* The weight of number nr of range r: its share, if a syscall (weights
 * count syscalls), or of the numbers where the range has none. */
static uint64_t number_weight(const struct range *r, uint32_t nr)
{
	if (!r->nnrs)
		return r->weight / ((uint64_t)r->hi - r->lo + 1);
	for (uint32_t p = 0; p < r->nnrs; p++) {
		if (r->nrs[p] == nr)
			return r->weight / r->nnrs;
	}
	return 0;
}

/* The cost of a chain over weight total: test p catches weights[p]; what
 * none catches pays them all. */
static inline uint64_t chain_cost(const uint64_t *weights, size_t n, uint64_t total)
{
	uint64_t cost = 0;

	for (size_t p = 0; p < n; p++) {
		cost += (p + 1) * weights[p];
		total -= weights[p];
	}
	return cost + n * total;
}

/*
 * A group of jeq alone: the numbers of one outcome fall through, the
 * others (at most MAX_EXCEPTIONS) are caught one by one. Every outcome of
 * i..j is tried. Returns false when i..j is no such group.
 */
static bool plain_group(const struct dp *dp, size_t i, size_t j, struct group *g)
{
	const struct range *r = dp->ranges;
	uint64_t numbers = (uint64_t)r[j].hi - r[i].lo + 1, own[MAX_GROUP];
	size_t outcomes[MAX_GROUP], n = 0;

	g->cost = UINT64_MAX;
	/* The outcomes and how many numbers each has: only one with all
	 * but MAX_EXCEPTIONS of them can fall through. */
	for (size_t k = i; k <= j; k++) {
		size_t o = 0;

		while (o < n && r[outcomes[o]].outcome != r[k].outcome)
			o++;
		if (o == n) {
			outcomes[n] = k;
			own[n++] = 0;
		}
		own[o] += (uint64_t)r[k].hi - r[k].lo + 1;
	}
	for (size_t o = 0; o < n; o++) {
		size_t y = outcomes[o];
		struct group t = { .mask = 0, .fallthrough = (uint16_t)y, .caught = (uint16_t)y };
		uint64_t weights[MAX_EXCEPTIONS + 1];

		if (own[o] + MAX_EXCEPTIONS < numbers)
			continue;
		for (size_t k = i; k <= j; k++) {
			if (r[k].outcome == r[y].outcome) {
				if (r[k].weight > r[t.fallthrough].weight)
					t.fallthrough = (uint16_t)k;
				continue;
			}
			for (uint32_t at = 0; at <= r[k].hi - r[k].lo; at++)
				insert_test(&t, weights, 0, k, at, number_weight(&r[k], r[k].lo + at));
		}
		t.cost = chain_cost(weights, t.ntests, weight(dp, i, j));
		if (t.cost < g->cost)
			*g = t;
	}
	return g->cost != UINT64_MAX;
}

/*
 * A plain group with a shortcut: `nr & m` first (or where its weight puts
 * it), m the varying bits that no exception has, catches the numbers of
 * the group's outcome with one of those bits, so that only the others pay
 * for the jeq chain:
 *
 *     allow [0-40] | socket [41] | allow [42-55] | clone [56] | allow [57-102]
 *         jset #0x46: allow; jeq 41; jeq 56; allow   (87 of 103 in one test)
 *
 * A range of the outcome may have numbers on both sides: it is caught in
 * proportion to its syscalls with a bit of m, which its weight counts.
 * Returns false when it is no cheaper than the plain group.
 */
static bool shortcut_group(const struct dp *dp, size_t i, size_t j, const struct group *plain,
			   struct group *g)
{
	const struct range *r = dp->ranges;
	uint32_t low = (uint32_t)((2ull << (31 - __builtin_clz(r[i].lo ^ r[j].hi))) - 1);
	uint32_t taken = 0, m;
	uint64_t caught = 0, weights[MAX_EXCEPTIONS + 1];

	if (plain->ntests == 0)
		return false;
	for (size_t p = 0; p < plain->ntests; p++)
		taken |= r[plain->tests[p]].lo + plain->at[p];
	m = low & ~taken;
	/* Over a wide range a mask of low bits leaves many runs (a shortcut
	 * there gains little anyway). */
	if (!m || !few_clear_runs(r[i].lo, r[j].hi, m, MAX_SHORTCUT_RUNS))
		return false;
	for (size_t k = i; k <= j; k++) {
		uint64_t size = r[k].nnrs, set = 0;

		if (r[k].outcome != r[plain->fallthrough].outcome || !(dp->ors[k] & m))
			continue;
		if (!has_clear(r[k].lo, r[k].hi, m)) {
			caught += r[k].weight;
			continue;
		}
		/* Weights count syscalls: in proportion to those caught (to
		 * the numbers caught where there are none, or all are). */
		if (!size || size == (uint64_t)r[k].hi - r[k].lo + 1) {
			size = (uint64_t)r[k].hi - r[k].lo + 1;
			set = size - (clear_below((uint64_t)r[k].hi + 1, m) - clear_below(r[k].lo, m));
		} else {
			for (uint32_t p = 0; p < r[k].nnrs; p++)
				set += (r[k].nrs[p] & m) != 0;
		}
		caught += set == size ? r[k].weight : r[k].weight * set / size;
	}
	if (!caught)
		return false;
	*g = *plain;
	g->ntests = 0;
	for (size_t p = 0; p < plain->ntests; p++)
		insert_test(g, weights, 0, plain->tests[p], plain->at[p],
			    number_weight(&r[plain->tests[p]], r[plain->tests[p]].lo + plain->at[p]));
	insert_test(g, weights, 0, BIT_TEST, 0, caught);
	g->cost = chain_cost(weights, g->ntests, weight(dp, i, j));
	g->mask = m;
	g->on_clear = false;
	g->caught = plain->fallthrough;
	return g->cost < plain->cost;
}

/*
 * How a bit test `nr & mask` divides i..j: side 0 (no bit of mask) is
 * mostly outcome `outcome[0]`, side 1 mostly outcome[1]; the single
 * numbers of another outcome on a side are wrong[side], the weight of the
 * rest right[side]. A range with numbers on both sides divides nothing.
 */
struct bit_split {
	uint32_t mask;
	size_t outcome[2];	/* a range of each side's outcome */
	size_t wrong[2][MAX_EXCEPTIONS], nwrong[2];
	uint64_t right[2];
};

static bool divide(const struct dp *dp, size_t i, size_t j, uint32_t m, size_t a, size_t d,
		   struct bit_split *s)
{
	const struct range *r = dp->ranges;
	bool d_wide = false;

	/* Side 1's outcome, unless the caller knows it: that of its wide
	 * ranges, else of its heaviest single number not a's. */
	for (size_t k = i; k <= j && d == SIZE_MAX; k++) {
		if (!(dp->ors[k] & m) || r[k].outcome == r[a].outcome)
			continue;
		if (r[k].lo != r[k].hi) {
			if (d_wide && r[d].outcome != r[k].outcome)
				return false;
			d = k;
			d_wide = true;
		} else if (!d_wide && (d == SIZE_MAX || r[k].weight > r[d].weight)) {
			d = k;
		}
	}
	if (d == SIZE_MAX)
		return false;
	s->mask = m;
	s->outcome[0] = a;
	s->outcome[1] = d;
	s->nwrong[0] = s->nwrong[1] = 0;
	s->right[0] = s->right[1] = 0;
	for (size_t k = i; k <= j; k++) {
		bool wide = r[k].lo != r[k].hi;
		int t = (dp->ors[k] & m) != 0;

		/* A range with numbers on both sides divides nothing. */
		if (wide && t && has_clear(r[k].lo, r[k].hi, m))
			return false;
		if (r[k].outcome == r[s->outcome[t]].outcome) {
			s->right[t] += r[k].weight;
			continue;
		}
		if (wide || s->nwrong[0] + s->nwrong[1] == MAX_EXCEPTIONS)
			return false;
		s->wrong[t][s->nwrong[t]++] = k;
	}
	return s->right[1] > 0 || s->nwrong[1] > 0;
}

/* The chain of a bit group catching side `caught` of s: jeq for the wrong
 * numbers of that side first (the bit test would take them), then the bit
 * test and jeq for those of the other side, heaviest first. */
static void bit_chain(const struct dp *dp, size_t i, size_t j, const struct bit_split *s,
		      int caught, struct group *g)
{
	const struct range *r = dp->ranges;
	uint64_t weights[MAX_EXCEPTIONS + 1];
	size_t pre = 0;

	g->ntests = 0;
	for (size_t p = 0; p < s->nwrong[caught]; p++)
		insert_test(g, weights, 0, s->wrong[caught][p], 0, r[s->wrong[caught][p]].weight);
	pre = g->ntests;
	for (size_t p = 0; p < s->nwrong[!caught]; p++)
		insert_test(g, weights, pre, s->wrong[!caught][p], 0, r[s->wrong[!caught][p]].weight);
	insert_test(g, weights, pre, BIT_TEST, 0, s->right[caught]);
	g->cost = chain_cost(weights, g->ntests, weight(dp, i, j));
	g->mask = s->mask;
	g->on_clear = caught == 0;
	g->caught = (uint16_t)s->outcome[caught];
	g->fallthrough = (uint16_t)s->outcome[!caught];
}

/* Tests before the deepest bounded range leaves g's chain, plus its slack. */
static unsigned group_depth(const struct dp *dp, size_t i, size_t j, const struct group *g)
{
	const struct range *r = dp->ranges;
	unsigned depth = 0;

	for (size_t k = i; k <= j; k++) {
		unsigned d = (unsigned)g->ntests;

		if (!r[k].bounded)
			continue;
		for (size_t p = 0; p < g->ntests; p++) {
			/* The jeq of its last number, or a bit test that
			 * catches it whole (a shortcut's may catch part). */
			if (g->tests[p] == k) {
				d = (unsigned)p + 1;
			} else if (g->tests[p] == BIT_TEST && r[k].outcome == r[g->caught].outcome &&
				   (g->on_clear ? !(dp->ors[k] & g->mask)
						: !has_clear(r[k].lo, r[k].hi, g->mask))) {
				d = (unsigned)p + 1;
				break;
			}
		}
		d += dp->slack[k];
		depth = d > depth ? d : depth;
	}
	return depth;
}

/* Keeps g in *best if cheaper and within depth tests (UINT8_MAX: any). */
static void consider(const struct dp *dp, size_t i, size_t j, unsigned depth,
		     const struct group *g, struct group *best)
{
	if (g->cost < best->cost && (depth == UINT8_MAX || group_depth(dp, i, j, g) <= depth))
		*best = *g;
}

/*
 * Bit tests worth trying over i..j: for each outcome a, the varying bits
 * none of its numbers has, so that `nr & m` is 0 for all of them and not
 * for the others that have one of those bits. Each is tried catching
 * either side.
 */
static void try_bit_groups(const struct dp *dp, size_t i, size_t j, unsigned depth,
			   struct group *best)
{
	const struct range *r = dp->ranges;
	uint32_t low = (uint32_t)((2ull << (31 - __builtin_clz(r[i].lo ^ r[j].hi))) - 1);
	size_t first[MAX_BIT_OUTCOMES], no = 0;
	uint32_t ors[MAX_BIT_OUTCOMES];

	for (size_t k = i; k <= j; k++) {
		size_t o = 0;

		while (o < no && r[first[o]].outcome != r[k].outcome)
			o++;
		if (o == no) {
			if (no == MAX_BIT_OUTCOMES)
				return;
			first[no++] = k;
			ors[o] = 0;
		}
		ors[o] |= dp->ors[k];
	}
	for (size_t o = 0; o < no; o++) {
		uint32_t m = low & ~ors[o];
		struct bit_split s;

		/* With two outcomes, the other one is side 1's. */
		if (!m || !divide(dp, i, j, m, first[o], no == 2 ? first[!o] : SIZE_MAX, &s))
			continue;
		for (int caught = 0; caught < 2; caught++) {
			struct group g;

			bit_chain(dp, i, j, &s, caught, &g);
			consider(dp, i, j, depth, &g, best);
		}
	}
}

/* The cheapest group over i..j within depth tests (UINT8_MAX: any) into
 * *g; false when there is none. The search keeps the cheapest of all;
 * under the bound it asks again for one that keeps it (a shortcut's plain
 * group is a test shallower for the numbers it does not catch). */
static bool best_group(const struct dp *dp, size_t i, size_t j, unsigned depth, struct group *g)
{
	struct group plain, shortcut;

	g->cost = UINT64_MAX;
	for (size_t k = i; k <= j; k++) {
		if (dp->ranges[k].alone)
			return false;
	}
	if (plain_group(dp, i, j, &plain)) {
		consider(dp, i, j, depth, &plain, g);
		if (shortcut_group(dp, i, j, &plain, &shortcut))
			consider(dp, i, j, depth, &shortcut, g);
	}
	/* A bit test costs every number a test: no better than one jeq. */
	if (g->cost > weight(dp, i, j))
		try_bit_groups(dp, i, j, depth, g);
	return g->cost != UINT64_MAX;
}

/* ---- the search ---------------------------------------------------------------------- */

/* Nodes come from a block made before the search's tables, so that those
 * can be freed when the tree is built: a tree over n ranges has fewer
 * than 2n nodes (n - 1 splits and the tests and leaves that end in a
 * range), more would come from the arena. */
struct node_pool {
	struct dispatch_node *next, *end;
	struct arena *arena;
};

static struct dispatch_node *new_node(struct node_pool *pool, enum dispatch_kind kind)
{
	struct dispatch_node *node = pool->next < pool->end ? pool->next++
							      : arena_alloc(pool->arena, sizeof(*node));

	node->kind = kind;
	node->leaf = kind == DISPATCH_LEAF;
	return node;
}

static struct dispatch_node *leaf(struct node_pool *pool, size_t range)
{
	struct dispatch_node *node = new_node(pool, DISPATCH_LEAF);

	node->range = range;
	return node;
}

static struct dispatch_node *split(struct node_pool *pool, const struct range *ranges, size_t k,
				   struct dispatch_node *left, struct dispatch_node *right)
{
	struct dispatch_node *node = new_node(pool, DISPATCH_SPLIT);

	node->split = ranges[k + 1].lo;
	node->left = left;
	node->right = right;
	return node;
}

static struct dispatch_node *build_group(struct node_pool *pool, const struct dp *dp,
					 const struct group *g)
{
	struct dispatch_node *node = leaf(pool, g->fallthrough);

	/* Built from the last test to the first. */
	for (size_t p = g->ntests; p-- > 0;) {
		size_t k = g->tests[p];
		struct dispatch_node *test = new_node(pool, k == BIT_TEST ? DISPATCH_BITS : DISPATCH_EQUAL);

		if (k == BIT_TEST) {
			test->split = g->mask;
			test->on_clear = g->on_clear;
			test->range = g->caught;
		} else {
			test->split = dp->ranges[k].lo + g->at[p];
			test->range = k;
		}
		test->left = node;
		node = test;
	}
	return node;
}

static struct dispatch_node *from_dp(struct node_pool *pool, const struct dp *dp, size_t i, size_t j)
{
	int32_t k = dp->choice[CELL(dp, i, j)];

	if (k < 0)
		return i == j ? leaf(pool, i) : build_group(pool, dp, &dp->group[i * MAX_GROUP + j - i]);
	return split(pool, dp->ranges, (size_t)k, from_dp(pool, dp, i, (size_t)k),
		     from_dp(pool, dp, (size_t)k + 1, j));
}

/* group_depth() of the best group over i..j, kept for the next time. */
static uint8_t cached_group_depth(struct dp *dp, size_t i, size_t j)
{
	uint8_t *depth = &dp->group_depth[i * MAX_GROUP + j - i];

	if (*depth == UNKNOWN)
		*depth = (uint8_t)group_depth(dp, i, j, &dp->group[i * MAX_GROUP + j - i]);
	return *depth;
}

static uint8_t work_out_depth(struct dp *dp, size_t i, size_t j);

/* Tests before the deepest bounded range of the unbounded best tree over
 * i..j, plus its slack: worked out when first asked, since most subtrees
 * never are. */
static inline uint8_t tree_depth(struct dp *dp, size_t i, size_t j)
{
	uint8_t depth = dp->depth[CELL(dp, i, j)];

	return depth != UNKNOWN ? depth : work_out_depth(dp, i, j);
}

static uint8_t work_out_depth(struct dp *dp, size_t i, size_t j)
{
	uint8_t *depth = &dp->depth[CELL(dp, i, j)];
	int32_t k = dp->choice[CELL(dp, i, j)];

	if (k < 0) {
		*depth = i == j ? dp->slack[i] : cached_group_depth(dp, i, j);
	} else {
		unsigned l = dp->bounded[k + 1] > dp->bounded[i] ? tree_depth(dp, i, (size_t)k) + 1u : 0;
		unsigned r = dp->bounded[j + 1] > dp->bounded[k + 1] ?
				     tree_depth(dp, (size_t)k + 1, j) + 1u :
				     0;

		l = l > r ? l : r;
		*depth = (uint8_t)(l < UNKNOWN - 1 ? l : UNKNOWN - 1);
	}
	return *depth;
}

/* The best group of every interval short enough for one, first. */
static void solve_groups(struct dp *dp)
{
	size_t n = dp->n;

	for (size_t i = 0; i < n; i++) {
		for (size_t len = 1; len <= MAX_GROUP; len++) {
			struct group *g = &dp->group[i * MAX_GROUP + len - 1];

			/* Two ranges: a group's one jeq is no better than a split. */
			g->cost = len == 1 ? 0 : UINT64_MAX;
			if (len > 2 && i + len <= n)
				best_group(dp, i, i + len - 1, UINT8_MAX, g);
			dp->group_depth[i * MAX_GROUP + len - 1] = UNKNOWN;
		}
	}
}

/* The cheapest split of i..j into *k_best, from the splits after lo..hi - 1:
 * row holds the costs of i..k, column those of k + 1..j. UINT64_MAX and
 * -1 when there are none; the first of equal ones. */
static inline uint64_t cheapest_split(const uint32_t *row, const uint32_t *column, size_t lo,
				      size_t hi, int32_t *k_best)
{
	uint64_t split = UINT64_MAX;

	*k_best = -1;
	for (size_t k = lo; k < hi; k++) {
		uint64_t c = (uint64_t)row[k] + column[k + 1];

		if (c < split) {
			split = c;
			*k_best = (int32_t)k;
		}
	}
	return split;
}

/*
 * The cells of column j above i0, too long for a group: splits alone,
 * under Knuth's bound when knuth (every split otherwise). A split always
 * costs less than having none, so the first one tried starts the search.
 * below: the choice of i0..j.
 */
static inline void long_cells(uint32_t *cost, uint32_t *column, int16_t *choices,
			      const size_t *rows, const uint64_t *prefix, size_t i0, size_t j,
			      int32_t below, bool knuth)
{
	const uint64_t to_j = prefix[j + 1];

	for (size_t i = i0; i-- > 0;) {
		const size_t cell = rows[i] + j;
		const uint32_t *row = cost + rows[i];
		const int32_t left = choices[cell - 1];
		size_t lo = left >= 0 ? (size_t)left : i;
		size_t hi = below >= 0 ? (size_t)below + 1 : j;
		uint32_t split;
		size_t k_best;

		if (!knuth || lo >= hi)
			lo = i, hi = j;
		/* Two sides' costs add up to less than 2^32 (see struct dp). */
		split = row[lo] + column[lo + 1];
		k_best = lo;
		for (size_t k = lo + 1; k < hi; k++) {
			uint32_t c = row[k] + column[k + 1];

			if (c < split) {
				split = c;
				k_best = k;
			}
		}
		split += (uint32_t)(to_j - prefix[i]);
		cost[cell] = split;
		column[i] = split;
		choices[cell] = (int16_t)k_best;
		below = (int32_t)k_best;
	}
}

/* Splits and groups. Small tables try every split point (O(n^3)); larger
 * ones only those between the best splits of the two intervals one range
 * shorter (Knuth's bound, exact for splits alone, near enough with groups:
 * the shape only decides speed, the verifier decides correctness).
 *
 * Column by column, each from the bottom up: an interval's cell needs only
 * shorter ones, so this order gives the same costs as any other, and the
 * right sides of the splits of i..j (k + 1..j) are the cells of column j
 * just worked out, kept in a row of their own so that the loop over the
 * splits reads two rows, not a cell of a different row for each split.
 * The cells too long for a group, most of them, take a shorter path. */
static void solve_with_groups(struct dp *dp)
{
	const bool bounded = dp->n > GROUP_DP_EXACT;
	const size_t n = dp->n;
	const uint64_t *prefix = dp->prefix;
	const size_t *rows = dp->row;
	const struct group *group = dp->group;
	uint32_t *cost = dp->cost;
	int16_t *choices = dp->choice;
	uint32_t *column = arena_alloc_uninit(dp->arena, sizeof(*column) * n);

	solve_groups(dp);
	for (size_t j = 0; j < n; j++) {
		const uint64_t to_j = prefix[j + 1];
		int32_t below = -1; /* the choice of (i + 1)..j */
		size_t i = j + 1;

		/* Intervals a group may cover. */
		while (i-- > 0 && j - i < MAX_GROUP) {
			const size_t len = j - i + 1;
			uint64_t best = group[i * MAX_GROUP + len - 1].cost, split;
			int32_t choice = -1, k_best;
			size_t lo = i, hi = j;

			if (bounded && len > 2) {
				int32_t left = choices[rows[i] + j - 1];

				lo = left >= 0 ? (size_t)left : i;
				hi = below >= 0 && (size_t)below < j ? (size_t)below + 1 : j;
				/* The bound is a heuristic with groups: when it leaves
				 * nothing possible, try every split. */
				if (lo >= hi && best == UINT64_MAX)
					lo = i, hi = j;
			}
			split = cheapest_split(cost + rows[i], column, lo, hi, &k_best);
			if (k_best >= 0 && split + (to_j - prefix[i]) < best) {
				best = split + (to_j - prefix[i]);
				choice = k_best;
			}
			/* Some group or split: a cell is never without one. */
			cost[rows[i] + j] = (uint32_t)best;
			column[i] = (uint32_t)best;
			choices[rows[i] + j] = (int16_t)choice;
			below = choice;
		}
		/* Longer ones: splits alone. A choice is below j, and the
		 * fallback above applies whenever the bound leaves nothing. */
		if (bounded)	/* a copy of the loop each way, without the test */
			long_cells(cost, column, choices, rows, prefix, i + 1, j, below, true);
		else
			long_cells(cost, column, choices, rows, prefix, i + 1, j, below, false);
	}
}

/* Splits only, with Knuth's bound on the best split: O(n^2). */
static void solve_splits(struct dp *dp)
{
	size_t n = dp->n;

	for (size_t i = 0; i < n; i++) {
		dp->cost[CELL(dp, i, i)] = 0;
		dp->choice[CELL(dp, i, i)] = -1;
	}
	for (size_t len = 2; len <= n; len++) {
		for (size_t i = 0; i + len <= n; i++) {
			size_t j = i + len - 1;
			size_t lo = len == 2 ? i : (size_t)dp->choice[CELL(dp, i, j - 1)];
			size_t hi = len == 2 ? i : (size_t)dp->choice[CELL(dp, i + 1, j)];
			uint64_t best = UINT64_MAX;
			size_t best_k = lo;

			for (size_t k = lo; k <= hi && k < j; k++) {
				uint64_t c = (uint64_t)dp->cost[CELL(dp, i, k)] + dp->cost[CELL(dp, k + 1, j)];

				if (c < best) {
					best = c;
					best_k = k;
				}
			}
			dp->cost[CELL(dp, i, j)] = (uint32_t)(best + weight(dp, i, j));
			dp->choice[CELL(dp, i, j)] = (int16_t)best_k;
		}
	}
}

/* ---- the depth bound ----------------------------------------------------------------- */

/* Doubles the memo (or makes it), keeping what it holds. */
static void memo_grow(struct dp *dp)
{
	struct memo_slot *old = dp->memo;
	size_t cap = dp->memo_cap;

	/* About as many entries as ranges are usual, three times as many
	 * where the budget runs out. */
	dp->memo_cap = cap ? 2 * cap : dp->n < 32 ? 64 : (size_t)2 << ceil_log2(dp->n);
	dp->memo = arena_alloc(dp->arena, sizeof(*dp->memo) * dp->memo_cap);
	for (size_t s = 0; s < cap; s++) {
		if (old[s].key) {
			size_t t = (old[s].key * 0x9e3779b97f4a7c15ull) >> 40 & (dp->memo_cap - 1);

			while (dp->memo[t].key)
				t = (t + 1) & (dp->memo_cap - 1);
			dp->memo[t] = old[s];
		}
	}
}

/* The slot of key, made (choice INT32_MIN) if there is none. */
static inline struct memo_slot *memo_find(struct dp *dp, uint32_t key)
{
	if (2 * (dp->memo_used + 1) > dp->memo_cap)
		memo_grow(dp);
	for (size_t s = (key * 0x9e3779b97f4a7c15ull) >> 40 & (dp->memo_cap - 1);;
	     s = (s + 1) & (dp->memo_cap - 1)) {
		if (dp->memo[s].key == key)
			return &dp->memo[s];
		if (!dp->memo[s].key) {
			dp->memo[s].key = key;
			dp->memo[s].cost = UINT64_MAX;
			dp->memo[s].choice = INT32_MIN;
			dp->memo_used++;
			return &dp->memo[s];
		}
	}
}

/*
 * The cheapest tree over i..j with no bounded range deeper than b tests:
 * the unbounded best when it keeps the bound (then nothing cheaper can),
 * else the best group or split that does, each side searched again under
 * b - 1. A side's unbounded cost is a lower bound for it, which skips most
 * splits without searching them.
 */
static uint64_t bounded_cost(struct dp *dp, size_t i, size_t j, unsigned b);

/* Keeps in *best and *choice the split after k if it is cheaper under b
 * (both sides can keep b - 1: the caller made sure). */
static void try_bounded_split(struct dp *dp, size_t i, size_t k, size_t j, unsigned b,
			      uint64_t *best, int32_t *choice)
{
	uint64_t w = weight(dp, i, j), l, r;

	if ((uint64_t)dp->cost[CELL(dp, i, k)] + dp->cost[CELL(dp, k + 1, j)] + w >= *best)
		return;
	/* Out of budget: the lower bound stands in for the search (the sides
	 * still keep the bound, only the cost is a guess). */
	if (!dp->budget) {
		/* With slack, fits() does not promise a tree: a side's
		 * unbounded one must keep it. */
		if (dp->any_slack && (tree_depth(dp, i, k) >= b || tree_depth(dp, k + 1, j) >= b))
			return;
		*best = (uint64_t)dp->cost[CELL(dp, i, k)] + dp->cost[CELL(dp, k + 1, j)] + w;
		*choice = (int32_t)k;
		return;
	}
	l = bounded_cost(dp, i, k, b - 1);
	r = l == UINT64_MAX ? l : bounded_cost(dp, k + 1, j, b - 1);
	if (r != UINT64_MAX && l + r + w < *best) {
		*best = l + r + w;
		*choice = (int32_t)k;
	}
}

static uint64_t bounded_cost(struct dp *dp, size_t i, size_t j, unsigned b)
{
	struct memo_slot *slot, *memo;
	uint64_t best = UINT64_MAX;
	int32_t choice = -1, first = dp->choice[CELL(dp, i, j)];

	if (tree_depth(dp, i, j) <= b)
		return dp->cost[CELL(dp, i, j)];
	if (!fits(dp, i, j, b))
		return UINT64_MAX;
	slot = memo_find(dp, MEMO_KEY(i, j, b));
	if (slot->choice != INT32_MIN)
		return slot->cost;
	memo = dp->memo;
	dp->budget = dp->budget > j - i ? dp->budget - (j - i) : 0;
	if (dp->groups && j - i < MAX_GROUP && j - i > 1) {
		struct group shallower;

		if (dp->group[i * MAX_GROUP + j - i].cost != UINT64_MAX &&
		    cached_group_depth(dp, i, j) <= b) {
			best = dp->group[i * MAX_GROUP + j - i].cost;
		} else if (best_group(dp, i, j, b, &shallower)) {
			best = shallower.cost;
			choice = -2;	/* the cheapest group within b */
		}
	}
	/* Only splits in [lo, hi] leave both sides able to keep the bound (the
	 * left side grows with k, the right one shrinks). */
	size_t lo = i, hi = j - 1, mid;

	for (size_t top = j - 1; lo < top;) {
		size_t k = lo + (top - lo) / 2;

		if (fits(dp, k + 1, j, b - 1))
			top = k;
		else
			lo = k + 1;
	}
	for (size_t bottom = lo; bottom < hi;) {
		size_t k = bottom + (hi - bottom + 1) / 2;

		if (fits(dp, i, k, b - 1))
			bottom = k;
		else
			hi = k - 1;
	}
	/* Outwards from the unbounded best split: a cheap tree found early
	 * rules out the splits whose lower bound is above it without
	 * searching them. */
	mid = first >= 0 ? (size_t)first : lo + (hi - lo) / 2;
	mid = mid < lo ? lo : mid > hi ? hi : mid;
	for (size_t d = 0; mid + d <= hi || mid >= lo + d; d++) {
		if (mid + d <= hi)
			try_bounded_split(dp, i, mid + d, j, b, &best, &choice);
		if (d && mid >= lo + d)
			try_bounded_split(dp, i, mid - d, j, b, &best, &choice);
	}
	/* The table may have moved while the sides were searched. */
	if (dp->memo != memo)
		slot = memo_find(dp, MEMO_KEY(i, j, b));
	slot->cost = best;
	slot->choice = choice;
	return best;
}

static struct dispatch_node *balanced(struct node_pool *pool, const struct dp *dp, size_t i,
				      size_t j, unsigned b);

static struct dispatch_node *from_bounded(struct node_pool *pool, struct dp *dp, size_t i, size_t j,
					  unsigned b)
{
	int32_t k;

	if (tree_depth(dp, i, j) <= b)
		return from_dp(pool, dp, i, j);
	/* Sides chosen out of budget were never searched: search them now
	 * (they take the first split that keeps the bound). */
	bounded_cost(dp, i, j, b);
	k = memo_find(dp, MEMO_KEY(i, j, b))->choice;
	/* Never without a split or group (the caller searched it, or its
	 * unbounded tree keeps the bound); if it were, still a tree. */
	if (k < 0 && (!dp->groups || j - i >= MAX_GROUP ||
		      dp->group[i * MAX_GROUP + j - i].cost == UINT64_MAX))
		return balanced(pool, dp, i, j, b);
	if (k == -2) {
		struct group shallower;

		best_group(dp, i, j, b, &shallower);
		return build_group(pool, dp, &shallower);
	}
	if (k < 0)
		return build_group(pool, dp, &dp->group[i * MAX_GROUP + j - i]);
	return split(pool, dp->ranges, (size_t)k, from_bounded(pool, dp, i, (size_t)k, b - 1),
		     from_bounded(pool, dp, (size_t)k + 1, j, b - 1));
}

/* Splits where the weight on each side is closest to half, among those
 * that keep the bound. */
static struct dispatch_node *balanced(struct node_pool *pool, const struct dp *dp, size_t i,
				      size_t j, unsigned b)
{
	if (i == j)
		return leaf(pool, i);
	uint64_t half = (dp->prefix[j + 1] + dp->prefix[i]) / 2;
	size_t k = i;

	while (k + 1 < j && (dp->prefix[k + 2] <= half || !fits(dp, k + 1, j, b - 1)))
		k++;
	while (k > i && !fits(dp, i, k, b - 1))
		k--;
	return split(pool, dp->ranges, k, balanced(pool, dp, i, k, b ? b - 1 : 0),
		     balanced(pool, dp, k + 1, j, b ? b - 1 : 0));
}

/*
 * Each bounded range's slack: its extra less the allowance, at most the
 * bound; and the leaf counts fits() reads. Returns false when no range
 * has any slack left.
 */
static bool set_slack(struct dp *dp, unsigned allowance, unsigned limit)
{
	const struct range *r = dp->ranges;
	bool any = false;

	dp->leaves[0] = 0;
	for (size_t i = 0; i < dp->n; i++) {
		unsigned s = r[i].bounded && r[i].extra > allowance ? r[i].extra - allowance : 0;

		s = s < limit ? s : limit;
		any |= s != 0;
		dp->slack[i] = (uint8_t)s;
		dp->leaves[i + 1] = dp->leaves[i] +
				    (r[i].bounded || i == 0 || r[i - 1].bounded ? (uint32_t)1 << s : 0);
	}
	dp->any_slack = any;
	return any;
}

/*
 * The smallest allowance (so the most slack) whose leaves the bound has
 * room for, from allowance up: a range whose outcome tests arguments then
 * sits higher by the instructions those take, where the others leave room.
 */
static unsigned loosen_until_fits(struct dp *dp, unsigned allowance, unsigned limit)
{
	while (set_slack(dp, allowance, limit) && !fits(dp, 0, dp->n - 1, limit))
		allowance++;
	return allowance;
}

/*
 * The ranges with weights small enough for 32-bit costs: their sum times
 * n + 4 below 2^32 (for the DP's sizes; past them, sums that do not wrap).
 * Real tables are far below it and stay as they are;
 * heavier weights are divided by the smallest power of two that does it,
 * rounded up so that none becomes 0.
 */
static const struct range *scaled(struct arena *arena, const struct range *ranges, size_t n)
{
	/* Past the DP's sizes only the prefix sums must not wrap. */
	const uint64_t limit = n > SPLIT_DP_MAX ? UINT64_MAX / (n + 1) : UINT32_MAX / (n + 4);
	unsigned shift = 0;

	for (;; shift++) {
		uint64_t sum = 0;

		for (size_t i = 0; i < n && sum < limit; i++) {
			uint64_t w = (ranges[i].weight >> shift) +
				     ((ranges[i].weight & ((1ull << shift) - 1)) != 0);

			sum = w < limit - sum ? sum + w : limit;
		}
		if (sum < limit || shift == 63)
			break;
	}
	if (!shift)
		return ranges;
	struct range *copy = arena_alloc_uninit(arena, sizeof(*copy) * n);

	for (size_t i = 0; i < n; i++) {
		copy[i] = ranges[i];
		copy[i].weight = (ranges[i].weight >> shift) +
				 ((ranges[i].weight & ((1ull << shift) - 1)) != 0);
	}
	return copy;
}

/* The tree over the ranges, its nodes from pool, the tables in dp's arena. */
static struct dispatch_node *search(struct node_pool *pool, struct dp *dp)
{
	const struct range *ranges = dp->ranges;
	struct arena *arena = dp->arena;
	size_t n = dp->n;
	uint64_t *prefix = arena_alloc_uninit(arena, sizeof(*prefix) * (n + 1));
	uint32_t *bounded = arena_alloc_uninit(arena, sizeof(*bounded) * (n + 1));
	uint32_t *ors = arena_alloc_uninit(arena, sizeof(*ors) * n);
	unsigned limit = ceil_log2(n), allowance = 0;

	dp->leaves = arena_alloc_uninit(arena, sizeof(*dp->leaves) * (n + 1));
	dp->slack = arena_alloc_uninit(arena, sizeof(*dp->slack) * n);
	ranges = dp->ranges = scaled(arena, ranges, n);
	prefix[0] = bounded[0] = 0;
	for (size_t i = 0; i < n; i++) {
		prefix[i + 1] = prefix[i] + ranges[i].weight;
		bounded[i + 1] = bounded[i] + ranges[i].bounded;
		ors[i] = range_or(ranges[i].lo, ranges[i].hi);
	}
	dp->prefix = prefix;
	dp->bounded = bounded;
	dp->ors = ors;
	dp->groups = n <= GROUP_DP_MAX;
	/* Slack needs the exact search under the bound: weight-balanced
	 * splits keep only a uniform one. */
	if (n > SPLIT_DP_MAX) {
		set_slack(dp, UINT8_MAX, limit);
		return balanced(pool, dp, 0, n - 1, limit);
	}
	allowance = loosen_until_fits(dp, allowance, limit);
	/* Every cell is written before it is read: no need to clear them. */
	size_t *row = arena_alloc_uninit(arena, sizeof(*row) * n), cells = n * (n + 1) / 2;

	for (size_t i = 0; i < n; i++)
		row[i] = i * n - i * (i + 1) / 2;	/* the cells of rows above, less i */
	dp->row = row;
	dp->cost = arena_alloc_uninit(arena, sizeof(*dp->cost) * cells);
	dp->choice = arena_alloc_uninit(arena, sizeof(*dp->choice) * cells);
	dp->depth = arena_alloc_uninit(arena, sizeof(*dp->depth) * cells);
	memset(dp->depth, UNKNOWN, sizeof(*dp->depth) * cells);
	if (dp->groups) {
		dp->group = arena_alloc_uninit(arena, sizeof(*dp->group) * n * MAX_GROUP);
		dp->group_depth = arena_alloc_uninit(arena, sizeof(*dp->group_depth) * n * MAX_GROUP);
		solve_with_groups(dp);
	} else {
		solve_splits(dp);
	}
	/* The costs do not depend on the slack, only the depths and the
	 * search under the bound: when no tree keeps every slack (fits()
	 * counts leaves, it does not order them), those are worked out
	 * again with less; with none when the search ran out of budget,
	 * rather than spend it again. With no slack, a tree always exists. */
	for (;;) {
		if (tree_depth(dp, 0, n - 1) <= limit)
			return from_dp(pool, dp, 0, n - 1);
		/* The exact search under the bound is quick where the bound
		 * binds in few places; a budget keeps it so where it binds
		 * everywhere, a smaller one with slack, which may be given up. */
		dp->budget = BOUNDED_BUDGET * n / (dp->any_slack ? 2 : 1);
		if (bounded_cost(dp, 0, n - 1, limit) != UINT64_MAX)
			return from_bounded(pool, dp, 0, n - 1, limit);
		/* Without slack fits() promises a tree, which the search finds;
		 * were it not so, weight-balanced splits keep the bound too. */
		if (!dp->any_slack)
			return balanced(pool, dp, 0, n - 1, limit);
		allowance = loosen_until_fits(dp, dp->budget ? allowance + 1 : UINT8_MAX, limit);
		memset(dp->depth, UNKNOWN, sizeof(*dp->depth) * cells);
		if (dp->groups)
			memset(dp->group_depth, UNKNOWN, sizeof(*dp->group_depth) * n * MAX_GROUP);
		dp->memo = NULL;
		dp->memo_cap = dp->memo_used = 0;
	}
}

static struct dispatch_node *build_tree(struct arena *arena, const struct range *ranges, size_t n)
{
	/* The nodes first, then the tables above them, freed at the end: the
	 * pages they took serve what comes next (the verifier), already
	 * touched, which on a virtual machine costs more than the search. */
	struct dispatch_node *nodes = arena_alloc(arena, sizeof(*nodes) * 2 * n);
	struct node_pool pool = { .next = nodes, .end = nodes + 2 * n, .arena = arena };
	/* Not a local: the search changes it, and the handler below reads
	 * it after longjmp, when a local's value would be indeterminate. */
	struct arena *tables = arena_alloc(arena, sizeof(*tables));
	struct dp dp = { .ranges = ranges, .n = n, .arena = tables };
	jmp_buf *caller = arena->on_oom, oom;
	struct dispatch_node *root;

	/* Out of memory in either arena, the tables are freed before the
	 * caller unwinds. */
	tables->on_oom = arena->on_oom = &oom;
	if (setjmp(oom)) {
		arena->on_oom = caller;
		arena_release(tables);
		longjmp(*caller, 1);
	}
	root = search(&pool, &dp);
	arena->on_oom = caller;
	arena_release(tables);
	return root;
}

/* Adds k to the range of every node of the tree. */
static void shift_ranges(struct dispatch_node *node, size_t k)
{
	for (; node; node = node->left) {
		node->range += k;
		if (node->kind == DISPATCH_SPLIT)
			shift_ranges(node->right, k);
		if (node->kind == DISPATCH_LEAF)
			return;
	}
}

/* Puts sub in place of every leaf of range k. */
static struct dispatch_node *graft(struct dispatch_node *node, size_t k, struct dispatch_node *sub)
{
	if (node->kind == DISPATCH_LEAF)
		return node->range == k ? sub : node;
	node->left = graft(node->left, k, sub);
	if (node->kind == DISPATCH_SPLIT)
		node->right = graft(node->right, k, sub);
	return node;
}

/*
 * The numbers from ARCH_X32_SYSCALL_BIT up (x32's, beside x86_64's) get a
 * tree of their own, hung from the one below as a single leaf that weighs
 * as a range of numbers of no syscall: x32 calls reach a filter only where
 * the kernel has the ABI (compiled out here and in most distributions'
 * kernels, off by default in Debian's), and its hundred ranges, each
 * weighing a little, used to bend the tree of the syscalls programs make
 * (Docker's profile: 8.81 to 8.796 instructions an allowed call, the bound
 * on its x86_64 numbers 8 tests to 7; x32's calls one more). Where x32's first numbers share a range with the arch's last ones (read
 * takes the default, as the numbers above the last rule do), one tree over
 * all, under the bound of all the ranges: cutting that range costs the
 * tree below a leaf and tightens its bound (2351 fuzzed policies: 0.15
 * instructions a call more on average); and where nothing below is a
 * syscall of the arch (a policy for x32 alone), x32's numbers are the
 * arch's (rule_table.c bounds them). One tree could also catch a syscall's
 * numbers on both ABIs with one `jset` (read's 0 and 0x40000000); the
 * verifier's check a range at a time does not follow such a test.
 */
struct dispatch_node *dispatch_build(struct arena *arena, const struct range *ranges, size_t n)
{
	size_t k = 0;
	bool below_bounded = false;
	struct range *below;
	struct dispatch_node *root, *sub;

	while (k < n && ranges[k].lo < ARCH_X32_SYSCALL_BIT)
		below_bounded |= ranges[k++].bounded;
	if (k == 0 || n - k < 2 || ranges[k].lo != ARCH_X32_SYSCALL_BIT || !below_bounded)
		return build_tree(arena, ranges, n);
	below = arena_alloc(arena, sizeof(*below) * (k + 1));
	memcpy(below, ranges, sizeof(*below) * k);
	/* Alone: reached by splits only, so that the verifier, which narrows
	 * the numbers reaching a test on `nr >= k` but not on `nr & m`, checks
	 * the tree hung there a range at a time (found by test_verify_fuzz:
	 * under a jset it saw x86_64's numbers too and went number by number). */
	below[k] = (struct range){ .lo = ARCH_X32_SYSCALL_BIT, .hi = UINT32_MAX, .outcome = SIZE_MAX,
				   .weight = 1, .alone = true };
	root = build_tree(arena, below, k + 1);
	sub = build_tree(arena, ranges + k, n - k);
	shift_ranges(sub, k);
	return graft(root, k, sub);
}
