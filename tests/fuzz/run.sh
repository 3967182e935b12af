#!/bin/sh
# Run the libFuzzer targets of build/fuzz (make fuzz-build first):
#
#	sh tests/fuzz/run.sh [SECONDS]
#
# For each target T (fuzz_T.c): replay every file of tests/fuzz/regress/T
# (inputs that once crashed: they must not any more) and of the seed
# corpus tests/fuzz/corpus/T, then fuzz for SECONDS (default 60; 0: only
# replay), two targets at a time.  New inputs go to build/fuzz/work/T, not
# into the tree; a crash input is saved as tests/fuzz/regress/T/crash-*
# (commit it: every make check replays it).  One "ok"/"FAIL" line per
# replay and per run, with the executions done ("skip" for a target with
# no saved inputs to replay); then "N passed, N failed, N skipped".
# Exit status: 1 when something failed or nothing passed.
cd "$(dirname "$0")/../.." || exit 1
secs=${1:-${FUZZ_SECONDS:-60}}
jobs=${FUZZ_JOBS:-2}
log=build/fuzz/log
rm -rf "$log"
mkdir -p "$log"
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS UBSAN_OPTIONS

targets=
for f in tests/fuzz/fuzz_*.c; do
	t=$(basename "$f" .c)
	targets="$targets ${t#fuzz_}"
done

# replay T: run the target once on each saved input; the result in
# $log/result-replay-T.
replay() {
	_files=$(find "tests/fuzz/regress/$1" "tests/fuzz/corpus/$1" \
	    -type f ! -name '.*' 2>/dev/null | sort)
	if [ -z "$_files" ]; then
		echo "skip fuzz $1: replay: no saved inputs" \
		    >"$log/result-replay-$1"
		return
	fi
	_n=$(echo "$_files" | wc -l | tr -d ' ')
	# shellcheck disable=SC2086
	if "build/fuzz/fuzz_$1" $_files >"$log/replay-$1" 2>&1; then
		echo "ok fuzz $1: replay of $_n saved inputs"
	else
		echo "FAIL fuzz $1: replay of saved inputs crashed"
		grep -E 'ERROR|SUMMARY|property|Running' "$log/replay-$1" |
		    tail -8 | sed 's/^/    /'
	fi >"$log/result-replay-$1"
}

# run T: fuzz for $secs seconds; its result in $log/result-run-T.
run() {
	_w=build/fuzz/work/$1
	mkdir -p "$_w" "tests/fuzz/regress/$1"
	"build/fuzz/fuzz_$1" -max_total_time="$secs" -timeout=10 \
	    -max_len=8192 -print_final_stats=1 \
	    -artifact_prefix="tests/fuzz/regress/$1/" \
	    "$_w" "tests/fuzz/corpus/$1" >"$log/run-$1" 2>&1
	_st=$?
	_ex=$(sed -n 's/^stat::number_of_executed_units: *//p' \
	    "$log/run-$1" | tail -1)
	_cov=$(grep -E '^#[0-9]+.*cov:' "$log/run-$1" | tail -1 |
	    sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	if [ "$_st" -eq 0 ]; then
		echo "ok fuzz $1: ${secs}s, ${_ex:-?} executions, coverage ${_cov:-?}" \
		    >"$log/result-run-$1"
	else
		{
			echo "FAIL fuzz $1: crash after ${_ex:-?} executions" \
			    "(input saved in tests/fuzz/regress/$1/)"
			grep -E 'ERROR|SUMMARY|property|^    #[0-9] ' \
			    "$log/run-$1" | head -12 | sed 's/^/    /'
		} >"$log/result-run-$1"
	fi
}

for t in $targets; do
	replay "$t"
	cat "$log/result-replay-$t"
done
if [ "$secs" -gt 0 ]; then
	i=0
	for t in $targets; do
		run "$t" &
		i=$((i + 1))
		[ $((i % jobs)) -ne 0 ] || wait
	done
	wait
	for t in $targets; do
		cat "$log/result-run-$t"
	done
fi
# Count what was printed: the result files, each a line and its details.
pass=$(cat "$log"/result-* 2>/dev/null | grep -c '^ok ')
fail=$(cat "$log"/result-* 2>/dev/null | grep -c '^FAIL ')
skip=$(cat "$log"/result-* 2>/dev/null | grep -c '^skip ')
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
