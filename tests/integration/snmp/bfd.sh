#!/bin/sh
# KEEPALIVED-MIB's BFD tables over the SNMP subagent (snmpd as AgentX
# master in director dir1's namespace, as tests/integration/snmp/snmp.sh):
# dir1 (bfd.conf) has a session to dir2 (a vigild running only its end of
# it), one to an address no one holds and one the checker alone follows;
# VI_3 (the third instance, in no sync group) tracks the first two (its
# line giving the dead one a weight of its own), sync group G1 the first.
#
#  - vrrpBfdTable lists the two sessions VRRP follows, in configuration
#    order, not the checker's: name, result (1 Up, 0 otherwise, as the
#    VRRP child sees it), the bfd_instance's weight and reverse;
#    vrrpTrackedBfdTable VI_3's two lines and vrrpSyncTrackedBfdTable
#    G1's one, with the bfd_instance's weight and reverse (keepalived's
#    choice, whatever the line says);
#  - vrrpBfdResult follows the session: 0 while dir2's BFD packets are
#    dropped, 1 when they pass again; a reload of dir1 keeps the tables;
#  - keepalived 2.2.7 on the same configuration serves the same three
#    tables, value by value.
. "$(dirname "$0")/../topo.sh"

for p in snmpd snmpwalk snmpget; do
	command -v "$p" >/dev/null 2>&1 ||
	    { echo "1..0 # SKIP $p is not installed (tools/setup)"; exit 77; }
done

MIBS=
MIBDIRS=$T/nomibs
export MIBS MIBDIRS
mkdir -p "$T/nomibs"

KA=.1.3.6.1.4.1.9586.100.5
AGENTX=unix:$T/dir1/agentx.sock

topo_bridge lan
topo_node dir1 10.10.0.1/24
topo_node dir2 10.10.0.2/24
sed "s|@AGENTX@|$AGENTX|" "$SCENARIO_DIR/bfd.conf" >"$T/dir1/vigil.conf"
cat >"$T/dir2/vigil.conf" <<EOC
bfd_instance b_dir1 {
    neighbor_ip 10.10.0.1
    min_rx 100
    min_tx 100
    multiplier 3
}
EOC
SNIPPET=$SCENARIO_DIR/../../../etc/snmpd.conf.vigil
grep -q '^agentXSocket unix:/var/agentx/master$' "$SNIPPET" ||
    fail "etc/snmpd.conf.vigil has no agentXSocket line to adapt"
{
	sed -e "s|^agentXSocket unix:/var/agentx/master$|agentXSocket $AGENTX|" \
	    "$SNIPPET"
	echo "agentaddress udp:127.0.0.1:1161"
} >"$T/dir1/snmpd.conf"

in1() { ip netns exec "$(node_ns dir1)" "$@"; }
walk() {
	in1 snmpwalk -v2c -c public -On -t 2 -r 1 127.0.0.1:1161 "$@" 2>/dev/null |
	    grep -v ' = No more variables left in this MIB View\| = No Such'
}
get() { in1 snmpget -v2c -c public -On -Oqv -t 2 -r 1 127.0.0.1:1161 "$@" 2>/dev/null; }
value_is() { [ "$(get "$1")" = "$2" ]; }
tables() { # FILE: the three BFD tables
	{ walk $KA.2.17; walk $KA.2.18; walk $KA.2.19; } >"$1"
}

ip netns exec "$(node_ns dir1)" snmpd -f -Lf "$T/dir1/snmpd.log" -C \
    -c "$T/dir1/snmpd.conf" -p "$T/dir1/snmpd.pid" >/dev/null 2>&1 &
wait_for 100 test -S "$T/dir1/agentx.sock" || fail "snmpd did not open its AgentX socket"

start_vigild_on dir2 "$T/dir2/vigil.conf"
start_vigild_on dir1 "$T/dir1/vigil.conf"
wait_for 100 value_is $KA.2.18.1.3.1 1 ||
    fail "vrrpBfdResult of b_peer is '$(get $KA.2.18.1.3.1)', not 1 (Up)"
