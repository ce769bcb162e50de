#!/bin/sh
# Diagnostics are tested exactly: each tests/golden/NAME.policy is compiled and
# what syscage prints on stderr, plus its exit status, must equal
# tests/golden/NAME.expected. UPDATE=1 rewrites the expected files (review
# the diff before committing).
SYSCAGE=${SYSCAGE:-build/syscage}
passed=0
failed=0
for policy in tests/golden/*.policy; do
	expected=${policy%.policy}.expected
	[ -e "$expected" ] || [ -n "$UPDATE" ] || continue
	actual=$("$SYSCAGE" compile -p "$policy" -o /dev/null 2>&1 >/dev/null; echo "exit=$?")
	if [ -n "$UPDATE" ]; then
		printf '%s\n' "$actual" > "$expected"
		continue
	fi
	if [ "$actual" = "$(cat "$expected")" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $policy"
		printf '%s\n' "$actual" | diff -u "$expected" - | sed 's/^/    /'
	fi
done
echo "golden: $passed passed, $failed failed"
[ "$failed" = 0 ]
