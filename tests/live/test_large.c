/*
 * Large programs in the kernel: hundreds of rules on one syscall and an
 * argument check on every syscall, so that jumps span more than the 255
 * instructions a conditional jump can reach and the dispatch tree is deep.
 * The kernel must accept the program, and every vector must agree three
 * ways (live_agree). The expected verdicts follow from how the policy text
 * is generated, not from syscage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live.h"

#define RULES 400	/* rules on getppid */

struct text {
	char *buf;
	size_t len, cap;
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		assert_true(n >= 0);
		if (t->len + (size_t)n < t->cap)
			break;
		t->cap = t->cap * 2 + (size_t)n + 64;
		t->buf = realloc(t->buf, t->cap);
		assert_non_null(t->buf);
	}
	t->len += (size_t)n;
}

/* Whether syscage accepts a condition on arg0 of name (not a pointer). */
static bool arg0_comparable(const char *name, bool with_i386)
{
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_policy *policy = NULL;
	char text[160];
	int rc;

	assert_non_null(diags);
	snprintf(text, sizeof(text), "%sdefault allow\nerrno 1 %s if arg0 == 12345\n",
		 with_i386 ? "arch x86_64, i386\n" : "", name);
	rc = syscage_policy_parse("probe.policy", text, strlen(text), NULL, diags, &policy);
	syscage_policy_free(policy);
	syscage_diagnostics_free(diags);
	return rc == 0;
}

/* The value rule i of getppid compares arg0 with. */
static uint64_t wide_value(unsigned i)
{
	return (uint64_t)i * 0x100000001ull;
}

static uint64_t narrow_value(unsigned i)
{
	return (uint64_t)i * 7 + 3;
}

/*
 * default errno 4000; write and exit_group allowed; RULES rules on getppid,
 * rule i: errno 1000+i if arg0 == value(i); then every other syscall of
 * x86_64 whose arg0 is not a pointer gets errno 3000 if arg0 == 12345.
 */
static char *make_policy(bool with_i386)
{
	struct text t = { 0 };

	t.cap = 4096;
	t.buf = malloc(t.cap);
	assert_non_null(t.buf);
	t.buf[0] = '\0';
	if (with_i386)
		add(&t, "arch x86_64, i386\n");
	add(&t, "default errno 4000\nallow write, exit_group\n");
	for (unsigned i = 0; i < RULES; i++)
		add(&t, "errno %u getppid if arg0 == %#llx\n", 1000 + i,
		    (unsigned long long)(with_i386 ? narrow_value(i) : wide_value(i)));
	for (uint32_t nr = 0; nr < 1000; nr++) {
		const char *name = syscage_syscall_name("x86_64", nr);

		if (!name || strcmp(name, "write") == 0 || strcmp(name, "exit_group") == 0 ||
		    strcmp(name, "getppid") == 0 || !arg0_comparable(name, with_i386))
			continue;
		/* arg0 by position: it has no name for some syscalls. */
		add(&t, "errno 3000 %s if arg0 == 12345\n", name);
	}
	return t.buf;
}

static void run_large(bool with_i386)
{
	char *text = make_policy(with_i386);
	struct syscage_policy *policy;
	struct syscage_program *prog = live_compile(text, &policy);
	long getppid32 = syscage_syscall_number("i386", "getppid");
	long gettid32 = syscage_syscall_number("i386", "gettid");
	size_t failed = 0, n = 0;
	char what[128];

	fprintf(stderr, "[ large    ] %s: %zu instructions\n", with_i386 ? "x86_64+i386" : "x86_64",
		syscage_program_length(prog));
	assert_true(syscage_program_length(prog) > 512);
	/* Rules near the start, the middle and the end, and between them. */
	for (unsigned i = 0; i < RULES; i += (i < 8 || i > RULES - 8) ? 1 : 37) {
		uint64_t v = with_i386 ? narrow_value(i) : wide_value(i);
		uint64_t hit[6] = { v }, miss[6] = { v + 1 }, upper[6] = { v + (1ull << 32) };
		uint32_t expect = SECCOMP_RET_ERRNO | (1000 + i);

		snprintf(what, sizeof(what), "large: getppid(%#llx)", (unsigned long long)v);
		failed += !live_agree(policy, prog, LIVE_NATIVE, SYS_getppid, hit, expect, what, NULL);
		snprintf(what, sizeof(what), "large: getppid(%#llx)", (unsigned long long)miss[0]);
		/* v + 1 is no rule's value (both kinds of values step by >1). */
		failed += !live_agree(policy, prog, LIVE_NATIVE, SYS_getppid, miss,
				      SECCOMP_RET_ERRNO | 4000, what, NULL);
		snprintf(what, sizeof(what), "large: getppid(%#llx)", (unsigned long long)upper[0]);
		/* Natively arg0 of getppid is 64 bits: the upper half counts. */
		failed += !live_agree(policy, prog, LIVE_NATIVE, SYS_getppid, upper,
				      SECCOMP_RET_ERRNO | 4000, what, NULL);
		n += 3;
		if (with_i386) {
			/* On i386 it is 32 bits: the upper half is garbage. */
			snprintf(what, sizeof(what), "large: i386 getppid(%#llx)",
				 (unsigned long long)upper[0]);
			failed += !live_agree(policy, prog, LIVE_I386, (uint64_t)getppid32, upper,
					      expect, what, NULL);
			n++;
		}
	}
	{
		static const char *const names[] = { "getpid", "gettid", "sched_yield" };
		const uint64_t hit[6] = { 12345 }, miss[6] = { 12346 }, upper[6] = { (1ull << 32) | 12345 };

		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
			long nr = syscage_syscall_number("x86_64", names[k]);

			snprintf(what, sizeof(what), "large: %s(12345)", names[k]);
			failed += !live_agree(policy, prog, LIVE_NATIVE, (uint64_t)nr, hit,
					      SECCOMP_RET_ERRNO | 3000, what, NULL);
			snprintf(what, sizeof(what), "large: %s(12346)", names[k]);
			failed += !live_agree(policy, prog, LIVE_NATIVE, (uint64_t)nr, miss,
					      SECCOMP_RET_ERRNO | 4000, what, NULL);
			snprintf(what, sizeof(what), "large: %s(1<<32 | 12345)", names[k]);
			failed += !live_agree(policy, prog, LIVE_NATIVE, (uint64_t)nr, upper,
					      SECCOMP_RET_ERRNO | 4000, what, NULL);
			n += 3;
		}
		if (with_i386) {
			snprintf(what, sizeof(what), "large: i386 gettid(1<<32 | 12345)");
			failed += !live_agree(policy, prog, LIVE_I386, (uint64_t)gettid32, upper,
					      SECCOMP_RET_ERRNO | 3000, what, NULL);
			n++;
		}
	}
	fprintf(stderr, "[ large    ] %zu vectors, each checked three ways\n", n);
	syscage_program_free(prog);
	syscage_policy_free(policy);
	free(text);
	if (failed)
		fail_msg("%zu vectors disagree (see above)", failed);
}

static void test_large_x86_64(void **state)
{
	(void)state;
	run_large(false);
}

static void test_large_x86_64_and_i386(void **state)
{
	(void)state;
	run_large(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_large_x86_64),
		cmocka_unit_test(test_large_x86_64_and_i386),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
