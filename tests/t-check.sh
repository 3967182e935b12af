#!/bin/sh
# vzmem -c: the map, the plan, vzcfgvalidate's memory rules, the
# oversell summary; changes nothing, exit 0 / 2 / 1.
. "$(dirname "$0")/lib.sh"

begin "a clean host: confs match the map, exit 0"
host check-clean
snap
vz -c
status_is 0
err_empty
same_out expect/check-clean.out
unchanged
end

begin "every vzcfgvalidate memory rule broken once: exit 2, file:line, parameter"
host check-rules
snap
vz -c
status_is 2
same_out expect/check-rules.out
same_err expect/check-rules.err
unchanged
end

begin "-q keeps the errors, silences the warnings, counts both"
host check-rules
vz -c -q
status_is 2
err_has "101.conf:5: error: PRIVVMPAGES barrier 70000 > limit 60000"
err_lacks "warning:"
out_has "6 errors, 5 warnings"
end

begin "an invalid value -a must read is an error, and there is no plan"
host check-clean
sed -i 's/^VMGUARPAGES=.*/VMGUARPAGES="64.0e1:unlimited"/' "$CONF/101.conf"
snap
vz -c
status_is 2
err_has "101.conf:3: error: VMGUARPAGES: invalid value"
out_has "no plan: -a would refuse"
out_has "1 error, 0 warnings"
unchanged
end

begin "a value vzctl skips is a warning: absent, and -a would write it"
host check-clean
sed -i 's/^VMGUARPAGES=.*/VMGUARPAGES="64Q:unlimited"/' "$CONF/101.conf"
snap
vz -c
status_is 0
err_has "101.conf:3: warning: VMGUARPAGES: invalid value \"64Q:unlimited\": bad suffix (K, M, G, T, P or B expected); vzctl skips it, and so does vzmem"
out_has "101: conf differs (VMGUARPAGES)"
out_has "0 errors, 1 warning"
unchanged
end

begin "a value -a leaves alone and vzmem cannot read: a warning that does not blame vzctl"
host check-clean
printf 'PRIVVMPAGES="-1:unlimited"\n' >>"$CONF/102.conf"
snap
vz -c
status_is 0
err_has "102.conf:5: warning: PRIVVMPAGES: invalid value (negative number (vzctl reads -N as 2^64 - N)); vzmem cannot read it, and -a leaves it alone"
err_lacks "vzctl skips"
unchanged
end

begin "a conf that differs, and live values that differ"
host check-clean
sed -i 's/^PRIVVMPAGES=.*/PRIVVMPAGES="90000:100000"/' "$CONF/101.conf"
sed -i 's/^\( *physpages  *18000  *40000  *0  *\)49152/\149000/' \
    "$ROOT/proc/user_beancounters"
snap
vz -c
status_is 0
out_has "101: conf differs (PRIVVMPAGES)"
out_has "102: live values differ (PHYSPAGES)"
out_lacks "confs match the map"
unchanged
end

# Issue 20: '+' is RAM the others leave free, or swap; RAM+swap is
# oversold only past both, as the summary's RAM+swap line says.
begin "a map whose '+' exceed the swap and FREE: a warning, exit 0"
host check-clean
sed -i 's/^101 web.example.com   ====++/101 web.example.com   ====++++++++++++++++/' \
    "$MAP"
snap
vz -c
status_is 0
err_has "MEM-MAP: warning: the '+' blocks (1114112K) exceed the host's swap (524288K) and the RAM the guests' '=' leave (458752K) by 131072K: RAM+swap is oversold"
out_has "swap         512.0M      1.1G 212.5%!"
out_has "RAM+swap       1.5G      1.6G 108.3%!"
out_has "0 errors, 1 warning"
unchanged
end

begin "a map whose '+' exceed the swap, not swap and FREE: no warning"
host check-clean
sed -i 's/^101 web.example.com   ====++/101 web.example.com   ====++++++++++/' \
    "$MAP"
vz -c
status_is 0
err_lacks "oversold"
out_has "swap         512.0M    704.0M 137.5%!"
out_has "RAM+swap       1.5G      1.3G   83.3%"
out_has "0 errors, 0 warnings"
end

