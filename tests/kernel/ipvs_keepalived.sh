#!/bin/sh
# keepalived as the reference (inside User-Mode Linux, run by
# tests/kernel/kernel.sh). vigild in d1 and Debian's keepalived in d2 on the same
# configuration (kconf.sh), their sorted ipvsadm -Sn compared step by
# step: at start, with r2:80 stopped (a real server leaves, the quorum
# service's sorry server, inhibit_on_failure's weight 0), when it returns
# and after a reload that changes a weight. Then, on the same topology,
# ipvs_ka_checks.sh: the ordered transitions of each real server under
# several checker kinds, vigild's against keepalived's.
. "$(dirname "$0")/klib.sh"
command -v ipvsadm >/dev/null || { echo "SKIP: no ipvsadm"; exit 77; }
command -v socat >/dev/null || { echo "SKIP: no socat"; exit 77; }
command -v nginx >/dev/null || { echo "SKIP: no nginx"; exit 77; }
command -v keepalived >/dev/null || { echo "SKIP: no keepalived"; exit 77; }

topo
. "$(dirname "$0")/kconf.sh"
servers
conf 2 >"$T/vigil.conf"
bg vigild d1 "$VIGILD" -n -l -G -C -f "$T/vigil.conf" -p "$T/v.pid" \
    -c "$T/vc.pid" -r "$T/vr.pid" --child-watchdog 0
bg keepalived d2 keepalived -n -l -D -C -f "$T/vigil.conf" -p "$T/k.pid" \
    -c "$T/kc.pid" -r "$T/kr.pid"

same() {
	table d1 >"$T/vigil.table"
	table d2 >"$T/keepalived.table"
	[ -s "$T/vigil.table" ] && cmp -s "$T/vigil.table" "$T/keepalived.table"
}
# step WHAT CONDITION...: once CONDITION holds on d1, the tables agree
step() {
	_what=$1; shift
	wait_for 300 "$@" || fail "$_what: vigild's table: $(table d1)"
	wait_for 300 same || {
		diff -u "$T/keepalived.table" "$T/vigil.table"
		fail "$_what: the tables of keepalived (-) and vigild (+) differ"
	}
	pass "$_what: the same table as keepalived's ($(wc -l <"$T/vigil.table") lines of ipvsadm -Sn)"
}
want 2 >"$T/want"
want 5 >"$T/want5"
full() { table d1 | cmp -s - "${1:-$T/want}"; }
r2down() { table d1 | grep -q -- '-a -t 10.9.1.103:80 -r 10.9.0.12:80 -m -w 0'; }

step "start" full
note "stopping r2:80"
stop_bg web-r2
step "r2:80 stopped" r2down
web r2 r2 r2 80
step "r2:80 back" full
conf 5 >"$T/vigil.conf"
kill -HUP "$(cat "$T/v.pid")" "$(cat "$T/k.pid")"
step "reload (r2's weight on 10.9.1.100:80 2 -> 5)" full "$T/want5"
stop_bg vigild
stop_bg keepalived
# then the checkers' transitions per real server, on this topology
KA_SHARED_TOPO=1
. "$(dirname "$0")/ipvs_ka_checks.sh"
echo "1..$n"
