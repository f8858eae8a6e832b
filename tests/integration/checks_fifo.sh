#!/bin/sh
# lvs_notify_fifo, lvs_notify_fifo_script and the global notify_fifo
# written by the checker child (no IPVS needed: the desired table is only
# logged). A real server behind three virtual servers (one NAT with
# quorum 2, one DR on another port, one a fwmark) goes down and comes
# back; the lines on the fifos are keepalived's (check/ipwrapper.c
# notify_fifo_rs / notify_fifo_vs):
#   RS [10.78.0.2]:tcp:8080 [10.78.0.100]:tcp:80 DOWN
#   VS [10.78.0.100]:tcp:80 DOWN
# naming a DR real server by the port of its IPVS destination, as
# keepalived 2.2.7 does once it has reset it (the virtual server's, on a
# fwmark none, and its protocol none): "RS [10.78.0.2]:tcp:80
# [10.78.0.101]:tcp:80 DOWN", "RS [10.78.0.2]:none:0 FWM 5 DOWN",
# while its check still connects to 8080 as written;
# each real server's line before its virtual server's; at start each
# virtual server with its quorum says UP, as keepalived's do. The lvs fifo is
# made (owned by the user named) and its script started once with the
# fifo's name appended; the global fifo, made beforehand, is read by the
# test. On stop the fifo vigild made is removed, the other one left.
. "$(dirname "$0")/lib.sh"
command -v socat >/dev/null || { echo "SKIP: no socat"; exit 77; }

ip -n "$NS" addr add 10.78.0.1/24 dev veth0
ip -n "$NS" addr add 10.78.0.2/24 dev veth1
rs_listen 10.78.0.2 8080
rs_listen 10.78.0.2 8081

# the lvs fifo's reader: its arguments, then every line it reads
fifo_reader "$T/reader.sh" "$T/lvs.lines"
# the global fifo exists already; the test reads it
mkfifo "$T/all.fifo"
ip netns exec "$NS" cat "$T/all.fifo" >"$T/all.lines" &
CATPID=$!

cat >"$T/vigil.conf" <<EOF
global_defs {
    lvs_notify_fifo $T/lvs.fifo nobody
    lvs_notify_fifo_script "$T/reader.sh first-arg" root
    notify_fifo $T/all.fifo
}
virtual_server 10.78.0.100 80 {
    delay_loop 1
    lb_kind NAT
    protocol TCP
    quorum 2
    real_server 10.78.0.2 8080 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
    real_server 10.78.0.2 8081 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}
virtual_server 10.78.0.101 80 {
    delay_loop 1
    lb_kind DR
    protocol TCP
    real_server 10.78.0.2 8080 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}
virtual_server fwmark 5 {
    delay_loop 1
    lb_kind DR
    protocol TCP
    real_server 10.78.0.2 8080 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}
EOF
start_vigild "$T/vigil.conf" -C
wait_for 100 test -f "$T/reader.args" || fail "the lvs fifo's script did not start"
[ -p "$T/lvs.fifo" ] || fail "$T/lvs.fifo is not a fifo"
[ "$(stat -c %U "$T/lvs.fifo")" = nobody ] ||
    fail "lvs fifo owned by $(stat -c %U "$T/lvs.fifo"), not nobody"
[ "$(cat "$T/reader.args")" = "first-arg $T/lvs.fifo" ] ||
    fail "the script's arguments: $(cat "$T/reader.args")"
wait_for 100 log_has 'desired: \[10.78.0.100\]:tcp:80: add \[10.78.0.2\]:8081' ||
    fail "the real servers did not enter the desired table"
! log_has 'not supported' || fail "$(grep 'not supported' "$LOG")"
pass "lvs_notify_fifo made, owned by nobody; its script started with the fifo's name appended"
# keepalived's warning, at the real server's line
log_has "vigil.conf:28: real_server: \[10.78.0.101\]:tcp:80 and real server \[10.78.0.2\]:8080 ports don't match (DR and TUN) - resetting: \[10.78.0.2\]:80 in the IPVS table" ||
    fail "no warning for the DR real server's port: $(grep -i port "$LOG")"
log_has "vigil.conf:39: real_server: fwmark 5, real server \[10.78.0.2\]:8080 has a port: fwmark services take none for DR and TUN - clearing" ||
    fail "no warning for the fwmark real server's port: $(grep -i port "$LOG")"
wait_for 100 log_has 'desired: \[10.78.0.101\]:tcp:80: add \[10.78.0.2\]:80 ' ||
    fail "the DR real server is not [10.78.0.2]:80 in the desired table: $(grep desired "$LOG")"
pass "a DR real server on another port than its virtual server's, a fwmark's with a port: warned at file:line; the virtual server's port (none) in the table"

