#!/bin/sh
# What the host lacks (an interface, a script) is an error for vigild -t
# only: at start and on reload vigild logs it with file:line and runs the
# configuration anyway.
. "$(dirname "$0")/lib.sh"

CONF="$T/vigil.conf"
sed 's/veth0/vgmissing0/g' "$CONF_DIR/lab.conf" >"$CONF"
in_ns "$VIGILD" -t -f "$CONF" 2>"$T/out" && fail "-t accepted a missing interface"
grep -q "vigil.conf:8: error: host: interface vgmissing0" "$T/out" ||
    fail "-t did not name the interface at file:line: $(cat "$T/out")"
pass "-t refuses an interface the host does not have"

start_vigild "$CONF"
wait_for 50 log_has "vigil.conf:8: .*host: interface vgmissing0 for vrrp_instance VI_1 does not exist" ||
    fail "start did not log the missing interface"
wait_for 50 log_has "problem(s) on this host" || fail "start did not say it runs anyway"
wait_for 50 test -s "$VRRP_PIDF" || fail "VRRP child not started"
alive "$VPID" || fail "vigild exited over a missing interface"
pass "start logs a missing interface with file:line and runs"

# a reload whose notify script is missing: logged, taken
cat >"$CONF" <<CONF
vrrp_instance VI_1 {
    interface veth0
    virtual_router_id 51
    priority 101
    notify_master "$T/no-such-script.sh"
    virtual_ipaddress {
        10.10.0.100/24
    }
}
CONF
kill -HUP "$VPID"
wait_for 50 log_has "vigil.conf:5: .*host: notify_master: $T/no-such-script.sh" ||
    fail "reload did not log the missing script"
wait_for 50 log_has "vrrp child: running configuration generation 2" || fail "reload with a host problem not taken"
log_has "reload rejected" && fail "reload rejected over a host problem"
alive "$VPID" || fail "vigild exited on reload"
pass "reload logs a missing script with file:line and takes the configuration"

stop_vigild
[ "$VSTATUS" = 0 ] || fail "vigild exited $VSTATUS"
done_testing
