#!/bin/sh
# The SNMP subagent against Debian's snmpd as AgentX master agent,
# configured by the snippet vigil ships (etc/snmpd.conf.vigil), in the
# namespace of director dir1 (its socket, config and logs in the test's
# directory): dir1 (vigild, SNMP on) MASTER over dir2 (vigild) for a v2
# and a v3 instance in a sync group, a virtual server with two checked
# real servers on node rs.
#
#  - snmpwalk of KEEPALIVED-MIB, VRRP-MIB and VRRPv3-MIB shows the known
#    state (names, VRIDs, states, priorities, VIPs, real servers up and
#    down, weights); a third instance, VI_3 (dir1 alone), tracks an
#    interface, scripts, a file and a process and carries virtual routes
#    and rules: the tracking tables and the tracked objects' state, static
#    addresses, routes and rules, a virtual server group; the file's value
#    and the process's count follow as they change;
#  - sets of VI_3's base priority and preemption reach the VRRP child
#    and show in the RFC tables too; bad sets answer wrongValue,
#    notWritable, wrongType; vrrpInstanceAccept answers noAccess
#    (VRRPv3) or notWritable (VRRPv2), as keepalived 2.2.7 (checked
#    against it below);
#  - keepalived on the same configuration in the same lab (VRRP part: its
#    checker tables need IPVS, tests/kernel/ipvs_ka_checks.sh compares
#    them), after the same history (dir1 preempting dir2), gives the same
#    walk: every OID in both walks with the same value but for those
#    listed in VALUE (the version string, timeticks, counters, one value
#    vigild does not know) and the rows listed in VIGIL_ONLY (keepalived
#    2.2.7 cannot serve them);
#  - snmptrapd catches the notifications of the state change to MASTER
#    (vrrpTrapNewMaster naming dir1's own address, as keepalived's), of
#    bad adverts (vrrpTrapAuthFailure with the packet's source and
#    keepalived's error type, vrrpStatsInvalidAuthType counting an
#    unknown auth type) and of a real server's failure (and the quorum
#    it takes down);
#  - a set of a real server's weight reaches the checker child;
#  - snmpd frozen with SIGSTOP, then killed and restarted: meanwhile dir1
#    stays MASTER and dir2 BACKUP; afterwards the walk is whole again and
#    the outage was logged once, not once per retry.
. "$(dirname "$0")/../topo.sh"

for p in snmpd snmptrapd snmpwalk snmpget snmpset; do
	command -v "$p" >/dev/null 2>&1 ||
	    { echo "1..0 # SKIP $p is not installed (tools/setup)"; exit 77; }
done
KEEPALIVED=${KEEPALIVED:-$(command -v keepalived || echo /usr/sbin/keepalived)}

# the net-snmp tools load no MIB files: numeric OIDs only
MIBS=
MIBDIRS=$T/nomibs
export MIBS MIBDIRS
mkdir -p "$T/nomibs"

CTL="${top_builddir:-.}/daemon/vigilctl"
[ -x "$CTL" ] || { echo "1..0 # SKIP $CTL is not built"; exit 77; }
ctl1() { "$CTL" -s "$T/dir1/vigild.ctl" "$@"; }
# rs_weight PORT: the weight vigilctl shows for 10.10.0.10:PORT (desired
# table)
rs_weight() {
	ctl1 -j status 2>/dev/null | python3 -c 'import json,sys
d=json.load(sys.stdin)
print([r for v in d["virtual_servers"] for r in v["real_servers"]
    if r["real"] == "[10.10.0.10]:'"$1"'"][0]["weight"])' 2>/dev/null
}
weight_is() { [ "$(rs_weight "$1")" = "$2" ]; }

KA=.1.3.6.1.4.1.9586.100.5
V2=.1.3.6.1.2.1.68
V3=.1.3.6.1.2.1.207
AGENTX=unix:$T/dir1/agentx.sock

topo_bridge lan
topo_node dir1 10.10.0.1/24
topo_node dir2 10.10.0.2/24
topo_node rs 10.10.0.10/24
sed "s|@AGENTX@|$AGENTX|;s|@T@|$T|" "$SCENARIO_DIR/dir1.conf" >"$T/dir1/vigil.conf"
# the master agent: the snippet vigil ships (etc/snmpd.conf.vigil, its
# community "private" switched on), on the test's AgentX socket, SNMP on
# the node's loopback, traps to the test's snmptrapd
SNIPPET=$SCENARIO_DIR/../../../etc/snmpd.conf.vigil
grep -q '^agentXSocket unix:/var/agentx/master$' "$SNIPPET" &&
    grep -q '^#rwcommunity private localhost -V vigilview$' "$SNIPPET" ||
    fail "etc/snmpd.conf.vigil has no agentXSocket or rwcommunity line to adapt"
{
	sed -e "s|^agentXSocket unix:/var/agentx/master$|agentXSocket $AGENTX|" \
	    -e 's|^#rwcommunity private|rwcommunity private|' "$SNIPPET"
	printf '%s\n' "agentaddress udp:127.0.0.1:1161" \
	    "trap2sink 127.0.0.1:1162 public"
} >"$T/dir1/snmpd.conf"
cp "$SCENARIO_DIR/dir2.conf" "$T/dir2/vigil.conf"

