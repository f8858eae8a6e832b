#!/bin/sh
# vrrp_strict with vrrp_iptables (keepalived 2.2.7's firewall): the VIPs
# of a MASTER without accept mode go in ipsets its iptables / ip6tables
# rules drop, the rules made once at the start in the chains named;
# vrrp_ipsets names the sets, or with no name gives a rule per VIP while
# it is held. vigild's stop removes sets and rules, -V keeps them, and a
# start after it does not add the rules twice. When iptables cannot be
# used nftables is, with a warning. With KEEPALIVED naming a keepalived
# built with iptables (Debian's is not), the sets and rules it makes on
# the same configuration are compared with vigild's.
. "$(dirname "$0")/../topo.sh"
. "$(dirname "$0")/strict.sh"

for c in iptables ip6tables iptables-restore ip6tables-restore ipset; do
	command -v $c >/dev/null || { echo "SKIP: no $c (tools/setup installs it)"; exit 77; }
done

grep -q "define HAVE_LIBIPSET 1" "$top_builddir/autoconfig.h" 2>/dev/null ||
    { echo "SKIP: built without libipset (--disable-ipset)"; exit 77; }

topo_bridge lan
topo_node dir1 10.20.0.1/24 fd00:20::1/64
topo_node dir2 10.20.0.2/24 fd00:20::2/64
topo_node client 10.20.0.50/24 fd00:20::50/64

# conf NODE PRIORITY GLOBAL_LINES...
conf() {
	_n=$1 _p=$2
	shift 2
	{
		echo "global_defs {"
		echo "    router_id $_n"
		echo "    vrrp_strict"
		for _l in "$@"; do echo "    $_l"; done
		echo "}"
		strict_instances "$_p"
	} >"$T/$_n/vigil.conf"
}

masters() {
	for _i in VI_S VI_A VI_V VI_6; do is "$1" $_i MASTER || return 1; done
	has "$1" 10.20.0.100 && has "$1" fd00:20::100
}
# the members of set S on NODE (nothing if there is no such set)
members() { node_exec "$1" ipset list "$2" 2>/dev/null | sed -n '/^Members:/,$p' | sed 1d; }
member() { members "$1" "$2" | grep -qx -- "$3"; }
set_exists() { node_exec "$1" ipset list -n 2>/dev/null | grep -qx "$2"; }
rules() { node_exec "$1" "$2" -S 2>/dev/null | grep '^-A '; }
# rules_are NODE CMD EXPECTED: exactly these rules (in order) in the table
rules_are() {
	[ "$(rules "$1" "$2")" = "$3" ] ||
	    fail "$1: $2 -S: expected
$3
got
$(rules "$1" "$2")"
}

# keepalived 2.2.7's rules for its default sets and chains (keepalived
# built with iptables lists the same): the VMAC's IGMP drop comes first,
# made with the VMAC before any VIP is blocked; VI_V is IPv4, so no MLD
v4_rules='-A INPUT -m set --match-set keepalived dst -j DROP
-A OUTPUT -p igmp -m set --match-set keepalived_igmp dst,dst -j DROP
-A OUTPUT -m set --match-set keepalived src -j DROP'
# v6_rules IN OUT: keepalived 2.2.7's IPv6 rules for the default sets
v6_rules() {
	for _spec in "$1 dst,src dst" "$2 src,dst src"; do
		set -- $_spec "$1" "$2"
		_c=$1 _dif=$2 _dsix=$3
		for _set in "keepalived_if6 $_dif" "keepalived6 $_dsix"; do
			echo "-A $_c -p ipv6-icmp -m set --match-set $_set -m icmp6 --icmpv6-type 135 -j ACCEPT"
			echo "-A $_c -p ipv6-icmp -m set --match-set $_set -m icmp6 --icmpv6-type 136 -j ACCEPT"
			echo "-A $_c -m set --match-set $_set -j DROP"
		done
		shift 3
	done
}
# a node's log from now on (state_of reads the last start's)
fresh_log() { : >"$(node_log "$1")"; }
v6_default=$(v6_rules INPUT OUTPUT)

# ---- vrrp_iptables, the default sets --------------------------------------
strict_igmp_watch

