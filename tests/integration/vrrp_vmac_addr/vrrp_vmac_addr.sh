#!/bin/sh
# VMACs of single VIPs: use_vmac on an address, use_vmac_addr on an
# instance, vmac_addr_prefix. Each VIP on another interface (eth1) than
# its instance's gets a private macvlan there carrying the virtual router
# MAC of its family, named from vmac_addr_prefix: keepalived 2.2.7 runs the
# configuration first (node ka), then vigild (node dir1), and the links
# (name, MAC, mode, lower link, addresses) and the source MAC of the GARP
# a client sees on eth1 are the same. Then vigild alone: a tracked VIP's
# VMAC down puts its instance in FAULT (no_track: not); one deleted by
# hand is made again with its VIPs; a reload that drops use_vmac and moves
# the prefix moves the VIPs and renames the links; the stop leaves no
# macvlan and eth1's arp_ignore as it was. Order and outcome from the
# logs, the capture and `ip`, never from times.
. "$(dirname "$0")/../topo.sh"

KEEPALIVED=${KEEPALIVED:-$(command -v keepalived || echo /usr/sbin/keepalived)}
[ -x "$KEEPALIVED" ] || { echo "1..0 # SKIP keepalived is not installed"; exit 77; }
command -v tcpdump >/dev/null 2>&1 || { echo "1..0 # SKIP tcpdump is not installed"; exit 77; }

topo_bridge lan
topo_node dir1 10.60.0.1/24
topo_node ka 10.60.0.3/24
topo_node client 10.60.0.50/24
# a second LAN: eth1 of each node on br1
LAN=$(node_ns lan)
ip -n "$LAN" link add br1 type bridge stp_state 0 mcast_snooping 0 || fail "cannot make br1"
ip -n "$LAN" link set br1 up
for n in dir1 ka client; do
	ip -n "$LAN" link add "q-$n" type veth peer name eth1 netns "$(node_ns $n)" ||
	    fail "cannot link $n to br1"
	ip -n "$LAN" link set "q-$n" master br1 up
	node_exec $n ip link set eth1 up
	# VI_C's interface
	node_exec $n ip link add dm0 type veth peer name dm1 || fail "$n: cannot make dm0"
	node_exec $n ip link set dm1 up
	node_exec $n ip link set dm0 up
	node_exec $n ip addr add 10.62.0.1/24 dev dm0
done
node_exec client ip addr add 10.61.0.50/24 dev eth1

# conf NODE PREFIX USE_VMAC [C|A6]: VI_A's VIP on eth1 with use_vmac (or
# not), with A6 an IPv6 eVIP there with use_vmac; VI_B's (use_vmac_addr)
# with no_track, one IPv6 eVIP there too;
# VI_D's own VMAC (use_vmac) with its VIP naming eth0, its IPv6 eVIP on
# eth0 itself;
# with C, VI_C on dm0 with VI_A's VRID, its VIP on VI_A's VMAC (the same
# interface and MAC: keepalived shares it within one sync group only)
conf() {
	_a6=
	[ "${4-}" = A6 ] && _a6='
    virtual_ipaddress_excluded {
        fd00:61::61/64 dev eth1 use_vmac
    }'
	cat <<EOF
global_defs {
    router_id $1
    vmac_addr_prefix $2
    vrrp_garp_master_delay 0
    vrrp_garp_master_repeat 1
}
vrrp_instance VI_A {
    state MASTER
    interface eth0
    virtual_router_id 61
    priority 150
    version 3
    advert_int 0.1
    virtual_ipaddress {
        10.60.0.100/24
        10.61.0.100/24 dev eth1 $3
    }$_a6
}
vrrp_instance VI_B {
    state MASTER
    interface eth0
    virtual_router_id 62
    priority 150
    version 3
    advert_int 0.1
    use_vmac_addr
    virtual_ipaddress {
        10.60.0.101/24
        10.61.0.101/24 dev eth1 no_track
    }
    virtual_ipaddress_excluded {
        fd00:61::62/64 dev eth1 no_track
    }
}
vrrp_instance VI_D {
    state MASTER
    interface eth0
    use_vmac
    virtual_router_id 64
    priority 150
    version 3
    advert_int 0.1
    virtual_ipaddress {
        10.60.0.104/24 dev eth0
    }
    virtual_ipaddress_excluded {
        fd00:60::64/64
    }
}
EOF
	[ "${4-}" = C ] && cat <<EOF
vrrp_instance VI_C {
    state MASTER
    interface dm0
    virtual_router_id 61
    priority 150
    version 3
    advert_int 0.1
    virtual_ipaddress {
        10.61.0.102/24 dev eth1 use_vmac
    }
}
vrrp_sync_group G {
    group {
        VI_A
        VI_C
    }
}
EOF
}
conf ka va use_vmac C >"$T/ka/keepalived.conf"
conf dir1 va use_vmac C >"$T/dir1/vigil.conf"

