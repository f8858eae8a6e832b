#!/bin/sh
# The VRRP child's part of SIGUSR1's data dump goes in parts, each in a
# gap between its adverts (about 1 ms each; at 1,000 instances the whole
# was one long slice of the loop): 300 instances on two links, and reaches the parent in one piece
# once written: /tmp/vigil.data holds the child's part whole, every
# instance's runtime state then every instance's configuration, each once
# and in the configuration's order, with the engine's counters between
# them, and the parent waited for it (no "no reply"). A reload asked
# meanwhile waits behind the dump and is applied after it. The work
# queue's figures come per burst too: the takeover's, then the reload's
# (its 300 changed instances' VIPs put back), each with its own items
# beside the whole life's. That the parts write what the one-piece dump
# writes is test_vrrp_conf's (the configuration, and the runtime state
# cut after every instance) and test_proc's (the runtime's assembly) to
# show.
. "$(dirname "$0")/lib.sh"

N=300
in_ns ip addr add 10.82.255.254/16 dev veth0 || fail "cannot address veth0"
for l in 1; do
	in_ns ip link add "veth$((2 * l))" type veth peer name "veth$((2 * l + 1))" ||
	    fail "cannot add veth$((2 * l))"
	in_ns ip link set "veth$((2 * l))" up
	in_ns ip link set "veth$((2 * l + 1))" up
	in_ns ip addr add "10.$((82 + l)).255.254/16" dev "veth$((2 * l))" ||
	    fail "cannot address veth$((2 * l))"
done
gen() { # PRIO
	awk -v n="$N" -v p="$1" 'BEGIN {
		print "global_defs {\n    router_id dump_parts\n    vrrp_garp_master_delay 0\n}"
		for (i = 0; i < n; i++) {
			l = int(i / 150); r = i % 150
			printf "vrrp_instance VI_%d {\n    state BACKUP\n", i
			printf "    interface veth%d\n    virtual_router_id %d\n", 2 * l, r + 1
			printf "    priority %d\n    advert_int 1\n", p
			printf "    virtual_ipaddress {\n        10.%d.%d.%d/16\n    }\n}\n", 82 + l, int(r / 250), r % 250 + 1
		}
		print "vrrp_instance VI_FAST {\n    state BACKUP\n    interface veth0\n    version 3"
		print "    virtual_router_id 200\n    priority 100\n    advert_int 0.05"
		print "    virtual_ipaddress {\n        10.82.254.1/16\n    }\n}"
	}'
}
gen 100 >"$T/vigil.conf"
start_vigild "$T/vigil.conf"
masters() { grep -c "Entering MASTER STATE" "$LOG"; }
all_master() { [ "$(masters)" -eq $((N + 1)) ]; }
wait_for 300 all_master || fail "$(masters) of $((N + 1)) instances MASTER"
pass "$((N + 1)) instances MASTER"

# every instance's name in the order the section names them: runtime
# state (" VRRP Instance = NAME"), then configuration ("VRRP instance
# NAME"); the order of the configuration
awk '/^vrrp_instance / { print $2 }' "$T/vigil.conf" >"$T/order"
check_dump() { # FILE
	sed -n '/^------< vrrp child (pid /,/^------< /p' "$1" >"$T/vrrp_part"
	grep -q "^------< vrrp child (pid " "$T/vrrp_part" ||
	    fail "no VRRP child part in the dump: $(grep '^------<' "$1")"
	! grep -q "no reply within" "$1" ||
	    fail "the parent gave up waiting: $(grep -A1 'no reply within' "$1")"
	sed -n 's/^ VRRP Instance = //p' "$T/vrrp_part" >"$T/runtime"
	sed -n 's/^VRRP instance \([^ :]*\).*/\1/p' "$T/vrrp_part" >"$T/config"
	cmp -s "$T/order" "$T/runtime" ||
	    fail "runtime states: $(wc -l <"$T/runtime") instance(s), first difference: $(diff "$T/order" "$T/runtime" | sed -n 2p)"
	cmp -s "$T/order" "$T/config" ||
	    fail "configurations: $(wc -l <"$T/config") instance(s), first difference: $(diff "$T/order" "$T/config" | sed -n 2p)"
	# the sections in order: generation, instances, counters, globals,
	# configurations
	awk '
		/^ Configuration generation = / && !g { g = NR }
		/^ VRRP Instance = VI_0$/ { r = NR }
		/^ Adverts on schedule = / { a = NR }
		/^ Kernel view overruns = / { k = NR }
		/^VRRP globals$/ { v = NR }
		/^VRRP instance VI_0[ :]/ { c = NR }
		END { exit !(g && g < r && r < a && a < k && k < v && v < c) }
	' "$T/vrrp_part" || fail "the VRRP part's sections are out of order: $(grep -n 'Configuration generation\|Adverts on schedule\|Kernel view overruns\|^VRRP globals' "$T/vrrp_part")"
}

