#!/bin/sh
# vzmem -a: the map applied to the confs, vzctl and the map itself.
. "$(dirname "$0")/lib.sh"
unset VZCTL_SLOW VZCTL_UBC

# inodes NAME: the inode and mtime of every file in the conf dir, so that
# a file replaced by rename (new inode) or touched is noticed.  The lock
# file is left out: each run writes its PID into it.
inodes() {
	(cd "$CONF" && find . -type f ! -name MEM-MAP.lock -print0 | sort -z |
	    xargs -0 stat -c '%n %i %Y') >"$OUT/inodes.$1"
}

no_temps() {
	find "$ROOT" -name '*vzmem-tmp*' | grep -q . && bad "temp file left"
}

# apply_case FIXTURE CONFS...: -a on a fresh copy; each conf named is as
# tests/expect/FIXTURE.CONF, every other file as in the fixture.
apply_case() {
	_h=$1
	shift
	begin "-a on $_h: confs, map and dry run byte for byte"
	host "$_h"
	vz -a -n
	status_is 0
	same_out "expect/$_h.dry"
	vzctl_calls 0
	[ ! -e "$LOCK" ] || bad "-n made a lock file"
	vz -a
	status_is 0
	for _c in "$@"; do
		same "$CONF/$_c" "expect/$_h.$_c"
	done
	for _f in "$TESTS/hosts/$_h/etc/vz/conf/"*; do
		_b=$(basename "$_f")
		case " $* MEM-MAP " in *" $_b "*) continue ;; esac
		same "$CONF/$_b" "hosts/$_h/etc/vz/conf/$_b"
	done
	vzctl_calls $#
	[ ! -s "$LOCK" ] || bad "lock file still names a PID"
	no_temps
	end
}

apply_case apply-ubc 101.conf 102.conf 103.conf
same "$MAP" expect/apply-ubc.MEM-MAP
apply_case apply-vswap 201.conf 202.conf 203.conf
same "$MAP" expect/apply-vswap.MEM-MAP
apply_case apply-mixed 101.conf 201.conf \
    26bc47f6-353f-444b-bc35-b634a88dbbcc.conf
same "$MAP" expect/apply-mixed.MEM-MAP
apply_case apply-seed 10003.conf 10004.conf 20004.conf
same "$MAP" expect/init-seed.map

begin "the Perl README's map as printed: '=' total off, exit 2, nothing written"
host apply-seed
cp "$ROOT/README-MAP" "$MAP"
snap
vz -a
status_is 2
err_has "MEM-MAP:1:1: error: the rows have 72 '=' but N is 300: 228 too few"
unchanged
vzctl_calls 0
end

begin "vzctl runs from an argv, options in a fixed order (Perl: random)"
host apply-ubc
vz -a -j 1
status_is 0
cat >"$OUT/want.log" <<'EOF'
set 101 --vmguarpages 131072:unlimited --privvmpages 196608:216268 --oomguarpages 196608:unlimited --shmpages 131072:131072 --save
set 102 --vmguarpages 262144:2147483647 --privvmpages 262144:288358 --oomguarpages 262144:unlimited --shmpages 262144:262144 --save
set 103 --vmguarpages 65536:unlimited --privvmpages 98304:108134 --oomguarpages 98304:unlimited --shmpages 65536:65536 --save
EOF
same "$VZCTL_LOG" "$OUT/want.log"
cat >"$OUT/want.out" <<'EOF'
101: Saved parameters for CT 101
102: Saved parameters for CT 102
103: Saved parameters for CT 103
EOF
same_out "$OUT/want.out"
err_has "vzmem: 3 confs rewritten, 3 vzctl runs, 0 failed"
err_lacks "applying"
end

