#!/bin/sh
# examples/demo.sh -- vzmem on the demo host of examples/host, run by
# "make demo".  Works on a copy in a fresh temp dir: builds the memory
# map with "vzmem -i", shows it, then a dry run of "vzmem -a" and
# "vzmem -c".  Only the first step must succeed; the others show their
# exit status.
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
exit 0
