# vzmem -- visual, non-contradictory memory distribution for OpenVZ.
# make          build ./vzmem
# make check    build and run every test (installs what tests need)
# make demo     run vzmem -i on the demo host in examples/
# make bench    the benchmark (see BENCHMARKS.md)

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
VZCFLAGS = -std=c11 -D_DEFAULT_SOURCE $(WARNINGS)

SRCS	:= $(sort $(wildcard src/*.c))
HDRS	:= $(wildcard src/*.h)
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
	$(CC) $(VZCFLAGS) -Isrc $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBOBJS)

check: $(PROG) $(UNIT_BINS)
	@sh tests/run.sh

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
	rm -f $(PROG) src/*.o $(UNIT_BINS)
	rm -rf tests/out

.PHONY: all check demo install uninstall clean

# ---- benchmark (tests/bench, BENCHMARKS.md) ----
# make bench: fake hosts of 100 to 100,000 containers, every command
# timed (median wall ms, peak RSS).  BENCH_SIZES="100 1000" shortens it.
# The helpers are libc-only C: no GNU time, no shell stand-in for vzctl.
BENCH_BINS = tests/bench/genhost tests/bench/measure tests/bench/fakevzctl \
	     tests/bench/readall

tests/bench/%: tests/bench/%.c
	$(CC) $(VZCFLAGS) $(CPPFLAGS) -O2 $(LDFLAGS) -o $@ $<

bench: $(PROG) $(BENCH_BINS)
	@sh tests/bench/run.sh

bench-clean:
	rm -f $(BENCH_BINS)

.PHONY: bench bench-clean
