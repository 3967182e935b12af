#!/bin/sh
# Proxmox VE guests (SPEC 6.4): qm:VMID and pct:VMID rows on the fake
# node tests/hosts/pve-node (pve1), whose confs come from Proxmox's own
# tests (qemu-server's parse-config-input, pve-container's
# snapshot-expected; see its SOURCES) and from vzmem's: several sections,
# duplicate [PENDING] and [special:cloudinit] ones, descriptions,
# memory: current=, balloon: 0, shares: 0, raw lxc. lines.  VM 100 and
# CT 201 run.  What -a writes is compared byte for byte, every other file
# must keep its bytes, and the live cgroup v2 files of CT 201 are
# checked, their order under strace (skipped without it).
. "$(dirname "$0")/lib.sh"

# pvehost: a fresh copy of the node.
pvehost() {
	host pve-node
	MAP=$ROOT/etc/vzmem/MEM-MAP
	QM=$ROOT/etc/pve/nodes/pve1/qemu-server
	CT=$ROOT/etc/pve/nodes/pve1/lxc
	CG=$ROOT/sys/fs/cgroup
}

# bar G X: G '=' and X '+'.
bar() {
	awk -v g="$1" -v x="$2" 'BEGIN {
		s = ""; for (i = 0; i < g; i++) s = s "="
		for (i = 0; i < x; i++) s = s "+"; print s }'
}

# ct201: CT 201's limit files, "file: value".
ct201() {
	for _f in memory.swap.max memory.high memory.max memory.low; do
		printf '%s: %s\n' "$_f" "$(cat "$CG/lxc/201/$_f")"
	done >"$OUT/ct201"
}

# same_conf KIND VMID EXPECTED: the conf against expect/EXPECTED; others
# against the fixture.
same_conf() {
	same "$ROOT/etc/pve/nodes/pve1/$1/$2.conf" "expect/$3"
}
orig_conf() {
	same "$ROOT/etc/pve/nodes/pve1/$1/$2.conf" \
	    "hosts/pve-node/etc/pve/nodes/pve1/$1/$2.conf"
}

begin "-i: a row for every VM and CT of the node, no conf touched"
pvehost
vz -i 2000
status_is 0
err_has "vzmem: MEM-MAP: 5 VMs and 3 containers, 2000 blocks of 16384K"
same "$MAP" expect/pve-init.map
for _v in 100 101 102 120 121; do orig_conf qemu-server $_v; done
for _v in 201 202 203; do orig_conf lxc $_v; done
end

begin "-a -n: only the containers' guarantee is new (the VMs read back as they are)"
snap
vz -a -n
status_is 0
same_out expect/pve-init.dry
unchanged
end

begin "-a: memory.low added (a raw lxc. line, in the form found), live in CT 201; pct's memory.high of 4096 MiB held already"
vz -a
status_is 0
err_has "vzmem: Proxmox CT: 3 confs rewritten, 1 cgroup file written, 0 refused"
same_conf lxc 201 pve-a1.201.conf
same_conf lxc 202 pve-a1.202.conf
same_conf lxc 203 pve-a1.203.conf
for _v in 100 101 102 120 121; do orig_conf qemu-server $_v; done
ct201
same "$OUT/ct201" expect/pve-a1.ct201
[ -z "$(find "$CT" "$QM" -name '.*' -print)" ] || bad "temp files left"
end

begin "a second -a writes nothing"
fileids() {
	(cd "$ROOT" && find . -type f -print0 | sort -z |
	    xargs -0 stat -c '%n %i %s %y') >"$OUT/$1"
}
fileids ids.before
vz -a
status_is 0
err_has "vzmem: all 8 guests up to date"
fileids ids.after
same "$OUT/ids.after" "$OUT/ids.before"
end

