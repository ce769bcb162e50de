/*
 * A differential fuzzer for the verifier's range check (verify.c,
 * check_audit_by_range): random programs and policies are handed to
 * verify_program, and whatever it accepts is held against the truth by
 * brute force: the emulator and the policy's own evaluation on every
 * number up to 1100, every number near a constant of the program, around
 * the x32 bit, 2^31 and 2^32, and random ones, each with a few argument
 * vectors. Accepted and wrong on one of those is a bug.
 *
 * The programs are the compiled program of a random policy behind a
 * random prefix (loads of the number, copies of it in X and M[], bit tests,
 * comparisons, and returns of a wrong verdict on some paths, falling into
 * the compiled program on the others), or the compiled program with one
 * instruction changed. Fixed seed, bounded time; VERIFY_FUZZ_SECONDS and
 * VERIFY_FUZZ_SEED run it longer or elsewhere. Every program also holds
 * bpf_run_range, which runs a range of numbers at once, against the
 * emulator a number at a time (range_run_agrees).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/audit.h>

#include "arena.h"
#include "bpf.h"
#include "helpers.h"
#include "policy.h"
#include "syscall_table.h"
#include "verify.h"
#include "verify_run.h"

#define MAX_PROG 1024
#define LEN(a) (sizeof(a) / sizeof((a)[0]))

struct rng {
	uint64_t s;
};

static uint32_t rnd(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (uint32_t)(r->s >> 11);
}

static uint32_t below(struct rng *r, uint32_t n)
{
	return rnd(r) % n;
}

/* ---- policies ------------------------------------------------------------ */

static const char *const syscalls[] = {
	"read", "write", "open", "close", "stat", "fstat", "lstat", "poll", "lseek", "mmap",
	"getpid", "kill", "ioctl", "socket", "personality", "execve", "execveat", "seccomp",
	"exit_group", "rseq", "clone3", "openat", "getppid", "brk",
};

/* Conditions that parse, with their constants (the argument probes). */
static const struct {
	const char *text;
	uint64_t k[2];
} conds[] = {
	{ "write if fd == 1", { 1, 1 } },
	{ "write if fd < 3", { 3, 3 } },
	{ "read if fd != 0", { 0, 0 } },
	{ "close if fd >= 100", { 100, 100 } },
	{ "kill if pid <= 0", { 0, 0 } },
	{ "kill if sig == 9", { 9, 9 } },
	{ "ioctl if cmd == 0x5412", { 0x5412, 0x5412 } },
	{ "lseek if offset == 0x100000005", { 0x100000005, 0x100000005 } },
	{ "lseek if whence > 2", { 2, 2 } },
	{ "socket if family == 16", { 16, 16 } },
	{ "personality if personality == 8", { 8, 8 } },
	{ "mmap if prot & 4 == 4", { 4, 4 } },
	{ "mmap if flags & 0x20 != 0", { 0x20, 0 } },
};

static const char *const actions[] = {
	"allow", "allow", "allow", "kill", "errno 1", "errno 13", "trap", "log", "kill-thread",
};

static const char *const arch_lines[] = {
	"arch x86_64\n", "arch x86_64\n", "arch x86_64, x32\n", "arch x86_64, i386, x32\n",
	"arch x32\n", "arch i386\n",
};

struct fuzz_policy {
	char text[2048];
	uint64_t consts[32];
	size_t nconsts;
};