begin "bare VMGUARPAGES (Perl) becomes G:unlimited; ':unlimited' spellings kept"
host apply-ubc
vz -a
grep -qx 'VMGUARPAGES="131072:unlimited"' "$CONF/101.conf" || bad "101 VMGUARPAGES"
grep -qx 'VMGUARPAGES=262144:2147483647' "$CONF/102.conf" || bad "102 spelling lost"
grep -q '^[A-Z]*PAGES="[0-9]*"$' "$CONF"/10*.conf && bad "a bare value written"
end

begin "a CRLF conf: the appended OOMGUARPAGES ends in CRLF too"
host apply-ubc
sed -i 's/$/\r/' "$CONF/101.conf"
vz -a
status_is 0
grep -q "^OOMGUARPAGES=\"[0-9]*:unlimited\"$(printf '\r')\$" "$CONF/101.conf" ||
    bad "OOMGUARPAGES not appended with CRLF"
[ "$(grep -c "$(printf '\r')\$" "$CONF/101.conf")" = "$(wc -l <"$CONF/101.conf")" ] ||
    bad "a line without CR: $(od -c "$CONF/101.conf" | tail -3)"
end

begin "FREE.conf and foo.conf are containers without rows, not the FREE pool"
host apply-ubc
vz -a
status_is 0
err_has "FREE.conf: warning: container FREE has no row in MEM-MAP; left untouched"
err_has "foo.conf: warning: container foo has no row in MEM-MAP; left untouched"
same "$CONF/FREE.conf" hosts/apply-ubc/etc/vz/conf/FREE.conf
same "$CONF/foo.conf" hosts/apply-ubc/etc/vz/conf/foo.conf
grep -q ' FREE \| foo ' "$VZCTL_LOG" && bad "vzctl ran for FREE or foo"
end

begin "a second run changes nothing: no vzctl, no file replaced or touched"
host apply-ubc
VZCTL_UBC=$ROOT/proc/user_beancounters
export VZCTL_UBC
vz -a
status_is 0
vzctl_calls 3
: >"$VZCTL_LOG"
# Every file an old mtime: a rewrite or a touch now would change it
# (no sleep to make a second tick).
find "$CONF" -type f -exec touch -d @1000000000 {} +
snap
inodes before
vz -a
status_is 0
vzctl_calls 0
err_has "vzmem: all 3 containers up to date"
unchanged
inodes after
same "$OUT/inodes.after" "$OUT/inodes.before"
vz -a -n
out_has "all 3 containers up to date."
unset VZCTL_UBC
end

begin "dry run changes nothing, makes no lock file, runs no vzctl"
host apply-ubc
printf 'stale\n' >"$CONF/.101.conf.vzmem-tmp-AbCdEf"
snap
vz -a -n
status_is 0
same_out expect/apply-ubc.dry
unchanged
vzctl_calls 0
end

# bad_map NAME TEXT MESSAGE: every file identical, exit 2, no vzctl.
bad_map() {
	begin "bad map ($1): exit 2, every file identical, no lock, no vzctl"
	host apply-ubc
	# shellcheck disable=SC2059  # $2 is a format: it has \n in it
	printf "$2" >"$MAP"
	printf 'stale\n' >"$CONF/.101.conf.vzmem-tmp-AbCdEf"
	snap
	vz -a
	status_is 2
	err_has "$3"
	unchanged
	vzctl_calls 0
	[ ! -e "$LOCK" ] || bad "lock file made"
	end
}
bad_map "bad N" 'abc\n101 web ==\n' "MEM-MAP:1:1: error: bad number of blocks 'abc'"
bad_map "'=' after '+'" '64\n101 web ==+=\n' "MEM-MAP:2:12: error: '=' after '+'"
bad_map "duplicate CTID" '64\n101 a ====\n101 b ====\n' "MEM-MAP:3:1: error: CTID 101 twice (first on line 2)"
bad_map "CTID with /" '64\n../101 web ====\n' "MEM-MAP:2:1: error: bad CTID '../101'"
bad_map "CTID .." '64\n.. web ====\n' "MEM-MAP:2:1: error: bad CTID '..'"
bad_map "zero memory" '64\n101 web 0K\nFREE ================================================================\n' "MEM-MAP:2:8: error: container 101 would get no memory"
bad_map "'=' total off" '64\n101 web ====\nFREE ====\n' "error: the rows have 8 '=' but N is 64: 56 too few"

