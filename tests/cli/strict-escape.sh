#!/bin/sh
# Code of the program that runs before main must not escape `syscage strict`
# (found by a security review): its own _start, a .preinit_array, an
# ordinary constructor, its own __libc_start_main, a constructor of a
# library it needs, a set-user-ID binary. Each case makes a forbidden
# syscall (socket) and, if that returns, prints "ESCAPED" and exits 0. Each
# also runs without syscage, to show it would have.
SYSCAGE=${SYSCAGE:-build/syscage}
d=$(mktemp -d)
chmod 755 "$d"
trap 'rm -rf "$d"' EXIT
src=tests/strict/escape.c
cc="cc -O2 -Wall -Wno-unused-function"
passed=0
failed=0
$cc -DSTART -nostartfiles -o "$d/start" $src &&
$cc -DPREINIT -o "$d/preinit" $src &&
$cc -DCTOR -o "$d/ctor" $src &&
$cc -DLSM -o "$d/lsm" $src &&
$cc -DLIB -shared -fPIC -o "$d/libneeded.so" $src &&
$cc -DNEEDED -o "$d/needed" $src -L"$d" -lneeded -Wl,-rpath,"$d" &&
$cc -DSETUID -o "$d/setuid" $src || { echo "strict-escape: cannot build"; exit 1; }
chown nobody "$d/setuid" 2>/dev/null && chmod 4755 "$d/setuid"
for p in start preinit ctor lsm needed setuid; do
	native=$("$d/$p" 2>/dev/null </dev/null)
	case $native in
	ESCAPED*) passed=$((passed + 1)) ;;
	*) failed=$((failed + 1)); echo "FAIL $p: does not reach its syscall natively: $native" ;;
	esac
	out=$("$SYSCAGE" strict -- "$d/$p" 2>/dev/null </dev/null)
	status=$?
	case $out in
	ESCAPED*) failed=$((failed + 1)); echo "FAIL $p escaped strict mode (status $status): $out" ;;
	*) passed=$((passed + 1)) ;;
	esac
done
echo "strict-escape: $passed passed, $failed failed"
[ "$failed" = 0 ]
