#!/bin/sh
# Two vigild directors running several instances at once: VRRPv3 over
# IPv6, unicast adverts, a sync group whose members follow a weight-0
# track_script into FAULT together, and a reload that changes the master's
# priority and VIP list without a transition. dir1 has the higher priority
# everywhere. Order and outcome come from the logs and `ip addr`.
. "$(dirname "$0")/../topo.sh"

topo_bridge lan
topo_node dir1 10.10.0.1/24 fd00::1/64
topo_node dir2 10.10.0.2/24 fd00::2/64
topo_node client 10.10.0.50/24 fd00::50/64
node_exec client sysctl -q -w net.ipv4.conf.eth0.arp_accept=1

# conf NODE PRIORITY PEER [EXTRA-VIP]
conf() {
	cat >"$T/$1/vigil.conf" <<EOF
global_defs {
    router_id $1
    vrrp_rt_priority 10
    vrrp_no_swap
    vrrp_startup_delay 1
}
vrrp_script chk_up {
    script "/usr/bin/test -e $T/$1/up"
    interval 1
    fall 1
    rise 1
}
vrrp_sync_group G1 {
    group {
        VI_A
        VI_B
    }
    notify $T/$1/notify.sh
}
vrrp_instance VI_4 {
    state BACKUP
    interface eth0
    virtual_router_id 41
    priority $2
    advert_int 1
    notify $T/$1/notify.sh
    virtual_ipaddress {
        10.10.0.100/24 dev eth0
        $4
    }
}
vrrp_instance VI_6 {
    state BACKUP
    interface eth0
    version 3
    virtual_router_id 46
    priority $2
    advert_int 0.5
    virtual_ipaddress {
        fd00::100/64 dev eth0
    }
}
vrrp_instance VI_U {
    state BACKUP
    interface eth0
    virtual_router_id 47
    priority $2
    advert_int 1
    unicast_src_ip 10.10.0.$5
    unicast_peer {
        $3
    }
    virtual_ipaddress {
        10.10.0.110/24 dev eth0
    }
}
vrrp_instance VI_V {
    state BACKUP
    interface eth0
    use_vmac
    virtual_router_id 50
    priority $2
    advert_int 1
    virtual_ipaddress {
        10.10.0.130/24
    }
}
vrrp_instance VI_A {
    state BACKUP
    interface eth0
    virtual_router_id 48
    priority $2
    advert_int 1
    track_script {
        chk_up
    }
    virtual_ipaddress {
        10.10.0.120/24 dev eth0
    }
}
vrrp_instance VI_B {
    state BACKUP
    interface eth0
    virtual_router_id 49
    priority $2
    advert_int 1
    virtual_ipaddress {
        10.10.0.121/24 dev eth0
    }
}
EOF
}

# master NODE OTHER INSTANCE VIP: NODE MASTER with the VIP, OTHER BACKUP without
master() {
	is "$1" "$3" MASTER && is "$2" "$3" BACKUP && has "$1" "$4" && ! has "$2" "$4"
}
# all_on NODE OTHER: NODE MASTER of every instance with every VIP, OTHER
# BACKUP of each without any (one `ip addr` per node)
all_on() {
	_on=$(node_exec "$1" ip -o addr show dev eth0)
	_off=$(node_exec "$2" ip -o addr show dev eth0)
	for _p in VI_4=10.10.0.100 VI_6=fd00::100 VI_U=10.10.0.110 \
	    VI_A=10.10.0.120 VI_B=10.10.0.121; do
		is "$1" "${_p%%=*}" MASTER && is "$2" "${_p%%=*}" BACKUP || return 1
		case $_on in *" ${_p#*=}/"*) ;; *) return 1 ;; esac
		case $_off in *" ${_p#*=}/"*) return 1 ;; esac
	done
}

touch "$T/dir1/up" "$T/dir2/up"
for n in dir1 dir2; do
	printf '#!/bin/sh\necho "$*" >>%s\n' "$T/$n/notify.out" >"$T/$n/notify.sh"
	chmod 755 "$T/$n/notify.sh"
done
notified() { grep -q -- "^$2\( \|$\)" "$T/$1/notify.out" 2>/dev/null; }
conf dir1 150 10.10.0.2 "" 1
conf dir2 100 10.10.0.1 "" 2
start_vigild_on dir1 "$T/dir1/vigil.conf"
start_vigild_on dir2 "$T/dir2/vigil.conf"
wait_for 200 all_on dir1 dir2 || fail "dir1 is not MASTER of every instance (VI_4 $(state_of dir1 VI_4), VI_6 $(state_of dir1 VI_6), VI_U $(state_of dir1 VI_U), VI_A $(state_of dir1 VI_A), VI_B $(state_of dir1 VI_B))"
pass "dir1 MASTER of the IPv4, IPv6 (v3), unicast and sync group instances"

