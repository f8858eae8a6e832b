#!/bin/sh
# 5,000 real servers fail at once (every port refused): the checker child
# logs the first transitions of each second and a summary of the rest
# ("... and 4,700 more real server(s) went down"); every one of the 5,000
# is accounted for, logged or counted, and none is logged twice. Failures
# of a real server already down are not logged again. A reload taken
# while they all fail (each real server's check changed, so each one's
# check restarts) completes, keeps them down without a new transition,
# and the log stays shorter than one line per real server. 1,000 virtual
# servers more, each with one real server and no checker, start with
# their quorum up at once: their lines are bounded the same way.
. "$(dirname "$0")/lib.sh"

N=5000
NVS=1000
ip -n "$NS" addr add 10.77.0.1/24 dev veth0

# the first virtual server is NAT: its real servers have ports of their
# own (under DR each would be warned about at every load, its port not the
# virtual server's)
mkconf() {
	awk -v n="$N" -v nvs="$NVS" -v timeout="$1" 'BEGIN {
		print "virtual_server 10.77.0.100 80 {"
		print "    delay_loop 1"
		print "    lb_kind NAT"
		print "    protocol TCP"
		for (i = 0; i < n; i++) {
			printf "    real_server 127.0.%d.%d %d {\n", int(i / 250) + 1, i % 250 + 1, 20000 + i % 1000
			print "        TCP_CHECK {"
			printf "            connect_timeout %d\n", timeout
			print "            retry 0"
			print "        }"
			print "    }"
		}
		print "}"
		for (v = 0; v < nvs; v++) {
			printf "virtual_server 10.78.%d.%d 80 {\n", int(v / 250), v % 250 + 1
			print "    lb_kind DR"
			print "    protocol TCP"
			printf "    real_server 127.1.%d.%d 80 {\n    }\n", int(v / 250), v % 250 + 1
			print "}"
		}
	}' >"$T/vigil.conf"
}

# every real server down: those logged one by one plus those counted
# in summary lines
downs_logged() { grep -c "UP -> DOWN: TCP_CHECK" "$LOG" || true; }
downs_counted_sep() {
	# the counts print with thousands separators: "4,700"
	sed -n 's/.*\.\.\. and \(.*\) (at most.*/\1/p' "$LOG" |
	    sed 's/\([0-9]\),\([0-9][0-9][0-9]\)/\1\2/g' | tr ',' '\n' |
	    sed -n 's/^ *\([0-9]*\) more real server(s) went down.*/\1/p' |
	    awk '{ s += $1 } END { print s + 0 }'
}
downs() { echo $(($(downs_logged) + $(downs_counted_sep))); }

mkconf 2
start_vigild "$T/vigil.conf"
wait_for 600 sh -c "[ \$(grep -c 'UP -> DOWN: TCP_CHECK' '$LOG') -gt 0 ]" ||
    fail "no real server went down"
n=0
while [ "$(downs)" -lt "$N" ] && [ $n -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
[ "$(downs)" = "$N" ] ||
    fail "$(downs) of $N real servers went down, logged or counted ($(downs_logged) logged)"
log_has "\.\.\. and [0-9,]* more real server(s) went down" ||
    fail "no summary line for the real servers left out"
dup=$(grep -o "real server .* UP -> DOWN" "$LOG" | sort | uniq -d | head -1)
[ -z "$dup" ] || fail "a real server's going down was logged twice: $dup"
pass "$N real servers down: $(downs_logged) logged one by one, the rest in summary lines"

# failures of real servers already down are not logged again: the
# checks run every second, and no new line comes
before=$(downs_logged)
lines=$(wc -l <"$LOG")
sleep 3
[ "$(downs_logged)" = "$before" ] || fail "real servers already down were logged down again"
pass "repeated failures of real servers already down are not logged"

# the virtual servers' start with quorum up: the first ones logged, the
# rest counted in the start's line (and any under the rate in the
# summary lines)
vs_logged=$(grep -c "virtual server \[10\.78\..*starting with quorum up" "$LOG" || true)
vs_counted=$({ sed -n 's/.*\.\.\. and \(.*\) (at most.*/\1/p' "$LOG" |
    sed 's/\([0-9]\),\([0-9][0-9][0-9]\)/\1\2/g' | tr ',' '\n' |
    sed -n 's/^ *\([0-9]*\) more virtual server quorum or sorry server change(s).*/\1/p'
    sed -n 's/.*checks: \([0-9]*\) more virtual server(s) starting with quorum up.*/\1/p' "$LOG"
    } | awk '{ s += $1 } END { print s + 0 }')
[ "$vs_logged" -lt "$NVS" ] ||
    fail "all $vs_logged virtual servers' quorum lines were logged one by one"
[ $((vs_logged + vs_counted)) -ge "$NVS" ] ||
    fail "$vs_logged virtual servers' quorum lines logged and $vs_counted counted, of $NVS"
pass "$NVS virtual servers starting with quorum up: $vs_logged logged one by one, the rest in summary lines"

# a reload while they all fail: every real server's check changes
mkconf 3
kill -HUP "$VPID"
wait_for 600 log_has "checker child: running configuration generation 2" ||
    fail "the checker child did not confirm the reload"
wait_for 600 log_has "checks: the reload's real servers are attached: $N real server(s), $N new check(s)" ||
    fail "the reloaded checks were not all started: $(grep "checks: " "$LOG" | tail -2)"
[ "$(grep -c "checks: every real server's checks started" "$LOG")" = 1 ] ||
    fail "the reload logged the start's milestone again"
sleep 2
[ "$(downs_logged)" = "$before" ] || fail "the reload logged real servers down again"
log_has "DOWN -> UP" && fail "a real server came up though every port refuses"
pass "a reload while $N real servers fail completes and keeps them down, no new transition"

# unbounded, each real server would take two lines (its transition, its
# table change); the bound is per second, so how many come through
# depends on how long the failures take to arrive on a loaded machine:
# fewer lines than real servers, whatever the load
total=$(wc -l <"$LOG")
[ "$total" -lt "$N" ] ||
    fail "the log holds $total lines for $N real servers going down once; most: $(sed 's/^[^ ]* [^ ]* [^ ]* //' "$LOG" | cut -c1-40 | sort | uniq -c | sort -rn | head -3)"
pass "the log holds $total lines for $N real servers ($lines before the reload)"

stop_vigild
[ "$VSTATUS" = 0 ] || fail "vigild exited with $VSTATUS"
pass "vigild stopped cleanly"
done_testing
