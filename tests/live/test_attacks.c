/*
 * Attacks on correct filters, in the kernel. Each attack is first made
 * without a filter (the control run), to show that the call reaches the
 * kernel and does something the rule is there to stop; then under the
 * filter, where the kernel, syscage_policy_evaluate and the emulator must all
 * give the rule's verdict (live_agree).
 *
 * Only harmless calls: kill with signal 0, fd -1 or a memfd/pipe of our
 * own, mkdir with a NULL path.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "live.h"

#define NEG(x) ((uint64_t)(int64_t)(x))
#define HI(x) ((uint64_t)(x) << 32)
#define X32_BIT 0x40000000ull

struct compiled {
	struct syscage_policy *policy;
	struct syscage_program *prog;
};

static struct compiled compile(const char *text)
{
	struct compiled c;

	c.prog = live_compile(text, &c.policy);
	return c;
}

static void release(struct compiled *c)
{
	syscage_program_free(c->prog);
	syscage_policy_free(c->policy);
}

static long nr_of(const char *arch, const char *name)
{
	long nr = syscage_syscall_number(arch, name);

	assert_true(nr >= 0);
	return nr;
}

/* The control run: nr(args) without a filter. */
static struct live_outcome unfiltered(enum live_mode mode, uint64_t nr, const uint64_t args[6])
{
	struct live_outcome o;

	live_run(NULL, mode, nr, args, &o);
	assert_int_equal(o.kind, LIVE_RETURNED);
	return o;
}

static void assert_agree(const struct compiled *c, enum live_mode mode, uint64_t nr,
			 const uint64_t args[6], uint32_t expect, const char *what)
{
	if (!live_agree(c->policy, c->prog, mode, nr, args, expect, what, NULL))
		fail_msg("%s: see above", what);
}

/* ---- arch checks ---------------------------------------------------------- */

/*
 * x86_64 allows getpid (39). Number 39 through int $0x80 is i386's mkdir: a
 * filter that looked at the number before the arch would let it through.
 */
static void test_i386_entry_of_allowed_number_is_killed(void **state)
{
	struct compiled c = compile("default errno 99\n"
				    "allow write, exit_group, getpid\n");
	const uint64_t args[6] = { 0 };
	struct live_outcome o;

	(void)state;
	assert_int_equal(nr_of("x86_64", "getpid"), 39);
	assert_int_equal(nr_of("i386", "mkdir"), 39);
	/* Control: the kernel runs mkdir(NULL, 0): EFAULT. */
	o = unfiltered(LIVE_I386, 39, args);
	assert_int_equal(o.ret, -1);
	assert_int_equal(o.err, EFAULT);
	/* The native call is allowed; the i386 one is killed. */
	assert_agree(&c, LIVE_NATIVE, 39, args, SECCOMP_RET_ALLOW, "native getpid");
	assert_agree(&c, LIVE_I386, 39, args, SECCOMP_RET_KILL_PROCESS, "i386 39 (mkdir)");
	assert_agree(&c, LIVE_I386, nr_of("i386", "getpid"), args, SECCOMP_RET_KILL_PROCESS,
		     "i386 getpid");
	/* Upper-half garbage in eax changes nothing. */
	assert_agree(&c, LIVE_I386, HI(1) | 39, args, SECCOMP_RET_KILL_PROCESS, "i386 39 | 1<<32");
	release(&c);
}

/* The same with i386 covered: i386's 39 is mkdir, which is not allowed. */
static void test_i386_numbers_are_i386_ones(void **state)
{
	struct compiled c = compile("arch x86_64, i386\n"
				    "default errno 99\n"
				    "allow write, exit_group, getpid\n");
	const uint64_t args[6] = { 0 };
	struct live_outcome o;

	(void)state;
	o = unfiltered(LIVE_I386, 39, args);
	assert_int_equal(o.err, EFAULT);
	assert_agree(&c, LIVE_I386, 39, args, SECCOMP_RET_ERRNO | 99, "i386 39 (mkdir)");
	assert_agree(&c, LIVE_I386, nr_of("i386", "getpid"), args, SECCOMP_RET_ALLOW, "i386 getpid");
	release(&c);
}