wait_for 50 node_exec client ping -6 -n -q -c 1 -W 1 fd00::100 >/dev/null 2>&1 ||
    fail "the client does not reach the IPv6 VIP"
pass "the client reaches the IPv6 VIP"

chrt -p "$(pidof_file "$(node_pidfile dir1 vrrp)")" | grep -q "SCHED_RR" ||
    fail "vrrp_rt_priority: the VRRP child does not run SCHED_RR: $(chrt -p "$(pidof_file "$(node_pidfile dir1 vrrp)")")"
pass "vrrp_rt_priority: the VRRP child runs with realtime scheduling"

d=$(grep -n "vrrp_startup_delay over" "$(node_log dir2)" | head -1 | cut -d: -f1)
b=$(grep -n "VI_4: INIT -> BACKUP" "$(node_log dir2)" | head -1 | cut -d: -f1)
[ -n "$d" ] && [ -n "$b" ] && [ "$b" -gt "$d" ] ||
    fail "vrrp_startup_delay: VI_4 started before the delay was over"
pass "vrrp_startup_delay: the instances start once the delay is over"

# use_vmac: the VIP on the VMAC vrrp.50, the client's ARP names the virtual MAC
vmac_has() { node_exec "$1" ip -o addr show dev vrrp.50 2>/dev/null | grep -q " 10.10.0.130/"; }
wait_for 50 vmac_has dir1 || fail "dir1: VI_V's VIP is not on its VMAC vrrp.50"
node_exec dir1 ip -o link show vrrp.50 | grep -q "00:00:5e:00:01:32" || fail "dir1: vrrp.50 lacks the virtual MAC"
vmac_has dir2 && fail "dir2 (BACKUP) holds VI_V's VIP"
# the client takes gratuitous ARPs (arp_accept): the master's names the VMAC
wait_for 50 sh -c "ip netns exec $(node_ns client) ip neigh show 10.10.0.130 | grep -q 00:00:5e:00:01:32" ||
    fail "no gratuitous ARP from the virtual MAC reached the client: $(node_exec client ip neigh show 10.10.0.130)"
wait_for 50 node_exec client ping -n -q -c 1 -W 1 10.10.0.130 >/dev/null 2>&1 ||
    fail "the client does not reach the VMAC's VIP"
pass "use_vmac: the VIP lives on the VMAC and the client sees the virtual MAC"

wait_for 50 notified dir1 "INSTANCE VI_4 MASTER 150" || fail "dir1: notify did not run for MASTER"
wait_for 50 notified dir2 "INSTANCE VI_4 BACKUP 100" || fail "dir2: notify did not run for BACKUP"
wait_for 50 notified dir1 "GROUP G1 MASTER" || fail "dir1: the sync group's notify did not run"
pass "notify scripts run with keepalived's arguments (instance and sync group)"

# the track script fails on dir1: VI_A to FAULT, VI_B with it (sync group)
rm -f "$T/dir1/up"
wait_for 100 is dir1 VI_A FAULT || fail "dir1: VI_A did not go to FAULT when chk_up failed"
wait_for 50 is dir1 VI_B FAULT || fail "dir1: VI_B did not follow VI_A into FAULT"
node_log_has dir1 "VI_B: MASTER -> FAULT: sync group G1: VI_A is in FAULT" ||
    fail "dir1: VI_B's FAULT does not name the sync group"
wait_for 100 is dir2 VI_A MASTER || fail "dir2 did not take VI_A"
wait_for 50 has dir2 10.10.0.120 || fail "dir2 is MASTER of VI_A without its VIP"
wait_for 100 is dir2 VI_B MASTER || fail "dir2 did not take VI_B"
wait_for 50 has dir2 10.10.0.121 || fail "dir2 is MASTER of VI_B without its VIP"
has dir1 10.10.0.120 && fail "dir1 kept VI_A's VIP in FAULT"
has dir1 10.10.0.121 && fail "dir1 kept VI_B's VIP in FAULT"
is dir1 VI_4 MASTER && has dir1 10.10.0.100 || fail "VI_4 (not in the group) moved"
wait_for 50 notified dir1 "GROUP G1 FAULT" || fail "dir1: the sync group's notify did not say FAULT"
pass "a failing weight-0 track_script puts the sync group in FAULT on dir1; dir2 takes both"

