# tests/lib.sh -- sourced by every tests/t-*.sh.
#
# A test works on a copy of a fixture host tree (tests/hosts/NAME: a fake
# proc/meminfo, proc/user_beancounters, etc/vz/conf/*.conf) and runs vzmem
# with --root on it, with the stand-in vzctl of tests/bin first on PATH
# (and --vzctl vzctl: under --root only a named vzctl runs).
# It asserts what a user sees: exit status, messages, the bytes of files.
#
#	begin "what this case shows"
#	host ubc		# copy tests/hosts/ubc to $ROOT
#	vz -i 100		# run vzmem; $STATUS, $OUT/stdout, $OUT/stderr
#	status_is 2
#	err_has "MEM-MAP:3:7: '=' after '+'"
#	same "$CONF/MEM-MAP" expect/ubc.map
#	end
#
# A case that cannot run here (it needs root, or a tool) says why with
# "skip REASON" before its end: it prints "skip SCRIPT: CASE: REASON" and
# counts as skipped, neither passed nor failed.
#
# tests/run.sh counts the lines of the t-*.sh scripts.  A script run on
# its own, such as a tests/real/*.sh pass of tests/check.sh (which sets
# TOP), ends with "summary": "N passed, N failed, N skipped" of its cases.
# The stand-in vzctl of tests/bin is first on PATH here too.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
TESTS=$TOP/tests
VZMEM=${VZMEM:-$TOP/vzmem}
SCRIPT=$(basename "$0" .sh)
OUT=${OUTDIR:-$TOP/tests/out}/$SCRIPT
rm -rf "$OUT"
mkdir -p "$OUT"
PATH=$TESTS/bin:$PATH
export PATH
VZCTL_LOG=$OUT/vzctl.log
export VZCTL_LOG
unset VZCTL_FAIL VZCTL_SLEEP VZCTL_IGNORE_TERM VZCTL_HOLD VISUAL EDITOR
# The case's events, one a line: what the stand-in vzctl, tests/bin/hold
# and the test itself write when they reach a point (see "Events" below).
EVENTS=$OUT/events
VZCTL_EVENTS=$EVENTS
export VZCTL_EVENTS
CASE=
BAD=
SKIP=
NCASE=0
NPASS=0
NFAIL=0
NSKIP=0

begin() {
	CASE=$1
	BAD=
	SKIP=
	NCASE=$((NCASE + 1))
	: >"$VZCTL_LOG"
	: >"$EVENTS"
}

# Record a failed assertion; the case fails at end().  After skip, the
# case's assertions no longer count: what it needed is not there.
bad() {
	[ -z "$SKIP" ] || return 0
	[ -n "$BAD" ] || BAD=$1
	echo "  $CASE: $1"
}

# skip REASON: the case cannot run here; end() reports it skipped (a
# failed assertion before it still fails the case).
skip() {
	[ -n "$SKIP" ] || SKIP=$1
}

end() {
	if [ -n "$BAD" ]; then
		echo "FAIL $SCRIPT: $CASE: $BAD"
		NFAIL=$((NFAIL + 1))
	elif [ -n "$SKIP" ]; then
		echo "skip $SCRIPT: $CASE: $SKIP"
		NSKIP=$((NSKIP + 1))
	else
		echo "ok $SCRIPT: $CASE"
		NPASS=$((NPASS + 1))
	fi
	CASE=
}

# summary: the result line of the cases so far; false if one failed.
summary() {
	echo "$NPASS passed, $NFAIL failed, $NSKIP skipped"
	[ "$NFAIL" -eq 0 ]
}

# host FIXTURE [DIR]: a fresh copy of tests/hosts/FIXTURE as $ROOT.
host() {
	ROOT=$OUT/root$NCASE-${2:-$1}
	rm -rf "$ROOT"
	mkdir -p "$ROOT"
	cp -a "$TESTS/hosts/$1/." "$ROOT/"
	# A checkout made with umask 002 would give a map vzmem refuses.
	chmod -R go-w "$ROOT"
	CONF=$ROOT/etc/vz/conf
	# shellcheck disable=SC2034  # for the tests that source this file
	MAP=$CONF/MEM-MAP
	# shellcheck disable=SC2034
	LOCK=$ROOT/run/vzmem/lock
}

# vz ARGS: run vzmem on $ROOT.  Output with $ROOT written as ROOT.
# Under --root vzmem runs only a vzctl that --vzctl names: the stand-in
# on PATH (a later --vzctl in ARGS wins).
vz() {
	"$VZMEM" --root "$ROOT" --vzctl vzctl "$@" >"$OUT/stdout.raw" \
	    2>"$OUT/stderr.raw" </dev/null
	STATUS=$?
	shown
}

