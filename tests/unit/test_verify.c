/*
 * The verifier against wrong programs. It checks every syscall number a
 * range at a time where it can prove that the same as checking them one by
 * one (verify.c, check_audit_by_range), and number by number where it
 * cannot. Here compiled programs are corrupted one instruction at a time (a
 * jump flipped, a return value, an argument constant, the arch check, a
 * bound on the number) and handed to it: whatever the number-by-number
 * check refuses, the range check must refuse too.
 */
#include <errno.h>
#include <string.h>

#include <linux/audit.h>

#include "arena.h"
#include "bpf.h"
#include "helpers.h"
#include "policy.h"
#include "syscall_table.h"
#include "verify.h"
#include "verify_run.h"

#define STMT(code, k) { (unsigned short)(code), 0, 0, (k) }
#define JUMP(code, k, t, f) { (unsigned short)(code), (t), (f), (k) }
#define LEN(p) (sizeof(p) / sizeof((p)[0]))

enum corruption { FLIP, RET, ARG_CONST, ARCH_CHECK, NR_BOUND, CORRUPTIONS };

static const char *const corruption_names[CORRUPTIONS] = {
	"flipped jump", "return value", "argument constant", "arch check", "bound on nr",
};

struct tally {
	unsigned tried[CORRUPTIONS], refused[CORRUPTIONS];
};

static struct syscage_policy *parse(const char *text, const char *arches)
{
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_policy *p = NULL;
	int err = syscage_policy_parse("v.policy", text, strlen(text), arches, diags, &p);

	assert_int_equal(err, 0);
	syscage_diagnostics_free(diags);
	return p;
}

static void try_corruption(const struct syscage_policy *p, const struct compile_mode *mode,
			   const struct sock_filter *prog, size_t len, enum corruption kind,
			   struct tally *tally)
{
	uint64_t cases;
	int by_number = verify(p, mode, prog, len, true, &cases);
	int by_range = verify(p, mode, prog, len, false, &cases);

	if (by_number && !by_range)
		fail_msg("a corrupted program (%s) passes the range check", corruption_names[kind]);
	tally->tried[kind]++;
	tally->refused[kind] += by_range != 0;
}

/* The field of seccomp_data the accumulator holds at a jump: the last
 * load before it (compiled programs load, then compare). */
static uint32_t loaded_field(const struct sock_filter *prog, size_t pc)
{
	while (pc-- > 0) {
		if (prog[pc].code == (BPF_LD | BPF_W | BPF_ABS))
			return prog[pc].k;
	}
	return UINT32_MAX;
}

static void corrupt_each(const struct syscage_policy *p, const struct compile_mode *mode,
			 const struct sock_filter *orig, size_t len, struct tally *tally)
{
	struct sock_filter prog[BPF_MAX_INSNS];
	uint64_t cases;

	memcpy(prog, orig, len * sizeof(*prog));
	assert_int_equal(verify(p, mode, prog, len, false, &cases), 0);
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter in = orig[pc];
		uint32_t field = loaded_field(orig, pc);

		if (in.code == (BPF_RET | BPF_K)) {
			prog[pc].k = in.k == SECCOMP_RET_ALLOW ? SECCOMP_RET_KILL_PROCESS
							       : SECCOMP_RET_ALLOW;
			try_corruption(p, mode, prog, len, RET, tally);
		} else if (BPF_CLASS(in.code) == BPF_JMP && BPF_OP(in.code) != BPF_JA) {
			if (in.jt != in.jf) {
				prog[pc].jt = in.jf;
				prog[pc].jf = in.jt;
				try_corruption(p, mode, prog, len, FLIP, tally);
				prog[pc] = in;
			}
			if (field == SECCOMP_DATA_ARCH) {
				prog[pc].k = in.k ^ 1;
				try_corruption(p, mode, prog, len, ARCH_CHECK, tally);
			}
			for (int d = -1; d <= 1; d += 2) {
				prog[pc].k = in.k + (uint32_t)d;
				if (field == SECCOMP_DATA_NR)
					try_corruption(p, mode, prog, len, NR_BOUND, tally);
				else if (field >= SECCOMP_DATA_ARG_LO(0) && field != UINT32_MAX)
					try_corruption(p, mode, prog, len, ARG_CONST, tally);
			}
		}
		prog[pc] = in;
	}
}