begin "a VSwap row whose '+' exceed the swap: an error for -c and -a, nothing written"
host check-clean
# 512M of swap: 102 is VSwap; 9 '+' of 64M are 576M.
sed -i 's/^\(102 [^ ]*  *=*\)+*/\1+++++++++/' "$MAP"
snap
vz -c
status_is 2
err_has "container 102: its 9 '+' give a SWAPPAGES limit of 147456 pages, more than the host's swap (131072 pages), which vzcfgvalidate rejects; at most 8 '+' on this host"
out_has "no plan"
unchanged
vz -a
status_is 2
err_has "container 102: its 9 '+' give a SWAPPAGES limit"
unchanged
vzctl_calls 0
end

begin "a map whose '=' do not add up: exit 2, no plan, the confs still checked"
host check-rules
sed -i 's/^FREE                  =======/FREE ======/' "$MAP"
snap
vz -c
status_is 2
err_has "MEM-MAP:2"
err_has "101.conf:5: error: PRIVVMPAGES barrier 70000 > limit 60000"
out_has "no plan"
unchanged
end

begin "a map that does not parse: exit 2, the confs still checked"
host check-rules
sed -i 's/^102 vswap.example.com ===+/102 vswap.example.com ==+=/' "$MAP"
snap
vz -c
status_is 2
err_has "MEM-MAP:4"
err_has "103.conf:4: warning: PRIVVMPAGES barrier 32768 < VMGUARPAGES"
out_has "no plan"
unchanged
end

begin "no map: exit 1, says how to make one"
host check-clean
rm "$MAP"
snap
vz -c
status_is 1
err_has "MEM-MAP: error: no such file"
unchanged
end

begin "garbage beancounters: a warning, the check goes on"
host check-clean
printf 'this is not\x01 a beancounters file\n' >"$ROOT/proc/user_beancounters"
snap
vz -c
status_is 0
err_has "warning: not a beancounters file; no live data"
out_has "confs match the map"
out_has "0 errors, 1 warning"
unchanged
end

if have_python; then
	begin "--json of a clean host: valid, byte for byte"
	host check-clean
	snap
	vz -c --json
	status_is 0
	json_valid
	same_out expect/check-clean.json
	unchanged
	end

	begin "--json with findings and changes: every field"
	host check-rules
	snap
	vz -c --json
	status_is 2
	err_has "101.conf:5: error: PRIVVMPAGES barrier 70000 > limit 60000"
	json_valid
	json_true 'd["version"] == 1 and d["errors"] == 6 and d["warnings"] == 5'
	json_true '{"severity": "error", "file": "101.conf", "line": 5, "container": "101", "parameter": "PRIVVMPAGES", "message": "PRIVVMPAGES barrier 70000 > limit 60000"} in d["findings"]'
	json_true '{"severity": "warning", "file": "104.conf", "line": None, "container": "104", "parameter": None, "message": "container 104 has no row in MEM-MAP; left untouched"} in d["findings"]'
	json_true '{"ctid": "102", "conf": [{"parameter": "PHYSPAGES", "old": "0:300000", "new": "0:49152"}, {"parameter": "SWAPPAGES", "old": "100:200000", "new": "0:16384"}], "live": []} in d["changes"]'
	json_true 'd["oversell"]["swap"] == {"available_kb": 524288, "map_kb": 196608, "confs_kb": 542144}'
	json_true '{"severity": "error", "file": "102.conf", "line": 4, "container": "102", "parameter": "SWAPPAGES", "message": "SWAPPAGES barrier 100 is not 0"} in d["findings"]'
	unchanged
	end

	begin "--json of a map with errors: valid, changes null, rows empty"
	host check-rules
	sed -i 's/^102 vswap.example.com ===+/102 vswap.example.com ==+=/' "$MAP"
	vz -c --json
	status_is 2
	json_valid
	json_true 'd["changes"] is None and d["rows"] == [] and d["host"]["blocks"] is None'
	end

	begin "--json without a map: one document with the error, exit 1"
	host check-clean
	rm "$MAP"
	snap
	vz -c --json
	status_is 1
	err_has "vzmem: MEM-MAP: error: no such file"
	json_valid
	json_true 'd["command"] == "check" and d["changes"] is None and d["rows"] == [] and d["errors"] == 1'
	json_true 'd["findings"][0]["file"] == "MEM-MAP" and d["findings"][0]["message"].startswith("no such file")'
	unchanged
	end

	begin "--json without /proc/meminfo: one document, the failure counted"
	host check-clean
	rm "$ROOT/proc/meminfo"
	snap
	vz -c --json
	status_is 1
	json_valid
	json_true 'd["errors"] >= 1 and d["changes"] is None'
	unchanged
	end
else
	begin "--json checks"
	skip "no python3"
	end
fi
