#!/bin/sh
# Regenerates tests/unit/vrrp_interop.h: adverts captured from Debian's
# keepalived (2.2.7) and FRR's vrrpd in a network namespace of our own,
# written out as C arrays for test_vrrp_packet. Needs root, keepalived,
# FRR (zebra, vrrpd), tcpdump, python3.
# Not run by make check; run by hand when the vectors need refreshing:
#   sh tests/unit/vrrp_interop_capture.sh > tests/unit/vrrp_interop.h
set -eu
T=$(mktemp -d)
NS=vpcap-$$
cleanup() {
	for f in "$T"/*.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	ip netns pids "$NS" 2>/dev/null | xargs -r kill -9 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" link add va type veth peer name vb
ip -n "$NS" addr add 10.9.0.1/24 dev va
ip -n "$NS" addr add fe80::1/64 dev va nodad
ip -n "$NS" link set va up
ip -n "$NS" link set vb up
# the unicast peer 10.9.0.2 "is" vb: adverts to it leave va
ip -n "$NS" neigh add 10.9.0.2 lladdr "$(ip netns exec "$NS" cat /sys/class/net/vb/address)" dev va

# One instance per kind of advert; passwords known to the test.
cat >"$T/keepalived.conf" <<CONF
global_defs {
	router_id capture
}
vrrp_instance v2none {
	state BACKUP
	interface va
	virtual_router_id 50
	priority 100
	advert_int 1
	version 2
	virtual_ipaddress {
		10.9.0.50
		10.9.0.150
	}
}
vrrp_instance v2pass {
	state BACKUP
	interface va
	virtual_router_id 51
	priority 150
	advert_int 2
	version 2
	authentication {
		auth_type PASS
		auth_pass secret1
	}
	virtual_ipaddress {
		10.9.0.51
	}
}
vrrp_instance v2ah {
	state BACKUP
	interface va
	virtual_router_id 52
	priority 200
	advert_int 1
	version 2
	authentication {
		auth_type AH
		auth_pass ahkey42
	}
	virtual_ipaddress {
		10.9.0.52
		10.9.0.152
	}
}
vrrp_instance v3ipv4 {
	state BACKUP
	interface va
	virtual_router_id 53
	priority 120
	advert_int 0.5
	version 3
	virtual_ipaddress {
		10.9.0.53
	}
}
vrrp_instance v3ipv6 {
	state BACKUP
	interface va
	virtual_router_id 54
	priority 130
	advert_int 1
	version 3
	virtual_ipaddress {
		fd00:9::54
		fd00:9::154
	}
}
vrrp_instance v2ahuc {
	state BACKUP
	interface va
	virtual_router_id 55
	priority 100
	advert_int 1
	version 2
	unicast_src_ip 10.9.0.1
	unicast_peer {
		10.9.0.2
	}
	authentication {
		auth_type AH
		auth_pass ahkey42
	}
	virtual_ipaddress {
		10.9.0.55
	}
}
vrrp_instance v3ucold {
	state BACKUP
	interface va
	virtual_router_id 56
	priority 100
	advert_int 1
	version 3
	unicast_src_ip 10.9.0.1
	unicast_peer {
		10.9.0.2
	}
	old_unicast_checksum
	virtual_ipaddress {
		10.9.0.56
	}
}
vrrp_instance v3uc {
	state BACKUP
	interface va
	virtual_router_id 57
	priority 100
	advert_int 1
	version 3
	unicast_src_ip 10.9.0.1
	unicast_peer {
		10.9.0.2
	}
	virtual_ipaddress {
		10.9.0.57
	}
}
CONF

ip netns exec "$NS" timeout 20 tcpdump -i va -U -w "$T/cap.pcap" -c 60 \
    'ip proto 112 or ip proto 51 or ip6 proto 112' 2>"$T/tcpdump.log" &
TPID=$!
sleep 1
ip netns exec "$NS" keepalived -n -l -D -P -f "$T/keepalived.conf" \
    -p "$T/keepalived.pid" -r "$T/vrrp.pid" >"$T/keepalived.log" 2>&1 &
KPID=$!
wait "$TPID" || true
kill "$KPID" 2>/dev/null || true
wait "$KPID" 2>/dev/null || true

# FRR: vrrpd (with zebra) wants a macvlan with the virtual MAC per router
for m in 4-2-7:01:07 6-2-7:02:07 4-2-8:01:08; do
	ip -n "$NS" link add "vrrp${m%%:*}" link va type macvlan mode bridge
	ip -n "$NS" link set "vrrp${m%%:*}" address "00:00:5e:00:${m#*:}"
	ip -n "$NS" link set "vrrp${m%%:*}" up
done
chmod 755 "$T"
mkdir "$T/frr"
chown frr:frr "$T/frr"
touch "$T/frr/zebra.conf"
cat >"$T/frr/vrrpd.conf" <<CONF
interface va
 vrrp 7 version 3
 vrrp 7 priority 200
 vrrp 7 advertisement-interval 1000
 vrrp 7 ip 10.9.0.7
 vrrp 7 ipv6 fd00:9::7
 vrrp 8 version 2
 vrrp 8 priority 150
 vrrp 8 ip 10.9.0.8
 vrrp 8 ip 10.9.0.108
!
CONF
ip netns exec "$NS" timeout 20 tcpdump -i va -U -w "$T/frr.pcap" -c 12 \
    'ip proto 112 or ip6 proto 112' 2>"$T/tcpdump-frr.log" &
TPID=$!
sleep 1
FRRD="-u frr -g frr -z $T/frr/zserv.api --vty_socket $T/frr -P 0"
# shellcheck disable=SC2086
ip netns exec "$NS" /usr/lib/frr/zebra $FRRD -i "$T/frr/zebra.pid" \
    -f "$T/frr/zebra.conf" --log file:"$T/frr/zebra.log" >/dev/null 2>&1 &
sleep 2
# shellcheck disable=SC2086
ip netns exec "$NS" /usr/lib/frr/vrrpd $FRRD -i "$T/frr/vrrpd.pid" \
    -f "$T/frr/vrrpd.conf" --log file:"$T/frr/vrrpd.log" >/dev/null 2>&1 &
wait "$TPID" || true
for f in "$T"/frr/*.pid; do
	[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
done

python3 - "$T/cap.pcap" "$T/frr.pcap" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read() + open(sys.argv[2], 'rb').read()[24:]
magic = struct.unpack('<I', data[:4])[0]
assert magic == 0xa1b2c3d4, hex(magic)
off = 24
seen = {}
while off + 16 <= len(data):
    ts, tu, incl, orig = struct.unpack('<IIII', data[off:off + 16])
    frame = data[off + 16:off + 16 + incl]
    off += 16 + incl
    etype = struct.unpack('>H', frame[12:14])[0]
    pkt = frame[14:]
    if etype == 0x0800:
        tot = struct.unpack('>H', pkt[2:4])[0]
        pkt = pkt[:tot]
        ihl = (pkt[0] & 15) * 4
        v = pkt[ihl + (24 if pkt[9] == 51 else 0):]
        key = ('4', v[0] >> 4, v[1])
        if key not in seen:
            seen[key] = (pkt, None)
    elif etype == 0x86dd and pkt[6] == 112:
        plen = struct.unpack('>H', pkt[4:6])[0]
        key = ('6', pkt[40] >> 4, pkt[41])
        if key not in seen:
            seen[key] = (pkt[40:40 + plen], (pkt[8:24], pkt[24:40], pkt[7]))

def arr(name, b):
    print('static const unsigned char %s[] = {' % name)
    for i in range(0, len(b), 12):
        print('\t' + ' '.join('0x%02x,' % c for c in b[i:i + 12]))
    print('};')

print('/* SPDX-License-Identifier: GPL-2.0-or-later */')
print('/*')
print(' * Adverts from real peers: Debian bookworm\'s keepalived 2.2.7 (ka_*) and')
print(' * FRR vrrpd (frr_*), run in a network namespace by')
print(' * tests/unit/vrrp_interop_capture.sh (which writes this file) and')
print(' * captured with tcpdump -w on their interface. IPv4: the')
print(' * whole IP datagram; IPv6: the VRRP payload, with the IPv6 source,')
print(' * destination and hop limit from the captured header.')
print(' * v2ah was sent with auth_type AH, auth_pass "ahkey42"; v2pass with')
print(' * auth_type PASS, auth_pass "secret1". v2ahuc (AH), v3ucold')
print(' * (old_unicast_checksum) and v3uc are unicast, 10.9.0.1 -> 10.9.0.2.')
print(' * frr_*: VRID 7 (v3, IPv4 and IPv6) and VRID 8 (v2).')
print(' */')
print('#ifndef VIGIL_TEST_VRRP_INTEROP_H')
print('#define VIGIL_TEST_VRRP_INTEROP_H')
names = {('4', 2, 50): 'ka_v2none', ('4', 2, 51): 'ka_v2pass', ('4', 2, 52): 'ka_v2ah',
         ('4', 3, 53): 'ka_v3ipv4', ('6', 3, 54): 'ka_v3ipv6',
         ('4', 2, 55): 'ka_v2ahuc', ('4', 3, 56): 'ka_v3ucold',
         ('4', 3, 57): 'ka_v3uc',
         ('4', 3, 7): 'frr_v3ipv4', ('6', 3, 7): 'frr_v3ipv6',
         ('4', 2, 8): 'frr_v2'}
for key, name in names.items():
    if key not in seen:
        sys.exit('no advert captured for %s' % name)
    pkt, v6 = seen[key]
    print()
    arr(name, pkt)
    if v6:
        arr(name + '_src', v6[0])
        arr(name + '_dst', v6[1])
        print('static const int %s_hlim = %d;' % (name, v6[2]))
print()
print('#endif')
PY
