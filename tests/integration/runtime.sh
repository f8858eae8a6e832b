#!/bin/sh
# The child runtime and the parent's state store: each child starts on its
# own part of the configuration (never the whole of it), reports its
# objects, and the parent keeps them with their generation (the SIGUSR1
# dump shows them); a respawned child is handed what the parent knows; an
# empty file on reload is refused and nothing stops.
. "$(dirname "$0")/lib.sh"

CONF="$T/vigil.conf"
cp "$CONF_DIR/lab.conf" "$CONF"
# a trailing "--" must not keep the children (vigild run again) from
# reading their own option
start_vigild "$CONF" --
wait_for 50 log_has "vrrp child: running configuration generation 1" ||
    fail "VRRP child did not start on generation 1"
wait_for 50 log_has "checker child: running configuration generation 1" ||
    fail "checker child did not start on generation 1"
vrrp=$(pidof_file "$VRRP_PIDF")
chk=$(pidof_file "$CHECK_PIDF")

# dump_now [vrrp]: take a state dump into $T/data (/tmp/vigil.data) and
# $T/check (/tmp/vigil_check.data; with vrrp, when the checker child does
# not run, whatever is there once vigil.data is); data_has PATTERN: look
# in them
dump_now() {
	dump_lock
	rm -f /tmp/vigil.data /tmp/vigil_check.data "$T/check"
	kill -USR1 "$VPID"
	wait_for 50 grep -q "vrrp child (pid" /tmp/vigil.data 2>/dev/null || fail "no state dump"
	[ "${1:-}" = vrrp ] ||
	    wait_for 50 grep -q "checker child (pid" /tmp/vigil_check.data 2>/dev/null ||
	    fail "no state dump of the checker"
	cp /tmp/vigil.data "$T/data"
	[ -e /tmp/vigil_check.data ] && cp /tmp/vigil_check.data "$T/check"
	rm -f /tmp/vigil.data /tmp/vigil_check.data
	dump_unlock
}
data_has() { grep -q -- "$1" "$T/data" "$T/check"; }

# one snapshot at start, one asked for by the dump itself
dump_now
data_has "Objects of the vrrp child = 1 (last snapshot: generation 1, 2 snapshot(s)" ||
    fail "VRRP child's objects not in the store: $(grep Objects "$T/data")"
data_has "Objects of the checker child = 3 (last snapshot: generation 1" ||
    fail "checker child's objects not in the store: $(grep Objects "$T/data")"
# the VRRP child reports its instance's state and why
data_has "  vrrp_instance VI_1: \(BACKUP\|MASTER\|FAULT\), .*(generation 1)" ||
    fail "instance VI_1 not in the store: $(grep vrrp_instance "$T/data")"
# the checker child reports what its checks decided (up or down)
data_has "  virtual_server \[10.10.0.100\]:tcp:80: \(up\|down\).*(generation 1)" ||
    fail "virtual server not in the store"
data_has "  real_server \[10.10.0.100\]:tcp:80 / \[10.10.1.12\]:80: \(up\|down\).*(generation 1)" ||
    fail "real server not in the store"
dump_now
data_has "Objects of the vrrp child = 1 (last snapshot: generation 1, 3 snapshot(s)" ||
    fail "a dump did not ask the child for a fresh snapshot: $(grep Objects "$T/data")"
pass "the parent's store holds every child's objects with their generation"

# Each child builds only its own part: the VRRP child never sees a
# virtual server, the checker child never a VRRP instance.
dump_vrrp=$(sed -n '/------< vrrp child/,$p' "$T/data")
echo "$dump_vrrp" | grep -q "VRRP instance VI_1" || fail "VRRP child's dump lacks its instance"
echo "$dump_vrrp" | grep -q "virtual_server\|10.10.1.11" &&
    fail "VRRP child holds the checker's configuration"
dump_chk=$(sed -n '/------< checker child/,$p' "$T/check")
echo "$dump_chk" | grep -q "10.10.1.11" || fail "checker child's dump lacks its real server"
echo "$dump_chk" | grep -q "VRRP instance" &&
    fail "checker child holds the VRRP configuration"
pass "each child holds only its own part of the configuration"

