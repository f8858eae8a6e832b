#!/bin/sh
# The parent starts the children the configuration needs, restarts a child
# killed with SIGKILL within 2 s, dumps state on SIGUSR1, and leaves nothing
# running after SIGTERM (a child that ignores it is killed after
# child_wait_time).
. "$(dirname "$0")/lib.sh"

start_vigild "$CONF_DIR/lab.conf"
wait_for 50 test -s "$VRRP_PIDF" || fail "VRRP child pid file missing"
wait_for 50 test -s "$CHECK_PIDF" || fail "checker child pid file missing"
vrrp=$(pidof_file "$VRRP_PIDF")
chk=$(pidof_file "$CHECK_PIDF")
alive "$vrrp" || fail "VRRP child $vrrp not running"
alive "$chk" || fail "checker child $chk not running"
# a child names itself once it runs: its pid file can come first
named() { [ "$(cat /proc/"$1"/comm 2>/dev/null)" = "$2" ]; }
wait_for 50 named "$vrrp" vigild-vrrp || fail "VRRP child is named $(cat /proc/"$vrrp"/comm)"
wait_for 50 named "$chk" vigild-checker || fail "checker child is named $(cat /proc/"$chk"/comm)"
[ "$(awk '/^PPid/ {print $2}' /proc/"$vrrp"/status)" = "$VPID" ] || fail "VRRP child is not vigild's child"
wait_for 50 log_has "vrrp child (pid $vrrp) is up" || fail "VRRP child never said hello"
pass "both children started by the parent"

# SIGKILL each child: back within 2 s with a new pid.
for role in vrrp checker; do
	if [ $role = vrrp ]; then f=$VRRP_PIDF; else f=$CHECK_PIDF; fi
	old=$(pidof_file "$f")
	t0=$(date +%s%N)
	kill -9 "$old"
	wait_for 20 sh -c "new=\$(cat '$f' 2>/dev/null); [ -n \"\$new\" ] && [ \"\$new\" != $old ] && kill -0 \"\$new\"" ||
	    fail "$role child not restarted within 2 s"
	t1=$(date +%s%N)
	new=$(pidof_file "$f")
	wait_for 20 log_has "$role child (pid $new) is up" || fail "restarted $role child never said hello"
	log_has "$role child (pid $old) killed by signal 9" || fail "the death of $role child was not logged with its cause"
	# the new child runs the generation it is sent from the parent's
	# kept part: a second "running" line for generation 1
	wait_for 50 sh -c "[ \$(grep -c '$role child: running configuration generation 1:' '$LOG') -ge 2 ]" ||
	    fail "restarted $role child does not run generation 1: $(grep "$role child: running" "$LOG")"
	pass "$role child killed with SIGKILL is back in $(( (t1 - t0) / 1000000 )) ms (pid $old -> $new)"
done

# A second quick death is delayed (back-off) but still restarted.
old=$(pidof_file "$VRRP_PIDF")
kill -9 "$old"
wait_for 30 sh -c "new=\$(cat '$VRRP_PIDF' 2>/dev/null); [ -n \"\$new\" ] && [ \"\$new\" != $old ] && kill -0 \"\$new\"" ||
    fail "VRRP child not restarted after a second quick death"
log_has "restarting in 0.1 s" || fail "back-off of a second quick death not logged"
pass "repeated quick deaths back off and still restart"

# SIGUSR1: state dump with the parent and both children, in keepalived's
# two files: the VRRP part (keepalived.data) and the checker's
# (keepalived_check.data), each headed by the global definitions.
dump_lock
rm -f /tmp/vigil.data /tmp/vigil_check.data
kill -USR1 "$VPID"
wait_for 50 test -s /tmp/vigil.data || fail "no state dump in /tmp/vigil.data"
wait_for 50 test -s /tmp/vigil_check.data || fail "no state dump in /tmp/vigil_check.data"
wait_for 20 grep -q "vrrp child (pid" /tmp/vigil.data || fail "dump lacks the VRRP child"
wait_for 20 grep -q "checker child (pid" /tmp/vigil_check.data || fail "the checker's dump lacks the checker child"
cp /tmp/vigil.data "$T/data"
cp /tmp/vigil_check.data "$T/check"
rm -f /tmp/vigil.data /tmp/vigil_check.data
grep -q "vigild parent (pid $VPID)" "$T/data" || fail "dump lacks the parent section"
grep -q "^ VRRP Instance = VI_1$" "$T/data" || fail "dump lacks instance VI_1"
for f in data check; do
	[ "$(head -n 1 "$T/$f")" = "------< Global definitions >------" ] ||
	    fail "the $f file does not open with the global definitions"
	grep -q "^ Router ID = lab_director$" "$T/$f" || fail "the $f file lacks the router id"