static void random_policy(struct rng *r, struct fuzz_policy *fp)
{
	size_t len = 0, rules = below(r, 7);

	fp->nconsts = 0;
	len += (size_t)snprintf(fp->text + len, sizeof(fp->text) - len, "%sdefault %s\n",
				arch_lines[below(r, LEN(arch_lines))],
				actions[below(r, LEN(actions))]);
	for (size_t i = 0; i < rules; i++) {
		const char *act = actions[below(r, LEN(actions))];

		if (below(r, 2)) {
			size_t c = below(r, LEN(conds));

			/* now and then decided before its condition is reached */
			if (!below(r, 4))
				len += (size_t)snprintf(fp->text + len, sizeof(fp->text) - len,
							"%s %.*s\n", actions[below(r, LEN(actions))],
							(int)strcspn(conds[c].text, " "), conds[c].text);
			len += (size_t)snprintf(fp->text + len, sizeof(fp->text) - len, "%s %s\n",
						act, conds[c].text);
			fp->consts[fp->nconsts++] = conds[c].k[0];
			fp->consts[fp->nconsts++] = conds[c].k[1];
		} else {
			const char *a = syscalls[below(r, LEN(syscalls))];
			const char *b = syscalls[below(r, LEN(syscalls))];

			len += (size_t)snprintf(fp->text + len, sizeof(fp->text) - len, "%s %s, %s\n",
						act, a, b);
		}
	}
}

static struct syscage_policy *parse(const char *text)
{
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_policy *p = NULL;

	if (syscage_policy_parse("fuzz.policy", text, strlen(text), NULL, diags, &p))
		p = NULL;
	syscage_diagnostics_free(diags);
	return p;
}

/* ---- the verifier and the truth ----------------------------------------- */

struct sample {
	uint32_t *nr;
	size_t count, cap;
	uint64_t args[64][6];
	size_t nargs;
};

static void add_nr(struct sample *s, uint64_t nr)
{
	if (nr > UINT32_MAX)
		return;
	if (s->count == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4096;
		s->nr = realloc(s->nr, s->cap * sizeof(*s->nr));
		assert_non_null(s->nr);
	}
	s->nr[s->count++] = (uint32_t)nr;
}

static void add_args(struct sample *s, uint64_t a0, uint64_t rest)
{
	if (s->nargs == LEN(s->args))
		return;
	s->args[s->nargs][0] = a0;
	for (int i = 1; i < 6; i++)
		s->args[s->nargs][i] = rest;
	s->nargs++;
}

static void build_sample(struct rng *r, struct sample *s, const struct sock_filter *prog,
			 size_t len, const struct fuzz_policy *fp)
{
	s->count = 0;
	s->nargs = 0;
	for (uint64_t nr = 0; nr <= 1100; nr++)
		add_nr(s, nr);
	for (uint64_t nr = 0x3ffffff0; nr <= 0x40000480; nr++)
		add_nr(s, nr);
	for (uint64_t nr = 0x7ffffff8; nr <= 0x80000008; nr++)
		add_nr(s, nr);
	for (uint64_t nr = 0xffffffe0; nr <= 0xffffffff; nr++)
		add_nr(s, nr);
	for (size_t pc = 0; pc < len; pc++) {
		uint64_t k = prog[pc].k;

		for (uint64_t d = 0; d <= 80; d++)
			add_nr(s, k + d - 40);
	}
	for (int i = 0; i < 256; i++)
		add_nr(s, rnd(r) ^ (uint64_t)rnd(r) << 21);
	/* the verifier's own: zeros and garbage */
	add_args(s, 0, 0);
	s->args[s->nargs][0] = 0;
	for (int i = 0; i < 6; i++)
		s->args[s->nargs][i] = 0xa5a5a5a5deadbeefULL + (uint64_t)i;
	s->nargs++;
	for (size_t i = 0; i < fp->nconsts; i++) {
		uint64_t k = fp->consts[i];

		add_args(s, k, k);
		add_args(s, k + 1, k + 1);
		add_args(s, k - 1, k - 1);
		add_args(s, 0, k);
		add_args(s, k, 0);
	}
	add_args(s, (uint64_t)rnd(r) << 32 | rnd(r), rnd(r));
}

struct finding {
	uint32_t audit, nr, got, want;
	uint64_t args[6];
};

/* The truth on the sample, for the audit values the policy covers: true
 * and *f on the first disagreement. */
