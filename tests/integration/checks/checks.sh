#!/bin/sh
# A director's health checks end to end: three real servers (socat
# listeners that count the connections they take) behind a virtual server
# with quorum 2 and a sorry server. A stopped real server leaves the
# desired table (the log and the state dump say why) and comes back when
# it answers again, with its notify scripts run in order; losing quorum
# puts the sorry server in and the live real servers out, regaining it
# reverses that. rs1 is also named by a second virtual server with the
# same check: it gets as many probes as rs3, which only one names.
. "$(dirname "$0")/../topo.sh"

topo_bridge lan
topo_node dir1 10.20.0.1/24
for i in 1 2 3; do
	topo_node rs$i 10.20.0.1$i/24
done

# listen RS: a listener on port 80 of rs$1 counting connections
listen() {
	ip netns exec "$(node_ns "$1")" socat TCP-LISTEN:80,reuseaddr,fork \
	    SYSTEM:"echo c >>$T/$1.count" >/dev/null 2>&1 &
	echo $! >"$T/$1.listener"
	wait_for 50 sh -c "ip netns exec $(node_ns "$1") ss -ltn | grep -q ':80 '" ||
	    fail "$1: listener did not start"
}
unlisten() {
	kill "$(cat "$T/$1.listener")"
	wait_for 50 sh -c "! ip netns exec $(node_ns "$1") ss -ltn | grep -q ':80 '" ||
	    fail "$1: listener did not stop"
}
count() { cat "$T/$1.count" 2>/dev/null | wc -l; }
LOGF=$(node_log dir1)
# seen TEXT: TEXT is in dir1's log (fixed string)
seen() { grep -qF -- "$1" "$LOGF"; }
# after A B: the first line holding B comes after the first holding A
after() {
	_a=$(grep -nF -- "$1" "$LOGF" | head -1 | cut -d: -f1)
	_b=$(grep -nF -- "$2" "$LOGF" | sed -n '$p' | cut -d: -f1)
	[ -n "$_a" ] && [ -n "$_b" ] && [ "$_b" -gt "$_a" ]
}
# dump: the state dump (SIGUSR1) into $T/dump
dump() {
	dump_lock
	rm -f /tmp/vigil.data /tmp/vigil_check.data
	kill -USR1 "$(node_vpid dir1)"
	wait_for 50 grep -q "Desired table" /tmp/vigil_check.data 2>/dev/null ||
	    { dump_unlock; fail "no state dump with the desired table"; }
	sleep 0.2
	cp /tmp/vigil_check.data "$T/dump"
	sed -n '/Desired table/,/Backend log/p' "$T/dump" >"$T/table"
	rm -f /tmp/vigil.data /tmp/vigil_check.data
	dump_unlock
}

cat >"$T/notify.sh" <<SH
#!/bin/sh
echo "\$*" >>$T/notify.out
SH
chmod 755 "$T/notify.sh"
for i in 1 2 3; do listen rs$i; done
sed "s|@T@|$T|g" "$SCENARIO_DIR/dir1.conf" >"$T/dir1/vigil.conf"
start_vigild_on dir1 "$T/dir1/vigil.conf"

VS="[10.20.0.100]:tcp:80"
for i in 1 2 3; do
	wait_for 100 seen "desired: $VS: add [10.20.0.1$i]:80 weight 1" ||
	    fail "rs$i not in the desired table"
done
wait_for 100 seen "desired: [10.20.0.101]:tcp:80: add [10.20.0.11]:80 weight 1" ||
    fail "rs1 not in the second virtual server"
wait_for 100 sh -c "[ \$(cat $T/rs3.count 2>/dev/null | wc -l) -ge 1 ]" ||
    fail "rs3 was never probed"
# keepalived runs quorum_up for a virtual server starting with its quorum
wait_for 50 grep -qx "quorum_up" "$T/notify.out" || fail "quorum_up did not run at start"
pass "three real servers checked and in the desired table; quorum_up run at start"

# rs2 stops: it leaves the table with the reason, notify_down runs
unlisten rs2
wait_for 100 seen "real server $VS / [10.20.0.12]:80: UP -> DOWN: TCP_CHECK [10.20.0.12]:80: connection refused" ||
    fail "rs2 down not logged with its reason"
wait_for 50 seen "desired: $VS: remove [10.20.0.12]:80" || fail "rs2 did not leave the desired table"
after "UP -> DOWN" "desired: $VS: remove [10.20.0.12]:80" || fail "rs2 left the table before it was down"
dump
grep -qF "Real server [10.20.0.12]:80: down, weight 1, reason: TCP_CHECK [10.20.0.12]:80: connection refused" "$T/dump" ||
    fail "the state dump does not show rs2 down with its reason: $(grep -F 10.20.0.12 "$T/dump")"
