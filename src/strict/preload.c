/*
 * libsyscage-strict.so: preloaded by `syscage strict` into an ordinary
 * dynamically linked program, so that it runs in seccomp strict mode
 * (read, write, exit and sigreturn only) from before its own initializers
 * and main on.
 *
 * What must happen before strict mode is done here, while other syscalls
 * still work:
 * - the heap: malloc and friends are served from one arena, reserved at the
 *   first allocation (the size comes from SYSCAGE_STRICT_MEMORY) and never
 *   grown: strict mode forbids mmap and brk;
 * - stdio: stdin and stdout get their buffers now, so glibc never needs the
 *   fstat it calls before the first read or write of a stream;
 * - exit: glibc ends a process with exit_group, which strict mode forbids,
 *   so the last exit handler flushes stdio and calls exit;
 * - pthread_once, which C++ uses for its one-time set-ups, without the
 *   futex wake glibc's makes.
 *
 * Then __libc_start_main, which runs the program's initializers and main,
 * is entered in strict mode. Anything else ends the process with SIGKILL;
 * `syscage strict` reports it.
 */
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "arena_malloc.h"

#define EXPORT __attribute__((visibility("default")))
#define DEFAULT_MEMORY (256UL << 20)

typedef int (*main_fn)(int, char **, char **);

int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void), void (*fini)(void),
		      void (*rtld_fini)(void), void *stack_end);
typedef int (*start_fn)(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void),
			void *);

static size_t memory_limit;