static bool brute_force(const struct syscage_policy *p, const struct compile_mode *mode,
			const struct sock_filter *prog, size_t len, const struct sample *s,
			struct finding *f)
{
	for (int a = 0; a < ARCH_COUNT; a++) {
		uint32_t audit = arch_info(a)->audit_arch;

		if (!p->arches[a].covered)
			continue;
		for (size_t i = 0; i < s->count; i++) {
			struct seccomp_data data = { .nr = (int)s->nr[i], .arch = audit };
			int arch = policy_arch_of(p, audit, s->nr[i]);
			bool notified = mode_always_notifies(mode, arch, s->nr[i]);

			for (size_t j = 0; j < s->nargs; j++) {
				struct syscage_verdict v;
				uint32_t want, got;

				memcpy(data.args, s->args[j], sizeof(data.args));
				syscage_policy_evaluate(p, audit, s->nr[i], s->args[j], &v);
				want = notified ? SECCOMP_RET_USER_NOTIF
						: mode_filter_ret(mode, v.seccomp_ret);
				got = bpf_run(prog, len, &data, NULL);
				if (got != want) {
					*f = (struct finding){ audit, s->nr[i], got, want };
					memcpy(f->args, s->args[j], sizeof(f->args));
					return true;
				}
			}
		}
	}
	return false;
}

/* ---- programs -------------------------------------------------------------- */

static uint32_t random_const(struct rng *r)
{
	static const uint32_t pool[] = {
		0, 1, 2, 3, 7, 8, 0x10, 0x3fffffff, 0x40000000, 0x40000001, 0x7fffffff,
		0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0xc0000000, 0xc0000001,
		0x40000003, AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, 59, 322, 0x4000003b,
	};

	switch (below(r, 5)) {
	case 0:
		return pool[below(r, LEN(pool))];
	case 1:
		return below(r, 600);
	case 2:
		return 1u << below(r, 32);
	case 3:
		return (1u << below(r, 32)) | (1u << below(r, 32)) | (below(r, 2) ? 0x40000000 : 0);
	default:
		return below(r, 2) ? below(r, 16) : rnd(r);
	}
}

static struct sock_filter stmt(uint16_t code, uint32_t k)
{
	return (struct sock_filter){ code, 0, 0, k };
}

/* One random instruction at pc of a program whose first `end` instructions
 * are being made; jumps land at most at end, or now and then into the rest
 * (total instructions in all). */
static struct sock_filter random_insn(struct rng *r, size_t pc, size_t end, size_t all)
{
	static const uint16_t jops[] = { BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET };
	uint32_t w = below(r, 100);
	size_t span = (below(r, 8) ? end : all - 1) - pc - 1; /* farthest offset */

	if (span > 255)
		span = 255;
	if (w < 20)
		return stmt(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR);
	if (w < 23)
		return stmt(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARCH);
	if (w < 28)
		return stmt(BPF_LD | BPF_W | BPF_ABS, 16 + 4 * below(r, 12));
	if (w < 31)
		return stmt(BPF_LD | BPF_IMM, random_const(r));
	if (w < 33)
		return stmt(BPF_LDX | BPF_IMM, random_const(r));
	if (w < 38)
		return stmt(BPF_ST, below(r, 3));
	if (w < 41)
		return stmt(BPF_STX, below(r, 3));
	if (w < 45)
		return stmt(BPF_LD | BPF_MEM, below(r, 3));
	if (w < 49)
		return stmt(BPF_LDX | BPF_MEM, below(r, 3));
	if (w < 53)
		return stmt(BPF_MISC | BPF_TAX, 0);
	if (w < 56)
		return stmt(BPF_MISC | BPF_TXA, 0);
	if (w < 58)
		return stmt(BPF_ALU | BPF_AND | BPF_K, random_const(r));
	if (w < 60 && span > 0)
		return stmt(BPF_JMP | BPF_JA, below(r, (uint32_t)span + 1));
	if (w < 90 || w < 94) {
		uint16_t src = w < 90 ? BPF_K : BPF_X;

		return (struct sock_filter){ (uint16_t)(BPF_JMP | jops[below(r, 4)] | src),
					     (uint8_t)below(r, (uint32_t)span + 1),
					     (uint8_t)below(r, (uint32_t)span + 1), random_const(r) };
	}
	if (w < 99) {
		static const uint32_t rets[] = {
			SECCOMP_RET_ALLOW, SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS,
			SECCOMP_RET_ERRNO | 1, SECCOMP_RET_TRAP, SECCOMP_RET_LOG,
			SECCOMP_RET_USER_NOTIF,
		};
		return stmt(BPF_RET | BPF_K, rets[below(r, LEN(rets))]);
	}
	return stmt(BPF_RET | BPF_A, 0);
}