static void corrupt_policy(const char *text, const char *arches, struct tally *tally)
{
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_policy *p = parse(text, arches);

	for (int supervised = 0; supervised < 2; supervised++) {
		struct compile_mode mode = {
			.supervised = supervised,
			.native_kills = supervised && policy_allows_own_filters(p),
		};
		struct syscage_program *prog = NULL;

		if (supervised)
			assert_int_equal(syscage_compile_supervised(p, diags, &prog), 0);
		else
			assert_int_equal(syscage_compile(p, diags, &prog), 0);
		corrupt_each(p, &mode, syscage_program_instructions(prog),
			     syscage_program_length(prog), tally);
		syscage_program_free(prog);
	}
	syscage_policy_free(p);
	syscage_diagnostics_free(diags);
}

/* Every kind of corruption is refused somewhere, the arch check always,
 * and never does the range check pass what the number-by-number one
 * refuses. */
static void test_corrupted_programs(void **state)
{
	(void)state;
	struct tally tally = { 0 };

	corrupt_policy("default errno 1\n"
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
		       "allow read, close, mmap, exit_group, getpid, rseq, openat\n",
		       "x86_64", &tally);
	corrupt_policy("arch x86_64, i386, x32\n"
		       "default kill\n"
		       "allow read, write, close, exit_group\n"
		       "errno 5 getppid\n"
		       "allow personality if personality == 8\n",
		       NULL, &tally);
	corrupt_policy("default allow\n"
		       "errno EPERM ptrace, process_vm_writev\n"
		       "kill socket if family == 16\n"
		       "allow seccomp\n",
		       "x86_64", &tally);
	for (int k = 0; k < CORRUPTIONS; k++) {
		print_message("%-18s %3u of %3u refused\n", corruption_names[k], tally.refused[k],
			      tally.tried[k]);
		assert_true(tally.refused[k] > 0);
	}
	assert_int_equal(tally.refused[ARCH_CHECK], tally.tried[ARCH_CHECK]);
}

/* Wrong verdicts on numbers no syscall has, away from every syscall's
 * neighbours (x86_64 has none from 337 to 423): number by number, only the
 * numbers of the table and their neighbours are looked at; the range check
 * covers every number, whichever comparison bounds the wrong range. */
static void test_wrong_between_syscalls(void **state)
{
	(void)state;
	struct syscage_policy *p;
	const char *text = "default kill\nallow read\n";
	/* kill above the first bound, allow from the second: 350 to 370 */
	static const struct {
		uint16_t op;
		uint32_t above, from;
	} wrong[] = {
		{ BPF_JEQ, 360, 360 },	/* just 360 */
		{ BPF_JGE, 371, 350 },
		{ BPF_JGT, 370, 349 },
	};
	struct compile_mode mode = { 0 };
	uint64_t cases;

	for (uint32_t nr = 338; nr <= 422; nr++)
		assert_int_equal(syscall_by_number(ARCH_X86_64, nr), -1);
	p = parse(text, "x86_64");
	for (size_t i = 0; i < LEN(wrong); i++) {
		uint16_t op = BPF_JMP | wrong[i].op | BPF_K;
		bool eq = wrong[i].op == BPF_JEQ;
		const struct sock_filter prog[] = {
			STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARCH),
			JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 4),
			STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR),
			JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 3, 0),	/* read */
			JUMP(op, wrong[i].above, eq ? 2 : 1, 0),
			JUMP(op, wrong[i].from, 1, 0),
			STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
			STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};

		assert_int_equal(verify(p, &mode, prog, LEN(prog), false, &cases), -EPROTO);
		/* what number by number cannot see */
		assert_int_equal(verify(p, &mode, prog, LEN(prog), true, &cases), 0);
	}
	/* a tree of bounds, so the program compares out of order: 350 to 359 */
	const struct sock_filter tree[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARCH),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 5),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 4, 0),	/* read */
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 400, 2, 0),
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 350, 0, 1),
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 360, 0, 1),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	assert_int_equal(verify(p, &mode, tree, LEN(tree), false, &cases), -EPROTO);
	syscage_policy_free(p);
}

