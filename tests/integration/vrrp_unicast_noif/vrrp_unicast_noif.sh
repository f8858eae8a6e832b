#!/bin/sh
# A unicast vrrp_instance without an interface (keepalived 2.2.7's): the
# kernel's routing takes the adverts to the peer, through a router. dir1
# (10.21.1.1, on lan1) and dir2 (10.21.2.1, on lan2) reach each other only
# through r (10.21.1.254 / 10.21.2.254, forwarding); the VIP 10.21.9.100/32
# names its dev, a link vip0 of its own on each director. Checked in order:
#  - vigild on both: dir1 (150) MASTER with the VIP on vip0, dir2 (100)
#    BACKUP on dir1's routed adverts (each side takes only TTL 254 from
#    its peer: one hop, through r);
#  - vip0 down on dir1: the instance tracks its VIP's interface (FAULT,
#    dir2 takes over); up again: dir1 preempts;
#  - dir1 stops: dir2 takes over on its priority 0 advert;
#  - Debian's keepalived 2.2.7 as dir2, over the same routed path: vigild
#    (150) MASTER over keepalived (100); vigild stops: keepalived MASTER
#    with the VIP; vigild (50) back as BACKUP under keepalived; keepalived
#    stops: vigild takes over on its priority 0 advert. keepalived 2.2.7
#    refuses an instance without an interface ("Unknown interface!",
#    fixed in 2.2.8), so its instance names eth0, the rest the same.
# Order and outcome from the logs and `ip addr`.
. "$(dirname "$0")/../topo.sh"

# conf NODE PRIORITY SRC PEER [INTERFACE]
conf() {
	cat <<EOF
global_defs {
    router_id $1
}
vrrp_instance VI_R {
    state BACKUP
${5:+    interface $5
}    virtual_router_id 61
    priority $2
    advert_int 1
    unicast_src_ip $3
    unicast_peer {
        $4 min_ttl 254 max_ttl 254
    }
    virtual_ipaddress {
        10.21.9.100/32 dev vip0
    }
}
EOF
}

topo_bridge lan1
topo_node dir1 10.21.1.1/24
topo_node r 10.21.1.254/24
topo_bridge lan2
topo_node dir2 10.21.2.1/24
ip -n "$(node_ns lan2)" link add p-r type veth peer name eth1 netns "$(node_ns r)" ||
    fail "cannot link r to lan2"
ip -n "$(node_ns lan2)" link set p-r master br0 up
node_exec r ip addr add 10.21.2.254/24 dev eth1
node_exec r ip link set eth1 up
node_exec r sysctl -q -w net.ipv4.ip_forward=1 >/dev/null || fail "r: cannot forward"
node_exec dir1 ip route add default via 10.21.1.254
node_exec dir2 ip route add default via 10.21.2.254
for n in dir1 dir2; do
	# (a veth pair: this kernel may have no dummy links)
	node_exec "$n" ip link add vip0 type veth peer name vip0p
	node_exec "$n" ip link set vip0p up
	node_exec "$n" ip link set vip0 up
done
wait_for 50 node_exec dir1 ping -c 1 -W 1 10.21.2.1 >/dev/null 2>&1 ||
    fail "dir1 does not reach dir2 through r"
# the peer is not on-link: the way to it is r
node_exec dir1 ip route get 10.21.2.1 | grep -q "via 10.21.1.254" ||
    fail "dir1 reaches dir2 otherwise than through r: $(node_exec dir1 ip route get 10.21.2.1)"

conf dir1 150 10.21.1.1 10.21.2.1 >"$T/dir1/vigil.conf"
conf dir1 50 10.21.1.1 10.21.2.1 >"$T/dir1/low.conf"
conf dir2 100 10.21.2.1 10.21.1.1 >"$T/dir2/vigil.conf"
conf dir2 100 10.21.2.1 10.21.1.1 eth0 >"$T/dir2/keepalived.conf"
grep -q "interface" "$T/dir1/vigil.conf" && fail "dir1's instance names an interface"

[ -x "$KEEPALIVED" ] || KEEPALIVED=
if [ -n "$KEEPALIVED" ]; then
	node_exec dir2 "$KEEPALIVED" -t -l -D -f "$T/dir2/keepalived.conf" >"$T/dir2/ka-t.out" 2>&1 ||
	    fail "keepalived refuses its file: $(cat "$T/dir2/ka-t.out")"
fi

