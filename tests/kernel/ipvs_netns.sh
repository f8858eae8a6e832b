#!/bin/sh
# net_namespace_ipvs NAME (inside User-Mode Linux: IPVS): vigild runs in
# d1 and programs the IPVS table of network namespace NAME (made with ip
# netns add), as keepalived does: the virtual server is in NAME's table,
# not in d1's, and leaves it at the stop.
. "$(dirname "$0")/klib.sh"
command -v ipvsadm >/dev/null || { echo "SKIP: no ipvsadm"; exit 77; }
bare d1 ipvs
mkdir -p "$T/d1"
cat >"$T/d1/vigil.conf" <<CONF
net_namespace_ipvs $(ns ipvs)
virtual_server 10.9.1.1 80 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 10.9.0.11 80 {
        weight 3
    }
}
CONF
start_on d1
in_ipvs() { in_ns ipvs ipvsadm -Sn | grep -q -- "-a -t 10.9.1.1:80 -r 10.9.0.11:80 -m -w 3"; }
wait_for 60 in_ipvs || fail "not in $(ns ipvs)'s table: $(in_ns ipvs ipvsadm -Sn); d1's: $(in_ns d1 ipvsadm -Sn)"
[ -z "$(in_ns d1 ipvsadm -Sn)" ] || fail "d1's own table holds: $(in_ns d1 ipvsadm -Sn)"
grep -q "net_namespace_ipvs: IPVS is programmed in network namespace $(ns ipvs)" "$T/vigild-d1.out" ||
    fail "not logged"
grep -q "not supported yet" "$T/vigild-d1.out" && fail "a warning: $(grep 'not supported yet' "$T/vigild-d1.out")"
pass "net_namespace_ipvs: the virtual server and its real server in $(ns ipvs)'s IPVS table, d1's empty"
stop_bg vigild-d1
[ -z "$(in_ns ipvs ipvsadm -Sn)" ] || fail "left after the stop: $(in_ns ipvs ipvsadm -Sn)"
pass "stopped: $(ns ipvs)'s table emptied"
echo "1..$n"
