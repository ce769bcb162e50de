/*
 * syscage run: start a command under a policy and explain every refusal.
 *
 * The start-up, top to bottom:
 *
 *   parent                                  child
 *   load and compile the policy
 *   find the command (127, 126)
 *   clone (memory shared until exec) ─────▶ die with the parent (PDEATHSIG)
 *                                           close every fd but 0-2, --keep-fd
 *                                           a Landlock domain of its own:
 *                                           no reaching run (ptrace, memory,
 *                                           fds, signals)
 *                                           tell the parent: "loading, the
 *                                           listener will be fd N"
 *                                           no_new_privs, load the filter
 *   take fd N from the child          ◀──── (it is close-on-exec)
 *   (pidfd_getfd), become undumpable        execve: notified, so the policy
 *   answer the exec: the command starts ◀── need not allow exec
 *   answer each notification, report it
 *   exit with the command's status
 *
 * Nothing the command runs happens before its filter is loaded, and if the
 * filter cannot be loaded the command is never started. The notified exec
 * is also what keeps the child from executing (and so closing the only
 * listener) before the parent holds a copy: even a policy that allows exec
 * gets it notified.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/close_range.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>

#include "arch.h"
#include "cli.h"
#include "landlock.h"
#include "system.h"

#define MAX_KEEP_FDS 64

static const char usage_text[] =
	"usage: syscage run -p POLICY [OPTIONS] [--] COMMAND [ARG...]\n\n"
	"Runs COMMAND under POLICY. Every call the policy refuses is reported on stderr\n"
	"with its decoded arguments, the action and the policy line that decided it.\n\n"
	"  -p, --policy POLICY   the policy file\n"
	"  -q, --quiet           do not report refusals\n"
	"      --no-supervisor   load the plain filter and let the kernel alone apply it:\n"
	"                        no reports, and the policy must allow execve\n"
	"      --keep-fd N       let the command inherit fd N (0, 1 and 2 always are)\n"
	"      --clear-env       start the command with an empty environment\n"
	"      --setenv NAME=VALUE  set a variable for the command (after --clear-env)\n"
	"      --no-tsc          make rdtsc fault (PR_SET_TSC), as strict mode does: no\n"
	"                        cycle counter for timing attacks (doc/run.md says what\n"
	"                        it does not stop)\n\n"
	"Exit status: the command's; 128+N when a signal N ended it (159 when the policy\n"
	"killed it: SIGSYS); 125 when syscage failed (the command did not run); 126\n"
	"when COMMAND cannot be executed; 127 when it is not found.\n";

struct run_options {
	bool native_kills;	/* the policy lets the command load its own filters */
	const char *policy;
	bool quiet, no_supervisor, clear_env, no_tsc;
	int isolate;		/* the Landlock ABI (> 0: the child enters a domain) */
	int keep[MAX_KEEP_FDS];
	size_t nkeep;
	char **setenv;
	size_t nsetenv;
	char **argv;
};