in1() { ip netns exec "$(node_ns dir1)" "$@"; }
# what VI_3 tracks: an interface, a file holding 5, a process
in1 ip link add trk0 type veth peer name trk1 || fail "cannot make trk0"
in1 ip link set trk1 up
in1 ip link set trk0 up
echo 5 >"$T/dir1/track.file"
cp /bin/sleep "$T/dir1/vgsnmpproc"
ip netns exec "$(node_ns dir1)" "$T/dir1/vgsnmpproc" 3600 >/dev/null 2>&1 &
PROC=$!
# (the end of snmpd's view is no value: keepalived's last one is there)
walk() {
	in1 snmpwalk -v2c -c public -On -t 2 -r 1 127.0.0.1:1161 "$@" 2>/dev/null |
	    grep -v ' = No more variables left in this MIB View'
}
get() { in1 snmpget -v2c -c public -On -Oqv -t 2 -r 1 127.0.0.1:1161 "$@" 2>/dev/null; }
walk_all() { # FILE
	{ walk $KA; walk $V2; walk $V3; } >"$1"
}

start_snmpd() {
	# ip netns exec itself, so that $! is snmpd
	ip netns exec "$(node_ns dir1)" snmpd -f -Lf "$T/dir1/snmpd.log" -C \
	    -c "$T/dir1/snmpd.conf" -p "$T/dir1/snmpd.pid" >/dev/null 2>&1 &
	SNMPD=$!
	wait_for 100 test -S "$T/dir1/agentx.sock" || fail "snmpd did not open its AgentX socket"
}
start_snmpd
printf 'disableAuthorization yes\n' >"$T/dir1/snmptrapd.conf"
ip netns exec "$(node_ns dir1)" snmptrapd -f -Lf "$T/dir1/traps.log" -On -C -c "$T/dir1/snmptrapd.conf" \
    -p "$T/dir1/snmptrapd.pid" 127.0.0.1:1162 >/dev/null 2>&1 &
TRAPD=$!
traps_have() { grep -q -- "$1" "$T/dir1/traps.log" 2>/dev/null; }
# a trap line holding all the given strings
trap_with() {
	_f="$T/dir1/traps.log"
	for _s in "$@"; do
		_f2=$(grep -F -- "$_s" "$_f" 2>/dev/null) || return 1
		printf '%s\n' "$_f2" >"$T/dir1/traps.sel"
		_f="$T/dir1/traps.sel"
	done
}

# the real servers
for port in 8081 8082; do
	ip netns exec "$(node_ns rs)" socat TCP-LISTEN:$port,fork,reuseaddr \
	    /dev/null >/dev/null 2>&1 &
	echo $! >"$T/rs/socat$port.pid"
done

last_state() {
	grep -o '(VI_1) Entering [A-Z]* STATE' "$(node_log "$1")" 2>/dev/null |
	    tail -1 | awk '{print $3}'
}
is_state() { [ "$(last_state "$1")" = "$2" ]; }

# dir2 MASTER first, then dir1 preempts it: the history keepalived has
# below (vrrpv3StatisticsNewMasterReason is compared)
start_vigild_on dir2 "$T/dir2/vigil.conf"
wait_for 150 is_state dir2 MASTER || fail "dir2 did not become MASTER alone"
start_vigild_on dir1 "$T/dir1/vigil.conf"
wait_for 150 is_state dir1 MASTER || fail "dir1 did not become MASTER"
node_log_has dir1 "VI_1: BACKUP -> MASTER: master down timer expired (.*), preempting a lower priority master" ||
    fail "dir1's VI_1 did not say it preempted dir2"
vi3_master() { node_log_has dir1 "(VI_3) Entering MASTER STATE"; }
wait_for 150 vi3_master || fail "VI_3 did not become MASTER on dir1"
wait_for 50 is_state dir2 BACKUP || fail "dir2 is not BACKUP"
wait_for 100 node_log_has dir1 "connected to the SNMP master agent at $AGENTX" ||
    fail "the SNMP child did not connect to snmpd"
pass "dir1 MASTER, preempting dir2, now BACKUP; the SNMP child connected to the master agent"

# --- the walk shows the known state -------------------------------------
vs_met() { [ "$(get $KA.3.3.1.23.1)" = 1 ]; }
wait_for 100 vs_met || fail "the virtual server's quorum is not met in the walk"
wait_for 50 sh -c "[ \"\$(ip netns exec $(node_ns dir1) snmpget -v2c -c public -On -Oqv 127.0.0.1:1161 $KA.2.1.1.3.1 2>/dev/null)\" = 2 ]" ||
    fail "the sync group is not master in the walk"
