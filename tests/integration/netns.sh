#!/bin/sh
# net_namespace NAME: vigild, started in this machine's namespace, enters
# /run/netns/NAME (the test's namespace, made with ip netns add) before it
# opens a socket or starts a child, as keepalived runs all its processes
# there: the parent and both children are in it, the instance becomes
# MASTER there and its VIP is added there, not here; the metrics listener
# is in it; the pid files, with instance, go to /run/vigil/NAME/
# (keepalived's /run/keepalived/NAME/), the control socket beside them,
# reachable from here; all of it gone after the stop. A reload naming
# another namespace is logged and changes nothing.
. "$(dirname "$0")/lib.sh"

IF=nsv$$
IF=$(printf '%.12s' "$IF")
ip -n "$NS" link add "$IF" type veth peer name "${IF}p"
ip -n "$NS" link set "$IF" up
ip -n "$NS" link set "${IF}p" up
ip link show "$IF" >/dev/null 2>&1 && { echo "SKIP: $IF exists in this namespace"; exit 77; }
I=ns$$
D=/run/vigil/$NS
had_run_vigil=0
[ -d /run/vigil ] && had_run_vigil=1
PORT=$((20000 + $$ % 20000))
# vigild runs outside the test's namespace: also on failure, it goes, and
# its pid directory
trap 'kill -9 "${VPID:-}" 2>/dev/null; cleanup; rm -rf "$D"; [ $had_run_vigil = 1 ] || rmdir /run/vigil 2>/dev/null' EXIT

conf() {	# conf NETNS
	cat <<CONF
net_namespace $1
instance $I
global_defs {
    router_id netns
    metrics_listen 127.0.0.1:$PORT
}
vrrp_instance VI_1 {
    interface $IF
    virtual_router_id 61
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.0.2.61/32 dev $IF
    }
}
virtual_server 192.0.2.61 80 {
    delay_loop 5
    lb_kind NAT
    protocol TCP
    real_server 192.0.2.62 80 {
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
CONF
}
conf "$NS" >"$T/ns.conf"

# started here, not under ip netns exec, without pid file options
"$VIGILD" -n -l -G -f "$T/ns.conf" >>"$LOG" 2>&1 &
VPID=$!
PIDF=$D/vigild_$I.pid VRRP_PIDF=$D/vigild-vrrp_$I.pid CHECK_PIDF=$D/vigild-checkers_$I.pid
wait_for 50 sh -c "[ \"\$(cat '$PIDF' 2>/dev/null)\" = $VPID ]" ||
    fail "no $PIDF holding $VPID: $(ls -la "$D" 2>&1)"
wait_for 50 test -s "$VRRP_PIDF" || fail "no $VRRP_PIDF"
wait_for 50 test -s "$CHECK_PIDF" || fail "no $CHECK_PIDF"
[ -S "$D/vigild_$I.ctl" ] || fail "no control socket $D/vigild_$I.ctl"
log_has "net_namespace $NS: vigild and its children run in network namespace /run/netns/$NS" ||
    fail "entering the namespace is not logged"
log_has "not supported yet" && fail "a warning: $(grep 'not supported yet' "$LOG")"
pass "net_namespace with instance: pid files $D/vigild_$I.pid, vigild-vrrp_$I.pid, vigild-checkers_$I.pid and the control socket there"

netns_of() { stat -L -c %i "/proc/$1/ns/net"; }
want=$(stat -L -c %i "/run/netns/$NS")
here=$(netns_of $$)
[ "$want" != "$here" ] || fail "the test's namespace is this one"
vrrp=$(cat "$VRRP_PIDF") chk=$(cat "$CHECK_PIDF")
for p in "$VPID" "$vrrp" "$chk"; do
	[ "$(netns_of "$p")" = "$want" ] ||
	    fail "process $p ($(cat /proc/$p/comm)) is in network namespace $(netns_of "$p"), not $NS's $want"
done
pass "the parent ($VPID), the VRRP child ($vrrp) and the checker child ($chk) run in $NS, started from this namespace"

wait_for 100 log_has "(VI_1) Entering MASTER STATE" || fail "VI_1 did not become MASTER"
wait_for 50 sh -c "ip -n $NS -4 addr show dev $IF | grep -q '192.0.2.61/32'" ||
    fail "the VIP is not on $IF in $NS: $(ip -n "$NS" -4 addr show dev "$IF")"
ip -4 addr show | grep -q '192.0.2.61/' && fail "the VIP is in this namespace: $(ip -4 addr show | grep 192.0.2.61)"
pass "VI_1 MASTER, its VIP 192.0.2.61 on $IF in $NS and not in this namespace"

# the metrics listener answers in the namespace, not here
ip netns exec "$NS" ss -ltn | grep -q "127.0.0.1:$PORT " ||
    fail "no metrics listener on 127.0.0.1:$PORT in $NS: $(ip netns exec "$NS" ss -ltn)"
ss -ltn | grep -q "127.0.0.1:$PORT " && fail "a listener on 127.0.0.1:$PORT in this namespace"
# the control socket is a file: reachable from this namespace
"$(dirname "$VIGILD")/vigilctl" -s "$D/vigild_$I.ctl" ping >"$T/ping.out" 2>&1 ||
    fail "vigilctl ping from this namespace: $(cat "$T/ping.out")"
pass "the metrics listener is in $NS (127.0.0.1:$PORT), the control socket answers vigilctl from this namespace"

conf "${NS}x" >"$T/ns.conf"
kill -HUP "$VPID"
wait_for 100 log_has "net_namespace cannot change at a reload ($NS -> ${NS}x)" ||
    fail "a reload to another net_namespace is not logged"
wait_for 100 log_has "reloaded configuration generation 2" || fail "the reload did not reach the children"
[ "$(netns_of "$VPID")" = "$want" ] && [ "$(netns_of "$vrrp")" = "$want" ] ||
    fail "a reload moved a process"
ip -n "$NS" -4 addr show dev "$IF" | grep -q '192.0.2.61/32' || fail "the VIP left $IF after the reload"
pass "a reload naming another net_namespace is logged; vigild and its children stay in $NS"

kill -TERM "$VPID"
wait_for 100 dead "$VPID" || fail "vigild did not stop within 10 s"
wait "$VPID" 2>/dev/null
VSTATUS=$?
check_sanitizers
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
ip -n "$NS" -4 addr show dev "$IF" | grep -q '192.0.2.61/' && fail "the VIP stayed after the stop"
[ -d "$D" ] && fail "$D left behind: $(ls -la "$D")"
[ $had_run_vigil = 1 ] || [ ! -d /run/vigil ] || fail "/run/vigil left behind"
pass "stopped: the VIP released, $D and its files removed"
done_testing
