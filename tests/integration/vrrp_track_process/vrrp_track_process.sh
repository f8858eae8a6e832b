#!/bin/sh
# vrrp_track_process on the kernel's process events. The netlink proc
# connector speaks only in the initial network namespace, so vigild (and
# keepalived beside it, on the same configuration) run in this machine's
# own namespace, their instances on a veth of this test's own (vtp<random>,
# a test-only 10.213.x.0/24, nothing else on it) whose other end is in a
# namespace holding the peer vigild; nothing goes to any other interface.
# The tracked processes are copies of sleep / dash under names unique to
# this run, started and stopped by the test. Checked, on vigild and on
# keepalived 2.2.7 alike (same states, same quorum changes, same
# priorities, for the same starts and stops):
#  - weight 0: FAULT while the process is absent, back (MASTER over the
#    peer's lower priority) when it starts, FAULT again when it is killed;
#  - weight 20 / weight 20 reverse: BACKUP / MASTER by the priority moved;
#  - quorum 2, quorum_max 3: two copies needed, a fourth is too many;
#  - param_match exact / partial / initial, full_command, comm, exec -a, a
#    rename by prctl(PR_SET_NAME) (a comm event) to and away from the name;
#  - terminate_delay: a process killed first, with the delay, loses its
#    quorum after one killed later without; a restart within the delay
#    loses nothing (checked against a second tracker with the same delay,
#    given by "delay", whose loss comes after the first one's would have);
#  - fork_delay: a fork of a counted process counts, after the delay (an
#    exec counts at once, before it);
#  - the VRRP processes stopped while 1,500 processes start and exit
#    overruns their connector sockets: the rescan that follows finds the
#    tracked processes as they are, on vigild and keepalived alike (a
#    quorum it finds gained counts at once, as keepalived's resync:
#    fork_delay is for forks); then vigild alone takes the next changes
#    (keepalived's resync does not record the quorum it sets, and takes
#    the next change of each tracker for none).
# Outcome and order from the logs, never times. The nodes are topo.sh's
# (root, ka, peer: their directories, logs, pid files, the peer's
# namespace), cleaned up with the veth and the tracked processes on every
# exit.
. "$(dirname "$0")/../topo.sh"

[ -r /proc/self/ns/net ] || { echo "1..0 # SKIP no /proc/self/ns/net"; exit 77; }
for _c in perl bash; do
	command -v "$_c" >/dev/null ||
	    { echo "1..0 # SKIP $_c is not installed"; exit 77; }
done
KEEPALIVED=${KEEPALIVED:-$(command -v keepalived || echo /usr/sbin/keepalived)}
[ -x "$KEEPALIVED" ] || KEEPALIVED=

# nodes (topo.sh's directories, logs and pid files): root (vigild in this
# machine's namespace), ka (keepalived there too, its output in the
# node's log as ka_lib.sh's) and peer (vigild in the test's namespace)
R=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
IFN=vtp$R
NET=10.213.$(($$ % 200 + 20))
mkdir "$T/root" "$T/ka" "$T/peer"
VLOG=$(node_log root)
KLOG=$(node_log ka)
: >"$T/procs"
: >"$KLOG"