scripts_settled() {
	[ "$(get $KA.2.9.1.6.1)" = 3 ] && [ "$(get $KA.2.9.1.6.2)" = 2 ]
}
wait_for 100 scripts_settled || fail "vrrpScriptResult: chk_ok not good (3) or chk_bad not bad (2): $(get $KA.2.9.1.6.1) $(get $KA.2.9.1.6.2)"
walk_all "$T/vigil.walk"
expect() { # OID VALUE-AS-SNMPWALK-PRINTS
	grep -qxF -- "$1 = $2" "$T/vigil.walk" ||
	    fail "walk: expected '$1 = $2', got '$(grep -F -- "$1 =" "$T/vigil.walk")'"
}
expect $KA.1.2.0 'STRING: "dir1"'
expect $KA.1.4.0 'INTEGER: 1'
expect $KA.2.1.1.2.1 'STRING: "G1"'
expect $KA.2.1.1.3.1 'INTEGER: 2'
expect $KA.2.2.1.2.1.2 'STRING: "VI_2"'
expect $KA.2.3.1.2.1 'STRING: "VI_1"'
expect $KA.2.3.1.3.1 'Gauge32: 51'
expect $KA.2.3.1.3.2 'Gauge32: 52'
expect $KA.2.3.1.4.1 'INTEGER: 2'
expect $KA.2.3.1.4.2 'INTEGER: 2'
expect $KA.2.3.1.7.1 'INTEGER: 150'
expect $KA.2.3.1.8.2 'INTEGER: 120'
expect $KA.2.3.1.10.1 'STRING: "eth0"'
expect $KA.2.3.1.18.2 'STRING: "G1"'
expect $KA.2.3.1.30.2 'INTEGER: 3'
expect $KA.2.6.1.3.1.2 'Hex-STRING: 0A 0A 00 65 '
expect $KA.2.6.1.5.1.2 'Gauge32: 24'
expect $KA.2.6.1.10.2.1 'INTEGER: 1'
expect $KA.3.3.1.6.1 'Hex-STRING: 0A 0A 00 64 '
expect $KA.3.3.1.7.1 'Gauge32: 80'
expect $KA.3.3.1.9.1 'INTEGER: 2'
expect $KA.3.3.1.10.1 'INTEGER: 2'
expect $KA.3.3.1.20.1 'Gauge32: 2'
expect $KA.3.3.1.21.1 'Gauge32: 2'
expect $KA.3.3.1.22.1 'Gauge32: 8'
expect $KA.3.4.1.4.1.2 'Hex-STRING: 0A 0A 00 0A '
# realServerPort: the port of the IPVS destination, as keepalived 2.2.7's
# row once it has reset a DR real server's (8081 and 8082 are both
# [10.10.0.10]:80 there; vigilctl names them by the port written)
expect $KA.3.4.1.5.1.1 'Gauge32: 80'
expect $KA.3.4.1.5.1.2 'Gauge32: 80'
expect $KA.3.4.1.6.1.1 'INTEGER: 1'
expect $KA.3.4.1.6.1.2 'INTEGER: 1'
expect $KA.3.4.1.7.1.1 'INTEGER: 3'
expect $KA.3.4.1.7.1.2 'INTEGER: 5'
expect $V2.1.3.1.3.2.51 'INTEGER: 3'
expect $V2.1.3.1.6.2.51 'INTEGER: 2'
expect $V2.1.3.1.8.2.51 'IpAddress: 10.10.0.1'
expect $V2.1.4.1.2.2.51.10.10.0.101 'INTEGER: 1'
expect $V3.1.1.1.1.6.2.52.1 'INTEGER: 3'
expect $V3.1.1.1.1.7.2.52.1 'Gauge32: 120'
expect $V3.1.1.2.1.2.2.52.1.10.10.0.102 'INTEGER: 1'
# vrrpv3StatisticsNewMasterReason: VI_1 and VI_2 preempted dir2 (2),
# VI_3 heard no master (3)
expect $V3.1.2.5.1.2.2.51.1 'INTEGER: 2'
expect $V3.1.2.5.1.2.2.52.1 'INTEGER: 2'
expect $V3.1.2.5.1.2.2.53.1 'INTEGER: 3'
# what VI_3 and G1 track, the tracked objects, static and virtual
# addresses, routes and rules, the virtual server group
expect $KA.2.4.1.1.3.1 'STRING: "trk0"'
expect $KA.2.4.1.2.3.1 'INTEGER: 10'
expect $KA.2.5.1.2.3.2 'STRING: "chk_bad"'
expect $KA.2.5.1.3.3.2 'INTEGER: -7'
expect $KA.2.5.1.4.3.2 'INTEGER: 1'
expect $KA.2.9.1.2.1 'STRING: "chk_ok"'
expect $KA.2.9.1.3.1 "STRING: \"'$(realpath /bin/true)'\""
expect $KA.2.9.1.5.2 'INTEGER: -3'
expect $KA.2.12.1.2.3.1 'STRING: "tf1"'
expect $KA.2.13.1.2.1 'STRING: "tf1"'
expect $KA.2.13.1.4.1 'INTEGER: 5'
expect $KA.2.14.1.1.1.1 'STRING: "trk0"'
expect $KA.2.20.1.2.3.1 'STRING: "tp1"'
expect $KA.2.21.1.13.1 'INTEGER: 1'
expect $KA.2.21.1.14.1 'INTEGER: 1'
expect $KA.2.6.1.3.0.1 'Hex-STRING: 0A 0A 00 32 '
expect $KA.2.7.1.3.0.1 'Hex-STRING: 0A 28 00 00 '
expect $KA.2.7.1.3.3.1 'Hex-STRING: 0A 1E 00 00 '
expect $KA.2.7.1.8.3.1 'Gauge32: 7'
expect $KA.2.7.1.14.3.1 'INTEGER: 1'
# vrrpRouteNextHopTable: the static multipath route's first hop (weight
# 2, eth0), its second (onlink), VI_1's second hop's gateway
expect $KA.2.11.1.6.0.2.1 'Gauge32: 2'
expect $KA.2.11.1.5.0.2.1 'STRING: "eth0"'
expect $KA.2.11.1.7.0.2.2 'INTEGER: 1'
expect $KA.2.11.1.3.3.2.2 'Hex-STRING: 0A 0A 00 FB '
expect $KA.2.7.1.10.3.2 'INTEGER: 2'
expect $KA.2.8.1.13.3.1 'Hex-STRING: 0A 0A 00 67 '
expect $KA.2.8.1.25.3.1 'Gauge32: 200'
expect $KA.3.1.1.2.1 'STRING: "VSG1"'
expect $KA.3.2.1.3.1.1 'Gauge32: 7'
expect $KA.3.2.1.5.1.2 'Hex-STRING: 0A 0A 00 6E '
expect $KA.3.2.1.6.1.3 'Hex-STRING: 0A 0A 00 6F '
expect $KA.3.2.1.7.1.3 'Hex-STRING: 0A 0A 00 70 '
expect $KA.3.2.1.8.1.3 'Gauge32: 80'
expect $KA.3.6.1.0 'INTEGER: 2'
# an unused vrrp_script is not listed, as keepalived drops it
grep -q "^$KA.2.9.1.2.3 " "$T/vigil.walk" && fail "vrrpScriptTable lists chk_unused"
# the v3 instance is not in the v2 MIB
grep -q "^$V2.1.3.1.3.2.52 " "$T/vigil.walk" && fail "VRRP-MIB lists the VRRPv3 instance"
pass "snmpwalk of the three MIBs shows the instances, sync group, VIPs, virtual and real servers"
pass "snmpwalk shows what is tracked and its state, static and virtual addresses, routes and rules, the virtual server group"

