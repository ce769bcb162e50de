#include "system.h"

#include <errno.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/seccomp.h>

int system_load_filter(const struct sock_filter *prog, size_t len, unsigned long flags)
{
	struct sock_fprog fprog = { .len = (unsigned short)len, .filter = (struct sock_filter *)prog };
	long rc;

	if (len == 0 || len > 4096)
		return -EINVAL;
	/* Without no_new_privs an unprivileged process may not load a filter,
	 * and a privileged one could exec a setuid program past it. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
	if (rc < 0)
		return -errno;
	/* With TSYNC a positive value is the id of a thread that could not be
	 * synchronized (unless TSYNC_ESRCH was asked for). */
	if ((flags & SECCOMP_FILTER_FLAG_TSYNC) && !(flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) && rc > 0)
		return -ESRCH;
	return (int)rc;
}
