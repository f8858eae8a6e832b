#!/bin/sh
# Real and virtual server state through a director's checker child:
# alpha (down until a first success), inhibit_on_failure (weight 0, not
# removed), quorum with hysteresis (lost below quorum - hysteresis,
# regained at quorum + hysteresis), a reload (unchanged and changed real
# servers keep their state, a removed one leaves the table, an added one
# enters it), and a respawned checker child that keeps every real
# server's state (no transition, no flap).
. "$(dirname "$0")/../topo.sh"

topo_bridge lan
topo_node dir1 10.20.0.1/24
topo_node rs1 10.20.0.11/24
topo_node rs2 10.20.0.12/24
topo_node rs3 10.20.0.13/24 10.20.0.14/24

listen() {
	ip netns exec "$(node_ns "$1")" socat TCP-LISTEN:80,reuseaddr,fork \
	    SYSTEM:true >/dev/null 2>&1 &
	echo $! >"$T/$1.listener"
	wait_for 50 sh -c "ip netns exec $(node_ns "$1") ss -ltn | grep -q ':80 '" ||
	    fail "$1: listener did not start"
}
unlisten() {
	kill "$(cat "$T/$1.listener")"
	wait_for 50 sh -c "! ip netns exec $(node_ns "$1") ss -ltn | grep -q ':80 '" ||
	    fail "$1: listener did not stop"
}
LOGF=$(node_log dir1)
seen() { grep -qF -- "$1" "$LOGF"; }
nseen() { grep -cF -- "$1" "$LOGF"; }
dump() {
	dump_lock
	rm -f /tmp/vigil.data /tmp/vigil_check.data
	kill -USR1 "$(node_vpid dir1)"
	wait_for 50 grep -q "Desired table" /tmp/vigil_check.data 2>/dev/null ||
	    { dump_unlock; fail "no state dump with the desired table"; }
	sleep 0.2
	cp /tmp/vigil_check.data "$T/dump"
	rm -f /tmp/vigil.data /tmp/vigil_check.data
	dump_unlock
}

for n in rs1 rs2 rs3; do listen $n; done
CONF="$T/dir1/vigil.conf"
cp "$SCENARIO_DIR/state.conf" "$CONF"
start_vigild_on dir1 "$CONF"
A="[10.20.0.100]:tcp:80"
B="[10.20.0.101]:tcp:80"
for i in 1 2 3; do
	wait_for 100 seen "desired: $A: add [10.20.0.1$i]:80 weight 1" ||
	    fail "rs$i not in the desired table"
done
# alpha: down from the start; once its check has failed, still not in
n=0
until dump && grep -qF "TCP_CHECK [10.20.0.13]:81: down, last result failure: connection refused" "$T/dump"; do
	n=$((n + 1))
	[ $n -lt 30 ] || fail "the alpha real server's check never ran: $(grep -F 10.20.0.13 "$T/dump")"
	sleep 0.5
done
seen "desired: $B: add [10.20.0.13]:80" && fail "an alpha real server entered the table before any success"
seen "$B / [10.20.0.13]:81: UP -> DOWN" && fail "an alpha real server went through up"
grep -qF "Real server [10.20.0.13]:81: down" "$T/dump" || fail "the alpha real server is not down in the dump"
pass "alpha: a real server is down until its first success"

# two checks on one real server: both must pass
wait_for 100 seen "real server $B / [10.20.0.11]:80: UP -> DOWN: TCP_CHECK [10.20.0.11]:81: connection refused" ||
    fail "a real server whose second check fails is not down"
seen "desired: $B: remove [10.20.0.11]:80" || fail "it did not leave the table"
seen "real server $A / [10.20.0.11]:80: UP -> DOWN" && fail "the same address in another virtual server went down"
pass "several checks on one real server: one failing takes it down"

# inhibit_on_failure: rs2 stays in the table with weight 0
unlisten rs2
wait_for 100 seen "real server $A / [10.20.0.12]:80: UP -> DOWN: TCP_CHECK [10.20.0.12]:80: connection refused" ||
    fail "rs2 not down"
wait_for 50 seen "desired: $A: [10.20.0.12]:80 weight 1 -> 0" || fail "rs2 not inhibited (weight 0)"
seen "desired: $A: remove [10.20.0.12]:80" && fail "an inhibited real server was removed"
pass "inhibit_on_failure: a failed real server stays with weight 0"

