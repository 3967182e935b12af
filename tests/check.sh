#!/bin/sh
# make check: every pass, then one honest total over all of them.
#
#	plain     tests/run.sh on ./vzmem and tests/unit/*
#	asan      tests/run.sh on build/asan (ASan + UBSan, -fno-sanitize-
#	          recover=all); any sanitizer report is a failure
#	valgrind  the shell tests but t-crash and t-concurrency on ./vzmem
#	          under valgrind (definite leaks and memory errors fail)
#	fuzz      libFuzzer: replay tests/fuzz/regress and the seed corpora,
#	          then fuzz each target FUZZ_SECONDS (make check: 25)
#	lint      tests/lint.sh: cppcheck, clang-tidy, mandoc, shellcheck
#
# Each pass prints "ok ...", "FAIL ..." and "skip ...: why" lines and
# ends with "N passed, N failed, N skipped"; a pass whose tool is missing
# is one skip with its reason ("skip valgrind: no valgrind").
# STEPS="plain asan" runs only those passes; TESTS= is passed on.
# The last line is "N passed, N failed, N skipped" over every pass; the
# exit status is 1 when something failed or nothing passed.
cd "$(dirname "$0")/.." || exit 1
top=$(pwd)
STEPS=${STEPS:-plain asan valgrind fuzz lint}
FUZZ_SECONDS=${FUZZ_SECONDS:-25}
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

fail() {
	echo "FAIL $*"
	nfail=$((nfail + 1))
}

# skip PASS: REASON: the pass cannot run here.
skip() {
	echo "skip $*"
	nskip=$((nskip + 1))
}

# The line that ends a pass's output, "N passed, N failed, N skipped"
# (an older pass may still say only "N passed, N failed").
result_re='^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$'

# show NAME: print the output of pass NAME ($out/NAME.log) but its
# result line, then "# NAME: result", and add the result to the total.
# No result line: the pass did not finish, a failure.
show() {
	_log=$out/$1.log
	_l=$(tail -1 "$_log")
	if echo "$_l" | grep -Eq "$result_re"; then
		sed '$d' "$_log"
		echo "# $1: $_l"
		# shellcheck disable=SC2086  # split the line into its words
		set -- $_l
		npass=$((npass + $1))
		nfail=$((nfail + $3))
		nskip=$((nskip + ${5:-0}))
	else
		cat "$_log"
		fail "$1: no result line"
	fi
}

# reports DIR WHAT: each non-empty file in DIR is a failure.
reports() {
	for _r in "$1"/*; do
		[ -s "$_r" ] || continue
		fail "$2 report $_r:"
		sed 's/^/    /' "$_r" | head -30
	done
}

# cc_can CC FLAGS: the compiler builds and links a program with FLAGS.
cc_can() {
	_cc=$1
	shift
	have "$_cc" || return 1
	printf 'int main(void) { return 0; }\n' >"$out/t.c"
	# shellcheck disable=SC2068
	"$_cc" $@ -o "$out/t" "$out/t.c" >/dev/null 2>&1
}

# LLVMFuzzerTestOneInput needs a main from libFuzzer.
cc_fuzz() {
	have clang || return 1
	printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$out/f.c"
	clang -fsanitize=fuzzer,address,undefined -o "$out/f" "$out/f.c" \
	    >/dev/null 2>&1
}

sh tests/deps.sh

if want plain; then
	echo "# pass plain: tests/run.sh ./vzmem"
	sh tests/run.sh "$top/vzmem" >"$out/plain.log" 2>&1
	show plain
fi

if want asan; then
	asan_cc=$(command -v clang >/dev/null 2>&1 && echo clang || echo cc)
	if ! cc_can "$asan_cc" -fsanitize=address,undefined; then
		skip "asan: no compiler with -fsanitize=address,undefined"
	elif ! $MAKE -s asan ASAN_CC="$asan_cc" >"$out/asan-build.log" 2>&1; then
		fail "asan: build failed"
		sed 's/^/    /' "$out/asan-build.log" | tail -20
	else
		echo "# pass asan: tests/run.sh build/asan/vzmem ($asan_cc)"
		mkdir -p "$out/asan-reports"
		ASAN_OPTIONS="log_path=$out/asan-reports/asan:exitcode=86:detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1" \
		UBSAN_OPTIONS="log_path=$out/asan-reports/ubsan:halt_on_error=1:print_stacktrace=1:exitcode=86" \
		UNITDIR=build/asan/tests/unit \
		    sh tests/run.sh "$top/build/asan/vzmem" asan \
		    >"$out/asan.log" 2>&1
		show asan
		reports "$out/asan-reports" sanitizer
	fi
fi

# The fuzz pass runs beside the valgrind pass (one fuzzer at a time then):
# valgrind is one process after another, so the second core is free.
fuzz_pass() {
	if ! cc_fuzz; then
		echo "skip fuzz: no clang with libFuzzer"
		echo "0 passed, 0 failed, 1 skipped"
	elif ! $MAKE -s fuzz-build >"$out/fuzz-build.log" 2>&1; then
		echo "FAIL fuzz: build failed"
		sed 's/^/    /' "$out/fuzz-build.log" | tail -20
		echo "0 passed, 1 failed, 0 skipped"
	else
		echo "# pass fuzz: ${FUZZ_SECONDS}s per target"
		FUZZ_JOBS=$1 sh tests/fuzz/run.sh "$FUZZ_SECONDS"
	fi
}

if want fuzz; then
	if want valgrind && have valgrind; then
		fuzz_pass 1 >"$out/fuzz.log" 2>&1 &
		fuzz_pid=$!
	else
		fuzz_pass 2 >"$out/fuzz.log" 2>&1
	fi
fi

if want valgrind; then
	if ! have valgrind; then
		skip "valgrind: no valgrind"
	else
		echo "# pass valgrind: shell tests on ./vzmem under valgrind"
		mkdir -p "$out/vg-reports"
		# Not t-crash, t-concurrency: they kill and race on timing,
		# which valgrind's slowness makes meaningless; asan runs them.
		vgt=${VALGRIND_TESTS:-$(for t in tests/t-*.sh; do
			t=$(basename "$t" .sh)
			case $t in t-crash|t-concurrency) ;; *) echo "$t" ;; esac
		done | tr '\n' ' ')}
		VG_VZMEM=${VG_VZMEM:-$top/vzmem} VG_LOGDIR=$out/vg-reports \
		    UNITDIR=none TESTS=${TESTS:-$vgt} \
		    sh tests/run.sh "$top/tests/valgrind.sh" valgrind \
		    >"$out/valgrind.log" 2>&1
		show valgrind
		reports "$out/vg-reports" valgrind
	fi
fi

if want fuzz; then
	[ -z "${fuzz_pid:-}" ] || wait "$fuzz_pid"
	show fuzz
fi

if want lint; then
	echo "# pass lint"
	sh tests/lint.sh >"$out/lint.log" 2>&1
	show lint
fi

echo "# make check took $(($(date +%s) - start)) s"
echo "$npass passed, $nfail failed, $nskip skipped"
[ "$nfail" -eq 0 ] && [ "$npass" -gt 0 ]
