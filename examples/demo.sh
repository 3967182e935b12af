#!/bin/sh
# examples/demo.sh -- vzmem on the demo hosts of examples/, run by
# "make demo".  Works on copies in a fresh temp dir.  The OpenVZ host
# (examples/host): builds the memory map with "vzmem -i", shows it, then
# a dry run of "vzmem -a" and "vzmem -c".  The LXC host
# (examples/lxc-host, cgroup v2): "vzmem -i", a systemd service given a
# row, a dry run, "vzmem -a" and "vzmem -s".  The Proxmox VE node
# (examples/pve-node): "vzmem -i", a VM's minimum raised, a dry run,
# "vzmem -c", "vzmem -a" and "vzmem -s".  Only the -i steps must
# succeed; the others show their exit status.
set -u

top=$(cd "$(dirname "$0")/.." && pwd) || exit 1
vzmem=$top/vzmem
if [ ! -x "$vzmem" ]; then
	echo "demo: $vzmem is not built; run make first" >&2
	exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/vzmem-demo.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
trap 'exit 1' HUP INT TERM
root=$dir/host
cp -R "$top/examples/host" "$root" || exit 1

# show ARGS: print the command line, then run vzmem with ARGS.
show() {
	echo "\$ vzmem $*"
	"$vzmem" "$@"
}

echo "Demo host: $root (a copy of examples/host)"
echo "8 GB of RAM, 4 GB of swap; containers 101, 102, 103 (legacy UBC),"
echo "104 and 26bc47f6-... (VSwap); 103 is stopped."
echo

show --root "$root" -i || {
	echo "demo: vzmem -i failed (exit status $?)" >&2
	exit 1
}
echo
echo "---- $root/etc/vz/conf/MEM-MAP, as written by vzmem -i ----"
cat "$root/etc/vz/conf/MEM-MAP" || exit 1
echo "---- end of MEM-MAP ----"

echo
show --root "$root" -a -n --vzctl "$top/tests/bin/vzctl"
echo "(exit status $?)"

echo
show --root "$root" -c
echo "(exit status $?)"

lxc=$dir/lxc-host
cp -R "$top/examples/lxc-host" "$lxc" || exit 1
map=$lxc/etc/vzmem/MEM-MAP
echo
echo "==== LXC host: $lxc (a copy of examples/lxc-host) ===="
echo "4 GB of RAM, 1 GB of swap, cgroup v2; LXC containers web and db"
echo "running, build stopped; a systemd service, backup.service.  No"
echo "OpenVZ: the map lives in /etc/vzmem."
echo
show --root "$lxc" -i 100 || {
	echo "demo: vzmem -i failed (exit status $?)" >&2
	exit 1
}
# A row for the backup service: four blocks of FREE, and two of '+'.
sed -e 's/^FREE\( *\)====/cg:system.slice\/backup.service backup ====++\
FREE\1/' "$map" >"$map.new" && mv "$map.new" "$map"
echo
echo "---- $map, with a row added for backup.service ----"
cat "$map" || exit 1
echo "---- end of MEM-MAP ----"
echo
show --root "$lxc" -a -n
echo "(exit status $?)"
echo
show --root "$lxc" -a
echo "(exit status $?)"
echo
show --root "$lxc" -s
echo "(exit status $?)"

pve=$dir/pve-node
cp -R "$top/examples/pve-node" "$pve" || exit 1
map=$pve/etc/vzmem/MEM-MAP
echo
echo "==== Proxmox VE node: $pve (a copy of examples/pve-node) ===="
echo "32 GB of RAM, 8 GB of swap, cgroup v2.  VMs (qm:): 100 running,"
echo "AutoBalloon between balloon: 2048 and memory: current=8192, with a"
echo "[PENDING] balloon change and a snapshot; 101 balloon: 0; 102 shares: 0;"
echo "120 and 121 are configs from qemu-server's own tests.  Containers"
echo "(pct:): 201 running, 202 and 203 stopped (203 with a [pve:pending])."
echo
show --root "$pve" -i 256 || {
	echo "demo: vzmem -i failed (exit status $?)" >&2
	exit 1
}
# VM 100's minimum raised to 3 GB: eight blocks of FREE become '='.
awk '$1 == "qm:100" { $3 = "========" $3; NF = 3 }
    $1 == "FREE" { $2 = substr($2, 9); NF = 2 } { print }' "$map" \
    >"$map.new" && mv "$map.new" "$map"
echo
echo "---- $map, VM 100 given 3 GB of '=' ----"
cat "$map" || exit 1
echo "---- end of MEM-MAP ----"
echo
show --root "$pve" -a -n
echo "(exit status $?)"
echo
show --root "$pve" -c
echo "(exit status $?)"
echo
show --root "$pve" -a
echo "(exit status $?)"
echo
echo "---- $pve/etc/pve/qemu-server/100.conf after -a ----"
cat "$pve/etc/pve/qemu-server/100.conf"
echo "----"
echo
show --root "$pve" -s
echo "(exit status $?)"
exit 0
