#!/bin/sh
# VRRP on links the host kernel may not have (inside User-Mode Linux, run by
# tests/kernel/kernel.sh): use_ipvlan, and instances whose interface is
# enslaved to a VRF.
#
# Two directors d1 (priority 150) and d2 (100) and a client c on two LANs:
# br0 (10.7.0.0/24, the directors' eth0 in the default VRF without an
# address: their ipvlans carry one) and br1 (10.6.0.0/24, eth1 enslaved in
# each director to the VRF device blue, table 10). One vigild
# per director runs three instances:
#  - VI_IPV on eth0 with use_ipvlan ipv71 ADDR/24 private: the ipvlan is
#    made at start (mode l2, flag private, its address on it), the VIP
#    10.7.0.100 lives on it on the MASTER only;
#  - VI_IPV6 on eth0 with use_ipvlan ipv74 fd07::N/64 (VRRPv3 over
#    IPv6): the same for the VIP fd07::100;
#  - VI_VRF on eth1 (in blue), unicast: adverts flow through the VRF
#    (d2 stays BACKUP), the VIP 10.6.0.100 goes on eth1, its virtual
#    route names "vrf blue" and lands in table 10;
#  - VI_VMAC on eth1 with use_vmac, multicast: the VMAC vrrp.73 is made
#    in blue too, the VIP 10.6.0.101 on it;
#  - VI_NOIF, unicast without an interface, vrf blue: its socket bound to
#    its unicast_src_ip in blue (the address is in blue's table only), the
#    VIP 10.6.0.102 on the eth1 it names.
# Checked in order: election (d1 MASTER, d2 BACKUP with every instance), the
# client reaches all three VIPs; the ipvlan deleted by hand on the MASTER is
# made again with its VIP; d1 stops: its ipvlan and VMAC are removed, d2
# takes every VIP over and the client reaches them through d2; a reload of
# d2 naming another ipvlan moves the VIP to it; eth1 leaves blue and comes
# back on d2: its VMAC follows; vigilctl show names the VRF of VI_VRF and
# VI_NOIF; a reload moves VI_NOIF out of blue and back in, MASTER
# throughout with its VIP, its socket bound anew each time; d2 stops: its
# ipvlan and VMAC are removed too.
. "$(dirname "$0")/klib.sh"
NODES="lan d1 d2 c"

fail() {
	echo "FAIL: $*"
	[ -f "$T/unreached" ] && echo "--- unreached: $(cat "$T/unreached")"
	echo "--- c: neighbours:"
	ip -n "$P-c" neigh 2>/dev/null
	for x in d1 d2; do
		echo "--- $x: links, addresses, table 10:"
		ip -n "$P-$x" -d -br link 2>/dev/null
		ip -n "$P-$x" -br addr 2>/dev/null
		ip -n "$P-$x" route show table 10 2>/dev/null
	done
	show_outs 40
	exit 1
}

for x in $NODES; do
	ip netns add "$P-$x" || fail "cannot create namespace $P-$x"
	ip -n "$P-$x" link set lo up
done
ip -n "$P-d1" link add vt0 type veth peer name vt1
if ! ip -n "$P-d1" link add blue type vrf table 10 2>/dev/null ||
    ! ip -n "$P-d1" link add ipvtest link vt0 type ipvlan 2>/dev/null; then
	echo "SKIP: no vrf or ipvlan in this kernel"
	exit 77
fi
ip -n "$P-d1" link del vt0
ip -n "$P-d1" link del blue
for b in br0 br1; do
	ip -n "$P-lan" link add $b type bridge
	ip -n "$P-lan" link set $b up
