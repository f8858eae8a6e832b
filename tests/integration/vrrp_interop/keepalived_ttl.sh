#!/bin/sh
# vigild against Debian's keepalived over unicast with unicast_ttl and
# unicast_peer min_ttl / max_ttl: vigild takes the adverts of a keepalived
# that sends TTL 64 (as keepalived does: no TTL check on unicast), its
# own unicast_ttl is what keepalived's TTL range checks, and its own
# min_ttl drops adverts below it (counted: drops_ttl).
. "$(dirname "$0")/../topo.sh"
. "$SCENARIO_DIR/interop.sh"
. "$SCENARIO_DIR/ka_lib.sh"

ka_topo
VER=2
ADV=1
peer() { # ADDR [OPTIONS]
	printf '    unicast_peer {\n        %s\n    }\n' "$*"
}

# keepalived (100) sends TTL 64; vigild (50) without keywords takes them
KA_EXTRA="    unicast_ttl 64
$(peer 10.10.0.1)"
DIR_EXTRA=$(peer 10.10.0.3)
start_ka 100
start_dir 50
wait_for 150 is_state ka MASTER || fail "keepalived did not become MASTER"
wait_for 100 is_state dir1 BACKUP || fail "vigild (50) did not start as BACKUP"
stays_settled ka dir1
[ "$(dir_counter drops_ttl)" = 0 ] || fail "vigild dropped keepalived's TTL 64 adverts: $(dir_counter drops_ttl)"
pass "unicast: vigild takes the adverts keepalived sends with unicast_ttl 64"
stop_dir

# vigild's min_ttl above keepalived's TTL: its adverts are dropped
DIR_EXTRA="$(peer 10.10.0.3 min_ttl 100 max_ttl 255)"
start_dir 50
wait_for 150 is_state dir1 MASTER ||
    fail "vigild (50) took keepalived's TTL 64 adverts despite min_ttl 100"
_n=$(dir_counter drops_ttl)
[ "${_n:-0}" -gt 0 ] || fail "vigild counts no TTL drops ('$_n')"
pass "unicast_peer min_ttl 100: keepalived's TTL 64 adverts dropped (drops_ttl $_n)"
stop_dir
stop_ka

# vigild (150) sends unicast_ttl 10: keepalived's range 5..20 takes them
KA_EXTRA="$(peer 10.10.0.1 min_ttl 5 max_ttl 20)"
DIR_EXTRA="    unicast_ttl 10
$(peer 10.10.0.3)"
start_ka 100
start_dir 150
wait_for 150 settled dir1 ka || fail "keepalived (range 5..20) does not take vigild's unicast_ttl 10 adverts"
stays_settled dir1 ka
node_log_has ka "not in range" && fail "keepalived drops vigild's adverts: $(grep 'not in range' "$(node_log ka)")"
pass "unicast_ttl 10: keepalived with min_ttl 5 max_ttl 20 takes vigild's adverts"
stop_dir
stop_ka

topo_teardown
[ -z "$(topo_leftovers)" ] || fail "namespaces left: $(topo_leftovers)"
done_testing
