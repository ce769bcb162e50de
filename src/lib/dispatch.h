/*
 * The shape of the search over syscall numbers: a binary tree of
 * `nr >= split` tests whose leaves are ranges of equal outcome, shaped so
 * that the expected number of tests, weighted by how likely each range is,
 * is smallest.
 */
#ifndef SYSCAGE_DISPATCH_H
#define SYSCAGE_DISPATCH_H

#include "rule_table.h"

struct dispatch_node {
	bool leaf;
	size_t range;		/* leaf: index into the ranges */
	uint32_t split;		/* inner: right holds nr >= split */
	struct dispatch_node *left, *right;
};

/* The tree over ranges[0..n-1] (sorted, n >= 1), in arena. */
struct dispatch_node *dispatch_build(struct arena *arena, const struct range *ranges, size_t n);

/* The depth of the leaf holding range i (for statistics and tests). */
unsigned dispatch_depth(const struct dispatch_node *root, const struct range *ranges, uint32_t nr);

#endif
