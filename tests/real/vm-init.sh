#!/bin/sh
# tests/real/vm-init.sh -- the /init of the cgroup v2 VM that
# tests/real/cgroup-v2.sh builds (a busybox initramfs with vzmem in it).
# Not a pass on the host (not executable here).
#
# Mounts cgroup2, enables +memory, runs the kernel: cases (the writes done
# here with echo) and the vzmem: cases (vzmem -a --map MAP, no --root),
# prints "ok/FAIL/skip cgroup-v2: ..." lines on the serial console, then
# "# vm-init: done" and powers off.  The host counts the lines.
PATH=/bin:/sbin
HOME=/root
export PATH HOME
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mkdir -p /run/lock
# Kernel messages (OOM reports) must not break the result lines.
echo 1 >/proc/sys/kernel/printk
echo "# vm-init: up at $(cut -d' ' -f1 /proc/uptime) s of uptime," \
    "kernel $(uname -r)"

NAME=cgroup-v2
CASE=
BAD=
DETAILS=
begin() {
	CASE=$1
	BAD=
	DETAILS=
}
bad() { [ -n "$BAD" ] || BAD=$1; }
detail() { DETAILS="$DETAILS $1"; }
end() {
	if [ -z "$BAD" ]; then
		printf 'ok %s: %s\n' "$NAME" "$CASE"
	else
		printf 'FAIL %s: %s: %s\n' "$NAME" "$CASE" "$BAD"
		for _f in $DETAILS; do
			[ -s "$_f" ] && head -20 "$_f" | sed 's/^/    /'
		done
	fi
}
skip() { printf 'skip %s: %s: %s\n' "$NAME" "$1" "$2"; }
is() { [ "$2" = "$3" ] || bad "$1 is '$2', want '$3'"; }
done_() {
	echo "# vm-init: done at $(cut -d' ' -f1 /proc/uptime) s of uptime"
	sync
	poweroff -f
	sleep 10
}

# ---- the figures (SPEC 1, 4, 6.2) ----
MEMKB=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
PK=$(awk '/^KernelPageSize:/ { print $2; exit }' /proc/self/smaps)
PGSZ=$((PK * 1024))
N=$((MEMKB / 32768))
BLK=$((MEMKB / N))
pages() { echo $(($1 * BLK / PK)); }
mib() { echo $(($1 / 1048576)); }
# share g x: G, X, T in pages; GB, XB, TB in bytes (SPEC 4, 6.2).
share() {
	G=$(pages "$1")
	X=$(pages "$2")
	T=$((G + X))
	GB=$((G * PGSZ))
	XB=$((X * PGSZ))
	TB=$((T * PGSZ))
}
bar() {
	_b=
	_i=0
	while [ "$_i" -lt "$1" ]; do _b="$_b="; _i=$((_i + 1)); done
	_i=0
	while [ "$_i" -lt "$2" ]; do _b="$_b+"; _i=$((_i + 1)); done
	echo "$_b"
}
share 2 2
echo "# vm-init: MemTotal $MEMKB kB, page $PK kB, N $N, block $BLK kB;" \
    "memory.low $GB, memory.max $TB, memory.swap.max $XB bytes"

CGR=/sys/fs/cgroup
# get DIR FILE: DIR/memory.FILE; ev DIR FILE KEY: a key of a flat keyed file.
get() { cat "$1/memory.$2" 2>/dev/null || echo "(unreadable)"; }
ev() { awk -v k="$3" '$1 == k { print $2 }' "$1/memory.$2" 2>/dev/null; }
# in_cg DIR CMD...: run CMD in the cgroup DIR; its exit status.
in_cg() {
	_d=$1
	shift
	# shellcheck disable=SC2016  # $$ and $@ of the inner shell
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$_d" "$@"
}
# dd_in DIR MIB: a MIB allocation in DIR; its exit status.
dd_in() {
	in_cg "$1" dd if=/dev/zero of=/dev/null bs="$2"M count=1 2>/dev/null
}
# runs DIR MIB / killed DIR MIB: the allocation succeeds / is OOM-killed
# (exit 137 and oom_kill in memory.events rising by one).
runs() {
	_o=$(ev "$1" events oom_kill)
	dd_in "$1" "$2"
	_st=$?
	[ "$_st" = 0 ] || bad "dd of ${2}M: exit $_st, want 0"
	[ "$(ev "$1" events oom_kill)" = "$_o" ] || bad "oom_kill rose on ${2}M"
}
killed() {
	_o=$(ev "$1" events oom_kill)
	dd_in "$1" "$2"
	_st=$?
	[ "$_st" = 137 ] || bad "dd of ${2}M: exit $_st, want 137 (OOM kill)"
	is "oom_kill after ${2}M" "$(ev "$1" events oom_kill)" "$((_o + 1))"
}

