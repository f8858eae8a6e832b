#!/bin/sh
# vigilctl against a running pair in namespaces: dir1 (VRRP master and a
# virtual server with one real server up, served by socat, and one down)
# and dir2 (VRRP backup). Every read command, as tables and as JSON
# checked against the known state; fresh counters on request; steering
# refused to a non-root user, unknown commands and objects refused;
# steering routed to the child (or clearly refused while the child does
# not know the command yet); reload, reopen-logs, dump; and hostile
# clients (oversized frame, garbage, wrong frame type, not JSON, silent,
# a thousand at once) answered or dropped while vigild keeps running, the
# peer stays BACKUP, the checks go on and another client is answered;
# clients that ask for a large status and never read it hold at most the
# bound on unread replies (the others are told busy) until they are
# dropped. dir1 renders its replies in a forked copy (as a large store
# does), dir2 (2,000 real servers) in place.
. "$(dirname "$0")/../topo.sh"

CTL="${top_builddir:-.}/daemon/vigilctl"
[ -x "$CTL" ] || fail "$CTL not built"
command -v socat >/dev/null || fail "socat not installed"
command -v setpriv >/dev/null || fail "setpriv not installed"
RAW="python3 $SCENARIO_DIR/raw.py"
VS=10.84.0.100:80
UP=10.84.0.10:8080
DOWN=10.84.0.10:8081

topo_bridge lan
topo_node dir1 10.84.0.1/24
topo_node dir2 10.84.0.2/24
topo_node real 10.84.0.10/24
for n in dir1 dir2; do
	cp "$SCENARIO_DIR/$n.conf" "$T/$n/vigil.conf"
done
S1="$T/dir1/vigild.ctl"
S2="$T/dir2/vigild.ctl"
ctl1() { "$CTL" -s "$S1" "$@"; }
ctl2() { "$CTL" -s "$S2" "$@"; }
# as_nobody CMD...: CMD as an unprivileged user
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
# jq_ FILE EXPR: EXPR (Python, the document is d) evaluated on FILE's JSON
jq_() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
J="$T/j.json"
# state_is KIND-EXPR VALUE: vigilctl -j status, then EXPR = VALUE
json_is() {
	ctl1 -j status >"$J" 2>/dev/null && [ "$(jq_ "$J" "$1" 2>/dev/null)" = "$2" ]
}
rs_expr() { # REAL FIELD
	echo "[r for r in d['virtual_servers'][0]['real_servers'] if r['real']=='[${1%:*}]:${1##*:}'][0]['$2']"
}
vi_state() { # NODE
	"$CTL" -s "$T/$1/vigild.ctl" -j show vrrp VI_1 2>/dev/null >"$T/$1.vi" &&
	    jq_ "$T/$1.vi" "d['vrrp_instances'][0]['state']"
}
settled() {
	[ "$(vi_state dir1)" = MASTER ] && [ "$(vi_state dir2)" = BACKUP ]
}
checks_settled() {
	json_is "$(rs_expr $UP state)" up && json_is "$(rs_expr $DOWN state)" down
}

# -d -d: socat logs each connection it accepts (each TCP_CHECK)
ip netns exec "$(node_ns real)" socat -d -d -u \
    TCP-LISTEN:8080,bind=10.84.0.10,fork,reuseaddr OPEN:/dev/null \
    >"$T/socat.out" 2>&1 &
echo $! >"$T/socat.pid"
# dir2: replies left unread by all clients together bounded at 800 kB
# (control.h; 256 MiB by default): one status of its 2,000 real servers
# is about 620 kB
export VIGIL_CTL_BACKLOG_TOTAL=800000
start_vigild_on dir2 "$T/dir2/vigil.conf"
unset VIGIL_CTL_BACKLOG_TOTAL
# dir1 renders every read reply in a forked copy, as a store of 5,000
# objects or more does (daemon/offload.h); dir2 renders in place
export VIGIL_OFFLOAD_OBJECTS=0
start_vigild_on dir1 "$T/dir1/vigil.conf"
unset VIGIL_OFFLOAD_OBJECTS
wait_for 50 test -S "$S1" || fail "dir1: no control socket at $S1"
wait_for 50 test -S "$S2" || fail "dir2: no control socket at $S2"
node_log_has dir1 "control socket at $S1 (mode 0666)" ||
    fail "dir1: the control socket is not logged with its mode"
