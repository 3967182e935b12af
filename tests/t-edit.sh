#!/bin/sh
# vzmem -e: visudo-style editing of the map.  The editors are small
# scripts written into $OUT that edit their last argument with sed; their
# bodies are single-quoted on purpose ($f, $1 are expanded when they run).
# shellcheck disable=SC2016
. "$(dirname "$0")/lib.sh"

TMPDIR=$OUT/tmp
export TMPDIR
mkdir -p "$TMPDIR"

# editor NAME BODY: $OUT/NAME, a script whose $f is the file to edit.
editor() {
	{
		echo '#!/bin/sh'
		echo 'for f; do :; done'
		printf '%s\n' "$2"
	} >"$OUT/$1"
	chmod +x "$OUT/$1"
}

# One '=' from FREE to 102: a good edit.
GOOD='sed -i -e "s/^\(102 [^=]*\)====/\1=====/" -e "s/^\(FREE *\)=/\1/" "$f"'
editor good.sh "$GOOD"
# '=' after '+' in row 101 (line 3): a bad edit.
editor bad.sh 'sed -i "s/^\(101 .*\)==+/\1=+=/" "$f"'
editor fail.sh 'exit 1'
editor killed.sh 'kill -KILL $$'
editor args.sh '[ "$1" = --flag ] && [ "$2" = -x ] && [ $# = 3 ] || exit 3
'"$GOOD"
# Bad on the first call, good on the second (a fresh copy of the map
# each time is not what it gets: it fixes its own first edit).
editor twice.sh 'n=$(cat "$OUT/count" 2>/dev/null || echo 0)
echo $((n + 1)) >"$OUT/count"
if [ "$n" = 0 ]; then sed -i "s/^\(101 .*\)==+/\1=+=/" "$f"; exit 0; fi
sed -i "s/^\(101 .*\)=+=/\1==+/" "$f"
'"$GOOD"
# Where and how the copy is made.
editor where.sh 'echo "$f" >"$OUT/where"; stat -c %a "$f" >"$OUT/mode"'
# Holds the lock until the case lets it go: tells it has started, then
# waits for $OUT/release, or for a --wait run to say that it waits (in
# $OUT/stderr.raw); 60 s at most.  (It slept 2 s, a race: under
# valgrind on a busy machine the two runs of a case missed the window.)
editor slow.sh ': >"$OUT/started"
i=0
until [ -e "$OUT/release" ] || [ $i -ge 600 ] ||
    grep -qs "waiting for the lock" "$OUT/stderr.raw"; do
	sleep 0.1
	i=$((i + 1))
