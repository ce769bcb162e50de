/*
 * probe: the program tests/cli/run.sh starts under policies. It does one
 * thing, named by its first argument, and prints what happened as
 * machine-readable lines on stdout ("result=-1 errno=EACCES"). It exits 0
 * whenever the call returned, whatever it returned, so that a test tells a
 * call refused with an errno (exit 0, errno=...) from a process killed by
 * the policy (exit 128+N).
 *
 *   probe syscall NR [A0..A5]     syscall(NR, ...)
 *   probe open PATH FLAGS         openat(AT_FDCWD, PATH, FLAGS, 0666); FLAGS as
 *                                 O_WRONLY|O_CREAT or a number
 *   probe int80 NR [A0..A4]       the i386 entry (int $0x80) from 64-bit code
 *   probe x32 NR [A0..A5]         syscall(0x40000000 | NR, ...)
 *   probe exec PATH [ARG...]      execve(PATH, [PATH, ARG...], environ)
 *   probe fork-call NR [A..]      a forked child makes the call; the parent
 *                                 prints "child=exited:N" or "child=signaled:N"
 *   probe thread-call NR [A..]    a second thread makes the call; "joined" after
 *   probe stack-filter NR [A..]   installs an allow-all filter of its own
 *                                 ("filter=0"), then makes the call
 *   probe stack-errno E NR [A..]  installs a filter of its own that fails NR
 *                                 with errno E (a number) and allows the rest,
 *                                 then makes the call
 *   probe orphan-call MS NR [A..] forks and exits 0 at once; the orphan waits MS
 *                                 milliseconds, then makes the call
 *   probe listener                seccomp(SET_MODE_FILTER, NEW_LISTENER, allow-all)
 *   probe io_uring                io_uring_setup(1, &params)
 *   probe ptrace                  ptrace(PTRACE_TRACEME)
 *   probe vm-writev               process_vm_writev on itself
 *   probe unshare-user            unshare(CLONE_NEWUSER)
 *   probe tiocsti [FD]            ioctl(FD (0), TIOCSTI | 1 << 32, &c)
 *   probe loop N NR [A..]         N calls: "calls=N ok=K failed=F errno=E"
 *   probe marker PATH             creates PATH (proves the command ran)
 *   probe sleep S                 prints "pid=P", sleeps S seconds, "slept"
 *   probe write-stdout            writes "hello" to stdout
 *   probe trap-handler NR [A..]   a SIGSYS handler that emulates the call
 *                                 (returns 4242): "trapped=1 nr=NR result=R"
 *   probe exit N                  exits with N
 *   probe raise SIG               kills itself with signal SIG (a number)
 *   probe fds                     "fds=0,1,2,..." from /proc/self/fd
 *   probe env                     "env=NAME=VALUE" for each variable
 *
 * Buffers passed to refused calls live in a page at a fixed address below
 * 4 GiB, so that reports which show pointers are the same on every run (and
 * the i386 entry can reach them). Output goes out with one write() a line:
 * no stdio buffer to lose when the process is killed, none to copy in fork.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/io_uring.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define FIXED_PAGE 0x70000000UL
#define FIXED_SIZE 8192UL
#define X32_BIT	   0x40000000UL

extern char **environ;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	(void)!write(1, buf, (size_t)n);
}

static __attribute__((noreturn)) void usage(const char *why)
{
	fprintf(stderr, "probe: %s (see the comment at the top of tests/run/probe.c)\n", why);
	exit(2);
}

static const char *errno_name(int e)
{
	static char num[16];
	const char *name = e ? strerrorname_np(e) : "0";

	if (name)
		return name;
	snprintf(num, sizeof(num), "%d", e);
	return num;
}

static void say_result(long ret, int err)
{
	say("result=%ld errno=%s", ret, errno_name(ret < 0 ? err : 0));
}

static unsigned long number(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = *s == '-' ? (unsigned long)strtol(s, &end, 0) : strtoul(s, &end, 0);
	if (errno || *end || end == s)
		usage("not a number");
	return v;
}

/* NR and up to six arguments from argv. */
struct call {
	unsigned long nr, a[6];
};

static struct call parse_call(int argc, char **argv)
{
	struct call c = {0};

	if (argc < 1)
		usage("which syscall number?");
	if (argc > 7)
		usage("at most six arguments");
	c.nr = number(argv[0]);
	for (int i = 1; i < argc; i++)
		c.a[i - 1] = number(argv[i]);
	return c;
}

static long do_call(const struct call *c)
{
	return syscall((long)c->nr, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4], c->a[5]);
}

