#!/usr/bin/env python3
# vrrp_send.py SRC VRID AUTHTYPE ADDR...: send three VRRPv2 adverts (priority
# 100, advert_int 1) for VRID from SRC to 224.0.0.18 with the given
# authentication type: the snmp scenario's bad adverts (an auth type the
# instance does not use; a VRRPv2 advert for a VRRPv3 instance).
import socket
import struct
import sys


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


src, vrid, auth = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
addrs = [socket.inet_aton(a) for a in sys.argv[4:]]
pkt = struct.pack("!BBBBBBH", 0x21, vrid, 100, len(addrs), auth, 1, 0)
pkt += b"".join(addrs) + b"\0" * 8
pkt = pkt[:6] + struct.pack("!H", checksum(pkt)) + pkt[8:]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(src))
for _ in range(3):
    s.sendto(pkt, ("224.0.0.18", 0))