cleanup() {
	topo_cleanup
	for _f in "$T"/ka/*.pid; do
		[ -f "$_f" ] && kill -9 "$(cat "$_f")" 2>/dev/null
	done
	xargs -r kill -9 <"$T/procs" 2>/dev/null
	ip link del "$IFN" 2>/dev/null
	rm -rf "$T"
}

NS=$(node_ns peer)
topo_add_ns "$NS"
ip link add "$IFN" type veth peer name "vtq$R" netns "$NS" ||
    fail "cannot make the veth $IFN"
ip -n "$NS" link set "vtq$R" name eth0
ip addr add "$NET.1/24" dev "$IFN"
ip -n "$NS" addr add "$NET.2/24" dev eth0
ip link set "$IFN" up
ip -n "$NS" link set eth0 up

# the tracked programs: copies under names of this run
for _n in f w q d c k s z; do
	_src=/bin/sleep
	[ "$_n" = k ] && _src=/bin/dash
	cp "$_src" "$T/vtp$_n$R" || fail "cannot copy $_src"
done
BIN=$T/vtps$R
mkfifo "$T/fa" "$T/fb" "$T/fc"

# instances: NAME INDEX PRIORITY [TRACK_PROCESS LINE]; the VRID is BASE +
# INDEX (vigild 40, keepalived 60); its VIP is $NET.VRID
INSTS="VI_F:1:150:tp_f VI_W:2:90:tp_w VI_R:3:110:tp_w_weight_20_reverse
VI_Q:4:150:tp_q VI_D:5:150:tp_d VI_C:6:150:tp_c VI_K:7:150:tp_k
VI_M:8:100:tm_exact_tm_partial_tm_initial_tm_full_tm_comm_tm_bar"
inst() { # NAME VRID PRIORITY TRACK IFACE
	echo "vrrp_instance $1 {"
	echo "    state BACKUP"
	echo "    interface $5"
	echo "    virtual_router_id $2"
	echo "    priority $3"
	echo "    advert_int 0.2"
	echo "    virtual_ipaddress {"
	echo "        $NET.$2/24"
	echo "    }"
	if [ -n "$4" ]; then
		echo "    track_process {"
		for _t in $4; do
			echo "        $_t" | sed 's/_weight_/ weight /; s/_reverse/ reverse/'
		done
		echo "    }"
	fi
	echo "}"
}
tracker() { # NAME WORDS...
	_name=$1
	shift
	echo "vrrp_track_process $_name {"
	for _w in "$@"; do
		echo "    $_w"
	done
	echo "}"
}
root_conf() { # BASE-VRID ID
	echo "global_defs {"
	echo "    router_id tproc-$2"
	echo "    vrrp_version 3"
	# forced (SO_RCVBUFFORCE: net.core.rmem_max does not cap it), still
	# far below what the overrun below sends
	echo "    process_monitor_rcv_bufs 400000"
	echo "    process_monitor_rcv_bufs_force"
	echo "}"
	# tp_f without a weight: 0 by default (FAULT), keepalived's
	tracker tp_f "process vtpf$R"
	tracker tp_w "process vtpw$R" "weight 20"
	tracker tp_q "process vtpq$R" "weight 0" "quorum 2" "quorum_max 3"
	tracker tp_d "process vtpd$R" "weight 0" "terminate_delay 8"
	tracker tp_c "process vtpc$R" "weight 0" "delay 8"
	tracker tp_k "process vtpk$R" "weight 0" "quorum 2" "fork_delay 8"
	tracker tm_exact "process $BIN 1000 200" "weight 1"
	tracker tm_partial "process $BIN 1000" "param_match partial" "weight 2"
	tracker tm_initial "process $BIN 1000 2" "param_match initial" "weight 4"
	tracker tm_full "process $BIN" "full_command" "weight 8"
	tracker tm_comm "process vtps$R" "weight 16"
	tracker tm_bar "process vtpz$R" "weight 32"
	echo "$INSTS" | tr ' ' '\n' | while IFS=: read -r _i _x _p _t; do
		inst "$_i" $(($1 + _x)) "$_p" "$(echo "$_t" | sed 's/_tm_/ tm_/g')" "$IFN"
	done
}
peer_conf() {
	printf 'global_defs {\n    router_id tproc-peer\n    vrrp_version 3\n}\n'
	for _b in 40 60; do
		echo "$INSTS" | tr ' ' '\n' | while IFS=: read -r _i _x _p _t; do
			_pp=100
			[ "$_i" = VI_M ] && _pp=200
			inst "P$_b$_i" $((_b + _x)) $_pp "" eth0
		done
	done
}
root_conf 40 vigild >"$T/vigil.conf"
root_conf 60 ka >"$T/keepalived.conf"
peer_conf >"$T/peer.conf"

# ---- processes ----------------------------------------------------------------

# run KEY PROGRAM ARG...: PROGRAM in the background, its pid in $T/p.KEY,
# once it runs PROGRAM (its exec is done: its events are sent)
run() {
	_k=$1
	shift
	"$@" </dev/null >/dev/null 2>&1 &
	_run_wait "$_k" $! "$1"
}
# run_as KEY ARGV0 PROGRAM ARG...: the same with argv[0] ARGV0
run_as() {
	_k=$1
	_a0=$2
	shift 2
	bash -c 'a0=$1; shift; exec -a "$a0" "$@"' x "$_a0" "$@" \
	    </dev/null >/dev/null 2>&1 &
	_run_wait "$_k" $! "$1"
}
_run_wait() {
	echo "$2" >>"$T/procs"
	echo "$2" >"$T/p.$1"
	_exe=$(readlink -f "$(command -v "$3")")
	wait_for 50 sh -c "[ \"\$(readlink /proc/$2/exe)\" = '$_exe' ]" ||
	    fail "$1: $3 did not start"
}
# stop KEY: kill it and reap it
stop() {
	_p=$(cat "$T/p.$1")
	kill -9 "$_p" 2>/dev/null
	wait "$_p" 2>/dev/null
	rm -f "$T/p.$1"
}

# ---- what the daemons say -------------------------------------------------------

DAEMONS="vigild${KEEPALIVED:+ keepalived}"
log_of() { [ "$1" = vigild ] && echo "$VLOG" || echo "$KLOG"; }
state_of() { # DAEMON INSTANCE: the state it entered last
	grep -o "($2) [Ee]ntering [A-Z]* [Ss][Tt][Aa][Tt][Ee]" "$(log_of "$1")" | tail -1 |
	    awk '{print $3}'
}
prio_of() { # DAEMON INSTANCE: its priority as last logged (else 100)
	if [ "$1" = vigild ]; then
		_v=$(grep -o "$2: priority [0-9]* -> [0-9]*" "$VLOG" | tail -1 |
		    awk '{print $5}')
	else
		_v=$(grep -o "($2) Changing effective priority from [0-9]* to [0-9]*" \
		    "$KLOG" | tail -1 | awk '{print $NF}')
	fi
	echo "${_v:-100}"
}
# quorum_lines DAEMON TRACKER: its quorum changes, one a line, with the
# log's line numbers ("12:gained")
quorum_lines() {
	if [ "$1" = vigild ]; then
		grep -n -o "track_process $2: quorum [a-z]*" "$VLOG" |
		    sed 's/:track_process [^ ]* quorum /:/'
	else
		grep -n -o "Quorum [a-z]* for tracked process $2\$" "$KLOG" |
		    sed 's/:Quorum \([a-z]*\) .*/:\1/'
	fi
}
quorum_seq() { quorum_lines "$@" | cut -d: -f2 | tr '\n' ' '; }
# last_quorum_line DAEMON TRACKER gained|lost: the line number of the last one
last_quorum_line() {
	quorum_lines "$1" "$2" | grep ":$3\$" | tail -1 | cut -d: -f1
}
# came_after EARLY LATE gained|lost WHY: in every daemon's log, tracker
# LATE's last such quorum change comes after EARLY's
came_after() {
	for _d in $DAEMONS; do
		_le=$(last_quorum_line "$_d" "$1" "$3")
		_ll=$(last_quorum_line "$_d" "$2" "$3")
		[ "${_le:-0}" -gt 0 ] && [ "${_ll:-0}" -gt "$_le" ] ||
		    fail "$_d: $2 $3 its quorum before $1: $4"
	done
}
# all_are state_of|prio_of INSTANCE VALUE: every daemon says so
all_are() {
	for _d in $DAEMONS; do
		[ "$("$1" "$_d" "$2")" = "$3" ] || return 1
	done
}
# expect_all state_of|prio_of INSTANCE VALUE WHAT: ... within 30 s (the
# delays are 8 s: a bound far past them)
expect_all() {
	wait_for 300 all_are "$1" "$2" "$3" ||
	    fail "$4: $2's ${1%_of} is not $3 (vigild: $("$1" vigild "$2"), keepalived: $("$1" keepalived "$2"))"
}
all_state() { all_are state_of "$@"; }
expect_state() { expect_all state_of "$@"; }
expect_prio() { expect_all prio_of "$@"; }
# counts_are "TRACKER COUNT"...: vigild's dump counts each so
: "${VIGILCTL:=$(dirname "$VIGILD")/vigilctl}"
vigilctl() { "$VIGILCTL" -s "$T/root/vigild.ctl" "$@"; }
counts_are() {
	vigilctl dump data >"$T/dump" 2>&1 || return 1
	for _tc in "$@"; do
		grep -A2 "Track process = ${_tc% *}\$" "$T/dump" |
		    grep -q "current = ${_tc#* }," || return 1
	done
}
# barrier [PRIORITY]: a process of tm_bar (weight 32 on VI_M) started
# and seen by every daemon, then stopped and seen: the events of
# everything started or stopped before it have been taken (and VI_M's
# priority was PRIORITY, 100 unless given, when they had)
barrier() {
	_b=${1:-100}
	run z "$T/vtpz$R" 1000
	expect_prio VI_M $((_b + 32)) "barrier"
	stop z
	expect_prio VI_M "$_b" "barrier"
}

