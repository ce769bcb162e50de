#include "arch.h"

#include <linux/audit.h>
#include <stddef.h>
#include <string.h>

static const struct arch_info arches[ARCH_COUNT] = {
	[ARCH_X86_64] = { "x86_64", "amd64", AUDIT_ARCH_X86_64, 64 },
	[ARCH_I386] = { "i386", "x86", AUDIT_ARCH_I386, 32 },
	/* x32 has 64-bit registers but a 32-bit ABI; the filter sees 64 bits. */
	[ARCH_X32] = { "x32", NULL, AUDIT_ARCH_X86_64, 64 },
	[ARCH_AARCH64] = { "aarch64", "arm64", AUDIT_ARCH_AARCH64, 64 },
	[ARCH_ARM] = { "arm", NULL, AUDIT_ARCH_ARM, 32 },
	[ARCH_RISCV64] = { "riscv64", NULL, AUDIT_ARCH_RISCV64, 64 },
};

const struct arch_info *arch_info(enum arch_id arch)
{
	return &arches[arch];
}

int arch_from_name(const char *name)
{
	for (int i = 0; i < ARCH_COUNT; i++) {
		if (strcmp(name, arches[i].name) == 0 ||
		    (arches[i].alias && strcmp(name, arches[i].alias) == 0))
			return i;
	}
	return -1;
}

enum arch_id arch_native(void)
{
#if defined(__x86_64__) && defined(__ILP32__)
	return ARCH_X32;
#elif defined(__x86_64__)
	return ARCH_X86_64;
#elif defined(__i386__)
	return ARCH_I386;
#elif defined(__aarch64__)
	return ARCH_AARCH64;
#elif defined(__arm__)
	return ARCH_ARM;
#elif defined(__riscv) && __riscv_xlen == 64
	return ARCH_RISCV64;
#else
#error "syscage does not know this architecture"
#endif
}
