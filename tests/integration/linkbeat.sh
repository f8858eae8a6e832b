#!/bin/sh
# linkbeat_interfaces, and linkbeat_use_polling at the top level: the
# link's state comes from polling it (ETHTOOL_GLINK on a veth, every
# second) instead of from its netlink events, as keepalived's linkbeat:
# the peer of veth0 going down takes VI_1 to FAULT on the poll's word
# ("linkbeat: veth0 down (ETHTOOL)", no netlink "no carrier" line), back
# to MASTER when it returns. A reload without them: netlink again.
. "$(dirname "$0")/lib.sh"

conf() {	# conf TOP_LEVEL_LINES
	cat <<CONF
$1
vrrp_instance VI_1 {
    interface veth0
    virtual_router_id 71
    priority 100
    advert_int 1
    virtual_ipaddress {
        10.71.0.1/32 dev veth0
    }
}
CONF
}
nlines() { grep -c -- "$1" "$LOG"; }
# down_up TAG: the peer down, VI_1 FAULT, the peer up, VI_1 MASTER again;
# each waits on the count of its log line
down_up() {
	_f=$(nlines "VI_1: MASTER -> FAULT") _m=$(nlines "(VI_1) Entering MASTER STATE")
	ip -n "$NS" link set veth1 down
	wait_for 100 sh -c "[ \$(grep -c 'VI_1: MASTER -> FAULT' '$LOG') -gt $_f ]" ||
	    fail "$1: VI_1 not in FAULT after veth1 went down"
	ip -n "$NS" link set veth1 up
	wait_for 100 sh -c "[ \$(grep -c '(VI_1) Entering MASTER STATE' '$LOG') -gt $_m ]" ||
	    fail "$1: VI_1 not MASTER again after veth1 came back"
}

conf "linkbeat_interfaces {
    veth0
}" >"$T/lb.conf"
start_vigild "$T/lb.conf"
wait_for 100 log_has "(VI_1) Entering MASTER STATE" || fail "VI_1 did not become MASTER"
log_has "linkbeat: polling 1 interface(s) every second" || fail "no polling announced"
log_has "not supported yet" && fail "a warning: $(grep 'not supported yet' "$LOG")"
down_up linkbeat_interfaces
log_has "linkbeat: veth0 down (ETHTOOL)" || fail "the poll did not see veth0 down: $(grep -i 'veth0' "$LOG" | tail -5)"
log_has "linkbeat: veth0 up (ETHTOOL)" || fail "the poll did not see veth0 up"
log_has "interface veth0: down (no carrier)" &&
    fail "netlink's carrier event was acted on for a polled link"
# the poll's line comes before the transition it causes
awk '/linkbeat: veth0 down \(ETHTOOL\)/ { d = NR } /VI_1: MASTER -> FAULT/ && d && !f { f = NR } END { exit !(d && f > d) }' "$LOG" ||
    fail "VI_1 went to FAULT before the poll saw veth0 down"
pass "linkbeat_interfaces { veth0 }: veth1 down and up seen by ETHTOOL_GLINK polling, VI_1 FAULT then MASTER on it, netlink's carrier events not acted on"

conf "linkbeat_use_polling" >"$T/lb.conf"
kill -HUP "$VPID"
wait_for 100 log_has "reloaded configuration generation 2" || fail "reload 2"
n0=$(nlines "linkbeat: veth0 down (ETHTOOL)")
down_up linkbeat_use_polling
[ "$(nlines "linkbeat: veth0 down (ETHTOOL)")" -gt "$n0" ] || fail "linkbeat_use_polling: veth0 not polled"
log_has "interface veth0: down (no carrier)" && fail "linkbeat_use_polling: netlink's carrier event acted on"
pass "linkbeat_use_polling (top level): the instance's interface polled the same way"

conf "" >"$T/lb.conf"
kill -HUP "$VPID"
wait_for 100 log_has "reloaded configuration generation 3" || fail "reload 3"
n0=$(nlines "linkbeat: veth0 down")
down_up "no linkbeat"
log_has "interface veth0: down (no carrier)" || fail "without linkbeat: netlink's carrier event not seen"
[ "$(nlines "linkbeat: veth0 down")" -eq "$n0" ] || fail "without linkbeat: still polled"
pass "a reload without linkbeat: netlink's events again"

stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
done_testing
