#!/bin/sh
# Per-instance options of the link, each beside an instance without it so
# that the option ignored fails the test: garp_master_refresh (with
# garp_master_refresh_repeat) keeps announcing a MASTER's VIP while
# another MASTER's stays at its first round; vmac_xmit_base sends a VMAC
# instance's adverts from the base interface's MAC, where a plain VMAC
# instance's leave from the virtual MAC; dont_track_primary keeps an
# instance MASTER when its interface goes down, where another on the same
# interface goes to FAULT; interface_up_down_delays lets a link bounce
# without a FAULT and acts on a lasting change only after its delay, where
# an instance on a link without delays goes to FAULT at the bounce; a
# delay not shorter than VI_F's master down interval is shortened to fit
# it, as keepalived's. A
# client captures what leaves dir1; order and outcome from the capture,
# the logs and `ip addr`, never from times. disable_local_igmp turns the
# namespace's link-local IGMP reports off while vigild runs; a static
# address's track_group puts its instances in FAULT with its interface down;
# an instance on a macvlan whose lower link is another instance's with the
# same VRID gives way in FAULT until the macvlan moves (allow_if_changes).
# An instance on eth0 tracks the links of its VIPs, virtual_routes and
# virtual_rules elsewhere (FAULT while one is down or missing, MASTER
# again when it is back), but not one with no_track, as keepalived 2.2.7.
. "$(dirname "$0")/../topo.sh"

topo_bridge lan
topo_node dir1 10.50.0.1/24
topo_node client 10.50.0.50/24
# a second link inside dir1 for dont_track_primary
node_exec dir1 ip link add vx0 type veth peer name vx1 || fail "dir1: cannot make vx0"
node_exec dir1 ip link set vx1 up
node_exec dir1 ip link set vx0 up
node_exec dir1 ip addr add 10.51.0.1/24 dev vx0
# two more for interface_up_down_delays: vy0 with delays, vz0 without;
# vw0 for a static address's track_group
for l in y z w; do
	node_exec dir1 ip link add v${l}0 type veth peer name v${l}1 || fail "dir1: cannot make v${l}0"
	node_exec dir1 ip link set v${l}1 up
	node_exec dir1 ip link set v${l}0 up
done
node_exec dir1 ip addr add 10.52.0.1/24 dev vy0
node_exec dir1 ip addr add 10.53.0.1/24 dev vz0
# vc0, and a macvlan mvc over it, for one VRID twice on one wire; vd0 to
# move mvc to
for l in c d; do
	node_exec dir1 ip link add v${l}0 type veth peer name v${l}1 || fail "dir1: cannot make v${l}0"
	node_exec dir1 ip link set v${l}1 up
	node_exec dir1 ip link set v${l}0 up
done
node_exec dir1 ip addr add 10.56.0.1/24 dev vc0
mvc_on() {
	node_exec dir1 ip link add mvc link "$1" type macvlan mode bridge || fail "dir1: cannot make mvc on $1"
	node_exec dir1 ip addr add 10.55.0.1/24 dev mvc
	node_exec dir1 ip link set mvc up
}
mvc_on vc0
# vt0 for VIPs of eth0's instances elsewhere, vu0 for a virtual_route's dev
vt_make() {
	node_exec dir1 ip link add vt0 type veth peer name vt1 || fail "dir1: cannot make vt0"
	node_exec dir1 ip link set vt1 up
	node_exec dir1 ip link set vt0 up
}
vt_make
node_exec dir1 ip link add vu0 type veth peer name vu1 || fail "dir1: cannot make vu0"
node_exec dir1 ip link set vu1 up
node_exec dir1 ip link set vu0 up
node_exec dir1 ip addr add 10.58.0.1/24 dev vu0

