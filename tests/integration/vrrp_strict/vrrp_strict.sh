#!/bin/sh
# vrrp_strict with nftables: a MASTER that is not the address owner and
# not in accept mode drops what is addressed to its VIPs (RFC 5798
# Accept_Mode off), IPv6 neighbour discovery excepted; an instance with
# `accept` answers. The firewall lives in the table nftables names, only
# while the instance holds its VIPs, and goes with vigild. A VMAC sends
# no IGMP from the virtual MAC.
. "$(dirname "$0")/../topo.sh"
. "$(dirname "$0")/strict.sh"

topo_bridge lan
topo_node dir1 10.20.0.1/24 fd00:20::1/64
topo_node dir2 10.20.0.2/24 fd00:20::2/64
topo_node client 10.20.0.50/24 fd00:20::50/64

# conf NODE PRIORITY [VI_A's accept mode [global_defs line]]
conf() {
	{
		cat <<EOF
global_defs {
    router_id $1
    vrrp_strict
    nftables vigil_test
    nftables_counters
    ${4:-}
}
EOF
		strict_instances "$2" "${3:-accept}"
	} >"$T/$1/vigil.conf"
}

all_on() {
	for _i in VI_S VI_A VI_6; do
		is "$1" $_i MASTER && is "$2" $_i BACKUP || return 1
	done
	has "$1" 10.20.0.100 && has "$1" 10.20.0.101 && has "$1" fd00:20::100
}
table() { node_exec "$1" nft list table inet vigil_test 2>/dev/null; }
# the elements of set S in NODE's table
elems() { table "$1" | sed -n "/set $2 {/,/}/p" | grep elements; }
blocked() { elems "$1" "$2" | grep -q "$3"; }

strict_igmp_watch

conf dir1 150
conf dir2 100 accept nftables_ifindex
start_vigild_on dir1 "$T/dir1/vigil.conf"
start_vigild_on dir2 "$T/dir2/vigil.conf"
wait_for 200 all_on dir1 dir2 || fail "dir1 is not MASTER of every instance (VI_S $(state_of dir1 VI_S), VI_A $(state_of dir1 VI_A), VI_6 $(state_of dir1 VI_6))"
pass "dir1 MASTER of the strict instances"

node_log_has dir1 "not supported yet" && fail "dir1 warns: $(grep 'not supported yet' "$(node_log dir1)")"
wait_for 50 blocked dir1 vips 10.20.0.100 || fail "dir1: VI_S's VIP is not in the vips set: $(table dir1)"
blocked dir1 vips 10.20.0.101 && fail "dir1: VI_A (accept) is blocked: $(table dir1)"
wait_for 50 blocked dir1 vips6 fd00:20::100 || fail "dir1: VI_6's VIP is not in the vips6 set: $(table dir1)"
# a link-local VIP is keyed with its interface
wait_for 50 blocked dir1 vips6_ll 'fe80::6:100 . "eth0"' || fail "dir1: VI_6's link-local VIP is not in vips6_ll with eth0: $(table dir1)"
blocked dir1 vips6 fe80::6:100 && fail "dir1: the link-local VIP is blocked on every interface: $(table dir1)"
table dir2 >/dev/null || fail "dir2 has no table vigil_test"
elems dir2 vips | grep -q . && fail "dir2 (BACKUP) blocks VIPs: $(table dir2)"
table dir1 | grep -q "counter packets" || fail "nftables_counters: no counter in the rules: $(table dir1)"
pass "nftables: the master's VIPs without accept mode are in its sets, the backup's sets are empty"

wait_for 50 is dir1 VI_V MASTER || fail "dir1 is not MASTER of VI_V"
for n in dir1 dir2; do
	elems $n vmacs | grep -q '"vrrp.64"' || fail "$n: the VMAC is not in the vmacs set: $(table $n)"
done
strict_no_igmp
pass "no IGMP from the virtual MAC (the VMACs are in the vmacs set)"

strict_drops
ll1=$(node_exec dir1 ip -6 -o addr show dev eth0 scope link | awk '{print $4}' | cut -d/ -f1 | grep -v '^fe80::6:100$' | head -1)
wait_for 30 ping_ok -6 "$ll1%eth0" || fail "the client does not reach dir1's own link-local address $ll1"
table dir1 | grep -q "ip daddr @vips counter packets [1-9]" || fail "the drop rule counted nothing: $(table dir1)"
# neighbour discovery to the VIP is let through: the client resolves it
wait_for 30 sh -c "ip netns exec $(node_ns client) ip -6 neigh show fd00:20::100 | grep -q lladdr" ||
    fail "the client cannot resolve the IPv6 VIP: $(node_exec client ip -6 neigh show fd00:20::100)"
pass "packets to the strict VIPs are dropped (IPv6 neighbour discovery passes); the accept VIP answers"

# reload: VI_A loses accept mode, its VIP is blocked without a transition
n1=$(grep -c "Entering" "$(node_log dir1)")
conf dir1 150 no_accept
kill -HUP "$(node_vpid dir1)"
wait_for 50 node_log_has dir1 "vrrp child: running configuration generation 2" ||
    fail "dir1 did not take generation 2"
wait_for 50 blocked dir1 vips 10.20.0.101 || fail "VI_A's VIP is not blocked after the reload: $(table dir1)"
ping_ok 10.20.0.101 && fail "the VIP of VI_A (now no_accept) still answers"
[ "$(grep -c "Entering" "$(node_log dir1)")" = "$n1" ] || fail "dir1 changed state on reload"
conf dir1 150
kill -HUP "$(node_vpid dir1)"
wait_for 50 node_log_has dir1 "vrrp child: running configuration generation 3" ||
    fail "dir1 did not take generation 3"
wait_for 50 ping_ok 10.20.0.101 || fail "VI_A's VIP does not answer once accept is back"
blocked dir1 vips 10.20.0.101 && fail "VI_A's VIP is still blocked with accept: $(table dir1)"
blocked dir1 vips 10.20.0.100 || fail "VI_S's VIP lost its block in the reloads: $(table dir1)"
pass "reload: a change of accept mode blocks and unblocks the VIP without a transition"

stop_ok dir1
table dir1 >/dev/null && fail "dir1 left its table behind: $(table dir1)"
for i in VI_S VI_A VI_6; do
	wait_for 100 is dir2 $i MASTER || fail "dir2 did not take $i after dir1 stopped"
done
wait_for 50 blocked dir2 vips 10.20.0.100 || fail "dir2: VI_S's VIP is not blocked once it holds it: $(table dir2)"
wait_for 50 ping_ok 10.20.0.101 || fail "the client lost the accept VIP after the takeover"
ping_ok 10.20.0.100 && fail "dir2 answers the strict VIP"
# nftables_ifindex: the link-local VIP is keyed with eth0's index
wait_for 50 blocked dir2 vips6_ll 'fe80::6:100 . "eth0"' ||
    fail "dir2: the link-local VIP is not in vips6_ll: $(table dir2)"
table dir2 | grep -q "type ipv6_addr . iface_index" ||
    fail "dir2 (nftables_ifindex): vips6_ll is not keyed by interface index: $(table dir2)"
ping_ok -6 fe80::6:100%eth0 && fail "dir2 answers the strict link-local VIP"
pass "dir1 stops: its table goes, dir2 blocks the VIPs it took"

stop_ok dir2
table dir2 >/dev/null && fail "dir2 left its table behind"
topo_teardown
done_testing
