# Helpers for the kernel tests that run inside User-Mode Linux (sourced).
# A LAN (a bridge in its own namespace) with two directors (d1 runs
# vigild, d2 runs keepalived on the same configuration), real servers r1
# and r2 and a client c reaching the VIPs through d1. Everything is
# removed on exit, also on failure.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${VIGILD:=$top_builddir/daemon/vigild}"
: "${VIGILCTL:=$top_builddir/daemon/vigilctl}"
P=vk$$
# KTMP: where the test's files go (kernel.sh points it outside the
# guest's /tmp so that they can be read from outside while it runs)
T=$(mktemp -d "${KTMP:-/tmp}/vigil-kernel.XXXXXX")
n=0
PIDS=

ns() { echo "$P-$1"; }
in_ns() { _n=$1; shift; ip netns exec "$(ns "$_n")" "$@"; }
pass() { n=$((n + 1)); echo "ok $n - $*"; }
# skip REASON: a check not made, and why (the guest lacks what it needs)
skip() { n=$((n + 1)); echo "ok $n # SKIP $*"; }
note() { echo "# $(date +%T) $*"; }
bg() {	# bg NAME NODE CMD...: CMD in the background in NODE, pid in $T/NAME.pid
	_name=$1 _node=$2; shift 2
	ip netns exec "$(ns "$_node")" "$@" >>"$T/$_name.out" 2>&1 &
	echo $! >"$T/$_name.pid"
	PIDS="$PIDS $!"
}
# start_on NODE: vigild in NODE on $T/NODE/vigil.conf, its pid files in
# $T/NODE, in the background as vigild-NODE
start_on() {
	mkdir -p "$T/$1"
	bg "vigild-$1" $1 "$VIGILD" -n -l -G -f "$T/$1/vigil.conf" \
	    -p "$T/$1/v.pid" -c "$T/$1/c.pid" -r "$T/$1/r.pid" \
	    --child-watchdog 0
}
stop_bg() {
	[ -f "$T/$1.pid" ] || return 0
	kill -TERM "$(cat "$T/$1.pid")" 2>/dev/null
	wait_for 90 dead "$(cat "$T/$1.pid")"
	rm -f "$T/$1.pid"
}
# wait_for SECONDS CMD...: CMD until it succeeds, at most SECONDS (the
# guest is slow: bounded in time, not in tries)
wait_for() {
	_wf=$(($(date +%s) + $1)); shift
	while [ "$(date +%s)" -lt "$_wf" ]; do
		"$@" && return 0
		sleep 0.5
	done
	"$@"
}
dead() { ! kill -0 "$1" 2>/dev/null; }

# bare NODE...: namespaces of their own, loopback up, no links (NODES:
# these, removed on exit)
bare() {
	NODES="$*"
	for _x in "$@"; do
		ip netns add "$(ns "$_x")" || fail "cannot create namespace $(ns "$_x")"
		in_ns "$_x" ip link set lo up
	done
}

