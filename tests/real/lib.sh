# tests/real/lib.sh -- sourced by the real-kernel passes tests/real/*.sh.
# Not a pass itself (not executable).
#
# A pass prints one line per case and a tally, as tests/check.sh reads it:
#	ok NAME: case
#	FAIL NAME: case: why
#	skip NAME: case: reason
#	N passed, N failed, N skipped
# and exits nonzero only when a case failed.
#
#	begin "what this case shows"
#	[ "$x" = "$want" ] || bad "x is $x, want $want"
#	end				# ok, or FAIL with the first bad()
#	skip "case" "reason"		# a case that cannot run here
#
# VZMEM (default ./vzmem of this tree) is the binary under test; KEEP=1
# keeps the temp dir (logs, maps, configs) and says where it is.  The
# kernel objects a pass makes (cgroups, containers, mounts, VMs) are
# always removed.

# shellcheck disable=SC2034  # variables for the passes that source this
set -u
REAL=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$REAL/../.." && pwd)
NAME=$(basename "$0" .sh)
VZMEM=${VZMEM:-$TOP/vzmem}
case $VZMEM in /*) ;; *) VZMEM=$(pwd)/$VZMEM ;; esac
KEEP=${KEEP:-0}
CACHE=${REAL_CACHE:-$REAL/.cache}
npass=0
nfail=0
nskip=0
CASE=
BAD=
DETAILS=
WHY=
TMP=

have() { command -v "$1" >/dev/null 2>&1; }

begin() {
	CASE=$1
	BAD=
	DETAILS=
}

# detail FILE: show FILE (indented) under the case's FAIL line.
detail() { DETAILS="$DETAILS $1"; }

# bad WHY: the current case fails (the first reason is the one shown).
bad() {
	[ -n "$BAD" ] || BAD=$1
}

end() {
	if [ -z "$BAD" ]; then
		printf 'ok %s: %s\n' "$NAME" "$CASE"
		npass=$((npass + 1))
	else
		printf 'FAIL %s: %s: %s\n' "$NAME" "$CASE" "$BAD"
		nfail=$((nfail + 1))
		for _f in $DETAILS; do
			indent "$_f"
		done
	fi
	CASE=
}

# skip CASE REASON
skip() {
	printf 'skip %s: %s: %s\n' "$NAME" "$1" "$2"
	nskip=$((nskip + 1))
}

# tally: the last line; the exit status of the pass.
tally() {
	echo "$npass passed, $nfail failed, $nskip skipped"
	[ "$nfail" -eq 0 ]
}

# skip_all REASON: the whole pass cannot run here.
skip_all() {
	skip all "$1"
	tally
	exit 0
}

# indent FILE [LINES]: FILE's first LINES (20) lines, indented, for a
# failure's details.
indent() {
	[ -s "$1" ] || return 0
	head -"${2:-20}" "$1" | sed 's/^/    /'
}

# need CMD:PKG...: each command present, apt-get installing the missing
# ones' Debian packages when root.  0, or 1 with the reason in $WHY.
need() {
	_pkgs=
	for _cp in "$@"; do
		have "${_cp%%:*}" || _pkgs="$_pkgs ${_cp#*:}"
	done
	[ -n "$_pkgs" ] || return 0
	if [ "$(id -u)" != 0 ] || ! have apt-get; then
		WHY="missing$_pkgs (not root, or no apt-get)"
		return 1
	fi
	echo "# $NAME: apt-get install$_pkgs"
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086  # a list of package names
	apt-get install -y -qq --no-install-recommends $_pkgs \
	    >/dev/null 2>&1 || {
		apt-get update -qq >/dev/null 2>&1
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $_pkgs \
		    >/dev/null 2>&1
	}
	_miss=
	for _cp in "$@"; do
		have "${_cp%%:*}" || _miss="$_miss ${_cp#*:}"
	done
	[ -z "$_miss" ] && return 0
	WHY="apt-get could not install$_miss"
	return 1
}

# mktmp: $TMP, a fresh private directory.
mktmp() {
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/vzmem-$NAME.XXXXXX") || {
		echo "FAIL $NAME: setup: mktemp failed"
		exit 1
	}
}

# rmtmp: remove $TMP, or say where it is with KEEP=1.
rmtmp() {
	[ -n "$TMP" ] && [ -d "$TMP" ] || return 0
	if [ "$KEEP" = 1 ]; then
		echo "# $NAME: KEEP=1: kept $TMP"
	else
		rm -rf "$TMP"
	fi
}

# Host figures as SPEC 1 and 4 define them: MEMKB (MemTotal), PGSZ (page
# bytes), PK (page kB); after blocks N: BLK (kB per block).
host_figures() {
	MEMKB=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
	PGSZ=$(getconf PAGESIZE)
	PK=$((PGSZ / 1024))
}

# pages COUNT: floor(COUNT * blk / pk), the pages of COUNT blocks (SPEC 4).
pages() { echo $(($1 * BLK / PK)); }

# bytes PAGES: the bytes of PAGES pages.
bytes() { echo $(($1 * PGSZ)); }

# bar G X: G '=' then X '+'.
bar() {
	_b=
	_i=0
	while [ "$_i" -lt "$1" ]; do _b="$_b="; _i=$((_i + 1)); done
	_i=0
	while [ "$_i" -lt "$2" ]; do _b="$_b+"; _i=$((_i + 1)); done
	echo "$_b"
}

# vzrun ARGS: run $VZMEM with a timeout; $VZST, $TMP/vz.out, $TMP/vz.err,
# and the whole exchange appended to $TMP/vz.log.
vzrun() { _vzrun "" "$@"; }

# vztrace LOG ARGS: vzrun under strace -f -y (file calls and writes, each
# descriptor shown with its path) into LOG.
vztrace() {
	_l=$1
	shift
	_vzrun "$_l" "$@"
}

_vzrun() {
	_trace=$1
	shift
	if [ ! -x "$VZMEM" ]; then
		echo "no vzmem binary at $VZMEM (make)" >"$TMP/vz.err"
		: >"$TMP/vz.out"
		VZST=127
		return
	fi
	if [ -n "$_trace" ]; then
		timeout -k 5 60 strace -f -qq -y -o "$_trace" \
		    -e trace=%file,write "$VZMEM" "$@" \
		    >"$TMP/vz.out" 2>"$TMP/vz.err" </dev/null
	else
		timeout -k 5 60 "$VZMEM" "$@" >"$TMP/vz.out" 2>"$TMP/vz.err" \
		    </dev/null
	fi
	VZST=$?
	{
		echo "\$ vzmem $*"
		cat "$TMP/vz.out" "$TMP/vz.err"
		echo "(exit $VZST)"
	} >>"$TMP/vz.log"
}

# wrote_nothing LOG: the strace LOG of a vzmem run shows no write to a
# cgroup file, no cgroup file opened for writing and no file renamed.
wrote_nothing() {
	grep -E '^[0-9]+ +write\([0-9]+</sys/fs/cgroup/' "$1" >"$1.bad"
	grep -E '^[0-9]+ +open(at)?\(.*"/sys/fs/cgroup/.*O_(WRONLY|RDWR)' \
	    "$1" >>"$1.bad"
	grep -E '^[0-9]+ +rename' "$1" >>"$1.bad"
	[ -s "$1.bad" ] || return 0
	bad "it wrote: $(head -3 "$1.bad" | cut -c1-120 | tr '\n' ' ')"
	return 1
}

# vzshow: vzmem's last stdout and stderr, indented (after a FAIL line).
vzshow() {
	echo "    vzmem exit status $VZST; stderr:"
	indent "$TMP/vz.err"
	if [ -s "$TMP/vz.out" ]; then
		echo "    stdout:"
		indent "$TMP/vz.out"
	fi
}

# vzstatus WANT: the case fails unless vzmem exited WANT.
vzstatus() {
	[ "$VZST" = "$1" ] ||
	    bad "vzmem exit status $VZST, want $1: $(head -1 "$TMP/vz.err" | cut -c1-160)"
}

# is WHAT GOT WANT: the case fails unless GOT = WANT.
is() {
	[ "$2" = "$3" ] || bad "$1 is '$2', want '$3'"
}

# mib BYTES: BYTES in whole MiB (rounded down).
mib() { echo $(($1 / 1048576)); }
