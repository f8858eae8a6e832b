#!/bin/sh
# Each child's scheduling from global_defs, as keepalived's: vrrp_priority
# and checker_priority (nice), vrrp_no_swap and checker_no_swap (memory
# locked), vrrp_cpu_affinity and checker_cpu_affinity (CPUs). Read from
# /proc: each child has its own values, the parent none of them. Then the
# VRRP child's realtime priority raised by max_auto_priority when adverts
# run late, and the checker child's when its timers do (keepalived 2.2.7
# raises each child, not the parent). Then the process names: process_name, vrrp_process_name,
# checker_process_name
# (a long one cut to 15 characters, with a warning at its line), and after
# a reload process_names alone (keepalived's names for the children, the
# parent's own back). A reload lowering max_auto_priority takes a child
# it raised past it down to it; one without max_auto_priority takes a child it
# raised back to where its configuration puts it, as if started so
# (keepalived resets each child's scheduling at a reload): the VRRP child
# to normal scheduling at its nice, RLIMIT_RTTIME as before; the checker
# child to its checker_rt_priority, or, without one, to normal scheduling
# at checker_priority's nice.
. "$(dirname "$0")/lib.sh"

nice_of() { awk '{print $19}' "/proc/$1/stat"; }
# RLIMIT_RTTIME back as the test's after realtime left; without
# CAP_SYS_RESOURCE the hard limit cannot go up again: the soft one at it
rttime_back() { # PID WHO
	if log_has "$2: RLIMIT_RTTIME left at its hard limit"; then
		[ "$(rttime "$1" | cut -d/ -f1)" = "$(rttime "$1" | cut -d/ -f2)" ]
	else
		[ "$(rttime "$1")" = "$(rttime $$)" ]
	fi
}
locked_kb() { awk '/^VmLck:/ {print $2}' "/proc/$1/status"; }
cpus_of() { awk '/^Cpus_allowed_list:/ {print $2}' "/proc/$1/status"; }

# two CPUs this test may use (one when it has only one)
allowed=$(cpus_of $$)
cpu_a=$(echo "$allowed" | cut -d, -f1 | cut -d- -f1)
cpu_b=$(echo "$allowed" | awk -F, '{print $NF}' | awk -F- '{print $NF}')

director_conf "    router_id sched
    vrrp_priority -3
    vrrp_no_swap
    vrrp_cpu_affinity $cpu_a
    checker_priority 4
    checker_no_swap
    checker_cpu_affinity $cpu_b
    checker_rt_priority 5
    checker_rlimit_rttime 30000
    max_auto_priority 2
    min_auto_priority_delay 1500000
    process_name lbparent
    vrrp_process_name lbvrrp
    checker_process_name lb-checker-of-the-west" >"$T/sched.conf"

start_vigild "$T/sched.conf"
wait_for 50 test -s "$VRRP_PIDF" || fail "VRRP child pid file missing"
wait_for 50 test -s "$CHECK_PIDF" || fail "checker child pid file missing"
vrrp=$(pidof_file "$VRRP_PIDF")
chk=$(pidof_file "$CHECK_PIDF")
wait_for 50 log_has "vrrp child (pid $vrrp) is up" || fail "VRRP child never said hello"
wait_for 50 log_has "checker child (pid $chk) is up" || fail "checker child never said hello"
wait_for 50 log_has "VI_1: INIT -> BACKUP" || fail "the VRRP child did not start its instance"
wait_for 50 log_has "LVS configuration loaded" || fail "the checker child did not load its part"
log_has "not supported yet" && fail "a scheduling keyword warns: $(grep 'not supported yet' "$LOG")"

[ "$(nice_of "$vrrp")" = -3 ] || fail "VRRP child's nice is $(nice_of "$vrrp"), not vrrp_priority -3"
[ "$(nice_of "$chk")" = 4 ] || fail "checker child's nice is $(nice_of "$chk"), not checker_priority 4"
[ "$(nice_of "$VPID")" = "$(nice_of $$)" ] ||
    fail "the parent's nice is $(nice_of "$VPID"), not the test's $(nice_of $$)"
pass "vrrp_priority -3 and checker_priority 4: each child's nice, the parent's as it was started"