/* getpid with the x32 bit: the same low bits as an allowed syscall. */
static void test_x32_entry_of_allowed_syscall_is_killed(void **state)
{
	struct compiled c = compile("default errno 99\n"
				    "allow write, exit_group, getpid, getppid\n");
	const uint64_t args[6] = { 0 };
	struct live_outcome o;

	(void)state;
	/* Control: the call reaches the kernel, which has no x32 here. */
	o = unfiltered(LIVE_X32, 39, args);
	assert_int_equal(o.ret, -1);
	assert_int_equal(o.err, ENOSYS);
	assert_agree(&c, LIVE_NATIVE, 39, args, SECCOMP_RET_ALLOW, "native getpid");
	assert_agree(&c, LIVE_X32, 39, args, SECCOMP_RET_KILL_PROCESS, "x32 39");
	assert_agree(&c, LIVE_X32, nr_of("x32", "getpid"), args, SECCOMP_RET_KILL_PROCESS,
		     "x32 getpid");
	assert_agree(&c, LIVE_X32, nr_of("x32", "getppid"), args, SECCOMP_RET_KILL_PROCESS,
		     "x32 getppid");
	/* Any number with the x32 bit, and numbers beyond it. */
	assert_agree(&c, LIVE_NATIVE, 0x7fffffff, args, SECCOMP_RET_KILL_PROCESS, "0x7fffffff");
	assert_agree(&c, LIVE_NATIVE, 0xffffffff, args, SECCOMP_RET_KILL_PROCESS, "0xffffffff");
	assert_agree(&c, LIVE_NATIVE, HI(0xdead) | X32_BIT | 39, args, SECCOMP_RET_KILL_PROCESS,
		     "x32 39 with rax garbage");
	release(&c);
}

/* ---- 32-bit arguments ------------------------------------------------------- */

static int fionread_result;

/*
 * A deny rule on a 32-bit ioctl request. The kernel truncates cmd, so
 * FIONREAD | 1 << 32 is FIONREAD: on a pipe holding 3 bytes it succeeds
 * (and stores 3), where an unknown request fails with ENOTTY.
 */
static void test_upper_half_cannot_bypass_32bit_deny(void **state)
{
	struct compiled c = compile("default allow\n"
				    "errno EPERM ioctl if cmd == FIONREAD\n"
				    "errno EACCES ioctl if cmd == TIOCSTI\n");
	int p[2];
	struct live_outcome o;

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "abc", 3), 3);
	{
		const uint64_t attack[6] = { (uint64_t)p[0], HI(1) | FIONREAD,
					     (uint64_t)(uintptr_t)&fionread_result };
		const uint64_t unknown[6] = { (uint64_t)p[0], HI(1) | (FIONREAD + 0x100),
					      (uint64_t)(uintptr_t)&fionread_result };
		const uint64_t sti[6] = { NEG(-1), HI(0xffffffff) | TIOCSTI };

		/* Control: FIONREAD with garbage is FIONREAD to the kernel. */
		o = unfiltered(LIVE_NATIVE, SYS_ioctl, attack);
		assert_int_equal(o.ret, 0);
		o = unfiltered(LIVE_NATIVE, SYS_ioctl, unknown);
		assert_int_equal(o.err, ENOTTY);
		o = unfiltered(LIVE_NATIVE, SYS_ioctl, sti);
		assert_int_equal(o.err, EBADF);
		assert_agree(&c, LIVE_NATIVE, SYS_ioctl, attack, SECCOMP_RET_ERRNO | EPERM,
			     "ioctl FIONREAD | 1<<32");
		assert_agree(&c, LIVE_NATIVE, SYS_ioctl, sti, SECCOMP_RET_ERRNO | EACCES,
			     "ioctl TIOCSTI | 0xffffffff<<32");
		assert_agree(&c, LIVE_NATIVE, SYS_ioctl, unknown, SECCOMP_RET_ALLOW,
			     "ioctl unknown request");
	}
	close(p[0]);
	close(p[1]);
	release(&c);
}

/* The same through int $0x80, where every register's upper half reaches
 * the filter as garbage and only the low 32 bits reach the syscall. */