# inst NAME VRID IFACE VIP EXTRA...
inst() {
	_n=$1 _v=$2 _i=$3 _a=$4
	shift 4
	printf 'vrrp_instance %s {\n    state BACKUP\n    interface %s\n    virtual_router_id %s\n    priority 150\n    advert_int 1\n' \
	    "$_n" "$_i" "$_v"
	for _x in "$@"; do printf '    %s\n' "$_x"; done
	printf '    virtual_ipaddress {\n        %s/24 dev %s\n    }\n}\n' "$_a" "$_i"
}
{
	printf 'global_defs {\n    router_id dir1\n    vrrp_garp_master_delay 0\n    vrrp_garp_master_repeat 1\n    disable_local_igmp\n    dynamic_interfaces allow_if_changes\n}\n'
	printf 'interface_up_down_delays {\n    vy0 5 1\n}\n'
	printf 'track_group TGW {\n    group {\n        VI_H\n    }\n}\n'
	printf 'static_ipaddress {\n    10.54.0.1/24 dev vw0 track_group TGW\n}\n'
	inst VI_R 91 eth0 10.50.0.101 "garp_master_refresh 1" "garp_master_refresh_repeat 2"
	inst VI_N 92 eth0 10.50.0.102
	inst VI_V 93 eth0 10.50.0.103 "use_vmac" "vmac_xmit_base"
	inst VI_W 94 eth0 10.50.0.104 "use_vmac"
	inst VI_D 95 vx0 10.51.0.101 "dont_track_primary"
	inst VI_E 96 vx0 10.51.0.102
	inst VI_F 97 vy0 10.52.0.101
	inst VI_G 98 vz0 10.53.0.101
	inst VI_H 100 eth0 10.50.0.110
	inst VI_X 102 mvc 10.55.0.101
	inst VI_Y 102 vc0 10.56.0.101
	# on eth0 with a VIP on vt0 (tracked), with one on vt0 no_track, with
	# a route through vu0, with a rule from vu0
	printf 'vrrp_instance VI_T {\n    state BACKUP\n    interface eth0\n    virtual_router_id 103\n    priority 150\n    advert_int 1\n    virtual_ipaddress {\n        10.50.0.111/24\n        10.57.0.101/24 dev vt0\n    }\n}\n'
	printf 'vrrp_instance VI_U {\n    state BACKUP\n    interface eth0\n    virtual_router_id 104\n    priority 150\n    advert_int 1\n    virtual_ipaddress {\n        10.50.0.112/24\n        10.57.0.102/24 dev vt0 no_track\n    }\n}\n'
	printf 'vrrp_instance VI_Q {\n    state BACKUP\n    interface eth0\n    virtual_router_id 105\n    priority 150\n    advert_int 1\n    virtual_ipaddress {\n        10.50.0.113/24\n    }\n    virtual_routes {\n        10.59.0.0/24 via 10.58.0.2 dev vu0\n    }\n}\n'
	printf 'vrrp_instance VI_O {\n    state BACKUP\n    interface eth0\n    virtual_router_id 106\n    priority 150\n    advert_int 1\n    virtual_ipaddress {\n        10.50.0.114/24\n    }\n    virtual_rules {\n        from 10.63.0.0/24 iif vu0 table 163\n    }\n}\n'
	# VMAC names as keepalived gives them: an IPv6 instance sharing VI_W's
	# VRID gets vrrp6.94, one alone vrrp.99
	printf 'vrrp_instance VI_6A {\n    state BACKUP\n    interface eth0\n    version 3\n    virtual_router_id 94\n    priority 150\n    advert_int 1\n    use_vmac\n    virtual_ipaddress {\n        fd00:50::94/64\n    }\n}\n'
	printf 'vrrp_instance VI_6B {\n    state BACKUP\n    interface eth0\n    version 3\n    virtual_router_id 99\n    priority 150\n    advert_int 1\n    use_vmac\n    virtual_ipaddress {\n        fd00:50::99/64\n    }\n}\n'
} >"$T/dir1/vigil.conf"

CAP="$T/client/cap.txt"
ip netns exec "$(node_ns client)" tcpdump -l -e -n -tt -i eth0 'arp or ip proto 112' \
    >"$CAP" 2>"$T/client/tcpdump.err" &
wait_for 50 grep -q "listening on" "$T/client/tcpdump.err" || fail "tcpdump did not start"

start_vigild_on dir1 "$T/dir1/vigil.conf"
for i in VI_R VI_N VI_V VI_W VI_D VI_E VI_F VI_G VI_H VI_Y VI_T VI_U VI_Q VI_O; do
	wait_for 150 is dir1 "$i" MASTER || fail "$i did not become MASTER"
done

# --- garp_master_refresh -----------------------------------------------------
# GARPs of VIP: tcpdump -e "... ARP, ... Request who-has VIP (ff:ff:ff:ff:ff:ff) tell VIP, ..."
ngarp() { grep -c "who-has $1 (ff:ff:ff:ff:ff:ff) tell $1," "$CAP"; }
wait_for 50 sh -c "[ \$(grep -c 'who-has 10.50.0.102 (ff:ff:ff:ff:ff:ff) tell 10.50.0.102,' $CAP) -ge 1 ]" ||
    fail "VI_N's VIP was never announced"
# VI_R: its first round (1) then 2 every second; five rounds or more
wait_for 100 sh -c "[ \$(grep -c 'who-has 10.50.0.101 (ff:ff:ff:ff:ff:ff) tell 10.50.0.101,' $CAP) -ge 11 ]" ||
    fail "garp_master_refresh 1: VI_R's VIP announced $(ngarp 10.50.0.101) times, not again and again"
