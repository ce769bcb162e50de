#!/bin/sh
# syscage strict: ordinary programs (tests/strict/*.c, *.cc, built here
# with cc and c++) in seccomp strict mode. Compute programs must give the
# answers they give natively, with their output flushed; forbidden
# operations, which work natively, must end them with the status and the
# report doc/strict.md gives; memory and time limits must end in a clear
# failure, never a hang.
SYSCAGE=${SYSCAGE:-build/syscage}
root=$(cd "$(dirname "$0")/../.." && pwd)
src=$root/tests/strict
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
CC=cc
CXX=c++

pass() { passed=$((passed + 1)); }

# fail NAME WHY: also shows the last run's status and outputs.
fail() {
	failed=$((failed + 1))
	printf 'FAIL %s: %s\n  status %s\n  stdout: %s\n  stderr: %s\n' "$1" "$2" "$st" \
		"$(head -c 600 "$tmp/out" 2>&1)" "$(head -c 600 "$tmp/err" 2>&1)"
}

# run INPUT COMMAND...: runs COMMAND with stdin from INPUT, stdout in
# $tmp/out, stderr in $tmp/err, its status in $st; 124 means it hung.
run() {
	input=$1
	shift
	timeout -k 2 20 "$@" < "$input" > "$tmp/out" 2> "$tmp/err.raw"
	st=$?
	# A coverage build's own counters (written from the child before exec,
	# under Landlock) are the build's lines, not the test's.
	grep -v '\.gcda' "$tmp/err.raw" > "$tmp/err"
}

# strict INPUT [OPTION...] -- PROGRAM ARG...
strict() {
	input=$1
	shift
	run "$input" "$SYSCAGE" strict "$@"
}

status_is() { if [ "$st" = "$2" ]; then pass; else fail "$1" "status $st, want $2"; fi; }
out_has() { if grep -qF -- "$2" "$tmp/out"; then pass; else fail "$1" "stdout lacks '$2'"; fi; }
out_lacks() { if grep -qF -- "$2" "$tmp/out"; then fail "$1" "stdout has '$2'"; else pass; fi; }
err_has() { if grep -qF -- "$2" "$tmp/err"; then pass; else fail "$1" "stderr lacks '$2'"; fi; }
err_empty() { if [ ! -s "$tmp/err" ]; then pass; else fail "$1" "stderr not empty"; fi; }
out_empty() { if [ ! -s "$tmp/out" ]; then pass; else fail "$1" "stdout not empty"; fi; }
# out_is NAME FILE: stdout is exactly FILE
out_is() { if cmp -s "$tmp/out" "$2"; then pass; else fail "$1" "stdout differs from $2: $(diff "$2" "$tmp/out" | head -5)"; fi; }
# keep NAME: saves the last run's stdout and status as the native reference
keep() { cp "$tmp/out" "$tmp/$1.native"; echo "$st" > "$tmp/$1.native-status"; }
# like NAME: the last (strict) run did what the native run kept by keep did
like() {
	status_is "$1" "$(cat "$tmp/$1.native-status")"
	out_is "$1" "$tmp/$1.native"
}

# ---- build the programs (plain: no sanitizer, dynamically linked) ----------------

build() {
	name=$1
	shift
	if "$@" > "$tmp/build.log" 2>&1; then pass; else
		failed=$((failed + 1))
		echo "FAIL build $name:"
		cat "$tmp/build.log"
	fi
}
for p in checksum churn sort exits handlers textproc oom ctor spin; do
	build "$p" "$CC" -std=gnu11 -O2 -Wall -Wextra -o "$tmp/$p" "$src/$p.c"