conf dir1 150 vrrp_iptables
conf dir2 100 vrrp_iptables
start_vigild_on dir1 "$T/dir1/vigil.conf"
start_vigild_on dir2 "$T/dir2/vigil.conf"
wait_for 200 masters dir1 || fail "dir1 is not MASTER of every instance"
for i in VI_S VI_A VI_V VI_6; do is dir2 $i BACKUP || fail "dir2: $i is $(state_of dir2 $i)"; done
node_log_has dir1 "nftables is used instead" && fail "dir1 fell back to nftables: $(grep -i 'iptables' "$(node_log dir1)")"
node_exec dir1 nft list tables | grep -q "inet keepalived" && fail "dir1 made the nftables table: $(node_exec dir1 nft list tables)"
pass "vrrp_iptables: dir1 MASTER, dir2 BACKUP, no nftables table"

for n in dir1 dir2; do
	rules_are $n iptables "$v4_rules"
	rules_are $n ip6tables "$v6_default"
	for s in keepalived keepalived6 keepalived_if6 keepalived_igmp; do
		set_exists $n $s || fail "$n: no ipset $s: $(node_exec $n ipset list -n)"
	done
	set_exists $n keepalived_mld && fail "$n: an MLD set without an IPv6 VMAC"
done
node_exec dir1 ipset list keepalived | grep -q "^Type: hash:ip$" || fail "keepalived is not hash:ip"
node_exec dir1 ipset list keepalived_if6 | grep -q "^Type: hash:net,iface$" || fail "keepalived_if6 is not hash:net,iface"
pass "the sets and keepalived's rules in INPUT and OUTPUT on both nodes"

wait_for 50 member dir1 keepalived 10.20.0.100 || fail "dir1: the strict VIP is not in keepalived: $(members dir1 keepalived)"
member dir1 keepalived 10.20.0.101 && fail "dir1: the accept VIP is blocked"
member dir1 keepalived 10.20.0.130 || fail "dir1: VI_V's VIP is not blocked: $(members dir1 keepalived)"
wait_for 50 member dir1 keepalived6 fd00:20::100 || fail "dir1: the IPv6 VIP is not in keepalived6: $(members dir1 keepalived6)"
member dir1 keepalived_if6 fe80::6:100,eth0 || fail "dir1: the link-local VIP is not in keepalived_if6 with eth0: $(members dir1 keepalived_if6)"
for s in keepalived keepalived6 keepalived_if6; do
	members dir2 $s | grep -q . && fail "dir2 (BACKUP) blocks: $s holds $(members dir2 $s)"
done
for n in dir1 dir2; do
	member $n keepalived_igmp 0.0.0.0/0,vrrp.64 || fail "$n: the VMAC is not in keepalived_igmp: $(members $n keepalived_igmp)"
done
strict_no_igmp
pass "the MASTER's sets hold its strict VIPs, the BACKUP's none; the VMAC is in the IGMP set"

strict_drops
wait_for 30 sh -c "ip netns exec $(node_ns client) ip -6 neigh show fd00:20::100 | grep -q lladdr" ||
    fail "the client cannot resolve the IPv6 VIP"
pass "packets to the strict VIPs are dropped (neighbour discovery passes); the accept VIP answers"

# a reload to nftables takes the sets and rules away and blocks the VIPs
# there; one back to vrrp_iptables makes them again with the VIPs held
nft_blocks() { node_exec dir1 nft list set inet keepalived vips 2>/dev/null | grep -q "$1"; }
conf dir1 150 nftables
kill -HUP "$(node_vpid dir1)"
wait_for 50 node_log_has dir1 "vrrp child: running configuration generation 2" || fail "dir1 did not take generation 2"
wait_for 50 nft_blocks 10.20.0.100 || fail "nftables does not block the VIP after the reload: $(node_exec dir1 nft list ruleset)"
rules dir1 iptables | grep -q . && fail "the reload to nftables left rules: $(rules dir1 iptables)"
node_exec dir1 ipset list -n | grep -q . && fail "the reload to nftables left sets: $(node_exec dir1 ipset list -n)"
ping_ok 10.20.0.100 && fail "the strict VIP answers after the reload to nftables"
conf dir1 150 vrrp_iptables
kill -HUP "$(node_vpid dir1)"
wait_for 50 node_log_has dir1 "vrrp child: running configuration generation 3" || fail "dir1 did not take generation 3"
wait_for 50 member dir1 keepalived 10.20.0.100 || fail "the VIP is not in its set after the reload back"
member dir1 keepalived_if6 fe80::6:100,eth0 || fail "the link-local VIP is not in its set after the reload back"
rules_are dir1 iptables "$v4_rules"
rules_are dir1 ip6tables "$v6_default"
node_exec dir1 nft list table inet keepalived >/dev/null 2>&1 && fail "the reload back to vrrp_iptables left the nftables table"
ping_ok 10.20.0.100 && fail "the strict VIP answers after the reload back"
pass "reloads from vrrp_iptables to nftables and back move the VIPs' blocks from one firewall to the other"

