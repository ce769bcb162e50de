/*
 * The floor of any seccomp launcher on this machine: a static program that
 * reads a compiled filter, starts a child sharing its memory (as syscage
 * run does), loads the filter there and execs the command, then waits.
 * No policy, no compile, no supervisor: what the start-up rows pay beyond
 * it is the launcher's own work. Used by bench/run.sh.
 *
 *   launch FILTER.bpf COMMAND [ARG...]
 */
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static struct sock_filter filter[4096];
	struct sock_fprog prog = { 0 };
	int fd, status;
	ssize_t n;
	pid_t pid;

	if (argc < 3 || (fd = open(argv[1], O_RDONLY | O_CLOEXEC)) < 0)
		return 125;
	n = read(fd, filter, sizeof(filter));
	close(fd);
	if (n <= 0 || n % (ssize_t)sizeof(filter[0]))
		return 125;
	prog.len = (unsigned short)(n / (ssize_t)sizeof(filter[0]));
	prog.filter = filter;
	pid = vfork();
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
			execv(argv[2], &argv[2]);
		_exit(125);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 125;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
