#!/bin/sh
# make check: every pass, then one honest total over all of them.
#
#	plain     tests/run.sh on ./vzmem and tests/unit/*
#	real-*    the extra passes: each executable tests/real/NAME.sh is
#	          the pass real-NAME (below); none without tests/real/
#	asan      tests/run.sh on build/asan (ASan + UBSan, -fno-sanitize-
#	          recover=all); any sanitizer report is a failure
#	valgrind  the shell tests on ./vzmem under valgrind (definite leaks
#	          and memory errors fail): a subset, each path once (see
#	          valgrind_pass)
#	fuzz      libFuzzer: replay tests/fuzz/regress and the seed corpora,
#	          then fuzz each target FUZZ_SECONDS (make check: 8)
#	lint      tests/lint.sh: cppcheck, clang-tidy, mandoc, shellcheck
#
# Each pass prints "ok ...", "FAIL ..." and "skip ...: why" lines and
# ends with "N passed, N failed, N skipped"; a pass whose tool is missing
# is one skip with its reason ("skip valgrind: no valgrind").  After each
# pass comes "# PASS: its result line (its seconds, its CPU seconds)".
# Passes run side by side (see the schedule below); the output is shown
# in the order above all the same.
# STEPS="plain asan" runs only those passes ("real" every real-* pass,
# "real-NAME" one); TESTS= and JOBS= are passed on to tests/run.sh.
# The last line is "N passed, N failed, N skipped" over every pass; the
# exit status is 1 when something failed or nothing passed.
#
# A real pass, tests/real/NAME.sh (for hosts with real cgroups, QEMU...):
#   - is run when it is executable, as ./tests/real/NAME.sh (its #! line
#     picks the interpreter), from the top of the tree, first, one at a
#     time; beside it runs at most one CPU-bound process of the check (a
#     fuzzer: see the schedule below);
#   - gets stdin /dev/null, VZMEM=the ./vzmem under test, TOP=the top of
#     the tree, OUTDIR=tests/out.real-NAME (made empty for it: its files
#     go there) and JOBS=the CPUs;
#   - prints one line per case: "ok CASE", "FAIL CASE: why", or
#     "skip CASE: why" for what cannot run here (not root, no cgroup v1,
#     no qemu-system-x86_64); other lines are shown as they are (begin
#     them with "#" or blanks);
#   - ends with "N passed, N failed, N skipped", which is what is counted
#     (tests/lib.sh's begin/end/skip and summary print all of these);
#     no such last line, or still running after REAL_TIMEOUT seconds
#     (300), is one failure;
#   - exits 0 unless something failed (nonzero is not counted: the line
#     is), and leaves no process behind.
cd "$(dirname "$0")/.." || exit 1
top=$(pwd)
STEPS=${STEPS:-plain real asan valgrind fuzz lint}
FUZZ_SECONDS=${FUZZ_SECONDS:-25}
REAL_TIMEOUT=${REAL_TIMEOUT:-300}
MAKE=${MAKE:-make}
out=$top/tests/out.check
rm -rf "$out"
mkdir -p "$out"
npass=0
nfail=0
nskip=0
start=$(date +%s)

have() { command -v "$1" >/dev/null 2>&1; }
want() { case " $STEPS " in *" $1 "*) return 0 ;; esac; return 1; }
jobs=${JOBS:-$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null ||
    echo 1)}
case $jobs in '' | *[!0-9]* | 0) jobs=1 ;; esac
export JOBS="$jobs"

fail() {
	echo "FAIL $*"
	nfail=$((nfail + 1))
}

# The line that ends a pass's output, "N passed, N failed, N skipped"
# (an older pass may still say only "N passed, N failed").
result_re='^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$'

# pass NAME COMMAND...: run a pass, its output in $out/NAME.log, its
# seconds in NAME.secs, its CPU seconds (user + system of everything it
# waited for) in NAME.cpu; NAME.secs comes last: the pass is done.
pass() {
	_n=$1
	shift
	_t0=$(date +%s)
	(
		"$@" >"$out/$_n.log" 2>&1 </dev/null
		# The children's user and system times, "0m1.5s 0m0.25s"
		# (into a file: in a pipeline times is a new subshell's).
		times >"$out/$_n.times"
		sed -n 2p "$out/$_n.times" | awk '{
		    t = 0
		    for (i = 1; i <= 2; i++) {
			split($i, a, /[ms]/); t += a[1] * 60 + a[2]
		    }
		    printf "%d\n", t + 0.5 }' >"$out/$_n.cpu"
	)
	echo $(($(date +%s) - _t0)) >"$out/$_n.secs.new"
	mv "$out/$_n.secs.new" "$out/$_n.secs"
}