stop_ok dir1
rules dir1 iptables | grep -q . && fail "dir1 left rules: $(rules dir1 iptables)"
rules dir1 ip6tables | grep -q . && fail "dir1 left rules: $(rules dir1 ip6tables)"
node_exec dir1 ipset list -n | grep -q . && fail "dir1 left sets: $(node_exec dir1 ipset list -n)"
wait_for 100 masters dir2 || fail "dir2 did not take over"
wait_for 50 member dir2 keepalived 10.20.0.100 || fail "dir2: the strict VIP is not blocked once held"
ping_ok 10.20.0.100 && fail "dir2 answers the strict VIP"
wait_for 50 ping_ok 10.20.0.101 || fail "the client lost the accept VIP after the takeover"
pass "dir1 stops: its sets and rules go; dir2 blocks the VIPs it took"
stop_ok dir2
node_exec dir2 ipset list -n | grep -q . && fail "dir2 left sets: $(node_exec dir2 ipset list -n)"

# ---- chains and sets named; -V keeps them; no double rules after ----------
for c in iptables ip6tables; do
	node_exec dir1 $c -N VG_IN && node_exec dir1 $c -N VG_OUT &&
	    node_exec dir1 $c -A INPUT -j VG_IN && node_exec dir1 $c -A OUTPUT -j VG_OUT ||
	    fail "cannot make the chains"
done
conf dir1 150 "vrrp_iptables VG_IN VG_OUT" "vrrp_ipsets vg4 vg6"
fresh_log dir1
named_v4='-A INPUT -j VG_IN
-A OUTPUT -j VG_OUT
-A VG_IN -m set --match-set vg4 dst -j DROP
-A VG_OUT -p igmp -m set --match-set vg4_igmp dst,dst -j DROP
-A VG_OUT -m set --match-set vg4 src -j DROP'
named_v6="-A INPUT -j VG_IN
-A OUTPUT -j VG_OUT
$(v6_rules VG_IN VG_OUT | sed 's/keepalived_if6/vg_if6/; s/keepalived6/vg6/')"
start_vigild_on dir1 "$T/dir1/vigil.conf" -V
wait_for 100 masters dir1 || fail "dir1 is not MASTER (named sets)"
wait_for 50 member dir1 vg4 10.20.0.100 || fail "dir1: the VIP is not in vg4: $(members dir1 vg4)"
wait_for 50 member dir1 vg6 fd00:20::100 || fail "dir1: the IPv6 VIP is not in vg6"
wait_for 50 member dir1 vg_if6 fe80::6:100,eth0 || fail "dir1: the link-local VIP is not in vg_if6"
set_exists dir1 keepalived && fail "dir1 made the default set too"
rules_are dir1 iptables "$named_v4"
rules_are dir1 ip6tables "$named_v6"
ping_ok 10.20.0.100 && fail "the strict VIP answers through the named chains"
pass "vrrp_iptables VG_IN VG_OUT, vrrp_ipsets vg4 vg6: keepalived's names (vg_if6, vg4_igmp) and rules in the named chains"

stop_ok dir1
has dir1 10.20.0.100 || fail "-V: the VIP went"
member dir1 vg4 10.20.0.100 || fail "-V: the VIP's block went: $(members dir1 vg4)"
rules_are dir1 iptables "$named_v4"
rules_are dir1 ip6tables "$named_v6"
ping_ok 10.20.0.100 && fail "-V: the kept VIP answers"
pass "-V keeps the sets, the rules and the VIPs' blocks"

