# FRR's bfdd as the BFD peer (sourced after ../topo.sh): it runs in node
# frr as the frr user with its own configuration, pid file and sockets
# under $T/frr (no zebra: a single-hop peer by address needs none); its
# log is $T/frr/bfdd.log.
FRRDIR=${FRRDIR:-/usr/lib/frr}
if [ ! -x "$FRRDIR/bfdd" ] || ! id frr >/dev/null 2>&1; then
	echo "1..0 # SKIP FRR's bfdd is not installed"
	exit 77
fi

# start_bfdd PEER [PEER6]: bfdd with a session to each address given,
# 100 ms both ways, multiplier 3
start_bfdd() {
	chmod 777 "$T/frr"
	{
		echo "hostname frr"
		echo "bfd"
		for _p in "$@"; do
			echo " peer $_p"
			echo "  receive-interval 100"
			echo "  transmit-interval 100"
			echo " !"
		done
	} >"$T/frr/bfdd.conf"
	: >"$T/frr/bfdd.log"
	chmod 666 "$T/frr/bfdd.log"
	ip netns exec "$(node_ns frr)" "$FRRDIR/bfdd" -u frr -g frr \
	    -f "$T/frr/bfdd.conf" -i "$T/frr/bfdd.pid" \
	    -z "$T/frr/zserv.api" --vty_socket "$T/frr" \
	    --log "file:$T/frr/bfdd.log" >>"$T/frr/bfdd.out" 2>&1 &
	BFDD_PID=$!
	wait_for 50 test -s "$T/frr/bfdd.pid" || fail "bfdd did not start"
}
stop_bfdd() {
	kill -TERM "$BFDD_PID" 2>/dev/null
	wait_for 100 dead "$BFDD_PID" || fail "bfdd did not stop"
	wait "$BFDD_PID" 2>/dev/null
}
# the state the session NAME last entered on NODE's vigild
bfd_state() {
	grep -o "($2) Entering [A-Za-z]* state" "$(node_log "$1")" 2>/dev/null |
	    tail -1 | awk '{print $3}'
}
bfd_is() { [ "$(bfd_state "$1" "$2")" = "$3" ]; }
