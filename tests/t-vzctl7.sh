#!/bin/sh
# The stand-in vzctl as vzctl 7 (tests/bin/vzctl7, tests/bin/ovz7-live) on
# the OpenVZ 7 fixtures: what vzmem's OpenVZ 7 tests will lean on.  The
# texts are vzctl 7.0.254's (doc/openvz7.md).
. "$(dirname "$0")/lib.sh"
unset VZCTL_SLOW VZCTL_UBC VZCTL_VERSION VZCTL_ROOT VZCTL7_VCMMD \
    VZCTL7_HELD VZCTL7_REFUSE

# vzc ARGS: run the stand-in; $STATUS, $OUT/stdout, $OUT/stderr.
vzc() {
	vzctl "$@" >"$OUT/stdout" 2>"$OUT/stderr" </dev/null
	STATUS=$?
}

UUID=26bc47f6-353f-444b-bc35-b634a88dbbcc

begin "--version: vzctl 4 by default, vzctl 7 when told, not logged"
vzc --version
status_is 0
out_has "vzctl version 4.11.1"
VZCTL_VERSION=7.0.254 vzc --version
out_has "vzctl v.7.0.254"
host ovz7-vswap
VZCTL_ROOT=$ROOT vzc --version
[ "$(cat "$OUT/stdout")" = "vzctl v.7.0.254" ] || bad "not vzctl 7's line"
vzctl_calls 0
end

host ovz7-mixed
VZCTL_ROOT=$ROOT
export VZCTL_ROOT

begin "no --force, no P suffix, no garbage: exit 21 with vzctl 7's words"
snap
vzc set 101 --physpages 0:262144 --force --save
status_is 21
err_has "101: unrecognized option '--force'"
vzc set 101 --physpages 0:100P --save
status_is 21
same_err "$TESTS/expect/vzctl7-psuffix.err"
vzc set 101 --memguarantee 50% --save
status_is 21
err_has "Bad parameter for --memguarantee: 50%"
vzc set web.front --physpages 0:1 --save
status_is 21
err_has "Invalid ctid is specified: web.front"
vzctl_calls 4
unchanged
end

begin "--oomguarpages: warned on stdout, dropped, not saved"
vzc set 201 --oomguarpages 1:unlimited --save
status_is 0
out_has "Warning: OOMGUARPAGES parameter is deprecated"
out_has "Saved parameters for Container 201"
same "$ROOT/vz/private/201/ve.conf" hosts/ovz7-mixed/vz/private/201/ve.conf
end

begin "a VSwap set: the conf saved at the link's target, the live rows"
vzc set 101 --physpages 0:262143 --swappages 0:136314 --memguarantee 100 --save
status_is 0
[ -L "$ROOT/etc/vz/conf/101.conf" ] || bad "101.conf no longer a symlink"
grep -qx 'PHYSPAGES="0:262143"' "$ROOT/vz/private/101/ve.conf" ||
    bad "PHYSPAGES not saved"
[ "$(tail -1 "$ROOT/vz/private/101/ve.conf")" = 'MEMGUARANTEE="100"' ] ||
    bad "MEMGUARANTEE not appended"
grep -q '^ *physpages  *39174  *52115  *262143  *262143 ' \
    "$ROOT/proc/bc/101/resources" || bad "resources physpages"
grep -q '^ *swappages  *12  *40  *136314  *136314 ' \
    "$ROOT/proc/bc/101/resources" || bad "resources swappages"
awk '$1 == "101:" { c = 1 } $1 ~ /:$/ && $1 != "101:" { c = 0 }
    c && / physpages / { print $4, $5 }' "$ROOT/proc/user_beancounters" |
    grep -qx '262143 262143' || bad "user_beancounters physpages"
grep -q swappages "$ROOT/proc/user_beancounters" &&
    bad "user_beancounters got a swappages row"
end

begin "MEMGUARANTEE drops MEMGUARANTEE_BYTES; OOMGUARPAGES and unlimited"
VZCTL7_VCMMD=1 vzc set $UUID --physpages 0:524287 --vmguarpages 786430:unlimited --memguarantee 100 --save
status_is 0
out_has "Configure memguarantee: 100%"
c=$ROOT/vz/private/$UUID/ve.conf
grep -q MEMGUARANTEE_BYTES "$c" && bad "MEMGUARANTEE_BYTES kept"
grep -qx 'VMGUARPAGES="786430:9223372036854775807"' "$c" ||
    bad "unlimited not written as LONG_MAX"
grep -qx 'OOMGUARPAGES="524288:9223372036854775807"' "$c" ||
    bad "OOMGUARPAGES line not kept"
grep -q '^ *oomguarpages .* 524287  *524287  *0$' "$ROOT/proc/bc/$UUID/resources" ||
    bad "oomguarpages is not the guarantee"
end

begin "a refused lowering: vzctl 7's messages, exit 255, saved anyway"
VZCTL7_HELD="201=100000" vzc set 201 --privvmpages 50000:60000 --save
status_is 255
same_err "$TESTS/expect/vzctl7-lowering.err"
out_has "Saved parameters for Container 201"
grep -qx 'PRIVVMPAGES="50000:60000"' "$ROOT/vz/private/201/ve.conf" ||
    bad "not saved"
same "$ROOT/proc/bc/201/resources" hosts/ovz7-mixed/proc/bc/201/resources
end

begin "with vcmmd a refused lowering is silent and the limit stays"
VZCTL7_REFUSE=1 VZCTL7_VCMMD=1 vzc set 101 --physpages 0:1000 --save
status_is 0
err_empty
grep -q '^ *physpages .* 262143  *262143 ' "$ROOT/proc/bc/101/resources" ||
    bad "limit moved"
end

begin "ovz7-live: held, and a container that stops"
ovz7-live "$ROOT" 201 physpages.held=200000
grep -q '^ *physpages  *200000  *200000 ' "$ROOT/proc/bc/201/resources" ||
    bad "held not set"
ovz7-live "$ROOT" 201 stop
[ -e "$ROOT/proc/bc/201" ] && bad "201 still running"
grep -q '^ *201:' "$ROOT/proc/user_beancounters" "$ROOT/proc/bc/resources" &&
    bad "201 still listed"
vzc set 201 --physpages 0:1 --save
status_is 0
end
unset VZCTL_ROOT
