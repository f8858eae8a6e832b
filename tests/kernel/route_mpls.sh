#!/bin/sh
# A route's encap mpls (inside User-Mode Linux, whose kernel has the
# mpls_router and mpls_iptunnel modules the host's may lack): vigild's
# static_routes and an instance's virtual_routes with encap mpls as ip
# route show prints them, keepalived 2.2.7's syntax; removed at the stop.
. "$(dirname "$0")/klib.sh"
NODES=d1
modprobe mpls_router 2>/dev/null
modprobe mpls_iptunnel 2>/dev/null
ip netns add "$(ns d1)" || fail "cannot create namespace $(ns d1)"
in_ns d1 ip link set lo up
in_ns d1 ip link add eth0 type veth peer name eth1
in_ns d1 ip addr add 10.9.0.1/24 dev eth0
in_ns d1 ip link set eth0 up
in_ns d1 ip link set eth1 up
if ! in_ns d1 ip route add 10.99.0.0/24 encap mpls 5 via 10.9.0.2 dev eth0 2>"$T/probe"; then
	echo "SKIP: the guest's kernel takes no encap mpls: $(cat "$T/probe")"
	exit 77
fi
in_ns d1 ip route del 10.99.0.0/24

mkdir -p "$T/d1"
cat >"$T/d1/vigil.conf" <<'CONF'
static_routes {
    10.8.0.0/24 via 10.9.0.2 dev eth0 encap mpls 100/200
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 81
    priority 100
    advert_int 1
    virtual_ipaddress {
        10.9.0.100/32 dev eth0
    }
    virtual_routes {
        10.7.0.0/24 via 10.9.0.2 dev eth0 encap mpls 300
    }
}
CONF
start_on d1
has_route() { in_ns d1 ip route show "$1" | grep -Eq "encap mpls +$2 via 10.9.0.2 dev eth0"; }
wait_for 60 has_route 10.8.0.0/24 100/200 ||
    fail "static route: $(in_ns d1 ip route show)"
pass "static_routes: 10.8.0.0/24 encap mpls 100/200 via 10.9.0.2"
wait_for 60 has_route 10.7.0.0/24 300 ||
    fail "VI_1's virtual route (MASTER?): $(in_ns d1 ip route show)"
pass "virtual_routes of the MASTER: 10.7.0.0/24 encap mpls 300"
grep -q "not supported yet" "$T/vigild-d1.out" && fail "a warning: $(grep 'not supported yet' "$T/vigild-d1.out")"
stop_bg vigild-d1
in_ns d1 ip route show | grep -q "encap mpls" && fail "routes left after the stop: $(in_ns d1 ip route show)"
pass "stopped: both routes removed"
echo "1..$n"
