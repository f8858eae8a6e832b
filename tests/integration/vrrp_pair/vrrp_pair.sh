#!/bin/sh
# Two vigild directors (dir1 priority 150, dir2 priority 100) and a client
# on one bridge, one VRRP instance holding the VIP 10.10.0.100: election
# by priority, the client reaching the VIP, failover when the master's
# link is cut, return and preemption, graceful stop (priority 0),
# nopreempt, preempt_delay, a VIP deleted by hand put back, and a reload with an
# unchanged configuration that moves nothing. Order and outcome are read
# from the logs and `ip addr`, never from times (but for preempt_delay: a
# lower bound, which a busy machine cannot break).
. "$(dirname "$0")/../topo.sh"

VIP=10.10.0.100

has_vip() { node_exec "$1" ip -o -4 addr show dev eth0 | grep -q " $VIP/"; }
no_vip() { ! has_vip "$1"; }
# the state the node's log entered last
last_state() {
	grep -o 'Entering [A-Z]* STATE' "$(node_log "$1")" 2>/dev/null | tail -1 |
	    awk '{print $2}'
}
is_state() { [ "$(last_state "$1")" = "$2" ]; }
count() { grep -c -- "$2" "$(node_log "$1")" 2>/dev/null; }
mac_of() { node_exec "$1" cat /sys/class/net/eth0/address; }
# the client reaches the VIP, and its ARP entry names NODE's MAC
client_reaches() {
	node_exec client ping -n -q -c 1 -W 1 "$VIP" >/dev/null 2>&1 &&
	    node_exec client ip neigh show "$VIP" | grep -q "$(mac_of "$1")"
}
settled() { # MASTER-NODE BACKUP-NODE
	is_state "$1" MASTER && is_state "$2" BACKUP && has_vip "$1" && no_vip "$2"
}

topo_bridge lan
topo_node dir1 10.10.0.1/24
topo_node dir2 10.10.0.2/24
topo_node client 10.10.0.50/24
for n in dir1 dir2; do
	cp "$SCENARIO_DIR/$n.conf" "$T/$n/vigil.conf"
done

# --- election -------------------------------------------------------------
start_vigild_on dir1 "$T/dir1/vigil.conf"
start_vigild_on dir2 "$T/dir2/vigil.conf"
wait_for 150 settled dir1 dir2 || fail "dir1 (150) did not become MASTER with dir2 (100) BACKUP"
node_log_has dir1 "VI_1: BACKUP -> MASTER: master down timer expired" ||
    fail "dir1: the transition to MASTER does not give its reason"
node_log_has dir1 "(VI_1) Entering MASTER STATE" || fail "dir1: keepalived's phrase missing"
pass "election: the higher priority director is MASTER and holds the VIP"

# the states reach the parent: its SIGUSR1 dump reads them from its store
dump_lock
rm -f /tmp/vigil.data
kill -USR1 "$(node_vpid dir1)"
wait_for 50 grep -q "vrrp child (pid" /tmp/vigil.data 2>/dev/null || fail "dir1: no state dump"
grep -q "vrrp_instance VI_1: MASTER, master down timer expired" /tmp/vigil.data ||
    fail "dir1: the parent's store does not hold VI_1 as MASTER"
grep -q "Priority = 150" /tmp/vigil.data || fail "dir1: the VRRP child's dump lacks the priority"
rm -f /tmp/vigil.data
dump_unlock
pass "the parent's dump shows VI_1 MASTER with the transition's reason"

wait_for 100 client_reaches dir1 || fail "the client does not reach the VIP at dir1"
pass "the client reaches the VIP on dir1"

# --- failover: the master's link cut -------------------------------------
node_exec dir1 ip link set eth0 down
wait_for 150 is_state dir2 MASTER || fail "dir2 did not take over when dir1's link was cut"
wait_for 50 has_vip dir2 || fail "dir2 is MASTER without the VIP"
wait_for 50 is_state dir1 FAULT || fail "dir1 did not go to FAULT with its link down"
wait_for 50 no_vip dir1 || fail "dir1 kept the VIP in FAULT"
node_log_has dir1 "VI_1: MASTER -> FAULT: interface eth0 is down" || fail "dir1: FAULT without its reason"
wait_for 100 client_reaches dir2 || fail "the client does not reach the VIP at dir2"
pass "failover: link cut on the master, dir2 takes the VIP, the client follows"

