#!/bin/sh
# Runtime steering end to end: vigilctl drain / undrain / set-weight /
# add-real / remove-real against a director checking real servers (socat
# listeners), seen in the desired table (the log backend's lines) and in
# vigilctl status; bad commands answered with their exit codes; the
# changes kept across a reload and handed back to a respawned checker
# child, which builds its table with them (no flap).
. "$(dirname "$0")/../topo.sh"

VIGILCTL="${top_builddir:-.}/daemon/vigilctl"
[ -x "$VIGILCTL" ] || fail "$VIGILCTL not built"

topo_bridge lan
topo_node dir1 10.20.0.1/24
for i in 1 2 3; do
	topo_node rs$i 10.20.0.1$i/24
	ip netns exec "$(node_ns rs$i)" socat TCP-LISTEN:80,reuseaddr,fork \
	    SYSTEM:true >/dev/null 2>&1 &
	wait_for 50 sh -c "ip netns exec $(node_ns rs$i) ss -ltn | grep -q ':80 '" ||
	    fail "rs$i: listener did not start"
done

LOGF=$(node_log dir1)
seen() { grep -qF -- "$1" "$LOGF"; }
# since LINE TEXT: TEXT is in the log after line LINE
since() { tail -n +"$1" "$LOGF" | grep -qF -- "$2"; }
ctl() { "$VIGILCTL" -s "$T/dir1/vigild.ctl" -t 10 "$@" >"$T/out" 2>&1; }
# ctl_rc RC CMD...: vigilctl exits RC
ctl_rc() {
	_want=$1
	shift
	ctl "$@"
	_rc=$?
	[ "$_rc" = "$_want" ] || fail "vigilctl $*: exit $_rc, expected $_want: $(cat "$T/out")"
}

CONF="$T/dir1/vigil.conf"
cp "$SCENARIO_DIR/steer.conf" "$CONF"
start_vigild_on dir1 "$CONF"
A="[10.20.0.100]:tcp:80"
B="[10.20.0.101]:tcp:80"
wait_for 100 seen "desired: $A: add [10.20.0.12]:80 weight 1" || fail "rs2 not in the table"
wait_for 100 seen "desired: $B: add [10.20.0.11]:80 weight 3" || fail "rs1 not in B's table"
wait_for 100 test -S "$T/dir1/vigild.ctl" || fail "no control socket"

# drain: weight 0 in every virtual server holding it
ctl_rc 0 drain 10.20.0.11:80
wait_for 50 seen "desired: $A: [10.20.0.11]:80 weight 1 -> 0" || fail "drain: not weight 0 in A"
wait_for 50 seen "desired: $B: [10.20.0.11]:80 weight 3 -> 0" || fail "drain: not weight 0 in B"
seen "desired: $A: remove [10.20.0.11]:80" && fail "a drained real server left the table"
pass "drain: weight 0 in every virtual server that holds the real server"

# set-weight, add-real (a copy of the first real server's check), errors
ctl_rc 0 set-weight 10.20.0.100:80 10.20.0.12:80 5
wait_for 50 seen "desired: $A: [10.20.0.12]:80 weight 1 -> 5" || fail "set-weight not in the table"
ctl_rc 0 add-real 10.20.0.100:80 10.20.0.13:80 weight 2
wait_for 50 seen "desired: $A: add [10.20.0.13]:80 weight 2" || fail "add-real not in the table"
ctl_rc 0 add-real 10.20.0.101:80 10.20.0.13:80 check TCP_CHECK "{" connect_port 81 connect_timeout 1 retry 0 "}"
wait_for 100 seen "real server $B / [10.20.0.13]:80: UP -> DOWN: TCP_CHECK [10.20.0.13]:81: connection refused" ||
    fail "add-real with its own check: that check did not run"
pass "set-weight and add-real reach the table; an added real server is checked as told"

ctl_rc 3 drain 10.20.0.99:80
grep -qF "10.20.0.99" "$T/out" || fail "drain of an unknown real server does not name it: $(cat "$T/out")"
ctl_rc 3 set-weight 10.20.0.200:80 10.20.0.12:80 2
ctl_rc 2 set-weight 10.20.0.100:80 10.20.0.12:80 heavy
ctl_rc 2 set-weight 10.20.0.100:80 10.20.0.12:80 70000
ctl_rc 1 add-real 10.20.0.100:80 10.20.0.12:80
ctl_rc 2 add-real 10.20.0.100:80 10.20.0.14:80 check HTTP_GET "{"
grep -qi "check" "$T/out" || fail "a check that does not parse: no reason given: $(cat "$T/out")"
ctl status || fail "status failed: $(cat "$T/out")"
grep -F "10.20.0.11" "$T/out" | grep -q drained || fail "status does not show the drain: $(cat "$T/out")"
pass "unknown objects and bad numbers are refused with their exit codes; status shows the drain"

# reload (the file touched): the runtime changes stay
lines=$(wc -l <"$LOGF")
echo "! touched" >>"$CONF"
kill -HUP "$(node_vpid dir1)"
wait_for 100 seen "checker child: running configuration generation 2" || fail "reload not taken"
sleep 1
since "$lines" "[10.20.0.11]:80 weight 0 ->" && fail "the drain was lost on reload"
since "$lines" "[10.20.0.12]:80 weight 5 ->" && fail "the set weight was lost on reload"
since "$lines" "desired: $A: remove [10.20.0.13]:80" && fail "the runtime real server left on reload"
pass "a reload keeps the runtime changes"

# respawn: the new child is handed the changes and builds its table
# with them from the start
chk=$(pidof_file "$(node_pidfile dir1 checkers)")
lines=$(wc -l <"$LOGF")
kill -9 "$chk"
wait_for 100 since "$lines" "desired: $A: add [10.20.0.13]:80" || fail "the respawned child lost the runtime real server"
wait_for 50 since "$lines" "desired: $A: add [10.20.0.11]:80 weight 0" ||
    fail "the respawned child did not add the drained real server with weight 0: $(tail -n +"$lines" "$LOGF" | grep 'desired:')"
since "$lines" "desired: $A: add [10.20.0.12]:80 weight 5" || fail "the respawned child lost the set weight"
since "$lines" "desired: $A: add [10.20.0.13]:80 weight 2" || fail "the runtime real server's weight changed"
since "$lines" "[10.20.0.11]:80 weight 1 -> 0" && fail "the drained real server flapped on respawn"
pass "a respawned checker child applies the runtime changes from its start"

# undo
lines=$(wc -l <"$LOGF")
ctl_rc 0 undrain 10.20.0.11:80 10.20.0.101:80
wait_for 50 since "$lines" "desired: $B: [10.20.0.11]:80 weight 0 -> 3" || fail "undrain not in the table"
since "$lines" "desired: $A: [10.20.0.11]:80 weight 0 -> 1" && fail "undrain with a virtual server undrained another"
ctl_rc 0 remove-real 10.20.0.100:80 10.20.0.13:80
wait_for 50 since "$lines" "desired: $A: remove [10.20.0.13]:80" || fail "remove-real not in the table"
ctl_rc 0 remove-real 10.20.0.100:80 10.20.0.12:80
wait_for 50 since "$lines" "desired: $A: remove [10.20.0.12]:80" || fail "remove-real of a configured one not in the table"
pass "undrain and remove-real undo them"

stop_vigild_on dir1
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
done_testing
