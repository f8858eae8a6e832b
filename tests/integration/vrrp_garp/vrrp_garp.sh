#!/bin/sh
# Gratuitous ARP / NA pacing and the lower priority master: one vigild
# director announcing four IPv4 VIPs through a garp_group's garp_interval
# and an IPv6 VIP through vrrp_gna_interval, as a client captures them
# (the gaps have a lower bound, never an upper one); a second, lower
# priority master (played by advert.py) gets garp_lower_prio_repeat GARPs
# at once and again after garp_lower_prio_delay. An instance with
# unicast_fault_no_peer and no peer stays in FAULT; one with track_src_ip
# goes to FAULT while its mcast_src_ip is gone; garp_extra_if repeats a
# GARP on the VIPs' other interface while MASTER.
. "$(dirname "$0")/../topo.sh"

topo_bridge lan
topo_node dir1 10.40.0.1/24 fd00:40::1/64
topo_node client 10.40.0.50/24 fd00:40::50/64

cat >"$T/dir1/vigil.conf" <<EOF
global_defs {
    router_id dir1
    vrrp_gna_interval 0.4
    vrrp_garp_master_delay 0
    vrrp_garp_master_repeat 2
    log_unknown_vrids
}
garp_group {
    garp_interval 0.5
    interface eth0
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 81
    priority 150
    advert_int 1
    garp_lower_prio_repeat 1
    garp_lower_prio_delay 2
    virtual_ipaddress {
        10.40.0.101/24 dev eth0
        10.40.0.102/24 dev eth0
        10.40.0.103/24 dev eth0
        10.40.0.104/24 dev eth0
    }
}
vrrp_instance VI_6 {
    state BACKUP
    interface eth0
    version 3
    virtual_router_id 86
    priority 150
    advert_int 1
    virtual_ipaddress {
        fd00:40::100/64 dev eth0
    }
}
vrrp_instance VI_U {
    state BACKUP
    interface eth0
    virtual_router_id 87
    priority 150
    advert_int 1
    unicast_src_ip 10.40.0.1
    unicast_fault_no_peer
    virtual_ipaddress {
        10.40.0.110/24 dev eth0
    }
}
vrrp_instance VI_T {
    state BACKUP
    interface eth0
    virtual_router_id 88
    priority 150
    advert_int 1
    mcast_src_ip 10.40.0.9
    track_src_ip
    virtual_ipaddress {
        10.40.0.120/24 dev eth0
    }
}
vrrp_instance VI_X {
    state BACKUP
    interface eth0
    virtual_router_id 89
    priority 150
    advert_int 1
    garp_extra_if all 1
    virtual_ipaddress {
        10.40.0.130/24 dev eth0
        10.41.0.1/24 dev eth1
        10.41.0.2/24 dev eth1
    }
}
vrrp_instance VI_Y {
    state BACKUP
    interface eth0
    virtual_router_id 90
    priority 150
    advert_int 1
    garp_extra_if 1
    virtual_ipaddress {
        10.41.0.10/24 dev eth1
    }
}
EOF
node_exec dir1 ip addr add 10.40.0.9/24 dev eth0
# a second link, dir1 eth1 - client eth1, for garp_extra_if
ip -n "$(node_ns dir1)" link add eth1 type veth peer name eth1 netns "$(node_ns client)" ||
    fail "cannot link dir1 and client by eth1"
node_exec dir1 ip link set eth1 up
node_exec client ip link set eth1 up
node_exec dir1 ip addr add 10.41.0.254/24 dev eth1
CAP1="$T/client/cap1.txt"
ip netns exec "$(node_ns client)" tcpdump -l -n -tt -i eth1 arp >"$CAP1" 2>"$T/client/tcpdump1.err" &
wait_for 50 grep -q "listening on" "$T/client/tcpdump1.err" || fail "tcpdump on eth1 did not start"

CAP="$T/client/cap.txt"
ip netns exec "$(node_ns client)" tcpdump -l -n -tt -i eth0 \
    'arp or (icmp6 and ip6[40] == 136)' >"$CAP" 2>"$T/client/tcpdump.err" &
wait_for 50 grep -q "listening on" "$T/client/tcpdump.err" || fail "tcpdump did not start"

start_vigild_on dir1 "$T/dir1/vigil.conf"
wait_for 150 is dir1 VI_1 MASTER || fail "VI_1 did not become MASTER"
wait_for 150 is dir1 VI_6 MASTER || fail "VI_6 did not become MASTER"