# the tracked file's value follows the file
echo 0 >"$T/dir1/track.file"
wait_for 100 sh -c "[ \"\$(ip netns exec $(node_ns dir1) snmpget -v2c -c public -On -Oqv 127.0.0.1:1161 $KA.2.13.1.4.1 2>/dev/null)\" = 0 ]" ||
    fail "vrrpFileResult does not follow the file (got '$(get $KA.2.13.1.4.1)')"
echo 5 >"$T/dir1/track.file"
wait_for 100 sh -c "[ \"\$(ip netns exec $(node_ns dir1) snmpget -v2c -c public -On -Oqv 127.0.0.1:1161 $KA.2.13.1.4.1 2>/dev/null)\" = 5 ]" ||
    fail "vrrpFileResult does not follow the file back"
pass "vrrpFileResult follows the tracked file (5 -> 0 -> 5)"

# --- traps: the state change to MASTER ------------------------------------
wait_for 50 trap_with "OID: $KA.2.10.0.2" '"VI_1"' "$KA.2.3.1.4.1 = INTEGER: 2" ||
    fail "no vrrpInstanceStateChange trap for VI_1 -> MASTER"
# keepalived sends its own address as vrrpOperMasterIpAddr
wait_for 50 trap_with "OID: $V2.0.1" "$V2.1.3.1.7.2.51 = IpAddress: 10.10.0.1" ||
    fail "no vrrpTrapNewMaster naming dir1's address: $(grep -F "OID: $V2.0.1" "$T/dir1/traps.log" | head -1)"
wait_for 50 trap_with "OID: $V3.0.1" "$V3.1.1.1.1.3.2.52.1 = Hex-STRING: 0A 0A 00 01" ||
    fail "no vrrpv3NewMaster for VI_2 naming dir1's address"
wait_for 50 trap_with "OID: $KA.2.10.0.1" '"G1"' || fail "no vrrpSyncGroupStateChange for G1"
pass "traps: vrrpInstanceStateChange, vrrpSyncGroupStateChange, vrrpTrapNewMaster, vrrpv3NewMaster"

# --- traps: bad adverts ------------------------------------------------------
# from rs: VRID 51 with simple password authentication (VI_1 has none), and
# a VRRPv2 advert for VRID 52 (VI_2 speaks VRRPv3)
node_exec rs python3 "$SCENARIO_DIR/vrrp_send.py" 10.10.0.10 51 1 10.10.0.100 10.10.0.101 ||
    fail "cannot send the bad adverts"
node_exec rs python3 "$SCENARIO_DIR/vrrp_send.py" 10.10.0.10 52 0 10.10.0.102 ||
    fail "cannot send the bad adverts"
wait_for 200 traps_have "OID: $V2.0.2" || fail "no vrrpTrapAuthFailure for the advert with a foreign auth type"
[ "$(get $V2.2.4.1.11.2.51)" -ge 1 ] 2>/dev/null ||
    fail "vrrpStatsAuthTypeMismatch does not count the adverts of another auth type (got '$(get $V2.2.4.1.11.2.51)')"
