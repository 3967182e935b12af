#!/bin/sh
# What vzmem writes, and through what (SPEC 5c, issue 18.1 and 18.11):
# each attack of the issue replayed, the victim file byte for byte
# unchanged (or not created), the guest or the map reporting an error.
# The race at the end needs setpriv (uid 65534 swaps a container's
# config for a link while root's -a runs); skipped without it.
. "$(dirname "$0")/lib.sh"
unset VZCTL_SLOW VZCTL_UBC

UUID=26bc47f6-353f-444b-bc35-b634a88dbbcc

# victims: a directory only root may enter, with a 0600 file in it
# ($VICTIM) and the name of one that must never appear ($NOFILE).
victims() {
	V=$OUT/victims$NCASE
	rm -rf "$V"
	mkdir -m 700 "$V"
	printf 'root-only secret\n' >"$V/secret"
	chmod 600 "$V/secret"
	cp -p "$V/secret" "$OUT/secret.orig"
	VICTIM=$V/secret
	NOFILE=$V/authorized_keys
}

# victims_intact: the secret byte for byte and 0600, nothing else there.
victims_intact() {
	same "$VICTIM" "$OUT/secret.orig"
	[ "$(stat -c %a "$VICTIM")" = 600 ] ||
	    bad "the victim's mode is now $(stat -c %a "$VICTIM")"
	[ ! -e "$NOFILE" ] || bad "$NOFILE was created"
	[ "$(find "$V" -mindepth 1 | wc -l)" = 1 ] || bad "files appeared in $V: $(find "$V" -mindepth 1)"
}

# lxchost: cg-v2 with its map; web's config then differs from the map,
# so that -a rewrites it.
lxchost() {
	host cg-v2
	LXC=$ROOT/var/lib/lxc
	MAP=$ROOT/etc/vzmem/MEM-MAP
	vz -i
	[ "$STATUS" = 0 ] || bad "-i failed: $(cat "$OUT/stderr")"
	sed 's/^lxc.cgroup2.memory.max = 512M$/lxc.cgroup2.memory.max = 100M/' \
	    "$LXC/web/config" >"$OUT/web.config"
	cp "$OUT/web.config" "$LXC/web/config"
}

no_temps() {
	find "$ROOT" -name '*vzmem-tmp*' | grep -q . && bad "temp file left: $(find "$ROOT" -name '*vzmem-tmp*')"
}

begin "lxc: a config that is a symlink to a root-only file: an error for that container, the file untouched"
lxchost
victims
ln -sf "$VICTIM" "$LXC/web/config"
vz -a
status_is 1
err_has "vzmem: ROOT/var/lib/lxc/web/config: error: cannot write: a symbolic link, which vzmem does not follow"
victims_intact
[ -L "$LXC/web/config" ] || bad "the link was replaced"
no_temps
end

begin "lxc: a config that is a symlink to a missing file: the file is not created"
lxchost
victims
ln -sf "$NOFILE" "$LXC/web/config"
vz -a
# A config that does not open is a container without one (issue 20.1):
# its row is skipped with a warning, the others applied.
err_has "container lxc:web has no config"
victims_intact
no_temps
end

begin "lxc: the container's directory swapped for a link to a root-only directory: not written, not swept through"
lxchost
victims
cp "$OUT/web.config" "$V/config"
cp -p "$V/config" "$OUT/vconfig.orig"
# A killed run's marker: -a sweeps every container's directory.
: >"$LXC/.lxc.vzmem-tmp-XyZ789"
: >"$V/.secret.vzmem-tmp-AbC123"
mv "$LXC/web" "$LXC/web.real"
chown -R 65534:65534 "$LXC"
ln -s "$V" "$LXC/web"
chown -h 65534:65534 "$LXC/web"
vz -a
status_is 1
err_has "web is a symbolic link in a directory others can write: not followed"
same "$V/config" "$OUT/vconfig.orig"
[ -e "$V/.secret.vzmem-tmp-AbC123" ] || bad "a file was swept through the link"
[ "$(find "$V" -mindepth 1 | wc -l)" = 3 ] || bad "files appeared in $V: $(find "$V" -mindepth 1)"
[ ! -e "$LXC/.lxc.vzmem-tmp-XyZ789" ] || bad "the marker was not swept"
end

