#!/bin/sh
# vigild's BFD session against keepalived 2.2.7's (Debian's keepalived,
# built with BFD), IPv4 single hop: Up by the handshake, Down when
# keepalived stops (detection time expired) and Up when it returns;
# vigild stopping tells keepalived AdminDown, which keepalived takes as
# its neighbor signalling the session down at once. The BFD child runs
# with the name, nice and realtime priority global_defs gives it. Order
# and outcome from both logs and the child's scheduling, never from
# times.
. "$(dirname "$0")/../topo.sh"
. "$SCENARIO_DIR/bfd_lib.sh"
[ -x "$KEEPALIVED" ] || { echo "1..0 # SKIP keepalived is not installed"; exit 77; }

topo_bridge lan
topo_node dir1 10.10.0.1/24
topo_node ka 10.10.0.5/24

cat >"$T/dir1.conf" <<EOC
global_defs {
    bfd_process_name vigil_bfd7
    bfd_priority -3
    bfd_rt_priority 21
    bfd_rlimit_rttime 20000
}
bfd_instance b1 {
    neighbor_ip 10.10.0.5
    min_rx 100
    min_tx 100
    multiplier 3
}
EOC
cat >"$T/ka.conf" <<EOC
bfd_instance kb {
    neighbor_ip 10.10.0.1
    min_rx 100
    min_tx 100
    multiplier 3
}
EOC
KALOG=$T/ka/keepalived.log
start_ka() {
	rm -f "$T/ka/ka-bfd.pid"
	ip netns exec "$(node_ns ka)" "$KEEPALIVED" -n -l -D -f "$T/ka.conf" \
	    -p "$T/ka/ka.pid" -r "$T/ka/ka-vrrp.pid" -c "$T/ka/ka-chk.pid" \
	    -b "$T/ka/ka-bfd.pid" >>"$KALOG" 2>&1 &
	KA_PID=$!
	wait_for 50 test -s "$T/ka/ka-bfd.pid" || fail "keepalived's BFD child did not start"
}
ka_state() {
	grep -o "(kb) Entering [A-Za-z]* state" "$KALOG" 2>/dev/null | tail -1 |
	    awk '{print $3}'
}

start_ka
start_vigild_on dir1 "$T/dir1.conf"
wait_for 100 bfd_is dir1 b1 Up || fail "b1 did not come Up with keepalived"
wait_for 50 sh -c "[ \"\$(grep -o '(kb) Entering [A-Za-z]* state' '$KALOG' | tail -1)\" = '(kb) Entering Up state' ]" ||
    fail "keepalived's session did not come Up"
pass "vigild and keepalived 2.2.7: both sessions Up"

bpid=$(cat "$(node_pidfile dir1 bfd)")
[ "$(cat "/proc/$bpid/comm")" = vigil_bfd7 ] || fail "the BFD child is called $(cat "/proc/$bpid/comm")"
chrt -p "$bpid" | grep -q "SCHED_RR" || fail "the BFD child is not SCHED_RR: $(chrt -p "$bpid")"
chrt -p "$bpid" | grep -q "priority: 21" || fail "the BFD child's realtime priority: $(chrt -p "$bpid")"
[ "$(awk '{print $19}' "/proc/$bpid/stat")" = -3 ] || fail "the BFD child's nice is $(awk '{print $19}' "/proc/$bpid/stat")"
grep -q "^Max realtime timeout *20000 " "/proc/$bpid/limits" || fail "RLIMIT_RTTIME: $(grep realtime "/proc/$bpid/limits")"
pass "bfd_process_name, bfd_priority, bfd_rt_priority, bfd_rlimit_rttime applied to the BFD child"

ka_stop
wait_for 50 bfd_is dir1 b1 Down || fail "b1 did not go Down when keepalived stopped"
start_ka
wait_for 100 sh -c "[ \$(grep -c '(b1) Entering Up state' '$(node_log dir1)') -ge 2 ]" ||
    fail "b1 did not come Up again with keepalived"
pass "keepalived stopped: b1 Down; keepalived back: b1 Up"

wait_for 50 sh -c "[ \"\$(grep -o '(kb) Entering [A-Za-z]* state' '$KALOG' | tail -1)\" = '(kb) Entering Up state' ]" ||
    fail "keepalived's session is not Up again"
stop_vigild_on dir1
[ "$VSTATUS" -eq 0 ] || fail "vigild exited $VSTATUS"
# AdminDown from vigild: keepalived goes Down for its neighbor's signal,
# not after its detection time
wait_for 50 grep -q "(kb) Entering Down state (Local diagnostic - Neighbor Signaled Session Down" "$KALOG" ||
    fail "keepalived did not take vigild's AdminDown: $(grep '(kb)' "$KALOG" | tail -3)"
pass "vigild stopping tells keepalived AdminDown: its session goes Down at once"

ka_stop
topo_teardown
[ -z "$(topo_leftovers)" ] || fail "namespaces left: $(topo_leftovers)"
done_testing
