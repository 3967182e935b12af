#!/bin/sh
# What the kernel does to a cgroup guest's limits, and what vzmem shows
# of it (SPEC 6.2), on the fixture hosts cg-v1 and cg-v2:
#	- -c and -n foresee a v1 RAM+swap limit below the RAM+swap in use
#	  (EBUSY), and a refused write leaves the guest's cgroup as it was:
#	  its earlier writes put back; where that cannot be, the error says
#	  which files were written;
#	- -v and -vv list every cgroup file written, old -> new, and what
#	  was refused or not tried;
#	- -c finds a mapped cgroup inside another mapped one;
#	- -s shows a live limit that differs from the map's.
# A fixture file cannot return EBUSY: a refused write is a cgroup file
# made immutable (refuse, below: EPERM).  The real EBUSY is in
# tests/real/cgroup-v1.sh.
. "$(dirname "$0")/lib.sh"

# is WHAT FILE WANT: FILE holds the line WANT.
is() {
	[ "$(cat "$2")" = "$3" ] || bad "$1 is '$(cat "$2")', want '$3'"
}

# refuse FILE: writes of the cgroup file FILE are refused from now on
# (EPERM), while it still reads: chattr +i, undone when the script ends
# (a link would not do: vzmem reads no cgroup file through a link).
# Where chattr cannot (not ext4-like, no CAP_LINUX_IMMUTABLE), the case
# is skipped.
refuse() {
	if chattr +i "$1" 2>/dev/null; then
		echo "$1" >>"$OUT/immutable"
	else
		skip "chattr +i is refused here"
	fi
}
unrefuse() {
	[ -f "$OUT/immutable" ] || return 0
	while read -r _f; do
		chattr -i "$_f" 2>/dev/null
	done <"$OUT/immutable"
	rm -f "$OUT/immutable"
}
trap unrefuse EXIT

# ---- 18.7: EBUSY on memsw foreseen, a refused write put back ----
# One block is 83886080 bytes; web uses 50 MiB of RAM and 150 MiB of
# RAM+swap: a map of one block for it is within its RAM but below its
# RAM+swap.  Before: soft limit 256M, limit 512M, memsw 768M.
W=lxc.payload.web
v1web() {
	cghost cg-v1
	WD=$CG/memory/$W
	echo 52428800 >"$WD/memory.usage_in_bytes"
	echo 157286400 >"$WD/memory.memsw.usage_in_bytes"
	"$VZMEM" -q --root "$ROOT" -i || bad "-i failed"
	setbar lxc:web '='
}

begin "v1: -c foresees EBUSY: the new RAM+swap limit below the RAM+swap in use, the RAM limit not"
v1web
snap
vz -c
status_is 0
err_has "vzmem: warning: lxc:web: the new RAM+swap limit 83886080 is below the RAM+swap it uses now (157286400: 52428800 RAM, 104857600 swap): the kernel refuses it (EBUSY) unless it can drop enough page cache (swapping out does not lower it); -a then leaves its cgroup as it was and reports it as not applied"
err_lacks "the new RAM limit"
out_has "0 errors, 2 warnings"
unchanged
end

begin "v1: -a -n says the same before the plan"
vz -a -n
status_is 0
err_has "vzmem: warning: lxc:web: the new RAM+swap limit 83886080 is below the RAM+swap it uses now"
out_has "lxc:web"
unchanged
end

begin "v1: -c: RAM+swap in use within the new limit: no warning"
echo 62914560 >"$WD/memory.memsw.usage_in_bytes"
vz -c
status_is 0
err_lacks "lxc:web: the new"
end

begin "v1: -c: RAM in use above the new limit, no swap on the host: only page cache can be reclaimed"
sed 's/^SwapTotal:.*/SwapTotal:             0 kB/; s/^SwapFree:.*/SwapFree:              0 kB/' \
    "$ROOT/proc/meminfo" >"$ROOT/proc/meminfo.new" &&
    mv "$ROOT/proc/meminfo.new" "$ROOT/proc/meminfo"
