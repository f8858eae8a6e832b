#!/bin/sh
# The metrics listener (metrics_listen) on a VRRP pair with a checked
# virtual server: dir1 (priority 150) and dir2 (100), two real servers on
# rs1, a client. /metrics passes promtool and tells the known state
# (MASTER on dir1, BACKUP on dir2; a real server killed goes to up 0),
# OpenMetrics when asked; a reload shows in the generation; the status page
# rendered by headless Chromium shows the instance and the servers with
# their states and a drain beside the weight, with and without JavaScript
# (screenshot kept as an artifact); the JSON signal's /tmp/vigil.json and
# SIGUSR1's data dump have keepalived's shape; hostile clients (huge
# headers, slowloris, a thousand connections) leave the pair alone and
# another scrape answers.
. "$(dirname "$0")/../topo.sh"

command -v promtool >/dev/null 2>&1 || { echo "SKIP: promtool missing (Debian package prometheus)"; exit 77; }
CHROMIUM=$(command -v chromium || command -v chromium-browser) ||
    { echo "SKIP: chromium missing (Debian package chromium)"; exit 77; }
PY=python3
# Debian's python3 has the OpenMetrics parser (python3-prometheus-client)
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
ART="$top_builddir/tests/integration/artifacts/metrics"
mkdir -p "$ART" || fail "cannot create the artifact directory $ART"

M1=http://10.10.0.1:9650
M2='http://[::1]:9651'
HOSTILE="$SCENARIO_DIR/hostile.py"

topo_bridge lan
topo_node dir1 10.10.0.1/24
topo_node dir2 10.10.0.2/24
topo_node rs1 10.10.0.10/24 10.10.0.11/24
topo_node client 10.10.0.50/24

for a in 10 11; do
	ip netns exec "$(node_ns rs1)" socat TCP-LISTEN:80,bind=10.10.0.$a,fork,reuseaddr SYSTEM:true \
	    >/dev/null 2>&1 &
	echo $! >"$T/rs1/socat.$a.pid"
done
# dir1 renders its pages in a forked copy, as a store of 5,000 objects or
# more does (daemon/offload.h); dir2 renders in place
for n in dir1 dir2; do
	cp "$SCENARIO_DIR/$n.conf" "$T/$n/vigil.conf"
	[ "$n" = dir1 ] && export VIGIL_OFFLOAD_OBJECTS=0
	start_vigild_on "$n" "$T/$n/vigil.conf"
	unset VIGIL_OFFLOAD_OBJECTS
done

# scrape NODE URL [curl options]: the body, or nothing
scrape() {
	_n=$1
	_u=$2
	shift 2
	node_exec "$_n" curl -sS -f -m 5 "$@" "$_u/metrics" 2>/dev/null
}
# value FILE SAMPLE: the value of the sample (name with labels) in FILE
value() { awk -v s="$2 " 'index($0, s) == 1 { print $NF; exit }' "$1"; }
has_sample() { scrape "$1" "$2" >"$T/s" && grep -q -F -x -- "$3" "$T/s"; }

VI='vigil_vrrp_instance_state{instance="VI_1",state='
VS='virtual_server="[10.10.0.100]:tcp:80"'
RS10="vigil_real_server_up{$VS,real_server=\"[10.10.0.10]:80\"}"
RS11="vigil_real_server_up{$VS,real_server=\"[10.10.0.11]:80\"}"

wait_for 200 has_sample dir1 "$M1" "${VI}\"MASTER\"} 1" ||
    fail "dir1's metrics never showed VI_1 MASTER: $(grep vrrp_instance_state "$T/s")"
wait_for 100 has_sample dir2 "$M2" "${VI}\"BACKUP\"} 1" ||
    fail "dir2's metrics never showed VI_1 BACKUP: $(grep vrrp_instance_state "$T/s")"
scrape dir1 "$M1" >"$T/m1" || fail "dir1: scrape failed"
scrape dir2 "$M2" >"$T/m2" || fail "dir2: scrape failed"
[ "$(value "$T/m1" "${VI}\"BACKUP\"}")" = 0 ] || fail "dir1 shows BACKUP 1 as well"
[ "$(value "$T/m2" "${VI}\"MASTER\"}")" = 0 ] || fail "dir2 shows MASTER 1 as well"
[ "$(value "$T/m1" 'vigil_vrrp_instance_effective_priority{instance="VI_1"}')" = 150 ] ||
    fail "dir1: effective priority is not 150"
