#!/bin/sh
# A route's encap (ip, ip6, mpls lightweight tunnels) and realms in a
# nexthop clause, a rule's realms: static_routes and static_rules as
# ip route show / ip rule show print them (keepalived 2.2.7's syntax).
# encap mpls needs the kernel's mpls_iptunnel: without it, the refusal is
# logged naming the route, and the other routes are there.
. "$(dirname "$0")/lib.sh"

ip -n "$NS" addr add 10.0.0.1/24 dev veth0
ip -n "$NS" addr add 2001:db8::1/64 dev veth0 nodad
cat >"$T/enc.conf" <<'CONF'
static_routes {
    10.9.0.0/24 dev veth0 encap ip id 5 dst 10.0.0.2 ttl 7
    2001:db8:9::/64 dev veth0 encap ip6 id 6 dst 2001:db8::2 hoplimit 9
    10.7.0.0/24 nexthop via 10.0.0.2 dev veth0 realms 2 nexthop via 10.0.0.3 dev veth0
    10.6.0.0/24 via 10.0.0.2 dev veth0 realms 5/6
    10.8.0.0/24 via 10.0.0.2 dev veth0 encap mpls 100/200
}
static_rules {
    from 10.5.0.0/16 table 5 realms 3/4
}
CONF
start_vigild "$T/enc.conf"
log_has "not supported yet" && fail "a warning: $(grep 'not supported yet' "$LOG")"
routes() { ip -n "$NS" route show; ip -n "$NS" -6 route show; }
wait_for 50 sh -c "ip -n $NS route show 10.9.0.0/24 | grep -q 'encap ip id 5 .*dst 10.0.0.2 ttl 7'" ||
    fail "no encap ip route: $(routes)"
wait_for 50 sh -c "ip -n $NS -6 route show 2001:db8:9::/64 | grep -q 'encap ip6 id 6 .*dst 2001:db8::2 hoplimit 9'" ||
    fail "no encap ip6 route: $(routes)"
pass "encap ip (id, dst, ttl) and encap ip6 (id, dst, hoplimit) routes as ip route show prints them"

ip -n "$NS" route show 10.7.0.0/24 | grep -q 'nexthop via 10.0.0.2 realm 2 dev veth0' ||
    fail "the nexthop clause's realms: $(ip -n "$NS" route show 10.7.0.0/24)"
ip -n "$NS" route show 10.7.0.0/24 | grep 'nexthop via 10.0.0.3' | grep -q realm &&
    fail "realms on the other nexthop: $(ip -n "$NS" route show 10.7.0.0/24)"
ip -n "$NS" route show 10.6.0.0/24 | grep -q 'realms 5/6' || fail "the route's realms: $(ip -n "$NS" route show 10.6.0.0/24)"
wait_for 50 sh -c "ip -n $NS rule show | grep -q 'from 10.5.0.0/16 lookup 5 realms 3/4'" ||
    fail "the rule's realms: $(ip -n "$NS" rule show)"
pass "realms: on one nexthop of a multipath route, on a route, on a rule (realms 3/4)"

if ip -n "$NS" route show 10.8.0.0/24 | grep -q 'encap mpls 100/200'; then
	pass "encap mpls 100/200 route"
else
	wait_for 50 log_has "enc.conf:6: adding route 10.8.0.0/24: " ||
	    fail "encap mpls: neither the route nor its refusal: $(grep 10.8.0.0 "$LOG")"
	echo "# SKIP encap mpls: this kernel refuses it ($(grep 'adding route 10.8.0.0/24' "$LOG" | sed 's/.*: //'); mpls_iptunnel not loaded)"
fi

stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
ip -n "$NS" route show | grep -q '10.9.0.0/24' && fail "the encap route stayed after the stop"
ip -n "$NS" rule show | grep -q 'realms 3/4' && fail "the rule stayed after the stop"
pass "stopped: the routes and the rule removed"
done_testing
