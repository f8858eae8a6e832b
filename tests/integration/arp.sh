#!/bin/sh
# vrrp/arp.c on the wire: a gratuitous ARP and an unsolicited neighbour
# advertisement sent from veth0 (by tests/integration/arp_send) arrive on
# veth1 with the fields keepalived's peers and switches rely on; a send
# that cannot go out is counted as dropped.
. "$(dirname "$0")/lib.sh"

SEND="$top_builddir/tests/integration/arp_send"
[ -x "$SEND" ] || fail "$SEND not built (make check builds it)"
command -v tcpdump >/dev/null || fail "tcpdump not installed"

in_ns ip addr add 10.77.0.5/24 dev veth0
in_ns ip addr add fd00:77::5/64 dev veth0 nodad
MAC=$(in_ns cat /sys/class/net/veth0/address)
VMAC=00:00:5e:00:02:2a		# an IPv6 VRRP virtual MAC, not veth0's

# capture: our two packets only (bounded by count and time)
ip netns exec "$NS" timeout 20 tcpdump -i veth1 -U -n -c 2 -w "$T/cap.pcap" \
    'arp or (icmp6 and ip6[40] == 136 and src host fd00:77::5)' \
    2>"$T/tcpdump.log" &
TD=$!
wait_for 100 grep -q "listening on" "$T/tcpdump.log" ||
    fail "tcpdump did not start: $(cat "$T/tcpdump.log")"

in_ns "$SEND" veth0 "$MAC" 10.77.0.5 >"$T/out4" 2>&1 ||
    fail "GARP not sent: $(cat "$T/out4")"
grep -q "sent 1 dropped 0" "$T/out4" || fail "GARP: $(cat "$T/out4")"
in_ns "$SEND" veth0 "$VMAC" fd00:77::5 >"$T/out6" 2>&1 ||
    fail "NA not sent: $(cat "$T/out6")"
grep -q "sent 1 dropped 0" "$T/out6" || fail "NA: $(cat "$T/out6")"
wait_for 150 dead "$TD" || fail "tcpdump saw fewer than 2 packets"
wait "$TD" 2>/dev/null
tcpdump -r "$T/cap.pcap" -n -e -vv 2>/dev/null >"$T/decoded"
tcpdump -r "$T/cap.pcap" -n -xx 2>/dev/null >"$T/hex"
cat "$T/decoded"

has() { grep -q -- "$1" "$T/decoded" || fail "no '$1' in the capture"; }

# GARP: broadcast from veth0's MAC, an ARP request for the VIP by the VIP,
# target hardware address broadcast (as keepalived sends it)
has "$MAC > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806)"
has "Request who-has 10.77.0.5 (ff:ff:ff:ff:ff:ff) tell 10.77.0.5"
# the sender hardware address in the ARP payload is the MAC too
mac_hex=$(echo "$MAC" | tr -d :)
sed -n 's/^[[:space:]]*0x[0-9a-f]*:[[:space:]]*//p' "$T/hex" | tr -d ' \n' >"$T/bytes"
grep -q "08060001080006040001${mac_hex}0a4d0005ffffffffffff0a4d0005" "$T/bytes" ||
    fail "ARP payload not request/sha=$MAC/spa=tpa=10.77.0.5/tha=broadcast"
pass "gratuitous ARP from the given MAC, sender = target = the VIP"

# NA: to all nodes from the VMAC, hop limit 255, override only, target
# link-layer address option = the VMAC, checksum right
has "$VMAC > 33:33:00:00:00:01, ethertype IPv6 (0x86dd)"
has "hlim 255"
has "fd00:77::5 > ff02::1: \[icmp6 sum ok\] ICMP6, neighbor advertisement"
has "tgt is fd00:77::5, Flags \[override\]"
has "destination link-address option (2), length 8 (1): $VMAC"
pass "unsolicited NA to ff02::1, override flag, hop limit 255, target MAC option"

# an interface that is down: the send fails and is counted
in_ns ip link add vd0 type veth peer name vd1
in_ns "$SEND" vd0 "$MAC" 10.77.0.6 fd00:77::6 >"$T/outd" 2>&1 &&
    fail "sent on a down interface: $(cat "$T/outd")"
grep -q "sent 0 dropped 2" "$T/outd" || fail "drops not counted: $(cat "$T/outd")"
pass "packets that cannot go out are counted as dropped"

done_testing