# show NAME: print the output of pass NAME but its result line, then
# "# NAME: result (seconds)", and add the result to the total.  No
# result line: the pass did not finish, a failure.
show() {
	_log=$out/$1.log
	_s=$(cat "$out/$1.secs" 2>/dev/null)
	_c=$(cat "$out/$1.cpu" 2>/dev/null)
	_l=$(tail -1 "$_log" 2>/dev/null)
	if echo "$_l" | grep -Eq "$result_re"; then
		sed '$d' "$_log"
		echo "# $1: $_l (${_s:-?} s, ${_c:-?} s CPU)"
		# shellcheck disable=SC2086  # split the line into its words
		set -- $_l
		npass=$((npass + $1))
		nfail=$((nfail + $3))
		nskip=$((nskip + ${5:-0}))
	else
		cat "$_log" 2>/dev/null
		fail "$1: no result line (${_s:-?} s)"
	fi
}

# skipped PASS: REASON: the pass cannot run here, a skip.
skipped() {
	echo "skip $*"
	echo "0 passed, 0 failed, 1 skipped"
}

# benign REPORT: a sanitizer report that is only LeakSanitizer's
# "Unable to get registers from thread N": t-crash killed the process
# while its exit-time leak check had it stopped (vzmem has no threads;
# only a dead main thread gives this), so there was nothing to check.
benign() {
	! grep -Evq '^==[0-9]+==Unable to get registers from thread [0-9]+\.$' \
	    "$1"
}