# A gone guest is no reason to stop managing the others (issue 20).
begin "row without conf: a warning naming the fix; the others applied"
host apply-ubc
printf '64\n101 web ====\n999 ghost ====\nFREE ========================================================\n' >"$MAP"
vz -a -j 1
status_is 0
err_has "vzmem: MEM-MAP:3:1: warning: container 999 has no conf (ROOT/etc/vz/conf/999.conf): its row is skipped; drop the row ('vzmem -e') or run 'vzmem -i'"
err_lacks "error"
grep -q '^set 101 ' "$VZCTL_LOG" || bad "101 not applied"
grep -q ' 999 ' "$VZCTL_LOG" && bad "vzctl ran for 999"
end

begin "a conf value vzmem cannot read: exit 2, nothing written"
host apply-ubc
printf "PRIVVMPAGES=1.5e3:2\n" >>"$CONF/102.conf"
snap
vz -a
status_is 2
err_has "102.conf:8: error: PRIVVMPAGES: invalid value \"1.5e3:2\": exponent"
unchanged
vzctl_calls 0
end

begin "a value vzctl skips: a warning, absent, and -a writes it anew"
host apply-ubc
printf "PRIVVMPAGES='1:2'\n" >>"$CONF/102.conf"
vz -a
status_is 0
err_has "102.conf:8: warning: PRIVVMPAGES: invalid value \"'1:2'\": bad number; vzctl skips it, and so does vzmem"
grep -qx 'PRIVVMPAGES=262144:288358' "$CONF/102.conf" || bad "PRIVVMPAGES not written anew: $(grep PRIVVMPAGES "$CONF/102.conf")"
grep -q "^set 102 .*--privvmpages 262144:288358" "$VZCTL_LOG" || bad "vzctl not run for 102"
snap
vz -a
status_is 0
err_lacks "PRIVVMPAGES"
unchanged
end

begin "values vzctl accepts: blanks in quotes, above LONG_MAX; a second run converges"
host apply-ubc
sed -i 's/^PRIVVMPAGES=.*/PRIVVMPAGES=" 262144:288358"/' "$CONF/102.conf"
sed -i 's/^VMGUARPAGES=.*/VMGUARPAGES="262144:18446744073709551615"/' "$CONF/102.conf"
vz -a -n
status_is 0
err_lacks "invalid"
err_has "102.conf:2: warning: VMGUARPAGES: \"262144:18446744073709551615\" is above LONG_MAX pages: vzctl truncates it to unlimited, and so does vzmem"
out_lacks "PRIVVMPAGES   \" 262144"
vz -a
status_is 0
grep -qx 'PRIVVMPAGES=" 262144:288358"' "$CONF/102.conf" || bad "PRIVVMPAGES rewritten: $(grep PRIVVMPAGES "$CONF/102.conf")"
grep -qx 'VMGUARPAGES="262144:unlimited"' "$CONF/102.conf" || bad "the truncated limit not spelled unlimited: $(grep VMGUARPAGES "$CONF/102.conf")"
end

begin "vzctl fails for 102: the others applied, exit 1, map not rewritten"
host apply-ubc
VZCTL_UBC=$ROOT/proc/user_beancounters
VZCTL_FAIL=102
export VZCTL_UBC VZCTL_FAIL
vz -a
status_is 1
vzctl_calls 3
out_has "102: Unable to set parameters for CT 102: stand-in failure"
err_has "vzmem: error: 102: vzctl failed (exit status 3)"
err_has "vzmem: error: not applied: 102"
err_has "1 failed"
same "$CONF/101.conf" expect/apply-ubc.101.conf
same "$CONF/102.conf" expect/apply-ubc.102.conf
same "$MAP" hosts/apply-ubc/etc/vz/conf/MEM-MAP
unset VZCTL_FAIL
end

