#!/bin/sh
# vigild programs IPVS (inside User-Mode Linux, run by tests/kernel/kernel.sh).
# Real servers r1 and r2 (nginx) in namespaces behind TCP_CHECK, the
# director d1 runs vigild, a client c sends real traffic through the VIPs
# (NAT, HTTP). Checked with ipvsadm -Sn and with the answers the client gets:
# the table is the configuration's; a real server stopped leaves and
# returns; losing quorum swaps in the sorry server; inhibit_on_failure
# leaves it with weight 0; a reload that changes one service leaves the
# others' entries alone (their connection counters and a long-lived
# connection survive); one of vigild's services removed by hand comes back
# whole with the change after the refused one; a service made by hand
# survives vigild's start and stop; stopping removes vigild's services, with -I keeps them, and a
# restart adopts them, as does a checker child respawned after a kill
# (a connection open across the stop, the restart and the respawn still
# carries data, its entry and the counters untouched). The kernel's counters reach vigilctl show ipvs
# (--json) and the metrics scrape, equal to ipvsadm's; a drained real
# server's stop growing; the sorry server's row has its own; vigilctl dump
# data holds the checker child's part; at 80 services (more than a turn
# of the checker child reads) the first vigilctl show ipvs is fresh. The
# checker child's IPVS netlink socket has lvs_netlink_cmd_rcv_bufs's
# receive buffer (_force: past the guest's net.core.rmem_max).
. "$(dirname "$0")/klib.sh"
command -v ipvsadm >/dev/null || { echo "SKIP: no ipvsadm"; exit 77; }
[ -x "$top_builddir/tests/kernel/conn_tool" ] || { echo "SKIP: no tests/kernel/conn_tool"; exit 77; }
command -v nginx >/dev/null || { echo "SKIP: no nginx"; exit 77; }

topo
. "$(dirname "$0")/kconf.sh"
servers
# vigild's own global_defs: counters read every second, a metrics
# endpoint; the IPVS socket's receive buffer
vconf() {
	conf "$@" | sed 's/^\trouter_id kernel_test$/&\n\tipvs_stats_interval 1\n\tmetrics_listen 127.0.0.1:9650\n\tlvs_netlink_cmd_rcv_bufs 3000000\n\tlvs_netlink_cmd_rcv_bufs_force/'
}
vconf 2 >"$T/vigil.conf"
grep -q ipvs_stats_interval "$T/vigil.conf" || fail "vconf: no ipvs_stats_interval"

want 2 >"$T/want"
# full [FILE]: d1's table (hand-made service left out) is FILE's
full() {
	table d1 >"$T/table"
	cmp -s "$T/table" "${1:-$T/want}"
}
showdiff() { diff -u "${1:-$T/want}" "$T/table"; }

start_vigild() {	# start_vigild [OPTION...]
	bg vigild d1 "$VIGILD" -n -l -G -C -f "$T/vigil.conf" -p "$T/v.pid" \
	    -c "$T/vc.pid" -r "$T/vr.pid" --child-watchdog 0 "$@"
}

# a service made by hand before vigild starts
in_ns d1 ipvsadm -A -t 10.9.3.3:22 -s rr
in_ns d1 ipvsadm -a -t 10.9.3.3:22 -r 10.9.0.11:22 -m -w 4
handmade() { has d1 '-a -t 10.9.3.3:22 -r 10.9.0.11:22 -m -w 4'; }
note "starting vigild"
start_vigild
wait_for 180 full || { showdiff; fail "vigild's table is not the configuration's (- wanted, + got)"; }
handmade || fail "the hand-made service was touched"
grep -q 'IPVS: TCP \[10.9.3.3\]:22 is not in the configuration: left alone' "$T/vigild.out" ||
    fail "the hand-made service was not logged as left alone"
# ipvsadm -S leaves the thresholds out
in_ns d1 ipvsadm -Ln --thresholds -t 10.9.1.101:443 | grep -Eq '10\.9\.0\.11:443 +100 +10 ' ||
    fail "thresholds: $(in_ns d1 ipvsadm -Ln --thresholds -t 10.9.1.101:443)"
pass "vigild's table is the configuration's ($(wc -l <"$T/want") lines of ipvsadm -Sn); a service made by hand is left alone and logged"

