#!/bin/sh
# vigilctl vrrp force-backup / release between two vigild directors
# (dir1 priority 150, dir2 100): the master hands its VIP over at once
# (priority 0) and stays BACKUP, through a respawn of its VRRP child (the
# parent hands the override back) and a reload, until released, when it
# preempts again; set-priority is kept across a respawn and dropped by a
# reload that changes the instance; a sync group member takes its group
# along; alone, the command warns that no master remains. Outcomes come
# from vigilctl, the logs and `ip addr`, never from times.
. "$(dirname "$0")/../topo.sh"

VIGILCTL=${VIGILCTL:-$top_builddir/daemon/vigilctl}

topo_bridge lan
topo_node dir1 10.30.0.1/24
topo_node dir2 10.30.0.2/24

# conf NODE PRIORITY
conf() {
	cat >"$T/$1/vigil.conf" <<EOF
global_defs {
    router_id $1
    control_socket $T/$1/ctl
}
vrrp_sync_group G1 {
    group {
        VI_2
        VI_3
    }
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 71
    priority $2
    advert_int 1
    virtual_ipaddress {
        10.30.0.100/24 dev eth0
    }
}
vrrp_instance VI_2 {
    state BACKUP
    interface eth0
    virtual_router_id 72
    priority $2
    advert_int 1
    virtual_ipaddress {
        10.30.0.110/24 dev eth0
    }
}
vrrp_instance VI_3 {
    state BACKUP
    interface eth0
    virtual_router_id 73
    priority $2
    advert_int 1
    virtual_ipaddress {
        10.30.0.111/24 dev eth0
    }
}
EOF
}

ctl() { _n=$1; shift; ip netns exec "$(node_ns "$_n")" "$VIGILCTL" -s "$T/$_n/ctl" "$@"; }
# holds NODE OTHER INSTANCE VIP: NODE MASTER with the VIP, OTHER BACKUP without
holds() { is "$1" "$3" MASTER && is "$2" "$3" BACKUP && has "$1" "$4" && ! has "$2" "$4"; }
all_on() {
	holds "$1" "$2" VI_1 10.30.0.100 && holds "$1" "$2" VI_2 10.30.0.110 &&
	    holds "$1" "$2" VI_3 10.30.0.111
}
# for N seconds (checked every 0.2 s), CMD stays true
stays() {
	_end=$(($(date +%s) + $1)); shift
	while [ "$(date +%s)" -lt $_end ]; do
		"$@" || return 1
		sleep 0.2
	done
}

conf dir1 150
conf dir2 100
start_vigild_on dir1 "$T/dir1/vigil.conf"
start_vigild_on dir2 "$T/dir2/vigil.conf"
wait_for 200 all_on dir1 dir2 || fail "dir1 is not MASTER of every instance"
wait_for 50 test -S "$T/dir1/ctl" || fail "dir1 has no control socket"
pass "dir1 MASTER of VI_1 and of the sync group G1"

# --- force-backup -----------------------------------------------------------
out=$(ctl dir1 vrrp force-backup VI_1) || fail "force-backup VI_1 failed: $out"
case $out in *"priority 0 advert sent"*) ;; *) fail "force-backup said: $out" ;; esac
node_log_has dir1 "VI_1: MASTER -> BACKUP: forced to backup by vigilctl" ||
    fail "dir1 does not log the forced transition with its reason"
wait_for 50 holds dir2 dir1 VI_1 10.30.0.100 || fail "dir2 did not take VI_1's VIP"
node_log_has dir2 "VI_1: master 10.30.0.1 stopped (priority 0)" ||
    fail "dir2 took over without dir1's priority 0 advert"
holds dir1 dir2 VI_2 10.30.0.110 || fail "VI_2 (another instance) moved"
pass "force-backup: dir1 sends priority 0 and dir2 takes the VIP"

# dir1 (higher priority) would preempt at its next down timer: it must not
stays 6 holds dir2 dir1 VI_1 10.30.0.100 || fail "dir1 took VI_1 back while forced"
ctl dir1 status | grep "VI_1" | grep -q "forced-backup" ||
    fail "status does not show the override: $(ctl dir1 status)"
ctl dir1 -j show vrrp VI_1 | grep -q '"forced_backup": *true' ||
    fail "the JSON does not show forced_backup: $(ctl dir1 -j show vrrp VI_1)"
