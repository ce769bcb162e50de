/*
 * The system-call module's checks that run relies on: system_is_listener
 * tells a seccomp listener from every other kind of descriptor a child
 * could leave at the number run takes (a pipe, a file, a device, an
 * eventfd: anon_inode like the listener), without /proc.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "syscage.h"
#include "system.h"

static void test_other_descriptors_are_not_listeners(void **state)
{
	(void)state;
	int pipefd[2], null = open("/dev/null", O_RDWR), file = open("Makefile", O_RDONLY);
	int event = eventfd(0, 0);

	assert_int_equal(pipe(pipefd), 0);
	assert_true(null >= 0 && file >= 0 && event >= 0);
	assert_false(system_is_listener(pipefd[0]));
	assert_false(system_is_listener(pipefd[1]));
	assert_false(system_is_listener(null));
	assert_false(system_is_listener(file));
	assert_false(system_is_listener(event));
	assert_false(system_is_listener(-1));
	close(pipefd[0]);
	close(pipefd[1]);
	close(null);
	close(file);
	close(event);
}

/* In a child, which keeps the filter: the fd the load returns is one. */
static void test_a_listener_is_one(void **state)
{
	(void)state;
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	static const char text[] = "default allow\nnotify io_uring_setup\n";
	struct syscage_policy *p = NULL;
	struct syscage_program *prog = NULL;
	int status;
	pid_t pid;

	assert_int_equal(syscage_policy_parse("t.policy", text, sizeof(text) - 1, NULL, diags, &p), 0);
	assert_int_equal(syscage_compile(p, diags, &prog), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int listener = syscage_program_load(prog, SYSCAGE_LOAD_NEW_LISTENER);

		_exit(listener < 0 ? 2 : system_is_listener(listener) ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	syscage_program_free(prog);
	syscage_policy_free(p);
	syscage_diagnostics_free(diags);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_other_descriptors_are_not_listeners),
		cmocka_unit_test(test_a_listener_is_one),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