pass "each vigild opens its control socket named after its pid file"

# --- read commands --------------------------------------------------------
wait_for 150 settled || fail "VI_1 not MASTER on dir1 and BACKUP on dir2 per vigilctl (dir1 $(vi_state dir1), dir2 $(vi_state dir2))"
pass "show vrrp --json: dir1 MASTER, dir2 BACKUP"
wait_for 150 checks_settled || fail "real servers not seen up ($UP) and down ($DOWN): $(cat "$J")"
pass "status --json: $UP up (socat listens), $DOWN down"

ctl1 -j status >"$J" || fail "status --json failed"
# jcheck FILE CODE: Python asserts on FILE's JSON (d); rs(REAL) is the real
# server REAL of the first virtual server (one interpreter for many checks)
jcheck() {
	python3 - "$1" "$2" <<'PY' || fail "JSON check failed on $(cat "$1")"
import json, sys
d = json.load(open(sys.argv[1]))
def rs(real):
    a, p = real.rsplit(":", 1)
    return [r for r in d["virtual_servers"][0]["real_servers"]
            if r["real"] == "[%s]:%s" % (a, p)][0]
exec(sys.argv[2])
PY
}
jcheck "$J" '
assert d["version"] == 1, d["version"]
assert d["generation"] == 1, d["generation"]
# the SNMP child is listed, not needed without -x or enable_snmp_*
assert [c["name"] for c in d["children"]] == ["vrrp", "checker", "bfd", "snmp"], d["children"]
assert [c["state"] for c in d["children"]] == ["running", "running", "not needed", "not needed"], d["children"]
vs = d["virtual_servers"][0]
assert vs["name"] == "[10.84.0.100]:tcp:80", vs["name"]
assert vs["state"] == "up"
up, down = rs("'$UP'"), rs("'$DOWN'")
assert up["weight"] == 3 and type(up["weight"]) is int, up
assert up["in_table"] is True and up["override"] is None, up
assert down["in_table"] is False and down["weight"] is None, down
assert "TCP_CHECK" in down["detail"], down["detail"]
vi = d["vrrp_instances"][0]
assert vi["name"] == "VI_1" and vi["state"] == "MASTER", vi
assert vi["effective_priority"] == 150 and vi["priority"] == 150, vi
assert vi["vrid"] == 61 and vi["interface"] == "eth0", vi
assert vi["vips"] == ["10.84.0.100/24"] and vi["vips_present"] == 1, vi
assert vi["preempt"] is True and vi["forced_backup"] is False, vi
assert type(vi["adverts_sent"]) is int and vi["adverts_sent"] > 0, vi
assert type(vi["since"]) is int and vi["since"] > 0, vi
assert up["last_result"] == "ok" and type(up["checks"]) is int, up
assert type(up["last_latency_us"]) is int, up
assert up["checker"] == ["TCP_CHECK"] and up["configured_weight"] == 3, up
assert down["last_result"] != "ok", down
assert vs["quorum_up"] is True and vs["real_servers_up"] == 1, vs
'
vi_adverts=$(jq_ "$J" "d['vrrp_instances'][0]['adverts_sent']")
up_checks=$(jq_ "$J" "$(rs_expr $UP checks)")
pass "status --json: schema version, generation, children, typed fields, failure reason"

ctl1 status >"$T/status.txt" || fail "status failed"
grep -q "^INSTANCE  *STATE" "$T/status.txt" || fail "status: no instance table"
grep -q "^VI_1  *MASTER  " "$T/status.txt" || fail "status: VI_1 MASTER row missing"
grep -q "^\[10.84.0.100\]:tcp:80  *\[10.84.0.10\]:8080  *up  *3 " "$T/status.txt" ||
    fail "status: the up real server's row: $(cat "$T/status.txt")"
