#!/bin/sh
# Run every test: the unit test binaries (tests/unit/*) and the shell
# tests (tests/t-*.sh).  Each prints "ok NAME" or "FAIL NAME: why" per
# case; the last line is "N passed, N failed".
# TESTS="t-init t-map" limits the shell tests to those scripts.
cd "$(dirname "$0")/.." || exit 1
top=$(pwd)
out=$top/tests/out
rm -rf "$out"
mkdir -p "$out"
log=$out/all.log
: >"$log"

for u in tests/unit/*.c; do
	[ -e "$u" ] || continue
	b=${u%.c}
	echo "# $b" >>"$log"
	"./$b" >>"$log" 2>&1 || echo "FAIL $b: exit status $?" >>"$log"
done

for t in tests/t-*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	if [ -n "${TESTS:-}" ]; then
		case " $TESTS " in *" $name "*) ;; *) continue ;; esac
	fi
	echo "# $t" >>"$log"
	TOP=$top sh "$t" >>"$log" 2>&1 || echo "FAIL $t: exit status $?" >>"$log"
done

grep -E '^(FAIL|#)' "$log" | awk '/^#/ { h = $0; next } { print h; print }' \
    | uniq
[ "${VERBOSE:-0}" = 0 ] || cat "$log"
pass=$(grep -c '^ok ' "$log")
fail=$(grep -c '^FAIL ' "$log")
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
