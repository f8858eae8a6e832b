#!/bin/sh
# vigild's command line, as an admin meets it.
. "$(dirname "$0")/lib.sh"

out=$("$VIGILD" -v) || fail "-v failed"
echo "$out" | grep -q "^vigild [0-9]" || fail "-v printed '$out'"
pass "-v prints the version"

out=$("$VIGILD" --help) || fail "--help failed"
for opt in --use-file --vrrp --check --log-console --log-detail --log-facility \
    --dont-fork --dump-conf --pid --vrrp_pid --checkers_pid --config-id \
    --config-test --snmp --version --help --dont-respawn "Not supported"; do
	echo "$out" | grep -q -- "$opt" || fail "--help does not list $opt"
done
pass "--help lists keepalived's options and what is not supported"

"$VIGILD" --bogus >"$T/out" 2>&1 && fail "--bogus accepted"
grep -q "invalid option '--bogus'" "$T/out" || fail "bad option message: $(cat "$T/out")"
"$VIGILD" -S local9 >"$T/out" 2>&1 && fail "-S local9 accepted"
grep -q "log-facility: expected" "$T/out" || fail "bad facility message: $(cat "$T/out")"
pass "bad options are refused with a clear message"

[ "$("$VIGILD" --signum=RELOAD)" = 1 ] || fail "--signum=RELOAD"
[ "$("$VIGILD" --signum=DATA)" = 10 ] || fail "--signum=DATA"
[ "$("$VIGILD" --signum=STOP)" = 15 ] || fail "--signum=STOP"
"$VIGILD" --signum=NOPE >/dev/null 2>&1 && fail "--signum=NOPE accepted"
pass "--signum answers like keepalived"

# in the namespace: lab.conf's interface veth0 is there
in_ns "$VIGILD" -t -f "$CONF_DIR/lab.conf" 2>"$T/out" || fail "-t rejected a valid file: $(cat "$T/out")"
grep -q "configuration is valid" "$T/out" || fail "-t did not say valid"
pass "-t accepts a valid configuration"

# the host is checked too: in a namespace without veth0, lab.conf's
# interface is an error at its line
ip netns exec "$NS" ip link set veth0 name other0 || fail "cannot rename veth0"
in_ns "$VIGILD" -t -f "$CONF_DIR/lab.conf" 2>"$T/out" && fail "-t accepted a missing interface"
grep -q "lab.conf:8: error: host: interface veth0 for vrrp_instance VI_1 does not exist" "$T/out" ||
    fail "missing interface not reported at line 8: $(cat "$T/out")"
grep -q "lab.conf:13: error: host: interface veth0 for virtual_ipaddress 10.10.0.100 does not exist" "$T/out" ||
    fail "missing VIP interface not reported at line 13: $(cat "$T/out")"
ip netns exec "$NS" ip link set other0 name veth0 || fail "cannot rename other0"
pass "-t reports interfaces the host does not have, at file:line"

cat >"$T/bad.conf" <<'CONF'
global_defs {
    router_id r1
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 300
    priority 100
    advert_int abc
}
CONF
in_ns "$VIGILD" -t -f "$T/bad.conf" 2>"$T/out" && fail "-t accepted a bad file"
grep -q "bad.conf:6: .*virtual_router_id" "$T/out" || fail "-t did not report line 6: $(cat "$T/out")"
grep -q "bad.conf:8: .*advert_int" "$T/out" || fail "-t did not report line 8 too: $(cat "$T/out")"
grep -q "NOT valid" "$T/out" || fail "-t did not say not valid"
pass "-t rejects a bad file listing every problem with file:line"

in_ns "$VIGILD" -t="$T/test.log" -f "$T/bad.conf" 2>/dev/null && fail "-t=LOG accepted a bad file"
grep -q "bad.conf:6:" "$T/test.log" || fail "-t=LOG_FILE did not write the problems to the file"
pass "-t=LOG_FILE writes the report to the file"

printf 'vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 5\n' >"$T/open.conf"
in_ns "$VIGILD" -t -f "$T/open.conf" 2>"$T/out" && fail "-t accepted an unterminated block"
grep -q "open.conf:1:" "$T/out" || fail "unterminated block not reported at its opening line: $(cat "$T/out")"
pass "-t reports an unterminated block at the line that opened it"

