#!/bin/sh
# tests/real/cgroup-v2.sh -- vzmem on a real cgroup v2 memory controller:
# a QEMU VM (TCG: KVM hangs on these machines) booting a Debian kernel
# with a busybox initramfs that holds vzmem, its shared libraries, strace
# and tests/real/vm-init.sh as /init (which see for the cases).
#
# The kernel package (linux-image-cloud-amd64's current dependency, or
# KERNEL_PKG=linux-image-...) is fetched with apt-get download, never
# installed, and kept in tests/real/.cache (REAL_CACHE=DIR elsewhere).
# As root, installs qemu-system-x86, busybox-static and cpio when
# missing.  Needs no root otherwise.  VM_TIMEOUT (120 s) bounds the VM: a
# hung or panicked VM is a FAIL.  VZMEM=path, KEEP=1 as in lib.sh (the
# temp dir then has console.log, the initramfs tree and initrd.gz).
. "$(dirname "$0")/lib.sh"

VM_TIMEOUT=${VM_TIMEOUT:-120}
need qemu-system-x86_64:qemu-system-x86 cpio:cpio gzip:gzip \
    busybox:busybox-static || skip_all "$WHY"
BUSYBOX=$(command -v busybox)
ldd "$BUSYBOX" >/dev/null 2>&1 &&
    skip_all "$BUSYBOX is dynamically linked (install busybox-static)"