static int parse_options(int argc, char **argv, struct run_options *o)
{
	static const struct option options[] = {
		{ "policy", required_argument, NULL, 'p' }, { "quiet", no_argument, NULL, 'q' },
		{ "no-supervisor", no_argument, NULL, 'S' }, { "keep-fd", required_argument, NULL, 'k' },
		{ "clear-env", no_argument, NULL, 'c' },   { "setenv", required_argument, NULL, 'e' },
		{ "no-tsc", no_argument, NULL, 'T' },	   { "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	o->setenv = calloc((size_t)argc + 1, sizeof(*o->setenv));
	if (!o->setenv)
		return cli_error("out of memory");
	/* '+': options end at the command. */
	while ((c = getopt_long(argc, argv, "+p:qh", options, NULL)) != -1) {
		char *end;
		long fd;

		switch (c) {
		case 'p': o->policy = optarg; break;
		case 'q': o->quiet = true; break;
		case 'S': o->no_supervisor = true; break;
		case 'c': o->clear_env = true; break;
		case 'T': o->no_tsc = true; break;
		case 'e':
			if (!strchr(optarg, '=') || optarg[0] == '=')
				return cli_error("run: --setenv takes NAME=VALUE, not '%s'", optarg);
			o->setenv[o->nsetenv++] = optarg;
			break;
		case 'k':
			fd = strtol(optarg, &end, 10);
			if (*end || end == optarg || fd < 0 || fd > 1 << 20)
				return cli_error("run: --keep-fd takes a file descriptor number, not '%s'",
						 optarg);
			if (fcntl((int)fd, F_GETFD) < 0)
				return cli_error("run: --keep-fd %ld: no such open file descriptor", fd);
			if (o->nkeep == MAX_KEEP_FDS)
				return cli_error("run: at most %d --keep-fd", MAX_KEEP_FDS);
			o->keep[o->nkeep++] = (int)fd;
			break;
		case 'h': fputs(usage_text, stdout); exit(0);
		default: fputs(usage_text, stderr); return EXIT_USAGE;
		}
	}
	if (!o->policy)
		return cli_error("run: which policy? give it with -p POLICY");
	if (optind >= argc)
		return cli_error("run: which command? for example: syscage run -p %s -- cat /etc/hostname",
				 o->policy);
	o->argv = argv + optind;
	return 0;
}

static char **command_env(const struct run_options *o)
{
	extern char **environ;

	if (o->clear_env)
		clearenv();
	for (size_t i = 0; i < o->nsetenv; i++)
		putenv(o->setenv[i]);
	return environ;
}

/* ---- the child ------------------------------------------------------------ */

static int compare_fds(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Marks every descriptor close-on-exec but 0, 1, 2 and the kept ones. */
static void hide_fds(struct run_options *o)
{
	unsigned first = 3;

	qsort(o->keep, o->nkeep, sizeof(o->keep[0]), compare_fds);
	for (size_t i = 0; i < o->nkeep; i++) {
		unsigned fd = (unsigned)o->keep[i];

		if (fd < 3)
			continue;
		if (fd > first)
			syscall(SYS_close_range, first, fd - 1, CLOSE_RANGE_CLOEXEC);
		fcntl((int)fd, F_SETFD, 0);
		first = fd + 1;
	}
	syscall(SYS_close_range, first, ~0u, CLOSE_RANGE_CLOEXEC);
}

/* The descriptor the child's next open file gets: the lowest free one.
 * (open is any descriptor known to be open.) */
static int next_fd(int open)
{
	int fd = fcntl(open, F_DUPFD, 0);

	if (fd >= 0)
		close(fd);
	return fd;
}

static void child_fail(int report, int err)
{
	char msg[2] = { 'E', (char)(err > 0 && err < 128 ? err : EIO) };

	(void)!write(report, msg, sizeof(msg));
	_exit(EXIT_USAGE);
}

/* Runs in the child; never returns. report is close-on-exec. */
static void child(struct run_options *o, const struct syscage_program *prog, pid_t parent,
		  int report, const char *path, char **envp)
{
	int err;

	/* If run dies, so does the command: a notification nobody answers
	 * would fail closed anyway (ENOSYS), but a half-supervised program
	 * helps no one. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(EXIT_USAGE);
	hide_fds(o);
	/* Survives exec; on x86 a later rdtsc raises SIGSEGV. */
	if (o->no_tsc && prctl(PR_SET_TSC, PR_TSC_SIGSEGV) < 0)
		child_fail(report, errno);
	/* The supervisor holds the policy's refusals: the command must not
	 * reach it (ptrace, /proc/PID/mem, process_vm_writev, pidfd_getfd,
	 * signals), whatever the policy allows. */
	if (o->isolate > 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			child_fail(report, errno);
		err = landlock_isolate(o->isolate);
		if (err < 0)
			child_fail(report, -err);
	}
	/* The listener will be the lowest free descriptor: nothing opens one
	 * between here and the load. */
	int listener = next_fd(report);
	char loading[1 + sizeof(listener)] = { 'L' };

	if (listener < 0)
		child_fail(report, errno);
	memcpy(loading + 1, &listener, sizeof(listener));
	(void)!write(report, loading, sizeof(loading));
	err = syscage_program_load(prog, o->no_supervisor ? 0 : SYSCAGE_LOAD_NEW_LISTENER);
	if (err < 0)
		child_fail(report, -err);
	/* From here on every call goes through the filter; the listener and
	 * report fds are close-on-exec. The system call itself, not libc's
	 * execve: a coverage build wraps that one to write its counters first,
	 * which would allocate in the memory this child shares with run while
	 * run allocates too. */
	syscall(SYS_execve, path, o->argv, envp);
	/* Rare: the command was checked before. Say why, if the policy lets us. */
	char msg[2] = { 'X', (char)(errno > 0 && errno < 128 ? errno : EIO) };
	(void)!write(report, msg, sizeof(msg));
	_exit(errno == ENOENT ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE);
}

/*
 * The child shares run's memory until its exec (CLONE_VM, as posix_spawn
 * does): no page tables to copy and no copy-on-write faults, which a fork
 * costs even for a small process. It runs on a stack of its own and reads
 * run's options, program and environment, which run leaves alone until the
 * command ends (every error path kills and reaps the child first). It
 * allocates nothing and writes errno only when it fails, and then it says
 * so on the report pipe and exits.
 */
struct child_args {
	struct run_options *o;
	const struct syscage_program *prog;
	pid_t parent;
	int report;
	const char *path;
	char **envp;
};

static char child_stack[64 * 1024] __attribute__((aligned(16)));

static int child_main(void *arg)
{
	struct child_args *a = arg;

	child(a->o, a->prog, a->parent, a->report, a->path, a->envp);
	return EXIT_USAGE;
}

/* ---- the parent -------------------------------------------------------------- */

/* Whether run's permitted capabilities include CAP_SYS_PTRACE, which the
 * command would keep (no_new_privs gives it no more than run has). */
static bool holds_cap_sys_ptrace(void)
{
	struct __user_cap_header_struct head = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { { 0 } };

	if (syscall(SYS_capget, &head, data) < 0)
		return true;
	return data[CAP_TO_INDEX(CAP_SYS_PTRACE)].permitted & CAP_TO_MASK(CAP_SYS_PTRACE);
}

/*
 * The supervisor decides the refusals: a command that could write its
 * memory or take its listener would undo them. The child enters a Landlock
 * domain, which keeps any process in it off processes outside; and run
 * becomes undumpable, which keeps off processes of its user without
 * CAP_SYS_PTRACE. Without Landlock, a command that keeps CAP_SYS_PTRACE
 * (run as root) is not started supervised.
 */
static bool supervisor_can_be_kept_apart(struct run_options *o)
{
	o->isolate = landlock_abi();
	if (o->isolate > 0 || !holds_cap_sys_ptrace())
		return true;
	cli_error("run: this kernel has no Landlock to keep the command away from its supervisor, "
		  "and with CAP_SYS_PTRACE it could rewrite it; run it with --no-supervisor (the "
		  "kernel alone applies the policy) or without that capability");
	return false;
}

/* Takes a copy of the listener the child creates at descriptor fd (it said
 * which before loading the filter) with pidfd_getfd, as soon as it is there.
 * Returns the fd, or -1 after printing why. */
static int take_listener(int pidfd, int fd, int report)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0), err = errno;
		char msg[2];
		/* The child's failures first: it shares our errno until its
		 * exec, and writes it only when it fails (then it says so). */
		ssize_t n = copy < 0 ? read(report, msg, sizeof(msg)) : -1;

		if (copy >= 0 && system_is_listener(copy))
			return copy;
		if (copy >= 0) {
			close(copy);
			cli_error("run: descriptor %d of the command's process is not the filter's "
				  "listener", fd);
			return -1;
		}
		if (n == 2 && msg[0] == 'E') {
			cli_error("run: cannot load the filter: %s", strerror(msg[1]));
			return -1;
		}
		if (n == 0) {
			cli_error("run: the command's process ended while the filter was loaded");
			return -1;
		}
		if (err != EBADF) {
			cli_error("run: cannot take the supervisor's end of the filter from the "
				  "command (pidfd_getfd: %s); --no-supervisor runs without it",
				  strerror(err));
			return -1;
		}
		/* Loading takes tens of microseconds; a second means something
		 * is badly wrong. */
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= 2) {
			cli_error("run: timed out waiting for the command's filter");
			return -1;
		}
		sched_yield();
	}
}

