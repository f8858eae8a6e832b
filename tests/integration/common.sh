# What every integration test script shares, single-namespace (lib.sh) or
# multi-node (topo.sh): paths, the test's temporary directory, TAP-like
# output, bounded waits, the sanitizer check and the dump lock.
# VIGIL_SKIP_INTEGRATION=1 in the environment makes every script report
# SKIP (exit 77): make distcheck and sanitizer builds run unit tests only.
set -u
# Helpers keep their variables to names starting with '_' (shell variables
# are global): a script's own loop variables are safe across calls.

if [ -n "${VIGIL_SKIP_INTEGRATION:-}" ]; then
	echo "SKIP: integration tests switched off (VIGIL_SKIP_INTEGRATION)"
	exit 77
fi

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${VIGILD:=$top_builddir/daemon/vigild}"
CONF_DIR="$top_srcdir/tests/integration/conf"

T=$(mktemp -d /tmp/vigil-test.XXXXXX)
chmod 755 "$T"
TESTS_RUN=0

pass() {
	TESTS_RUN=$((TESTS_RUN + 1))
	echo "ok $TESTS_RUN - $*"
}

# wait_for TENTHS CMD...: run CMD every 0.1 s until it succeeds, at most
# TENTHS times. Returns CMD's last status.
wait_for() {
	_wf_n=$1
	shift
	while [ "$_wf_n" -gt 0 ]; do
		"$@" && return 0
		_wf_n=$((_wf_n - 1))
		sleep 0.1
	done
	"$@"
}

alive() { kill -0 "$1" 2>/dev/null; }
dead() { ! kill -0 "$1" 2>/dev/null; }
pidof_file() { cat "$1" 2>/dev/null; }

# A sanitizer report from any vigild process (parent or child) fails the
# test, even when the supervisor hid the crash by respawning the child.
# Reads every *.log and out file under $T.
check_sanitizers() {
	for _cs_f in $(find "$T" -name '*.log' -o -name out 2>/dev/null); do
		[ -f "$_cs_f" ] || continue
		if grep -q -E "ERROR: (Address|Leak)Sanitizer|runtime error:" "$_cs_f"; then
			grep -E -A20 "ERROR: (Address|Leak)Sanitizer|runtime error:" "$_cs_f" | head -40
			fail "sanitizer report in ${_cs_f#"$T"/}"
		fi
	done
}

# The dump files have fixed paths (/tmp/vigil.data, /tmp/vigil_check.data,
# /tmp/vigil.stats, as keepalived's): a test reading them holds this lock,
# so tests running in parallel do not read each other's dumps.
dump_lock() {
	exec 9>/tmp/vigil-test-dumps.lock
	flock -w 60 9 || fail "could not take the dump lock in 60 s"
}
dump_unlock() {
	flock -u 9
	exec 9>&-
}

# fifo_reader SCRIPT LINES: write SCRIPT, a notify fifo's reader (a
# *_notify_fifo_script): it saves its arguments in $T/reader.args, then
# every line it reads from the fifo (its last argument) in LINES
fifo_reader() {
	cat >"$1" <<EOF
#!/bin/sh
echo "\$@" >>"$T/reader.args"
eval fifo=\\\${\$#}
while read -r line; do
	echo "\$line" >>"$2"
done <"\$fifo"
EOF
	chmod 755 "$1"
}

done_testing() {
	check_sanitizers
	echo "1..$TESTS_RUN"
	exit 0
}