# A reload: a real server replaced; the store follows, by generation.
sed -i 's/real_server 10.10.1.12 80/real_server 10.10.1.14 80/' "$CONF"
kill -HUP "$VPID"
wait_for 50 log_has "checker child: running configuration generation 2" ||
    fail "checker child did not take generation 2"
# the snapshot follows the reply: dump until it is there (bounded)
n=0
while dump_now && ! data_has "Objects of the checker child = 3 (last snapshot: generation 2"; do
	n=$((n + 1))
	[ $n -lt 30 ] || fail "checker child's snapshot of generation 2 not in the store"
	sleep 0.2
done
data_has "real_server \[10.10.0.100\]:tcp:80 / \[10.10.1.14\]:80: \(up\|down\|starting\).*(generation 2)" ||
    fail "added real server not in the store with generation 2"
data_has "10.10.1.12" && fail "removed real server still in the store"
data_has "vrrp_instance VI_1: \(BACKUP\|MASTER\|FAULT\), .*(generation" ||
    fail "unchanged instance dropped from the store"
pass "the store follows a reload: added objects appear, removed ones go"

# A respawned child is handed what the parent knows.
kill -9 "$chk"
wait_for 50 sh -c "[ -s '$CHECK_PIDF' ] && [ \"\$(cat '$CHECK_PIDF')\" != $chk ]" ||
    fail "checker child not respawned"
wait_for 50 log_has "3 object(s) handed over" ||
    fail "respawned checker child was not handed its 3 objects: $(grep 'handed over' "$LOG")"
wait_for 50 sh -c "grep -c 'checker child: running configuration generation 2' '$LOG' | grep -qx 2" ||
    fail "respawned checker child not running generation 2"
pass "a respawned child is handed the parent's state and runs the current generation"
chk=$(pidof_file "$CHECK_PIDF")

# An empty file on reload (a config manager truncating before it writes)
# is refused; both children keep running.
: >"$CONF"
kill -HUP "$VPID"
wait_for 50 log_has "reload rejected: .* has no configuration statements" ||
    fail "empty configuration not refused"
sleep 0.3
alive "$vrrp" && alive "$chk" || fail "a child stopped on an empty reload"
log_has "running configuration generation 3" && fail "an empty file became a generation"
printf '! nothing but a comment\n' >"$CONF"
kill -HUP "$VPID"
wait_for 50 sh -c "grep -c 'has no configuration statements' '$LOG' | grep -qx 2" ||
    fail "a file of comments only not refused"
alive "$vrrp" && alive "$chk" || fail "a child stopped on a comments-only reload"
pass "an empty configuration on reload is refused and nothing stops"

# A file cut short in the middle of a keyword parses (keepalived ignores
# an unknown word with a warning) but would drop every virtual server:
# refused as well.
cp "$CONF_DIR/lab.conf" "$CONF"
kill -HUP "$VPID"
wait_for 50 sh -c "grep -c 'reloaded configuration generation 3' '$LOG' | grep -qx 2" ||
    fail "children did not take generation 3"
head -c "$(grep -b -m1 '^virtual_server' "$CONF" | cut -d: -f1)" "$CONF_DIR/lab.conf" >"$CONF"
printf 'virtual_se' >>"$CONF"
kill -HUP "$VPID"
wait_for 50 log_has "reload rejected: .*: its last statement, 'virtual_se' at .*vigil.conf:[0-9]*, is no keyword" ||
    fail "a file cut short was not refused"
sleep 0.3
log_has "checker child: no longer needed" && fail "a file cut short stopped the checker child"
alive "$chk" || fail "checker child died on a file cut short"
pass "a file cut short in a keyword is refused on reload and nothing stops"

stop_vigild
[ "$VSTATUS" = 0 ] || fail "vigild exited with $VSTATUS"

# since_has PATTERN: PATTERN in the log lines after the last mark
mark() { MARK=$(wc -l <"$LOG"); }
since_has() { tail -n "+$((MARK + 1))" "$LOG" | grep -q -- "$1"; }

# -R: a child killed while the parent has messages queued for it is a
# crash like any other, not a restart on purpose: vigild stops.
mark
start_vigild "$CONF_DIR/lab.conf" -R
wait_for 50 since_has "checker child: running configuration generation 1" ||
    fail "-R: checker child did not start"
