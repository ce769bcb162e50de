/* Loading a policy (the public entry points) and its own semantics. */
#include "policy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/audit.h>
#include <linux/prctl.h>
#include <linux/seccomp.h>

#include "constants.h"
#include "parser.h"
#include "syscall_table.h"
#include "system.h"

uint32_t action_seccomp_ret(const struct action *action)
{
	switch (action->kind) {
	case SYSCAGE_ACTION_ALLOW:
		return SECCOMP_RET_ALLOW;
	case SYSCAGE_ACTION_KILL_PROCESS:
		return SECCOMP_RET_KILL_PROCESS;
	case SYSCAGE_ACTION_KILL_THREAD:
		return SECCOMP_RET_KILL_THREAD;
	case SYSCAGE_ACTION_TRAP:
		return SECCOMP_RET_TRAP;
	case SYSCAGE_ACTION_ERRNO:
		return SECCOMP_RET_ERRNO | (action->data & SECCOMP_RET_DATA);
	case SYSCAGE_ACTION_LOG:
		return SECCOMP_RET_LOG;
	case SYSCAGE_ACTION_NOTIFY:
		return SECCOMP_RET_USER_NOTIF;
	case SYSCAGE_ACTION_TRACE:
		return SECCOMP_RET_TRACE | (action->data & SECCOMP_RET_DATA);
	}
	return SECCOMP_RET_KILL_PROCESS;
}

uint32_t mode_filter_ret(const struct compile_mode *mode, uint32_t policy_ret)
{
	if (!mode->supervised)
		return policy_ret;
	switch (policy_ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		return mode->native_kills ? policy_ret : SECCOMP_RET_USER_NOTIF;
	case SECCOMP_RET_ERRNO:
	case SECCOMP_RET_USER_NOTIF:
		return SECCOMP_RET_USER_NOTIF;
	default:
		return policy_ret;
	}
}

/* Actions that may let a call run: a tracer may let a traced one through. */
static bool may_run(const struct action *a)
{
	return a->kind == SYSCAGE_ACTION_ALLOW || a->kind == SYSCAGE_ACTION_LOG ||
	       a->kind == SYSCAGE_ACTION_NOTIFY || a->kind == SYSCAGE_ACTION_TRACE;
}

bool policy_may_let_through(const struct syscage_policy *policy, int arch, uint32_t nr,
			    unsigned known, const uint64_t args[6], const struct rule **by)
{
	const struct entry *e = NULL;
	size_t n = policy_entries_for(&policy->arches[arch], nr, &e);

	*by = NULL;
	for (size_t i = 0; i < n; i++) {
		enum cond_known holds = cond_eval_known(e[i].cond, known, args);

		if (holds == COND_FAILS)
			continue;
		if (may_run(&e[i].rule->stmt->action)) {
			*by = e[i].rule;
			return true;
		}
		if (holds == COND_HOLDS)
			return false;	/* refused; no rule after it is reached */
	}
	return may_run(&policy->default_action);
}

/*
 * Whether a filter load may get through on some covered arch: seccomp
 * with SECCOMP_SET_MODE_FILTER, or prctl with PR_SET_SECCOMP and
 * SECCOMP_MODE_FILTER, whatever the other arguments. A condition on those
 * is exact; one on the others counts as met: never a false no, which
 * would let a filter of the program's outrank the notifications.
 */
bool policy_allows_own_filters(const struct syscage_policy *policy)
{
	static const struct {
		const char *name;
		unsigned known;
		uint64_t args[6];
	} loads[] = {
		{ "seccomp", 1u << 0, { SECCOMP_SET_MODE_FILTER } },
		{ "prctl", 1u << 0 | 1u << 1, { PR_SET_SECCOMP, SECCOMP_MODE_FILTER } },
	};

	for (int a = 0; a < ARCH_COUNT; a++) {
		if (!policy->arches[a].covered)
			continue;
		for (size_t l = 0; l < sizeof(loads) / sizeof(loads[0]); l++) {
			int64_t nr = syscall_number(a, syscall_lookup(loads[l].name));
			const struct rule *by;

			if (nr >= 0 && policy_may_let_through(policy, a, (uint32_t)nr, loads[l].known,
							      loads[l].args, &by))
				return true;
		}
	}
	return false;
}