/* A syscall the program forgets, where the program has no bound of its
 * own: the policy's numbers cut the ranges too. */
static void test_forgotten_syscall(void **state)
{
	(void)state;
	struct syscage_policy *p;
	const char *text = "default kill\nallow read, tkill\n";
	const struct sock_filter prog[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARCH),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 2),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0),	/* read; tkill forgotten */
		STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct compile_mode mode = { 0 };
	uint64_t cases;

	p = parse(text, "x86_64");
	assert_int_equal(verify(p, &mode, prog, LEN(prog), false, &cases), -EPROTO);
	assert_int_equal(verify(p, &mode, prog, LEN(prog), true, &cases), -EPROTO);
	syscage_policy_free(p);
}

/* Arithmetic on the number: no ranges can be read off the program, so it
 * is checked number by number, and a wrong one is still refused. */
static void test_arithmetic_on_nr(void **state)
{
	(void)state;
	struct syscage_policy *p;
	const char *text = "default kill\nallow read, write\n";
	struct sock_filter prog[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARCH),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR),
		STMT(BPF_ALU | BPF_RSH | BPF_K, 1),	/* read and write are 0 and 1 */
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct compile_mode mode = { 0 };
	uint64_t by_range, by_number;

	p = parse(text, "x86_64");
	assert_int_equal(verify(p, &mode, prog, LEN(prog), false, &by_range), 0);
	assert_int_equal(verify(p, &mode, prog, LEN(prog), true, &by_number), 0);
	assert_int_equal(by_range, by_number);
	prog[3].k = 2;	/* 0 to 3 */
	assert_int_equal(verify(p, &mode, prog, LEN(prog), false, &by_range), -EPROTO);
	syscage_policy_free(p);
}

/* Bit tests of the number (dispatch groups use them) are checked a range at
 * a time too: a cut wherever the test's outcome changes among the numbers
 * that can reach it. */
static void test_bit_tests_on_nr(void **state)
{
	(void)state;
	struct syscage_policy *p;
	/* read, open, stat, lstat: 0, 2, 4, 6; 1, 3, 5 and 7 are refused */
	const char *text = "default errno EPERM\nallow read, open, stat, lstat\n";
	struct sock_filter even[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARCH),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 6),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR),
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 4, 0),	/* x32: killed */
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 8, 1, 0),
		JUMP(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 1),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	/* Right at every syscall and next to it, and at 400 and 409, the ends
	 * of a range of the program's; wrong at 402, 403, 406 and 407 (no
	 * syscalls: x86_64 has none from 337 to 423), inside it. */
	struct sock_filter gap[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARCH),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 9),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR),
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 7, 0),
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 400, 2, 0),
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 8, 3, 0),
		JUMP(BPF_JMP | BPF_JSET | BPF_K, 1, 2, 3),
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 410, 1, 0),
		JUMP(BPF_JMP | BPF_JSET | BPF_K, 2, 1, 0),	/* 402, 403, 406, 407 */
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	/* A bit test over every number below x32's that half of them pass:
	 * too many blocks to follow, so checked number by number. */
	struct sock_filter wide[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARCH),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 6),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR),
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 4, 0),
		JUMP(BPF_JMP | BPF_JSET | BPF_K, 1, 1, 0),
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 8, 0, 1),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	/* Over the same numbers, a test that few of them pass (0, 2, 4, 6: the
	 * mask has every bit but 1 and 2): followed block by block. */
	struct sock_filter sparse[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARCH),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 5),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR),
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 3, 0),
		JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3ffffff9, 0, 1),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	struct compile_mode mode = { 0 };
	uint64_t by_range, by_number;

	p = parse(text, "x86_64");
	assert_int_equal(verify(p, &mode, sparse, LEN(sparse), false, &by_range), 0);
	assert_int_equal(verify(p, &mode, sparse, LEN(sparse), true, &by_number), 0);
	assert_true(by_range < by_number);
	sparse[4].k = 0x3ffffffd;		/* only 0 and 2 */
	assert_int_equal(verify(p, &mode, sparse, LEN(sparse), false, &by_range), -EPROTO);
	sparse[4].k = 0x3ffffff8;		/* and 1, 3, 5, 7 */
	assert_int_equal(verify(p, &mode, sparse, LEN(sparse), false, &by_range), -EPROTO);
	sparse[4].k = 0x7ffffff9;		/* as before: bit 30 never reaches it */
	assert_int_equal(verify(p, &mode, sparse, LEN(sparse), false, &by_range), 0);
	sparse[4].k = 0x3ffffdf9;		/* and 512 to 518: no syscalls, inside */
	assert_int_equal(verify(p, &mode, sparse, LEN(sparse), false, &by_range), -EPROTO);

	assert_int_equal(verify(p, &mode, even, LEN(even), false, &by_range), 0);
	assert_int_equal(verify(p, &mode, even, LEN(even), true, &by_number), 0);
	assert_true(by_range < by_number);	/* not the fallback */
	even[5].k = 2;				/* 2, 3, 6, 7 */
	assert_int_equal(verify(p, &mode, even, LEN(even), false, &by_range), -EPROTO);
	even[5].k = 1;
	even[4].k = 9;				/* and 8 */
	assert_int_equal(verify(p, &mode, even, LEN(even), false, &by_range), -EPROTO);

	assert_int_equal(verify(p, &mode, gap, LEN(gap), false, &by_range), -EPROTO);
	gap[8].k = 0;				/* never set: all refused */
	assert_int_equal(verify(p, &mode, gap, LEN(gap), false, &by_range), 0);

	assert_int_equal(verify(p, &mode, wide, LEN(wide), false, &by_range), 0);
	assert_int_equal(verify(p, &mode, wide, LEN(wide), true, &by_number), 0);
	assert_int_equal(by_range, by_number);
	wide[4].k = 2;
	assert_int_equal(verify(p, &mode, wide, LEN(wide), false, &by_range), -EPROTO);
	syscage_policy_free(p);
}

