#!/bin/sh
# Concurrency: several vzmem -a (and -e) on one host at once.  The lock
# lets exactly one work at a time: the others exit 1 naming the holder's
# PID, or wait with --wait; no file is lost or torn.
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

# parallel ARGS: N runs of vzmem ARGS at once; statuses in $OUT/st.K.
parallel() {
	_k=0
	_pids=
	while [ "$_k" -lt "$N" ]; do
		"$VZMEM" --root "$ROOT" --vzctl vzctl "$@" >"$OUT/out.$_k" 2>"$OUT/err.$_k" \
		    </dev/null &
		echo $! >"$OUT/pid.$_k"
		_k=$((_k + 1))
	done
	_k=0
	while [ "$_k" -lt "$N" ]; do
		wait "$(cat "$OUT/pid.$_k")"
		echo $? >"$OUT/st.$_k"
		_k=$((_k + 1))
	done
}

begin "$N parallel -a: one works, the others exit 1 naming its PID"
host $FIX
VZCTL_SLEEP=0.1
export VZCTL_SLEEP
parallel -a
unset VZCTL_SLEEP
ok=0
busy=0
k=0
while [ "$k" -lt "$N" ]; do
	st=$(cat "$OUT/st.$k")
	if [ "$st" = 0 ]; then
		ok=$((ok + 1))
		winner=$(cat "$OUT/pid.$k")
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

begin "$N parallel -a --wait: all succeed one after the other"
host $FIX
VZCTL_SLEEP=0.05
export VZCTL_SLEEP
parallel -a --wait
unset VZCTL_SLEEP
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
VZCTL_SLEEP=0.1 "$VZMEM" --root "$ROOT" --vzctl vzctl -a >/dev/null 2>&1 </dev/null &
first=$!
sleep 0.1
vz -a --wait
wait "$first" || bad "first run failed"
status_is 0
vzctl_calls 20
same_as_ref
end

# A slow editor that moves one block from FREE to 101.
cat >"$OUT/editor" <<'EOS'
#!/bin/sh
sleep 1
sed -e 's/^101 \(ct101[^ ]*  *\)=/101 \1==/' -e 's/^FREE \( *\)=/FREE \1/' \
    "$1" >"$1.new" && mv "$1.new" "$1"
EOS
chmod +x "$OUT/editor"

begin "-e holds the lock while the editor runs: -a exits 1 naming it"
host $FIX
EDITOR=$OUT/editor VISUAL='' "$VZMEM" --root "$ROOT" --vzctl vzctl -e >"$OUT/e.out" \
    2>"$OUT/e.err" </dev/null &
editpid=$!
sleep 0.5
snap
vz -a
status_is 1
err_has "error: locked by process $editpid"
unchanged
wait "$editpid" || bad "-e failed: $(head -c 200 "$OUT/e.err")"
grep -q '^101 ct101[^ ]*  *=====+' "$MAP" || bad "the edit was not installed"
! find "$ROOT" -name '*vzmem-tmp*' | grep -q . || bad "temp file left"
end

begin "-e and -a --wait: the edit is installed, then applied"
host $FIX
EDITOR=$OUT/editor VISUAL='' "$VZMEM" --root "$ROOT" --vzctl vzctl -e >"$OUT/e.out" \
    2>"$OUT/e.err" </dev/null &
editpid=$!
sleep 0.5
vz -a --wait
wait "$editpid" || bad "-e failed: $(head -c 200 "$OUT/e.err")"
status_is 0
grep -q '^101 ct101[^ ]*  *=====+' "$MAP" || bad "the edit was not applied"
grep -q 'VMGUARPAGES="52428:unlimited"' "$CONF/101.conf" ||
    bad "101.conf does not have the edited guarantee: $(grep VMGUAR "$CONF/101.conf")"
end