fresh_log dir1
start_vigild_on dir1 "$T/dir1/vigil.conf"
wait_for 100 masters dir1 || fail "dir1 is not MASTER again"
wait_for 50 member dir1 vg4 10.20.0.100 || fail "the VIP is not blocked after the restart"
rules_are dir1 iptables "$named_v4"
rules_are dir1 ip6tables "$named_v6"
stop_ok dir1
rules_are dir1 iptables '-A INPUT -j VG_IN
-A OUTPUT -j VG_OUT'
node_exec dir1 ipset list -n | grep -q . && fail "dir1 left sets: $(node_exec dir1 ipset list -n)"
pass "a start over the rules left by -V does not add them twice; its stop removes them"

# ---- vrrp_ipsets with no name: a rule per VIP while it is held ------------
conf dir1 150 vrrp_iptables vrrp_ipsets
conf dir2 100 vrrp_iptables vrrp_ipsets
fresh_log dir1
fresh_log dir2
start_vigild_on dir1 "$T/dir1/vigil.conf"
start_vigild_on dir2 "$T/dir2/vigil.conf"
wait_for 200 masters dir1 || fail "dir1 is not MASTER (rule per VIP)"
per_vip() { rules dir1 "$1" | grep -v -- '-j VG_'; }
wait_for 50 sh -c "ip netns exec $(node_ns dir1) iptables -S INPUT | grep -qx -- '-A INPUT -d 10.20.0.100/32 -j DROP'" ||
    fail "no rule for the strict VIP: $(per_vip iptables)"
rules dir1 iptables | grep -q -- "-d 10.20.0.101/32" && fail "the accept VIP has a rule"
wait_for 50 sh -c "ip netns exec $(node_ns dir1) ip6tables -S | grep -q -- '-d fe80::6:100/128 -i eth0 -j DROP'" ||
    fail "no rule for the link-local VIP: $(per_vip ip6tables)"
# keepalived's order at the head of the chain: the VIP's neighbour
# discovery accepts above its drop
per_vip ip6tables | grep -- "fd00:20::100/128" | grep -- "-A INPUT" | grep -q -- '--icmpv6-type 135 -j ACCEPT' ||
    fail "no neighbour solicitation accept for the IPv6 VIP: $(per_vip ip6tables)"
[ "$(per_vip ip6tables | grep -- '-A INPUT -d fd00:20::100/128' | sed 's/.*-j //' | tr '\n' ' ')" = "ACCEPT ACCEPT DROP " ] ||
    fail "the IPv6 VIP's rules are not accept, accept, drop: $(per_vip ip6tables)"
rules dir2 iptables | grep -q -- "10.20.0.100" && fail "dir2 (BACKUP) has a VIP rule: $(rules dir2 iptables)"
node_exec dir1 ipset list -n | grep -q . && fail "ipsets made with vrrp_ipsets empty"
ping_ok 10.20.0.100 && fail "the strict VIP answers (rule per VIP)"
wait_for 50 ping_ok 10.20.0.101 || fail "the accept VIP does not answer (rule per VIP)"
pass "vrrp_ipsets with no name: a rule per VIP on the MASTER, none on the BACKUP; the VIP drops"

stop_ok dir1
per_vip iptables | grep -q -- "-d 10.20" && fail "dir1 left VIP rules: $(per_vip iptables)"
per_vip ip6tables | grep -q -- "/128" && fail "dir1 left VIP rules: $(per_vip ip6tables)"
wait_for 100 sh -c "ip netns exec $(node_ns dir2) iptables -S INPUT | grep -qx -- '-A INPUT -d 10.20.0.100/32 -j DROP'" ||
    fail "dir2 took over without a rule for the VIP: $(rules dir2 iptables)"
pass "dir1 stops: its VIP rules go; dir2's MASTER adds its own"
stop_ok dir2
rules dir2 iptables | grep -q . && fail "dir2 left rules: $(rules dir2 iptables)"

