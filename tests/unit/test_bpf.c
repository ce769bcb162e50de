/*
 * The BPF module on hand-made programs: the kernel's load checks, every
 * instruction of the emulator, the cache analysis, the disassembler; and
 * the verifier catching a program that disagrees with its policy.
 */
#include <errno.h>
#include <string.h>

#include <linux/audit.h>

#include "arena.h"
#include "bpf.h"
#include "helpers.h"
#include "policy.h"
#include "verify.h"

#define STMT(code, k) { (unsigned short)(code), 0, 0, (k) }
#define JUMP(code, k, t, f) { (unsigned short)(code), (t), (f), (k) }
#define LEN(p) (sizeof(p) / sizeof((p)[0]))

static void expect_bad(const struct sock_filter *p, size_t len, size_t pc)
{
	size_t bad = 99;

	assert_int_equal(bpf_check(p, len, &bad), -EINVAL);
	assert_int_equal(bad, pc);
}

static void test_check_rejects(void **state)
{
	(void)state;
	static struct sock_filter big[BPF_MAX_INSNS + 1];
	const struct sock_filter misaligned[] = { STMT(BPF_LD | BPF_W | BPF_ABS, 2),
						  STMT(BPF_RET | BPF_K, 0) };
	const struct sock_filter outside[] = { STMT(BPF_LD | BPF_W | BPF_ABS, 64),
					       STMT(BPF_RET | BPF_K, 0) };
	const struct sock_filter div0[] = { STMT(BPF_ALU | BPF_DIV | BPF_K, 0),
					    STMT(BPF_RET | BPF_K, 0) };
	const struct sock_filter shift[] = { STMT(BPF_ALU | BPF_LSH | BPF_K, 32),
					     STMT(BPF_RET | BPF_K, 0) };
	const struct sock_filter mem[] = { STMT(BPF_ST, 16), STMT(BPF_RET | BPF_K, 0) };
	const struct sock_filter ja[] = { STMT(BPF_JMP | BPF_JA, 1), STMT(BPF_RET | BPF_K, 0) };
	const struct sock_filter jeq[] = { JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
					   STMT(BPF_RET | BPF_K, 0) };
	const struct sock_filter no_ret[] = { STMT(BPF_LD | BPF_W | BPF_ABS, 0) };
	const struct sock_filter unknown[] = { STMT(0xffff, 0), STMT(BPF_RET | BPF_K, 0) };
	const struct sock_filter mod[] = { STMT(BPF_ALU | BPF_MOD | BPF_K, 3), STMT(BPF_RET | BPF_K, 0) };

	expect_bad(big, 0, 0);
	expect_bad(big, BPF_MAX_INSNS + 1, 0);
	expect_bad(misaligned, LEN(misaligned), 0);
	expect_bad(outside, LEN(outside), 0);
	expect_bad(div0, LEN(div0), 0);
	expect_bad(shift, LEN(shift), 0);
	expect_bad(mem, LEN(mem), 0);
	expect_bad(ja, LEN(ja), 0);
	expect_bad(jeq, LEN(jeq), 0);
	expect_bad(no_ret, LEN(no_ret), 0);
	expect_bad(unknown, LEN(unknown), 0);
	/* seccomp does not take BPF_MOD */
	expect_bad(mod, LEN(mod), 0);
	assert_int_equal(bpf_check(big, 0, NULL), -EINVAL);
}

/* Every instruction the kernel accepts, run: the result is returned with
 * `ret a` and compared with what C computes. */
