/*
 * Live-test harness: loads a compiled filter into a forked child, makes one
 * syscall there and reports what the kernel did with it.
 *
 * The child installs a SIGSYS handler, makes itself non-dumpable, loads the
 * program with syscage_program_load(prog, 0) (or nothing: a control run),
 * makes the call in one of three ways and writes a report into a pipe:
 *
 *   LIVE_NATIVE  syscall(nr, a0..a5): the x86_64 entry, all 64 bits of nr
 *                and of every argument reach the kernel.
 *   LIVE_I386    int $0x80 with eax = nr and ebx, ecx, edx, esi, edi, ebp =
 *                the full 64-bit values: the filter sees AUDIT_ARCH_I386 and
 *                (measured on 6.18) the upper halves of the registers too.
 *   LIVE_X32     syscall(nr | __X32_SYSCALL_BIT, a0..a5).
 *
 * After the filter is loaded the child uses nothing but the call under
 * test, write() to the pipe and exit_group (LIVE_EXIT, the _exit() that
 * ASan does not instrument): no atexit handlers, no LSan. So a
 * policy under test must let write (of the report to the pipe) and
 * exit_group through on x86_64; live_run() checks that with the emulator
 * first and fails loudly when they are not.
 *
 * Expected seccomp return values map to outcomes (live_check_verdict):
 *   ALLOW, LOG            the call ran: same success/errno as a control run
 *                         of the same call without a filter
 *   ERRNO n               -1 / errno n
 *   KILL_PROCESS, _THREAD killed by SIGSYS (the child is single-threaded)
 *   TRAP                  our SIGSYS handler ran (and saw the same nr/arch)
 *   TRACE, USER_NOTIF     -1 / ENOSYS (no tracer, no listener)
 */
#ifndef SYSCAGE_TESTS_LIVE_H
#define SYSCAGE_TESTS_LIVE_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/seccomp.h>

#include "helpers.h"
#include "syscage.h"

#define LIVE_X32_BIT 0x40000000ull
#define LIVE_MAGIC 0x5ca9e11eu

enum live_mode { LIVE_NATIVE, LIVE_I386, LIVE_X32 };

enum live_kind {
	LIVE_RETURNED,		/* the call returned: ret, err */
	LIVE_TRAPPED,		/* SECCOMP_RET_TRAP: our handler ran */
	LIVE_KILLED,		/* the child died of signal sig before reporting */
	LIVE_LOAD_FAILED,	/* syscage_program_load failed: err */
	LIVE_BROKEN,		/* anything else: a harness problem, see status */
};

struct live_outcome {
	enum live_kind kind;
	long ret;		/* RETURNED: -1 on failure, as libc's syscall() */
	int err;		/* RETURNED: errno when ret == -1; LOAD_FAILED: -rc */
	int sig;		/* KILLED */
	int status;		/* the raw wait status */
	int trap_nr;		/* TRAPPED: siginfo si_syscall */
	unsigned trap_arch;	/* TRAPPED: siginfo si_arch */
};

struct live_report {
	unsigned magic;
	int kind;
	long ret;
	int err;
	int trap_nr;
	unsigned trap_arch;
};

static int live_report_fd = -1;

/*
 * Ends the child with exit_group, called through syscall(): a call to a
 * noreturn function such as _exit() makes ASan first run
 * __asan_handle_no_return, which calls sigaltstack() (and mmap() when that
 * fails) -- syscalls the filter under test may refuse or kill.
 */
#define LIVE_EXIT(code)                                 \
	do {                                            \
		syscall(SYS_exit_group, (long)(code));  \
		for (;;)                                \
			;                               \
	} while (0)

static void live_send(const struct live_report *rep)
{
	const char *p = (const char *)rep;
	size_t left = sizeof(*rep);

	while (left) {
		ssize_t n = write(live_report_fd, p, left);

		if (n <= 0)
			LIVE_EXIT(3);
		p += n;
		left -= (size_t)n;
	}
}

static void live_sigsys(int sig, siginfo_t *info, void *uctx)
{
	struct live_report rep = { .magic = LIVE_MAGIC, .kind = LIVE_TRAPPED };

	(void)sig;
	(void)uctx;
	rep.trap_nr = info->si_syscall;
	rep.trap_arch = info->si_arch;
	live_send(&rep);
	LIVE_EXIT(0);
}

