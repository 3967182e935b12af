#!/bin/sh
# vzmem -i: the map built from the confs.
. "$(dirname "$0")/lib.sh"

# init_case FIXTURE N: -i on a fresh copy gives tests/expect/FIXTURE.map.
init_case() {
	begin "-i $2 on $1 writes the expected map"
	host "$1"
	# shellcheck disable=SC2086  # no word for an empty N
	vz -i $2
	status_is 0
	same "$MAP" "expect/$1.map"
	[ ! -e "$MAP.bak" ] || bad "MEM-MAP.bak made without an old map"
	[ ! -e "$LOCK" ] || [ ! -s "$LOCK" ] || bad "lock file still names a PID"
	find "$ROOT" -name '*vzmem-tmp*' ! -name '.104.conf.vzmem-tmp-AbCdEf' \
	    | grep -q . && bad "temp file left"
	end
}

init_case init-seed 72
init_case init-ubc 64
init_case init-vswap 64
init_case init-mixed 64
init_case init-syntax 512
init_case init-names ""
init_case init-empty ""

begin "names -i had to clean count as matching: no 'named' warning later"
host init-names
vz -i
status_is 0
snap
vz -c
err_lacks "is named"
unchanged
sed 's/^103 has_blank_and_hash /103 other_name /' "$MAP" >"$OUT/renamed"
cp "$OUT/renamed" "$MAP"
snap
vz -c
err_has "MEM-MAP:4: warning: container 103 is named 'other_name' in the map but"
unchanged
end

begin "the seed README's map is rewritten byte for byte (round trip)"
host init-seed
cp "$TESTS/expect/init-seed.map" "$MAP"
snap
vz -i
status_is 0
err_has "MEM-MAP is up to date"
unchanged
end

begin "seed layout: bars in column 28, notes '<kB>K + <kB>K swap'"
host init-seed
vz -i 72
status_is 0
awk 'NR > 1 { if (index($0, "=") != 29) exit 1 }' "$MAP" || bad "bars not in column 29 (1-based)"
grep -q '^20004 vps3.example.com      ==========+++++++++++++++ 1135360K + 1703040K swap$' "$MAP" || bad "row of 20004"
end

begin "overcommitted host: every share scaled down, and told by how much"
host init-over
vz -i 100
status_is 0
err_has "the containers guarantee 1572864K (most: 301 524288K, 302 524288K, 303 524288K), more than the host's 1048576K of RAM"
err_has "scaled down to 61%, by 39%"
same "$MAP" expect/init-over.map
end

begin "39 containers of 2.5 blocks, N=110: exactly 110 '=', no negative row"
host init-39
vz -i 110
status_is 0
same "$MAP" expect/init-39.map
total=$(awk 'NR > 1 { n = $0; gsub(/[^=]/, "", n); t += length(n) } END { print t }' "$MAP")
[ "$total" = 110 ] || bad "'=' total $total, not 110"
grep -q '^FREE  *=' "$MAP" || bad "FREE row lost its blocks"
end

begin "containers under half a block, with 0 or no VMGUARPAGES, get one '='"
host init-tiny
vz -i 100
status_is 0
same "$MAP" expect/init-tiny.map
for ct in 101 102 103; do
	grep -q "^$ct [a-z]*  *= " "$MAP" || bad "container $ct has not one '='"
done
end

# conf NAME VMGUARPAGES: a UBC container with that guarantee, in $CONF.
conf() {
	printf 'VMGUARPAGES="%s:unlimited"\nPRIVVMPAGES="%s:%s"\nHOSTNAME="c%s"\n' \
	    "$2" "$2" "$2" "$1" >"$CONF/$1.conf"
}

begin "shares are cut in the block -a applies: no guarantee moves by a block"
host init-empty
# 2053999 kB in 2000 blocks: 1026.9995 kB exact, 1026 kB applied.  Cut
# in exact blocks, 1 GB came back 258 pages short, more than a block.
printf 'MemTotal: 2053999 kB\nSwapTotal: 1048576 kB\n' >"$ROOT/proc/meminfo"
conf 101 262144
conf 102 65536
conf 103 30001
conf 104 7777
vz -i 2000
status_is 0
grep -q '^101 c101 *=\{1022\} ' "$MAP" || bad "101 has not 1022 '=' (1 GB in blocks of 1026K)"
vz -a -n
status_is 0
awk -v blk=1026 '$1 == "VMGUARPAGES" { split($2, o, ":"); split($4, n, ":")
	d = o[1] - n[1]; if (d < 0) d = -d
	if (d * 4 >= blk) { print "moved by " d " pages: " $0; bad = 1 } }
	END { exit bad }' "$OUT/stdout" >"$OUT/moved" || bad "$(cat "$OUT/moved")"