# ---- start --------------------------------------------------------------------

start_vigild_on peer "$T/peer.conf" -P
# as start_vigild_on, in this machine's namespace
"$VIGILD" -n -l -G -P --child-watchdog=0 -f "$T/vigil.conf" \
    -p "$(node_pidfile root vigild)" -r "$(node_pidfile root vrrp)" \
    -c "$(node_pidfile root checkers)" >>"$VLOG" 2>&1 &
echo $! >"$T/root/launch.pid"
if [ -n "$KEEPALIVED" ]; then
	"$KEEPALIVED" -n -l -G -P -f "$T/keepalived.conf" -p "$T/ka/ka.pid" \
	    -r "$T/ka/ka-vrrp.pid" -c "$T/ka/ka-chk.pid" -b "$T/ka/ka-bfd.pid" \
	    >>"$KLOG" 2>&1 &
	echo $! >"$T/ka/launch.pid"
fi
wait_for 50 test -s "$(node_pidfile root vrrp)" ||
    fail "vigild's VRRP child did not start"
wait_for 50 grep -q "track_process tp_f: 0 matching processes" "$VLOG" ||
    fail "vigild did not count tp_f at start"
if grep -q "no process events from the kernel\|not the initial network namespace\|process events are not available" "$VLOG"; then
	echo "1..0 # SKIP the kernel sends no process events here"
	exit 77