# links NODE: each macvlan as "NAME@LOWER MAC MODE ADDRESSES", sorted
links() {
	for _l in $(node_exec "$1" ip -o link show type macvlan | awk -F': ' '{print $2}' | LC_ALL=C sort); do
		_nm=${_l%@*}
		printf '%s %s %s %s\n' "$_l" \
		    "$(node_exec "$1" cat /sys/class/net/"$_nm"/address)" \
		    "$(node_exec "$1" ip -d -o link show "$_nm" | grep -o 'macvlan mode [a-z]*')" \
		    "$(node_exec "$1" ip -o addr show dev "$_nm" scope global | awk '{print $4}' | LC_ALL=C sort | tr '\n' ' ')"
	done
}
WANT="va.61@eth1 00:00:5e:00:01:3d macvlan mode private 10.61.0.100/24 10.61.0.102/24 
va.62@eth1 00:00:5e:00:01:3e macvlan mode private 10.61.0.101/24 
va6.62@eth1 00:00:5e:00:02:3e macvlan mode private fd00:61::62/64 
vrrp.64@eth0 00:00:5e:00:01:40 macvlan mode private 10.60.0.104/24 "

# capture FILE: what reaches the client's eth1, until stopped
capture() {
	ip netns exec "$(node_ns client)" tcpdump -l -e -n -tt -i eth1 arp >"$1" 2>"$1.err" &
	CAP_PID=$!
	wait_for 50 grep -qs "listening on" "$1.err" || fail "tcpdump did not start"
}
# garp_mac FILE VIP: the source MAC of VIP's GARPs
garp_mac() { awk -v t="tell $2," '$0 ~ t { print $2 }' "$1" | sort -u; }
# masters NODE WHO: VI_A to VI_D MASTER on NODE, 10.61.0.100 announced
masters() {
	for _i in VI_A VI_B VI_C VI_D; do
		wait_for 100 is "$1" $_i MASTER || fail "$2: $_i did not become MASTER"
	done
	wait_for 50 sh -c "[ \"\$(awk -v t='tell 10.61.0.100,' '\$0 ~ t' $T/$1.cap)\" ]" ||
	    fail "$2: no GARP of 10.61.0.100 on eth1"
}

# dump_vips FILE: the VIP lines of a data dump, the address and its dev
dump_vips() {
	grep -E "^ +(10\.6[01]\.0\.10[0-4]/24|fd00:6[01]::6[1-4]/64) " "$1" |
	    awk '{print $1, $2, $3}' | LC_ALL=C sort -u
}

# --- keepalived -------------------------------------------------------------
arp0=$(node_exec dir1 cat /proc/sys/net/ipv4/conf/eth1/arp_ignore)
capture "$T/ka.cap"
ip netns exec "$(node_ns ka)" "$KEEPALIVED" -n -l -D -G -P -B \
    -f "$T/ka/keepalived.conf" -p "$T/ka/ka.pid" -r "$T/ka/ka-vrrp.pid" \
    -c "$T/ka/ka-chk.pid" -b "$T/ka/ka-bfd.pid" >>"$(node_log ka)" 2>&1 &