grep -q "\[10.84.0.10\]:8081  *down " "$T/status.txt" || fail "status: the down row"
grep -q "^children: vrrp child running (pid" "$T/status.txt" || fail "status: children line"
# columns line up: the STATE header starts where the states do
hcol=$(grep "^INSTANCE" "$T/status.txt" | awk '{print index($0,"STATE")}')
rcol=$(grep "^VI_1 " "$T/status.txt" | awk '{print index($0,"MASTER")}')
[ "$hcol" = "$rcol" ] || fail "status: columns not aligned ($hcol vs $rcol)"
sed 's/^/# /' "$T/status.txt"
pass "status as aligned tables"

ctl1 show vrrp >"$T/out" && grep -q "^VI_1  *MASTER" "$T/out" || fail "show vrrp"
ctl1 show checks >"$T/out" && grep -q "\[10.84.0.10\]:8080  *up" "$T/out" || fail "show checks"
ctl1 show ipvs >"$T/out" && grep -q "^SERVICE  *DESTINATION" "$T/out" || fail "show ipvs"
for w in vrrp checks ipvs; do
	ctl1 -j show $w >"$T/show_$w.json" || fail "show $w --json failed"
done
# about one real server: the virtual server's row still counts its real
# servers up (1: $UP), not the rows shown (0 of 1)
ctl1 show checks $DOWN >"$T/out" || fail "show checks $DOWN"
grep -q "^\[10.84.0.100\]:tcp:80  *up  *1  *1  *3  *1 of 2 real server(s) up" "$T/out" ||
    fail "show checks REAL: the virtual server's row: $(cat "$T/out")"
ctl1 -j show checks $UP >"$T/show_real.json" || fail "show checks REAL"
ctl1 -j show checks $VS >"$T/show_vs.json" || fail "show checks VS"
jcheck "$J" '
load = lambda w: json.load(open("'"$T"'/show_%s.json" % w))
v = load("vrrp")
assert [i["name"] for i in v["vrrp_instances"]] == ["VI_1"], v
assert "virtual_servers" not in v
c = load("checks")
assert "vrrp_instances" not in c and len(c["virtual_servers"]) == 1, c
assert len(load("ipvs")["virtual_servers"]) == 1
assert len(load("real")["virtual_servers"][0]["real_servers"]) == 1
assert len(load("vs")["virtual_servers"][0]["real_servers"]) == 2
'
ctl2 show vrrp >"$T/out" && grep -q "^VI_1  *BACKUP" "$T/out" || fail "dir2: show vrrp"
ctl1 ping | grep -q "control protocol 1" || fail "ping"
pass "show vrrp|checks|ipvs [NAME], as tables and --json; ping"

# --- fresh counters -------------------------------------------------------
for i in 1 2; do ctl1 -j status >"$T/fresh$i.json" || fail "status failed"; done
for i in 1 2; do ctl1 --no-refresh -j status >"$T/stale$i.json" || fail "status --no-refresh failed"; done
jcheck "$J" '
snaps = lambda f: {c["name"]: c["snapshots"] for c in json.load(open("'"$T"'/" + f + ".json"))["children"]}
a, b = snaps("fresh1"), snaps("fresh2")
assert b["checker"] > a["checker"] and b["vrrp"] > a["vrrp"], (a, b)
a, b = snaps("stale1"), snaps("stale2")
assert b == a, (a, b)
'

counters_moved() {
	ctl1 -j status >"$T/c.json" &&
	    [ "$(jq_ "$T/c.json" "d['vrrp_instances'][0]['adverts_sent'] > $vi_adverts and $(rs_expr $UP checks) > $up_checks")" = True ]
}
wait_for 100 counters_moved || fail "adverts_sent and checks did not move between two status calls"
pass "read commands answer after a fresh snapshot (and --no-refresh does not ask); counters move"

