#!/bin/sh
# vigild against Debian's keepalived on one bridge, VRRPv2 and VRRPv3:
# either side master, either side cut off or stopped, preemption both
# ways, and never two masters once the election has settled. keepalived
# runs in its own namespace with its own pid files (-p/-r/-c), VRRP only.
# Order and outcome come from both logs and `ip addr`, never from times.
. "$(dirname "$0")/../topo.sh"
. "$SCENARIO_DIR/interop.sh"

KEEPALIVED=${KEEPALIVED:-$(command -v keepalived || echo /usr/sbin/keepalived)}
[ -x "$KEEPALIVED" ] || { echo "1..0 # SKIP keepalived is not installed"; exit 77; }

# keepalived's output goes to the node's log file, which fail prints
start_ka() { # PRIORITY
	conf "$T/ka/keepalived.conf" "$1"
	ip netns exec "$(node_ns ka)" "$KEEPALIVED" -n -l -D -G -P -B \
	    -f "$T/ka/keepalived.conf" -p "$T/ka/ka.pid" -r "$T/ka/ka-vrrp.pid" \
	    -c "$T/ka/ka-chk.pid" -b "$T/ka/ka-bfd.pid" \
	    >>"$(node_log ka)" 2>&1 &
	KA_PID=$!
	wait_for 50 test -s "$T/ka/ka-vrrp.pid" || fail "keepalived did not start"
}
stop_ka() {
	kill -TERM "$KA_PID" 2>/dev/null
	wait_for 100 dead "$KA_PID" || fail "keepalived did not stop"
	wait "$KA_PID" 2>/dev/null
	no_vip ka || fail "keepalived left the VIP behind"
}
topo_bridge lan
topo_node dir1 10.10.0.1/24
topo_node ka 10.10.0.3/24
topo_node client 10.10.0.50/24

round() {
	VER=$1
	ADV=$2
	mark "round"
	# vigild the higher priority
	start_ka 100
	start_dir 150
	wait_for 150 settled dir1 ka || fail "v$VER: vigild (150) is not MASTER over keepalived (100)"
	stays_settled dir1 ka
	wait_for 50 node_exec client ping -n -q -c 1 -W 1 "$VIP" >/dev/null 2>&1 ||
	    fail "v$VER: the client does not reach the VIP on vigild"
	pass "v$VER: vigild (150) MASTER, keepalived (100) BACKUP, the client reaches the VIP"

	node_exec dir1 ip link set eth0 down
	wait_for 150 is_state ka MASTER || fail "v$VER: keepalived did not take over from a cut vigild"
	wait_for 50 has_vip ka || fail "v$VER: keepalived MASTER without the VIP"
	node_exec dir1 ip link set eth0 up
	wait_for 150 settled dir1 ka || fail "v$VER: vigild did not preempt keepalived on return"
	stays_settled dir1 ka
	pass "v$VER: vigild cut off -> keepalived MASTER; back -> vigild preempts"

	stop_dir
	wait_for 100 is_state ka MASTER || fail "v$VER: keepalived did not take over from a stopped vigild"
	wait_for 50 has_vip ka || fail "v$VER: keepalived MASTER without the VIP"
	pass "v$VER: vigild stops (priority 0) -> keepalived MASTER"

	# keepalived the higher priority
	start_dir 50
	wait_for 100 is_state dir1 BACKUP || fail "v$VER: vigild (50) did not start as BACKUP"
	stays_settled ka dir1
	pass "v$VER: keepalived (100) stays MASTER, vigild (50) BACKUP"

	stop_ka
	wait_for 100 is_state dir1 MASTER || fail "v$VER: vigild did not take over from a stopped keepalived"
	wait_for 50 has_vip dir1 || fail "v$VER: vigild MASTER without the VIP"
	node_log_has dir1 "master 10.10.0.3 stopped (priority 0)" ||
	    fail "v$VER: vigild did not see keepalived's priority 0 advert"
	pass "v$VER: keepalived stops (priority 0) -> vigild MASTER"

	start_ka 100
	wait_for 150 settled ka dir1 || fail "v$VER: keepalived (100) did not preempt vigild (50)"
	stays_settled ka dir1
	node_log_has dir1 "higher priority advert from 10.10.0.3 (100 > 50)" ||
	    fail "v$VER: vigild does not say why it went back"
	pass "v$VER: keepalived preempts vigild on return"

	node_exec ka ip link set eth0 down
	wait_for 150 is_state dir1 MASTER || fail "v$VER: vigild did not take over from a cut keepalived"
	wait_for 50 has_vip dir1 || fail "v$VER: vigild MASTER without the VIP"
	node_exec ka ip link set eth0 up
	wait_for 150 settled ka dir1 || fail "v$VER: keepalived did not preempt on its return"
	stays_settled ka dir1
	pass "v$VER: keepalived cut off -> vigild MASTER; back -> keepalived preempts"

	stop_ka
	stop_dir
	: >"$(node_log dir1)"
	: >"$(node_log ka)"
}

round 2 1
round 3 0.5

topo_teardown
[ -z "$(topo_leftovers)" ] || fail "namespaces left: $(topo_leftovers)"
done_testing