[ "$(value "$T/m2" 'vigil_vrrp_instance_effective_priority{instance="VI_1"}')" = 100 ] ||
    fail "dir2: effective priority is not 100"
grep -q -F 'vigil_vrrp_instance_info{instance="VI_1",interface="eth0",vrid="51",version="2",family="inet"} 1' "$T/m1" ||
    fail "dir1: VI_1's info line is not eth0/51/2/inet: $(grep vigil_vrrp_instance_info "$T/m1")"
sent=$(value "$T/m1" 'vigil_vrrp_instance_adverts_sent_total{instance="VI_1"}')
rcvd=$(value "$T/m2" 'vigil_vrrp_instance_adverts_received_total{instance="VI_1"}')
[ "${sent:-0}" -gt 0 ] && [ "${rcvd:-0}" -gt 0 ] ||
    fail "the MASTER sent '$sent' adverts, the BACKUP received '$rcvd'"
counting() {
	scrape dir2 "$M2" >"$T/s" &&
	    [ "$(value "$T/s" 'vigil_vrrp_instance_adverts_received_total{instance="VI_1"}')" -gt "$rcvd" ]
}
wait_for 50 counting || fail "dir2: adverts received do not rise from $rcvd"
pass "/metrics: VI_1 MASTER (priority 150) on dir1 sending adverts, BACKUP (100) on dir2 receiving them"

for n in m1 m2; do
	promtool check metrics <"$T/$n" >"$T/$n.promtool" 2>&1 ||
	    fail "promtool rejects $n: $(cat "$T/$n.promtool")"
	grep -q "^# TYPE vigil_" "$T/$n" || fail "$n has no TYPE lines"
	grep -v '^#' "$T/$n" | grep -v '^vigil_' && fail "$n has metrics outside vigil_"
done
pass "promtool check metrics passes on both directors' scrapes"

# the text says what the parent and the children are
[ "$(value "$T/m1" 'vigil_config_generation')" = 1 ] || fail "dir1: generation is not 1"
[ "$(value "$T/m1" 'vigil_child_up{child="vrrp"}')" = 1 ] || fail "dir1: the VRRP child is not up"
[ "$(value "$T/m1" 'vigil_child_up{child="checker"}')" = 1 ] || fail "dir1: the checker child is not up"
[ "$(value "$T/m1" 'vigil_child_restarts_total{child="vrrp"}')" = 0 ] || fail "dir1: VRRP child restarts"
pass "/metrics shows the configuration generation and both children up"

# the listening socket is the parent's alone (the children are started by
# executing vigild again: nothing of the listener may reach them), also
# a child started after the listener opened
chk=$(pidof_file "$(node_pidfile dir1 checkers)")
kill -9 "$chk"
wait_for 100 sh -c "p=\$(cat '$(node_pidfile dir1 checkers)' 2>/dev/null); [ -n \"\$p\" ] && [ \"\$p\" != $chk ]" ||
    fail "dir1: the checker child was not restarted"
wait_for 100 has_sample dir1 "$M1" 'vigil_child_restarts_total{child="checker"} 1' ||
    fail "dir1: the checker child's restart is not counted"
node_exec dir1 ss -Hltnp 'sport = :9650' >"$T/ss"
grep -q "pid=$(node_vpid dir1)," "$T/ss" || fail "dir1: the parent does not hold the listener: $(cat "$T/ss")"
for f in vrrp checkers; do
	grep -q "pid=$(pidof_file "$(node_pidfile dir1 $f)")," "$T/ss" && fail "dir1: the $f child holds the listener"
done
pass "only the parent holds the metrics listener, also after a child restart (counted: restarts 1)"