# ---- iptables unusable: nftables instead, with a warning at the line ------
conf dir1 150 "vrrp_iptables NO_SUCH_CHAIN"
fresh_log dir1
start_vigild_on dir1 "$T/dir1/vigil.conf"
wait_for 50 node_log_has dir1 "vigil.conf:4: vrrp_iptables: iptables cannot be used (see above): nftables is used instead (table inet keepalived)" ||
    fail "no fallback warning at vrrp_iptables' line: $(grep -i 'tables' "$(node_log dir1)")"
node_log_has dir1 "iptables chain NO_SUCH_CHAIN does not exist" || fail "the missing chain is not named"
wait_for 100 masters dir1 || fail "dir1 is not MASTER (fallback)"
wait_for 50 nft_blocks 10.20.0.100 || fail "nftables does not block the VIP: $(node_exec dir1 nft list ruleset)"
ping_ok 10.20.0.100 && fail "the strict VIP answers (fallback to nftables)"
node_exec dir1 ipset list -n | grep -q . && fail "sets made without iptables: $(node_exec dir1 ipset list -n)"
stop_ok dir1
pass "a chain that does not exist: nftables blocks the VIPs instead, with a warning at vrrp_iptables' line"

# no iptables binary in the PATH vigild runs with
printf '#!/bin/sh\nPATH=/nonexistent exec %s "$@"\n' "$VIGILD" >"$T/vigild-nopath"
chmod +x "$T/vigild-nopath"
conf dir1 150 vrrp_iptables
fresh_log dir1
_vigild=$VIGILD
VIGILD=$T/vigild-nopath
start_vigild_on dir1 "$T/dir1/vigil.conf"
VIGILD=$_vigild
wait_for 50 node_log_has dir1 "vrrp_iptables: iptables cannot be used" || fail "no fallback warning without iptables"
node_log_has dir1 "iptables: cannot run it" || fail "the missing iptables is not named: $(grep -i 'tables' "$(node_log dir1)")"
wait_for 50 sh -c "ip netns exec $(node_ns dir1) nft list table inet keepalived >/dev/null 2>&1" || fail "no nftables table without iptables"
stop_ok dir1
pass "no iptables binary: nftables instead, with a warning"

# ---- the same sets and rules as keepalived's -----------------------------
# Debian's keepalived is built without iptables (vrrp_iptables gives
# nftables there); one built with it (KEEPALIVED=..., configure
# --enable-iptables) runs on the first configuration: it writes through
# libiptc, so its rules are listed by the legacy tools.
KEEPALIVED=${KEEPALIVED:-$(command -v keepalived || echo /usr/sbin/keepalived)}
if [ -x "$KEEPALIVED" ] && "$KEEPALIVED" -v 2>&1 | grep -q "^System options:.* IPTABLES" &&
    command -v iptables-legacy >/dev/null; then
	conf dir1 150 vrrp_iptables
	ip netns exec "$(node_ns dir1)" "$KEEPALIVED" -n -l -D -P -f "$T/dir1/vigil.conf" \
	    -p "$T/dir1/ka.pid" -r "$T/dir1/ka-vrrp.pid" -c "$T/dir1/ka-chk.pid" \
	    >>"$(node_log dir1)" 2>&1 &
	ka_pid=$!
	wait_for 100 member dir1 keepalived 10.20.0.100 || fail "keepalived: the VIP is not in its set"
	wait_for 50 member dir1 keepalived_if6 fe80::6:100,eth0 || fail "keepalived: the link-local VIP is not in its set"
	[ "$(node_exec dir1 ipset list -n | LC_ALL=C sort | tr '\n' ' ')" = "keepalived keepalived6 keepalived_if6 keepalived_igmp " ] ||
	    fail "keepalived's sets differ from vigild's: $(node_exec dir1 ipset list -n)"
	rules_are dir1 iptables-legacy "$v4_rules"
	rules_are dir1 ip6tables-legacy "$v6_default"
	kill -TERM $ka_pid
	wait_for 100 dead $ka_pid || fail "keepalived did not stop"
	pass "keepalived 2.2.7 built with iptables makes the same sets and rules"
else
	pass "# SKIP $KEEPALIVED has no iptables support: sets and rules not compared with keepalived's"
fi
topo_teardown
done_testing
