#!/bin/sh
# Trust, the process side (SPEC 5b, 5c's last line; issue 18 points 3-6):
# nobody else can take or plant the lock, the version probe is bounded
# and reads stdout only, no child outlives vzmem or its time limit, and
# no program runs that no option names.  Each case replays an attack or
# a hang of the issue and asserts what a user sees.  Cases wait on
# events (a file a stand-in writes), never on a sleep; every run that
# could hang is bounded by timeout(1), whose 124 is then the failure.
. "$(dirname "$0")/lib.sh"
unset VZCTL_SLOW VZCTL_UBC

BIN=$OUT/bin
mkdir -p "$BIN"

# Stand-ins.  Each writes its pid (and its child's) into $OUT/pids.CTID,
# then $OUT/started.CTID, and waits; for anything else it is the vzctl
# of tests/bin.
# forky: "set" forks a grandchild that ignores SIGTERM (only the group's
# SIGKILL ends it), then waits for it.
cat >"$BIN/forky" <<EOF
#!/bin/sh
if [ "\${1:-}" = set ]; then
	sh -c 'trap "" TERM; exec sleep 1000' &
	echo "\$\$ \$!" >"$OUT/pids.\$2.tmp"
	mv "$OUT/pids.\$2.tmp" "$OUT/pids.\$2"
	: >"$OUT/started.\$2"
	wait
	exit 0
fi
exec "$TESTS/bin/vzctl" "\$@"
EOF
# hangs: "--version" never answers (and leaves a sleep behind).
cat >"$BIN/hangs" <<EOF
#!/bin/sh
if [ "\${1:-}" = --version ]; then
	sleep 1000 &
	echo "\$\$ \$!" >"$OUT/pids.version"
	wait
fi
exec "$TESTS/bin/vzctl" "\$@"
EOF
# warns7: vzctl 7 that warns on stderr before its version line.
cat >"$BIN/warns7" <<EOF
#!/bin/sh
if [ "\${1:-}" = --version ]; then
	echo "vzctl version 4.0 (a warning on stderr, not the answer)" >&2
	echo "vzctl v.7.0.254"
	exit 0