static void call_and_say(const struct call *c)
{
	long ret = do_call(c);

	say_result(ret, errno);
}

static char *fixed_page(void)
{
	void *p = mmap((void *)FIXED_PAGE, FIXED_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != (void *)FIXED_PAGE) {
		fprintf(stderr, "probe: cannot map the page at %#lx: %s\n", FIXED_PAGE,
			strerror(errno));
		exit(2);
	}
	return p;
}

static int open_flags(const char *s)
{
	static const struct {
		const char *name;
		int value;
	} names[] = {
	    {"O_RDONLY", O_RDONLY},	  {"O_WRONLY", O_WRONLY},   {"O_RDWR", O_RDWR},
	    {"O_CREAT", O_CREAT},	  {"O_EXCL", O_EXCL},	    {"O_TRUNC", O_TRUNC},
	    {"O_APPEND", O_APPEND},	  {"O_CLOEXEC", O_CLOEXEC}, {"O_NOFOLLOW", O_NOFOLLOW},
	    {"O_DIRECTORY", O_DIRECTORY},
	};
	int flags = 0;

	while (*s) {
		size_t len = strcspn(s, "|");
		size_t i;

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			if (strlen(names[i].name) == len && strncmp(names[i].name, s, len) == 0) {
				flags |= names[i].value;
				break;
			}
		}
		if (i == sizeof(names) / sizeof(names[0])) {
			char part[64];

			snprintf(part, sizeof(part), "%.*s", (int)len, s);
			flags |= (int)number(part);
		}
		s += len;
		if (*s == '|')
			s++;
	}
	return flags;
}

/* ---- the actions ----------------------------------------------------------- */

static int act_open(int argc, char **argv)
{
	if (argc != 2)
		usage("open PATH FLAGS");
	long ret = syscall(SYS_openat, AT_FDCWD, argv[0], open_flags(argv[1]), 0666);
	say_result(ret, errno);
	return 0;
}

/* The 32-bit entry: eax = NR, ebx, ecx, edx, esi, edi the arguments. Only
 * the low halves of the registers count; pointers must be below 4 GiB. */
static int act_int80(int argc, char **argv)
{
	struct call c = parse_call(argc, argv);
	long ret;

	if (argc > 6)
		usage("int80 takes at most five arguments");
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(c.nr), "b"(c.a[0]), "c"(c.a[1]), "d"(c.a[2]), "S"(c.a[3]),
			   "D"(c.a[4])
			 : "memory", "r8", "r9", "r10", "r11", "cc");
	ret = (int)ret; /* eax, sign-extended */
	if (ret < 0 && ret > -4096)
		say("result=-1 errno=%s", errno_name((int)-ret));
	else
		say("result=%ld errno=0", ret);
	return 0;
}

static int act_x32(int argc, char **argv)
{
	struct call c = parse_call(argc, argv);

	c.nr |= X32_BIT;
	call_and_say(&c);
	return 0;
}

static int act_exec(int argc, char **argv)
{
	char *page = fixed_page();
	char **args = (char **)page, **env = (char **)(page + 0x100);
	size_t n = 0;

	if (argc < 1 || argc > 30)
		usage("exec PATH [ARG...]");
	for (int i = 0; i < argc; i++)
		args[i] = argv[i];
	args[argc] = NULL;
	for (char **e = environ; *e && n < 500; e++)
		env[n++] = *e;
	env[n] = NULL;
	long ret = syscall(SYS_execve, argv[0], args, env);
	say_result(ret, errno);
	return 0;
}

static int act_fork_call(int argc, char **argv)
{
	struct call c = parse_call(argc, argv);
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		say("fork=-1 errno=%s", errno_name(errno));
		return 1;
	}
	if (pid == 0) {
		call_and_say(&c);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0) {
		say("waitpid=-1 errno=%s", errno_name(errno));
		return 1;
	}
	if (WIFEXITED(status))
		say("child=exited:%d", WEXITSTATUS(status));
	else
		say("child=signaled:%d", WTERMSIG(status));
	return 0;
}

static void *thread_main(void *arg)
{
	call_and_say(arg);
	return NULL;
}

static int act_thread_call(int argc, char **argv)
{
	struct call c = parse_call(argc, argv);
	pthread_t t;
	int err = pthread_create(&t, NULL, thread_main, &c);

	if (err) {
		say("pthread_create=-1 errno=%s", errno_name(err));
		return 1;
	}
	pthread_join(t, NULL);
	say("joined");
	return 0;
}