pass "dir1 stays BACKUP behind the lower priority master; status shows forced-backup"

# --- the override survives a respawn of the VRRP child and a reload --------------
vpid=$(pidof_file "$(node_pidfile dir1 vrrp)")
kill -KILL "$vpid"
wait_for 100 node_log_has dir1 "VI_1: forced to backup by vigilctl (kept by vigild across the restart)" ||
    fail "the respawned VRRP child did not get the override back"
wait_for 100 sh -c "[ \"\$(cat $(node_pidfile dir1 vrrp) 2>/dev/null)\" != $vpid ]" ||
    fail "the VRRP child was not respawned"
wait_for 150 holds dir1 dir2 VI_2 10.30.0.110 || fail "the respawned child lost G1"
stays 5 holds dir2 dir1 VI_1 10.30.0.100 || fail "dir1 took VI_1 back after the respawn"
kill -HUP "$(node_vpid dir1)"
wait_for 50 node_log_has dir1 "vrrp child: running configuration generation 2" ||
    fail "dir1 did not take generation 2"
stays 5 holds dir2 dir1 VI_1 10.30.0.100 || fail "dir1 took VI_1 back after a reload"
pass "the override survives a respawn of the VRRP child and a reload"

# --- a sync group member takes its group ---------------------------------------
out=$(ctl dir1 vrrp force-backup VI_2) || fail "force-backup VI_2 failed: $out"
case $out in *"sync group G1"*) ;; *) fail "force-backup VI_2 does not name its group: $out" ;; esac
wait_for 50 holds dir2 dir1 VI_2 10.30.0.110 || fail "dir2 did not take VI_2"
wait_for 50 holds dir2 dir1 VI_3 10.30.0.111 || fail "VI_3 did not follow VI_2 (sync group)"
stays 5 holds dir2 dir1 VI_3 10.30.0.111 || fail "dir1 took VI_3 back while its group is forced"
pass "force-backup of a sync group member moves the whole group"

# --- release: dir1 preempts again -----------------------------------------------
out=$(ctl dir1 vrrp release VI_1) || fail "release VI_1 failed: $out"
wait_for 100 holds dir1 dir2 VI_1 10.30.0.100 || fail "dir1 did not take VI_1 back after release"
out=$(ctl dir1 vrrp release VI_3) || fail "release VI_3 failed: $out"
wait_for 100 all_on dir1 dir2 || fail "dir1 did not take the group back after releasing VI_3"
ctl dir1 status | grep -q "forced-backup" && fail "status still shows an override: $(ctl dir1 status)"
pass "release: dir1 preempts and holds every VIP again"

# --- set-priority / set-preempt: kept across a respawn, dropped by a reload
# that changes the instance ----------------------------------------------------
out=$(ctl dir1 vrrp set-priority VI_1 50) || fail "set-priority failed: $out"
wait_for 100 holds dir2 dir1 VI_1 10.30.0.100 ||
    fail "dir2 (100) did not preempt dir1 set to priority 50"
ctl dir1 status | grep "VI_1" | grep -q "priority=50" ||
    fail "status does not show the runtime priority: $(ctl dir1 status)"
[ "$(ctl dir1 -j show vrrp VI_1 | jq '.vrrp_instances[0].override.priority')" = 50 ] ||
    fail "the JSON override has no priority: $(ctl dir1 -j show vrrp VI_1)"
vpid=$(pidof_file "$(node_pidfile dir1 vrrp)")
kill -KILL "$vpid"
wait_for 100 node_log_has dir1 "VI_1: base priority 150 -> 50 (runtime command, kept by vigild across the restart)" ||
    fail "the respawned VRRP child did not get the priority back"
wait_for 150 holds dir1 dir2 VI_2 10.30.0.110 || fail "the respawned child lost G1"
stays 5 holds dir2 dir1 VI_1 10.30.0.100 || fail "dir1 took VI_1 back after the respawn (priority 150 again?)"
pass "set-priority: dir2 takes over, and the respawned child keeps priority 50"
# a reload that leaves VI_1 as it is keeps the runtime priority
gen_before=$(grep -c "vrrp child: running configuration generation" "$(node_log dir1)")
kill -HUP "$(node_vpid dir1)"
wait_for 100 sh -c "[ \$(grep -c 'vrrp child: running configuration generation' '$(node_log dir1)') -gt $gen_before ]" ||
    fail "the unchanged reload was not applied: $(tail -3 "$(node_log dir1)")"
