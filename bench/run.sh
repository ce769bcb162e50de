#!/bin/sh
# make bench: every figure of bench/README.md, peers measured in the same
# run. Writes bench/results/results.csv, results.json and chart.png.
set -e
BUILD=${BUILD:-build}
out=bench/results
mkdir -p "$out"
csv="$out/results.csv"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/startup" bench/startup.c

echo "syscage benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC') on $(uname -r), $(nproc) cores:"
grep -m1 'model name' /proc/cpuinfo | sed 's/.*: /  /'

# A real workload's syscall mix, for the weighted figures.
if command -v strace >/dev/null 2>&1; then
	strace -c -f -o "$tmp/workload.strace" find /usr -name '*.h' >/dev/null 2>&1 || true
	cp "$tmp/workload.strace" "$out/workload.strace"
fi
"$BUILD/bench/bench" "$csv" "$tmp/workload.strace" examples/*.policy

# ---- start-up: /bin/true bare and under each sandbox ---------------------------
"$BUILD/syscage" compile -p examples/cat.policy -o "$tmp/cat.bpf" 2>/dev/null
printf 'default errno EPERM\nallow @basic, execve\n' > "$tmp/true.policy"
# Next to nothing to compile: what the supervised start costs without it.
printf 'default allow\nerrno EPERM io_uring_setup\n' > "$tmp/allow.policy"
"$BUILD/syscage" compile -p "$tmp/true.policy" -o "$tmp/true.bpf"
# The floor: a static launcher that only loads a compiled filter (cat's,
# exec allowed) in a child sharing its memory and execs, as run does.
{ cat examples/cat.policy; echo "allow execve"; } > "$tmp/cat-exec.policy"
"$BUILD/syscage" compile -p "$tmp/cat-exec.policy" -o "$tmp/cat-exec.bpf"
if command -v musl-gcc >/dev/null 2>&1 && [ -d "$BUILD/musl/kernel-headers" ]; then
	musl-gcc -O2 -static -idirafter "$BUILD/musl/kernel-headers" -o "$tmp/launch" bench/launch.c
else
	cc -O2 -static -o "$tmp/launch" bench/launch.c
fi
set -- bare /bin/true \
	:: launch-floor "$tmp/launch" "$tmp/cat-exec.bpf" /bin/true \
	:: syscage-run "$BUILD/syscage" run -p examples/cat.policy -- /bin/true \
	:: syscage-run-plain "$BUILD/syscage" run --no-supervisor -p "$tmp/true.policy" -- /bin/true \
	:: syscage-run-trivial "$BUILD/syscage" run -p "$tmp/allow.policy" -- /bin/true
# The same CLI linked with glibc (beside a static musl syscage): what the
# static link saves.
if [ -x "$BUILD/syscage-json" ]; then
	set -- "$@" :: syscage-run-glibc "$BUILD/syscage-json" run -p examples/cat.policy -- /bin/true
fi
if command -v bwrap >/dev/null 2>&1; then
	set -- "$@" :: bwrap-seccomp sh -c "exec bwrap --ro-bind / / --seccomp 3 3<$tmp/true.bpf -- /bin/true"
	set -- "$@" :: sh sh -c "exec /bin/true"
fi
if command -v firejail >/dev/null 2>&1; then
	set -- "$@" :: firejail-seccomp firejail --quiet --noprofile --seccomp /bin/true
fi
echo
echo "Start-up of /bin/true, ms (median of 100, interleaved; p10-p90)"
"$tmp/startup" 100 "$@" > "$tmp/startup.txt"
bare=$(awk '$1 == "bare" { print $2 }' "$tmp/startup.txt")
# bubblewrap is started through sh (for its fd 3): the sh row shows what
# that adds.
while read -r name med lo hi; do
	ratio=$(awk -v a="$med" -v b="$bare" 'BEGIN { printf "%.2f", a / b }')
	printf '  %-20s %7.3f  (%.3f-%.3f)  %sx\n' "$name" "$med" "$lo" "$hi" "$ratio"
	echo "startup,$name,median,$med,ms" >> "$csv"
	echo "startup,$name,ratio_to_bare,$ratio,x" >> "$csv"
done < "$tmp/startup.txt"

# ---- a refused call: the kernel's errno, and the supervisor's -------------------
# Every refusal syscage run reports is a notification: the command waits
# while the supervisor decides it by the policy, reports it and answers.
cc -O2 -o "$tmp/refused" bench/refused.c
printf 'default allow\nerrno EPERM getppid, io_uring_setup\n' > "$tmp/refused.policy"
echo
echo "A refused call (getppid refused with EPERM), ns per call (median of 7 runs of 20000 calls)"
for r in 1 2 3 4 5 6 7; do
	# -q: reports decided and formatted, not written (stderr would be a
	# terminal's speed); the second row writes them to /dev/null.
	echo "kernel-errno $("$BUILD/syscage" run --no-supervisor -p "$tmp/refused.policy" -- "$tmp/refused" 20000)"
	echo "supervised-quiet $("$BUILD/syscage" run -q -p "$tmp/refused.policy" -- "$tmp/refused" 20000)"
	echo "supervised-reported $("$BUILD/syscage" run -p "$tmp/refused.policy" -- "$tmp/refused" 20000 2>/dev/null)"
done > "$tmp/refused.txt"
for name in kernel-errno supervised-quiet supervised-reported; do
	awk -v n="$name" '$1 == n { print $2 }' "$tmp/refused.txt" | sort -n |
		awk -v n="$name" '{ v[NR] = $1 } END { printf "  %-20s %8.1f  (%.1f-%.1f)\n", n, v[int((NR + 1) / 2)], v[1], v[NR] }'
	med=$(awk -v n="$name" '$1 == n { print $2 }' "$tmp/refused.txt" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	echo "refused,$name,median,$med,ns" >> "$csv"
done

# ---- strict mode: a compute program natively and confined -----------------------
cc -O2 -o "$tmp/matmul" examples/strict/matmul.c
awk 'BEGIN { srand(1); n = 500; print n; for (m = 0; m < 2; m++) for (i = 0; i < n; i++) {
	line = ""; for (j = 0; j < n; j++) line = line int(rand() * 10) " "; print line } }' > "$tmp/job"
echo
echo "A compute program (500x500 matrix product), ms (median of 9, interleaved)"
"$tmp/startup" 9 native sh -c "$tmp/matmul < $tmp/job" \
	:: strict sh -c "$BUILD/syscage strict -- $tmp/matmul < $tmp/job" > "$tmp/strict.txt"
native=$(awk '$1 == "native" { print $2 }' "$tmp/strict.txt")
while read -r name med lo hi; do
	ratio=$(awk -v a="$med" -v b="$native" 'BEGIN { printf "%.3f", a / b }')
	printf '  %-20s %8.2f  (%.2f-%.2f)  %sx\n' "$name" "$med" "$lo" "$hi" "$ratio"
	echo "strict,$name,median,$med,ms" >> "$csv"
	echo "strict,$name,ratio_to_native,$ratio,x" >> "$csv"
done < "$tmp/strict.txt"

# ---- JSON and chart ------------------------------------------------------------------
python3 - "$csv" "$out/results.json" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
json.dump(rows, open(sys.argv[2], "w"), indent=1)
PY
if command -v gnuplot >/dev/null 2>&1; then
	grep '^insns,docker/\|^insns,synthetic-400/\|^insns,web.policy/' "$csv" | grep ',mean,' |
		awk -F, '{ print $2, $4 }' > "$tmp/means.dat"
	gnuplot <<GP
set terminal png size 900,480 noenhanced
set output "$out/chart.png"
set title "BPF instructions executed per syscall (mean over x86_64 syscall numbers)"
set style data histograms
set style fill solid 0.8
set logscale y
set yrange [1:*]
set xtics rotate by -30
set ylabel "instructions (log scale)"
plot "$tmp/means.dat" using 2:xtic(1) notitle
GP
	echo
	echo "Chart: $out/chart.png"
fi
echo "Raw results: $csv, $out/results.json"