/* An allow-all filter; its struct sock_fprog in the fixed page. */
static struct sock_fprog *allow_all(void)
{
	static struct sock_filter insns[] = {
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog *prog = (struct sock_fprog *)(fixed_page() + 0x1000);

	prog->len = 1;
	prog->filter = insns;
	return prog;
}

static int act_stack_filter(int argc, char **argv)
{
	struct call c = parse_call(argc, argv);
	struct sock_fprog *prog = allow_all();
	long ret;

	/* syscage run has set it; without syscage it is needed. */
	ret = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (ret == 0)
		ret = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog);
	say("filter=%ld errno=%s", ret, errno_name(ret < 0 ? errno : 0));
	call_and_say(&c);
	return 0;
}

static int act_stack_errno(int argc, char **argv)
{
	struct call c;
	struct sock_filter insns[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog *prog = allow_all();
	unsigned long flags = 0;
	long ret;

	/* flags=N: seccomp's flags for the load (0 otherwise). */
	if (argc > 0 && strncmp(argv[0], "flags=", 6) == 0) {
		flags = (unsigned long)number(argv[0] + 6);
		argc--, argv++;
	}
	if (argc < 2)
		usage("stack-errno [flags=N] ERRNO NR [A0..]");
	insns[2].k |= (unsigned)number(argv[0]) & SECCOMP_RET_DATA;
	c = parse_call(argc - 1, argv + 1);
	insns[1].k = (unsigned)c.nr;
	prog->len = sizeof(insns) / sizeof(insns[0]);
	prog->filter = insns;
	ret = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (ret == 0)
		ret = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, prog);
	say("filter=%ld errno=%s", ret, errno_name(ret < 0 ? errno : 0));
	call_and_say(&c);
	return 0;
}

static int act_orphan_call(int argc, char **argv)
{
	struct timespec ts;
	unsigned long ms;
	struct call c;
	pid_t pid;

	if (argc < 2)
		usage("orphan-call MS NR [A0..]");
	ms = number(argv[0]);
	c = parse_call(argc - 1, argv + 1);
	pid = fork();
	if (pid < 0) {
		say("fork=-1 errno=%s", errno_name(errno));
		return 1;
	}
	if (pid > 0) {
		say("orphan=%d", (int)pid);
		return 0;
	}
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	call_and_say(&c);
	_exit(0);
}

static int act_listener(int argc, char **argv)
{
	struct sock_fprog *prog = allow_all();
	long ret;

	(void)argv;
	if (argc)
		usage("listener takes no arguments");
	ret = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (ret == 0)
		ret = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			      SECCOMP_FILTER_FLAG_NEW_LISTENER, prog);
	say_result(ret, errno);
	return 0;
}

static int act_io_uring(int argc, char **argv)
{
	struct io_uring_params *params = (struct io_uring_params *)(fixed_page() + 0x200);

	(void)argv;
	if (argc)
		usage("io_uring takes no arguments");
	memset(params, 0, sizeof(*params));
	call_and_say(&(struct call){.nr = SYS_io_uring_setup, .a = {1, (unsigned long)params}});
	return 0;
}

static int act_ptrace(int argc, char **argv)
{
	(void)argv;
	if (argc)
		usage("ptrace takes no arguments");
	call_and_say(&(struct call){.nr = SYS_ptrace, .a = {PTRACE_TRACEME}});
	return 0;
}

/* Copies "written" over "original" in its own memory, by process_vm_writev. */
static int act_vm_writev(int argc, char **argv)
{
	char *page = fixed_page();
	struct iovec *local = (struct iovec *)(page + 0x300);
	struct iovec *remote = (struct iovec *)(page + 0x320);
	char *src = page + 0x400, *dst = page + 0x500;

	(void)argv;
	if (argc)
		usage("vm-writev takes no arguments");
	strcpy(src, "written");
	strcpy(dst, "original");
	*local = (struct iovec){src, 8};
	*remote = (struct iovec){dst, 8};
	call_and_say(&(struct call){
	    .nr = SYS_process_vm_writev,
	    .a = {(unsigned long)getpid(), (unsigned long)local, 1, (unsigned long)remote, 1, 0}});
	say("memory=%s", dst);
	return 0;
}

/* Every way a process of run's user could reach run, the supervisor: one
 * line each, "ok" or the errno. */