fi
[ -z "$KEEPALIVED" ] || wait_for 50 test -s "$T/ka/ka-vrrp.pid" ||
    fail "keepalived did not start"

expect_state VI_F FAULT "tp_f absent at start"
expect_state VI_Q FAULT "tp_q absent at start"
expect_state VI_W BACKUP "tp_w absent at start (90 < 100)"
expect_state VI_R MASTER "tp_w absent at start (reverse: 110 > 100)"
expect_state VI_M BACKUP "VI_M at start"
pass "at start, no tracked process: weight 0 -> FAULT, weight 20 -> BACKUP, reverse -> MASTER ($DAEMONS)"
# the states from here on are compared (the start races the peer's first
# adverts: a BACKUP may be MASTER for a moment, keepalived's or vigild's)
for _d in $DAEMONS; do
	wc -l <"$(log_of "$_d")" >"$T/mark.$_d"
done

# ---- weight 0, weight, reverse -------------------------------------------------

run f "$T/vtpf$R" 1000
expect_state VI_F MASTER "tp_f started"
stop f
expect_state VI_F FAULT "tp_f killed"
run f "$T/vtpf$R" 1000
expect_state VI_F MASTER "tp_f started again"
pass "weight 0: the process starts -> MASTER, killed -> FAULT, again -> MASTER"

run w "$T/vtpw$R" 1000
expect_state VI_W MASTER "tp_w started (90 + 20 > 100)"
expect_state VI_R BACKUP "tp_w started (reverse: 110 - 20 < 100)"
expect_prio VI_R 90 "tp_w started (reverse)"
expect_prio VI_W 110 "tp_w started"
stop w
expect_state VI_W BACKUP "tp_w killed"
expect_state VI_R MASTER "tp_w killed (reverse)"
expect_prio VI_W 90 "tp_w killed"
pass "weight 20: the process moves the priority over / under the peer's, reverse the other way"

# ---- quorum 2, quorum_max 3 ----------------------------------------------------------

