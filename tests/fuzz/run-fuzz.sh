#!/bin/sh
# Runs each libFuzzer target of build dir $1 for $2 seconds (both at once:
# one per core), from the checked-in seeds. New inputs go to $1/corpus/, not
# to tests/fuzz/corpus/ (which is updated by hand). Exits non-zero when a
# target crashed, naming the reproducer.
build=${1:-build/fuzz}
seconds=${2:-60}
status=0

run_target() {
	t=$1
	shift
	mkdir -p "$build/corpus/$t" "$build/artifacts"
	# -timeout: one input taking this long is a hang; -rss_limit_mb: a leak
	# or a blow-up. Leaks of one input are found by LeakSanitizer.
	"$build/fuzz_$t" "$build/corpus/$t" tests/fuzz/corpus/$t "$@" \
		-max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
		-artifact_prefix="$build/artifacts/$t-" -print_final_stats=1 \
		>"$build/fuzz-$t.log" 2>&1
}

# The parser also starts from every policy of the repo (read only).
run_target parser examples tests/golden &
p1=$!
run_target compiler &
p2=$!
wait $p1
rc_parser=$?
wait $p2
rc_compiler=$?

for t in parser compiler; do
	eval rc=\$rc_$t
	log="$build/fuzz-$t.log"
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	corpus=$(ls "$build/corpus/$t" | wc -l)
	if [ "$rc" = 0 ]; then
		echo "fuzz $t: ${execs:-?} executions in ${seconds}s, no crash ($corpus inputs in $build/corpus/$t)"
		continue
	fi
	status=1
	echo "fuzz $t: FAILED after ${execs:-?} executions (exit $rc); log: $log"
	grep -E '^(==[0-9]+==ERROR|fuzz [a-z]+: FAILED|SUMMARY)' "$log" | head -n 5 | sed 's/^/  /'
	repro=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
	if [ -n "$repro" ]; then
		echo "  reproducer: $repro"
		echo "  keep it: cp $repro tests/fuzz/regressions/$t/NAME; replay: $build/fuzz_$t $repro"
	fi
done
exit $status