static void test_upper_half_cannot_bypass_32bit_deny_i386(void **state)
{
	struct compiled c = compile("arch x86_64, i386\n"
				    "default allow\n"
				    "errno EPERM ioctl if cmd == FIONREAD\n"
				    "errno EACCES kill if pid == 1\n");
	long ioctl32 = nr_of("i386", "ioctl"), kill32 = nr_of("i386", "kill");
	int *result, p[2];
	struct live_outcome o;

	(void)state;
	result = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
		      -1, 0);
	assert_true(result != MAP_FAILED);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "abc", 3), 3);
	{
		const uint64_t attack[6] = { HI(0xdead) | (uint64_t)p[0], HI(0xbeef) | FIONREAD,
					     HI(0xf00d) | (uint64_t)(uintptr_t)result };
		const uint64_t kill1[6] = { HI(0x1234) | 1, HI(0x5678) };

		o = unfiltered(LIVE_I386, (uint64_t)ioctl32, attack);
		assert_int_equal(o.ret, 0);
		o = unfiltered(LIVE_I386, (uint64_t)kill32, kill1);
		assert_int_equal(o.ret, 0);
		assert_agree(&c, LIVE_I386, (uint64_t)ioctl32, attack, SECCOMP_RET_ERRNO | EPERM,
			     "i386 ioctl FIONREAD with garbage");
		assert_agree(&c, LIVE_I386, (uint64_t)kill32, kill1, SECCOMP_RET_ERRNO | EACCES,
			     "i386 kill(1 with garbage, 0 with garbage)");
	}
	close(p[0]);
	close(p[1]);
	munmap(result, 4096);
	release(&c);
}

/* ---- 64-bit arguments ------------------------------------------------------- */

/*
 * An allow rule on one 64-bit offset: offsets equal to it in one half only
 * must be refused. On a memfd the kernel seeks to exactly what it is given.
 */
static void test_one_half_equal_cannot_bypass_64bit(void **state)
{
	struct compiled c = compile("default errno 99\n"
				    "allow write, exit_group\n"
				    "allow lseek if offset == 0x100000005 && whence == SEEK_SET\n");
	struct compiled deny = compile("default allow\n"
				       "errno EPERM lseek if offset == 0x100000005\n");
	static const uint64_t offsets[] = {
		0x5, 0x100000000, 0x200000005, 0x100000004, 0x1100000005, 0xffffffff00000005,
	};
	int fd = memfd_create("syscage-live", 0);
	struct live_outcome o;

	(void)state;
	assert_true(fd >= 0);
	for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		const uint64_t args[6] = { (uint64_t)fd, offsets[i], SEEK_SET };
		char what[64];

		snprintf(what, sizeof(what), "lseek to %#llx", (unsigned long long)offsets[i]);
		o = unfiltered(LIVE_NATIVE, SYS_lseek, args);
		if ((int64_t)offsets[i] >= 0)
			assert_int_equal(o.ret, (long)offsets[i]);
		assert_agree(&c, LIVE_NATIVE, SYS_lseek, args, SECCOMP_RET_ERRNO | 99, what);
		assert_agree(&deny, LIVE_NATIVE, SYS_lseek, args, SECCOMP_RET_ALLOW, what);
	}
	{
		const uint64_t args[6] = { (uint64_t)fd, 0x100000005, SEEK_SET };

		o = unfiltered(LIVE_NATIVE, SYS_lseek, args);
		assert_int_equal(o.ret, 0x100000005);
		assert_agree(&c, LIVE_NATIVE, SYS_lseek, args, SECCOMP_RET_ALLOW, "lseek 0x100000005");
		assert_agree(&deny, LIVE_NATIVE, SYS_lseek, args, SECCOMP_RET_ERRNO | EPERM,
			     "lseek 0x100000005 (deny)");
	}
	close(fd);
	release(&c);
	release(&deny);
}

/* ---- signed arguments ------------------------------------------------------- */

/*
 * allow kill if pid > 0: kill(-1, sig) signals every process. -1 in any
 * spelling the kernel reads as -1 must be refused. (Signal 0: only checks.)
 */