size_t mode_notified_numbers(const struct compile_mode *mode, int arch, uint32_t out[2])
{
	static int execve = -2, execveat = -2;
	size_t n = 0;

	if (!mode->supervised || arch < 0)
		return 0;
	if (execve == -2) {
		execve = syscall_lookup("execve");
		execveat = syscall_lookup("execveat");
	}
	for (int i = 0; i < 2; i++) {
		int64_t nr = syscall_number(arch, i ? execveat : execve);

		if (nr >= 0)
			out[n++] = (uint32_t)nr;
	}
	return n;
}

bool mode_always_notifies(const struct compile_mode *mode, int arch, uint32_t nr)
{
	uint32_t nrs[2];
	size_t n = mode_notified_numbers(mode, arch, nrs);

	for (size_t i = 0; i < n; i++) {
		if (nrs[i] == nr)
			return true;
	}
	return false;
}

int policy_arch_of(const struct syscage_policy *policy, uint32_t audit_arch, uint32_t nr)
{
	/* The common case first, without the loop. */
	if (audit_arch == AUDIT_ARCH_X86_64)
		return nr < ARCH_X32_SYSCALL_BIT ? (policy->arches[ARCH_X86_64].covered ? ARCH_X86_64 : -1)
						  : (policy->arches[ARCH_X32].covered ? ARCH_X32 : -1);
	for (int a = 0; a < ARCH_COUNT; a++) {
		if (!policy->arches[a].covered || arch_info(a)->audit_arch != audit_arch)
			continue;
		/* x86_64 and x32 share the audit value; the x32 bit tells them
		 * apart, and everything at or above it belongs to x32. */
		if (a == ARCH_X86_64 && nr >= ARCH_X32_SYSCALL_BIT)
			continue;
		if (a == ARCH_X32 && nr < ARCH_X32_SYSCALL_BIT)
			continue;
		return a;
	}
	return -1;
}