# vip NODE: the VIP is on NODE's vip0; novip NODE: nowhere on NODE
vip() { node_exec "$1" ip -o addr show dev vip0 | grep -q " 10.21.9.100/32"; }
novip() { ! node_exec "$1" ip -o addr | grep -q " 10.21.9.100/"; }
settled() { is "$1" VI_R MASTER && vip "$1" && is "$2" VI_R BACKUP && novip "$2"; }
# took_over NODE WHO: NODE (WHO) becomes MASTER with the VIP on vip0
took_over() {
	wait_for 50 is "$1" VI_R MASTER || fail "$2 did not take over"
	wait_for 20 vip "$1" || fail "$2 MASTER without the VIP on vip0"
}
# stop_dir NODE: its vigild stops cleanly and leaves no VIP behind
stop_dir() {
	stop_vigild_on "$1"
	[ "$VSTATUS" -eq 0 ] || fail "$1: vigild exited with status $VSTATUS"
	novip "$1" || fail "$1 left the VIP behind"
}

# --- vigild on both -----------------------------------------------------------
start_vigild_on dir2 "$T/dir2/vigil.conf"
start_vigild_on dir1 "$T/dir1/vigil.conf"
wait_for 100 settled dir1 dir2 || fail "dir1 (150) is not MASTER over dir2 (100) through r"
node_log_has dir1 "VRRP socket (IPv4) bound to 10.21.1.1, no interface" ||
    fail "dir1 did not bind its socket to unicast_src_ip"
sleep 2
settled dir1 dir2 || fail "the election did not hold"
pass "no interface, peers through a router: dir1 (150) MASTER with the VIP on vip0, dir2 (100) BACKUP"

# --- the VIP's interface is tracked -------------------------------------------
node_exec dir1 ip link set vip0 down
wait_for 50 is dir1 VI_R FAULT || fail "dir1 did not go to FAULT with its VIP's interface down"
node_log_has dir1 "interface vip0 of its VIPs is down" || fail "dir1 does not say why it is in FAULT"
took_over dir2 "dir2 (dir1 in FAULT)"
node_exec dir1 ip link set vip0 up
wait_for 100 settled dir1 dir2 || fail "dir1 did not preempt dir2 once vip0 was up"
pass "vip0 down on dir1: FAULT, dir2 takes over; up: dir1 preempts"

# --- failover -----------------------------------------------------------------
stop_dir dir1
took_over dir2 "dir2 (after dir1 stopped)"
node_log_has dir2 "VI_R: BACKUP -> MASTER: .* after the master stopped (priority 0)" ||
    fail "dir2 did not take over on dir1's priority 0"
pass "dir1 stops: dir2 takes over (priority 0 advert through r), the VIP on its vip0"
stop_dir dir2

# --- keepalived 2.2.7 as the peer ---------------------------------------------
if [ -z "$KEEPALIVED" ]; then
	echo "# keepalived is not installed: no interoperation checked"
	done_testing
	exit 0
fi
: >"$(node_log dir1)"
: >"$(node_log dir2)"
ka_start_on dir2 "$T/dir2/keepalived.conf"
start_vigild_on dir1 "$T/dir1/vigil.conf"
wait_for 100 settled dir1 dir2 || fail "vigild (150) is not MASTER over keepalived (100)"
sleep 2
settled dir1 dir2 || fail "vigild over keepalived did not hold"
pass "keepalived 2.2.7 as the routed peer: vigild (150) MASTER, keepalived (100) BACKUP"

stop_dir dir1
took_over dir2 "keepalived (after vigild stopped)"
: >"$(node_log dir1)"
start_vigild_on dir1 "$T/dir1/low.conf"
wait_for 60 is dir1 VI_R BACKUP || fail "vigild (50) did not start as BACKUP"
sleep 3
settled dir2 dir1 || fail "vigild (50) did not stay BACKUP under keepalived (100)"
node_log_has dir1 "VI_R: .*MASTER" && fail "vigild (50) left BACKUP while keepalived was MASTER"
pass "vigild stops: keepalived MASTER; vigild (50) back as its BACKUP"

ka_stop
novip dir2 || fail "keepalived left the VIP behind"
took_over dir1 "vigild (after keepalived stopped)"
node_log_has dir1 "master 10.21.2.1 stopped (priority 0)" ||
    fail "vigild did not see keepalived's priority 0 advert"
pass "keepalived stops: vigild takes over on its priority 0 advert"
stop_dir dir1
done_testing
