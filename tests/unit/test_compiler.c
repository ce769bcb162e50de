/*
 * The compiler through the public API: policies in, programs out; the
 * program's emulated verdicts against the policy's own; determinism; the
 * instruction limit; allocation failures at every point.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/seccomp.h>

#include "arena.h"
#include "dispatch.h"
#include "helpers.h"
#include "syscage.h"

static struct syscage_policy *parse(const char *text, const char *arches)
{
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_policy *policy = NULL;
	int err = syscage_policy_parse("test.policy", text, strlen(text), arches, diags, &policy);

	if (err) {
		for (size_t i = 0; i < syscage_diagnostics_count(diags); i++)
			fputs(syscage_diagnostic_text(diags, i), stderr);
	}
	assert_int_equal(err, 0);
	syscage_diagnostics_free(diags);
	return policy;
}

static struct syscage_program *compile(const struct syscage_policy *policy)
{
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_program *prog = NULL;
	int err = syscage_compile(policy, diags, &prog);

	if (err) {
		for (size_t i = 0; i < syscage_diagnostics_count(diags); i++)
			fputs(syscage_diagnostic_text(diags, i), stderr);
	}
	assert_int_equal(err, 0);
	syscage_diagnostics_free(diags);
	return prog;
}

/* The verdict of the program and of the policy for one call. */
static uint32_t verdict(const struct syscage_program *prog, const struct syscage_policy *policy,
			uint32_t arch, uint32_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	uint64_t args[6] = { a0, a1, a2, 0, 0, 0 };
	struct syscage_verdict v;
	uint32_t ret;

	assert_int_equal(syscage_program_emulate(prog, arch, nr, args, &ret, NULL), 0);
	syscage_policy_evaluate(policy, arch, nr, args, &v);
	assert_int_equal(ret, v.seccomp_ret);
	return ret;
}

#define X86 AUDIT_ARCH_X86_64
#define ERR(n) (SECCOMP_RET_ERRNO | (n))

