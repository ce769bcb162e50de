/* The verifier run as the unit tests need it: test_verify.c and
 * test_verify_fuzz.c. */
#ifndef SYSCAGE_TESTS_VERIFY_RUN_H
#define SYSCAGE_TESTS_VERIFY_RUN_H

#include <string.h>

#include "arena.h"
#include "helpers.h"
#include "verify.h"

/* Runs the verifier (by_number: as on programs the range argument does not
 * cover); returns its result, *cases the cases it compared. A refusal is
 * always reported as an internal error. */
static int verify(const struct syscage_policy *p, const struct compile_mode *mode,
		  const struct sock_filter *prog, size_t len, bool by_number, uint64_t *cases)
{
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct arena arena = { 0 };
	jmp_buf oom;
	int err;

	arena.on_oom = &oom;
	if (setjmp(oom))
		fail_msg("out of memory");
	diag_bind(diags, &oom);
	verify_force_by_number(by_number);
	err = verify_program(&arena, p, mode, prog, len, diags, cases);
	verify_force_by_number(false);
	if (err)
		assert_non_null(strstr(syscage_diagnostic_message(diags, 0), "internal error"));
	diag_bind(diags, NULL);
	arena_release(&arena);
	syscage_diagnostics_free(diags);
	return err;
}

#endif
