/* Verification of a compiled program against the policy's own semantics. */
#ifndef SYSCAGE_VERIFY_H
#define SYSCAGE_VERIFY_H

#include <stdbool.h>

#include <linux/filter.h>

#include "policy.h"

/*
 * Returns 0 when the program agrees with the policy on every case tried
 * (*cases says how many), or -EPROTO with an internal-error diagnostic.
 */
int verify_program(struct arena *arena, const struct syscage_policy *policy,
		   const struct compile_mode *mode, const struct sock_filter *prog, size_t len,
		   struct syscage_diagnostics *diags, uint64_t *cases);

/* Test hook: check every program number by number, as those the range
 * argument does not cover are, so tests can hold the two side by side. */
void verify_force_by_number(bool on);

/* Test hook: number by number checks exactly these numbers of every arch
 * value, covered or not (NULL: the tables' and a sample), so tests can hold
 * the range check against any sample of numbers. The caller keeps nrs
 * alive. */
void verify_force_numbers(const uint32_t *nrs, size_t count);

#endif
