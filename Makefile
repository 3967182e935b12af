# vzmem -- visual memory distribution for OpenVZ, LXC and cgroups.
# make          build ./vzmem
# make check    build and run every test (as root: installs packages, runs
#               an LXC container and a QEMU VM; see README)
# make demo     run vzmem on the demo hosts in examples/ (OpenVZ, then LXC)
# make bench    time every command on fake OpenVZ and LXC hosts (BENCHMARKS.md)

PROG	 = vzmem
PREFIX	?= /usr/local
SBINDIR	?= $(PREFIX)/sbin
MANPREFIX ?= $(PREFIX)/share/man
DESTDIR	?=

CC	?= cc
CFLAGS	?= -O2 -g
WARNINGS = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wvla \
	   -Wno-format-nonliteral
# -Isrc: a module in a subfolder (src/lib/) includes "lib/msg.h" too.
VZCFLAGS = -std=c11 -D_DEFAULT_SOURCE -Isrc $(WARNINGS)

# src/*.c and one level of subfolders (src/lib/, ...): objects next to
# their sources.
SRCS	:= $(sort $(wildcard src/*.c src/*/*.c))
HDRS	:= $(wildcard src/*.h src/*/*.h)
OBJS	:= $(SRCS:.c=.o)
LIBOBJS	:= $(filter-out src/main.o,$(OBJS))

all: $(PROG)

$(PROG): $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(OBJS)

