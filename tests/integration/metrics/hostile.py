#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Hostile HTTP clients against vigild's metrics listener (metrics.sh).

hostile.py HOST PORT bigheader
    one request with 64 KiB of headers; prints the status line, or
    "closed" when the server hung up without one.
hostile.py HOST PORT slowloris N SECONDS READY
    N connections that send a request's headers one short line every
    half second and never finish; touches READY once all are open.
hostile.py HOST PORT flood N SECONDS READY
    N connections that connect and say nothing; touches READY once the
    connects were made.
Both hold for at most SECONDS, then close everything and print
"open=K closed_by_server=C": how many were still open, how many the
server closed. Every loop is bounded in count and time.
"""
import os
import selectors
import socket
import sys
import time


def touch(path):
    with open(path, "w", encoding="ascii") as f:
        f.write("ready\n")


def bigheader(host, port):
    s = socket.create_connection((host, port), timeout=10)
    req = b"GET /metrics HTTP/1.1\r\nHost: x\r\n"
    req += b"".join(b"X-Filler-%d: %s\r\n" % (i, b"a" * 1000) for i in range(64))
    req += b"\r\n"
    try:
        s.sendall(req)
    except OSError:
        pass
    try:
        line = s.makefile("rb").readline().decode("latin-1").strip()
    except OSError:
        line = ""
    print(line or "closed")
    s.close()


def hold(host, port, n, seconds, ready, trickle):
    sel = selectors.DefaultSelector()
    socks = []
    deadline = time.monotonic() + seconds
    for _ in range(n):
        if time.monotonic() > deadline:
            break
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.connect((host, port))
        except BlockingIOError:
            pass
        except OSError:
            s.close()
            continue
        socks.append(s)
        sel.register(s, selectors.EVENT_READ)
    if trickle:
        for s in socks:
            try:
                s.send(b"GET / HTTP/1.1\r\nHost: x\r\n")
            except OSError:
                pass
    touch(ready)
    closed = set()
    i = 0
    while time.monotonic() < deadline and len(closed) < len(socks):
        for key, _ in sel.select(timeout=0.5):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                closed.add(s)
                sel.unregister(s)
        if trickle:
            i += 1
            for s in socks:
                if s not in closed:
                    try:
                        s.send(b"X-Slow-%d: y\r\n" % i)
                    except OSError:
                        pass
    print("open=%d closed_by_server=%d" % (len(socks) - len(closed), len(closed)))
    for s in socks:
        s.close()


def main():
    host, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if mode == "bigheader":
        bigheader(host, port)
    elif mode in ("slowloris", "flood"):
        n, seconds, ready = int(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
        hold(host, port, n, seconds, ready, mode == "slowloris")
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
