#include "bpf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static uint32_t load_word(const struct seccomp_data *data, uint32_t offset)
{
	uint32_t word;

	memcpy(&word, (const char *)data + offset, sizeof(word));
	return word;
}

int bpf_check(const struct sock_filter *prog, size_t len, size_t *bad_pc)
{
	size_t pc;

	if (len == 0 || len > BPF_MAX_INSNS)
		goto bad_len;
	for (pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &prog[pc];
		size_t left = len - pc - 1;

		switch (in->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			/* seccomp allows only aligned 32-bit loads of seccomp_data */
			if (in->k >= sizeof(struct seccomp_data) || (in->k & 3))
				goto bad;
			break;
		case BPF_LD | BPF_W | BPF_LEN:
		case BPF_LDX | BPF_W | BPF_LEN:
		case BPF_LD | BPF_IMM:
		case BPF_LDX | BPF_IMM:
		case BPF_MISC | BPF_TAX:
		case BPF_MISC | BPF_TXA:
		case BPF_RET | BPF_K:
		case BPF_RET | BPF_A:
		case BPF_ALU | BPF_ADD | BPF_K: case BPF_ALU | BPF_ADD | BPF_X:
		case BPF_ALU | BPF_SUB | BPF_K: case BPF_ALU | BPF_SUB | BPF_X:
		case BPF_ALU | BPF_MUL | BPF_K: case BPF_ALU | BPF_MUL | BPF_X:
		case BPF_ALU | BPF_DIV | BPF_X:
		case BPF_ALU | BPF_AND | BPF_K: case BPF_ALU | BPF_AND | BPF_X:
		case BPF_ALU | BPF_OR | BPF_K: case BPF_ALU | BPF_OR | BPF_X:
		case BPF_ALU | BPF_XOR | BPF_K: case BPF_ALU | BPF_XOR | BPF_X:
		case BPF_ALU | BPF_LSH | BPF_X: case BPF_ALU | BPF_RSH | BPF_X:
		case BPF_ALU | BPF_NEG:
			break;
		case BPF_ALU | BPF_DIV | BPF_K:
			if (in->k == 0)
				goto bad;
			break;
		case BPF_ALU | BPF_LSH | BPF_K:
		case BPF_ALU | BPF_RSH | BPF_K:
			if (in->k >= 32)
				goto bad;
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
		case BPF_ST:
		case BPF_STX:
			if (in->k >= BPF_MEMWORDS)
				goto bad;
			break;
		case BPF_JMP | BPF_JA:
			if (in->k >= left)
				goto bad;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K: case BPF_JMP | BPF_JEQ | BPF_X:
		case BPF_JMP | BPF_JGE | BPF_K: case BPF_JMP | BPF_JGE | BPF_X:
		case BPF_JMP | BPF_JGT | BPF_K: case BPF_JMP | BPF_JGT | BPF_X:
		case BPF_JMP | BPF_JSET | BPF_K: case BPF_JMP | BPF_JSET | BPF_X:
			if (in->jt >= left || in->jf >= left)
				goto bad;
			break;
		default:
			goto bad;
		}
	}
	switch (prog[len - 1].code) {
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
		return 0;
	}
	pc = len - 1;
bad:
	if (bad_pc)
		*bad_pc = pc;
	return -EINVAL;
bad_len:
	if (bad_pc)
		*bad_pc = 0;
	return -EINVAL;
}

