#!/bin/sh
# A DR sorry server on a real server's address: DR takes the virtual
# server's port, so both are one entry of the table (keepalived's
# s_svr_duplicates_rs). The real server fails: quorum lost, the sorry
# server takes that entry at weight 1. The real server comes back: the
# sorry server leaves and the entry stays, the real server's again; it is
# never removed from under a live real server. (No IPVS needed: the
# desired table's changes are logged.)
. "$(dirname "$0")/lib.sh"
command -v socat >/dev/null || { echo "SKIP: no socat"; exit 77; }

ip -n "$NS" addr add 10.76.0.1/24 dev veth0
ip -n "$NS" addr add 10.76.0.2/24 dev veth1
rs_listen 10.76.0.2 8080
cat >"$T/vigil.conf" <<EOF
virtual_server 10.76.0.100 80 {
    delay_loop 1
    lb_kind DR
    protocol TCP
    sorry_server 10.76.0.2 80
    real_server 10.76.0.2 8080 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}
EOF
start_vigild "$T/vigil.conf"
E="desired: [10.76.0.100]:tcp:80:"
# the changes to the one entry, in order
entry() { grep -F -- "$E" "$LOG" | grep -F "[10.76.0.2]:80" | sed 's/.*\]:tcp:80: //'; }
wait_for 100 sh -c "grep -qF '$E add [10.76.0.2]:80 weight 1' '$LOG'" ||
    fail "the real server never entered the table: $(entry)"
pass "the real server (8080 written, DR) is the entry [10.76.0.2]:80"

kill "$(cat "$T/8080.listener")"
wait_for 100 log_has "sorry server in" || fail "the sorry server did not come in: $(entry)"
wait_for 50 sh -c "grep -F -- '$E' '$LOG' | grep -F '[10.76.0.2]:80' | tail -1 | grep -q 'weight 1 (sorry)\\|add \\[10.76.0.2\\]:80 weight 1'" ||
    fail "the sorry server does not hold the entry at weight 1: $(entry)"
pass "the real server down: the sorry server holds the entry"

rs_listen 10.76.0.2 8080
wait_for 100 log_has "sorry server out" || fail "the sorry server did not leave: $(entry)"
sleep 1
last=$(entry | tail -1)
case $last in
remove*) fail "the entry was removed from under the live real server: $(entry)" ;;
esac
entry | tail -1 | grep -q "weight 1" || fail "the entry is not at weight 1 after the return: $(entry)"
pass "the real server back: the sorry server leaves, the entry stays the real server's ($last)"

stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
done_testing
