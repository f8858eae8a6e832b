# Helpers of the interop scenarios (sourced after ../topo.sh): one VRRP
# instance (VI_1, VRID 51, VIP 10.10.0.100) written the same way for vigild
# and keepalived, vigild on node dir1, states read from the logs.
VIP=10.10.0.100

has_vip() { node_exec "$1" ip -o -4 addr show dev eth0 | grep -q " $VIP/"; }
no_vip() { ! has_vip "$1"; }
# both vigild and keepalived log "(VI_1) Entering MASTER STATE"
last_state() {
	grep -o 'Entering [A-Z]* STATE' "$(node_log "$1")" 2>/dev/null | tail -1 |
	    awk '{print $2}'
}
is_state() { [ "$(last_state "$1")" = "$2" ]; }
settled() { # MASTER-NODE BACKUP-NODE
	is_state "$1" MASTER && is_state "$2" BACKUP && has_vip "$1" && no_vip "$2"
}
# settled, and still so while both send a few adverts: no dual master
stays_settled() {
	_end=$(($(date +%s) + 3))
	while [ "$(date +%s)" -lt $_end ]; do
		settled "$1" "$2" || fail "v$VER: $1 MASTER / $2 BACKUP did not hold ($1: $(last_state "$1"), $2: $(last_state "$2"))"
		sleep 0.1
	done
}

# conf FILE PRIORITY: one instance as both implementations read it
conf() {
	cat >"$1" <<EOF
global_defs {
    router_id $(basename "$(dirname "$1")")
    vrrp_version $VER
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority $2
    advert_int $ADV
    virtual_ipaddress {
        $VIP/24 dev eth0
    }
}
EOF
}

start_dir() { # PRIORITY
	conf "$T/dir1/vigil.conf" "$1"
	start_vigild_on dir1 "$T/dir1/vigil.conf"
}

stop_dir() {
	stop_vigild_on dir1
	[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
	no_vip dir1 || fail "vigild left the VIP behind"
}
# mark TEXT: a line in each node's log, between rounds
mark() {
	for _n in dir1 ka frr; do
		[ -d "$T/$_n" ] && echo "=== v$VER: $*" >>"$(node_log "$_n")"
	done
	return 0
}

