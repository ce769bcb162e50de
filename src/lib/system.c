#include "system.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <unistd.h>

#include <linux/seccomp.h>

/* PIDFD_THREAD is O_EXCL (Linux 6.9); Debian 12's headers predate it. */
#define PIDFD_THREAD_FLAG O_EXCL

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

int system_enter_strict(void)
{
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0) < 0)
		return -errno;
	return 0;
}

int system_notif_sizes(size_t *notif, size_t *resp)
{
	struct seccomp_notif_sizes sizes;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		return -errno;
	/* Never less than the structs this library was built with. */
	*notif = sizes.seccomp_notif > sizeof(struct seccomp_notif) ? sizes.seccomp_notif
								   : sizeof(struct seccomp_notif);
	*resp = sizes.seccomp_notif_resp > sizeof(struct seccomp_notif_resp)
			? sizes.seccomp_notif_resp
			: sizeof(struct seccomp_notif_resp);
	return 0;
}

int system_notif_recv(int listener, struct seccomp_notif *req, size_t size)
{
	/* The kernel wants the buffer zeroed. */
	memset(req, 0, size);
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) < 0)
		return -errno;
	return 0;
}

int system_notif_send(int listener, struct seccomp_notif_resp *resp)
{
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0)
		return -errno;
	return 0;
}

/* Linux 6.6's uapi; older headers lack it. */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

int system_notif_sync_wakeups(int listener)
{
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) < 0)
		return -errno;
	return 0;
}

bool system_notif_valid(int listener, uint64_t id)
{
	return ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

bool system_is_listener(int fd)
{
	/* The '!' ioctls are seccomp's alone (ioctl-number.rst). */
	return system_notif_valid(fd, 0) || errno == ENOENT;
}

/* The thread group of tid, from /proc (for kernels without PIDFD_THREAD). */
static int thread_group_of(int tid)
{
	char path[64], line[128];
	int tgid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	}
	fclose(f);
	return tgid;
}

int system_pid(void)
{
	return (int)getpid();
}

int system_read_memory(int tid, uint64_t addr, void *buf, size_t size)
{
	/* Through /proc, not process_vm_readv: that one waits for a page a
	 * userfaultfd of the caller's never fills, uninterruptibly, and the
	 * whole supervisor with it; a read of /proc/PID/mem fails at once. */
	char path[64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/mem", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, buf, size, (off_t)addr);
	n = n < 0 ? -errno : n;
	close(fd);
	return (int)n;
}

int system_kill_process(int listener, uint64_t id, int tid, int *tgid)
{
	/* A pidfd first, then the check that the notification still waits:
	 * from then on the pidfd is known to name the caller, even if its
	 * number were reused later. PIDFD_THREAD (Linux 6.9) names a thread;
	 * before that, a pidfd names a thread group leader only. */
	int pidfd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD_FLAG);
	int err = pidfd < 0 ? errno : 0;

	*tgid = thread_group_of(tid);
	if (err == EINVAL) {
		pidfd = *tgid > 0 ? (int)syscall(SYS_pidfd_open, *tgid, 0) : -1;
		err = pidfd < 0 ? (*tgid > 0 ? errno : ESRCH) : 0;
	}
	/* Gone is no failure; out of descriptors (a lowered limit) is: the
	 * process must not live on as if it had been killed. */
	if (pidfd < 0)
		return -err;
	/* Also proves *tgid was read about the right process. */
	if (!system_notif_valid(listener, id)) {
		close(pidfd);
		*tgid = -1;
		return -ESRCH;
	}
	/* SIGKILL to any thread ends the whole process. */
	int rc = (int)syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
	err = rc < 0 ? -errno : 0;
	close(pidfd);
	return err;
}