# shown: $OUT/stdout and stderr, the raw output with $ROOT as ROOT.
shown() {
	sed "s|$ROOT|ROOT|g" "$OUT/stdout.raw" >"$OUT/stdout"
	sed "s|$ROOT|ROOT|g" "$OUT/stderr.raw" >"$OUT/stderr"
}

# vz_bg ARGS: vz in the background ($VZPID); vz_end: wait for it, then
# $STATUS and the output as after vz.
vz_bg() {
	: >"$OUT/stdout.raw"
	: >"$OUT/stderr.raw"
	"$VZMEM" --root "$ROOT" --vzctl vzctl "$@" >"$OUT/stdout.raw" \
	    2>"$OUT/stderr.raw" </dev/null &
	VZPID=$!
}
vz_end() {
	wait "$VZPID"
	STATUS=$?
	shown
}

# Events: tests wait on them, never on a sleep.  The stand-in vzctl
# appends "start CTID PID PPID" and "end CTID PID STATUS" to $EVENTS and
# can be held at its start ($VZCTL_HOLD, see tests/bin/vzctl);
# tests/bin/hold NAME (an editor, a lock holder) appends "start NAME PID"
# and waits for "release NAME".  Every wait has a deadline of 60 s
# (tests/bin/await) after which the case fails instead of hanging.
#
# event LINE: append LINE to $EVENTS ("release 101" opens a gate).
event() { echo "$*" >>"$EVENTS"; }

# wait_event WORDS: until a line of $EVENTS begins with WORDS.
wait_event() {
	await "$EVENTS" "$*" || { bad "no event '$*' within 60 s"; return 1; }
}

# wait_for FILE: until it exists; wait_text FILE TEXT: until a line of
# FILE contains TEXT.
wait_for() {
	await -e "$1" || { bad "no $(basename "$1") within 60 s"; return 1; }
}
wait_text() {
	await -F "$1" "$2" ||
	    { bad "$(basename "$1") lacks '$2' after 60 s"; return 1; }
}

# settled PID: until vzmem PID sleeps (state S: in poll(), waiting for
# its children; a spawn waits in state D, a file write too) and each of
# its children has written its start event, seen twice in a row.  After
# it, whatever vzmem starts before it waits has started, and shows in
# $EVENTS.
settled() {
	_n=3000
	_prev=x
	while [ "$_n" -gt 0 ]; do
		_kids=$(pgrep -P "$1" | tr '\n' ' ')
		_st=$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat" \
		    2>/dev/null)
		_all=yes
		for _k in $_kids; do
			awk -v k="$_k" '$1 == "start" && $3 == k { f = 1 }
			    END { exit !f }' "$EVENTS" || _all=
		done
		if [ "$_st" = S ] && [ -n "$_all" ] && [ "$_kids" = "$_prev" ]; then
			return 0
		fi
		_prev=$_kids
		[ "$_st" = S ] || _prev=x
		sleep 0.02
		_n=$((_n - 1))
	done
	bad "vzmem $1 did not settle within 60 s"
	return 1
}

# vzin INPUT ARGS: like vz, with INPUT as standard input.
vzin() {
	_in=$1
	shift
	printf '%s' "$_in" | "$VZMEM" --root "$ROOT" --vzctl vzctl "$@" \
	    >"$OUT/stdout.raw" 2>"$OUT/stderr.raw"
	STATUS=$?
	sed "s|$ROOT|ROOT|g" "$OUT/stdout.raw" >"$OUT/stdout"
	sed "s|$ROOT|ROOT|g" "$OUT/stderr.raw" >"$OUT/stderr"
}

status_is() {
	[ "$STATUS" = "$1" ] || bad "exit status $STATUS, wanted $1 ($(head -c 300 "$OUT/stderr"))"
}

err_has() {
	grep -qF -- "$1" "$OUT/stderr" || bad "stderr lacks '$1': $(head -c 300 "$OUT/stderr")"
}

err_lacks() {
	! grep -qF -- "$1" "$OUT/stderr" || bad "stderr has '$1'"
}

out_has() {
	grep -qF -- "$1" "$OUT/stdout" || bad "stdout lacks '$1': $(head -c 300 "$OUT/stdout")"
}

out_lacks() {
	! grep -qF -- "$1" "$OUT/stdout" || bad "stdout has '$1'"
}

err_empty() {
	[ ! -s "$OUT/stderr" ] || bad "stderr not empty: $(head -c 300 "$OUT/stderr")"
}

