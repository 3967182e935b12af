#!/bin/sh
# OpenVZ 7 hosts (SPEC 6.1): the version from vzctl --version, what a
# VSwap and a legacy row write there, live values from /proc/bc, a
# converged host runs no vzctl, lowering below use said before -a tries.
# The stand-in vzctl is vzctl 7 on these fixtures (ROOT/.vzctl-version),
# and with VZCTL_ROOT it saves the confs and moves the live rows as vzctl
# 7 and its kernel would (tests/bin/vzctl7, tests/bin/ovz7-live).
. "$(dirname "$0")/lib.sh"
unset VZCTL_SLOW VZCTL_UBC VZCTL_VERSION VZCTL7_VCMMD VZCTL7_HELD \
    VZCTL7_REFUSE

UUID=26bc47f6-353f-444b-bc35-b634a88dbbcc

# ovz7 FIXTURE: a fresh copy, vzctl 7 on it.
ovz7() {
	host "$1"
	VZCTL_ROOT=$ROOT
	export VZCTL_ROOT
}

# logged WORD: some vzctl call had it; never_logged WORD: none had.
logged() {
	grep -qF -- "$1" "$VZCTL_LOG" || bad "no vzctl call with '$1'"
}
never_logged() {
	! grep -qF -- "$1" "$VZCTL_LOG" || bad "a vzctl call with '$1': $(grep -F -- "$1" "$VZCTL_LOG" | head -1)"
}

begin "-c names OpenVZ 7 and its vzctl, in JSON too; OOMGUARPAGES noted as ignored"
ovz7 ovz7-vswap
vz -i 64
status_is 0
vz -c
out_has "OpenVZ 7 (vzctl v.7.0.254), 3 containers"
err_has "$UUID.conf:"
err_has "warning: OOMGUARPAGES is ignored on OpenVZ 7"
err_lacks "SWAPPAGES barrier"
vz -c --json
if have_python; then
	json_true 'd["host"]["openvz"]["version"] == 7'
	json_true 'd["host"]["openvz"]["vzctl"] == "vzctl v.7.0.254"'
fi
vz -s
status_is 0
out_has "OpenVZ 7 (vzctl v.7.0.254), 3 containers"
end

begin "--openvz 4 overrides the detection: OOMGUARPAGES is written again"
vz -a -n --openvz 4
status_is 0
out_has "--oomguarpages"
out_lacks "--memguarantee"
vz -a -n --openvz 5
status_is 2
err_has "bad OpenVZ version '5': 4 or 7"
end

begin "-a: PHYSPAGES 0:G, SWAPPAGES 0:X, MEMGUARANTEE 100; no deprecated option, no --force"
ovz7 ovz7-vswap
vz -i 64
vz -a -n
status_is 0
out_has "--memguarantee 100"
out_lacks "--oomguarpages"
vz -a
status_is 0
logged "--memguarantee 100"
never_logged "--oomguarpages"
never_logged "--force"
never_logged "P "
for c in 101 102 $UUID; do
	[ -L "$CONF/$c.conf" ] || bad "$c.conf is no symlink any more"
	grep -q '^MEMGUARANTEE="100"$' "$ROOT/vz/private/$c/ve.conf" ||
	    bad "$c: no MEMGUARANTEE=\"100\""
	grep -q '^PHYSPAGES="0:' "$ROOT/vz/private/$c/ve.conf" ||
	    bad "$c: PHYSPAGES barrier is not 0"
done
# A left-over OOMGUARPAGES line stays as it was (vzctl 7 ignores it).
grep -q '^OOMGUARPAGES=' "$ROOT/vz/private/$UUID/ve.conf" ||
    bad "the UUID container's OOMGUARPAGES line is gone"
end

begin "a second -a on the converged OpenVZ 7 host runs no vzctl"
: >"$VZCTL_LOG"
vz -a
status_is 0
vzctl_calls 0
err_has "all 3 containers up to date"
end

begin "an edit, -a, then converged again"
sed -i 's/^\(101 [^=]*\)=/\1/' "$MAP"
sed -i 's/^\(FREE *\)=/\1==/' "$MAP"
: >"$VZCTL_LOG"
vz -a
status_is 0
vzctl_calls 1
logged "set 101"
: >"$VZCTL_LOG"
vz -a
status_is 0
vzctl_calls 0
end

