/*
 * One operation strict mode forbids (or limits), chosen by argv[1]. Run
 * natively, each works and prints "OK <op>" on stdout; under
 * `syscage strict` the forbidden ones end the program (SIGKILL; SIGSEGV for
 * rdtsc and the vDSO clock) before the marker. "main <op>" goes to stderr
 * first (unbuffered: one write) to show main was reached in strict mode.
 *
 *   open socket fork thread mmap int80 getpid rdtsc clock: forbidden
 *   abort: needs signals; natively SIGABRT, in strict mode SIGKILL
 *   fd5: write(5) — allowed as a syscall; EBADF unless fd 5 was kept open
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

static void *thread_main(void *arg)
{
	return arg;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";

	fprintf(stderr, "main %s\n", op);
	if (!strcmp(op, "open")) {
		int fd = open("/etc/passwd", O_RDONLY);

		if (fd < 0)
			return 1;
		close(fd);
	} else if (!strcmp(op, "socket")) {
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);

		if (fd < 0)
			return 1;
		close(fd);
	} else if (!strcmp(op, "fork")) {
		pid_t pid = fork();
		int status;

		if (pid < 0)
			return 1;
		if (pid == 0)
			_exit(0);
		waitpid(pid, &status, 0);
	} else if (!strcmp(op, "thread")) {
		pthread_t t;

		if (pthread_create(&t, NULL, thread_main, NULL))
			return 1;
		pthread_join(t, NULL);
	} else if (!strcmp(op, "abort")) {
		abort();
	} else if (!strcmp(op, "mmap")) {
		void *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return 1;
		memset(p, 1, 1 << 20);
	} else if (!strcmp(op, "int80")) {
		/* getpid (20 on i386) through the i386 entry */
		long r;

		__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory", "cc");
		if (r <= 0)
			return 1;
	} else if (!strcmp(op, "getpid")) {
		if (getpid() <= 0)
			return 1;
	} else if (!strcmp(op, "rdtsc")) {
		unsigned long long a = __rdtsc(), b = __rdtsc();

		if (b < a)
			return 1;
	} else if (!strcmp(op, "clock")) {
		struct timespec ts;

		if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
			return 1;
	} else if (!strcmp(op, "fd5")) {
		ssize_t n = write(5, "to fd 5\n", 8);

		if (n < 0) {
			printf("write(5): %s\n", errno == EBADF ? "EBADF" : strerror(errno));
			return 6;
		}
	} else {
		fprintf(stderr, "forbidden: unknown operation '%s'\n", op);
		return 2;
	}
	printf("OK %s\n", op);
	return 0;
}