/* A number whose verdict is fixed, by an unconditional rule before a
 * conditional one, is still probed with the conditional one's values when
 * checked number by number; its neighbours are not. Inside a piece of the
 * range check it was checked only through the ends of the piece, which
 * never saw fd = 5: a program allowing every call whose first argument is
 * 5 passed the range check (found by test_verify_fuzz). */
static void test_shadowed_condition(void **state)
{
	(void)state;
	struct syscage_policy *p;
	/* close (3) is killed whatever its arguments */
	const char *text = "default kill\nkill close\nallow close if fd == 5\n";
	const struct sock_filter prog[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARCH),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 4),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR),
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 2, 0),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARG_LO(0)),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5, 1, 0),	/* anything, if fd == 5 */
		STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct compile_mode mode = { 0 };
	uint64_t cases;

	p = parse(text, "x86_64");
	assert_int_equal(verify(p, &mode, prog, LEN(prog), true, &cases), -EPROTO);
	assert_int_equal(verify(p, &mode, prog, LEN(prog), false, &cases), -EPROTO);
	syscage_policy_free(p);
}

/* Copies of the number in X and M[], and A holding it on one path only.
 * Every number of x86_64 and x32 is allowed; each program refuses some
 * that no syscall has (x86_64 has none from 337 to 423). */
