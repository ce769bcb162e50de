/*
 * The shape of the search over syscall numbers: a binary tree of
 * `nr >= split` tests, with chains of `nr == k` tests for single-number
 * exceptions, whose leaves are ranges of equal outcome, shaped so that the
 * expected number of tests, weighted by how likely each range is, is
 * smallest.
 */
#ifndef SYSCAGE_DISPATCH_H
#define SYSCAGE_DISPATCH_H

#include "rule_table.h"

enum dispatch_kind {
	DISPATCH_LEAF,		/* the outcome of range */
	DISPATCH_SPLIT,		/* nr >= split: right, else left */
	DISPATCH_EQUAL,		/* nr == split: the outcome of range, else left */
};

struct dispatch_node {
	enum dispatch_kind kind;
	bool leaf;		/* kind == DISPATCH_LEAF */
	size_t range;		/* LEAF, EQUAL: index into the ranges */
	uint32_t split;
	struct dispatch_node *left, *right;
};

/* The tree over ranges[0..n-1] (sorted, n >= 1), in arena. */
struct dispatch_node *dispatch_build(struct arena *arena, const struct range *ranges, size_t n);

#endif