begin "lxc: another user's file in a container's directory they do not own is not written"
lxchost
chown 65534:65534 "$LXC/web" "$LXC/web/config"
chown 65533 "$LXC/web/config" 2>/dev/null || chown 1 "$LXC/web/config"
cp -p "$LXC/web/config" "$OUT/web.before"
vz -a
status_is 1
err_has "web/config: error: cannot write: owned by uid"
err_has "neither root nor the owner of its directory (uid 65534): not written"
same "$LXC/web/config" "$OUT/web.before"
end

begin "lxc: a config owned by its directory's owner is written, keeping owner and mode"
lxchost
chown -R 65534:65534 "$LXC/web"
chmod 604 "$LXC/web/config"
vz -a
status_is 0
[ "$(stat -c '%u %g %a' "$LXC/web/config")" = "65534 65534 604" ] ||
    bad "owner and mode now $(stat -c '%u %g %a' "$LXC/web/config")"
! grep -q '^lxc.cgroup2.memory.max = 100M$' "$LXC/web/config" ||
    bad "not written: $(grep memory.max "$LXC/web/config")"
no_temps
end

begin "OpenVZ 4: 103.conf a symlink to a root-only file: an error naming the link, the file untouched"
host apply-ubc
victims
cp "$CONF/103.conf" "$VICTIM"
cp -p "$VICTIM" "$OUT/secret.orig"
ln -sf "$VICTIM" "$CONF/103.conf"
vz -a
status_is 1
err_has "vzmem: 103.conf: error: cannot write: a symbolic link, which vzmem follows on OpenVZ 7 only (CTID.conf -> VE_PRIVATE/ve.conf)"
err_has "error: not applied: 103"
victims_intact
grep -q '^set 103 ' "$VZCTL_LOG" && bad "vzctl ran for 103"
grep -q '^set 101 ' "$VZCTL_LOG" || bad "vzctl did not run for 101"
no_temps
end

begin "MEM-MAP a symlink: refused for reading and writing, its target untouched"
host apply-ubc
victims
cp "$MAP" "$VICTIM"
cp -p "$VICTIM" "$OUT/secret.orig"
ln -sf "$VICTIM" "$MAP"
vz -s
status_is 2
err_has "vzmem: MEM-MAP: error: refused: a symbolic link, which vzmem does not follow"
vz -a
status_is 2
err_has "vzmem: MEM-MAP: error: refused: a symbolic link"
vzctl_calls 0
vz -i
status_is 2
victims_intact
[ -L "$MAP" ] || bad "the link was replaced"
no_temps
end

begin "MEM-MAP.bak a symlink to a 0600 root file: an error, the file and the map untouched"
lxchost
victims
cp -p "$MAP" "$OUT/map.before"
ln -sf "$VICTIM" "$MAP.bak"
vz -i
status_is 1
err_has "vzmem: MEM-MAP.bak: error: cannot write: a symbolic link, which vzmem does not follow"
victims_intact
same "$MAP" "$OUT/map.before"
[ -L "$MAP.bak" ] || bad "the .bak link was replaced"
no_temps
end

begin "MEM-MAP.bak a link to a missing file: not created; a FIFO there: refused at once"
lxchost
victims
ln -sf "$NOFILE" "$MAP.bak"
vz -i
status_is 1
victims_intact
rm "$MAP.bak"
mkfifo "$MAP.bak"
vz -i
status_is 1
err_has "vzmem: MEM-MAP.bak: error: cannot write: a FIFO, not a regular file: not written"
[ -p "$MAP.bak" ] || bad "the FIFO was replaced"
end

begin "MEM-MAP a FIFO or a directory: refused, no hang"
host apply-ubc
rm "$MAP"
mkfifo "$MAP"
vz -s
status_is 2
err_has "vzmem: MEM-MAP: error: refused: a FIFO, not a regular file"
rm "$MAP"
mkdir "$MAP"
vz -a
status_is 2
err_has "vzmem: MEM-MAP: error: refused: a directory, not a regular file"
vzctl_calls 0
end