begin "a legacy row on OpenVZ 7: SPEC 4 minus OOMGUARPAGES"
ovz7 ovz7-mixed
vz -i 64
status_is 0
vz -a -n
status_is 0
out_has "201 "
grep '^  vzctl set 201 ' "$OUT/stdout" >"$OUT/set201"
grep -q -- "--privvmpages" "$OUT/set201" || bad "201: no --privvmpages"
grep -q -- "--vmguarpages" "$OUT/set201" || bad "201: no --vmguarpages"
! grep -q -- "--oomguarpages" "$OUT/set201" || bad "201: --oomguarpages"
vz -a
status_is 0
never_logged "--oomguarpages"
: >"$VZCTL_LOG"
vz -a
status_is 0
vzctl_calls 0
end

begin "lowering a RAM limit below use: the dry run and -c say so; -a fails that container, applies the others"
ovz7 ovz7-vswap
vz -i 64
# 101 holds 39174 pages (153 MB); two blocks of 128 MB are 65536 pages.
sed -i 's/^\(101 *[^ ]* *\)=*\(+*\)/\1=\2/' "$MAP"
sed -i 's/^\(FREE *\)/\1=======/' "$MAP"
grep -q '^101 [^ ]* *=+' "$MAP" || bad "the map was not edited: $(grep '^101' "$MAP")"
vz -a -n
status_is 0
err_has "container 101: its new RAM limit"
err_has "vzctl 7 will refuse to lower it"
vz -c
err_has "container 101: its new RAM limit"
VZCTL7_REFUSE=1 vz -a
status_is 1
err_has "not applied: 101"
# vzctl's own words, as its output: "101: " before each line.
out_has "101: Lowering the current memory limit (memory.limit_in_bytes) is prohibited."
logged "set 102"
logged "set $UUID"
end

begin "on OpenVZ 7 the containers that shrink run first (vcmmd checks the sum of guarantees)"
ovz7 ovz7-vswap
vz -i 64
vz -a
: >"$VZCTL_LOG"
# Two '=' from the UUID container (a later row) to 101.
sed -i "s/^\($UUID *[^ ]* *\)==/\1/" "$MAP"
sed -i 's/^\(101 *[^ ]* *\)=/\1===/' "$MAP"
vz -a -j 1
status_is 0
vzctl_calls 2
head -1 "$VZCTL_LOG" | grep -q "set $UUID" ||
    bad "the shrinking container did not go first: $(head -1 "$VZCTL_LOG")"
end

# first WORD CTIDS: the number of the first line of $EVENTS
# whose first word is WORD and second one of the CTIDs (0: none); last:
# of the last one.
first() {
	awk -v w="$1" -v ids=" $2 " '$1 == w && index(ids, " " $2 " ") {
	    print NR; f = 1; exit } END { if (!f) print 0 }' "$EVENTS"
}
last() {
	awk -v w="$1" -v ids=" $2 " '$1 == w && index(ids, " " $2 " ") {
	    n = NR } END { print n + 0 }' "$EVENTS"
}

begin "-j 4 on OpenVZ 7: every shrink ends before any grow starts"
ovz7 ovz7-vswap
vz -i 64
vz -a
# 101 grows by three blocks: two from the UUID container, one from 102.
sed -i "s/^\($UUID *[^ ]* *\)==/\1/" "$MAP"
sed -i 's/^\(102 *[^ ]* *\)=/\1/' "$MAP"
sed -i 's/^\(101 *[^ ]* *\)=/\1====/' "$MAP"
: >"$VZCTL_LOG"
: >"$EVENTS"
# The UUID container's shrink is held until vzmem has started all it
# starts before waiting; without the barrier 101's grow would be among
# them, its start logged before the shrink's end.
VZCTL_HOLD="$UUID=release_$UUID"
export VZCTL_HOLD
vz_bg -a -j 4
wait_event "start $UUID" && settled "$VZPID"
event "release $UUID"
vz_end
unset VZCTL_HOLD
status_is 0
vzctl_calls 3
shrunk=$(last end "102 $UUID")
grown=$(first start 101)
if [ "$(first end 102)" = 0 ] || [ "$(first end "$UUID")" = 0 ] ||
    [ "$grown" = 0 ]; then
	bad "not all three ran: $(tr '\n' ';' <"$EVENTS")"
fi
[ "$shrunk" -lt "$grown" ] ||
    bad "a grow started before a shrink ended: $(tr '\n' ';' <"$EVENTS")"
end
