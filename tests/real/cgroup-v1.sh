#!/bin/sh
# tests/real/cgroup-v1.sh -- vzmem on this machine's own cgroup v1 memory
# controller (SPEC 6.2): a cg: guest (a test cgroup) and an lxc: guest (a
# real busybox LXC container in a test lxcpath).  Root only; installs lxc,
# busybox-static and strace from Debian when missing.
#
#	kernel: ...   the script does the writes itself (echo > file) and
#	              the OOM checks: the harness works whatever vzmem does
#	vzmem: ...    vzmem -a --map MAP --lxcpath DIR (no --root), then the
#	              kernel's files and the LXC config read back
#
# N is chosen so that a block is about 32 MB; the guests get 4 blocks
# (T ~ 128 MB).  VZMEM=path tests another binary; KEEP=1 keeps the temp
# dir (vz.log has every vzmem run with its output).
. "$(dirname "$0")/lib.sh"

MEMCG=/sys/fs/cgroup/memory
[ "$(id -u)" = 0 ] || skip_all "not root"
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
	skip_all "the memory controller is cgroup v2 on this host"
fi
[ -f "$MEMCG/memory.limit_in_bytes" ] ||
    skip_all "no cgroup v1 memory controller at $MEMCG"
LXC=1
LXCWHY=
need lxc-create:lxc lxc-start:lxc lxc-attach:lxc lxc-info:lxc \
    busybox:busybox-static || {
	LXC=0
	LXCWHY=$WHY
}
STRACE=1
STRACEWHY=
need strace:strace || {
	STRACE=0
	STRACEWHY=$WHY
}

ID=vzmem-test.$$		# the test cgroup, at the hierarchy's root
CG=$MEMCG/$ID
CT=vzmem-t$$			# the container
LXCP=
CTCG=

# rmcg DIR...: remove each cgroup, retrying while it drains (2 s).
rmcg() {
	for _d in "$@"; do
		_i=0
		while [ -d "$_d" ] && ! rmdir "$_d" 2>/dev/null &&
		    [ "$_i" -lt 20 ]; do
			sleep 0.1
			_i=$((_i + 1))
		done
		[ ! -d "$_d" ] || echo "# $NAME: cleanup: could not rmdir $_d"
	done
}