# lines: wanted (in any order between virtual servers), then each real
# server's line before its virtual server's
lines_are() {	# lines_are FILE LINE...: FILE holds exactly these lines
	_f=$1; shift
	printf '%s\n' "$@" | sort >"$T/want"
	sort "$_f" 2>/dev/null | cmp -s - "$T/want"
}
before() {	# before FILE A B: line A comes before line B
	_a=$(grep -nxF -- "$2" "$1" | head -1 | cut -d: -f1)
	_b=$(grep -nxF -- "$3" "$1" | head -1 | cut -d: -f1)
	[ -n "$_a" ] && [ -n "$_b" ] && [ "$_a" -lt "$_b" ]
}
RS_A="RS [10.78.0.2]:tcp:8080 [10.78.0.100]:tcp:80"
RS_D="RS [10.78.0.2]:tcp:80 [10.78.0.101]:tcp:80"
RS_F="RS [10.78.0.2]:none:0 FWM 5"	# keepalived: a fwmark's protocol is none
VS_A="VS [10.78.0.100]:tcp:80"
VS_D="VS [10.78.0.101]:tcp:80"
VS_F="VS FWM 5"
# lines_from NAME SKIP LINE...: past its first SKIP lines, NAME's fifo
# holds exactly these lines
lines_from() {
	_n=$1 _s=$2
	shift 2
	tail -n +$((_s + 1)) "$T/$_n.lines" >"$T/$_n.part" 2>/dev/null
	lines_are "$T/$_n.part" "$@"
}
down="\"$RS_A DOWN\" \"$VS_A DOWN\" \"$RS_D DOWN\" \"$VS_D DOWN\" \"$RS_F DOWN\" \"$VS_F DOWN\""
# at start, as keepalived does: each virtual server that starts with its
# quorum says UP (its "Starting with quorum up")
for f in lvs all; do
	wait_for 100 lines_from $f 0 "$VS_A UP" "$VS_D UP" "$VS_F UP" ||
	    { diff -u "$T/want" "$T/$f.part"; fail "$f fifo at start (- wanted, + got)"; }
done
pass "start: VS ... UP for each virtual server starting with its quorum, on both fifos"
: >"$T/lvs.lines"

kill "$(cat "$T/8080.listener")"
for f in lvs all; do
	[ $f = lvs ] && skip=0 || skip=3
	eval "wait_for 100 lines_from $f $skip $down" ||
	    { diff -u "$T/want" "$T/$f.part"; fail "$f fifo: real server down (- wanted, + got)"; }
	before "$T/$f.lines" "$RS_A DOWN" "$VS_A DOWN" &&
	    before "$T/$f.lines" "$RS_D DOWN" "$VS_D DOWN" &&
	    before "$T/$f.lines" "$RS_F DOWN" "$VS_F DOWN" ||
	    fail "$f fifo: a virtual server's line came before its real server's: $(cat "$T/$f.lines")"
done
pass "real server down: RS ... DOWN and VS ... DOWN (quorum lost; the DR and fwmark services' only one, named by the table's port) on both fifos, in keepalived's format and order"
log_has 'real server \[10.78.0.101\]:tcp:80 / \[10.78.0.2\]:8080 (IPVS \[10.78.0.2\]:80): UP -> DOWN: TCP_CHECK \[10.78.0.2\]:8080' ||
    fail "the DR real server's log line: $(grep 'real server' "$LOG")"
pass "its log line: its name as written, its IPVS destination, the check's target on the port written"

: >"$T/lvs.lines"
rs_listen 10.78.0.2 8080
up() { lines_are "$T/lvs.lines" "$RS_A UP" "$VS_A UP" "$RS_D UP" "$VS_D UP" "$RS_F UP" "$VS_F UP"; }
wait_for 100 up || { diff -u "$T/want" "$T/lvs.lines"; fail "real server up (- wanted, + got)"; }
before "$T/lvs.lines" "$RS_A UP" "$VS_A UP" && before "$T/lvs.lines" "$RS_D UP" "$VS_D UP" &&
    before "$T/lvs.lines" "$RS_F UP" "$VS_F UP" ||
    fail "up: order: $(cat "$T/lvs.lines")"
wait_for 50 sh -c "tail -n +10 '$T/all.lines' | sort | cmp -s - '$T/want'" ||
    fail "global fifo after the real server came back: $(cat "$T/all.lines")"
pass "real server back: RS ... UP, VS ... UP on both fifos"

# a reload leaving the fifos alone keeps them and their script
kill -HUP "$VPID"
wait_for 100 log_has 'running configuration generation 2' || fail "reload did not finish"
[ "$(wc -l <"$T/reader.args")" = 1 ] || fail "the script was started again by a reload: $(cat "$T/reader.args")"
pass "a reload with the same fifos keeps them open and the script running"

# vigilctl: the name as written, the table's port beside it; a command
# finds it by either port
CTL="$top_builddir/daemon/vigilctl"
"$CTL" -s "$T/vigild.ctl" -j status >"$T/status.json" || fail "vigilctl status failed"
python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
r=[r for v in d["virtual_servers"] if v["name"] == "[10.78.0.101]:tcp:80"
    for r in v["real_servers"]]
assert [(x["real"], x["port"], x["dest_port"]) for x in r] == \
    [("[10.78.0.2]:8080", 8080, 80)], r' "$T/status.json" ||
    fail "vigilctl status of the DR real server: $(cat "$T/status.json")"
"$CTL" -s "$T/vigild.ctl" drain 10.78.0.2:80 10.78.0.101:80 >"$T/drain.out" 2>&1 ||
    fail "drain by the table's port: $(cat "$T/drain.out")"
wait_for 50 log_has 'real server \[10.78.0.101\]:tcp:80 / \[10.78.0.2\]:8080 (IPVS \[10.78.0.2\]:80): drained' ||
    fail "the drain did not reach the DR real server: $(cat "$T/drain.out")"
pass "vigilctl: the DR real server is [10.78.0.2]:8080 with dest_port 80; drain finds it by 10.78.0.2:80"

stop_vigild
[ "$VSTATUS" = 0 ] || fail "vigild exited with $VSTATUS"
[ ! -e "$T/lvs.fifo" ] || fail "the fifo vigild made is still there after stop"
[ -p "$T/all.fifo" ] || fail "the fifo made beforehand was removed"
kill "$CATPID" 2>/dev/null
pass "stop: the fifo vigild made is removed, the one it found is left"
done_testing