end

begin "one '=' for a tiny container comes from FREE, not from a larger row"
host init-empty
# 100 blocks of 10485K: 101 asks for 80, FREE has 20, 102 for none.
printf 'MemTotal: 1048576 kB\nSwapTotal: 0 kB\n' >"$ROOT/proc/meminfo"
conf 101 209700
conf 102 1
vz -i 100
status_is 0
grep -q '^101 c101 *=\{80\} ' "$MAP" || bad "101 lost a block: $(grep '^101' "$MAP")"
grep -q '^102 c102 *= ' "$MAP" || bad "102 has not one '='"
grep -q '^FREE *=\{19\} ' "$MAP" || bad "FREE did not give the block"
end

begin "a VSwap '+' above the host's swap (ve-vswap-4g) is capped, and said"
host init-vswap
# 2 GB of swap; vzctl's ve-vswap-4g sample asks for 4 GB.
sed -i 's/^SWAPPAGES=.*/SWAPPAGES="0:4G"/' "$CONF/201.conf"
vz -i 64
status_is 0
err_has "vzmem: 201.conf:2: warning: container 201: SWAPPAGES limit 1048576 pages is more than the host's swap (524288 pages), which vzcfgvalidate rejects: its row's '+' is capped at the swap"
grep -q '^201 vswap1.example.com  *=\{16\}+\{32\} 1048576K + 2097152K swap$' "$MAP" ||
    bad "201 not capped at 32 '+': $(grep '^201' "$MAP")"
vz -a
status_is 0
grep -q '^SWAPPAGES="0:524288"$' "$CONF/201.conf" || bad "SWAPPAGES not the swap: $(grep SWAPPAGES "$CONF/201.conf")"
end

begin "N too small for one '=' each: exit 2, nothing written"
host init-39
snap
vz -i 38
status_is 2
err_has "error: 38 blocks are too few for 39 containers"
unchanged
end

begin "one container, one block: singular words"
host init-empty
conf 101 1000
vz -i 1
status_is 0
err_has "vzmem: MEM-MAP: 1 container, 1 block of 4194304K"
vz -a -n
status_is 0
out_has "1 of 1 container to change: 1 conf to rewrite, 1 vzctl run."
vz -a
status_is 0
vz -a
status_is 0
err_has "vzmem: the 1 container up to date"
vz -a -n
out_has "the 1 container up to date."
conf 102 1000
snap
vz -i 1
status_is 2
err_has "1 block is too few for 2 containers"
unchanged
end

begin "containers guaranteeing exactly the RAM: 'all of', not 'more than'"
host init-empty
conf 101 1048576
vz -i 100
status_is 0
err_has "the containers guarantee 4194304K (most: 101 4194304K), all of the host's 4194304K of RAM"
end

begin "256M is 65536 pages, not 256 (the Perl original's bug)"
host init-syntax
vz -i 512
status_is 0
grep -q '^401 s401  *================ 262144K$' "$MAP" || bad "256M misread"
end

begin "samples, .bak, temp files and 0.conf are not containers"
host init-ubc
vz -i 64
status_is 0
[ "$(grep -c '^[0-9][0-9]* [^ ]' "$MAP")" = 3 ] || bad "wrong container rows"
grep -q '^0 \|^104 ' "$MAP" && bad "0.conf or a temp file read as a container"
end

begin "a conf with single quotes: vzctl skips it, and -i counts it absent, with a warning"
host init-badconf
vz -i
status_is 0
err_has "vzmem: 102.conf:3: warning: VMGUARPAGES: invalid value \"'1:2'\": bad number; vzctl skips it, and so does vzmem"
grep -q '^102 bad  *= ' "$MAP" || bad "102 not one '=': $(grep '^102' "$MAP")"
end

begin "a conf value vzctl reads and vzmem cannot: error naming file, line, parameter; nothing written"
host init-badconf
sed -i "s/^VMGUARPAGES=.*/VMGUARPAGES=-1:unlimited/" "$CONF/102.conf"
snap
vz -i
status_is 2
err_has "vzmem: 102.conf:3: error: VMGUARPAGES: invalid value \"-1:unlimited\": negative number"
unchanged
end

begin "no /proc/meminfo: exit 1, clear message, nothing written"
host init-nomem
snap
vz -i
status_is 1
err_has "ROOT/proc/meminfo: error: cannot read: No such file or directory"
unchanged
end

