#!/bin/sh
# ha_suspend: a virtual server whose address is not on this host is not
# checked; when the address arrives its checks run, when it leaves they
# stop again (rtnetlink address events). Probes are counted at the
# listeners; a virtual server without ha_suspend is the clock.
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
