#!/usr/bin/env python3
# sd_notify_sink.py SOCKET LOG: stand in for systemd's notification socket.
# Binds a unix datagram socket at SOCKET and appends each datagram to LOG
# as one line, its fields joined by '|' ("READY=1|MAINPID=42|STATUS=...").
# Runs until killed, at most 120 s.
import os
import socket
import sys
import time

path, log = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o666)
s.settimeout(0.5)
end = time.monotonic() + 120
with open(log, "a", buffering=1) as out:
    while time.monotonic() < end:
        try:
            data = s.recv(65536)
        except socket.timeout:
            continue
        out.write("|".join(data.decode(errors="replace").strip().split("\n")) + "\n")