static uint32_t run(const struct sock_filter *prog, size_t len, const struct seccomp_data *data,
		    unsigned *steps, bool *read_args)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	unsigned n = 0;
	size_t pc = 0;
	bool args = false;

	/* bpf_check() proved every jump lands inside and the end returns. */
	for (;;) {
		const struct sock_filter *in = &prog[pc++];
		uint32_t src;

		n++;
		/* What compiled programs are mostly made of, without decoding:
		 * the verifier runs every program hundreds of times. */
		switch (in->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			a = load_word(data, in->k);
			args |= in->k >= 8;
			continue;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == in->k ? in->jt : in->jf;
			continue;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += a >= in->k ? in->jt : in->jf;
			continue;
		case BPF_JMP | BPF_JGT | BPF_K:
			pc += a > in->k ? in->jt : in->jf;
			continue;
		case BPF_JMP | BPF_JSET | BPF_K:
			pc += (a & in->k) ? in->jt : in->jf;
			continue;
		case BPF_RET | BPF_K:
			if (steps)
				*steps = n;
			*read_args = args;
			return in->k;
		}
		src = BPF_SRC(in->code) == BPF_X ? x : in->k;
		switch (BPF_CLASS(in->code)) {
		case BPF_LD:
			if (BPF_MODE(in->code) == BPF_ABS) {
				a = load_word(data, in->k);
				args |= in->k >= 8;
			}
			else if (BPF_MODE(in->code) == BPF_LEN)
				a = sizeof(*data);
			else if (BPF_MODE(in->code) == BPF_IMM)
				a = in->k;
			else
				a = mem[in->k];
			break;
		case BPF_LDX:
			if (BPF_MODE(in->code) == BPF_LEN)
				x = sizeof(*data);
			else if (BPF_MODE(in->code) == BPF_IMM)
				x = in->k;
			else
				x = mem[in->k];
			break;
		case BPF_ST:
			mem[in->k] = a;
			break;
		case BPF_STX:
			mem[in->k] = x;
			break;
		case BPF_ALU:
			a = bpf_alu(in->code, a, src);
			break;
		case BPF_JMP:
			if (BPF_OP(in->code) == BPF_JA) {
				pc += in->k;
				continue;
			}
			pc += bpf_jump_taken(in->code, a, src) ? in->jt : in->jf;
			break;
		case BPF_RET:
			if (steps)
				*steps = n;
			*read_args = args;
			return BPF_RVAL(in->code) == BPF_A ? a : in->k;
		case BPF_MISC:
			if (BPF_MISCOP(in->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		}
		(void)len;
	}
}

uint32_t bpf_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *data,
		 unsigned *steps)
{
	bool read_args = false;

	return run(prog, len, data, steps, &read_args);
}

uint32_t bpf_run_traced(const struct sock_filter *prog, size_t len, const struct seccomp_data *data,
			bool *read_args)
{
	return run(prog, len, data, NULL, read_args);
}

/* Whether (n & k) != 0 is the same for every n in [lo, hi]. When lo has
 * a bit of k, the first n above it with none is found by carrying into the
 * bit above the highest such bit, again until none is left; when lo has
 * none, the first n above it with one is lo with the lowest bit b of k set
 * and the bits below b cleared (the least n >= lo with bit b, since lo
 * lacks b; lower bits of k give smaller such n). */
static bool bit_test_uniform(uint32_t lo, uint32_t hi, uint32_t k)
{
	uint64_t n = lo;

	if (!k || lo == hi)
		return true;
	if (!(lo & k)) {
		uint64_t b = k & -k;

		return ((lo | b) & ~(b - 1)) > hi;
	}
	while (n <= hi && (n & k)) {
		uint64_t top = 1ull << (63 - __builtin_clzll(n & k));

		n = (n | (top - 1)) + 1;
	}
	return n > hi;
}

/*
 * run() for every number from data->nr to last at once. Each place (A, X,
 * M[]) holds either what it holds in the run with the number data->nr and
 * in every other run alike, or the number itself (the *_nr flags): loads of
 * the number and copies of it. Every other value is computed from the
 * first kind only, so it is equal in all the runs; a jump on the number
 * goes one way for all of them or the runs part (false); arithmetic on
 * the number, a comparison with it in X and returning it are given up on
 * (false) rather than followed.
 */
