#!/bin/sh
# Runs test binaries and the CLI tests; prints one closing line
# "N passed, N failed" over all of them.
passed=0
failed=0
failed_names=""
for t in "$@"; do
	if "$t"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failed_names="$failed_names $t"
	fi
done
for t in tests/cli/*.sh; do
	[ -e "$t" ] || continue
	if SYSCAGE="$BUILD/syscage" PROBES="$BUILD/tests/run" sh "$t"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failed_names="$failed_names $t"
	fi
done
[ -n "$failed_names" ] && echo "failed:$failed_names"
echo "suites: $passed passed, $failed failed"
[ "$failed" = 0 ]