begin "the map's directory writable by its group or anyone: refused, nothing written"
host apply-ubc
chmod g+w "$CONF"
snap
vz -s
status_is 2
err_has "vzmem: MEM-MAP: error: refused: its directory ROOT/etc/vz/conf is writable by its group (mode 0775)"
vz -a
status_is 2
vzctl_calls 0
chmod g-w "$CONF"
mkdir -m 1777 "$OUT/sticky$NCASE"
vz -i --map "$OUT/sticky$NCASE/MEM-MAP"
status_is 2
err_has "refused: its directory"
err_has "is writable by anyone (mode 1777)"
[ ! -e "$OUT/sticky$NCASE/MEM-MAP" ] || bad "a map was written in a 1777 directory"
end

begin "the map's directory owned by another user: refused"
host apply-ubc
chown 65534 "$CONF"
vz -s
status_is 2
err_has "refused: its directory ROOT/etc/vz/conf is owned by uid 65534, neither root nor the user running vzmem"
chown 0 "$CONF"
end

begin "OpenVZ 7: CTID.conf linking to its own VE_PRIVATE/ve.conf is followed"
host ovz7-vswap
VZCTL_ROOT=$ROOT
export VZCTL_ROOT
vz -i 64
status_is 0
vz -a
status_is 0
for c in 101 102 $UUID; do
	[ -L "$CONF/$c.conf" ] || bad "$c.conf is no link any more"
	grep -q '^MEMGUARANTEE="100"$' "$ROOT/vz/private/$c/ve.conf" ||
	    bad "$c: its ve.conf was not written"
done
no_temps
unset VZCTL_ROOT
end

begin "OpenVZ 7: a link to another container's ve.conf (VEID 102) is refused, naming the link"
host ovz7-vswap
VZCTL_ROOT=$ROOT
export VZCTL_ROOT
vz -i 64
rm "$CONF/102.conf"
ln -sf ../../../vz/private/102/ve.conf "$CONF/101.conf"
sed '/^102 /d' "$MAP" >"$MAP.new" && mv "$MAP.new" "$MAP"
vz -i 64
cp -p "$ROOT/vz/private/102/ve.conf" "$OUT/102.before"
cp -p "$ROOT/vz/private/101/ve.conf" "$OUT/101.before"
sed -i 's/^PHYSPAGES=.*/PHYSPAGES="0:1000"/' "$ROOT/vz/private/102/ve.conf"
cp -p "$ROOT/vz/private/102/ve.conf" "$OUT/102.before"
vz -a
status_is 1
err_has "vzmem: 101.conf: error: cannot write: a symbolic link to the conf of container 102, not of 101"
err_has "error: not applied: 101"
same "$ROOT/vz/private/102/ve.conf" "$OUT/102.before"
same "$ROOT/vz/private/101/ve.conf" "$OUT/101.before"
no_temps
unset VZCTL_ROOT
end

begin "OpenVZ 7: a link to a file that is not VE_PRIVATE/ve.conf of the container is refused"
host ovz7-vswap
VZCTL_ROOT=$ROOT
export VZCTL_ROOT
vz -i 64
victims
grep -v '^VEID=' "$ROOT/vz/private/101/ve.conf" |
    sed 's/^PHYSPAGES=.*/PHYSPAGES="0:1000"/' >"$VICTIM"
cp -p "$VICTIM" "$OUT/secret.orig"
ln -sf "$VICTIM" "$CONF/101.conf"
vz -a
status_is 1
err_has "vzmem: 101.conf: error: cannot write: a symbolic link to another file than ROOT/vz/private/101/ve.conf, this container's VE_PRIVATE/ve.conf"
victims_intact
no_temps
unset VZCTL_ROOT
end

begin "OpenVZ 7: VE_PRIVATE as vz.conf defines it (\$VEID expanded)"
host ovz7-vswap
VZCTL_ROOT=$ROOT
export VZCTL_ROOT
vz -i 64
mkdir -p "$ROOT/srv/ct"
mv "$ROOT/vz/private/101" "$ROOT/srv/ct/101"
grep -v '^VE_PRIVATE=' "$ROOT/srv/ct/101/ve.conf" |
    sed 's/^PHYSPAGES=.*/PHYSPAGES="0:1000"/' >"$OUT/ve.conf"
