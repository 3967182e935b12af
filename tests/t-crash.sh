#!/bin/sh
# Crash consistency: vzmem -a killed with SIGKILL at many moments (while
# it writes the 20 confs of tests/hosts/robust-20 and its slow vzctl
# runs, while it rewrites the map).  After each kill every conf and the
# map is either its old or its new bytes, and the next -a converges: it
# leaves no temp file, and a run after it changes nothing.
. "$(dirname "$0")/lib.sh"

FIX=robust-20
IDS=$(seq 101 120)

# The new bytes: one -a that nobody interrupts.
begin "reference: -a on robust-20 rewrites 20 confs and the map"
host $FIX ref
vz -a
status_is 0
vzctl_calls 20
REF=$ROOT
end

# check_files: every conf and the map old or new; counts the new ones.
check_files() {
	NEW=0
	for i in $IDS; do
		_f=$CONF/$i.conf
		if cmp -s "$_f" "$REF/etc/vz/conf/$i.conf"; then
			NEW=$((NEW + 1))
		elif ! cmp -s "$_f" "$TESTS/hosts/$FIX/etc/vz/conf/$i.conf"; then
			bad "$i.conf is neither old nor new"
		fi
	done
	if cmp -s "$MAP" "$REF/etc/vz/conf/MEM-MAP"; then
		MAPNEW=1
	elif cmp -s "$MAP" "$TESTS/hosts/$FIX/etc/vz/conf/MEM-MAP"; then
		MAPNEW=0
	else
		bad "MEM-MAP is neither old nor new"
		MAPNEW=x
	fi
}

# kill_at DELAY SLEEP: start -a (vzctl sleeping SLEEP seconds), SIGKILL
# it after DELAY seconds, check, converge, check again.
npoints=0
states=
kill_at() {
	begin "kill -9 after ${1}s (vzctl ${2}s): files old or new, next -a converges"
	host $FIX "k$npoints"
	npoints=$((npoints + 1))
	VZCTL_SLEEP=$2 VZCTL_LOG=$OUT/junk.log \
	    "$VZMEM" --root "$ROOT" --vzctl vzctl -a -j 2 >/dev/null 2>&1 </dev/null &
	_pid=$!
	sleep "$1"
	kill -9 "$_pid" 2>/dev/null
	wait "$_pid" 2>/dev/null
	check_files
	_tmp=$(find "$ROOT" -name '*vzmem-tmp*' | wc -l | tr -d ' ')
	states="$states $NEW/$MAPNEW/$_tmp"
	vz -a
	status_is 0
	check_files
	[ "$NEW" = 20 ] || bad "after the next -a only $NEW confs are new"
	[ "$MAPNEW" = 1 ] || bad "after the next -a the map is not new"
	! find "$ROOT" -name '*vzmem-tmp*' | grep -q . || bad "temp file left"
	snap
	: >"$VZCTL_LOG"
	vz -a
	status_is 0
	vzctl_calls 0
	unchanged
	end
}

# vzmem -a writes each conf just before its vzctl starts (two at a time,
# 0.05 s each here): kills at the start, then every 25 ms through the
# twenty confs and vzctl runs, and at the map write at the end.
for d in 0 0.002 0.005 0.010 0.020 0.030 0.040 0.055 0.075 0.100 \
    0.125 0.150 0.175 0.200 0.225 0.250 0.275 0.300 0.325 0.350 0.375 \
    0.400 0.425 0.450 0.475 0.500 0.520 0.540 0.560 0.580 0.600 0.650 \
    0.700; do
	kill_at "$d" 0.05
done
# A fast vzctl: the whole run is a few ms, kills land anywhere in it,
# in the middle of a conf write too (temp files left for the sweep).
for d in 0 0.001 0.002 0.003 0.004 0.005 0.006 0.007 0.008 0.010 \
    0.012 0.015 0.020 0.030 0.040 0.060; do
	kill_at "$d" 0
done

distinct=$(echo "$states" | tr ' ' '\n' | grep . | sort -u | wc -l |
    tr -d ' ')
echo "# t-crash: $npoints kill points, $distinct distinct states" \
    "(new confs/map new/temp files):$states"
