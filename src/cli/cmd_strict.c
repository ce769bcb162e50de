/*
 * syscage strict: run a compute program in seccomp strict mode.
 *
 *   find the command; refuse what strict mode cannot host (static, scripts,
 *   set-id programs); compile the start-up filter
 *   fork ─▶ child: close every fd but 0-2 and --fd; CPU limit (--time);
 *           no_new_privs; Landlock: read and execute only what a dynamic
 *           program needs to start, no TCP, no signals out;
 *           the start-up filter (what ld.so, libc and the preload do);
 *           LD_PRELOAD=libsyscage-strict.so (and no other loader
 *           variables), which reserves the heap (--memory), prepares stdio,
 *           enters strict mode before the program's initializers and
 *           main, and exits with exit(2)
 *   wait ─▶ the program's status; when it was killed, what can be known
 *
 * Code of the program that runs before strict mode (its own _start, a
 * .preinit_array, a library's constructor) is held by the start-up filter
 * and Landlock: it can read the system's libraries and write to the
 * descriptors it was given, no more.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "landlock.h"

#define MAX_FDS 64

static const char usage_text[] =
	"usage: syscage strict [--memory SIZE] [--time SECONDS] [--fd N]... [--] COMMAND [ARG...]\n\n"
	"Runs COMMAND (an ordinary dynamically linked program) in seccomp strict mode\n"
	"from before its initializers and main on: read, write, exit and sigreturn on\n"
	"stdin, stdout, stderr and the --fd descriptors, nothing else. Dynamic linking,\n"
	"the heap and stdio are set up before; exit and returning from main flush stdio.\n\n"
	"  --memory SIZE    the heap, reserved before (default 256M; K, M, G suffixes)\n"
	"  --time SECONDS   CPU time limit\n"
	"  --fd N           keep descriptor N open as well\n"
	"  --no-landlock    confine the start-up with its filter alone (kernels without\n"
	"                   Landlock); it can then read any file the user can\n\n"
	"Exit status: the program's; 128+N when signal N ended it (159: a forbidden\n"
	"syscall; 152: the --time limit); 125 when syscage failed; 126, 127 as env(1).\n";

/* What the dynamic loader, glibc's start-up and libsyscage-strict.so do
 * before strict mode; everything else kills. */
static const char startup_policy[] =
	"default kill\n"
	"errno EACCES openat if flags & O_ACCMODE != O_RDONLY\n"
	/* glibc reads RLIMIT_STACK; no other limit (--time's) may be touched */
	"errno EPERM prlimit64 if resource != RLIMIT_STACK\n"
	"allow @startup\n"
	"allow execve, write, exit, rt_sigreturn, lseek, getpid\n"
	"allow ioctl if cmd == TCGETS\n"		/* isatty for stdout's buffering */
	"allow sysinfo\n"				/* qsort's memory size, asked once */
	"allow prctl if option in (PR_SET_TSC, PR_SET_NO_NEW_PRIVS)\n"
	"allow seccomp if op == SECCOMP_SET_MODE_FILTER && flags == 0\n";

/* What a dynamically linked program reads to start, for Landlock. The
 * program and the preload are added. */
static const char *const startup_paths[] = {
	"/usr", "/lib", "/lib64", "/lib32", "/libx32", "/etc/ld.so.cache", "/etc/ld.so.preload",
	"/etc/localtime",
};

struct strict_options {
	size_t memory;
	unsigned long seconds;
	int fds[MAX_FDS];
	size_t nfds;
	bool no_landlock;
	char **argv;
};

static bool parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	unsigned shift = 0;

	if (end == s)
		return false;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || v == 0 || v > (SIZE_MAX >> shift) || (v << shift) < 4096)
		return false;
	*out = (size_t)(v << shift);
	return true;
}