nn=$(ngarp 10.50.0.102)
[ "$nn" -eq 1 ] || fail "VI_N (no refresh, garp_master_repeat 1, no delayed round) announced $nn times"
nr=$(ngarp 10.50.0.101)
pass "garp_master_refresh 1, refresh_repeat 2: VI_R's VIP announced $nr times, VI_N's once"

# --- vmac_xmit_base -----------------------------------------------------------
eth0mac=$(node_exec dir1 cat /sys/class/net/eth0/address)
# the source MACs of vrid N's adverts
advmacs() { awk -v v="vrid $1," '$0 ~ v { print $2 }' "$CAP" | sort -u; }
wait_for 50 sh -c "grep -q 'vrid 93,' $CAP && grep -q 'vrid 94,' $CAP" || fail "no adverts of VI_V or VI_W captured"
[ "$(advmacs 93)" = "$eth0mac" ] ||
    fail "vmac_xmit_base: VI_V's adverts come from '$(advmacs 93)', not eth0's $eth0mac"
[ "$(advmacs 94)" = "00:00:5e:00:01:5e" ] ||
    fail "use_vmac: VI_W's adverts come from '$(advmacs 94)', not the virtual MAC 00:00:5e:00:01:5e"
node_exec dir1 ip -o link show | grep -q "00:00:5e:00:01:5d" ||
    fail "VI_V has no VMAC interface (00:00:5e:00:01:5d)"
pass "vmac_xmit_base: VI_V's adverts leave from eth0 ($eth0mac), VI_W's from its VMAC"
vmac() { node_exec dir1 ip -o link show "$1" 2>/dev/null | grep -q "$2"; }
wait_for 50 vmac vrrp6.94 00:00:5e:00:02:5e || fail "the IPv6 VMAC of VRID 94 (VI_W's VRID) is not vrrp6.94"
wait_for 50 vmac vrrp.99 00:00:5e:00:02:63 || fail "the IPv6 VMAC of VRID 99 is not vrrp.99"
vmac vrrp.94 00:00:5e:00:01:5e || fail "VI_W's VMAC is not vrrp.94"
pass "VMAC names as keepalived's: vrrp.94 (IPv4), vrrp6.94 (IPv6, same VRID), vrrp.99 (IPv6 alone)"

# --- dont_track_primary ----------------------------------------------------
node_exec dir1 ip link set vx0 down
wait_for 100 is dir1 VI_E FAULT || fail "VI_E stayed $(state_of dir1 VI_E) with vx0 down"
is dir1 VI_D MASTER || fail "dont_track_primary: VI_D left MASTER ($(state_of dir1 VI_D)) with vx0 down"
node_log_has dir1 "VI_D: MASTER -> FAULT" && fail "dont_track_primary: VI_D went to FAULT"
node_exec dir1 ip link set vx0 up
wait_for 150 is dir1 VI_E MASTER || fail "VI_E did not come back from FAULT"
is dir1 VI_D MASTER || fail "VI_D is $(state_of dir1 VI_D) after vx0 came back"
pass "dont_track_primary: VI_D stays MASTER with its interface down, VI_E goes to FAULT and back"

# --- interface_up_down_delays ------------------------------------------------
# a bounce shorter than vy0's down delay (1.996 s): VI_F stays MASTER; VI_G, on
# vz0 without delays, goes to FAULT
node_exec dir1 ip link set vy0 down
node_exec dir1 ip link set vy0 up
wait_for 50 node_log_has dir1 "interface vy0: up again within its down delay: nothing done" ||
    fail "vy0's bounce was not let pass within its down delay"
node_exec dir1 ip link set vz0 down
wait_for 50 is dir1 VI_G FAULT || fail "VI_G (no delays) stayed $(state_of dir1 VI_G) with vz0 down"
node_exec dir1 ip link set vz0 up
is dir1 VI_F MASTER || fail "VI_F left MASTER ($(state_of dir1 VI_F)) on a bounce within its down delay"
node_log_has dir1 "VI_F: MASTER -> FAULT" && fail "VI_F went to FAULT on a bounce within its down delay"
wait_for 150 is dir1 VI_G MASTER || fail "VI_G did not come back after its bounce"
pass "interface_up_down_delays: a bounce within vy0's down delay leaves VI_F MASTER; VI_G without delays goes to FAULT"
# a lasting down: the FAULT only once the delay has passed
node_exec dir1 ip link set vy0 down
wait_for 200 is dir1 VI_F FAULT || fail "VI_F stayed $(state_of dir1 VI_F) with vy0 down past its delay"
# vy0's down delay (5 s) shortened to fit VI_F's advert_int, as keepalived:
# 2 * 1 s less 1/256 s
node_log_has dir1 "VI_F: interface vy0 debounce timer(s) not less that 2 \* advert_int - resetting (down delay 1.996 s, up delay 1.000 s)" ||
    fail "vy0's down delay was not shortened to fit VI_F's advert_int"