static pid_t command_pid;

static void forward_signal(int sig)
{
	if (command_pid > 0)
		kill(command_pid, sig);
}

/* The command's exit status, as run reports it. */
static int exit_status(const siginfo_t *info, bool killed_by_policy, const struct run_options *o)
{
	bool quiet = o->quiet;

	if (info->si_code == CLD_EXITED)
		return info->si_status;
	if (info->si_status == SIGKILL && killed_by_policy)
		return 128 + SIGSYS;
	if (info->si_status == SIGSYS && !quiet && o->no_supervisor)
		fprintf(stderr, "syscage: the command was killed by SIGSYS: its filter refused a call; "
				"without --no-supervisor, syscage run reports which\n");
	else if (info->si_status == SIGSYS && !quiet && o->native_kills)
		fprintf(stderr, "syscage: the command was killed by SIGSYS: its filter refused a call. "
				"The policy lets the command load seccomp filters of its own, which could "
				"outrank the supervisor's notifications, so its kills are left to the "
				"kernel and not reported one by one\n");
	else if (info->si_status == SIGSYS && !quiet)
		fprintf(stderr, "syscage: the command was killed by SIGSYS: its filter refused a call "
				"with kill-thread or trap, which the kernel applies itself; run "
				"'syscage check' on the policy, or make those rules 'kill' to have "
				"them reported\n");
	if (info->si_status == SIGSEGV && o->no_tsc && !quiet)
		fprintf(stderr, "syscage: the command was killed by SIGSEGV; with --no-tsc that may be "
				"an rdtsc instruction (or the vDSO clock reading the TSC)\n");
	return 128 + info->si_status;
}