static int act_reach_parent(int argc, char **argv)
{
	pid_t parent = getppid();
	char path[64], byte;
	struct iovec local = {&byte, 1}, remote = {&byte, 1};
	int fd, pidfd = (int)syscall(SYS_pidfd_open, parent, 0);

	(void)argv;
	if (argc)
		usage("reach-parent takes no arguments");
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)parent);
	fd = open(path, O_RDWR);
	say("mem=%s", fd >= 0 ? "ok" : errno_name(errno));
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)parent);
	fd = open(path, O_RDONLY);
	say("exe=%s", fd >= 0 ? "ok" : errno_name(errno));
	say("vm-readv=%s", process_vm_readv(parent, &local, 1, &remote, 1, 0) >= 0 ? "ok" : errno_name(errno));
	say("getfd=%s", pidfd >= 0 && syscall(SYS_pidfd_getfd, pidfd, 0, 0) >= 0 ? "ok" : errno_name(errno));
	say("signal=%s", kill(parent, 0) == 0 ? "ok" : errno_name(errno));
	/* SEIZE stops nothing; the probe's exit detaches. */
	say("ptrace=%s", ptrace(PTRACE_SEIZE, parent, 0, 0) == 0 ? "ok" : errno_name(errno));
	return 0;
}

/* prlimit64(parent, RLIMIT_NOFILE, {0, 0}, NULL): run's descriptors gone. */
static int act_prlimit_parent(int argc, char **argv)
{
	unsigned long *limit = (unsigned long *)fixed_page();

	(void)argv;
	if (argc)
		usage("prlimit-parent takes no arguments");
	limit[0] = limit[1] = 0;
	call_and_say(&(struct call){
	    .nr = SYS_prlimit64, .a = {(unsigned long)getppid(), 7 /* RLIMIT_NOFILE */, (unsigned long)limit, 0}});
	return 0;
}

/* perf_event_open of a software event on the parent, run. */
static int act_perf_parent(int argc, char **argv)
{
	/* struct perf_event_attr: type PERF_TYPE_SOFTWARE (1), size, config 0. */
	uint32_t *attr = (uint32_t *)fixed_page();

	(void)argv;
	if (argc)
		usage("perf-parent takes no arguments");
	memset(attr, 0, 128);
	attr[0] = 1;
	attr[1] = 128;
	call_and_say(&(struct call){
	    .nr = SYS_perf_event_open, .a = {(unsigned long)attr, (unsigned long)getppid(), (unsigned long)-1, (unsigned long)-1, 0}});
	return 0;
}

/* shutdown(2, SHUT_WR) on a socket stderr, then one call: a report run
 * writes to it must not end run (SIGPIPE). */
static int act_shut_stderr(int argc, char **argv)
{
	struct call c = parse_call(argc, argv);

	say("shutdown=%d", shutdown(2, SHUT_WR));
	call_and_say(&c);
	return 0;
}

static int act_unshare_user(int argc, char **argv)
{
	(void)argv;
	if (argc)
		usage("unshare-user takes no arguments");
	call_and_say(&(struct call){.nr = SYS_unshare, .a = {CLONE_NEWUSER}});
	return 0;
}

/* TIOCSTI with garbage in the upper half of the 64-bit register: the kernel
 * takes cmd as an unsigned int, so this is TIOCSTI to it. */
static int act_tiocsti(int argc, char **argv)
{
	char *c = fixed_page() + 0x600;
	unsigned long fd = argc > 0 ? number(argv[0]) : 0;

	if (argc > 1)
		usage("tiocsti [FD]");
	*c = '#';
	call_and_say(
	    &(struct call){.nr = SYS_ioctl, .a = {fd, TIOCSTI | 1UL << 32, (unsigned long)c}});
	return 0;
}

static int act_loop(int argc, char **argv)
{
	unsigned long n, ok = 0, failed = 0;
	int last = 0;
	bool mixed = false;
	struct call c;

	if (argc < 2)
		usage("loop N NR [A0..]");
	n = number(argv[0]);
	c = parse_call(argc - 1, argv + 1);
	for (unsigned long i = 0; i < n; i++) {
		if (do_call(&c) >= 0) {
			ok++;
			continue;
		}
		if (failed && errno != last)
			mixed = true;
		last = errno;
		failed++;
	}
	say("calls=%lu ok=%lu failed=%lu errno=%s", n, ok, failed,
	    mixed ? "mixed" : errno_name(last));
	return 0;
}