d=$(grep -n "interface vy0: acting on it if it stays down for 1.996 s" "$(node_log dir1)" | tail -1 | cut -d: -f1)
p=$(grep -n "interface vy0: down past its down delay: acting on it" "$(node_log dir1)" | tail -1 | cut -d: -f1)
f=$(grep -n "VI_F: MASTER -> FAULT" "$(node_log dir1)" | tail -1 | cut -d: -f1)
[ -n "$d" ] && [ -n "$p" ] && [ -n "$f" ] && [ "$d" -lt "$p" ] && [ "$p" -lt "$f" ] ||
    fail "not delay, then its end, then the FAULT: lines ${d:-none}, ${p:-none}, ${f:-none}"
node_exec dir1 ip link set vy0 up
wait_for 150 is dir1 VI_F MASTER || fail "VI_F did not come back after vy0's up delay"
node_log_has dir1 "interface vy0: up past its up delay: acting on it" || fail "vy0's up delay was not used"
pass "interface_up_down_delays: a lasting down reaches VI_F only past vy0's delay, and the return past its up delay"

# --- track_group ----------------------------------------------------------------
# VI_H (on eth0) is in the track_group of the static address on vw0: vw0
# down puts it in FAULT, as keepalived's static tracking does
node_exec dir1 ip -o addr show dev vw0 | grep -q " 10.54.0.1/24" || fail "the static address is not on vw0"
node_exec dir1 ip link set vw0 down
wait_for 50 is dir1 VI_H FAULT || fail "track_group: VI_H stayed $(state_of dir1 VI_H) with vw0 down"
is dir1 VI_R MASTER || fail "VI_R (not in the group) left MASTER with vw0 down"
node_exec dir1 ip link set vw0 up
wait_for 150 is dir1 VI_H MASTER || fail "track_group: VI_H did not come back with vw0 up"
pass "track_group: a static address's interface down puts the group's instance in FAULT, back up MASTER"

# --- the links of VIPs and routes elsewhere ------------------------------------
# VI_T, VI_U, VI_Q and VI_O are on eth0; VI_T's second VIP is on vt0,
# VI_U's too but no_track, VI_Q's route goes out of vu0, VI_O's rule is
# for packets in from vu0: keepalived tracks those links with weight 0
vip_on() { node_exec dir1 ip -o addr show dev "$1" 2>/dev/null | grep -q " $2/"; }
wait_for 50 vip_on vt0 10.57.0.101 || fail "VI_T's VIP is not on vt0"
node_exec dir1 ip route show 10.59.0.0/24 | grep -q "dev vu0" || fail "VI_Q's route is not there"
node_exec dir1 ip link set vt0 down
node_exec dir1 ip link set vu0 down
wait_for 50 is dir1 VI_T FAULT || fail "VI_T stayed $(state_of dir1 VI_T) with its VIP's vt0 down"
wait_for 50 is dir1 VI_Q FAULT || fail "VI_Q stayed $(state_of dir1 VI_Q) with its route's vu0 down"
wait_for 50 is dir1 VI_O FAULT || fail "VI_O stayed $(state_of dir1 VI_O) with its rule's iif vu0 down"
node_log_has dir1 "VI_T: interface vt0 of VIP 10.57.0.101 is down" ||
    fail "VI_T's FAULT does not name vt0: $(grep "VI_T" "$(node_log dir1)" | tail -3)"
node_log_has dir1 "VI_Q: interface vu0 of virtual_route 10.59.0.0/24 is down" ||
    fail "VI_Q's FAULT does not name vu0: $(grep "VI_Q" "$(node_log dir1)" | tail -3)"
node_log_has dir1 "VI_O: interface vu0 of the virtual_rule of line " ||
    fail "VI_O's FAULT does not name vu0: $(grep "VI_O" "$(node_log dir1)" | tail -3)"