# merge RUNLOG DIR WHAT: RUNLOG (a run.sh output) with one failure more
# for each report in DIR, and the result line counting them.
merge() {
	_l=$(tail -1 "$1")
	if ! echo "$_l" | grep -Eq "$result_re"; then
		cat "$1"
		return
	fi
	sed '$d' "$1"
	_rf=0
	for _r in "$2"/*; do
		[ -s "$_r" ] || continue
		if benign "$_r"; then
			echo "# $3 report $_r: $(cat "$_r") (killed: no leak check)"
			continue
		fi
		echo "FAIL $3 report $_r:"
		sed 's/^/    /' "$_r" | head -30
		_rf=$((_rf + 1))
	done
	# shellcheck disable=SC2086  # split the line into its words
	set -- $_l
	echo "$1 passed, $(($3 + _rf)) failed, ${5:-0} skipped"
}

# cc_can CC FLAGS: the compiler builds and links a program with FLAGS.
cc_can() {
	_cc=$1
	shift
	have "$_cc" || return 1
	printf 'int main(void) { return 0; }\n' >"$out/cc.c"
	# shellcheck disable=SC2068
	"$_cc" $@ -o "$out/cc" "$out/cc.c" >/dev/null 2>&1
}

# LLVMFuzzerTestOneInput needs a main from libFuzzer.
cc_fuzz() {
	have clang || return 1
	printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$out/f.c"
	clang -fsanitize=fuzzer,address,undefined -o "$out/f" "$out/f.c" \
	    >/dev/null 2>&1
}

plain_pass() {
	echo "# pass plain: tests/run.sh ./vzmem"
	sh tests/run.sh "$top/vzmem"
}

# The real passes, "NAME SCRIPT" a line, in the order of their names.
real_passes() {
	for _r in tests/real/*.sh; do
		if [ ! -f "$_r" ] || [ ! -x "$_r" ]; then
			continue
		fi
		echo "real-$(basename "$_r" .sh) $_r"
	done
}

# real_pass NAME SCRIPT: one of them, stopped after REAL_TIMEOUT s.
real_pass() {
	echo "# pass $1: $2"
	rm -rf "$top/tests/out.$1"
	mkdir -p "$top/tests/out.$1"
	if have timeout; then
		set -- "$1" timeout -k 10 "$REAL_TIMEOUT" "./$2"
	else
		set -- "$1" "./$2"
	fi
	_n=$1
	shift
	VZMEM=$top/vzmem TOP=$top OUTDIR=$top/tests/out.$_n "$@"
	_st=$?
	case $_st in
	124 | 137) echo "# $_n: stopped after ${REAL_TIMEOUT}s" ;;
	esac
}

asan_pass() {
	_cc=$(have clang && echo clang || echo cc)
	if ! cc_can "$_cc" -fsanitize=address,undefined; then
		skipped "asan: no compiler with -fsanitize=address,undefined"
		return
	fi
	if ! $MAKE -s -j "$jobs" asan ASAN_CC="$_cc" \
	    >"$out/asan-build.log" 2>&1; then
		echo "FAIL asan: build failed"
		sed 's/^/    /' "$out/asan-build.log" | tail -20
		echo "0 passed, 1 failed, 0 skipped"
		return
	fi
	echo "# pass asan: tests/run.sh build/asan/vzmem ($_cc)"
	mkdir -p "$out/asan-reports"
	# t-bad with one vehicle per bad input, as under valgrind (its
	# longest script: 129 s with all of them); plain runs them all.
	ASAN_OPTIONS="log_path=$out/asan-reports/asan:exitcode=86:detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1" \
	UBSAN_OPTIONS="log_path=$out/asan-reports/ubsan:halt_on_error=1:print_stacktrace=1:exitcode=86" \
	UNITDIR=build/asan/tests/unit BAD_VEHICLES=one \
	    sh tests/run.sh "$top/build/asan/vzmem" asan >"$out/asan.run" 2>&1
	merge "$out/asan.run" "$out/asan-reports" sanitizer
}

valgrind_pass() {
	if ! have valgrind; then
		skipped "valgrind: no valgrind"
		return
	fi
	echo "# pass valgrind: shell tests on ./vzmem under valgrind"
	mkdir -p "$out/vg-reports"
	# A subset, for time (about 1.1 s of CPU for each vzmem run under
	# valgrind: these 411 runs took 462 s of CPU, the 485 of every
	# script but t-crash and t-concurrency about 545): each source
	# path still runs under it once, and plain and asan (ASan, UBSan,
	# LeakSanitizer) run every case (asan: t-bad's inputs through one
	# vehicle each).  What valgrind adds to asan is
	# the -O2 binary itself and reads of uninitialised memory, which a
	# path shows the first time it runs.  So: every script but
	# t-crash (28 kills of -a on robust-20: the paths of t-apply's -a
	# again, and a SIGKILLed run reports nothing) and t-concurrency
	# (locks and -e of t-apply and t-edit, four runs at once) and
	# t-trust-proc (signals and timeouts of the same paths); and
	# t-bad sends each bad input through one command, not two or
	# three (BAD_VEHICLES=one: the input's parse and its error path
	# are the same).
	_vgt=${VALGRIND_TESTS:-$(for _t in tests/t-*.sh; do
		_t=$(basename "$_t" .sh)
		case $_t in t-crash | t-concurrency | t-trust-proc) ;;
		*) echo "$_t" ;;
		esac
	done | tr '\n' ' ')}
	# And of those runs, one in VG_EVERY (8) of each script: its first,
	# ninth... (tests/valgrind.sh): of 736 runs about 110, the pass 252 s of CPU.
	VG_EVERY=${VG_EVERY:-8} \
	VG_VZMEM=${VG_VZMEM:-$top/vzmem} VG_LOGDIR=$out/vg-reports \
	    UNITDIR=none TESTS=${TESTS:-$_vgt} BAD_VEHICLES=one \
	    sh tests/run.sh "$top/tests/valgrind.sh" valgrind \
	    >"$out/valgrind.run" 2>&1
	merge "$out/valgrind.run" "$out/vg-reports" valgrind
}

# fuzz_pass JOBS: the fuzz targets, JOBS at a time.
fuzz_pass() {
	if ! cc_fuzz; then
		skipped "fuzz: no clang with libFuzzer"
	elif ! $MAKE -s fuzz-build >"$out/fuzz-build.log" 2>&1; then
		echo "FAIL fuzz: build failed"
		sed 's/^/    /' "$out/fuzz-build.log" | tail -20
		echo "0 passed, 1 failed, 0 skipped"
	else
		echo "# pass fuzz: ${FUZZ_SECONDS}s per target"
		FUZZ_JOBS=$1 sh tests/fuzz/run.sh "$FUZZ_SECONDS"
	fi
}

lint_pass() {
	echo "# pass lint"
	sh tests/lint.sh
}

# killtree PID: end a process and everything it started, by their PIDs.
killtree() {
	for _c in $(pgrep -P "$1" 2>/dev/null); do
		killtree "$_c"
	done
	kill "$1" 2>/dev/null
}

# Interrupted: background jobs of sh ignore SIGINT, so end the passes
# running in the background and what they started.
bg_pids=
stop() {
	for _p in $bg_pids; do
		killtree "$_p"
	done
	exit 130
}
trap stop INT TERM


sh tests/deps.sh

real_passes >"$out/real.list"
while read -r name script; do
	if want real || want "$name"; then
		echo "$name $script"
	fi
done <"$out/real.list" >"$out/real.want"

# The schedule.  The tests wait on events, never on sleeps (tests/lib.sh),
# so a pass gives the same result however loaded the machine is, and
# the passes run side by side: make check is CPU work, about 950 s of
# CPU (measured on a 2-CPU machine: plain 200, real 22, asan 320 with
# its build, valgrind 400 for one run in 3, 287 for one in 5 and about
# 190 for the one in VG_EVERY=8 it now checks, fuzz 7 x 8 s (was 15: make check had reached 524 s of its 600) and its
# build 104, lint 105), and on 2 CPUs it takes about half of that when
# both are busy all the time: make check took 546 s with one run in 5.
#   - The real passes first, one at a time, with only the fuzz pass
#     beside them (one fuzzer at a time: one CPU): a VM's time limits
#     and the kernel's OOM kills are theirs, not ours to squeeze.
#   - Then the others, at most $jobs passes at once (the fuzz pass is
#     one of them while it lasts), the longest first: valgrind, asan,
#     plain, lint.  Each pass still runs its tests JOBS at a time, so
#     the last one left has every CPU.
# On one CPU everything runs one pass after the other.  The output is
# shown in the fixed order plain, real-*, asan, valgrind, fuzz, lint,
# each pass once it and those before it are done.
order=
! want plain || order=plain
while read -r name script; do
	order="$order $name"
done <"$out/real.want"
for s in asan valgrind fuzz lint; do
	! want "$s" || order="$order $s"
done

# run_pass NAME: the pass NAME, by its name.
run_pass() {
	case $1 in
	plain) pass plain plain_pass ;;
	asan) pass asan asan_pass ;;
	valgrind) pass valgrind valgrind_pass ;;
	lint) pass lint lint_pass ;;
	fuzz) pass fuzz fuzz_pass "$2" ;;
	real-*)
		pass "$1" real_pass "$1" \
		    "$(awk -v n="$1" '$1 == n { print $2 }' "$out/real.want")"
		;;
	esac
}

# The pool: a FIFO holds one token per pass that may run now.
pool() {
	mkfifo "$out/passes"
	exec 4<>"$out/passes"
	rm -f "$out/passes"
	_i=0
	while [ "$_i" -lt "$jobs" ]; do
		echo >&4
		_i=$((_i + 1))
	done
	if want fuzz; then
		read -r _ <&4
		(run_pass fuzz "$fuzz_jobs"; echo >&4) &
	fi
	while read -r name script; do
		run_pass "$name"
	done <"$out/real.want"
	for _s in valgrind asan plain lint; do
		want "$_s" || continue
		read -r _ <&4
		(run_pass "$_s"; echo >&4) &
	done
	wait
	exec 4>&-
}

# One fuzzer at a time beside other passes, else one a CPU.
fuzz_jobs=$jobs
[ "$order" = " fuzz" ] || fuzz_jobs=1
if [ "$jobs" -gt 1 ]; then
	pool &
	bg_pids=$!
else
	for s in $order; do
		run_pass "$s" "$jobs"
	done
fi

# Each pass in order, once it is done (the pool writes NAME.secs last).
for s in $order; do
	while [ ! -e "$out/$s.secs" ]; do
		sleep 1
	done
	show "$s"
done
[ -z "$bg_pids" ] || wait "$bg_pids"

echo "# make check took $(($(date +%s) - start)) s"
echo "$npass passed, $nfail failed, $nskip skipped"
[ "$nfail" -eq 0 ] && [ "$npass" -gt 0 ]
