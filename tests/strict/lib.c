/*
 * A program that enters strict mode itself with the library:
 *   lib compute        prepare (memory, stdio), syscage_strict_enter, sum
 *                      of squares, printf, syscage_strict_exit(0)
 *   lib forbidden      the same, then getpid after entering: SIGKILL
 *   lib exitcode N     syscage_strict_exit(N) after printing (flushed)
 *   lib thread         a second thread is running: syscage_strict_enter
 *                      returns -EBUSY and the program goes on unconfined
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "syscage.h"

static char out_buf[1 << 16];
static int hold[2];

static void *waiter(void *arg)
{
	char c;

	(void)arg;
	(void)!read(hold[0], &c, 1);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "compute";
	unsigned long long sum = 0;
	unsigned long *v;
	int e;

	if (!strcmp(mode, "thread")) {
		pthread_t t;

		if (pipe(hold) || pthread_create(&t, NULL, waiter, NULL))
			return 2;
		e = syscage_strict_enter();
		printf("enter with a second thread: %s\n", e == -EBUSY ? "EBUSY" : strerror(-e));
		/* still unconfined: getpid works, the thread can be joined */
		printf("getpid %s\n", getpid() > 0 ? "works" : "fails");
		(void)!write(hold[1], "x", 1);
		pthread_join(t, NULL);
		return e == -EBUSY ? 0 : 1;
	}
	/* prepare: the memory and stdout's buffer, before */
	v = malloc(1000000 * sizeof(*v));
	if (!v || setvbuf(stdout, out_buf, _IOFBF, sizeof(out_buf)))
		return 2;
	e = syscage_strict_enter();
	if (e) {
		fprintf(stderr, "syscage_strict_enter: %s\n", strerror(-e));
		return 3;
	}
	for (unsigned long i = 0; i < 1000000; i++)
		v[i] = i % 1000;
	for (unsigned long i = 0; i < 1000000; i++)
		sum += (unsigned long long)v[i] * v[i];
	printf("in strict mode: sum of squares %llu", sum);
	if (!strcmp(mode, "forbidden"))
		printf(" getpid %d\n", getpid());
	if (!strcmp(mode, "exitcode"))
		syscage_strict_exit(argc > 2 ? atoi(argv[2]) : 0);
	printf("\n");
	syscage_strict_exit(0);
}
