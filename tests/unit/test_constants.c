/* Tests of the named-constant table and the errno names. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <linux/seccomp.h>

#include "helpers.h"

#include "constants.h"

static uint64_t value_of(const char *name)
{
	const struct named_constant *c = constant_lookup(name);

	if (!c)
		fail_msg("constant %s is missing", name);
	return c->value;
}

static void test_sorted_and_unique(void **state)
{
	size_t i, n = constant_count();

	(void)state;
	assert_true(n > 1000);
	for (i = 1; i < n; i++) {
		const char *a = constant_at(i - 1)->name;
		const char *b = constant_at(i)->name;

		if (strcmp(a, b) >= 0)
			fail_msg("constants out of order or repeated: %s, %s", a, b);
	}
	assert_null(constant_at(n));
}

/* Names outside their family's prefix, on purpose. */
static int prefix_exception(const char *name)
{
	static const char *const names[] = {
		"CSIGNAL", "PF_INET", "PF_INET6", "PF_LOCAL", "PF_NETLINK",
		"PF_PACKET", "PF_UNIX", "PF_UNSPEC", "UMOUNT_NOFOLLOW",
		"__WALL", "__WCLONE", "__WNOTHREAD",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

static void test_every_entry_well_formed(void **state)
{
	size_t i, n = constant_count();

	(void)state;
	for (i = 0; i < n; i++) {
		const struct named_constant *c = constant_at(i);
		const char *p;
		int label = 0;

		assert_non_null(c->name);
		assert_non_null(c->family);
		assert_true(c->name[0] != '\0');
		assert_true(c->family[0] != '\0');
		assert_ptr_equal(constant_lookup(c->name), c);
		/* An upper-case family is the prefix of its names. */
		for (p = c->family; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				label = 1;
		if (!label && !prefix_exception(c->name) &&
		    strncmp(c->name, c->family, strlen(c->family)) != 0)
			fail_msg("%s is not in its family %s", c->name, c->family);
	}
}

static void test_spot_values(void **state)
{
	(void)state;
	assert_int_equal(value_of("O_RDONLY"), 0);
	assert_int_equal(value_of("O_ACCMODE"), 3);
	assert_int_equal(value_of("O_PATH"), O_PATH);
	assert_int_equal(value_of("O_TMPFILE"), O_TMPFILE);
	assert_int_equal(value_of("O_CLOEXEC"), O_CLOEXEC);
	assert_int_equal(value_of("TIOCSTI"), 0x5412);
	assert_int_equal(value_of("TIOCSTI"), TIOCSTI);
	assert_int_equal(value_of("TIOCLINUX"), TIOCLINUX);
	assert_int_equal(value_of("FIONREAD"), FIONREAD);
	assert_true(value_of("AT_FDCWD") == (uint64_t)(int64_t)-100);
	assert_true(value_of("AT_FDCWD") == 0xffffffffffffff9cULL);
	assert_int_equal(value_of("CLONE_NEWUSER"), 0x10000000);
	assert_int_equal(value_of("CLONE_PIDFD"), 0x1000);
	assert_int_equal(value_of("CLONE_INTO_CGROUP"), 0x200000000ULL);
	assert_int_equal(value_of("PR_SET_SECCOMP"), 22);
	assert_int_equal(value_of("PR_SET_NO_NEW_PRIVS"), PR_SET_NO_NEW_PRIVS);
	assert_int_equal(value_of("PR_TSC_SIGSEGV"), PR_TSC_SIGSEGV);
	assert_int_equal(value_of("SECCOMP_SET_MODE_FILTER"), SECCOMP_SET_MODE_FILTER);
	assert_int_equal(value_of("SECCOMP_FILTER_FLAG_NEW_LISTENER"),
			 SECCOMP_FILTER_FLAG_NEW_LISTENER);
	assert_int_equal(value_of("PROT_EXEC"), PROT_EXEC);
	assert_int_equal(value_of("MAP_ANONYMOUS"), MAP_ANONYMOUS);
	assert_int_equal(value_of("SOCK_NONBLOCK"), SOCK_NONBLOCK);
	assert_int_equal(value_of("SOCK_CLOEXEC"), SOCK_CLOEXEC);
	assert_int_equal(value_of("AF_UNIX"), AF_UNIX);
	assert_int_equal(value_of("SIGKILL"), 9);
	assert_int_equal(value_of("SIGSYS"), SIGSYS);
	assert_int_equal(value_of("SIGRTMIN"), 32);
	assert_int_equal(value_of("SIGRTMAX"), 64);
	assert_int_equal(value_of("SIG_SETMASK"), SIG_SETMASK);
	assert_int_equal(value_of("EACCES"), 13);
	assert_string_equal(constant_lookup("EACCES")->family, "E");
	assert_string_equal(constant_lookup("O_RDONLY")->family, "O_");
	assert_string_equal(constant_lookup("MS_SYNC")->family, "msync");
	assert_string_equal(constant_lookup("MS_RDONLY")->family, "MS_");
#if defined(__x86_64__)
	/* The kernel's value, not glibc's 0 (see constants.c). */
	assert_int_equal(value_of("O_LARGEFILE"), 0100000);
	assert_int_equal(value_of("ARCH_SET_FS"), 0x1002);
#endif
}

static void test_lookup_misses(void **state)
{
	(void)state;
	assert_null(constant_lookup(NULL));
	assert_null(constant_lookup(""));
	assert_null(constant_lookup("O_RDONL"));
	assert_null(constant_lookup("o_rdonly"));
	assert_null(constant_lookup("O_RDONLYX"));
	assert_null(constant_lookup("ZZZZ"));
	assert_null(constant_lookup("AAAA"));
}

static void test_errno_lookup(void **state)
{
	(void)state;
	assert_int_equal(errno_lookup("EACCES"), 13);
	assert_int_equal(errno_lookup("EPERM"), EPERM);
	assert_int_equal(errno_lookup("EHWPOISON"), EHWPOISON);
	assert_int_equal(errno_lookup("EWOULDBLOCK"), EAGAIN);
	assert_int_equal(errno_lookup("EDEADLOCK"), EDEADLK);
	assert_int_equal(errno_lookup("ENOTSUP"), EOPNOTSUPP);
	assert_int_equal(errno_lookup("O_RDONLY"), -1);
	assert_int_equal(errno_lookup("EFOO"), -1);
	assert_int_equal(errno_lookup(""), -1);
	assert_int_equal(errno_lookup(NULL), -1);
}

static void test_errno_name(void **state)
{
	(void)state;
	assert_string_equal(errno_name(13), "EACCES");
	assert_string_equal(errno_name(EAGAIN), "EAGAIN");
	assert_string_equal(errno_name(EDEADLK), "EDEADLK");
	assert_string_equal(errno_name(EOPNOTSUPP), "EOPNOTSUPP");
	assert_string_equal(errno_name(EHWPOISON), "EHWPOISON");
	assert_null(errno_name(0));
	assert_null(errno_name(-1));
	assert_null(errno_name(4096));
}

/* Every errno the C library knows a name for has the same name here. */
static void test_errno_matches_libc(void **state)
{
	int v, named = 0;

	(void)state;
	for (v = 1; v < 4096; v++) {
		const char *libc = strerrorname_np(v);
		const char *ours = errno_name(v);

		if (!libc) {
			if (ours)
				fail_msg("errno %d: ours %s, libc none", v, ours);
			continue;
		}
		if (!ours)
			fail_msg("errno %d (%s) has no name", v, libc);
		assert_string_equal(ours, libc);
		assert_int_equal(errno_lookup(ours), v);
		named++;
	}
	assert_true(named >= 130);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_and_unique),
		cmocka_unit_test(test_every_entry_well_formed),
		cmocka_unit_test(test_spot_values),
		cmocka_unit_test(test_lookup_misses),
		cmocka_unit_test(test_errno_lookup),
		cmocka_unit_test(test_errno_name),
		cmocka_unit_test(test_errno_matches_libc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
