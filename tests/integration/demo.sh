#!/bin/sh
# tools/demo keeps working: its host-only quick mode (--no-uml; with its
# snmpwalk of director 1 when snmpd is installed, else --no-snmp) on this
# build (VIGILD from the environment: nothing is installed or
# built). The demo fails by itself (exit 1, "demo: FAILED: ...") when a
# step does not happen: the election, the failover and the return, a web
# server leaving the desired table and coming back, the child restart,
# the reload, the drain, the metrics scrape and the status page. Checked
# here: it exits 0, its output says each of those things in order, and
# none of its namespaces or processes is left. The IPVS part runs under
# User-Mode Linux in tests/kernel/ (kernel.sh); lab.conf must pass
# vigild -t for both directors.
. "$(dirname "$0")/common.sh"

fail() {
	echo "FAIL: $*"
	[ -f "$T/out" ] && { echo "--- the demo's output (last 40 lines):"; tail -40 "$T/out"; }
	exit 1
}
cleanup() {
	[ -n "${DPID:-}" ] && kill -TERM "$DPID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

for c in jq curl ping bash; do
	command -v $c >/dev/null || { echo "SKIP: $c is not installed (tools/setup)"; exit 77; }
done
command -v nginx >/dev/null || command -v python3 >/dev/null ||
    { echo "SKIP: neither nginx nor python3 for the lab's web servers"; exit 77; }
VIGILCTL=$(dirname "$VIGILD")/vigilctl
[ -x "$VIGILCTL" ] || { echo "SKIP: $VIGILCTL is not built"; exit 77; }

# the lab's configuration, for both directors (in a namespace holding the
# interface it names)
NS=vgdemot$$
ip netns add "$NS" || fail "cannot create namespace $NS"
ip -n "$NS" link add eth0 type veth peer name eth1
for d in dir1 dir2; do
	ip netns exec "$NS" "$VIGILD" -t -i $d -f "$top_srcdir/etc/demo/lab.conf" >"$T/t.$d" 2>&1 ||
	    { ip netns del "$NS"; cat "$T/t.$d"; fail "vigild -t -i $d refuses etc/demo/lab.conf"; }
	grep -q "(0 error(s), 0 warning(s))" "$T/t.$d" ||
	    { ip netns del "$NS"; cat "$T/t.$d"; fail "vigild -t -i $d warns on etc/demo/lab.conf"; }
done
ip netns del "$NS"
sh -n "$top_srcdir/tools/demo" || fail "sh -n tools/demo"
pass "etc/demo/lab.conf passes vigild -t for dir1 and dir2 without a warning; tools/demo parses"

# the demo itself, bounded; timeout's TERM runs the demo's own cleanup
NO_SNMP=--no-snmp
if command -v snmpd >/dev/null && command -v snmpwalk >/dev/null &&
    grep -q "^#define HAVE_SNMP 1" "$top_builddir/autoconfig.h" 2>/dev/null; then
	NO_SNMP=
fi
VIGILD=$VIGILD VIGILCTL=$VIGILCTL timeout -k 10 150 sh "$top_srcdir/tools/demo" \
    --no-uml $NO_SNMP >"$T/out" 2>&1 &
DPID=$!
rc=0
wait $DPID || rc=$?
DPID=
[ $rc = 0 ] || fail "tools/demo --no-uml${NO_SNMP:+ $NO_SNMP} exited with status $rc"
! grep -q "demo: FAILED" "$T/out" || fail "the demo reports a failure"
pass "tools/demo --no-uml${NO_SNMP:+ $NO_SNMP} exits 0"

# each line after the one before
cat >"$T/expect" <<'EOF'
configuration is valid \(0 error\(s\), 0 warning\(s\)\)
configuration is valid \(0 error\(s\), 0 warning\(s\)\)
dir1: .*vrrp: VI_WEB: BACKUP -> MASTER: master down timer expired
dir2: .*vrrp: \(VI_WEB\) Entering BACKUP STATE
^\$ ip -n vgdemo[0-9]*-dir1 link set eth0 down
dir1: .*VI_WEB: MASTER -> FAULT: interface eth0 is down
dir2: .*VI_WEB: BACKUP -> MASTER
client's ping \(every 0.2 s\) across the failover: [0-9]+ sent, [1-9][0-9]* answered
^\$ ip -n vgdemo[0-9]*-dir1 link set eth0 up
dir2: .*VI_WEB: MASTER -> BACKUP: higher priority advert from 10.10.0.1 \(150 > 100\)
client's ping \(every 0.2 s\) across the return: [0-9]+ sent, [1-9][0-9]* answered
\[10.10.0.100\]:tcp:80 +up +3/3
\[10.10.0.12\]:80 +down +- +1 +connect
"in_table":false
\[10.10.0.12\]:80: UP -> DOWN: HTTP_GET \[10.10.0.12\]:80: connection refused
desired: \[10.10.0.100\]:tcp:80: add \[10.10.0.12\]:80 weight 1 DR
@SNMP@
VRRP child: pid [0-9]+ -> [0-9]+
vrrp child restarted
VI_WEB: INIT -> BACKUP: start: VIPs already in place, kept
real servers: 3 unchanged, 0 changed, 1 added, 0 removed
State = MASTER
IPVS: this kernel has none|IPVS: vigild wrote the desired table
VI_WEB +MASTER +150
drained \[10.10.0.11\]:80 in \[10.10.0.100\]:tcp:80
\[10.10.0.11\]:80 +up +0 +1 .* drained
vigil_vrrp_instance_state\{instance="VI_WEB",state="MASTER"\} 1
vigil_real_server_up\{.*real_server="\[10.10.0.12\]:80"\} 1
<title>vigil on
processes left in the director namespaces: 0
== demo done
EOF
# with SNMP: the walk shows VI_WEB MASTER in KEEPALIVED-MIB and VRRP-MIB
# and a real server alive
if [ -z "$NO_SNMP" ]; then
	printf '%s\n' 'SNMP: snmpwalk of director 1' \
	    '^ *\.1\.3\.6\.1\.4\.1\.9586\.100\.5\.2\.3\.1\.4\.1 = INTEGER: 2$' \
	    '^ *\.1\.3\.6\.1\.4\.1\.9586\.100\.5\.3\.4\.1\.6\.1\.[0-9]+ = INTEGER: 1$' \
	    '^ *\.1\.3\.6\.1\.2\.1\.68\.1\.3\.1\.3\.[0-9]+\.51 = INTEGER: 3$' >"$T/snmp"
else
	: >"$T/snmp"
fi
sed -e "/^@SNMP@\$/{r $T/snmp" -e 'd;}' "$T/expect" >"$T/expect.1" && mv "$T/expect.1" "$T/expect"
# shellcheck disable=SC2016
awk -v ef="$T/expect" '
	BEGIN { while ((getline l < ef) > 0) want[++n] = l; i = 1 }
	i <= n && $0 ~ want[i] { i++ }
	END { if (i <= n) { print "missing, in this order: " want[i]; exit 1 } }
' "$T/out" >"$T/order" || fail "$(cat "$T/order")"
pass "its output shows, in order: the election, failover and return with the client's ping answered, rs2 down and back,${NO_SNMP:+ no} the snmpwalk, the child restart, the reload, the drain, the scrape and the status page"

prefix=$(sed -n 's/.*(namespace \(vgdemo[0-9]*\)-dir1).*/\1/p' "$T/out" | head -1)
[ -n "$prefix" ] || fail "the demo did not name its namespaces"
left=$(ip netns list | grep -c "^$prefix-" || true)
[ "$left" = 0 ] || fail "$left of the demo's namespaces ($prefix-*) are left"
run=$(sed -n 's|.*control socket \(/tmp/vigil-demo\.[A-Za-z0-9]*\)/dir1\.ctl.*|\1|p' "$T/out" | head -1)
[ -n "$run" ] || fail "the demo did not name its directory"
[ ! -e "$run" ] || fail "the demo's directory $run is left"
# vigild, nginx and snmpd name files in that directory on their command line
! pgrep -f "$run/" >/dev/null || fail "processes of the demo are left: $(pgrep -af "$run/")"
pass "nothing of the demo is left: namespaces $prefix-*, directory $run, processes"
done_testing
