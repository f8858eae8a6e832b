# Multi-node topologies for the integration tests, FRR-topotests style:
# each scenario is a directory tests/integration/<scenario>/ holding each
# node's configuration and one script that sources this file, e.g.
#
#	. "$(dirname "$0")/../topo.sh"
#	topo_bridge lan
#	topo_node dir1 10.10.0.1/24
#	topo_node dir2 10.10.0.2/24
#	start_vigild_on dir1 "$SCENARIO_DIR/dir1.conf"
#
# Every node is a network namespace joined to the bridge by a veth pair
# (eth0 in the node); the bridge lives in a namespace of its own, so
# nothing touches this machine's own network. Namespace names carry the
# script's pid ($$): scenarios run in parallel (make -j2 check). Each node
# has a directory $T/<node>/ with its pid files and its vigild log. On exit,
# also on failure, every process in the namespaces is killed and every
# namespace removed; on failure each node's log is printed.
. "$(dirname "$0")/../common.sh"

SCENARIO_DIR=$(cd "$(dirname "$0")" && pwd)
TOPO_PREFIX=vg$$
TOPO_BRIDGE=
# TOPO_NODAD=1 before topo_node: the node's IPv6 addresses (its link-local
# one too, and those of devices made in it later) skip duplicate address
# detection, usable at once instead of tentative for a second
TOPO_NODAD=
: >"$T/namespaces"

# node_ns NODE: the name of NODE's (or a bridge's) namespace
node_ns() { echo "$TOPO_PREFIX-$1"; }

# node_exec NODE CMD...: run CMD in NODE's namespace (to run CMD in the
# background with $! its pid, use ip netns exec "$(node_ns NODE)" CMD &)
node_exec() {
	_ns=$(node_ns "$1")
	shift
	ip netns exec "$_ns" "$@"
}

# node_pidfile NODE vigild|vrrp|checkers|bfd, node_log NODE: NODE's files
node_pidfile() { echo "$T/$1/$2.pid"; }
node_log() { echo "$T/$1/vigild.log"; }
# node_log_has NODE TEXT: TEXT (a grep pattern) is in NODE's vigild log
node_log_has() { grep -q -- "$2" "$(node_log "$1")" 2>/dev/null; }
# has NODE ADDR: ADDR is on NODE's eth0
has() { node_exec "$1" ip -o addr show dev eth0 | grep -q " $2/"; }
# state_of NODE INSTANCE: the state the instance last entered on NODE (its
# keepalived line); is NODE INSTANCE STATE: whether it is that one
state_of() {
	grep -o "($2) Entering [A-Z]* STATE" "$(node_log "$1")" 2>/dev/null |
	    tail -1 | awk '{print $3}'
}
is() { [ "$(state_of "$1" "$2")" = "$3" ]; }
# node_vpid NODE: the pid of the vigild started on NODE
node_vpid() { cat "$T/$1/launch.pid" 2>/dev/null; }

topo_cleanup() {
	for _d in "$T"/*/; do
		[ -d "$_d" ] || continue
		for _f in "$_d"vigild.pid "$_d"vrrp.pid "$_d"checkers.pid "$_d"bfd.pid \
		    "$_d"launch.pid; do
			_p=$(cat "$_f" 2>/dev/null)
			[ -n "$_p" ] && kill -9 "$_p" 2>/dev/null
		done
	done
	# nodes first, then bridges: whatever still runs in them goes too
	tac "$T/namespaces" 2>/dev/null | while read -r _ns; do
		ip netns pids "$_ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$_ns" 2>/dev/null
	done
	: >"$T/namespaces" 2>/dev/null
}

cleanup() {
	topo_cleanup
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# fail MESSAGE: print it and the end of every node's log, and exit 1
fail() {
	echo "FAIL: $*"
	for _d in "$T"/*/; do
		[ -f "${_d}vigild.log" ] || continue
		echo "--- $(basename "$_d"): vigild log (last 40 lines):"
		tail -40 "${_d}vigild.log"
	done
	exit 1
}

topo_add_ns() {
	ip netns add "$1" || fail "cannot create network namespace $1"
	echo "$1" >>"$T/namespaces"
	ip -n "$1" link set lo up || fail "cannot bring up lo in $1"
}

# topo_bridge NAME: a bridge (br0) in a namespace of its own; the nodes
# made after it join it
topo_bridge() {
	case $1 in
	*[!a-z0-9_]* | "") fail "topo_bridge: bad name '$1'" ;;
	esac
	[ -e "$T/$1" ] && fail "topo_bridge: $1 already exists"
	mkdir "$T/$1"
	_ns=$(node_ns "$1")
	topo_add_ns "$_ns"
	ip -n "$_ns" link add br0 type bridge stp_state 0 mcast_snooping 0 ||
	    fail "cannot create the bridge in $_ns"
	ip -n "$_ns" link set br0 up
	TOPO_BRIDGE=$1
}

