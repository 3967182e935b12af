#!/bin/sh
# make lint: static analysis and linters, one "ok lint TOOL" or
# "FAIL lint TOOL" line each, "skip lint TOOL: no TOOL" for a missing
# tool; the last line is "N passed, N failed, N skipped", and the exit
# status is 1 when a check failed or none passed.  The checks chosen,
# and why, are listed in the Makefile above the lint target.
cd "$(dirname "$0")/.." || exit 1
out=tests/out.lint
rm -rf "$out"
mkdir -p "$out"
npass=0
nfail=0
nskip=0
have() { command -v "$1" >/dev/null 2>&1; }

# step NAME COMMAND...: ok when COMMAND succeeds and prints nothing.
step() {
	_n=$1
	shift
	if ! have "$1"; then
		missing "$_n" "$1"
		return
	fi
	"$@" >"$out/$_n" 2>&1
	_st=$?
	if [ "$_st" -eq 0 ] && [ ! -s "$out/$_n" ]; then
		echo "ok lint $_n"
		npass=$((npass + 1))
	else
		echo "FAIL lint $_n (exit status $_st)"
		head -40 "$out/$_n" | sed 's/^/    /'
		nfail=$((nfail + 1))
	fi
}

# missing NAME TOOL: the check cannot run here.
missing() {
	echo "skip lint $1: no $2"
	nskip=$((nskip + 1))
}

step cppcheck cppcheck -q --error-exitcode=1 --std=c11 --language=c \
    --enable=warning,portability,performance --inline-suppr \
    -D__GNUC__ -U__cplusplus -Isrc src

# Which checks, and why the exceptions: see the Makefile's lint target.
tidy_checks='-*,clang-analyzer-*,bugprone-*,cert-err34-c,misc-redundant-expression,-clang-analyzer-valist.Uninitialized,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,-bugprone-narrowing-conversions,-bugprone-assignment-in-if-condition,-bugprone-implicit-widening-of-multiplication-result,-bugprone-misplaced-widening-cast,-bugprone-sizeof-expression,-bugprone-branch-clone'
# clang-tidy takes a minute of CPU, one file after another: JOBS
# processes (default: the CPUs) take a share of the files each.
jobs=${JOBS:-$(nproc 2>/dev/null || echo 1)}
case $jobs in '' | *[!0-9]* | 0) jobs=1 ;; esac
tidy() {
	_i=0
	for _f in src/*.c src/*/*.c; do
		echo "$_f" >>"$out/tidy.files.$((_i % jobs))"
		_i=$((_i + 1))
	done
	for _g in "$out"/tidy.files.*; do
		# shellcheck disable=SC2046  # one word a file name
		clang-tidy --quiet --checks="$tidy_checks" \
		    --warnings-as-errors='*' $(cat "$_g") \
		    -- -std=c11 -D_DEFAULT_SOURCE -Isrc \
		    >"$_g.out" 2>&1 &
	done
	wait
	cat "$out"/tidy.files.*.out |
	    grep -v -e '^[0-9]* warnings* generated' \
	    -e '^Suppressed [0-9]* warnings' \
	    -e '^Use -header-filter' -e 'NOLINT' -e '^$'
	# grep found nothing to show: clean.
	[ $? -eq 1 ]
}
if have clang-tidy; then
	step clang-tidy tidy
else
	missing clang-tidy clang-tidy
fi

# mandoc down to STYLE; a page it cannot find (vzctl(8) is not installed
# here) and a stale mandoc.db say nothing about our pages.
mandoc_lint() {
	mandoc -Tlint -W style man/vzmem.8 man/MEM-MAP.5 2>&1 |
	    grep -v -e 'referenced manual not found' -e 'outdated mandoc\.db'
	# grep found nothing to show: clean.
	[ $? -eq 1 ]
}
if have mandoc; then
	step mandoc mandoc_lint
else
	missing mandoc mandoc
fi

sh_files=$(ls tests/*.sh tests/fuzz/*.sh examples/*.sh tests/bin/* .ci/run \
    2>/dev/null)
# shellcheck disable=SC2086
step shellcheck shellcheck -x -P SCRIPTDIR -s sh $sh_files

echo "$npass passed, $nfail failed, $nskip skipped"
[ "$nfail" -eq 0 ] && [ "$npass" -gt 0 ]