begin "-a of an edited map: balloon:, memory: in its form, main section only; CT 201 live as pct set writes it"
setbar qm:100 "$(bar 160 480)" db
setbar qm:101 "$(bar 64 64)" win
setbar qm:120 "$(bar 128 128)" deb122
setbar qm:121 "$(bar 384 0)" deb1223
setbar pct:201 "$(bar 1024 256)" test2
if command -v strace >/dev/null 2>&1; then
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	    strace -f -qq -y -o "$OUT/trace" -e trace=open,openat \
	    "$VZMEM" --root "$ROOT" -a >"$OUT/stdout.raw" \
	    2>"$OUT/stderr.raw" </dev/null
	STATUS=$?
	shown
	sed -n 's/^[0-9]* *openat([0-9]*<[^>]*\/sys\/fs\/cgroup\/\([^>]*\)>, "\([^"]*\)", O_WRONLY.*/\1\/\2/p' \
	    "$OUT/trace" >"$OUT/opens"
	printf '%s\n' lxc/201/memory.swap.max lxc/201/memory.high \
	    lxc/201/memory.max lxc/201/memory.low >"$OUT/opens.want"
	same "$OUT/opens" "$OUT/opens.want"
else
	echo "# t-pve: no strace: the order of the writes is not traced"
	vz -a
fi
status_is 0
err_has "qm:100: its new memory: takes effect when the VM next starts"
same_conf qemu-server 100 pve-a2.100.conf
same_conf qemu-server 101 pve-a2.101.conf
same_conf qemu-server 120 pve-a2.120.conf
same_conf qemu-server 121 pve-a2.121.conf
orig_conf qemu-server 102
same_conf lxc 201 pve-a2.201.conf
ct201
same "$OUT/ct201" expect/pve-a2.ct201
end

begin "-c: pending changes, balloon: 0, shares: 0, a running VM's memory:, swap beyond the host's"
pvehost
vz -i 2000
setbar qm:100 "$(bar 160 480)" db
setbar qm:101 "$(bar 64 64)" win
setbar pct:202 "$(bar 64 640)" test
snap
vz -c
status_is 0
err_has "ROOT/etc/pve/qemu-server/100.conf:15: warning: qm:100: [PENDING] changes balloon"
err_has "'qm set 100 --revert balloon'"
err_has "ROOT/etc/pve/qemu-server/100.conf:7: warning: qm:100: the VM runs: its new memory: takes effect when it next starts"
err_has "ROOT/etc/pve/qemu-server/101.conf:1: warning: qm:101: balloon: 0, no balloon device: the VM holds all of memory: while it runs, and its '+' is never given back"
err_has "ROOT/etc/pve/qemu-server/102.conf:6: warning: qm:102: shares: 0 turns AutoBalloon off for this VM"
err_has "ROOT/etc/pve/lxc/203.conf:12: warning: pct:203: [pve:pending] changes memory"
err_has "ROOT/etc/pve/lxc/202.conf:10: warning: pct:202: swap: 10240 MiB (as the map gives it) is more than the host's swap (8192 MiB)"
err_lacks "minimums"
out_has "Proxmox VE: 5 VMs (1 running) in ROOT/etc/pve/qemu-server"
out_has "Proxmox VE on cgroup v2: 3 containers (1 running) in ROOT/etc/pve/lxc"
unchanged
end

begin "-c: the minimums of the running guests against the RAM and KSM's saving"
pvehost
vz -i 2000
sed 's/^balloon: 2048$/balloon: 32500/; s/current=8192/current=33000/' \
    "$QM/100.conf" >"$OUT/100.conf" && cat "$OUT/100.conf" >"$QM/100.conf"
vz -c
status_is 0
err_has "warning: Proxmox VE: the minimums of the 2 running guests (balloon: of the VMs, memory: of VMs without a balloon, the containers' guarantees) are 32500 MiB: more than the RAM (32000 MiB) plus what KSM saves (1024 MiB), less the 1 GiB the host keeps"
end

begin "-i: a container's swap: above its memory: is said; -c: a raw lxc.cgroup2.memory.max wins over memory:"
pvehost
awk '!done && /^swap: 512$/ { print "swap: 4096"
    print "lxc.cgroup2.memory.max: 1G"; done = 1; next } { print }' \
    "$CT/202.conf" >"$OUT/202.conf"
