#!/bin/sh
# SIGHUP reloads: an invalid file leaves everything running on the old
# configuration; a valid one reaches the children without restarting them,
# and they report what changed by identity; children start and stop as the
# configuration needs them.
. "$(dirname "$0")/lib.sh"

CONF="$T/vigil.conf"
cp "$CONF_DIR/lab.conf" "$CONF"
start_vigild "$CONF"
wait_for 50 test -s "$VRRP_PIDF" || fail "VRRP child not started"
wait_for 50 test -s "$CHECK_PIDF" || fail "checker child not started"
vrrp=$(pidof_file "$VRRP_PIDF")
chk=$(pidof_file "$CHECK_PIDF")
wait_for 50 log_has "checker child (pid $chk) is up" || fail "checker child never said hello"

# Invalid configuration: rejected, nothing restarted.
cat >"$CONF" <<'CONF'
vrrp_instance VI_1 {
    interface veth0
    virtual_router_id 300
    priority 100
}
CONF
kill -HUP "$VPID"
wait_for 50 log_has "reload rejected" || fail "invalid reload not rejected"
log_has "vigil.conf:3: .*virtual_router_id" || fail "reload error does not name file:line and keyword"
alive "$VPID" || fail "vigild died on an invalid reload"
[ "$(pidof_file "$VRRP_PIDF")" = "$vrrp" ] && alive "$vrrp" || fail "VRRP child restarted by an invalid reload"
[ "$(pidof_file "$CHECK_PIDF")" = "$chk" ] && alive "$chk" || fail "checker child restarted by an invalid reload"
pass "an invalid reload is rejected with file:line and nothing restarts"

# Valid change: one instance changed, one added; a real server added.
sed -e 's/priority 100/priority 150/' "$CONF_DIR/lab.conf" >"$CONF"
cat >>"$CONF" <<'CONF'
vrrp_instance VI_2 {
    interface veth0
    virtual_router_id 52
    priority 100
    virtual_ipaddress {
        10.10.0.101/24
    }
}
CONF
sed -i 's/real_server 10.10.1.12 80 {/real_server 10.10.1.13 80 {\n        weight 2\n    }\n    real_server 10.10.1.12 80 {/' "$CONF"
kill -HUP "$VPID"
wait_for 50 log_has "vrrp child: running configuration generation 2" || fail "VRRP child did not confirm generation 2"
wait_for 50 log_has "checker child: running configuration generation 2" || fail "checker child did not confirm generation 2"
log_has "VRRP instances: 0 unchanged, 1 changed, 1 added, 0 removed" || fail "VRRP diff wrong: $(grep 'VRRP instances:' "$LOG")"
log_has "real servers: 2 unchanged, 0 changed, 1 added, 0 removed" || fail "checker diff wrong: $(grep 'real servers:' "$LOG")"
log_has "instance VI_1: changed" || fail "changed instance not named"
log_has "instance VI_2: added" || fail "added instance not named"
[ "$(pidof_file "$VRRP_PIDF")" = "$vrrp" ] || fail "VRRP child restarted by a reload"
[ "$(pidof_file "$CHECK_PIDF")" = "$chk" ] || fail "checker child restarted by a reload"
pass "a valid reload reaches both children, which report the diff by identity"

# Removing every virtual server stops the checker child; adding them back
# starts it again.
cp "$CONF_DIR/vrrp_only.conf" "$CONF"
kill -HUP "$VPID"
wait_for 50 dead "$chk" || fail "checker child kept running without virtual servers"
wait_for 20 sh -c "! test -s '$CHECK_PIDF'" || fail "checker pid file still names the stopped child"
alive "$vrrp" || fail "VRRP child died when the checker child was stopped"
log_has "instance VI_2: removed" || fail "removed instance not named"
cp "$CONF_DIR/lab.conf" "$CONF"
kill -HUP "$VPID"
wait_for 50 test -s "$CHECK_PIDF" || fail "checker child not started again"
alive "$(pidof_file "$CHECK_PIDF")" || fail "new checker child not running"
pass "children start and stop as reloads need them"

# A child that is busy (stopped) while reloads pile up gets only the
# newest generation when it wakes up; nothing restarts.
vrrp=$(pidof_file "$VRRP_PIDF")
chk=$(pidof_file "$CHECK_PIDF")
kill -STOP "$vrrp"
for prio in 101 102 103 104; do
	sed -e "s/priority 100/priority $prio/" "$CONF_DIR/lab.conf" >"$CONF"
	kill -HUP "$VPID"
	wait_for 20 log_has "configuration generation $((prio - 96)) loaded" ||
	    fail "generation $((prio - 96)) not loaded"
done
kill -CONT "$vrrp"
wait_for 50 log_has "vrrp child: running configuration generation 8" ||
    fail "VRRP child did not end on generation 8"
log_has "vrrp child: generation 6 superseded by 7" || fail "queued reloads were not coalesced"
log_has "vrrp child: running configuration generation 6" && fail "VRRP child was sent a superseded generation"
[ "$(pidof_file "$VRRP_PIDF")" = "$vrrp" ] || fail "VRRP child restarted"
[ "$(pidof_file "$CHECK_PIDF")" = "$chk" ] || fail "checker child restarted"
dump_lock
rm -f /tmp/vigil.data /tmp/vigil_check.data
kill -USR1 "$VPID"
wait_for 50 grep -q "checker child (pid" /tmp/vigil_check.data 2>/dev/null || fail "no state dump"
wait_for 50 grep -q "vrrp child (pid" /tmp/vigil.data 2>/dev/null || fail "no state dump"
grep -q "Child vrrp: running, pid $vrrp, configuration generation 8" /tmp/vigil.data ||
    fail "dump does not show the VRRP child on generation 8: $(grep Child /tmp/vigil.data)"
rm -f /tmp/vigil.data /tmp/vigil_check.data
dump_unlock
pass "reloads queued behind a busy child are coalesced to the newest"
stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited $VSTATUS"

# The configuration path is a symbolic link: a reload follows the link as
# it is then, not as it was at start.
: >"$LOG"
cp "$CONF_DIR/lab.conf" "$T/a.conf"
cp "$CONF_DIR/vrrp_only.conf" "$T/b.conf"
ln -sfn "$T/a.conf" "$T/link.conf"
start_vigild "$T/link.conf"
wait_for 50 test -s "$CHECK_PIDF" || fail "checker child not started"
chk=$(pidof_file "$CHECK_PIDF")
ln -sfn "$T/b.conf" "$T/link.conf"
kill -HUP "$VPID"
wait_for 50 dead "$chk" || fail "reload did not follow the swapped link"
log_has "reloading $T/link.conf" || fail "the link path was not kept"
pass "a reload re-reads what a symbolic link points to now"
stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited $VSTATUS"
done_testing
