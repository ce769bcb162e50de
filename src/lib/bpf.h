/*
 * Classic BPF as seccomp uses it: an emulator that behaves like the
 * kernel's, the kernel's own load-time checks, the kernel's "constant
 * allow" analysis (the syscall cache of Linux 5.11+), and a disassembler.
 */
#ifndef SYSCAGE_BPF_H
#define SYSCAGE_BPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

/* The kernel's limit on one filter (BPF_MAXINSNS). */
#define BPF_MAX_INSNS 4096

/* offsets into struct seccomp_data */
#define SECCOMP_DATA_NR 0
#define SECCOMP_DATA_ARCH 4
#define SECCOMP_DATA_ARG_LO(i) (16 + 8 * (i))	/* little-endian hosts */
#define SECCOMP_DATA_ARG_HI(i) (20 + 8 * (i))

/* What an ALU instruction (code) makes of A, with src its operand (k or
 * X), as the kernel computes it. */
static inline uint32_t bpf_alu(uint16_t code, uint32_t a, uint32_t src)
{
	switch (BPF_OP(code)) {
	case BPF_ADD: return a + src;
	case BPF_SUB: return a - src;
	case BPF_MUL: return a * src;
	/* The kernel's classic-to-eBPF conversion makes x/0 return 0. */
	case BPF_DIV: return src ? a / src : 0;
	case BPF_AND: return a & src;
	case BPF_OR: return a | src;
	case BPF_XOR: return a ^ src;
	case BPF_LSH: return src < 32 ? a << src : 0;
	case BPF_RSH: return src < 32 ? a >> src : 0;
	case BPF_NEG: return 0u - a;
	}
	return a;
}

/* Whether a conditional jump (code, not ja) takes its true branch. */
static inline bool bpf_jump_taken(uint16_t code, uint32_t a, uint32_t src)
{
	switch (BPF_OP(code)) {
	case BPF_JEQ: return a == src;
	case BPF_JGT: return a > src;
	case BPF_JGE: return a >= src;
	default: return (a & src) != 0;	/* BPF_JSET */
	}
}

/*
 * Checks a program as the kernel does before loading it (seccomp_check_filter
 * and bpf_check_classic): instruction set, aligned loads inside
 * seccomp_data, jumps in range, division by a zero constant, a return at
 * the end. Returns 0 or -EINVAL; *bad_pc (may be NULL) names the culprit.
 */
int bpf_check(const struct sock_filter *prog, size_t len, size_t *bad_pc);

/*
 * Runs a checked program on data. Returns the filter's value; *steps (may
 * be NULL) counts the instructions executed.
 */
uint32_t bpf_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *data,
		 unsigned *steps);

/* As bpf_run; *read_args says whether the run loaded any argument (or
 * instruction pointer) word: when it did not, no argument values can
 * change its result. */
uint32_t bpf_run_traced(const struct sock_filter *prog, size_t len, const struct seccomp_data *data,
			bool *read_args);

/*
 * As bpf_run_traced, for every syscall number from data->nr to last
 * (data->nr <= last) at once, the rest of data the same: true when the
 * program goes the same way for all of them, with *ret and *read_args what
 * each of those runs gives; false when the runs may part (a jump on the
 * number that goes both ways among them), or the program does anything
 * else with the number than copy it, compare it with a constant and test
 * its bits (arithmetic, a comparison with it in X, returning it).
 */
bool bpf_run_range(const struct sock_filter *prog, size_t len, const struct seccomp_data *data,
		   uint32_t last, uint32_t *ret, bool *read_args);

/*
 * The kernel's seccomp_is_const_allow(): true when the program allows
 * (arch, nr) by looking at nothing but those two, so the kernel's cache
 * lets that syscall skip the filter.
 */
bool bpf_const_allow(const struct sock_filter *prog, size_t len, uint32_t arch, uint32_t nr);

/* One instruction as text ("jeq #0x3b, L12, L14"), pc-relative targets as
 * absolute instruction numbers. Writes at most size bytes. */
void bpf_disasm(const struct sock_filter *insn, size_t pc, char *buf, size_t size);

#endif
