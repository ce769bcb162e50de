/*
 * syscage: seccomp policies that are easy to write and safe to load.
 *
 * The pipeline: a policy file is loaded (parsed and resolved for the arches it
 * covers), compiled into a seccomp-BPF program that is verified against the
 * policy before it is returned, and then written out, emulated or loaded.
 *
 * Conventions: functions return 0 or a negative errno value; out-parameters
 * are written only on success; every _free(NULL) is a no-op; nothing here
 * prints or exits. Policy problems are diagnostics, collected in a
 * struct syscage_diagnostics the caller provides.
 */
#ifndef SYSCAGE_H
#define SYSCAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/filter.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SYSCAGE_API __attribute__((visibility("default")))

/* Diagnostics: errors, warnings and notes about a policy. */
struct syscage_diagnostics;

/* A loaded policy: parsed, with every rule resolved for every covered arch. */
struct syscage_policy;

/* A compiled and verified seccomp-BPF program. */
struct syscage_program;

enum syscage_severity {
	SYSCAGE_ERROR,
	SYSCAGE_WARNING,
	SYSCAGE_NOTE,
};

/* What a filter decides for a syscall. */
enum syscage_action {
	SYSCAGE_ACTION_ALLOW,
	SYSCAGE_ACTION_KILL_PROCESS,
	SYSCAGE_ACTION_KILL_THREAD,
	SYSCAGE_ACTION_TRAP,
	SYSCAGE_ACTION_ERRNO,	/* data: the errno value, 1..4095 */
	SYSCAGE_ACTION_LOG,
	SYSCAGE_ACTION_NOTIFY,
	SYSCAGE_ACTION_TRACE,	/* data: the value the tracer sees, 0..65535 */
};

/* The verdict of a policy for one syscall, and where in the policy it came from. */
struct syscage_verdict {
	enum syscage_action action;
	uint32_t data;		/* errno or trace value */
	uint32_t seccomp_ret;	/* the SECCOMP_RET_* value the filter returns */
	const char *file;	/* policy file of the deciding rule; owned by the policy */
	unsigned line;		/* its line; 0 when no rule decided (arch not covered) */
	int is_default;		/* 1 when the `default` statement decided */
};

/* ---- diagnostics ------------------------------------------------------ */

/* A new, empty list. Returns NULL when out of memory. */
SYSCAGE_API struct syscage_diagnostics *syscage_diagnostics_new(void);
SYSCAGE_API void syscage_diagnostics_free(struct syscage_diagnostics *diags);

SYSCAGE_API size_t syscage_diagnostics_count(const struct syscage_diagnostics *diags);
SYSCAGE_API size_t syscage_diagnostics_errors(const struct syscage_diagnostics *diags);

/*
 * Diagnostic i, rendered the way a compiler prints it, ending in a newline:
 *
 *     web.policy:12:7: error: unknown syscall 'opneat'
 *         allow opneat if flags & O_ACCMODE == O_RDONLY
 *               ^~~~~~
 *     hint: did you mean 'openat'?
 *
 * Owned by diags. The structured parts follow.
 */
SYSCAGE_API const char *syscage_diagnostic_text(const struct syscage_diagnostics *diags, size_t i);
SYSCAGE_API enum syscage_severity syscage_diagnostic_severity(const struct syscage_diagnostics *diags,
							      size_t i);
SYSCAGE_API const char *syscage_diagnostic_message(const struct syscage_diagnostics *diags, size_t i);
/* File, line and column (1-based; line 0 when the diagnostic has no place). */
SYSCAGE_API const char *syscage_diagnostic_file(const struct syscage_diagnostics *diags, size_t i);
SYSCAGE_API unsigned syscage_diagnostic_line(const struct syscage_diagnostics *diags, size_t i);
SYSCAGE_API unsigned syscage_diagnostic_column(const struct syscage_diagnostics *diags, size_t i);

/* ---- policies --------------------------------------------------------- */