begin "... and the re-run converges: exactly 102 retried, map rewritten"
: >"$VZCTL_LOG"
vz -a
status_is 0
vzctl_calls 1
grep -q '^set 102 ' "$VZCTL_LOG" || bad "102 not retried"
same "$MAP" expect/apply-ubc.MEM-MAP
: >"$VZCTL_LOG"
vz -a
vzctl_calls 0
unset VZCTL_UBC
end

begin "a live value is spelled as its conf spells unlimited: one spelling a line"
host apply-ubc
VZCTL_UBC=$ROOT/proc/user_beancounters
export VZCTL_UBC
vz -a
# 102's conf says VMGUARPAGES=262144:2147483647.
awk '$1 ~ /:$/ { c = $1 } c == "102:" && $1 == "vmguarpages" { $4 = 1 } { print }' \
    "$VZCTL_UBC" >"$OUT/ubc" && cat "$OUT/ubc" >"$VZCTL_UBC"
vz -a -n
status_is 0
out_has "  VMGUARPAGES   live 1:2147483647 -> 262144:2147483647"
out_lacks "unlimited -> 262144:2147483647"
unset VZCTL_UBC
end

begin "live values differ, conf unchanged: exactly one vzctl call"
host apply-ubc
VZCTL_UBC=$ROOT/proc/user_beancounters
export VZCTL_UBC
vz -a
awk '$1 ~ /:$/ { c = $1 } c == "101:" && $1 == "shmpages" { $4 = 1; $5 = 1 } { print }' \
    "$VZCTL_UBC" >"$OUT/ubc" && cat "$OUT/ubc" >"$VZCTL_UBC"
: >"$VZCTL_LOG"
inodes before
vz -a -n
cat >"$OUT/want.dry" <<'EOF'
101 web.example.com (UBC, running): live values differ
  SHMPAGES      live 1:1 -> 131072:131072
  vzctl set 101 --vmguarpages 131072:unlimited --privvmpages 196608:216268 --oomguarpages 196608:unlimited --shmpages 131072:131072 --save
102 db (UBC, running): up to date
103 backup (UBC, stopped): up to date
1 of 3 containers to change: 0 confs to rewrite, 1 vzctl run.
EOF
same_out "$OUT/want.dry"
vz -a
status_is 0
vzctl_calls 1
grep -q '^set 101 ' "$VZCTL_LOG" || bad "101 not set"
err_has "0 confs rewritten, 1 vzctl run, 0 failed"
inodes after
same "$OUT/inodes.after" "$OUT/inodes.before"
unset VZCTL_UBC
end

begin "OpenVZ 4: a symlinked conf is not written through: an error naming it, its target kept, the rest applied"
host apply-ubc
mkdir -p "$ROOT/vz/private"
mv "$CONF/101.conf" "$ROOT/vz/private/101.conf"
ln -s ../../../vz/private/101.conf "$CONF/101.conf"
cp "$ROOT/vz/private/101.conf" "$OUT/101.old"
vz -a
status_is 1
err_has "vzmem: 101.conf: error: cannot write: a symbolic link, which vzmem follows on OpenVZ 7 only (CTID.conf -> VE_PRIVATE/ve.conf)"
err_has "error: not applied: 101"
[ -L "$CONF/101.conf" ] || bad "the symlink was replaced"
same "$ROOT/vz/private/101.conf" "$OUT/101.old"
grep -q '^set 101 ' "$VZCTL_LOG" && bad "vzctl ran for 101"
grep -q '^set 102 ' "$VZCTL_LOG" || bad "vzctl did not run for 102"
no_temps
end