# vrrpTrapAuthErrorType authTypeMismatch(2) and vrrpTrapPacketSrc the
# advert's source, indexed by (ifIndex, VRID) as keepalived's
trap_with "OID: $V2.0.2" "$V2.1.6.2.51 = INTEGER: 2" "$V2.1.5.2.51 = IpAddress: 10.10.0.10" ||
    fail "vrrpTrapAuthFailure does not say authTypeMismatch from 10.10.0.10: $(grep -F "OID: $V2.0.2" "$T/dir1/traps.log" | head -1)"
[ "$(get $V2.2.4.1.10.2.51)" = 0 ] ||
    fail "vrrpStatsInvalidAuthType counts adverts of a known auth type (got '$(get $V2.2.4.1.10.2.51)')"
# an auth type no VRRPv2 router uses (5): vrrpStatsInvalidAuthType and
# invalidAuthType(1), as keepalived's invalid_authtype
node_exec rs python3 "$SCENARIO_DIR/vrrp_send.py" 10.10.0.10 51 5 10.10.0.100 10.10.0.101 ||
    fail "cannot send the adverts of auth type 5"
wait_for 200 trap_with "OID: $V2.0.2" "$V2.1.6.2.51 = INTEGER: 1" "$V2.1.5.2.51 = IpAddress: 10.10.0.10" ||
    fail "no vrrpTrapAuthFailure saying invalidAuthType from 10.10.0.10: $(grep -F "OID: $V2.0.2" "$T/dir1/traps.log" | tail -1)"
wait_for 50 sh -c "[ \"\$(ip netns exec $(node_ns dir1) snmpget -v2c -c public -On -Oqv 127.0.0.1:1161 $V2.2.4.1.10.2.51 2>/dev/null)\" -ge 1 ] 2>/dev/null" ||
    fail "vrrpStatsInvalidAuthType does not count the adverts of auth type 5 (got '$(get $V2.2.4.1.10.2.51)')"
wait_for 100 trap_with "OID: $V3.0.2" "$V3.1.2.5.1.6.2.52.1 = INTEGER: 2" ||
    fail "no vrrpv3ProtoError (versionError) for the VRRPv2 advert to VI_2"
is_state dir1 MASTER || fail "the bad adverts moved dir1 out of MASTER"
pass "traps: vrrpTrapAuthFailure (authTypeMismatch, invalidAuthType, the packet's source) and vrrpv3ProtoError on bad adverts; vrrpStatsInvalidAuthType counts"

# --- traps: a real server fails --------------------------------------------
kill "$(cat "$T/rs/socat8082.pid")"
wait_for 150 trap_with "OID: $KA.3.5.0.1" "$KA.3.4.1.6.1.2 = INTEGER: 2" \
    "$KA.3.4.1.5.1.2 = Gauge32: 80" || fail "no realServerStateChange (dead) for :8082"
wait_for 50 trap_with "OID: $KA.3.5.0.2" "$KA.3.3.1.23.1 = INTEGER: 2" ||
    fail "no virtualServerQuorumStateChange (not met)"
[ "$(get $KA.3.4.1.6.1.2)" = 2 ] || fail "the walk does not show :8082 dead"
[ "$(get $KA.3.3.1.21.1)" = 1 ] || fail "the walk does not show 1 real server up"
pass "traps: realServerStateChange and virtualServerQuorumStateChange on a real server's failure"

# --- a write: the real server's weight --------------------------------------
in1 snmpset -v2c -c private -On -t 2 -r 1 127.0.0.1:1161 $KA.3.4.1.7.1.1 i 7 \
    >/dev/null 2>&1 || fail "snmpset of realServerWeight failed"
wait_for 50 node_log_has dir1 "SNMP command 1 from the agent: set-weight" ||
    fail "the set did not reach the parent as a set-weight command"
wait_for 70 node_log_has dir1 "SNMP command 1: " || fail "the set-weight command got no answer"
node_log_has dir1 "SNMP command 1: ok" ||
    fail "the checker child refused the set-weight: $(grep "SNMP command 1: " "$(node_log dir1)")"
wait_for 50 sh -c "[ \"\$(ip netns exec $(node_ns dir1) snmpget -v2c -c public -On -Oqv 127.0.0.1:1161 $KA.3.4.1.7.1.1 2>/dev/null)\" = 7 ]" ||
    fail "the new weight does not show in the walk"
wait_for 50 weight_is 8081 7 ||
    fail "vigilctl does not show weight 7 in the desired table (got '$(rs_weight 8081)')"
pass "snmpset realServerWeight 7: the checker child applies it; vigilctl and the walk show it"

