#!/bin/sh
# The documents tell what the program does: the options of --help and of
# vzmem(8) (OPTIONS and SYNOPSIS) are the same, both man pages carry the
# version of vzmem -V, and the first map of the README is one vzmem
# accepts and writes back byte for byte.  Read from the sources with awk
# (no mandoc needed).
. "$(dirname "$0")/lib.sh"

MAN8=$TOP/man/vzmem.8
MAN5=$TOP/man/MEM-MAP.5
README=$TOP/README

# The mdoc renderer of the two checks below, for one-line macros only:
# "Fl" prefixes its words with '-', "Op" brackets the rest of the line,
# "Ns" glues, "," (between the names of one option) goes, every other
# macro (Ar, Cm, Li, It, Nm) is dropped and its words lower-cased.
# A blank-free "|" joins its neighbours: "-h | V" is "-h|-V".
MDOC_AWK='
function render(line,   n, t, i, w, out, mode, glue, shut) {
	gsub(/\\&/, "", line)
	n = split(line, t, /[ \t]+/)
	out = ""; mode = ""; glue = 0; shut = ""
	for (i = 1; i <= n; i++) {
		w = t[i]
		if (w == "")
			continue
		if (i == 1)
			sub(/^\./, "", w)
		if (w ~ /^[A-Z][a-z]$/) {
			if (w == "Ns") {
				glue = 1
			} else if (w == "Op") {
				out = out (out == "" || glue ? "" : " ") "["
				glue = 1
				shut = shut "]"
				mode = ""
			} else {
				mode = w
			}
			continue
		}
		if (w == ",")
			continue
		if (mode == "Fl" && w != "|")
			w = "-" w
		else if (mode != "Fl")
			w = tolower(w)
		out = out (out == "" || glue ? "" : " ") w
		glue = 0
	}
	out = out shut
	gsub(/ *\| */, "|", out)
	return out
}'

# lc_args WORDS: option names kept, their arguments lower-cased, blanks
# around "|" dropped (the spelling of --help).
LC_AWK='
function lc_args(s,   n, t, i, out) {
	gsub(/,/, "", s)
	n = split(s, t, / +/)
	out = ""
	for (i = 1; i <= n; i++) {
		if (t[i] == "")
			continue
		if (t[i] !~ /^\[?-/)
			t[i] = tolower(t[i])
		out = out (out == "" ? "" : " ") t[i]
	}
	gsub(/ *\| */, "|", out)
	return out
}'

# help_items [Commands|Options|all]: one line an option of --help, all
# its names and its argument ("-j --jobs n").
help_items() {
	awk "$LC_AWK"'
	/^Commands:/ { sec = "Commands"; next }
	/^Options:/ { sec = "Options"; next }
	/^[^ ]/ { sec = "" }
	sec != "" && (want == "all" || want == sec) && /^  +-/ {
		s = $0
		sub(/^ +/, "", s)
		sub(/  .*/, "", s)	# the text after the spec (2+ blanks)
		print lc_args(s)
	}' want="$1" "$OUT/help"
}

"$VZMEM" --help >"$OUT/help" 2>"$OUT/help.err"
STATUS=$?

begin "every option of --help has a .It Fl entry in vzmem.8 OPTIONS, and back"
status_is 0
help_items all | sort >"$OUT/help.opts"
awk "$MDOC_AWK"'
/^\.Sh OPTIONS/ { on = 1; next }
/^\.Sh / { on = 0 }
on && /^\.It Fl / { print render($0) }' "$MAN8" | sort >"$OUT/man.opts"
[ -s "$OUT/help.opts" ] || bad "no option found in --help"
same "$OUT/man.opts" "$OUT/help.opts"
end

begin "SYNOPSIS: the commands of --help's usage line, -h | -V, then its other options"
# The usage line without "usage: vzmem " and " [options]": one command
# a line, such as "-a [-n]".
sed -n 's/^usage: vzmem //p' "$OUT/help" | sed 's/ \[options\]$//' |
    awk "$LC_AWK"'{ n = split($0, g, / \| /)
	for (i = 1; i <= n; i++) print lc_args(g[i]) }' >"$OUT/help.usage"
echo "-h|-V" >>"$OUT/help.usage"
# The other options, by their first name: those of the Options section
# not already in the usage line, nor -h and -V.
help_items Options | awk '
	NR == FNR { n = split($0, t, / /); for (i = 1; i <= n; i++)
		if (t[i] ~ /^\[?-/) { gsub(/[][]/, "", t[i]); used[t[i]] = 1 }
		next }
	{ n = split($0, t, / /); args = ""
	  for (i = 2; i <= n; i++) if (t[i] !~ /^-/) args = args " " t[i]
	  if (!(t[1] in used) && t[1] != "-h" && t[1] != "-V")
		print t[1] args }' "$OUT/help.usage" - | sort >"$OUT/help.synopts"
awk "$MDOC_AWK"'
/^\.Sh SYNOPSIS/ { on = 1; next }
/^\.Sh / { on = 0 }
!on { next }
/^\.Pp/ { opts = 1; next }
opts && /^\.Op / {
	s = render($0)
	gsub(/^\[|\]$/, "", s)
	if (s ~ /^-[A-Za-z][A-Za-z]+$/) {	# -qv: -q and -v
		for (i = 2; i <= length(s); i++)
			print "-" substr(s, i, 1) >> synopts
	} else {
		print s >> synopts
	}
	next
}
opts { next }
/^\.Nm/ { if (g != "") print g; g = ""; next }
/^\./ { s = render($0); if (s != "[options]") g = g (g == "" ? "" : " ") s }
END { if (g != "") print g }' synopts="$OUT/man.synopts.raw" "$MAN8" \
    >"$OUT/man.usage"
sort "$OUT/man.synopts.raw" >"$OUT/man.synopts" 2>/dev/null
same "$OUT/man.usage" "$OUT/help.usage"
same "$OUT/man.synopts" "$OUT/help.synopts"
end

begin ".Os of vzmem.8 and MEM-MAP.5 is the version vzmem -V prints"
_v=$("$VZMEM" -V 2>"$OUT/version.err")
case $_v in
"vzmem "[0-9]*) ;;
*) bad "vzmem -V says '$_v'" ;;
esac
for _m in "$MAN8" "$MAN5"; do
	_os=$(sed -n 's/^\.Os //p' "$_m")
	[ "$_os" = "$_v" ] || bad "$(basename "$_m"): .Os '$_os', vzmem -V '$_v'"
