#!/bin/sh
# A bfd_instance whose source_ip is not on the host when vigild starts
# (a VIP, an address still to come): its sending socket does not open,
# which is logged once, and the session retries on a timer, on a packet
# from its peer and on a reload. Once the address is there the session
# comes Up with FRR's bfdd, which was sending to that address all along.
# Order and outcome from vigild's log, never from times.
. "$(dirname "$0")/../topo.sh"
. "$SCENARIO_DIR/bfd_lib.sh"

topo_bridge lan
topo_node dir1 10.10.0.1/24
topo_node frr 10.10.0.4/24

cat >"$T/dir1.conf" <<EOC
bfd_instance late {
    neighbor_ip 10.10.0.4
    source_ip 10.10.0.9
    min_rx 100
    min_tx 100
    multiplier 3
}
EOC

start_bfdd 10.10.0.9
start_vigild_on dir1 "$T/dir1.conf"
wait_for 50 node_log_has dir1 "(late) cannot open its sending socket from 10.10.0.9: .*; trying again every" ||
    fail "no error for the source address missing"
# a retry on the timer fails the same way: not logged again
wait_for 100 node_log_has dir1 "(late) session to neighbor started" || fail "the session did not start"
sleep 6
[ "$(grep -c '(late) cannot open its sending socket' "$(node_log dir1)")" -eq 1 ] ||
    fail "the failure is logged more than once: $(grep -c '(late) cannot open' "$(node_log dir1)")"
! bfd_is dir1 late Up || fail "late is Up without its source address"
pass "source_ip not on the host: the socket fails, logged once, session not Up"

ip -n "$(node_ns dir1)" addr add 10.10.0.9/24 dev eth0 || fail "cannot add 10.10.0.9"
wait_for 100 node_log_has dir1 "(late) sending socket open" || fail "the sending socket did not open once the address came"
wait_for 100 bfd_is dir1 late Up || fail "late did not come Up once its source address came"
pass "the source address added: the socket opens, the session comes Up with bfdd"

stop_vigild_on dir1
[ "$VSTATUS" -eq 0 ] || fail "vigild exited $VSTATUS"
stop_bfdd
topo_teardown
[ -z "$(topo_leftovers)" ] || fail "namespaces left: $(topo_leftovers)"
done_testing