# hysteresis 1 around quorum 2: live weight 1 keeps quorum, 0 loses it
unlisten rs1
wait_for 100 seen "real server $A / [10.20.0.11]:80: UP -> DOWN" || fail "rs1 not down"
seen "virtual server $A: quorum lost" && fail "quorum lost at live weight 1 (quorum 2, hysteresis 1)"
unlisten rs3
wait_for 100 seen "virtual server $A: quorum lost: live weight 0 < 2 - 1" || fail "quorum not lost at live weight 0"
# live weight 2 is not enough to regain it: quorum + hysteresis = 3
listen rs1
listen rs2
wait_for 100 seen "real server $A / [10.20.0.11]:80: DOWN -> UP" || fail "rs1 not back up"
wait_for 100 seen "real server $A / [10.20.0.12]:80: DOWN -> UP" || fail "rs2 not back up"
seen "virtual server $A: quorum gained" && fail "quorum regained at live weight 2 (quorum 2, hysteresis 1)"
listen rs3
wait_for 100 seen "virtual server $A: quorum gained: live weight 3 >= 2 + 1" || fail "quorum not regained at live weight 3"
pass "quorum with hysteresis: lost below quorum - hysteresis, regained at quorum + hysteresis"

# reload: rs1 unchanged, rs2 changed, rs3 removed, 10.20.0.14 added
ups1=$(nseen "$A / [10.20.0.11]:80: DOWN -> UP")
adds1=$(nseen "desired: $A: add [10.20.0.11]:80")
awk '
	/real_server 10.20.0.12 80/ { rs2 = 1 }
	rs2 && /connect_timeout 1/ { sub(/connect_timeout 1/, "connect_timeout 2"); rs2 = 0 }
	/real_server 10.20.0.13 80/ { sub(/10.20.0.13 80/, "10.20.0.14 80") }
	{ print }
' "$SCENARIO_DIR/state.conf" >"$CONF"
kill -HUP "$(node_vpid dir1)"
wait_for 100 seen "checker child: running configuration generation 2" || fail "reload not taken"
wait_for 100 seen "desired: $A: remove [10.20.0.13]:80" || fail "the removed real server stayed in the table"
wait_for 100 seen "desired: $A: add [10.20.0.14]:80 weight 1" || fail "the added real server did not enter the table"
seen "real servers: 3 unchanged, 1 changed, 1 added, 1 removed" || fail "the reload did not match the real servers as expected"
dump
grep -qF "Real server [10.20.0.11]:80: up" "$T/dump" || fail "rs1 not up after the reload"
grep -qF "Real server [10.20.0.12]:80: up" "$T/dump" || fail "the changed rs2 not up after the reload"
[ "$(nseen "desired: $A: add [10.20.0.11]:80")" = "$adds1" ] || fail "the unchanged rs1 was added again"
[ "$(nseen "$A / [10.20.0.11]:80: DOWN -> UP")" = "$ups1" ] || fail "the unchanged rs1 went through a transition"
seen "$A / [10.20.0.12]:80: UP -> DOWN" && [ "$(nseen "$A / [10.20.0.12]:80: UP -> DOWN")" != 1 ] &&
    fail "the changed rs2 flapped on reload"
seen "desired: $A: remove [10.20.0.12]:80" && fail "the changed rs2 left the table on reload"
pass "reload: unchanged and changed real servers keep their state; removed ones leave, added ones enter"

# respawn: the new checker child keeps every real server's state
chk=$(pidof_file "$(node_pidfile dir1 checkers)")
lines=$(wc -l <"$LOGF")
kill -9 "$chk"
wait_for 100 sh -c "tail -n +$lines $LOGF | grep -q 'real server state(s) kept'" || fail "checker child not respawned"
tail -n +"$lines" "$LOGF" | grep -qF "5 real server state(s) kept" ||
    fail "the respawned child did not keep 5 states: $(tail -n +"$lines" "$LOGF" | grep 'state(s) kept')"
wait_for 100 sh -c "tail -n +$lines $LOGF | grep -qF 'desired: $A: add [10.20.0.14]:80 weight 1'" ||
    fail "the respawned child did not rebuild the desired table"
dump
grep -qF "Real server [10.20.0.14]:80: up" "$T/dump" || fail "rs 10.20.0.14 not up after the respawn"
tail -n +"$lines" "$LOGF" | grep -q "UP -> DOWN\|DOWN -> UP" && fail "a real server flapped on respawn"
tail -n +"$lines" "$LOGF" | grep -qF "desired: $B: add [10.20.0.13]:80" && fail "the down alpha real server came up on respawn"
pass "a respawned checker child keeps each real server's state"

stop_vigild_on dir1
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
done_testing