done'
# Edits, then waits until it is killed.
editor hang.sh "$GOOD"'
: >"$OUT/started"
while :; do sleep 0.1; done'
sed -i "s|\$OUT|$OUT|g" "$OUT"/*.sh

# A lock file is part of the host once any vzmem ran; make it first, so
# that snap/unchanged compare only what -e must not touch.
lockfile() {
	mkdir -p "$(dirname "$LOCK")"
	: >"$LOCK"
	chmod 600 "$LOCK"
}

no_temp() {
	_t=$(find "$ROOT" "$TMPDIR" -name '*vzmem-tmp*')
	[ -z "$_t" ] || bad "temp files left: $_t"
}

# edit_in_background EDITOR: vzmem -e with $OUT/EDITOR.sh, in the
# background ($pid; output in bg.out, bg.err), once the editor started.
edit_in_background() {
	rm -f "$OUT/started" "$OUT/release"
	: >"$OUT/stderr.raw"
	EDITOR=$OUT/$1.sh; export EDITOR
	"$VZMEM" --root "$ROOT" --vzctl vzctl -e </dev/null >"$OUT/bg.out" 2>"$OUT/bg.err" &
	pid=$!
	wait_for "$OUT/started"
}

ORIG=$TESTS/hosts/edit-ubc/etc/vz/conf/MEM-MAP

begin "a good edit is installed, re-rendered; the old map is MEM-MAP.bak"
host edit-ubc
EDITOR=$OUT/good.sh; export EDITOR
vz -e
status_is 0
same "$MAP" expect/edit-good.map
same "$MAP.bak" "$ORIG"
err_has "vzmem: MEM-MAP installed; the old one is MEM-MAP.bak"
same "$CONF/101.conf" hosts/edit-ubc/etc/vz/conf/101.conf
no_temp
end

begin "the copy is beside the map, mode 0600, named for tmp_sweep"
host edit-ubc
EDITOR=$OUT/where.sh; export EDITOR
vz -e
status_is 0
case $(cat "$OUT/where") in
"$CONF"/.MEM-MAP.vzmem-tmp-??????) ;;
*) bad "edited $(cat "$OUT/where")" ;;
esac
[ "$(cat "$OUT/mode")" = 600 ] || bad "mode $(cat "$OUT/mode")"
no_temp
end

begin "a bad edit, then x: error with line:col, map untouched, exit 2"
host edit-ubc
lockfile
snap
EDITOR=$OUT/bad.sh; export EDITOR
vzin 'x
' -e
status_is 2
err_has "vzmem: MEM-MAP:3:23: error: '=' after '+'"
err_has "vzmem: error: 1 error; the edited MEM-MAP is not installed"
err_has "What now? (e)dit again, e(x)it without saving: x"
err_has "vzmem: edit discarded; MEM-MAP unchanged"
unchanged
no_temp
end

begin "a bad edit, then end of input: as x"
host edit-ubc
lockfile
snap
EDITOR=$OUT/bad.sh; export EDITOR
vz -e
status_is 2
err_has "MEM-MAP:3:23: error: '=' after '+'"
err_has "What now?"
unchanged
no_temp
end

begin "a bad edit, other answers ask again, e, a fixing edit: installed"
host edit-ubc
rm -f "$OUT/count"
EDITOR=$OUT/twice.sh; export EDITOR
vzin 'what
 
e
' -e
status_is 0
[ "$(cat "$OUT/count")" = 2 ] || bad "editor ran $(cat "$OUT/count") times"
[ "$(grep -c 'What now?' "$OUT/stderr")" = 3 ] || bad "not asked 3 times"
err_has "MEM-MAP:3:23: error: '=' after '+'"
same "$MAP" expect/edit-good.map
same "$MAP.bak" "$ORIG"
no_temp
end

begin "the '=' total is checked against N"
host edit-ubc
lockfile
snap
editor more.sh 'sed -i "s/^\(102 [^=]*\)====/\1=====/" "$f"'
EDITOR=$OUT/more.sh; export EDITOR
vz -e
status_is 2
err_has "vzmem: MEM-MAP:2:1: error: the rows have 17 '=' but N is 16: 1 too many"
unchanged
no_temp
end

begin "a row without a conf is a warning, as for -a: the edit is installed"
host edit-ubc
lockfile
editor nocf.sh 'sed -i "s/^103 /999 /" "$f"'
EDITOR=$OUT/nocf.sh; export EDITOR
vzin 'x
' -e
status_is 0
err_has "vzmem: MEM-MAP:5:1: warning: container 999 has no conf (ROOT/etc/vz/conf/999.conf): its row is skipped; drop the row ('vzmem -e') or run 'vzmem -i'"
err_has "warning: container 103 has no row in MEM-MAP; left untouched"
err_has "MEM-MAP installed"
grep -q '^999 ' "$MAP" || bad "the edited row is not in the map"
no_temp
end

begin "a conf value the plan cannot read is an error, as for -a"
host edit-ubc
sed -i 's/^VMGUARPAGES=.*/VMGUARPAGES="-5"/' "$CONF/101.conf"
lockfile
snap
EDITOR=$OUT/good.sh; export EDITOR
vzin 'x
' -e
status_is 2
err_has "vzmem: 101.conf:6: error: VMGUARPAGES: invalid value"
unchanged
no_temp
end

begin "a broken map can be mended with -e"
host edit-ubc
sed -i 's/^\(101 .*\)==+/\1=+=/' "$MAP"
cp "$MAP" "$OUT/broken"
editor mend.sh 'sed -i "s/^\(101 .*\)=+=/\1==+/" "$f"
'"$GOOD"
EDITOR=$OUT/mend.sh; export EDITOR
vz -e
status_is 0
same "$MAP" expect/edit-good.map
same "$MAP.bak" "$OUT/broken"
no_temp
end

begin "a valid edit with warnings is installed, warnings shown"
host edit-ubc
editor swap.sh 'sed -i "s/^\(102 [^=]*====\)/\1++++++++++++++++/" "$f"'
EDITOR=$OUT/swap.sh; export EDITOR
vz -e
status_is 0
err_has "warning: the '+' blocks (1179648K) exceed the host's swap (524288K) and the RAM the guests' '=' leave (589824K) by 65536K"
grep -q '^102 .*====++++++++++++++++ ' "$MAP" || bad "not installed"
no_temp
end

begin "the editor exits 1: nothing installed, exit 1"
host edit-ubc
lockfile
snap
EDITOR=$OUT/fail.sh; export EDITOR
vz -e
status_is 1
err_has "error: the editor '$OUT/fail.sh' exited with status 1; MEM-MAP unchanged"
unchanged
no_temp
end

begin "the editor is killed by a signal: nothing installed, exit 1"
host edit-ubc
lockfile
snap
EDITOR=$OUT/killed.sh; export EDITOR
vz -e
status_is 1
err_has "was killed by signal 9"
unchanged
no_temp
end

begin "no such editor: exit 1, saying so"
host edit-ubc
lockfile
snap
EDITOR=$OUT/no-such-editor; export EDITOR
vz -e
status_is 1
err_has "error: cannot run the editor '$OUT/no-such-editor': No such file or directory"
unchanged
no_temp
end