/* Kills pid's descendants (all of its threads' children, theirs, ...) and
 * then pid, from /proc/PID/task/TID/children. Returns how many, or -1 when
 * the files cannot be read (a kernel without CONFIG_PROC_CHILDREN). */
static int kill_tree(int pid, int depth)
{
	char path[64];
	DIR *tasks;
	struct dirent *de;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	tasks = opendir(path);
	if (!tasks)
		return depth ? 0 : -1;
	while ((de = readdir(tasks))) {
		char file[600];
		FILE *f;
		int child;

		if (de->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s/children", path, de->d_name);
		f = fopen(file, "re");
		if (!f) {
			closedir(tasks);
			return depth ? n : -1;
		}
		/* Depth-bounded: a chain deeper than this is found on the next round. */
		while (fscanf(f, "%d", &child) == 1)
			n += depth < 64 ? kill_tree(child, depth + 1) + 1 : 0;
		fclose(f);
	}
	closedir(tasks);
	if (depth)
		kill(pid, SIGKILL);
	return n;
}

/* Kills our descendants; -1 when /proc cannot tell them. */
static int kill_children(void)
{
	return kill_tree((int)getpid(), 0);
}

/* The same, the slow way: every process's parent, from /proc/PID/stat. */
static int kill_children_by_scan(void)
{
	pid_t self = getpid();
	DIR *dir = opendir("/proc");
	struct dirent *de;
	int n = 0;

	while (dir && (de = readdir(dir))) {
		char path[300], line[512];
		int ppid = 0, pid = atoi(de->d_name);
		FILE *f;

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		f = fopen(path, "re");
		if (!f)
			continue;
		/* pid (comm) state ppid: comm may hold spaces and parens */
		if (fgets(line, sizeof(line), f)) {
			char *close = strrchr(line, ')');

			if (close)
				sscanf(close + 1, " %*c %d", &ppid);
		}
		fclose(f);
		if (ppid == self) {
			kill(pid, SIGKILL);
			n++;
		}
	}
	if (dir)
		closedir(dir);
	return n;
}

/* Processes of the command's whose parents died were given to us (we are a
 * subreaper). When the command ends, they end too: without their supervisor
 * every call their filter notifies would fail with ENOSYS whatever the policy
 * says. Children first; theirs come to us as their parents die. */
static void end_leftovers(const struct run_options *o)
{
	unsigned killed = 0;
	siginfo_t info;

	/* Usually nothing is left: then there is nothing to look for. */
	if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) < 0 && errno == ECHILD)
		return;
	/* Kill what is ours, wait for one to end, and look again: a
	 * grandchild comes to us only when its parent has ended. */
	for (;;) {
		int n = kill_children();

		if (n < 0)
			n = kill_children_by_scan();
		killed += (unsigned)n;
		if (waitpid(-1, NULL, 0) < 0)
			break;	/* ECHILD: nothing left */
	}
	if (killed && !o->quiet)
		fprintf(stderr, "syscage: the command left %u process%s behind; ended with it\n", killed,
			killed == 1 ? "" : "es");
}

