/* Unit tests of the syscall tables: names, numbers per arch, signatures. */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

#include "syscall_table.h"

/* x86_64 syscalls that have a number but no known signature (no 64-bit
 * kernel implementation: syscall_64.tbl gives them no entry point). */
static const char *const known_missing[] = {
	"epoll_ctl_old",
	"epoll_wait_old",
	"get_thread_area",
	"set_thread_area",
};

static int idx_of(const char *name)
{
	int idx = syscall_lookup(name);

	if (idx < 0)
		fail_msg("no syscall named %s", name);
	return idx;
}

static void check_number(enum arch_id arch, const char *name, int64_t nr)
{
	int idx = idx_of(name);

	assert_int_equal(syscall_number(arch, idx), nr);
	assert_int_equal(syscall_by_number(arch, (uint32_t)nr), idx);
}

static const struct syscall_param *param(const char *name, int i)
{
	const struct syscall_signature *sig = syscall_signature(idx_of(name));

	assert_true(i < sig->nparams);
	return &sig->params[i];
}

static void check_param(const char *sys, int i, const char *pname,
			const char *ctype, unsigned bits, enum param_kind kind)
{
	const struct syscall_param *p = param(sys, i);

	assert_string_equal(p->name, pname);
	assert_string_equal(p->ctype, ctype);
	assert_int_equal(p->bits, bits);
	assert_int_equal(p->kind, kind);
}

static void test_names_sorted(void **state)
{
	(void)state;
	assert_true(syscall_count() > 500);
	for (size_t i = 1; i < syscall_count(); i++)
		assert_true(strcmp(syscall_name((int)i - 1), syscall_name((int)i)) < 0);
	for (size_t i = 0; i < syscall_count(); i++)
		assert_int_equal(syscall_lookup(syscall_name((int)i)), (int)i);
	assert_null(syscall_name(-1));
	assert_null(syscall_name((int)syscall_count()));
}

static void test_lookup_by_name(void **state)
{
	(void)state;
	check_number(ARCH_X86_64, "read", 0);
	check_number(ARCH_X86_64, "write", 1);
	check_number(ARCH_X86_64, "openat", 257);
	check_number(ARCH_X86_64, "clone3", 435);
	check_number(ARCH_I386, "read", 3);
	check_number(ARCH_I386, "openat", 295);
	check_number(ARCH_I386, "socketcall", 102);
	check_number(ARCH_X32, "read", 0x40000000);
	check_number(ARCH_X32, "openat", 0x40000000 + 257);
	check_number(ARCH_AARCH64, "read", 63);
	check_number(ARCH_AARCH64, "openat", 56);
	check_number(ARCH_ARM, "read", 3);
	check_number(ARCH_ARM, "openat", 322);
	check_number(ARCH_ARM, "mmap2", 192);
	check_number(ARCH_RISCV64, "read", 63);
	check_number(ARCH_RISCV64, "openat", 56);
	check_number(ARCH_RISCV64, "kill", 129);
}

static void test_absent(void **state)
{
	(void)state;
	assert_int_equal(syscall_lookup("no_such_syscall"), -1);
	assert_int_equal(syscall_lookup(""), -1);
	assert_int_equal(syscall_lookup("READ"), -1);
	assert_int_equal(syscall_lookup(NULL), -1);
	/* Near misses of every name: a name only when one is spelled so. */
	for (size_t i = 0; i < syscall_count(); i++) {
		char near[64];
		int idx;

		snprintf(near, sizeof(near), "%s_", syscall_name((int)i));
		assert_int_equal(syscall_lookup(near), -1);
		near[strlen(near) - 2] = '\0';
		idx = syscall_lookup(near);
		if (idx >= 0)
			assert_string_equal(syscall_name(idx), near);
		for (size_t j = 0; j < syscall_count() && idx < 0; j++)
			assert_string_not_equal(syscall_name((int)j), near);
	}
	/* Names that exist, but not on every arch. */
	assert_int_equal(syscall_number(ARCH_AARCH64, idx_of("open")), -1);
	assert_int_equal(syscall_number(ARCH_RISCV64, idx_of("mmap2")), -1);
	assert_int_equal(syscall_number(ARCH_X86_64, idx_of("socketcall")), -1);
	assert_int_equal(syscall_number(ARCH_X86_64, idx_of("_llseek")), -1);
	assert_int_equal(syscall_number(ARCH_X32, idx_of("_llseek")), -1);
	/* Numbers nothing has. */
	assert_int_equal(syscall_by_number(ARCH_X86_64, 134), -1); /* uselib */
	assert_int_equal(syscall_by_number(ARCH_X86_64, 400), -1);
	assert_int_equal(syscall_by_number(ARCH_X86_64, 0xffffffffu), -1);
	assert_int_equal(syscall_by_number(ARCH_X32, 0), -1); /* no x32 bit */
	assert_int_equal(syscall_by_number(ARCH_AARCH64, 1024), -1);
	/* Out of range arguments. */
	assert_int_equal(syscall_number(ARCH_X86_64, -1), -1);
	assert_int_equal(syscall_number(ARCH_X86_64, (int)syscall_count()), -1);
	assert_int_equal(syscall_number(ARCH_COUNT, 0), -1);
	assert_int_equal(syscall_by_number(ARCH_COUNT, 0), -1);
	assert_int_equal(syscall_signature(-1)->nparams, -1);
	assert_int_equal(syscall_since(-1), 0);
	assert_int_equal(syscall_max_number(ARCH_COUNT), 0);
}

