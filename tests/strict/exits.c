/*
 * The ways out of a program under `syscage strict`:
 *   exits nested N   exit(N) three calls deep, after printf without a newline
 *   exits return N   return N from main
 *   exits _exit N    printf, then _exit(N): stdio is not flushed
 *   exits _Exit N    the same with _Exit
 * atexit handlers (registered a, b, c; they run c, b, a) print in every case
 * but _exit and _Exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void handler_a(void) { printf("atexit a\n"); }
static void handler_b(void) { printf("atexit b\n"); }
static void handler_c(void) { printf("atexit c\n"); }

static void level3(int status)
{
	printf("level3 exits with %d", status);
	exit(status);
}

static void level2(int status) { level3(status); printf("not reached\n"); }
static void level1(int status) { level2(status); printf("not reached\n"); }

int main(int argc, char **argv)
{
	int status;

	if (argc != 3) {
		fprintf(stderr, "usage: exits nested|return|_exit|_Exit N\n");
		return 2;
	}
	status = atoi(argv[2]);
	atexit(handler_a);
	atexit(handler_b);
	atexit(handler_c);
	printf("main\n");
	if (!strcmp(argv[1], "nested"))
		level1(status);
	if (!strcmp(argv[1], "_exit")) {
		printf("buffered, then _exit\n");
		_exit(status);
	}
	if (!strcmp(argv[1], "_Exit")) {
		printf("buffered, then _Exit\n");
		_Exit(status);
	}
	printf("return %d\n", status);
	return status;
}