KA_PID=$!
masters ka keepalived
kalinks() { [ "$(links ka)" = "$WANT" ]; }
wait_for 50 kalinks || true
ka_links=$(links ka)
node_exec ka ip -o addr show dev eth0 | grep -q " fd00:60::64/64" || fail "keepalived: VI_D's IPv6 eVIP is not on eth0"
ka_garp=$(garp_mac "$T/ka.cap" 10.61.0.100)
# the data dump (SIGUSR1): a VIP on a VMAC is shown on it, "dev NAME@LOWER"
dump_lock
rm -f /tmp/keepalived.data
kill -USR1 "$KA_PID"
wait_for 50 grep -qs "^ *fd00:60::64" /tmp/keepalived.data || { dump_unlock; fail "no /tmp/keepalived.data"; }
ka_dump=$(dump_vips /tmp/keepalived.data)
rm -f /tmp/keepalived.data
dump_unlock
kill -TERM "$KA_PID"
wait_for 100 dead "$KA_PID" || fail "keepalived did not stop"
wait "$KA_PID" 2>/dev/null
kill "$CAP_PID"; wait "$CAP_PID" 2>/dev/null
[ -z "$(node_exec ka ip -o link show type macvlan)" ] || fail "keepalived left its VMACs"
[ "$ka_links" = "$WANT" ] || fail "keepalived's VIP VMACs are not the expected ones:
$ka_links"
[ "$ka_garp" = "00:00:5e:00:01:3d" ] || fail "keepalived's GARP of 10.61.0.100 from '$ka_garp'"
pass "keepalived: va.61 (VI_A's and VI_C's), va.62, va6.62 on eth1 with their VIPs, VI_D's vrrp.64 with its VIP naming eth0, GARP from 00:00:5e:00:01:3d"

# --- vigild, the same configuration -------------------------------------------
capture "$T/dir1.cap"
start_vigild_on dir1 "$T/dir1/vigil.conf"
masters dir1 vigild
vlinks() { [ "$(links dir1)" = "$1" ]; }
wait_for 50 vlinks "$ka_links" || fail "vigild's VIP VMACs are not keepalived's:
$(links dir1)
keepalived's:
$ka_links"
[ "$(garp_mac "$T/dir1.cap" 10.61.0.100)" = "$ka_garp" ] ||
    fail "vigild's GARP of 10.61.0.100 from '$(garp_mac "$T/dir1.cap" 10.61.0.100)', keepalived's from $ka_garp"
node_exec dir1 ip -o addr show dev eth0 | grep -q " 10.60.0.100/24" || fail "VI_A's VIP on eth0 is not on eth0"
node_exec dir1 ip -o addr show dev eth0 | grep -q " fd00:60::64/64" || fail "VI_D's IPv6 eVIP is not on eth0"
kill "$CAP_PID"; wait "$CAP_PID" 2>/dev/null
pass "vigild: the same links, MACs, mode and VIPs as keepalived's, GARP from the same MAC"
dump_lock
rm -f /tmp/vigil.data /tmp/vigil_check.data
kill -USR1 "$(node_vpid dir1)"
wait_for 50 grep -qs "^ *fd00:60::64" /tmp/vigil.data || { dump_unlock; fail "no /tmp/vigil.data"; }
v_dump=$(dump_vips /tmp/vigil.data)
rm -f /tmp/vigil.data /tmp/vigil_check.data
dump_unlock
echo "$v_dump" | grep -q "^10.61.0.100/24 dev va.61@eth1$" ||
    fail "vigild's data dump does not show 10.61.0.100 on its VMAC va.61@eth1: $v_dump"
[ "$v_dump" = "$ka_dump" ] || fail "the data dump's VIP lines differ:
vigild:
$v_dump
keepalived:
$ka_dump"
pass "the data dump shows a VIP on a VMAC as keepalived's does (dev va.61@eth1)"

# --- tracking ---------------------------------------------------------------------
# VI_A tracks va.61 (its VIP has no no_track); VI_B's VIPs are no_track
node_exec dir1 ip link set va.61 down
wait_for 50 is dir1 VI_A FAULT || fail "VI_A stayed $(state_of dir1 VI_A) with va.61 down"
node_log_has dir1 "VI_A: its VMAC on eth1 is down" || fail "VI_A's FAULT does not say why"
node_exec dir1 ip link set va.62 down
node_exec dir1 ip link set va.62 up
node_exec dir1 ip link set va.61 up
wait_for 100 is dir1 VI_A MASTER || fail "VI_A did not come back with va.61 up"
node_log_has dir1 "(VI_B) Entering FAULT" && fail "VI_B (no_track) went to FAULT"
pass "tracking: VI_A FAULT with its VIP's VMAC down and back; VI_B's no_track VIPs leave it MASTER"

