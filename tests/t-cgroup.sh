#!/bin/sh
# Cgroup guests (SPEC 6.2): LXC containers (lxc:NAME) and cgroups
# (cg:PATH) on the fixture hosts cg-v2, cg-v1, cg-mixed (OpenVZ + LXC +
# cg) and cg-badname.  Their cgroup files are regular files here: what
# vzmem writes is asserted byte for byte, and a converged run must leave
# every file's bytes, inode and mtime alone.  The v1 write order is
# proved under strace (skipped without it) and, with a cgroup that
# refuses wrong orders, in tests/unit/cgroup_write.c.
. "$(dirname "$0")/lib.sh"

# cgfiles: every memory limit file of the tree, "path: value".
cgfiles() {
	(cd "$CG" && find . \( -name memory.low -o -name memory.min \
	    -o -name memory.max -o -name memory.swap.max -o -name memory.high \
	    -o -name memory.soft_limit_in_bytes -o -name memory.limit_in_bytes \
	    -o -name memory.memsw.limit_in_bytes \) -print | sort |
	    while read -r f; do
		printf '%s: %s\n' "$f" "$(cat "$f")"
	done) >"$OUT/cgfiles"
}

# fileids: every file's name, inode, size, mtime (ns) and checksum.
fileids() {
	(cd "$ROOT" && find . -type f -print0 | sort -z |
	    xargs -0 stat -c '%n %i %s %y' &&
	    find . -type f -print0 | sort -z | xargs -0 cksum) >"$OUT/$1"
}

# configs PREFIX NAME...: each container's config against
# expect/PREFIX.NAME.config.
configs() {
	_p=$1
	shift
	for _n in "$@"; do
		same "$LXC/$_n/config" "expect/$_p.$_n.config"
	done
}

# v2: -i, an edit, -a -n, -a, a second -a.
begin "v2: -i builds the map from the configs and cgroups (no OpenVZ: /etc/vzmem made)"
cghost cg-v2
vz -i
status_is 0
err_has "vzmem: MEM-MAP: 6 containers, 200 blocks of 40822K"
same "$MAP" expect/cg-v2-init.map
for _n in app ctr db old rel web; do
	cmp -s "$LXC/$_n/config" "$TESTS/hosts/cg-v2/var/lib/lxc/$_n/config" ||
	    bad "-i changed $_n/config"
done
end

begin "v2: -i reads back the rows -a wrote, and keeps a cg: row"
setbar lxc:web '====++'
setbar cg:system.slice/nginx.service '==+' nginx
vz -a
status_is 0
vz -i
status_is 0
grep -q '^lxc:web  *web  *====++ ' "$MAP" || bad "lxc:web not read back: $(grep web "$MAP")"
grep -q '^cg:system.slice/nginx.service  *nginx  *==+ ' "$MAP" ||
    bad "the cg: row not kept: $(grep nginx "$MAP")"
end

begin "v2: an edited map: -a -n shows every change, writes nothing"
cghost cg-v2
vz -i
setbar lxc:web '====++'
setbar lxc:app '=====++'
setbar cg:system.slice/nginx.service '==+' nginx
setbar cg:system.slice/cron.service '='
snap
vz -a -n
status_is 0
same_out expect/cg-v2.dry
unchanged
end

begin "v2: -a writes the configs (every other byte kept) and the cgroup files"
vz -a
status_is 0
err_has "vzmem: LXC: 6 configs rewritten, 14 cgroup files written, 0 refused"
err_has "vzmem: cgroup: 6 cgroup files written, 0 refused"
configs cg-v2 app ctr db old rel web
cgfiles
same "$OUT/cgfiles" expect/cg-v2.cgfiles
same "$MAP" expect/cg-v2-apply.map
end

begin "v2: a second -a writes nothing: every file's bytes, inode and mtime kept"
fileids ids.before
vz -a
status_is 0
err_has "vzmem: all 8 guests up to date"
fileids ids.after
same "$OUT/ids.after" "$OUT/ids.before"
vz -a -n
out_has "all 8 guests up to date."
end