grep -qF -- "-> [10.20.0.12]:80" "$T/table" && fail "rs2 still in the dumped desired table"
grep -qF -- "-> [10.20.0.11]:80 weight 1" "$T/table" || fail "rs1 not in the dumped desired table"
grep -q "TCP_CHECK \[10.20.0.11\]:80: up, last result success, .*(shared)" "$T/dump" ||
    fail "the dump does not show rs1's shared check"
wait_for 50 grep -qx "down rs2" "$T/notify.out" || fail "notify_down did not run"
pass "a stopped real server leaves the desired table; log, dump and notify_down say why"

# rs2 answers again: back in the table, notify_up after notify_down
listen rs2
wait_for 100 seen "real server $VS / [10.20.0.12]:80: DOWN -> UP" || fail "rs2 not back up"
wait_for 50 sh -c "grep -cF 'desired: $VS: add [10.20.0.12]:80 weight 1' $LOGF | grep -qx 2" ||
    fail "rs2 not back in the desired table"
wait_for 50 grep -qx "up rs2" "$T/notify.out" || fail "notify_up did not run"
[ "$(cat "$T/notify.out" | tr '\n' ,)" = "quorum_up,down rs2,up rs2," ] ||
    fail "notify scripts out of order: $(cat "$T/notify.out")"
pass "the real server returns when it answers again; notify_up follows notify_down"

# rs2 and rs3 stop: live weight 1 < quorum 2: the sorry server in, rs1 out
unlisten rs2
unlisten rs3
wait_for 150 seen "virtual server $VS: quorum lost" || fail "quorum not lost"
wait_for 50 seen "desired: $VS: add [10.20.0.20]:80 weight 1 DR (sorry server)" ||
    fail "the sorry server did not come in"
wait_for 50 seen "desired: $VS: remove [10.20.0.11]:80" || fail "live rs1 did not leave for the sorry server"
after "quorum lost" "(sorry server)" || fail "the sorry server came in before quorum was lost"
wait_for 50 grep -qx "quorum_down" "$T/notify.out" || fail "quorum_down did not run"
seen "desired: [10.20.0.101]:tcp:80: remove [10.20.0.11]:80" &&
    fail "the second virtual server lost rs1: its view is its own"
pass "quorum lost: the sorry server in, the live real servers out, quorum_down run"

# rs2 answers again: quorum regained, sorry server out, rs1 and rs2 back
listen rs2
wait_for 150 seen "virtual server $VS: quorum gained" || fail "quorum not regained"
wait_for 50 seen "desired: $VS: remove [10.20.0.20]:80 (sorry server)" ||
    fail "the sorry server did not leave"
wait_for 50 sh -c "grep -cF 'desired: $VS: add [10.20.0.11]:80 weight 1' $LOGF | grep -qx 2" ||
    fail "rs1 did not return after quorum was regained"
wait_for 50 sh -c "[ \$(grep -cx quorum_up $T/notify.out) = 2 ]" || fail "quorum_up did not run"
dump
grep -qF "Virtual server $VS: quorum up" "$T/dump" || fail "dump does not show quorum up"
grep -qF "(sorry server)" "$T/table" && fail "the sorry server still in the dumped desired table"
grep -qF -- "-> [10.20.0.12]:80 weight 1" "$T/table" || fail "rs2 not back in the dumped desired table"
pass "quorum regained: the sorry server out, the real servers back, quorum_up run"

# shared check: rs1 (two virtual servers) is probed as often as rs1 alone
# would be; rs3 is probed as before; compare rs1 against a fresh count of rs3
listen rs3
wait_for 100 seen "real server $VS / [10.20.0.13]:80: DOWN -> UP" || fail "rs3 not back up"
: >"$T/rs1.count"
: >"$T/rs3.count"
wait_for 300 sh -c "[ \$(cat $T/rs3.count | wc -l) -ge 6 ]" || fail "rs3 not probed 6 times"
c1=$(count rs1)
c3=$(count rs3)
[ "$c1" -le $((c3 + 2)) ] || fail "rs1 probed $c1 times while rs3 was probed $c3 times: the shared check runs twice"
[ "$c1" -ge $((c3 - 2)) ] || fail "rs1 probed $c1 times while rs3 was probed $c3 times"
pass "a check two virtual servers share runs once per interval ($c1 vs $c3 probes)"

stop_vigild_on dir1
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
done_testing