done
# link NODE IF ADDR/LEN|0 BRIDGE
link() {
	ip -n "$P-lan" link add "l$1${4#br}" type veth peer name "$2" netns "$P-$1"
	ip -n "$P-lan" link set "l$1${4#br}" master "$4" up
	[ "$3" = 0 ] || ip -n "$P-$1" addr add "$3" dev "$2"
	ip -n "$P-$1" link set "$2" up
}
link c eth0 10.7.0.50/24 br0
link c eth1 10.6.0.50/24 br1
ip -n "$P-c" addr add fd07::50/64 dev eth0 nodad
for x in d1:1 d2:2; do
	d=${x%%:*} i=${x#*:}
	ip -n "$P-$d" link add blue type vrf table 10
	ip -n "$P-$d" link set blue up
	# eth0 holds no address of its own: the ipvlan is the director's
	# presence on br0 (an address of the same subnet on eth0 would
	# take the replies to the VIP, and its ARP would be answered to
	# the ipvlan)
	link $d eth0 0 br0
	link $d eth1 10.6.0.$i/24 br1
	ip -n "$P-$d" link set eth1 master blue
done

# conf NODE PRIORITY IPVLAN-ADDRESS PEER (VI_VRF's and VI_NOIF's unicast
# peer) IPVLAN6 SOURCE (VI_NOIF's unicast_src_ip)
conf() {
	cat <<EOF
global_defs {
	router_id $1
}
vrrp_instance VI_IPV {
	state BACKUP
	interface eth0
	virtual_router_id 71
	priority $2
	advert_int 1
	use_ipvlan ipv71 $3/24 private
	virtual_ipaddress {
		10.7.0.100/24
	}
}
vrrp_instance VI_IPV6 {
	state BACKUP
	interface eth0
	virtual_router_id 74
	version 3
	priority $2
	advert_int 1
	use_ipvlan ipv74 $5/64 private
	virtual_ipaddress {
		fd07::100/64
	}
}
vrrp_instance VI_VRF {
	state BACKUP
	interface eth1
	virtual_router_id 72
	priority $2
	advert_int 1
	unicast_peer {
		$4
	}
	virtual_ipaddress {
		10.6.0.100/24
	}
	virtual_routes {
		10.5.0.0/24 via 10.6.0.50 dev eth1 vrf blue
	}
}
vrrp_instance VI_NOIF {
	state BACKUP
	vrf blue
	virtual_router_id 75
	priority $2
	advert_int 1
	unicast_src_ip $6
	unicast_peer {
		$4
	}
	virtual_ipaddress {
		10.6.0.102/24 dev eth1
	}
}
vrrp_instance VI_VMAC {
	state BACKUP
	interface eth1
	virtual_router_id 73
	priority $2
	advert_int 1
	use_vmac
	virtual_ipaddress {
		10.6.0.101/24
	}
}
EOF
}
# has NODE DEV ADDR: ADDR is on NODE's DEV
has() { ip -n "$P-$1" -4 addr show dev "$2" 2>/dev/null | grep -q "inet $3/"; }
has6() { ip -n "$P-$1" -6 addr show dev "$2" 2>/dev/null | grep -q "inet6 $3/"; }
# nolink NODE DEV: NODE has no DEV
nolink() { ! ip -n "$P-$1" link show dev "$2" >/dev/null 2>&1; }
# all3 NODE: NODE holds the three IPv4 VIPs and the IPv6 one where they
# belong
all3() {
	has $1 ipv71 10.7.0.100 && has $1 eth1 10.6.0.100 && has $1 vrrp.73 10.6.0.101 &&
	    has $1 eth1 10.6.0.102 && has6 $1 ipv74 fd07::100
}
# none3 NODE: NODE holds none of them
none3() {
	! ip -n "$P-$1" addr | grep -q -e 10.7.0.100/ -e 10.6.0.100/ -e 10.6.0.101/ \
	    -e 10.6.0.102/ -e fd07::100/
}
# reach ADDR...: the client's pings to each ADDR are answered (a starved
# guest may lose one: 3 tries)
reach() {
	for _a in "$@"; do
		ip netns exec "$P-c" ping -c 1 -W 2 "$_a" >/dev/null 2>&1 ||
		ip netns exec "$P-c" ping -c 2 -W 3 "$_a" >/dev/null 2>&1 ||
		    { echo "$_a" >"$T/unreached"; return 1; }
	done
}

conf d1 150 10.7.0.11 10.6.0.2 fd07::11 10.6.0.1 >"$T/d1.conf"
conf d2 100 10.7.0.12 10.6.0.1 fd07::12 10.6.0.2 >"$T/d2.conf"
mkdir -p "$T/d1" "$T/d2"
mv "$T/d1.conf" "$T/d1/vigil.conf"
mv "$T/d2.conf" "$T/d2/vigil.conf"
note "starting vigild on d1 and d2"
# d2 first: MASTER alone, then d1 preempts it
start_on d2
wait_for 60 has d2 ipv71 10.7.0.100 || fail "d2: no ipvlan ipv71 with the VIP"
start_on d1
wait_for 90 all3 d1 || fail "d1 did not become MASTER with every VIP"

# the ipvlan: l2, private, on eth0, its address on it; the VMAC in blue
ip -n "$P-d1" -d link show dev ipv71 >"$T/ipv71" 2>&1
grep -q "ipvlan  *mode l2 private" "$T/ipv71" || fail "d1: ipv71 is not an l2 private ipvlan: $(cat "$T/ipv71")"
grep -q "ipv71@eth0" "$T/ipv71" || fail "d1: ipv71 is not on eth0: $(cat "$T/ipv71")"
has d1 ipv71 10.7.0.11 || fail "d1: ipv71 lacks its address 10.7.0.11"
has d1 eth0 10.7.0.100 && fail "d1: the VIP 10.7.0.100 is on eth0, not on the ipvlan"
pass "use_ipvlan: the ipvlan ipv71 (l2, private, on eth0) carries its address and, on the MASTER, the VIP"
ip -n "$P-d1" -d link show dev ipv74 >"$T/ipv74" 2>&1
grep -q "ipvlan  *mode l2 private" "$T/ipv74" && grep -q "ipv74@eth0" "$T/ipv74" ||
    fail "d1: ipv74 is not an l2 private ipvlan on eth0: $(cat "$T/ipv74")"
has6 d1 ipv74 fd07::11 || fail "d1: ipv74 lacks its address fd07::11"
ip -n "$P-d1" -6 addr show dev eth0 | grep -q fd07:: && fail "d1: an fd07:: address is on eth0, not on the ipvlan"
pass "use_ipvlan with IPv6 (VRRPv3): ipv74 carries fd07::11 and, on the MASTER, the VIP fd07::100"
ip -n "$P-d1" -d link show dev vrrp.73 >"$T/vmac" 2>&1
grep -q "master blue" "$T/vmac" || fail "d1: the VMAC vrrp.73 is not in VRF blue: $(cat "$T/vmac")"
ip -n "$P-d2" -d link show dev vrrp.73 2>&1 | grep -q "master blue" ||
    fail "d2: the VMAC vrrp.73 is not in VRF blue"
ip -n "$P-d2" -d link show dev ipv71 2>&1 | grep -q "ipvlan  *mode l2 private" ||
    fail "d2: no ipvlan ipv71"
pass "use_vmac on an interface in a VRF: the VMAC is made in the same VRF (both directors)"

# adverts flow through the VRF: d2 hears d1, goes BACKUP and stays there
backup3() {
	for i in VI_IPV VI_IPV6 VI_VRF VI_VMAC VI_NOIF; do
		grep -q "$i: MASTER -> BACKUP: higher priority advert from" "$T/vigild-d2.out" ||
		    return 1
	done
}
wait_for 30 backup3 || fail "d2 did not go BACKUP on d1's adverts"
: >"$T/vigild-d2.out"
sleep 5
grep -q -e "-> MASTER" -e "-> FAULT" "$T/vigild-d2.out" && fail "d2 left BACKUP while d1 is MASTER (adverts lost?)"
none3 d2 || fail "d2 holds a VIP while BACKUP: $(ip -n "$P-d2" -4 -br addr)"
grep -q "VRRP socket (IPv4) bound to 10.6.0.1 in VRF blue, no interface" "$T/vigild-d1.out" ||
    fail "d1: VI_NOIF's socket is not bound to 10.6.0.1 in blue"
pass "election: d1 MASTER, d2 BACKUP for both ipvlan instances (IPv4, IPv6) and the three instances in the VRF (unicast, multicast, and without an interface: its socket bound in blue)"
ip -n "$P-d1" route show table 10 | grep -q "^10.5.0.0/24 via 10.6.0.50 dev eth1" ||
    fail "d1: the route with vrf blue is not in table 10: $(ip -n "$P-d1" route show table 10)"
ip -n "$P-d1" route show table main | grep -q "^10.5.0.0/24" && fail "d1: the vrf blue route went into main"
ip -n "$P-d2" route show table 10 | grep -q "^10.5.0.0/24" && fail "d2 (BACKUP) holds the virtual route"
pass "virtual_routes: a route naming vrf blue goes in blue's table (10) on the MASTER only"
wait_for 30 reach 10.7.0.100 10.6.0.100 10.6.0.101 10.6.0.102 fd07::100 || fail "the client does not reach the VIPs through d1"
ip netns exec "$P-c" ip neigh show 10.6.0.101 | grep -q "00:00:5e:00:01:49" ||
    fail "the client does not see 10.6.0.101 at the VMAC's MAC: $(ip netns exec "$P-c" ip neigh)"
pass "the client reaches the ipvlans' VIPs (IPv4, IPv6) and the three VIPs in the VRF (10.6.0.101 at the VMAC's MAC)"

# removed by hand on the MASTER: made again, the VIP back on it
ip -n "$P-d1" link del ipv71
wait_for 30 has d1 ipv71 10.7.0.100 || fail "d1: ipv71 was not made again with its VIP"
has d1 ipv71 10.7.0.11 || fail "d1: ipv71 made again without its address"
grep -q "VI_IPV: its ipvlan ipv71 was removed: making it again" "$T/vigild-d1.out" ||
    fail "d1: the removal was not logged"
wait_for 30 reach 10.7.0.100 || fail "the client does not reach 10.7.0.100 after the ipvlan came back"
pass "the ipvlan deleted by hand on the MASTER is made again, its VIP back on it and reachable"

note "stopping d1"
stop_bg vigild-d1
nolink d1 ipv71 || fail "d1: ipv71 left after stop"
nolink d1 ipv74 || fail "d1: ipv74 left after stop"
nolink d1 vrrp.73 || fail "d1: vrrp.73 left after stop"
none3 d1 || fail "d1: a VIP left after stop"
pass "stop: d1's ipvlans and VMAC are removed with its VIPs"
wait_for 60 all3 d2 || fail "d2 did not take the VIPs over"
ip -n "$P-d2" route show table 10 | grep -q "^10.5.0.0/24 via 10.6.0.50" ||
    fail "d2: no virtual route in table 10 as MASTER"
wait_for 30 reach 10.7.0.100 10.6.0.100 10.6.0.101 10.6.0.102 fd07::100 || fail "the client does not reach the VIPs through d2"
pass "failover: d2 takes over the ipvlans' VIPs (IPv4, IPv6) and the three VIPs in the VRF, the client reaches them"

# a reload asking for another ipvlan: the old one goes, the new one
# carries the VIP
conf d2 100 10.7.0.12 10.6.0.1 fd07::12 10.6.0.2 | sed -e 's/ipv71/ipv72/' -e 's/ private$/ bridge/' \
    >"$T/d2/vigil.conf"
kill -HUP "$(cat "$T/d2/v.pid")"
moved() { nolink d2 ipv71 && has d2 ipv72 10.7.0.100 && has d2 ipv72 10.7.0.12; }
wait_for 60 moved || fail "d2: the reload did not move the VIP to a new ipvlan ipv72"
ip -n "$P-d2" -d link show dev ipv72 | grep -q "ipvlan  *mode l2 bridge" ||
    fail "d2: ipv72 is not an l2 bridge ipvlan"
wait_for 30 reach 10.7.0.100 || fail "the client does not reach 10.7.0.100 on ipv72"
pass "a reload naming another ipvlan (ipv72, bridge): ipv71 goes, ipv72 carries the address and the VIP"

# the VMAC follows its interface out of the VRF and back in
vmac_master() {
	ip -n "$P-d2" -d link show dev vrrp.73 >"$T/vmac" 2>&1 || return 1
	if [ "$1" = none ]; then
		! grep -q " master " "$T/vmac"
	else
		grep -q "master $1" "$T/vmac"
	fi
}
ip -n "$P-d2" link set eth1 nomaster
wait_for 30 vmac_master none || fail "d2: vrrp.73 did not leave blue with eth1: $(cat "$T/vmac")"
ip -n "$P-d2" link set eth1 master blue
wait_for 30 vmac_master blue || fail "d2: vrrp.73 did not follow eth1 into blue: $(cat "$T/vmac")"
grep -q "VI_VMAC: its VMAC follows eth1 into its VRF" "$T/vigild-d2.out" ||
    fail "d2: the VMAC's move was not logged"
pass "the VMAC follows its interface out of the VRF and back into it"

# vigilctl names the VRF beside the interface (JSON: vrf)
ctl2() { in_ns d2 "$VIGILCTL" -s "$T/d2/v.ctl" "$@"; }
ctl2 show vrrp >"$T/show" 2>&1 || fail "d2: vigilctl show vrrp: $(cat "$T/show")"
grep -q "^VI_VRF .* eth1 vrf blue " "$T/show" || fail "d2: vigilctl show: VI_VRF's VRF not shown: $(cat "$T/show")"
grep -q "^VI_NOIF .* vrf blue " "$T/show" || fail "d2: vigilctl show: VI_NOIF's VRF not shown: $(cat "$T/show")"
grep "^VI_IPV " "$T/show" | grep -q " vrf " && fail "d2: vigilctl show: a VRF for VI_IPV: $(cat "$T/show")"
# vrf_of NAME: the vrf of instance NAME in vigilctl's JSON ("" if none)
vrf_of() {
	ctl2 -j show vrrp "$1" | python3 -c 'import json,sys
d = json.load(sys.stdin)
print("".join(i.get("vrf", "") for i in d["vrrp_instances"] if i["name"] == sys.argv[1]))' "$1"
}
# jstate NAME: the state of instance NAME in vigilctl's JSON
jstate() {
	ctl2 -j show vrrp "$1" | python3 -c 'import json,sys
d = json.load(sys.stdin)
print("".join(i.get("state", "") for i in d["vrrp_instances"] if i["name"] == sys.argv[1]))' "$1"
}
jmaster() { [ "$(jstate "$1")" = MASTER ]; }
[ "$(vrf_of VI_NOIF)" = blue ] || fail "d2: vigilctl -j: VI_NOIF's vrf is '$(vrf_of VI_NOIF)'"
[ "$(vrf_of VI_VRF)" = blue ] || fail "d2: vigilctl -j: VI_VRF's vrf is '$(vrf_of VI_VRF)'"
pass "vigilctl show names the VRF beside the interface (eth1 vrf blue; vrf blue without an interface), its JSON as vrf"

# a reload moves VI_NOIF out of blue (its source address on a link in the
# default VRF too) and back: MASTER throughout, its VIP kept, its socket
# bound anew where it now is
ip -n "$P-d2" link add dv0 type veth peer name dv1
ip -n "$P-d2" link set dv1 up
ip -n "$P-d2" link set dv0 up
ip -n "$P-d2" addr add 10.6.0.2/32 dev dv0
conf2() { # [sed expression for VI_NOIF]
	conf d2 100 10.7.0.12 10.6.0.1 fd07::12 10.6.0.2 | sed -e 's/ipv71/ipv72/' \
	    -e 's/ private$/ bridge/' -e "${1:-b}" >"$T/d2/vigil.conf"
}
# (eth1 back into blue: VI_NOIF out of FAULT, MASTER again first)
wait_for 30 jmaster VI_NOIF || fail "d2: VI_NOIF is $(jstate VI_NOIF), not MASTER, before the reload"
: >"$T/vigild-d2.out"
conf2 '/^\tvrf blue$/d'
grep -q "vrf blue$" "$T/d2/vigil.conf" || fail "the reload's file lost VI_VRF's route"
kill -HUP "$(cat "$T/d2/v.pid")"
wait_for 60 grep -q "VRRP socket (IPv4) bound to 10.6.0.2, no interface" "$T/vigild-d2.out" ||
    fail "d2: VI_NOIF's socket was not bound to 10.6.0.2 outside blue"
vrf_is() { [ "$(vrf_of "$1")" = "$2" ]; }
wait_for 30 vrf_is VI_NOIF "" || fail "d2: VI_NOIF still in a VRF after the reload: $(vrf_of VI_NOIF)"
has d2 eth1 10.6.0.102 || fail "d2: VI_NOIF's VIP went at the reload out of blue"
grep -q "VI_NOIF: [A-Z]* -> " "$T/vigild-d2.out" && fail "d2: VI_NOIF changed state at the reload: $(grep "VI_NOIF: [A-Z]* -> " "$T/vigild-d2.out")"
jmaster VI_NOIF || fail "d2: VI_NOIF is $(jstate VI_NOIF) after the reload"
pass "a reload moves VI_NOIF out of its VRF: its socket bound to 10.6.0.2 in the default VRF, MASTER throughout, its VIP kept"
: >"$T/vigild-d2.out"
conf2
kill -HUP "$(cat "$T/d2/v.pid")"
wait_for 60 grep -q "VRRP socket (IPv4) bound to 10.6.0.2 in VRF blue, no interface" "$T/vigild-d2.out" ||
    fail "d2: VI_NOIF's socket was not bound in blue again"
wait_for 30 vrf_is VI_NOIF blue || fail "d2: VI_NOIF's vrf is '$(vrf_of VI_NOIF)' after the reload into blue"
has d2 eth1 10.6.0.102 || fail "d2: VI_NOIF's VIP went at the reload into blue"
grep -q "VI_NOIF: [A-Z]* -> " "$T/vigild-d2.out" && fail "d2: VI_NOIF changed state at the reload: $(grep "VI_NOIF: [A-Z]* -> " "$T/vigild-d2.out")"
jmaster VI_NOIF || fail "d2: VI_NOIF is $(jstate VI_NOIF) after the reload"
wait_for 30 reach 10.6.0.102 || fail "the client does not reach 10.6.0.102 after VI_NOIF came back into blue"
pass "a reload moves VI_NOIF back into blue: its socket bound there again, MASTER throughout, its VIP kept and reachable"

stop_bg vigild-d2
nolink d2 ipv72 || fail "d2: ipv72 left after stop"
nolink d2 ipv74 || fail "d2: ipv74 left after stop"
nolink d2 vrrp.73 || fail "d2: vrrp.73 left after stop"
ip -n "$P-d2" link show dev blue >/dev/null 2>&1 || fail "d2: the VRF itself went"
pass "stop: d2's ipvlans and VMAC are removed, the VRF and eth1 stay"
echo "1..$n"
