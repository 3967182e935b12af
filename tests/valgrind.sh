#!/bin/sh
# vzmem under valgrind, for VZMEM= in tests/run.sh (tests/check.sh sets
# VG_VZMEM, the real binary, and VG_LOGDIR).  Memory errors and definite
# leaks go to VG_LOGDIR/vg.PID, which the check counts as failures; the
# exit status is vzmem's own (99 only for a valgrind error, so a test
# expecting 1 or 2 cannot mistake one for the other).  A forked child that
# fails to exec and _exits is not vzmem exiting: its heap is no leak, so
# children are silent (--child-silent-after-fork).
exec valgrind -q --error-exitcode=99 --leak-check=full \
    --child-silent-after-fork=yes \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --log-file="${VG_LOGDIR:-/tmp}/vg.%p" \
    "${VG_VZMEM:-$(dirname "$0")/../vzmem}" "$@"
