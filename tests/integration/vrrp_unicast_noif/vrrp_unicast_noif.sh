#!/bin/sh
# Unicast vrrp_instances without an interface (keepalived 2.2.8's; 2.2.7
# refuses them), VI_R over IPv4 and VI_R6 over IPv6: the kernel's routing
# takes the adverts to the peer, through a router. dir1 (10.21.1.1,
# fd21:1::1, on lan1) and dir2 (10.21.2.1, fd21:2::1, on lan2) reach each
# other only through r (forwarding both families); the VIPs
# 10.21.9.100/32 and fd21:9::100/128 name their dev, a link vip0 of its
# own on each director. Checked in order:
#  - vigild on both: dir1 (150) MASTER of both with the VIPs on vip0, dir2
#    (100) BACKUP on dir1's routed adverts (each side takes only TTL 254,
#    hop limit 63, from its peer: one hop, through r);
#  - vip0 down on dir1: the instances track their VIPs' interface (FAULT,
#    dir2 takes over); up again: dir1 preempts;
#  - dir1 stops: dir2 takes over on its priority 0 advert;
#  - Debian's keepalived 2.2.7 as dir2, over the same routed path: vigild
#    (150) MASTER over keepalived (100); vigild stops: keepalived MASTER
#    with the VIP; vigild (50) back as BACKUP under keepalived; keepalived
#    stops: vigild takes over on its priority 0 advert. keepalived 2.2.7
#    refuses an instance without an interface ("Unknown interface!",
#    fixed in 2.2.8), so its instance names eth0, the rest the same.
# dir1 also runs VI_L on eth0 with VI_R's VRID and source, its peer r
# (which runs no VRRP): it stays MASTER alone, never taking the adverts of
# VI_R's peer that reach its interface's socket too (keepalived tells
# such instances apart by peer).
# Order and outcome from the logs and `ip addr`.
. "$(dirname "$0")/../topo.sh"

# inst NAME VRID PRIORITY SRC PEER TTL VIP [INTERFACE] (TTL "": any, and
# no check of the adverts' source)
inst() {
	cat <<EOF
vrrp_instance $1 {
    state BACKUP
${8:+    interface $8
}    virtual_router_id $2
    priority $3
    advert_int 1
    unicast_src_ip $4
    unicast_peer {
        $5${6:+ min_ttl $6 max_ttl $6}
    }
    virtual_ipaddress {
        $7 dev vip0
    }
}
EOF
}
# conf N PRIORITY [INTERFACE]: dirN's file
conf() {
	_o=$((3 - $1))
	printf 'global_defs {\n    router_id dir%s\n}\n' "$1"
	inst VI_R 61 "$2" "10.21.$1.1" "10.21.$_o.1" 254 10.21.9.100/32 ${3:-}
	inst VI_R6 62 "$2" "fd21:$1::1" "fd21:$_o::1" 63 fd21:9::100/128 ${3:-}
}

TOPO_NODAD=1
topo_bridge lan1
topo_node dir1 10.21.1.1/24 fd21:1::1/64
topo_node r 10.21.1.254/24 fd21:1::fe/64
topo_bridge lan2
topo_node dir2 10.21.2.1/24 fd21:2::1/64
ip -n "$(node_ns lan2)" link add p-r type veth peer name eth1 netns "$(node_ns r)" ||
    fail "cannot link r to lan2"
ip -n "$(node_ns lan2)" link set p-r master br0 up
node_exec r ip addr add 10.21.2.254/24 dev eth1
node_exec r ip addr add fd21:2::fe/64 dev eth1 nodad
node_exec r ip link set eth1 up
node_exec r sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 >/dev/null ||
    fail "r: cannot forward"
for n in 1 2; do
	node_exec dir$n ip route add default via 10.21.$n.254
	node_exec dir$n ip -6 route add default via fd21:$n::fe
done
for n in dir1 dir2; do
	# (a veth pair: this kernel may have no dummy links)
	node_exec "$n" ip link add vip0 type veth peer name vip0p
	node_exec "$n" ip link set vip0p up
	node_exec "$n" ip link set vip0 up
done
for a in 10.21.2.1 fd21:2::1; do
	wait_for 50 node_exec dir1 ping -c 1 -W 1 "$a" >/dev/null 2>&1 ||
	    fail "dir1 does not reach dir2 ($a) through r"
done
# the peer is not on-link: the way to it is r
node_exec dir1 ip route get 10.21.2.1 | grep -q "via 10.21.1.254" &&
    node_exec dir1 ip route get fd21:2::1 | grep -q "via fd21:1::fe" ||
    fail "dir1 reaches dir2 otherwise than through r"

for p in 150:vigil 50:low; do
	{
		conf 1 "${p%%:*}"
		inst VI_L 61 50 10.21.1.1 10.21.1.254 "" 10.21.1.100/24 eth0 |
		    sed 's/ dev vip0/ dev eth0/'
	} >"$T/dir1/${p#*:}.conf"
