#!/bin/sh
# Concurrency: several vzmem -a (and -e) on one host at once.  The lock
# lets exactly one work at a time: the others exit 1 naming the holder's
# PID, or wait with --wait; no file is lost or torn.  The holder is held
# at a gate (its vzctl for 101, or the editor) until the others have
# done what the case shows: events, no timing (tests/lib.sh).
. "$(dirname "$0")/lib.sh"

FIX=robust-20
N=4

# The new bytes: one -a alone.
host $FIX ref
vz -a
REF=$ROOT

# same_as_ref: every conf and the map as one -a alone leaves them.
same_as_ref() {
	for i in $(seq 101 120); do
		cmp -s "$CONF/$i.conf" "$REF/etc/vz/conf/$i.conf" ||
		    bad "$i.conf differs from a lone run's"
	done
	cmp -s "$MAP" "$REF/etc/vz/conf/MEM-MAP" || bad "MEM-MAP differs"
	! find "$ROOT" -name '*vzmem-tmp*' | grep -q . || bad "temp file left"
}

# start_n ARGS: N runs of vzmem ARGS at once, PIDs in $OUT/pid.K.
start_n() {
	rm -f "$OUT"/st.*
	_k=0
	while [ "$_k" -lt "$N" ]; do
		"$VZMEM" --root "$ROOT" --vzctl vzctl "$@" >"$OUT/out.$_k" 2>"$OUT/err.$_k" \
		    </dev/null &
		echo $! >"$OUT/pid.$_k"
		_k=$((_k + 1))
	done
}

# wait_k K: wait for run K; its status in $OUT/st.K.
wait_k() {
	wait "$(cat "$OUT/pid.$1")"
	echo $? >"$OUT/st.$1"
}

# wait_n: wait for every run not waited for yet.
wait_n() {
	_k=0
	while [ "$_k" -lt "$N" ]; do
		[ -e "$OUT/st.$_k" ] || wait_k "$_k"
		_k=$((_k + 1))
	done
}

# holder: the PID of the vzmem whose vzctl for 101 started (the one
# that has the lock: it is held there until "release 101").
holder() {
	awk '$1 == "start" && $2 == 101 { print $4; exit }' "$EVENTS"
}

# Every run but the holder is done before it lets go: each found the
# lock held, whatever the load.
begin "$N parallel -a: one works, the others exit 1 naming its PID"
host $FIX
VZCTL_HOLD=101=release_101
export VZCTL_HOLD
start_n -a
if wait_event "start 101"; then
	winner=$(holder)
	for k in $(seq 0 $((N - 1))); do
		[ "$(cat "$OUT/pid.$k")" = "$winner" ] || wait_k "$k"
	done
fi
event release 101
wait_n
unset VZCTL_HOLD
ok=0
busy=0
k=0
while [ "$k" -lt "$N" ]; do
	st=$(cat "$OUT/st.$k")
	if [ "$st" = 0 ]; then
		ok=$((ok + 1))
		[ "$(cat "$OUT/pid.$k")" = "${winner:-}" ] ||
		    bad "run $k succeeded, not the one that held the lock"
	elif [ "$st" = 1 ] && grep -q "locked by process" "$OUT/err.$k"; then
		busy=$((busy + 1))
	else
		bad "run $k: exit status $st: $(head -c 200 "$OUT/err.$k")"
	fi
	k=$((k + 1))
done
[ "$ok" = 1 ] || bad "$ok runs succeeded, wanted 1"
[ "$busy" = $((N - 1)) ] || bad "$busy runs found the lock busy, wanted $((N - 1))"
k=0
while [ "$k" -lt "$N" ]; do
	if [ "$(cat "$OUT/st.$k")" = 1 ]; then
		grep -q "locked by process ${winner:-none}" "$OUT/err.$k" ||
		    bad "run $k does not name the holder ${winner:-?}: $(head -c 200 "$OUT/err.$k")"
	fi
	k=$((k + 1))
done
vzctl_calls 20
same_as_ref
end

# The holder lets go once every other run says it waits.
begin "$N parallel -a --wait: all succeed one after the other"
host $FIX
VZCTL_HOLD=101=release_101
export VZCTL_HOLD
start_n -a --wait
if wait_event "start 101"; then
	winner=$(holder)
	for k in $(seq 0 $((N - 1))); do
		[ "$(cat "$OUT/pid.$k")" = "$winner" ] ||
		    wait_text "$OUT/err.$k" "waiting for the lock held by process $winner"
	done
fi
event release 101
wait_n
unset VZCTL_HOLD
k=0
while [ "$k" -lt "$N" ]; do
	st=$(cat "$OUT/st.$k")
	[ "$st" = 0 ] || bad "run $k: exit status $st: $(head -c 200 "$OUT/err.$k")"
	k=$((k + 1))
done
# The first does the work, the others find nothing left to do.
vzctl_calls 20
same_as_ref
end

begin "-a --wait while another -a holds the lock: waits, then converges"
host $FIX
VZCTL_HOLD=101=release_101 "$VZMEM" --root "$ROOT" --vzctl vzctl -a >/dev/null 2>&1 \
    </dev/null &
first=$!
wait_event "start 101"
vz_bg -a --wait
wait_text "$OUT/stderr.raw" "waiting for the lock held by process $first"
event release 101
vz_end
wait "$first" || bad "first run failed"
status_is 0
vzctl_calls 20
same_as_ref
end

# An editor that holds -e until the case lets it go ("release editor"),
# then moves one block from FREE to 101.
cat >"$OUT/editor" <<EOS
#!/bin/sh
"$TESTS/bin/hold" "$EVENTS" editor || exit 1
EOS
cat >>"$OUT/editor" <<'EOS'
sed -e 's/^101 \(ct101[^ ]*  *\)=/101 \1==/' -e 's/^FREE \( *\)=/FREE \1/' \
    "$1" >"$1.new" && mv "$1.new" "$1"
EOS
chmod +x "$OUT/editor"

begin "-e holds the lock while the editor runs: -a exits 1 naming it"
host $FIX
EDITOR=$OUT/editor VISUAL='' "$VZMEM" --root "$ROOT" --vzctl vzctl -e >"$OUT/e.out" \
    2>"$OUT/e.err" </dev/null &
editpid=$!
wait_event "start editor"
snap
vz -a
status_is 1
err_has "error: locked by process $editpid"
unchanged
event release editor
wait "$editpid" || bad "-e failed: $(head -c 200 "$OUT/e.err")"
grep -q '^101 ct101[^ ]*  *=====+' "$MAP" || bad "the edit was not installed"
! find "$ROOT" -name '*vzmem-tmp*' | grep -q . || bad "temp file left"
end

begin "-e and -a --wait: the edit is installed, then applied"
host $FIX
EDITOR=$OUT/editor VISUAL='' "$VZMEM" --root "$ROOT" --vzctl vzctl -e >"$OUT/e.out" \
    2>"$OUT/e.err" </dev/null &
editpid=$!
wait_event "start editor"
vz_bg -a --wait
wait_text "$OUT/stderr.raw" "waiting for the lock held by process $editpid"
event release editor
wait "$editpid" || bad "-e failed: $(head -c 200 "$OUT/e.err")"
vz_end
status_is 0
grep -q '^101 ct101[^ ]*  *=====+' "$MAP" || bad "the edit was not applied"
grep -q 'VMGUARPAGES="52428:unlimited"' "$CONF/101.conf" ||
    bad "101.conf does not have the edited guarantee: $(grep VMGUAR "$CONF/101.conf")"
end
