/* Code generation: a resolved policy to a seccomp-BPF program. */
#ifndef SYSCAGE_CODEGEN_H
#define SYSCAGE_CODEGEN_H

#include "policy.h"
#include "rule_table.h"

/*
 * Compiles policy. On success *insns holds *len instructions and *notes one
 * note per instruction (what it is for: "arch check", "web.policy:7"), all
 * in arena. Returns 0, or -E2BIG when that is more than the kernel's 4096
 * instructions (*len says how many).
 */
int codegen_program(struct arena *arena, const struct syscage_policy *policy,
		    const struct compile_mode *mode, struct sock_filter **insns, const char ***notes,
		    size_t *len);

#endif