static int supervise(const struct run_options *o, const struct syscage_policy *policy,
		     pid_t pid, int pidfd, int listener, int report)
{
	struct syscage_supervisor *sup = NULL;
	bool killed_by_policy = false;
	siginfo_t info = { 0 };
	int err = listener >= 0 ? syscage_supervisor_new(policy, listener, &sup) : 0;

	if (err) {
		cli_error("run: cannot supervise: %s", strerror(-err));
		kill(pid, SIGKILL);
	} else if (sup) {
		syscage_supervisor_set_quiet(sup, o->quiet);
	}
	for (;;) {
		struct pollfd fds[3] = { { .fd = pidfd, .events = POLLIN },
					 { .fd = sup ? listener : -1, .events = POLLIN },
					 { .fd = report, .events = POLLIN } };

		if (poll(fds, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			/* Unsupervised, the command's refusals would wait for ever. */
			cli_error("run: supervising: poll: %s", strerror(errno));
			kill(pid, SIGKILL);
			break;
		}
		if (fds[2].revents & (POLLIN | POLLHUP)) {
			char msg[2];

			if (read(report, msg, sizeof(msg)) == 2 && msg[0] == 'X')
				cli_error("run: cannot execute %s: %s", o->argv[0], strerror(msg[1]));
			report = -1; /* the exec succeeded (close-on-exec) or failed */
		}
		/* Then the command: notifications of processes it left behind
		 * would otherwise keep run from seeing that it ended. */
		if (fds[0].revents & POLLIN)
			break;
		if (fds[1].revents & POLLIN) {
			struct syscage_event ev;

			err = syscage_supervisor_handle(sup, &ev);
			if (err == 0) {
				if (ev.report[0] && !o->quiet)
					fprintf(stderr, "syscage: %s\n", ev.report);
				if (ev.kind == SYSCAGE_EVENT_KILLED && ev.tgid == pid)
					killed_by_policy = true;
			} else if (err != -ENOENT && err != -EINTR) {
				cli_error("run: supervising: %s", strerror(-err));
				kill(pid, SIGKILL);
				sup = (syscage_supervisor_free(sup), NULL);
			}
			continue;
		}
		if (fds[1].revents & (POLLHUP | POLLERR))
			sup = (syscage_supervisor_free(sup), NULL);
	}
	syscage_supervisor_free(sup);
	if (waitid(P_PIDFD, (id_t)pidfd, &info, WEXITED) < 0) {
		cli_error("run: cannot wait for the command: %s", strerror(errno));
		return EXIT_USAGE;
	}
	end_leftovers(o);
	return exit_status(&info, killed_by_policy, o);
}

int cmd_run(int argc, char **argv)
{
	struct run_options o = { 0 };
	struct syscage_policy *policy = NULL;
	struct syscage_program *prog = NULL;
	struct syscage_diagnostics *diags = NULL;
	char *path = NULL;
	int status = parse_options(argc, argv, &o), report[2] = { -1, -1 };
	int pidfd = -1, listener = -1;

	if (status)
		goto out;
	status = EXIT_USAGE;
	diags = syscage_diagnostics_new();
	if (!diags)
		goto out;
	policy = cli_load_policy_flags(o.policy, NULL, o.no_supervisor ? 0 : SYSCAGE_POLICY_RUN_RULES);
	int err = policy ? 0 : -EINVAL;
	if (!err)
		err = o.no_supervisor ? syscage_compile(policy, diags, &prog)
				      : syscage_compile_supervised(policy, diags, &prog);
	cli_print_diagnostics(diags);
	if (err) {
		fprintf(stderr, "syscage: %s: the command was not started\n", o.policy);
		goto out;
	}
	o.native_kills = !o.no_supervisor && !syscage_program_supervises_kills(prog);
	if (o.no_supervisor) {
		/* The filter is in place before exec: the policy has to allow it. */
		static const uint64_t zero[6];
		const struct arch_info *native = arch_info(arch_native());
		struct syscage_verdict v;
		long nr = syscage_syscall_number(native->name, "execve");

		syscage_policy_evaluate(policy, native->audit_arch, (uint32_t)nr, zero, &v);
		if (v.action != SYSCAGE_ACTION_ALLOW && v.action != SYSCAGE_ACTION_LOG) {
			cli_error("run: with --no-supervisor the filter is loaded before the command is "
				  "executed, so the policy must allow execve (%s:%u decides it)",
				  v.file ? v.file : o.policy, v.line);
			goto out;
		}
	}
	status = cli_find_command("run", o.argv[0], &path);
	if (status)
		goto out;
	status = EXIT_USAGE;
	if (!o.no_supervisor && !supervisor_can_be_kept_apart(&o))
		goto out;
	char **envp = command_env(&o);
	if (pipe2(report, O_CLOEXEC) < 0) {
		cli_error("run: pipe: %s", strerror(errno));
		goto out;
	}
	pid_t parent = getpid();
	/* Orphans of the command become ours, so they end with it. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		cli_error("run: cannot become a subreaper: %s", strerror(errno));
		goto out;
	}
	fflush(NULL);
	struct child_args args = { &o, prog, parent, report[1], path, envp };
	pid_t pid = clone(child_main, child_stack + sizeof(child_stack), CLONE_VM | SIGCHLD, &args);
	if (pid < 0) {
		cli_error("run: cannot start the command's process: %s", strerror(errno));
		goto out;
	}
	close(report[1]);
	report[1] = -1;
	command_pid = pid;
	/* The terminal sends SIGINT and SIGQUIT to the command too; run stays
	 * to supervise it. Signals sent to run alone are passed on. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	/* Nor may the command stop or end run through run's own output: a
	 * stderr it shut down (SIGPIPE), a terminal it took the foreground of
	 * with TOSTOP set (SIGTTOU). Set after the clone: the command keeps
	 * the defaults, which an ignored signal would not be across exec. */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTERM, forward_signal);
	signal(SIGHUP, forward_signal);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		cli_error("run: pidfd_open: %s", strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		goto out;
	}
	char msg[2], loading[1 + sizeof(int)];
	int child_listener;
	ssize_t got = read(report[0], loading, sizeof(loading));
	if (got != sizeof(loading) || loading[0] != 'L') {
		/* The child died or failed before it could load anything. */
		if (got == 2 && loading[0] == 'E')
			cli_error("run: cannot set up the command's process: %s", strerror(loading[1]));
		else
			cli_error("run: the command's process could not be set up");
		waitpid(pid, NULL, 0);
		goto out;
	}
	memcpy(&child_listener, loading + 1, sizeof(child_listener));
	if (!o.no_supervisor) {
		/* The child blocks in its exec until we answer: never wait on it. */
		fcntl(report[0], F_SETFL, O_NONBLOCK);
		listener = take_listener(pidfd, child_listener, report[0]);
		if (listener < 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			goto out;
		}
		/* Only now: pidfd_getfd needed the child, which shares our memory
		 * until its exec, dumpable. The command has not started yet (its
		 * exec waits for us), and from here on a process of the same user
		 * without CAP_SYS_PTRACE cannot reach us, Landlock or not. */
		if (prctl(PR_SET_DUMPABLE, 0) < 0) {
			cli_error("run: cannot keep the command away: prctl: %s", strerror(errno));
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			goto out;
		}
	} else if (read(report[0], msg, sizeof(msg)) == 2) {
		if (msg[0] == 'X') {
			cli_error("run: cannot execute %s: %s", o.argv[0], strerror(msg[1]));
		} else {
			cli_error("run: cannot load the filter: %s; the command was not started",
				  strerror(msg[1]));
			waitpid(pid, NULL, 0);
			goto out;
		}
	}
	status = supervise(&o, policy, pid, pidfd, listener, report[0]);
out:
	if (listener >= 0)
		close(listener);
	if (pidfd >= 0)
		close(pidfd);
	if (report[0] >= 0)
		close(report[0]);
	if (report[1] >= 0)
		close(report[1]);
	free(path);
	free(o.setenv);
	syscage_program_free(prog);
	syscage_policy_free(policy);
	syscage_diagnostics_free(diags);
	return status;
}