# --- made again ---------------------------------------------------------------------
idx=$(node_exec dir1 cat /sys/class/net/va.62/ifindex)
node_exec dir1 ip link del va.62
wait_for 50 node_log_has dir1 "VI_B: its VMAC va.62 on eth1 was removed: making it again" ||
    fail "va.62's removal was not seen"
onlink() { node_exec dir1 ip -o addr show dev "$1" 2>/dev/null | grep -q " $2"; }
wait_for 50 onlink va.62 10.61.0.101/24 || fail "va.62 was not made again with 10.61.0.101"
[ "$(node_exec dir1 cat /sys/class/net/va.62/ifindex)" != "$idx" ] || fail "va.62 has its old index"
pass "a VIP's VMAC deleted by hand is made again, its VIP back on it"

# --- reload -------------------------------------------------------------------------
# VI_C goes (and its sync group): va.61 stays for VI_A, without VI_C's VIP
idx=$(node_exec dir1 cat /sys/class/net/va.61/ifindex)
conf dir1 va use_vmac >"$T/dir1/vigil.conf"
reload_on dir1 2
wait_for 50 sh -c "! ip netns exec $(node_ns dir1) ip -o addr show dev va.61 | grep -q 10.61.0.102/" ||
    fail "VI_C's VIP is still on va.61 after VI_C left"
[ "$(node_exec dir1 cat /sys/class/net/va.61/ifindex 2>/dev/null)" = "$idx" ] ||
    fail "va.61 went with VI_C, though VI_A holds it"
onlink va.61 10.61.0.100/24 || fail "VI_A's VIP left va.61 with VI_C"
pass "reload: VI_C leaves, the VMAC it shared stays for VI_A with VI_A's VIP"

# VI_A's VIP without use_vmac, a new IPv6 eVIP with it, vmac_addr_prefix
# vb: va.61 goes, its VIP on eth1; the new VMAC is vb.61; VI_B's keep
# their names and indexes (a reload that would only rename them, as an
# instance's own link)
i62=$(node_exec dir1 cat /sys/class/net/va.62/ifindex)
i6=$(node_exec dir1 cat /sys/class/net/va6.62/ifindex)
conf dir1 vb "" A6 >"$T/dir1/vigil.conf"
reload_on dir1 3
wait_for 50 onlink eth1 10.61.0.100/24 || fail "without use_vmac, 10.61.0.100 did not move to eth1"
wait_for 50 onlink vb.61 fd00:61::61/64 || fail "VI_A's new eVIP is not on vb.61 (vmac_addr_prefix vb)"
want2="va.62@eth1 00:00:5e:00:01:3e macvlan mode private 10.61.0.101/24 
va6.62@eth1 00:00:5e:00:02:3e macvlan mode private fd00:61::62/64 
vb.61@eth1 00:00:5e:00:02:3d macvlan mode private fd00:61::61/64 
vrrp.64@eth0 00:00:5e:00:01:40 macvlan mode private 10.60.0.104/24 "
wait_for 50 vlinks "$want2" || fail "after the reload: $(links dir1)"
[ "$(node_exec dir1 cat /sys/class/net/va.62/ifindex)" = "$i62" ] &&
    [ "$(node_exec dir1 cat /sys/class/net/va6.62/ifindex)" = "$i6" ] ||
    fail "VI_B's VMACs were made again at a reload that only moved their default names"
for i in VI_A VI_B; do is dir1 $i MASTER || fail "$i left MASTER at the reloads"; done
pass "reload: va.61 goes with use_vmac, its VIP on eth1; a new eVIP's VMAC is vb.61; VI_B's stay as they are"

# --- stop -------------------------------------------------------------------------
stop_vigild_on dir1
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
[ -z "$(node_exec dir1 ip -o link show type macvlan)" ] || fail "vigild left: $(links dir1)"
[ "$(node_exec dir1 cat /proc/sys/net/ipv4/conf/eth1/arp_ignore)" = "$arp0" ] ||
    fail "eth1's arp_ignore is not $arp0 again"
pass "stop: no VMAC left, eth1's arp_ignore $arp0 again"
done_testing