/* An instruction of a gadget around center: bounds and tests of the
 * number near it, moves of copies, loads of other things, jumps to the next
 * instructions, to the wrong return at wrong or to the compiled program
 * after it. What the verifier must see: a wrong verdict for a few numbers
 * in the middle of a range. */
static struct sock_filter gadget_insn(struct rng *r, size_t pc, size_t wrong, uint32_t center,
				      const struct fuzz_policy *fp)
{
	static const uint16_t jops[] = { BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_JSET };
	size_t to[] = { pc + 1, pc + 2, wrong, wrong + 1 };
	uint32_t w = below(r, 100), k;
	uint16_t op;

	if (w < 15)
		return stmt(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR);
	if (w < 20)
		return stmt(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARG_LO(below(r, 3)));
	if (w < 23)
		return stmt(BPF_LD | BPF_IMM, center + below(r, 8) - 4);
	if (w < 26)
		return stmt(BPF_LDX | BPF_IMM, center + below(r, 8) - 4);
	if (w < 31)
		return stmt(BPF_ST, below(r, 2));
	if (w < 34)
		return stmt(BPF_STX, below(r, 2));
	if (w < 38)
		return stmt(BPF_LD | BPF_MEM, below(r, 2));
	if (w < 42)
		return stmt(BPF_LDX | BPF_MEM, below(r, 2));
	if (w < 46)
		return stmt(BPF_MISC | BPF_TAX, 0);
	if (w < 49)
		return stmt(BPF_MISC | BPF_TXA, 0);
	op = jops[below(r, LEN(jops))];
	if (op == BPF_JSET) {
		switch (below(r, 4)) {
		case 0:
			k = 1u << below(r, 6);
			break;
		case 1:
			k = (1u << below(r, 6)) | (1u << below(r, 32));
			break;
		case 2:
			k = center ^ (center + below(r, 64));
			break;
		default:
			k = ~(1u << below(r, 6)) & (below(r, 2) ? 0xffffffff : 0x3f);
			break;
		}
	} else if (fp->nconsts && !below(r, 4)) {
		k = (uint32_t)fp->consts[below(r, (uint32_t)fp->nconsts)];
	} else {
		k = center + below(r, 64) - 32;
	}
	for (size_t i = 0; i < LEN(to); i++)
		if (to[i] > wrong + 1)
			to[i] = wrong + 1;
	return (struct sock_filter){ (uint16_t)(BPF_JMP | op | (w >= 96 ? BPF_X : BPF_K)),
				     (uint8_t)(to[below(r, 4)] - pc - 1),
				     (uint8_t)(to[below(r, 4)] - pc - 1), k };
}

/* A random prefix before the compiled program: random instructions, or a
 * gadget that returns a wrong verdict at its end. */