/* Raw: no stdio, no malloc (either may be what failed). */
static void say(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		(void)!write(STDERR_FILENO, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* Before strict mode exit_group still works; after, only exit does. */
static __attribute__((noreturn)) void die(int status)
{
	syscall(SYS_exit_group, status);
	syscall(SYS_exit, status);
	for (;;)
		;
}

static void out_of_memory(size_t n)
{
	say("syscage strict: out of memory: a request for %zu bytes does not fit in the %zu "
	    "bytes of --memory (%zu in use)\n",
	    n, memory_limit, arena_used());
}

static void arena_setup(void)
{
	const char *env = getenv("SYSCAGE_STRICT_MEMORY");
	void *memory;

	memory_limit = env ? strtoul(env, NULL, 10) : DEFAULT_MEMORY;
	if (!memory_limit)
		memory_limit = DEFAULT_MEMORY;
	/* Reserved now, faulted in as used: touching memory is no syscall. */
	memory = mmap(NULL, memory_limit, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		      -1, 0);
	if (memory == MAP_FAILED) {
		say("syscage strict: cannot reserve %zu bytes for the heap: %s\n", memory_limit,
		    strerror(errno));
		die(125);
	}
	arena_malloc_init(memory, memory_limit, out_of_memory);
}

static bool arena_ready;

static void ensure_arena(void)
{
	if (!arena_ready) {
		arena_ready = true;
		arena_setup();
	}
}

/* ---- the malloc family ---------------------------------------------------------- */

EXPORT void *malloc(size_t n)
{
	ensure_arena();
	return arena_malloc(n);
}

EXPORT void free(void *p)
{
	/* Memory the dynamic linker allocated before this library was in
	 * place is not ours to take back. */
	if (arena_owns(p))
		arena_free(p);
}

EXPORT void *calloc(size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	ensure_arena();
	p = arena_malloc(count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

EXPORT void *realloc(void *p, size_t n)
{
	ensure_arena();
	if (p && !arena_owns(p)) {
		/* Not ours: we cannot know its size; a fresh copy is not safe. */
		errno = ENOMEM;
		return NULL;
	}
	if (p && n == 0) {
		arena_free(p);
		return NULL;
	}
	return arena_realloc(p, n);
}

EXPORT void *reallocarray(void *p, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, count * size);
}

EXPORT int posix_memalign(void **out, size_t align, size_t n)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	ensure_arena();
	p = arena_memalign(align, n);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

EXPORT void *aligned_alloc(size_t align, size_t n)
{
	ensure_arena();
	return arena_memalign(align, n);
}

EXPORT void *memalign(size_t align, size_t n)
{
	ensure_arena();
	return arena_memalign(align, n);
}

EXPORT void *valloc(size_t n)
{
	ensure_arena();
	return arena_memalign(4096, n);
}

EXPORT void *pvalloc(size_t n)
{
	if (n > SIZE_MAX - 4095) {
		errno = ENOMEM;
		return NULL;
	}
	ensure_arena();
	return arena_memalign(4096, (n + 4095) & ~(size_t)4095);
}

EXPORT size_t malloc_usable_size(void *p)
{
	return arena_owns(p) ? arena_usable_size(p) : 0;
}

/* ---- once ----------------------------------------------------------------------- */

/*
 * glibc's pthread_once wakes possible waiters with futex after the init
 * function ran, waiters or not, and futex is no strict-mode syscall. With
 * one thread (strict mode allows no other) there is never a waiter. C++ runs
 * its one-time initializations (locales, iostreams) through it. The state
 * word keeps glibc's meaning: bit 1 set when done.
 */
#define ONCE_DONE 2

EXPORT int pthread_once(pthread_once_t *once, void (*init)(void))
{
	if (__atomic_load_n(once, __ATOMIC_ACQUIRE) & ONCE_DONE)
		return 0;
	init();
	__atomic_store_n(once, ONCE_DONE, __ATOMIC_RELEASE);
	return 0;
}

/* ---- exit ----------------------------------------------------------------------- */

/*
 * glibc's exit runs thread_local destructors, then the atexit, on_exit and
 * __cxa_atexit handlers (C++ destructors, iostream flushing) from the last
 * registered to the first, then flushes stdio and calls exit_group, which
 * strict mode forbids. So the first handler registered, which runs last,
 * is ours: it flushes stdio and ends the process with exit and the status.
 * It is registered by this library's first constructor, before the
 * program's initializers (and before main can register anything).
 */
static void final_exit(int status, void *unused)
{
	(void)unused;
	fflush(NULL);
	syscall(SYS_exit, status);
}

__attribute__((constructor(101))) static void register_final_exit(void)
{
	on_exit(final_exit, NULL);
}

EXPORT __attribute__((noreturn)) void _exit(int status)
{
	syscall(SYS_exit, status);
	for (;;)
		;
}

EXPORT __attribute__((noreturn)) void _Exit(int status)
{
	_exit(status);
}

/* ---- warming up ---------------------------------------------------------------- */

static int compare_ints(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/*
 * Parts of glibc make a syscall the first time they are used and remember
 * the answer: use them once while syscalls still work.
 * - qsort asks sysconf(_SC_PHYS_PAGES) (sysinfo) before sorting 1 KiB or more;
 * - localtime and friends read the time zone (tzset: /etc/localtime).
 */
static void warm_up(void)
{
	int numbers[512];

	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		numbers[i] = (int)(sizeof(numbers) / sizeof(numbers[0]) - i);
	qsort(numbers, sizeof(numbers) / sizeof(numbers[0]), sizeof(numbers[0]), compare_ints);
	tzset();
}

/* ---- start --------------------------------------------------------------------- */

/*
 * Strict mode, as a filter: the launcher confined the start-up with a
 * filter of its own, and the kernel does not enter SECCOMP_MODE_STRICT on
 * top of one. This filter allows what strict mode allows (read, write,
 * exit, rt_sigreturn; x86_64 entry only: no i386 or x32 calls) and kills
 * the process for anything else; with the launcher's, the stricter wins.
 * As strict mode does on x86, rdtsc is made to fault.
 */
static int enter_strict(void)
{
	static const struct sock_filter strict[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4),			/* arch */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 6),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),			/* nr */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_read, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_write, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_rt_sigreturn, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	struct sock_fprog prog = { sizeof(strict) / sizeof(strict[0]), (struct sock_filter *)strict };

	if (prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) != 0)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

/* Buffers of our own: with them glibc never allocates (nor fstat()s) a stream. */
static void prepare_stdio(void)
{
	static char in_buf[1 << 16], out_buf[1 << 16];

	setvbuf(stdin, in_buf, _IOFBF, sizeof(in_buf));
	setvbuf(stdout, out_buf, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, sizeof(out_buf));
	setvbuf(stderr, NULL, _IONBF, 0);
}

EXPORT int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void),
			     void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
	start_fn real = (start_fn)dlsym(RTLD_NEXT, "__libc_start_main");

	if (!real) {
		say("syscage strict: cannot find __libc_start_main: %s\n", dlerror());
		die(125);
	}
	ensure_arena();
	prepare_stdio();
	warm_up();
	/* From here on: read, write, exit, sigreturn. A failure must not let
	 * the program run unconfined. */
	if (enter_strict() != 0) {
		say("syscage strict: cannot enter strict mode: %s; the program was not started\n",
		    strerror(errno));
		die(125);
	}
	return real(main, argc, argv, init, fini, rtld_fini, stack_end);
}