tables "$T/vigil.walk"
cat >"$T/expected" <<EOW
$KA.2.17.1.2.3.1 = STRING: "b_dead"
$KA.2.17.1.2.3.2 = STRING: "b_peer"
$KA.2.17.1.3.3.1 = INTEGER: -20
$KA.2.17.1.3.3.2 = INTEGER: 10
$KA.2.17.1.4.3.1 = INTEGER: 1
$KA.2.17.1.4.3.2 = INTEGER: 2
$KA.2.18.1.2.1 = STRING: "b_peer"
$KA.2.18.1.2.2 = STRING: "b_dead"
$KA.2.18.1.3.1 = INTEGER: 1
$KA.2.18.1.3.2 = INTEGER: 0
$KA.2.18.1.4.1 = INTEGER: 10
$KA.2.18.1.4.2 = INTEGER: -20
$KA.2.18.1.5.1 = INTEGER: 2
$KA.2.18.1.5.2 = INTEGER: 1
$KA.2.19.1.2.1.1 = STRING: "b_peer"
$KA.2.19.1.3.1.1 = INTEGER: 10
$KA.2.19.1.4.1.1 = INTEGER: 2
EOW
diff "$T/expected" "$T/vigil.walk" >"$T/diff" ||
    fail "the BFD tables are not as expected (- expected, + served): $(cat "$T/diff")"
pass "vrrpBfdTable, vrrpTrackedBfdTable and vrrpSyncTrackedBfdTable: the sessions VRRP follows, VI_3's and G1's lines, with the bfd_instances' weights"

# dir2's BFD packets dropped (a path failure: a stopping peer's
# AdminDown is not one, and VRRP is not told of it, as in keepalived)
node_exec dir2 nft -f - <<'EON' || fail "nft: cannot drop dir2's BFD packets"
table inet bfdblock {
    chain out {
        type filter hook output priority 0;
        udp dport 3784 drop
    }
}
EON
wait_for 100 value_is $KA.2.18.1.3.1 0 ||
    fail "vrrpBfdResult of b_peer stays '$(get $KA.2.18.1.3.1)' with dir2's packets dropped"
node_exec dir2 nft delete table inet bfdblock
wait_for 100 value_is $KA.2.18.1.3.1 1 ||
    fail "vrrpBfdResult of b_peer is not 1 again with dir2's packets back"
pass "vrrpBfdResult follows the session: 0 while dir2's packets are dropped, 1 when they are back"

# a reload of dir1: the tables as before (within the SNMP child's next
# refresh, 10 s: under load the feed after a reload has been seen to
# leave vrrpBfdResult at 0 until then)
reload_on dir1 2
wait_for 100 value_is $KA.2.18.1.3.1 1 ||
    fail "vrrpBfdResult of b_peer is '$(get $KA.2.18.1.3.1)' after a reload, not 1"
tables "$T/vigil.reload"
diff "$T/expected" "$T/vigil.reload" >"$T/diff" ||
    fail "the BFD tables after a reload (- before, + after): $(cat "$T/diff")"
pass "a reload keeps the BFD tables as they were"

# --- keepalived 2.2.7 on the same configuration: the same tables ----------
if [ ! -x "$KEEPALIVED" ] || ! "$KEEPALIVED" --version 2>&1 | grep -q SNMP_VRRP ||
    ! "$KEEPALIVED" --version 2>&1 | grep -q BFD; then
	echo "ok - keepalived comparison # SKIP keepalived without SNMP or BFD"
	done_testing
	exit 0
fi
stop_vigild_on dir1
[ "$VSTATUS" = 0 ] || fail "vigild on dir1 exited with status $VSTATUS"
ip netns exec "$(node_ns dir1)" "$KEEPALIVED" -n -l -D -f "$T/dir1/vigil.conf" \
    -p "$T/dir1/ka.pid" -r "$T/dir1/ka-vrrp.pid" -c "$T/dir1/ka-chk.pid" \
    -b "$T/dir1/ka-bfd.pid" >>"$T/dir1/keepalived.log" 2>&1 &
KA_PID=$!
wait_for 150 value_is $KA.2.18.1.3.1 1 ||
    fail "keepalived's vrrpBfdResult of b_peer is '$(get $KA.2.18.1.3.1)', not 1; its log: $(tail -20 "$T/dir1/keepalived.log")"
tables "$T/ka.walk"
kill -TERM "$KA_PID" 2>/dev/null
wait_for 100 dead "$KA_PID" || fail "keepalived did not stop"
wait "$KA_PID" 2>/dev/null
diff "$T/ka.walk" "$T/vigil.walk" >"$T/diff" ||
    fail "keepalived's BFD tables (-) differ from vigild's (+): $(cat "$T/diff")"
pass "keepalived 2.2.7 on the same configuration: the same three BFD tables ($(grep -c . "$T/ka.walk") values)"
stop_vigild_on dir2
done_testing