cat >"$T/cond.conf" <<'CONF'
vrrp_instance VI_1 {
    interface veth0
    @node1 virtual_router_id 300
    @^node1 virtual_router_id 30
    virtual_ipaddress {
        10.0.0.1
    }
}
CONF
in_ns "$VIGILD" -t -i node2 -f "$T/cond.conf" 2>"$T/out" || fail "-i node2: $(cat "$T/out")"
in_ns "$VIGILD" -t -i node1 -f "$T/cond.conf" 2>"$T/out" && fail "-i node1 accepted vrid 300"
grep -q "cond.conf:3:" "$T/out" || fail "-i node1 did not report line 3: $(cat "$T/out")"
pass "-i selects @id conditional lines"

in_ns "$VIGILD" -t -f "$T/missing.conf" 2>"$T/out" && fail "-t accepted a missing file"
grep -q "missing.conf" "$T/out" || fail "missing file not named: $(cat "$T/out")"
in_ns "$VIGILD" -n -l -G -f "$T/missing.conf" -p "$T/x.pid" >"$T/out" 2>&1 && fail "vigild started without a config"
grep -q "missing.conf" "$T/out" || fail "vigild did not name the missing file: $(cat "$T/out")"
pass "a missing configuration file is named and refused"

in_ns "$VIGILD" -n -l -G -f "$T/bad.conf" -p "$T/x.pid" >"$T/out" 2>&1 && fail "vigild started on a bad config"
grep -q "bad.conf:6:" "$T/out" || fail "start-up errors lack file:line: $(cat "$T/out")"
[ -e "$T/x.pid" ] && fail "pid file written for a refused start"
pass "vigild refuses to start on an invalid configuration"

printf 'include %s/nothing-here/*.conf\n' "$T" >"$T/inc.conf"
cat "$CONF_DIR/vrrp_only.conf" >>"$T/inc.conf"
in_ns "$VIGILD" -t -f "$T/inc.conf" 2>"$T/out" || fail "a plain include matching nothing was an error: $(cat "$T/out")"
grep -q "inc.conf:1: warning: include: no file matches" "$T/out" || fail "no warning for an include matching nothing: $(cat "$T/out")"
in_ns "$VIGILD" -t -e -f "$T/inc.conf" 2>"$T/out" && fail "-e accepted an include matching nothing"
grep -q "inc.conf:1: error: include: no file matches" "$T/out" || fail "-e did not make the include an error: $(cat "$T/out")"
pass "-e turns a missing include file into an error"

: >"$LOG"
start_vigild "$CONF_DIR/vrrp_only.conf" -x
# -x runs the SNMP child; a build without net-snmp says it cannot
wait_for 30 log_has "snmp child (pid [0-9]*) is up" ||
	wait_for 1 log_has "built without it (--disable-snmp)" ||
	fail "-x neither started the SNMP child nor said why not"
stop_vigild
pass "-x starts the SNMP child"

# Daemon mode: the launcher returns, the daemon runs and stops on SIGTERM.
in_ns "$VIGILD" -G -f "$CONF_DIR/lab.conf" -p "$PIDF" -r "$VRRP_PIDF" -c "$CHECK_PIDF" ||
    fail "vigild (daemon mode) failed to start"
# the launcher returns once the daemon runs: the pid file is there already
test -s "$PIDF" || fail "launcher returned before the daemon wrote its pid file"
VPID=$(pidof_file "$PIDF")
alive "$VPID" || fail "daemon not running"
[ "$(awk '/^PPid/ {print $2}' /proc/"$VPID"/status)" = 1 ] || \
    [ "$(ps -o sid= -p "$VPID" | tr -d ' ')" = "$VPID" ] || fail "daemon did not detach"
wait_for 50 test -s "$VRRP_PIDF" || fail "daemon's VRRP child missing"
vrrp=$(pidof_file "$VRRP_PIDF")
kill -TERM "$VPID"
wait_for 100 dead "$VPID" || fail "daemon did not stop on SIGTERM"
wait_for 20 dead "$vrrp" || fail "daemon's child survived"
pass "daemon mode detaches and stops cleanly on SIGTERM"

done_testing
