# keepalived as a peer (sourced after interop.sh): Debian's keepalived in
# node ka, in its own namespace with its own pid files (-p/-r/-c), VRRP
# only, its output in the node's log file (which fail prints), and the
# round of elections the keepalived scenarios run. Needs nodes dir1, ka
# and client on one bridge.
KEEPALIVED=${KEEPALIVED:-$(command -v keepalived || echo /usr/sbin/keepalived)}
[ -x "$KEEPALIVED" ] || { echo "1..0 # SKIP keepalived is not installed"; exit 77; }

# ka_topo: the bridge and the nodes dir1, ka and client on it
ka_topo() {
	topo_bridge lan
	topo_node dir1 10.10.0.1/24
	topo_node ka 10.10.0.3/24
	topo_node client 10.10.0.50/24
}

start_ka() { # PRIORITY [AUTH]
	conf "$T/ka/keepalived.conf" "$1" "${2-$AUTH}" "${KA_EXTRA-}"
	ka_start_on ka "$T/ka/keepalived.conf"
}
stop_ka() {
	ka_stop
	no_vip ka || fail "keepalived left the VIP behind"
}

ka_name() { [ "$1" = ka ] && echo keepalived || echo vigild; }
# ka_took_over NODE SECONDS*10 FROM: NODE becomes MASTER after FROM
# left, holds the VIP, and the client follows it
ka_took_over() {
	wait_for "$2" is_state "$1" MASTER ||
	    fail "v$VER: $(ka_name "$1") did not take over from $3"
	wait_for 50 has_vip "$1" || fail "v$VER: $(ka_name "$1") MASTER without the VIP"
	client_follows "$1"
}
# ka_cut NODE PEER: NODE's link cut: PEER takes over; back: NODE preempts
ka_cut() {
	node_exec "$1" ip link set eth0 down
	ka_took_over "$2" 150 "a cut $(ka_name "$1")"
	node_exec "$1" ip link set eth0 up
	wait_for 150 settled "$1" "$2" ||
	    fail "v$VER: $(ka_name "$1") did not preempt $(ka_name "$2") on its return"
	stays_settled "$1" "$2"
	client_follows "$1"
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

	ka_cut dir1 ka
	pass "v$VER: vigild cut off -> keepalived MASTER; back -> vigild preempts; the client follows"

	stop_dir
	ka_took_over ka 100 "a stopped vigild"
	pass "v$VER: vigild stops (priority 0) -> keepalived MASTER"

	# keepalived the higher priority
	start_dir 50
	wait_for 100 is_state dir1 BACKUP || fail "v$VER: vigild (50) did not start as BACKUP"
	stays_settled ka dir1
	pass "v$VER: keepalived (100) stays MASTER, vigild (50) BACKUP"

	stop_ka
	ka_took_over dir1 100 "a stopped keepalived"
	node_log_has dir1 "master $(node_src ka) stopped (priority 0)" ||
	    fail "v$VER: vigild did not see keepalived's priority 0 advert"
	pass "v$VER: keepalived stops (priority 0) -> vigild MASTER"

	start_ka 100
	wait_for 150 settled ka dir1 || fail "v$VER: keepalived (100) did not preempt vigild (50)"
	stays_settled ka dir1
	node_log_has dir1 "higher priority advert from $(node_src ka) (100 > 50)" ||
	    fail "v$VER: vigild does not say why it went back"
	client_follows ka
	pass "v$VER: keepalived preempts vigild on return"

	ka_cut ka dir1
	pass "v$VER: keepalived cut off -> vigild MASTER; back -> keepalived preempts; the client follows"

	stop_ka
	stop_dir
	: >"$(node_log dir1)"
	: >"$(node_log ka)"
}

# dir_counter NAME: vigild's counter NAME of VI_1 (drops_auth,
# adverts_received, ...), as vigilctl shows it
: "${VIGILCTL:=$(dirname "$VIGILD")/vigilctl}"
dir_counter() {
	"$VIGILCTL" -s "$T/dir1/vigild.ctl" -j show vrrp VI_1 2>/dev/null |
	    python3 -c 'import json, sys
def find(o):
    if isinstance(o, dict):
        if sys.argv[1] in o:
            return o[sys.argv[1]]
        o = list(o.values())
    if isinstance(o, list):
        for v in o:
            r = find(v)
            if r is not None:
                return r
    return None
r = find(json.load(sys.stdin))
print(r if r is not None else "")' "$1"
}