begin "meminfo without SwapTotal: exit 1"
host init-noswap
snap
vz -i
status_is 1
err_has "error: no SwapTotal"
unchanged
end

for n in abc 1e3 0 -5 99999999999999999999 ' 5'; do
	begin "bad N '$n': exit 2 with a usage line, old map untouched"
	host init-oldmap
	snap
	vz -i -- "$n"
	status_is 2
	err_has "vzmem: error: bad number of blocks '$n': a whole number from 1 to MemTotal / page size (the RAM in pages)"
	err_lacks "9223372036854775807"
	err_has "usage: vzmem"
	unchanged
	end
done

begin "N beyond one page a block: exit 2, old map untouched"
host init-oldmap
snap
vz -i 1048577
status_is 2
err_has "error: N must be from 1 to 1048576 on this host"
unchanged
end

begin "unknown option and stray argument: exit 2 with usage"
host init-ubc
snap
vz -i --frobnicate
status_is 2
err_has "error: unknown option '--frobnicate'"
err_has "usage: vzmem"
vz -i 64 65
status_is 2
err_has "error: unexpected argument '65'"
vz
status_is 2
err_has "error: no command"
vz -i -c
status_is 2
unchanged
end

# An unset variable in "--root $ROOT" must not mean the real host.  (-n
# and -c: were the check ever lost, no real file would be touched.)
for opt in "--root" "--root=" "--map" "--map=" "--conf-dir" "--conf-dir="; do
	begin "empty $opt: exit 2 with usage, nothing written"
	host init-oldmap
	snap
	case $opt in
	*=)	vz -i -n "$opt" ;;
	*)	vz -c "$opt" '' ;;
	esac
	status_is 2
	err_has "vzmem: error: option '${opt%=}' needs a path, not an empty word"
	err_has "usage: vzmem"
	unchanged
	end
done

begin "old map: N, pools, comments kept; gone containers dropped; old map kept as .bak"
host init-oldmap
cp "$MAP" "$OUT/old.map"
vz -i
status_is 0
err_has "MEM-MAP:8: warning: container 105 has no conf (ROOT/etc/vz/conf/105.conf) any more; its row is dropped"
same "$MAP" expect/init-oldmap.map
same "$MAP.bak" "$OUT/old.map"
end

begin "-i -n prints the map and writes nothing"
host init-oldmap
snap
vz -i -n
status_is 0
same_out expect/init-oldmap.map
unchanged
end

# Issue 20: ignoring it lost its cg: rows and pools for good.
begin "an old map with errors is refused: exit 2, nothing written"
host init-oldmap
printf '50\n101 web ==+= \n' >"$MAP"
snap
vz -i 64
status_is 2
err_has "MEM-MAP:2:12: error: '=' after '+'"
err_has "vzmem: MEM-MAP: error: the old map has errors (above), and -i keeps its pools, cg: rows and comments: nothing written; fix them ('vzmem -e'), or move it away ('mv ROOT/etc/vz/conf/MEM-MAP ROOT/etc/vz/conf/MEM-MAP.old') to build a map from the guests alone"
unchanged
end

begin "a second -i changes nothing"
host init-mixed
vz -i 64
cp "$MAP" "$OUT/first.map"
snap
vz -i
status_is 0
unchanged
end

begin "--map and --conf-dir override the paths"
host init-ubc
mkdir "$ROOT/elsewhere"
mv "$CONF"/*.conf "$ROOT/elsewhere/"
vz -i 64 --conf-dir "$ROOT/elsewhere" --map "$ROOT/my.map"
status_is 0
same "$ROOT/my.map" expect/init-ubc.map
[ ! -e "$MAP" ] || bad "default map written"
end

begin "-h, -V"
host init-ubc
vz -h
status_is 0
out_has "usage: vzmem -i [N]"
out_has "--conf-dir DIR"
vz -V
status_is 0
out_has "vzmem 1."
end

begin "MEM-MAP.bak gets the map's mode and owner, not 0644 root:root"
host init-oldmap
chmod 0600 "$MAP"
chgrp 4321 "$MAP"
vz -i
status_is 0
[ "$(stat -c %a "$CONF/MEM-MAP.bak")" = 600 ] ||
    bad "MEM-MAP.bak is mode $(stat -c %a "$CONF/MEM-MAP.bak")"
[ "$(stat -c %g "$CONF/MEM-MAP.bak")" = 4321 ] ||
    bad "MEM-MAP.bak has group $(stat -c %g "$CONF/MEM-MAP.bak")"
[ "$(stat -c %a "$MAP")" = 600 ] || bad "the map lost its mode"
end