# --- permissions ----------------------------------------------------------
as_nobody "$CTL" -s "$S1" status >"$T/out" 2>&1 || fail "nobody cannot read dir1's status: $(cat "$T/out")"
as_nobody "$CTL" -s "$S1" drain $UP >"$T/out" 2>&1
rc=$?
[ $rc = 4 ] || fail "nobody's drain: exit $rc, expected 4: $(cat "$T/out")"
grep -q "permission denied" "$T/out" || fail "nobody's drain: no clear refusal"
as_nobody "$CTL" -s "$S1" reload >/dev/null 2>&1
[ $? = 4 ] || fail "nobody's reload was not refused"
as_nobody "$CTL" -s "$S2" status >"$T/out" 2>&1
rc=$?
[ $rc = 7 ] || fail "nobody reached dir2's socket (mode 0660): exit $rc"
grep -q "Permission denied" "$T/out" || fail "dir2 refusal not clear: $(cat "$T/out")"
ls -l "$S2" | grep -q "^srw-rw---- " || fail "dir2 socket mode: $(ls -l "$S2")"
pass "permissions: the socket's mode decides who reads; only root steers"

# --- bad commands ---------------------------------------------------------
expect_rc() { # RC TEXT CMD...: CMD exits RC and says TEXT
	_rc=$1
	_txt=$2
	shift 2
	"$@" >"$T/out" 2>&1
	_got=$?
	[ "$_got" = "$_rc" ] || fail "$*: exit $_got, expected $_rc: $(cat "$T/out")"
	grep -q -- "$_txt" "$T/out" || fail "$*: no '$_txt' in: $(cat "$T/out")"
}
expect_rc 5 "unknown command 'frobnicate'" ctl1 frobnicate
expect_rc 3 "no object named 'VI_9'" ctl1 show vrrp VI_9
expect_rc 3 "no real server \[10.84.0.99\]:80" ctl1 drain 10.84.0.99:80
expect_rc 3 "no virtual server '10.84.0.200:80'" ctl1 set-weight 10.84.0.200:80 $UP 2
expect_rc 2 "is not a number" ctl1 set-weight $VS $UP heavy
expect_rc 2 "not a real server address" ctl1 drain nonsense
expect_rc 2 "usage: show" ctl1 show everything
expect_rc 3 "no VRRP instance 'VI_9'" ctl1 vrrp force-backup VI_9
expect_rc 7 "cannot connect" "$CTL" -s "$T/nowhere.ctl" status
expect_rc 7 "cannot connect to $T: it is no socket" "$CTL" -s "$T" status
# a peer that answers ok without the state: no silent empty output
$RAW "$T/fake.ctl" serve-stateless 10 &
fake_pid=$!
wait_for 50 test -S "$T/fake.ctl" || fail "the stand-in server did not start"
expect_rc 7 "a reply without the state it asked for" "$CTL" -s "$T/fake.ctl" status
wait "$fake_pid"
# words a command does not take are refused, not ignored (a reload with a
# file name would reload the running file instead)
expect_rc 2 "usage: reload (no arguments: vigild reloads the file it runs; vigilctl diff FILE previews another)" \
    ctl1 reload "$T/dir1/vigil.conf"
expect_rc 2 "usage: reopen-logs" ctl1 reopen-logs now
expect_rc 2 "usage: ping" ctl1 ping me
json_is "d['generation']" 1 || fail "a refused reload loaded a generation"
# every vrrp command in the usage; a child's usage says "vrrp ..." as typed
expect_rc 2 "vrrp set-priority INSTANCE PRIORITY, vrrp set-preempt INSTANCE on|off" ctl1 vrrp frob VI_1
expect_rc 2 "usage: vrrp set-priority INSTANCE PRIORITY" ctl1 vrrp set-priority VI_1
expect_rc 2 "usage: vrrp force-backup INSTANCE" ctl1 vrrp force-backup
pass "unknown commands, unknown objects, malformed arguments and extra words are refused clearly"