# v1: the same, and the order of the writes.
# opens: the cgroup files the strace -y log $OUT/trace shows opened for
# writing, in order, ROOT/sys/fs/cgroup/memory taken off.  Each is
# opened in its cgroup's directory: "openat(4</DIR>, "FILE", O_WRONLY".
opens() {
	sed -n 's/^[0-9]* *openat([0-9]*<\([^>]*\/sys\/fs\/cgroup\/[^>]*\)>, "\([^"]*\)", O_WRONLY.*/\1\/\2/p' \
	    "$OUT/trace" | sed "s|^$ROOT/sys/fs/cgroup/memory/||" >"$OUT/opens"
}

begin "v1: -i builds the map (the memsw limit is RAM+swap, not read back)"
cghost cg-v1
vz -i
status_is 0
same "$MAP" expect/cg-v1-init.map
end

begin "v1: -a -n of an edited map: web raised, nosw and the cg: row lowered"
setbar lxc:web '======++++++'
setbar cg:system.slice/nginx.service '==+' nginx
snap
vz -a -n
status_is 0
same_out expect/cg-v1.dry
unchanged
end

begin "v1: -a: decreases first, the limit before memsw; raising, memsw first"
if command -v strace >/dev/null 2>&1; then
	# LeakSanitizer cannot run under ptrace (the asan pass).
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	    strace -f -qq -y -o "$OUT/trace" -e trace=open,openat \
	    "$VZMEM" --root "$ROOT" --vzctl vzctl -a >"$OUT/stdout" 2>"$OUT/stderr" </dev/null
	STATUS=$?
	opens
	same "$OUT/opens" expect/cg-v1.order
else
	echo "# t-cgroup: no strace: the order is not traced (see tests/unit/cgroup_write)"
	vz -a
fi
status_is 0
configs cg-v1 db nosw web
cgfiles
same "$OUT/cgfiles" expect/cg-v1.cgfiles
same "$MAP" expect/cg-v1-apply.map
end

begin "v1: a second -a writes nothing"
fileids ids.before
vz -a
status_is 0
err_has "vzmem: all 4 guests up to date"
fileids ids.after
same "$OUT/ids.after" "$OUT/ids.before"
end

# A refused write.  Root may write any file, and a fifo would block the
# open: the file is a symlink to one with the same value instead.  Read
# through it, it holds the old value; vzmem opens a cgroup file with
# O_NOFOLLOW (a cgroup file is never a link), and the open is refused.
begin "v2: a refused write fails that guest (exit 1), the others are applied"
cghost cg-v2
vz -i
setbar lxc:web '====++'
setbar lxc:app '=====++'
W=$CG/lxc.payload.web
mv "$W/memory.max" "$W/memory.max.real"
ln -s memory.max.real "$W/memory.max"
cp "$MAP" "$OUT/map.before"
cp "$W/memory.low" "$OUT/low.before"
cp "$W/memory.swap.max" "$OUT/swap.before"
vz -a
status_is 1
err_has "vzmem: lxc:web: error: cannot write 250810368 to ROOT/sys/fs/cgroup/lxc.payload.web/memory.max: Too many levels of symbolic links"
err_has "vzmem: error: not applied: lxc:web"
err_has "left as it was"
# The link is not read either: its value unknown, memory.max counts as
# an increase, after the decreases of memory.low and swap.max; once it
# is refused those two are put back.  Its config was written before the
# live writes; its other files, after the refused one, are not tried.
err_has "vzmem: ROOT/sys/fs/cgroup/lxc.payload.web/memory.max: warning: cannot read: Too many levels of symbolic links"
err_has "vzmem: lxc:web: memory.low, memory.swap.max put back: its cgroup is as it was"
same "$LXC/web/config" expect/cg-v2.web.config
same "$W/memory.low" "$OUT/low.before"
[ "$(cat "$W/memory.max.real")" = 536870912 ] || bad "web memory.max written"
same "$W/memory.swap.max" "$OUT/swap.before"
[ "$(cat "$CG/lxc-apps/lxc.payload.app/memory.max")" = 292610048 ] ||
    bad "app not applied"