done
build forbidden "$CC" -std=gnu11 -O2 -Wall -Wextra -pthread -o "$tmp/forbidden" "$src/forbidden.c"
build matmul "$CC" -std=gnu11 -O2 -Wall -Wextra -o "$tmp/matmul" "$root/examples/strict/matmul.c"
# The library of this build; a sanitized one (make check's ASan pass) makes
# syscalls of its own in strict mode, so then its two sources are built plain.
libsyscage=$(dirname "$SYSCAGE")/libsyscage.a
if nm "$libsyscage" 2>&1 | grep -q "__asan_init\|__gcov_init"; then
	echo "note: $libsyscage is sanitized or instrumented: tests/strict/lib.c is linked with src/lib/strict.c and system.c built plain"
	build lib "$CC" -std=gnu11 -D_GNU_SOURCE -O2 -Wall -Wextra -I"$root/include" -I"$root/src/lib" \
		-fvisibility=hidden -pthread -o "$tmp/lib" "$src/lib.c" "$root/src/lib/strict.c" \
		"$root/src/lib/system.c"
else
	build lib "$CC" -std=gnu11 -O2 -Wall -Wextra -I"$root/include" -pthread -o "$tmp/lib" \
		"$src/lib.c" "$libsyscage"
fi
if command -v "$CXX" > /dev/null 2>&1; then
	build cxx "$CXX" -std=c++17 -O2 -Wall -Wextra -o "$tmp/cxx" "$src/cxx.cc"
	build cxx_limits "$CXX" -std=c++17 -O2 -Wall -Wextra -o "$tmp/cxx_limits" "$src/cxx_limits.cc"
else
	failed=$((failed + 1))
	echo "FAIL: no C++ compiler ($CXX) to build tests/strict/cxx.cc"
fi

: > "$tmp/empty"

# ---- 1. compute programs: the right answers, flushed -------------------------------

# The example of doc/strict.md: a known product.
printf '2\n1 2\n3 4\n5 6\n7 8\n' > "$tmp/mat2"
printf '19 22\n43 50\n' > "$tmp/mat2.want"
strict "$tmp/mat2" -- "$tmp/matmul"
status_is matmul 0
out_is matmul "$tmp/mat2.want"
err_empty matmul
# A product of 100 x 100: more output than stdout's 64 KiB buffer.
awk 'BEGIN { n = 100; print n; for (m = 0; m < 2; m++) for (i = 0; i < n; i++) {
	line = ""; for (j = 0; j < n; j++) line = line " " ((i * 37 + j * 11 + m * 5) % 1999 - 999); print line } }' \
	> "$tmp/mat100"
run "$tmp/mat100" "$tmp/matmul"
keep matmul100
strict "$tmp/mat100" -- "$tmp/matmul"
like matmul100
[ "$(wc -c < "$tmp/out")" -gt 65536 ] && pass || fail matmul100 "the output should exceed 64 KiB"

# Checksums of 1.5 MB of stdin, of nothing, and through PATH.
awk 'BEGIN { for (i = 0; i < 100000; i++) print i, i * i, i % 7 }' > "$tmp/data"
run "$tmp/data" "$tmp/checksum"
keep checksum
out_has checksum-native "bytes $(wc -c < "$tmp/data" | tr -d ' ') crc32 "
strict "$tmp/data" -- "$tmp/checksum"
like checksum
err_empty checksum
strict "$tmp/empty" -- "$tmp/checksum"
status_is checksum-empty 0
out_has checksum-empty "bytes 0 crc32 00000000 fnv1a64 cbf29ce484222325"
run "$tmp/data" env PATH="$tmp:$PATH" "$SYSCAGE" strict -- checksum
like checksum

# Heap churn: a sieve with a realloc-grown list, 20000 allocations of
# varied sizes, posix_memalign and aligned_alloc (64, 4096), calloc over
# dirty memory: the same results as natively, and no corruption.
run "$tmp/empty" "$tmp/churn"
keep churn
out_has churn-native "failures: 0"
strict "$tmp/empty" -- "$tmp/churn"
like churn
out_has churn "primes up to 2000000: 148933, the last 1999993"
out_has churn "failures: 0"
err_empty churn