cat "$OUT/202.conf" >"$CT/202.conf"
vz -i 2000
status_is 0
err_has "ROOT/etc/pve/lxc/202.conf:10: warning: pct:202: swap: 4096 MiB is above memory: 2048 MiB; its row's '+' is both its swap and RAM beyond its '=', so at most memory: (-a writes swap: 2048)"
vz -c
err_has "ROOT/etc/pve/lxc/202.conf:11: warning: pct:202: lxc.cgroup2.memory.max overrides what pct writes for memory: and swap: when the container starts"
end

begin "-c: the running minimums above the RAM AutoBalloon aims at (the node's ballooning-target)"
pvehost
vz -i 2000
printf 'ballooning-target: 3\n' >"$ROOT/etc/pve/nodes/pve1/config"
vz -c
status_is 0
err_has "warning: Proxmox VE: the minimums of the 2 running guests (2048 MiB) are above the 3% of the RAM that AutoBalloon aims at (ballooning-target: 960 MiB, plus 1024 MiB that KSM saves): pvestatd keeps every ballooning VM at its balloon: and lends none of its '+'"
printf 'ballooning-target: 120\n' >"$ROOT/etc/pve/nodes/pve1/config"
vz -c
err_has "ROOT/etc/pve/local/config:1: warning: ballooning-target: too large (0 to 100): taken as 80, pvestatd's default"
end

begin "-s and --json: the rows, their confs and the live figures"
pvehost
vz -i 2000
vz -s
status_is 0
grep -q '^pct:201 .* 393.0M' "$OUT/stdout" || bad "pct:201's use: $(grep pct:201 "$OUT/stdout")"
grep -q '^qm:100 .* 3.0G' "$OUT/stdout" || bad "qm:100's use: $(grep qm:100 "$OUT/stdout")"
out_has "KSM: 1000 pages shared, 262144 sharing"
vz -s --json
status_is 0
json_valid
json_true 'd["host"]["qm"]["vms"] == 5 and d["host"]["pct"]["running"] == 1'
json_true '[r["qm_memory_mib"] for r in d["rows"] if r["ctid"] == "qm:100"] == [8192]'
json_true '[r["qm_balloon_mib"] for r in d["rows"] if r["ctid"] == "qm:100"] == [2048]'
json_true '[r["pct_swap_mib"] for r in d["rows"] if r["ctid"] == "pct:201"] == [1024]'
end

begin "the config lock held (qm set running): that VM is not written (exit 1), the others are"
pvehost
vz -i 2000
setbar qm:100 "$(bar 160 480)" db
setbar qm:121 "$(bar 384 0)" deb1223
mkdir -p "$ROOT/var/lock/qemu-server"
flock "$ROOT/var/lock/qemu-server/lock-100.conf" hold "$EVENTS" qm &
_holder=$!
wait_event "start qm"
vz -a
event "release qm"
wait "$_holder"
status_is 1
err_has "ROOT/var/lock/qemu-server/lock-100.conf: error: held by another command (the config lock qm set and pct set take): ROOT/etc/pve/qemu-server/100.conf not written"
orig_conf qemu-server 100
same_conf qemu-server 121 pve-a2.121.conf
vz -a
status_is 0
same_conf qemu-server 100 pve-a2.100.conf
end

begin "--wait: -a waits for the config lock, then finds the conf changed by the holder (qm set): not written"
pvehost
vz -i 2000
setbar qm:100 "$(bar 160 480)" db
mkdir -p "$ROOT/var/lock/qemu-server"
flock "$ROOT/var/lock/qemu-server/lock-100.conf" hold "$EVENTS" qm &
_holder=$!
wait_event "start qm"
vz_bg -a --wait
settled "$VZPID"
sed 's/^cores: 4$/cores: 6/' "$QM/100.conf" >"$OUT/100.conf"
cat "$OUT/100.conf" >"$QM/100.conf"
event "release qm"
wait "$_holder"
vz_end
status_is 1
err_has "ROOT/etc/pve/qemu-server/100.conf: error: changed while vzmem ran (qm or pct set?): not written; run vzmem -a again"
same "$QM/100.conf" "$OUT/100.conf"
end