# the GARPs as "TIME VIP" lines (tcpdump: "TIME ARP, Request who-has VIP
# (ff:ff:ff:ff:ff:ff) tell VIP, length 28")
garps() {
	sed -n 's/^\([0-9.]*\) .*who-has \(10\.40\.0\.10[1-4]\) (ff:ff:ff:ff:ff:ff) tell \2,.*/\1 \2/p' "$CAP"
}
ngarps() { garps | wc -l; }
nas() { grep "neighbor advertisement, tgt is fd00:40::100" "$CAP"; }
enough() { [ "$(ngarps)" -ge "$1" ]; }
wait_for 150 enough 8 ||
    fail "not every GARP came: $(garps)"
for v in 10.40.0.101 10.40.0.102 10.40.0.103 10.40.0.104; do
	[ "$(garps | grep -c " $v\$")" -eq 2 ] ||
	    fail "$v was not announced twice (garp_master_repeat 2): $(garps)"
done
# min_gap: the smallest gap between consecutive lines' times
min_gap() { awk 'NR > 1 { g = $1 - t; if (m == "" || g < m) m = g } { t = $1 } END { print m }'; }
gap=$(garps | min_gap)
awk "BEGIN { exit !($gap >= 0.4) }" || fail "GARPs closer than garp_group's garp_interval 0.5 s (smallest gap $gap s): $(garps)"
pass "garp_group garp_interval: 8 GARPs for 4 VIPs, one at a time (smallest gap ${gap} s)"

# garp_extra_if all 1: while MASTER, one GARP a second on eth1 (another
# interface of VI_X's VIPs) for its first address there; none extra on
# the instance's own eth0 (the adverts refresh it); without "all" (VI_Y)
# none on eth1 (only vigil's own VMACs get them)
ngarp1() { grep -c "who-has $1 (ff:ff:ff:ff:ff:ff) tell $1," "$CAP1"; }
wait_for 150 is dir1 VI_X MASTER || fail "VI_X did not become MASTER"
wait_for 150 sh -c "[ \$(grep -c 'who-has 10.41.0.1 (ff:ff:ff:ff:ff:ff) tell 10.41.0.1,' $CAP1) -ge 5 ]" ||
    fail "garp_extra_if all 1: no periodic GARPs on eth1: $(cat "$CAP1")"
# (at most the first round's 2, while 10.41.0.1 got 3 more)
[ "$(ngarp1 10.41.0.2)" -le 2 ] ||
    fail "garp_extra_if: the second address on eth1 got $(ngarp1 10.41.0.2) GARPs, more than the first round's 2"
[ "$(ngarp1 10.41.0.10)" -le 2 ] ||
    fail "garp_extra_if without all: $(ngarp1 10.41.0.10) GARPs on eth1 (not a VMAC), more than the first round's 2"
[ "$(grep -c 'who-has 10.40.0.130 (ff:ff:ff:ff:ff:ff) tell 10.40.0.130,' "$CAP")" -le 2 ] ||
    fail "garp_extra_if: GARPs repeated on the instance's own interface: $(grep 10.40.0.130 "$CAP")"
pass "garp_extra_if all 1: periodic GARPs on the other interface, for its first address only; none on the adverts' interface, none without all"

wait_for 100 sh -c "[ \$(grep -c 'neighbor advertisement, tgt is fd00:40::100' $CAP) -ge 2 ]" ||
    fail "the NAs did not come: $(nas)"
gap=$(nas | min_gap)
awk "BEGIN { exit !($gap >= 0.3) }" || fail "NAs closer than vrrp_gna_interval 0.4 s (smallest gap $gap s): $(nas)"
pass "vrrp_gna_interval: the unsolicited NAs are paced (smallest gap ${gap} s)"

# a lower priority master speaks: one set at once, another after 2 s
n0=$(ngarps)
ip netns exec "$(node_ns client)" python3 "$SCENARIO_DIR/advert.py" 10.40.0.50 81 50 \
    10.40.0.101 10.40.0.102 10.40.0.103 10.40.0.104 || fail "advert.py failed"
wait_for 50 node_log_has dir1 "VI_1: lower priority advert from 10.40.0.50 (50 < 150)" ||
    fail "dir1 did not see the lower priority master"
wait_for 150 enough $((n0 + 8)) ||
    fail "garp_lower_prio_repeat 1 + garp_lower_prio_delay: not two more sets of GARPs: $(garps | tail -n +$((n0 + 1)))"
