#!/bin/sh
# The IPVS connection sync daemon following VRRP, and connections surviving
# a director failover (inside User-Mode Linux, run by tests/kernel/kernel.sh).
#
# Two directors d1 and d2 (vigild each, VRRP between them: VI_1 on the
# client LAN holds the VIPs 10.8.0.100 (NAT) and 10.8.0.200 (DR), VI_2 on
# the server LAN holds 10.9.0.254, the NAT real servers' default route; one
# sync group) run lvs_sync_daemon on eth1 following VI_1. Real servers
# rn1, rn2 (NAT, server LAN) and rd1, rd2 (DR, client LAN, the VIP on lo
# with arp_ignore) run tests/kernel/conn_tool's echo server; the client c
# holds CONNS long-lived connections through each VIP, echoing a byte every
# round. Checked: ipvsadm -L --daemon shows a master daemon on the MASTER
# and a backup one on the BACKUP; a reload without sync changes leaves the
# daemon, one with changes restarts it with them; the backup director holds
# the connections the master synced; d1 is cut off both LANs and d2 takes
# over (its daemon becomes master); then every connection through both VIPs
# still echoes; stopping vigild stops its daemon. Then lvs_sync_daemon
# without an instance: master and backup both run, and stop with vigild.
. "$(dirname "$0")/klib.sh"
command -v ipvsadm >/dev/null || { echo "SKIP: no ipvsadm"; exit 77; }
tool=$top_builddir/tests/kernel/conn_tool
[ -x "$tool" ] || { echo "SKIP: $tool is not built"; exit 77; }
CONNS=${VIGIL_SYNC_CONNS:-1000}
NODES="lan d1 d2 rn1 rn2 rd1 rd2 c"

# klib.sh's cleanup removes this topology's nodes
fail() {
	echo "FAIL: $*"
	for x in d1 d2; do
		echo "--- $x: sync daemons, VIPs, IPVS connections (head):"
		in_ns $x ipvsadm -L --daemon 2>/dev/null
		in_ns $x ip -br addr 2>/dev/null
		in_ns $x ipvsadm -Lnc 2>/dev/null | head -5
	done
	show_outs 25
	exit 1
}

# link NODE IF ADDR/LEN BRIDGE: NODE's IF on BRIDGE (in lan), the lan end
# named l<NODE><bridge number>
# (ip -n, not ip netns exec: every exec costs the guest)
link() {
	ip -n "$P-lan" link add "l$1${4#br}" type veth peer name "$2" netns "$P-$1"
	ip -n "$P-lan" link set "l$1${4#br}" master "$4" up
	ip -n "$P-$1" addr add "$3" dev "$2"
	ip -n "$P-$1" link set "$2" up
}
for x in $NODES; do
	ip netns add "$P-$x" || fail "cannot create namespace $P-$x"
	ip -n "$P-$x" link set lo up
done
for b in br0 br1; do
	# the sync daemon's multicast reaches every port
	ip -n "$P-lan" link add $b type bridge mcast_snooping 0
	ip -n "$P-lan" link set $b up
done
link c eth0 10.8.0.2/24 br0
link d1 eth0 10.8.0.11/24 br0
link d1 eth1 10.9.0.11/24 br1
link d2 eth0 10.8.0.12/24 br0
link d2 eth1 10.9.0.12/24 br1
link rn1 eth0 10.9.0.21/24 br1
link rn2 eth0 10.9.0.22/24 br1
link rd1 eth0 10.8.0.31/24 br0
link rd2 eth0 10.8.0.32/24 br0
for x in d1 d2; do
	in_ns $x sysctl -q -w net.ipv4.ip_forward=1
done
# NAT: the real servers answer through the directors' VIP on their LAN
for x in rn1 rn2; do
	ip -n "$P-$x" route add default via 10.9.0.254
done
# DR: the VIP on lo, never answered for by ARP
for x in rd1 rd2; do
	in_ns $x sysctl -q -w net.ipv4.conf.all.arp_ignore=1 \
	    net.ipv4.conf.all.arp_announce=2
	ip -n "$P-$x" addr add 10.8.0.200/32 dev lo