touch "$T/dir1/up"
wait_for 150 all_on dir1 dir2 || fail "dir1 did not take the sync group back"
pass "the script recovers: dir1 takes the sync group back"

# reload dir1 with a new priority and one more VIP on VI_4: no transition
n1=$(grep -c "Entering" "$(node_log dir1)")
n2=$(grep -c "Entering" "$(node_log dir2)")
conf dir1 200 10.10.0.2 "10.10.0.101/24 dev eth0" 1
kill -HUP "$(node_vpid dir1)"
wait_for 50 node_log_has dir1 "vrrp child: running configuration generation 2" ||
    fail "dir1 did not take generation 2"
wait_for 50 has dir1 10.10.0.101 || fail "the added VIP did not come up on the master"
node_log_has dir1 "VI_4: configured priority 150 -> 200" || fail "the priority change is not logged"
# a backup that missed adverts would take over after 3.6 s: watch for 6 s
end=$(($(date +%s) + 6))
while [ "$(date +%s)" -lt $end ]; do
	all_on dir1 dir2 || fail "a changed instance moved on reload"
	sleep 0.2
done
[ "$(grep -c "Entering" "$(node_log dir1)")" = "$n1" ] || fail "dir1 changed state on reload"
[ "$(grep -c "Entering" "$(node_log dir2)")" = "$n2" ] || fail "dir2 changed state on dir1's reload"
conf dir1 200 10.10.0.2 "" 1
kill -HUP "$(node_vpid dir1)"
wait_for 50 node_log_has dir1 "vrrp child: running configuration generation 3" ||
    fail "dir1 did not take generation 3"
wait_for 50 sh -c "! ip netns exec $(node_ns dir1) ip -o addr show dev eth0 | grep -q ' 10.10.0.101/'" ||
    fail "the VIP taken out of the configuration stayed"
all_on dir1 dir2 || fail "removing a VIP moved an instance"
pass "reload: a new priority and VIP list take effect on the master without a transition"

# reload dir1 without VI_U: the removed instance hands over at once
sed -i '/^vrrp_instance VI_U {/,/^}/d' "$T/dir1/vigil.conf"
kill -HUP "$(node_vpid dir1)"
wait_for 50 node_log_has dir1 "vrrp child: running configuration generation 4" ||
    fail "dir1 did not take generation 4"
wait_for 100 is dir2 VI_U MASTER || fail "dir2 did not take VI_U when dir1 dropped it"
node_log_has dir2 "VI_U: master 10.10.0.1 stopped (priority 0)" ||
    fail "the removed instance did not send priority 0"
wait_for 50 has dir2 10.10.0.110 || fail "dir2 is MASTER of VI_U without its VIP"
has dir1 10.10.0.110 && fail "dir1 kept the VIP of the removed instance"
is dir1 VI_4 MASTER && is dir1 VI_A MASTER && has dir1 10.10.0.100 ||
    fail "the other instances moved when VI_U was removed"
pass "reload removing an instance: it sends priority 0 and releases its VIP, the others stay"

stop_vigild_on dir1
[ "$VSTATUS" -eq 0 ] || fail "dir1: vigild exited with status $VSTATUS"
for i in VI_4 VI_6 VI_U VI_A VI_B VI_V; do
	wait_for 100 is dir2 $i MASTER || fail "dir2 did not take $i after dir1 stopped"
done
wait_for 50 vmac_has dir2 || fail "dir2 does not hold VI_V's VIP on its VMAC"
node_exec dir1 ip link show vrrp.50 >/dev/null 2>&1 && fail "dir1 left its VMAC behind"
wait_for 50 node_exec client ping -n -q -c 1 -W 1 10.10.0.130 >/dev/null 2>&1 ||
    fail "the client lost the VMAC's VIP after the takeover"

for v in 10.10.0.100 fd00::100 10.10.0.110 10.10.0.120 10.10.0.121; do
	wait_for 50 has dir2 $v || fail "dir2 does not hold $v"
	has dir1 $v && fail "dir1 left $v behind"
done
node_log_has dir2 "VI_6: master fe80::" || fail "the IPv6 priority 0 advert did not reach dir2"
pass "dir1 stops: dir2 takes every instance (IPv6 by priority 0)"

stop_vigild_on dir2
[ "$VSTATUS" -eq 0 ] || fail "dir2: vigild exited with status $VSTATUS"
topo_teardown
done_testing
