#!/bin/sh
# Crash consistency: vzmem -a killed with SIGKILL at many moments (while
# each of the 20 vzctl runs of tests/hosts/robust-20 is held at its
# start, and at random moments of a fast run, in its conf and map
# writes).  After each kill every conf and the
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

# kill_at POINT: start -a, SIGKILL it at POINT, check, converge, check
# again.  POINT is
#	CTID	while that container's vzctl is held at its start (its conf
#		and those before it written; -j 2: the next one's maybe too)
#	+CTID	at once when that vzctl started, not held: vzmem is on to
#		the next confs, maybe in the middle of a write
#	end	at once when 120's vzctl ended: the map's write comes
#	now	at once
# Every point is an event, not a delay; where after it the kill lands
# is chance, and the checks hold wherever it lands.
npoints=0
states=
kill_at() {
	case $1 in
	now) begin "kill -9 at once: files old or new, next -a converges" ;;
	end) begin "kill -9 as vzctl 120 ends: files old or new, next -a converges" ;;
	+*) begin "kill -9 as vzctl ${1#+} starts: files old or new, next -a converges" ;;
	*) begin "kill -9 while vzctl $1 runs: files old or new, next -a converges" ;;
	esac
	host $FIX "k$npoints"
	_ev=$OUT/events.k$npoints
	: >"$_ev"
	npoints=$((npoints + 1))
	case $1 in
	now | end | +*) _hold= ;;
	*) _hold=$1=release_$1 ;;
	esac
	VZCTL_HOLD=$_hold VZCTL_EVENTS=$_ev VZCTL_LOG=$OUT/junk.log \
	    "$VZMEM" --root "$ROOT" --vzctl vzctl -a -j 2 >/dev/null 2>&1 </dev/null &
	_pid=$!
	case $1 in
	now) ;;
	end) await "$_ev" "end 120" || bad "vzctl 120 did not end" ;;
	+*) await "$_ev" "start ${1#+}" || bad "vzctl ${1#+} did not start" ;;
	*) await "$_ev" "start $1" || bad "vzctl $1 did not start" ;;
	esac
	kill -9 "$_pid" 2>/dev/null
	wait "$_pid" 2>/dev/null
	if [ -n "$_hold" ]; then
		# The held vzctl, now an orphan, goes on and ends (of
		# SIGPIPE, its output's reader gone).
		_vp=$(awk -v c="$1" '$1 == "start" && $2 == c { print $3 }' \
		    "$_ev")
		echo "release $1" >>"$_ev"
		await -p "$_vp" || bad "vzctl $1 did not end"
	fi
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

# vzmem -a writes each conf just before its vzctl starts, two at a
# time: a kill while each container's vzctl runs, at every one of the
# twenty whatever the load; then kills that land in the writes.
for p in now $IDS +101 +104 +108 +112 +116 +119 end; do
	kill_at "$p"
done

distinct=$(echo "$states" | tr ' ' '\n' | grep . | sort -u | wc -l |
    tr -d ' ')
echo "# t-crash: $npoints kill points, $distinct distinct states" \
    "(new confs/map new/temp files):$states"
