#!/bin/sh
# Install what the checks need and the machine lacks, from Debian itself:
# clang and its runtimes (ASan, UBSan, libFuzzer: libclang-rt-V-dev),
# valgrind, cppcheck, clang-tidy, mandoc, shellcheck.  Only as root with
# apt-get, and only when something is missing; otherwise the steps that
# need a missing tool print "skipped" and the rest runs.  Never fails.
have() { command -v "$1" >/dev/null 2>&1; }

# The libFuzzer runtime of the clang on PATH (absent: print nothing).
fuzzer_rt() {
	have clang || return 1
	[ -e "$(clang --print-resource-dir 2>/dev/null)/lib/linux/libclang_rt.fuzzer-$(uname -m).a" ]
}

clang_v() {
	clang --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1
}

need=
for t in clang valgrind cppcheck clang-tidy mandoc shellcheck; do
	have "$t" || need="$need $t"
done
if have clang && ! fuzzer_rt; then
	need="$need libclang-rt-$(clang_v)-dev"
fi
[ -n "$need" ] || exit 0
if [ "$(id -u)" != 0 ] || ! have apt-get; then
	echo "# deps: missing$need (not root, or no apt-get: those steps skip)"
	exit 0
fi
echo "# deps: apt-get install$need"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1
for p in $need; do
	apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 ||
	    echo "# deps: could not install $p"
done
# clang just installed: its runtime package is named after its version.
if have clang && ! fuzzer_rt; then
	apt-get install -y -qq --no-install-recommends \
	    "libclang-rt-$(clang_v)-dev" >/dev/null 2>&1 ||
	    echo "# deps: could not install libclang-rt-$(clang_v)-dev"
fi
exit 0