# --- steering -------------------------------------------------------------
NEW=10.84.0.10:8082
rs_count() { # REAL: how many times REAL is listed
	ctl1 -j show checks >"$J" && jq_ "$J" "len([r for r in d['virtual_servers'][0]['real_servers'] if r['real']=='[${1%:*}]:${1##*:}'])"
}
checker_restarts() {
	ctl1 -j status >"$J" && jq_ "$J" "[c for c in d['children'] if c['name']=='checker'][0]['restarts']"
}
expect_rc 0 "" ctl1 set-weight $VS $UP 7
wait_for 50 json_is "$(rs_expr $UP weight)" 7 || fail "set-weight 7 not in the table"
expect_rc 0 "drained" ctl1 drain $UP
wait_for 50 json_is "$(rs_expr $UP weight)" 0 || fail "drained $UP still has weight"
ctl1 -j status >"$J"
jcheck "$J" '
o = rs("'$UP'")["override"]
assert o["drained"] is True and o["weight"] == 7, o
'
ctl1 status | grep -q "\[10.84.0.10\]:8080 .*drained weight=7" ||
    fail "status does not show the drain and the weight as runtime changes"
pass "set-weight, then drain: the drain wins (weight 0), both shown as runtime changes"

gen=$(ctl1 reload | sed -n 's/^configuration generation \([0-9]*\) loaded.*/\1/p')
[ -n "$gen" ] || fail "reload did not say which generation it loaded"
json_is "d['generation']" "$gen" || fail "status does not show generation $gen"
json_is "$(rs_expr $UP weight)" 0 || fail "the drain did not survive the reload"
kill -9 "$(cat "$(node_pidfile dir1 checkers)")" || fail "no checker child to kill"
wait_for 100 json_is "[c for c in d['children'] if c['name']=='checker'][0]['restarts']" 1 ||
    fail "the checker child was not restarted"
wait_for 100 json_is "$(rs_expr $UP state)" up || fail "$UP not up after the respawn"
json_is "$(rs_expr $UP weight)" 0 || fail "the respawned checker child forgot the drain"
json_is "$(rs_expr $UP override)['weight']" 7 || fail "the override lost its weight"
pass "runtime changes survive a reload and a respawned checker child"

expect_rc 0 "" ctl1 undrain $UP
wait_for 50 json_is "$(rs_expr $UP weight)" 7 || fail "undrain did not bring back the set weight 7"
expect_rc 0 "" ctl1 set-weight $VS $UP 3
wait_for 50 json_is "$(rs_expr $UP weight)" 3 || fail "set-weight 3 not in the table"
pass "undrain gives back the set weight; set-weight again"

# a reload that changes that real server drops its runtime change, in the
# child and in the parent (a later respawn is not handed it back)
cp "$T/dir1/vigil.conf" "$T/dir1/vigil.conf.w3"
sed -i 's/^        weight 3$/        weight 4/' "$T/dir1/vigil.conf"
expect_rc 0 "loaded" ctl1 reload
wait_for 50 json_is "$(rs_expr $UP weight)" 4 || fail "the reload's weight 4 did not replace set-weight 3"
wait_for 50 json_is "$(rs_expr $UP override)" None || fail "the parent kept the override of a real server the reload changed"
kill -9 "$(cat "$(node_pidfile dir1 checkers)")" || fail "no checker child to kill"
wait_for 100 json_is "[c for c in d['children'] if c['name']=='checker'][0]['restarts']" 2 ||
    fail "the checker child was not restarted"
wait_for 100 json_is "$(rs_expr $UP state)" up || fail "$UP not up after the respawn"
json_is "$(rs_expr $UP weight)" 4 || fail "the respawned checker child got back a dropped override"
cp "$T/dir1/vigil.conf.w3" "$T/dir1/vigil.conf"
expect_rc 0 "loaded" ctl1 reload
wait_for 50 json_is "$(rs_expr $UP weight)" 3 || fail "weight 3 not back after the reload"
pass "a reload that changes a real server drops its runtime change in the child and the parent"