is dir1 VI_U MASTER || fail "no_track: VI_U left MASTER ($(state_of dir1 VI_U)) with vt0 down"
node_exec dir1 ip link set vt0 up
node_exec dir1 ip link set vu0 up
wait_for 150 is dir1 VI_T MASTER || fail "VI_T did not come back with vt0 up"
wait_for 150 is dir1 VI_Q MASTER || fail "VI_Q did not come back with vu0 up"
wait_for 150 is dir1 VI_O MASTER || fail "VI_O did not come back with vu0 up"
wait_for 50 vip_on vt0 10.57.0.101 || fail "VI_T's VIP is not on vt0 again"
# vt0 deleted (down, then gone), then made again
node_exec dir1 ip link del vt0
wait_for 50 is dir1 VI_T FAULT || fail "VI_T stayed $(state_of dir1 VI_T) with vt0 gone"
vt_make
wait_for 150 is dir1 VI_T MASTER || fail "VI_T did not come back with vt0 made again"
wait_for 50 vip_on vt0 10.57.0.101 || fail "VI_T's VIP is not on the new vt0"
is dir1 VI_U MASTER || fail "no_track: VI_U is $(state_of dir1 VI_U) after vt0 went and came back"
node_log_has dir1 "VI_U: MASTER -> " && fail "no_track: VI_U changed state"
pass "the links of VIPs, routes and rules: VI_T, VI_Q and VI_O in FAULT with vt0 / vu0 down or gone and MASTER again, VI_U (no_track) stays MASTER"

# --- one VRID twice on one wire (allow_if_changes) ---------------------------
# VI_X on the macvlan mvc and VI_Y on its lower link vc0 share VRID 102:
# each would take the other's adverts for a peer's. VI_X, on the link
# that can change, gives way in FAULT, as keepalived's with
# allow_if_changes; mvc made again on vd0 lets it go MASTER.
node_log_has dir1 "allow_if_changes is not supported yet" && fail "allow_if_changes still warns"
wait_for 50 is dir1 VI_X FAULT || fail "VI_X is $(state_of dir1 VI_X) with VI_Y's VRID on mvc's lower link"
node_log_has dir1 "VI_X: VRID 102 for IPv4 is currently duplicated on VI_Y (vc0): FAULT until that changes" ||
    fail "VI_X's FAULT does not say why: $(grep "VI_X" "$(node_log dir1)" | tail -3)"
node_exec dir1 ip link del mvc
mvc_on vd0
wait_for 150 is dir1 VI_X MASTER || fail "VI_X stayed $(state_of dir1 VI_X) with mvc on vd0"
is dir1 VI_Y MASTER || fail "VI_Y left MASTER ($(state_of dir1 VI_Y))"
node_log_has dir1 "VI_Y: MASTER -> " && fail "VI_Y changed state"
pass "one VRID on a macvlan and on its lower link: the macvlan's instance in FAULT, MASTER once the macvlan is on another link"

# --- a default VMAC name that a reload would move stays ---------------------
# VI_W goes: VI_6A's default name would be vrrp.94 now, but its vrrp6.94
# is the same link but for the name, and stays (no flap)
idx6=$(node_exec dir1 cat /sys/class/net/vrrp6.94/ifindex)
n6=$(grep -c "(VI_6A) Entering" "$(node_log dir1)")
sed -i '/^vrrp_instance VI_W {/,/^}/d' "$T/dir1/vigil.conf"
kill -HUP "$(node_vpid dir1)"
wait_for 100 node_log_has dir1 "reloaded configuration generation 2" || fail "the reload did not reach the VRRP child"
wait_for 50 sh -c "! ip netns exec $(node_ns dir1) ip link show vrrp.94 >/dev/null 2>&1" ||
    fail "VI_W's VMAC vrrp.94 is still there after VI_W left"
[ "$(node_exec dir1 cat /sys/class/net/vrrp6.94/ifindex 2>/dev/null)" = "$idx6" ] ||
    fail "VI_6A's VMAC was made again (vrrp6.94 index $idx6 -> $(node_exec dir1 cat /sys/class/net/vrrp6.94/ifindex 2>/dev/null))"
[ "$(grep -c "(VI_6A) Entering" "$(node_log dir1)")" -eq "$n6" ] || fail "VI_6A changed state at the reload"
pass "a reload that frees vrrp.94 leaves VI_6A on its vrrp6.94: the same link, no state change"

# --- disable_local_igmp -------------------------------------------------------
llm() { node_exec dir1 cat /proc/sys/net/ipv4/igmp_link_local_mcast_reports; }
[ "$(llm)" = 0 ] || fail "disable_local_igmp: igmp_link_local_mcast_reports is $(llm) while vigild runs"
stop_vigild_on dir1
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
[ "$(llm)" = 1 ] || fail "disable_local_igmp: igmp_link_local_mcast_reports is $(llm) after the stop, not 1 again"
pass "disable_local_igmp: link-local IGMP reports off while vigild runs, on again after its stop"
done_testing