# both real servers up, then the second killed goes down
wait_for 100 has_sample dir1 "$M1" "$RS10 1" || fail "dir1: rs .10 never up: $(grep real_server_up "$T/s")"
wait_for 100 has_sample dir1 "$M1" "$RS11 1" || fail "dir1: rs .11 never up: $(grep real_server_up "$T/s")"
scrape dir1 "$M1" >"$T/m1" || fail "dir1: scrape failed"
[ "$(value "$T/m1" "vigil_virtual_server_real_servers_up{$VS}")" = 2 ] || fail "dir1: not 2 real servers up"
[ "$(value "$T/m1" "vigil_virtual_server_quorum_up{$VS}")" = 1 ] || fail "dir1: quorum not up"
[ "$(value "$T/m1" "vigil_real_server_weight{$VS,real_server=\"[10.10.0.10]:80\"}")" = 3 ] ||
    fail "dir1: rs .10 weight is not 3"
kill "$(cat "$T/rs1/socat.11.pid")"
wait_for 150 has_sample dir1 "$M1" "$RS11 0" || fail "dir1: rs .11 killed but not down: $(grep real_server_up "$T/s")"
scrape dir1 "$M1" >"$T/m1" || fail "dir1: scrape failed"
[ "$(value "$T/m1" "$RS10")" = 1 ] || fail "dir1: rs .10 went down too"
[ "$(value "$T/m1" "vigil_virtual_server_real_servers_up{$VS}")" = 1 ] || fail "dir1: not 1 real server up"
[ "$(value "$T/m1" "vigil_real_server_weight{$VS,real_server=\"[10.10.0.11]:80\"}")" = 0 ] ||
    fail "dir1: rs .11 still weighs"
pass "a real server killed shows up 0 and weight 0; the other stays up"

failures11() {
	grep -F "vigil_real_server_failures_total{$VS,real_server=\"[10.10.0.11]:80\"" "$1" |
	    awk '{s += $NF} END {print s + 0}'
}
f1=$(failures11 "$T/m1")
[ "$f1" -gt 0 ] || fail "dir1: rs .11 is down with no failure counted: $(grep failures "$T/m1")"
rises() { scrape dir1 "$M1" >"$T/s" && [ "$(failures11 "$T/s")" -gt "$f1" ]; }
wait_for 100 rises || fail "dir1: rs .11's failures counter does not rise from $f1"
pass "the killed real server's failures counter rises (by reason: $(grep -F "real_server=\"[10.10.0.11]:80\",reason=" "$T/s" | sed 's/.*reason="\([^"]*\)".*/\1/' | sort -u | tr '\n' ' '))"

# OpenMetrics when asked
node_exec dir1 curl -sS -f -m 5 -D "$T/om.h" -H 'Accept: application/openmetrics-text; version=1.0.0' \
    "$M1/metrics" >"$T/om" || fail "dir1: OpenMetrics scrape failed"
grep -qi '^content-type: application/openmetrics-text' "$T/om.h" || fail "no OpenMetrics content type: $(cat "$T/om.h")"
[ "$(tail -1 "$T/om")" = "# EOF" ] || fail "OpenMetrics text does not end with # EOF"
grep -q '^# TYPE vigil_reloads counter$' "$T/om" || fail "OpenMetrics counter family named with _total"
if $PY -c 'import prometheus_client.openmetrics.parser' 2>/dev/null; then
	$PY -c 'import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families as p
fams = list(p(sys.stdin.read()))
assert any(f.name == "vigil_vrrp_instance_state" for f in fams)' <"$T/om" ||
	    fail "the OpenMetrics parser rejects the text"
fi
pass "OpenMetrics when the Accept header asks for it, ending in # EOF"

# a reload shows
kill -HUP "$(node_vpid dir1)"
wait_for 100 has_sample dir1 "$M1" "vigil_config_generation 2" || fail "dir1: generation 2 not shown after SIGHUP"
grep -q -x 'vigil_reloads_total 1' "$T/s" || fail "dir1: reloads_total is not 1"
grep -q -x "${VI}\"MASTER\"} 1" "$T/s" || fail "dir1: not MASTER after the reload"
pass "a reload shows as configuration generation 2 and one reload"

# the status page and its JSON
node_exec dir1 curl -sS -f -m 5 "$M1/state.json" >"$T/state.json" || fail "no /state.json"
$PY -c 'import json,sys; d=json.load(sys.stdin); assert d["version"] == 1; assert d["vrrp_instances"][0]["state"] == "MASTER"' \
    <"$T/state.json" || fail "/state.json does not say VI_1 is MASTER: $(cat "$T/state.json")"