static long live_i386_call(uint64_t nr, const uint64_t a[6])
{
	register uint64_t rax __asm__("rax") = nr;
	register uint64_t rbx __asm__("rbx") = a[0];
	register uint64_t rcx __asm__("rcx") = a[1];
	register uint64_t rdx __asm__("rdx") = a[2];
	register uint64_t rsi __asm__("rsi") = a[3];
	register uint64_t rdi __asm__("rdi") = a[4];
	register uint64_t r12 __asm__("r12") = a[5];
	long ret;

	/* ebp is the sixth argument, and rbp may be the frame pointer: save
	 * it on the stack, below the red zone the compiler may be using. */
	__asm__ volatile("leaq -128(%%rsp), %%rsp\n\t"
			 "pushq %%rbp\n\t"
			 "movq %%r12, %%rbp\n\t"
			 "int $0x80\n\t"
			 "popq %%rbp\n\t"
			 "leaq 128(%%rsp), %%rsp"
			 : "+r"(rax), "+r"(rbx), "+r"(rcx), "+r"(rdx), "+r"(rsi), "+r"(rdi), "+r"(r12)
			 :
			 : "memory", "cc", "r8", "r9", "r10", "r11");
	ret = (long)rax;
	/* The int $0x80 return value is 32-bit: -4095..-1 is an error. */
	ret = (long)(int)ret;
	if (ret < 0 && ret >= -4095) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

/* The syscall number the filter sees for nr made in a mode. */
static inline uint32_t live_seen_nr(enum live_mode mode, uint64_t nr)
{
	if (mode == LIVE_X32)
		nr |= LIVE_X32_BIT;
	return (uint32_t)nr;
}

/* The AUDIT_ARCH_* value the filter sees in a mode. */
static inline uint32_t live_audit_arch(enum live_mode mode)
{
	return mode == LIVE_I386 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;
}

static inline const char *live_mode_name(enum live_mode mode)
{
	return mode == LIVE_I386 ? "i386" : mode == LIVE_X32 ? "x32" : "x86_64";
}

static void live_child(const struct syscage_program *prog, enum live_mode mode, uint64_t nr,
		       const uint64_t args[6])
{
	struct live_report rep = { .magic = LIVE_MAGIC, .kind = LIVE_RETURNED };
	struct rlimit no_core = { 0, 0 };
	struct sigaction sa;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = live_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) < 0)
		LIVE_EXIT(4);
	/* A killed child must not leave a core file behind. */
	setrlimit(RLIMIT_CORE, &no_core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	alarm(10);	/* a safety net; no test should come near it */
	if (prog) {
		rc = syscage_program_load(prog, 0);
		if (rc < 0) {
			rep.kind = LIVE_LOAD_FAILED;
			rep.err = -rc;
			live_send(&rep);
			LIVE_EXIT(0);
		}
	}
	errno = 0;
	switch (mode) {
	case LIVE_NATIVE:
		rep.ret = syscall((long)nr, args[0], args[1], args[2], args[3], args[4], args[5]);
		break;
	case LIVE_X32:
		rep.ret = syscall((long)(nr | LIVE_X32_BIT), args[0], args[1], args[2], args[3],
				  args[4], args[5]);
		break;
	case LIVE_I386:
		rep.ret = live_i386_call(nr, args);
		break;
	}
	rep.err = rep.ret == -1 ? errno : 0;
	live_send(&rep);
	LIVE_EXIT(0);
}

/*
 * Fails the test when the program would not let the child report: write
 * of a report to fd, and exit_group, must be allowed (or logged) natively.
 */
static void live_check_reporting(const struct syscage_program *prog, int fd)
{
	const uint64_t wargs[6] = { (uint64_t)fd, 0x10000, sizeof(struct live_report) };
	const uint64_t eargs[6] = { 0 };
	uint32_t ret = 0;

	assert_int_equal(syscage_program_emulate(prog, AUDIT_ARCH_X86_64, SYS_write, wargs, &ret,
						 NULL), 0);
	if (ret != SECCOMP_RET_ALLOW && ret != SECCOMP_RET_LOG)
		fail_msg("live harness: the policy must allow write to the report pipe (fd %d): "
			 "it returns %#x", fd, ret);
	assert_int_equal(syscage_program_emulate(prog, AUDIT_ARCH_X86_64, SYS_exit_group, eargs,
						 &ret, NULL), 0);
	if (ret != SECCOMP_RET_ALLOW && ret != SECCOMP_RET_LOG)
		fail_msg("live harness: the policy must allow exit_group: it returns %#x", ret);
}

