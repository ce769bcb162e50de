/*
 * Start-up cost: runs each command line N times, interleaved, and prints
 * the median wall time in ms of each, and its spread. Used by bench/run.sh.
 *
 *   startup N NAME CMD... :: NAME CMD... :: ...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#define MAX_SUBJECTS 12

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	char *names[MAX_SUBJECTS], **cmds[MAX_SUBJECTS];
	int n = 0, runs;

	if (argc < 4)
		return 2;
	runs = atoi(argv[1]);
	for (int i = 2; i < argc && n < MAX_SUBJECTS;) {
		names[n] = argv[i++];
		if (i >= argc)
			return 2;
		cmds[n] = &argv[i];
		while (i < argc && strcmp(argv[i], "::") != 0)
			i++;
		if (i < argc)
			argv[i++] = NULL;
		n++;
	}
	double *t = calloc((size_t)(runs * n), sizeof(*t));
	for (int r = 0; r < runs; r++) {
		for (int s = 0; s < n; s++) {
			double t0 = now_ms();
			pid_t pid = fork();
			int status;

			if (pid == 0) {
				int null = open("/dev/null", O_RDWR);

				dup2(null, 1);
				dup2(null, 2);
				execvp(cmds[s][0], cmds[s]);
				_exit(127);
			}
			waitpid(pid, &status, 0);
			if (!WIFEXITED(status) || WEXITSTATUS(status)) {
				fprintf(stderr, "startup: %s failed (status %#x)\n", names[s], status);
				return 1;
			}
			t[s * runs + r] = now_ms() - t0;
		}
	}
	for (int s = 0; s < n; s++) {
		double *v = t + s * runs;

		qsort(v, (size_t)runs, sizeof(*v), compare);
		printf("%s %.3f %.3f %.3f\n", names[s], v[runs / 2], v[runs / 10], v[runs - 1 - runs / 10]);
	}
	return 0;
}
