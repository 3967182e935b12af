#!/bin/sh
# What vzmem shows of bytes it did not write (issue 18, points 9, 10, 12
# and 13): a child's output screened, bidi controls, -s columns by
# code point, a saturated failcnt, a 20-digit N, and -e rounds that
# start afresh.  The bytes of output are compared with od -c or cmp.
# shellcheck disable=SC2016
. "$(dirname "$0")/lib.sh"

# same_bytes FILE WANT: FILE holds exactly WANT's bytes (cmp; od -c of
# both on a difference).
same_bytes() {
	if ! cmp -s "$1" "$2"; then
		bad "$(basename "$1") differs: $(od -c "$1" | head -5)"
		echo "  wanted: $(od -c "$2" | head -5)"
	fi
}

# A vzctl whose "set" prints a screen clear, a NUL then text, a
# right-to-left override, a lone 0xff and a C1 CSI.
cat >"$OUT/vzctl" <<'EOS'
#!/bin/sh
if [ "${1:-}" = --version ]; then
	echo "vzctl version 4.11.1"
	exit 0
fi
printf 'CT %s \033[2Jcleared\000after NUL\n' "$2"
printf 'bidi \342\200\256evil\342\201\246x\342\201\251 \377 \302\233[0m ok\n'
exit 0
EOS
chmod +x "$OUT/vzctl"

begin "vzctl's output is screened: ESC, NUL, bidi, 0xff, C1 (bytes)"
host apply-ubc
vz -a -j 1 --vzctl "$OUT/vzctl"
status_is 0
for ct in 101 102 103; do
	printf '%s: CT %s ?[2Jcleared?after NUL\n' "$ct" "$ct"
	printf '%s: bidi ?evil?x? \\xff ?[0m ok\n' "$ct"
done >"$OUT/want.out"
same_bytes "$OUT/stdout.raw" "$OUT/want.out"
end

begin "-e: a failed round, then one without the cg: row: no stale guest"
host cg-mixed
vz -i
vz -a
status_is 0
# A cg: row, its '=' from FREE: the map the edit starts from.
sed -i -e 's/^\(FREE *\)=/\1/' \
    -e '/^FREE/i cg:system.slice/nginx.service nginx =' "$MAP"
# Round 1: one '=' too many (an error; a row without a guest is only a
# warning since issue 20); round 2: the cg: row gone, its '=' back to
# FREE.
sed -e 's/^\(cg:.*=\)$/\1=/' "$MAP" >"$OUT/map1"
sed -e '/^cg:/d' -e 's/^\(FREE *\)/\1=/' "$MAP" >"$OUT/map2"
cat >"$OUT/rounds.sh" <<EOS
#!/bin/sh
for f; do :; done
if [ -e "$OUT/round1" ]; then cp "$OUT/map2" "\$f"; exit 0; fi
: >"$OUT/round1"
cp "$OUT/map1" "\$f"
EOS
chmod +x "$OUT/rounds.sh"
rm -f "$OUT/round1"
EDITOR=$OUT/rounds.sh; export EDITOR
vzin 'e
' -e
unset EDITOR
status_is 0
err_has "1 too many"
err_lacks "has no row in"
err_has "MEM-MAP installed"
same_bytes "$MAP" "$OUT/map2"
end

begin "a 20-digit N: out of range, not 'a whole number'"
host apply-ubc
sed -i '1s/.*/12345678901234567890/' "$MAP"
vz -c
status_is 2
err_has "vzmem: MEM-MAP:1:1: error: number of blocks '12345678901234567890' out of range: too many for any host (a block is at least one page)"
err_lacks "whole number"
end

begin "-s: names of multi-byte characters padded by code point (bytes)"
host status-utf8
vz -s
status_is 0
head -4 "$OUT/stdout.raw" >"$OUT/table"
{
	echo 'CTID NAME          SHARE    RAM  +SWAP   HELD   PEAK R+SWAP  ALLOC  FAIL BAR'
	printf '101  caf\303\251          =4+2  256.0M 128.0M 116.6M 184.0M 116.6M 161.3M    5! ====++\n'
	printf '102  \346\227\245\346\234\254            =3+1  192.0M  64.0M  70.3M 156.3M  72.3M  78.1M     0 ===+\n'
	echo '103  stopped.exam~ =2+0  128.0M   0.0K stopped                           =='
} >"$OUT/want.table"
same_bytes "$OUT/table" "$OUT/want.table"
end

begin "a saturated failcnt: 'max!' and '>= 2^64-1', JSON the number, not 0 and null"
host status-clean
# 101's kmemsize failcnt at 2^64-1, privvmpages 2 more: the sum saturates.
awk 'NR == 3 { $NF = "18446744073709551615" } { print }' \
    "$ROOT/proc/user_beancounters" >"$OUT/ubc"
cat "$OUT/ubc" >"$ROOT/proc/user_beancounters"
vz -s
status_is 0
grep -q '^101 .*  max! ====++$' "$OUT/stdout" || bad "row: $(grep '^101' "$OUT/stdout")"
out_has "! 101: failcnt >= 18446744073709551615: a limit refused it"
vz -s --json
status_is 0
grep -q '"failcnt": 18446744073709551615$' "$OUT/stdout" || bad "JSON: $(grep failcnt "$OUT/stdout")"
end

begin "--json: 0xff and a real U+00FF stay apart; surrogateescape gives the bytes back"
host status-clean
sed -i 's/^HOSTNAME=.*/HOSTNAME="a\xffb"/' "$CONF/101.conf"
sed -i 's/^HOSTNAME=.*/HOSTNAME="a\xc3\xbfb\xe2\x80\xaec"/' "$CONF/102.conf"
vz -s --json
status_is 0
grep -qF '"hostname": "a\udcffb"' "$OUT/stdout.raw" || bad "101: $(grep -a hostname "$OUT/stdout.raw" | head -1)"
printf '      "hostname": "a\303\277b\\u202ec",\n' >"$OUT/want.h"
grep -a '"hostname": "a.*c"' "$OUT/stdout.raw" >"$OUT/got.h"
same_bytes "$OUT/got.h" "$OUT/want.h"
if have_python; then
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
b = [r["hostname"].encode("utf-8", "surrogateescape") for r in d["rows"][:2]]
sys.exit(b != [b"a\xffb", b"a\xc3\xbfb\xe2\x80\xaec"])' "$OUT/stdout.raw" ||
	    bad "the bytes do not round-trip"
else
	skip "no python3 for the round trip"
fi
end

summary
