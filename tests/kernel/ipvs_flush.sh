#!/bin/sh
# lvs_flush_on_stop (inside User-Mode Linux: IPVS): a service made by hand
# before the start is left alone while vigild runs and goes with the whole
# table at the stop, as keepalived, on the same configuration beside it in
# a namespace of its own, leaves its table; -I (--dont-release-ipvs) keeps
# the table at the stop all the same, the flush included.
. "$(dirname "$0")/klib.sh"
command -v ipvsadm >/dev/null || { echo "SKIP: no ipvsadm"; exit 77; }
bare d1 d2
mkdir -p "$T/d1"
cat >"$T/d1/vigil.conf" <<CONF
global_defs {
    lvs_flush_on_stop
}
virtual_server 10.9.1.1 80 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 10.9.0.11 80 {
        weight 3
    }
}
CONF
# the hand-made service, and vigild's as ipvsadm -Sn writes it
handmade() { in_ns "$1" ipvsadm -A -t 10.9.3.3:22 -s wlc && in_ns "$1" ipvsadm -a -t 10.9.3.3:22 -r 10.9.0.12:22 -m -w 4; }
has_hand() { in_ns "$1" ipvsadm -Sn | grep -q -- '-a -t 10.9.3.3:22 -r 10.9.0.12:22 -m -w 4'; }
has_vs() { in_ns "$1" ipvsadm -Sn | grep -q -- '-a -t 10.9.1.1:80 -r 10.9.0.11:80 -m -w 3'; }
empty() { [ -z "$(in_ns "$1" ipvsadm -Sn)" ]; }

handmade d1 || fail "ipvsadm could not make the hand-made service in d1"
start_on d1
wait_for 60 has_vs d1 || fail "vigild's service not in the table: $(in_ns d1 ipvsadm -Sn)"
has_hand d1 || fail "the hand-made service went while vigild runs: $(in_ns d1 ipvsadm -Sn)"
pass "lvs_flush_on_stop: while vigild runs, its service and the hand-made one are in the table"
stop_bg vigild-d1
empty d1 || fail "the table after the stop with lvs_flush_on_stop: $(in_ns d1 ipvsadm -Sn)"
grep -q "emptying the kernel table (lvs_flush_on_stop)" "$T/vigild-d1.out" ||
    fail "the flush was not logged: $(grep IPVS "$T/vigild-d1.out" | tail -3)"
if command -v keepalived >/dev/null; then
	handmade d2 || fail "ipvsadm could not make the hand-made service in d2"
	bg keepalived d2 keepalived -n -l -D -C -f "$T/d1/vigil.conf" \
	    -p "$T/k.pid" -c "$T/kc.pid" -r "$T/kr.pid"
	wait_for 60 has_vs d2 || fail "keepalived's service not in the table: $(in_ns d2 ipvsadm -Sn)"
	has_hand d2 || fail "keepalived removed the hand-made service while running"
	stop_bg keepalived
	empty d2 || fail "keepalived's table after its stop: $(in_ns d2 ipvsadm -Sn)"
	pass "stop: the whole table emptied (the hand-made service too), as keepalived on the same configuration"
else
	pass "stop: the whole table emptied (the hand-made service too; keepalived is not installed to compare)"
fi

# -I keeps the table at the stop, lvs_flush_on_stop notwithstanding
handmade d1 || fail "ipvsadm could not make the hand-made service in d1 again"
mkdir -p "$T/d1"
bg vigild-d1 d1 "$VIGILD" -n -l -G -I -f "$T/d1/vigil.conf" \
    -p "$T/d1/v.pid" -c "$T/d1/c.pid" -r "$T/d1/r.pid" --child-watchdog 0
wait_for 60 has_vs d1 || fail "-I: vigild's service not in the table: $(in_ns d1 ipvsadm -Sn)"
stop_bg vigild-d1
has_vs d1 && has_hand d1 || fail "-I: the table after the stop: $(in_ns d1 ipvsadm -Sn)"
pass "-I: the stop leaves the table as it is, vigild's service and the hand-made one"
in_ns d1 ipvsadm -C
echo "1..$n"
