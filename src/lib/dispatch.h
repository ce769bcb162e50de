/*
 * The shape of the search over syscall numbers: a binary tree of
 * `nr >= split` tests, with chains of `nr == k` tests for single-number
 * exceptions and `nr & mask` tests for numbers that share a bit pattern,
 * whose leaves are ranges of equal outcome, shaped so that the expected
 * number of tests, weighted by how likely each range is, is smallest, and
 * no bounded range lies deeper than ceil(log2(n)) tests, less its extra
 * instructions where the tree has room. Where a range starts at
 * 0x40000000 (x32's numbers, beside x86_64's, in one of their own), the
 * ranges from there up are a tree of their own under one leaf of that,
 * with a bound of their own; below them n counts that leaf as one range.
 */
#ifndef SYSCAGE_DISPATCH_H
#define SYSCAGE_DISPATCH_H

#include "rule_table.h"

enum dispatch_kind {
	DISPATCH_LEAF,		/* the outcome of range */
	DISPATCH_SPLIT,		/* nr >= split: right, else left */
	DISPATCH_EQUAL,		/* nr == split: the outcome of range, else left */
	/* (nr & split) != 0, or == 0 when on_clear: the outcome of range,
	 * else left */
	DISPATCH_BITS,
};

struct dispatch_node {
	enum dispatch_kind kind;
	bool leaf;		/* kind == DISPATCH_LEAF */
	bool on_clear;		/* BITS: catches the numbers without a bit of split */
	size_t range;		/* LEAF, EQUAL, BITS: index into the ranges */
	uint32_t split;
	struct dispatch_node *left, *right;
};

/* The tree over ranges[0..n-1] (sorted, n >= 1), in arena. */
struct dispatch_node *dispatch_build(struct arena *arena, const struct range *ranges, size_t n);

/* Whether a number takes the test of node (SPLIT: the right branch;
 * EQUAL, BITS: the range's outcome). */
static inline bool dispatch_taken(const struct dispatch_node *node, uint32_t nr)
{
	switch (node->kind) {
	case DISPATCH_SPLIT: return nr >= node->split;
	case DISPATCH_EQUAL: return nr == node->split;
	case DISPATCH_BITS: return ((nr & node->split) != 0) != node->on_clear;
	default: return true;
	}
}

#endif