echo 104857600 >"$WD/memory.usage_in_bytes"
echo 104857600 >"$WD/memory.memsw.usage_in_bytes"
vz -c
status_is 0
err_has "vzmem: warning: lxc:web: the new RAM+swap limit 83886080 is below the RAM+swap it uses now (104857600: 104857600 RAM, 0 swap)"
end

begin "v1: -a: memsw refused after the limit was lowered: the limit put back, every file as it was, exit 1"
v1web
refuse "$WD/memory.memsw.limit_in_bytes"
for _f in soft_limit_in_bytes limit_in_bytes memsw.limit_in_bytes; do
	cp "$WD/memory.$_f" "$OUT/$_f.before"
done
vz -a
status_is 1
err_has "vzmem: lxc:web: error: cannot write 83886080 to ROOT/sys/fs/cgroup/memory/$W/memory.memsw.limit_in_bytes: Operation not permitted"
err_has "vzmem: lxc:web: memory.limit_in_bytes put back: its cgroup is as it was"
err_has "vzmem: lxc:web: its config ROOT/var/lib/lxc/web/config holds the map's values: LXC sets them when it next starts"
err_has "vzmem: error: not applied: lxc:web"
err_has "cgroup files written, 1 refused, 1 put back"
for _f in soft_limit_in_bytes limit_in_bytes memsw.limit_in_bytes; do
	same "$WD/memory.$_f" "$OUT/$_f.before"
done
grep -q '^lxc.cgroup.memory.limit_in_bytes = 83886080$' "$LXC/web/config" ||
    bad "web's config not written: $(grep limit "$LXC/web/config")"
end

begin "v1: -a -v: each file written old -> new, the refused one, the put back; -vv: the file not tried"
v1web
refuse "$WD/memory.memsw.limit_in_bytes"
vz -a -vv
status_is 1
err_has "vzmem: ROOT/var/lib/lxc/web/config: written"
err_has "vzmem: ROOT/var/lib/lxc/web/config: lxc.cgroup.memory.limit_in_bytes: 512M -> 83886080"
err_has "vzmem: ROOT/var/lib/lxc/web/config: lxc.cgroup.memory.memsw.limit_in_bytes: 768M -> 83886080"
err_has "vzmem: ROOT/var/lib/lxc/db/config: lxc.cgroup.memory.limit_in_bytes: -1 -> 167772160"
err_has "vzmem: lxc:web: ROOT/sys/fs/cgroup/memory/$W/memory.limit_in_bytes: 536870912 -> 83886080"
err_has "vzmem: lxc:web: error: cannot write 83886080 to ROOT/sys/fs/cgroup/memory/$W/memory.memsw.limit_in_bytes: Operation not permitted"
err_has "vzmem: lxc:web: ROOT/sys/fs/cgroup/memory/$W/memory.soft_limit_in_bytes: not tried: its write of memory.memsw.limit_in_bytes was refused"
err_has "vzmem: lxc:web: ROOT/sys/fs/cgroup/memory/$W/memory.limit_in_bytes: 83886080 -> 536870912 (put back)"
# The order: written, refused, put back.
_w=$(grep -n "memory.limit_in_bytes: 536870912 -> 83886080" "$OUT/stderr" | cut -d: -f1)
_r=$(grep -n "cannot write 83886080" "$OUT/stderr" | cut -d: -f1)
_b=$(grep -n "(put back)" "$OUT/stderr" | cut -d: -f1)
if [ -z "$_w" ] || [ -z "$_r" ] || [ -z "$_b" ] || [ "$_w" -gt "$_r" ] ||
    [ "$_r" -gt "$_b" ]; then
	bad "not in order: written $_w, refused $_r, put back $_b"
fi
vz -a -v
status_is 1
err_lacks "not tried"
err_has "vzmem: lxc:web: ROOT/sys/fs/cgroup/memory/$W/memory.limit_in_bytes: 536870912 -> 83886080"
end