done
end

begin "README's first map: -a applies it on cg-mixed and keeps it byte for byte; -c then exit 0"
# The first literal block that starts with N alone on its line.
awk '/^    [0-9]+ *$/ && !done { on = 1 }
on && /^    / { print substr($0, 5); next }
on { on = 0; done = 1 }' "$README" >"$OUT/readme.map"
[ -s "$OUT/readme.map" ] || bad "no map in README"
host cg-mixed
cp "$OUT/readme.map" "$MAP"
chmod 644 "$MAP"
vz -a
status_is 0
err_lacks "error:"
err_lacks "warning:"
same "$MAP" "$OUT/readme.map"
vz -c
status_is 0
err_empty
out_has "confs, configs and cgroups match the map"
out_has "0 errors, 0 warnings"
end

begin "MEM-MAP.5's example of every kind: the README's map, and what it writes on cg-mixed"
# The literal block of MEM-MAP.5 that starts with the README map's N.
awk -v n="$(head -1 "$OUT/readme.map")" '
	prev ~ /^\.Bd -literal/ && $0 == n { on = 1 }
	on && /^\.Ed/ { exit }
	on { print }
	{ prev = $0 }' "$MAN5" >"$OUT/man5.map"
same "$OUT/man5.map" "$OUT/readme.map"
host cg-mixed
cp "$OUT/readme.map" "$MAP"
chmod 644 "$MAP"
vz -a
status_is 0
sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$MAN5" >"$OUT/man5.examples"
grep '^lxc\.cgroup2\.memory\.' "$OUT/man5.examples" >"$OUT/man5.lxc"
[ -s "$OUT/man5.lxc" ] || bad "no lxc.cgroup2.memory line in MEM-MAP.5 EXAMPLES"
while read -r _l; do
	grep -qxF "$_l" "$ROOT/var/lib/lxc/web/config" ||
	    bad "web's config lacks '$_l'"
done <"$OUT/man5.lxc"
_cg=$ROOT/sys/fs/cgroup/system.slice/nginx.service
grep -E '^memory\.[a-z.]+ +[0-9]+$' "$OUT/man5.examples" >"$OUT/man5.cg"
[ "$(wc -l <"$OUT/man5.cg")" -eq 3 ] || bad "not 3 memory.* lines in MEM-MAP.5 EXAMPLES"
while read -r _f _v; do
	[ "$(cat "$_cg/$_f")" = "$_v" ] ||
	    bad "nginx.service/$_f: $(cat "$_cg/$_f"), MEM-MAP.5 shows $_v"
done <"$OUT/man5.cg"
end

begin "vzmem.8's cgroup example: its row on examples/lxc-host -i 64 gives the memory.max shown"
ROOT=$OUT/root-lxc-example
rm -rf "$ROOT"
cp -R "$TOP/examples/lxc-host" "$ROOT"
chmod -R go-w "$ROOT"
_row=$(sed -n 's/^\.Dl \(cg:.*\)$/\1/p' "$MAN8" | head -1)
_file=$(sed -n 's|^# cat /sys/fs/cgroup/\(.*\)$|\1|p' "$MAN8" | head -1)
_want=$(sed -n '\|^# cat /sys/fs/cgroup/|{n;p;}' "$MAN8" | head -1)
[ -z "$_row" ] || [ -z "$_file" ] || [ -z "$_want" ] &&
    bad "example not found in vzmem.8: row '$_row', file '$_file', '$_want'"
vz -i 64
status_is 0
_m=$ROOT/etc/vzmem/MEM-MAP
# Three '=' of FREE to the new row, added above it.
_bar=$(printf '%s\n' "$_row" | sed 's/.* \([=+]*\)$/\1/' | tr -d '+')
awk -v row="$_row" -v n="${#_bar}" '/^FREE / { print row
	i = index($0, "="); $0 = substr($0, 1, i - 1) substr($0, i + n) }
	{ print }' "$_m" >"$_m.new" && mv "$_m.new" "$_m"
chmod 644 "$_m"
vz -a
status_is 0
err_lacks "error:"
[ "$(cat "$ROOT/sys/fs/cgroup/$_file" 2>&1)" = "$_want" ] ||
    bad "$_file: $(cat "$ROOT/sys/fs/cgroup/$_file" 2>&1), vzmem.8 shows $_want"
end
