/*
 * The supervisor against a real listener: a child loads a supervised
 * filter, hands the listener over, and makes one call the policy refuses.
 * Reported or quiet, the call is refused with the policy's errno; only the
 * report differs (quiet reads nothing of the caller's and formats nothing).
 * A path that ends where the caller's memory does is still shown.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
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

/* One refused openat of PATH (at a page's end when at_edge), handled by a
 * supervisor quiet or not: the event in *ev, its report copied to report;
 * the child's exit status says whether its call failed with EACCES (0). */
static void refuse_once(bool quiet, bool at_edge, struct syscage_event *ev, char *report,
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
		int fd = syscage_program_load(prog, SYSCAGE_LOAD_NEW_LISTENER);

		if (fd < 0)
			_exit(2);
		const char *path = at_edge ? path_at_page_end() : PATH;

		send_fd(sv[1], fd);
		close(fd);
		fd = open(path, O_RDONLY);
		_exit(fd < 0 && errno == EACCES ? 0 : 1);
	}
	close(sv[1]);
	listener = receive_fd(sv[0]);
	assert_true(listener >= 0);
	assert_int_equal(syscage_supervisor_new(p, listener, &sup), 0);
	syscage_supervisor_set_quiet(sup, quiet);
	assert_int_equal(syscage_supervisor_handle(sup, ev), 0);
	snprintf(report, size, "%s", ev->report);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	syscage_supervisor_free(sup);
	close(listener);
	close(sv[0]);
	syscage_program_free(prog);
	syscage_policy_free(p);
	syscage_diagnostics_free(diags);
}

static void test_reported_refusal(void **state)
{
	(void)state;
	struct syscage_event ev;
	char report[1024];

	refuse_once(false, false, &ev, report, sizeof(report));
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

	refuse_once(false, true, &ev, report, sizeof(report));
	assert_int_equal(ev.kind, SYSCAGE_EVENT_REFUSED);
	assert_non_null(strstr(report, "\"" PATH "\""));
}

static void test_quiet_refusal(void **state)
{
	(void)state;
	struct syscage_event ev;
	char report[1024];

	refuse_once(true, false, &ev, report, sizeof(report));
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
		cmocka_unit_test(test_quiet_refusal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
