/*
 * The supervisor: the other end of a supervised filter's notifications
 * (see syscage_compile_supervised). Each notification is a call the policy
 * refuses, a `notify` rule, or an exec. The supervisor decides it by the
 * policy's own rules on the registers the kernel handed over (never on
 * memory behind a pointer), reports it, and carries the action out.
 *
 * It lets a call proceed (SECCOMP_USER_NOTIF_FLAG_CONTINUE) only where the
 * policy allows it on those registers, which is exactly what a filter
 * allowing it would have done; the kernel's warning about CONTINUE concerns
 * decisions on pointed-to memory, which syscage never makes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/seccomp.h>

#include "decode.h"
#include "policy.h"
#include "system.h"

struct syscage_supervisor {
	const struct syscage_policy *policy;
	int listener;
	bool started;			/* the command's own exec has been let through */
	bool quiet;			/* no reports: nothing read from the caller */
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	size_t req_size, resp_size;
	char report[1024];
};

SYSCAGE_API int syscage_supervisor_new(const struct syscage_policy *policy, int listener,
				       struct syscage_supervisor **out)
{
	struct syscage_supervisor *sup;
	int err;

	if (!policy || listener < 0)
		return -EINVAL;
	sup = calloc(1, sizeof(*sup));
	if (!sup)
		return -ENOMEM;
	sup->policy = policy;
	sup->listener = listener;
	/* A notified call and its answer ping-pong between two threads: the
	 * hand-over keeps them on one CPU (best effort: older kernels run
	 * them as before). */
	system_notif_sync_wakeups(listener);
	err = system_notif_sizes(&sup->req_size, &sup->resp_size);
	if (!err) {
		sup->req = calloc(1, sup->req_size);
		sup->resp = calloc(1, sup->resp_size);
		if (!sup->req || !sup->resp)
			err = -ENOMEM;
	}
	if (err) {
		syscage_supervisor_free(sup);
		return err;
	}
	*out = sup;
	return 0;
}

SYSCAGE_API void syscage_supervisor_free(struct syscage_supervisor *sup)
{
	if (!sup)
		return;
	free(sup->req);
	free(sup->resp);
	free(sup);
}

SYSCAGE_API int syscage_supervisor_fd(const struct syscage_supervisor *sup)
{
	return sup->listener;
}

SYSCAGE_API void syscage_supervisor_set_quiet(struct syscage_supervisor *sup, bool quiet)
{
	sup->quiet = quiet;
}

struct reader {
	struct syscage_supervisor *sup;
	int pid;
};

/* Reads a string of the caller for the report. The notification is checked
 * after the read: if it no longer waits, the pid may be another process's
 * by now, and the string is not shown. */
static int read_string(void *ctx, uint64_t addr, char *buf, size_t size)
{
	struct reader *r = ctx;
	int n = system_read_memory(r->pid, addr, buf, size - 1);

	if (n < 0)
		return n;
	buf[n] = '\0';
	if (!system_notif_valid(r->sup->listener, r->sup->req->id))
		return -ESRCH;
	return n;
}

static const char *arch_name_of(uint32_t audit, uint32_t nr)
{
	for (int a = 0; a < ARCH_COUNT; a++) {
		if (arch_info(a)->audit_arch != audit)
			continue;
		if (a == ARCH_X86_64 && nr >= ARCH_X32_SYSCALL_BIT)
			continue;
		return arch_info(a)->name;
	}
	return NULL;
}

/* "openat(AT_FDCWD, "/etc/shadow", O_RDONLY) refused (kill) by web.policy:7; add ..." */
static void write_report(struct syscage_supervisor *sup, const struct syscage_verdict *v,
			 const char *outcome)
{
	if (sup->quiet)
		return;
	const struct seccomp_data *d = &sup->req->data;
	const char *arch = arch_name_of(d->arch, (uint32_t)d->nr);
	int a = arch ? arch_from_name(arch) : -1;
	struct reader r = { .sup = sup, .pid = (int)sup->req->pid };
	char call[512], action[48];
	const char *name;
	size_t n;

	uint64_t args[6];

	for (int i = 0; i < 6; i++)
		args[i] = d->args[i];
	if (a >= 0)
		decode_call(a, (uint32_t)d->nr, args, read_string, &r, call, sizeof(call));
	else
		snprintf(call, sizeof(call), "syscall %u of arch %#x", (unsigned)d->nr, d->arch);
	syscage_action_describe(v, action, sizeof(action));
	n = (size_t)snprintf(sup->report, sizeof(sup->report), "%s%s%s %s (%s)",
			     a >= 0 && a != (int)arch_native() ? arch : "",
			     a >= 0 && a != (int)arch_native() ? " " : "", call, outcome, action);
	if (n >= sizeof(sup->report))
		return;
	if (!v->line) {
		snprintf(sup->report + n, sizeof(sup->report) - n,
			 ": the policy does not cover %s; add it to the policy's 'arch' line to "
			 "permit such calls",
			 arch ? arch : "this architecture");
		return;
	}
	name = a >= 0 ? syscage_syscall_name(arch, (uint32_t)d->nr) : NULL;
	if (v->file && strcmp(v->file, "<syscage run>") == 0)
		snprintf(sup->report + n, sizeof(sup->report) - n, " by %s:%u: %s", v->file, v->line,
			 !name || strcmp(name, "seccomp") == 0
				 ? "a sandboxed program may not have a seccomp listener of its own"
			 : strcmp(name, "prlimit64") == 0
				 ? "a sandboxed program may not change its supervisor's limits"
				 : "a sandboxed program may not watch its supervisor");
	else if (v->action == SYSCAGE_ACTION_NOTIFY || !name)
		snprintf(sup->report + n, sizeof(sup->report) - n, " by %s:%u", v->file, v->line);
	else if (v->is_default)
		snprintf(sup->report + n, sizeof(sup->report) - n,
			 " by %s:%u (default); add 'allow %s' to permit it", v->file, v->line, name);
	else
		snprintf(sup->report + n, sizeof(sup->report) - n,
			 " by %s:%u; add 'allow %s' before line %u to permit it", v->file, v->line,
			 name, v->line);
}

