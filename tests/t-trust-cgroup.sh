#!/bin/sh
# Trust in cgroup guests (SPEC 5c, issue 18 points 1, 2, 13): no write
# through a link in a cgroup's path, the race included; no lxc.cgroup.dir*
# that aims vzmem at the host's or another guest's cgroup; no two rows
# naming one cgroup; the lxc.include check on normalised components; a
# cg: row naming a regular file.  Each attack is replayed and the victim's
# bytes asserted unchanged.  The fixture is cg-v2 (tests/hosts).
. "$(dirname "$0")/lib.sh"

# sums NAME: every file of $ROOT but the map's, by checksum, in
# $OUT/NAME.
sums() {
	(cd "$ROOT" && find . -type f ! -path './etc/vzmem/*' -exec cksum {} + |
	    LC_ALL=C sort -k 3) >"$OUT/$1"
}

# row ID BAR: the map gets the row (FREE loses as many '='); the map has
# 200 blocks (-i of cg-v2).
row() {
	awk -v id="$1" -v bar="$2" '
	$1 == "FREE" { n = gsub(/=/, "=", bar); f = $2; $2 = substr(f, n + 1);
	    print id " - " bar; print; next }
	{ print }' "$MAP" >"$MAP.new" && mv "$MAP.new" "$MAP"
}

# append FILE LINE: LINE at the end of FILE, on a line of its own (a
# fixture config may lack its last newline).
append() {
	[ -z "$(tail -c 1 "$1")" ] || printf '\n' >>"$1"
	printf '%s\n' "$2" >>"$1"
}

# A victim cgroup, root's: memory.max and friends with known bytes.
victim() {
	mkdir -p "$1"
	for _f in memory.low memory.min memory.max memory.swap.max \
	    memory.high; do
		printf '7\n' >"$1/$_f"
	done
}