# --- writes: VI_3's base priority and preemption; bad writes ----------------
set1() { in1 snmpset -v2c -c private -On -t 2 -r 1 127.0.0.1:1161 "$@" 2>&1; }
value_is() { [ "$(get "$1")" = "$2" ]; }
eff0=$(get $KA.2.3.1.8.3)
out=$(set1 $KA.2.3.1.7.3 i 90) || fail "snmpset vrrpInstanceBasePriority 90 failed: $out"
wait_for 50 value_is $KA.2.3.1.7.3 90 || fail "vrrpInstanceBasePriority does not show 90 (got '$(get $KA.2.3.1.7.3)')"
wait_for 50 value_is $KA.2.3.1.8.3 $((eff0 - 10)) ||
    fail "vrrpInstanceEffectivePriority did not move by -10 from $eff0 (got '$(get $KA.2.3.1.8.3)')"
node_log_has dir1 "VI_3: base priority 100 -> 90 (runtime command)" || fail "the VRRP child did not log the new priority"
# the RFC tables show the base priority set, as keepalived's
value_is $V2.1.3.1.5.2.53 90 || fail "vrrpOperPriority does not show 90 (got '$(get $V2.1.3.1.5.2.53)')"
value_is $V3.1.1.1.1.7.2.53.1 90 || fail "vrrpv3OperationsPriority does not show 90 (got '$(get $V3.1.1.1.1.7.2.53.1)')"
out=$(set1 $KA.2.3.1.13.3 i 2) || fail "snmpset vrrpInstancePreempt 2 failed: $out"
wait_for 50 value_is $KA.2.3.1.13.3 2 || fail "vrrpInstancePreempt does not show 2"
value_is $V2.1.3.1.12.2.53 2 || fail "vrrpOperPreemptMode does not show false (got '$(get $V2.1.3.1.12.2.53)')"
value_is $V3.1.1.1.1.10.2.53.1 2 || fail "vrrpv3OperationsPreemptMode does not show false (got '$(get $V3.1.1.1.1.10.2.53.1)')"
# vigilctl's form of the same command
ctl1 vrrp set-priority VI_3 95 >/dev/null || fail "vigilctl vrrp set-priority VI_3 95 failed"
wait_for 50 value_is $KA.2.3.1.7.3 95 || fail "vigilctl's set-priority does not show in the walk"
out=$(ctl1 vrrp set-priority VI_3 0 2>&1) && fail "vigilctl vrrp set-priority VI_3 0 was taken: $out"
set1 $KA.2.3.1.7.3 i 90 >/dev/null || fail "cannot set VI_3's priority back to 90"
wait_for 50 value_is $KA.2.3.1.7.3 90 || fail "the walk does not show 90 again"
# refused: out of range, a read-only column, the wrong type; nothing moves
# refused_sets: each line "OID TYPE VALUE ERROR" of stdin refused with ERROR
refused_sets() {
	while read -r _o _t _v _e; do
		[ -n "$_o" ] || continue
		_out=$(set1 "$_o" "$_t" "$_v" </dev/null) && fail "snmpset $_o $_t $_v was taken: $_out"
		case "$_out" in *"Reason: $_e"*) ;; *) fail "snmpset $_o $_t $_v: expected $_e, got: $_out" ;; esac
	done
}
# vrrpInstanceAccept as keepalived 2.2.7 answers (compared with it
# below): VI_2's (VRRPv3) offered for writing but refused whatever the
# value, VI_1's (VRRPv2) read-only
ACCEPT_SETS="$KA.2.3.1.27.2 i 1 noAccess
$KA.2.3.1.27.2 i 2 noAccess
$KA.2.3.1.27.2 s x noAccess
$KA.2.3.1.27.1 i 1 notWritable"
refused_sets <<EOF
$KA.2.3.1.7.3 i 0 wrongValue
$KA.2.3.1.7.3 i 255 wrongValue
$KA.2.3.1.13.3 i 3 wrongValue
$KA.3.4.1.7.1.1 i 70000 wrongValue
$KA.2.3.1.3.3 i 9 notWritable
$KA.2.9.1.5.1 i 9 notWritable
$KA.2.3.1.7.3 s x wrongType
$ACCEPT_SETS
EOF
[ "$(get $KA.2.3.1.27.2)" = 1 ] || fail "a refused write moved VI_2's vrrpInstanceAccept"
value_is $KA.2.3.1.7.3 90 || fail "a refused write moved vrrpInstanceBasePriority"
alive "$(node_vpid dir1)" || fail "vigild died on the bad writes"
# back as configured (keepalived's walk is compared below)
set1 $KA.2.3.1.7.3 i 100 >/dev/null && set1 $KA.2.3.1.13.3 i 1 >/dev/null ||
    fail "cannot set VI_3 back"
wait_for 50 value_is $KA.2.3.1.7.3 100 && wait_for 50 value_is $KA.2.3.1.13.3 1 &&
    wait_for 50 value_is $KA.2.3.1.8.3 "$eff0" || fail "VI_3 did not come back to priority 100, preempt on"
pass "snmpset vrrpInstanceBasePriority and vrrpInstancePreempt (and vigilctl vrrp set-priority) reach the VRRP child and show in the RFC tables too; bad values answer wrongValue, notWritable, wrongType; vrrpInstanceAccept answers noAccess (VRRPv3) and notWritable (VRRPv2)"

