/* Architectures syscage can write filters for: names, audit values, widths. */
#ifndef SYSCAGE_ARCH_H
#define SYSCAGE_ARCH_H

#include <stdbool.h>
#include <stdint.h>

/* The order is the order of the generated per-arch tables; keep them in step. */
enum arch_id {
	ARCH_X86_64,
	ARCH_I386,
	ARCH_X32,
	ARCH_AARCH64,
	ARCH_ARM,
	ARCH_RISCV64,
	ARCH_COUNT
};

/* x32 shares AUDIT_ARCH_X86_64 and marks its syscall numbers with this bit. */
#define ARCH_X32_SYSCALL_BIT 0x40000000u

struct arch_info {
	const char *name;	/* canonical name, as in policies */
	const char *alias;	/* another accepted name, or NULL */
	uint32_t audit_arch;	/* seccomp_data.arch */
	uint8_t arg_bits;	/* register width seen by the filter: 32 or 64 */
};

const struct arch_info *arch_info(enum arch_id arch);

/* Returns the arch for a policy name or alias, or -1. */
int arch_from_name(const char *name);

/* The arch this library was built for (the one `run` would load on). */
enum arch_id arch_native(void);

/* The bit of an arch in an arch mask. */
static inline uint32_t arch_bit(enum arch_id arch)
{
	return 1u << arch;
}

#endif