/*
 * Runs nr(args) in a child in mode, under prog (NULL: no filter, a control
 * run), and describes the outcome in *out.
 */
static void live_run(const struct syscage_program *prog, enum live_mode mode, uint64_t nr,
		     const uint64_t args[6], struct live_outcome *out)
{
	struct live_report rep;
	size_t got = 0;
	int fds[2], status;
	pid_t pid;

	memset(out, 0, sizeof(*out));
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	if (prog)
		live_check_reporting(prog, fds[1]);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		live_report_fd = fds[1];
		live_child(prog, mode, nr, args);
		LIVE_EXIT(5);
	}
	close(fds[1]);
	while (got < sizeof(rep)) {
		ssize_t n = read(fds[0], (char *)&rep + got, sizeof(rep) - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		assert_int_equal(errno, EINTR);
	out->status = status;
	if (got == sizeof(rep) && rep.magic == LIVE_MAGIC) {
		out->kind = (enum live_kind)rep.kind;
		out->ret = rep.ret;
		out->err = rep.err;
		out->trap_nr = rep.trap_nr;
		out->trap_arch = rep.trap_arch;
		/* The child reported, so it must then have exited cleanly. */
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			out->kind = LIVE_BROKEN;
		return;
	}
	if (got == 0 && WIFSIGNALED(status)) {
		out->kind = LIVE_KILLED;
		out->sig = WTERMSIG(status);
		return;
	}
	out->kind = LIVE_BROKEN;
}

static inline const char *live_describe(const struct live_outcome *o, char *buf, size_t size)
{
	switch (o->kind) {
	case LIVE_RETURNED:
		if (o->ret == -1)
			snprintf(buf, size, "returned -1, errno %d (%s)", o->err, strerror(o->err));
		else
			snprintf(buf, size, "returned %ld", o->ret);
		break;
	case LIVE_TRAPPED:
		snprintf(buf, size, "trapped (SIGSYS handler: nr %d, arch %#x)", o->trap_nr,
			 o->trap_arch);
		break;
	case LIVE_KILLED:
		snprintf(buf, size, "killed by signal %d (%s)", o->sig, strsignal(o->sig));
		break;
	case LIVE_LOAD_FAILED:
		snprintf(buf, size, "syscage_program_load failed: %s", strerror(o->err));
		break;
	default:
		snprintf(buf, size, "harness problem, wait status %#x", o->status);
		break;
	}
	return buf;
}

/*
 * Whether the live outcome *got of nr(args) in mode is what a filter that
 * returns expect (a SECCOMP_RET_* value) makes the kernel do. For ALLOW and
 * LOG the call is repeated without a filter: success and errno must match.
 * Writes a description of the mismatch into why.
 */
static bool live_outcome_matches(uint32_t expect, enum live_mode mode, uint64_t nr,
				 const uint64_t args[6], const struct live_outcome *got,
				 char *why, size_t size)
{
	uint32_t action = expect & SECCOMP_RET_ACTION_FULL;
	struct live_outcome control;
	char desc[128];
	bool ok = false;

	live_describe(got, desc, sizeof(desc));
	switch (action) {
	case SECCOMP_RET_ALLOW:
	case SECCOMP_RET_LOG:
		live_run(NULL, mode, nr, args, &control);
		ok = got->kind == LIVE_RETURNED && control.kind == LIVE_RETURNED &&
		     (got->ret == -1) == (control.ret == -1) && got->err == control.err;
		if (!ok) {
			char cdesc[128];

			snprintf(why, size, "expected the call to run (%s without a filter), but it %s",
				 live_describe(&control, cdesc, sizeof(cdesc)), desc);
		}
		return ok;
	case SECCOMP_RET_ERRNO:
		ok = got->kind == LIVE_RETURNED && got->ret == -1 &&
		     got->err == (int)(expect & SECCOMP_RET_DATA);
		snprintf(why, size, "expected errno %u, but the call %s", expect & SECCOMP_RET_DATA,
			 desc);
		return ok;
	case SECCOMP_RET_KILL_PROCESS:
	case SECCOMP_RET_KILL_THREAD:
		ok = got->kind == LIVE_KILLED && got->sig == SIGSYS;
		snprintf(why, size, "expected the child to be killed by SIGSYS, but it %s", desc);
		return ok;
	case SECCOMP_RET_TRAP:
		ok = got->kind == LIVE_TRAPPED && got->trap_nr == (int)live_seen_nr(mode, nr) &&
		     got->trap_arch == live_audit_arch(mode);
		snprintf(why, size, "expected a trap (nr %d, arch %#x), but the call %s",
			 (int)live_seen_nr(mode, nr), live_audit_arch(mode), desc);
		return ok;
	case SECCOMP_RET_TRACE:
	case SECCOMP_RET_USER_NOTIF:
		ok = got->kind == LIVE_RETURNED && got->ret == -1 && got->err == ENOSYS;
		snprintf(why, size, "expected ENOSYS (no tracer or listener), but the call %s", desc);
		return ok;
	}
	snprintf(why, size, "unknown seccomp return value %#x", expect);
	return false;
}

/*
 * Checks that syscage_policy_evaluate, syscage_program_emulate and the
 * kernel (prog loaded in a child) all give expect for nr(args) in mode.
 * Prints every disagreement, prefixed with label; *got (may be NULL)
 * receives the live outcome. Returns whether all three agree.
 */
static bool live_agree(const struct syscage_policy *policy, const struct syscage_program *prog,
		       enum live_mode mode, uint64_t nr, const uint64_t args[6], uint32_t expect,
		       const char *label, struct live_outcome *got)
{
	uint32_t seen_nr = live_seen_nr(mode, nr), audit = live_audit_arch(mode), emulated = 0;
	struct syscage_verdict verdict;
	struct live_outcome outcome;
	char why[512];
	bool ok = true;

	syscage_policy_evaluate(policy, audit, seen_nr, args, &verdict);
	if (verdict.seccomp_ret != expect) {
		fprintf(stderr, "DISAGREE %s: expected %#x, syscage_policy_evaluate says %#x (line %u)\n",
			label, expect, verdict.seccomp_ret, verdict.line);
		ok = false;
	}
	if (syscage_program_emulate(prog, audit, seen_nr, args, &emulated, NULL) != 0 ||
	    emulated != expect) {
		fprintf(stderr, "DISAGREE %s: expected %#x, syscage_program_emulate says %#x\n", label,
			expect, emulated);
		ok = false;
	}
	live_run(prog, mode, nr, args, &outcome);
	if (!live_outcome_matches(expect, mode, nr, args, &outcome, why, sizeof(why))) {
		fprintf(stderr, "DISAGREE %s: kernel: %s\n", label, why);
		ok = false;
	}
	if (got)
		*got = outcome;
	return ok;
}

/* ---- policies ------------------------------------------------------------ */

/* Parses and compiles policy text; fails the test (printing the
 * diagnostics) when it has errors. *policy_out may be NULL. */
static struct syscage_program *live_compile(const char *text, struct syscage_policy **policy_out)
{
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_policy *policy = NULL;
	struct syscage_program *prog = NULL;
	int rc;

	assert_non_null(diags);
	rc = syscage_policy_parse("live.policy", text, strlen(text), NULL, diags, &policy);
	if (rc == 0)
		rc = syscage_compile(policy, diags, &prog);
	if (rc != 0) {
		for (size_t i = 0; i < syscage_diagnostics_count(diags); i++)
			fprintf(stderr, "%s", syscage_diagnostic_text(diags, i));
		fprintf(stderr, "policy:\n%s\n", text);
		syscage_diagnostics_free(diags);
		syscage_policy_free(policy);
		fail_msg("the policy does not compile: %d", rc);
	}
	syscage_diagnostics_free(diags);
	if (policy_out)
		*policy_out = policy;
	else
		syscage_policy_free(policy);
	return prog;
}

#endif