begin "v1: -a -vv: a limit changed by hand is written back, the files that hold their value are said"
cghost cg-v1
"$VZMEM" -q --root "$ROOT" -i || bad "-i failed"
"$VZMEM" -q --root "$ROOT" -a || bad "-a failed"
WD=$CG/memory/$W
_t=$(cat "$WD/memory.limit_in_bytes")
echo 104857600 >"$WD/memory.limit_in_bytes"
vz -a -vv
status_is 0
err_has "vzmem: lxc:web: ROOT/sys/fs/cgroup/memory/$W/memory.limit_in_bytes: 104857600 -> $_t"
err_has "vzmem: lxc:web: ROOT/sys/fs/cgroup/memory/$W/memory.memsw.limit_in_bytes: $_t already"
err_has "vzmem: lxc:web: ROOT/sys/fs/cgroup/memory/$W/memory.soft_limit_in_bytes: "
err_has "vzmem: LXC: 0 configs rewritten, 1 cgroup file written, 0 refused"
is limit "$WD/memory.limit_in_bytes" "$_t"
end

begin "v1: -a: a limit whose old value was unreadable cannot be put back: the error names what was written"
v1web
refuse "$WD/memory.memsw.limit_in_bytes"
echo junk >"$WD/memory.limit_in_bytes"
cp "$WD/memory.memsw.limit_in_bytes" "$OUT/memsw.before"
vz -a
status_is 1
err_has "vzmem: lxc:web: error: ROOT/sys/fs/cgroup/memory/$W/memory.limit_in_bytes: not put back: its old value was unreadable"
err_has "vzmem: lxc:web: error: its cgroup ROOT/sys/fs/cgroup/memory/$W is half-applied: written memory.limit_in_bytes (83886080); not written memory.memsw.limit_in_bytes, memory.soft_limit_in_bytes"
err_lacks "its cgroup is as it was"
is "limit" "$WD/memory.limit_in_bytes" 83886080
same "$WD/memory.memsw.limit_in_bytes" "$OUT/memsw.before"
end

begin "v2: the first write refused: nothing written, said so"
cghost cg-v2
"$VZMEM" -q --root "$ROOT" -i || bad "-i failed"
setbar lxc:web '===='
refuse "$CG/$W/memory.max"
vz -a
status_is 1
err_has "vzmem: lxc:web: error: cannot write 167206912 to ROOT/sys/fs/cgroup/$W/memory.max: Operation not permitted"
err_has "vzmem: lxc:web: nothing was written to its cgroup: it is as it was"
end

begin "v2: a raise refused after its swap.max: swap.max put back"
cghost cg-v2
"$VZMEM" -q --root "$ROOT" -i || bad "-i failed"
setbar lxc:web '====================+++++'
cp "$CG/$W/memory.swap.max" "$OUT/swap.before"
cp "$CG/$W/memory.low" "$OUT/low.before"
refuse "$CG/$W/memory.low"
vz -a -v
status_is 1
err_has "vzmem: lxc:web: error: cannot write 836034560 to ROOT/sys/fs/cgroup/$W/memory.low: Operation not permitted"
err_has "(put back)"
err_has "vzmem: lxc:web: memory.max, memory.swap.max put back: its cgroup is as it was"
same "$CG/$W/memory.swap.max" "$OUT/swap.before"
same "$CG/$W/memory.low" "$OUT/low.before"
end

# ---- 20.4: a mapped cgroup inside another mapped one ----
# cg-v2's app has lxc.cgroup.dir = lxc-apps: its cgroup is
# lxc-apps/lxc.payload.app.
begin "v2: -c: a cg: row on an LXC container's parent cgroup, its T below the child's: an error naming both (exit 2)"
cghost cg-v2
"$VZMEM" -q --root "$ROOT" -i || bad "-i failed"
_app=$(awk '$1 == "lxc:app" { gsub(/\+/, "=", $3); print $3 }' "$MAP")
setbar cg:lxc-apps '=' apps
snap
vz -c
status_is 2
err_has "vzmem: error: cg:lxc-apps: its cgroup holds the cgroup of lxc:app (lxc-apps/lxc.payload.app), also mapped: its RAM limit 41799680 is below the "
err_has "their rows give, so the kernel OOM-kills inside them at its limit first; map either it or them, or give it at least their sum"
out_has "1 error"
unchanged
end

