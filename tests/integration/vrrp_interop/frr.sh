#!/bin/sh
# vigild against FRR's vrrpd (Debian's frr) on one bridge, VRRPv2 and
# VRRPv3: either side master, either side stopped, preemption both ways,
# never two masters once settled. Order and outcome come from both logs and
# `ip addr`, never from times.
. "$(dirname "$0")/../topo.sh"
. "$SCENARIO_DIR/interop.sh"

# --- FRR's vrrpd -------------------------------------------------------------
# zebra and vrrpd run as the frr user (FRR insists on its vty group) with
# their own configuration, pid files and sockets under $T/frr. vrrpd needs
# its macvlan (the virtual MAC, the VIP on it) made beforehand, and keeps
# the VIP on it in every state: its state is read from its log.
FRRDIR=${FRRDIR:-/usr/lib/frr}
if [ ! -x "$FRRDIR/vrrpd" ] || [ ! -x "$FRRDIR/zebra" ] || ! id frr >/dev/null 2>&1; then
	echo "1..0 # SKIP FRR is not installed"
	exit 77
fi

topo_bridge lan
topo_node dir1 10.10.0.1/24
topo_node frr 10.10.0.4/24
chmod 777 "$T/frr"
node_exec frr ip link add vrrp4-2-51 link eth0 type macvlan mode bridge
node_exec frr ip link set dev vrrp4-2-51 address 00:00:5e:00:01:33
node_exec frr ip addr add "$VIP/24" dev vrrp4-2-51
node_exec frr ip link set vrrp4-2-51 up
echo "hostname frr" >"$T/frr/zebra.conf"
ip netns exec "$(node_ns frr)" "$FRRDIR/zebra" -u frr -g frr -f "$T/frr/zebra.conf" \
    -i "$T/frr/zebra.pid" -z "$T/frr/zserv.api" --vty_socket "$T/frr" \
    --log "file:$T/frr/zebra.log" >>"$T/frr/zebra.out" 2>&1 &
wait_for 50 test -S "$T/frr/zserv.api" || fail "zebra did not start"

# the state vrrpd entered last for IPv4 ("Master", "Backup")
frr_state() {
	grep -o '\[IPv4\] [A-Za-z]* -> [A-Za-z]*' "$(node_log frr)" 2>/dev/null | tail -1 |
	    awk '{print $4}'
}
frr_is() { [ "$(frr_state)" = "$1" ]; }
start_frr() { # PRIORITY
	printf 'hostname frr\ninterface eth0\n vrrp 51 version %s\n vrrp 51 priority %s\n vrrp 51 advertisement-interval %s\n vrrp 51 ip %s\n' \
	    "$VER" "$1" "$FRR_ADV" "$VIP" >"$T/frr/vrrpd.conf"
	: >"$(node_log frr)"
	chmod 666 "$(node_log frr)"
	ip netns exec "$(node_ns frr)" "$FRRDIR/vrrpd" -u frr -g frr -f "$T/frr/vrrpd.conf" \
	    -i "$T/frr/vrrpd.pid" -z "$T/frr/zserv.api" --vty_socket "$T/frr" \
	    --log "file:$(node_log frr)" >>"$T/frr/vrrpd.out" 2>&1 &
	FRR_PID=$!
	wait_for 50 node_log_has frr "\[IPv4\] 'Startup' event" || fail "vrrpd did not start its IPv4 router"
}
stop_frr() {
	kill -TERM "$FRR_PID" 2>/dev/null
	wait_for 100 dead "$FRR_PID" || fail "vrrpd did not stop"
	wait "$FRR_PID" 2>/dev/null
}
# vigild MASTER with the VIP and vrrpd Backup, or the other way round
dir_master() { is_state dir1 MASTER && has_vip dir1 && frr_is Backup; }
frr_master() { is_state dir1 BACKUP && no_vip dir1 && frr_is Master; }
holds() { # dir_master|frr_master: and still so a while later
	_end=$(($(date +%s) + 3))
	while [ "$(date +%s)" -lt $_end ]; do
		"$1" || fail "v$VER: $1 did not hold (vigild: $(last_state dir1), vrrpd: $(frr_state))"
		sleep 0.1
	done
}

frr_round() {
	VER=$1
	ADV=$2
	FRR_ADV=$3
	mark "FRR round"
	start_frr 100
	start_dir 150
	wait_for 150 dir_master || fail "v$VER: vigild (150) is not MASTER over vrrpd (100)"
	holds dir_master
	pass "v$VER: vigild (150) MASTER, FRR vrrpd (100) Backup"

	stop_dir
	wait_for 100 frr_is Master || fail "v$VER: vrrpd did not take over from a stopped vigild"
	start_dir 50
	wait_for 150 frr_master || fail "v$VER: vigild (50) did not stay BACKUP under vrrpd (100)"
	holds frr_master
	pass "v$VER: vigild stops -> vrrpd Master; vigild (50) returns as BACKUP"

	stop_frr
	wait_for 150 is_state dir1 MASTER || fail "v$VER: vigild did not take over from a stopped vrrpd"
	wait_for 50 has_vip dir1 || fail "v$VER: vigild MASTER without the VIP"
	start_frr 100
	wait_for 150 frr_master || fail "v$VER: vrrpd (100) did not preempt vigild (50)"
	holds frr_master
	node_log_has dir1 "higher priority advert from 10.10.0.4 (100 > 50)" ||
	    fail "v$VER: vigild does not say why it went back"
	pass "v$VER: vrrpd stops -> vigild MASTER; vrrpd returns and preempts"

	stop_dir
	start_dir 150
	wait_for 150 dir_master || fail "v$VER: vigild (150) did not preempt vrrpd (100)"
	holds dir_master
	pass "v$VER: vigild (150) returns and preempts vrrpd"
	stop_dir
	stop_frr
	: >"$(node_log dir1)"
}

frr_round 2 1 1000
frr_round 3 0.5 500

topo_teardown
[ -z "$(topo_leftovers)" ] || fail "namespaces left: $(topo_leftovers)"
done_testing
