#!/bin/sh
# Links followed by name, as keepalived 2.2.7 tracks them: a link renamed
# (ip link set X name Y) is gone under its old name and arrives under the
# new one. A weighted track_interface renamed away lowers the priority by
# its weight, one renamed to the tracked name brings it back (keepalived
# 2.2.7 moves it the wrong way there: up at the loss, up again at the
# return); an instance whose VIP's interface or own interface is renamed
# goes to FAULT, its VIPs off the renamed link, its VMAC deleted, and is
# MASTER again on the link that takes the name, VIPs and VMAC back.
# A weighted track_interface on a link a VIP is on: the VIP's weight 0
# wins, as keepalived's: FAULT, and the priority does not move.
# One vigild in the test's namespace; order and outcome from its log and
# `ip`, never from times.
. "$(dirname "$0")/lib.sh"

for p in lan trk tru vt lk; do
	in_ns ip link add ${p}0 type veth peer name ${p}1 || fail "cannot make ${p}0"
	in_ns ip link set ${p}1 up
	in_ns ip link set ${p}0 up
done
in_ns ip addr add 10.70.0.1/24 dev lan0
in_ns ip addr add 10.72.0.1/24 dev lk0

cat >"$T/vigil.conf" <<EOF
global_defs {
    router_id rename
}
vrrp_instance VI_A {
    state BACKUP
    interface lan0
    virtual_router_id 51
    priority 100
    advert_int 1
    track_interface {
        trk0 weight -20
    }
    virtual_ipaddress {
        10.70.0.10/24
    }
}
vrrp_instance VI_B {
    state BACKUP
    interface lan0
    virtual_router_id 52
    priority 100
    advert_int 1
    track_interface {
        vt0 weight -20
    }
    virtual_ipaddress {
        10.70.0.11/24
        10.71.0.11/24 dev vt0
    }
}
vrrp_instance VI_C {
    state BACKUP
    interface lk0
    virtual_router_id 53
    priority 100
    advert_int 1
    use_vmac
    virtual_ipaddress {
        10.72.0.10/24
    }
}
EOF

# the state an instance entered last ("(VI_A) Entering MASTER STATE")
state_of() {
	grep -o "($1) Entering [A-Z]* STATE" "$LOG" 2>/dev/null | tail -1 |
	    awk '{print $3}'
}
is() { [ "$(state_of "$1")" = "$2" ]; }
vip_on() { in_ns ip -o -4 addr show dev "$1" 2>/dev/null | grep -q " $2/"; }
link_on() { # LINK LOWER: LINK exists on LOWER
	in_ns ip -o link show "$1" 2>/dev/null | grep -q "$1@$2:"
}

# --- weight 0 wins ------------------------------------------------------------
in_ns "$VIGILD" -t -f "$T/vigil.conf" >"$T/t.out" 2>&1
l=$(grep -n "vt0 weight -20" "$T/vigil.conf" | cut -d: -f1)
grep -q "vigil.conf:$l: warning: VI_B: track_interface vt0: weight -20 ignored (FAULT while down): VIP 10.71.0.11 is on it, tracked with weight 0" "$T/t.out" ||
    fail "vigild -t does not say VI_B's weight on vt0 is ignored: $(cat "$T/t.out")"
grep -q "VI_A: track_interface trk0" "$T/t.out" && fail "vigild -t warns of VI_A's weight on trk0: $(cat "$T/t.out")"

start_vigild "$T/vigil.conf"
for i in VI_A VI_B VI_C; do
	wait_for 100 is $i MASTER || fail "$i did not become MASTER"
done
wait_for 50 vip_on vt0 10.71.0.11 || fail "VI_B's VIP is not on vt0"
link_on vrrp.53 lk0 || fail "VI_C has no VMAC vrrp.53 on lk0"
in_ns ip link set vt0 down
wait_for 50 is VI_B FAULT || fail "VI_B stayed $(state_of VI_B) with vt0 down"
in_ns ip link set vt0 up
wait_for 100 is VI_B MASTER || fail "VI_B did not come back with vt0 up"
log_has "VI_B: priority" && fail "VI_B's priority moved as well: $(grep "VI_B: priority" "$LOG")"
pass "a weighted track_interface on a VIP's link: FAULT while down, the priority unmoved (weight 0 wins)"