static void test_run_every_instruction(void **state)
{
	(void)state;
	const struct sock_filter p[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR),	/* A = 100 */
		STMT(BPF_ALU | BPF_ADD | BPF_K, 5),			/* 105 */
		STMT(BPF_ALU | BPF_SUB | BPF_K, 3),			/* 102 */
		STMT(BPF_ALU | BPF_MUL | BPF_K, 4),			/* 408 */
		STMT(BPF_ALU | BPF_DIV | BPF_K, 2),			/* 204 */
		STMT(BPF_ALU | BPF_OR | BPF_K, 0x1000),			/* 0x10cc */
		STMT(BPF_ALU | BPF_AND | BPF_K, 0x10ff),		/* 0x10cc */
		STMT(BPF_ALU | BPF_XOR | BPF_K, 0x0004),		/* 0x10c8 */
		STMT(BPF_ALU | BPF_LSH | BPF_K, 4),			/* 0x10c80 */
		STMT(BPF_ALU | BPF_RSH | BPF_K, 8),			/* 0x10c */
		STMT(BPF_ST, 3),					/* M[3] = 0x10c */
		STMT(BPF_LDX | BPF_IMM, 2),				/* X = 2 */
		STMT(BPF_ALU | BPF_ADD | BPF_X, 0),			/* 0x10e */
		STMT(BPF_ALU | BPF_SUB | BPF_X, 0),			/* 0x10c */
		STMT(BPF_ALU | BPF_MUL | BPF_X, 0),			/* 0x218 */
		STMT(BPF_ALU | BPF_DIV | BPF_X, 0),			/* 0x10c */
		STMT(BPF_ALU | BPF_OR | BPF_X, 0),			/* 0x10e */
		STMT(BPF_ALU | BPF_AND | BPF_X, 0),			/* 0x2 */
		STMT(BPF_ALU | BPF_XOR | BPF_X, 0),			/* 0 */
		STMT(BPF_ALU | BPF_ADD | BPF_K, 1),			/* 1 */
		STMT(BPF_ALU | BPF_LSH | BPF_X, 0),			/* 4 */
		STMT(BPF_ALU | BPF_RSH | BPF_X, 0),			/* 1 */
		STMT(BPF_ALU | BPF_NEG, 0),				/* 0xffffffff */
		STMT(BPF_MISC | BPF_TAX, 0),				/* X = A */
		STMT(BPF_LD | BPF_MEM, 3),				/* A = 0x10c */
		STMT(BPF_STX, 4),					/* M[4] = X */
		STMT(BPF_LDX | BPF_MEM, 3),				/* X = 0x10c */
		STMT(BPF_MISC | BPF_TXA, 0),				/* A = 0x10c */
		JUMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 6),		/* A == X */
		JUMP(BPF_JMP | BPF_JGT | BPF_K, 0x10b, 0, 5),
		JUMP(BPF_JMP | BPF_JGE | BPF_X, 0, 0, 4),
		JUMP(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 3),
		JUMP(BPF_JMP | BPF_JGT | BPF_X, 0, 2, 0),		/* not taken */
		STMT(BPF_LD | BPF_W | BPF_LEN, 0),			/* A = 64 */
		STMT(BPF_RET | BPF_A, 0),
		STMT(BPF_RET | BPF_K, 0xdead),
		STMT(BPF_RET | BPF_K, 0xbeef),
	};
	struct seccomp_data d = { .nr = 100 };
	unsigned steps;

	assert_int_equal(bpf_check(p, LEN(p), NULL), 0);
	assert_int_equal(bpf_run(p, LEN(p), &d, &steps), sizeof(struct seccomp_data));
	assert_int_equal(steps, 35);

	/* LDX len, JA, division by a zero X (the kernel's conversion gives 0) */
	const struct sock_filter q[] = {
		STMT(BPF_LDX | BPF_W | BPF_LEN, 0),
		STMT(BPF_MISC | BPF_TXA, 0),
		STMT(BPF_LDX | BPF_IMM, 0),
		STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
		STMT(BPF_JMP | BPF_JA, 1),
		STMT(BPF_RET | BPF_K, 1),
		STMT(BPF_RET | BPF_A, 0),
	};
	assert_int_equal(bpf_check(q, LEN(q), NULL), 0);
	assert_int_equal(bpf_run(q, LEN(q), &d, NULL), 0);
}

static void test_const_allow(void **state)
{
	(void)state;
	const struct sock_filter p[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARCH),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 8),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR),
		STMT(BPF_ALU | BPF_AND | BPF_K, 0xff),
		JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x80, 5, 0),
		JUMP(BPF_JMP | BPF_JGT | BPF_K, 10, 1, 0),
		STMT(BPF_JMP | BPF_JA, 2),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARG_LO(0)),	/* nr > 10: reads an arg */
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 5, 0, 1),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};

	assert_int_equal(bpf_check(p, LEN(p), NULL), 0);
	assert_true(bpf_const_allow(p, LEN(p), AUDIT_ARCH_X86_64, 10));
	assert_false(bpf_const_allow(p, LEN(p), AUDIT_ARCH_X86_64, 11));	/* reads an argument */
	assert_false(bpf_const_allow(p, LEN(p), AUDIT_ARCH_X86_64, 0x81));	/* killed */
	assert_false(bpf_const_allow(p, LEN(p), AUDIT_ARCH_I386, 1));
	const struct sock_filter alu[] = { STMT(BPF_ALU | BPF_ADD | BPF_K, 1),
					   STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	assert_false(bpf_const_allow(alu, LEN(alu), AUDIT_ARCH_X86_64, 0));
}

