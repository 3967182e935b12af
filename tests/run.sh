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

if [ "$unitdir" != none ]; then
	for u in tests/unit/*.c; do
		[ -e "$u" ] || continue
		b=$unitdir/$(basename "$u" .c)
		case $b in /*) ;; *) b=./$b ;; esac
		echo "# $b" >>"$log"
		"$b" >>"$log" 2>&1 || echo "FAIL $b: exit status $?" >>"$log"
	done
fi

for t in tests/t-*.sh; do
	name=$(basename "$t" .sh)
	if [ -n "${TESTS:-}" ]; then
		case " $TESTS " in *" $name "*) ;; *) continue ;; esac
	fi
	echo "# $t" >>"$log"
	TOP=$top sh "$t" >>"$log" 2>&1 || echo "FAIL $t: exit status $?" >>"$log"
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
