#!/bin/sh
# ha_suspend: a virtual server whose address is not on this host is not
# checked; when the address arrives its checks run, when it leaves they
# stop again (rtnetlink address events). Probes are counted at the
# listeners; a virtual server without ha_suspend is the clock. The event
# socket's receive buffer is lvs_netlink_monitor_rcv_bufs's (ss -m), a
# reload's too, past net.core.rmem_max with _force.
. "$(dirname "$0")/lib.sh"

ip -n "$NS" addr add 10.77.0.1/24 dev veth0
ip -n "$NS" addr add 10.77.0.2/24 dev veth1
for port in 8080 8081; do
	ip netns exec "$NS" socat TCP-LISTEN:$port,bind=10.77.0.2,reuseaddr,fork \
	    SYSTEM:"echo c >>$T/$port.count" >/dev/null 2>&1 &
done
wait_for 50 sh -c "ip netns exec $NS ss -ltn | grep -q ':8081 '" || fail "listeners did not start"
count() { cat "$T/$1.count" 2>/dev/null | wc -l; }

cat >"$T/vigil.conf" <<'CONF'
global_defs {
    lvs_netlink_monitor_rcv_bufs 150000
}
virtual_server 10.77.0.100 80 {
    delay_loop 1
    lb_kind DR
    protocol TCP
    ha_suspend
    real_server 10.77.0.2 8080 {
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
virtual_server 10.77.0.101 80 {
    delay_loop 1
    lb_kind DR
    protocol TCP
    real_server 10.77.0.2 8081 {
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
CONF
start_vigild "$T/vigil.conf"
wait_for 100 log_has "virtual server \[10.77.0.100\]:tcp:80: its address is not on this host: checks suspended (ha_suspend)" ||
    fail "ha_suspend did not suspend the checks"
: >"$T/8080.count"
: >"$T/8081.count"
wait_for 200 sh -c "[ \$(cat $T/8081.count | wc -l) -ge 3 ]" || fail "the clock virtual server was not checked"
[ "$(count 8080)" = 0 ] || fail "a suspended virtual server was checked $(count 8080) times"
pass "ha_suspend: no check while the address is not on this host"

# rcvbufs: the receive buffer size (ss's rb, twice what was asked) of the
# checker child's rtnetlink socket subscribed to the address events (its
# port from /proc/net/netlink by the socket inodes the child holds)
chk=$(pidof_file "$CHECK_PIDF")
rcvbufs() {
	_inodes=$(ls -l "/proc/$chk/fd" | sed -n 's/.*socket:\[\([0-9]*\)\]$/\1/p' | tr '\n' ' ')
	_port=$(awk -v ino=" $_inodes" '$2 == 0 && $4 == "00000110" && index(ino, " " $10 " ") { print $3 }' \
	    "/proc/$chk/net/netlink")
	[ -n "$_port" ] || return 0
	ip netns exec "$NS" ss -f netlink -a -m -n |
	    awk -v a="0:$_port" '$4 == a && match($0, /rb[0-9]+/) { print substr($0, RSTART + 2, RLENGTH - 2) }' | sort -u
}
[ "$(rcvbufs)" = 300000 ] ||
    fail "lvs_netlink_monitor_rcv_bufs 150000: the checker child's rtnetlink socket(s) hold $(rcvbufs), not 300000"
rmem_max=$(cat /proc/sys/net/core/rmem_max)
big=$((rmem_max + 1000000))
sed -i "s/lvs_netlink_monitor_rcv_bufs 150000/lvs_netlink_monitor_rcv_bufs $big\n    lvs_netlink_monitor_rcv_bufs_force/" "$T/vigil.conf"
kill -HUP "$VPID"
wait_for 100 log_has "reloaded configuration generation 2" || fail "the reload did not reach the children"
rb_is() { [ "$(rcvbufs)" = "$1" ]; }
wait_for 50 rb_is $((big * 2)) ||
    fail "lvs_netlink_monitor_rcv_bufs $big with _force after a reload: $(rcvbufs), not $((big * 2))"
pass "lvs_netlink_monitor_rcv_bufs: the address events' socket of the checker child at 150000 (rb 300000), after a reload at net.core.rmem_max + 1000000 with _force"

ip -n "$NS" addr add 10.77.0.100/32 dev veth0
wait_for 100 log_has "virtual server \[10.77.0.100\]:tcp:80: its address is on this host: checks resumed" ||
    fail "checks not resumed when the address arrived"
wait_for 100 sh -c "[ \$(cat $T/8080.count | wc -l) -ge 2 ]" || fail "no check after the address arrived"
pass "ha_suspend: checks run once the address is here"

ip -n "$NS" addr del 10.77.0.100/32 dev veth0
wait_for 100 sh -c "[ \$(grep -c 'checks suspended (ha_suspend)' '$LOG') -ge 2 ]" ||
    fail "checks not suspended again when the address left"
sleep 0.5	# a probe already in flight may still land
: >"$T/8080.count"
: >"$T/8081.count"
wait_for 200 sh -c "[ \$(cat $T/8081.count | wc -l) -ge 3 ]" || fail "the clock virtual server was not checked"
[ "$(count 8080)" = 0 ] || fail "checked $(count 8080) times after the address left"
pass "ha_suspend: checks stop again when the address leaves"
stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
done_testing