ip netns exec "$(node_ns real)" socat -u \
    TCP-LISTEN:8082,bind=10.84.0.10,fork,reuseaddr OPEN:/dev/null \
    >"$T/socat2.out" 2>&1 &
echo $! >"$T/socat2.pid"
expect_rc 0 "" ctl1 add-real $VS $NEW weight 2
wait_for 100 json_is "$(rs_expr $NEW state)" up || fail "the added real server did not come up"
json_is "$(rs_expr $NEW weight)" 2 || fail "the added real server's weight is not 2"
json_is "$(rs_expr $NEW override)['added']" True || fail "add-real not shown as a runtime change"
expect_rc 1 "already" ctl1 add-real $VS $NEW
expect_rc 0 "" ctl1 remove-real $VS $NEW
wait_for 50 sh -c "[ \"\$(rs_count $NEW)\" = 0 ]" 2>/dev/null ||
    [ "$(rs_count $NEW)" = 0 ] || fail "the removed runtime real server is still listed"
expect_rc 0 "" ctl1 remove-real $VS $DOWN
wait_for 50 json_is "$(rs_expr $DOWN state)" removed || fail "a removed configured real server is not shown as removed"
expect_rc 0 "" ctl1 add-real $VS $DOWN
wait_for 50 json_is "$(rs_expr $DOWN override)" None || fail "add-real did not undo remove-real"
wait_for 100 json_is "$(rs_expr $DOWN state)" down || fail "$DOWN did not come back (down)"
kill "$(cat "$T/socat2.pid")" 2>/dev/null
pass "add-real / remove-real at runtime, shown as such; a removed configured server comes back"

expect_rc 0 "" ctl1 vrrp force-backup VI_1
wait_for 100 sh -c "[ \"\$($CTL -s $S2 -j show vrrp VI_1 | python3 -c 'import json,sys;print(json.load(sys.stdin)[\"vrrp_instances\"][0][\"state\"])')\" = MASTER ]" ||
    fail "force-backup did not hand VI_1 to dir2"
ctl1 -j show vrrp VI_1 >"$J"
jcheck "$J" '
vi = d["vrrp_instances"][0]
assert vi["state"] == "BACKUP" and vi["override"]["forced_backup"] is True, vi
'
expect_rc 0 "" ctl1 vrrp release VI_1
wait_for 150 settled || fail "VI_1 did not come back to dir1 after release"
json_is "d['vrrp_instances'][0]['override']" None || fail "release left an override"
pass "vrrp force-backup moves the VIP to the peer, shown as a runtime change; release brings it back"

# the socket moves with a reload that names another path, and back
cp "$T/dir1/vigil.conf" "$T/dir1/vigil.conf.orig"
sed -i "s|^    router_id ctl1|&\n    control_socket $T/dir1/moved.ctl|" "$T/dir1/vigil.conf"
expect_rc 0 "loaded" ctl1 reload
wait_for 50 test -S "$T/dir1/moved.ctl" || fail "the control socket did not move"
wait_for 50 test ! -e "$S1" || fail "the old control socket is still there"
cp "$T/dir1/vigil.conf.orig" "$T/dir1/vigil.conf"
expect_rc 0 "loaded" "$CTL" -s "$T/dir1/moved.ctl" reload
wait_for 50 test -S "$S1" || fail "the control socket did not come back"
ctl1 ping >/dev/null || fail "no answer on the control socket moved back"
pass "a reload moves the control socket (the reloading client still gets its reply)"