# --- the master agent frozen, then killed and restarted ----------------------
walk_all "$T/before.walk"
kill -STOP "$SNMPD"
end=$(($(date +%s) + 12))
while [ "$(date +%s)" -lt $end ]; do
	is_state dir1 MASTER && is_state dir2 BACKUP ||
	    fail "the VRRP states moved while snmpd was frozen (dir1 $(last_state dir1), dir2 $(last_state dir2))"
	alive "$(node_vpid dir1)" || fail "vigild died while snmpd was frozen"
	ctl1 status >/dev/null 2>&1 || fail "vigilctl got no answer while snmpd was frozen"
	sleep 0.5
done
pass "snmpd frozen 12 s: dir1 stays MASTER, dir2 BACKUP, vigild runs, vigilctl answers"
kill -KILL "$SNMPD"
kill -CONT "$SNMPD" 2>/dev/null
wait "$SNMPD" 2>/dev/null
rm -f "$T/dir1/agentx.sock"
end=$(($(date +%s) + 4))
while [ "$(date +%s)" -lt $end ]; do
	is_state dir1 MASTER && is_state dir2 BACKUP || fail "the VRRP states moved while snmpd was down"
	sleep 0.5
done
start_snmpd
whole() {
	walk_all "$T/after.walk"
	cmp -s "$T/before.walk" "$T/after.walk"
}
# what moves on its own: timeticks and counters
strip_ticks() { grep -v 'Timeticks\|Counter' "$1" >"$1.nt"; }
whole_but_ticks() {
	walk_all "$T/after.walk"
	strip_ticks "$T/before.walk"
	strip_ticks "$T/after.walk"
	[ -s "$T/after.walk.nt" ] && cmp -s "$T/before.walk.nt" "$T/after.walk.nt"
}
wait_for 300 whole_but_ticks || {
	diff "$T/before.walk.nt" "$T/after.walk.nt" | head -20
	fail "the walk is not whole again after snmpd came back"
}
# the outage: once lost (the freeze or the kill), once back, whatever the
# retries in between
n=$(grep -c "SNMP master agent at .* is not reachable\|lost the SNMP master agent" "$(node_log dir1)")
[ "$n" = 1 ] || fail "the outage was logged $n times, not once"
n=$(grep -c "connected to the SNMP master agent" "$(node_log dir1)")
[ "$n" = 2 ] || fail "the connection was logged $n times, not twice (at start, after the outage)"
grep -E "SNMP master agent|snmp child|has not answered" "$(node_log dir1)" |
    sed 's/^/# /'
pass "snmpd killed and restarted: the subagent reconnects, the walk is whole again, the outage logged once"

# --- keepalived on the same configuration: the same walk -------------------
if [ ! -x "$KEEPALIVED" ] || ! "$KEEPALIVED" --version 2>&1 | grep -q SNMP_RFCV3; then
	echo "ok - keepalived comparison # SKIP keepalived without SNMP"
	stop_vigild_on dir1
	stop_vigild_on dir2
	done_testing
	exit 0
fi
# keepalived cannot follow processes in a namespace (its proc connector
# is refused there): with the tracked process gone, both count none
kill "$PROC"
wait_for 100 sh -c "[ \"\$(ip netns exec $(node_ns dir1) snmpget -v2c -c public -On -Oqv 127.0.0.1:1161 $KA.2.21.1.13.1 2>/dev/null)\" = 0 ]" ||
    fail "vrrpProcessCurProc does not drop to 0 when the process ends"
[ "$(get $KA.2.21.1.14.1)" = 2 ] || fail "vrrpProcessResult is not false with the process gone"
pass "vrrpProcessCurProc and vrrpProcessResult follow the tracked process (1 -> 0)"
# the same history on both: VRRP states settled, the walk of the VRRP part
walk $KA.1 >"$T/vigil.cmp"
walk $KA.2 >>"$T/vigil.cmp"
walk $V2 >>"$T/vigil.cmp"
walk $V3 >>"$T/vigil.cmp"
stop_vigild_on dir1
[ "$VSTATUS" = 0 ] || fail "vigild on dir1 exited with status $VSTATUS"
wait_for 150 is_state dir2 MASTER || fail "dir2 did not take over from the stopped dir1"
ip netns exec "$(node_ns dir1)" "$KEEPALIVED" -n -l -D -G -P -f "$T/dir1/vigil.conf" -p "$T/dir1/ka.pid" \
    -r "$T/dir1/ka-vrrp.pid" -c "$T/dir1/ka-chk.pid" -b "$T/dir1/ka-bfd.pid" \
    >>"$T/dir1/keepalived.log" 2>&1 &