begin "a conf that cannot be written: no vzctl for it, listed, exit 1; the rest applied"
host apply-ubc
cp "$CONF/102.conf" "$OUT/102.old"
if chattr +i "$CONF/102.conf" 2>/dev/null; then
	vz -a
	chattr -i "$CONF/102.conf"
	status_is 1
	err_has "vzmem: 102.conf: error: cannot write: Operation not permitted"
	err_has "error: not applied: 102"
	grep -q '^set 102 ' "$VZCTL_LOG" && bad "vzctl ran for 102"
	grep -q '^set 101 ' "$VZCTL_LOG" || bad "vzctl did not run for 101"
	same "$CONF/102.conf" "$OUT/102.old"
	same "$CONF/101.conf" expect/apply-ubc.101.conf
	no_temps
else
	skip "chattr +i needs root on an ext4-like file system"
fi
end

begin "mode kept: a conf chmod 600 is still 600"
host apply-ubc
chmod 600 "$CONF/103.conf"
chmod 640 "$CONF/101.conf"
vz -a
status_is 0
[ "$(stat -c %a "$CONF/103.conf")" = 600 ] || bad "103.conf mode $(stat -c %a "$CONF/103.conf")"
[ "$(stat -c %a "$CONF/101.conf")" = 640 ] || bad "101.conf mode $(stat -c %a "$CONF/101.conf")"
same "$CONF/103.conf" expect/apply-ubc.103.conf
end

begin "no vzctl (--vzctl /nonexistent): confs written, running ones listed, exit 1"
host apply-ubc
vz -a --vzctl /nonexistent
status_is 1
err_has "vzmem: /nonexistent: error: cannot run: No such file or directory"
err_has "vzmem: error: not applied live (no vzctl): 101 102"
same "$CONF/101.conf" expect/apply-ubc.101.conf
same "$CONF/103.conf" expect/apply-ubc.103.conf
same "$MAP" hosts/apply-ubc/etc/vz/conf/MEM-MAP
vzctl_calls 0
end

begin "no vzctl on PATH, only stopped containers affected: exit 0"
host apply-seed
vz -a --vzctl no-such-vzctl-here
status_is 0
err_has "vzmem: no-such-vzctl-here: error: cannot run: No such file or directory"
err_has "every container it was needed for is stopped"
same "$CONF/10003.conf" expect/apply-seed.10003.conf
same "$MAP" expect/init-seed.map
end

begin "a stale temp file of a killed run is removed under the lock"
host apply-ubc
printf 'stale\n' >"$CONF/.101.conf.vzmem-tmp-AbCdEf"
vz -a
status_is 0
no_temps
err_has "removed 1 temporary file left by a killed run"
end

begin "lock busy: exit 1 naming the holder, nothing written"
host apply-ubc
mkdir -p "$(dirname "$LOCK")"
echo 4242 >"$LOCK"
flock "$LOCK" hold "$EVENTS" flock &
holder=$!
wait_event "start flock"
snap
vz -a
status_is 1
err_has "ROOT/run/vzmem/lock: error: locked by process 4242; try again later or use --wait"
unchanged
vzctl_calls 0
event release flock
wait "$holder" || bad "the lock holder failed"
end

begin "one lock per host: -a --map OTHER meets the lock of the default map"
host apply-ubc
cp "$MAP" "$OUT/other-map"
mkdir -p "$(dirname "$LOCK")"
echo 4243 >"$LOCK"
flock "$LOCK" hold "$EVENTS" flock &
holder=$!
wait_event "start flock"
snap
vz -a --map "$OUT/other-map"
status_is 1
err_has "ROOT/run/vzmem/lock: error: locked by process 4243"
unchanged
vzctl_calls 0
event release flock
wait "$holder" || bad "the lock holder failed"
end

begin "a second vzmem -a while one runs: exit 1 naming its PID"
host apply-ubc
VZCTL_UBC=$ROOT/proc/user_beancounters
export VZCTL_UBC
VZCTL_HOLD=101=release_101 "$VZMEM" --root "$ROOT" --vzctl vzctl -a -j 1 >/dev/null 2>&1 &
first=$!
wait_event "start 101"
vz -a
status_is 1
err_has "error: locked by process $first"
event release 101
wait "$first" || bad "the first run failed"
vzctl_calls 3
end

