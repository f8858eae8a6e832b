#!/bin/sh
# interface_up_down_delays fitted to the advert interval at run time, as
# keepalived 2.2.7's update_master_adver_int: dir2 (VRRPv3, advert_int 1,
# a down delay of 1.5 s on eth0: under its 2 intervals, kept at start)
# learns from dir1, MASTER at advert_int 0.1, that the master's interval
# is shorter; the delay is shortened to 0.2 s less 1/256 of 0.1 s and a
# down of eth0 reaches dir2's instance past that, not past 1.5 s. Order
# and outcome from dir2's log, never from times.
. "$(dirname "$0")/../topo.sh"

topo_bridge lan
topo_node dir1 10.66.0.1/24
topo_node dir2 10.66.0.2/24

conf() { # NAME PRIORITY ADVERT_INT
	cat <<EOC
global_defs {
    router_id $1
}
interface_up_down_delays {
    eth0 1.5
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    version 3
    virtual_router_id 66
    priority $2
    advert_int $3
    virtual_ipaddress {
        10.66.0.100/24
    }
}
EOC
}
conf dir1 150 0.1 >"$T/dir1/vigil.conf"
conf dir2 100 1 >"$T/dir2/vigil.conf"

start_vigild_on dir2 "$T/dir2/vigil.conf"
wait_for 100 is dir2 VI_1 MASTER || fail "dir2 did not become MASTER alone"
node_log_has dir2 "debounce timer(s)" && fail "dir2's delay was shortened at start: $(grep 'debounce' "$(node_log dir2)")"
start_vigild_on dir1 "$T/dir1/vigil.conf"
wait_for 100 is dir2 VI_1 BACKUP || fail "dir2 did not go BACKUP under dir1"
wait_for 50 node_log_has dir2 "VI_1: lower advert_int reducing interface eth0 debounce timer(s) (down delay 0.200 s, up delay 0.200 s)" ||
    fail "dir2's delays were not fitted to dir1's interval: $(grep -i 'debounce\|delay' "$(node_log dir2)")"
pass "a VRRPv3 master's shorter interval shortens the backup's interface_up_down_delays (1.5 s -> 0.2 s less 1/256 of 0.1 s)"

node_exec dir2 ip link set eth0 down
wait_for 50 node_log_has dir2 "interface eth0: acting on it if it stays down for 0.200 s" ||
    fail "dir2 did not delay eth0's down by the shortened delay: $(grep 'interface eth0' "$(node_log dir2)")"
wait_for 50 is dir2 VI_1 FAULT || fail "dir2 did not go to FAULT with eth0 down"
node_exec dir2 ip link set eth0 up
wait_for 100 is dir2 VI_1 BACKUP || fail "dir2 did not come back BACKUP"
pass "eth0 down on dir2 is acted on past the shortened delay"

stop_vigild_on dir1
stop_vigild_on dir2
done_testing