cleanup() {
	trap - EXIT HUP INT TERM
	# Our own processes left in our cgroups (only after an interrupt).
	cat "$CG/cgroup.procs" "$CG"/*/cgroup.procs 2>/dev/null |
	    while read -r _p; do
		kill -9 "$_p" 2>/dev/null
	done
	if [ -n "$LXCP" ] && [ -d "$LXCP/$CT" ]; then
		[ "$KEEP" != 1 ] || cp "$LXCP/$CT/config" "$TMP/config.last"
		lxc-stop -P "$LXCP" -n "$CT" -k >/dev/null 2>&1
		lxc-destroy -P "$LXCP" -n "$CT" -f >/dev/null 2>&1 ||
		    echo "# $NAME: cleanup: lxc-destroy $CT failed"
	fi
	if [ -n "$TMP" ] && grep -q " $TMP/shm " /proc/mounts; then
		umount "$TMP/shm"
	fi
	if [ -n "$TMP" ] && grep -q "^$TMP/swap " /proc/swaps; then
		swapoff "$TMP/swap" || echo "# $NAME: cleanup: swapoff failed"
	fi
	[ ! -d "$CG" ] || rmcg "$CG"/*/ "$CG"
	for _h in /sys/fs/cgroup/*/; do
		[ -d "${_h}lxc.payload.$CT" ] && rmcg "${_h}lxc.payload.$CT"
		[ -d "${_h}lxc.monitor.$CT" ] && rmcg "${_h}lxc.monitor.$CT"
		# LXC leaves it behind; still busy if another container uses it.
		[ -d "${_h}lxc.pivot" ] && rmdir "${_h}lxc.pivot" 2>/dev/null
	done
	rmtmp
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
mktmp
start=$(date +%s)

# ---- the figures (SPEC 1, 4, 6.2) ----
host_figures
N=$((MEMKB / 32768))
BLK=$((MEMKB / N))
# set_share WHO g x: WHO_G, WHO_X, WHO_T in pages, WHO_GB, WHO_TB bytes.
set_share() {
	_G=$(pages "$2")
	_X=$(pages "$3")
	eval "${1}_G=$_G ${1}_X=$_X ${1}_T=$((_G + _X))"
	eval "${1}_GB=$(bytes "$_G") ${1}_TB=$(bytes $((_G + _X)))"
	eval "${1}_BAR='$(bar "$2" "$3")'"
}
set_share CGA 2 2		# cg guest, first map: ==++
set_share CTA 3 1		# lxc guest, first map: ===+
set_share CGB 1 0		# second map: cg guest lowered to =
set_share CTB 4 1		# second map: lxc guest raised to ====+
echo "# $NAME: MemTotal $MEMKB kB, page $PK kB, N $N, block $BLK kB;" \
    "cg guest T $CGA_TB bytes, lxc guest T $CTA_TB bytes"

# writemap FILE CGBAR CTBAR FREE: a MEM-MAP with the two guests and FREE.
writemap() {
	{
		echo "# tests/real/cgroup-v1.sh"
		echo "$N"
		if [ "$LXC" = 1 ]; then
			echo "lxc:$CT $CT $3"
		fi
		echo "cg:$ID/guest - $2"
		echo "FREE $(bar "$4" 0)"
	} >"$1"
}

# get DIR FILE: the value of cgroup file DIR/memory.FILE.
get() { cat "$1/memory.$2" 2>/dev/null || echo "(unreadable)"; }

# ooms DIR: the oom_kill count of memory.oom_control.
ooms() { awk '$1 == "oom_kill" { print $2 }' "$1/memory.oom_control"; }

# in_cg DIR CMD...: run CMD in the cgroup DIR; its exit status.
in_cg() {
	_d=$1
	shift
	# shellcheck disable=SC2016  # $$ and $@ of the inner shell
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$_d" "$@"
}

# alloc_checks HOW OK_MIB BIG_MIB DIR: HOW (in_cg DIR, or lxc_in) runs a
# dd of OK_MIB, which must succeed, and one of BIG_MIB, which must be
# OOM-killed (exit 137, oom_kill of DIR rising by one).
alloc_checks() {
	_o=$(ooms "$4")
	$1 dd if=/dev/zero of=/dev/null bs="$2"M count=1 2>"$TMP/dd.err"
	_st=$?
	[ "$_st" = 0 ] || bad "dd of ${2}M: exit $_st, want 0 ($(tr '\n' ' ' <"$TMP/dd.err"))"
	[ "$(ooms "$4")" = "$_o" ] || bad "oom_kill rose on the ${2}M dd"
	$1 dd if=/dev/zero of=/dev/null bs="$3"M count=1 2>/dev/null
	_st=$?
	[ "$_st" = 137 ] || bad "dd of ${3}M: exit $_st, want 137 (OOM kill)"
	is "oom_kill count" "$(ooms "$4")" "$((_o + 1))"
}

lxc_in() { lxc-attach -P "$LXCP" -n "$CT" -- "$@"; }
kcg() { in_cg "$CG/kernel" "$@"; }
gcg() { in_cg "$CG/guest" "$@"; }

# v1files DIR SOFT LIMIT MEMSW: the three files hold these bytes.
v1files() {
	is soft_limit_in_bytes "$(get "$1" soft_limit_in_bytes)" "$2"
	is limit_in_bytes "$(get "$1" limit_in_bytes)" "$3"
	is memsw.limit_in_bytes "$(get "$1" memsw.limit_in_bytes)" "$4"
}

# ---- kernel: the test cgroup, written by this script ----
begin "kernel: test cgroup $ID under the v1 memory controller"
mkdir "$CG" "$CG/kernel" "$CG/guest" || bad "mkdir failed"
[ -f "$CG/kernel/memory.memsw.limit_in_bytes" ] ||
    bad "no memory.memsw.limit_in_bytes (swap accounting off)"
end

K=$CG/kernel
begin "kernel: soft limit, limit, memsw written (limit first) and read back"
echo "$CGA_GB" >"$K/memory.soft_limit_in_bytes" 2>/dev/null
echo "$CGA_TB" >"$K/memory.limit_in_bytes" || bad "limit write failed"
echo "$CGA_TB" >"$K/memory.memsw.limit_in_bytes" || bad "memsw write failed"
v1files "$K" "$CGA_GB" "$CGA_TB" "$CGA_TB"
end

begin "kernel: memsw below the limit is refused"
if echo "$((CGA_TB - PGSZ))" >"$K/memory.memsw.limit_in_bytes" 2>/dev/null
then
	bad "the write succeeded"
fi
is memsw.limit_in_bytes "$(get "$K" memsw.limit_in_bytes)" "$CGA_TB"
end

OKM=$(mib $((CGA_TB / 2)))
BIGM=$(($(mib "$CGA_TB") + 64))
begin "kernel: ${OKM}M within the limit runs, ${BIGM}M is OOM-killed"
alloc_checks kcg "$OKM" "$BIGM" "$K"
end

# tmpfs pages stay charged to the writer's group: use that cannot be
# reclaimed (no swap) and needs no process to hold it.
mkdir "$TMP/shm"
mount -t tmpfs -o size=512m vzmem-test "$TMP/shm" ||
    echo "# $NAME: mount tmpfs failed"
FILLM=$(mib $((3 * BLK * 1024)))	# 3 blocks, within T (4 blocks)
begin "kernel: lowering the limit below use ($FILLM MiB of tmpfs) is refused (EBUSY)"
kcg dd if=/dev/zero of="$TMP/shm/fill" bs=1M count="$FILLM" 2>/dev/null ||
    bad "fill failed"
if [ "$STRACE" = 1 ]; then
	# shellcheck disable=SC2016  # $1, $2 of the inner shell
	strace -qq -e trace=write -o "$TMP/ebusy.strace" \
	    sh -c 'echo "$1" >"$2"' - "$CGB_TB" \
	    "$K/memory.limit_in_bytes" 2>/dev/null && bad "the write succeeded"
	grep -q EBUSY "$TMP/ebusy.strace" ||
	    bad "not EBUSY: $(grep -v '^write(2' "$TMP/ebusy.strace" | head -1)"
elif echo "$CGB_TB" >"$K/memory.limit_in_bytes" 2>/dev/null; then
	bad "the write succeeded"
fi
is limit_in_bytes "$(get "$K" limit_in_bytes)" "$CGA_TB"
rm -f "$TMP/shm/fill"
end

# ---- kernel: the LXC container ----
# startct: start the container and wait until it runs (10 s).
startct() {
	if ! lxc-start -P "$LXCP" -n "$CT" -d -o "$TMP/lxc-start.log" \
	    2>"$TMP/lxc-start.err"; then
		bad "lxc-start failed: $(cat "$TMP/lxc-start.err" \
		    "$TMP/lxc-start.log" 2>/dev/null | tail -1)"
	elif ! lxc-wait -P "$LXCP" -n "$CT" -s RUNNING -t 10; then
		bad "not RUNNING after 10 s"
	fi
}
if [ "$LXC" = 1 ]; then
	begin "kernel: LXC container $CT created and started (busybox)"
	LXCP=$TMP/lxc
	mkdir "$LXCP"
	lxc-create -P "$LXCP" -n "$CT" -t busybox >"$TMP/lxc-create.log" 2>&1 ||
	    bad "lxc-create failed: $(tail -1 "$TMP/lxc-create.log")"
	CFG=$LXCP/$CT/config
	if [ -f "$CFG" ]; then
		sed -i -e 's/^lxc\.net\.0\.type *=.*/lxc.net.0.type = empty/' \
		    -e '/^lxc\.net\.0\.\(link\|flags\)/d' \
		    -e 's/^lxc\.apparmor\.profile *=.*/lxc.apparmor.profile = unconfined/' \
		    -e '/^lxc\.apparmor\.allow_nesting/d' "$CFG"
		cp "$CFG" "$TMP/config.orig"
	fi
	[ -n "$BAD" ] || startct
	end
	# ctcg: the container's memory cgroup, from its init's /proc/PID/cgroup.
	ctcg() {
		_pid=$(lxc-info -P "$LXCP" -n "$CT" -p -H 2>/dev/null)
		_rel=$(sed -n 's/^[0-9]*:memory://p' "/proc/$_pid/cgroup" \
		    2>/dev/null)
		[ -n "$_rel" ] && echo "$MEMCG$_rel"
	}
	[ -z "$BAD" ] || {
		LXC=0
		LXCWHY="the container did not start"
	}
fi
if [ "$LXC" = 1 ]; then
	CTCG=$(ctcg)
	begin "kernel: its memory cgroup is lxc.payload.$CT"
	is cgroup "$CTCG" "$MEMCG/lxc.payload.$CT"
	end
	[ -n "$CTCG" ] || {
		LXC=0
		LXCWHY="no memory cgroup found for the container"
	}
fi
if [ "$LXC" = 1 ]; then
	begin "kernel: LXC: 128M written to its cgroup; ${OKM}M runs, ${BIGM}M is OOM-killed; still running"
	echo $((128 << 20)) >"$CTCG/memory.limit_in_bytes" || bad "limit write"
	echo $((128 << 20)) >"$CTCG/memory.memsw.limit_in_bytes" ||
	    bad "memsw write"
	alloc_checks lxc_in "$OKM" "$BIGM" "$CTCG"
	[ "$(lxc-info -P "$LXCP" -n "$CT" -s -H)" = RUNNING ] ||
	    bad "container not RUNNING after the kill"
	# Unlimited again (raising: memsw first), so vzmem starts from
	# LXC's defaults.
	echo -1 >"$CTCG/memory.memsw.limit_in_bytes" || bad "memsw reset"
	echo -1 >"$CTCG/memory.limit_in_bytes" || bad "limit reset"
	end
fi
[ "$LXC" = 1 ] || skip "LXC cases" "$LXCWHY"

# ---- vzmem ----
MAP=$TMP/MEM-MAP
FREE=$((N - 2 - 3))
[ "$LXC" = 1 ] || FREE=$((N - 2))
writemap "$MAP" "$CGA_BAR" "$CTA_BAR" "$FREE"
ALSO=
if [ "$LXC" = 1 ]; then
	set -- --map "$MAP" --lxcpath "$LXCP"
	ALSO=" --lxcpath DIR"
else
	set -- --map "$MAP"
fi

begin "vzmem: -a --map MAP$ALSO applies the map (exit 0)"
vzrun -a "$@"
vzstatus 0
end
[ -z "$BAD" ] || vzshow
G=$CG/guest

begin "vzmem: cg guest: soft limit $CGA_GB, limit and memsw $CGA_TB bytes"
v1files "$G" "$CGA_GB" "$CGA_TB" "$CGA_TB"
end

# cfgval KEY: the last value of KEY in the container's config (blanks and
# double quotes around it taken off).
cfgval() {
	sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$CFG" |
	    tail -1 | sed -e 's/[[:space:]]*$//' -e 's/^"\(.*\)"$/\1/'
}
# cfgline KEY: the line number of its last assignment.
cfgline() {
	grep -n "^[[:space:]]*$1[[:space:]]*=" "$CFG" | tail -1 | cut -d: -f1
}

if [ "$LXC" = 1 ]; then
	begin "vzmem: lxc guest: soft limit $CTA_GB, limit and memsw $CTA_TB bytes live"
	v1files "$CTCG" "$CTA_GB" "$CTA_TB" "$CTA_TB"
	end

	begin "vzmem: lxc config: lxc.cgroup.memory.* set, memsw after the limit, every other byte kept"
	is lxc.cgroup.memory.soft_limit_in_bytes \
	    "$(cfgval 'lxc\.cgroup\.memory\.soft_limit_in_bytes')" "$CTA_GB"
	is lxc.cgroup.memory.limit_in_bytes \
	    "$(cfgval 'lxc\.cgroup\.memory\.limit_in_bytes')" "$CTA_TB"
	is lxc.cgroup.memory.memsw.limit_in_bytes \
	    "$(cfgval 'lxc\.cgroup\.memory\.memsw\.limit_in_bytes')" "$CTA_TB"
	_l=$(cfgline 'lxc\.cgroup\.memory\.limit_in_bytes')
	_m=$(cfgline 'lxc\.cgroup\.memory\.memsw\.limit_in_bytes')
	[ -z "$_l" ] || [ -z "$_m" ] || [ "$_l" -lt "$_m" ] ||
	    bad "memsw (line $_m) before the limit (line $_l)"
	grep -v '^[[:space:]]*lxc\.cgroup\.memory\.' "$CFG" >"$TMP/config.rest"
	if ! cmp -s "$TMP/config.orig" "$TMP/config.rest"; then
		bad "other lines changed"
		diff "$TMP/config.orig" "$TMP/config.rest" >"$TMP/config.diff"
		detail "$TMP/config.diff"
	fi
	end
fi

OKM=$(mib $((CGA_TB / 2)))
BIGM=$(($(mib "$CGA_TB") + 64))
begin "vzmem: cg guest: ${OKM}M runs, ${BIGM}M is OOM-killed"
alloc_checks gcg "$OKM" "$BIGM" "$G"
end

if [ "$LXC" = 1 ]; then
	OKM=$(mib $((CTA_TB / 2)))
	BIGM=$(($(mib "$CTA_TB") + 64))
	begin "vzmem: lxc guest: ${OKM}M runs, ${BIGM}M is OOM-killed"
	alloc_checks lxc_in "$OKM" "$BIGM" "$CTCG"
	end
fi

begin "vzmem: -s --json shows the guests and their oom_kill"
vzrun -s --json "$@"
vzstatus 0
grep -qF "\"cg:$ID/guest\"" "$TMP/vz.out" || bad "no \"cg:$ID/guest\""
if [ "$LXC" = 1 ]; then
	grep -qF "\"lxc:$CT\"" "$TMP/vz.out" || bad "no \"lxc:$CT\""
fi
grep -q '"oom_kill"' "$TMP/vz.out" || bad "no \"oom_kill\""
if have python3 && ! python3 -m json.tool "$TMP/vz.out" >/dev/null 2>&1
then
	bad "not one JSON document"
fi
end

# fileid FILE...: inode, size and checksum of each.
fileid() {
	for _f in "$@"; do
		echo "$(stat -c '%i %s %Y' "$_f" 2>&1) $(cksum <"$_f" 2>&1)"
	done
}

begin "vzmem: a second -a writes nothing"
_files=$MAP
[ "$LXC" = 0 ] || _files="$MAP $CFG"
# shellcheck disable=SC2086  # two paths without blanks
fileid $_files >"$TMP/ids.before"
if [ "$STRACE" = 1 ]; then
	vztrace "$TMP/second.strace" -a "$@"
	vzstatus 0
	[ "$VZST" != 0 ] || wrote_nothing "$TMP/second.strace"
else
	vzrun -a "$@"
	vzstatus 0
fi
# shellcheck disable=SC2086
fileid $_files >"$TMP/ids.after"
cmp -s "$TMP/ids.before" "$TMP/ids.after" ||
    bad "map or config replaced: $(diff "$TMP/ids.before" "$TMP/ids.after" | tr '\n' ' ')"
end
[ "$STRACE" = 1 ] ||
    skip "vzmem: a second -a writes nothing: strace" "$STRACEWHY"

if [ "$LXC" = 1 ]; then
	begin "vzmem: LXC applies the config vzmem wrote when $CT restarts"
	lxc-stop -P "$LXCP" -n "$CT" -k || bad "lxc-stop failed"
	startct
	CTCG=$(ctcg)
	v1files "$CTCG" "$CTA_GB" "$CTA_TB" "$CTA_TB"
	end
fi

FILLM=$(mib $((3 * BLK * 1024)))
begin "vzmem: cg guest lowered below its use ($FILLM MiB): exit 1 naming it, its limit kept${ALSO:+, the lxc guest raised}"
gcg dd if=/dev/zero of="$TMP/shm/fill" bs=1M count="$FILLM" 2>/dev/null ||
    bad "fill failed"
FREE2=$((N - 1 - 4))
[ "$LXC" = 1 ] || FREE2=$((N - 1))
writemap "$MAP" "$CGB_BAR" "$CTB_BAR" "$FREE2"
if [ "$STRACE" = 1 ]; then
	vztrace "$TMP/lower.strace" -a "$@"
else
	vzrun -a "$@"
fi
vzstatus 1
grep -qF "cg:$ID/guest" "$TMP/vz.err" || bad "stderr does not name cg:$ID/guest"
is "cg limit_in_bytes" "$(get "$G" limit_in_bytes)" "$CGA_TB"
is "cg memsw.limit_in_bytes" "$(get "$G" memsw.limit_in_bytes)" "$CGA_TB"
if [ "$LXC" = 1 ]; then
	v1files "$CTCG" "$CTB_GB" "$CTB_TB" "$CTB_TB"
	is lxc.cgroup.memory.limit_in_bytes \
	    "$(cfgval 'lxc\.cgroup\.memory\.limit_in_bytes')" "$CTB_TB"
fi
end
[ -z "$BAD" ] || vzshow

# firstwrite FILE: the line of the strace log where FILE is first written.
firstwrite() {
	grep -n "^[0-9]* *write([0-9]*<$1>" "$TMP/lower.strace" | head -1 |
	    cut -d: -f1
}
if [ "$LXC" = 0 ]; then
	:
elif [ "$STRACE" = 1 ]; then
	begin "vzmem: the decrease (cg guest) is tried before the increase (lxc guest, memsw first)"
	_dec=$(firstwrite "$G/memory.limit_in_bytes")
	_ms=$(firstwrite "$CTCG/memory.memsw.limit_in_bytes")
	_li=$(firstwrite "$CTCG/memory.limit_in_bytes")
	if [ -z "$_dec" ] || [ -z "$_ms" ] || [ -z "$_li" ]; then
		bad "writes missing: cg limit at line '$_dec', lxc memsw '$_ms', lxc limit '$_li'"
	else
		if [ "$_dec" -gt "$_ms" ] || [ "$_dec" -gt "$_li" ]; then
			bad "lxc guest raised (lines $_ms, $_li) before the cg guest's decrease (line $_dec)"
		fi
		[ "$_ms" -lt "$_li" ] ||
		    bad "lxc limit raised (line $_li) before its memsw (line $_ms)"
	fi
	end
else
	skip "vzmem: the decrease is tried before the increase" "$STRACEWHY"
fi

begin "vzmem: once that use is freed, -a converges (cg guest limit $CGB_TB)"
rm -f "$TMP/shm/fill"
vzrun -a "$@"
vzstatus 0
v1files "$G" "$CGB_GB" "$CGB_TB" "$CGB_TB"
end

# ---- vzmem: RAM+swap above the new memsw limit (EBUSY on memsw) ----
# A swap file for the pass (the host has none): the guest's tmpfs pages
# are pushed to swap by the script lowering its limit for a moment, so
# that it holds little RAM and much RAM+swap.  A map within its RAM but
# below its RAM+swap: -c foresees the refusal; -a lowers the limit, the
# kernel refuses memsw (EBUSY), and vzmem puts the limit back.
set_share CGC 2 0
SWAPOK=0
if have mkswap && have swapon && have swapoff &&
    dd if=/dev/zero of="$TMP/swap" bs=1M count=256 2>/dev/null &&
    chmod 600 "$TMP/swap" && mkswap "$TMP/swap" >/dev/null 2>&1 &&
    swapon "$TMP/swap" 2>/dev/null; then
	SWAPOK=1
fi
if [ "$SWAPOK" = 1 ]; then
	begin "vzmem: with swap, the cg guest back at $CGA_BAR; ${FILLM} MiB of tmpfs pushed to swap"
	# '=' blocks: the cg guest 2 (then 2 again), the lxc guest 4.
	FREE3=$((N - 2 - 4))
	[ "$LXC" = 1 ] || FREE3=$((N - 2))
	writemap "$MAP" "$CGA_BAR" "$CTB_BAR" "$FREE3"
	vzrun -a "$@"
	vzstatus 0
	gcg dd if=/dev/zero of="$TMP/shm/fill" bs=1M count="$FILLM" \
	    2>/dev/null || bad "fill failed"
	echo "$CGB_TB" >"$G/memory.limit_in_bytes" || bad "swapping out failed"
	echo "$CGA_TB" >"$G/memory.limit_in_bytes" || bad "limit not restored"
	_use=$(get "$G" usage_in_bytes)
	_sw=$(get "$G" memsw.usage_in_bytes)
	if [ "$_use" -gt "$CGC_TB" ] || [ "$_sw" -le "$CGC_TB" ]; then
		bad "RAM $_use, RAM+swap $_sw: want RAM <= $CGC_TB < RAM+swap"
	fi
	end
	[ -z "$BAD" ] || vzshow

	writemap "$MAP" "$CGC_BAR" "$CTB_BAR" "$FREE3"
	begin "vzmem: -c foresees the refused memsw (RAM+swap in use above $CGC_TB)"
	vzrun -c "$@"
	vzstatus 0
	grep -qF "warning: cg:$ID/guest: the new RAM+swap limit $CGC_TB is below the RAM+swap it uses now" \
	    "$TMP/vz.err" || bad "no warning: $(head -3 "$TMP/vz.err" | tr '\n' ' ')"
	end

	begin "vzmem: -a: memsw refused (EBUSY), the limit put back: both files as they were, exit 1"
	vzrun -a "$@"
	vzstatus 1
	grep -qF "cg:$ID/guest: error: cannot write $CGC_TB to $G/memory.memsw.limit_in_bytes: Device or resource busy" \
	    "$TMP/vz.err" || bad "no EBUSY error: $(head -2 "$TMP/vz.err" | tr '\n' ' ')"
	grep -qF "cg:$ID/guest: memory.limit_in_bytes put back: its cgroup is as it was" \
	    "$TMP/vz.err" || bad "not said put back: $(head -3 "$TMP/vz.err" | tr '\n' ' ')"
	v1files "$G" "$CGA_GB" "$CGA_TB" "$CGA_TB"
	end
	[ -z "$BAD" ] || vzshow

	begin "vzmem: -s marks the cg guest: its live limits are not its row's"
	vzrun -s "$@"
	vzstatus 0
	grep -qF "* cg:$ID/guest: live RAM limit" "$TMP/vz.out" ||
	    bad "no mark: $(grep -F "$ID" "$TMP/vz.out" | tr '\n' ' ')"
	end

	rm -f "$TMP/shm/fill"
	swapoff "$TMP/swap" || echo "# $NAME: swapoff failed"
	rm -f "$TMP/swap"
else
	skip "vzmem: memsw refused (EBUSY) and the limit put back" \
	    "no swap file could be made and turned on"
fi

echo "# $NAME: took $(($(date +%s) - start)) s"
tally