begin "--wait waits for the lock, then finds nothing left to do"
: >"$VZCTL_LOG"
cp "$TESTS/hosts/apply-ubc/etc/vz/conf/10"[123].conf "$CONF/"
cp "$TESTS/hosts/apply-ubc/proc/user_beancounters" "$VZCTL_UBC"
VZCTL_HOLD=101=release_101 "$VZMEM" --root "$ROOT" --vzctl vzctl -a -j 1 >/dev/null 2>&1 &
first=$!
wait_event "start 101"
vz_bg -a --wait
wait_text "$OUT/stderr.raw" "waiting for the lock held by process $first"
event release 101
vz_end
status_is 0
err_has "waiting for the lock held by process $first"
err_has "all 3 containers up to date"
wait "$first" || bad "the first run failed"
vzctl_calls 3
same "$CONF/102.conf" expect/apply-ubc.102.conf
unset VZCTL_UBC
end

# 101's vzctl waits for 102's end, 102's for 103's: one at a time they
# would wait for ever (60 s, then fail).
begin "-j 4: vzctl runs at once, output in CTID order all the same"
host apply-ubc
VZCTL_HOLD="101=end_102 102=end_103"
export VZCTL_HOLD
vz -a -j 4
status_is 0
unset VZCTL_HOLD
cat >"$OUT/want.out" <<'EOF'
101: Saved parameters for CT 101
102: Saved parameters for CT 102
103: Saved parameters for CT 103
EOF
same_out "$OUT/want.out"
# The log is in the order they finished: in parallel, the slow one last.
[ "$(cut -d' ' -f2 "$VZCTL_LOG" | tr '\n' ' ')" = "103 102 101 " ] || \
    bad "not run in parallel: $(cut -d' ' -f2 "$VZCTL_LOG" | tr '\n' ' ')"
end

# ms: a monotonic enough clock for the time limits below.
ms() { echo $(($(date +%s%N) / 1000000)); }

begin "--timeout 1: a vzctl that hangs fails its container in seconds, the others applied"
host apply-ubc
VZCTL_SLOW="102=30"
export VZCTL_SLOW
t0=$(ms)
vz -a -j 4 --timeout 1
took=$(($(ms) - t0))
unset VZCTL_SLOW
status_is 1
if [ "$took" -lt 900 ] || [ "$took" -ge 6000 ]; then
	bad "took $took ms"
fi
err_has "vzmem: error: 102: vzctl timed out after 1 s (terminated)"
err_has "vzmem: error: not applied: 102"
err_has "3 confs rewritten, 3 vzctl runs, 1 failed"
out_has "101: Saved parameters for CT 101"
out_has "103: Saved parameters for CT 103"
grep -q '^set 101 ' "$VZCTL_LOG" || bad "101 not applied"
grep -q '^set 103 ' "$VZCTL_LOG" || bad "103 not applied"
same "$CONF/101.conf" expect/apply-ubc.101.conf
same "$CONF/102.conf" expect/apply-ubc.102.conf
same "$CONF/103.conf" expect/apply-ubc.103.conf
same "$MAP" hosts/apply-ubc/etc/vz/conf/MEM-MAP
[ ! -s "$LOCK" ] || bad "lock file still names a PID"
end

begin "... the lock released: the next run starts at once and converges"
: >"$VZCTL_LOG"
t0=$(ms)
vz -a -j 4 --timeout 1
took=$(($(ms) - t0))
status_is 0
[ "$took" -lt 3000 ] || bad "took $took ms"
err_lacks "locked by process"
grep -q '^set 102 ' "$VZCTL_LOG" || bad "102 not retried"
same "$MAP" expect/apply-ubc.MEM-MAP
end