/*
 * Loads the policy in the file at path, following its includes.
 *
 * arches: NULL to use the policy's `arch` statement (or the native arch when
 * it has none), or a comma-separated list ("x86_64,i386") that replaces it.
 *
 * Returns 0 and *out (free with syscage_policy_free), or:
 *   -EINVAL  the policy has errors: they are in diags (never NULL here)
 *   -ENOMEM  out of memory
 * Reading problems (a missing file, an include that cannot be read) are
 * diagnostics too, so -EINVAL covers them.
 */
SYSCAGE_API int syscage_policy_load(const char *path, const char *arches,
				    struct syscage_diagnostics *diags,
				    struct syscage_policy **out);

/* As syscage_policy_load, for policy text in memory; name is used in
 * diagnostics, and includes are relative to the current directory. */
SYSCAGE_API int syscage_policy_parse(const char *name, const char *text, size_t len,
				     const char *arches, struct syscage_diagnostics *diags,
				     struct syscage_policy **out);

/*
 * As syscage_policy_load, with flags:
 *   SYSCAGE_POLICY_RUN_RULES  put the rules syscage run adds in front of the
 *     policy (they decide first), in a source named "<syscage run>", for a
 *     supervisor that is the calling process (PID its process id):
 *       errno EPERM seccomp if flags & SECCOMP_FILTER_FLAG_NEW_LISTENER
 *       errno EPERM prlimit64 if pid == PID
 *       errno EPERM perf_event_open if pid == PID
 *     A sandboxed program with a listener of its own would receive the
 *     notifications of the calls its supervisor's filter refuses; one that
 *     lowered its supervisor's limits (descriptors, file size) would keep
 *     it from answering, killing and reporting; a perf event on it could
 *     signal it (sigtrap).
 */
#define SYSCAGE_POLICY_RUN_RULES (1u << 0)
SYSCAGE_API int syscage_policy_load_flags(const char *path, const char *arches, unsigned flags,
					  struct syscage_diagnostics *diags,
					  struct syscage_policy **out);

/* As syscage_policy_parse, with the flags of syscage_policy_load_flags. */
SYSCAGE_API int syscage_policy_parse_flags(const char *name, const char *text, size_t len,
					   const char *arches, unsigned flags,
					   struct syscage_diagnostics *diags,
					   struct syscage_policy **out);

SYSCAGE_API void syscage_policy_free(struct syscage_policy *policy);

/*
 * What the policy decides for a syscall, by its own rules (not through BPF):
 * audit_arch is an AUDIT_ARCH_* value, nr the syscall number as the filter
 * sees it, args the six arguments. Always succeeds.
 */
SYSCAGE_API void syscage_policy_evaluate(const struct syscage_policy *policy, uint32_t audit_arch,
					 uint32_t nr, const uint64_t args[6],
					 struct syscage_verdict *out);

/* The action of a verdict as a policy writes it: "allow", "errno EACCES",
 * "trace 7". Writes at most size bytes. */
SYSCAGE_API void syscage_action_describe(const struct syscage_verdict *verdict, char *buf,
					 size_t size);

/* ---- compiling -------------------------------------------------------- */

/*
 * Compiles the policy into a seccomp-BPF program and verifies it: for every
 * syscall number of every covered arch, and argument values at and around
 * every constant the policy compares with, the program's verdict (run in
 * syscage's BPF emulator) must equal the policy's own (syscage_policy_evaluate).
 *
 * Returns 0 and *out (free with syscage_program_free), or:
 *   -E2BIG   the program would exceed the kernel's 4096 instructions (diags)
 *   -EPROTO  verification failed: a bug in syscage, described in diags;
 *            the program is never returned
 *   -ENOMEM  out of memory
 */
SYSCAGE_API int syscage_compile(const struct syscage_policy *policy,
				struct syscage_diagnostics *diags,
				struct syscage_program **out);

/*
 * As syscage_compile, for a supervisor holding the listener (syscage run):
 * the refusals a supervisor can carry out faithfully (errno, kill-process,
 * notify, and calls from arches the policy does not cover) become
 * SECCOMP_RET_USER_NOTIF, so it can report each one and then apply the
 * policy's action (struct syscage_supervisor); execve and execveat are always
 * notified, so the command can be started without the policy allowing exec.
 * trap, kill-thread, trace, log and allow stay with the kernel. The program
 * is verified against this mapping of the policy.
 *
 * When the policy lets the program load seccomp filters of its own, kills
 * stay with the kernel too (and are not reported): a filter of the
 * program's answering with an errno would outrank a notification, and the
 * process would survive a call the policy kills.
 */
