#!/bin/sh
# The tracking lines of a vrrp_sync_group act on every member, as
# keepalived 2.2.7 adds them to each (sync_group_tracking_init): a
# weight-0 track_file or track_interface that goes down puts all members
# in FAULT and back; a weighted track_file moves each member's priority.
# A member's own weighted lines move nothing unless the group says
# sync_group_tracking_weight (vigild -t says so at file:line). With an
# address owner (priority 255) among the members, the group's weights are
# cleared, as keepalived does. The group's weighted track_interface on
# the link of a member's VIP counts as weight 0 for that member (its
# weight 0 wins, as keepalived keeps one entry per link and instance):
# the link down puts the group in FAULT, that member's priority unmoved,
# the other member's moved.
# One vigild in a namespace of its own; outcome and order from its log and
# `ip addr`, never from times.
. "$(dirname "$0")/lib.sh"

in_ns ip link add trk0 type veth peer name trk1 || fail "cannot make trk0"
in_ns ip link set trk1 up
in_ns ip link set trk0 up
in_ns ip link add trk2 type veth peer name trk3 || fail "cannot make trk2"
in_ns ip link set trk3 up
in_ns ip link set trk2 up
echo 0 >"$T/fault"
echo 0 >"$T/prio"

conf() { # FILE PRIORITY-OF-VI_B [sync_group_tracking_weight]
	cat >"$1" <<EOC
global_defs {
    router_id synctrack
    vrrp_version 3
}
vrrp_track_file tf_fault {
    file "$T/fault"
    weight 0
}
vrrp_track_file tf_prio {
    file "$T/prio"
}
vrrp_instance VI_A {
    state BACKUP
    interface veth0
    virtual_router_id 61
    priority 100
    advert_int 0.1
    virtual_ipaddress {
        10.61.0.1/24
        10.63.0.1/24 dev trk2
    }
    track_file {
        tf_prio weight 3
    }
}
vrrp_instance VI_B {
    state BACKUP
    interface veth0
    virtual_router_id 62
    priority $2
    advert_int 0.1
    virtual_ipaddress {
        10.62.0.1/24
    }
}
vrrp_sync_group G {
    group {
        VI_A
        VI_B
    }
    track_file {
        tf_fault
        tf_prio weight 10
    }
    track_interface {
        trk0
        trk2 weight -20
    }
    ${3:-}
}
EOC
}

# the state an instance entered last ("(VI_A) Entering MASTER STATE")
state_of() {
	grep -o "($1) Entering [A-Z]* STATE" "$LOG" 2>/dev/null | tail -1 |
	    awk '{print $3}'
}
has_vip() { in_ns ip -o -4 addr show dev veth0 | grep -q " $1/"; }
both() { # STATE: both members in it, with their VIPs if MASTER
	[ "$(state_of VI_A)" = "$1" ] && [ "$(state_of VI_B)" = "$1" ] || return 1
	if [ "$1" = MASTER ]; then
		has_vip 10.61.0.1 && has_vip 10.62.0.1
	else
		! has_vip 10.61.0.1 && ! has_vip 10.62.0.1
	fi
}

conf "$T/vigil.conf" 150
start_vigild "$T/vigil.conf"
wait_for 100 both MASTER || fail "the sync group's members did not become MASTER"
pass "both members of the sync group MASTER"

echo 1 >"$T/fault"
wait_for 100 both FAULT || fail "a weight-0 track_file of the group did not put its members in FAULT (VI_A: $(state_of VI_A), VI_B: $(state_of VI_B))"
log_has "VI_A: MASTER -> FAULT: sync group G: track_file tf_fault has value 1" ||
    fail "VI_A's FAULT does not name the group's track_file"
log_has "VI_B: MASTER -> FAULT: sync group G: track_file tf_fault has value 1" ||
    fail "VI_B's FAULT does not name the group's track_file"
echo 0 >"$T/fault"
wait_for 100 both MASTER || fail "the members did not leave FAULT when the group's track_file cleared"
pass "the group's weight-0 track_file puts every member in FAULT and back"

in_ns ip link set trk0 down
wait_for 100 both FAULT || fail "the group's track_interface going down did not put its members in FAULT"
log_has "VI_B: MASTER -> FAULT: sync group G: interface trk0 is down" ||
    fail "VI_B's FAULT does not name the group's track_interface"