static void test_negative_pid_cannot_pass_signed_gt(void **state)
{
	struct compiled c = compile("default errno 99\n"
				    "allow write, exit_group\n"
				    "allow kill if pid > 0 && sig == 0\n");
	static const uint64_t pids[] = {
		NEG(-1), 0xffffffff, HI(1) | 0xffffffff, HI(0x7fffffff) | 0xffffffff,
		0x80000000, NEG(-2), 0xfffffffe, 0, HI(1),
	};
	struct live_outcome o;

	(void)state;
	for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
		const uint64_t args[6] = { pids[i], 0 };
		char what[64];

		snprintf(what, sizeof(what), "kill(%#llx, 0)", (unsigned long long)pids[i]);
		/* Control: the kernel accepts the call (signal 0 checks only). */
		o = unfiltered(LIVE_NATIVE, SYS_kill, args);
		if ((uint32_t)pids[i] == 0xffffffff)
			assert_int_equal(o.ret, 0);	/* -1: every process */
		assert_agree(&c, LIVE_NATIVE, SYS_kill, args, SECCOMP_RET_ERRNO | 99, what);
	}
	{
		/* Legitimate calls still pass, also with upper-half garbage. */
		const uint64_t one[6] = { 1, 0 };
		const uint64_t one_hi[6] = { HI(0xffffffff) | 1, HI(0xffffffff) };
		const uint64_t sig_nonzero[6] = { 1, 0xffffffff };

		assert_agree(&c, LIVE_NATIVE, SYS_kill, one, SECCOMP_RET_ALLOW, "kill(1, 0)");
		assert_agree(&c, LIVE_NATIVE, SYS_kill, one_hi, SECCOMP_RET_ALLOW,
			     "kill(1 | garbage, 0 | garbage)");
		/* sig -1 would be EINVAL anyway: never a real signal here. */
		assert_agree(&c, LIVE_NATIVE, SYS_kill, sig_nonzero, SECCOMP_RET_ERRNO | 99,
			     "kill(1, -1)");
	}
	release(&c);
}

/* The same rule on i386: the 32-bit pid in ebx, upper half garbage. */
static void test_negative_pid_cannot_pass_signed_gt_i386(void **state)
{
	struct compiled c = compile("arch x86_64, i386\n"
				    "default errno 99\n"
				    "allow write, exit_group\n"
				    "allow kill if pid > 0 && sig == 0\n");
	long kill32 = nr_of("i386", "kill");
	static const uint64_t pids[] = {
		0xffffffff, HI(1) | 0xffffffff, NEG(-1), HI(0x7fffffff) | 0x80000000, HI(5),
	};
	struct live_outcome o;

	(void)state;
	for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
		const uint64_t args[6] = { pids[i], HI(3) };
		char what[64];

		snprintf(what, sizeof(what), "i386 kill(%#llx, 0)", (unsigned long long)pids[i]);
		o = unfiltered(LIVE_I386, (uint64_t)kill32, args);
		if ((uint32_t)pids[i] == 0xffffffff)
			assert_int_equal(o.ret, 0);
		assert_agree(&c, LIVE_I386, (uint64_t)kill32, args, SECCOMP_RET_ERRNO | 99, what);
	}
	{
		const uint64_t ok[6] = { HI(0x80000000) | 1, HI(0xffffffff) };

		assert_agree(&c, LIVE_I386, (uint64_t)kill32, ok, SECCOMP_RET_ALLOW,
			     "i386 kill(1 | garbage, 0 | garbage)");
	}
	release(&c);
}

/* Signed 64 bits: lseek offset < 0 refused whatever the low half says. */
static void test_negative_offset_cannot_pass_signed_64(void **state)
{
	struct compiled c = compile("default errno 99\n"
				    "allow write, exit_group\n"
				    "allow lseek if offset >= 0\n");
	static const uint64_t offsets[] = { NEG(-1), 0x8000000000000000, 0xffffffff00000005,
					    0x800000007fffffff };
	int fd = memfd_create("syscage-live", 0);
	struct live_outcome o;

	(void)state;
	assert_true(fd >= 0);
	for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		const uint64_t args[6] = { (uint64_t)fd, offsets[i], SEEK_SET };
		char what[64];

		snprintf(what, sizeof(what), "lseek to %#llx", (unsigned long long)offsets[i]);
		/* Control: a negative offset reaches the kernel (EINVAL). */
		o = unfiltered(LIVE_NATIVE, SYS_lseek, args);
		assert_int_equal(o.err, EINVAL);
		assert_agree(&c, LIVE_NATIVE, SYS_lseek, args, SECCOMP_RET_ERRNO | 99, what);
	}
	{
		const uint64_t args[6] = { (uint64_t)fd, 0x7fffffff, SEEK_SET };

		assert_agree(&c, LIVE_NATIVE, SYS_lseek, args, SECCOMP_RET_ALLOW, "lseek 0x7fffffff");
	}
	close(fd);
	release(&c);
}