begin "EDITOR with arguments is split on blanks"
host edit-ubc
EDITOR="	$OUT/args.sh  --flag -x "; export EDITOR
vz -e
status_is 0
same "$MAP" expect/edit-good.map
no_temp
end

begin "VISUAL is preferred over EDITOR"
host edit-ubc
VISUAL=$OUT/good.sh; EDITOR=$OUT/fail.sh; export VISUAL EDITOR
vz -e
status_is 0
same "$MAP" expect/edit-good.map
unset VISUAL
end

begin "a blank VISUAL counts as unset"
host edit-ubc
VISUAL=' '; EDITOR=$OUT/good.sh; export VISUAL EDITOR
vz -e
status_is 0
same "$MAP" expect/edit-good.map
unset VISUAL
end

begin "an unchanged map: exit 0, nothing rewritten"
host edit-ubc
lockfile
snap
EDITOR=true; export EDITOR
vz -e
status_is 0
err_has "vzmem: MEM-MAP unchanged"
unchanged
no_temp
end

begin "a second -e or -i while the editor runs is refused, naming the PID"
host edit-ubc
edit_in_background slow
EDITOR=$OUT/good.sh; export EDITOR
vz -e
status_is 1
err_has "ROOT/run/vzmem/lock: error: locked by process $pid; try again later or use --wait"
vz -i
status_is 1
err_has "error: locked by process $pid"
: >"$OUT/release"
wait "$pid"
bgst=$?
[ "$bgst" = 0 ] || bad "the first -e exited $bgst: $(cat "$OUT/bg.err")"
same "$MAP" "$ORIG"
no_temp
end

begin "a concurrent -a is refused, naming the PID"
host edit-ubc
edit_in_background slow
vz -a
status_is 1
err_has "error: locked by process $pid"
: >"$OUT/release"
wait "$pid"
vzctl_calls 0
end

begin "--wait waits for the editor of another -e"
host edit-ubc
edit_in_background slow
EDITOR=$OUT/good.sh; export EDITOR
vz -e --wait
status_is 0
err_has "waiting for the lock held by process $pid"
wait "$pid"
same "$MAP" expect/edit-good.map
no_temp
end

begin "SIGTERM while the editor runs: temp removed, map unchanged, exit 143"
host edit-ubc
lockfile
snap
edit_in_background hang
kill -TERM "$pid"
wait "$pid"
bgst=$?
[ "$bgst" = 143 ] || bad "exit status $bgst"
grep -qF "error: got signal 15; its children ended, its temp files removed" \
    "$OUT/bg.err" || bad "stderr: $(cat "$OUT/bg.err")"
unchanged
no_temp
end

begin "no map, answer n: nothing created, exit 1"
host edit-ubc
rm "$MAP"
snap
EDITOR=$OUT/good.sh; export EDITOR
vzin 'n
' -e
status_is 1
err_has "MEM-MAP does not exist; create it from the confs? [y/N] n"
err_has "vzmem: MEM-MAP: error: no such file; nothing created"
unchanged
no_temp
end

begin "no map, end of input: as n"
host edit-ubc
rm "$MAP"
snap
EDITOR=$OUT/good.sh; export EDITOR
vz -e
status_is 1
err_has "create it from the confs? [y/N]"
unchanged
end

begin "no map, answer y: built as by -i, then edited"
host edit-ubc
rm "$MAP"
EDITOR=$OUT/good.sh; export EDITOR
vzin 'y
' -e
status_is 0
err_has "vzmem: MEM-MAP: 3 containers, 200 blocks"
same "$MAP" expect/edit-new.map
same "$MAP.bak" expect/edit-init.map
no_temp
end

begin "no map, answer y, editor leaves it: kept as built, not 'unchanged'"
host edit-ubc
rm "$MAP"
EDITOR=true; export EDITOR
vzin 'y
' -e
status_is 0
err_has "vzmem: MEM-MAP kept as -i built it"
err_lacks "unchanged"
same "$MAP" expect/edit-init.map
no_temp
end

begin "-e -a applies a good edit under the same lock"
host edit-ubc
EDITOR=$OUT/good.sh; export EDITOR
vz -e -a
status_is 0
grep -q '^set 102 ' "$VZCTL_LOG" || bad "vzctl not run for 102"
grep -q '^102 .*===== ' "$MAP" || bad "map not edited"
grep -q '^VMGUARPAGES="81920:unlimited"' "$CONF/102.conf" ||
    bad "102.conf not applied"
no_temp
end

begin "-e -a: a discarded edit applies nothing"
host edit-ubc
lockfile
snap
EDITOR=$OUT/bad.sh; export EDITOR
vz -e -a
status_is 2
vzctl_calls 0
unchanged
no_temp
end