bool bpf_run_range(const struct sock_filter *prog, size_t len, const struct seccomp_data *data,
		   uint32_t last, uint32_t *ret, bool *read_args)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 }, lo = data->nr;
	bool a_nr = false, x_nr = false, mem_nr[BPF_MEMWORDS] = { false }, args = false;
	size_t pc = 0;

	(void)len;
	for (;;) {
		const struct sock_filter *in = &prog[pc++];
		uint32_t src = BPF_SRC(in->code) == BPF_X ? x : in->k;
		bool src_nr = BPF_SRC(in->code) == BPF_X && x_nr, taken = false;

		switch (BPF_CLASS(in->code)) {
		case BPF_LD:
			a_nr = false;
			if (BPF_MODE(in->code) == BPF_ABS) {
				a = load_word(data, in->k);
				a_nr = in->k == SECCOMP_DATA_NR;
				args |= in->k >= 8;
			} else if (BPF_MODE(in->code) == BPF_LEN) {
				a = sizeof(*data);
			} else if (BPF_MODE(in->code) == BPF_IMM) {
				a = in->k;
			} else {
				a = mem[in->k];
				a_nr = mem_nr[in->k];
			}
			break;
		case BPF_LDX:
			x_nr = false;
			if (BPF_MODE(in->code) == BPF_LEN) {
				x = sizeof(*data);
			} else if (BPF_MODE(in->code) == BPF_IMM) {
				x = in->k;
			} else {
				x = mem[in->k];
				x_nr = mem_nr[in->k];
			}
			break;
		case BPF_ST:
			mem[in->k] = a;
			mem_nr[in->k] = a_nr;
			break;
		case BPF_STX:
			mem[in->k] = x;
			mem_nr[in->k] = x_nr;
			break;
		case BPF_ALU:
			if (a_nr || (src_nr && BPF_OP(in->code) != BPF_NEG))
				return false;
			a = bpf_alu(in->code, a, src);
			break;
		case BPF_JMP:
			if (BPF_OP(in->code) == BPF_JA) {
				pc += in->k;
				continue;
			}
			if (src_nr)
				return false;
			/* A holds lo in the run with lo and n in the run with n:
			 * the outcome at lo must be the outcome for all of them */
			taken = bpf_jump_taken(in->code, a, src);
			if (a_nr && (BPF_OP(in->code) == BPF_JEQ ? !(src < lo || src > last || lo == last)
				     : BPF_OP(in->code) == BPF_JSET ? !bit_test_uniform(lo, last, src)
				     : taken != bpf_jump_taken(in->code, last, src)))
				return false;
			pc += taken ? in->jt : in->jf;
			break;
		case BPF_RET:
			if (BPF_RVAL(in->code) == BPF_A && a_nr && lo != last)
				return false;
			*ret = BPF_RVAL(in->code) == BPF_A ? a : in->k;
			*read_args = args;
			return true;
		case BPF_MISC:
			if (BPF_MISCOP(in->code) == BPF_TAX) {
				x = a;
				x_nr = a_nr;
			} else {
				a = x;
				a_nr = x_nr;
			}
			break;
		}
	}
}

bool bpf_const_allow(const struct sock_filter *prog, size_t len, uint32_t arch, uint32_t nr)
{
	uint32_t a = 0;

	/* A transcription of the rules of the kernel's seccomp_is_const_allow()
	 * (kernel/seccomp.c), not of its code: anything but loads of nr and
	 * arch, constant jumps, AND with a constant and constant returns ends
	 * the analysis with "not constant". */
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &prog[pc];

		switch (in->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (in->k == SECCOMP_DATA_NR)
				a = nr;
			else if (in->k == SECCOMP_DATA_ARCH)
				a = arch;
			else
				return false;
			break;
		case BPF_RET | BPF_K:
			return in->k == SECCOMP_RET_ALLOW;
		case BPF_JMP | BPF_JA:
			pc += in->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
		case BPF_JMP | BPF_JGE | BPF_K:
		case BPF_JMP | BPF_JGT | BPF_K:
		case BPF_JMP | BPF_JSET | BPF_K:
			pc += bpf_jump_taken(in->code, a, in->k) ? in->jt : in->jf;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= in->k;
			break;
		default:
			return false;
		}
	}
	return false;
}

