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

summary