# --- a tracked link renamed away, another renamed to its name -----------------
in_ns ip link set trk0 name trkx
wait_for 50 log_has "VI_A: priority 100 -> 80 (tracking -20)" ||
    fail "VI_A's priority did not drop with trk0 renamed trkx"
in_ns ip link set tru0 name trk0
wait_for 50 log_has "VI_A: priority 80 -> 100 (tracking +0)" ||
    fail "VI_A's priority did not come back with tru0 renamed trk0"
in_ns ip link set trk0 down
wait_for 50 sh -c "[ \$(grep -c 'VI_A: priority 100 -> 80' '$LOG') -eq 2 ]" ||
    fail "VI_A does not follow the link now named trk0 going down"
in_ns ip link set trk0 up
wait_for 50 sh -c "[ \$(grep -c 'VI_A: priority 80 -> 100' '$LOG') -eq 2 ]" ||
    fail "VI_A does not follow the link now named trk0 coming up"
in_ns ip link set trkx down
in_ns ip link set trkx up
[ "$(grep -c 'VI_A: priority 100 -> 80' "$LOG")" -eq 2 ] ||
    fail "VI_A still follows the link renamed away (trkx)"
is VI_A MASTER || fail "VI_A left MASTER ($(state_of VI_A))"
pass "track_interface by name: renamed away lowers the priority, a link renamed to the name raises it and is followed"

# --- a VIP's interface renamed -------------------------------------------------
in_ns ip link set vt0 name vt9
wait_for 50 is VI_B FAULT || fail "VI_B stayed $(state_of VI_B) with vt0 renamed vt9"
wait_for 50 sh -c "! ip netns exec $NS ip -o -4 addr show dev vt9 | grep -q ' 10.71.0.11/'" ||
    fail "VI_B's VIP stayed on the renamed vt9"
vip_on lan0 10.70.0.11 && fail "VI_B's VIP on lan0 stayed in FAULT"
in_ns ip link set vt9 name vt0
wait_for 100 is VI_B MASTER || fail "VI_B did not come back with vt9 renamed vt0"
wait_for 50 vip_on vt0 10.71.0.11 || fail "VI_B's VIP is not on vt0 again"
pass "a VIP's interface renamed: FAULT, the VIP off the renamed link; renamed back: MASTER, the VIP back"

# --- the instance's interface renamed (use_vmac) ---------------------------------
in_ns ip link set lk0 name lk9
wait_for 50 is VI_C FAULT || fail "VI_C stayed $(state_of VI_C) with lk0 renamed lk9"
wait_for 50 sh -c "! ip netns exec $NS ip link show vrrp.53 >/dev/null 2>&1" ||
    fail "VI_C's VMAC stayed on the renamed lk9"
log_has "VI_C: interface lk0 is down" || fail "VI_C's FAULT is not logged"
in_ns ip link set lk9 name lk0
wait_for 100 is VI_C MASTER || fail "VI_C did not come back with lk9 renamed lk0"
wait_for 50 link_on vrrp.53 lk0 || fail "VI_C's VMAC is not made again on lk0"
wait_for 50 vip_on vrrp.53 10.72.0.10 || fail "VI_C's VIP is not on its VMAC again"
pass "the instance's interface renamed: FAULT, its VMAC deleted; renamed back: MASTER on a new VMAC with its VIP"

# --- its VMAC renamed ----------------------------------------------------------
in_ns ip link set vrrp.53 name vmx
wait_for 100 link_on vrrp.53 lk0 || fail "VI_C's VMAC is not made again after its rename"
wait_for 50 vip_on vrrp.53 10.72.0.10 || fail "VI_C's VIP is not on its new VMAC"
in_ns ip link show vmx >/dev/null 2>&1 && fail "the renamed VMAC vmx is still there"
pass "the VMAC renamed: deleted and made again under its name"

stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
done_testing