static size_t with_prefix(struct rng *r, struct sock_filter *out, const struct sock_filter *prog,
			  size_t len, const struct fuzz_policy *fp)
{
	static const uint32_t centers[] = { 0, 8, 59, 322, 0x3ffffff0, 0x40000000, 0x4000003b,
					    0x7ffffff0, 0x80000000, 0xffffffc0 };
	static const uint32_t rets[] = {
		SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_ERRNO | 1,
		SECCOMP_RET_TRAP, SECCOMP_RET_USER_NOTIF,
	};
	size_t n = 2 + below(r, 14);
	uint32_t center = below(r, 2) ? centers[below(r, LEN(centers))] : below(r, 1000);

	if (n + len > MAX_PROG)
		return 0;
	memcpy(out + n, prog, len * sizeof(*prog));
	if (below(r, 3)) {
		for (size_t pc = 0; pc + 1 < n; pc++)
			out[pc] = gadget_insn(r, pc, n - 1, center, fp);
		out[n - 1] = stmt(BPF_RET | BPF_K, rets[below(r, LEN(rets))]);
		return n + len;
	}
	for (size_t pc = 0; pc < n; pc++)
		out[pc] = random_insn(r, pc, n, n + len);
	return n + len;
}

/* The compiled program with one instruction changed. */
static size_t mutated(struct rng *r, struct sock_filter *out, const struct sock_filter *prog,
		      size_t len)
{
	size_t pc = below(r, (uint32_t)len), changes = 1 + below(r, 2);

	if (len > MAX_PROG)
		return 0;
	memcpy(out, prog, len * sizeof(*prog));
	for (size_t c = 0; c < changes; c++, pc = below(r, (uint32_t)len)) {
		struct sock_filter *in = &out[pc];

		if (BPF_CLASS(in->code) == BPF_JMP && BPF_OP(in->code) != BPF_JA) {
			switch (below(r, 5)) {
			case 0:
				in->k += below(r, 2) ? 1 : -1u;
				break;
			case 1:
				in->k = random_const(r);
				break;
			case 2:
				in->code = (uint16_t)(BPF_JMP | BPF_JSET | BPF_K);
				break;
			case 3: {
				uint8_t t = in->jt;

				in->jt = in->jf;
				in->jf = t;
				break;
			}
			default:
				in->code = (uint16_t)((in->code & ~0xf0) |
						      (below(r, 2) ? BPF_JGE : BPF_JGT));
				break;
			}
		} else if (BPF_CLASS(in->code) == BPF_RET && pc + 1 < len) {
			*in = random_insn(r, pc, len, len);
		} else if (in->code == (BPF_LD | BPF_W | BPF_ABS)) {
			in->k = below(r, 2) ? SECCOMP_DATA_NR : 16 + 4 * below(r, 12);
		} else if (pc + 1 < len) {
			*in = random_insn(r, pc, len, len);
		}
	}
	return len;
}

/* ---- the loop ------------------------------------------------------------ */

struct stats {
	unsigned programs, accepted, findings, fallback_misses, arg_misses, ranges;
};

/* The number n in [lo, last] of a sample of them: the ends, around every
 * constant of the program, and random ones. */
static void range_sample(struct rng *r, const struct sock_filter *prog, size_t len, uint32_t lo,
			 uint32_t last, struct sample *s)
{
	s->count = 0;
	add_nr(s, lo);
	add_nr(s, last);
	for (size_t pc = 0; pc < len; pc++) {
		for (uint64_t n = (uint64_t)prog[pc].k; n <= (uint64_t)prog[pc].k + 2; n++) {
			if (n >= (uint64_t)lo + 1 && n - 1 <= last)
				add_nr(s, n - 1);
		}
	}
	for (int i = 0; i < 16; i++) {
		uint64_t bits = (uint64_t)rnd(r) << 11 ^ rnd(r);

		add_nr(s, lo + (uint32_t)(bits % ((uint64_t)last - lo + 1)));
	}
}

/* A short program that does with the number all that bpf_run_range
 * follows and all it gives up on, near center: copies of it, comparisons
 * and bit tests (gadget_insn), arithmetic, returning it. */