static const char *seccomp_data_field(uint32_t k, char *buf, size_t size)
{
	if (k == SECCOMP_DATA_NR)
		return "nr";
	if (k == SECCOMP_DATA_ARCH)
		return "arch";
	if (k == 8)
		return "ip.lo";
	if (k == 12)
		return "ip.hi";
	if (k >= 16 && k < 64) {
		snprintf(buf, size, "arg%u.%s", (k - 16) / 8, (k % 8) ? "hi" : "lo");
		return buf;
	}
	snprintf(buf, size, "[%u]", k);
	return buf;
}

void bpf_disasm(const struct sock_filter *in, size_t pc, char *buf, size_t size)
{
	static const char *const jumps[] = { [BPF_JEQ >> 4] = "jeq", [BPF_JGT >> 4] = "jgt",
					     [BPF_JGE >> 4] = "jge", [BPF_JSET >> 4] = "jset" };
	static const char *const alus[] = {
		[BPF_ADD >> 4] = "add", [BPF_SUB >> 4] = "sub", [BPF_MUL >> 4] = "mul",
		[BPF_DIV >> 4] = "div", [BPF_OR >> 4] = "or", [BPF_AND >> 4] = "and",
		[BPF_LSH >> 4] = "lsh", [BPF_RSH >> 4] = "rsh", [BPF_NEG >> 4] = "neg",
		[BPF_MOD >> 4] = "mod", [BPF_XOR >> 4] = "xor",
	};
	char field[16];

	switch (BPF_CLASS(in->code)) {
	case BPF_LD:
		if (BPF_MODE(in->code) == BPF_ABS)
			snprintf(buf, size, "ld %s", seccomp_data_field(in->k, field, sizeof(field)));
		else if (BPF_MODE(in->code) == BPF_IMM)
			snprintf(buf, size, "ld #%#x", in->k);
		else if (BPF_MODE(in->code) == BPF_LEN)
			snprintf(buf, size, "ld #len");
		else
			snprintf(buf, size, "ld M[%u]", in->k);
		return;
	case BPF_LDX:
		snprintf(buf, size, BPF_MODE(in->code) == BPF_IMM ? "ldx #%#x" : "ldx M[%u]", in->k);
		return;
	case BPF_ST:
		snprintf(buf, size, "st M[%u]", in->k);
		return;
	case BPF_STX:
		snprintf(buf, size, "stx M[%u]", in->k);
		return;
	case BPF_ALU:
		if (BPF_OP(in->code) == BPF_NEG)
			snprintf(buf, size, "neg");
		else if (BPF_SRC(in->code) == BPF_X)
			snprintf(buf, size, "%s x", alus[BPF_OP(in->code) >> 4]);
		else
			snprintf(buf, size, "%s #%#x", alus[BPF_OP(in->code) >> 4], in->k);
		return;
	case BPF_JMP:
		if (BPF_OP(in->code) == BPF_JA)
			snprintf(buf, size, "ja L%zu", pc + 1 + in->k);
		else
			snprintf(buf, size, "%s #%#x, L%zu, L%zu", jumps[BPF_OP(in->code) >> 4], in->k,
				 pc + 1 + in->jt, pc + 1 + in->jf);
		return;
	case BPF_RET:
		snprintf(buf, size, BPF_RVAL(in->code) == BPF_A ? "ret a" : "ret #%#x", in->k);
		return;
	default:
		snprintf(buf, size, BPF_MISCOP(in->code) == BPF_TAX ? "tax" : "txa");
		return;
	}
}
