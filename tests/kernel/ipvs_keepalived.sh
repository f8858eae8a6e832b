#!/bin/sh
# keepalived as the reference (inside User-Mode Linux, run by
# tests/kernel/kernel.sh). vigild in d1 and Debian's keepalived in d2 on the same
# configuration (kconf.sh), their sorted ipvsadm -Sn compared step by
# step: at start, with r2:80 stopped (a real server leaves, the quorum
# service's sorry server, inhibit_on_failure's weight 0), when it returns
# and after a reload that changes a weight. Then a reload to the second
# configuration (kconf.sh's conf2: UDP with ops, SCTP, IPv6 services and
# real servers, the sip persistence engine, mh and sh flags, TUN ipip /
# gue / gre with their checksum options, lvs_timeouts), a reload that
# edits each of its services in place and sets one timeout alone, r2:80
# stopped, a reload without lvs_timeouts: the tables and ipvsadm -L
# --timeout compared at each step. What the guest's IPVS cannot hold is
# left out of it and printed as a skipped check with its reason. Then,
# on the same topology,
# ipvs_ka_checks.sh: the ordered transitions of each real server under
# several checker kinds, vigild's against keepalived's.
. "$(dirname "$0")/klib.sh"
command -v ipvsadm >/dev/null || { echo "SKIP: no ipvsadm"; exit 77; }
[ -x "$top_builddir/tests/kernel/conn_tool" ] || { echo "SKIP: no tests/kernel/conn_tool"; exit 77; }
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

# the sorted table and the timeouts (ipvsadm -L --timeout) of a director
ktable() { table "$1"; in_ns "$1" ipvsadm -L --timeout; }
same() {
	ktable d1 >"$T/vigil.table"
	ktable d2 >"$T/keepalived.table"
	[ -s "$T/vigil.table" ] && cmp -s "$T/vigil.table" "$T/keepalived.table"
}
# step WHAT CONDITION...: once CONDITION holds on d1, the tables agree
step() {
	_what=$1; shift
	wait_for ${KSTEP_WAIT:-300} "$@" || {
		ktable d1 >"$T/vigil.table"
		ktable d2 >"$T/keepalived.table"
		[ -n "${WANT_FILE:-}" ] && { echo "--- wanted (-), vigild's (+):"; diff -u "$WANT_FILE" "$T/vigil.table"; }
		echo "--- keepalived's (-), vigild's (+):"
		diff -u "$T/keepalived.table" "$T/vigil.table"
		fail "$_what: vigild's table is not the one wanted"
	}
	wait_for ${KSTEP_WAIT:-300} same || {
		diff -u "$T/keepalived.table" "$T/vigil.table"
		fail "$_what: the tables of keepalived (-) and vigild (+) differ"
	}
	pass "$_what: the same table as keepalived's ($(wc -l <"$T/vigil.table") lines of ipvsadm -Sn and -L --timeout)"
}
want 2 >"$T/want"
want 5 >"$T/want5"
full() { table d1 | cmp -s - "${1:-$T/want}"; }
r2down() { table d1 | grep -q -- '-a -t 10.9.1.103:80 -r 10.9.0.12:80 -m -w 0'; }

step "start" full
note "stopping r2:80"
stop_bg web-r2
step "r2:80 stopped" r2down
web_r2
step "r2:80 back" full
conf 5 >"$T/vigil.conf"
kill -HUP "$(cat "$T/v.pid")" "$(cat "$T/k.pid")"
step "reload (r2's weight on 10.9.1.100:80 2 -> 5)" full "$T/want5"

# the second configuration, by a reload; each part the guest's IPVS
# lacks is a skipped check with its reason
note "the second configuration"
kconf2_probe
while read -r _l; do skip "$_l"; done <"$T/kskip"
kconf2_topo
# full2 VARIANT [down]: d1's table and timeouts are conf2 VARIANT's
full2() {
	{ want2 "$@"; want2_timeouts "$1"; } >"$T/want2"
	ktable d1 | cmp -s - "$T/want2"
}
reload2() {
	conf2 "$1" >"$T/vigil.conf"
	kill -HUP "$(cat "$T/v.pid")" "$(cat "$T/k.pid")"
}
WANT_FILE=$T/want2
reload2 a
step "reload to the second configuration ($(grep -c '^virtual_server' "$T/vigil.conf") services)" full2 a
reload2 b
step "reload editing each service in place, lvs_timeouts tcp alone" full2 b
note "stopping r2:80"
stop_bg web-r2
step "r2:80 stopped (IPv4 and IPv6, DR, gre)" full2 b down
reload2 c
step "reload without lvs_timeouts" full2 c down
stop_bg vigild
stop_bg keepalived
# then the checkers' transitions per real server, on this topology
KA_SHARED_TOPO=1
. "$(dirname "$0")/ipvs_ka_checks.sh"
echo "1..$n"
