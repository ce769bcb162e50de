/*
 * A loaded policy: the statements, and per covered arch the resolved rules.
 * Also the policy's own semantics (policy_decide), the reference every
 * compiled program is verified against.
 */
#ifndef SYSCAGE_POLICY_H
#define SYSCAGE_POLICY_H

#include <setjmp.h>

#include "arch.h"
#include "arena.h"
#include "ast.h"
#include "cond.h"

struct rule {
	const struct stmt *stmt;
	unsigned index;		/* position among the rules, from 0 */
};

/* One syscall of one rule on one arch, with its condition resolved. */
struct entry {
	const struct rule *rule;
	uint32_t nr;
	const struct cond *cond;
};

struct arch_rules {
	bool covered;
	/* Sorted by (nr, rule index): a syscall's rules are consecutive, in
	 * policy order. */
	struct entry *entries;
	size_t count, cap;
	/* Names of the policy that do not exist on this arch (for --stats). */
	const char **skipped;
	size_t nskipped, skipped_cap;
};

struct syscage_policy {
	struct arena arena;
	jmp_buf oom;
	const struct source *main;
	struct stmt_list stmts;
	struct rule *rules;
	size_t nrules;
	struct action default_action;
	struct arch_rules arches[ARCH_COUNT];
};

/* Resolves the parsed statements: arches, groups, names, conditions.
 * Returns 0 or -EINVAL (errors in diags). */
int resolve_policy(struct syscage_policy *policy, const char *arch_override,
		   struct syscage_diagnostics *diags);

/* The SECCOMP_RET_* value of an action. */
uint32_t action_seccomp_ret(const struct action *action);

/*
 * How a program is compiled. A supervised program (for `syscage run`) turns
 * the refusals a supervisor can carry out faithfully (errno, kill-process,
 * and notify) into notifications, so the supervisor can report each one
 * before it applies the policy's action; and it notifies every execve and
 * execveat, so the supervisor can start the command without the policy
 * having to allow exec. What a supervisor cannot do from outside (trap,
 * kill-thread, trace) stays with the kernel.
 */
struct compile_mode {
	bool supervised;
	/*
	 * Supervised, but kills stay with the kernel: a program allowed to load
	 * filters of its own could make one that answers with an errno, which
	 * outranks a notification, and so survive a call the policy kills;
	 * nothing outranks the kernel's kill.
	 */
	bool native_kills;
};

/*
 * Whether the policy may let some call of syscall nr on arch run (allow,
 * log, notify, trace) when the arguments whose bit is set in known are
 * args and the others take any value: false only when no such call can.
 * *by is the first rule that may, or NULL (the default, or none).
 */
bool policy_may_let_through(const struct syscage_policy *policy, int arch, uint32_t nr,
			    unsigned known, const uint64_t args[6], const struct rule **by);

/* True when the policy may let the program load seccomp filters of its own
 * (for some arguments of seccomp or prctl). */
bool policy_allows_own_filters(const struct syscage_policy *policy);

/* The value the filter returns where the policy decides policy_ret. */
uint32_t mode_filter_ret(const struct compile_mode *mode, uint32_t policy_ret);

/* True when (arch, nr) is a syscall a supervised filter always notifies. */
bool mode_always_notifies(const struct compile_mode *mode, int arch, uint32_t nr);
/* Those syscalls of arch (-1: none) as numbers in out; returns how many. */
size_t mode_notified_numbers(const struct compile_mode *mode, int arch, uint32_t out[2]);

/* The covered arch that owns (audit_arch, nr), or -1 when none does. */
int policy_arch_of(const struct syscage_policy *policy, uint32_t audit_arch, uint32_t nr);

/* The entries for nr on an arch: *first and the count (0 when none). */
size_t policy_entries_for(const struct arch_rules *rules, uint32_t nr, const struct entry **first);

/*
 * The policy's verdict on a call whose number has the n entries e (from
 * policy_entries_for) on arch (from policy_arch_of; -1: not covered).
 * syscage_policy_evaluate is exactly those two look-ups and this, so callers
 * that ask about many argument values of one number look up once.
 */
void policy_decide(const struct syscage_policy *policy, int arch, const struct entry *e, size_t n,
		   const uint64_t args[6], struct syscage_verdict *out);

#endif