# --- return and preemption ------------------------------------------------
node_exec dir1 ip link set eth0 up
wait_for 150 settled dir1 dir2 || fail "dir1 did not preempt on its return"
node_log_has dir2 "VI_1: MASTER -> BACKUP: higher priority advert from 10.10.0.1 (150 > 100)" ||
    fail "dir2: the preemption's reason is missing"
wait_for 100 client_reaches dir1 || fail "the client did not follow the VIP back to dir1"
pass "return: dir1 preempts, dir2 goes back to BACKUP, the client follows"

# --- a VIP deleted by hand comes back -------------------------------------
node_exec dir1 ip addr del "$VIP/24" dev eth0
wait_for 50 node_log_has dir1 "VI_1: VIP $VIP was removed" || fail "dir1 did not notice the VIP deleted by hand"
wait_for 50 has_vip dir1 || fail "dir1 did not put the VIP back"
is_state dir1 MASTER && is_state dir2 BACKUP || fail "deleting the VIP moved the states"
pass "a VIP deleted by hand on the master is put back and logged"

# --- a respawned VRRP child adopts the VIPs it finds -----------------------
old=$(pidof_file "$(node_pidfile dir1 vrrp)")
kill -KILL "$old"
wait_for 100 sh -c "[ -s '$(node_pidfile dir1 vrrp)' ] && [ \"\$(cat '$(node_pidfile dir1 vrrp)')\" != $old ]" ||
    fail "dir1: the VRRP child was not respawned"
wait_for 50 node_log_has dir1 "VI_1: INIT -> BACKUP: start: VIPs already in place" ||
    fail "dir1: the respawned child did not adopt the VIP"
wait_for 150 sh -c "grep 'Entering' '$(node_log dir1)' | tail -1 | grep -q MASTER" ||
    fail "dir1: the respawned child did not become MASTER again"
wait_for 100 settled dir1 dir2 || fail "the pair did not settle after the respawn"
sed -n '/VIPs already in place/,$p' "$(node_log dir1)" | grep -q "removing 1 VIP" &&
    fail "dir1: the respawned child removed the VIP it adopted"
pass "a respawned VRRP child keeps the VIP it finds and becomes MASTER again"

# --- reload with the configuration unchanged: nothing moves --------------
t1=$(count dir1 "Entering")
t2=$(count dir2 "Entering")
kill -HUP "$(node_vpid dir1)"
kill -HUP "$(node_vpid dir2)"
for n in dir1 dir2; do
	wait_for 50 node_log_has "$n" "vrrp child: running configuration generation 2" ||
	    fail "$n: the VRRP child did not take generation 2"
done
# a backup that missed adverts would take over after 3.6 s: watch for 6 s
end=$(($(date +%s) + 6))
while [ "$(date +%s)" -lt $end ]; do
	has_vip dir1 && no_vip dir2 || fail "the VIP moved during the reload"
	sleep 0.1
done
[ "$(count dir1 "Entering")" = "$t1" ] || fail "dir1 changed state on an unchanged reload"
[ "$(count dir2 "Entering")" = "$t2" ] || fail "dir2 changed state on an unchanged reload"
node_log_has dir2 "0 changed, 0 added, 0 removed" || fail "dir2: the reload summary is missing"
pass "reload (SIGHUP) unchanged: the backup stays BACKUP, the VIP never moves"

# --- graceful stop: priority 0, the backup takes over at once --------------
stop_vigild_on dir1
[ "$VSTATUS" -eq 0 ] || fail "dir1: vigild exited with status $VSTATUS"
no_vip dir1 || fail "dir1 left the VIP behind on stop"
wait_for 100 is_state dir2 MASTER || fail "dir2 did not take over after dir1 stopped"
node_log_has dir2 "master 10.10.0.1 stopped (priority 0)" || fail "dir2 did not see the priority 0 advert"
node_log_has dir2 "BACKUP -> MASTER: master down timer expired (0.[0-9]* s) after the master stopped" ||
    fail "dir2 took over on the full master down interval, not Skew_Time"