run q1 "$T/vtpq$R" 1000
barrier
all_state VI_Q FAULT || fail "one copy of tp_q (quorum 2) took VI_Q out of FAULT"
run q2 "$T/vtpq$R" 1000
expect_state VI_Q MASTER "two copies of tp_q"
run q3 "$T/vtpq$R" 1000
run q4 "$T/vtpq$R" 1000
expect_state VI_Q FAULT "four copies of tp_q (quorum_max 3)"
stop q4
expect_state VI_Q MASTER "three copies of tp_q"
stop q3
stop q2
expect_state VI_Q FAULT "one copy of tp_q left"
for _d in $DAEMONS; do
	[ "$(quorum_seq "$_d" tp_q)" = "down gained lost gained lost " ] ||
	    [ "$(quorum_seq "$_d" tp_q)" = "gained lost gained lost " ] ||
	    fail "$_d: tp_q's quorum changes: $(quorum_seq "$_d" tp_q)"
done
stop q1
pass "quorum 2 needs two copies, quorum_max 3 takes a fourth as too many"

# ---- matching ------------------------------------------------------------------------

# match_case WHAT WEIGHTS (sum of the tm_* weights that must match) and the
# process (run / run_as arguments after the key)
match_case() {
	_what=$1
	_want=$((100 + $2))
	_how=$3
	shift 3
	"$_how" m "$@"
	barrier "$_want"
	stop m
	expect_prio VI_M 100 "$_what, killed"
}
match_case "sleep-copy 1000 200" 31 run "$BIN" 1000 200
match_case "sleep-copy 1000 300" 26 run "$BIN" 1000 300
match_case "sleep-copy 1000 2000" 30 run "$BIN" 1000 2000
match_case "sleep-copy 1000" 26 run "$BIN" 1000
match_case "sleep-copy 999" 24 run "$BIN" 999
match_case "sleep-copy 1000 200 200" 30 run "$BIN" 1000 200 200
match_case "/bin/sleep 1000 200 as argv[0] sleep-copy" 15 run_as "$BIN" /bin/sleep 1000 200
match_case "sleep-copy 1000 200 as argv[0] other" 16 run_as other "$BIN" 1000 200
pass "exact / partial / initial parameters, full_command and comm match as keepalived's"

# prctl(PR_SET_NAME) to the tracked name and away: comm events
perl -e '$SIG{USR1} = sub { $0 = "vtpo'"$R"'" }; $0 = "vtps'"$R"'";
    sleep 1 while 1' </dev/null >/dev/null 2>&1 &
echo $! >>"$T/procs"
echo $! >"$T/p.m"
wait_for 50 grep -qx "vtps$R" "/proc/$(cat "$T/p.m")/comm" ||
    fail "perl did not rename itself"
expect_prio VI_M 116 "a process renamed to vtps$R (PR_SET_NAME)"
kill -USR1 "$(cat "$T/p.m")"
wait_for 50 grep -qx "vtpo$R" "/proc/$(cat "$T/p.m")/comm" ||
    fail "perl did not rename itself again"
expect_prio VI_M 100 "a process renamed away from vtps$R"
stop m
# argv[0] the tracked path (full_command counts it), then, once that is
# counted, its comm renamed (a comm event, through /proc/self/comm): the
# command line match stays, the name's joins
bash -c 'exec -a "$0" perl -e "\$SIG{USR1} = sub {
    open(my \$f, \">\", \"/proc/self/comm\"); print \$f \"vtps'"$R"'\";
    close(\$f) }; sleep 1 while 1"' "$BIN" </dev/null >/dev/null 2>&1 &
_run_wait m $! perl
barrier 108
kill -USR1 "$(cat "$T/p.m")"
wait_for 50 grep -qx "vtps$R" "/proc/$(cat "$T/p.m")/comm" ||
    fail "perl did not rename itself through /proc/self/comm"
barrier 124
stop m
expect_prio VI_M 100 "the renamed process killed"
pass "a process renamed to the name counts, renamed away stops counting, a command line match stays (comm events)"

# ---- terminate_delay ------------------------------------------------------------------

run d "$T/vtpd$R" 1000
run c "$T/vtpc$R" 1000
expect_state VI_D MASTER "tp_d started"
expect_state VI_C MASTER "tp_c started"
stop d
stop f
expect_state VI_F FAULT "tp_f killed"
expect_state VI_D FAULT "tp_d killed (after terminate_delay)"
came_after tp_f tp_d lost "tp_d was killed first, with terminate_delay, tp_f after it without"
grep -q "track_process tp_d: quorum lost: 0 matching processes (quorum 1), after terminate_delay" "$VLOG" ||
    fail "vigild does not say tp_d's loss came after terminate_delay"