begin "a conf that is a symbolic link is read, never written through"
pvehost
vz -i 2000
setbar qm:102 "$(bar 64 64)" batch
cp "$QM/102.conf" "$OUT/elsewhere.conf"
ln -sf "$OUT/elsewhere.conf" "$QM/102.conf"
vz -a
status_is 1
err_has "ROOT/etc/pve/qemu-server/102.conf: error: cannot write:"
same "$OUT/elsewhere.conf" hosts/pve-node/etc/pve/nodes/pve1/qemu-server/102.conf
[ -L "$QM/102.conf" ] || bad "the link was replaced"
end

begin "a locked guest (lock: backup) is not written (exit 1); -c says so"
pvehost
vz -i 2000
setbar qm:102 "$(bar 64 64)" batch
printf 'lock: backup\n' >>"$QM/102.conf"
cp "$QM/102.conf" "$OUT/102.before"
vz -c
err_has "ROOT/etc/pve/qemu-server/102.conf:7: warning: qm:102 is locked (backup)"
vz -a
status_is 1
err_has "ROOT/etc/pve/qemu-server/102.conf:7: error: qm:102 is locked (backup): qm and pct change nothing of it until the lock is gone; not written"
same "$QM/102.conf" "$OUT/102.before"
end

# Bad input: a clear error naming the file and line, exit 2, nothing
# written by any command (-a, -i, -c; with BAD_VEHICLES=one, the asan
# and valgrind passes, -a only: the parse and its error are the same).
badcase() {
	begin "bad: $1"
	pvehost
	vz -i 2000
	printf '%s' "$3" >"$ROOT/etc/pve/nodes/pve1/$2"
	snap
	_cmds="-a -i -c"
	[ "${BAD_VEHICLES:-all}" = one ] && _cmds=-a
	for _c in $_cmds; do
		vz "$_c"
		status_is 2
		err_has "$4"
	done
	unchanged
	end
}
badcase "a memory: that is no number" qemu-server/101.conf \
    'balloon: 0
memory: 2G
name: win
' "ROOT/etc/pve/qemu-server/101.conf:2:9: error: memory: \"2G\": not an integer (qm takes MiB: 'memory: 4096' or 'memory: current=4096')"
badcase "memory: current= of no number" qemu-server/101.conf \
    'memory: current=lots
' "ROOT/etc/pve/qemu-server/101.conf:1:9: error: memory: \"current=lots\": not an integer"
badcase "a memory: property qm does not know" qemu-server/101.conf \
    'memory: current=2048,max=8192
' "101.conf:1:9: error: memory: \"current=2048,max=8192\": more than one value (its only property is current=MiB)"
badcase "balloon: above memory:, which qm set refuses" qemu-server/102.conf \
    'balloon: 8192
memory: 4096
name: batch
' "ROOT/etc/pve/qemu-server/102.conf:1:10: error: balloon: \"8192\": above memory: (qm set refuses it: \"balloon value too large (must be smaller than assigned memory)\")"
badcase "a truncated conf" qemu-server/120.conf \
    'boot: order=scsi0
cores: 2
memo' "ROOT/etc/pve/qemu-server/120.conf:3: error: truncated: its last line has no newline (qm and pct end every line with one)"
badcase "an empty conf" lxc/202.conf '' \
    "ROOT/etc/pve/lxc/202.conf:1: error: empty: qm and pct never write an empty config"
badcase "a CT's swap: that is no number" lxc/203.conf \
    'memory: 1024
swap: -1
' "ROOT/etc/pve/lxc/203.conf:2:7: error: swap: \"-1\": below 0 (pct takes MiB)"
badcase "a line of no form in the main section" lxc/202.conf \
    'memory: 2048
this is not a key
' "ROOT/etc/pve/lxc/202.conf:2: error: not a line pct can parse"
badcase "delete: outside [PENDING]" qemu-server/101.conf \
    'memory: 2048
delete: balloon
' "ROOT/etc/pve/qemu-server/101.conf:2: error: 'delete' is only allowed in [PENDING]"

begin "a node without /etc/pve: neither kind (an LXC host as before)"
cghost cg-v2
vz -i
status_is 0
err_lacks "Proxmox"
grep -q '^qm:\|^pct:' "$MAP" && bad "Proxmox rows on a host without /etc/pve"
end

summary