stays 5 holds dir2 dir1 VI_1 10.30.0.100 || fail "an unchanged reload gave dir1 its configured priority back"
ctl dir1 status | grep "VI_1" | grep -q "priority=50" ||
    fail "status lost the runtime priority after an unchanged reload: $(ctl dir1 status)"
pass "a reload that leaves the instance as it is keeps the runtime priority"
# a reload that changes VI_1 (its configured priority): the new one decides
sed -i '/virtual_router_id 71/{n;s/priority 150/priority 160/}' "$T/dir1/vigil.conf"
grep -q "priority 160" "$T/dir1/vigil.conf" || fail "the test could not edit the config"
kill -HUP "$(node_vpid dir1)"
wait_for 50 node_log_has dir1 "VI_1: the new configuration replaces the runtime priority" ||
    fail "the reload did not drop the runtime priority"
wait_for 100 holds dir1 dir2 VI_1 10.30.0.100 || fail "dir1 (160) did not preempt after the reload"
wait_for 50 sh -c "! ip netns exec $(node_ns dir1) $VIGILCTL -s $T/dir1/ctl status | grep VI_1 | grep -q priority=" ||
    fail "the parent still shows the runtime priority: $(ctl dir1 status)"
vpid=$(pidof_file "$(node_pidfile dir1 vrrp)")
kill -KILL "$vpid"
wait_for 100 sh -c "[ \"\$(cat $(node_pidfile dir1 vrrp) 2>/dev/null)\" != $vpid ]" ||
    fail "the VRRP child was not respawned"
wait_for 150 all_on dir1 dir2 || fail "dir1 lost an instance after the second respawn"
stays 3 holds dir1 dir2 VI_1 10.30.0.100 || fail "a respawn handed the dropped priority back"
pass "a reload that changes the instance drops the runtime priority in the parent too"

# --- bad commands -----------------------------------------------------------
out=$(ctl dir1 vrrp force-backup NO_SUCH 2>&1) && fail "force-backup of an unknown instance succeeded: $out"
case $out in *NO_SUCH*) ;; *) fail "the error does not name the instance: $out" ;; esac
all_on dir1 dir2 || fail "a bad command moved an instance"
pass "an unknown instance is refused and nothing moves"

# --- alone: the warning, and release takes over at once -------------------------
stop_vigild_on dir2
[ "$VSTATUS" -eq 0 ] || fail "dir2: vigild exited with status $VSTATUS"
stop_vigild_on dir1
[ "$VSTATUS" -eq 0 ] || fail "dir1: vigild exited with status $VSTATUS"
: >"$(node_log dir1)"
start_vigild_on dir1 "$T/dir1/vigil.conf"
wait_for 200 is dir1 VI_1 MASTER || fail "dir1 alone did not become MASTER"
wait_for 50 test -S "$T/dir1/ctl" || fail "dir1 has no control socket"
out=$(ctl dir1 vrrp force-backup VI_1) || fail "force-backup alone failed: $out"
case $out in *"no master will remain"*) ;; *) fail "force-backup alone did not warn: $out" ;; esac
wait_for 50 sh -c "! ip netns exec $(node_ns dir1) ip -o addr show dev eth0 | grep -q ' 10.30.0.100/'" ||
    fail "dir1 kept the VIP when forced"
wait_for 100 node_log_has dir1 "VI_1: master down timer expired" || fail "no master down timer ran out"
node_log_has dir1 "forced to backup by vigilctl: no master for its VIPs until released" ||
    fail "dir1 does not log that no master remains"
is dir1 VI_1 BACKUP || fail "dir1 left BACKUP while forced and alone"
ctl dir1 vrrp release VI_1 >/dev/null || fail "release alone failed"
wait_for 50 is dir1 VI_1 MASTER || fail "dir1 did not take over once released"
node_log_has dir1 "released by vigilctl, and no master was heard" ||
    fail "the takeover does not give its reason"
wait_for 50 has dir1 10.30.0.100 || fail "dir1 MASTER without the VIP"
pass "alone: force-backup warns that no master will remain; release takes over at once"

stop_vigild_on dir1
[ "$VSTATUS" -eq 0 ] || fail "dir1: vigild exited with status $VSTATUS"
topo_teardown
done_testing