/* ---- 16-bit arguments ------------------------------------------------------- */

static unsigned file_mode(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	return st.st_mode & 07777;
}

/*
 * fchmod's mode is umode_t: the kernel keeps 16 bits (and applies 12), so
 * 0x10000 | 04755 sets 04755. A rule on mode == 04755 must catch it.
 */
static void test_16bit_mode_cannot_bypass(void **state)
{
	struct compiled eq = compile("default allow\n"
				     "errno EPERM fchmod if mode == 04755\n");
	struct compiled bits = compile("default allow\n"
				       "errno EACCES fchmod if mode & (S_ISUID | S_ISGID)\n"
				       "errno EPERM fchmod if mode & 07777 == 04755\n");
	static const uint64_t modes[] = {
		0x10000 | 04755, HI(1) | 04755, 0xffff0000 | 04755, NEG(-0x10000) | 04755,
	};
	int fd = memfd_create("syscage-live", 0);
	struct live_outcome o;

	(void)state;
	assert_true(fd >= 0);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		const uint64_t args[6] = { (uint64_t)fd, modes[i] };
		char what[64];

		snprintf(what, sizeof(what), "fchmod(memfd, %#llx)", (unsigned long long)modes[i]);
		/* Control: the kernel sets 04755. */
		assert_int_equal(fchmod(fd, 0600), 0);
		o = unfiltered(LIVE_NATIVE, SYS_fchmod, args);
		assert_int_equal(o.ret, 0);
		assert_int_equal(file_mode(fd), 04755);
		/* Under the filters it is refused, and the mode stays. */
		assert_int_equal(fchmod(fd, 0600), 0);
		assert_agree(&eq, LIVE_NATIVE, SYS_fchmod, args, SECCOMP_RET_ERRNO | EPERM, what);
		assert_agree(&bits, LIVE_NATIVE, SYS_fchmod, args, SECCOMP_RET_ERRNO | EACCES, what);
		assert_int_equal(file_mode(fd), 0600);
	}
	{
		/* Bits 12..15 are inside umode_t but the kernel ignores them for
		 * chmod: mode == 04755 does not see 014755 as 04755 (the policy
		 * says ==), a mask on the permission bits does. */
		const uint64_t args[6] = { (uint64_t)fd, 014755 };

		assert_int_equal(fchmod(fd, 0600), 0);
		o = unfiltered(LIVE_NATIVE, SYS_fchmod, args);
		assert_int_equal(o.ret, 0);
		assert_int_equal(file_mode(fd), 04755);
		assert_int_equal(fchmod(fd, 0600), 0);
		assert_agree(&bits, LIVE_NATIVE, SYS_fchmod, args, SECCOMP_RET_ERRNO | EACCES,
			     "fchmod(memfd, 014755)");
		assert_int_equal(file_mode(fd), 0600);
	}
	close(fd);
	release(&eq);
	release(&bits);
}

/*
 * i386's fchown (95) is fchown16: the kernel reads 16 bits of the uid, so
 * 0x10000 gives the file to root. A rule on user == 0 must see it.
 */