node_exec dir1 curl -sS -m 5 -o /dev/null -w '%{http_code}' "$M1/nothing" >"$T/code"
[ "$(cat "$T/code")" = 404 ] || fail "an unknown path answers $(cat "$T/code")"
node_exec dir1 curl -sS -m 5 -D "$T/page.h" -o "$T/page.html" "$M1/" || fail "no status page"
grep -qi '^content-security-policy:' "$T/page.h" || fail "the page has no Content-Security-Policy"
grep -q -E '(src|href)="?https?:' "$T/page.html" && fail "the page loads something from elsewhere"
pass "/state.json says MASTER; / serves a self-contained page; unknown paths are 404"

chrome() { # NAME ARGS...: headless Chromium in the client's namespace
	_cn=$1
	shift
	rm -rf "$T/chrome-$_cn"
	HOME="$T/chrome-$_cn" timeout 90 ip netns exec "$(node_ns client)" "$CHROMIUM" --headless \
	    --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
	    --user-data-dir="$T/chrome-$_cn" "$@" 2>"$T/chrome-$_cn.err"
}
# a runtime change shows beside the weight, drawn by the server and by
# the script alike
"${top_builddir:-.}/daemon/vigilctl" -s "$T/dir1/vigild.ctl" drain 10.10.0.10:80 >/dev/null ||
    fail "dir1: vigilctl drain failed"
chrome dom --virtual-time-budget=6000 --dump-dom "$M1/" >"$ART/status-dom.html" ||
    fail "chromium could not render the page: $(tail -5 "$T/chrome-dom.err")"
text=$(sed -e 's/<[^>]*>/ /g' "$ART/status-dom.html")
for want in "VI_1" "MASTER" "[10.10.0.100]:tcp:80" "[10.10.0.10]:80" "[10.10.0.11]:80" "live: updated"; do
	echo "$text" | grep -q -F -- "$want" || fail "the rendered page lacks '$want'"
done
grep -q '<span class="st st-down">down</span>' "$ART/status-dom.html" || fail "the page does not show the killed server down"
grep -q '<td>0 (drained)</td>' "$ART/status-dom.html" || fail "the page does not show the drained server's runtime change"
pass "headless Chromium renders the page, redrawn from /state.json: VI_1 MASTER, both servers, one down, one drained"

# without JavaScript: the server's own rendering carries the same text
node_exec dir1 curl -sS -m 5 -o "$T/page.html" "$M1/" || fail "no status page after the drain"
for want in "VI_1" "MASTER" "[10.10.0.11]:80" 'class="st st-down">down<' '<td>0 (drained)</td>'; do
	grep -q -F -- "$want" "$T/page.html" || fail "without JavaScript the page lacks '$want'"
done
chrome shot --window-size=1280,900 --virtual-time-budget=4000 --screenshot="$ART/status.png" "$M1/" >/dev/null ||
    fail "chromium could not take a screenshot"
[ -s "$ART/status.png" ] || fail "no screenshot in $ART"
pass "the page reads without JavaScript; screenshot kept in ${ART#"$top_builddir"/}/status.png"

# keepalived's dump shapes
dump_lock
rm -f /tmp/vigil.json /tmp/vigil.data /tmp/vigil_check.data
kill -s "$("$VIGILD" --signum=JSON)" "$(node_vpid dir1)"
wait_for 50 test -s /tmp/vigil.json || { dump_unlock; fail "no /tmp/vigil.json"; }
cp /tmp/vigil.json "$ART/vigil.json"
kill -USR1 "$(node_vpid dir1)"
wait_for 50 grep -q "vrrp child (pid" /tmp/vigil.data 2>/dev/null || { dump_unlock; fail "no /tmp/vigil.data"; }
wait_for 50 grep -q "checker child (pid" /tmp/vigil_check.data 2>/dev/null ||
    { dump_unlock; fail "no /tmp/vigil_check.data"; }