pass "terminate_delay: a process killed first loses its quorum after one killed later without a delay"

run d "$T/vtpd$R" 1000
run f "$T/vtpf$R" 1000
expect_state VI_D MASTER "tp_d started again"
expect_state VI_F MASTER "tp_f started again"
for _d in $DAEMONS; do
	quorum_seq "$_d" tp_d >"$T/tp_d.$_d"
done
stop d
stop c
run d "$T/vtpd$R" 1000
expect_state VI_C FAULT "tp_c killed (after terminate_delay)"
barrier
for _d in $DAEMONS; do
	[ "$(quorum_seq "$_d" tp_d)" = "$(cat "$T/tp_d.$_d")" ] ||
	    fail "$_d: tp_d, back within terminate_delay, changed its quorum: $(quorum_seq "$_d" tp_d)"
done
all_state VI_D MASTER || fail "VI_D left MASTER though tp_d came back within terminate_delay"
pass "terminate_delay: a process back within the delay loses nothing"
stop d

# ---- fork_delay -------------------------------------------------------------------------

stop f
expect_state VI_F FAULT "tp_f killed"
# the dash copy waits on fa, then forks a subshell (waiting on fb) and
# waits on fc
run k "$T/vtpk$R" -c 'read a <"$1"; read b <"$2" & echo $! >"$3"; read c <"$4"' \
    x "$T/fa" "$T/fb" "$T/kid" "$T/fc"
barrier
all_state VI_K FAULT || fail "one copy of tp_k (quorum 2) took VI_K out of FAULT"
echo go >"$T/fa"
wait_for 50 test -s "$T/kid" || fail "the dash copy did not fork"
cat "$T/kid" >>"$T/procs"
run f "$T/vtpf$R" 1000
expect_state VI_F MASTER "tp_f started"
expect_state VI_K MASTER "tp_k forked (quorum 2, after fork_delay)"
came_after tp_f tp_k gained "tp_k forked first, with fork_delay, tp_f started (exec) after it"
grep -q "track_process tp_k: quorum gained: 2 matching processes (quorum 2), after fork_delay" "$VLOG" ||
    fail "vigild does not say tp_k's gain came after fork_delay"
kill -9 "$(cat "$T/kid")"
expect_state VI_K FAULT "tp_k's child killed"
stop k
pass "fork_delay: a fork of a counted process counts, after the delay (an exec at once)"

# ---- the same sequences ----------------------------------------------------------------

if [ -n "$KEEPALIVED" ]; then
	for _i in VI_F VI_W VI_R VI_Q VI_D VI_C VI_K VI_M; do
		for _d in $DAEMONS; do
			_l=$(log_of "$_d")
			{ head -n "$(cat "$T/mark.$_d")" "$_l" |
			    grep -o "($_i) [Ee]ntering [A-Z]* [Ss][Tt][Aa][Tt][Ee]" | tail -1
			  tail -n +"$(($(cat "$T/mark.$_d") + 1))" "$_l" |
			    grep -o "($_i) [Ee]ntering [A-Z]* [Ss][Tt][Aa][Tt][Ee]"
			} | awk '{print $3}' | uniq | tr '\n' ' ' >"$T/seq.$_d"
		done
		cmp -s "$T/seq.vigild" "$T/seq.keepalived" ||
		    fail "$_i: vigild's states ($(cat "$T/seq.vigild")) are not keepalived's ($(cat "$T/seq.keepalived"))"
	done
	for _t in tp_f tp_w tp_q tp_d tp_c tp_k; do
		[ "$(quorum_seq vigild "$_t" | sed 's/^down //; s/^up //')" = "$(quorum_seq keepalived "$_t")" ] ||
		    fail "$_t: vigild's quorum changes ($(quorum_seq vigild "$_t")) are not keepalived's ($(quorum_seq keepalived "$_t"))"
	done
	pass "vigild and keepalived 2.2.7 went through the same states and quorum changes"
fi


# ---- overrun ---------------------------------------------------------------------------