same "$MAP" "$OUT/map.before"
end

begin "v2: once the file is writable, -a converges"
rm "$W/memory.max"
mv "$W/memory.max.real" "$W/memory.max"
vz -a
status_is 0
[ "$(cat "$W/memory.max")" = 250810368 ] || bad "web memory.max not written"
[ "$(cat "$W/memory.low")" = 167206912 ] || bad "web memory.low not written"
vz -a
status_is 0
err_has "up to date"
end

# Bad input: an error naming the file and line, every file as it was.
# badconf FIXTURE NAME KEY VALUE MESSAGE: NAME's config sets KEY to VALUE
# (a line appended: the last assignment counts); each of the commands in
# $CMDS ("-i", "-a -n", "-a", split at ',') exits 2.
badconf() {
	_ifs=$IFS
	IFS=,
	for _args in $CMDS; do
		IFS=$_ifs
		begin "$1: $2/config $3 = $4: vzmem $_args exits 2, says so, writes nothing"
		cghost "$1"
		"$VZMEM" -q --root "$ROOT" --vzctl vzctl -i || bad "the first -i failed"
		printf '%s = %s\n' "$3" "$4" >>"$LXC/$2/config"
		snap
		# shellcheck disable=SC2086  # the words of the command
		vz $_args
		status_is 2
		err_has "vzmem: $5"
		unchanged
		end
	done
	IFS=$_ifs
}
CMDS='-i,-a -n,-a'
badconf cg-v2 web lxc.cgroup2.memory.max 512X \
    'ROOT/var/lib/lxc/web/config:22: error: lxc.cgroup2.memory.max: invalid value "512X": bad suffix (want k, m, g, t, p or e)'
# -i does not read the swap key.
CMDS='-a -n,-a'
badconf cg-v2 app lxc.cgroup2.memory.swap.max -1 \
    'ROOT/var/lib/lxc/app/config:13: error: lxc.cgroup2.memory.swap.max: invalid value "-1": not a number or "max"'
CMDS='-i,-a -n,-a'
badconf cg-v1 web lxc.cgroup.memory.limit_in_bytes 99999999999999999999 \
    'ROOT/var/lib/lxc/web/config:10: error: lxc.cgroup.memory.limit_in_bytes: invalid value "99999999999999999999": number too large'
badconf cg-v1 db lxc.cgroup.memory.soft_limit_in_bytes max \
    'ROOT/var/lib/lxc/db/config:7: error: lxc.cgroup.memory.soft_limit_in_bytes: invalid value "max": not a number or "-1"'

# Since issue 20 a name -i cannot map leaves that container out, not
# every other one: t-newcomer shows the map -i writes.
begin "cg-badname: -i leaves out containers it cannot name, with a warning"
cghost cg-badname
vz -i
status_is 0
err_has 'vzmem: ROOT/var/lib/lxc: warning: container "bad@name": not a name vzmem can use'
err_has 'vzmem: ROOT/var/lib/lxc: warning: container "-dash": not a name vzmem can use'
err_has 'vzmem: ROOT/var/lib/lxc: warning: 2 containers left out of the map (above)'
err_lacks "dirconf"
err_lacks "noconf"
err_lacks "hidden"
err_lacks "error"
end

begin "cg-badname: with a map, -a applies the others and only warns"
cghost cg-badname
mkdir -p "$ROOT/etc/vzmem"
printf '100\nlxc:ok ok ==\nFREE %s\n' \
    "$(printf '%098d' 0 | tr 0 =)" >"$MAP"