done
for x in rn1 rn2 rd1 rd2; do
	bg "echo-$x" $x "$tool" serve 7
done

# conf NODE PRIORITY [SYNC OPTIONS]
conf() {
	cat <<EOF
global_defs {
	router_id $1
	lvs_sync_daemon eth1 VI_1 id 51 ${3:-}
}
vrrp_sync_group G {
	group {
		VI_1
		VI_2
	}
}
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority $2
	advert_int 1
	virtual_ipaddress {
		10.8.0.100/24
		10.8.0.200/24
	}
}
vrrp_instance VI_2 {
	state BACKUP
	interface eth1
	virtual_router_id 52
	priority $2
	advert_int 1
	virtual_ipaddress {
		10.9.0.254/24
	}
}
virtual_server 10.8.0.100 7 {
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server 10.9.0.21 7 {
	}
	real_server 10.9.0.22 7 {
	}
}
virtual_server 10.8.0.200 7 {
	lb_algo rr
	lb_kind DR
	protocol TCP
	real_server 10.8.0.31 7 {
	}
	real_server 10.8.0.32 7 {
	}
}
EOF
}
# daemon NODE master|backup: NODE runs exactly that sync daemon
daemon() {
	in_ns $1 ipvsadm -L --daemon >"$T/daemon-$1" 2>&1
	grep -q "^$2 sync daemon (mcast=eth1, syncid=51" "$T/daemon-$1" &&
	    [ "$(wc -l <"$T/daemon-$1")" = 1 ]
}
holds() { in_ns $1 ip -4 addr show dev eth0 | grep -q 10.8.0.100/; }
# synced NODE VIP: NODE holds CONNS established connections to VIP:7
synced() {
	_s=$(in_ns $1 ipvsadm -Lnc | grep -c "ESTABLISHED.* $2:7 ")
	[ "$_s" -ge "$CONNS" ]
}

mkdir -p "$T/d1" "$T/d2"
conf d1 150 >"$T/d1/vigil.conf"
conf d2 100 >"$T/d2/vigil.conf"
note "starting vigild on d1 and d2"
start_on d1
start_on d2
wait_for 120 holds d1 || fail "d1 did not become MASTER"
wait_for 60 daemon d1 master || fail "d1 (MASTER): $(cat "$T/daemon-d1")"
wait_for 60 daemon d2 backup || fail "d2 (BACKUP): $(cat "$T/daemon-d2")"
pass "the sync daemon follows VI_1: master on d1 (MASTER), backup on d2 (BACKUP)"

# a reload without sync changes leaves it; one with changes restarts it
: >"$T/vigild-d2.out"
kill -HUP "$(cat "$T/d2/v.pid")"
wait_for 60 grep -q 'vrrp child: running configuration generation 2' "$T/vigild-d2.out" ||
    fail "d2: the first reload did not finish"
grep -q 'sync daemon stopped' "$T/vigild-d2.out" && fail "d2: a reload without changes restarted the sync daemon"
daemon d2 backup || fail "d2 after a reload: $(cat "$T/daemon-d2")"
# (ttl: what only the master uses; a backup with another maxlen than
# the master's drops its larger messages)
conf d2 100 "ttl 2" >"$T/d2/vigil.conf"
kill -HUP "$(cat "$T/d2/v.pid")"
wait_for 60 grep -q 'vrrp child: running configuration generation 3' "$T/vigild-d2.out" ||
    fail "d2: the second reload did not finish"
ttl2() { daemon d2 backup && grep -q 'ttl=2)' "$T/daemon-d2"; }
wait_for 60 ttl2 || fail "d2 after a reload with ttl 2: $(cat "$T/daemon-d2")"
grep -q 'lvs_sync_daemon: changed (eth1, syncid 51 -> eth1, syncid 51): the sync daemon restarts' "$T/vigild-d2.out" ||
    fail "d2: the reload did not say the sync daemon restarts"
pass "a reload leaves the sync daemon alone unless its settings change (ttl 2: restarted with it)"

