#!/bin/sh
# vzmem under valgrind, for VZMEM= in tests/run.sh (tests/check.sh sets
# VG_VZMEM, the real binary, and VG_LOGDIR).  Memory errors and definite
# leaks go to VG_LOGDIR/vg.PID, which the check counts as failures; the
# exit status is vzmem's own (99 only for a valgrind error, so a test
# expecting 1 or 2 cannot mistake one for the other).  A forked child that
# fails to exec and _exits is not vzmem exiting: its heap is no leak, so
# children are silent (--child-silent-after-fork).
#
# VG_EVERY=N: only the 1st, (N+1)th, (2N+1)th... run of each calling
# script goes under valgrind, the others run the binary as it is (a
# counter per parent process in VG_LOGDIR.count; N=1, the default: every
# run).
# Each run costs about 1.1 s of CPU under valgrind; the sample keeps
# every script's paths under it while make check fits its 10 minutes.
vz=${VG_VZMEM:-$(dirname "$0")/../vzmem}
every=${VG_EVERY:-1}
case $every in '' | *[!0-9]* | 0) every=1 ;; esac
if [ "$every" -gt 1 ]; then
	mkdir -p "${VG_LOGDIR:-/tmp}.count"
	_c=${VG_LOGDIR:-/tmp}.count/$PPID
	_n=$(cat "$_c" 2>/dev/null || echo 0)
	_n=$((_n + 1))
	echo "$_n" >"$_c"
	[ $((_n % every)) -eq 1 ] || exec "$vz" "$@"
fi
exec valgrind -q --error-exitcode=99 --leak-check=full \
    --child-silent-after-fork=yes \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --log-file="${VG_LOGDIR:-/tmp}/vg.%p" \
    "$vz" "$@"
