#!/bin/sh
# The bad-input corpus (tests/bad/cases, tests/bad/*.in, and inputs made
# here that are too big or too odd to commit): every case gives the
# expected exit status and a message naming the file (and line), and
# leaves every file byte for byte as it was.
. "$(dirname "$0")/lib.sh"

# place KIND FILE: put FILE where KIND says in $ROOT.
place() {
	case $1 in
	M|A)	cp "$2" "$MAP" ;;
	C|W)	cp "$2" "$CONF/101.conf" ;;
	D|X)	cp "$2" "$CONF/102.conf" ;;
	I)	cp "$2" "$ROOT/proc/meminfo" ;;
	U)	cp "$2" "$ROOT/proc/user_beancounters" ;;
	esac
}

# fails NAME KIND INPUT STATUS MESSAGE ARGS: one run that must fail
# (or, for status 0, only warn) and change nothing.
fails() {
	begin "$1: vzmem $6 exits $4, says '$5'"
	host bad-base
	place "$2" "$3"
	snap
	# shellcheck disable=SC2086  # ARGS are words
	vz $6
	status_is "$4"
	err_has "vzmem: $5"
	unchanged
	[ "$4" = 0 ] || vzctl_calls 0
	end
}

# also ARGS: fails ARGS, the case through one more vehicle; not with
# BAD_VEHICLES=one (the asan and valgrind passes of tests/check.sh:
# the input's parse, and its error path, are the first vehicle's too).
also() {
	[ "${BAD_VEHICLES:-all}" = one ] || fails "$@"
}

# bad NAME KIND STATUS MESSAGE [INPUT]: the case through every vehicle.
bad_case() {
	_in=${5:-$TESTS/bad/$1.in}
	case $2 in
	M)
		fails "$1" M "$_in" "$3" "$4" "-a -n"
		also "$1" M "$_in" "$3" "$4" "-a"
		;;
	A|U)
		fails "$1" "$2" "$_in" "$3" "$4" "-a -n"
		[ "$3" = 0 ] || also "$1" "$2" "$_in" "$3" "$4" "-a"
		;;
	C|D|I)
		# -i reads every conf value and meminfo before writing.
		fails "$1" "$2" "$_in" "$3" "$4" "-i"
		also "$1" "$2" "$_in" "$3" "$4" "-a -n"
		also "$1" "$2" "$_in" "$3" "$4" "-a"
		;;
	W|X)
		# A warning: every reader says it, and none stops.
		fails "$1" "$2" "$_in" "$3" "$4" "-i -n"
		also "$1" "$2" "$_in" "$3" "$4" "-a -n"
		;;
	esac
}

tab=$(printf '\t')
while IFS=$tab read -r name kind st msg; do
	case $name in ''|'#'*) continue ;; esac
	bad_case "$name" "$kind" "$st" "$msg"
done <"$TESTS/bad/cases"

# Inputs made here.
gen=$OUT/gen
mkdir -p "$gen"
base=$TESTS/hosts/bad-base/etc/vz/conf/MEM-MAP

# A NUL byte inside a row.
printf '64\n101 web.example.com ========++++\n102 db\000.example.com ================++++++++\nFREE ========================================\n' \
    >"$gen/map-nul"
bad_case map-nul M 2 "MEM-MAP:3:7: error: NUL byte" "$gen/map-nul"

# A row with a 1 MB name and a bad bar, and a 1 MB bar.
{
	printf '64\n101 web.example.com ========++++\n'
	awk 'BEGIN { s = "x"; while (length(s) < 1048576) s = s s
	    print "103 " s " ==x" }'
	printf '102 db.example.com ================++++++++\nFREE ========================================\n'
} >"$gen/map-long-line"
bad_case map-long-line M 2 "MEM-MAP:3:1048584: error: 'x' in the bar" \
    "$gen/map-long-line"
{
	printf '64\n101 web.example.com ========++++\n102 db.example.com ================++++++++\nFREE '
	awk 'BEGIN { s = "="; while (length(s) < 1048576) s = s s; print s }'
} >"$gen/map-long-bar"
bad_case map-long-bar A 2 "MEM-MAP:1:1: error: the rows have 1048600 '=' but N is 64: 1048536 too many" \
    "$gen/map-long-bar"

# 10^6 rows: pools of one block each, N = 64.
{
	printf '64\n101 web.example.com ========++++\n102 db.example.com ================++++++++\n'
	awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "P%d =\n", i }'
} >"$gen/map-million"
bad_case map-million A 2 "MEM-MAP:1:1: error: the rows have 1000024 '=' but N is 64: 999960 too many" \
    "$gen/map-million"
# ... and a bad row at the end of them.
{
	cat "$gen/map-million"
	printf 'LAST ==+=\n'
} >"$gen/map-million-bad"
bad_case map-million-bad M 2 "MEM-MAP:1000004:9: error: '=' after '+'" \
    "$gen/map-million-bad"

# Values vzctl 4.11 reads, and vzmem as it does: no bad input at all.
# (An empty side is vzctl's strtoull of nothing, 0; "1." is 1; 99999999999G
# is a finite number of pages.)
while read -r name param old; do
	begin "$name: read as vzctl reads it, no warning; -a -n shows '$old'"
	host bad-base
	cp "$TESTS/bad/$name.in" "$CONF/101.conf"
	snap
	vz -a -n
	status_is 0
	err_lacks "invalid"
	err_lacks "101.conf"
	out_has "  $param   $old -> "
	unchanged
	end
done <<'END'
conf-empty VMGUARPAGES ""
conf-empty-quoted VMGUARPAGES ""
conf-empty-limit VMGUARPAGES 32768:
conf-dot VMGUARPAGES 1.:unlimited
conf-overflow-g PRIVVMPAGES 49152:99999999999G
END