static void test_disasm(void **state)
{
	(void)state;
	static const struct {
		struct sock_filter in;
		const char *text;
	} cases[] = {
		{ STMT(BPF_LD | BPF_W | BPF_ABS, 0), "ld nr" },
		{ STMT(BPF_LD | BPF_W | BPF_ABS, 4), "ld arch" },
		{ STMT(BPF_LD | BPF_W | BPF_ABS, 8), "ld ip.lo" },
		{ STMT(BPF_LD | BPF_W | BPF_ABS, 12), "ld ip.hi" },
		{ STMT(BPF_LD | BPF_W | BPF_ABS, 28), "ld arg1.hi" },
		{ STMT(BPF_LD | BPF_W | BPF_ABS, 64), "ld [64]" },
		{ STMT(BPF_LD | BPF_IMM, 7), "ld #0x7" },
		{ STMT(BPF_LD | BPF_W | BPF_LEN, 0), "ld #len" },
		{ STMT(BPF_LD | BPF_MEM, 2), "ld M[2]" },
		{ STMT(BPF_LDX | BPF_IMM, 7), "ldx #0x7" },
		{ STMT(BPF_LDX | BPF_MEM, 2), "ldx M[2]" },
		{ STMT(BPF_ST, 1), "st M[1]" },
		{ STMT(BPF_STX, 1), "stx M[1]" },
		{ STMT(BPF_ALU | BPF_AND | BPF_K, 3), "and #0x3" },
		{ STMT(BPF_ALU | BPF_ADD | BPF_X, 0), "add x" },
		{ STMT(BPF_ALU | BPF_NEG, 0), "neg" },
		{ STMT(BPF_JMP | BPF_JA, 2), "ja L13" },
		{ JUMP(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 1), "jset #0x1, L11, L12" },
		{ STMT(BPF_RET | BPF_K, 0x7fff0000), "ret #0x7fff0000" },
		{ STMT(BPF_RET | BPF_A, 0), "ret a" },
		{ STMT(BPF_MISC | BPF_TAX, 0), "tax" },
		{ STMT(BPF_MISC | BPF_TXA, 0), "txa" },
	};
	char buf[64];

	for (size_t i = 0; i < LEN(cases); i++) {
		bpf_disasm(&cases[i].in, 10, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].text);
	}
}

/* The verifier is the last line: a program that disagrees with its policy
 * (here: allows what the policy kills) is refused, with the call named. */
static void test_verifier_catches_a_wrong_program(void **state)
{
	(void)state;
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_policy *p = NULL;
	const char *text = "default kill\nallow read\n";
	const struct sock_filter allow_all[] = { STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	const struct sock_filter no_ret[] = { STMT(BPF_LD | BPF_W | BPF_ABS, 0) };
	struct compile_mode mode = { 0 };
	struct arena arena = { 0 };
	jmp_buf oom;
	uint64_t cases = 0;

	assert_int_equal(syscage_policy_parse("v.policy", text, strlen(text), NULL, diags, &p), 0);
	arena.on_oom = &oom;
	if (setjmp(oom))
		fail_msg("out of memory");
	diag_bind(diags, &oom);
	assert_int_equal(verify_program(&arena, p, &mode, allow_all, 1, diags, &cases), -EPROTO);
	const char *msg = syscage_diagnostic_message(diags, syscage_diagnostics_count(diags) - 1);
	assert_non_null(strstr(msg, "internal error: the compiled filter disagrees with the policy"));
	assert_int_equal(verify_program(&arena, p, &mode, no_ret, 1, diags, &cases), -EPROTO);
	msg = syscage_diagnostic_message(diags, syscage_diagnostics_count(diags) - 1);
	assert_non_null(strstr(msg, "breaks the kernel's rules"));
	diag_bind(diags, NULL);
	arena_release(&arena);
	syscage_policy_free(p);
	syscage_diagnostics_free(diags);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_rejects),
		cmocka_unit_test(test_run_every_instruction),
		cmocka_unit_test(test_const_allow),
		cmocka_unit_test(test_disasm),
		cmocka_unit_test(test_verifier_catches_a_wrong_program),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