fi
VZCTL_VERSION=7.0.254 exec "$TESTS/bin/vzctl" "\$@"
EOF
# escapes: a version line with terminal escapes.
printf '#!/bin/sh\nprintf "\\033[2Jevil\\033]0;title\\007\\n"\n' >"$BIN/escapes"
chmod +x "$BIN"/*

# await FILE: until FILE exists (60 s at most: the case then fails).
await() {
	_i=0
	until [ -e "$1" ] || [ $_i -ge 600 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -e "$1" ] || bad "$1 never appeared"
}

# alive PID: it runs (a zombie, SIGKILLed and waiting for init to reap
# it, does not).
alive() {
	[ -r "/proc/$1/stat" ] &&
	    ! sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | grep -q '^[ZX]'
}

# all_dead FILE...: no pid of these files is alive.  A SIGKILL takes
# effect after kill(2) returns: each is given 15 s to go (vzmem's own
# grace before its SIGKILL is 5 s; a loaded machine under ASan once
# took longer than 5 s more).
all_dead() {
	for _f in "$@"; do
		[ -s "$_f" ] || { bad "$_f: no pids"; continue; }
		# shellcheck disable=SC2013  # pids, one word each
		for _p in $(cat "$_f"); do
			_i=0
			while alive "$_p" && [ $_i -lt 150 ]; do
				sleep 0.1
				_i=$((_i + 1))
			done
			! alive "$_p" ||
			    bad "process $_p of $(basename "$_f") survived: $(tr '\0' ' ' <"/proc/$_p/cmdline")"
		done
	done
}

# bounded ARGS: vz under timeout(1); a hang shows as status 124.
bounded() {
	timeout -k 5 60 "$VZMEM" --root "$ROOT" "$@" >"$OUT/stdout.raw" \
	    2>"$OUT/stderr.raw" </dev/null
	STATUS=$?
	sed "s|$ROOT|ROOT|g" "$OUT/stdout.raw" >"$OUT/stdout"
	sed "s|$ROOT|ROOT|g" "$OUT/stderr.raw" >"$OUT/stderr"
}

no_temps() {
	! find "$ROOT" -name '*vzmem-tmp*' | grep -q . || bad "temp file left"
}

rm -f "$OUT"/pids.* "$OUT"/started.*

# --- 18.3: the lock ---------------------------------------------------

begin "the lock: /run/vzmem made 0700, the lock file empty after the run"
host apply-ubc
vz -a
status_is 0
[ "$(stat -c %a "$ROOT/run/vzmem")" = 700 ] ||
    bad "run/vzmem mode $(stat -c %a "$ROOT/run/vzmem")"
if [ ! -f "$LOCK" ] || [ -s "$LOCK" ]; then
	bad "lock file missing or names a PID"
fi
end

# planted WHAT: the attack set up by the caller; -a and -a --wait are
# refused at once naming WHERE, the victim and every file unchanged.
planted() {
	_where=$1
	_msg=$2
	snap
	for _w in "" --wait; do
		bounded --vzctl vzctl -a $_w
		status_is 1
		err_has "vzmem: $_where: error: $_msg"
		vzctl_calls 0
		unchanged
	done
	same "$OUT/victim" "$OUT/victim.orig"
}

printf 'root-only secret\n' >"$OUT/victim.orig"

begin "a lock file planted by another user (uid 65534): refused, naming it"
host apply-ubc
cp "$OUT/victim.orig" "$OUT/victim"
mkdir -p "$ROOT/run/vzmem" && chmod 700 "$ROOT/run/vzmem"
echo 1 >"$LOCK"
chown 65534:65534 "$LOCK"
planted ROOT/run/vzmem/lock "owned by uid 65534, not by uid 0 that runs vzmem: refused as the lock file"
end

begin "a lock file that is a symlink: refused, its target untouched"
host apply-ubc
cp "$OUT/victim.orig" "$OUT/victim"
mkdir -p "$ROOT/run/vzmem" && chmod 700 "$ROOT/run/vzmem"
ln -s "$OUT/victim" "$LOCK"
planted ROOT/run/vzmem/lock "a symbolic link: refused as the lock file"
end

begin "a lock file that is a FIFO: refused at once, never opened to block"
host apply-ubc
cp "$OUT/victim.orig" "$OUT/victim"
mkdir -p "$ROOT/run/vzmem" && chmod 700 "$ROOT/run/vzmem"
mkfifo "$LOCK"
planted ROOT/run/vzmem/lock "not a regular file: refused as the lock file"
end

begin "a lock file with a second name (hard link): refused"
host apply-ubc
cp "$OUT/victim.orig" "$OUT/victim"
mkdir -p "$ROOT/run/vzmem" && chmod 700 "$ROOT/run/vzmem"
: >"$ROOT/run/other"
ln "$ROOT/run/other" "$LOCK"
planted ROOT/run/vzmem/lock "has 2 names (hard links): refused as the lock file"
end

begin "a group-writable /run/vzmem: refused, naming it"
host apply-ubc
cp "$OUT/victim.orig" "$OUT/victim"
mkdir -p "$ROOT/run/vzmem"
chmod 770 "$ROOT/run/vzmem"
planted ROOT/run/vzmem "writable by its group (mode 0770): refused as the lock's directory"
end

begin "a /run/vzmem of another user: refused, naming it"
host apply-ubc
cp "$OUT/victim.orig" "$OUT/victim"
mkdir -p "$ROOT/run/vzmem" && chmod 700 "$ROOT/run/vzmem"
chown 65534:65534 "$ROOT/run/vzmem"
planted ROOT/run/vzmem "owned by uid 65534, not by uid 0 that runs vzmem: refused as the lock's directory"
end

begin "a /run/vzmem that is a symlink: refused, never followed"
host apply-ubc
cp "$OUT/victim.orig" "$OUT/victim"
mkdir -p "$ROOT/run" "$OUT/elsewhere"
rm -rf "$OUT/elsewhere"/*
ln -s "$OUT/elsewhere" "$ROOT/run/vzmem"
planted ROOT/run/vzmem "a symbolic link: refused as the lock's directory"
[ -z "$(ls -A "$OUT/elsewhere")" ] || bad "a file made through the link"
end

# --- 18.4: the version probe -----------------------------------------

begin "a vzctl that hangs on --version: -c says so within --timeout 2"
host apply-ubc
rm -f "$OUT/pids.version"
t0=$(date +%s)
bounded --vzctl "$BIN/hangs" --timeout 2 -c
t1=$(date +%s)
[ "$STATUS" != 124 ] || bad "-c hung"
err_has "vzmem: $BIN/hangs: warning: '$BIN/hangs --version' did not answer within 2 s: taken as OpenVZ 4; say which with --openvz 4 or 7"
out_has "OpenVZ 4 (vzctl did not answer: taken as 4)"
[ $((t1 - t0)) -le 8 ] || bad "took $((t1 - t0)) s"
all_dead "$OUT/pids.version"
end

begin "... and -a: asked once, before the lock; the run goes on"
host apply-ubc
rm -f "$OUT/pids.version"
bounded --vzctl "$BIN/hangs" --timeout 2 -a
[ "$STATUS" != 124 ] || bad "-a hung"
status_is 0
[ "$(grep -c "did not answer" "$OUT/stderr")" = 1 ] ||
    bad "asked $(grep -c "did not answer" "$OUT/stderr") times"
vzctl_calls 3
all_dead "$OUT/pids.version"
end

begin "one probe per run: -a reads the host twice, asks vzctl once"
host apply-ubc
VZCTL_VERSION_LOG=$OUT/version.log
export VZCTL_VERSION_LOG
: >"$VZCTL_VERSION_LOG"
vz -a
unset VZCTL_VERSION_LOG
status_is 0
[ "$(wc -l <"$OUT/version.log")" = 1 ] ||
    bad "vzctl --version ran $(wc -l <"$OUT/version.log") times"
end

begin "a vzctl 7 that warns on stderr first is still vzctl 7"
host apply-ubc
vz --vzctl "$BIN/warns7" -c
out_has "OpenVZ 7 (vzctl v.7.0.254)"
err_lacks "unknown vzctl version"
end

begin "/bin/true as vzctl: unknown version output, with the --openvz hint"
host apply-ubc
vz --vzctl /bin/true -c
err_has "warning: unknown vzctl version output 'true (GNU coreutils)"
err_has "taken as OpenVZ 4; say which with --openvz 4 or 7"
out_has "OpenVZ 4 (unknown vzctl version output: taken as 4)"
out_lacks "OpenVZ 4 (true"
end

begin "a version line with terminal escapes is shown screened"
host apply-ubc
vz --vzctl "$BIN/escapes" -c
err_has "unknown vzctl version output '?[2Jevil?]0;title?'"
! grep -q "$(printf '\033')" "$OUT/stderr" || bad "an escape reached stderr"
end

# --- 18.5: process groups, signals, time limits -----------------------

begin "SIGTERM to -a while vzctl runs: vzctl and its child end, lock freed, 143"
host apply-ubc
rm -f "$OUT"/pids.* "$OUT"/started.*
snap
"$VZMEM" --root "$ROOT" --vzctl "$BIN/forky" -a -j 1 >"$OUT/bg.out" \
    2>"$OUT/bg.err" </dev/null &
pid=$!
await "$OUT/started.101"
kill -TERM "$pid"
wait "$pid"
bgst=$?
[ "$bgst" = 143 ] || bad "exit status $bgst, wanted 143"
grep -qF "vzmem: error: got signal 15; its children ended, its temp files removed" \
    "$OUT/bg.err" || bad "stderr: $(cat "$OUT/bg.err")"
all_dead "$OUT/pids.101"
[ ! -s "$LOCK" ] || bad "the lock file names a dead process: $(cat "$LOCK")"
no_temps
# The lock is free: the next run takes it at once and converges.
vz -a
status_is 0
err_lacks "locked by process"
end

begin "SIGHUP likewise: 129"
host apply-ubc
rm -f "$OUT"/pids.* "$OUT"/started.*
"$VZMEM" --root "$ROOT" --vzctl "$BIN/forky" -a -j 1 >"$OUT/bg.out" \
    2>"$OUT/bg.err" </dev/null &
pid=$!
await "$OUT/started.101"
kill -HUP "$pid"
wait "$pid"
bgst=$?
[ "$bgst" = 129 ] || bad "exit status $bgst, wanted 129"
all_dead "$OUT/pids.101"
[ ! -s "$LOCK" ] || bad "the lock file names a dead process"
end

begin "--timeout ends vzctl's whole group: its child too"
host apply-ubc
rm -f "$OUT"/pids.* "$OUT"/started.*
bounded --vzctl "$BIN/forky" -a -j 1 --timeout 1
[ "$STATUS" != 124 ] || bad "-a hung"
status_is 1
err_has "vzmem: error: 101: vzctl timed out after 1 s (terminated)"
all_dead "$OUT/pids.101" "$OUT/pids.102" "$OUT/pids.103"
[ ! -s "$LOCK" ] || bad "the lock file names a dead process"
end

begin "SIGTERM during -e: the editor's group ends, copy removed, map kept"
host edit-ubc
cat >"$BIN/editor" <<EOF
#!/bin/sh
sh -c 'trap "" TERM; exec sleep 1000' &
echo "\$\$ \$!" >"$OUT/pids.editor"
: >"$OUT/started.editor"
wait
EOF
chmod +x "$BIN/editor"
rm -f "$OUT"/pids.* "$OUT"/started.*
cp "$MAP" "$OUT/map.orig"
EDITOR=$BIN/editor VISUAL='' "$VZMEM" --root "$ROOT" --vzctl vzctl -e \
    >"$OUT/bg.out" 2>"$OUT/bg.err" </dev/null &
pid=$!
await "$OUT/started.editor"
kill -TERM "$pid"
wait "$pid"
bgst=$?
[ "$bgst" = 143 ] || bad "exit status $bgst, wanted 143"
all_dead "$OUT/pids.editor"
same "$MAP" "$OUT/map.orig"
no_temps
[ ! -s "$LOCK" ] || bad "the lock file names a dead process"
end

# --- 18.6: empty values, no program no option names --------------------

for opt in --vzctl --root --map --conf-dir --lxcpath; do
	begin "$opt '': exit 2, nothing made"
	host apply-ubc
	snap
	"$VZMEM" --root "$ROOT" "$opt" '' -a >"$OUT/stdout" 2>"$OUT/stderr" \
	    </dev/null
	STATUS=$?
	status_is 2
	err_has "vzmem: error: "
	err_has "usage: vzmem"
	vzctl_calls 0
	unchanged
	end
done

begin "under --root without --vzctl no vzctl runs, not even --version"
host apply-ubc
VZCTL_VERSION_LOG=$OUT/version.log
export VZCTL_VERSION_LOG
: >"$VZCTL_VERSION_LOG"
"$VZMEM" --root "$ROOT" -a >"$OUT/stdout" 2>"$OUT/stderr" </dev/null
STATUS=$?
unset VZCTL_VERSION_LOG
status_is 1
err_has "vzmem: vzctl: error: not run: under --root only a vzctl that --vzctl names is run"
err_has "not applied live (no vzctl)"
vzctl_calls 0
[ ! -s "$OUT/version.log" ] || bad "vzctl --version ran"
same "$CONF/101.conf" expect/apply-ubc.101.conf
"$VZMEM" --root "$ROOT" -c >"$OUT/stdout" 2>"$OUT/stderr" </dev/null
out_has "OpenVZ 4 (--root without --vzctl: taken as 4)"
end

summary