# the nodes of the topology a script made (NODES: its own set)
cleanup() {
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	for x in ${NODES:-d1 d2 r1 r2 c lan}; do
		ip netns pids "$(ns $x)" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$(ns $x)" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
# stopped (guest.sh's bound): say so and where it was, then clean up.
# To fd 9, the script's standard output: the shell may run the trap while
# a redirection of the command it interrupted is still in place.
exec 9>&1
trap '{ echo "FAIL: $(date +%T) stopped by a signal after ok $n"; show_outs 20; } >&9 2>&1; exit 1' INT TERM

# show_outs LINES: the last LINES lines of each background command's
# output ($T/NAME.out), for a failure's report
show_outs() {
	for f in "$T"/*.out; do
		[ -f "$f" ] || continue
		echo "--- ${f#"$T"/} (last $1 lines):"
		tail -"$1" "$f"
	done
}
fail() {
	echo "FAIL: $*"
	echo "--- $(date +%T) processes by CPU time:"
	ps -eo pid,time,stat,args --sort=-time 2>/dev/null | head -8
	echo "--- d1's IPVS connections:"
	in_ns d1 ipvsadm -Lnc 2>/dev/null | head -12
	show_outs 30
	exit 1
}

# topo: the LAN 10.9.0.0/24 (d1 .1, d2 .2, r1 .11, r2 .12); c 10.8.0.2
# behind d1 (10.8.0.1). Real servers route back through d1 (NAT).
topo() {
	for x in lan d1 d2 r1 r2 c; do
		ip netns add "$(ns $x)" || fail "cannot create namespace $(ns $x)"
		in_ns $x ip link set lo up
	done
	in_ns lan ip link add br0 type bridge
	in_ns lan ip link set br0 up
	for x in d1:10.9.0.1 d2:10.9.0.2 r1:10.9.0.11 r2:10.9.0.12; do
		node=${x%%:*} a=${x#*:}
		in_ns lan ip link add "l$node" type veth peer name eth0 netns "$(ns $node)"
		in_ns lan ip link set "l$node" master br0 up
		in_ns $node ip addr add "$a/24" dev eth0
		in_ns $node ip link set eth0 up
	done
	in_ns d1 ip link add eth1 type veth peer name eth0 netns "$(ns c)"
	in_ns d1 ip addr add 10.8.0.1/24 dev eth1
	in_ns d1 ip link set eth1 up
	in_ns c ip addr add 10.8.0.2/24 dev eth0
	in_ns c ip link set eth0 up
	in_ns c ip route add default via 10.8.0.1
	in_ns d1 sysctl -q -w net.ipv4.ip_forward=1
	# IPVS takes packets to local addresses: the VIPs are d1's
	for v in 10.9.1.100 10.9.1.101 10.9.1.102 10.9.1.103 10.9.1.104 \
	    10.9.2.1 10.9.2.2 10.9.2.3; do
		in_ns d1 ip addr add "$v/32" dev lo
	done
	for x in r1 r2; do
		in_ns $x ip route add default via 10.9.0.1
	done
}

# web NAME NODE TEXT PORT...: nginx in NODE answering every HTTP request
# on each PORT with TEXT (event driven: the health checks' connections
# cost the slow guest no fork); stopped with stop_bg web-NAME
web() {
	_name=$1 _node=$2 _text=$3; shift 3
	mkdir -p "$T/web-$_name"
	{
		echo "daemon off; worker_processes 1; pid $T/web-$_name/pid;"
		echo "error_log $T/web-$_name/error.log;"
		echo "events { worker_connections 256; }"
		echo "http { access_log off;"
		for _t in client_body proxy fastcgi uwsgi scgi; do
			echo "${_t}_temp_path $T/web-$_name/$_t;"
		done
		for _p in "$@"; do
			echo "server { listen $_p; return 200 \"$_text\\n\"; }"
		done
		echo "}"
	} >"$T/web-$_name.conf"
	bg "web-$_name" "$_node" nginx -c "$T/web-$_name.conf" -p "$T/web-$_name"
}

# ask VIP PORT N: N answered HTTP requests from the client (node c, or
# $ASK_FROM) to VIP:PORT, one connection each, from one bash (an exec
# costs seconds in a loaded guest); a request left unanswered (the starved
# guest) is tried again, 2N tries at most; the answers (the bodies), one a
# line, in $T/answers, the number of tries in $T/tries
ask() {
	in_ns "${ASK_FROM:-c}" timeout 600 bash -c '
	get() {
		exec 3<>"/dev/tcp/$1/$2" || return 1
		printf "GET / HTTP/1.0\r\n\r\n" >&3
		b=
		while read -r -t 60 l <&3; do b=$l; done
		echo "$b"
	}
	got=0 tries=0
	while [ $got -lt "$3" ] && [ $tries -lt $(($3 * 2)) ]; do
		tries=$((tries + 1))
		l=$(get "$@") && [ -n "$l" ] && echo "$l" && got=$((got + 1))
	done
	echo $tries >"$4"' ask "$@" "$T/tries" >"$T/answers" 2>/dev/null
}
# answered TEXT: how many of the last ask's answers were TEXT
answered() { grep -c "^$1\$" "$T/answers"; }
# conns DIRECTOR SERVICE: the connections IPVS counted for the service
# (ipvsadm -t form, e.g. 10.9.1.100:80); the kernel adds them up every
# two seconds
conns() {
	in_ns "$1" ipvsadm -Ln --stats -t "$2" | awk '$1 == "TCP" { print $3; exit }'
}

# sorted table of a director, hand-made services (10.9.3.x) left out
table() { in_ns "$1" ipvsadm -Sn | grep -v '10\.9\.3\.' | sort; }
has() { in_ns "$1" ipvsadm -Sn | grep -q -- "$2"; }
hasnt() { ! has "$@"; }