SYSCAGE_API int syscage_compile_supervised(const struct syscage_policy *policy,
					   struct syscage_diagnostics *diags,
					   struct syscage_program **out);

/* 1 when the program is supervised and its kills are notifications the
 * supervisor carries out (and reports); 0 otherwise (see above). */
SYSCAGE_API int syscage_program_supervises_kills(const struct syscage_program *program);

SYSCAGE_API void syscage_program_free(struct syscage_program *program);

/* The instructions; owned by program. */
SYSCAGE_API size_t syscage_program_length(const struct syscage_program *program);
SYSCAGE_API const struct sock_filter *syscage_program_instructions(const struct syscage_program *program);

/* How many syscall numbers and argument vectors verification compared. */
SYSCAGE_API uint64_t syscage_program_verified_cases(const struct syscage_program *program);

enum syscage_format {
	SYSCAGE_FORMAT_BPF,	/* raw struct sock_filter array (bubblewrap's --seccomp) */
	SYSCAGE_FORMAT_C,	/* a C array initializer */
	SYSCAGE_FORMAT_ASM,	/* a listing with labels and the policy lines */
	SYSCAGE_FORMAT_STATS,	/* length, instructions per syscall, cache coverage */
};

/*
 * The program in a format, as a malloc'ed buffer (*out, free with free())
 * of *len bytes (text formats are also NUL-terminated). Returns 0, -EINVAL
 * for an unknown format, or -ENOMEM.
 */
SYSCAGE_API int syscage_program_format(const struct syscage_program *program,
				       enum syscage_format format, char **out, size_t *len);

/*
 * Runs the program in syscage's emulator on one input. *ret is the value the
 * filter returns, *steps (may be NULL) the instructions executed.
 * Returns 0, or -EINVAL when the program faults (cannot happen for a
 * program syscage compiled).
 */
SYSCAGE_API int syscage_program_emulate(const struct syscage_program *program, uint32_t audit_arch,
					uint32_t nr, const uint64_t args[6], uint32_t *ret,
					unsigned *steps);

/* ---- loading ---------------------------------------------------------- */

/* Flags for syscage_program_load. */
#define SYSCAGE_LOAD_TSYNC (1u << 0)		/* all threads (SECCOMP_FILTER_FLAG_TSYNC) */
#define SYSCAGE_LOAD_NEW_LISTENER (1u << 1)	/* return a notification fd */

/*
 * Sets no_new_privs and loads the program into the calling thread (or all
 * threads, with SYSCAGE_LOAD_TSYNC). With SYSCAGE_LOAD_NEW_LISTENER the
 * return value is the listener fd (>= 0); otherwise 0. On failure a negative
 * errno: -EINVAL (the kernel refused the program or a flag), -EACCES,
 * -ESRCH (TSYNC: another thread has a different filter), -EBUSY (a
 * listener already exists), -ENOSYS (no seccomp filters in this kernel).
 */
SYSCAGE_API int syscage_program_load(const struct syscage_program *program, unsigned flags);

/* ---- strict mode --------------------------------------------------------- */

/*
 * Puts the calling process in seccomp strict mode: from the return on, only
 * read and write (on descriptors already open), exit and sigreturn; any
 * other syscall ends the process with SIGKILL. On x86 the kernel also
 * disables rdtsc (so the vDSO clock faults too).
 *
 * For programs that structure themselves this way: prepare, then enter.
 * Before the call, do everything that needs another syscall:
 *   - allocate all the memory you will use (malloc may call mmap or brk);
 *   - open every file and socket; close the descriptors you will not use;
 *   - give stdio streams their buffers (setvbuf): glibc calls fstat before
 *     a stream's first read or write;
 *   - have a single thread: strict mode confines the calling thread only,
 *     so with other threads the call fails with -EBUSY and nothing changes.
 * End with syscage_strict_exit: glibc's exit uses exit_group, which strict
 * mode forbids.
 *
 * Returns 0, -EBUSY (more than one thread, or /proc/self/task cannot be read
 * to count them), or the errno of the prctl
 * (-EINVAL: the kernel has no strict mode, or a filter is already loaded).
 */