cleanup() {
	trap - EXIT HUP INT TERM
	[ -z "${QPID:-}" ] || kill -TERM "$QPID" 2>/dev/null  # timeout passes it on
	rmtmp
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
mktmp
start=$(date +%s)

# now: seconds since the epoch, to the millisecond.
now() { date +%s.%3N; }
# since T: seconds from T to now, one decimal.
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- the kernel: cached, or downloaded and unpacked (not installed) ----
# kernel: KDIR (boot/vmlinuz, modules), KPKG, KVER; 1 with $WHY if none.
kernel() {
	KPKG=${KERNEL_PKG:-}
	if [ -z "$KPKG" ]; then
		KDIR=$(for _d in "$CACHE"/linux-image-*/vmlinuz; do
			[ -f "$_d" ] && basename "$(dirname "$_d")"
		done | sort -V | tail -1)
		KPKG=$KDIR
	fi
	if [ -z "$KPKG" ]; then
		KPKG=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		    sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' |
		    head -1)
	fi
	if [ -z "$KPKG" ] && [ "$(id -u)" = 0 ]; then
		apt-get update -qq >/dev/null 2>&1
		KPKG=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		    sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' |
		    head -1)
	fi
	if [ -z "$KPKG" ]; then
		WHY="no linux-image-cloud-amd64 in apt's lists"
		return 1
	fi
	KDIR=$CACHE/$KPKG
	if [ ! -f "$KDIR/vmlinuz" ]; then
		echo "# $NAME: apt-get download $KPKG"
		mkdir -p "$TMP/deb" "$CACHE" || {
			WHY="cannot make $CACHE"
			return 1
		}
		(cd "$TMP/deb" && apt-get download "$KPKG") \
		    >"$TMP/download.log" 2>&1
		_deb=
		for _f in "$TMP"/deb/*.deb; do
			[ -f "$_f" ] && _deb=$_f
		done
		if [ -z "$_deb" ]; then
			WHY="apt-get download $KPKG failed: $(grep -v '^W:' "$TMP/download.log" | tail -1)"
			return 1
		fi
		dpkg-deb -x "$_deb" "$TMP/kx" || {
			WHY="dpkg-deb -x $_deb failed"
			return 1
		}
		rm -rf "$KDIR.new"
		mkdir -p "$KDIR.new/modules"
		if ! cp "$TMP"/kx/boot/vmlinuz-* "$KDIR.new/vmlinuz"; then
			WHY="no vmlinuz in $_deb"
			return 1
		fi
		cp "$TMP"/kx/boot/config-* "$KDIR.new/config"
		ls "$TMP/kx/lib/modules" >"$KDIR.new/release"
		dpkg-deb -f "$_deb" Version >"$KDIR.new/version"
		for _m in zsmalloc lzo-rle zram; do
			find "$TMP/kx/lib/modules" -name "$_m.ko" \
			    -exec cp {} "$KDIR.new/modules/" \;
		done
		rm -rf "$KDIR" "$TMP/kx" "$TMP/deb"
		mv "$KDIR.new" "$KDIR"
	fi
	KVER=$(cat "$KDIR/release" 2>/dev/null)
	return 0
}

begin "setup: a Debian kernel package, unpacked into the cache"
kernel || {
	skip "all" "$WHY"
	rmtmp
	tally
	exit 0
}
end
echo "# $NAME: kernel $KPKG $(cat "$KDIR/version" 2>/dev/null) ($KVER)"

# ---- the initramfs ----
R=$TMP/root
# copy_bin BIN DEST: BIN at DEST in the tree, with the libraries ldd
# names at their own paths.
copy_bin() {
	cp -L "$1" "$R$2" || return 1
	ldd "$1" 2>/dev/null | awk '{
		for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i
	}' | while read -r _lib; do
		mkdir -p "$R$(dirname "$_lib")"
		[ -e "$R$_lib" ] || cp -L "$_lib" "$R$_lib"
	done
}

begin "setup: a busybox initramfs with vzmem ($(basename "$VZMEM")) in it"
_t0=$(now)
mkdir -p "$R/bin" "$R/sbin" "$R/etc" "$R/proc" "$R/sys" "$R/dev" \
    "$R/tmp" "$R/run" "$R/root" "$R/lib/modules"
cp "$BUSYBOX" "$R/bin/busybox"
for _a in $("$BUSYBOX" --list); do
	[ -e "$R/bin/$_a" ] || ln -s busybox "$R/bin/$_a"
done
ln -s ../bin/busybox "$R/sbin/modprobe"	# the kernel may call it
if [ -x "$VZMEM" ]; then
	copy_bin "$VZMEM" /bin/vzmem || bad "cannot copy $VZMEM"
else
	echo "# $NAME: no vzmem binary at $VZMEM (make): vzmem cases fail"
fi
if have strace; then
	copy_bin "$(command -v strace)" /bin/strace || bad "cannot copy strace"
fi
cp "$KDIR"/modules/*.ko "$R/lib/modules/" 2>/dev/null
echo 'root:x:0:0:root:/root:/bin/sh' >"$R/etc/passwd"
echo 'root:x:0:' >"$R/etc/group"
cp "$REAL/vm-init.sh" "$R/init" || bad "no init"
chmod 755 "$R/init"
(cd "$R" && find . | cpio -o -H newc --quiet) | gzip -1 >"$TMP/initrd.gz" ||
    bad "cpio failed"
end
echo "# $NAME: initramfs $(($(wc -c <"$TMP/initrd.gz") / 1024)) kB in $(since "$_t0") s"

begin "vm: boots, runs /init and powers off within $VM_TIMEOUT s"
_t0=$(now)
timeout -k 5 "$VM_TIMEOUT" qemu-system-x86_64 -accel tcg -m 512M -smp 1 \
    -nodefaults -no-user-config -display none -monitor none \
    -serial "file:$TMP/console.log" -no-reboot \
    -kernel "$KDIR/vmlinuz" -initrd "$TMP/initrd.gz" \
    -append "console=ttyS0 panic=-1 loglevel=1" \
    >"$TMP/qemu.log" 2>&1 </dev/null &
QPID=$!
wait "$QPID"
_st=$?
QPID=
VMSECS=$(since "$_t0")
tr -d '\r' <"$TMP/console.log" >"$TMP/console.txt" 2>/dev/null
case $_st in
0) ;;
124 | 137) bad "timed out after $VM_TIMEOUT s" ;;
*) bad "qemu exit status $_st: $(tail -1 "$TMP/qemu.log")" ;;
esac
grep -q '^# vm-init: done' "$TMP/console.txt" ||
    bad "/init did not finish (no '# vm-init: done' on the console)"
detail "$TMP/qemu.log"
[ -n "$BAD" ] && tail -15 "$TMP/console.txt" >"$TMP/console.tail" &&
    detail "$TMP/console.tail"
end

# The VM's own lines, as they came, counted here.
sed -n -e "s/^# /# $NAME: /p" -e '/^ok /p' -e '/^FAIL /p' -e '/^skip /p' \
    -e '/^    /p' "$TMP/console.txt"
npass=$((npass + $(grep -c '^ok ' "$TMP/console.txt")))
nfail=$((nfail + $(grep -c '^FAIL ' "$TMP/console.txt")))
nskip=$((nskip + $(grep -c '^skip ' "$TMP/console.txt")))
echo "# $NAME: VM ran $VMSECS s (TCG); pass took $(($(date +%s) - start)) s"
tally