static int respond(struct syscage_supervisor *sup, int error, bool proceed)
{
	memset(sup->resp, 0, sup->resp_size);
	sup->resp->id = sup->req->id;
	sup->resp->error = error;
	sup->resp->flags = proceed ? SECCOMP_USER_NOTIF_FLAG_CONTINUE : 0;
	return system_notif_send(sup->listener, sup->resp);
}

static bool is_exec(const struct seccomp_data *d)
{
	const char *arch = arch_name_of(d->arch, (uint32_t)d->nr);
	const char *name = arch ? syscage_syscall_name(arch, (uint32_t)d->nr) : NULL;

	return name && (strcmp(name, "execve") == 0 || strcmp(name, "execveat") == 0);
}

SYSCAGE_API int syscage_supervisor_handle(struct syscage_supervisor *sup,
					  struct syscage_event *event)
{
	const struct seccomp_data *d = &sup->req->data;
	struct syscage_verdict v;
	uint64_t args[6];
	int err = system_notif_recv(sup->listener, sup->req, sup->req_size);

	if (err)
		return err;
	for (int i = 0; i < 6; i++)
		args[i] = d->args[i];
	memset(event, 0, sizeof(*event));
	event->pid = (int)sup->req->pid;
	event->tgid = -1;
	event->report = sup->report;
	sup->report[0] = '\0';
	syscage_policy_evaluate(sup->policy, d->arch, (uint32_t)d->nr, args, &v);
	event->verdict = v;

	/* The first exec is the command being started by the caller, who
	 * loaded the filter just before it: no code of the command has run. */
	if (!sup->started && d->arch == arch_info(arch_native())->audit_arch && is_exec(d)) {
		sup->started = true;
		event->kind = SYSCAGE_EVENT_STARTED;
		err = respond(sup, 0, true);
		return err == -ENOENT ? 0 : err;
	}
	switch (v.action) {
	case SYSCAGE_ACTION_ALLOW:
	case SYSCAGE_ACTION_LOG:
		/* Only exec gets here: the policy allows it. */
		event->kind = SYSCAGE_EVENT_ALLOWED;
		err = respond(sup, 0, true);
		break;
	case SYSCAGE_ACTION_NOTIFY:
		event->kind = SYSCAGE_EVENT_NOTIFIED;
		write_report(sup, &v, "notified, allowed");
		err = respond(sup, 0, true);
		break;
	case SYSCAGE_ACTION_ERRNO:
		event->kind = SYSCAGE_EVENT_REFUSED;
		write_report(sup, &v, "refused");
		err = respond(sup, -(int)v.data, false);
		break;
	case SYSCAGE_ACTION_TRACE:
		/* Only exec gets here; the kernel answers a trace nobody
		 * handles with ENOSYS, and so does the supervisor. */
		event->kind = SYSCAGE_EVENT_REFUSED;
		write_report(sup, &v, "refused");
		err = respond(sup, -ENOSYS, false);
		break;
	default:
		/* kill, and for exec also kill-thread and trap, which cannot be
		 * done from outside: the whole process ends, never less. */
		event->kind = SYSCAGE_EVENT_KILLED;
		write_report(sup, &v, "refused");
		err = system_kill_process(sup->listener, sup->req->id, (int)sup->req->pid, &event->tgid);
		if (err == -ESRCH)
			err = 0;
		/* It is dying; the answer only releases the thread sooner. */
		if (!err)
			err = respond(sup, -ENOSYS, false);
		break;
	}
	return err == -ENOENT ? 0 : err;
}
