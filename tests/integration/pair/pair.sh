#!/bin/sh
# Two directors (dir1, dir2), a real server (rs1) and a client on one
# bridge. Both directors' vigild start with their own configuration in
# their own namespace, run both children there, reload on SIGHUP, stop
# cleanly, and nothing of the topology is left afterwards.
. "$(dirname "$0")/../topo.sh"

topo_bridge lan
topo_node dir1 10.10.0.1/24
topo_node dir2 10.10.0.2/24
topo_node rs1 10.10.0.10/24
topo_node client 10.10.0.50/24
for n in dir1 dir2 rs1 client; do
	links=$(node_exec "$n" ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | tr '\n' ' ')
	[ "$links" = "eth0 lo " ] || fail "$n has links '$links', expected eth0 and lo"
done
pass "four nodes, each with lo and eth0 only"

# Every node reaches every other across the bridge.
for from in dir1 dir2 rs1 client; do
	for to in 10.10.0.1 10.10.0.2 10.10.0.10 10.10.0.50; do
		wait_for 20 node_exec "$from" ping -n -q -c 1 -W 1 "$to" >/dev/null 2>&1 ||
		    fail "$from cannot reach $to"
	done
done
pass "every node pings every other across the bridge"

# Both directors start with their own configuration, children in their
# own namespace.
for n in dir1 dir2; do
	cp "$SCENARIO_DIR/$n.conf" "$T/$n/vigil.conf"
	start_vigild_on "$n" "$T/$n/vigil.conf"
done
for n in dir1 dir2; do
	vpid=$(node_vpid "$n")
	wait_for 50 test -s "$(node_pidfile "$n" vrrp)" || fail "$n: VRRP child pid file missing"
	wait_for 50 test -s "$(node_pidfile "$n" checkers)" || fail "$n: checker child pid file missing"
	vrrp=$(pidof_file "$(node_pidfile "$n" vrrp)")
	chk=$(pidof_file "$(node_pidfile "$n" checkers)")
	wait_for 50 node_log_has "$n" "vrrp child (pid $vrrp) is up" || fail "$n: VRRP child never said hello"
	wait_for 50 node_log_has "$n" "checker child (pid $chk) is up" || fail "$n: checker child never said hello"
	for p in "$vpid" "$vrrp" "$chk"; do
		[ "$(ip netns identify "$p")" = "$(node_ns "$n")" ] ||
		    fail "$n: process $p runs in namespace '$(ip netns identify "$p")'"
	done
	node_log_has "$n" "configuration $T/$n/vigil.conf" || fail "$n: vigild did not read its own configuration"
done
[ "$(node_vpid dir1)" != "$(node_vpid dir2)" ] || fail "one vigild for both directors"
pass "both directors run vigild and both children in their own namespace"

# SIGHUP on each director: its children get generation 2 without restarting.
for n in dir1 dir2; do
	vrrp=$(pidof_file "$(node_pidfile "$n" vrrp)")
	chk=$(pidof_file "$(node_pidfile "$n" checkers)")
	sed -i 's/advert_int 1/advert_int 2/' "$T/$n/vigil.conf"
	kill -HUP "$(node_vpid "$n")"
	wait_for 50 node_log_has "$n" "vrrp child: running configuration generation 2" ||
	    fail "$n: VRRP child did not confirm generation 2"
	wait_for 50 node_log_has "$n" "checker child: running configuration generation 2" ||
	    fail "$n: checker child did not confirm generation 2"
	node_log_has "$n" "instance VI_1: changed" || fail "$n: the changed instance was not named"
	[ "$(pidof_file "$(node_pidfile "$n" vrrp)")" = "$vrrp" ] || fail "$n: VRRP child restarted by a reload"
	[ "$(pidof_file "$(node_pidfile "$n" checkers)")" = "$chk" ] || fail "$n: checker child restarted by a reload"
done
node_log_has dir2 "generation 3" && fail "dir2 reloaded twice: a signal reached the wrong director"
pass "SIGHUP reloads each director on its own"

# SIGTERM on each: parent and children gone, pid files removed.
for n in dir1 dir2; do
	vrrp=$(pidof_file "$(node_pidfile "$n" vrrp)")
	chk=$(pidof_file "$(node_pidfile "$n" checkers)")
	stop_vigild_on "$n"
	[ "$VSTATUS" -eq 0 ] || fail "$n: vigild exited with status $VSTATUS"
	wait_for 20 dead "$vrrp" || fail "$n: VRRP child survived"
	wait_for 20 dead "$chk" || fail "$n: checker child survived"
	for f in vigild vrrp checkers; do
		[ -e "$(node_pidfile "$n" $f)" ] && fail "$n: $f.pid left behind"
	done
	[ -z "$(ip netns pids "$(node_ns "$n")")" ] || fail "$n: processes left: $(ip netns pids "$(node_ns "$n")")"
done
pass "both directors stop cleanly on SIGTERM"

topo_teardown
[ -z "$(topo_leftovers)" ] || fail "namespaces left: $(topo_leftovers)"
pass "the topology is removed"

done_testing