static int parse_options(int argc, char **argv, struct strict_options *o)
{
	static const struct option options[] = {
		{ "memory", required_argument, NULL, 'm' }, { "time", required_argument, NULL, 't' },
		{ "fd", required_argument, NULL, 'f' },	    { "help", no_argument, NULL, 'h' },
		{ "no-landlock", no_argument, NULL, 'L' },  { 0 },
	};
	char *end;
	long fd;
	int c;

	o->memory = 256UL << 20;
	while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (!parse_size(optarg, &o->memory))
				return cli_error("strict: --memory takes a size such as 64M, not '%s'", optarg);
			break;
		case 't':
			o->seconds = strtoul(optarg, &end, 10);
			if (*end || end == optarg || o->seconds == 0)
				return cli_error("strict: --time takes whole seconds, not '%s'", optarg);
			break;
		case 'f':
			fd = strtol(optarg, &end, 10);
			if (*end || end == optarg || fd < 0 || fd > INT_MAX || fcntl((int)fd, F_GETFD) < 0)
				return cli_error("strict: --fd %s: no such open file descriptor", optarg);
			if (o->nfds == MAX_FDS)
				return cli_error("strict: at most %d --fd", MAX_FDS);
			o->fds[o->nfds++] = (int)fd;
			break;
		case 'L': o->no_landlock = true; break;
		case 'h': fputs(usage_text, stdout); exit(0);
		default: fputs(usage_text, stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return cli_error("strict: which command? for example: syscage strict -- ./worker < job");
	o->argv = argv + optind;
	return 0;
}

/* Strict mode needs the preload: a dynamically linked ELF program. */
static int check_program(const char *path)
{
	Elf64_Ehdr eh;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool dynamic = false;

	if (fd < 0)
		return cli_error("strict: %s: %s", path, strerror(errno));
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64) {
		close(fd);
		return cli_error("strict: %s is not a 64-bit ELF program; strict mode runs compiled "
				 "programs (a script's interpreter needs more syscalls than strict mode "
				 "has)", path);
	}
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + (uint64_t)i * eh.e_phentsize)) !=
		    sizeof(ph))
			break;
		dynamic |= ph.p_type == PT_INTERP;
	}
	close(fd);
	if (!dynamic)
		return cli_error("strict: %s is statically linked: syscage sets up the heap, stdio and "
				 "exit for strict mode through the dynamic linker; link it dynamically, "
				 "or call syscage_strict_enter() from the program itself", path);
	struct stat st;
	if (stat(path, &st) == 0 && (st.st_mode & (S_ISUID | S_ISGID)))
		return cli_error("strict: %s is set-user-ID or set-group-ID: strict mode runs it "
				 "without that privilege anyway; copy it without the bit", path);
	return 0;
}

/* libsyscage-strict.so next to this binary, or where SYSCAGE_STRICT_LIB says. */
static char *preload_path(void)
{
	const char *env = getenv("SYSCAGE_STRICT_LIB");
	char self[PATH_MAX], *slash, *path;
	ssize_t n;

	if (env)
		return strdup(env);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return NULL;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	for (int i = 0; i < 2; i++) {
		if (asprintf(&path, i ? "%s/../lib/syscage/libsyscage-strict.so" : "%s/libsyscage-strict.so",
			     self) < 0)
			return NULL;
		if (access(path, R_OK) == 0)
			return path;
		free(path);
	}
	return NULL;
}

