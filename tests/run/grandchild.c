/* For tests/cli/run.sh: leftovers end with the command, grandchildren too.
 * The command forks A, A forks B, the command exits after a second. A holds
 * a lot of touched memory, so that its death takes long: B, A's child, must
 * not outlive the command by waiting to be handed over to run. B says it is
 * alive every 100 ms for 3 s. (Found by a review; the first fix killed only
 * run's own children.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
int main(void)
{
	pid_t a = fork();
	if (a == 0) {
		if (fork() == 0) {
			/* B: says it is alive every 100 ms, for 3 s */
			for (int i = 0; i < 30; i++) {
				struct timespec ts = { 0, 100000000 };
				nanosleep(&ts, NULL);
				dprintf(1, "B alive %d\n", i);
			}
			_exit(0);
		}
		size_t sz = (size_t)256 << 20;
		char *m = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m != MAP_FAILED)
			memset(m, 1, sz);
		for (;;)
			pause();
	}
	struct timespec ts = { 1, 0 };
	nanosleep(&ts, NULL);
	return 0;
}
