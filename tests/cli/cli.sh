#!/bin/sh
# The syscage binary as users drive it: exit statuses, outputs, formats.
SYSCAGE=${SYSCAGE:-build/syscage}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

# expect NAME STATUS EXPECTED-OUTPUT-SUBSTRING -- COMMAND...
expect() {
	name=$1 status=$2 want=$3
	shift 4
	out=$("$@" 2>&1)
	got=$?
	if [ "$got" = "$status" ] && { [ -z "$want" ] || printf '%s' "$out" | grep -qF -- "$want"; }; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		printf 'FAIL %s: status %s (want %s), output:\n%s\n(wanted: %s)\n' "$name" "$got" \
			"$status" "$out" "$want"
	fi
}

cat > "$tmp/p.policy" <<'P'
default errno EPERM
errno EACCES openat if flags & O_ACCMODE != O_RDONLY
allow openat
kill kill if pid <= 0
allow kill
allow write if fd == 1
P

expect version 0 "syscage 0." -- "$SYSCAGE" --version
expect help 0 "compile" -- "$SYSCAGE" --help
expect no-command 125 "usage" -- "$SYSCAGE"
expect unknown-command 125 "unknown command 'frobnicate'" -- "$SYSCAGE" frobnicate
for c in compile check syscalls groups; do
	expect "help-$c" 0 "usage: syscage $c" -- "$SYSCAGE" $c --help
done

# check: actions and the deciding line
expect check-rule 0 "errno EACCES  $tmp/p.policy:2" -- "$SYSCAGE" check -p "$tmp/p.policy" openat AT_FDCWD 0 O_RDWR
expect check-allow 0 "allow  $tmp/p.policy:3" -- "$SYSCAGE" check -p "$tmp/p.policy" openat AT_FDCWD 0 O_RDONLY
expect check-default 0 "errno EPERM  $tmp/p.policy:1 (default)" -- "$SYSCAGE" check -p "$tmp/p.policy" getpid
expect check-negative 0 "kill  $tmp/p.policy:4" -- "$SYSCAGE" check -p "$tmp/p.policy" kill -1 9
expect check-32bit 0 "allow  $tmp/p.policy:5" -- "$SYSCAGE" check -p "$tmp/p.policy" kill 0x100000001 9
expect check-number 0 "allow  $tmp/p.policy:6" -- "$SYSCAGE" check -p "$tmp/p.policy" 1 1
expect check-i386 0 "i386 is not covered" -- "$SYSCAGE" check -p "$tmp/p.policy" --arch i386 write 1
expect check-x32 0 "x32 is not covered" -- "$SYSCAGE" check -p "$tmp/p.policy" 0x40000001 1
expect check-unknown-syscall 125 "not a syscall of x86_64" -- "$SYSCAGE" check -p "$tmp/p.policy" opneat
expect check-bad-arg 125 "neither a number nor a known constant" -- "$SYSCAGE" check -p "$tmp/p.policy" write O_RDONL
expect check-too-many 125 "at most 6 arguments" -- "$SYSCAGE" check -p "$tmp/p.policy" write 1 2 3 4 5 6 7
expect check-no-policy 125 "give it with -p" -- "$SYSCAGE" check write

# compile: formats and outputs
expect compile-asm 0 "ld arch" -- "$SYSCAGE" compile -p "$tmp/p.policy" --format asm
expect compile-c 0 "static const struct sock_filter syscage_filter[]" -- "$SYSCAGE" compile -p "$tmp/p.policy" -f c
expect compile-bpf 0 "" -- "$SYSCAGE" compile -p "$tmp/p.policy" -o "$tmp/p.bpf"
size=$(wc -c < "$tmp/p.bpf")
if [ $((size % 8)) = 0 ] && [ "$size" -gt 16 ]; then passed=$((passed + 1)); else
	failed=$((failed + 1)); echo "FAIL bpf size $size"; fi