# the second set is at least garp_lower_prio_delay after the first
first=$(garps | sed -n "$((n0 + 1))p" | awk '{print $1}')
second=$(garps | sed -n "$((n0 + 5))p" | awk '{print $1}')
awk "BEGIN { exit !($second - $first >= 1.9) }" ||
    fail "the second set came $(awk "BEGIN { print $second - $first }") s after the first, before garp_lower_prio_delay 2"
is dir1 VI_1 MASTER || fail "VI_1 left MASTER"
pass "a lower priority master: GARPs at once and again after garp_lower_prio_delay"

# log_unknown_vrids: an advert of a VRID no instance has is logged, the
# first of each VRID and interface only
for i in 1 2 3; do
	ip netns exec "$(node_ns client)" python3 "$SCENARIO_DIR/advert.py" 10.40.0.50 200 100 \
	    10.40.0.201 || fail "advert.py failed"
done
wait_for 50 node_log_has dir1 "Unknown VRID(200) received on interface(eth0). ignoring..." ||
    fail "log_unknown_vrids: no line for the unknown VRID 200"
ip netns exec "$(node_ns client)" python3 "$SCENARIO_DIR/advert.py" 10.40.0.50 81 50 \
    10.40.0.101 10.40.0.102 10.40.0.103 10.40.0.104 || fail "advert.py failed"
wait_for 50 sh -c "[ \$(grep -c 'lower priority advert from 10.40.0.50' $(node_log dir1)) -ge 2 ]" ||
    fail "dir1 did not see the advert sent after the unknown ones"
[ "$(grep -c 'Unknown VRID(200)' "$(node_log dir1)")" -eq 1 ] ||
    fail "log_unknown_vrids: not one line for three adverts: $(grep 'Unknown VRID' "$(node_log dir1)")"
# and every one of the three is counted as a drop (the data dump)
dump_lock
rm -f /tmp/vigil.data
kill -USR1 "$(node_vpid dir1)"
wait_for 50 grep -q "Dropped (vrid) = " /tmp/vigil.data 2>/dev/null ||
    { dump_unlock; fail "dir1's dump counts no drop for an unknown VRID"; }
nvrid=$(sed -n 's/^ *Dropped (vrid) = \([0-9]*\)$/\1/p' /tmp/vigil.data | head -1)
rm -f /tmp/vigil.data
dump_unlock
[ "${nvrid:-0}" -ge 3 ] || fail "dir1 counted ${nvrid:-no} unknown VRID drops for three adverts"
pass "log_unknown_vrids: an unknown VRID is logged, once per VRID and interface, and each advert counted ($nvrid)"

is dir1 VI_U FAULT || fail "VI_U (unicast_fault_no_peer, no peer) is $(state_of dir1 VI_U), not FAULT"
node_log_has dir1 "unicast_fault_no_peer: no unicast peer configured" || fail "the FAULT does not say why"
node_exec dir1 ip -o addr show dev eth0 | grep -q " 10.40.0.110/" && fail "VI_U holds its VIP in FAULT"
node_log_has dir1 "not supported yet" && fail "dir1 warns: $(grep 'not supported yet' "$(node_log dir1)")"
pass "unicast_fault_no_peer: an instance without a peer stays in FAULT"

wait_for 100 is dir1 VI_T MASTER || fail "VI_T (track_src_ip, source present) is $(state_of dir1 VI_T), not MASTER"
node_exec dir1 ip addr del 10.40.0.9/24 dev eth0
wait_for 50 is dir1 VI_T FAULT || fail "VI_T stayed $(state_of dir1 VI_T) when its source address went"
node_log_has dir1 "VI_T: MASTER -> FAULT: track_src_ip: source address 10.40.0.9 is gone" ||
    fail "the FAULT does not say the source address went"
wait_for 50 sh -c "! ip netns exec $(node_ns dir1) ip -o addr show dev eth0 | grep -q ' 10.40.0.120/'" ||
    fail "VI_T kept its VIP in FAULT"
node_exec dir1 ip addr add 10.40.0.9/24 dev eth0
wait_for 100 is dir1 VI_T MASTER || fail "VI_T did not come back when its source address returned ($(state_of dir1 VI_T))"
is dir1 VI_1 MASTER || fail "VI_1 moved with VI_T's source address"
pass "track_src_ip: FAULT while the source address is gone, back when it returns"

stop_vigild_on dir1
[ "$VSTATUS" -eq 0 ] || fail "dir1: vigild exited with status $VSTATUS"
topo_teardown
done_testing