static void test_copies_of_nr(void **state)
{
	(void)state;
	struct syscage_policy *p;
	/* A holds the number when arg0 is 0 and arg0 otherwise, where they
	 * meet: a comparison there still cuts (402, when arg0 is 0). */
	const struct sock_filter merged[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARCH),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 6),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARG_LO(0)),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 402, 1, 0),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	/* The number through X and back into A, with an argument loaded in
	 * between: A must hold it at the bit test, which is followed (402,
	 * 403, 406 and 407). */
	const struct sock_filter round_trip[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARCH),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 9),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR),
		STMT(BPF_MISC | BPF_TAX, 0),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARG_LO(0)),
		STMT(BPF_MISC | BPF_TXA, 0),
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 400, 0, 2),
		JUMP(BPF_JMP | BPF_JGT | BPF_K, 409, 1, 0),
		JUMP(BPF_JMP | BPF_JSET | BPF_K, 2, 1, 0),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	/* The number through M[0] into X, compared with an argument in A:
	 * the range argument does not follow that (a comparison with X), so
	 * the program is checked number by number, and refused (arg0 above
	 * the number, garbage in arg0). */
	const struct sock_filter versus_x[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARCH),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 7),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR),
		STMT(BPF_ST, 0),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARG_LO(0)),
		STMT(BPF_LDX | BPF_MEM, 0),
		JUMP(BPF_JMP | BPF_JGT | BPF_X, 0, 1, 0),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	struct compile_mode mode = { 0 };
	uint64_t by_range, by_number;

	p = parse("arch x86_64, x32\ndefault allow\n", NULL);
	assert_int_equal(verify(p, &mode, merged, LEN(merged), false, &by_range), -EPROTO);
	assert_int_equal(verify(p, &mode, merged, LEN(merged), true, &by_number), 0);
	assert_int_equal(verify(p, &mode, round_trip, LEN(round_trip), false, &by_range), -EPROTO);
	assert_int_equal(verify(p, &mode, round_trip, LEN(round_trip), true, &by_number), 0);
	assert_int_equal(verify(p, &mode, versus_x, LEN(versus_x), false, &by_range), -EPROTO);
	assert_int_equal(verify(p, &mode, versus_x, LEN(versus_x), true, &by_number), -EPROTO);
	assert_int_equal(by_range, by_number);
	syscage_policy_free(p);
}

/* Every call of an arch the policy does not cover is killed. Those arches
 * were checked on the numbers 0 to 7 only, so a program that let through
 * every i386 call above 7 under an x86_64 policy passed; now they are
 * checked a range at a time, like the covered ones. */
static void test_uncovered_arches(void **state)
{
	(void)state;
	struct syscage_policy *p;
	struct sock_filter prog[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARCH),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 2, 0),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR),
		JUMP(BPF_JMP | BPF_JGT | BPF_K, 7, 4, 3),	/* any arch but x86_64 */
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR),
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 1, 0),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct compile_mode mode = { 0 };
	uint64_t cases;

	p = parse("default allow\n", "x86_64");
	assert_int_equal(verify(p, &mode, prog, LEN(prog), false, &cases), -EPROTO);
	/* and on an arch value no arch has */
	struct sock_filter none[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARCH),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 3, 0),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 5),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR),
		JUMP(BPF_JMP | BPF_JGT | BPF_K, 0, 2, 3),	/* arch 0: all but 0 */
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR),
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 1, 0),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	assert_int_equal(verify(p, &mode, none, LEN(none), false, &cases), -EPROTO);
	none[4].k = UINT32_MAX;	/* none: right */
	assert_int_equal(verify(p, &mode, none, LEN(none), false, &cases), 0);
	syscage_policy_free(p);
}

/* A program that reads an argument on every number of a piece of the
 * policy's (here every number but read's, which nothing looks at) is checked
 * with garbage arguments too, also when the piece is checked at once
 * (check_piece_at_once): one wrong on the verifier's own garbage, and only
 * on it, is refused. */
static void test_arguments_read_in_a_range(void **state)
{
	(void)state;
	struct syscage_policy *p;
	struct sock_filter prog[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARCH),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 4),
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 3, 0),	/* read */
		STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARG_LO(0)),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xdeadbeef, 1, 0),	/* the garbage */
		STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct compile_mode mode = { 0 };
	uint64_t cases;

	p = parse("default kill\nallow read\n", "x86_64");
	assert_int_equal(verify(p, &mode, prog, LEN(prog), false, &cases), -EPROTO);
	assert_int_equal(verify(p, &mode, prog, LEN(prog), true, &cases), -EPROTO);
	prog[5].k = 0xdeadbeee;	/* right on zeros and garbage */
	assert_int_equal(verify(p, &mode, prog, LEN(prog), false, &cases), 0);
	syscage_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corrupted_programs),
		cmocka_unit_test(test_wrong_between_syscalls),
		cmocka_unit_test(test_forgotten_syscall),
		cmocka_unit_test(test_arithmetic_on_nr),
		cmocka_unit_test(test_bit_tests_on_nr),
		cmocka_unit_test(test_shadowed_condition),
		cmocka_unit_test(test_copies_of_nr),
		cmocka_unit_test(test_uncovered_arches),
		cmocka_unit_test(test_arguments_read_in_a_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
