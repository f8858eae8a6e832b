#!/usr/bin/env python3
# Send one VRRPv2 advertisement (RFC 3768) to 224.0.0.18 with TTL 255:
#   advert.py SRC VRID PRIORITY ADDR...
# from the local address SRC.
# The test plays a second, lower priority master with it.
import socket
import struct
import sys


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def main():
    src = socket.inet_aton(sys.argv[1])
    vrid, prio = int(sys.argv[2]), int(sys.argv[3])
    addrs = [socket.inet_aton(a) for a in sys.argv[4:]]
    head = struct.pack("!BBBBBBH", 0x21, vrid, prio, len(addrs), 0, 1, 0)
    pkt = head + b"".join(addrs) + b"\0" * 8
    pkt = pkt[:6] + struct.pack("!H", checksum(pkt)) + pkt[8:]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, src)
    s.sendto(pkt, ("224.0.0.18", 0))


main()
