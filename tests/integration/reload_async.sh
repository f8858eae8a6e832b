#!/bin/sh
# A reload's parse runs off the parent's loop: while it is held (the
# VIGIL_RELOAD_HOLD file exists, so the order below never depends on
# timing) on a generated configuration of 1,000 virtual servers x 10 real
# servers, vigilctl status is answered and the generation has not been
# loaded yet; SIGHUP and vigilctl reload asked during the parse are served
# by one more parse after it (generation 3, not 4), vigilctl reload's
# answer naming it; a file with an error, parsed the same way, is
# rejected at file:line and the running generation stays, children not
# restarted.
. "$(dirname "$0")/lib.sh"

CTL="${top_builddir:-.}/daemon/vigilctl"
[ -x "$CTL" ] || fail "$CTL not built"
SOCK="$T/vigild.ctl"
HOLD="$T/hold"
CONF="$T/vigil.conf"

# gen WEIGHT > file: one instance and 1,000 x 10 real servers on loopback
# addresses of the namespace (refused: they are checked once a minute)
gen() {
	awk -v w="$1" 'BEGIN {
		print "vrrp_instance VI_1 {\n    interface veth0\n    virtual_router_id 51"
		print "    priority 100\n    virtual_ipaddress {\n        10.10.0.100/24\n    }\n}"
		for (v = 0; v < 1000; v++) {
			printf "virtual_server 10.20.%d.%d 80 {\n    delay_loop 60\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n", int(v / 250), v % 250 + 1
			for (r = 0; r < 10; r++)
				printf "    real_server 127.1.%d.%d 80 {\n        weight %d\n        TCP_CHECK {\n            connect_timeout 2\n        }\n    }\n", v % 250, r + 1, (r == 0 && v % 100 == 0) ? w : 1
			print "}"
		}
	}'
}
gen 1 >"$CONF"
VIGIL_RELOAD_HOLD="$HOLD" start_vigild "$CONF"
wait_for 300 log_has "checker child: running configuration generation 1" ||
    fail "checker child did not run generation 1"
vrrp=$(pidof_file "$VRRP_PIDF")
chk=$(pidof_file "$CHECK_PIDF")
wait_for 50 test -S "$SOCK" || fail "no control socket"

# loaded_line N: the log's line number of "configuration generation N
# loaded", empty while there is none
loaded_line() {
	grep -n -m1 "configuration generation $1 loaded" "$LOG" | cut -d: -f1
}

gen 2 >"$CONF"
touch "$HOLD"
kill -HUP "$VPID"
wait_for 100 log_has "reloading $CONF (SIGHUP)" || fail "SIGHUP did not start a reload"
in_ns "$CTL" -s "$SOCK" status >"$T/status" 2>&1 || fail "status not answered during the parse: $(cat "$T/status")"
[ -z "$(loaded_line 2)" ] || fail "generation 2 was loaded before status was answered"
grep -q "VI_1" "$T/status" || fail "status during the parse does not show the running instance: $(head -5 "$T/status")"
pass "vigilctl status is answered while the reload is parsed, before the generation is loaded"

# asked again during the parse: one more parse after it serves both
kill -HUP "$VPID"
wait_for 50 log_has "reload (SIGHUP) asked while one is being parsed" ||
    fail "a SIGHUP during the parse was not queued behind it"
in_ns "$CTL" -s "$SOCK" reload >"$T/reload" 2>&1 &
RPID=$!
in_ns "$CTL" -s "$SOCK" status >/dev/null 2>&1 || fail "status not answered with a reload waiting"
[ -z "$(loaded_line 2)" ] || fail "generation 2 was loaded while the parse was held"
rm -f "$HOLD"
wait_for 300 sh -c "grep -q 'configuration generation 3 loaded' '$LOG'" ||
    fail "the queued reload did not load generation 3"
wait "$RPID" || fail "vigilctl reload failed: $(cat "$T/reload")"
grep -q "configuration generation 3 loaded" "$T/reload" ||
    fail "vigilctl reload, asked during parse 2, not answered by parse 3: $(cat "$T/reload")"
l2=$(loaded_line 2)
l3=$(loaded_line 3)
[ -n "$l2" ] && [ "$l2" -lt "$l3" ] || fail "generations not loaded in order (2 at line $l2, 3 at $l3)"
[ "$(grep -c "reloading $CONF" "$LOG")" -eq 2 ] ||
    fail "three requests did not make exactly two parses: $(grep "reloading $CONF" "$LOG")"
wait_for 300 log_has "checker child: running configuration generation 3" ||
    fail "checker child did not run generation 3"
log_has "vrrp child: running configuration generation 3" || fail "VRRP child did not run generation 3"
pass "requests during a parse are served by one more parse (generation 3), vigilctl reload answered by it"

# an error: rejected at file:line after the held parse; nothing restarts;
# vigilctl reload's answer names the first error
sed -i 's/virtual_router_id 51/virtual_router_id 300/' "$CONF"
touch "$HOLD"
in_ns "$CTL" -s "$SOCK" reload >"$T/reload3" 2>&1 &
RPID=$!
wait_for 100 sh -c "[ \$(grep -c 'reloading $CONF' '$LOG') -eq 3 ]" || fail "third reload did not start"
in_ns "$CTL" -s "$SOCK" status >/dev/null 2>&1 || fail "status not answered during the failing parse"
log_has "reload rejected" && fail "rejected before the parse was let go"
rm -f "$HOLD"
wait_for 300 log_has "reload rejected: [0-9]* error(s) in $CONF; still running configuration generation 3; the first: .*vigil.conf:3: .*virtual_router_id" ||
    fail "invalid file not rejected: $(grep -E "reload|generation" "$LOG" | tail -5)"
wait "$RPID" && fail "vigilctl reload of an invalid file succeeded: $(cat "$T/reload3")"
grep -q "the first: .*vigil.conf:3: .*virtual_router_id" "$T/reload3" ||
    fail "vigilctl reload does not name the first error: $(cat "$T/reload3")"
log_has "vigil.conf:3: .*virtual_router_id" || fail "the error does not name file:line"
[ "$(pidof_file "$VRRP_PIDF")" = "$vrrp" ] && alive "$vrrp" || fail "VRRP child restarted"
[ "$(pidof_file "$CHECK_PIDF")" = "$chk" ] && alive "$chk" || fail "checker child restarted"
pass "an invalid file parsed off the loop is rejected at file:line; generation 3 keeps running"

stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
pass "vigild stops cleanly"
done_testing