vz -a
status_is 0
err_has 'vzmem: ROOT/var/lib/lxc: warning: container "bad@name"'
grep -q '^lxc.cgroup2.memory.max = ' "$LXC/ok/config" || bad "ok not written"
end

# -c: each rule of the cgroup kinds once (warnings: -c exits 0).
begin "v2: -c: memory not enabled, memory.high, parent protection, no cgroup, a risk, an unmapped bad value, an include"
cghost cg-v2
vz -i
# The kernel shows no memory files where memory is not enabled.
echo pids >"$CG/system.slice/cgroup.subtree_control"
rm "$CG"/system.slice/nginx.service/memory.*
echo 50000000 >"$CG/lxc.payload.web/memory.high"
sed '/^lxc:ctr /d' "$MAP" >"$MAP.new" && mv "$MAP.new" "$MAP"
echo 'lxc.cgroup2.memory.max = 1X' >>"$LXC/ctr/config"
echo 'lxc.include = /etc/lxc/extra.conf' >>"$LXC/old/config"
setbar cg:system.slice/nginx.service '==+' nginx
setbar cg:system.slice/gone.service '='
setbar lxc:web '=='
snap
vz -c
status_is 0
same_err expect/cg-check-v2.err
same_out expect/cg-check-v2.out
unchanged
if have_python; then
	vz -c --json
	status_is 0
	json_valid
	same_out expect/cg-check-v2.json
fi
end

begin "v2: -a there: exit 1 for the cgroup without memory files, the others applied"
vz -a
status_is 1
err_has "vzmem: cg:system.slice/nginx.service: error: ROOT/sys/fs/cgroup/system.slice/nginx.service/memory.low: no such file: the memory controller is not enabled for its cgroup"
err_has "vzmem: error: not applied: cg:system.slice/nginx.service"
[ "$(cat "$CG/lxc.payload.web/memory.max")" = 83603456 ] ||
    bad "lxc:web not lowered"
end

begin "v1: -c: a risk (EBUSY), no memsw in a cgroup"
cghost cg-v1
vz -i
setbar lxc:web '='
snap
vz -c
status_is 0
same_err expect/cg-check-v1.err
unchanged
end

begin "v1: no swap accounting on the host: said once, no memsw written or added"
cghost cg-v1
find "$CG/memory" -name 'memory.memsw.*' -exec rm {} +
vz -i
setbar cg:system.slice/nginx.service '==+' nginx
vz -c
status_is 0
err_has "vzmem: warning: swap accounting is off on this host (no memory.memsw.limit_in_bytes)"
err_has "vzmem: ROOT/var/lib/lxc/web/config:9: warning: lxc.cgroup.memory.memsw.limit_in_bytes is set, but there is no memory.memsw.limit_in_bytes (swap accounting off): LXC fails to start the container with it; remove the line"
[ "$(grep -c 'swap accounting is off' "$OUT/stderr")" = 1 ] ||
    bad "said more than once"
vz -a
status_is 0
! grep -q memsw "$LXC/db/config" || bad "memsw added to db/config"
grep -q '^lxc.cgroup.memory.memsw.limit_in_bytes = 768M$' "$LXC/web/config" ||
    bad "web's memsw key changed: $(grep memsw "$LXC/web/config")"
[ ! -e "$CG/memory/system.slice/nginx.service/memory.memsw.limit_in_bytes" ] ||
    bad "a memsw file made"
end

# -s: the live figures of each version, text and JSON; KSM.
for _v in v2 v1; do
	begin "$_v: -s: live use, OOM kills, KSM; --json likewise"
	cghost "cg-$_v"
	vz -i
	setbar cg:system.slice/nginx.service '==+' nginx
	[ "$_v" = v1 ] || setbar cg:system.slice/gone.service '='
	snap
	vz -s
	status_is 0
	same_out "expect/cg-status-$_v.out"
	if have_python; then
		vz -s --json
		status_is 0
		json_valid
		same_out "expect/cg-status-$_v.json"
	fi
	unchanged
	end
done