# ---- kernel: done here with echo ----
begin "kernel: cgroup2 mounted, +memory in the root and the test cgroup"
mount -t cgroup2 none "$CGR" || bad "mount -t cgroup2 failed"
grep -qw memory "$CGR/cgroup.controllers" 2>/dev/null ||
    bad "no memory in cgroup.controllers"
echo +memory >"$CGR/cgroup.subtree_control" || bad "+memory in the root"
mkdir "$CGR/vzt" || bad "mkdir vzt failed"
echo +memory >"$CGR/vzt/cgroup.subtree_control" || bad "+memory in vzt"
mkdir "$CGR/vzt/kernel" "$CGR/vzt/guest" || bad "mkdir failed"
[ -f "$CGR/vzt/guest/memory.swap.max" ] || bad "no memory.swap.max"
end
K=$CGR/vzt/kernel
GC=$CGR/vzt/guest

begin "kernel: memory.low, memory.max, memory.swap.max written and read back"
echo "$GB" >"$K/memory.low" || bad "memory.low write failed"
echo "$TB" >"$K/memory.max" || bad "memory.max write failed"
echo 0 >"$K/memory.swap.max" || bad "memory.swap.max write failed"
is memory.low "$(get "$K" low)" "$GB"
is memory.max "$(get "$K" max)" "$TB"
is memory.swap.max "$(get "$K" swap.max)" 0
end

OKM=$(mib $((TB / 2)))
BIGM=$(($(mib "$TB") + 64))
begin "kernel: without swap ${OKM}M runs, ${BIGM}M is OOM-killed (memory.events oom_kill)"
runs "$K" "$OKM"
killed "$K" "$BIGM"
end

SWAP=0
if [ -f /lib/modules/zram.ko ]; then
	begin "kernel: a 256M zram swap device"
	for _m in zsmalloc lzo-rle zram; do
		insmod "/lib/modules/$_m.ko" 2>/tmp/insmod.err ||
		    bad "insmod $_m: $(cat /tmp/insmod.err)"
	done
	echo 256M >/sys/block/zram0/disksize 2>/dev/null ||
	    bad "zram0 disksize"
	mkswap /dev/zram0 >/dev/null 2>&1 || bad "mkswap failed"
	swapon /dev/zram0 || bad "swapon failed"
	grep -q zram0 /proc/swaps && SWAP=1
	end
else
	skip "kernel: zram swap" "no zram module in the initramfs"
fi

if [ "$SWAP" = 1 ]; then
	MIDM=$(($(mib "$TB") + $(mib "$XB") / 2))
	BIGM=$(($(mib "$TB") + $(mib "$XB") + 64))
	begin "kernel: swap.max $XB: ${MIDM}M runs in RAM+swap, ${BIGM}M is OOM-killed"
	echo "$XB" >"$K/memory.swap.max" || bad "memory.swap.max write"
	is memory.swap.max "$(get "$K" swap.max)" "$XB"
	runs "$K" "$MIDM"
	_sm=$(ev "$K" swap.events max)
	killed "$K" "$BIGM"
	[ "$(ev "$K" swap.events max)" -gt "${_sm:-0}" ] ||
	    bad "memory.swap.events max did not rise"
	end

	begin "kernel: swap.max 0 again: ${MIDM}M is OOM-killed"
	echo 0 >"$K/memory.swap.max" || bad "memory.swap.max write"
	killed "$K" "$MIDM"
	end
fi

# tmpfs pages stay charged to the writer's group; with swap.max 0 they
# cannot leave it.
FILLM=$(mib $((3 * BLK * 1024)))
LOWB=$(($(pages 1) * PGSZ))
begin "kernel: memory.max lowered below use ($FILLM MiB of tmpfs) is set anyway, use stays above it"
mkdir -p /tmp/fill
in_cg "$K" dd if=/dev/zero of=/tmp/fill/f bs=1M count="$FILLM" 2>/dev/null ||
    bad "fill failed"
echo "$LOWB" >"$K/memory.max" || bad "the write was refused"
is memory.max "$(get "$K" max)" "$LOWB"
_cur=$(get "$K" current)
[ "$_cur" -gt "$LOWB" ] 2>/dev/null ||
    bad "memory.current $_cur not above memory.max"
rm -f /tmp/fill/f
end
echo "# vm-init: memory.current was $_cur with memory.max $LOWB;" \
    "memory.events: $(tr '\n' ' ' <"$K/memory.events")"

