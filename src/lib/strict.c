/* Strict mode for programs that enter it themselves (syscage_strict_enter). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "syscage.h"
#include "system.h"

/* The number of threads of this process, from /proc (-1 if unknown). */
static int thread_count(void)
{
	DIR *dir = opendir("/proc/self/task");
	struct dirent *de;
	int n = 0;

	if (!dir)
		return -1;
	while ((de = readdir(dir)))
		n += de->d_name[0] != '.';
	closedir(dir);
	return n;
}

SYSCAGE_API int syscage_strict_enter(void)
{
	/* Strict mode confines the calling thread alone: with another thread
	 * the process would only look confined. */
	if (thread_count() != 1)
		return -EBUSY;
	return system_enter_strict();
}

SYSCAGE_API void syscage_strict_exit(int status)
{
	fflush(NULL);
	for (;;)
		syscall(SYS_exit, status);
}