expect_rc 0 "logs reopened in the parent and 2 child" ctl1 reopen-logs
dump_lock
rm -f /tmp/vigil.data /tmp/vigil_check.data /tmp/vigil.stats /tmp/vigil.json
ctl1 dump >"$T/dump.txt" || fail "dump failed"
grep -q "VRRP Instance = VI_1" "$T/dump.txt" || fail "the dump's text lacks VI_1"
grep -q "^------< LVS Topology >------$" "$T/dump.txt" || fail "the dump's text lacks the checker's part"
cat /tmp/vigil.data /tmp/vigil_check.data >"$T/dump.files" || fail "dump wrote no /tmp/vigil.data and /tmp/vigil_check.data"
cmp -s "$T/dump.txt" "$T/dump.files" || fail "dump's text is not /tmp/vigil.data then /tmp/vigil_check.data"
ctl1 dump stats >"$T/stats.txt" || fail "dump stats failed"
grep -q "^VRRP Instance: VI_1" "$T/stats.txt" || fail "dump stats lacks VI_1"
cmp -s "$T/stats.txt" /tmp/vigil.stats || fail "dump stats' text is not /tmp/vigil.stats"
# STATS_CLEAR (keepalived's): the file is written with the counters as
# they are, then they start again from 0
stat_of() { sed -n "s/^$2: //p" "$1" | head -1; }
became=$(stat_of "$T/stats.txt" "  Became master")
[ "${became:-0}" -ge 1 ] || fail "dir1's VI_1 is MASTER but became master '$became' times"
# force-backup above took MASTER from it once: keepalived's release_master
released=$(stat_of "$T/stats.txt" "  Released master")
[ "${released:-0}" -ge 1 ] || fail "dir1's VI_1 was forced to BACKUP but released master '$released' times"
rm -f /tmp/vigil.stats
kill -"$("$VIGILD" --signum=STATS_CLEAR)" "$(node_vpid dir1)"
wait_for 150 node_log_has dir1 "statistics written to /tmp/vigil.stats and cleared" ||
    fail "STATS_CLEAR: nothing logged"
[ "$(stat_of /tmp/vigil.stats "  Became master")" = "$became" ] ||
    fail "STATS_CLEAR wrote $(stat_of /tmp/vigil.stats "  Became master"), the counters were at $became"
[ "$(stat_of /tmp/vigil.stats "  Released master")" = "$released" ] ||
    fail "STATS_CLEAR wrote released master $(stat_of /tmp/vigil.stats "  Released master"), the counter was at $released"
ctl1 dump stats >"$T/stats2.txt" || fail "dump stats failed"
[ "$(stat_of "$T/stats2.txt" "  Became master")" = 0 ] ||
    fail "after STATS_CLEAR: $(grep -A3 'Advertisements' "$T/stats2.txt")"
[ "$(stat_of "$T/stats2.txt" "  Released master")" = 0 ] ||
    fail "after STATS_CLEAR released master is $(stat_of "$T/stats2.txt" "  Released master")"
sent=$(stat_of "$T/stats.txt" "    Sent") sent2=$(stat_of "$T/stats2.txt" "    Sent")
[ "$sent2" -lt "$sent" ] || fail "after STATS_CLEAR VI_1 sent $sent2 adverts, $sent before"
wait_for 50 node_log_has dir1 "statistics clear: VRRP child: statistics of 1 instance(s) cleared" ||
    fail "the VRRP child did not answer the clear: $(grep -i 'stat' "$(node_log dir1)" | tail -3)"
ctl1 dump json >"$T/json.txt" || fail "dump json failed"
jcheck "$T/json.txt" '
assert [i["data"]["iname"] for i in d] == ["VI_1"], d
'
cmp -s "$T/json.txt" /tmp/vigil.json || fail "dump json's text is not /tmp/vigil.json"
expect_rc 2 "usage: dump" ctl1 dump everything
rm -f /tmp/vigil.data /tmp/vigil_check.data /tmp/vigil.stats /tmp/vigil.json
dump_unlock
pass "reopen-logs and dump [data|stats|json] through vigilctl, the text in the reply; STATS_CLEAR writes the statistics, then clears them"

# --- hostile clients ------------------------------------------------------
restarts_before=$(checker_restarts)
accepted() { grep -c "accepting connection" "$T/socat.out"; }
checks_before=$(accepted)
$RAW "$S1" silent 20 >"$T/silent.out" &
silent_pid=$!
for what in oversized garbage badtype twice; do
	r=$($RAW "$S1" $what) || fail "raw client $what failed"
	[ "$r" = closed ] || fail "$what: vigild answered '$r' instead of dropping it"
	ctl1 ping >/dev/null || fail "vigild did not answer after a $what client"
