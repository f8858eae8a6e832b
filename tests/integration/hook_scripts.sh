#!/bin/sh
# global_defs' startup_script runs once before any child starts, and
# vigild waits for it; shutdown_script runs once after every child has
# stopped; a script past its timeout is killed and the start goes on.
# Order and outcome from what the scripts saw and from the log.
. "$(dirname "$0")/lib.sh"

cat >"$T/up.sh" <<EOF
#!/bin/sh
# the children are not there yet: no pid file of theirs
[ -s "$VRRP_PIDF" ] && echo "vrrp child running" >>"$T/up.seen"
[ -s "$CHECK_PIDF" ] && echo "checker child running" >>"$T/up.seen"
echo "up \$1" >>"$T/up.seen"
EOF
cat >"$T/down.sh" <<EOF
#!/bin/sh
for p in \$(cat "$T/children"); do
	kill -0 "\$p" 2>/dev/null && echo "child \$p still running" >>"$T/down.seen"
done
echo down >>"$T/down.seen"
EOF
printf '#!/bin/sh\necho $$ >"%s/slow.pid"\nexec sleep 30\n' "$T" >"$T/slow.sh"
chmod +x "$T/up.sh" "$T/down.sh" "$T/slow.sh"

conf() { # STARTUP [TIMEOUT]
	director_conf "    router_id hooks
    startup_script \"$1\" root
    startup_script_timeout ${2:-10}
    shutdown_script $T/down.sh root"
}
conf "$T/up.sh first" >"$T/hooks.conf"

start_vigild "$T/hooks.conf"
wait_for 50 test -s "$VRRP_PIDF" || fail "VRRP child pid file missing"
wait_for 50 test -s "$CHECK_PIDF" || fail "checker child pid file missing"
[ "$(cat "$T/up.seen" 2>/dev/null)" = "up first" ] ||
    fail "startup_script saw: $(cat "$T/up.seen" 2>/dev/null || echo nothing)"
line() { grep -n -- "$1" "$LOG" | head -1 | cut -d: -f1; }
l_up=$(line "startup_script $T/up.sh first: done")
l_child=$(line "child (pid [0-9]*) is up")
[ -n "$l_up" ] && [ -n "$l_child" ] && [ "$l_up" -lt "$l_child" ] ||
    fail "startup_script not done before the first child (lines ${l_up:-none}, ${l_child:-none})"
log_has "not supported yet" && fail "a hook keyword warns: $(grep 'not supported yet' "$LOG")"
pass "startup_script (with its argument) ran once, before any child, and vigild waited for it"

# a reload runs neither
cat "$VRRP_PIDF" "$CHECK_PIDF" >"$T/children"
kill -HUP "$VPID"
wait_for 100 log_has "reloaded configuration generation 2" || fail "the reload did not reach the children"
[ "$(grep -c "up first" "$T/up.seen")" -eq 1 ] || fail "a reload ran startup_script again"
[ -e "$T/down.seen" ] && fail "a reload ran shutdown_script"

stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
[ "$(cat "$T/down.seen" 2>/dev/null)" = "down" ] ||
    fail "shutdown_script saw: $(cat "$T/down.seen" 2>/dev/null || echo nothing)"
l_down=$(line "shutdown_script $T/down.sh: done")
l_stop=$(line "stopped")
[ -n "$l_down" ] && [ -n "$l_stop" ] && [ "$l_stop" -lt "$l_down" ] ||
    fail "shutdown_script not run after the children stopped (lines ${l_stop:-none}, ${l_down:-none})"
pass "shutdown_script ran once, after every child had stopped; a reload runs neither"

# a startup_script past its timeout is killed; the children start
: >"$LOG"
conf "$T/slow.sh" 1 >"$T/hooks.conf"
rm -f "$VRRP_PIDF" "$CHECK_PIDF" "$T/down.seen"
start_vigild "$T/hooks.conf"
wait_for 100 test -s "$VRRP_PIDF" || fail "no VRRP child after a startup_script that timed out"
log_has "startup_script $T/slow.sh: still running after 1 s: killed" ||
    fail "the timeout is not logged: $(grep startup_script "$LOG")"
wait_for 50 test -s "$T/slow.pid" || fail "the slow startup_script never ran"
wait_for 50 dead "$(cat "$T/slow.pid")" || fail "the slow startup_script was not killed"
pass "a startup_script past startup_script_timeout is killed, and the children start"
stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
done_testing
