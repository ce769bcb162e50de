/*
 * The supervisor against a real listener: a child loads a supervised
 * filter, hands the listener over, and makes one call the policy refuses.
 * Reported or quiet, the call is refused with the policy's errno; only the
 * report differs (quiet reads nothing of the caller's and formats nothing).
 * A path that ends where the caller's memory does is still shown; one in a
 * page that a userfaultfd of the caller's never fills does not stall the
 * supervisor.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/userfaultfd.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "syscage.h"

#define PATH "/nonexistent/syscage-supervisor-test"

static void send_fd(int sock, int fd)
{
	char data = 'L', control[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control, .msg_controllen = sizeof(control) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sock, &msg, 0) != 1)
		_exit(3);
}

static int receive_fd(int sock)
{
	char data, control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control, .msg_controllen = sizeof(control) };
	struct cmsghdr *c;
	int fd = -1;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* PATH at the very end of a mapped page, an unmapped one after it. */
static const char *path_at_page_end(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *mem = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (mem == MAP_FAILED || munmap(mem + page, (size_t)page) != 0)
		_exit(4);
	return memcpy(mem + page - sizeof(PATH), PATH, sizeof(PATH));
}

/* A page registered with a userfaultfd that nobody serves: reading it from
 * outside would wait for ever. NULL when the kernel has no userfaultfd. */
static const char *unfilled_page(void)
{
	long page = sysconf(_SC_PAGESIZE);
	int uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	struct uffdio_api api = { .api = UFFD_API };
	char *mem = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	struct uffdio_register reg = { .range = { (uintptr_t)mem, (uint64_t)page },
				       .mode = UFFDIO_REGISTER_MODE_MISSING };

	if (uffd < 0 || mem == MAP_FAILED || ioctl(uffd, UFFDIO_API, &api) != 0 ||
	    ioctl(uffd, UFFDIO_REGISTER, &reg) != 0)
		return NULL;
	return mem;
}

/* "unended" in the last bytes of a page, no NUL before the hole after it. */
static const char *unended_at_page_end(void)
{
	const char *path = path_at_page_end();
	char *last = (char *)path + sizeof(PATH) - 1;	/* the page's last byte */

	memcpy(last - 6, "unended", 7);
	return last - 6;
}

enum where { PLAIN, PAGE_END, NO_END, UNFILLED };

/* One refused openat of PATH (or of a path where says), handled by a
 * supervisor quiet or not: the event in *ev, its report copied to report;
 * the child's exit status says whether its call failed with EACCES (0), or
 * 5 when the kernel has no userfaultfd. */
static int refuse_once(bool quiet, enum where where, struct syscage_event *ev, char *report,
		       size_t size)
{
	static const char text[] = "default allow\nerrno EACCES openat\n";
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_policy *p = NULL;
	struct syscage_program *prog = NULL;
	struct syscage_supervisor *sup = NULL;
	int sv[2], status, listener;
	pid_t pid;

	assert_int_equal(syscage_policy_parse("t.policy", text, sizeof(text) - 1, NULL, diags, &p), 0);
	assert_int_equal(syscage_compile_supervised(p, diags, &prog), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Set up before the filter, which then sees only the call. */
		const char *path = where == PAGE_END ? path_at_page_end() :
				   where == NO_END ? unended_at_page_end() :
				   where == UNFILLED ? unfilled_page() : PATH;
		int fd = path ? syscage_program_load(prog, SYSCAGE_LOAD_NEW_LISTENER) : -1;

		if (!path)
			_exit(5);
		if (fd < 0)
			_exit(2);
		send_fd(sv[1], fd);
		close(fd);
		fd = open(path, O_RDONLY);
		_exit(fd < 0 && errno == EACCES ? 0 : 1);
	}
	close(sv[1]);
	listener = receive_fd(sv[0]);
	if (listener < 0) {
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 5);
		goto out;
	}
	assert_int_equal(syscage_supervisor_new(p, listener, &sup), 0);
	syscage_supervisor_set_quiet(sup, quiet);
	/* A supervisor that stalls ends the test (SIGALRM) instead of hanging it. */
	alarm(10);
	assert_int_equal(syscage_supervisor_handle(sup, ev), 0);
	alarm(0);
	snprintf(report, size, "%s", ev->report);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	syscage_supervisor_free(sup);
	close(listener);
out:
	close(sv[0]);
	syscage_program_free(prog);
	syscage_policy_free(p);
	syscage_diagnostics_free(diags);
	return WEXITSTATUS(status);
}

static void test_reported_refusal(void **state)
{
	(void)state;
	struct syscage_event ev;
	char report[1024];

	assert_int_equal(refuse_once(false, PLAIN, &ev, report, sizeof(report)), 0);
	assert_int_equal(ev.kind, SYSCAGE_EVENT_REFUSED);
	assert_int_equal(ev.verdict.action, SYSCAGE_ACTION_ERRNO);
	assert_int_equal(ev.verdict.data, EACCES);
	/* The path read from the caller, and the policy line. */
	assert_non_null(strstr(report, "\"" PATH "\""));
	assert_non_null(strstr(report, "t.policy:2"));
}

static void test_string_at_the_end_of_memory(void **state)
{
	(void)state;
	struct syscage_event ev;
	char report[1024];

	assert_int_equal(refuse_once(false, PAGE_END, &ev, report, sizeof(report)), 0);
	assert_int_equal(ev.kind, SYSCAGE_EVENT_REFUSED);
	assert_non_null(strstr(report, "\"" PATH "\""));
}

static void test_string_without_end(void **state)
{
	(void)state;
	struct syscage_event ev;
	char report[1024];

	assert_int_equal(refuse_once(false, NO_END, &ev, report, sizeof(report)), 0);
	/* What could be read, and a sign that the string goes on. */
	assert_non_null(strstr(report, "\"unended\"..."));
}

static void test_string_in_an_unfilled_page(void **state)
{
	(void)state;
	struct syscage_event ev = { 0 };
	char report[1024];
	int status = refuse_once(false, UNFILLED, &ev, report, sizeof(report));

	if (status == 5)
		skip();
	assert_int_equal(status, 0);
	assert_int_equal(ev.kind, SYSCAGE_EVENT_REFUSED);
	/* Shown as an address: the string could not be read. */
	assert_non_null(strstr(report, "openat(AT_FDCWD, 0x"));
}

static void test_quiet_refusal(void **state)
{
	(void)state;
	struct syscage_event ev;
	char report[1024];

	assert_int_equal(refuse_once(true, PLAIN, &ev, report, sizeof(report)), 0);
	assert_int_equal(ev.kind, SYSCAGE_EVENT_REFUSED);
	assert_int_equal(ev.verdict.action, SYSCAGE_ACTION_ERRNO);
	assert_int_equal(ev.verdict.data, EACCES);
	assert_string_equal(report, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reported_refusal),
		cmocka_unit_test(test_string_at_the_end_of_memory),
		cmocka_unit_test(test_string_without_end),
		cmocka_unit_test(test_string_in_an_unfilled_page),
		cmocka_unit_test(test_quiet_refusal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