# the receive buffer (ss's rb: twice the size asked) of the checker
# child's generic netlink socket, found by the socket inodes it holds
chk=$(cat "$T/vc.pid")
inodes=$(ls -l "/proc/$chk/fd" | sed -n 's/.*socket:\[\([0-9]*\)\]$/\1/p' | tr '\n' ' ')
port=$(awk -v ino=" $inodes" '$2 == 16 && index(ino, " " $10 " ") { print $3 }' "/proc/$chk/net/netlink")
[ -n "$port" ] || fail "no generic netlink socket in the checker child (pid $chk)"
# ss prints a port id of 2^31 or more (libnl's local ports can be) as a
# negative number, /proc/net/netlink as unsigned: either form matches
rb=$(in_ns d1 ss -f netlink -a -m -n | awk -v p="$port" '
    BEGIN { a = "16:" p; b = "16:" (p - 4294967296) }
    ($4 == a || $4 == b) && match($0, /rb[0-9]+/) { print substr($0, RSTART + 2, RLENGTH - 2) }' | sort -u)
[ "$rb" = 6000000 ] ||
    fail "lvs_netlink_cmd_rcv_bufs 3000000 with _force: the checker child's IPVS socket ($port) holds rb '$rb', not 6000000 (rmem_max $(cat /proc/sys/net/core/rmem_max))"
pass "lvs_netlink_cmd_rcv_bufs 3000000 with _force: the checker child's IPVS socket's receive buffer (rb 6000000, rmem_max $(cat /proc/sys/net/core/rmem_max))"

ask 10.9.1.100 80 6
r1=$(answered r1) r2=$(answered r2)
# rr: 3 each (a request the starved guest lost may shift one)
[ "$r1" -ge 2 ] && [ "$r2" -ge 2 ] && [ $((r1 + r2)) = 6 ] ||
    fail "6 requests to 10.9.1.100:80 (rr): r1 answered $r1, r2 $r2"
pass "real traffic through the VIP (NAT, rr): r1 $r1, r2 $r2 of 6"

# the kernel's counters as vigild shows them: jc prints the connections
# vigilctl --json show ipvs gives 10.9.1.100:80, r1 and r2 there; kc
# ADDR:PORT the kernel's (ipvsadm --stats) of the service or a destination
jc() {
	in_ns d1 "$VIGILCTL" -s "$T/v.ctl" -j show ipvs >"$T/ipvs.json" 2>>"$T/vigilctl.out" ||
	    return 1
	jq -r '.virtual_servers[] | select(.address == "10.9.1.100" and .port == 80) |
	    [.ipvs_connections,
	     (.real_servers[] | select(.address == "10.9.0.11" and .port == 80) | .ipvs_connections),
	     (.real_servers[] | select(.address == "10.9.0.12" and .port == 80) | .ipvs_connections)] |
	    map(tostring) | join(" ")' "$T/ipvs.json"
}
kc() {
	in_ns d1 ipvsadm -Ln --stats -t 10.9.1.100:80 | awk -v k="$1" '$2 == k { print $3; exit }'
}
# agree: vigild's counters are the kernel's (the kernel sums its per-CPU
# counters every 2 s, vigild reads them every second: both settle once the
# traffic stops); jvs, jr1, jr2 are vigild's
agree() {
	set -- $(jc)
	[ $# = 3 ] || return 1
	jvs=$1 jr1=$2 jr2=$3
	[ "$jvs" = "$(kc 10.9.1.100:80)" ] && [ "$jr1" = "$(kc 10.9.0.11:80)" ] &&
	    [ "$jr2" = "$(kc 10.9.0.12:80)" ]
}
counters() { agree && [ "$jvs" -ge 6 ] && [ "$jr1" -ge "$r1" ] && [ "$jr2" -ge "$r2" ]; }
wait_for 60 counters || fail "vigilctl show ipvs: 10.9.1.100:80 and r1, r2 counted '$(jc)' connections, the kernel $(kc 10.9.1.100:80) $(kc 10.9.0.11:80) $(kc 10.9.0.12:80), r1 $r1 and r2 $r2 answered"
[ "$jvs" = $((jr1 + jr2)) ] || fail "the service's connections ($jvs) are not its destinations' ($jr1 + $jr2)"
jq -e '.virtual_servers[] | select(.address == "10.9.1.100" and .port == 80) |
    .ipvs_packets_in > 0 and .ipvs_bytes_out > 0 and
    (.real_servers[] | select(.address == "10.9.0.11" and .port == 80) |
    .ipvs_packets_out > 0 and .ipvs_bytes_in > 0 and .ipvs_inactive_connections >= 0)' \
    "$T/ipvs.json" >/dev/null || fail "no packet or byte counters: $(cat "$T/ipvs.json")"
in_ns d1 "$VIGILCTL" -s "$T/v.ctl" show ipvs >"$T/show-ipvs" 2>&1 || fail "vigilctl show ipvs: $(cat "$T/show-ipvs")"
vsname=$(jq -r '.virtual_servers[] | select(.address == "10.9.1.100" and .port == 80) | .name' "$T/ipvs.json")
r1name=$(jq -r '.virtual_servers[] | select(.address == "10.9.1.100" and .port == 80) |
    .real_servers[] | select(.address == "10.9.0.11" and .port == 80) | .real' "$T/ipvs.json")
# SERVICE DESTINATION WEIGHT CONNS ...: "-" for what a row has not
awk -v v="$vsname" -v c="$jvs" '$1 == v && $4 == c { ok = 1 } END { exit !ok }' "$T/show-ipvs" &&
    awk -v r="$r1name" -v c="$jr1" '$1 == "-" && $2 == r && $4 == c { ok = 1 } END { exit !ok }' "$T/show-ipvs" ||
    fail "vigilctl show ipvs: no row $vsname with $jvs connections or $r1name with $jr1: $(cat "$T/show-ipvs")"
in_ns d1 curl -s -m 30 http://127.0.0.1:9650/metrics >"$T/metrics" || fail "no answer from the metrics endpoint"
grep -qxF "vigil_virtual_server_ipvs_connections_total{virtual_server=\"$vsname\"} $jvs" "$T/metrics" &&
    grep -qxF "vigil_real_server_ipvs_connections_total{virtual_server=\"$vsname\",real_server=\"$r1name\"} $jr1" "$T/metrics" &&
    grep -qF "vigil_real_server_ipvs_packets_total{virtual_server=\"$vsname\",real_server=\"$r1name\",direction=\"in\"} " "$T/metrics" ||
    fail "the scrape lacks 10.9.1.100:80's counters ($jvs, r1 $jr1): $(grep ipvs "$T/metrics" | head -20)"
pass "the kernel's counters reach vigilctl show ipvs (--json) and the scrape: 10.9.1.100:80 $jvs connections = r1 $jr1 + r2 $jr2, as ipvsadm counts them, packets and bytes both ways"

note "stopping r2:80"
stop_bg web-r2
r2down() {
	table d1 >"$T/table"
	! grep -q -- '-t 10.9.1.100:80 -r 10.9.0.12:80' "$T/table" &&
	    ! grep -q -- '-f 5 -r 10.9.0.12:0' "$T/table" &&
	    grep -q -- '-a -t 10.9.1.102:80 -r 10.9.0.11:8081 -m -w 1' "$T/table" &&
	    [ "$(grep -c -- '-t 10.9.1.102:80 -r' "$T/table")" = 1 ] &&
	    grep -q -- '-a -t 10.9.1.103:80 -r 10.9.0.12:80 -m -w 0' "$T/table" &&
	    grep -q -- '-a -t 10.9.1.103:80 -r 10.9.0.11:80 -m -w 1' "$T/table"
}
wait_for 180 r2down || fail "r2:80 stopped: $(cat "$T/table")"
pass "a real server stopped leaves the table (its services lose it; the quorum service swaps in its sorry server; inhibit_on_failure sets weight 0)"
ask 10.9.1.100 80 4
[ "$(answered r1)" = 4 ] || fail "r2 down: 4 requests to 10.9.1.100:80, r1 answered $(answered r1): $(cat "$T/answers")"
ask 10.9.1.102 80 4
[ "$(answered sorry)" = 4 ] || fail "quorum lost: 4 requests to 10.9.1.102:80, the sorry server answered $(answered sorry): $(cat "$T/answers")"
ask 10.9.1.103 80 4
[ "$(answered r1)" = 4 ] || fail "inhibited: 4 requests to 10.9.1.103:80, r1 answered $(answered r1): $(cat "$T/answers")"
pass "traffic with r2 down: 10.9.1.100 all to r1 (4 of 4), 10.9.1.102 all to the sorry server (4 of 4), 10.9.1.103 all to r1 (4 of 4, r2 at weight 0)"

# the sorry server's counters, like any destination's: in vigilctl show
# ipvs (--json), the scrape, as the kernel counts them
vs102=$(jq -r '.virtual_servers[] | select(.address == "10.9.1.102" and .port == 80) | .name' "$T/ipvs.json")
sorry_k() { in_ns d1 ipvsadm -Ln --stats -t 10.9.1.102:80 | awk '$2 == "10.9.0.11:8081" { print $3; exit }'; }
sorry_j() {
	in_ns d1 "$VIGILCTL" -s "$T/v.ctl" -j show ipvs >"$T/ipvs.json" 2>>"$T/vigilctl.out" || return 1
	jq -r '.virtual_servers[] | select(.address == "10.9.1.102" and .port == 80) | .sorry_ipvs_connections' "$T/ipvs.json"
}
sorry_agree() { js=$(sorry_j) && [ "$js" = "$(sorry_k)" ] && [ "$js" -ge 4 ]; }
wait_for 60 sorry_agree || fail "the sorry server's connections: vigild '$(sorry_j)', the kernel '$(sorry_k)', 4 answered"
in_ns d1 "$VIGILCTL" -s "$T/v.ctl" show ipvs >"$T/show-ipvs" 2>&1 || fail "vigilctl show ipvs: $(cat "$T/show-ipvs")"
awk -v c="$js" '$2 == "sorry:10.9.0.11:8081" && $3 == 1 && $4 == c { ok = 1 } END { exit !ok }' "$T/show-ipvs" ||
    fail "vigilctl show ipvs: no sorry row with $js connections: $(grep -A3 10.9.1.102 "$T/show-ipvs")"
in_ns d1 curl -s -m 30 http://127.0.0.1:9650/metrics >"$T/metrics" || fail "no answer from the metrics endpoint"
grep -qxF "vigil_sorry_server_ipvs_connections_total{virtual_server=\"$vs102\",sorry_server=\"10.9.0.11:8081\"} $js" "$T/metrics" ||
    fail "the scrape lacks the sorry server's $js connections: $(grep sorry "$T/metrics" | head)"
pass "the sorry server's row carries its counters: $js connections in vigilctl show ipvs (--json) and the scrape, as ipvsadm counts them"

# vigilctl dump data: the checker child's part is in it
in_ns d1 "$VIGILCTL" -s "$T/v.ctl" dump data >"$T/dump-data" 2>&1 || fail "vigilctl dump data: $(tail -3 "$T/dump-data")"
grep -q -- '------< checker child (pid' "$T/dump-data" && grep -q 'IPVS counters: every 1 s' "$T/dump-data" ||
    fail "vigilctl dump data has no checker child's part: $(grep -- '------<' "$T/dump-data" | tail -5)"
pass "vigilctl dump data holds the checker child's part"

web_r2
wait_for 180 full || { showdiff; fail "r2:80 restarted but the table is not back (- wanted, + got)"; }
ask 10.9.1.102 80 4
[ "$(answered r1)" -ge 1 ] && [ "$(answered r2)" -ge 1 ] &&
    [ "$(answered sorry)" = 0 ] ||
    fail "quorum back: 4 requests to 10.9.1.102:80: $(cat "$T/answers")"
pass "it returns when restarted: the whole table again, the sorry server gone, 10.9.1.102 served by r1 and r2 again"

# steering with vigilctl reaches the kernel: drain r2 (weight 0 in every
# service holding 10.9.0.12:80; the quorum service swaps in its sorry
# server), undrain; set-weight; add-real (r1's 8080,
# answering "r1" too) and remove-real; then the table is the
# configuration's again
ctl() { in_ns d1 "$VIGILCTL" -s "$T/v.ctl" "$@" >>"$T/vigilctl.out" 2>&1; }
ctl drain 10.9.0.12:80 || fail "vigilctl drain: $(tail -3 "$T/vigilctl.out")"
drained() {
	table d1 >"$T/table"
	for vs in 10.9.1.100:80 10.9.1.103:80; do
		grep -q -- "-a -t $vs -r 10.9.0.12:80 -m -w 0" "$T/table" || return 1
	done
	# 10.9.1.102 (quorum 2) loses its quorum: the sorry server serves
	grep -q -- '-a -t 10.9.1.102:80 -r 10.9.0.11:8081 -m -w 1' "$T/table" &&
	    [ "$(grep -c -- '-t 10.9.1.102:80 -r' "$T/table")" = 1 ] &&
	    grep -q -- '-a -f 5 -r 10.9.0.12:0 -i -w 0' "$T/table"
}
wait_for 60 drained || fail "drain: $(cat "$T/table")"
wait_for 60 agree || fail "drained: vigild's counters '$(jc)' are not the kernel's"
d_r1=$jr1 d_r2=$jr2
ask 10.9.1.100 80 4
[ "$(answered r1)" = 4 ] || fail "drained: 4 requests to 10.9.1.100:80, r1 answered $(answered r1): $(cat "$T/answers")"
grown() { agree && [ "$jr1" -ge $((d_r1 + 4)) ]; }
wait_for 60 grown || fail "drained r2: r1's connections went from $d_r1 to '$(jc)' (vigild) after 4 requests"
[ "$jr2" = "$d_r2" ] || fail "drained r2's connections grew from $d_r2 to $jr2"
pass "a drained real server's connections stop growing (r2 $d_r2 -> $jr2) while r1's grow ($d_r1 -> $jr1) in vigilctl show ipvs"
ctl undrain 10.9.0.12:80 || fail "vigilctl undrain: $(tail -3 "$T/vigilctl.out")"
wait_for 60 full || { showdiff; fail "undrain: the table is not back (- wanted, + got)"; }
ctl set-weight 10.9.1.100:80 10.9.0.11:80 4 || fail "vigilctl set-weight: $(tail -3 "$T/vigilctl.out")"
wait_for 60 has d1 '-a -t 10.9.1.100:80 -r 10.9.0.11:80 -m -w 4' || fail "set-weight: $(table d1)"
ctl add-real 10.9.1.100:80 10.9.0.11:8080 weight 3 || fail "vigilctl add-real: $(tail -3 "$T/vigilctl.out")"
wait_for 60 has d1 '-a -t 10.9.1.100:80 -r 10.9.0.11:8080 -m -w 3' || fail "add-real: $(table d1)"
ctl remove-real 10.9.1.100:80 10.9.0.12:80 || fail "vigilctl remove-real: $(tail -3 "$T/vigilctl.out")"
wait_for 60 hasnt d1 '-t 10.9.1.100:80 -r 10.9.0.12:80' || fail "remove-real: $(table d1)"
ask 10.9.1.100 80 6
[ "$(answered r1)" = 6 ] ||
    fail "after add-real / remove-real: 6 requests to 10.9.1.100:80: $(cat "$T/answers")"
ctl add-real 10.9.1.100:80 10.9.0.12:80 && ctl remove-real 10.9.1.100:80 10.9.0.11:8080 &&
    ctl set-weight 10.9.1.100:80 10.9.0.11:80 1 || fail "vigilctl undo: $(tail -3 "$T/vigilctl.out")"
wait_for 60 full || { showdiff; fail "steering undone: the table is not the configuration's (- wanted, + got)"; }
pass "vigilctl drain / undrain / set-weight / add-real / remove-real seen in the kernel's table and in the traffic"

# one of vigild's services removed by hand: the next change to it is
# refused (logged with the kernel's error), the change after adds it back
# with all its real servers
in_ns d1 ipvsadm -D -t 10.9.1.100:80
ctl set-weight 10.9.1.100:80 10.9.0.11:80 4 || fail "vigilctl set-weight: $(tail -3 "$T/vigilctl.out")"
wait_for 60 grep -q 'IPVS: \[10.9.1.100\]:tcp:80 (TCP \[10.9.1.100\]:80): edit \[10.9.0.11\]:80 weight 4: No such process; retried' "$T/vigild.out" ||
    fail "removed by hand: the refused edit was not logged: $(grep 'IPVS: .*10.9.1.100' "$T/vigild.out" | tail -3)"
hasnt d1 '-t 10.9.1.100:80' || fail "removed by hand: the service came back before the next change: $(table d1)"
ctl set-weight 10.9.1.100:80 10.9.0.11:80 1 || fail "vigilctl set-weight: $(tail -3 "$T/vigilctl.out")"
wait_for 60 full || { showdiff; fail "removed by hand: not back whole with the next change (- wanted, + got)"; }
pass "a service removed by hand: the refused change logged, the next change adds it back with all its real servers"

# reload changing only 10.9.1.100:80 (r2's weight): the other services'
# entries are not touched: their connection counters go on and a
# long-lived connection through 10.9.1.104 keeps working
ask 10.9.1.103 80 4
before=0
counted() { before=$(conns d1 10.9.1.103:80); [ "${before:-0}" -ge 8 ]; }
wait_for 20 counted || fail "10.9.1.103:80 counted ${before:-no} connections, 8 sent"
bg longlived c timeout 300 "$CONN_TOOL" client 10.9.1.104 9000 1 "$T/longlived.stop"
wait_for 60 grep -q '^ready: 1 open' "$T/longlived.out" ||
    fail "no echo through 10.9.1.104:9000: $(cat "$T/longlived.out")"
table d1 | grep -v -- '10.9.1.100:80' >"$T/others"
: >"$T/vigild.out"
vconf 5 >"$T/vigil.conf"
want 5 >"$T/want5"
note "reload: r2's weight on 10.9.1.100:80 2 -> 5"
kill -HUP "$(cat "$T/v.pid")"
wait_for 180 full "$T/want5" || { showdiff "$T/want5"; fail "reload: the table is not the new configuration's (- wanted, + got)"; }
grep -v -- '10.9.1.100:80' "$T/table" | cmp -s - "$T/others" || fail "reload: other services changed"
after=$(conns d1 10.9.1.103:80)
[ "${after:-0}" -ge "$before" ] || fail "reload: 10.9.1.103:80's connection counter went from $before to $after: the service was re-made"
! grep -E 'IPVS: .*(service (added|removed)|10\.9\.1\.10[1-4])' "$T/vigild.out" ||
    fail "reload touched another service"
# its last round trip, after the reload
touch "$T/longlived.stop"
wait_for 150 grep -q '^final:' "$T/longlived.out"
grep -q '^final: 1 opened, 1 survived' "$T/longlived.out" ||
    fail "the long-lived connection through 10.9.1.104:9000 did not survive the reload: $(cat "$T/longlived.out")"
pass "a reload changing one service edits it in place; the others stay (counter $before -> $after, a long-lived connection lived through it)"
handmade || fail "the hand-made service was touched by the reload"

# stop: vigild's services leave, the hand-made one stays
note "stopping vigild"
stop_bg vigild
in_ns d1 ipvsadm -Sn >"$T/after-stop"
[ "$(grep -c '^-A' "$T/after-stop")" = 1 ] && handmade ||
    fail "after stop: $(cat "$T/after-stop")"
pass "vigild stopping removes its services and only them: the hand-made one is still there"

# -I: they stay; a restart adopts them without removing. A long-lived
# connection through 10.9.1.104:9000 (conn_tool: a byte echoed every
# round), open before the stop, carries data after the restart: its entry
# in the kernel's connection table is the same one (same client port, the
# destination's active connection still counted on it) and the service's
# connection counter did not start again
start_vigild -I
wait_for 180 full "$T/want5" || { showdiff "$T/want5"; fail "second start (- wanted, + got)"; }
ask 10.9.1.100 80 3
before=0
counted() { before=$(conns d1 10.9.1.100:80); [ "${before:-0}" -ge 3 ]; }
wait_for 20 counted || fail "10.9.1.100:80 counted ${before:-no} connections, 3 sent"
bg adoptconn c timeout 600 "$CONN_TOOL" client 10.9.1.104 9000 1 "$T/adoptconn.stop"
wait_for 60 grep -q '^ready: 1 open' "$T/adoptconn.out" ||
    fail "-I: no echo through 10.9.1.104:9000: $(cat "$T/adoptconn.out")"
# lconn: the client's connection through 10.9.1.104:9000 in d1's table
# (source, destination); ac: the active connections ipvsadm counts on r1
lconn() {
	in_ns d1 ipvsadm -Lnc | awk '$3 == "ESTABLISHED" && $4 ~ /^10\.8\.0\.2:/ &&
	    $5 == "10.9.1.104:9000" { print $4, $6 }'
}
ac() { in_ns d1 ipvsadm -Ln -t 10.9.1.104:9000 | awk '$2 == "10.9.0.11:9000" { print $5; exit }'; }
k104=0
counted() { k104=$(conns d1 10.9.1.104:9000); [ "${k104:-0}" -ge 1 ]; }
wait_for 20 counted || fail "10.9.1.104:9000 counted ${k104:-no} connections, one open"
lc0=$(lconn)
[ -n "$lc0" ] && [ "$(ac)" = 1 ] ||
    fail "-I: the connection through 10.9.1.104:9000: '$lc0', $(ac) active: $(in_ns d1 ipvsadm -Lnc)"
stop_bg vigild
full "$T/want5" || { showdiff "$T/want5"; fail "stopped with -I, the table went (- wanted, + got)"; }
handmade || fail "-I: the hand-made service went"
pass "vigild -I stopping leaves its services in the kernel"
: >"$T/vigild.out"
start_vigild
wait_for 180 grep -q 'adopting' "$T/vigild.out" || fail "restart: nothing adopted"
wait_for 20 grep -q 'running configuration generation' "$T/vigild.out"
full "$T/want5" || { showdiff "$T/want5"; fail "restart (- wanted, + got)"; }
after=$(conns d1 10.9.1.100:80)
[ "${after:-0}" -ge "$before" ] || fail "restart: the counter went from $before to $after"
! grep -q 'IPVS: .*: service added' "$T/vigild.out" || fail "restart re-added a service"
! grep -Eq 'IPVS: .*10\.9\.1\.104.*(added|removed|edit)' "$T/vigild.out" ||
    fail "restart touched 10.9.1.104:9000: $(grep 'IPVS: .*10.9.1.104' "$T/vigild.out")"
grep -q 'IPVS: TCP \[10.9.3.3\]:22 is not in the configuration: left alone' "$T/vigild.out" ||
    fail "restart: hand-made service not logged"
# the same entry, still active on r1, the service's counter not started
# again; then the connection's last round trip, after the restart
[ "$(lconn)" = "$lc0" ] && [ "$(ac)" = 1 ] ||
    fail "-I: after the restart the connection is '$(lconn)' (was '$lc0'), $(ac) active on r1: re-made?"
k104b=$(conns d1 10.9.1.104:9000)
[ "${k104b:-0}" -ge "$k104" ] || fail "restart: 10.9.1.104:9000's counter went from $k104 to $k104b: re-made"
# the checker child killed: the parent respawns it, and the new child
# adopts the kernel table as it finds it (nothing removed or added again),
# the same connection entry still active
from=$(($(wc -l <"$T/vigild.out") + 1))
cpid=$(cat "$T/vc.pid")
kill -9 "$cpid"
respawned() {
	tail -n "+$from" "$T/vigild.out" | grep -q 'adopting' &&
	    [ "$(cat "$T/vc.pid" 2>/dev/null)" != "$cpid" ]
}
wait_for 90 respawned || fail "the checker child killed: no respawned child adopting the table: $(tail -n "+$from" "$T/vigild.out" | tail -5)"
wait_for 20 sh -c "tail -n +$from '$T/vigild.out' | grep -q 'running configuration generation'"
full "$T/want5" || { showdiff "$T/want5"; fail "respawn (- wanted, + got)"; }
! tail -n "+$from" "$T/vigild.out" | grep -Eq 'IPVS: .*(service added|service removed|removed$|added$)' ||
    fail "the respawned checker child re-made entries: $(tail -n "+$from" "$T/vigild.out" | grep 'IPVS: ')"
[ "$(lconn)" = "$lc0" ] && [ "$(ac)" = 1 ] ||
    fail "respawn: the connection is '$(lconn)' (was '$lc0'), $(ac) active on r1: re-made?"
pass "a respawned checker child adopts the table: nothing removed or added again, the connection's entry ($lc0) still active on r1"
touch "$T/adoptconn.stop"
wait_for 150 grep -q '^final:' "$T/adoptconn.out"
grep -q '^final: 1 opened, 1 survived' "$T/adoptconn.out" ||
    fail "-I: the connection through 10.9.1.104:9000 did not survive the restart: $(cat "$T/adoptconn.out")"
pass "a restart adopts the services left by -I (counter $before -> $after, nothing re-made); a connection open across the stop, the restart and a checker child's respawn still echoes, the same entry ($lc0) still active on r1, its service's counter $k104 -> $k104b"
stop_bg vigild
[ "$(in_ns d1 ipvsadm -Sn | grep -c '^-A')" = 1 ] && handmade ||
    fail "final stop: $(in_ns d1 ipvsadm -Sn)"
pass "stopped again: only the hand-made service is left"

# lvs_flush: the services the configuration does not name are removed at
# the start, as keepalived does, and not at a reload (one made by hand
# since stays)
sed 's/^\trouter_id kernel_test$/&\n\tlvs_flush/' "$T/vigil.conf" >"$T/flush.conf"
grep -q lvs_flush "$T/flush.conf" || fail "lvs_flush: not in the configuration"
cp "$T/vigil.conf" "$T/vigil.conf.keep"
cp "$T/flush.conf" "$T/vigil.conf"
: >"$T/vigild.out"
start_vigild
wait_for 180 full "$T/want5" || { showdiff "$T/want5"; fail "lvs_flush start (- wanted, + got)"; }
wait_for 30 hasnt d1 '-A -t 10.9.3.3:22' ||
    fail "lvs_flush: the hand-made service stayed at start"
grep -q 'IPVS: TCP \[10.9.3.3\]:22 is not in the configuration: removed (lvs_flush)' "$T/vigild.out" ||
    fail "lvs_flush: the removal was not logged"
in_ns d1 ipvsadm -A -t 10.9.3.3:22 -s rr
in_ns d1 ipvsadm -a -t 10.9.3.3:22 -r 10.9.0.11:22 -m -w 4
kill -HUP "$(cat "$T/v.pid")"
wait_for 60 grep -q 'checker child: running configuration generation 2' "$T/vigild.out" ||
    fail "lvs_flush: the reload did not run"
sleep 1
handmade || fail "lvs_flush: a reload removed the service made by hand after the start"
full "$T/want5" || { showdiff "$T/want5"; fail "lvs_flush reload (- wanted, + got)"; }
pass "lvs_flush removes the services the configuration does not name at the start, not at a reload"
stop_bg vigild
cp "$T/vigil.conf.keep" "$T/vigil.conf"

# more kernel services than a turn of the checker child reads (80 > 64):
# the first metrics scrape after traffic (nobody asked before) waits for
# the round it starts (the checker child holds its snapshot and says so)
# and shows the connections of the last service; so does vigilctl show ipvs
awk 'BEGIN {
	print "global_defs {\n\trouter_id kernel_test\n\tmetrics_listen 127.0.0.1:9650\n}"
	for (i = 1; i <= 80; i++)
		printf "virtual_server 10.9.4.%d 80 {\n\tlb_algo rr\n\tlb_kind NAT\n\tprotocol TCP\n\treal_server 10.9.0.11 80 {\n\t\tweight 1\n\t}\n}\n", i
}' >"$T/many.conf"
in_ns d1 ip addr add 10.9.4.80/32 dev lo
: >"$T/vigild.out"
bg vigild d1 "$VIGILD" -n -l -G -C -f "$T/many.conf" -p "$T/v.pid" \
    -c "$T/vc.pid" -r "$T/vr.pid" --child-watchdog 0
wait_for 180 has d1 '-a -t 10.9.4.80:80 -r 10.9.0.11:80 -m -w 1' || fail "80 services: $(in_ns d1 ipvsadm -Sn | tail -3)"
# the batches' lines count the 80 services added; each batch names its
# first 32 at info, the rest only with -D
added=$(sed -n 's/.*IPVS: a batch of [0-9]* request(s) sent: \([0-9]*\) service(s) added.*/\1/p' "$T/vigild.out" |
    awk '{ n += $1; named += $1 < 32 ? $1 : 32 } END { print n + 0, named + 0 }')
[ "$added" = "80 $(grep -c 'IPVS: .*: service added (scheduler rr)' "$T/vigild.out")" ] ||
    fail "80 services: the batches counted (added, named at info) '$added': $(grep 'IPVS: a batch' "$T/vigild.out")"
pass "80 services: the batches' lines count them; each names its first 32 at info"
ask 10.9.4.80 80 3
[ "$(answered r1)" = 3 ] || fail "3 requests to 10.9.4.80:80: $(cat "$T/answers")"
k80=0
counted() { k80=$(conns d1 10.9.4.80:80); [ "${k80:-0}" -ge 3 ]; }
wait_for 20 counted || fail "10.9.4.80:80 counted ${k80:-no} connections, 3 sent"
in_ns d1 curl -s -m 30 http://127.0.0.1:9650/metrics >"$T/metrics80" || fail "80 services: no answer from the metrics endpoint"
m80=$(sed -n 's/^vigil_virtual_server_ipvs_connections_total{virtual_server="[^"]*10\.9\.4\.80[^0-9][^"]*"} //p' "$T/metrics80")
[ "$m80" = "$k80" ] || fail "the first metrics scrape at 80 services: 10.9.4.80:80 has '$m80' connections, the kernel $k80: $(grep -c ipvs_connections "$T/metrics80") counter lines"
pass "80 services: the first metrics scrape answers fresh counters: 10.9.4.80:80 $m80 connections"
in_ns d1 "$VIGILCTL" -s "$T/v.ctl" -j show ipvs >"$T/ipvs80.json" 2>>"$T/vigilctl.out" || fail "vigilctl show ipvs (80 services): $(tail -3 "$T/vigilctl.out")"
j80=$(jq -r '.virtual_servers[] | select(.address == "10.9.4.80") | .ipvs_connections' "$T/ipvs80.json")
[ "$j80" = "$k80" ] || fail "the first vigilctl show ipvs at 80 services: 10.9.4.80:80 has '$j80' connections, the kernel $k80"
pass "80 services: the first vigilctl show ipvs (--json) answers fresh counters: 10.9.4.80:80 $j80 connections, as ipvsadm counts them"
stop_bg vigild
in_ns d1 ip addr del 10.9.4.80/32 dev lo
echo "1..$n"
