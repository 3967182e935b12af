#!/bin/sh
# vzmem -s: the map's rows with live use, the oversell summary, --json;
# changes nothing.
. "$(dirname "$0")/lib.sh"

begin "running, stopped, pool rows and a failcnt, byte for byte"
host status-clean
snap
vz -s
status_is 0
err_empty
same_out expect/status-clean.out
unchanged
end

begin "a bar longer than its column is cut with '>'"
host status-clean
sed -i 's/^16$/64/; s/^FREE                  =======/FREE =======================================================/' "$MAP"
snap
vz -s
status_is 0
out_has "-    FREE       =55+0 880.0M   0.0K                                   =========>"
awk 'length($0) > 80 { exit 1 }' "$OUT/stdout" || bad "a line over 80 columns"
unchanged
end

begin "a UUID CTID: the name shrinks, then the CTIDs are cut with '~': 80 columns"
host status-clean
uuid=26bc47f6-353f-444b-bc35-b634a88dbbcc
sed "s/^HOSTNAME=.*/HOSTNAME=ci-runner/" "$CONF/103.conf" >"$CONF/$uuid.conf"
sed -i "s/^FREE                  ==/$uuid ci-runner ==\\
FREE /" "$MAP"
snap
vz -s
status_is 0
err_empty
awk 'length($0) > 80 { print; exit 1 }' "$OUT/stdout" >"$OUT/long" ||
    bad "a line over 80 columns: $(cat "$OUT/long")"
out_has "26bc47f6-~ ci-runn~ =2+0  128.0M   0.0K stopped"
out_has "101        web.exa~ =4+2  256.0M 128.0M 116.6M"
unchanged
end

begin "a map with errors: exit 2, messages, nothing on stdout"
host status-clean
sed -i 's/^16$/17/' "$MAP"
snap
vz -s
status_is 2
err_has "MEM-MAP:2"
[ ! -s "$OUT/stdout" ] || bad "stdout not empty"
unchanged
end

begin "no beancounters file: every container stopped"
host status-clean
rm "$ROOT/proc/user_beancounters"
vz -s
status_is 0
err_empty
out_has "101  web.example.~ =4+2  256.0M 128.0M stopped"
end

begin "garbage beancounters: a warning, no live data, no crash"
host status-clean
printf '\001\002garbage\377 here\n%s\n' "$(head -c 5000 /dev/zero | tr '\0' x)" \
    >"$ROOT/proc/user_beancounters"
snap
vz -s
status_is 0
err_has "user_beancounters: warning: not a beancounters file; no live data"
out_has "101  web.example.~ =4+2  256.0M 128.0M no data"
unchanged
end

begin "beancounters cut short: warnings, what was read is shown"
host status-clean
head -c 700 "$TESTS/hosts/status-clean/proc/user_beancounters" \
    >"$ROOT/proc/user_beancounters"
snap
vz -s
status_is 0
err_has "user_beancounters:"
out_has "101  web.example.~ =4+2  256.0M 128.0M      -      -      -"
out_has "102  vswap.exampl~ =3+1  192.0M  64.0M no data"
unchanged
end

begin "a container listed with no resources at all"
host status-clean
printf 'Version: 2.5\n       uid  resource held maxheld barrier limit failcnt\n      101:\n' \
    >"$ROOT/proc/user_beancounters"
vz -s
status_is 0
out_has "101  web.example.~ =4+2  256.0M 128.0M      -      -      -      -     0"
out_has "102  vswap.exampl~ =3+1  192.0M  64.0M stopped"
end

if have_python; then
	begin "--json: valid, byte for byte"
	host status-clean
	snap
	vz -s --json
	status_is 0
	json_valid
	same_out expect/status-clean.json
	unchanged
	end

	begin "--json with hostile names: quotes, backslashes, controls, bad UTF-8"
	host status-clean
	sed -i '/^HOSTNAME=/d' "$CONF/101.conf"
	printf 'HOSTNAME="a"b\\c\001\033[31m\377\303(\303\251"\n' \
	    >>"$CONF/101.conf"
	printf 'HOSTNAME="\177\300\257\355\240\200\364\220\200\200"\n' \
	    >>"$CONF/102.conf"
	printf '16\n101 q"u\\o\303te ====++\n102 \377 ===+\n103 - ==\nFREE =======\n' \
	    >"$MAP"
	snap
	vz -s --json
	status_is 0
	json_valid
	json_true 'd["rows"][0]["hostname"].encode("utf-8", "surrogateescape") == b"a\"b\\c\x01\x1b[31m\xff\xc3(\xc3\xa9"'
	json_true 'd["rows"][1]["hostname"].encode("utf-8", "surrogateescape") == b"\x7f\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80"'
	json_true 'd["rows"][0]["name"] == "q\"u\\o\udcc3te" and d["rows"][1]["name"] == "\udcff"'
	json_true 'any(f["container"] == "101" and f["severity"] == "warning" for f in d["findings"])'
	unchanged
	end

	begin "--json without a map: one document with the error, exit 1"
	host status-clean
	rm "$MAP"
	snap
	vz -s --json
	status_is 1
	err_has "vzmem: MEM-MAP: error: no such file"
	json_valid
	json_true 'd["command"] == "status" and d["rows"] == [] and d["host"]["blocks"] is None and d["errors"] == 1'
	json_true 'd["findings"][0]["file"] == "MEM-MAP" and d["findings"][0]["message"].startswith("no such file")'
	unchanged
	end

	begin "--json of an invalid map: one document with the errors, exit 2"
	host status-clean
	printf '16\n101 web ==+=\n102 - =\nFREE ==========\n' >"$MAP"
	snap
	vz -s --json
	status_is 2
	json_valid
	json_true 'd["rows"] == [] and d["errors"] == 1 and d["findings"][0]["line"] == 2'
	unchanged
	printf '16\n101 web ====\n102 - =\nFREE ==========\n' >"$MAP"
	snap
	vz -s --json
	status_is 2
	json_valid
	json_true 'd["rows"] == [] and d["errors"] == 1 and "1 too few" in d["findings"][0]["message"]'
	unchanged
	end

	begin "--json without /proc/meminfo: one document, the failure counted"
	host status-clean
	rm "$ROOT/proc/meminfo"
	snap
	vz -s --json
	status_is 1
	json_valid
	json_true 'd["errors"] >= 1 and d["rows"] == []'
	unchanged
	end

	begin "--json with garbage beancounters: valid, live null"
	host status-clean
	echo 'not beancounters' >"$ROOT/proc/user_beancounters"
	vz -s --json
	status_is 0
	json_valid
	json_true 'all(r["live"] is None for r in d["rows"]) and d["warnings"] == 1'
	end
else
	begin "--json checks"
	skip "no python3"
	end
fi