static int compare_ints(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static __attribute__((noreturn)) void child_fail(const char *what, int err)
{
	fprintf(stderr, "syscage: strict: %s: %s; the program was not started\n", what,
		strerror(err));
	_exit(EXIT_USAGE);
}

static __attribute__((noreturn)) void child(struct strict_options *o, const char *path,
					    const char *lib, const struct syscage_program *startup,
					    bool no_landlock)
{
	unsigned first = 3;
	char memory[32], *preload;
	const char *old = getenv("LD_PRELOAD");

	qsort(o->fds, o->nfds, sizeof(o->fds[0]), compare_ints);
	for (size_t i = 0; i < o->nfds; i++) {
		unsigned fd = (unsigned)o->fds[i];

		if (fd < 3)
			continue;
		if (fd > first)
			syscall(SYS_close_range, first, fd - 1, 0);
		fcntl((int)fd, F_SETFD, 0);
		first = fd + 1;
	}
	syscall(SYS_close_range, first, ~0u, 0);
	if (o->seconds) {
		/* SIGXCPU at the limit; SIGKILL a second later if it is caught. */
		struct rlimit cpu = { o->seconds, o->seconds + 1 };

		if (setrlimit(RLIMIT_CPU, &cpu) < 0)
			_exit(EXIT_USAGE);
	}
	snprintf(memory, sizeof(memory), "%zu", o->memory);
	if (asprintf(&preload, "%s%s%s", lib, old && *old ? ":" : "", old ? old : "") < 0)
		_exit(EXIT_USAGE);
	setenv("SYSCAGE_STRICT_MEMORY", memory, 1);
	/* Our library alone: another preload, an audit library or a library
	 * path would run code of someone's choosing before strict mode. */
	(void)old;
	setenv("LD_PRELOAD", lib, 1);
	unsetenv("LD_AUDIT");
	unsetenv("LD_LIBRARY_PATH");
	free(preload);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		child_fail("no_new_privs", errno);
	if (!no_landlock) {
		const char *paths[sizeof(startup_paths) / sizeof(startup_paths[0]) + 3];
		size_t n = 0;

		for (size_t i = 0; i < sizeof(startup_paths) / sizeof(startup_paths[0]); i++)
			paths[n++] = startup_paths[i];
		paths[n++] = path;
		paths[n++] = lib;
		paths[n] = NULL;
		int err = landlock_restrict_to_reading(paths);
		if (err < 0)
			child_fail(err == -EOPNOTSUPP ? "this kernel has no Landlock (--no-landlock runs "
							"the start-up without it)"
						      : "Landlock",
				   -err);
	}
	/* Last: the filter holds the program's start-up until the preload
	 * enters strict mode. */
	int err = syscage_program_load(startup, 0);
	if (err < 0)
		child_fail("the start-up filter", -err);
	execv(path, o->argv);
	_exit(errno == ENOENT ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE);
}

static double seconds(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

/* What can be known about how the program ended. */
static int report(const struct strict_options *o, int status, const struct rusage *ru, double wall)
{
	double cpu = seconds(&ru->ru_utime) + seconds(&ru->ru_stime);
	int sig;

	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	sig = WTERMSIG(status);
	if (sig == SIGXCPU || (sig == SIGKILL && o->seconds && cpu >= (double)o->seconds)) {
		fprintf(stderr, "syscage: %s reached its CPU time limit (--time %lu s) after %.2f s of "
				"CPU, %.2f s in all\n", o->argv[0], o->seconds, cpu, wall);
	} else if (sig == SIGSYS) {
		fprintf(stderr,
			"syscage: %s was killed (SIGSYS) after %.2f s of CPU: a syscall other than "
			"read, write, exit and sigreturn (or, before strict mode, one its start-up may "
			"not make). Strict mode does not say which; to find it, run it with "
			"'syscage run -p examples/strict-find.policy -- %s ...', which reports every "
			"such call and lets it through\n",
			o->argv[0], cpu, o->argv[0]);
	} else if (sig == SIGSEGV) {
		fprintf(stderr, "syscage: %s crashed (SIGSEGV) after %.2f s of CPU; in strict mode, "
				"rdtsc and the vDSO clock (clock_gettime, time) fault too\n",
			o->argv[0], cpu);
	} else {
		fprintf(stderr, "syscage: %s ended by signal %d (%s) after %.2f s of CPU\n", o->argv[0],
			sig, strsignal(sig), cpu);
	}
	return 128 + sig;
}

static struct syscage_program *compile_startup(void)
{
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_policy *policy = NULL;
	struct syscage_program *prog = NULL;
	int err = diags ? syscage_policy_parse("<syscage strict start-up>", startup_policy,
					       sizeof(startup_policy) - 1, NULL, diags, &policy)
			: -ENOMEM;

	if (!err)
		err = syscage_compile(policy, diags, &prog);
	if (err) {
		if (diags)
			cli_print_diagnostics(diags);
		cli_error("strict: cannot compile the start-up filter (a bug in syscage)");
	}
	syscage_policy_free(policy);
	syscage_diagnostics_free(diags);
	return err ? NULL : prog;
}

int cmd_strict(int argc, char **argv)
{
	struct strict_options o = { 0 };
	char *path = NULL, *lib = NULL;
	struct timespec t0, t1;
	struct rusage ru;
	int status = parse_options(argc, argv, &o);
	pid_t pid;

	if (status)
		return status;
	status = cli_find_command("strict", o.argv[0], &path);
	if (status)
		return status;
	if (check_program(path)) {
		free(path);
		return EXIT_USAGE;
	}
	lib = preload_path();
	if (!lib) {
		free(path);
		return cli_error("strict: cannot find libsyscage-strict.so next to the syscage binary; "
				 "set SYSCAGE_STRICT_LIB to its path");
	}
	struct syscage_program *startup = compile_startup();
	if (!startup) {
		free(path);
		free(lib);
		return EXIT_USAGE;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		free(path);
		free(lib);
		return cli_error("strict: fork: %s", strerror(errno));
	}
	if (pid == 0)
		child(&o, path, lib, startup, o.no_landlock);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			free(path);
			free(lib);
			return cli_error("strict: wait: %s", strerror(errno));
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	syscage_program_free(startup);
	free(path);
	free(lib);
	return report(&o, status, &ru,
		      (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
}