static size_t range_program(struct rng *r, struct sock_filter *out, uint32_t center,
			    const struct fuzz_policy *fp)
{
	static const uint16_t alus[] = { BPF_ADD, BPF_SUB, BPF_AND, BPF_OR, BPF_RSH, BPF_NEG };
	size_t n = 2 + below(r, 10);

	static const uint16_t moves[] = { BPF_ST, BPF_STX, BPF_LD | BPF_MEM, BPF_LDX | BPF_MEM,
					  BPF_MISC | BPF_TAX, BPF_MISC | BPF_TXA };

	for (size_t pc = 0; pc + 1 < n; pc++) {
		out[pc] = gadget_insn(r, pc, n - 1, center, fp);
		if (!below(r, 8))
			out[pc] = stmt((uint16_t)(BPF_ALU | alus[below(r, LEN(alus))] |
						  (below(r, 2) ? BPF_X : BPF_K)), 1 + below(r, 4));
		else if (!below(r, 4))	/* more copies than gadget_insn makes */
			out[pc] = stmt(moves[below(r, LEN(moves))], below(r, 2));
		else if (!below(r, 8) && BPF_CLASS(out[pc].code) == BPF_JMP)
			out[pc].code = (uint16_t)((out[pc].code & ~BPF_K) | BPF_X);
	}
	out[n - 1] = stmt(BPF_RET | BPF_K, below(r, 2) ? SECCOMP_RET_ALLOW : SECCOMP_RET_TRAP);
	out[n] = below(r, 2) ? stmt(BPF_RET | BPF_A, 0) : stmt(BPF_RET | BPF_K, SECCOMP_RET_LOG);
	return n + 1;
}

/* range_program against the emulator on every number of small ranges near
 * its constants. */
static void range_run_exhaustive(struct rng *r, const struct fuzz_policy *fp, struct stats *st)
{
	static const uint32_t centers[] = { 0, 8, 59, 0x3ffffff0, 0x40000000, 0x7ffffff0,
					    0x80000000, 0xffffffc0 };
	struct sock_filter prog[16];

	for (int i = 0; i < 400; i++) {
		uint32_t center = below(r, 2) ? centers[below(r, LEN(centers))] : below(r, 1000);
		size_t len = range_program(r, prog, center, fp), bad;

		if (bpf_check(prog, len, &bad))
			continue;
		for (int t = 0; t < 4; t++) {
			struct seccomp_data data = { .arch = AUDIT_ARCH_X86_64 };
			uint64_t lo = (uint64_t)center + below(r, 80) - 40;
			uint64_t last = lo + below(r, 2) * below(r, 80), n;
			uint32_t ret;
			bool read_args;

			if (lo > UINT32_MAX || last > UINT32_MAX)
				continue;
			for (int a = 0; a < 6; a++)
				data.args[a] = below(r, 2) ? center + below(r, 8) - 4 : rnd(r);
			data.nr = (int)lo;
			if (!bpf_run_range(prog, len, &data, (uint32_t)last, &ret, &read_args))
				continue;
			st->ranges++;
			for (n = lo; n <= last; n++) {
				bool read_n;
				uint32_t got;

				data.nr = (int)n;
				got = bpf_run_traced(prog, len, &data, &read_n);
				if (got == ret && read_n == read_args)
					continue;
				for (size_t pc = 0; pc < len; pc++) {
					char buf[96];

					bpf_disasm(&prog[pc], pc, buf, sizeof(buf));
					print_message("%4zu: %s\n", pc, buf);
				}
				fail_msg("bpf_run_range says %#x for numbers %#llx to %#llx; "
					 "number %#llx gets %#x", ret, (unsigned long long)lo,
					 (unsigned long long)last, (unsigned long long)n, got);
			}
		}
	}
}

