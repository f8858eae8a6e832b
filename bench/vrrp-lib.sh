# Shared by bench/failover and bench/vrrp-scale (sourced): a temporary
# directory $T, network namespaces named after this run's pid joined by a
# bridge (in a namespace of its own, so nothing touches this machine's
# network), background processes recorded by pid, and a cleanup that kills
# exactly those processes and removes exactly those namespaces on any exit,
# Ctrl-C included.
T=$(mktemp -d /tmp/vigil-bench.XXXXXX)
chmod 755 "$T"
NSP=vgb$$
: >"$T/namespaces"
: >"$T/pids"

bench_cleanup() {
	trap - EXIT
	trap '' INT TERM HUP	# a second Ctrl-C does not stop the cleanup
	while read -r _p; do
		kill -9 "$_p" 2>/dev/null || true
	done <"$T/pids"
	tac "$T/namespaces" 2>/dev/null | while read -r _ns; do
		ip netns pids "$_ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
		ip netns del "$_ns" 2>/dev/null || true
	done
	if [ -n "${BENCH_KEEP:-}" ]; then
		echo "(files kept in $T)"
	else
		rm -rf "$T"
	fi
}
trap bench_cleanup EXIT
trap 'echo "interrupted: cleaning up"; exit 130' INT TERM HUP

die() {
	echo "bench: $*" >&2
	exit 1
}

# bg_pid PID: record a background process for the cleanup
bg_pid() { echo "$1" >>"$T/pids"; }

ns() { echo "$NSP-$1"; }
nsx() {
	_n=$(ns "$1")
	shift
	ip netns exec "$_n" "$@"
}

ns_add() {
	ip netns add "$(ns "$1")" || die "cannot create namespace $(ns "$1")"
	ns "$1" >>"$T/namespaces"
	ip -n "$(ns "$1")" link set lo up
	mkdir -p "$T/$1"
}

# ns_bridge: namespace "br" with br0 (no STP, no snooping: adverts flood)
ns_bridge() {
	ns_add br
	ip -n "$(ns br)" link add br0 type bridge stp_state 0 mcast_snooping 0
	ip -n "$(ns br)" link set br0 up
}

# ns_link NODE IFNAME [ADDR/PREFIX...]: a veth from NODE's IFNAME to the
# bridge (its bridge end is p-NODE-IFNAME)
ns_link() {
	_node=$1 _if=$2
	shift 2
	ip -n "$(ns br)" link add "p-$_node-$_if" type veth peer name "$_if" \
	    netns "$(ns "$_node")" || die "cannot link $_node/$_if to the bridge"
	ip -n "$(ns br)" link set "p-$_node-$_if" master br0 up
	ip -n "$(ns "$_node")" link set "$_if" up
	for _a in "$@"; do
		ip -n "$(ns "$_node")" addr add "$_a" dev "$_if" ||
		    die "$_node: cannot add $_a"
	done
}

# ns_wire NODE IFNAME ADDR/PREFIX: a veth from NODE's IFNAME to p-NODE-IFNAME
# in the bridge's namespace, on no bridge: a segment of its own
ns_wire() {
	ip -n "$(ns br)" link add "p-$1-$2" type veth peer name "$2" \
	    netns "$(ns "$1")" || die "cannot wire $1/$2"
	ip -n "$(ns br)" link set "p-$1-$2" up
	ip -n "$(ns "$1")" link set "$2" up
	ip -n "$(ns "$1")" addr add "$3" dev "$2" || die "$1: cannot add $3"
}

# ns_node NODE ADDR/PREFIX...: a namespace with eth0 on the bridge
ns_node() {
	_nn=$1
	shift
	ns_add "$_nn"
	ns_link "$_nn" eth0 "$@"
}

# bounded wait: wait_until TENTHS CMD...
wait_until() {
	_w=$1
	shift
	while [ "$_w" -gt 0 ]; do
		"$@" && return 0
		_w=$((_w - 1))
		sleep 0.1
	done
	"$@"
}
dead() { ! kill -0 "$1" 2>/dev/null; }

# realtime now, seconds with nanoseconds (pcap time)
now_rt() { date +%s.%N; }

# capture_start FILE FILTER [IFACE]: tcpdump in the bridge's namespace on
# br0 (or IFACE, e.g. any), nanosecond kernel timestamps
capture_start() {
	ip netns exec "$(ns br)" tcpdump -i "${3:-br0}" -p -n -U -B 32768 \
	    --time-stamp-precision=nano -w "$1" "$2" >"$1.out" 2>&1 &
	CAP_PID=$!
	bg_pid "$CAP_PID"
	wait_until 50 grep -qs listening "$1.out" || die "tcpdump did not start: $(cat "$1.out")"
}
capture_stop() {
	kill -TERM "$CAP_PID" 2>/dev/null || true
	wait_until 50 dead "$CAP_PID" || kill -9 "$CAP_PID" 2>/dev/null || true
	wait "$CAP_PID" 2>/dev/null || true
	grep -h 'dropped by kernel' "$1.out" || true
}
# capture_text FILE: one line per frame, epoch seconds.nanoseconds first
capture_text() {
	tcpdump -r "$1" -n -e -tt --time-stamp-precision=nano 2>/dev/null
}