done
grep -q "^------< LVS Topology >------$" "$T/check" || fail "the checker's dump lacks the LVS Topology"
grep -q "^   RIP = 10.10.1.12, RPORT = 80" "$T/check" || fail "the checker's dump lacks real server 10.10.1.12"
grep -q "LVS Topology\\|10.10.1.12\\|checker child (pid" "$T/data" &&
    fail "vigil.data holds the checker's part"
grep -q "VRRP Topology\\|VI_1\\|vrrp child (pid" "$T/check" &&
    fail "vigil_check.data holds the VRRP part"
pass "SIGUSR1 dumps the parent and the VRRP child to /tmp/vigil.data, the checker child to /tmp/vigil_check.data"

# SIGUSR2: statistics; the JSON and STATS_CLEAR signals do not kill it.
rm -f /tmp/vigil.stats
kill -USR2 "$VPID"
wait_for 30 test -s /tmp/vigil.stats || fail "no statistics in /tmp/vigil.stats"
grep -q "Child vrrp: running, pid $(pidof_file "$VRRP_PIDF")" /tmp/vigil.stats || fail "stats lack the VRRP child"
grep -q "Child checker: running, pid $(pidof_file "$CHECK_PIDF").*restarts 1" /tmp/vigil.stats ||
    fail "stats lack the checker child's restart: $(cat /tmp/vigil.stats)"
rm -f /tmp/vigil.stats /tmp/vigil.json
kill -s "$("$VIGILD" --signum=JSON)" "$VPID"
wait_for 30 test -s /tmp/vigil.json || fail "JSON signal not answered: no /tmp/vigil.json"
grep -q '"iname": "VI_1"' /tmp/vigil.json || fail "the JSON dump lacks VI_1: $(cat /tmp/vigil.json)"
rm -f /tmp/vigil.json
kill -s "$("$VIGILD" --signum=STATS_CLEAR)" "$VPID"
wait_for 150 log_has "statistics written to /tmp/vigil.stats and cleared" || fail "STATS_CLEAR not handled"
rm -f /tmp/vigil.stats
dump_unlock
alive "$VPID" || fail "a documented signal killed vigild"
alive "$(pidof_file "$VRRP_PIDF")" || fail "a documented signal killed the VRRP child"
pass "SIGUSR2 writes statistics, the JSON signal /tmp/vigil.json; STATS_CLEAR is handled"

# SIGTERM: everything stops, pid files removed.
vrrp=$(pidof_file "$VRRP_PIDF")
chk=$(pidof_file "$CHECK_PIDF")
stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS after SIGTERM"
wait_for 20 dead "$vrrp" || fail "VRRP child $vrrp survived SIGTERM"
wait_for 20 dead "$chk" || fail "checker child $chk survived SIGTERM"
[ ! -e "$PIDF" ] && [ ! -e "$VRRP_PIDF" ] && [ ! -e "$CHECK_PIDF" ] || fail "pid files left behind"
pgrep -f "vigild.*$T/" >/dev/null && fail "vigild processes left behind"
pass "SIGTERM stops parent and children, removes pid files"

# Only the children the configuration needs.
: >"$LOG"
start_vigild "$CONF_DIR/vrrp_only.conf"
wait_for 50 test -s "$VRRP_PIDF" || fail "VRRP child not started"
sleep 0.3
[ -s "$CHECK_PIDF" ] && fail "checker child started without virtual servers"
stop_vigild
pass "a VRRP-only configuration starts only the VRRP child"

# -C restricts to the checker child even when VRRP is configured.
: >"$LOG"
start_vigild "$CONF_DIR/lab.conf" -C
wait_for 50 test -s "$CHECK_PIDF" || fail "checker child not started with -C"
sleep 0.3
[ -e "$VRRP_PIDF" ] && fail "VRRP child started despite -C"
stop_vigild
pass "-C runs only the checker child"

# -R: a dead child is not respawned and vigild stops.
: >"$LOG"
start_vigild "$CONF_DIR/lab.conf" -R
wait_for 50 test -s "$VRRP_PIDF" || fail "VRRP child not started"
wait_for 50 test -s "$CHECK_PIDF" || fail "checker child not started"
chk=$(pidof_file "$CHECK_PIDF")
kill -9 "$(pidof_file "$VRRP_PIDF")"
wait_for 100 dead "$VPID" || fail "vigild -R kept running after a child died"
wait "$VPID" 2>/dev/null
[ $? -ne 0 ] || fail "vigild -R exited 0 after losing a child"
wait_for 20 dead "$chk" || fail "checker child survived vigild -R stopping"
log_has "not respawning (-R)" || fail "-R stop not explained in the log"
pass "-R: a dead child stops vigild instead of respawning"