/* bpf_run_range, which the verifier checks a piece of the policy's with
 * at once, against the emulator a number at a time: where it says the
 * runs of a range of numbers go one way, every number of the sample of
 * them must get its verdict and read the arguments as it says. */
static void range_run_agrees(struct rng *r, const struct sock_filter *prog, size_t len,
			     struct stats *st)
{
	static const uint32_t audits[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, 0, 0xffffffff };
	static struct sample s;

	for (int t = 0; t < 8; t++) {
		struct seccomp_data data = { .arch = below(r, 5) ? audits[below(r, 4)] : rnd(r) };
		uint32_t lo = below(r, 3) ? prog[below(r, (uint32_t)len)].k + below(r, 5) - 2
					  : random_const(r);
		uint32_t span = below(r, 4) ? below(r, 1u << below(r, 32)) : UINT32_MAX;
		uint32_t last = span > UINT32_MAX - lo ? UINT32_MAX : lo + span, ret;
		bool read_args;

		if (below(r, 2))
			for (int i = 0; i < 6; i++)
				data.args[i] = (uint64_t)rnd(r) << 32 ^ rnd(r);
		data.nr = (int)lo;
		if (!bpf_run_range(prog, len, &data, last, &ret, &read_args))
			continue;
		st->ranges++;
		range_sample(r, prog, len, lo, last, &s);
		for (size_t i = 0; i < s.count; i++) {
			bool read_n;
			uint32_t got;

			data.nr = (int)s.nr[i];
			got = bpf_run_traced(prog, len, &data, &read_n);
			if (got != ret || read_n != read_args) {
				char buf[96];

				for (size_t pc = 0; pc < len && pc < 80; pc++) {
					bpf_disasm(&prog[pc], pc, buf, sizeof(buf));
					print_message("%4zu: %s\n", pc, buf);
				}
				fail_msg("bpf_run_range says %#x (arguments %sread) for arch %#x, "
					 "numbers %#x to %#x; number %#x gets %#x (%sread)",
					 ret, read_args ? "" : "not ", data.arch, lo, last, s.nr[i],
					 got, read_n ? "" : "not ");
			}
		}
	}
}

static void report(const char *why, const struct fuzz_policy *fp, bool supervised,
		   const struct sock_filter *prog, size_t len, const struct finding *f)
{
	char buf[96];

	print_message("%s\n--- policy (%s) ---\n%s--- program ---\n", why,
		      supervised ? "supervised" : "plain", fp->text);
	for (size_t pc = 0; pc < len && pc < 80; pc++) {
		bpf_disasm(&prog[pc], pc, buf, sizeof(buf));
		print_message("%4zu: %s\n", pc, buf);
	}
	print_message("--- (the first wrong case of the sample) arch %#x nr %#x args %#llx %#llx: program %#x, policy %#x\n", f->audit,
		      f->nr, (unsigned long long)f->args[0], (unsigned long long)f->args[1],
		      f->got, f->want);
}

static void try_program(struct rng *r, const struct syscage_policy *p,
			const struct compile_mode *mode, const struct fuzz_policy *fp,
			const struct sock_filter *prog, size_t len, struct stats *st)
{
	static struct sample s;
	struct finding f;
	uint64_t cases, cases_sample;
	int by_sample;
	size_t bad;

	if (!len || bpf_check(prog, len, &bad))
		return;
	st->programs++;
	range_run_agrees(r, prog, len, st);
	if (verify(p, mode, prog, len, false, &cases))
		return;
	st->accepted++;
	build_sample(r, &s, prog, len, fp);
	/* The range check stands for every number: whatever the same checks
	 * refuse on one number of the sample, it must have refused. */
	verify_force_numbers(s.nr, s.count);
	by_sample = verify(p, mode, prog, len, true, &cases_sample);
	verify_force_numbers(NULL, 0);
	if (!by_sample) {
		/* Wrong only on argument values no rule of the policy looks at
		 * for that number: the verifier's probes come from the policy,
		 * whichever way it goes through the numbers. */
		st->arg_misses += brute_force(p, mode, prog, len, &s, &f);
		return;
	}
	/* Programs the range argument does not cover are checked number by
	 * number, on the numbers of the tables only: a miss there is the
	 * fallback's known limit, not the range check's. */
	if (!verify(p, mode, prog, len, true, &cases_sample) && cases == cases_sample) {
		st->fallback_misses++;
		return;
	}
	if (!brute_force(p, mode, prog, len, &s, &f))
		f = (struct finding){ 0 };
	st->findings++;
	report("accepted by the range check, and wrong", fp, mode->supervised, prog, len, &f);
}