# ---- vzmem ----
# Not in /tmp: vzmem refuses a map whose directory others may write.
mkdir -p /etc/vzmem
chmod 755 /etc/vzmem
MAP=/etc/vzmem/MEM-MAP
# writemap G X: the map with cg:vzt/guest and FREE.
writemap() {
	{
		echo "# tests/real/vm-init.sh"
		echo "$N"
		echo "cg:vzt/guest - $(bar "$1" "$2")"
		echo "FREE $(bar $((N - $1)) 0)"
	} >"$MAP"
}
# vz ARGS / vztrace LOG ARGS: vzmem, its exit status in VZST.
vz() {
	timeout 60 vzmem "$@" >/tmp/vz.out 2>/tmp/vz.err </dev/null
	VZST=$?
}
vztrace() {
	_l=$1
	shift
	timeout 60 strace -f -qq -y -o "$_l" -e trace=%file,write \
	    vzmem "$@" >/tmp/vz.out 2>/tmp/vz.err </dev/null
	VZST=$?
}
vzstatus() {
	[ "$VZST" = "$1" ] ||
	    bad "vzmem exit status $VZST, want $1: $(head -1 /tmp/vz.err | cut -c1-160)"
	detail /tmp/vz.err
	detail /tmp/vz.out
}
fileid() { echo "$(stat -c '%i %s %Y' "$1") $(md5sum <"$1")"; }

if ! command -v vzmem >/dev/null 2>&1; then
	echo "# vm-init: no vzmem in the initramfs"
fi
writemap 2 2
begin "vzmem: -a --map MAP applies the map (exit 0)"
vz -a --map "$MAP"
vzstatus 0
end

begin "vzmem: memory.low $GB, memory.max $TB, memory.swap.max $XB; memory.high left at max"
is memory.low "$(get "$GC" low)" "$GB"
is memory.max "$(get "$GC" max)" "$TB"
is memory.swap.max "$(get "$GC" swap.max)" "$XB"
is memory.high "$(get "$GC" high)" max
end

OKM=$(mib $((TB / 2)))
if [ "$SWAP" = 1 ]; then
	MIDM=$(($(mib "$TB") + $(mib "$XB") / 2))
	BIGM=$(($(mib "$TB") + $(mib "$XB") + 64))
	begin "vzmem: ${OKM}M runs, ${MIDM}M runs in RAM+swap, ${BIGM}M is OOM-killed"
	runs "$GC" "$OKM"
	runs "$GC" "$MIDM"
else
	BIGM=$(($(mib "$TB") + 64))
	begin "vzmem: ${OKM}M runs, ${BIGM}M is OOM-killed (no swap)"
	runs "$GC" "$OKM"
fi
killed "$GC" "$BIGM"
end

begin "vzmem: -s --json shows the guest and its oom_kill"
vz -s --json --map "$MAP"
vzstatus 0
grep -qF '"cg:vzt/guest"' /tmp/vz.out || bad 'no "cg:vzt/guest"'
grep -q '"oom_kill"' /tmp/vz.out || bad 'no "oom_kill"'
end

begin "vzmem: a second -a writes nothing"
_before=$(fileid "$MAP")
if command -v strace >/dev/null 2>&1; then
	vztrace /tmp/second.strace -a --map "$MAP"
	vzstatus 0
	if [ "$VZST" = 0 ]; then
		grep -E '^[0-9]+ +write\([0-9]+</sys/fs/cgroup/' \
		    /tmp/second.strace >/tmp/second.bad
		grep -E '^[0-9]+ +open(at)?\(.*"/sys/fs/cgroup/.*O_(WRONLY|RDWR)' \
		    /tmp/second.strace >>/tmp/second.bad
		grep -E '^[0-9]+ +rename' /tmp/second.strace >>/tmp/second.bad
		[ ! -s /tmp/second.bad ] ||
		    bad "it wrote: $(head -3 /tmp/second.bad | cut -c1-120 | tr '\n' ' ')"
	fi
else
	vz -a --map "$MAP"
	vzstatus 0
fi
is "the map (inode size mtime md5)" "$(fileid "$MAP")" "$_before"
end
command -v strace >/dev/null 2>&1 ||
    skip "vzmem: a second -a writes nothing: strace" "no strace in the VM"

share 1 1
begin "vzmem: the bar shortened to =+: memory.low $GB, memory.max $TB, memory.swap.max $XB"
writemap 1 1
vz -a --map "$MAP"
vzstatus 0
is memory.low "$(get "$GC" low)" "$GB"
is memory.max "$(get "$GC" max)" "$TB"
is memory.swap.max "$(get "$GC" swap.max)" "$XB"
end

done_
