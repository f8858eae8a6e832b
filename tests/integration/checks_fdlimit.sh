#!/bin/sh
# More checks due at once than the checker child has descriptors for:
# 400 real servers whose SYNs are dropped (each probe holds a socket until
# its connect_timeout) under an open-files limit of 256. The probes that
# find no descriptor wait for one: every real server ends down with
# "timeout", none with "too many open files", and the state dump shows
# that probes waited.
. "$(dirname "$0")/lib.sh"

ip -n "$NS" addr add 10.77.0.1/24 dev veth0
ip -n "$NS" route add local 10.64.0.0/16 dev lo
ip netns exec "$NS" nft -f - <<'NFT' || fail "nft rules not loaded"
table inet vgfd {
	chain in {
		type filter hook input priority 0;
		ip daddr 10.64.0.0/16 tcp dport 80 drop
	}
}
NFT

CONF="$T/vigil.conf"
{
	echo "virtual_server 10.77.0.100 80 {"
	echo "    delay_loop 3"
	echo "    warmup 0"
	echo "    lb_kind DR"
	echo "    protocol TCP"
	i=0
	while [ $i -lt 400 ]; do
		echo "    real_server 10.64.$((i / 200 + 1)).$((i % 200 + 1)) 80 {"
		echo "        TCP_CHECK {"
		echo "            connect_timeout 1"
		echo "            retry 0"
		echo "        }"
		echo "    }"
		i=$((i + 1))
	done
	echo "}"
} >"$CONF"

# the checker child inherits the limit (soft and hard)
ulimit -n 256
start_vigild "$CONF"
# every real server down: logged one by one, or counted in the checker's
# summary lines when more go down in a second than it logs
downs() {
	l=$(grep -c 'UP -> DOWN' "$LOG" || true)
	c=$(sed -n 's/.*\.\.\. and \([0-9,]*\) more real server(s) went down.*/\1/p' "$LOG" |
	    tr -d ',' | awk '{ s += $1 } END { print s + 0 }')
	echo $((l + c))
}
wait_for 300 sh -c "[ \$(grep -c 'UP -> DOWN' '$LOG') -gt 0 ]" || fail "no real server went down"
n=0
while [ "$(downs)" -lt 400 ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
[ "$(downs)" = 400 ] || fail "not every real server went down: $(downs) of 400"
dump_lock
rm -f /tmp/vigil.data /tmp/vigil_check.data
kill -USR1 "$VPID"
wait_for 50 grep -q "Desired table" /tmp/vigil_check.data 2>/dev/null || { dump_unlock; fail "no state dump"; }
sleep 0.2
cp /tmp/vigil_check.data "$T/dump"
rm -f /tmp/vigil.data /tmp/vigil_check.data
dump_unlock
grep -q "waiting for a descriptor (budget 128, [1-9][0-9]* waited so far)" "$T/dump" ||
    fail "the dump does not show probes waiting for a descriptor: $(grep 'Checks:' "$T/dump")"
pass "the state dump shows the descriptor budget and the probes that waited"
[ "$(grep -c 'Real server .*: down, .*reason: TCP_CHECK .*: timeout after 1.0 s' "$T/dump")" = 400 ] ||
    fail "not every real server is down with a timeout: $(grep -c 'Real server .*: down, .*timeout' "$T/dump") of 400"
grep -q "too many open files" "$T/dump" "$LOG" && fail "a probe failed for want of a descriptor"
grep -q "socket:" "$T/dump" && fail "a probe failed to make its socket"
log_has "out of file descriptors" && fail "the checker ran out of descriptors despite its budget"
pass "400 probes under a limit of 256 descriptors: all run, every one ends in a timeout, none fails for want of one"
stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
done_testing