dump_lock
rm -f /tmp/vigil.data /tmp/vigil_check.data
kill -USR1 "$VPID"
have_vrrp() { grep -q "^------< vrrp child (pid " /tmp/vigil.data 2>/dev/null; }
wait_for 100 have_vrrp || fail "no VRRP part in /tmp/vigil.data"
# the parent writes the file once every child answered
cp /tmp/vigil.data "$T/data1"
check_dump "$T/data1"
pass "the dump holds the VRRP child's part whole: $N + 1 instances' state then configuration, in order"

# a dump, then a reload at once: the reload waits behind the dump (the
# dump shows generation 1), and is applied after it
rm -f /tmp/vigil.data /tmp/vigil_check.data
gen 120 >"$T/vigil.conf"
kill -USR1 "$VPID"
kill -HUP "$VPID"
wait_for 100 have_vrrp || fail "no VRRP part in the second dump"
cp /tmp/vigil.data "$T/data2"
rm -f /tmp/vigil.data /tmp/vigil_check.data
dump_unlock
check_dump "$T/data2"
reloaded() { log_has "vrrp: reloaded configuration generation 2:"; }
wait_for 100 reloaded || fail "the reload was not applied"
grep -q "^ Configuration generation = 1$" "$T/data2" ||
    fail "the dump does not show generation 1: $(grep 'Configuration generation' "$T/data2")"
pass "a reload sent with a dump is applied after it"

# the work queue per burst: the takeover's figures in the first dump; the
# reload's, over once its VIPs are back, in a dump after it
grep -q "^ VRRP work burst [0-9]* (.*takeover.*): started [0-9]*\.[0-9]* (" "$T/data1" ||
    fail "no takeover burst in the dump: $(grep 'VRRP work' "$T/data1")"
reload_burst() { # FILE: the reload's burst's number, once over
	sed -n 's/^ VRRP work burst \([0-9]*\) (reload[,)].* over in .*/\1/p' "$1" | tail -1
}
dump_lock
got_reload=
for _try in 1 2 3 4 5 6 7 8 9 10; do
	rm -f /tmp/vigil.data /tmp/vigil_check.data
	kill -USR1 "$VPID"
	wait_for 100 have_vrrp || fail "no VRRP part in the third dump"
	cp /tmp/vigil.data "$T/data3"
	[ -n "$(reload_burst "$T/data3")" ] && { got_reload=1; break; }
	sleep 0.5
done
rm -f /tmp/vigil.data /tmp/vigil_check.data
dump_unlock
[ -n "$got_reload" ] ||
    fail "no reload burst over in the dump: $(grep 'VRRP work' "$T/data3")"
b=$(reload_burst "$T/data3")
rv=$(sed -n "s/^ VRRP work burst $b items of kind vip-add = \([0-9]*\),.*/\1/p" "$T/data3")
lv=$(sed -n 's/^ VRRP work items of kind vip-add = \([0-9]*\),.*/\1/p' "$T/data3")
[ -n "$rv" ] && [ "$rv" -ge "$N" ] ||
    fail "the reload's burst $b put back ${rv:-no} VIP sets, not $N: $(grep "VRRP work burst $b " "$T/data3")"
# the whole life holds the takeover's too
[ -n "$lv" ] && [ "$lv" -ge $((rv + N)) ] ||
    fail "whole life: ${lv:-no} VIP sets added, the reload's burst $rv: $(grep 'VRRP work items of kind vip-add' "$T/data3")"
pass "the dump's work figures per burst: the takeover's, then the reload's ($rv VIP sets of $lv in all)"

stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited $VSTATUS"
done_testing
