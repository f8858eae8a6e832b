# Shared helpers for the integration tests; sourced by each test script.
# Every test gets its own directory, pid files, log and network namespace
# (vigild runs inside it, on a veth pair named veth0/veth1, so nothing it
# does to addresses or routes can reach this machine's own network), and
# cleans up every process and namespace it made, even when it fails.
. "$(dirname "$0")/common.sh"

LOG="$T/vigild.log"
PIDF="$T/vigild.pid"
VRRP_PIDF="$T/vrrp.pid"
CHECK_PIDF="$T/checkers.pid"
BFD_PIDF="$T/bfd.pid"
NS=vgtest-$$

ip netns add "$NS" || { echo "FAIL: cannot create network namespace $NS"; exit 1; }
ip -n "$NS" link set lo up
ip -n "$NS" link add veth0 type veth peer name veth1
ip -n "$NS" link set veth0 up
ip -n "$NS" link set veth1 up

# in_ns CMD...: run CMD inside the test's namespace (in the background,
# call ip netns exec directly so that $! is the pid of CMD)
in_ns() {
	ip netns exec "$NS" "$@"
}

cleanup() {
	for f in "$PIDF" "$VRRP_PIDF" "$CHECK_PIDF" "$BFD_PIDF"; do
		[ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null
	done
	[ -n "${VPID:-}" ] && kill -9 "$VPID" 2>/dev/null
	# anything still holding this test's config
	pkill -9 -f "vigild.*$T/" 2>/dev/null
	ip netns pids "$NS" 2>/dev/null | xargs -r kill -9 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	echo "FAIL: $*"
	if [ -f "$LOG" ]; then
		echo "--- vigild log (last 40 lines):"
		tail -40 "$LOG"
	fi
	exit 1
}

log_has() { grep -q -- "$1" "$LOG"; }

# start_vigild CONF [extra options]: vigild in the foreground (-n) logging to
# $LOG, with this test's pid files; waits until the parent pid file exists.
start_vigild() {
	conf=$1
	shift
	ip netns exec "$NS" "$VIGILD" -n -l -G -f "$conf" -p "$PIDF" -r "$VRRP_PIDF" \
	    -c "$CHECK_PIDF" -b "$BFD_PIDF" "$@" >>"$LOG" 2>&1 &
	VPID=$!
	wait_for 50 sh -c "[ \"\$(cat '$PIDF' 2>/dev/null)\" = $VPID ]" ||
	    fail "pid file holds '$(pidof_file "$PIDF")', expected $VPID"
}

# director_conf GLOBAL_DEFS_LINES: a director with both children (one
# VRRP instance on veth0, one virtual server) and the global_defs given
director_conf() {
	printf 'global_defs {\n%s\n}\n' "$1"
	cat <<'EOF'
vrrp_instance VI_1 {
    state BACKUP
    interface veth0
    virtual_router_id 51
    priority 100
    advert_int 1
    virtual_ipaddress {
        10.10.0.100/24 dev veth0
    }
}
virtual_server 10.10.0.100 80 {
    delay_loop 5
    lb_kind NAT
    protocol TCP
    real_server 10.10.1.11 80 {
        TCP_CHECK {
            connect_timeout 3
        }
    }
}
EOF
}

# rs_listen ADDR PORT: a TCP real server in the test's namespace (it
# accepts and closes), its pid in $T/PORT.listener; waits until it listens
rs_listen() {
	ip netns exec "$NS" socat TCP-LISTEN:"$2",bind="$1",reuseaddr,fork \
	    SYSTEM:true >/dev/null 2>&1 &
	echo $! >"$T/$2.listener"
	wait_for 50 sh -c "ip netns exec $NS ss -ltn | grep -q '$1:$2 '" ||
	    fail "the real server's listener on $1:$2 did not start"
}

# stop_vigild: SIGTERM, then wait at most 10 s for the parent to exit.
stop_vigild() {
	kill -TERM "$VPID" 2>/dev/null
	wait_for 100 dead "$VPID" || fail "vigild did not stop within 10 s"
	wait "$VPID" 2>/dev/null
	VSTATUS=$?
	check_sanitizers
}
