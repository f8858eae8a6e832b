#!/bin/sh
# vigild's BFD sessions against FRR's bfdd (Debian's frr), IPv4 and IPv6
# single hop: the sessions come Up by the three-way handshake, go Down
# when bfdd stops (detection time expired, or bfdd's AdminDown) and come
# Up again when it returns; the data dump lists them. The VRRP child
# follows them (track_bfd): an instance tracking b4 with weight 0 is in
# FAULT while b4 is down, one tracking it with weight -50 loses 50 of its
# priority, a sync group tracking b6 goes to FAULT whole; all recover when
# bfdd returns. The checker child follows them too (BFD_CHECK): a real
# server checked by b4 leaves the desired table while b4 is down and
# returns with it (no IPVS needed: the table is logged). Reloads re-time
# the sessions by ten without a flap. bfdd's session shut down (AdminDown)
# takes b4 Down without VRRP or the checker being told. The BFD child
# killed: the respawned child reports the sessions Down, then Up, and
# VRRP follows. Order and outcome
# from vigild's log and dump, never from times.
. "$(dirname "$0")/../topo.sh"
. "$SCENARIO_DIR/bfd_lib.sh"

TOPO_NODAD=1
topo_bridge lan
topo_node dir1 10.10.0.1/24 fd00::1/64
topo_node frr 10.10.0.4/24 fd00::4/64

