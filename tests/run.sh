#!/bin/sh
# Run every test: the unit test binaries (tests/unit/*) and the shell
# tests (tests/t-*.sh).  Each prints "ok NAME", "FAIL NAME: why" or
# "skip NAME: why" per case; the last line is
# "N passed, N failed, N skipped".
#
#	sh tests/run.sh [VZMEM [LABEL]]
#
# VZMEM is the binary (or wrapper script) under test, ./vzmem by default;
# LABEL names the pass ("asan", "valgrind") and its output directory
# tests/out.LABEL (tests/out without one).  UNITDIR holds the unit test
# binaries to run (tests/unit; UNITDIR=none runs none).
# TESTS="t-init t-map" limits the shell tests to those scripts.
#
# JOBS=N runs up to N shell tests at once (default: the number of CPUs).
# Each writes its own log, OUT/NAME.log, and the logs are joined in
# script order into OUT/all.log, so the output is a serial run's.  The
# scripts named in ALONE (none by default: t-concurrency and t-crash,
# which were, now wait on events, not on sleeps, and load cannot skew
# them) run after the others, one at a time, with nothing else of the
# suite running.
# Every script is independent of the others: each works in its own
# OUT/SCRIPT and on its own --root copies (the lock, temp files and
# editors included), so any order gives the same result.
cd "$(dirname "$0")/.." || exit 1
top=$(pwd)
VZMEM=${1:-${VZMEM:-$top/vzmem}}
case $VZMEM in /*) ;; *) VZMEM=$top/$VZMEM ;; esac
export VZMEM
label=${2:-}
unitdir=${UNITDIR:-tests/unit}
if [ -n "$label" ]; then
	out=$top/tests/out.$label
else
	out=$top/tests/out
fi
OUTDIR=$out
export OUTDIR
rm -rf "$out"
mkdir -p "$out"
log=$out/all.log
: >"$log"

ncpu() {
	nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1
}
jobs=${JOBS:-$(ncpu)}
case $jobs in '' | *[!0-9]* | 0) jobs=1 ;; esac
alone=${ALONE-}
[ "$jobs" -gt 1 ] || alone=

if [ "$unitdir" != none ]; then
	for u in tests/unit/*.c; do
		[ -e "$u" ] || continue
		b=$unitdir/$(basename "$u" .c)
		case $b in /*) ;; *) b=./$b ;; esac
		echo "# $b" >>"$log"
		"$b" >>"$log" 2>&1 || echo "FAIL $b: exit status $?" >>"$log"
	done
fi

# The scripts to run, in order; those of $alone apart.
all=
pool=
late=
for t in tests/t-*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	if [ -n "${TESTS:-}" ]; then
		case " $TESTS " in *" $name "*) ;; *) continue ;; esac
	fi
	all="$all $name"
	case " $alone " in
	*" $name "*) late="$late $name" ;;
	*) pool="$pool $name" ;;
	esac
done

# runtest NAME: the script's output and its exit status in OUT/NAME.log.
# fd 3 (the job tokens) is not the test's business.
runtest() {
	echo "# tests/$1.sh" >"$out/$1.log"
	TOP=$top sh "tests/$1.sh" >>"$out/$1.log" 2>&1 3>&- &
	echo $! >"$out/$1.pid"
	wait $! || echo "FAIL tests/$1.sh: exit status $?" >>"$out/$1.log"
	rm -f "$out/$1.pid"
}

# Interrupted: background tests ignore SIGINT (sh starts them so), so
# end the scripts still running by their PIDs.
stop() {
	for _p in "$out"/*.pid; do
		[ -e "$_p" ] && kill "$(cat "$_p")" 2>/dev/null
	done
	exit 130
}
trap stop INT TERM

# The pool: a FIFO holds one token per free job; a test takes one
# before it starts and gives it back when it ends.
if [ -n "$pool" ]; then
	mkfifo "$out/jobs"
	exec 3<>"$out/jobs"
	rm -f "$out/jobs"
	i=0
	while [ "$i" -lt "$jobs" ]; do
		echo >&3
		i=$((i + 1))
	done
	for name in $pool; do
		read -r _ <&3
		(runtest "$name"; echo >&3) &
	done
	wait
	exec 3>&-
fi
for name in $late; do
	runtest "$name"
done
for name in $all; do
	cat "$out/$name.log" >>"$log"
done

# The failures and skips, each group under its script's "# tests/t-x.sh".
grep -E '^(FAIL|skip|#)' "$log" |
    awk '/^#/ { h = $0; next } h != p { print h; p = h } { print }'
[ "${VERBOSE:-0}" = 0 ] || cat "$log"
pass=$(grep -c '^ok ' "$log")
fail=$(grep -c '^FAIL ' "$log")
skip=$(grep -c '^skip ' "$log")
echo "$pass passed, $fail failed, $skip skipped"
# Exit status: 1 when a case failed or none passed.
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
