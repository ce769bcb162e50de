/*
 * Reproducer of a syscage bug found by the libseccomp oracle; not part of
 * `make test` while the bug stands (`make oracle-repro` runs it).
 *
 * `syscage syscalls prctl` shows the kernel's prototype,
 *     prctl(int option, unsigned long arg2, unsigned long arg3, ...)
 * and doc/policy-language.md says arguments are named as in the prototype,
 * or by position arg0..arg5. For prctl the two collide: the parameter
 * `arg2` is at position 1, but syscage reads `arg2` as position 2 (the
 * kernel's arg3), silently, without a diagnostic (src/lib/resolve.c,
 * lookup_arg: the positional form is tried first). So
 *     errno EPERM prctl if arg2 == 5
 * does not refuse prctl(option, 5, ...), and refuses prctl(option, 0, 5).
 * A policy author who copied the name from the listing gets another check
 * than the one written. keyctl (arg2..arg5 at positions 1..4) and
 * arch_prctl (arg2 at position 1) have the same clash; sysfs (arg1, arg2)
 * happens to line up. The fix belongs in src/ (prefer the parameter, or
 * refuse the ambiguous name with a hint); this test says what is expected.
 *
 * Exit status 0 when fixed (or the ambiguity is refused with an error),
 * 1 while the bug stands. Last line: "repro-prctl-argname: N passed, M failed".
 */
#include <stdio.h>
#include <string.h>

#include <linux/audit.h>
#include <linux/seccomp.h>

#include "syscage.h"

int main(void)
{
	static const char text[] = "default allow\n"
				   "errno EPERM io_uring_setup\n"
				   "errno 77 prctl if arg2 == 5\n";
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_policy *pol = NULL;
	long nr = syscage_syscall_number("x86_64", "prctl");
	const uint64_t kernel_arg2[6] = { 15, 5, 0, 0, 0, 0 };	/* prctl(PR_SET_NAME, 5) */
	const uint64_t kernel_arg3[6] = { 15, 0, 5, 0, 0, 0 };
	struct syscage_verdict v2, v3;
	int rc, failed = 0;

	rc = syscage_policy_parse("repro.policy", text, strlen(text), "x86_64", diags, &pol);
	if (rc != 0) {
		/* refusing the ambiguous name is a fix too */
		printf("repro-prctl-argname: the ambiguous name is refused: fixed\n");
		printf("repro-prctl-argname: 1 passed, 0 failed\n");
		syscage_diagnostics_free(diags);
		return 0;
	}
	syscage_policy_evaluate(pol, AUDIT_ARCH_X86_64, (uint32_t)nr, kernel_arg2, &v2);
	syscage_policy_evaluate(pol, AUDIT_ARCH_X86_64, (uint32_t)nr, kernel_arg3, &v3);
	if (v2.seccomp_ret != (SECCOMP_RET_ERRNO | 77)) {
		printf("repro-prctl-argname: BUG: `prctl if arg2 == 5` does not match prctl(15, 5): "
		       "the parameter arg2 (position 1) is read as position 2 (verdict %#x)\n",
		       v2.seccomp_ret);
		failed = 1;
	}
	if (v3.seccomp_ret == (SECCOMP_RET_ERRNO | 77)) {
		printf("repro-prctl-argname: BUG: `prctl if arg2 == 5` matches prctl(15, 0, 5), "
		       "whose arg2 is 0\n");
		failed = 1;
	}
	printf("repro-prctl-argname: %d passed, %d failed\n", !failed, failed);
	syscage_policy_free(pol);
	syscage_diagnostics_free(diags);
	return failed;
}
