#!/usr/bin/env python3
# Raw control-socket clients for ctl.sh: what vigilctl never sends.
#   raw.py SOCKET oversized|garbage|badtype|notjson|twice
#       one misbehaving client; prints what came back ("closed",
#       "reply STATUS") and exits 0
#   raw.py SOCKET silent SECONDS
#       connects, says nothing; prints "closed" once vigild drops it
#       (within SECONDS) or "open"
#   raw.py SOCKET many N
#       N clients connect at once, each sends a status request; prints
#       "ok=A busy=B closed=C" (every client accounted for)
#   raw.py SOCKET serve-stateless SECONDS
#       a stand-in vigild at SOCKET: answers one request "ok" without
#       the state a read command wants, then exits (at most SECONDS)
#   raw.py SOCKET noread N SECONDS READY
#       N clients send a status request each and read nothing for
#       SECONDS (touching READY once all have asked); then each reads the
#       status of its reply; prints "ok=A busy=B other=C"
import json
import resource
import select
import socket
import struct
import sys
import time

REQ, REP = 1, 2


def frame(t, payload):
    return struct.pack("=II", t, len(payload)) + payload


def request(words):
    return frame(REQ, json.dumps({"version": 1, "command": words}).encode())


def recv_reply(s, timeout):
    """STATUS of one reply, or 'closed'."""
    s.settimeout(timeout)
    buf = b""
    try:
        while True:
            if len(buf) >= 8:
                t, n = struct.unpack("=II", buf[:8])
                if len(buf) >= 8 + n:
                    return json.loads(buf[8:8 + n])["status"]
            d = s.recv(65536)
            if not d:
                return "closed"
            buf += d
    except (ConnectionResetError, BrokenPipeError):
        return "closed"
    except socket.timeout:
        return "timeout"


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


def one(path, what):
    s = connect(path)
    try:
        if what == "oversized":
            # a header announcing 1 MiB, then some of it
            s.sendall(struct.pack("=II", REQ, 1 << 20) + b"x" * 65536)
        elif what == "garbage":
            s.sendall(bytes(range(256)) * 64)
        elif what == "badtype":
            s.sendall(frame(7, b"{}"))
        elif what == "notjson":
            s.sendall(frame(REQ, b"\xff\xfe not json {"))
        elif what == "twice":
            s.sendall(request(["status"]) + request(["status"]))
    except (BrokenPipeError, ConnectionResetError):
        print("closed")
        return
    print(("reply " + r) if (r := recv_reply(s, 10)) not in
          ("closed", "timeout") else r)


def silent(path, secs):
    s = connect(path)
    end = time.monotonic() + secs
    while time.monotonic() < end:
        r, _, _ = select.select([s], [], [], 0.5)
        if r:
            try:
                if not s.recv(1):
                    print("closed")
                    return
            except ConnectionResetError:
                print("closed")
                return
    print("open")


def many(path, n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 256), hard))
    socks = []
    closed = 0
    for _ in range(n):
        try:
            socks.append(connect(path))
        except OSError:
            closed += 1     # the backlog was full: dropped, also fine
    for s in socks:
        try:
            s.sendall(request(["status"]))
        except OSError:
            pass
    ok = busy = 0
    for s in socks:
        r = recv_reply(s, 30)
        if r == "ok":
            ok += 1
        elif r == "busy":
            busy += 1
        else:
            closed += 1
        s.close()
    print("ok=%d busy=%d closed=%d" % (ok, busy, closed))


def noread(path, n, secs, ready):
    socks = []
    for _ in range(n):
        s = connect(path)
        # a small receive buffer: the reply stays in vigild
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(request(["status"]))
        socks.append(s)
    open(ready, "w").close()
    time.sleep(secs)
    got = {"ok": 0, "busy": 0, "other": 0}
    for s in socks:
        # the head of the reply is enough: its status comes first
        s.settimeout(5)
        buf = b""
        try:
            while len(buf) < 8 + 64:
                d = s.recv(8 + 64 - len(buf))
                if not d:
                    break
                buf += d
        except (socket.timeout, ConnectionResetError):
            pass
        st = buf[8:].split(b'"status":"')
        st = st[1].split(b'"')[0].decode() if len(st) > 1 else "other"
        got[st if st in got else "other"] += 1
        s.close()
    print("ok=%d busy=%d other=%d" % (got["ok"], got["busy"], got["other"]))


def serve_stateless(path, secs):
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    srv.settimeout(secs)
    try:
        c, _ = srv.accept()
    except socket.timeout:
        return
    c.settimeout(secs)
    c.recv(65536)
    c.sendall(frame(REP, json.dumps({"version": 1, "status": "ok",
                                     "text": ""}).encode()))
    c.close()
    srv.close()


if __name__ == "__main__":
    path, what = sys.argv[1], sys.argv[2]
    if what == "silent":
        silent(path, float(sys.argv[3]))
    elif what == "many":
        many(path, int(sys.argv[3]))
    elif what == "serve-stateless":
        serve_stateless(path, float(sys.argv[3]))
    elif what == "noread":
        noread(path, int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
    else:
        one(path, what)
