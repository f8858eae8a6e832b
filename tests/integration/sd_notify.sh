#!/bin/sh
# systemd Type=notify, without systemd: a stand-in notification socket
# (sd_notify_sink.py) records what vigild sends. READY=1 (with MAINPID and
# a STATUS naming the generation) once it runs, RELOADING=1 then READY=1
# around a reload (a rejected one too), STOPPING=1 on SIGTERM, and
# WATCHDOG=1 repeatedly when the service manager set a watchdog
# (WATCHDOG_USEC / WATCHDOG_PID, as WatchdogSec= does), none otherwise.
. "$(dirname "$0")/lib.sh"

grep -q "define HAVE_SYSTEMD 1" "$top_builddir/autoconfig.h" 2>/dev/null || {
	echo "SKIP: vigild built without libsystemd (sd_notify is a no-op)"
	exit 77
}

SOCK="$T/notify.sock"
NLOG="$T/notify.log"
: >"$NLOG"
# in the namespace: lib.sh's cleanup ends it, even on failure
ip netns exec "$NS" python3 "$top_srcdir/tests/integration/sd_notify_sink.py" \
    "$SOCK" "$NLOG" &
SINK=$!
wait_for 50 test -S "$SOCK" || fail "the notification sink did not start"

has() { grep -q -- "$1" "$NLOG"; }
count() { grep -c -- "$1" "$NLOG"; }
# line number of the first line matching $1 after line $2
line_after() { awk -v from="$2" -v pat="$1" 'NR > from && $0 ~ pat { print NR; exit }' "$NLOG"; }

CONF="$T/vigil.conf"
cp "$CONF_DIR/lab.conf" "$CONF"
# WATCHDOG_PID is vigild's own pid: sh execs it in its place
ip netns exec "$NS" env NOTIFY_SOCKET="$SOCK" WATCHDOG_USEC=400000 \
    sh -c 'WATCHDOG_PID=$$ exec "$@"' sh "$VIGILD" -n -l -G -f "$CONF" \
    -p "$PIDF" -r "$VRRP_PIDF" -c "$CHECK_PIDF" >>"$LOG" 2>&1 &
VPID=$!
wait_for 50 sh -c "[ \"\$(cat '$PIDF' 2>/dev/null)\" = $VPID ]" || fail "vigild did not start"

wait_for 100 has "^READY=1|MAINPID=$VPID|STATUS=running configuration generation 1$" ||
    fail "no READY=1 with MAINPID=$VPID: $(cat "$NLOG")"
pass "READY=1 with MAINPID and the generation in STATUS once running"

wait_for 100 sh -c "[ \$(grep -c '^WATCHDOG=1$' '$NLOG') -ge 4 ]" ||
    fail "fewer than 4 WATCHDOG=1 in 10 s with WATCHDOG_USEC=0.4 s: $(cat "$NLOG")"
log_has "systemd watchdog: WATCHDOG=1 every 0.2 s (WatchdogSec 0.4 s)" ||
    fail "the watchdog interval is not logged"
pass "WATCHDOG=1 keeps coming while WatchdogSec is set"

# a reload: RELOADING=1 (with MONOTONIC_USEC), then READY=1 for generation 2
base=$(wc -l <"$NLOG")
sed -i 's/priority 100/priority 150/' "$CONF"
kill -HUP "$VPID"
wait_for 100 has "^READY=1|MAINPID=$VPID|STATUS=running configuration generation 2$" ||
    fail "no READY=1 for generation 2: $(cat "$NLOG")"
r=$(line_after '^RELOADING=1[|]MONOTONIC_USEC=[0-9]+[|]STATUS=reloading$' "$base")
d=$(line_after "^READY=1[|]MAINPID=$VPID[|]STATUS=running configuration generation 2$" "$base")
[ -n "$r" ] && [ -n "$d" ] && [ "$r" -lt "$d" ] ||
    fail "RELOADING=1 does not come before READY=1: $(tail -n +"$((base + 1))" "$NLOG")"
pass "a reload: RELOADING=1 with MONOTONIC_USEC, then READY=1 for the new generation"

# a rejected reload ends with READY=1 for the generation still running
base=$(wc -l <"$NLOG")
echo "vrrp_instance VI_1 { virtual_router_id 300 }" >"$CONF"
kill -HUP "$VPID"
wait_for 100 log_has "reload rejected" || fail "bad file not rejected"
wait_for 50 sh -c "tail -n +$((base + 1)) '$NLOG' | grep -q '^READY=1|MAINPID=$VPID|STATUS=running configuration generation 2\$'" ||
    fail "no READY=1 after a rejected reload: $(tail -n +"$((base + 1))" "$NLOG")"
r=$(line_after '^RELOADING=1' "$base")
[ -n "$r" ] || fail "no RELOADING=1 before a rejected reload"
pass "a rejected reload: RELOADING=1, then READY=1 for the generation still running"

kill -TERM "$VPID"
wait_for 100 dead "$VPID" || fail "vigild did not stop"
wait "$VPID" 2>/dev/null
has "^STOPPING=1|STATUS=stopping$" || fail "no STOPPING=1: $(tail -5 "$NLOG")"
pass "STOPPING=1 on SIGTERM"

# without a watchdog from the service manager: no WATCHDOG=1
: >"$NLOG"
cp "$CONF_DIR/lab.conf" "$CONF"
ip netns exec "$NS" env NOTIFY_SOCKET="$SOCK" "$VIGILD" -n -l -G -f "$CONF" \
    -p "$PIDF" -r "$VRRP_PIDF" -c "$CHECK_PIDF" >>"$LOG" 2>&1 &
VPID=$!
wait_for 100 has "^READY=1|MAINPID=$VPID|" || fail "no READY=1 the second time"
sleep 1
has "WATCHDOG=1" && fail "WATCHDOG=1 sent without WATCHDOG_USEC"
# a watchdog meant for another process (WATCHDOG_PID): none either
stop_vigild
ip netns exec "$NS" env NOTIFY_SOCKET="$SOCK" WATCHDOG_USEC=400000 WATCHDOG_PID=1 \
    "$VIGILD" -n -l -G -f "$CONF" -p "$PIDF" -r "$VRRP_PIDF" -c "$CHECK_PIDF" >>"$LOG" 2>&1 &
VPID=$!
wait_for 100 has "^READY=1|MAINPID=$VPID|" || fail "no READY=1 the third time"
sleep 1
has "WATCHDOG=1" && fail "WATCHDOG=1 sent for WATCHDOG_PID=1"
stop_vigild
pass "no WATCHDOG=1 without WatchdogSec, or when it is meant for another pid"

kill "$SINK" 2>/dev/null
wait "$SINK" 2>/dev/null
done_testing
