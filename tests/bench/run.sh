#!/bin/sh
# The vzmem benchmark (make bench).  Makes fake hosts of BENCH_SIZES
# containers (default "100 1000 10000 100000") under BENCH_DIR (default a
# fresh dir in ${TMPDIR:-/tmp}, removed at the end), times every command
# with tests/bench/measure (median wall ms, peak RSS kB of vzmem alone)
# and prints a table.  Trees are copied outside the timed region.  Page
# cache warm: the I/O floor (readall, grep) is measured the same way.
#	BENCH_SIZES="100 1000" make bench	a short run
#	BENCH_KEEP=1				keep the trees
#	BENCH_SKIP_BIG_APPLY=1			no full -a at 100,000 (minutes)
#	BENCH_KINDS="lxc"			only the LXC hosts (default
#						"openvz lxc")
#	BENCH_LXC_SIZES="10000"			their sizes (default
#						"1000 10000")
set -u
cd "$(dirname "$0")/../.." || exit 1
top=$(pwd)
B=$top/tests/bench
V=$top/vzmem
FAKE=$B/fakevzctl
M=$B/measure
sizes=${BENCH_SIZES:-100 1000 10000 100000}
kinds=${BENCH_KINDS:-openvz lxc}
lxc_sizes=${BENCH_LXC_SIZES:-1000 10000}
case " $kinds " in *" openvz "*) ;; *) sizes= ;; esac
base=${BENCH_DIR:-${TMPDIR:-/tmp}/vzmem-bench.$$}
JOBS=${BENCH_JOBS:-8}

mkdir -p "$base" || exit 1
[ -n "${BENCH_KEEP:-}" ] || trap 'rm -rf "$base"' EXIT
trap 'exit 1' INT TERM

export BENCH_VZCTL_MS=0
unset BENCH_VZCTL_LOG

# row SIZE WHAT RUNS [measure options] -- COMMAND...
row() {
	size=$1 what=$2 runs=$3
	shift 3
	set -- "$M" -r "$runs" "$@"
	if ! out=$("$@"); then
		printf '| %10s | %-34s | %10s | %11s | %4s |\n' "$size" "$what" \
		    "error" "-" "$runs"
		return
	fi
	set -- $out
	note=""
	[ "$3" = 0 ] || note=" (exit $3)"
	printf '| %10s | %-34s | %10s | %11s | %4s |\n' "$size" \
	    "$what$note" "$1" "$2" "$runs"
}


echo "# vzmem benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs," \
    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "# trees in $base ($(df -PT "$base" | awk 'NR == 2 { print $2 }'));" \
    "vzctl stand-in: $FAKE; full -a at -j $JOBS"
echo
printf '| %10s | %-34s | %10s | %11s | %4s |\n' containers command \
    "median ms" "peak RSS KB" runs
echo '|-----------:|:-----------------------------------|-----------:|------------:|-----:|'

for s in $sizes; do
	runs=5
	[ "$s" -le 10000 ] || runs=3
	t=$base/h$s
	w=$base/w$s
	n=$((4 * s))
	"$B/genhost" "$t" "$s" || exit 1
	cd=$t/etc/vz/conf

	row "$s" "floor: readall (list + read confs)" "$runs" -- \
	    "$B/readall" "$cd"
	row "$s" "floor: grep -rc VMGUARPAGES" "$runs" -- \
	    grep -rc VMGUARPAGES "$cd"
	row "$s" "-i $n" "$runs" -p "rm -f '$cd/MEM-MAP'" -- \
	    "$V" --root "$t" -i "$n"
	"$V" -q --root "$t" -i "$n" || exit 1

	row "$s" "-c" "$runs" -- "$V" --root "$t" -c
	row "$s" "-a -n" "$runs" -- "$V" --root "$t" -a -n --vzctl "$FAKE"
	# Every conf is rewritten with an fsync: I/O bound, fewer runs.
	fruns=$runs
	[ "$s" -lt 10000 ] || fruns=3
	[ "$s" -lt 100000 ] || fruns=1
	if [ "$s" -ge 100000 ] && [ -n "${BENCH_SKIP_BIG_APPLY:-}" ]; then
		printf '| %10s | %-34s | %10s | %11s | %4s |\n' "$s" \
		    "-a full and converged" "skipped" "-" "-"
		[ -n "${BENCH_KEEP:-}" ] || rm -rf "$t"
		continue
	fi
	# The floor of a full -a: each conf read, written to a temp file,
	# fsynced and renamed over it, as vzmem does, and nothing else.
	row "$s" "floor: rewriteall (tmp+fsync+mv)" "$fruns" \
	    -p "rm -rf '$w' && cp -a '$t' '$w'" -- \
	    "$B/rewriteall" "$w/etc/vz/conf"
	row "$s" "-a (all change, 0 ms vzctl)" "$fruns" \
	    -p "rm -rf '$w' && cp -a '$t' '$w'" -- \
	    "$V" --root "$w" -a -j "$JOBS" --vzctl "$FAKE"
	# What vzctl set did live: the beancounters now show the confs.
	"$B/genhost" -u "$w" || exit 1
	row "$s" "-a (converged, 0 ms vzctl)" "$runs" -- \
	    "$V" --root "$w" -a -j "$JOBS" --vzctl "$FAKE"
	if [ "$s" = 1000 ]; then
		BENCH_VZCTL_MS=20
		row "$s" "-a (all change, 20 ms, -j $JOBS)" 3 \
		    -p "rm -rf '$w.x' && cp -a '$t' '$w.x'" -- \
		    "$V" --root "$w.x" -a -j "$JOBS" --vzctl "$FAKE"
		BENCH_VZCTL_MS=0
		rm -rf "$w.x"
	fi
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$t" "$w"
done