# qsort: a small array sorts in place; an array of 1024 bytes or more
# makes glibc's qsort ask sysconf(_SC_PHYS_PAGES), a sysinfo syscall.
awk 'BEGIN { for (i = 100; i > 0; i--) print i }' > "$tmp/nums100"
run "$tmp/nums100" "$tmp/sort"
keep sort-small
strict "$tmp/nums100" -- "$tmp/sort"
like sort-small
awk 'BEGIN { for (i = 5000; i > 0; i--) print i }' > "$tmp/nums5000"
run "$tmp/nums5000" "$tmp/sort"
keep sort-large
out_has sort-large-native "n 5000 min 1 median 2501 max 5000 sum 12502500"
strict "$tmp/nums5000" -- "$tmp/sort"
like sort-large

# Text processing with getline, strdup, asprintf, open_memstream.
awk 'BEGIN { for (i = 0; i < 20000; i++) print "line", i, "has", i % 13, "words",
	substr("abcdefghijklmnopqrstuvwxyz", 1, i % 27) }' > "$tmp/text"
run "$tmp/text" "$tmp/textproc"
keep textproc
out_has textproc-native "lines 20000 words 119259 longest abcdefghijklmnopqrstuvwxyz"
strict "$tmp/text" -- "$tmp/textproc"
like textproc
err_empty textproc

# C++: containers, strings, streams, exceptions; cout without endl at the
# end, atexit handlers (reverse order), then the static destructor.
printf 'pear apple fig apple pear kiwi\n' > "$tmp/words"
cat > "$tmp/cxx.want" <<'EOF'
apple=2 fig=1 kiwi=1 pear=2 
distinct 4 longest apple
vector sum 461500000
joined 0,1,2,3,4 to_string 3.500000
caught not a number: 12x
destructor of unique_ptr ran
the end, without endlatexit 2
atexit 1 (registered first, runs last)
destructor of global ran
EOF
run "$tmp/words" "$tmp/cxx"
keep cxx
out_is cxx-native "$tmp/cxx.want"
strict "$tmp/words" -- "$tmp/cxx"
like cxx
err_empty cxx

# C++ limits: a thread_local destructor at exit; new past --memory throws
# std::bad_alloc, which the program catches.
run "$tmp/empty" "$tmp/cxx_limits" 8
keep cxx-limits
out_has cxx-limits-native "thread_local destructor after 2 uses"
strict "$tmp/empty" -- "$tmp/cxx_limits" 8
like cxx-limits
strict "$tmp/empty" --memory 16M -- "$tmp/cxx_limits" 64
status_is cxx-bad-alloc 0
out_has cxx-bad-alloc "bad_alloc caught"
out_has cxx-bad-alloc "thread_local destructor after 1 uses"
err_has cxx-bad-alloc "syscage strict: out of memory: a request for 67108864 bytes"

# The ways out: exit(N) deep down (after a printf without newline), return
# from main, _exit and _Exit. atexit handlers run in reverse order.
printf 'main\nlevel3 exits with 7atexit c\natexit b\natexit a\n' > "$tmp/nested.want"
strict "$tmp/empty" -- "$tmp/exits" nested 7
status_is exit-nested 7
out_is exit-nested "$tmp/nested.want"
err_empty exit-nested
printf 'main\nreturn 42\natexit c\natexit b\natexit a\n' > "$tmp/return.want"
strict "$tmp/empty" -- "$tmp/exits" return 42
status_is return 42
out_is return "$tmp/return.want"
strict "$tmp/empty" -- "$tmp/exits" return 0
status_is return-0 0
out_has return-0 "atexit a"
# Every kind of exit handler, in reverse order of registration, then the
# program's destructor functions, as glibc's exit runs them.
printf 'main\non_exit 3 third\natexit\non_exit 3 first\ndestructor attribute\n' > "$tmp/handlers.want"
run "$tmp/empty" "$tmp/handlers"
status_is handlers-native 3
out_is handlers-native "$tmp/handlers.want"
strict "$tmp/empty" -- "$tmp/handlers"
status_is handlers 3
out_is handlers "$tmp/handlers.want"
# _exit does not flush stdio: with stdout a file (fully buffered), what was
# printed is lost, natively as in strict mode, and no atexit handler runs.
for how in _exit _Exit; do
	run "$tmp/empty" "$tmp/exits" "$how" 5
	keep "$how"
	out_empty "$how-native"
	strict "$tmp/empty" -- "$tmp/exits" "$how" 5
	like "$how"
	err_empty "$how"
