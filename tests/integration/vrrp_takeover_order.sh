#!/bin/sh
# A mass takeover sends every advert before any of the work it leads to:
# twenty instances of one vrrp_sync_group (five VIPs each) become MASTER
# in the same turn of the VRRP child's loop (the first one's master down
# timer moves the others), and a capture on the interface they send from
# sees all twenty first adverts before the first gratuitous ARP, then
# every GARP (garp_master_repeat 2), and the hundred VIPs are in place.
# Had the VIPs and GARPs of an instance been done as it took over, its
# GARPs would come before the next instance's advert. Order, never times:
# the capture is read in the order the frames left. Then the same under
# vrrp_rt_priority, whose RLIMIT_RTTIME such bursts run past.
. "$(dirname "$0")/lib.sh"

N=20
NV=5
{
	cat <<EOC
global_defs {
    router_id takeover
    vrrp_version 3
    vrrp_garp_master_delay 0
    vrrp_garp_master_repeat 2
}
vrrp_sync_group G {
    group {
EOC
	i=1
	while [ "$i" -le "$N" ]; do
		echo "        VI_$i"
		i=$((i + 1))
	done
	echo "    }"
	echo "}"
	i=1
	while [ "$i" -le "$N" ]; do
		cat <<EOC
vrrp_instance VI_$i {
    state BACKUP
    interface veth0
    virtual_router_id $i
    priority 100
    advert_int 0.5
    virtual_ipaddress {
EOC
		j=1
		while [ "$j" -le "$NV" ]; do
			echo "        10.71.$i.$j/24"
			j=$((j + 1))
		done
		echo "    }"
		echo "}"
		i=$((i + 1))
	done
} >"$T/vigil.conf"

in_ns ip addr add 10.70.0.1/24 dev veth0 || fail "cannot address veth0"
CAP="$T/cap.txt"
# on the sending side: frames in the order they left
ip netns exec "$NS" tcpdump -l -n -i veth0 -Q out 'arp or ip proto 112' \
    >"$CAP" 2>"$T/tcpdump.err" &
CAP_PID=$!
wait_for 50 grep -q "listening on" "$T/tcpdump.err" || fail "tcpdump did not start: $(cat "$T/tcpdump.err")"

start_vigild "$T/vigil.conf"
masters() { grep -c "Entering MASTER STATE" "$LOG" 2>/dev/null; }
all_master() { [ "$(masters)" -eq "$N" ]; }
wait_for 150 all_master || fail "$(masters) of $N instances became MASTER"
garps() { grep -c 'who-has 10\.71\.' "$CAP"; }
all_garps() { [ "$(garps)" -ge $((N * NV * 2)) ]; }
wait_for 150 all_garps || fail "$(garps) GARPs seen, expected $((N * NV * 2))"
pass "$N instances MASTER at once, $(garps) GARPs for their $((N * NV)) VIPs"

# the first advert of every VRID, and where the first GARP came
order=$(awk -v n="$N" '
	/VRRPv3, Advertisement/ {
		for (i = 1; i <= NF; i++)
			if ($i == "vrid") { v = $(i + 1) + 0 }
		if (!(v in seen)) { seen[v] = 1; k++; if (garp) late = late " " v }
		next
	}
	/who-has 10\.71\./ && !garp { garp = NR; before = k }
	END { printf "%d %d%s\n", before, k, late }' "$CAP")
set -- $order
[ "$2" -eq "$N" ] || fail "adverts of $2 of $N instances captured"
[ "$1" -eq "$N" ] ||
    fail "the first GARP left after only $1 of $N first adverts (late: VRID$(echo "$order" | cut -d' ' -f3-))"
pass "all $N first adverts left before the first GARP"

vips() { in_ns ip -o -4 addr show dev veth0 | grep -c ' 10\.71\.'; }
all_vips() { [ "$(vips)" -eq $((N * NV)) ]; }
wait_for 50 all_vips || fail "$(vips) of $((N * NV)) VIPs in place"
pass "all $((N * NV)) VIPs in place"

# a VIP removed by hand goes back (the address events are settled in
# batches now; the put-back is not)
in_ns ip addr del 10.71.7.3/24 dev veth0 || fail "cannot remove a VIP"
back() { in_ns ip -o -4 addr show dev veth0 | grep -q ' 10\.71\.7\.3/'; }
wait_for 50 back ||
    fail "VIP 10.71.7.3 removed by hand was not put back"
log_has "VI_7: VIP 10.71.7.3 was removed from its interface while MASTER" ||
    fail "the put-back was not logged"
pass "a VIP removed by hand is put back"

stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited $VSTATUS"
kill "$CAP_PID" 2>/dev/null
wait "$CAP_PID" 2>/dev/null
prio0=$(grep -c 'VRRPv3, Advertisement, vrid [0-9]*, prio 0,' "$CAP")
[ "$prio0" -eq "$N" ] || fail "$prio0 priority 0 adverts on stop, expected $N"
[ "$(vips)" -eq 0 ] || fail "$(vips) VIPs left after stop"
pass "stop: $N priority 0 adverts, every VIP released"

# vrrp_rt_priority: 200 instances start and take over in bursts longer
# than vrrp_rlimit_rttime (2 us: one clock tick); at the limit the child
# goes back to normal scheduling for a second and says so, where the
# kernel would otherwise kill it (and the parent restart it, again and
# again).
NR=200
{
	cat <<EOC
global_defs {
    router_id takeover_rt
    vrrp_version 3
    vrrp_rt_priority 1
    vrrp_rlimit_rttime 2
    vrrp_garp_master_delay 0
}
EOC
	i=1
	while [ "$i" -le "$NR" ]; do
		cat <<EOC
vrrp_instance VR_$i {
    state BACKUP
    interface veth0
    virtual_router_id $((i % 250 + 1))
    priority 100
    advert_int 0.5
    virtual_ipaddress {
        10.72.$((i / 250)).$((i % 250 + 1))/16
    }
}
EOC
		i=$((i + 1))
	done
} >"$T/rt.conf"
: >"$LOG"
start_vigild "$T/rt.conf"
rt_masters() { grep -c "(VR_[0-9]*) Entering MASTER STATE" "$LOG"; }
rt_all() { [ "$(rt_masters)" -eq "$NR" ]; }
rt_denied() { log_has "vrrp_rt_priority 1: Operation not permitted"; }
wait_for 150 sh -c "grep -q 'vrrp_rt_priority 1: Operation not permitted' '$LOG' || [ \"\$(grep -c '(VR_[0-9]*) Entering MASTER STATE' '$LOG')\" -eq $NR ]"
if rt_denied; then
	echo "ok $((TESTS_RUN + 1)) - # SKIP realtime scheduling not permitted here"
	TESTS_RUN=$((TESTS_RUN + 1))
else
	rt_all || fail "$(rt_masters) of $NR instances MASTER under vrrp_rt_priority"
	how="(the bursts stayed under the limit here)"
	# the child says so at its next one-second tick
	if wait_for 15 log_has "the VRRP child ran [0-9]* us without sleeping"; then
		wait_for 30 log_has "vrrp_rt_priority 1: realtime again" ||
		    fail "the child did not take its realtime priority back"
		how="past the limit it dropped to normal scheduling for a second and came back"
	fi
	! log_has "killed by signal" ||
	    fail "the VRRP child was killed: $(grep 'killed by signal' "$LOG" | head -3)"
	pass "vrrp_rt_priority: all $NR instances MASTER, the child never killed; $how"
fi
stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited $VSTATUS"
done_testing