note "opening $CONNS connections through each VIP"
bg nat c "$tool" client 10.8.0.100 7 "$CONNS" "$T/stop"
bg dr c "$tool" client 10.8.0.200 7 "$CONNS" "$T/stop"
wait_for 400 grep -q '^ready' "$T/nat.out" || fail "NAT: the connections did not open"
wait_for 400 grep -q '^ready' "$T/dr.out" || fail "DR: the connections did not open"
pass "$CONNS connections through 10.8.0.100 (NAT) and $CONNS through 10.8.0.200 (DR), each echoing"
wait_for 120 synced d2 10.8.0.100 || fail "d2 holds $_s synced connections to 10.8.0.100, not $CONNS"
wait_for 120 synced d2 10.8.0.200 || fail "d2 holds $_s synced connections to 10.8.0.200, not $CONNS"
pass "the backup director d2 holds every connection the master synced ($CONNS NAT, $CONNS DR)"

note "cutting d1 off both LANs"
in_ns lan ip link set ld10 down
in_ns lan ip link set ld11 down
wait_for 120 holds d2 || fail "d2 did not take over"
wait_for 60 daemon d2 master || fail "d2 (new MASTER): $(cat "$T/daemon-d2")"
wait_for 60 daemon d1 backup || fail "d1 (cut off): $(cat "$T/daemon-d1")"
# the state report says so (vigilctl --json, docs/state.md)
json() {
	"$top_builddir/daemon/vigilctl" -s "$T/d2/v.ctl" --json status >"$T/json" 2>&1 &&
	    grep -q '"lvs_sync_daemon": *"master on eth1, syncid 51"' "$T/json"
}
wait_for 30 json || fail "d2's vigilctl --json: $(grep -o '"lvs_sync_daemon[^,]*' "$T/json")"
pass "d2 takes over: its sync daemon is master now (vigilctl --json says so), d1's (cut off, FAULT) backup"

touch "$T/stop"
wait_for 200 grep -q '^final' "$T/nat.out" || fail "NAT: no final count"
wait_for 200 grep -q '^final' "$T/dr.out" || fail "DR: no final count"
for m in nat dr; do
	grep '^final' "$T/$m.out"
	grep -q "^final: $CONNS opened, $CONNS survived, 0 dead, 0 silent" "$T/$m.out" ||
	    fail "$m: not every connection survived the failover: $(sed -n '/^final/,$p' "$T/$m.out")"
done
pass "after the failover every connection still echoes: $CONNS of $CONNS through NAT, $CONNS of $CONNS through DR"

note "stopping vigild on d2"
stop_bg vigild-d2
in_ns d2 ipvsadm -L --daemon >"$T/daemon-d2"
[ -s "$T/daemon-d2" ] && fail "d2 stopped, its sync daemon runs: $(cat "$T/daemon-d2")"
pass "vigild stopping stops its sync daemon"

# lvs_sync_daemon naming no instance (and no VRRP at all): the checker
# child runs the master and the backup daemon, as keepalived's does
note "d2: lvs_sync_daemon without a vrrp_instance"
{
	printf 'global_defs {\n\trouter_id d2\n\tlvs_sync_daemon eth1 id 53\n}\n'
	conf d2 100 | sed -n '/^virtual_server/,$p'
} >"$T/d2/vigil.conf"
start_on d2
both() {
	in_ns d2 ipvsadm -L --daemon >"$T/daemon-d2" 2>&1
	grep -q "^master sync daemon (mcast=eth1, syncid=53" "$T/daemon-d2" &&
	    grep -q "^backup sync daemon (mcast=eth1, syncid=53" "$T/daemon-d2"
}
wait_for 60 both || fail "d2 without an instance: $(cat "$T/daemon-d2")"
stop_bg vigild-d2
in_ns d2 ipvsadm -L --daemon >"$T/daemon-d2"
[ -s "$T/daemon-d2" ] && fail "d2 stopped, its sync daemons run: $(cat "$T/daemon-d2")"
pass "without a vrrp_instance the checker runs the master and the backup sync daemon, and stops both"
stop_bg vigild-d1
echo "1..$n"