# 500 containers changed out of 1000, each vzctl taking 20 ms.
case " $kinds " in *" openvz "*) ;; *) lxc_only=1 ;; esac
if [ -z "${lxc_only:-}" ]; then
t=$base/c1000
"$B/genhost" "$t" 1000 || exit 1
"$V" -q --root "$t" -i 4000 || exit 1
"$V" -q --root "$t" -a -j "$JOBS" --vzctl "$FAKE" || exit 1
"$B/genhost" -u "$t" || exit 1
ls "$t/etc/vz/conf" | grep '\.conf$' | grep -v '^0\.conf$' | head -500 |
    sed "s|^|$t/etc/vz/conf/|" >"$base/changed"
xargs sed -i -e 's/^SHMPAGES=.*/SHMPAGES="1:1"/' \
    -e 's/^SWAPPAGES=.*/SWAPPAGES="0:1"/' <"$base/changed"
# Check once, untimed, that exactly those 500 get a vzctl run.
rm -f "$base/vzctl.log"
rm -rf "$t.x" && cp -a "$t" "$t.x"
BENCH_VZCTL_LOG=$base/vzctl.log "$V" -q --root "$t.x" -a -j "$JOBS" \
    --vzctl "$FAKE"
echo "# 500-changed case: $(wc -l <"$base/vzctl.log") vzctl runs" >&2
BENCH_VZCTL_MS=20
for j in "$JOBS" 1; do
	row 1000 "-a, 500 changed, 20 ms, -j $j" 3 \
	    -p "rm -rf '$t.x' && cp -a '$t' '$t.x'" -- \
	    "$V" --root "$t.x" -a -j "$j" --vzctl "$FAKE"
done
fi

# ---- LXC hosts (tests/bench/genlxc.c): cgroup v2, 2 of 3 running ----
# The floors: lxcfloor read (list, read each config and the three limit
# files of each running cgroup) and lxcfloor write (the same files
# written as -a writes them: each config to a temp file, fsync, rename,
# fsync of its own directory; each cgroup file in place).
case " $kinds " in *" lxc "*) ;; *) lxc_sizes= ;; esac
for s in $lxc_sizes; do
	runs=5
	t=$base/l$s
	w=$base/lw$s
	n=$((4 * s))
	"$B/genlxc" "$t" "$s" || exit 1
	row "$s lxc" "floor: lxcfloor read" "$runs" -- "$B/lxcfloor" read "$t"
	row "$s lxc" "-i $n" "$runs" -p "rm -f '$t/etc/vzmem/MEM-MAP'" -- \
	    "$V" --root "$t" -i "$n"
	"$V" -q --root "$t" -i "$n" || exit 1
	row "$s lxc" "-c" "$runs" -- "$V" --root "$t" -c
	row "$s lxc" "-a -n" "$runs" -- "$V" --root "$t" -a -n
	fruns=3
	row "$s lxc" "floor: lxcfloor write" "$fruns" \
	    -p "rm -rf '$w' && cp -a '$t' '$w'" -- "$B/lxcfloor" write "$w"
	row "$s lxc" "-a (all change)" "$fruns" \
	    -p "rm -rf '$w' && cp -a '$t' '$w'" -- "$V" --root "$w" -a
	row "$s lxc" "-a (converged)" 5 -- "$V" --root "$w" -a
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$t" "$w"
done