# auth_round PASS|AH: VRRPv2 with authentication both ways: vigild MASTER
# over keepalived and the reverse, a failover each way (priority 0), a
# restarted side taking the other's adverts (for AH, numbered on from the
# other side's sequence numbers) and preempting, never two masters once
# settled; then another password on each side: each drops the other's
# adverts (vigild counts them by reason) and both are MASTER.
auth_round() {
	VER=2
	ADV=1
	AUTH="$1 s3cr3t"
	mark "$1 round"
	start_ka 100
	start_dir 150
	wait_for 150 settled dir1 ka || fail "$1: vigild (150) is not MASTER over keepalived (100)"
	stays_settled dir1 ka
	pass "$1: vigild (150) MASTER, keepalived (100) BACKUP"

	stop_dir
	wait_for 100 is_state ka MASTER || fail "$1: keepalived did not take over from a stopped vigild"
	wait_for 50 has_vip ka || fail "$1: keepalived MASTER without the VIP"
	start_dir 50
	wait_for 100 is_state dir1 BACKUP || fail "$1: vigild (50) did not start as BACKUP"
	stays_settled ka dir1
	pass "$1: vigild stops (priority 0) -> keepalived MASTER; vigild (50) returns as BACKUP"

	stop_ka
	wait_for 100 is_state dir1 MASTER || fail "$1: vigild did not take over from a stopped keepalived"
	wait_for 50 has_vip dir1 || fail "$1: vigild MASTER without the VIP"
	node_log_has dir1 "master $(node_src ka) stopped (priority 0)" ||
	    fail "$1: vigild did not see keepalived's priority 0 advert"
	start_ka 100
	wait_for 150 settled ka dir1 || fail "$1: keepalived (100) did not preempt vigild (50)"
	stays_settled ka dir1
	node_log_has dir1 "higher priority advert from $(node_src ka) (100 > 50)" ||
	    fail "$1: vigild does not say why it went back"
	[ "$(dir_counter drops_auth)" = 0 ] && [ "$(dir_counter drops_auth_type)" = 0 ] ||
	    fail "$1: vigild dropped adverts of a keepalived with its password: $(dir_counter drops_auth) (auth), $(dir_counter drops_auth_type) (auth type)"
	pass "$1: keepalived stops (priority 0) -> vigild MASTER; keepalived returns and preempts"
	stop_ka
	stop_dir

	# another password: vigild (50) MASTER only if it drops keepalived's
	# adverts (100); keepalived says it drops vigild's
	start_ka 100 "$1 other"
	start_dir 50
	wait_for 150 is_state ka MASTER || fail "$1: keepalived did not become MASTER"
	wait_for 150 is_state dir1 MASTER ||
	    fail "$1: vigild (50) took the adverts of keepalived (100) with another password"
	wait_for 50 has_vip dir1 || fail "$1: vigild MASTER without the VIP"
	case $1 in
	PASS) _why="received an invalid passwd" ;;
	AH) _why="IPSEC-AH : invalid IPSEC HMAC-MD5 value" ;;
	esac
	wait_for 30 node_log_has ka "$_why" || fail "$1: keepalived does not say it drops vigild's adverts"
	_n=$(dir_counter drops_auth)
	[ "${_n:-0}" -gt 0 ] || fail "$1: vigild counts no auth drops ('$_n')"
	[ "$(dir_counter drops_auth_type)" = 0 ] ||
	    fail "$1: vigild counts auth type drops ($(dir_counter drops_auth_type)), not password drops"
	is_state ka MASTER && has_vip ka || fail "$1: keepalived left MASTER"
	pass "$1: another password: both MASTER, each drops the other's adverts (vigild: drops_auth $_n)"
	stop_ka
	stop_dir
	: >"$(node_log dir1)"
	: >"$(node_log ka)"
}