size_t policy_entries_for(const struct arch_rules *rules, uint32_t nr, const struct entry **first)
{
	size_t lo = 0, hi = rules->count, n = 0;

	*first = rules->entries;
	if (!rules->count)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rules->entries[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = rules->entries + lo;
	while (lo + n < rules->count && rules->entries[lo + n].nr == nr)
		n++;
	return n;
}

static void set_verdict(struct syscage_verdict *out, const struct action *action,
			const struct loc *loc, int is_default)
{
	out->action = action->kind;
	out->data = action->data;
	out->seccomp_ret = action_seccomp_ret(action);
	out->file = loc && loc->src ? loc->src->path : NULL;
	out->line = loc ? loc->line : 0;
	out->is_default = is_default;
}

SYSCAGE_API void syscage_action_describe(const struct syscage_verdict *verdict, char *buf,
					 size_t size)
{
	static const char *const names[] = {
		[SYSCAGE_ACTION_ALLOW] = "allow", [SYSCAGE_ACTION_KILL_PROCESS] = "kill",
		[SYSCAGE_ACTION_KILL_THREAD] = "kill-thread", [SYSCAGE_ACTION_TRAP] = "trap",
		[SYSCAGE_ACTION_ERRNO] = "errno", [SYSCAGE_ACTION_LOG] = "log",
		[SYSCAGE_ACTION_NOTIFY] = "notify", [SYSCAGE_ACTION_TRACE] = "trace",
	};
	const char *name = errno_name((int)verdict->data);

	if (verdict->action == SYSCAGE_ACTION_ERRNO && name)
		snprintf(buf, size, "errno %s", name);
	else if (verdict->action == SYSCAGE_ACTION_ERRNO || verdict->action == SYSCAGE_ACTION_TRACE)
		snprintf(buf, size, "%s %u", names[verdict->action], verdict->data);
	else
		snprintf(buf, size, "%s", names[verdict->action]);
}

void policy_decide(const struct syscage_policy *policy, int arch, const struct entry *e, size_t n,
		   const uint64_t args[6], struct syscage_verdict *out)
{
	static const struct action kill = { .kind = SYSCAGE_ACTION_KILL_PROCESS };

	if (arch < 0) {
		/* An arch (or the x32 ABI) the policy does not cover: whatever
		 * the default, such calls are killed. */
		set_verdict(out, &kill, NULL, 0);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (cond_eval(e[i].cond, args)) {
			set_verdict(out, &e[i].rule->stmt->action, &e[i].rule->stmt->loc, 0);
			return;
		}
	}
	set_verdict(out, &policy->default_action, &policy->default_action.loc, 1);
}

SYSCAGE_API void syscage_policy_evaluate(const struct syscage_policy *policy, uint32_t audit_arch,
					 uint32_t nr, const uint64_t args[6],
					 struct syscage_verdict *out)
{
	int arch = policy_arch_of(policy, audit_arch, nr);
	const struct entry *e = NULL;
	size_t n = 0;

	if (arch >= 0)
		n = policy_entries_for(&policy->arches[arch], nr, &e);
	policy_decide(policy, arch, e, n, args, out);
}

/* The rules SYSCAGE_POLICY_RUN_RULES puts first; see syscage.h. The
 * supervisor is the process loading the policy. */
static const char run_rules[] =
	"# A program with a seccomp listener of its own would receive the calls\n"
	"# its supervisor's filter refuses.\n"
	"errno EPERM seccomp if flags & SECCOMP_FILTER_FLAG_NEW_LISTENER\n"
	"# Limits lowered on the supervisor (no descriptors, no file size) would\n"
	"# keep it from answering, killing and reporting.\n"
	"errno EPERM prlimit64 if pid == %d\n"
	"# A perf event on the supervisor can signal it (sigtrap), for a command\n"
	"# with CAP_PERFMON, which Landlock's ptrace rule does not stop.\n"
	"errno EPERM perf_event_open if pid == %d\n";

static int parse_all(struct parser_input *in, const char *path, const char *name,
		     const char *text, size_t len, unsigned flags)
{
	if (flags & SYSCAGE_POLICY_RUN_RULES) {
		char *rules = arena_printf(in->arena, run_rules, system_pid(), system_pid());
		int err = parser_parse_text(in, "<syscage run>", rules, strlen(rules));

		if (err)
			return err;
		in->first = NULL; /* the user's file is the policy's main source */
	}
	return path ? parser_parse_file(in, path) : parser_parse_text(in, name, text, len);
}

static int load(const char *path, const char *name, const char *text, size_t len,
		const char *arches, unsigned flags, struct syscage_diagnostics *diags,
		struct syscage_policy **out)
{
	struct syscage_policy *pol;
	struct parser_input in;
	jmp_buf diag_oom;
	int err;

	if (!diags)
		return -EINVAL;
	pol = calloc(1, sizeof(*pol));
	if (!pol)
		return -ENOMEM;
	pol->arena.on_oom = &pol->oom;
	if (setjmp(pol->oom) || setjmp(diag_oom)) {
		diag_bind(diags, NULL);
		syscage_policy_free(pol);
		return -ENOMEM;
	}
	diag_bind(diags, &diag_oom);
	in = (struct parser_input){ .arena = &pol->arena, .diags = diags, .out = &pol->stmts };
	err = parse_all(&in, path, name, text, len, flags);
	pol->main = in.first;
	if (!err)
		err = resolve_policy(pol, arches, diags);
	diag_bind(diags, NULL);
	if (err) {
		syscage_policy_free(pol);
		return err;
	}
	*out = pol;
	return 0;
}

SYSCAGE_API int syscage_policy_load(const char *path, const char *arches,
				    struct syscage_diagnostics *diags,
				    struct syscage_policy **out)
{
	return load(path, NULL, NULL, 0, arches, 0, diags, out);
}

SYSCAGE_API int syscage_policy_load_flags(const char *path, const char *arches, unsigned flags,
					  struct syscage_diagnostics *diags,
					  struct syscage_policy **out)
{
	if (flags & ~SYSCAGE_POLICY_RUN_RULES)
		return -EINVAL;
	return load(path, NULL, NULL, 0, arches, flags, diags, out);
}

SYSCAGE_API int syscage_policy_parse(const char *name, const char *text, size_t len,
				     const char *arches, struct syscage_diagnostics *diags,
				     struct syscage_policy **out)
{
	return load(NULL, name, text, len, arches, 0, diags, out);
}

SYSCAGE_API int syscage_policy_parse_flags(const char *name, const char *text, size_t len,
					   const char *arches, unsigned flags,
					   struct syscage_diagnostics *diags,
					   struct syscage_policy **out)
{
	if (flags & ~SYSCAGE_POLICY_RUN_RULES)
		return -EINVAL;
	return load(NULL, name, text, len, arches, flags, diags, out);
}

SYSCAGE_API void syscage_policy_free(struct syscage_policy *policy)
{
	if (!policy)
		return;
	arena_release(&policy->arena);
	free(policy);
}
