#!/bin/sh
# Runs the CLI ($1, an unsanitized build) under valgrind on every example
# policy: compile in every format and with --stats, check, the syscall and
# group listings, and the error paths of every golden policy. Not `run`:
# valgrind 3.19 implements neither seccomp(2) nor pidfd_open(2), and the
# filter is loaded in the forked child, which is still valgrind's before it
# executes the command (--trace-children=no only leaves the exec'd program
# alone). Fails on any valgrind error or definite or indirect leak, or when
# a command fails.
syscage=${1:-build/syscage}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
passed=0
failed=0

vg() {
	# $1: what is expected of the command's own status (0, or "any")
	want=$1
	shift
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--error-exitcode=99 --trace-children=no "$syscage" "$@" \
		>"$out/stdout" 2>"$out/stderr"
	rc=$?
	if [ "$rc" = 99 ] || { [ "$want" != any ] && [ "$rc" != "$want" ]; }; then
		failed=$((failed + 1))
		echo "valgrind: FAILED (exit $rc): syscage $*"
		grep -E '^==[0-9]+==' "$out/stderr" | head -n 30
		[ "$rc" != 99 ] && tail -n 5 "$out/stderr"
	else
		passed=$((passed + 1))
	fi
}

for p in examples/*.policy; do
	for f in bpf c asm; do
		vg 0 compile -p "$p" --format "$f" -o "$out/prog"
	done
	vg 0 compile -p "$p" --stats -o /dev/null
	vg 0 compile -p "$p" --arch x86_64,i386,x32,aarch64,arm,riscv64 --format asm -o /dev/null
	vg 0 check -p "$p" openat AT_FDCWD 0 O_RDONLY
	vg 0 check -p "$p" write 1
	vg 0 check -p "$p" ioctl 0 TIOCSTI
done
# Bad policies and bad usage take the error paths.
for p in tests/golden/*.policy; do
	vg any compile -p "$p" -o /dev/null
done
vg 0 syscalls
vg 0 syscalls --arch i386
vg 0 syscalls openat 0 clone3
vg 0 groups
vg 0 groups basic file-read sandbox-escape
vg any groups no-such-group
vg any compile -p /nonexistent.policy

echo "valgrind: $passed passed, $failed failed"
[ "$failed" = 0 ]