static int act_marker(int argc, char **argv)
{
	if (argc != 1)
		usage("marker PATH");
	long ret = syscall(SYS_openat, AT_FDCWD, argv[0], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	say_result(ret, errno);
	return 0;
}

static int act_sleep(int argc, char **argv)
{
	struct timespec ts = {0};

	if (argc != 1)
		usage("sleep SECONDS");
	ts.tv_sec = (time_t)number(argv[0]);
	say("pid=%d", (int)getpid());
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	say("slept");
	return 0;
}

static int act_write_stdout(int argc, char **argv)
{
	(void)argv;
	if (argc)
		usage("write-stdout takes no arguments");
	long ret = write(1, "hello\n", 6);
	say_result(ret, errno);
	return 0;
}

static volatile sig_atomic_t trapped;
static volatile long trapped_nr;

static void on_sigsys(int sig, siginfo_t *info, void *context)
{
	ucontext_t *uc = context;

	(void)sig;
	trapped = 1;
	trapped_nr = info->si_syscall;
	uc->uc_mcontext.gregs[REG_RAX] = 4242; /* the emulated call's result */
}

static int act_trap_handler(int argc, char **argv)
{
	struct call c = parse_call(argc, argv);
	struct sigaction sa = {0};
	long ret;

	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) < 0) {
		say("sigaction=-1 errno=%s", errno_name(errno));
		return 1;
	}
	ret = do_call(&c);
	say("trapped=%d nr=%ld result=%ld", (int)trapped, trapped ? (long)trapped_nr : -1L, ret);
	return 0;
}

static int act_exit(int argc, char **argv)
{
	if (argc != 1)
		usage("exit N");
	_exit((int)number(argv[0]));
}

static int act_raise(int argc, char **argv)
{
	int sig;

	if (argc != 1)
		usage("raise SIGNAL-NUMBER");
	sig = (int)number(argv[0]);
	signal(sig, SIG_DFL);
	kill(getpid(), sig);
	say("still-alive");
	return 1;
}

static int act_fds(int argc, char **argv)
{
	char list[2048] = "";
	size_t len = 0;
	struct dirent *de;
	DIR *dir;
	int fds[256], n = 0;

	(void)argv;
	if (argc)
		usage("fds takes no arguments");
	dir = opendir("/proc/self/fd");
	if (!dir) {
		say("opendir=-1 errno=%s", errno_name(errno));
		return 1;
	}
	while ((de = readdir(dir)) && n < 256) {
		if (de->d_name[0] == '.' || atoi(de->d_name) == dirfd(dir))
			continue;
		fds[n++] = atoi(de->d_name);
	}
	closedir(dir);
	/* readdir's order is the kernel's; sort for a stable line. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && fds[j - 1] > fds[j]; j--) {
			int t = fds[j];

			fds[j] = fds[j - 1];
			fds[j - 1] = t;
		}
	for (int i = 0; i < n && len < sizeof(list) - 16; i++)
		len +=
		    (size_t)snprintf(list + len, sizeof(list) - len, "%s%d", i ? "," : "", fds[i]);
	say("fds=%s", list);
	return 0;
}

static int act_env(int argc, char **argv)
{
	(void)argv;
	if (argc)
		usage("env takes no arguments");
	for (char **e = environ; *e; e++)
		say("env=%s", *e);
	say("env-end");
	return 0;
}

static int act_syscall(int argc, char **argv)
{
	struct call c = parse_call(argc, argv);

	call_and_say(&c);
	return 0;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} actions[] = {
    {"syscall", act_syscall},
    {"open", act_open},
    {"int80", act_int80},
    {"x32", act_x32},
    {"exec", act_exec},
    {"fork-call", act_fork_call},
    {"thread-call", act_thread_call},
    {"stack-filter", act_stack_filter},
    {"stack-errno", act_stack_errno},
    {"orphan-call", act_orphan_call},
    {"listener", act_listener},
    {"io_uring", act_io_uring},
    {"ptrace", act_ptrace},
    {"vm-writev", act_vm_writev},
    {"reach-parent", act_reach_parent},
    {"prlimit-parent", act_prlimit_parent},
    {"perf-parent", act_perf_parent},
    {"shut-stderr", act_shut_stderr},
    {"unshare-user", act_unshare_user},
    {"tiocsti", act_tiocsti},
    {"loop", act_loop},
    {"marker", act_marker},
    {"sleep", act_sleep},
    {"write-stdout", act_write_stdout},
    {"trap-handler", act_trap_handler},
    {"exit", act_exit},
    {"raise", act_raise},
    {"fds", act_fds},
    {"env", act_env},
};

int main(int argc, char **argv)
{
	if (argc < 2)
		usage("which action?");
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(argv[1], actions[i].name) == 0)
			return actions[i].run(argc - 2, argv + 2);
	usage("unknown action");
}