begin "a cg: cgroup that is a link: not followed, -c and -a say so, the victim untouched"
cghost cg-v2
vz -i
victim "$CG/vt/box"
ln -s vt/box "$CG/lnk"
row cg:lnk '=+'
sums before
vz -c
status_is 2
err_has "vzmem: error: cg:lnk: ROOT/sys/fs/cgroup/lnk is not a cgroup: a symbolic link (never followed); -a writes nothing there"
vz -a
status_is 1
err_has "vzmem: error: cg:lnk: ROOT/sys/fs/cgroup/lnk is not a cgroup: a symbolic link (never followed); not applied live"
err_has "not applied: cg:lnk"
for _f in "$CG"/vt/box/*; do
	[ "$(cat "$_f")" = 7 ] || bad "victim $_f written"
done
end

begin "an lxc: cgroup whose parent directory is a link: the victim untouched"
cghost cg-v2
vz -i
victim "$CG/vt/lxc.payload.web"
rm -rf "$CG/lxc.payload.web"
append "$LXC/web/config" 'lxc.cgroup.dir = grp'
ln -s vt "$CG/grp"
vz -c
status_is 2
err_has "vzmem: error: lxc:web: ROOT/sys/fs/cgroup/grp is not a cgroup: a symbolic link (never followed)"
vz -a
status_is 1
for _f in "$CG"/vt/lxc.payload.web/*; do
	[ "$(cat "$_f")" = 7 ] || bad "victim $_f written"
done
end

begin "race: nobody swaps a component for a link during 100 runs of -a: the victim never written"
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null 2>&1; then
	skip "needs root and setpriv"
else
	cghost cg-v2
	vz -i
	victim "$CG/vt/box"
	victim "$CG/u/mid/box"
	chown -R 65534:65534 "$CG/u"
	chmod 755 "$CG/u"
	row cg:u/mid/box '=+'
	cp "$MAP" "$OUT/map.a"
	sed 's|^cg:u/mid/box - =+|cg:u/mid/box - ==+|; s|^FREE =|FREE |' \
	    "$MAP" >"$OUT/map.b"
	sums victim.before
	( cd "$CG/vt" && find . -type f -exec cksum {} + | LC_ALL=C sort -k 3 ) \
	    >"$OUT/vt.before"
	rm -f "$OUT/stop"
	# The swapper: mid is, in turn, the real directory and a link to
	# the victim's tree, until the stop file appears.
	# shellcheck disable=SC2016  # expanded by the swapper's sh
	setpriv --reuid=65534 --regid=65534 --clear-groups sh -c '
		cd "$1" || exit 1
		while [ ! -e "$2/stop" ]; do
			mv mid mid.real && ln -s ../vt mid
			rm -f mid && mv mid.real mid
		done' swapper "$CG/u" "$OUT" &
	SWAPPER=$!
	n=0 ok=0 refused=0 other=0
	while [ $n -lt 100 ]; do
		if [ $((n % 2)) = 0 ]; then cp "$OUT/map.a" "$MAP"; else
			cp "$OUT/map.b" "$MAP"; fi
		"$VZMEM" --root "$ROOT" -a >"$OUT/race.out" 2>"$OUT/race.err" \
		    </dev/null
		case $? in
		0) ok=$((ok + 1)) ;;
		1) refused=$((refused + 1)) ;;
		*) other=$((other + 1)) ;;
		esac
		( cd "$CG/vt" && find . -type f -exec cksum {} + |
		    LC_ALL=C sort -k 3 ) >"$OUT/vt.after"
		cmp -s "$OUT/vt.before" "$OUT/vt.after" ||
		    bad "run $n: the victim was written"
		n=$((n + 1))
	done
	: >"$OUT/stop"
	wait "$SWAPPER"
	echo "  race: $ok applied, $refused refused, $other other"
	[ $((ok + refused + other)) = 100 ] || bad "runs missing"
fi
end

begin "lxc.cgroup.dir.container = system.slice: an error from -c, -n and -a naming the key; nothing written"
cghost cg-v2
vz -i
L=$(($(wc -l <"$LXC/web/config") + 1))
append "$LXC/web/config" 'lxc.cgroup.dir.container = system.slice'
sums before
vz -c
status_is 2
err_has "vzmem: ROOT/var/lib/lxc/web/config:$L: error: lxc:web: lxc.cgroup.dir.container = \"system.slice\" is not the container's cgroup: it lies in the host's system.slice or user.slice; vzmem reads and writes no cgroup for it"
vz -a -n
status_is 2
err_has "lxc.cgroup.dir.container = \"system.slice\" is not the container's cgroup"
vz -a
status_is 2
err_has "lxc.cgroup.dir.container = \"system.slice\" is not the container's cgroup"
sums after
same "$OUT/after" "$OUT/before"
end

begin "a dir.container not named for the container, or a systemd unit: refused"
cghost cg-v2
vz -i
append "$LXC/web/config" 'lxc.cgroup.dir.container = lxc.payload.app'
append "$LXC/db/config" 'lxc.cgroup.dir = system.slice/cron.service'
sums before
vz -c
status_is 2
err_has "lxc:web: lxc.cgroup.dir.container = \"lxc.payload.app\" is not the container's cgroup: its last component is neither the container's name nor lxc.payload.NAME"
err_has "lxc:db: lxc.cgroup.dir = \"system.slice/cron.service\" is not the container's cgroup"
vz -a
status_is 2
sums after
same "$OUT/after" "$OUT/before"
end

begin "lxc:web and cg:lxc.payload.web: an error naming both rows, from -c, -n and -a; nothing written"
cghost cg-v2
vz -i
row cg:lxc.payload.web '=+'
sums before
cp "$MAP" "$OUT/map.before"
vz -c
status_is 2
err_has "error: lxc:web (line 7) and cg:lxc.payload.web name one cgroup, lxc.payload.web: they would fight over its limits and book its RAM twice; keep one row"
vz -a -n
status_is 2
err_has "lxc:web (line 7) and cg:lxc.payload.web name one cgroup"
vz -a
status_is 2
err_has "lxc:web (line 7) and cg:lxc.payload.web name one cgroup"
sums after
same "$OUT/after" "$OUT/before"
same "$MAP" "$OUT/map.before"
end

begin "-e: an edit that adds cg:lxc.payload.web beside lxc:web is not installed"
cghost cg-v2
vz -i
cp "$MAP" "$OUT/map.before"
cat >"$OUT/dup.sh" <<'EOF'
#!/bin/sh
for f; do :; done
awk '$1 == "FREE" { sub(/=/, "", $2); print "cg:lxc.payload.web - ="; print
    next } { print }' "$f" >"$f.new" && cat "$f.new" >"$f" && rm "$f.new"
EOF
chmod +x "$OUT/dup.sh"
EDITOR=$OUT/dup.sh; export EDITOR
vzin 'x
' -e
unset EDITOR
status_is 2
err_has "lxc:web (line 7) and cg:lxc.payload.web name one cgroup"
err_has "the edited MEM-MAP is not installed"
same "$MAP" "$OUT/map.before"
end

begin "a container without a row and a foreign lxc.cgroup.dir.container: a warning only"
cghost cg-v2
vz -i
awk '$1 == "lxc:old" { next } $1 == "FREE" { $2 = $2 "======" } { print }' \
    "$MAP" >"$MAP.new" && mv "$MAP.new" "$MAP"
append "$LXC/old/config" 'lxc.cgroup.dir.container = system.slice'
vz -c
status_is 0
err_has "warning: lxc:old: lxc.cgroup.dir.container = \"system.slice\" is not the container's cgroup"
end

begin "lxc:app and cg:lxc-apps/lxc.payload.app (its lxc.cgroup.dir): refused too"
cghost cg-v2
vz -i
row cg:lxc-apps/lxc.payload.app '='
vz -c
status_is 2
err_has "lxc:app (line 2) and cg:lxc-apps/lxc.payload.app name one cgroup"
end

begin "an lxc.include that climbs out of /usr/share/lxc is not LXC's own"
cghost cg-v2
vz -i
append "$LXC/web/config" 'lxc.include = /usr/share/lxc/../../../etc/x'
append "$LXC/db/config" 'lxc.include = /usr/share/lxc/config/common.conf'
append "$LXC/old/config" 'lxc.include = /usr/share/lxc/./config//../config/userns.conf'
vz -c
err_has "lxc.include \"/usr/share/lxc/../../../etc/x\": vzmem does not read included files"
err_lacks "common.conf\": vzmem"
err_lacks "userns.conf\": vzmem"
end

begin "cg: naming a regular file: not a cgroup, -c exits 2"
cghost cg-v2
vz -i
printf '5\n' >"$CG/system.slice/plain"
row cg:system.slice/plain '='
vz -c
status_is 2
err_has "vzmem: error: cg:system.slice/plain: ROOT/sys/fs/cgroup/system.slice/plain is not a cgroup: a regular file (never followed)"
err_lacks "no such cgroup"
[ "$(cat "$CG/system.slice/plain")" = 5 ] || bad "the file was written"
end

begin "a host with only cg: rows: -c says the cgroups match, not the confs"
cghost cg-v2
rm -rf "$LXC"
mkdir -p "$ROOT/etc/vzmem"
printf '200\ncg:system.slice/cron.service - =\nFREE %s\n' \
    "$(awk 'BEGIN { for (i = 0; i < 199; i++) printf "=" }')" >"$MAP"
vz -a
status_is 0
vz -c
status_is 0
out_has "cgroups match the map"
out_lacks "confs match the map"
end

summary