SYSCAGE_API int syscage_strict_enter(void);

/* Flushes stdio and ends the process with exit(2), as strict mode allows.
 * Does not run atexit handlers. */
SYSCAGE_API __attribute__((noreturn)) void syscage_strict_exit(int status);

/* ---- supervising --------------------------------------------------------- */

/*
 * A supervisor answers the notifications of a program compiled with
 * syscage_compile_supervised, by the rules of the same policy.
 */
struct syscage_supervisor;

enum syscage_event_kind {
	SYSCAGE_EVENT_STARTED,	/* the first exec (the command starting) was let through */
	SYSCAGE_EVENT_ALLOWED,	/* an exec the policy allows was let through */
	SYSCAGE_EVENT_NOTIFIED,	/* a `notify` rule: reported, then let through */
	SYSCAGE_EVENT_REFUSED,	/* refused with an errno */
	SYSCAGE_EVENT_KILLED,	/* refused by killing the calling process */
};

struct syscage_event {
	enum syscage_event_kind kind;
	int pid;				/* the calling thread */
	int tgid;				/* KILLED: its process, or -1 if unknown */
	struct syscage_verdict verdict;		/* what the policy decided */
	/* One line for people, without a newline: the call with its decoded
	 * arguments, the action, the policy line and a hint, e.g.
	 * openat(AT_FDCWD, "/etc/shadow", O_RDONLY) refused (kill) by
	 * web.policy:7; add 'allow openat' before line 7 to permit it
	 * Empty for STARTED and ALLOWED, and when quiet. Owned by the
	 * supervisor until the next call. Strings in it were read from the
	 * caller for display; no decision depends on them. */
	const char *report;
};

/*
 * A supervisor for listener (the fd syscage_program_load returned with
 * SYSCAGE_LOAD_NEW_LISTENER, possibly taken from the child that loaded it).
 * Does not take ownership of policy (which must outlive it) or listener.
 * Returns 0, -EINVAL, -ENOMEM, or the errno of SECCOMP_GET_NOTIF_SIZES.
 */
SYSCAGE_API int syscage_supervisor_new(const struct syscage_policy *policy, int listener,
				       struct syscage_supervisor **out);
SYSCAGE_API void syscage_supervisor_free(struct syscage_supervisor *sup);

/* The listener, to poll for POLLIN before calling syscage_supervisor_handle. */
SYSCAGE_API int syscage_supervisor_fd(const struct syscage_supervisor *sup);

/*
 * Quiet: events carry an empty report. The calls are decided and answered
 * as before, but nothing is read from the caller's memory or formatted
 * while it waits (`syscage run -q`); reports are on by default.
 */
SYSCAGE_API void syscage_supervisor_set_quiet(struct syscage_supervisor *sup, bool quiet);

/*
 * Receives one notification (blocking until one comes), decides it by the
 * policy, answers it and fills *event. Returns 0, or:
 *   -ENOENT  the caller was gone before it could be read: nothing happened
 *   -EINTR   interrupted: call again
 *   other    the listener failed (-EBADF, ...)
 */
SYSCAGE_API int syscage_supervisor_handle(struct syscage_supervisor *sup,
					  struct syscage_event *event);

/* ---- syscalls ----------------------------------------------------------- */

/* The AUDIT_ARCH_* value of an arch name ("x86_64", "i386", ...), or 0. */
SYSCAGE_API uint32_t syscage_arch_audit(const char *name);

/* The number of a syscall on an arch (x32 numbers include the x32 bit),
 * or -ENOENT when the arch has no such syscall, -EINVAL for an unknown arch. */
SYSCAGE_API long syscage_syscall_number(const char *arch, const char *name);

/* The name of syscall nr on arch, or NULL. Static storage. */
SYSCAGE_API const char *syscage_syscall_name(const char *arch, uint32_t nr);

#ifdef __cplusplus
}
#endif

#endif