done

# ---- 2. memory: past --memory, a clear failure --------------------------------------

strict "$tmp/empty" --memory 1M -- "$tmp/oom" big 2
status_is oom-big 3
out_has oom-big "malloc of 2 MiB failed"
err_has oom-big "syscage strict: out of memory: a request for 2097152 bytes does not fit in the 1048576 bytes of --memory"
strict "$tmp/empty" --memory 1M -- "$tmp/oom" grow
status_is oom-grow 4
out_has oom-grow "realloc stopped at"
err_has oom-grow "syscage strict: out of memory"
# Memory freed after the failure serves again.
strict "$tmp/empty" --memory 8M -- "$tmp/oom" many
status_is oom-many 5
if grep -Eq '^([1-9][0-9]*) blocks of 1 MiB, \1 again after free$' "$tmp/out"; then pass; else
	fail oom-many "want the same number of blocks again after free"; fi
err_has oom-many "syscage strict: out of memory"
# Within --memory, big blocks work; the default is 256M.
strict "$tmp/empty" --memory 96M -- "$tmp/oom" big 64
status_is oom-fits 0
out_has oom-fits "malloc of 64 MiB worked"
err_empty oom-fits
strict "$tmp/empty" -- "$tmp/oom" big 300
status_is oom-default 3
err_has oom-default "in the 268435456 bytes of --memory"

# ---- 3. forbidden operations: they work natively, strict mode kills ---------------

killed_report="was killed (SIGSYS) after"
for op in open socket fork thread mmap int80 getpid; do
	run "$tmp/empty" "$tmp/forbidden" "$op"
	status_is "$op-native" 0
	out_has "$op-native" "OK $op"
	strict "$tmp/empty" -- "$tmp/forbidden" "$op"
	status_is "$op" 159
	err_has "$op" "main $op"
	err_has "$op" "$killed_report"
	err_has "$op" "examples/strict-find.policy"
	out_lacks "$op" "OK"
done
# The report's advice finds the call.
run "$tmp/empty" "$SYSCAGE" run -p "$root/examples/strict-find.policy" -- "$tmp/forbidden" getpid
status_is strict-find 0
err_has strict-find "getpid() notified"
# abort needs signals: SIGABRT natively, SIGSYS in strict mode (the strict filter).
run "$tmp/empty" "$tmp/forbidden" abort
status_is abort-native 134
strict "$tmp/empty" -- "$tmp/forbidden" abort
status_is abort 159
err_has abort "$killed_report"
# rdtsc, and the vDSO clock that reads the TSC: SIGSEGV.
for op in rdtsc clock; do
	run "$tmp/empty" "$tmp/forbidden" "$op"
	status_is "$op-native" 0
	out_has "$op-native" "OK $op"
	strict "$tmp/empty" -- "$tmp/forbidden" "$op"
	status_is "$op" 139
	err_has "$op" "crashed (SIGSEGV)"
	err_has "$op" "rdtsc"
	out_lacks "$op" "OK"
done
# write is allowed, but only the descriptors kept: fd 5, open in the shell,
# is closed for the program unless --fd 5 keeps it.
run "$tmp/empty" "$tmp/forbidden" fd5 5> "$tmp/fd5.native"
status_is fd5-native 0
if grep -qx 'to fd 5' "$tmp/fd5.native"; then pass; else fail fd5-native "nothing written to fd 5"; fi
strict "$tmp/empty" -- "$tmp/forbidden" fd5 5> "$tmp/fd5.closed"
status_is fd5-closed 6
out_has fd5-closed "write(5): EBADF"
if [ ! -s "$tmp/fd5.closed" ]; then pass; else fail fd5-closed "written to fd 5"; fi
strict "$tmp/empty" --fd 5 -- "$tmp/forbidden" fd5 5> "$tmp/fd5.kept"
status_is fd5-kept 0
out_has fd5-kept "OK fd5"
if grep -qx 'to fd 5' "$tmp/fd5.kept"; then pass; else fail fd5-kept "nothing written to fd 5"; fi
strict "$tmp/empty" --fd 59 -- "$tmp/forbidden" fd5
status_is fd-not-open 125
err_has fd-not-open "no such open file descriptor"