# have_python: the JSON checks below need python3 (they are skipped
# without it).
# $PYTHON is python3 itself, asked once: not a version manager's shim
# at every call (pyenv's runs a few bash scripts each time, 0.7 s of CPU
# on a loaded machine where python3 takes 0.15).
PYTHON=
have_python() {
	[ -n "$PYTHON" ] || PYTHON=$(python3 -c 'import sys
print(sys.executable or "python3")' 2>/dev/null)
	[ -n "$PYTHON" ]
}

# json_valid: stdout is one JSON document.
json_valid() {
	have_python
	"${PYTHON:-python3}" -m json.tool "$OUT/stdout" >/dev/null 2>"$OUT/json.err" ||
	    bad "stdout is not JSON: $(head -c 300 "$OUT/json.err")"
}

# json_true EXPR: a Python expression on the document d holds.
json_true() {
	have_python
	"${PYTHON:-python3}" -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$OUT/stdout" "$1" 2>/dev/null ||
	    bad "JSON: not $1"
}

# same FILE EXPECTED: byte for byte (EXPECTED relative to tests/).
same() {
	_e=$2
	case $_e in /*) ;; *) _e=$TESTS/$_e ;; esac
	if ! cmp -s "$1" "$_e"; then
		bad "$(basename "$1") differs from $2"
		diff -u "$_e" "$1" | sed 's/^/    /' | head -40
	fi
}

# same_out EXPECTED / same_err EXPECTED: the whole stdout or stderr.
same_out() { same "$OUT/stdout" "$1"; }
same_err() { same "$OUT/stderr" "$1"; }

# snap: remember every file under $ROOT; unchanged: nothing differs now.
snap() {
	(cd "$ROOT" && find . -print0 | sort -z | xargs -0 ls -ld --time-style=+ \
	    | sed 's/ [0-9]* [A-Za-z]* *[0-9]* *$//' ; \
	    find . -type f -print0 | sort -z | xargs -0 -r cksum) \
	    >"$OUT/snap" 2>&1
}

unchanged() {
	(cd "$ROOT" && find . -print0 | sort -z | xargs -0 ls -ld --time-style=+ \
	    | sed 's/ [0-9]* [A-Za-z]* *[0-9]* *$//' ; \
	    find . -type f -print0 | sort -z | xargs -0 -r cksum) \
	    >"$OUT/snap.now" 2>&1
	if ! cmp -s "$OUT/snap" "$OUT/snap.now"; then
		bad "files changed"
		diff "$OUT/snap" "$OUT/snap.now" | sed 's/^/    /' | head -20
	fi
}

# vzctl_calls N: the stand-in vzctl ran N times in this case.
vzctl_calls() {
	_n=$(wc -l <"$VZCTL_LOG" | tr -d ' ')
	[ "$_n" = "$1" ] || bad "vzctl ran $_n times, wanted $1"
}

# cghost FIXTURE: host FIXTURE, with the paths of a host without OpenVZ.
cghost() {
	host "$1"
	MAP=$ROOT/etc/vzmem/MEM-MAP
	# shellcheck disable=SC2034  # for the tests that source this file
	CG=$ROOT/sys/fs/cgroup
	# shellcheck disable=SC2034
	LXC=$ROOT/var/lib/lxc
}

# setbar ID BAR [NAME]: the row ID gets BAR (a new row when missing,
# named NAME or "-"); FREE takes the '=' the rows leave of N.
setbar() {
	awk -v id="$1" -v bar="$2" -v name="${3:--}" '
	function count(b,  n, i) {
		n = 0
		for (i = 1; i <= length(b); i++)
			if (substr(b, i, 1) == "=") n++
		return n
	}
	/^[ \t]*#/ || /^[ \t]*$/ { line[++nl] = $0; next }
	!seen_n { seen_n = 1; n = $1; line[++nl] = $0; next }
	$1 == id { $3 = bar; NF = 3; found = 1 }
	$1 == "FREE" { free = ++nl; next }
	{ line[++nl] = $0 }
	END {
		if (!found) line[++nl] = id " " name " " bar
		used = 0
		for (i = 2; i <= nl; i++) {
			if (i == free || line[i] ~ /^[ \t]*#/) continue
			k = split(line[i], f, " ")
			for (j = 1; j <= k; j++)
				if (f[j] ~ /^[=+]/) {
					used += count(f[j])
					break
				}
		}
		s = ""
		for (i = used; i < n; i++) s = s "="
		line[free] = "FREE " s
		for (i = 1; i <= nl; i++) print line[i]
	}' "$MAP" >"$MAP.new" && mv "$MAP.new" "$MAP"
}