expect compile-stats 0 "kernel cache:" -- "$SYSCAGE" compile -p "$tmp/p.policy" -o /dev/null --stats
expect compile-arch-override 0 "for x86_64, i386" -- "$SYSCAGE" compile -p "$tmp/p.policy" --arch x86_64,i386 -f asm
expect compile-bad-arch 125 "unknown architecture 'mips'" -- "$SYSCAGE" compile -p "$tmp/p.policy" --arch mips -f asm
expect compile-bad-format 125 "unknown format 'elf'" -- "$SYSCAGE" compile -p "$tmp/p.policy" -f elf
expect compile-missing 125 "cannot read policy" -- "$SYSCAGE" compile -p "$tmp/none.policy" -o /dev/null
expect compile-directory 125 "cannot read policy" -- "$SYSCAGE" compile -p "$tmp" -o /dev/null
expect compile-extra 125 "unexpected argument" -- "$SYSCAGE" compile -p "$tmp/p.policy" extra
# A failed compile leaves no output file behind (nor a half-written one).
printf 'default kill\nallow opneat\n' > "$tmp/bad.policy"
expect compile-bad 125 "did you mean 'openat'" -- "$SYSCAGE" compile -p "$tmp/bad.policy" -o "$tmp/bad.bpf"
if [ ! -e "$tmp/bad.bpf" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL bad.bpf written"; fi
# Writing to a device writes to it: /dev/null stays /dev/null (an output
# written through rename once replaced it with a file).
"$SYSCAGE" compile -p "$tmp/p.policy" -o /dev/null
if [ -c /dev/null ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL /dev/null replaced"; fi
# The same policy gives the same bytes.
"$SYSCAGE" compile -p "$tmp/p.policy" -o "$tmp/p2.bpf"
if cmp -s "$tmp/p.bpf" "$tmp/p2.bpf"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL not deterministic"; fi
# Includes are relative to the including file.
mkdir -p "$tmp/sub"
printf 'allow read\n' > "$tmp/sub/base.policy"
printf 'include "sub/base.policy"\ndefault kill\n' > "$tmp/top.policy"
expect include 0 "allow  $tmp/sub/base.policy:1" -- "$SYSCAGE" check -p "$tmp/top.policy" read

# syscalls
expect syscalls-name 0 "1          write(unsigned int fd, const char __user *buf, size_t count)" -- "$SYSCAGE" syscalls write
expect syscalls-number 0 "openat2(" -- "$SYSCAGE" syscalls 437
expect syscalls-since 0 "[since 5.3]" -- "$SYSCAGE" syscalls clone3
expect syscalls-arch 0 "56         openat(" -- "$SYSCAGE" syscalls --arch aarch64 openat
expect syscalls-x32 0 "1073741825 write(" -- "$SYSCAGE" syscalls --arch x32 write
expect syscalls-missing 125 "does not exist on aarch64" -- "$SYSCAGE" syscalls --arch arm64 open
expect syscalls-typo 125 "did you mean 'openat'" -- "$SYSCAGE" syscalls opneat
expect syscalls-list 0 "0          read(" -- "$SYSCAGE" syscalls
expect syscalls-bad-arch 125 "unknown architecture" -- "$SYSCAGE" syscalls --arch vax

# groups
expect groups 0 "@stdio" -- "$SYSCAGE" groups
expect groups-one 0 "read" -- "$SYSCAGE" groups stdio
expect groups-unknown 125 "no built-in group '@nope'" -- "$SYSCAGE" groups @nope

# The examples compile without a diagnostic.
for p in examples/*.policy; do
	expect "example $p" 0 "" -- "$SYSCAGE" compile -p "$p" -o /dev/null
	if [ -n "$("$SYSCAGE" compile -p "$p" -o /dev/null 2>&1)" ]; then
		failed=$((failed + 1)); echo "FAIL $p has diagnostics"; fi
done

echo "cli: $passed passed, $failed failed"
[ "$failed" = 0 ]
