#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Hostile (and one odd but valid) HTTP servers for checks_http.sh.

http_hostile.py ADDR LIFETIME [CERT KEY LOG]: one listener per
behaviour, on fixed ports of ADDR, each connection in a thread; exits
after LIFETIME seconds. With CERT and KEY, 9008 is a TLS server that
answers, then appends to LOG whether the client ended with a
close_notify ("close_notify" or "no close_notify").
  9001 endless headers      9002 endless body (huge Content-Length)
  9003 garbage bytes        9004 TLS that stalls in the handshake
  9005 slow-loris headers   9006 a valid chunked reply ("hello world")
  9007 TLS closed in the handshake
"""
import os
import socket
import ssl
import sys
import threading
import time

ADDR = sys.argv[1]
LIFETIME = float(sys.argv[2])
TLS = sys.argv[3:6] if len(sys.argv) >= 6 else None
END = time.monotonic() + LIFETIME


def alive():
    return time.monotonic() < END


def read_request(c):
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536 and alive():
        chunk = c.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def endless_headers(c):
    read_request(c)
    c.sendall(b"HTTP/1.1 200 OK\r\n")
    while alive():
        c.sendall(b"X-Filler: " + b"a" * 100 + b"\r\n")


def endless_body(c):
    read_request(c)
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000000000\r\n\r\n")
    block = b"z" * 65536
    while alive():
        c.sendall(block)


def garbage(c):
    read_request(c)
    c.sendall(os.urandom(512))
    time.sleep(2)


def tls_stall(c):
    c.recv(4096)                        # the ClientHello
    c.sendall(b"\x16\x03\x03\x00\x5a\x02\x00")   # half a ServerHello
    while alive():
        time.sleep(0.2)


def tls_close(c):
    c.recv(4096)                        # the ClientHello, then close


def tls_notify(c):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(TLS[0], TLS[1])
    s = ctx.wrap_socket(c, server_side=True, suppress_ragged_eofs=False)
    read_request(s)
    s.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n")
    try:
        end = "close_notify" if s.recv(100) == b"" else "data"
    except ssl.SSLEOFError:
        end = "no close_notify"
    except OSError as e:
        end = "error %s" % e
    with open(TLS[2], "a") as f:
        f.write(end + "\n")


def slowloris(c):
    read_request(c)
    for b in b"HTTP/1.1 200 OK\r\nServer: slow\r\n" * 100:
        if not alive():
            break
        c.sendall(bytes([b]))
        time.sleep(0.3)


def chunked(c):
    read_request(c)
    c.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
              b"5\r\nhello\r\n1\r\n \r\n5;x=y\r\nworld\r\n0\r\n\r\n")


MODES = {9001: endless_headers, 9002: endless_body, 9003: garbage,
         9004: tls_stall, 9005: slowloris, 9006: chunked, 9007: tls_close}
if TLS:
    MODES[9008] = tls_notify


def serve(port, fn):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((ADDR, port))
    s.listen(64)
    s.settimeout(0.5)
    while alive():
        try:
            c, _ = s.accept()
        except socket.timeout:
            continue

        def run(c=c):
            try:
                c.settimeout(5)
                fn(c)
            except OSError:
                pass
            finally:
                c.close()
        threading.Thread(target=run, daemon=True).start()


for port, fn in MODES.items():
    threading.Thread(target=serve, args=(port, fn), daemon=True).start()
while alive():
    time.sleep(0.5)