[ "$(locked_kb "$vrrp")" -gt 0 ] || fail "vrrp_no_swap: the VRRP child locks no memory"
[ "$(locked_kb "$chk")" -gt 0 ] || fail "checker_no_swap: the checker child locks no memory"
[ "$(locked_kb "$VPID")" -eq 0 ] || fail "the parent locks $(locked_kb "$VPID") kB"
pass "vrrp_no_swap and checker_no_swap: both children's memory locked ($(locked_kb "$vrrp"), $(locked_kb "$chk") kB), not the parent's"

[ "$(cpus_of "$vrrp")" = "$cpu_a" ] || fail "VRRP child runs on CPUs $(cpus_of "$vrrp"), not $cpu_a"
[ "$(cpus_of "$chk")" = "$cpu_b" ] || fail "checker child runs on CPUs $(cpus_of "$chk"), not $cpu_b"
[ "$(cpus_of "$VPID")" = "$allowed" ] || fail "the parent runs on CPUs $(cpus_of "$VPID"), not $allowed"
pass "vrrp_cpu_affinity $cpu_a and checker_cpu_affinity $cpu_b: each child on its CPU, the parent on $allowed"

# checker_rt_priority 5, checker_rlimit_rttime 30000: the checker child at
# SCHED_RR 5 with RLIMIT_RTTIME's soft limit 30000 us (the hard one 2 s
# beyond), the VRRP child and the parent not
policy() { awk '{print $41 "/" $40}' "/proc/$1/stat"; }	# policy/rt_priority
rttime() { awk '/^Max realtime timeout/ {print $4 "/" $5}' "/proc/$1/limits"; }
chk_policy=0/0
if log_has "checker_rt_priority 5: Operation not permitted"; then
	echo "# SKIP checker_rt_priority: this host refuses realtime scheduling"
else
	[ "$(policy "$chk")" = 2/5 ] ||
	    fail "checker_rt_priority 5: the checker child is $(policy "$chk") (policy/priority), not SCHED_RR 5"
	chrt -p "$chk" | grep -q "SCHED_RR" || fail "chrt -p: $(chrt -p "$chk")"
	[ "$(rttime "$chk")" = 30000/2030000 ] ||
	    fail "checker_rlimit_rttime 30000: the checker child's RLIMIT_RTTIME is $(rttime "$chk") (soft/hard)"
	[ "$(policy "$vrrp")" = 0/0 ] && [ "$(policy "$VPID")" = 0/0 ] ||
	    fail "checker_rt_priority moved the VRRP child ($(policy "$vrrp")) or the parent ($(policy "$VPID"))"
	[ "$(rttime "$vrrp")" = "$(rttime $$)" ] ||
	    fail "the VRRP child's RLIMIT_RTTIME is $(rttime "$vrrp"), not the test's $(rttime $$)"
	chk_policy=2/5
	pass "checker_rt_priority 5 and checker_rlimit_rttime 30000: the checker child SCHED_RR 5, RLIMIT_RTTIME 30000 us (hard 2030000), the VRRP child and the parent as they were"
fi

# max_auto_priority 2 with min_auto_priority_delay 1.5 s: the child
# stopped for 1 s (an advert at most 1 s late) stays as it is; stopped for
# 3 s (at least 2 s late) it goes to SCHED_RR 1, then 2, no further
is_policy() { [ "$(policy "$vrrp")" = "$1" ]; }
nlate() { grep -c "max_auto_priority 2: an advert ran" "$LOG"; }
stop_for() { kill -STOP "$vrrp"; sleep "$1"; kill -CONT "$vrrp"; }
late_once() {
	_n=$(nlate)
	stop_for 3
	wait_for 50 sh -c "[ \$(grep -c 'max_auto_priority 2: an advert ran' '$LOG') -gt $_n ] || grep -q 'Operation not permitted' '$LOG'"
}
wait_for 100 log_has "(VI_1) Entering MASTER STATE" || fail "VI_1 did not become MASTER"
is_policy 0/0 || fail "the VRRP child is $(policy "$vrrp") before any late advert"
n0=$(nlate)
stop_for 1
sleep 1
[ "$(nlate)" -eq "$n0" ] && is_policy 0/0 ||
    fail "an advert less late than min_auto_priority_delay raised the child: $(policy "$vrrp")"
