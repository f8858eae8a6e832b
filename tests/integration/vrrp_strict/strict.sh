# The vrrp_strict scenario's part its scripts share (vrrp_strict.sh with
# nftables, vrrp_iptables.sh with iptables): the instances both directors
# run, and the questions asked of a node.

# strict_instances PRIORITY [VI_A's accept mode]: a strict IPv4 instance
# (VI_S), one in accept mode (VI_A, unless told otherwise), one with a
# VMAC (VI_V) and a strict IPv6 one with a link-local VIP (VI_6)
strict_instances() {
	cat <<EOF
vrrp_instance VI_S {
    state BACKUP
    interface eth0
    virtual_router_id 61
    priority $1
    advert_int 1
    virtual_ipaddress {
        10.20.0.100/24 dev eth0
    }
}
vrrp_instance VI_A {
    state BACKUP
    interface eth0
    version 3
    ${2:-accept}
    virtual_router_id 62
    priority $1
    advert_int 1
    virtual_ipaddress {
        10.20.0.101/24 dev eth0
    }
}
vrrp_instance VI_V {
    state BACKUP
    interface eth0
    use_vmac
    virtual_router_id 64
    priority $1
    advert_int 1
    virtual_ipaddress {
        10.20.0.130/24
    }
}
vrrp_instance VI_6 {
    state BACKUP
    interface eth0
    version 3
    virtual_router_id 63
    priority $1
    advert_int 1
    # strict mode wants the link-local VIP first (keepalived 2.2.7)
    virtual_ipaddress {
        fe80::6:100/64 dev eth0
        fd00:20::100/64 dev eth0
    }
}
EOF
}

ping_ok() { node_exec client ping "$@" -n -q -c 1 -W 1 >/dev/null 2>&1; }
# stop_ok NODE: vigild stops with status 0
stop_ok() {
	stop_vigild_on "$1"
	[ "$VSTATUS" -eq 0 ] || fail "$1: vigild exited with status $VSTATUS"
}

# IGMP from a virtual MAC (vrrp.64: 00:00:5e:00:01:40), watched on the
# client from the start; strict_no_igmp: none came once dir2 joined the
# VRRP group on its VMAC (a report would have come by then)
strict_igmp_watch() {
	ip netns exec "$(node_ns client)" tcpdump -l -n -e -i eth0 \
	    'igmp and ether src 00:00:5e:00:01:40' >"$T/client/igmp.txt" 2>"$T/client/tcpdump.err" &
	wait_for 50 grep -q "listening on" "$T/client/tcpdump.err" || fail "tcpdump did not start"
}
strict_no_igmp() {
	node_log_has dir2 "VRRP socket on vrrp.64 (IPv4) joined 224.0.0.18" || fail "dir2 never joined the VRRP group on its VMAC"
	[ -s "$T/client/igmp.txt" ] && fail "IGMP left a VMAC with the virtual MAC: $(cat "$T/client/igmp.txt")"
	return 0
}

# dir1 MASTER: the client reaches dir1 and the accept VIP, not the strict
# VIPs (IPv4, IPv6, link-local)
strict_drops() {
	wait_for 50 ping_ok 10.20.0.1 || fail "the client does not reach dir1's own address"
	wait_for 50 ping_ok 10.20.0.101 || fail "the client does not reach the accept-mode VIP"
	ping_ok 10.20.0.100 && fail "the client's ping to the strict VIP was answered"
	ping_ok -6 fd00:20::100 && fail "the client's ping to the strict IPv6 VIP was answered"
	ping_ok -6 fe80::6:100%eth0 && fail "the client's ping to the strict link-local VIP was answered"
	return 0
}