# VI_F MASTER (tp_f running), VI_W BACKUP (tp_w absent); vigild's and
# keepalived's VRRP processes stopped (vigild's watchdog is off:
# --child-watchdog=0) while 1,500 processes start and exit (3,000 events;
# the socket's default buffer holds a few hundred), then tp_f killed and
# tp_w, tp_q and tp_k copies started: those events are lost
CHILD=$(cat "$(node_pidfile root vrrp)")
KCHILD=
[ -z "$KEEPALIVED" ] || KCHILD=$(cat "$T/ka/ka-vrrp.pid")
run q1 "$T/vtpq$R" 1000
barrier
expect_state VI_W BACKUP "before the overrun"
counts_are "tp_f 1" "tp_w 0" "tp_q 1" "tp_k 0" ||
    fail "before the overrun: $(vigilctl dump data | grep -A2 "Track process = tp_")"
kill -STOP "$CHILD" $KCHILD
dash -c 'i=0; while [ $i -lt 1500 ]; do (:); i=$((i + 1)); done'
stop f
run w "$T/vtpw$R" 1000
run q2 "$T/vtpq$R" 1000
run q3 "$T/vtpq$R" 1000
# two copies of tp_k (quorum 2, fork_delay 8), waiting on a fifo
run k1 "$T/vtpk$R" -c 'read a <"$1"' x "$T/fb"
run k2 "$T/vtpk$R" -c 'read a <"$1"' x "$T/fb"
kill -CONT "$CHILD" $KCHILD
wait_for 100 grep -q "track_process: process events were lost" "$VLOG" ||
    fail "vigild did not see its process events overrun"
# keepalived says so when it resyncs
[ -z "$KEEPALIVED" ] ||
    wait_for 100 grep -q "Setting global_def process_monitor_rcv_bufs to" "$KLOG" ||
    fail "keepalived did not see its process events overrun"
# the receive buffer doubles from process_monitor_rcv_bufs (as with
# SO_RCVBUF, the kernel gave the socket twice the 400000 asked)
_rb=800000
grep -q "track_process: process events receive buffer $_rb bytes (process_monitor_rcv_bufs 400000, forced)" "$VLOG" ||
    fail "process_monitor_rcv_bufs 400000 did not set the buffer: $(grep "receive buffer" "$VLOG")"
grep -q "track_process: process events were lost (receive buffer overrun; buffer $_rb -> $((_rb * 2)) bytes)" "$VLOG" ||
    fail "the receive buffer did not double from $_rb: $(grep "events were lost" "$VLOG")"
expect_state VI_F FAULT "tp_f killed while the events overran"
expect_state VI_W MASTER "tp_w started while the events overran"
expect_prio VI_W 110 "tp_w started while the events overran"
expect_state VI_Q MASTER "tp_q's second and third copies started while the events overran"
expect_state VI_K MASTER "tp_k's two copies started while the events overran"
grep -q "track_process tp_k: quorum gained: 2 matching processes (quorum 2)\$" "$VLOG" ||
    fail "the rescan's gain of tp_k did not count at once (as keepalived's resync) but after fork_delay"
wait_for 50 counts_are "tp_f 0" "tp_w 1" "tp_q 3" "tp_k 2" ||
    fail "after the overrun: $(vigilctl dump data | grep -A2 "Track process = tp_")"
[ "$(cat "$(node_pidfile root vrrp)")" = "$CHILD" ] || fail "the VRRP child was restarted"
if [ -n "$KEEPALIVED" ]; then
	kill -TERM "$(cat "$T/ka/launch.pid")"
	wait_for 100 dead "$(cat "$T/ka/launch.pid")" || fail "keepalived did not stop"
	DAEMONS=vigild
fi
# and the events flow again: vigild alone, as keepalived's resync moves
# the instances but not the trackers' quorum it keeps (have_quorum), so
# that it takes the next change of each for none (tp_w's exit below
# leaves its VI_W MASTER, tp_f's return its VI_F in FAULT)
stop q3
stop q2
stop q1
stop k2
stop k1
stop w
expect_state VI_W BACKUP "tp_w killed after the overrun"
run f "$T/vtpf$R" 1000
expect_state VI_F MASTER "tp_f started after the overrun"
pass "an overrun of the process events: the rescan counts the processes as they are (1, 0, 1, 0 -> 0, 1, 3, 2; a gain at once, fork_delay or not; keepalived's states alike), events flow again"

stop_vigild_on root
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
stop_vigild_on peer
[ "$VSTATUS" -eq 0 ] || fail "the peer vigild exited with status $VSTATUS"
done_testing
