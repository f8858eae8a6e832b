# keepalived as a peer (sourced after interop.sh): Debian's keepalived in
# node ka, in its own namespace with its own pid files (-p/-r/-c), VRRP
# only, its output in the node's log file (which fail prints), and the
# round of elections the keepalived scenarios run. Needs nodes dir1, ka
# and client on one bridge.
KEEPALIVED=${KEEPALIVED:-$(command -v keepalived || echo /usr/sbin/keepalived)}
[ -x "$KEEPALIVED" ] || { echo "1..0 # SKIP keepalived is not installed"; exit 77; }

start_ka() { # PRIORITY [AUTH]
	conf "$T/ka/keepalived.conf" "$1" "${2-$AUTH}"
	rm -f "$T/ka/ka-vrrp.pid"
	ip netns exec "$(node_ns ka)" "$KEEPALIVED" -n -l -D -G -P -B \
	    -f "$T/ka/keepalived.conf" -p "$T/ka/ka.pid" -r "$T/ka/ka-vrrp.pid" \
	    -c "$T/ka/ka-chk.pid" -b "$T/ka/ka-bfd.pid" \
	    >>"$(node_log ka)" 2>&1 &
	KA_PID=$!
	wait_for 50 test -s "$T/ka/ka-vrrp.pid" || fail "keepalived did not start"
}
stop_ka() {
	kill -TERM "$KA_PID" 2>/dev/null
	wait_for 100 dead "$KA_PID" || fail "keepalived did not stop"
	wait "$KA_PID" 2>/dev/null
	no_vip ka || fail "keepalived left the VIP behind"
}

# ka_round VERSION ADVERT_INT: either side master, either side cut off or
# stopped, preemption both ways, never two masters once settled, and the
# client's ARP / neighbour entry for the VIP follows the master
ka_round() {
	VER=$1
	ADV=$2
	mark "round"
	# vigild the higher priority
	start_ka 100
	start_dir 150
	wait_for 150 settled dir1 ka || fail "v$VER: vigild (150) is not MASTER over keepalived (100)"
	stays_settled dir1 ka
	wait_for 50 client_ping || fail "v$VER: the client does not reach the VIP on vigild"
	client_follows dir1
	pass "v$VER: vigild (150) MASTER, keepalived (100) BACKUP, the client reaches the VIP"

	node_exec dir1 ip link set eth0 down
	wait_for 150 is_state ka MASTER || fail "v$VER: keepalived did not take over from a cut vigild"
	wait_for 50 has_vip ka || fail "v$VER: keepalived MASTER without the VIP"
	client_follows ka
	node_exec dir1 ip link set eth0 up
	wait_for 150 settled dir1 ka || fail "v$VER: vigild did not preempt keepalived on return"
	stays_settled dir1 ka
	client_follows dir1
	pass "v$VER: vigild cut off -> keepalived MASTER; back -> vigild preempts; the client follows"

	stop_dir
	wait_for 100 is_state ka MASTER || fail "v$VER: keepalived did not take over from a stopped vigild"
	wait_for 50 has_vip ka || fail "v$VER: keepalived MASTER without the VIP"
	client_follows ka
	pass "v$VER: vigild stops (priority 0) -> keepalived MASTER"

	# keepalived the higher priority
	start_dir 50
	wait_for 100 is_state dir1 BACKUP || fail "v$VER: vigild (50) did not start as BACKUP"
	stays_settled ka dir1
	pass "v$VER: keepalived (100) stays MASTER, vigild (50) BACKUP"

	stop_ka
	wait_for 100 is_state dir1 MASTER || fail "v$VER: vigild did not take over from a stopped keepalived"
	wait_for 50 has_vip dir1 || fail "v$VER: vigild MASTER without the VIP"
	node_log_has dir1 "master $(node_src ka) stopped (priority 0)" ||
	    fail "v$VER: vigild did not see keepalived's priority 0 advert"
	client_follows dir1
	pass "v$VER: keepalived stops (priority 0) -> vigild MASTER"

	start_ka 100
	wait_for 150 settled ka dir1 || fail "v$VER: keepalived (100) did not preempt vigild (50)"
	stays_settled ka dir1
	node_log_has dir1 "higher priority advert from $(node_src ka) (100 > 50)" ||
	    fail "v$VER: vigild does not say why it went back"
	client_follows ka
	pass "v$VER: keepalived preempts vigild on return"

	node_exec ka ip link set eth0 down
	wait_for 150 is_state dir1 MASTER || fail "v$VER: vigild did not take over from a cut keepalived"
	wait_for 50 has_vip dir1 || fail "v$VER: vigild MASTER without the VIP"
	client_follows dir1
	node_exec ka ip link set eth0 up
	wait_for 150 settled ka dir1 || fail "v$VER: keepalived did not preempt on its return"
	stays_settled ka dir1
	client_follows ka
	pass "v$VER: keepalived cut off -> vigild MASTER; back -> keepalived preempts; the client follows"

	stop_ka
	stop_dir
	: >"$(node_log dir1)"
	: >"$(node_log ka)"
}
