#!/bin/sh
# lvs_sync_daemon without IPVS in the way: vigild -t names an unknown
# instance and a missing interface at file:line; at run time the VRRP
# child says once that the kernel has no IPVS (or, where it has, starts
# the backup daemon and switches to master), and VRRP goes on: the
# instance becomes MASTER and vigild stops cleanly. The daemon itself,
# with two directors and connections through a failover, is tested under
# User-Mode Linux (tests/kernel/ipvs_sync.sh).
. "$(dirname "$0")/lib.sh"

CONF="$T/vigil.conf"
conf() {	# conf SYNC_ARGS
	cat <<CONF
global_defs {
    lvs_sync_daemon $1
}
vrrp_instance VI_1 {
    interface veth0
    virtual_router_id 51
    priority 200
    advert_int 1
    virtual_ipaddress {
        10.10.0.100/24
    }
}
CONF
}

conf "veth1 VI_7" >"$CONF"
in_ns "$VIGILD" -t -f "$CONF" >"$T/out" 2>&1 && fail "-t accepted an unknown instance"
grep -q "vigil.conf:2: error: lvs_sync_daemon: unknown vrrp_instance 'VI_7'" "$T/out" ||
    fail "-t: $(cat "$T/out")"
conf "vgnosuch9 VI_1" >"$CONF"
in_ns "$VIGILD" -t -f "$CONF" >"$T/out" 2>&1 && fail "-t accepted a missing interface"
grep -q "vigil.conf:2: error: host: interface vgnosuch9 for lvs_sync_daemon does not exist" "$T/out" ||
    fail "-t: $(cat "$T/out")"
pass "-t names an unknown instance and a missing interface at file:line"

conf "veth1 VI_1 id 9" >"$CONF"
in_ns "$VIGILD" -t -f "$CONF" >"$T/out" 2>&1 || fail "-t refused: $(cat "$T/out")"
grep -q "not supported" "$T/out" && fail "-t still says not supported: $(cat "$T/out")"
start_vigild "$CONF" -P
wait_for 100 log_has "VI_1: BACKUP -> MASTER" || fail "VI_1 did not become MASTER"
if in_ns test -e /proc/net/ip_vs; then
	wait_for 50 log_has "lvs_sync_daemon: VI_1 is MASTER: master sync daemon started (on veth1, syncid 9)" ||
	    fail "no master sync daemon"
	log_has "lvs_sync_daemon: VI_1 is INIT: backup sync daemon started (on veth1, syncid 9)" ||
	    fail "no backup sync daemon at start"
	pass "the sync daemon starts as backup and turns master with VI_1"
else
	wait_for 50 log_has "lvs_sync_daemon: the kernel has no IPVS (is the ip_vs module loaded?): no connection sync daemon for VI_1" ||
	    fail "no IPVS was not said"
	[ "$(grep -c 'kernel has no IPVS' "$LOG")" = 1 ] || fail "no IPVS said more than once"
	pass "without IPVS the VRRP child says so once and VRRP goes on (VI_1 MASTER)"
fi
stop_vigild
[ "$VSTATUS" = 0 ] || fail "vigild exited $VSTATUS"
pass "vigild stops cleanly"
done_testing