/* Every number of every arch maps back to its name, and numbers are unique. */
static void test_round_trip(void **state)
{
	(void)state;
	for (int arch = 0; arch < ARCH_COUNT; arch++) {
		size_t present = 0;
		uint32_t max = 0;

		for (int idx = 0; idx < (int)syscall_count(); idx++) {
			int64_t nr = syscall_number(arch, idx);

			if (nr < 0)
				continue;
			present++;
			if ((uint32_t)nr > max)
				max = (uint32_t)nr;
			assert_int_equal(syscall_by_number(arch, (uint32_t)nr), idx);
			if (arch == ARCH_X32)
				assert_true(nr & ARCH_X32_SYSCALL_BIT);
			else
				assert_false(nr & ARCH_X32_SYSCALL_BIT);
		}
		assert_true(present > 300);
		assert_int_equal(syscall_max_number(arch), max);
	}
}

static void test_max_numbers(void **state)
{
	(void)state;
	assert_int_equal(syscall_max_number(ARCH_X86_64), 471);
	assert_int_equal(syscall_max_number(ARCH_I386), 471);
	assert_int_equal(syscall_max_number(ARCH_X32), 0x40000000 + 547);
	assert_int_equal(syscall_max_number(ARCH_AARCH64), 471);
	assert_int_equal(syscall_max_number(ARCH_ARM), 0xf0006); /* __ARM_NR_set_tls */
	assert_int_equal(syscall_max_number(ARCH_RISCV64), 471);
}

static void test_signatures(void **state)
{
	(void)state;
	assert_int_equal(syscall_signature(idx_of("write"))->nparams, 3);
	check_param("write", 0, "fd", "unsigned int", 32, PARAM_UNSIGNED);
	check_param("write", 1, "buf", "const char __user *", 64, PARAM_POINTER);
	check_param("write", 2, "count", "size_t", 64, PARAM_UNSIGNED);

	assert_int_equal(syscall_signature(idx_of("kill"))->nparams, 2);
	check_param("kill", 0, "pid", "pid_t", 32, PARAM_SIGNED);
	check_param("kill", 1, "sig", "int", 32, PARAM_SIGNED);

	check_param("ioctl", 0, "fd", "unsigned int", 32, PARAM_UNSIGNED);
	check_param("ioctl", 1, "cmd", "unsigned int", 32, PARAM_UNSIGNED);
	check_param("ioctl", 2, "arg", "unsigned long", 64, PARAM_UNSIGNED);

	/* x86_64's own mmap: six unsigned longs, fd included. */
	assert_int_equal(syscall_signature(idx_of("mmap"))->nparams, 6);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(param("mmap", i)->bits, 64);
		assert_int_equal(param("mmap", i)->kind, PARAM_UNSIGNED);
	}
	assert_string_equal(param("mmap", 4)->name, "fd");

	check_param("lseek", 1, "offset", "off_t", 64, PARAM_SIGNED);
	check_param("lseek", 2, "whence", "unsigned int", 32, PARAM_UNSIGNED);
	check_param("pread64", 3, "pos", "loff_t", 64, PARAM_SIGNED);

	/* x86_64 clone order: flags, newsp, parent_tid, child_tid, tls. */
	check_param("clone", 0, "clone_flags", "unsigned long", 64, PARAM_UNSIGNED);
	assert_int_equal(param("clone", 2)->kind, PARAM_POINTER);
	assert_int_equal(param("clone", 3)->kind, PARAM_POINTER);
	check_param("clone", 4, "tls", "unsigned long", 64, PARAM_UNSIGNED);

	check_param("openat", 0, "dfd", "int", 32, PARAM_SIGNED);
	check_param("openat", 2, "flags", "int", 32, PARAM_SIGNED);
	check_param("openat", 3, "mode", "umode_t", 16, PARAM_UNSIGNED);
	check_param("setuid", 0, "uid", "uid_t", 32, PARAM_UNSIGNED);
	check_param("socket", 0, "family", "int", 32, PARAM_SIGNED);
	check_param("prctl", 0, "option", "int", 32, PARAM_SIGNED);
	check_param("prctl", 1, "arg2", "unsigned long", 64, PARAM_UNSIGNED);
	check_param("arch_prctl", 0, "option", "int", 32, PARAM_SIGNED);
	check_param("capget", 0, "header", "cap_user_header_t", 64, PARAM_POINTER);
	check_param("preadv2", 5, "flags", "rwf_t", 32, PARAM_SIGNED);
	check_param("io_destroy", 0, "ctx", "aio_context_t", 64, PARAM_UNSIGNED);
	check_param("quotactl", 2, "id", "qid_t", 32, PARAM_UNSIGNED);
	check_param("landlock_add_rule", 1, "rule_type", "enum landlock_rule_type",
		    32, PARAM_UNSIGNED);

	assert_int_equal(syscall_signature(idx_of("getpid"))->nparams, 0);
	assert_int_equal(syscall_signature(idx_of("rt_sigreturn"))->nparams, 0);
	/* Not an x86_64 syscall: no signature. */
	assert_int_equal(syscall_signature(idx_of("socketcall"))->nparams, -1);
	assert_int_equal(syscall_signature(idx_of("set_thread_area"))->nparams, -1);
}

