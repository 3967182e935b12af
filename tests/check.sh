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
# A pass whose tool is missing prints "ok PASS (skipped: no TOOL)".
# STEPS="plain asan" runs only those passes; TESTS= is passed on.
# The last line is "N passed, N failed" over every pass.
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
start=$(date +%s)

have() { command -v "$1" >/dev/null 2>&1; }
want() { case " $STEPS " in *" $1 "*) return 0 ;; esac; return 1; }

ok() {
	echo "ok $*"
	npass=$((npass + 1))
}

fail() {
	echo "FAIL $*"
	nfail=$((nfail + 1))
}

# tally FILE: add the "N passed, M failed" last line of a run.sh output.
tally() {
	_l=$(tail -1 "$1")
	case $_l in
	*" passed, "*" failed")
		_f=${_l#*passed, }
		npass=$((npass + ${_l%% passed*}))
		nfail=$((nfail + ${_f%% failed}))
		;;
	*)
		fail "$(basename "$1" .log): no result line"
		;;
	esac
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
	grep -v '^[0-9]* passed' "$out/plain.log"
	echo "# plain: $(tail -1 "$out/plain.log")"
	tally "$out/plain.log"
fi

if want asan; then
	asan_cc=$(command -v clang >/dev/null 2>&1 && echo clang || echo cc)
	if ! cc_can "$asan_cc" -fsanitize=address,undefined; then
		ok "asan (skipped: no compiler with -fsanitize=address,undefined)"
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
		grep -v '^[0-9]* passed' "$out/asan.log"
		echo "# asan: $(tail -1 "$out/asan.log")"
		tally "$out/asan.log"
		reports "$out/asan-reports" sanitizer
	fi
fi

# The fuzz pass runs beside the valgrind pass (one fuzzer at a time then):
# valgrind is one process after another, so the second core is free.
fuzz_pass() {
	if ! cc_fuzz; then
		echo "ok fuzz (skipped: no clang with libFuzzer)"
	elif ! $MAKE -s fuzz-build >"$out/fuzz-build.log" 2>&1; then
		echo "FAIL fuzz: build failed"
		sed 's/^/    /' "$out/fuzz-build.log" | tail -20
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
		ok "valgrind (skipped: no valgrind)"
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
		grep -v '^[0-9]* passed' "$out/valgrind.log"
		echo "# valgrind: $(tail -1 "$out/valgrind.log")"
		tally "$out/valgrind.log"
		reports "$out/vg-reports" valgrind
	fi
fi

if want fuzz; then
	[ -z "${fuzz_pid:-}" ] || wait "$fuzz_pid"
	grep -v '^[0-9]* passed' "$out/fuzz.log"
	if grep -q '^[0-9]* passed, [0-9]* failed$' "$out/fuzz.log"; then
		tally "$out/fuzz.log"
	else
		npass=$((npass + $(grep -c '^ok ' "$out/fuzz.log")))
		nfail=$((nfail + $(grep -c '^FAIL ' "$out/fuzz.log")))
	fi
fi

if want lint; then
	echo "# pass lint"
	sh tests/lint.sh >"$out/lint.log" 2>&1
	cat "$out/lint.log"
	npass=$((npass + $(grep -c '^ok ' "$out/lint.log")))
	nfail=$((nfail + $(grep -c '^FAIL ' "$out/lint.log")))
fi

echo "# make check took $(($(date +%s) - start)) s"
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ] && [ "$npass" -gt 0 ]