src/%.o: src/%.c $(HDRS)
	$(CC) $(VZCFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Unit tests link the modules without main.o.
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_BINS := $(UNIT_SRCS:.c=)

tests/unit/%: tests/unit/%.c $(LIBOBJS) $(HDRS)
	$(CC) $(VZCFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBOBJS)

# tests/unit/kind defines its own table of kinds (a stub beside OpenVZ):
# it links without src/kinds.o.
KIND_LIBOBJS := $(filter-out src/kinds.o,$(LIBOBJS))

tests/unit/kind: tests/unit/kind.c $(KIND_LIBOBJS) $(HDRS)
	$(CC) $(VZCFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(KIND_LIBOBJS)

# make check: tests/check.sh runs every pass and prints the total,
# "N passed, N failed, N skipped" (a pass whose tool is missing: a skip):
#   tests/deps.sh     installs missing tools (root + apt-get only)
#   plain             tests/run.sh on ./vzmem and tests/unit/*
#   real-NAME         each executable tests/real/NAME.sh (see check.sh)
#   asan              the same on build/asan (ASan + UBSan, no recovery)
#   valgrind          the shell tests on ./vzmem under valgrind
#   fuzz              libFuzzer: regressions, corpora, FUZZ_SECONDS each
#   lint              make lint
# STEPS="plain asan" limits the passes; TESTS="t-bad" the shell tests.
check: $(PROG) $(UNIT_BINS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS_CHECK) sh tests/check.sh

# Sanitizer build: every object and unit test again, in build/asan.
SAN	 = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
ASAN_CC	?= $(shell command -v clang >/dev/null 2>&1 && echo clang || echo cc)
ASAN_OBJS := $(SRCS:%.c=build/asan/%.o)
ASAN_LIBOBJS := $(filter-out build/asan/src/main.o,$(ASAN_OBJS))
ASAN_UNITS := $(UNIT_BINS:%=build/asan/%)

asan: build/asan/$(PROG) $(ASAN_UNITS)

build/asan/$(PROG): $(ASAN_OBJS)
	$(ASAN_CC) $(SAN) -o $@ $(ASAN_OBJS)

build/asan/src/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(ASAN_CC) $(VZCFLAGS) $(SAN) -O1 -g -c -o $@ $<

build/asan/tests/unit/%: tests/unit/%.c $(ASAN_LIBOBJS) $(HDRS)
	@mkdir -p $(@D)
	$(ASAN_CC) $(VZCFLAGS) $(SAN) -O1 -g -o $@ $< $(ASAN_LIBOBJS)

ASAN_KIND_LIBOBJS := $(filter-out build/asan/src/kinds.o,$(ASAN_LIBOBJS))

build/asan/tests/unit/kind: tests/unit/kind.c $(ASAN_KIND_LIBOBJS) $(HDRS)
	@mkdir -p $(@D)
	$(ASAN_CC) $(VZCFLAGS) $(SAN) -O1 -g -o $@ $< $(ASAN_KIND_LIBOBJS)

# libFuzzer targets (clang only): tests/fuzz/fuzz_*.c, one per parser and
# one for the JSON string writer.
# make fuzz runs each for FUZZ_SECONDS (60), make check for 8 seconds;
# crash inputs go to tests/fuzz/regress/TARGET/, replayed by make check.
FUZZ_CC	?= clang
FUZZ_SECONDS ?= 60
FUZZ_SECONDS_CHECK ?= 8
FSAN	 = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)
FUZZ_LIBOBJS := $(filter-out build/fuzz/src/main.o,$(SRCS:%.c=build/fuzz/%.o))

fuzz-build: $(FUZZ_BINS)

# Kept between runs: they are only named in pattern rules, and make
# would delete them as intermediates (a rebuild of all each time).
.SECONDARY: $(FUZZ_LIBOBJS)

fuzz: fuzz-build
	@STEPS=fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/check.sh

build/fuzz/src/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(VZCFLAGS) $(FSAN) -fsanitize=fuzzer-no-link -O1 -g \
	    -c -o $@ $<

build/fuzz/%: tests/fuzz/%.c $(FUZZ_LIBOBJS) $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(VZCFLAGS) $(FSAN) -fsanitize=fuzzer -O1 -g \
	    -o $@ $< $(FUZZ_LIBOBJS)

# Static analysis and linters, each skipped when its tool is missing:
#   cppcheck    --enable=warning,portability,performance (style is
#               style(9)'s business, not cppcheck's), errors fail
#   clang-tidy  clang-analyzer-* (path-sensitive: NULL, leaks, use after
#               free, uninitialised; minus valist.Uninitialized, which
#               clang 14 reports on correct va_start/va_end pairs; and
#               DeprecatedOrUnsafeBufferHandling, which wants C11 Annex
#               K), bugprone-* minus the checks that fight C idioms
#               (sizeof-expression: clang 14 flags every sizeof(*p) of
#               an array of pointers; easily-swappable-parameters,
#               reserved-identifier, narrowing on size_t/uint64_t,
#               assignment-in-if-condition, implicit-widening-of-
#               multiplication-result, misplaced-widening-cast:
#               the %llu casts of uint64_t; branch-clone: an else-if
#               chain that spells out each case), cert-err34-c
#               (unchecked strtol/atoi-style conversions), and
#               misc-redundant-expression; warnings are errors
#   mandoc      -Tlint -W style on man/* (bar missing Xr pages)
#   shellcheck  tests/*.sh, tests/bin/*, examples/*.sh, .ci/run
lint:
	@sh tests/lint.sh

valgrind: $(PROG)
	@STEPS=valgrind sh tests/check.sh

demo: $(PROG)
	@sh examples/demo.sh

install: $(PROG)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANPREFIX)/man8 \
	    $(DESTDIR)$(MANPREFIX)/man5
	install -m 755 $(PROG) $(DESTDIR)$(SBINDIR)/$(PROG)
	install -m 644 man/vzmem.8 $(DESTDIR)$(MANPREFIX)/man8/vzmem.8
	install -m 644 man/MEM-MAP.5 $(DESTDIR)$(MANPREFIX)/man5/MEM-MAP.5

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/$(PROG) \
	    $(DESTDIR)$(MANPREFIX)/man8/vzmem.8 \
	    $(DESTDIR)$(MANPREFIX)/man5/MEM-MAP.5

clean:
	rm -f $(PROG) src/*.o src/*/*.o $(UNIT_BINS)
	rm -rf tests/out tests/out.* build

.PHONY: all check demo install uninstall clean asan fuzz fuzz-build lint \
	valgrind

# ---- benchmark (tests/bench, BENCHMARKS.md) ----
# make bench: fake hosts of 100 to 100,000 containers, every command
# timed (median wall ms, peak RSS).  BENCH_SIZES="100 1000" shortens it;
# LXC hosts of 1,000 and 10,000 (BENCH_LXC_SIZES) beside them, BENCH_KINDS=lxc
# for those alone.
# The helpers are libc-only C: no GNU time, no shell stand-in for vzctl.
BENCH_BINS = tests/bench/genhost tests/bench/measure tests/bench/fakevzctl \
	     tests/bench/readall tests/bench/rewriteall tests/bench/genlxc \
	     tests/bench/lxcfloor

tests/bench/%: tests/bench/%.c
	$(CC) $(VZCFLAGS) $(CPPFLAGS) -O2 $(LDFLAGS) -o $@ $<

bench: $(PROG) $(BENCH_BINS)
	@sh tests/bench/run.sh

bench-clean:
	rm -f $(BENCH_BINS)

.PHONY: bench bench-clean