static void test_semantics(void **state)
{
	(void)state;
	struct syscage_policy *p = parse("default errno 1\n"
					 "errno 2 write if fd == 1\n"
					 "allow write if fd < 3\n"
					 "kill kill if pid <= 0\n"
					 "allow kill\n"
					 "errno 3 ioctl if cmd == TIOCSTI\n"
					 "allow ioctl\n"
					 "errno 4 lseek if offset == 0x100000005\n"
					 "errno 5 lseek if offset < 0\n"
					 "allow lseek\n"
					 "errno 6 openat if flags & O_ACCMODE != O_RDONLY\n"
					 "allow openat\n"
					 "errno 7 fchmod if mode == 04755\n",
					 NULL);
	struct syscage_program *prog = compile(p);

	/* first match: fd 1 hits errno 2 before the allow */
	assert_int_equal(verdict(prog, p, X86, 1, 1, 0, 0), ERR(2));
	assert_int_equal(verdict(prog, p, X86, 1, 2, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(verdict(prog, p, X86, 1, 3, 0, 0), ERR(1));
	/* fd is 32 bits: the upper half is ignored */
	assert_int_equal(verdict(prog, p, X86, 1, 0xffffffff00000001, 0, 0), ERR(2));
	/* pid is a signed 32-bit int: -1 and 0x1ffffffff (low half -1) are <= 0 */
	assert_int_equal(verdict(prog, p, X86, 62, (uint64_t)-1, 0, 0), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(verdict(prog, p, X86, 62, 0x1ffffffff, 0, 0), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(verdict(prog, p, X86, 62, 0x100000001, 0, 0), SECCOMP_RET_ALLOW);
	/* cmd is 32 bits: TIOCSTI with garbage above is TIOCSTI */
	assert_int_equal(verdict(prog, p, X86, 16, 0, 0x5412, 0), ERR(3));
	assert_int_equal(verdict(prog, p, X86, 16, 0, 0x100005412, 0), ERR(3));
	/* offset is 64 bits: both halves count, and it is signed */
	assert_int_equal(verdict(prog, p, X86, 8, 0, 0x100000005, 0), ERR(4));
	assert_int_equal(verdict(prog, p, X86, 8, 0, 0x5, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(verdict(prog, p, X86, 8, 0, 0x200000005, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(verdict(prog, p, X86, 8, 0, (uint64_t)-5, 0), ERR(5));
	assert_int_equal(verdict(prog, p, X86, 8, 0, 0x8000000000000000, 0), ERR(5));
	/* masks */
	assert_int_equal(verdict(prog, p, X86, 257, 0, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(verdict(prog, p, X86, 257, 0, 0, 02), ERR(6));
	assert_int_equal(verdict(prog, p, X86, 257, 0, 0, 0100000), SECCOMP_RET_ALLOW);
	/* mode is umode_t, 16 bits */
	assert_int_equal(verdict(prog, p, X86, 91, 0, 04755, 0), ERR(7));
	assert_int_equal(verdict(prog, p, X86, 91, 0, 0x10000 | 04755, 0), ERR(7));
	/* not named: default; x32 and i386 not covered: kill */
	assert_int_equal(verdict(prog, p, X86, 39, 0, 0, 0), ERR(1));
	assert_int_equal(verdict(prog, p, X86, 0x40000001, 1, 0, 0), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(verdict(prog, p, AUDIT_ARCH_I386, 4, 1, 0, 0), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(verdict(prog, p, X86, 0xffffffff, 1, 0, 0), SECCOMP_RET_KILL_PROCESS);
	/* every x86_64 number (a range at a time: both ends of each range,
	 * test_verify.c), and the argument values */
	assert_true(syscage_program_verified_cases(prog) > 150);
	syscage_program_free(prog);
	syscage_policy_free(p);
}

static void test_multi_arch(void **state)
{
	(void)state;
	struct syscage_policy *p = parse("arch x86_64, i386, x32, aarch64, arm, riscv64\n"
					 "default errno 1\n"
					 "allow read, open\n"
					 "errno 9 write if fd == 2\n",
					 NULL);
	struct syscage_program *prog = compile(p);

	assert_int_equal(verdict(prog, p, X86, 0, 0, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(verdict(prog, p, AUDIT_ARCH_I386, 3, 0, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(verdict(prog, p, AUDIT_ARCH_I386, 4, 0xdead00000002, 0, 0), ERR(9));
	assert_int_equal(verdict(prog, p, X86, 0x40000000, 0, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(verdict(prog, p, AUDIT_ARCH_AARCH64, 63, 0, 0, 0), SECCOMP_RET_ALLOW);
	/* open does not exist on aarch64: 1024 is not a syscall there */
	assert_int_equal(verdict(prog, p, AUDIT_ARCH_AARCH64, 1024, 0, 0, 0), ERR(1));
	assert_int_equal(verdict(prog, p, AUDIT_ARCH_RISCV64, 64, 2, 0, 0), ERR(9));
	assert_int_equal(verdict(prog, p, 0x12345678, 0, 0, 0, 0), SECCOMP_RET_KILL_PROCESS);
	syscage_program_free(prog);
	syscage_policy_free(p);
}

static void test_deterministic(void **state)
{
	(void)state;
	const char *text = "default kill\nallow @basic\nerrno EACCES openat if flags & 3 != 0\n"
			   "allow openat\nallow ioctl if cmd in (TCGETS, TIOCGWINSZ, FIONREAD)\n";
	struct syscage_policy *p1 = parse(text, "x86_64,i386"), *p2 = parse(text, "x86_64,i386");
	struct syscage_program *a = compile(p1), *b = compile(p2);

	assert_int_equal(syscage_program_length(a), syscage_program_length(b));
	assert_memory_equal(syscage_program_instructions(a), syscage_program_instructions(b),
			    syscage_program_length(a) * sizeof(struct sock_filter));
	syscage_program_free(a);
	syscage_program_free(b);
	syscage_policy_free(p1);
	syscage_policy_free(p2);
}

/* Argument checks on a few hundred syscalls, on six arches: more
 * instructions than the kernel takes. */
static void test_too_long(void **state)
{
	(void)state;
	char *text = malloc(1 << 20), rule[128];
	size_t n = (size_t)sprintf(text, "arch x86_64, i386, x32, aarch64, arm, riscv64\ndefault kill\n");
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_policy *p = NULL;
	struct syscage_program *prog = NULL;

	for (uint32_t nr = 0; nr < 300; nr++) {
		const char *name = syscage_syscall_name("x86_64", nr);
		struct syscage_diagnostics *d;
		struct syscage_policy *one = NULL;
		int len;

		if (!name)
			continue;
		d = syscage_diagnostics_new();
		len = snprintf(rule, sizeof(rule), "errno %u %s if arg5 == 0x123456%02x\n", nr % 4000 + 1,
			       name, nr % 256);
		/* Leave out the syscalls whose sixth argument is a pointer. */
		memcpy(text + n, rule, (size_t)len + 1);
		if (syscage_policy_parse("one.policy", text, n + (size_t)len, NULL, d, &one) == 0)
			n += (size_t)len;
		syscage_policy_free(one);
		syscage_diagnostics_free(d);
	}
	assert_int_equal(syscage_policy_parse("big.policy", text, n, NULL, diags, &p), 0);
	assert_int_equal(syscage_compile(p, diags, &prog), -E2BIG);
	assert_null(prog);
	const char *msg = syscage_diagnostic_text(diags, syscage_diagnostics_count(diags) - 1);
	const char *has = strstr(msg, "filter has ");

	assert_non_null(strstr(msg, "at most 4096"));
	/* The length it has: more than the kernel takes, and the real one. */
	assert_non_null(has);
	unsigned long count = strtoul(has + strlen("filter has "), NULL, 10);
	assert_true(count > 4096 && count < 65536);
	syscage_policy_free(p);
	syscage_diagnostics_free(diags);
	free(text);
}

/* Fails the n-th allocation for every n until a compile succeeds: each
 * failure must come back as -ENOMEM without a leak (ASan checks that). */
static void test_allocation_failures(void **state)
{
	(void)state;
	const char *text = "arch x86_64, i386\ndefault errno EPERM\ngroup @io = read, write\n"
			   "allow @io if fd in (0, 1, 2)\nallow @exit\nkill kill if pid <= 0\n";
	int done = 0;

	for (long n = 0; n < 100000 && !done; n++) {
		struct syscage_diagnostics *diags = syscage_diagnostics_new();
		struct syscage_policy *p = NULL;
		struct syscage_program *prog = NULL;
		int err;

		arena_fail_after(n);
		err = syscage_policy_parse("oom.policy", text, strlen(text), NULL, diags, &p);
		if (!err)
			err = syscage_compile(p, diags, &prog);
		arena_fail_after(-1);
		if (err)
			assert_int_equal(err, -ENOMEM);
		else
			done = 1;
		syscage_program_free(prog);
		syscage_policy_free(p);
		syscage_diagnostics_free(diags);
	}
	assert_true(done);
}

static int open_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(dir);
	while (readdir(dir))
		n++;
	closedir(dir);
	return n;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Running out of memory while policy files are open closes them again, and
 * leaks nothing else (ASan's leak check sees the rest). */
static void test_allocation_failures_in_files(void **state)
{
	(void)state;
	char dir[] = "/tmp/syscage-oom-XXXXXX", main_path[64], base_path[64];
	int done = 0, fds;

	assert_non_null(mkdtemp(dir));
	snprintf(main_path, sizeof(main_path), "%s/main.policy", dir);
	snprintf(base_path, sizeof(base_path), "%s/base.policy", dir);
	write_file(base_path, "allow read, write\n");
	write_file(main_path, "default kill\ninclude \"base.policy\"\nallow @exit\n");
	fds = open_fds();
	for (long n = 0; n < 100000 && !done; n++) {
		struct syscage_diagnostics *diags = syscage_diagnostics_new();
		struct syscage_policy *p = NULL;
		int err;

		arena_fail_after(n);
		err = syscage_policy_load(main_path, NULL, diags, &p);
		arena_fail_after(-1);
		if (err)
			assert_int_equal(err, -ENOMEM);
		else
			done = 1;
		assert_int_equal(open_fds(), fds);
		syscage_policy_free(p);
		syscage_diagnostics_free(diags);
	}
	assert_true(done);
	unlink(main_path);
	unlink(base_path);
	rmdir(dir);
}

static void test_formats(void **state)
{
	(void)state;
	struct syscage_policy *p = parse("default kill\nallow write if fd == 1\n", NULL);
	struct syscage_program *prog = compile(p);
	char *buf;
	size_t len;

	assert_int_equal(syscage_program_format(prog, SYSCAGE_FORMAT_BPF, &buf, &len), 0);
	assert_int_equal(len, syscage_program_length(prog) * 8);
	free(buf);
	assert_int_equal(syscage_program_format(prog, SYSCAGE_FORMAT_ASM, &buf, &len), 0);
	assert_non_null(strstr(buf, "test.policy:2"));
	assert_non_null(strstr(buf, "ld arch"));
	free(buf);
	assert_int_equal(syscage_program_format(prog, SYSCAGE_FORMAT_C, &buf, &len), 0);
	assert_non_null(strstr(buf, "struct sock_filter"));
	free(buf);
	assert_int_equal(syscage_program_format(prog, SYSCAGE_FORMAT_STATS, &buf, &len), 0);
	assert_non_null(strstr(buf, "kernel cache: 0 of the 0"));
	free(buf);
	assert_int_equal(syscage_program_format(prog, (enum syscage_format)99, &buf, &len), -EINVAL);
	syscage_program_free(prog);
	syscage_policy_free(p);
}

/* Constant-allowed syscalls must be on the kernel cache's path. */
static void test_cache_path(void **state)
{
	(void)state;
	struct syscage_policy *p = parse("default kill\nallow @basic\nallow ioctl if cmd == TCGETS\n",
					 NULL);
	struct syscage_program *prog = compile(p);
	char *buf;
	size_t len;
	unsigned a, b;

	assert_int_equal(syscage_program_format(prog, SYSCAGE_FORMAT_STATS, &buf, &len), 0);
	assert_int_equal(sscanf(strstr(buf, "kernel cache: "), "kernel cache: %u of the %u", &a, &b), 2);
	assert_true(b > 50);
	assert_int_equal(a, b);
	free(buf);
	syscage_program_free(prog);
	syscage_policy_free(p);
}

/* Every other syscall refused: hundreds of ranges per arch value, past the
 * sizes where the dispatch search changes method (every split with
 * groups, bounded splits, splits alone, weight-balanced). The verifier
 * proves each program right; here they must also compile and decide. */
static void test_dispatch_sizes(void **state)
{
	(void)state;
	static const char *const arches[] = { "x86_64", "x86_64,x32", NULL };
	char *text = malloc(1 << 16);

	for (int a = 0; arches[a]; a++) {
		size_t n = (size_t)sprintf(text, "default kill\n");

		for (uint32_t nr = 0, k = 0; nr < 470; nr++) {
			const char *name = syscage_syscall_name("x86_64", nr);

			if (name && k++ % 2)
				n += (size_t)sprintf(text + n, "allow %s\n", name);
			else if (name)
				n += (size_t)sprintf(text + n, "errno %u %s\n", 1 + nr % 4000, name);
		}
		struct syscage_policy *p = parse(text, arches[a]);
		struct syscage_program *prog = compile(p);
		uint64_t args[6] = { 0 };
		struct syscage_verdict v;
		uint32_t ret;

		for (uint32_t nr = 0; nr < 470; nr++) {
			syscage_policy_evaluate(p, X86, nr, args, &v);
			syscage_program_emulate(prog, X86, nr, args, &ret, NULL);
			assert_int_equal(ret, v.seccomp_ret);
		}
		syscage_program_free(prog);
		syscage_policy_free(p);
	}
	free(text);
}

/* The range of nr in the tree, walking it as the program would. */
static size_t tree_range(const struct dispatch_node *node, uint32_t nr)
{
	for (;;) {
		if (node->kind == DISPATCH_LEAF)
			return node->range;
		if (node->kind == DISPATCH_SPLIT)
			node = dispatch_taken(node, nr) ? node->right : node->left;
		else if (dispatch_taken(node, nr))
			return node->range;
		else
			node = node->left;
	}
}

/* The search over ranges directly, at sizes no real arch table reaches:
 * every number must land in its range (or one of the same outcome). */
static void test_dispatch_large(void **state)
{
	(void)state;
	static const size_t sizes[] = { 1, 2, 3, 47, 48, 49, 300, 401, 1000, 1025, 3000 };
	struct arena arena = { 0 };
	jmp_buf oom;

	arena.on_oom = &oom;
	if (setjmp(oom))
		fail_msg("out of memory");
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t n = sizes[s];
		struct range *r = arena_alloc(&arena, sizeof(*r) * n);

		/* alternating widths 1 and 3, outcomes cycling over 3 */
		for (size_t i = 0; i < n; i++) {
			r[i].lo = i ? r[i - 1].hi + 1 : 0;
			r[i].hi = i + 1 == n ? UINT32_MAX : r[i].lo + (i % 2 ? 2 : 0);
			r[i].outcome = i % 3;
			r[i].weight = 1 + (i * 7) % 13;
		}
		struct dispatch_node *root = dispatch_build(&arena, r, n);
		for (size_t i = 0; i < n; i++) {
			uint32_t probes[] = { r[i].lo, r[i].hi, r[i].lo + (r[i].hi - r[i].lo) / 2 };

			for (int p = 0; p < 3; p++)
				assert_int_equal(r[tree_range(root, probes[p])].outcome, r[i].outcome);
		}
	}
	arena_release(&arena);
}

/* prctl, keyctl and arch_prctl name their parameters arg2..arg5: those
 * names mean those parameters, not positions. */
static void test_kernel_names_first(void **state)
{
	(void)state;
	struct syscage_policy *p = parse("default allow\nerrno 77 prctl if arg2 == 5\n"
					 "errno 78 keyctl if arg3 == 7\n"
					 "errno 79 arch_prctl if arg2 == 9\n",
					 NULL);
	struct syscage_program *prog = compile(p);

	/* prctl(15, 5): the parameter arg2 is the second argument */
	assert_int_equal(verdict(prog, p, X86, 157, 15, 5, 0), ERR(77));
	assert_int_equal(verdict(prog, p, X86, 157, 15, 0, 5), SECCOMP_RET_ALLOW);
	/* keyctl's arg3 is its third argument, arch_prctl's arg2 its second */
	assert_int_equal(verdict(prog, p, X86, 250, 0, 0, 7), ERR(78));
	assert_int_equal(verdict(prog, p, X86, 250, 0, 7, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(verdict(prog, p, X86, 158, 0, 9, 0), ERR(79));
	assert_int_equal(verdict(prog, p, X86, 158, 0, 0, 9), SECCOMP_RET_ALLOW);
	syscage_program_free(prog);
	syscage_policy_free(p);
}

/* `x >= 0 && x < k` on a signed argument is one unsigned comparison (the
 * Docker profile's socket family): same verdicts, fewer instructions. Not
 * when k is negative (never true) or the two look at different things. */
static void test_signed_range_as_unsigned(void **state)
{
	(void)state;
	static const struct {
		const char *cond;
		size_t length;	/* of the whole program */
	} cases[] = {
		{ "family >= 0 && family < 38", 10 },
		{ "family < 38 && family >= 0", 10 },
		{ "!(family >= 0 && family <= 40)", 10 },
		{ "family >= 0 && family < -5", 0 },
		{ "family >= 0 && type < 38", 0 },
		{ "family >= 1 && family < 38", 0 },
		{ "family & 0xff >= 0 && family < 38", 0 },
	};
	uint64_t values[] = { 0, 1, 37, 38, 39, 40, 41, 0x7fffffff, 0x80000000, 0xffffffff,
			      0xfffffffb, 0x100000005, 0xffffffff00000025 };

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char text[200];
		struct syscage_policy *p;
		struct syscage_program *prog;

		snprintf(text, sizeof(text), "default errno 1\nallow socket if %s\n", cases[c].cond);
		p = parse(text, "x86_64");
		prog = compile(p);
		if (cases[c].length)
			assert_int_equal(syscage_program_length(prog), cases[c].length);
		else
			assert_true(syscage_program_length(prog) > 10);
		for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
			for (size_t j = 0; j < 3; j++)
				verdict(prog, p, X86, 41, values[i], values[j * 4], 0);
		syscage_program_free(prog);
		syscage_policy_free(p);
	}
}

/* Every instruction of prog is on some path from the first. */
static void assert_all_reachable(const struct syscage_program *prog)
{
	const struct sock_filter *in = syscage_program_instructions(prog);
	size_t len = syscage_program_length(prog);
	bool reached[4096] = { true };

	for (size_t pc = 0; pc < len; pc++) {
		assert_true(reached[pc]);
		if (BPF_CLASS(in[pc].code) == BPF_RET)
			continue;
		if (BPF_CLASS(in[pc].code) != BPF_JMP)
			reached[pc + 1] = true;
		else if (BPF_OP(in[pc].code) == BPF_JA)
			reached[pc + 1 + in[pc].k] = true;
		else
			reached[pc + 1 + in[pc].jt] = reached[pc + 1 + in[pc].jf] = true;
	}
}

static size_t count_loads(const struct syscage_program *prog, uint32_t offset)
{
	const struct sock_filter *in = syscage_program_instructions(prog);
	size_t n = 0;

	for (size_t pc = 0; pc < syscage_program_length(prog); pc++)
		n += in[pc].code == (BPF_LD | BPF_W | BPF_ABS) && in[pc].k == offset;
	return n;
}

/* A test of the argument A holds goes on without loading it again, and the
 * loads every path skips are gone; where a path comes in holding something
 * else (count, a masked or flipped fd), the load stays. */
static void test_no_reloads(void **state)
{
	(void)state;
	static const struct {
		const char *rule;
		size_t fd_loads, count_loads;
	} cases[] = {
		{ "allow personality if personality in (0, 8, 0x20000, 0x20008, 0xffffffff)", 0, 0 },
		{ "allow write if fd == 1 || fd == 2 || fd > 100", 1, 0 },
		{ "allow write if (fd == 1 && count == 2) || fd == 3", 2, 1 },
		{ "allow write if (fd & 1 == 1 && fd < 100) || fd == 1000", 1, 0 },
		{ "allow write if (fd & 0xff == 1 && fd < 100) || fd == 1000", 3, 0 },
		{ "allow write if (fd >= 0 && fd < 10) || fd == 4 || fd == -1", 1, 0 },
		{ "allow lseek if offset in (1, 0x100000002, -3)", 0, 0 },
	};
	uint64_t values[] = { 0, 1, 2, 3, 4, 8, 9, 10, 100, 101, 1000, 1001, 0x20000, 0x20008,
			      0xffffffff, 0x100000001, 0x100000002, 0xfffffffffffffffd };

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char text[200];
		struct syscage_policy *p;
		struct syscage_program *prog;

		snprintf(text, sizeof(text), "default errno 1\n%s\n", cases[c].rule);
		p = parse(text, "x86_64");
		prog = compile(p);
		assert_all_reachable(prog);
		if (c == 0) {
			assert_int_equal(count_loads(prog, offsetof(struct seccomp_data, args)), 1);
		} else if (c < 6) {
			assert_int_equal(count_loads(prog, offsetof(struct seccomp_data, args)),
					 cases[c].fd_loads);
			assert_int_equal(count_loads(prog, offsetof(struct seccomp_data, args[2])),
					 cases[c].count_loads);
		}
		for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
			for (size_t j = 0; j < sizeof(values) / sizeof(values[0]); j += 3)
				for (uint32_t nr = 0; nr < 140; nr++)
					verdict(prog, p, X86, nr, values[i], values[i], values[j]);
		syscage_program_free(prog);
		syscage_policy_free(p);
	}
}

/* The supervised variant: refusals a supervisor can carry out become
 * notifications, exec always does, the rest stays with the kernel. */
/* Every arch but x86_64 takes clone's tls fourth and child_tidptr fifth
 * (CLONE_BACKWARDS): a rule on tls reads the fourth register there. */
static void test_clone_backwards(void **state)
{
	(void)state;
	struct syscage_policy *p = parse("arch x86_64, i386, aarch64\n"
					 "default allow\n"
					 "errno EPERM io_uring_setup\n"
					 "errno 5 clone if tls == 0x1234\n",
					 NULL);
	static const struct {
		uint32_t audit;
		uint32_t nr;
		int tls;	/* its register */
	} arches[] = {
		{ AUDIT_ARCH_X86_64, 56, 4 },
		{ AUDIT_ARCH_I386, 120, 3 },
		{ AUDIT_ARCH_AARCH64, 220, 3 },
	};

	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
		for (int reg = 3; reg <= 4; reg++) {
			uint64_t args[6] = { 0 };
			struct syscage_verdict v;

			args[reg] = 0x1234;
			syscage_policy_evaluate(p, arches[i].audit, arches[i].nr, args, &v);
			assert_int_equal(v.seccomp_ret,
					 reg == arches[i].tls ? ERR(5) : SECCOMP_RET_ALLOW);
		}
	}
	syscage_policy_free(p);
}

/* x32's own ptrace (521) is compat_sys_ptrace: the kernel keeps the low 32
 * bits of request, so 0x100000010 is PTRACE_ATTACH there and must be
 * refused; on x86_64 all 64 bits count. preadv2's flags are fifth on x32. */
static void test_x32_compat_widths(void **state)
{
	(void)state;
	struct syscage_policy *p = parse("arch x86_64, x32\n"
					 "default allow\n"
					 "errno EPERM io_uring_setup\n"
					 "errno 5 ptrace if request == PTRACE_ATTACH\n"
					 "errno 6 preadv2 if flags & RWF_NOWAIT\n",
					 NULL);
	uint64_t attach[6] = { 0x100000010ull };
	uint64_t nowait[6] = { 3, 0, 1, 0, 0x8 /* RWF_NOWAIT, fifth on x32 */ };
	struct syscage_verdict v;

	syscage_policy_evaluate(p, X86, 0x40000000u | 521, attach, &v);
	assert_int_equal(v.seccomp_ret, ERR(5));
	syscage_policy_evaluate(p, X86, 101, attach, &v);
	assert_int_equal(v.seccomp_ret, SECCOMP_RET_ALLOW);
	syscage_policy_evaluate(p, X86, 0x40000000u | 546, nowait, &v);
	assert_int_equal(v.seccomp_ret, ERR(6));
	syscage_policy_free(p);
}

/* On a 32-bit arch a 64-bit value takes two registers, on arm from an even
 * one: a name means the register its parameter moves to, and the filter
 * compares that register (the kernel's compat entries read them so). */
static void test_registers_on_32bit(void **state)
{
	(void)state;
	struct syscage_policy *p = parse("arch i386, arm\n"
					 "default allow\n"
					 "errno EPERM io_uring_setup\n"
					 "errno 5 fadvise64 if advice == 4\n"
					 "errno 6 readahead if count == 7\n"
					 "errno 7 fanotify_mark if fd == 9\n",
					 NULL);
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_program *prog = NULL;
	static const struct {
		uint32_t audit, nr;
		int reg;
		uint64_t value, ret;
	} cases[] = {
		/* i386: fadvise64(fd, offset lo, hi, len, advice) */
		{ AUDIT_ARCH_I386, 250, 4, 4, ERR(5) }, { AUDIT_ARCH_I386, 250, 3, 4, SECCOMP_RET_ALLOW },
		/* readahead(fd, offset lo, hi, count); arm: fd, unused, lo, hi, count */
		{ AUDIT_ARCH_I386, 225, 3, 7, ERR(6) }, { AUDIT_ARCH_I386, 225, 4, 7, SECCOMP_RET_ALLOW },
		{ AUDIT_ARCH_ARM, 225, 4, 7, ERR(6) }, { AUDIT_ARCH_ARM, 225, 3, 7, SECCOMP_RET_ALLOW },
		/* fanotify_mark(fanotify_fd, flags, mask lo, hi, fd, pathname) on both */
		{ AUDIT_ARCH_I386, 339, 4, 9, ERR(7) }, { AUDIT_ARCH_I386, 339, 3, 9, SECCOMP_RET_ALLOW },
		{ AUDIT_ARCH_ARM, 368, 4, 9, ERR(7) }, { AUDIT_ARCH_ARM, 368, 3, 9, SECCOMP_RET_ALLOW },
	};

	assert_int_equal(syscage_compile(p, diags, &prog), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t args[6] = { 0 };
		struct syscage_verdict v;
		uint32_t ret;

		args[cases[i].reg] = cases[i].value;
		syscage_policy_evaluate(p, cases[i].audit, cases[i].nr, args, &v);
		syscage_program_emulate(prog, cases[i].audit, cases[i].nr, args, &ret, NULL);
		if (v.seccomp_ret != cases[i].ret || ret != cases[i].ret)
			fail_msg("case %zu: policy %#x, filter %#x, want %#llx", i, v.seccomp_ret, ret,
				 (unsigned long long)cases[i].ret);
	}
	syscage_program_free(prog);
	syscage_diagnostics_free(diags);
	syscage_policy_free(p);
}

static void test_supervised(void **state)
{
	(void)state;
	struct syscage_policy *p = parse("default kill\nerrno 5 write if fd == 2\nallow write\n"
					 "trap getpid\nkill-thread getppid\nlog getuid\n"
					 "notify gettid\nallow execve\n",
					 NULL);
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_program *prog = NULL;
	uint64_t args[6] = { 2 };
	uint32_t ret;

	assert_int_equal(syscage_compile_supervised(p, diags, &prog), 0);
	syscage_program_emulate(prog, X86, 1, args, &ret, NULL);
	assert_int_equal(ret, SECCOMP_RET_USER_NOTIF);
	args[0] = 1;
	syscage_program_emulate(prog, X86, 1, args, &ret, NULL);
	assert_int_equal(ret, SECCOMP_RET_ALLOW);
	syscage_program_emulate(prog, X86, 39, args, &ret, NULL);
	assert_int_equal(ret, SECCOMP_RET_TRAP);
	syscage_program_emulate(prog, X86, 110, args, &ret, NULL);
	assert_int_equal(ret, SECCOMP_RET_KILL_THREAD);
	syscage_program_emulate(prog, X86, 102, args, &ret, NULL);
	assert_int_equal(ret, SECCOMP_RET_LOG);
	syscage_program_emulate(prog, X86, 186, args, &ret, NULL);
	assert_int_equal(ret, SECCOMP_RET_USER_NOTIF);
	/* execve (59) and execveat (322) are notified even when allowed */
	syscage_program_emulate(prog, X86, 59, args, &ret, NULL);
	assert_int_equal(ret, SECCOMP_RET_USER_NOTIF);
	syscage_program_emulate(prog, X86, 322, args, &ret, NULL);
	assert_int_equal(ret, SECCOMP_RET_USER_NOTIF);
	/* default kill, i386 and x32 kills: notified, so they can be reported */
	syscage_program_emulate(prog, X86, 0, args, &ret, NULL);
	assert_int_equal(ret, SECCOMP_RET_USER_NOTIF);
	syscage_program_emulate(prog, AUDIT_ARCH_I386, 4, args, &ret, NULL);
	assert_int_equal(ret, SECCOMP_RET_USER_NOTIF);
	syscage_program_emulate(prog, X86, 0x40000001, args, &ret, NULL);
	assert_int_equal(ret, SECCOMP_RET_USER_NOTIF);
	syscage_program_free(prog);
	syscage_diagnostics_free(diags);
	syscage_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_semantics),
		cmocka_unit_test(test_multi_arch),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_allocation_failures),
		cmocka_unit_test(test_allocation_failures_in_files),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_cache_path),
		cmocka_unit_test(test_signed_range_as_unsigned),
		cmocka_unit_test(test_no_reloads),
		cmocka_unit_test(test_supervised),
		cmocka_unit_test(test_kernel_names_first),
		cmocka_unit_test(test_dispatch_sizes),
		cmocka_unit_test(test_dispatch_large),
		cmocka_unit_test(test_clone_backwards),
		cmocka_unit_test(test_x32_compat_widths),
		cmocka_unit_test(test_registers_on_32bit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