static bool is_known_missing(const char *name)
{
	for (size_t i = 0; i < sizeof(known_missing) / sizeof(known_missing[0]); i++)
		if (strcmp(name, known_missing[i]) == 0)
			return true;
	return false;
}

/* Every x86_64 syscall has a signature, or is in known_missing[]; no
 * signature is incoherent. */
static void test_signature_coverage(void **state)
{
	size_t missing = 0;

	(void)state;
	for (int idx = 0; idx < (int)syscall_count(); idx++) {
		const struct syscall_signature *sig = syscall_signature(idx);
		const char *name = syscall_name(idx);

		if (syscall_number(ARCH_X86_64, idx) < 0) {
			assert_int_equal(sig->nparams, -1);
			continue;
		}
		if (sig->nparams < 0) {
			if (!is_known_missing(name))
				fail_msg("x86_64 syscall %s has no signature", name);
			missing++;
			continue;
		}
		if (is_known_missing(name))
			fail_msg("%s has a signature: drop it from known_missing", name);
		assert_true(sig->nparams <= 6);
		for (int i = 0; i < sig->nparams; i++) {
			const struct syscall_param *p = &sig->params[i];

			assert_non_null(p->name);
			assert_non_null(p->ctype);
			assert_true(p->bits == 16 || p->bits == 32 || p->bits == 64);
			assert_true(p->kind <= PARAM_POINTER);
			if (p->kind == PARAM_POINTER)
				assert_int_equal(p->bits, 64);
		}
	}
	assert_int_equal(missing, sizeof(known_missing) / sizeof(known_missing[0]));
}

static void test_since(void **state)
{
	(void)state;
	assert_int_equal(syscall_since_floor(), 3016);
	assert_int_equal(syscall_since(idx_of("read")), 0);
	assert_int_equal(syscall_since(idx_of("renameat2")), 0);
	assert_int_equal(syscall_since(idx_of("seccomp")), 3017);
	assert_int_equal(syscall_since(idx_of("bpf")), 3018);
	assert_int_equal(syscall_since(idx_of("membarrier")), 4003);
	assert_int_equal(syscall_since(idx_of("clone3")), 5003);
	assert_int_equal(syscall_since(idx_of("openat2")), 5006);
	assert_int_equal(syscall_since(idx_of("close_range")), 5009);
	assert_int_equal(syscall_since(idx_of("mseal")), 6010);
	assert_int_equal(syscall_since(idx_of("rseq_slice_yield")), 7000);
	/* Every x86_64 syscall numbered from seccomp (317) on has a version. */
	for (int idx = 0; idx < (int)syscall_count(); idx++) {
		int64_t nr = syscall_number(ARCH_X86_64, idx);
		unsigned since = syscall_since(idx);

		if (nr >= 317)
			assert_true(since > syscall_since_floor());
		else
			assert_int_equal(since, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_sorted),
		cmocka_unit_test(test_lookup_by_name),
		cmocka_unit_test(test_absent),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_max_numbers),
		cmocka_unit_test(test_signatures),
		cmocka_unit_test(test_signature_coverage),
		cmocka_unit_test(test_since),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