/* What the compiler makes is checked a range at a time: were it to fall
 * back to number by number (a use of the number program_cuts does not
 * follow), it would be checked on the numbers of the tables only. The two
 * ways compare different numbers, so the counts of cases tell them apart. */
static void checked_by_range(const struct syscage_policy *p, const struct compile_mode *mode,
			     const struct syscage_program *compiled, const struct fuzz_policy *fp)
{
	const struct sock_filter *prog = syscage_program_instructions(compiled);
	size_t len = syscage_program_length(compiled);
	uint64_t by_range, by_number;

	assert_int_equal(verify(p, mode, prog, len, false, &by_range), 0);
	assert_int_equal(verify(p, mode, prog, len, true, &by_number), 0);
	if (by_range == by_number)
		fail_msg("the compiled program is checked number by number:\n%s", fp->text);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_fuzz_range_check(void **state)
{
	(void)state;
	const char *secs = getenv("VERIFY_FUZZ_SECONDS"), *seed = getenv("VERIFY_FUZZ_SEED");
	double until = now() + (secs ? atof(secs) : 4.0);
	struct rng r = { seed ? strtoull(seed, NULL, 0) : 0x5eed5eedULL };
	struct sock_filter *buf = malloc(MAX_PROG * sizeof(*buf));
	struct stats st = { 0 };
	unsigned policies = 0;

	assert_non_null(buf);
	while (now() < until) {
		struct syscage_diagnostics *diags = syscage_diagnostics_new();
		struct fuzz_policy fp;
		struct syscage_policy *p;
		struct syscage_program *compiled = NULL;
		struct compile_mode mode = { .supervised = below(&r, 3) == 0 };
		int err;

		random_policy(&r, &fp);
		p = parse(fp.text);
		if (!p) {
			syscage_diagnostics_free(diags);
			continue;
		}
		policies++;
		mode.native_kills = mode.supervised && policy_allows_own_filters(p);
		err = mode.supervised ? syscage_compile_supervised(p, diags, &compiled)
				      : syscage_compile(p, diags, &compiled);
		if (err)
			fail_msg("the policy does not compile:\n%s", fp.text);
		checked_by_range(p, &mode, compiled, &fp);
		range_run_exhaustive(&r, &fp, &st);
		try_program(&r, p, &mode, &fp, syscage_program_instructions(compiled),
			    syscage_program_length(compiled), &st);
		for (int i = 0; i < 40; i++) {
			const struct sock_filter *prog = syscage_program_instructions(compiled);
			size_t len = syscage_program_length(compiled), n;

			n = i % 2 ? with_prefix(&r, buf, prog, len, &fp) : mutated(&r, buf, prog, len);
			try_program(&r, p, &mode, &fp, buf, n, &st);
		}
		syscage_program_free(compiled);
		syscage_policy_free(p);
		syscage_diagnostics_free(diags);
	}
	print_message("%u policies, %u programs, %u accepted, %u findings; missed by design: "
		      "%u on arguments, %u number by number; %u ranges run at once\n", policies,
		      st.programs, st.accepted, st.findings, st.arg_misses, st.fallback_misses,
		      st.ranges);
	free(buf);
	assert_int_equal(st.findings, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fuzz_range_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