cat >"$T/dir1.conf" <<EOC
bfd_instance b4 {
    neighbor_ip 10.10.0.4
    min_rx 100
    min_tx 100
    multiplier 3
}
bfd_instance b6 {
    neighbour_ip fd00::4
    source_ip fd00::1
    min_rx 100
    min_tx 100
    multiplier 3
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 0.1
    virtual_ipaddress {
        10.10.0.101/24
    }
    track_bfd {
        b4
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 52
    priority 150
    advert_int 0.1
    virtual_ipaddress {
        10.10.0.102/24
    }
    track_bfd {
        b4 weight -50
    }
}
vrrp_instance VI_3 {
    interface eth0
    virtual_router_id 53
    priority 150
    advert_int 0.1
    virtual_ipaddress {
        10.10.0.103/24
    }
}
virtual_server 10.10.0.200 80 {
    delay_loop 1
    lb_kind DR
    protocol TCP
    real_server 10.10.0.4 80 {
        BFD_CHECK {
            name b4
        }
    }
}
vrrp_sync_group G {
    group {
        VI_3
    }
    track_bfd {
        b6
    }
}
EOC

# a track_bfd naming no bfd_instance is an error at its line
sed 's/        b4 weight -50/        nosuch weight -50/' "$T/dir1.conf" >"$T/bad.conf"
"$VIGILD" -t -f "$T/bad.conf" >"$T/bad.out" 2>&1 && fail "vigild -t accepted an unknown bfd_instance"
grep -q "bad.conf:[0-9]*: .*unknown bfd_instance 'nosuch'" "$T/bad.out" ||
    fail "no file:line error for the unknown bfd_instance: $(cat "$T/bad.out")"
sed 's/            name b4/            name nosuch/' "$T/dir1.conf" >"$T/bad.conf"
"$VIGILD" -t -f "$T/bad.conf" >"$T/bad.out" 2>&1 && fail "vigild -t accepted BFD_CHECK naming an unknown bfd_instance"
grep -q "bad.conf:[0-9]*: .*unknown bfd_instance 'nosuch'" "$T/bad.out" ||
    fail "no file:line error for BFD_CHECK's unknown bfd_instance: $(cat "$T/bad.out")"
pass "track_bfd, BFD_CHECK naming an unknown bfd_instance: error at file:line"

start_bfdd 10.10.0.1 fd00::1
start_vigild_on dir1 "$T/dir1.conf"
wait_for 100 bfd_is dir1 b4 Up || fail "b4 did not come Up with bfdd"
wait_for 100 bfd_is dir1 b6 Up || fail "b6 did not come Up with bfdd"
# the three-way handshake: Up through Init (bfdd Down) or from Down on
# bfdd's Init, never from Down on an Up peer
node_log_has dir1 "(b4) Entering Up state: \(Init -> Up\|Down -> Up: neighbor is Init\)" ||
    fail "b4 did not come Up by the handshake"
pass "IPv4 and IPv6 sessions Up with FRR's bfdd"
wait_for 100 is dir1 VI_1 MASTER || fail "VI_1 is not MASTER with b4 Up"
wait_for 100 is dir1 VI_3 MASTER || fail "VI_3 is not MASTER with b6 Up"
wait_for 100 is dir1 VI_2 MASTER || fail "VI_2 is not MASTER"
pass "the instances tracking the sessions run once they are Up"
wait_for 50 node_log_has dir1 'desired: \[10.10.0.200\]:tcp:80: add \[10.10.0.4\]:80' ||
    fail "the real server checked by b4 is not in the desired table"
pass "BFD_CHECK: the real server is in with b4 Up"

# what vigild logs from here on
mark() { MARK=$(($(wc -l <"$(node_log dir1)") + 1)); }
logged() { tail -n +"$MARK" "$(node_log dir1)" | grep -q -- "$1"; }
mark
stop_bfdd
wait_for 50 bfd_is dir1 b4 Down || fail "b4 did not go Down when bfdd stopped"
wait_for 50 bfd_is dir1 b6 Down || fail "b6 did not go Down when bfdd stopped"
node_log_has dir1 "(b4) Entering Down state (Local diagnostic - \(Control Detection Time Expired\|Neighbor Signaled Session Down\)" ||
    fail "b4's Down does not say why"
pass "bfdd stopped: both sessions Down, saying why"
wait_for 50 is dir1 VI_1 FAULT || fail "VI_1 (track_bfd b4, weight 0) is not in FAULT with b4 down"
wait_for 50 is dir1 VI_3 FAULT || fail "VI_3 (sync group tracking b6) is not in FAULT with b6 down"
wait_for 50 logged "VI_2: priority 150 -> 100" ||
    fail "VI_2 (track_bfd b4 weight -50) did not lose 50 of its priority"
is dir1 VI_2 MASTER || fail "VI_2 left MASTER: $(state_of dir1 VI_2)"
logged "(VI_1) Tracked BFD instance b4 is DOWN" || fail "VI_1 does not say b4 went down"
pass "b4 down: VI_1 FAULT, VI_2 at 100, sync group G FAULT"
wait_for 50 logged 'desired: \[10.10.0.200\]:tcp:80: remove \[10.10.0.4\]:80' ||
    fail "the real server checked by b4 did not leave with b4 down"
logged "real server .*10.10.0.4.*: UP -> DOWN.*BFD b4 is Down" ||
    fail "the real server's DOWN does not name BFD b4"
pass "BFD_CHECK: b4 down, the real server leaves, saying why"

mark
start_bfdd 10.10.0.1 fd00::1
wait_for 100 sh -c "[ \$(grep -c '(b4) Entering Up state' '$(node_log dir1)') -ge 2 ]" ||
    fail "b4 did not come Up again"
wait_for 100 bfd_is dir1 b4 Up || fail "b4 is not Up after bfdd returned"
wait_for 100 bfd_is dir1 b6 Up || fail "b6 is not Up after bfdd returned"
pass "bfdd back: both sessions Up again"
wait_for 100 is dir1 VI_1 MASTER || fail "VI_1 did not leave FAULT when b4 came back"
wait_for 100 is dir1 VI_3 MASTER || fail "VI_3 did not leave FAULT when b6 came back"
wait_for 50 logged "VI_2: priority 100 -> 150" || fail "VI_2 did not get its priority back"
pass "sessions back: VI_1 and G recover, VI_2 at 150 again"
wait_for 50 logged 'desired: \[10.10.0.200\]:tcp:80: add \[10.10.0.4\]:80' ||
    fail "the real server checked by b4 did not return with b4"
pass "BFD_CHECK: b4 back, the real server returns"

# reloads changing only the sessions' timers, by a factor of ten, keep
# them Up: the new rate goes to bfdd by a Poll Sequence sent at once, and
# until its Final the old TX interval and detection time stay in force
# (a slower TX at once would outlast bfdd's detection time, a shorter
# detection time at once would expire before bfdd sped up)
reload_timers() { # RX TX GENERATION
	mark
	sed "s/    min_rx [0-9]*$/    min_rx $1/; s/    min_tx [0-9]*$/    min_tx $2/" \
	    "$T/dir1.conf" >"$T/dir1.conf.new"
	mv "$T/dir1.conf.new" "$T/dir1.conf"
	kill -HUP "$(node_vpid dir1)"
	wait_for 100 logged "bfd child: running configuration generation $3: 2 BFD session(s) kept, 0 started, 0 stopped" ||
	    fail "the BFD child did not keep its sessions over the reload to min_rx $1 min_tx $2"
	wait_for 50 logged "vrrp child: running configuration generation $3" || fail "the VRRP child did not reload"
	# a few of the slow intervals: a flap would show by now
	sleep 3
	! logged "Entering [A-Za-z]* state" || fail "a session changed state over the reload to min_rx $1 min_tx $2: $(tail -n +"$MARK" "$(node_log dir1)" | grep 'Entering')"
	! logged "Entering FAULT STATE" || fail "an instance went to FAULT over the reload"
	bfd_is dir1 b4 Up && bfd_is dir1 b6 Up || fail "the sessions are not Up after the reload"
}
reload_timers 1000 1000 2
reload_timers 100 1000 3
reload_timers 100 100 4
pass "reloads re-timing the sessions 100 -> 1000 -> 100 ms keep them Up, nothing flaps"

# bfdd's session shut down (AdminDown to us): b4 goes Down, but that is
# no path failure (RFC 5882 3.2): as keepalived, VRRP and the checker are
# not told, so VI_1 stays MASTER and the real server stays in; b4 comes
# Up again when bfdd's session is enabled
frr_vtysh() { vtysh --vty_socket "$T/frr" "$@" >>"$T/frr/vtysh.out" 2>&1; }
mark
frr_vtysh -c "configure terminal" -c "bfd" -c "peer 10.10.0.1" -c "shutdown" ||
    fail "vtysh could not shut bfdd's session down: $(cat "$T/frr/vtysh.out")"
wait_for 50 logged "(b4) Entering Down state (Local diagnostic - Neighbor Signaled Session Down" ||
    fail "b4 did not go Down on bfdd's AdminDown"
logged "(b4) neighbor is administratively down: no path failure" ||
    fail "b4's Down on AdminDown is not told as no path failure"
# the VRRP child's and the checker's own timers have run by now
sleep 2
! logged "Tracked BFD instance b4 is DOWN" || fail "VRRP took the neighbor's AdminDown as b4 down"
! logged "Entering FAULT STATE" || fail "an instance went to FAULT on the neighbor's AdminDown"
is dir1 VI_1 MASTER || fail "VI_1 left MASTER on the neighbor's AdminDown: $(state_of dir1 VI_1)"
! logged 'desired: \[10.10.0.200\]:tcp:80: remove' || fail "the real server left on the neighbor's AdminDown"
bfd_is dir1 b6 Up || fail "b6 left Up with b4's neighbor shut down"
pass "the neighbor's AdminDown: b4 Down, VRRP and the checker keep it Up"
frr_vtysh -c "configure terminal" -c "bfd" -c "peer 10.10.0.1" -c "no shutdown" ||
    fail "vtysh could not enable bfdd's session again"
wait_for 100 bfd_is dir1 b4 Up || fail "b4 did not come Up when bfdd's session was enabled again"
! logged "Tracked BFD instance b4 is" || fail "VRRP was told of b4 over the AdminDown: $(tail -n +"$MARK" "$(node_log dir1)" | grep 'Tracked BFD')"
pass "bfdd's session enabled again: b4 Up, VRRP never told"

# the BFD child killed: as when keepalived's BFD child respawns, the new
# child's sessions start Down and VRRP and the checker are told so (until
# then they keep the last state, as keepalived's pipe from its BFD child
# tells nothing either); the sessions come Up again with bfdd
mark
bpid=$(cat "$(node_pidfile dir1 bfd)")
kill -9 "$bpid"
wait_for 50 logged "bfd child (pid $bpid) .*restarting" || fail "the BFD child was not respawned"
wait_for 100 logged "(VI_1) Tracked BFD instance b4 is DOWN" ||
    fail "VRRP was not told b4 is Down once the BFD child respawned"
wait_for 100 logged "(VI_1) Tracked BFD instance b4 is UP" ||
    fail "VRRP was not told b4 is Up again in the respawned BFD child"
tail -n +"$MARK" "$(node_log dir1)" | grep -o "(VI_1) Tracked BFD instance b4 is [A-Z]*" | tr '\n' ' ' |
    grep -q "^(VI_1) Tracked BFD instance b4 is DOWN (VI_1) Tracked BFD instance b4 is UP $" ||
    fail "VRRP saw b4 in another order: $(tail -n +"$MARK" "$(node_log dir1)" | grep 'Tracked BFD instance b4')"
wait_for 100 bfd_is dir1 b6 Up || fail "b6 is not Up in the respawned BFD child"
wait_for 100 is dir1 VI_1 MASTER || fail "VI_1 did not return to MASTER"
# the checker may or may not have seen b4 Down long enough to remove the
# real server: if it did, the server is back
if logged 'desired: \[10.10.0.200\]:tcp:80: remove \[10.10.0.4\]:80'; then
	wait_for 100 logged 'desired: \[10.10.0.200\]:tcp:80: add \[10.10.0.4\]:80' ||
	    fail "the real server checked by b4 did not return after the BFD child respawned"
fi
pass "BFD child killed: the respawned child's sessions start Down, VRRP follows, then Up"

dump_lock
rm -f /tmp/vigil.data
kill -USR1 "$(node_vpid dir1)"
wait_for 50 grep -q "BFD Topology" /tmp/vigil.data 2>/dev/null || fail "no BFD part in the data dump"
grep -q "bfd_instance b4: Up" /tmp/vigil.data || fail "the dump does not show b4 Up: $(grep bfd_instance /tmp/vigil.data)"
awk '/Session = b6/ { s = 1 } s && /Local state = Up/ { ok = 1 } END { exit !ok }' /tmp/vigil.data ||
    fail "the BFD child's dump does not show b6 Up"
rm -f /tmp/vigil.data
dump_unlock
pass "the data dump lists the sessions and their states"

CTL="${top_builddir:-.}/daemon/vigilctl"
"$CTL" -s "$T/dir1/vigild.ctl" status >"$T/status.out" 2>&1 || fail "vigilctl status: $(cat "$T/status.out")"
grep -q "^b4 *Up *10.10.0.4 *Up " "$T/status.out" || fail "vigilctl status does not show b4 Up: $(cat "$T/status.out")"
"$CTL" -j -s "$T/dir1/vigild.ctl" status >"$T/status.json" 2>&1 || fail "vigilctl -j status failed"
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
s = {b["name"]: b for b in d["bfd_sessions"]}
assert s["b6"]["state"] == "Up" and s["b6"]["neighbor"] == "fd00::4", s' "$T/status.json" ||
    fail "vigilctl -j status: bfd_sessions wrong: $(cat "$T/status.json")"
pass "vigilctl status and its JSON list the sessions"

stop_vigild_on dir1
[ "$VSTATUS" -eq 0 ] || fail "vigild exited $VSTATUS"
# vigild stopping tells bfdd AdminDown: bfdd's session goes down at once
stop_bfdd
topo_teardown
[ -z "$(topo_leftovers)" ] || fail "namespaces left: $(topo_leftovers)"
done_testing
