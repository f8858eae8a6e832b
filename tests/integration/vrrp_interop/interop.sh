# Helpers of the interop scenarios (sourced after ../topo.sh): one VRRP
# instance (VI_1, VRID 51) written the same way for vigild and keepalived,
# vigild on node dir1, states read from the logs. IPv4 (VIP 10.10.0.100)
# unless interop_family 6 says IPv6 (VIP fd00::100, VRRPv3 only).
FAM=4
VIP=10.10.0.100
PLEN=24
AUTH=

# interop_family 4|6: the family of the VIP and of the client's checks.
# IPv6 nodes need their link-local address at once (made without DAD):
# call it before topo_node.
interop_family() {
	FAM=$1
	case $FAM in
	4) VIP=10.10.0.100 PLEN=24 ;;
	6) VIP=fd00::100 PLEN=64 TOPO_NODAD=1 ;;
	*) fail "interop_family: 4 or 6, not '$1'" ;;
	esac
}

has_vip() { node_exec "$1" ip -o -"$FAM" addr show dev eth0 | grep -q " $VIP/"; }
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
# now_ms: a clock in milliseconds; hold_end: when a hold that outlasts a
# backup's master down interval by half a second ends (3 x $ADV + skew:
# v2 skew < 1 s, v3 skew < $ADV), so that a backup deaf to the master's
# adverts is seen to take over
now_ms() { echo $(($(date +%s%N) / 1000000)); }
hold_end() {
	echo $(($(now_ms) + $(awk -v a="$ADV" -v v="$VER" \
	    'BEGIN { print int((v == 2 ? 3 * a + 1.5 : 4 * a + 0.5) * 1000) }')))
}
# settled, and still so for longer than the backup's master down
# interval: no dual master
stays_settled() {
	_end=$(hold_end)
	while [ "$(now_ms)" -lt "$_end" ]; do
		settled "$1" "$2" || fail "v$VER: $1 MASTER / $2 BACKUP did not hold ($1: $(last_state "$1"), $2: $(last_state "$2"))"
		sleep 0.1
	done
}

# node_src NODE: the address NODE's adverts come from (IPv6: the
# link-local address of its eth0)
node_src() {
	if [ "$FAM" = 6 ]; then
		node_exec "$1" ip -6 -o addr show dev eth0 scope link |
		    awk '{sub("/.*", "", $4); print $4; exit}'
	else
		node_exec "$1" ip -4 -o addr show dev eth0 |
		    awk '{sub("/.*", "", $4); print $4; exit}'
	fi
}
# node_mac NODE [DEV]: the MAC address of NODE's eth0 (or DEV)
node_mac() { node_exec "$1" cat "/sys/class/net/${2:-eth0}/address"; }

# The client (a node named client) and the VIP: client_ping makes its
# neighbour entry for the VIP; then only gratuitous ARP / unsolicited NA
# from a new master change it (no traffic, nothing else asks again).
client_ping() {
	node_exec client ping -"$FAM" -n -q -c 1 -W 1 "$VIP" >/dev/null 2>&1
}
client_lladdr() {
	node_exec client ip -"$FAM" neigh show "$VIP" dev eth0 |
	    awk '{for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1)}'
}
client_sees() { [ "$(client_lladdr)" = "$1" ]; }
# client_follows NODE [DEV]: the client's entry for the VIP turns to
# NODE's MAC (of eth0, or of DEV) by itself
client_follows() {
	_mac=$(node_mac "$1" "${2:-eth0}")
	wait_for 100 client_sees "$_mac" ||
	    fail "v$VER: the client's $([ "$FAM" = 6 ] && echo neighbour || echo ARP) entry for $VIP is '$(client_lladdr)', not $1's $_mac"
}

# conf FILE PRIORITY [AUTH [EXTRA]]: one instance as both implementations
# read it; AUTH ("PASS secret", "AH secret"; default $AUTH) adds VRRPv2
# authentication; EXTRA (start_dir: $DIR_EXTRA, start_ka: $KA_EXTRA)
# lines of the instance
conf() {
	_auth=${3-$AUTH}
	{
		cat <<EOC
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
EOC
		[ -n "${4-}" ] && printf '%s\n' "$4"
		[ -n "$_auth" ] && cat <<EOC
    authentication {
        auth_type ${_auth% *}
        auth_pass ${_auth#* }
    }
EOC
		cat <<EOC
    virtual_ipaddress {
        $VIP/$PLEN dev eth0
    }
}
EOC
	} >"$1"
}

start_dir() { # PRIORITY [AUTH]
	conf "$T/dir1/vigil.conf" "$1" "${2-$AUTH}" "${DIR_EXTRA-}"
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