wait_for 50 has_vip dir2 || fail "dir2 is MASTER without the VIP"
pass "graceful stop: dir1 sends priority 0, dir2 takes over after Skew_Time"

# --- nopreempt: dir1 returns and leaves dir2 master -------------------------
sed 's/advert_int 1/advert_int 1\n    nopreempt/' "$SCENARIO_DIR/dir1.conf" >"$T/dir1/vigil.conf"
: >"$(node_log dir1)"
start_vigild_on dir1 "$T/dir1/vigil.conf"
wait_for 100 is_state dir1 BACKUP || fail "dir1 did not start as BACKUP"
# dir1's master down interval is 3.4 s: watch for 8 s
end=$(($(date +%s) + 8))
while [ "$(date +%s)" -lt $end ]; do
	is_state dir1 BACKUP && is_state dir2 MASTER && has_vip dir2 && no_vip dir1 ||
	    fail "nopreempt: dir1 took over from a lower priority master"
	sleep 0.1
done
pass "nopreempt: dir1 (150) returns as BACKUP and leaves dir2 (100) MASTER"

# --- preempt_delay: dir1 returns and preempts, not before the delay --------
stamp() { # LOG-LINE: its time, seconds since the epoch
	date -d "$(echo "$1" | awk '{print $1, $2}')" +%s.%N
}
stop_vigild_on dir1
sed 's/advert_int 1/advert_int 1\n    preempt_delay 5/' "$SCENARIO_DIR/dir1.conf" >"$T/dir1/vigil.conf"
: >"$(node_log dir1)"
start_vigild_on dir1 "$T/dir1/vigil.conf"
wait_for 300 is_state dir1 MASTER || fail "preempt_delay: dir1 never preempted dir2"
wait_for 50 has_vip dir1 || fail "preempt_delay: dir1 is MASTER without the VIP"
wait_for 50 is_state dir2 BACKUP || fail "preempt_delay: dir2 did not go back to BACKUP"
wait_for 50 no_vip dir2 || fail "preempt_delay: dir2 kept the VIP"
# a lower bound only: a busy machine makes the preemption later, never
# earlier
t0=$(stamp "$(grep -m1 'starting vigild' "$(node_log dir1)")")
t1=$(stamp "$(grep -m1 'VI_1: BACKUP -> MASTER' "$(node_log dir1)")")
after=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
awk -v d="$after" 'BEGIN { exit !(d >= 5) }' ||
    fail "preempt_delay 5: dir1 preempted dir2 $after s after its start"
pass "preempt_delay 5: dir1 (150) returns as BACKUP and preempts dir2 $after s after its start"

for n in dir1 dir2; do
	stop_vigild_on "$n"
	[ "$VSTATUS" -eq 0 ] || fail "$n: vigild exited with status $VSTATUS"
	no_vip "$n" || fail "$n left the VIP behind"
done
pass "both directors stop and release the VIP"

# --- -V leaves the VIP; the next vigild adopts it ---------------------------
: >"$(node_log dir2)"
start_vigild_on dir2 "$T/dir2/vigil.conf" -V
wait_for 150 is_state dir2 MASTER || fail "dir2 alone did not become MASTER"
wait_for 50 has_vip dir2 || fail "dir2 is MASTER without the VIP"
stop_vigild_on dir2
has_vip dir2 || fail "-V: dir2 removed the VIP on stop"
node_log_has dir2 "VIPs left in place" || fail "-V: the stop does not say the VIPs stay"
: >"$(node_log dir2)"
start_vigild_on dir2 "$T/dir2/vigil.conf"
wait_for 50 node_log_has dir2 "start: VIPs already in place" || fail "dir2 did not adopt the VIP left by -V"
wait_for 150 is_state dir2 MASTER || fail "dir2 did not become MASTER with the adopted VIP"
node_log_has dir2 "removing 1 VIP" && fail "dir2 removed the VIP it adopted"
stop_vigild_on dir2
no_vip dir2 || fail "dir2 left the VIP behind"
pass "-V leaves the VIP in place; the next vigild adopts it without removing it"

topo_teardown
[ -z "$(topo_leftovers)" ] || fail "namespaces left: $(topo_leftovers)"
done_testing