# A conf that is a dangling symlink (VE_PRIVATE not mounted), and two
# CTIDs whose confs are one file: errors naming them, for every command;
# -i never drops the row.
for args in "-i" "-i -n" "-a" "-a -n" "-c" "-s" "-c --json"; do
	begin "conf-dangling: vzmem $args exits 2 naming the link, nothing written"
	host bad-base
	ln -s /nonexistent/vz/private/102/ve.conf "$CONF/103.conf"
	printf '64\n101 web.example.com ========++++\n102 db.example.com ================++++++++\n103 - =\nFREE =======================================\n' >"$MAP"
	snap
	# shellcheck disable=SC2086  # ARGS are words
	vz $args
	status_is 2
	err_has "vzmem: 103.conf: error: a symlink to /nonexistent/vz/private/102/ve.conf, which does not exist (is the container's VE_PRIVATE mounted?): container 103 cannot be read"
	unchanged
	vzctl_calls 0
	end

	begin "conf-shared: vzmem $args exits 2 naming both CTIDs, nothing written"
	host bad-base
	ln -s 101.conf "$CONF/103.conf"
	snap
	# shellcheck disable=SC2086  # ARGS are words
	vz $args
	status_is 2
	err_has "vzmem: 103.conf: error: 101.conf and 103.conf are one file (103.conf is a symlink to 101.conf): containers 101 and 103 cannot share one conf"
	unchanged
	vzctl_calls 0
	end
done

# Missing files.
begin "meminfo-missing: -i exits 1 naming the file"
host bad-base
rm "$ROOT/proc/meminfo"
snap
vz -i
status_is 1
err_has "vzmem: ROOT/proc/meminfo: error: cannot read: No such file or directory"
unchanged
end
begin "meminfo-missing: -a exits 1 naming the file"
host bad-base
rm "$ROOT/proc/meminfo"
snap
vz -a
status_is 1
err_has "vzmem: ROOT/proc/meminfo: error: cannot read"
unchanged
end

# CRLF line ends are accepted (CR is a blank) and rewritten with LF.
sed 's/$/\r/' "$base" >"$gen/map-crlf"
begin "map-crlf: a map with CRLF line ends reads, and is rewritten with LF"
host bad-base
cp "$gen/map-crlf" "$MAP"
vz -a
status_is 0
err_lacks "error"
err_lacks "has errors"
! grep -q "$(printf '\r')" "$MAP" || bad "CR left in the map"
same "$MAP" "$base"
end

# A UTF-8 byte order mark (Notepad's) is skipped, and a rewrite drops it.
printf '\357\273\277' >"$gen/map-bom"
cat "$base" >>"$gen/map-bom"
begin "map-bom: a map that starts with a UTF-8 BOM reads; -c changes nothing"
host bad-base
cp "$gen/map-bom" "$MAP"
snap
vz -c
status_is 0
err_lacks "bad number of blocks"
out_has "RAM+swap"
unchanged
end
begin "map-bom: -a rewrites the map without the BOM"
host bad-base
cp "$gen/map-bom" "$MAP"
vz -a
status_is 0
err_lacks "error"
same "$MAP" "$base"
end

# A map anyone but its owner may write, or owned by another user, is
# refused as doas refuses a loose doas.conf: every command, exit 2.
for how in 0666 0664 0620 uid; do
	for args in "-a" "-a -n" "-c" "-c --json" "-s" "-i"; do
		begin "map-loose-$how: vzmem $args refuses it, exit 2, nothing written"
		host bad-base
		if [ "$how" = uid ]; then
			chown 12345 "$MAP"
			want="MEM-MAP: error: refused: owned by uid 12345, neither root nor the user running vzmem (uid $(id -u)); 'chown $(id -u) ROOT/etc/vz/conf/MEM-MAP' fixes it"
		else
			chmod "$how" "$MAP"
			want="MEM-MAP: error: refused: writable by"
		fi
		snap
		# shellcheck disable=SC2086  # ARGS are words
		vz $args
		status_is 2
		err_has "vzmem: $want"
		unchanged
		vzctl_calls 0
		end
	done
done
begin "map-loose: -e refuses it too, the map unchanged"
host bad-base
chmod 0666 "$MAP"
cp "$MAP" "$OUT/loose.map"
EDITOR=true vz -e
status_is 2
err_has "vzmem: MEM-MAP: error: refused: writable by anyone, not only by its owner (mode 0666)"
same "$MAP" "$OUT/loose.map"
[ "$(stat -c %a "$MAP")" = 666 ] || bad "mode changed"
end
for mode in 0600 0644 0640 0444; do
	begin "map-mode-$mode, owned by root: accepted"
	host bad-base
	chmod "$mode" "$MAP"
	vz -a -n
	status_is 0
	err_lacks "refused"
	end
done

# Names are bytes: a non-UTF-8 name is only shown, never refused.
printf '64\n101 web\377\376.example.com ========++++\n102 db.example.com ================++++++++\nFR\351E ========================================\n' \
    >"$gen/map-latin1"
begin "map-latin1: non-UTF-8 names are accepted and kept"
host bad-base
cp "$gen/map-latin1" "$MAP"
vz -i
status_is 0
err_lacks "has errors"
grep -q "$(printf 'FR\351E')" "$MAP" || bad "pool label not kept"
end
begin "map-latin1: -a -n warns about the name only"
host bad-base
cp "$gen/map-latin1" "$MAP"
snap
vz -a -n
status_is 0
err_has "MEM-MAP:2: warning: container 101 is named"
unchanged
end