# topo_node NODE [ADDR/PREFIX...]: a namespace with eth0 on the bridge,
# holding the addresses given, and a directory $T/NODE/
topo_node() {
	_node=$1
	shift
	case $_node in
	*[!a-z0-9_]* | "") fail "topo_node: bad name '$_node'" ;;
	esac
	[ ${#_node} -le 12 ] || fail "topo_node: '$_node' is longer than 12"
	[ -n "$TOPO_BRIDGE" ] || fail "topo_node $_node: no topo_bridge yet"
	[ -e "$T/$_node" ] && fail "topo_node: $_node already exists"
	mkdir "$T/$_node"
	_ns=$(node_ns "$_node")
	_br=$(node_ns "$TOPO_BRIDGE")
	topo_add_ns "$_ns"
	if [ -n "$TOPO_NODAD" ]; then
		ip netns exec "$_ns" sysctl -q -w net.ipv6.conf.all.accept_dad=0 \
		    net.ipv6.conf.default.accept_dad=0 >/dev/null ||
		    fail "$_node: cannot switch DAD off"
	fi
	ip -n "$_br" link add "p-$_node" type veth peer name eth0 netns "$_ns" ||
	    fail "cannot link $_node to the bridge"
	if [ -n "$TOPO_NODAD" ]; then
		ip netns exec "$_ns" sysctl -q -w net.ipv6.conf.eth0.accept_dad=0 \
		    >/dev/null || fail "$_node: cannot switch DAD off on eth0"
	fi
	ip -n "$_br" link set "p-$_node" master br0 up
	ip -n "$_ns" link set eth0 up
	for _a in "$@"; do
		ip -n "$_ns" addr add "$_a" dev eth0 || fail "$_node: cannot add $_a"
	done
}

# start_vigild_on NODE CONF [options]: vigild in the foreground (-n) in
# NODE's namespace, with NODE's pid files and log; waits until its pid
# file names it.
start_vigild_on() {
	_node=$1
	_conf=$2
	shift 2
	[ -d "$T/$_node" ] || fail "start_vigild_on: no node $_node"
	# ip netns exec itself (not node_exec) so that $! is vigild
	ip netns exec "$(node_ns "$_node")" "$VIGILD" -n -l -G -f "$_conf" \
	    -p "$(node_pidfile "$_node" vigild)" \
	    -r "$(node_pidfile "$_node" vrrp)" \
	    -c "$(node_pidfile "$_node" checkers)" \
	    -b "$(node_pidfile "$_node" bfd)" "$@" \
	    >>"$(node_log "$_node")" 2>&1 &
	echo $! >"$T/$_node/launch.pid"
	_vpid=$!
	wait_for 50 sh -c "[ \"\$(cat '$(node_pidfile "$_node" vigild)' 2>/dev/null)\" = $_vpid ]" ||
	    fail "$_node: pid file holds '$(pidof_file "$(node_pidfile "$_node" vigild)")', expected $_vpid"
}

# stop_vigild_on NODE: SIGTERM, wait at most 10 s for vigild to exit;
# its exit status is then in VSTATUS.
stop_vigild_on() {
	_vpid=$(node_vpid "$1")
	[ -n "$_vpid" ] || fail "stop_vigild_on: no vigild on $1"
	kill -TERM "$_vpid" 2>/dev/null
	wait_for 100 dead "$_vpid" || fail "$1: vigild did not stop within 10 s"
	wait "$_vpid" 2>/dev/null
	VSTATUS=$?
	rm -f "$T/$1/launch.pid"
	check_sanitizers
}

# ka_start_on NODE CONF: Debian's keepalived (VRRP only) in NODE's
# namespace with pid files of its own in $T/NODE/, its output in NODE's
# log; its pid in KA_PID. Waits until its VRRP child's pid file exists.
# ka_stop: SIGTERM, and wait at most 10 s for it to exit.
: "${KEEPALIVED:=$(command -v keepalived || echo /usr/sbin/keepalived)}"
ka_start_on() {
	rm -f "$T/$1/ka-vrrp.pid"
	ip netns exec "$(node_ns "$1")" "$KEEPALIVED" -n -l -D -G -P -B \
	    -f "$2" -p "$T/$1/ka.pid" -r "$T/$1/ka-vrrp.pid" \
	    -c "$T/$1/ka-chk.pid" -b "$T/$1/ka-bfd.pid" \
	    >>"$(node_log "$1")" 2>&1 &
	KA_PID=$!
	wait_for 50 test -s "$T/$1/ka-vrrp.pid" || fail "$1: keepalived did not start"
}
ka_stop() {
	kill -TERM "$KA_PID" 2>/dev/null
	wait_for 100 dead "$KA_PID" || fail "keepalived did not stop"
	wait "$KA_PID" 2>/dev/null
}
# reload_on NODE GEN: SIGHUP to NODE's vigild; waits until its VRRP child
# runs configuration generation GEN
reload_on() {
	kill -HUP "$(node_vpid "$1")"
	wait_for 100 node_log_has "$1" "reloaded configuration generation $2" ||
	    fail "$1: the reload did not reach the VRRP child (generation $2)"
}

# topo_teardown: stop everything and remove every namespace now (also
# done on exit); a scenario may call it to check that nothing is left.
topo_teardown() {
	topo_cleanup
}

# topo_leftovers: the namespaces of this run that still exist
topo_leftovers() {
	ip netns list 2>/dev/null | awk '{print $1}' | grep "^$TOPO_PREFIX-"
}