done
conf 2 100 >"$T/dir2/vigil.conf"
conf 2 100 eth0 >"$T/dir2/keepalived.conf"
sed '/VI_L/,$d' "$T/dir1/vigil.conf" | grep -q "interface" &&
    fail "dir1's VI_R and VI_R6 name an interface"

[ -x "$KEEPALIVED" ] || KEEPALIVED=
if [ -n "$KEEPALIVED" ]; then
	node_exec dir2 "$KEEPALIVED" -t -l -D -f "$T/dir2/keepalived.conf" >"$T/dir2/ka-t.out" 2>&1 ||
	    fail "keepalived refuses its file: $(cat "$T/dir2/ka-t.out")"
fi

# vip NODE: both VIPs are on NODE's vip0; novip NODE: neither is on NODE
vip() {
	node_exec "$1" ip -o addr show dev vip0 >"$T/$1/vip0" &&
	    grep -q " 10.21.9.100/32" "$T/$1/vip0" && grep -q " fd21:9::100/128" "$T/$1/vip0"
}
novip() { ! node_exec "$1" ip -o addr | grep -q -e " 10.21.9.100/" -e " fd21:9::100/"; }
# both NODE STATE: NODE's two instances are in STATE
both() { is "$1" VI_R "$2" && is "$1" VI_R6 "$2"; }
settled() { both "$1" MASTER && vip "$1" && both "$2" BACKUP && novip "$2"; }
# took_over NODE WHO: NODE (WHO) becomes MASTER of both with the VIPs on vip0
took_over() {
	wait_for 50 both "$1" MASTER || fail "$2 did not take over"
	wait_for 20 vip "$1" || fail "$2 MASTER without the VIPs on vip0"
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
node_log_has dir1 "VRRP socket (IPv4) bound to 10.21.1.1, no interface" &&
    node_log_has dir1 "VRRP socket (IPv6) bound to fd21:1::1, no interface" ||
    fail "dir1 did not bind its sockets to unicast_src_ip"
sleep 2
settled dir1 dir2 || fail "the election did not hold"
pass "no interface, peers through a router (IPv4 and IPv6): dir1 (150) MASTER with the VIPs on vip0, dir2 (100) BACKUP"

# --- the VIP's interface is tracked -------------------------------------------
node_exec dir1 ip link set vip0 down
wait_for 50 both dir1 FAULT || fail "dir1 did not go to FAULT with its VIPs' interface down"
node_log_has dir1 "interface vip0 of VIP 10.21.9.100 is down" || fail "dir1 does not say why it is in FAULT"
took_over dir2 "dir2 (dir1 in FAULT)"
node_exec dir1 ip link set vip0 up
wait_for 100 settled dir1 dir2 || fail "dir1 did not preempt dir2 once vip0 was up"
pass "vip0 down on dir1: FAULT, dir2 takes over; up: dir1 preempts"
# VI_L (50) heard dir2's VI_R adverts (100) on eth0 all along
is dir1 VI_L MASTER && ! node_log_has dir1 "VI_L: MASTER ->" ||
    fail "VI_L on eth0 took the adverts of VI_R's peer (same VRID and source)"
pass "VI_L on eth0 with VI_R's VRID and source stays MASTER under dir2's VI_R adverts"

# --- failover -----------------------------------------------------------------
stop_dir dir1
took_over dir2 "dir2 (after dir1 stopped)"
for i in VI_R VI_R6; do
	node_log_has dir2 "$i: BACKUP -> MASTER: .* after the master stopped (priority 0)" ||
	    fail "dir2's $i did not take over on dir1's priority 0"
done
pass "dir1 stops: dir2 takes over (priority 0 adverts through r), the VIPs on its vip0"
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
wait_for 60 both dir1 BACKUP || fail "vigild (50) did not start as BACKUP"
sleep 3
settled dir2 dir1 || fail "vigild (50) did not stay BACKUP under keepalived (100)"
node_log_has dir1 "VI_R6*: .*MASTER" && fail "vigild (50) left BACKUP while keepalived was MASTER"
wait_for 50 is dir1 VI_L MASTER && ! node_log_has dir1 "VI_L: MASTER ->" ||
    fail "VI_L on eth0 took keepalived's adverts of VI_R"
pass "vigild stops: keepalived MASTER; vigild (50) back as its BACKUP"

ka_stop
novip dir2 || fail "keepalived left the VIP behind"
took_over dir1 "vigild (after keepalived stopped)"
node_log_has dir1 "master 10.21.2.1 stopped (priority 0)" &&
    node_log_has dir1 "master fd21:2::1 stopped (priority 0)" ||
    fail "vigild did not see keepalived's priority 0 adverts"
pass "keepalived stops: vigild takes over on its priority 0 advert"
stop_dir dir1
done_testing