begin "v2: -c: the parent's T at least the child's: a warning naming both (exit 0)"
setbar cg:lxc-apps "$_app=" apps
vz -c
status_is 0
err_has "vzmem: warning: cg:lxc-apps: its cgroup holds the cgroup of lxc:app (lxc-apps/lxc.payload.app), also mapped: they live inside its RAM limit"
err_has "the map books their RAM twice"
if have_python; then
	vz -c --json
	json_true 'any(f["container"] == "cg:lxc-apps" and "lxc:app" in f["message"] and f["severity"] == "warning" for f in d["findings"])'
fi
end

begin "v2: -c: two cg: rows inside a third: counted at it, both named; a row on its own is no finding"
cghost cg-v2
"$VZMEM" -q --root "$ROOT" -i || bad "-i failed"
setbar cg:system.slice/nginx.service '==+' nginx
setbar cg:system.slice/cron.service '=' cron
setbar cg:system.slice '==' system
vz -c
status_is 2
err_has "vzmem: error: cg:system.slice: its cgroup holds the cgroups of cg:system.slice/cron.service (system.slice/cron.service), cg:system.slice/nginx.service (system.slice/nginx.service), also mapped: its RAM limit 83603456 is below the 167202816 their rows give"
err_lacks "cg:system.slice/nginx.service: its cgroup holds"
end

# ---- 20.5: -s shows a live limit that differs from the map ----
begin "v1: -s on an applied map: no mark, limit_differs false"
cghost cg-v1
"$VZMEM" -q --root "$ROOT" -i || bad "-i failed"
"$VZMEM" -q --root "$ROOT" -a || bad "-a failed"
WD=$CG/memory/$W
vz -s
status_is 0
out_lacks "*"
if have_python; then
	vz -s --json
	json_true '[r["live"]["limit_differs"] for r in d["rows"] if r["ctid"] == "lxc:web"] == [False]'
fi
end

begin "v1: -s after a limit set by hand (lxc-cgroup memory.limit_in_bytes 300M): the row marked, the live figure below"
_t=$(cat "$WD/memory.limit_in_bytes")
echo 314572800 >"$WD/memory.limit_in_bytes"
snap
vz -s
status_is 0
grep -q '^lxc:web  *web  *=[0-9]*+[0-9]*\* ' "$OUT/stdout" ||
    bad "web not marked: $(grep '^lxc:web' "$OUT/stdout")"
grep -q '^lxc:nosw  *nosw  *=[0-9]*+[0-9]* ' "$OUT/stdout" ||
    bad "nosw marked: $(grep '^lxc:nosw' "$OUT/stdout")"
out_has "* lxc:web: live RAM limit 300.0M, its row's 480.0M: the row is not applied there (not yet, changed by hand, or a write was refused); vzmem -a writes it"
if have_python; then
	vz -s --json
	status_is 0
	json_valid
	json_true '[(r["live"]["limit_kb"], r["live"]["ram_swap_limit_kb"], r["live"]["limit_differs"]) for r in d["rows"] if r["ctid"] == "lxc:web"] == [(307200, '"$((_t / 1024))"', True)]'
	json_true '[r["live"]["limit_differs"] for r in d["rows"] if r["ctid"] == "lxc:nosw"] == [False]'
fi
unchanged
end

begin "v1: -s after a refused write (put back): the live limits marked"
v1web
refuse "$WD/memory.memsw.limit_in_bytes"
"$VZMEM" -q --root "$ROOT" -a
vz -s
status_is 0
out_has "* lxc:web: live RAM limit 512.0M, its row's 80.0M; RAM+swap limit 768.0M, its row's 80.0M: the row is not applied there"
if have_python; then
	vz -s --json
	json_true '[(r["live"]["limit_kb"], r["live"]["limit_differs"]) for r in d["rows"] if r["ctid"] == "lxc:web"] == [(524288, True)]'
fi
end

begin "v2: -s: memory.max is max: shown as max, JSON \"max\""
cghost cg-v2
"$VZMEM" -q --root "$ROOT" -i || bad "-i failed"
vz -s
status_is 0
out_has "* lxc:rel: live RAM limit max, its row's 39.9M; swap limit max, its row's 0.0K"
if have_python; then
	vz -s --json
	json_true '[(r["live"]["limit_kb"], r["live"]["swap_limit_kb"]) for r in d["rows"] if r["ctid"] == "lxc:rel"] == [("max", "max")]'
fi
end