cp "$OUT/ve.conf" "$ROOT/srv/ct/101/ve.conf"
ln -sf ../../../srv/ct/101/ve.conf "$CONF/101.conf"
# shellcheck disable=SC2016  # vzctl's $VEID, not the shell's
printf 'VE_PRIVATE="/srv/ct/$VEID"\n' >"$ROOT/etc/vz/vz.conf"
vz -a
status_is 0
grep -q '^MEMGUARANTEE="100"$' "$ROOT/srv/ct/101/ve.conf" ||
    bad "101's ve.conf in /srv/ct was not written"
no_temps
unset VZCTL_ROOT
end

begin "OpenVZ 7: temp files a killed run left beside ve.conf are swept when it is next written; others stay"
host ovz7-vswap
VZCTL_ROOT=$ROOT
export VZCTL_ROOT
vz -i 64
P=$ROOT/vz/private/101
: >"$P/.ve.conf.vzmem-tmp-AbC123"
: >"$P/.ve.conf.vzmem-tmp-AbC123.swp"
: >"$P/.other.vzmem-tmp-XyZ789"
vz -a
status_is 0
[ ! -e "$P/.ve.conf.vzmem-tmp-AbC123" ] || bad "the left-over temp file is still there"
[ -e "$P/.ve.conf.vzmem-tmp-AbC123.swp" ] || bad "an editor's .swp was removed"
[ -e "$P/.other.vzmem-tmp-XyZ789" ] || bad "another file's temp was removed"
unset VZCTL_ROOT
end

# The race: uid 65534 owns the lxcpath (an unprivileged LXC user) and
# swaps web/config for a link to a root-only file, or to a missing one,
# and back, as fast as it can, while root runs -a again and again.  -a
# may write the real config or refuse the link; it must never write
# through it.
begin "the race: an unprivileged owner of the lxcpath swaps config for a link during 40 runs of -a"
if ! command -v setpriv >/dev/null 2>&1 ||
    ! setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
	skip "needs setpriv and root"
else
	lxchost
	victims
	chown -R 65534:65534 "$LXC"
	cp "$OUT/web.config" "$LXC/web/.pristine"
	chown 65534:65534 "$LXC/web/.pristine"
	GO=$LXC/.started
	STOP=$OUT/stop$NCASE
	chmod 755 "$OUT"
	# shellcheck disable=SC2016  # the attacker's shell expands them
	setpriv --reuid=65534 --regid=65534 --clear-groups sh -c '
		w=$1/web; i=0
		while [ ! -e "$4" ]; do
			ln -s "$2" "$w/.l" 2>/dev/null; mv -f "$w/.l" "$w/config"
			cp "$w/.pristine" "$w/.c"; mv -f "$w/.c" "$w/config"
			ln -s "$3" "$w/.l" 2>/dev/null; mv -f "$w/.l" "$w/config"
			cp "$w/.pristine" "$w/.c"; mv -f "$w/.c" "$w/config"
			i=$((i + 1))
			[ "$i" = 1 ] && : >"$5"
		done' attacker "$LXC" "$VICTIM" "$NOFILE" "$STOP" "$GO" &
	ATT=$!
	# Wait on the event: the attacker's first round done.
	while [ ! -e "$GO" ]; do
		kill -0 "$ATT" 2>/dev/null || break
	done
	n=0 refused=0 written=0
	while [ "$n" -lt 40 ]; do
		vz -a
		case $STATUS in
		0) written=$((written + 1)) ;;
		*) refused=$((refused + 1)) ;;
		esac
		victims_intact
		grep -q 'a symbolic link' "$OUT/stderr" ||
		    [ "$STATUS" != 1 ] || grep -q 'changed while vzmem ran' "$OUT/stderr" ||
		    grep -q 'cannot read' "$OUT/stderr" ||
		    grep -q 'has no row\|no container' "$OUT/stderr" ||
		    bad "run $n: exit 1 without a reason: $(head -c 300 "$OUT/stderr")"
		n=$((n + 1))
	done
	: >"$STOP"
	wait "$ATT"
	echo "  race: $written runs exited 0, $refused did not"
	victims_intact
	[ "$(stat -c %u "$LXC/web")" = 65534 ] || bad "web's owner changed"
fi
end

summary
