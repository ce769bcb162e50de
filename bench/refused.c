/*
 * The cost of a refused call: N calls of getppid, which the policy given to
 * syscage run refuses with EPERM; prints the mean ns per call. Used by
 * bench/run.sh to compare the kernel's own errno (--no-supervisor) with
 * the supervisor's (each refusal a notification it decides and reports).
 *
 *   refused N
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10000, refused = 0;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++)
		refused += syscall(SYS_getppid) < 0 && errno == EPERM;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.1f\n", ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) /
				 (double)n);
	/* Unfiltered, getppid succeeds: only the filtered runs must refuse. */
	return refused == n ? 0 : 3;
}