KA_PID=$!
ka_master() { grep -q "(VI_1) Entering MASTER STATE" "$T/dir1/keepalived.log" 2>/dev/null; }
wait_for 150 ka_master || fail "keepalived did not become MASTER on dir1"
wait_for 50 is_state dir2 BACKUP || fail "dir2 did not go back to BACKUP"
ka_walked() {
	walk $KA.1 >"$T/ka.cmp"
	walk $KA.2 >>"$T/ka.cmp"
	walk $V2 >>"$T/ka.cmp"
	walk $V3 >>"$T/ka.cmp"
	grep -q "^$KA.2.1.1.3.1 = INTEGER: 2" "$T/ka.cmp" &&
	    grep -q "^$KA.2.3.1.4.2 = INTEGER: 2" "$T/ka.cmp" &&
	    grep -q "^$KA.2.3.1.4.3 = INTEGER: 2" "$T/ka.cmp" &&
	    grep -q "^$KA.2.9.1.6.2 = INTEGER: 2" "$T/ka.cmp"
}
wait_for 150 ka_walked || fail "keepalived's walk does not show G1, VI_2 and VI_3 MASTER and chk_bad bad"
# keepalived answers the sets of vrrpInstanceAccept as vigild did above
refused_sets <<EOF
$ACCEPT_SETS
EOF
pass "keepalived answers the sets of vrrpInstanceAccept as vigild: noAccess (VRRPv3), notWritable (VRRPv2)"
kill -TERM "$KA_PID"
wait_for 100 dead "$KA_PID" || fail "keepalived did not stop"

# What may differ, by OID, each with why (a prefix matches a column; *
# matches any sub-identifiers). VALUE: the OID is in both walks, of the
# same type, its value may differ; VIGIL_ONLY: a row keepalived 2.2.7
# cannot serve. Anything else that differs fails: a value, a type, an
# OID either walk lacks.
VALUE="
$KA.1.1.0          version: the version string
$V2.1.3.1.13.      vrrpOperVirtualRouterUpTime: timeticks
$V3.1.1.1.1.12.    vrrpv3OperationsUpTime: timeticks
$V2.2.4.1.         vrrpRouterStatsTable: counters
$V3.1.2.5.1.1.     vrrpv3StatisticsMasterTransitions: counter
$V3.1.2.5.1.3.     vrrpv3StatisticsRcvdAdvertisements: counter
$V3.1.2.5.1.7.     vrrpv3StatisticsRcvdPriZeroPackets: counter
$V3.1.2.5.1.8.     vrrpv3StatisticsSentPriZeroPackets: counter
"
VIGIL_ONLY="
$V2.1.3.1.*.2.53   vrrpOperTable beyond its first row: keepalived 2.2.7's GETNEXT skips every row after the first (operator precedence in snmp_rfcv2_header_list_table)
$V2.2.4.1.*.2.53   vrrpRouterStatsTable beyond its first row: the same
"
# the lists as awk regular expressions, one "KIND REGEX WHY" a line
allow_res() { # KIND LIST
	printf '%s\n' "$2" | while read -r pfx why; do
		[ -n "$pfx" ] || continue
		re=$(printf '%s' "$pfx" | sed 's/\./\\./g; s/\*/[0-9.]*/g')
		printf '%s ^%s %s\n' "$1" "$re" "$why"
	done
}
{ allow_res VALUE "$VALUE"; allow_res VIGIL_ONLY "$VIGIL_ONLY"; } >"$T/allow"
sort "$T/vigil.cmp" >"$T/vigil.sorted"
sort "$T/ka.cmp" >"$T/ka.sorted"
awk '
function why(kind, oid,   i) {
	for (i = 1; i <= na; i++)
		if (akind[i] == kind && oid ~ are[i])
			return awhy[i]
	return ""
}
function type(v) { sub(/:.*/, "", v); return v }
FILENAME == ARGV[1] {
	akind[++na] = $1; are[na] = $2
	w = $0; sub(/^[^ ]* [^ ]* /, "", w); awhy[na] = w
	next
}
{ oid = $1; v = $0; sub(/^[^ ]* = /, "", v) }
FILENAME == ARGV[2] { ka[oid] = v; next }
{ vg[oid] = v }
END {
	for (oid in ka) {
		if (!(oid in vg)) {
			print "# differs: only keepalived has " oid " = " ka[oid]
			bad++
		} else if (ka[oid] != vg[oid]) {
			w = why("VALUE", oid)
			if (w == "" || type(ka[oid]) != type(vg[oid])) {
				print "# differs: " oid ": keepalived " ka[oid] ", vigild " vg[oid]
				bad++
			} else {
				print "# allowed: " oid ": keepalived " ka[oid] ", vigild " vg[oid] " (" w ")"
				allowed++
			}
		}
	}
	for (oid in vg)
		if (!(oid in ka)) {
			w = why("VIGIL_ONLY", oid)
			if (w == "") {
				print "# differs: only vigild has " oid " = " vg[oid]
				bad++
			} else
				vonly++
		}
	printf "%d %d %d\n", bad, allowed, vonly >"/dev/stderr"
}' "$T/allow" "$T/ka.sorted" "$T/vigil.sorted" 2>"$T/cmp.count" | sort
read -r nbad nallowed nvonly <"$T/cmp.count"
[ "$nbad" = 0 ] || fail "the walks differ at $nbad OID(s) outside the allowed values"
[ "$(grep -c . "$T/ka.sorted")" -gt 300 ] || fail "keepalived's walk is too short to compare ($(grep -c . "$T/ka.sorted") values)"
pass "keepalived on the same configuration: the same KEEPALIVED-MIB (vrrp), VRRP-MIB and VRRPv3-MIB walk ($(grep -c . "$T/ka.sorted") values) but for $nallowed allowed values and $nvonly rows keepalived cannot serve"

stop_vigild_on dir2
done_testing