static void test_16bit_uid_cannot_bypass_i386(void **state)
{
	struct compiled c = compile("arch x86_64, i386\n"
				    "default allow\n"
				    "errno EPERM fchown if user == 0\n"
				    "errno EACCES fchown if group == -1\n");
	long fchown16 = nr_of("i386", "fchown");
	int fd = memfd_create("syscage-live", 0);
	struct stat st;
	struct live_outcome o;

	(void)state;
	assert_int_equal(fchown16, 95);
	assert_true(fd >= 0);
	{
		/* Control: 0x10000 is root to the kernel. */
		const uint64_t args[6] = { (uint64_t)fd, 0x10000, 1234 };

		assert_int_equal(fchown(fd, 1234, 1234), 0);
		o = unfiltered(LIVE_I386, (uint64_t)fchown16, args);
		assert_int_equal(o.ret, 0);
		assert_int_equal(fstat(fd, &st), 0);
		assert_int_equal(st.st_uid, 0);
		assert_int_equal(fchown(fd, 1234, 1234), 0);
		assert_agree(&c, LIVE_I386, (uint64_t)fchown16, args, SECCOMP_RET_ERRNO | EPERM,
			     "i386 fchown16(fd, 0x10000, 1234)");
		assert_int_equal(fstat(fd, &st), 0);
		assert_int_equal(st.st_uid, 1234);
	}
	{
		/* 0x1ffff is 0xffff there, which is -1: the group stays. */
		const uint64_t args[6] = { (uint64_t)fd, 1234, 0x1ffff };

		assert_agree(&c, LIVE_I386, (uint64_t)fchown16, args, SECCOMP_RET_ERRNO | EACCES,
			     "i386 fchown16(fd, 1234, 0x1ffff)");
	}
	close(fd);
	release(&c);
}

/* ---- what the compiler refuses ---------------------------------------------- */

/* i386's mmap (90) is old_mmap: its arguments are in memory. */
static void test_old_mmap_condition_is_refused(void **state)
{
	static const char text[] = "arch x86_64, i386\n"
				   "default allow\n"
				   "errno EPERM io_uring_setup\n"
				   "errno EPERM mmap if prot & PROT_EXEC\n";
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_policy *policy = NULL;

	(void)state;
	assert_int_equal(syscage_policy_parse("mmap.policy", text, strlen(text), NULL, diags, &policy),
			 -EINVAL);
	assert_null(policy);
	assert_int_equal(syscage_diagnostics_errors(diags), 1);
	assert_non_null(strstr(syscage_diagnostic_message(diags, 0), "old_mmap"));
	assert_int_equal(syscage_diagnostic_line(diags, 0), 4);
	syscage_diagnostics_free(diags);
}

static void test_pointer_comparison_is_refused(void **state)
{
	static const char text[] = "default kill\n"
				   "allow write if buf == 0\n";
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_policy *policy = NULL;
	bool mentions_pointer = false;

	(void)state;
	assert_non_null(diags);
	assert_int_equal(syscage_policy_parse("ptr.policy", text, strlen(text), NULL, diags, &policy),
			 -EINVAL);
	assert_null(policy);
	assert_true(syscage_diagnostics_errors(diags) >= 1);
	for (size_t i = 0; i < syscage_diagnostics_count(diags); i++) {
		if (syscage_diagnostic_severity(diags, i) == SYSCAGE_ERROR &&
		    strstr(syscage_diagnostic_message(diags, i), "pointer")) {
			mentions_pointer = true;
			assert_int_equal(syscage_diagnostic_line(diags, i), 2);
		}
	}
	assert_true(mentions_pointer);
	syscage_diagnostics_free(diags);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_i386_entry_of_allowed_number_is_killed),
		cmocka_unit_test(test_i386_numbers_are_i386_ones),
		cmocka_unit_test(test_x32_entry_of_allowed_syscall_is_killed),
		cmocka_unit_test(test_upper_half_cannot_bypass_32bit_deny),
		cmocka_unit_test(test_upper_half_cannot_bypass_32bit_deny_i386),
		cmocka_unit_test(test_one_half_equal_cannot_bypass_64bit),
		cmocka_unit_test(test_negative_pid_cannot_pass_signed_gt),
		cmocka_unit_test(test_negative_pid_cannot_pass_signed_gt_i386),
		cmocka_unit_test(test_negative_offset_cannot_pass_signed_64),
		cmocka_unit_test(test_16bit_mode_cannot_bypass),
		cmocka_unit_test(test_16bit_uid_cannot_bypass_i386),
		cmocka_unit_test(test_pointer_comparison_is_refused),
		cmocka_unit_test(test_old_mmap_condition_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