in_ns ip link set trk0 up
wait_for 100 both MASTER || fail "the members did not leave FAULT when trk0 came back"
pass "the group's track_interface puts every member in FAULT and back"

in_ns ip link set trk2 down
wait_for 100 both FAULT || fail "trk2, VI_A's VIP's link, going down did not put the group in FAULT"
log_has "VI_A: MASTER -> FAULT: interface trk2 of VIP 10.63.0.1 is down" ||
    fail "VI_A's FAULT does not name its VIP's link"
wait_for 100 log_has "VI_B: priority 150 -> 130 (tracking -20)" ||
    fail "the group's weighted trk2 did not move VI_B's priority"
in_ns ip link set trk2 up
wait_for 100 both MASTER || fail "the members did not leave FAULT when trk2 came back"
wait_for 100 log_has "VI_B: priority 130 -> 150 (tracking +0)" ||
    fail "VI_B's priority did not come back with trk2"
log_has "VI_A: priority" && fail "the group's weight on trk2 moved VI_A's priority: $(grep "VI_A: priority" "$LOG")"
pass "the group's weighted track_interface on VI_A's VIP's link: FAULT, VI_A's priority unmoved (weight 0 wins), VI_B's moved"

echo 2 >"$T/prio"
wait_for 100 log_has "VI_A: priority 100 -> 120 (tracking +20)" ||
    fail "the group's weighted track_file did not move VI_A's priority"
wait_for 100 log_has "VI_B: priority 150 -> 170 (tracking +20)" ||
    fail "the group's weighted track_file did not move VI_B's priority"
both MASTER || fail "a priority move took the members out of MASTER"
pass "the group's weighted track_file moves each member's priority (+20), VI_A's own weighted line nothing"

conf "$T/vigil.conf" 150 sync_group_tracking_weight
kill -HUP "$VPID"
wait_for 100 log_has "VI_A: priority 120 -> 126 (tracking +26)" ||
    fail "with sync_group_tracking_weight, VI_A's own weighted track_file did not move its priority"
pass "with sync_group_tracking_weight, a member's own weighted line moves its priority (+6)"
stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"

# what vigild -t says of it, at the lines
in_ns "$VIGILD" -t -f "$T/vigil.conf" >"$T/t.out" 2>&1
grep -q "not tracked: a member of sync group" "$T/t.out" &&
    fail "vigild -t warns of a member's weight that sync_group_tracking_weight allows"
conf "$T/plain.conf" 150
in_ns "$VIGILD" -t -f "$T/plain.conf" >"$T/t.out" 2>&1
_l=$(grep -n "tf_prio weight 3" "$T/plain.conf" | cut -d: -f1)
grep -q "plain.conf:$_l: warning: VI_A: track_file tf_prio with weight 3 not tracked: a member of sync group G (no sync_group_tracking_weight)" "$T/t.out" ||
    fail "vigild -t does not say VI_A's weighted line is not tracked: $(cat "$T/t.out")"
_l=$(grep -n "trk2 weight -20" "$T/plain.conf" | cut -d: -f1)
grep -q "plain.conf:$_l: warning: vrrp_sync_group G: track_interface trk2: weight -20 counts as 0 for member VI_A (FAULT while down, its priority unmoved): VIP 10.63.0.1 is on it, tracked with weight 0" "$T/t.out" ||
    fail "vigild -t does not say the group's weight on trk2 counts as 0 for VI_A: $(cat "$T/t.out")"
grep -q "counts as 0 for member VI_B" "$T/t.out" &&
    fail "vigild -t says the group's weight counts as 0 for VI_B: $(cat "$T/t.out")"
# an address owner among the members: the group's weights are cleared
conf "$T/owner.conf" 255
in_ns "$VIGILD" -t -f "$T/owner.conf" >"$T/t.out" 2>&1
grep -q "owner.conf:[0-9]*: warning: vrrp_sync_group G: track_file tf_prio: weight 10 cleared (FAULT while down): member VI_B has priority 255" "$T/t.out" ||
    fail "vigild -t does not say the group's weight is cleared: $(cat "$T/t.out")"
pass "vigild -t says at the line what a member's or an owner's weights come to"
done_testing