# ---- 4. constructors run confined ---------------------------------------------------

run "$tmp/empty" "$tmp/ctor"
status_is ctor-native 0
out_has ctor-native "constructor pid ok"
strict "$tmp/empty" -- "$tmp/ctor"
status_is ctor 159
err_has ctor "$killed_report"
out_empty ctor

# ---- 5. what is refused -------------------------------------------------------------

if "$CC" -static -O2 -pthread -o "$tmp/static" "$src/forbidden.c" > "$tmp/build.log" 2>&1; then
	run "$tmp/empty" "$tmp/static" getpid
	status_is static-native 0
	out_has static-native "OK getpid"
	strict "$tmp/empty" -- "$tmp/static" getpid
	status_is static 125
	err_has static "is statically linked"
	err_has static "syscage_strict_enter()"
	out_empty static
else
	echo "note: $CC -static does not work here (no static libc?): the static-program test is skipped"
fi
printf '#!/bin/sh\necho script ran\n' > "$tmp/script"
chmod +x "$tmp/script"
run "$tmp/empty" "$tmp/script"
out_has script-native "script ran"
strict "$tmp/empty" -- "$tmp/script"
status_is script 125
err_has script "not a 64-bit ELF program"
out_empty script
strict "$tmp/empty" -- syscage-no-such-command
status_is not-found 127
err_has not-found "command not found"
strict "$tmp/empty" -- "$tmp/no-such-file"
status_is no-such-file 127
strict "$tmp/empty" -- "$src/checksum.c"
status_is not-executable 126
strict "$tmp/empty" --
status_is no-command 125
err_has no-command "which command?"
strict "$tmp/empty" --memory 12Q -- "$tmp/checksum"
status_is bad-memory 125
err_has bad-memory "--memory takes a size"
strict "$tmp/empty" --time 0 -- "$tmp/checksum"
status_is bad-time 125
err_has bad-time "--time takes whole seconds"

# ---- 6. --time on an endless loop ----------------------------------------------------

t0=$(date +%s)
strict "$tmp/empty" --time 1 -- "$tmp/spin"
t1=$(date +%s)
case $st in 152 | 137) pass ;; *) fail time "status $st, want 152 (or 137)" ;; esac
err_has time "reached its CPU time limit (--time 1 s)"
# The CPU used is about the limit; the wall time only guards against a
# hang (other jobs on the machine may take the CPU).
cpu=$(sed -n 's/.* after \([0-9.]*\) s of CPU.*/\1/p' "$tmp/err")
if [ -n "$cpu" ] && awk -v c="$cpu" 'BEGIN { exit !(c >= 0.8 && c <= 2.5) }'; then pass; else
	fail time "CPU time '$cpu', want about 1 s"; fi
if [ $((t1 - t0)) -le 10 ]; then pass; else fail time "took $((t1 - t0)) s of wall time"; fi

# ---- 7. the library: syscage_strict_enter, syscage_strict_exit ---------------------

run "$tmp/empty" "$tmp/lib" compute
status_is lib 0
printf 'in strict mode: sum of squares 332833500000\n' > "$tmp/lib.want"
out_is lib "$tmp/lib.want"
err_empty lib
run "$tmp/empty" "$tmp/lib" forbidden
status_is lib-forbidden 137
out_empty lib-forbidden
run "$tmp/empty" "$tmp/lib" exitcode 9
status_is lib-exit 9
out_has lib-exit "in strict mode: sum of squares 332833500000"
run "$tmp/empty" "$tmp/lib" thread
status_is lib-thread 0
out_has lib-thread "enter with a second thread: EBUSY"
out_has lib-thread "getpid works"

echo "strict: $passed passed, $failed failed"
[ "$failed" = 0 ]
