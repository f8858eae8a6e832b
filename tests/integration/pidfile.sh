#!/bin/sh
# Pid files: each of -p, -r and -c must be a file of its own, a second
# vigild may not take any of a running vigild's files, and a vigild never
# removes a pid file it does not hold; use_pid_dir and instance put them
# in /run/vigil.
. "$(dirname "$0")/lib.sh"

# second_vigild NAME OPTIONS...: a vigild that must refuse to start; its
# output goes to $T/NAME.out. Fails unless it exits 1 within 5 s.
second_vigild() {
	name=$1
	shift
	ip netns exec "$NS" "$VIGILD" -n -l -G -f "$CONF_DIR/lab.conf" "$@" \
	    >"$T/$name.out" 2>&1 &
	second=$!
	wait_for 50 dead "$second" || { kill -9 "$second"; fail "$name: vigild did not exit"; }
	wait "$second"
	st=$?
	[ "$st" -eq 1 ] || fail "$name: vigild exited with $st, expected 1: $(cat "$T/$name.out")"
}

# The same path for two of -p, -r, -c.
second_vigild pr -p "$T/a.pid" -r "$T/a.pid" -c "$T/c.pid"
grep -q "the parent (-p) and VRRP child (-r) pid files are the same file $T/a.pid" "$T/pr.out" ||
    fail "-p = -r: unclear message: $(cat "$T/pr.out")"
second_vigild rc -p "$T/p.pid" -r "$T/b.pid" -c "$T/b.pid"
grep -q "VRRP child (-r) and checker child (-c) pid files are the same file" "$T/rc.out" ||
    fail "-r = -c: unclear message: $(cat "$T/rc.out")"
second_vigild pc -p "$T/d.pid" -r "$T/r.pid" -c "$T/d.pid"
grep -q "parent (-p) and checker child (-c) pid files are the same" "$T/pc.out" ||
    fail "-p = -c: unclear message: $(cat "$T/pc.out")"
for f in a b c d p r; do
	[ -e "$T/$f.pid" ] && fail "a refused start left $f.pid behind"
done
pass "the same pid file for two of -p, -r, -c is refused"

# Two names of one file: caught by the lock.
second_vigild alias -p "$T/p.pid" -r "$T/e.pid" -c "$T/./e.pid"
grep -q "checker child pid file $T/./e.pid is the vrrp child pid file $T/e.pid" "$T/alias.out" ||
    fail "two names of one file: unclear message: $(cat "$T/alias.out")"
[ -e "$T/e.pid" ] || [ -e "$T/p.pid" ] && fail "a refused start left a pid file behind"
pass "two names of the same pid file are refused"

# A running vigild holds all three files locked.
start_vigild "$CONF_DIR/lab.conf"
wait_for 50 test -s "$VRRP_PIDF" || fail "vrrp child pid file missing"
wait_for 50 test -s "$CHECK_PIDF" || fail "checker child pid file missing"
vrrp=$(pidof_file "$VRRP_PIDF")
chk=$(pidof_file "$CHECK_PIDF")
for f in "$PIDF" "$VRRP_PIDF" "$CHECK_PIDF"; do
	flock -n "$f" true && fail "$(basename "$f") is not locked by the running vigild"
done
pass "the parent's and both children's pid files are locked"

# A second vigild with its own -p but the first one's -r, or -c.
second_vigild share-r -p "$T/second.pid" -r "$VRRP_PIDF" -c "$T/second-chk.pid"
grep -q "the vrrp child pid file $VRRP_PIDF is in use by another vigild (it holds pid $vrrp)" \
    "$T/share-r.out" || fail "shared -r: unclear message: $(cat "$T/share-r.out")"
second_vigild share-c -p "$T/second.pid" -r "$T/second-vrrp.pid" -c "$CHECK_PIDF"
grep -q "the checker child pid file $CHECK_PIDF is in use by another vigild (it holds pid $chk)" \
    "$T/share-c.out" || fail "shared -c: unclear message: $(cat "$T/share-c.out")"
