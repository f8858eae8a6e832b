# Shared helpers for the integration tests; sourced by each test script.
# Every test gets its own directory, pid files, log and network namespace
# (vigild runs inside it, on a veth pair named veth0/veth1, so nothing it
# does to addresses or routes can reach this machine's own network), and
# cleans up every process and namespace it made, even when it fails.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${VIGILD:=$top_builddir/daemon/vigild}"
CONF_DIR="$top_srcdir/tests/integration/conf"

T=$(mktemp -d /tmp/vigil-test.XXXXXX)
chmod 755 "$T"
LOG="$T/vigild.log"
PIDF="$T/vigild.pid"
VRRP_PIDF="$T/vrrp.pid"
CHECK_PIDF="$T/checkers.pid"
TESTS_RUN=0
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
	for f in "$PIDF" "$VRRP_PIDF" "$CHECK_PIDF"; do
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

pass() {
	TESTS_RUN=$((TESTS_RUN + 1))
	echo "ok $TESTS_RUN - $*"
}

# wait_for TENTHS CMD...: run CMD every 0.1 s until it succeeds, at most
# TENTHS times. Returns CMD's last status.
wait_for() {
	n=$1
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		n=$((n - 1))
		sleep 0.1
	done
	"$@"
}

alive() { kill -0 "$1" 2>/dev/null; }
dead() { ! kill -0 "$1" 2>/dev/null; }
pidof_file() { cat "$1" 2>/dev/null; }
log_has() { grep -q -- "$1" "$LOG"; }

# start_vigild CONF [extra options]: vigild in the foreground (-n) logging to
# $LOG, with this test's pid files; waits until the parent pid file exists.
start_vigild() {
	conf=$1
	shift
	ip netns exec "$NS" "$VIGILD" -n -l -G -f "$conf" -p "$PIDF" -r "$VRRP_PIDF" \
	    -c "$CHECK_PIDF" "$@" >>"$LOG" 2>&1 &
	VPID=$!
	wait_for 50 sh -c "[ \"\$(cat '$PIDF' 2>/dev/null)\" = $VPID ]" ||
	    fail "pid file holds '$(pidof_file "$PIDF")', expected $VPID"
}

# stop_vigild: SIGTERM, then wait at most 10 s for the parent to exit.
stop_vigild() {
	kill -TERM "$VPID" 2>/dev/null
	wait_for 100 dead "$VPID" || fail "vigild did not stop within 10 s"
	wait "$VPID" 2>/dev/null
	VSTATUS=$?
	check_sanitizers
}

# A sanitizer report from any vigild process (parent or child) fails the
# test, even when the supervisor hid the crash by respawning the child.
check_sanitizers() {
	for f in "$LOG" "$T"/*.log "$T/out"; do
		[ -f "$f" ] || continue
		if grep -q -E "ERROR: (Address|Leak)Sanitizer|runtime error:" "$f"; then
			grep -E -A20 "ERROR: (Address|Leak)Sanitizer|runtime error:" "$f" | head -40
			fail "sanitizer report in $(basename "$f")"
		fi
	done
}

# The dump files have fixed paths (/tmp/vigil.data, /tmp/vigil.stats, as
# keepalived's): a test reading them holds this lock, so tests running in
# parallel do not read each other's dumps.
dump_lock() {
	exec 9>/tmp/vigil-test-dumps.lock
	flock -w 60 9 || fail "could not take the dump lock in 60 s"
}
dump_unlock() {
	flock -u 9
	exec 9>&-
}

done_testing() {
	check_sanitizers
	echo "1..$TESTS_RUN"
	exit 0
}