late_once
if log_has "vrrp_rt_priority 1: Operation not permitted"; then
	echo "# SKIP max_auto_priority: this host refuses realtime scheduling"
else
	wait_for 20 is_policy 2/1 ||
	    fail "after a late advert the VRRP child is $(policy "$vrrp"), not SCHED_RR 1"
	late_once
	wait_for 20 is_policy 2/2 ||
	    fail "after a second late advert the VRRP child is $(policy "$vrrp"), not SCHED_RR 2"
	n2=$(nlate)
	stop_for 3
	sleep 1
	[ "$(nlate)" -eq "$n2" ] && ! is_policy 2/3 ||
	    fail "max_auto_priority 2 passed: $(policy "$vrrp")"
	[ "$(policy "$chk")" = "$chk_policy" ] || fail "the checker child's scheduling moved: $(policy "$chk")"
	pass "max_auto_priority 2, min_auto_priority_delay 1.5 s: 1 s late stays, 2 s late takes the VRRP child to SCHED_RR 1, then 2, no further"
	# a checker child already realtime above max_auto_priority stays
	# where checker_rt_priority put it, as keepalived's
	if [ "$chk_policy" = 2/5 ]; then
		kill -STOP "$chk"; sleep 3; kill -CONT "$chk"
		sleep 1
		[ "$(policy "$chk")" = 2/5 ] && ! log_has "a checker timer ran" ||
		    fail "max_auto_priority 2 moved a checker child at checker_rt_priority 5: $(policy "$chk")"
		pass "max_auto_priority 2 leaves a checker child at checker_rt_priority 5 where it is"
	fi
fi

comm() { cat "/proc/$1/comm" 2>/dev/null; }
named() { [ "$(comm "$VPID")" = "$1" ] && [ "$(comm "$vrrp")" = "$2" ] && [ "$(comm "$chk")" = "$3" ]; }
wait_for 50 named lbparent lbvrrp lb-checker-of-t ||
    fail "names: parent $(comm "$VPID"), children $(comm "$vrrp") and $(comm "$chk")"
log_has "sched.conf:15: checker_process_name: lb-checker-of-the-west: more than 15 characters, cut to lb-checker-of-t" ||
    fail "the long name is not cut with a warning at its line: $(grep -i 'process_name' "$LOG")"
pass "process_name, vrrp_process_name, checker_process_name: each process named, a long name cut with a warning"

sed -i -e '/process_name /d' -e 's/max_auto_priority 2/max_auto_priority 1/' -e 's/^    router_id sched$/    router_id sched\n    process_names/' "$T/sched.conf"
kill -HUP "$VPID"
wait_for 100 log_has "reloaded configuration generation 2" || fail "the reload did not reach the children"
wait_for 50 named vigild keepalived_vrrp keepalived_lvs ||
    fail "after process_names: parent $(comm "$VPID"), children $(comm "$vrrp") and $(comm "$chk")"
pass "a reload to process_names alone: keepalived_vrrp and keepalived_lvs, the parent vigild again"

if ! log_has "vrrp_rt_priority 1: Operation not permitted"; then
	wait_for 50 is_policy 2/1 ||
	    fail "after a reload to max_auto_priority 1 the VRRP child is $(policy "$vrrp"), not SCHED_RR 1"
	[ "$(policy "$chk")" = "$chk_policy" ] || fail "the checker child's scheduling moved: $(policy "$chk")"
	pass "a reload to max_auto_priority 1: the VRRP child from SCHED_RR 2 to 1, the checker child as checker_rt_priority put it ($chk_policy)"
	sed -i '/max_auto_priority/d' "$T/sched.conf"
	kill -HUP "$VPID"
	wait_for 100 log_has "reloaded configuration generation 3" || fail "the second reload did not reach the children"
	wait_for 50 is_policy 0/0 ||
	    fail "after a reload without max_auto_priority the VRRP child is $(policy "$vrrp"), not SCHED_OTHER"
	log_has "max_auto_priority off: the VRRP child back to normal scheduling from realtime priority 1" ||
	    fail "the VRRP child's return to normal scheduling is not logged"
	[ "$(nice_of "$vrrp")" = -3 ] || fail "the VRRP child's nice is $(nice_of "$vrrp"), not vrrp_priority -3"
	rttime_back "$vrrp" vrrp ||
	    fail "the VRRP child's RLIMIT_RTTIME is $(rttime "$vrrp"), not the test's $(rttime $$)"
	[ "$(policy "$chk")" = "$chk_policy" ] || fail "the checker child's scheduling moved: $(policy "$chk")"
	pass "a reload without max_auto_priority: the VRRP child back to SCHED_OTHER at nice -3, RLIMIT_RTTIME as before; the checker child as checker_rt_priority put it ($chk_policy)"