# OpenVZ, LXC and a cgroup on one host, in one map (the OpenVZ conf
# dir's).
begin "mixed: -i: OpenVZ rows, then lxc:, then cg: (kept), then FREE"
host cg-mixed
CG=$ROOT/sys/fs/cgroup
LXC=$ROOT/var/lib/lxc
vz -i
status_is 0
[ ! -e "$ROOT/etc/vzmem" ] || bad "/etc/vzmem made beside the conf dir"
setbar cg:system.slice/nginx.service '==+' nginx
vz -i
status_is 0
same "$MAP" expect/cg-mixed-init.map
end

begin "mixed: -a: vzctl for 101, the LXC config and cgroups written"
vz -a
status_is 0
vzctl_calls 1
grep -q '^set 101 --vmguarpages ' "$VZCTL_LOG" || bad "vzctl: $(cat "$VZCTL_LOG")"
same "$CONF/101.conf" expect/cg-mixed.101.conf
same "$LXC/web/config" expect/cg-mixed.web.config
cgfiles
same "$OUT/cgfiles" expect/cg-mixed.cgfiles
vz -a
status_is 0
vzctl_calls 1
err_has "up to date"
end

begin "mixed: -s: every kind's rows"
vz -s
status_is 0
same_out expect/cg-mixed-status.out
end

begin "v2: --guarantee min: memory.min and lxc.cgroup2.memory.min, low left alone"
cghost cg-v2
vz -i
setbar lxc:web '====++'
vz -a --guarantee min
status_is 0
[ "$(cat "$CG/lxc.payload.web/memory.min")" = 167206912 ] || bad "memory.min"
[ "$(cat "$CG/lxc.payload.web/memory.low")" = 268435456 ] || bad "memory.low changed"
grep -q '^lxc.cgroup2.memory.min = 167206912$' "$LXC/web/config" ||
    bad "no lxc.cgroup2.memory.min"
grep -q '^lxc.cgroup2.memory.low = 256M$' "$LXC/web/config" ||
    bad "lxc.cgroup2.memory.low changed"
vz -a --guarantee min
status_is 0
err_has "up to date"
vz -a --guarantee max
status_is 2
err_has "vzmem: error: --guarantee takes low or min, not 'max'"
end

begin "v2: -i keeps a cg: row whose cgroup is gone as it was"
setbar cg:system.slice/gone.service '===+' gone
vz -i
status_is 0
grep -q '^cg:system.slice/gone.service  *gone  *===+ ' "$MAP" ||
    bad "not kept: $(grep gone "$MAP")"
end

begin "--lxcpath DIR: the containers there; '' is a usage error"
cghost cg-v2
mv "$LXC" "$ROOT/lxc"
vz -i --lxcpath "$ROOT/lxc"
status_is 0
grep -q '^lxc:web ' "$MAP" || bad "no lxc:web"
vz -a --lxcpath ''
status_is 2
err_has "--lxcpath needs a directory"
end

# A run killed outright while it wrote configs leaves its marker in the
# lxcpath and maybe a temp file beside a config; the next -a sweeps them.
begin "v2: a killed run's temp files: the next -a removes them, and only them"
cghost cg-v2
vz -i
vz -a
status_is 0
: >"$LXC/.lxc.vzmem-tmp-Ab3dE9"
: >"$LXC/web/.config.vzmem-tmp-Xy12Zw"
: >"$LXC/web/.config.swp"
vz -a
status_is 0
err_has "removed 1 temporary file left by a killed run"
[ ! -e "$LXC/.lxc.vzmem-tmp-Ab3dE9" ] || bad "marker left"
[ ! -e "$LXC/web/.config.vzmem-tmp-Xy12Zw" ] || bad "temp file left"
[ -e "$LXC/web/.config.swp" ] || bad "an editor's file removed"
fileids ids.before
vz -a
status_is 0
err_has "up to date"
fileids ids.after
same "$OUT/ids.after" "$OUT/ids.before"
end