chk=$(pidof_file "$CHECK_PIDF")
kill -STOP "$chk"
kill -USR1 "$VPID"
sleep 0.2
kill -9 "$chk"
wait_for 100 dead "$VPID" || fail "vigild -R kept running after a stopped child was killed"
since_has "not respawning (-R)" || fail "-R: the crash was not told as one"
since_has "checker child restarted" && fail "-R: the killed child was restarted"
pass "a child killed with messages queued to it counts as a crash (-R stops vigild)"

# With -P, the checker child never runs: its objects are not listed.
mark
start_vigild "$CONF_DIR/lab.conf" -P
wait_for 50 since_has "vrrp child: running configuration generation 1" ||
    fail "-P: VRRP child did not start"
dump_now vrrp
grep -q "Objects of the vrrp child = 1" "$T/data" || fail "-P: VRRP objects missing"
grep -q "Child checker: not needed" "$T/data" || fail "-P: the checker child is not said to be not needed"
[ -e "$T/check" ] && fail "-P: the checker's file was written: $(head -20 "$T/check")"
grep -q "Objects of the checker child" "$T/data" &&
    fail "-P: objects of a child that never runs are listed: $(grep Objects "$T/data")"
stop_vigild
pass "-P: the dump lists no objects for the child that does not run, and writes no checker's file"

# With data_use_instance, the instance name goes into the dump's file
# names, as keepalived's: /tmp/vigil.NAME.data, /tmp/vigil_check.NAME.data.
inst=t$$
{ echo "instance $inst"; sed 's/^global_defs {$/global_defs {\n    data_use_instance/' "$CONF_DIR/lab.conf"; } >"$T/inst.conf"
mark
start_vigild "$T/inst.conf"
wait_for 50 since_has "checker child: running configuration generation 1" ||
    fail "data_use_instance: checker child did not start"
dump_lock
rm -f /tmp/vigil.data /tmp/vigil_check.data "/tmp/vigil.$inst.data" "/tmp/vigil_check.$inst.data"
kill -USR1 "$VPID"
wait_for 50 grep -q "vrrp child (pid" "/tmp/vigil.$inst.data" 2>/dev/null ||
    { dump_unlock; fail "data_use_instance: no /tmp/vigil.$inst.data"; }
wait_for 50 grep -q "checker child (pid" "/tmp/vigil_check.$inst.data" 2>/dev/null ||
    { dump_unlock; fail "data_use_instance: no /tmp/vigil_check.$inst.data"; }
grep -q "^ Instance name = $inst$" "/tmp/vigil_check.$inst.data" ||
    { dump_unlock; fail "data_use_instance: the checker's dump does not name the instance"; }
found=$(ls /tmp/vigil.data /tmp/vigil_check.data 2>/dev/null)
rm -f "/tmp/vigil.$inst.data" "/tmp/vigil_check.$inst.data"
dump_unlock
[ -z "$found" ] || fail "data_use_instance: also wrote $found"
stop_vigild
pass "data_use_instance: the dump goes to /tmp/vigil.NAME.data and /tmp/vigil_check.NAME.data"

# Started with standard input, output and error closed, vigild writes its
# log where it should, never into a pid file.
ip netns exec "$NS" sh -c "exec '$VIGILD' -n -l -G -f '$CONF_DIR/lab.conf' -p '$PIDF' \
    -r '$VRRP_PIDF' -c '$CHECK_PIDF' <&- >&- 2>&-" &
VPID=$!
wait_for 50 sh -c "[ \"\$(cat '$PIDF' 2>/dev/null)\" = $VPID ]" || fail "closed stdio: parent pid file"
wait_for 50 test -s "$CHECK_PIDF" || fail "closed stdio: checker child not started"
sleep 0.5
for f in "$PIDF" "$VRRP_PIDF" "$CHECK_PIDF"; do
	grep -qvx '[0-9]*' "$f" && fail "closed stdio: $(basename "$f") holds more than a pid: $(head -c 200 "$f")"
done
stop_vigild
pass "with standard input, output and error closed, pid files hold only pids"
done_testing