done
r=$($RAW "$S1" notjson) || fail "raw client notjson failed"
[ "$r" = "reply bad_request" ] || fail "not JSON: '$r'"
pass "oversized, garbage, wrong frame type, pipelined: dropped; not JSON: bad_request; others answered"
wait "$silent_pid"
[ "$(cat "$T/silent.out")" = closed ] || fail "a silent client was not dropped within 20 s"
pass "a client that never speaks is dropped"

r=$($RAW "$S1" many 1000) || fail "1000 clients: the script failed"
ok=${r#ok=}; ok=${ok%% *}
echo "# 1000 clients: $r"
[ "$ok" -ge 1 ] || fail "1000 clients: none answered ($r)"
case $r in
*" busy="*" closed="*) ;;
*) fail "1000 clients: $r" ;;
esac
alive "$(node_vpid dir1)" || fail "vigild died under 1000 clients"
ctl1 -j status >"$J" || fail "no answer after 1000 clients"
pass "1000 clients at once: answered or told busy; vigild still answers"

# clients that ask dir2 for its status (about 620 kB) and never read:
# vigild holds at most the bound (800 kB here) of unread replies; the
# others, and vigilctl meanwhile, are told busy (exit 6), and once the
# readers that never read are dropped (5 s without progress) vigilctl is
# answered again
ctl2 status >"$T/big.txt" || fail "dir2: no status"
[ "$(grep -c "^\[127.0.0.1\]:tcp:80  *\[127.0.0.1\]:" "$T/big.txt")" = 2000 ] ||
    fail "dir2: its 2,000 real servers are not listed"
rm -f "$T/noread.ready"
$RAW "$S2" noread 8 8 "$T/noread.ready" >"$T/noread.out" &
noread_pid=$!
wait_for 100 test -e "$T/noread.ready" || fail "the clients that never read did not connect"
wait_for 50 sh -c "'$CTL' -s '$S2' status >/dev/null 2>'$T/busy.err'; [ \$? = 6 ]" ||
    fail "vigilctl was not told busy while replies wait unread: $(cat "$T/busy.err")"
grep -q "KiB of replies wait to be read by other control clients; try again (busy)" "$T/busy.err" ||
    fail "the busy reply does not say why: $(cat "$T/busy.err")"
wait "$noread_pid"
r=$(cat "$T/noread.out")
echo "# 8 clients that never read dir2's status: $r"
case $r in
"ok=0 "*|"ok=8 "*|*" busy=0 "*) fail "8 clients that never read: $r (expected some ok, the others busy)" ;;
esac
wait_for 100 sh -c "'$CTL' -s '$S2' status >/dev/null 2>&1" || fail "dir2 does not answer once the clients that never read are gone"
node_log_has dir2 "reply of" || fail "dir2 does not log the refused replies"
alive "$(node_vpid dir2)" || fail "dir2 died"
pass "unread replies are bounded: the clients over it and vigilctl are told busy, then answered again"

# the rest of the world did not notice
[ "$(vi_state dir2)" = BACKUP ] || fail "dir2 left BACKUP during the abuse"
[ "$(vi_state dir1)" = MASTER ] || fail "dir1 left MASTER during the abuse"
checks_settled || fail "the real servers' states changed during the abuse"
wait_for 50 sh -c "[ \$(grep -c 'accepting connection' '$T/socat.out') -gt $checks_before ]" ||
    fail "checks stopped arriving at the real server"
[ "$(checker_restarts)" = "$restarts_before" ] || fail "the checker child was restarted"
pass "VRRP peer still BACKUP, checks still running, no child restarted"

stop_vigild_on dir1
[ "$VSTATUS" = 0 ] || fail "dir1 exited with $VSTATUS"
[ ! -e "$S1" ] || fail "the control socket outlived vigild"
stop_vigild_on dir2
pass "vigild stops cleanly and removes its control socket"
kill "$(cat "$T/socat.pid")" 2>/dev/null
done_testing