# Watchdog: a child that stops answering is killed and restarted.
: >"$LOG"
start_vigild "$CONF_DIR/lab.conf" --child-watchdog=1
wait_for 50 test -s "$CHECK_PIDF" || fail "checker child not started"
wait_for 50 log_has "checker child (pid $(pidof_file "$CHECK_PIDF")) is up" || fail "checker never said hello"
chk=$(pidof_file "$CHECK_PIDF")
sleep 1.5
[ "$(pidof_file "$CHECK_PIDF")" = "$chk" ] || fail "an answering child was restarted by the watchdog"
kill -STOP "$chk"
wait_for 40 sh -c "new=\$(cat '$CHECK_PIDF' 2>/dev/null); [ -n \"\$new\" ] && [ \"\$new\" != $chk ]" ||
    fail "a stopped child was not replaced within 4 s"
log_has "checker child (pid $chk) has not answered for" || fail "watchdog kill not logged"
stop_vigild
pass "a child that stops answering is killed and restarted (watchdog)"

# A child too busy to answer a state dump in time: the dump says so, and
# its late answer is dropped, not taken for a protocol violation.
: >"$LOG"
start_vigild "$CONF_DIR/lab.conf" --child-watchdog=60
wait_for 50 test -s "$CHECK_PIDF" || fail "checker child not started"
chk=$(pidof_file "$CHECK_PIDF")
wait_for 50 log_has "checker child (pid $chk) is up" || fail "checker never said hello"
dump_lock
rm -f /tmp/vigil.data /tmp/vigil_check.data
kill -STOP "$chk"
kill -USR1 "$VPID"
# the wait is bounded by daemon/supervisor_int.h's DUMP_WAIT_USEC (2 s)
# plus a little per object: a stopped child holds no snapshot
wait_for 300 grep -q "no reply within" /tmp/vigil_check.data 2>/dev/null || fail "dump did not mark the silent child"
kill -CONT "$chk"
wait_for 30 log_has "checker child: late state dump reply dropped" || fail "late reply not dropped"
sleep 0.3
[ "$(pidof_file "$CHECK_PIDF")" = "$chk" ] && alive "$chk" || fail "a late dump reply restarted the child"
rm -f /tmp/vigil.data /tmp/vigil_check.data
dump_unlock
stop_vigild
pass "a state dump answered late neither blocks the dump nor restarts the child"

# child_wait_time: a child that does not stop on SIGTERM is killed after
# that many seconds (5 without it), and the parent still exits.
: >"$LOG"
{ echo "child_wait_time 1"; cat "$CONF_DIR/lab.conf"; } >"$T/cwt.conf"
start_vigild "$T/cwt.conf"
wait_for 50 test -s "$CHECK_PIDF" || fail "checker child not started"
chk=$(pidof_file "$CHECK_PIDF")
wait_for 50 log_has "checker child (pid $chk) is up" || fail "checker never said hello"
kill -STOP "$chk"
stop_vigild
log_has "checker child (pid $chk) did not stop within 1 s; killing it" ||
    fail "child_wait_time 1: $(grep "did not stop" "$LOG" || echo "the stopped child was not killed")"
dead "$chk" || fail "the stopped child outlived vigild"
pass "child_wait_time: a child that ignores SIGTERM is killed after it"

# A second vigild with the same pid file refuses to start.
: >"$LOG"
start_vigild "$CONF_DIR/lab.conf"
ip netns exec "$NS" "$VIGILD" -n -l -G -f "$CONF_DIR/lab.conf" -p "$PIDF" >"$T/second.log" 2>&1 &
second=$!
wait_for 50 dead "$second" || { kill -9 "$second"; fail "second vigild did not exit"; }
wait "$second"
[ $? -eq 1 ] || fail "second vigild did not exit with status 1"
grep -q "already running (pid $VPID" "$T/second.log" || fail "second vigild did not name the running one"
stop_vigild
pass "a second vigild on the same pid file refuses to start"

# A stale pid file naming a live but unrelated process does not block a
# start (the file is locked by a running vigild, not merely present).
: >"$LOG"
sleep 30 &
other=$!
echo "$other" >"$PIDF"
start_vigild "$CONF_DIR/vrrp_only.conf"
alive "$other" || fail "the unrelated process died"
kill "$other"
stop_vigild
pass "a stale pid file does not block the start"

# The parent dying takes the children with it.
: >"$LOG"
start_vigild "$CONF_DIR/lab.conf"
wait_for 50 test -s "$VRRP_PIDF" || fail "VRRP child not started"
wait_for 50 test -s "$CHECK_PIDF" || fail "checker child not started"
vrrp=$(pidof_file "$VRRP_PIDF")
chk=$(pidof_file "$CHECK_PIDF")
kill -9 "$VPID"
wait_for 30 dead "$vrrp" || fail "VRRP child outlived a SIGKILLed parent"
wait_for 30 dead "$chk" || fail "checker child outlived a SIGKILLed parent"
pass "children stop when the parent dies"

done_testing