for f in second second-chk second-vrrp; do
	[ -e "$T/$f.pid" ] && fail "the refused vigild left $f.pid behind"
done
[ "$(pidof_file "$VRRP_PIDF")" = "$vrrp" ] || fail "the first vigild's VRRP pid file was changed"
[ "$(pidof_file "$CHECK_PIDF")" = "$chk" ] || fail "the first vigild's checker pid file was changed"
[ "$(pidof_file "$PIDF")" = "$VPID" ] || fail "the first vigild's pid file was changed"
alive "$VPID" && alive "$vrrp" && alive "$chk" || fail "the first vigild or a child died"
pass "a second vigild sharing a child's pid file is refused; the first one's files are intact"

# A file put in place of one of its own is not removed by vigild.
rm -f "$VRRP_PIDF"
echo 4242 >"$VRRP_PIDF"
stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
[ "$(cat "$VRRP_PIDF" 2>/dev/null)" = 4242 ] || fail "vigild removed a pid file it did not hold"
[ ! -e "$PIDF" ] && [ ! -e "$CHECK_PIDF" ] || fail "vigild left its own pid files behind"
rm -f "$VRRP_PIDF"
pass "vigild removes its own pid files on exit, and no other"

# -P: the checker child's pid file is not used, so another vigild may
# hold it.
start_vigild "$CONF_DIR/vrrp_only.conf" -P
[ -e "$CHECK_PIDF" ] && fail "vigild -P took the checker child's pid file"
stop_vigild
pass "-P leaves the checker child's pid file alone"

# use_pid_dir, and an instance name (which implies it, as in keepalived):
# the pid files the command line does not name go in /run/vigil, named
# after the instance; the control socket beside the parent's; all of it,
# and the directory vigild made, gone after the stop. The instance name
# is this run's, so that nothing else has these files.
D=/run/vigil
had_dir=0
[ -d "$D" ] && had_dir=1
I=pt$$
run_pid_dir() { # CONF: start without -p, -r, -c; NAME: the files' suffix
	{ printf '%s\n' "$1"; cat "$CONF_DIR/lab.conf"; } >"$T/pd.conf"
	ip netns exec "$NS" "$VIGILD" -n -l -G -f "$T/pd.conf" >>"$LOG" 2>&1 &
	VPID=$!
	wait_for 50 sh -c "[ \"\$(cat '$D/vigild$2.pid' 2>/dev/null)\" = $VPID ]" ||
	    fail "$1: no $D/vigild$2.pid holding $VPID: $(ls "$D" 2>&1)"
	wait_for 50 test -s "$D/vigild-vrrp$2.pid" || fail "$1: no $D/vigild-vrrp$2.pid"
	wait_for 50 test -s "$D/vigild-checkers$2.pid" || fail "$1: no $D/vigild-checkers$2.pid"
	wait_for 50 test -S "$D/vigild$2.ctl" || fail "$1: no control socket $D/vigild$2.ctl"
	alive "$(cat "$D/vigild-vrrp$2.pid")" || fail "$1: the VRRP child's pid file names no process"
	# without an instance, vigilctl finds the socket there by itself
	[ -n "$2" ] || ip netns exec "$NS" "$(dirname "$VIGILD")/vigilctl" ping >"$T/ping.out" 2>&1 ||
	    [ -S /run/vigild.ctl ] || fail "$1: vigilctl did not find $D/vigild.ctl: $(cat "$T/ping.out")"
	stop_vigild
	[ "$VSTATUS" -eq 0 ] || fail "$1: vigild exited with status $VSTATUS"
	for f in vigild$2.pid vigild-vrrp$2.pid vigild-checkers$2.pid vigild$2.ctl; do
		[ -e "$D/$f" ] && fail "$1: $D/$f left behind"
	done
	[ $had_dir = 1 ] || [ ! -d "$D" ] || fail "$1: $D left behind"
}
run_pid_dir "instance $I" "_$I"
run_pid_dir "use_pid_dir" ""
pass "use_pid_dir and instance: pid files and control socket in $D (vigild_$I.pid, vigild.pid ...), removed on exit"

done_testing