fi

stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"

# the checker child too, as keepalived raises each of its children: a
# vigild whose checker child is not realtime to begin with
if ! log_has "vrrp_rt_priority 1: Operation not permitted"; then
	sed -i -e '/checker_rt_priority/d' -e '/checker_rlimit_rttime/d' \
	    -e 's/^    router_id sched$/    router_id sched\n    max_auto_priority 2/' "$T/sched.conf"
	: >"$LOG"
	start_vigild "$T/sched.conf"
	wait_for 50 test -s "$CHECK_PIDF" || fail "checker child pid file missing"
	wait_for 50 test -s "$VRRP_PIDF" || fail "VRRP child pid file missing"
	vrrp=$(pidof_file "$VRRP_PIDF")
	chk=$(pidof_file "$CHECK_PIDF")
	wait_for 50 log_has "LVS configuration loaded" || fail "the checker child did not load its part"
	wait_for 100 log_has "(VI_1) Entering MASTER STATE" || fail "VI_1 did not become MASTER"
	# the checker child too, as keepalived raises each of its children
	nclate() { grep -c "max_auto_priority 2: a checker timer ran" "$LOG"; }
	cstop_for() { kill -STOP "$chk"; sleep "$1"; kill -CONT "$chk"; }
	is_cpolicy() { [ "$(policy "$chk")" = "$1" ]; }
	vp=$(policy "$vrrp")
	c0=$(nclate)
	cstop_for 1
	sleep 1
	[ "$(nclate)" -eq "$c0" ] && is_cpolicy 0/0 ||
	    fail "a checker timer less late than min_auto_priority_delay raised the child: $(policy "$chk")"
	cstop_for 3
	wait_for 20 is_cpolicy 2/1 || fail "after a late timer the checker child is $(policy "$chk"), not SCHED_RR 1"
	cstop_for 3
	wait_for 20 is_cpolicy 2/2 || fail "after a second late timer the checker child is $(policy "$chk"), not SCHED_RR 2"
	c2=$(nclate)
	cstop_for 3
	sleep 1
	[ "$(nclate)" -eq "$c2" ] && is_cpolicy 2/2 || fail "max_auto_priority 2 passed in the checker child: $(policy "$chk")"
	[ "$(policy "$vrrp")" = "$vp" ] || fail "the VRRP child's scheduling moved with the checker's: $(policy "$vrrp")"
	[ "$(policy "$VPID")" = 0/0 ] || fail "the parent's scheduling moved: $(policy "$VPID")"
	pass "max_auto_priority in the checker child: 1 s late stays, 2 s late takes it to SCHED_RR 1, then 2, no further; the parent stays as it is"
	sed -i '/max_auto_priority/d' "$T/sched.conf"
	kill -HUP "$VPID"
	wait_for 100 log_has "reloaded configuration generation 2" || fail "the reload did not reach the children"
	wait_for 50 is_cpolicy 0/0 ||
	    fail "after a reload without max_auto_priority the checker child is $(policy "$chk"), not SCHED_OTHER"
	log_has "max_auto_priority off: the health-check child back to normal scheduling from realtime priority 2" ||
	    fail "the checker child's return to normal scheduling is not logged"
	chrt -p "$chk" | grep -q "SCHED_OTHER" || fail "chrt -p: $(chrt -p "$chk")"
	[ "$(nice_of "$chk")" = 4 ] || fail "the checker child's nice is $(nice_of "$chk"), not checker_priority 4"
	rttime_back "$chk" checker ||
	    fail "the checker child's RLIMIT_RTTIME is $(rttime "$chk"), not the test's $(rttime $$)"
	pass "a reload without max_auto_priority: the checker child back to SCHED_OTHER at checker_priority's nice 4, RLIMIT_RTTIME as before"
	stop_vigild
	[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
fi
done_testing
