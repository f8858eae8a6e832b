#!/bin/sh
# Three vigild directors (dir1 priority 150, dir2 100, dir3 50) and a
# client on one bridge, one VRRP instance holding the VIP 10.10.0.100:
# the highest priority wins the election and the two others stay BACKUP;
# when the master stops (priority 0) the next highest takes over, not the
# lowest (its Skew_Time is longer and it hears the new master first);
# with that one's link cut too, the lowest takes over; the first returns
# and preempts it; the second's link back leaves it BACKUP. After each
# step exactly one director holds the VIP and the client follows it.
# Order and outcome come from the logs and `ip addr`, never from times.
. "$(dirname "$0")/../topo.sh"

VIP=10.10.0.100
ALL="dir1 dir2 dir3"

has_vip() { node_exec "$1" ip -o -4 addr show dev eth0 | grep -q " $VIP/"; }
last_state() {
	grep -o 'Entering [A-Z]* STATE' "$(node_log "$1")" 2>/dev/null | tail -1 |
	    awk '{print $2}'
}
is_state() { [ "$(last_state "$1")" = "$2" ]; }
count() { grep -c -- "$2" "$(node_log "$1")" 2>/dev/null || true; }
mac_of() { node_exec "$1" cat /sys/class/net/eth0/address; }
client_reaches() {
	node_exec client ping -n -q -c 1 -W 1 "$VIP" >/dev/null 2>&1 &&
	    node_exec client ip neigh show "$VIP" | grep -q "$(mac_of "$1")"
}
# settled MASTER BACKUP...: one master holding the VIP, the others BACKUP
# (or FAULT, as given: NODE:FAULT) without it
settled() {
	is_state "$1" MASTER && has_vip "$1" || return 1
	_m=$1
	shift
	for _b in "$@"; do
		_n=${_b%%:*} _s=BACKUP
		[ "$_n" = "$_b" ] || _s=${_b#*:}
		is_state "$_n" "$_s" && ! has_vip "$_n" || return 1
	done
}
# only one director holds the VIP (checked a few times over 2 s)
one_holder() {
	for _i in 1 2 3 4; do
		_h=0
		for _n in $ALL; do
			[ -f "$T/$_n/launch.pid" ] || continue
			! has_vip "$_n" || _h=$((_h + 1))
		done
		[ "$_h" -eq 1 ] || return 1
		sleep 0.5
	done
}

topo_bridge lan
topo_node dir1 10.10.0.1/24
topo_node dir2 10.10.0.2/24
topo_node dir3 10.10.0.3/24
topo_node client 10.10.0.50/24
for n in $ALL; do
	cp "$SCENARIO_DIR/$n.conf" "$T/$n/vigil.conf"
	start_vigild_on "$n" "$T/$n/vigil.conf"
done

# --- election ---------------------------------------------------------------
wait_for 150 settled dir1 dir2 dir3 || fail "dir1 (150) is not the one MASTER over dir2 (100) and dir3 (50)"
one_holder || fail "election: more than one director holds the VIP"
[ "$(count dir3 "Entering MASTER STATE")" -eq 0 ] || fail "dir3 (50) was MASTER during the election"
wait_for 100 client_reaches dir1 || fail "the client does not reach the VIP at dir1"
pass "election of three: dir1 is MASTER, dir2 and dir3 BACKUP, the client reaches dir1"

# --- the master stops: the next highest takes over --------------------------
m3=$(count dir3 "Entering MASTER STATE")
stop_vigild_on dir1
wait_for 100 settled dir2 dir3 || fail "dir2 (100) did not take over from the stopped dir1 with dir3 BACKUP"
node_log_has dir2 "after the master stopped" || fail "dir2 did not take over on Skew_Time after priority 0"
one_holder || fail "after dir1 stopped: more than one director holds the VIP"
[ "$(count dir3 "Entering MASTER STATE")" -eq "$m3" ] || fail "dir3 (50) became MASTER when dir1 stopped"
wait_for 100 client_reaches dir2 || fail "the client does not reach the VIP at dir2"
pass "dir1 stops (priority 0): dir2 takes over, dir3 stays BACKUP, the client follows"

# --- the new master's link cut: the lowest takes over ------------------------
node_exec dir2 ip link set eth0 down
wait_for 150 settled dir3 dir2:FAULT || fail "dir3 did not take over when dir2's link was cut"
one_holder || fail "after dir2's cut: more than one director holds the VIP"
wait_for 100 client_reaches dir3 || fail "the client does not reach the VIP at dir3"
pass "dir2's link cut: dir3 takes over, dir2 in FAULT, the client follows"

# --- the first returns and preempts ------------------------------------------
start_vigild_on dir1 "$T/dir1/vigil.conf"
wait_for 150 settled dir1 dir3 dir2:FAULT || fail "dir1 did not preempt dir3 on its return"
node_log_has dir3 "VI_1: MASTER -> BACKUP: higher priority advert from 10.10.0.1 (150 > 50)" ||
    fail "dir3: the preemption's reason is missing"
one_holder || fail "after dir1's return: more than one director holds the VIP"
wait_for 100 client_reaches dir1 || fail "the client did not follow the VIP back to dir1"
pass "dir1 returns: it preempts dir3, the client follows"

# --- the second's link back: it stays BACKUP under the master ----------------
m2=$(count dir2 "Entering MASTER STATE")
node_exec dir2 ip link set eth0 up
wait_for 150 settled dir1 dir2 dir3 || fail "dir2's return: not dir1 MASTER over two BACKUPs"
one_holder || fail "dir2's return: more than one director holds the VIP"
[ "$(count dir2 "Entering MASTER STATE")" -eq "$m2" ] || fail "dir2 became MASTER on its link's return"
pass "dir2's link back: it goes BACKUP under dir1, one holder of the VIP throughout"

for n in $ALL; do
	stop_vigild_on "$n"
	[ "$VSTATUS" -eq 0 ] || fail "$n: vigild exited with status $VSTATUS"
done
pass "all three stop cleanly"