cp /tmp/vigil.data "$ART/vigil.data"
cp /tmp/vigil_check.data "$ART/vigil_check.data"
rm -f /tmp/vigil.json /tmp/vigil.data /tmp/vigil_check.data
dump_unlock
$PY -c 'import json,sys; d=json.load(sys.stdin); v=d[0]["data"]
assert v["iname"] == "VI_1" and v["state"] == 2 and v["vrid"] == 51, v
assert v["ifp_ifname"] == "eth0" and v["base_priority"] == 150, v
assert "advert_sent" in d[0]["stats"]' <"$ART/vigil.json" ||
    fail "the JSON dump is not keepalived.json-shaped: $(cat "$ART/vigil.json")"
grep -q '^------< VRRP Topology >------$' "$ART/vigil.data" || fail "the data dump lacks keepalived's VRRP Topology"
grep -q '^   State = MASTER$' "$ART/vigil.data" || fail "the data dump lacks '   State = MASTER'"
grep -q '^   Virtual Router ID = 51$' "$ART/vigil.data" || fail "the data dump lacks '   Virtual Router ID = 51'"
grep -q '^     10.10.0.100/24 dev eth0 scope global set$' "$ART/vigil.data" || fail "the data dump lacks the VIP (keepalived's format_ipaddress: set while MASTER)"
grep -q '^------< LVS Topology >------$' "$ART/vigil_check.data" || fail "the checker's data dump lacks keepalived's LVS Topology"
grep -q '^   alive = 0$' "$ART/vigil_check.data" || fail "the checker's data dump lacks the dead real server's alive = 0"
pass "the JSON and data dumps carry keepalived's shapes"

# hostile clients against dir1's listener: the pair is not disturbed
masters_dir2() { grep -c 'Entering MASTER STATE' "$(node_log dir2)" 2>/dev/null; }
m2before=$(masters_dir2)
node_exec client "$PY" "$HOSTILE" 10.10.0.1 9650 bigheader >"$T/big" 2>&1
grep -q ' 200 ' "$T/big" && fail "64 KiB of headers were answered 200"
pass "a request with 64 KiB of headers is refused ($(cat "$T/big"))"

rm -f "$T/slow.ready" "$T/flood.ready"
node_exec client "$PY" "$HOSTILE" 10.10.0.1 9650 slowloris 100 12 "$T/slow.ready" >"$T/slow" 2>&1 &
slow=$!
wait_for 100 test -e "$T/slow.ready" || fail "slowloris clients did not start"
node_exec client "$PY" "$HOSTILE" 10.10.0.1 9650 flood 1000 12 "$T/flood.ready" >"$T/flood" 2>&1 &
flood=$!
wait_for 150 test -e "$T/flood.ready" || fail "the flood did not start"
sleep 1
scrape client "$M1" >"$T/mid" || fail "a scrape during the flood and the slowloris clients was not answered"
grep -q -x "${VI}\"MASTER\"} 1" "$T/mid" || fail "the scrape during the flood does not show MASTER"
wait_for 200 dead "$slow" || fail "slowloris clients did not end"
wait_for 200 dead "$flood" || fail "the flood did not end"
scrape dir1 "$M1" >"$T/after" || fail "no scrape after the hostile clients"
refused=$(value "$T/after" vigil_http_connections_refused_total)
[ "${refused:-0}" -gt 0 ] || fail "no connection was refused past the cap"
alive "$(node_vpid dir1)" || fail "dir1's vigild died"
[ "$(value "$T/after" 'vigil_child_restarts_total{child="vrrp"}')" = 0 ] || fail "dir1's VRRP child restarted"
grep -q -x "${VI}\"MASTER\"} 1" "$T/after" || fail "dir1 is no longer MASTER"
has_sample dir2 "$M2" "${VI}\"BACKUP\"} 1" || fail "dir2 left BACKUP during the hostile clients"
[ "$(masters_dir2)" = "$m2before" ] || fail "dir2 became MASTER during the hostile clients"
pass "slowloris and 1000 connections: another scrape answers, $refused refused, dir1 MASTER, dir2 BACKUP ($(cat "$T/flood"))"

for n in dir1 dir2; do
	stop_vigild_on "$n"
	[ "$VSTATUS" -eq 0 ] || fail "$n: vigild exited with status $VSTATUS"
done
pass "both directors stop cleanly"

done_testing