begin "--timeout 1: a vzctl that ignores SIGTERM is killed 5 s later"
host apply-ubc
VZCTL_SLOW="102=20"
VZCTL_IGNORE_TERM=1
export VZCTL_SLOW VZCTL_IGNORE_TERM
t0=$(ms)
vz -a -j 4 --timeout 1
took=$(($(ms) - t0))
unset VZCTL_SLOW VZCTL_IGNORE_TERM
status_is 1
if [ "$took" -lt 5900 ] || [ "$took" -ge 12000 ]; then
	bad "took $took ms"
fi
err_has "vzmem: error: 102: vzctl timed out after 1 s (killed, as SIGTERM did not end it)"
err_has "vzmem: error: not applied: 102"
grep -q '^set 101 ' "$VZCTL_LOG" || bad "101 not applied"
grep -q '^set 103 ' "$VZCTL_LOG" || bad "103 not applied"
[ ! -s "$LOCK" ] || bad "lock file still names a PID"
end

begin "--timeout 0: no limit; a bad --timeout is a usage error"
host apply-ubc
VZCTL_SLOW="102=1.5"
export VZCTL_SLOW
vz -a --timeout 0
unset VZCTL_SLOW
status_is 0
vzctl_calls 3
snap
vz -a --timeout 86401
status_is 2
err_has "vzmem: error: bad timeout '86401': a whole number from 0 to 86400"
unchanged
end

begin "-q: only errors; vzctl output of a failed run still shown"
host apply-ubc
VZCTL_FAIL=103
export VZCTL_FAIL
vz -a -q
status_is 1
unset VZCTL_FAIL
out_lacks "101: Saved"
out_has "103: Unable to set parameters for CT 103"
err_lacks "confs rewritten"
err_has "error: not applied: 103"
end

begin "-a with a missing map: exit 1, told to run -i"
host init-ubc
snap
vz -a
status_is 1
err_has "MEM-MAP: error: no such file (ROOT/etc/vz/conf/MEM-MAP); 'vzmem -i' builds it from the guests' settings"
unchanged
end

begin "terminal control bytes from a conf or the map reach no terminal: -a -n, the name warning"
host apply-ubc
# HOSTNAME with ESC ] (a title change), BEL and ESC [ 2J (clear screen);
# the map names 102 with a C1 CSI (0xc2 0x9b) and 103 with a raw 0x9b.
sed -i 's/^HOSTNAME=.*/HOSTNAME="evil\x1b]0;PWNED\x07\x1b[2J"/' "$CONF/101.conf"
sed -i 's/^102 db /102 d\xc2\x9bb /; s/^103 backup /103 b\x9back /' "$MAP"
snap
vz -a -n
status_is 0
for f in stdout stderr; do
	if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$OUT/$f.raw" ||
	    LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$OUT/$f.raw" ||
	    LC_ALL=C grep -q "$(printf '\233')" "$OUT/$f.raw"; then
		bad "a control byte on $f"
	fi
done
out_has "101 evil?]0;PWNED??[2J (UBC"
err_has "container 102 is named 'd?b' in the map but 'db' in 102.conf"
err_has "container 103 is named 'b\\x9back' in the map"
unchanged
end

begin "the temp sweep removes only vzmem's own names, never an editor's swap file"
host apply-ubc
printf 'stale\n' >"$CONF/.101.conf.vzmem-tmp-Xy12Zw"
printf 'the admin edit\n' >"$CONF/.MEM-MAP.vzmem-tmp-AbCdEf.swp"
printf 'not ours\n' >"$CONF/.MEM-MAP.vzmem-tmp-AbC"
vz -a
status_is 0
err_has "removed 1 temporary file left by a killed run"
[ ! -e "$CONF/.101.conf.vzmem-tmp-Xy12Zw" ] || bad "our temp file left"
[ -e "$CONF/.MEM-MAP.vzmem-tmp-AbCdEf.swp" ] || bad "the editor's swap file was removed"
[ -e "$CONF/.MEM-MAP.vzmem-tmp-AbC" ] || bad "a short name was removed"
end
