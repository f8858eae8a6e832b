#!/bin/sh
# SMTP_CHECK, DNS_CHECK, UDP_CHECK, PING_CHECK, MISC_CHECK and FILE_CHECK
# through the probe core (tests/chk_probe runs every checker of a
# configuration once and prints OK / FAIL lines) against real servers in
# the test's namespace: dnsmasq, OpenSMTPD (a python3 listener stands in
# when smtpd cannot run here) and small python3 servers for the hostile
# cases, socat for UDP, the kernel for ICMP, scripts and files.
. "$(dirname "$0")/lib.sh"

CHK_PROBE="${top_builddir:-.}/tests/chk_probe"
[ -x "$CHK_PROBE" ] || fail "$CHK_PROBE not built"
command -v dnsmasq >/dev/null || fail "dnsmasq not installed"
command -v socat >/dev/null || fail "socat not installed"
command -v python3 >/dev/null || fail "python3 not installed"

ip -n "$NS" addr add 10.77.0.1/24 dev veth0
ip -n "$NS" addr add 10.77.0.2/24 dev veth1
ip -n "$NS" addr add 10.77.0.3/24 dev veth0
ip -n "$NS" addr add 10.77.0.4/24 dev veth1
ip -n "$NS" addr add fd77::1/64 dev veth0 nodad
ip -n "$NS" addr add fd77::2/64 dev veth1 nodad

listening() { # PROTO(t|u) PORT
	ip netns exec "$NS" ss -ln"$1" | grep -q "10.77.0.2:$2 "
}

# ---- servers ----------------------------------------------------------------

# DNS: good.test has an A record, anything else under test. is NXDOMAIN
ip netns exec "$NS" dnsmasq -k --conf-file=/dev/null --no-resolv --no-hosts \
    --bind-interfaces --listen-address=10.77.0.2 --port=53 \
    --local=/test/ --host-record=good.test,10.1.2.3 \
    --pid-file="$T/dnsmasq.pid" --log-facility="$T/dnsmasq.log" \
    --log-queries >/dev/null 2>&1 &

# A python3 server for the cases no real server plays:
#   smtp PORT MODE: good (a multi-line 220, then HELO 250, QUIT 221),
#     554 (greeting 554), silent (never greets), longline (a line that
#     never ends), dribble (a byte every 0.1 s, for 4 s)
#   dnsbad PORT: answers every query with another ID
cat >"$T/fake.py" <<'PY'
import socket, socketserver, sys, threading, time

kind, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]

class Smtp(socketserver.StreamRequestHandler):
    def handle(self):
        w = self.wfile.write
        if mode == "silent":
            time.sleep(5)
            return
        if mode == "554":
            w(b"554 no service here\r\n")
            return
        if mode == "dribble":
            w(b"220 ")
            for _ in range(40):
                w(b"x")
                self.wfile.flush()
                time.sleep(0.1)
            return
        if mode == "longline":
            w(b"220 " + b"x" * 4096)
            time.sleep(3)
            return
        w(b"220-fake.test ESMTP\r\n220 hello\r\n")
        for line in self.rfile:
            if line.upper().startswith(b"HELO "):
                open(sys.argv[4], "ab").write(line)
                w(b"250 fake.test\r\n")
            elif line.upper().startswith(b"QUIT"):
                w(b"221 bye\r\n")
                return
            else:
                w(b"500 what\r\n")

class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

if kind == "smtp":
    Server(("10.77.0.2", port), Smtp).serve_forever()
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("10.77.0.2", port))
    while True:
        q, peer = s.recvfrom(4096)
        r = bytes([q[0] ^ 0xff, q[1]]) + bytes([q[2] | 0x80]) + q[3:]
        s.sendto(r, peer)
PY
for m in "2501 good" "2502 554" "2503 silent" "2504 longline" \
    "2505 dribble"; do
	set -- $m
	ip netns exec "$NS" python3 "$T/fake.py" smtp "$1" "$2" "$T/helo.$1" \
	    >/dev/null 2>&1 &
done
ip netns exec "$NS" python3 "$T/fake.py" dnsbad 5301 x >/dev/null 2>&1 &

# OpenSMTPD on 2525, with its spool and run directories on tmpfs in a
# mount namespace of its own (nothing of the host's is touched)
cat >"$T/smtpd.conf" <<'CONF'
listen on 10.77.0.2 port 2525
action "local" mbox
match from any for local action "local"
CONF
chmod 600 "$T/smtpd.conf"
ip netns exec "$NS" unshare -m sh -c "mount --make-rprivate / &&
    mount -t tmpfs tmpfs /var/spool && mkdir -m 711 /var/spool/smtpd &&
    mount -t tmpfs tmpfs /run && exec smtpd -d -f '$T/smtpd.conf'" \
    >"$T/smtpd.log" 2>&1 &
SMTPD=opensmtpd
if ! wait_for 50 listening t 2525; then
	echo "# smtpd cannot run here; a python3 listener stands in"
	SMTPD=python3
	ip netns exec "$NS" python3 "$T/fake.py" smtp 2525 good "$T/helo.2525" \
	    >/dev/null 2>&1 &
fi

# UDP: an echo on 9000, a port that drops everything on 9002; 9001 closed.
# ICMP: 10.77.0.4 answers pings from 10.77.0.3 only; pings marked 66 are
# dropped on their way out
ip netns exec "$NS" socat UDP4-RECVFROM:9000,bind=10.77.0.2,reuseaddr,fork \
    PIPE >/dev/null 2>&1 &
ip netns exec "$NS" nft -f - <<'NFT' || fail "nft rules not loaded"
table inet vgproto {
	chain in {
		type filter hook input priority 0;
		udp dport 9002 drop
		ip daddr 10.77.0.4 icmp type echo-request ip saddr != 10.77.0.3 drop
	}
	chain out {
		type filter hook output priority 0;
		meta mark 66 icmp type echo-request drop
	}
}
NFT

# scripts and files
cat >"$T/exit.sh" <<'SH'
#!/bin/sh
exit "$1"
SH
cat >"$T/whoami.sh" <<'SH'
#!/bin/sh
[ "$(id -un)" = "$1" ]
SH
chmod 755 "$T/exit.sh" "$T/whoami.sh"
echo 5 >"$T/five"
echo 0x10 >"$T/hex"
echo 0 >"$T/zero"

for p in t:2501 t:2502 t:2503 t:2504 t:2505 t:2525 u:53 u:5301 u:9000; do
	wait_for 50 listening "${p%%:*}" "${p#*:}" ||
	    fail "server on ${p#*:} did not start"
done

# ---- the configuration: one line of output per checker, in this order -----

cat >"$T/chk.conf" <<CONF
track_file tf_five {
    file $T/five
    weight 2
}
track_file tf_zero {
    file $T/zero
    weight 0 reverse
}
virtual_server 10.77.0.100 25 {
    lb_kind NAT
    protocol TCP
    real_server 10.77.0.2 25 {
        weight 3
        SMTP_CHECK {
            connect_port 2525
            connect_timeout 3
            helo_name probe.vigil.test
        }
        SMTP_CHECK {
            connect_port 2501
            connect_timeout 3
        }
        SMTP_CHECK {
            connect_port 2502
            connect_timeout 3
        }
        SMTP_CHECK {
            connect_port 2503
            connect_timeout 1
        }
        SMTP_CHECK {
            connect_port 2504
            connect_timeout 2
        }
        SMTP_CHECK {
            connect_port 2505
            connect_timeout 1
        }
        SMTP_CHECK {
            connect_port 2599
            connect_timeout 2
        }
        SMTP_CHECK {
            connect_timeout 2
            host {
                connect_port 2501
            }
            host {
                connect_port 2502
            }
        }
        DNS_CHECK {
            connect_port 53
            connect_timeout 2
            type A
            name good.test
        }
        DNS_CHECK {
            connect_port 53
            connect_timeout 2
            type A
            name bad.test
        }
        DNS_CHECK {
            connect_port 53
            connect_timeout 2
            type AAAA
            name good.test
        }
        DNS_CHECK {
            connect_port 5399
            connect_timeout 2
        }
        DNS_CHECK {
            connect_port 5301
            connect_timeout 1
            name good.test
        }
        UDP_CHECK {
            connect_port 9000
            connect_timeout 2
            payload 68656c6c6f
            require_reply 68 65 6X
        }
        UDP_CHECK {
            connect_port 9000
            connect_timeout 2
            payload 68656c6c6f
            require_reply 77 6f
        }
        UDP_CHECK {
            connect_port 9000
            connect_timeout 2
            payload 68656c6c6f
            require_reply
            min_reply_length 10
        }
        UDP_CHECK {
            connect_port 9001
            connect_timeout 2
        }
        UDP_CHECK {
            connect_ip fd77::2
            connect_port 9001
            connect_timeout 2
        }
        UDP_CHECK {
            connect_port 9002
            connect_timeout 1
        }
        UDP_CHECK {
            connect_port 9002
            connect_timeout 1
            require_reply
        }
        PING_CHECK {
            connect_timeout 2
        }
        PING_CHECK {
            connect_ip 10.77.0.1
            connect_timeout 2
        }
        PING_CHECK {
            connect_ip 10.77.0.99
            connect_timeout 1
        }
        PING_CHECK {
            connect_ip fd77::2
            connect_timeout 2
        }
        PING_CHECK {
            connect_ip 10.77.0.4
            bindto 10.77.0.3
            connect_timeout 2
        }
        PING_CHECK {
            connect_ip 10.77.0.4
            connect_timeout 1
        }
        PING_CHECK {
            fwmark 66
            connect_timeout 1
        }
        MISC_CHECK {
            misc_path "$T/exit.sh 0"
        }
        MISC_CHECK {
            misc_path "$T/exit.sh 1"
        }
        MISC_CHECK {
            misc_path "$T/exit.sh 5"
            misc_dynamic
        }
        MISC_CHECK {
            misc_path "$T/exit.sh 5"
        }
        MISC_CHECK {
            misc_path "/bin/sleep 30"
            misc_timeout 1
        }
        MISC_CHECK {
            misc_path "$T/whoami.sh nobody"
            user nobody
        }
        MISC_CHECK {
            misc_path "$T/missing.sh"
        }
        FILE_CHECK {
            track_file tf_five
        }
        FILE_CHECK {
            track_file tf_five
            weight 0
        }
        FILE_CHECK {
            track_file tf_zero
        }
        FILE_CHECK {
            track_file $T/hex
            weight -1
        }
        FILE_CHECK {
            track_file $T/absent
        }
        FILE_CHECK {
            track_file tf_nowhere
        }
    }
}
CONF
in_ns "$CHK_PROBE" "$T/chk.conf" >"$T/out" 2>"$T/err" || {
	cat "$T/err"
	fail "chk_probe failed"
}
cat "$T/out"
n=0
line() { # EXPECTED: the next line of output is exactly this
	n=$((n + 1))
	_got=$(sed -n "${n}p" "$T/out")
	[ "$_got" = "$1" ] || fail "line $n: got '$_got', expected '$1'"
}
R=10.77.0.2

# ---- SMTP ---------------------------------------------------------------------
line "OK SMTP_CHECK [$R]:2525"
grep -q "probe.vigil.test" "$T/smtpd.log" "$T/helo.2525" 2>/dev/null ||
    [ "$SMTPD" = opensmtpd ] || fail "HELO did not carry helo_name"
pass "SMTP_CHECK: $SMTPD greets, takes HELO and QUIT: up"
line "OK SMTP_CHECK [$R]:2501"
grep -q "^HELO smtpchecker.keepalived.org" "$T/helo.2501" ||
    fail "the default helo_name is not keepalived's"
pass "SMTP_CHECK: a multi-line 220 greeting is read whole; HELO carries keepalived's default name"
line "FAIL SMTP_CHECK [$R]:2502: greeting 554, expected 220: no service here"
pass "SMTP_CHECK: a 554 greeting is down, with the server's text"
line "FAIL SMTP_CHECK [$R]:2503: timeout waiting for the greeting"
pass "SMTP_CHECK: a server that never greets times out"
line "FAIL SMTP_CHECK [$R]:2504: bad reply: reply line too long"
pass "SMTP_CHECK: an endless reply line is refused at its bound"
line "FAIL SMTP_CHECK [$R]:2505: timeout waiting for the greeting"
pass "SMTP_CHECK: a server dribbling bytes is cut off at connect_timeout"
line "FAIL SMTP_CHECK [$R]:2599: connection refused"
pass "SMTP_CHECK: a closed port is down"
line "FAIL SMTP_CHECK [$R]:25: [$R]:2502: greeting 554, expected 220: no service here"
pass "SMTP_CHECK: host blocks are checked in turn; the failing host is named"

# ---- DNS ------------------------------------------------------------------------
line "OK DNS_CHECK [$R]:53"
pass "DNS_CHECK: dnsmasq answers the name: up"
line "FAIL DNS_CHECK [$R]:53: rcode 3 (NXDOMAIN)"
pass "DNS_CHECK: NXDOMAIN is down"
line "OK DNS_CHECK [$R]:53"
pass "DNS_CHECK: no record of the type but no error code: up, as keepalived"
line "FAIL DNS_CHECK [$R]:5399: connection refused"
pass "DNS_CHECK: ICMP port unreachable is down"
line "FAIL DNS_CHECK [$R]:5301: timeout after 1.0 s"
pass "DNS_CHECK: replies with another ID are ignored"
grep -q "query\[A\] good.test" "$T/dnsmasq.log" ||
    fail "dnsmasq did not log the query"

# ---- UDP --------------------------------------------------------------------------
line "OK UDP_CHECK [$R]:9000"
pass "UDP_CHECK: the echo matches require_reply with X nibbles"
line "FAIL UDP_CHECK [$R]:9000: reply byte 0 is 68, expected 77 (mask ff)"
pass "UDP_CHECK: a reply that does not match is down"
line "FAIL UDP_CHECK [$R]:9000: reply of 5 bytes, expected 10..255"
pass "UDP_CHECK: min_reply_length holds"
line "FAIL UDP_CHECK [$R]:9001: connection refused"
pass "UDP_CHECK: ICMP port unreachable is down"
line "FAIL UDP_CHECK [fd77::2]:9001: connection refused"
pass "UDP_CHECK: ICMPv6 port unreachable is down"
line "OK UDP_CHECK [$R]:9002"
pass "UDP_CHECK: silence without require_reply is up, as keepalived"
line "FAIL UDP_CHECK [$R]:9002: no reply within 1.0 s"
pass "UDP_CHECK: silence with require_reply is down"

# ---- PING -------------------------------------------------------------------------
line "OK PING_CHECK [$R]:25"
line "OK PING_CHECK [10.77.0.1]:25"
pass "PING_CHECK: echo replies from two addresses, told apart"
line "FAIL PING_CHECK [10.77.0.99]:25: timeout after 1.0 s"
pass "PING_CHECK: an address no one has is down"
line "OK PING_CHECK [fd77::2]:25"
pass "PING_CHECK: ICMPv6 echo"
line "OK PING_CHECK [10.77.0.4]:25"
line "FAIL PING_CHECK [10.77.0.4]:25: timeout after 1.0 s"
pass "PING_CHECK: bindto sets the source address on the shared socket"
n=$((n + 1))
sed -n "${n}p" "$T/out" | grep -q "^FAIL PING_CHECK \[$R\]:25: " ||
    fail "line $n: a ping marked 66 was not dropped"
pass "PING_CHECK: fwmark marks the echo request"
[ "$(grep -c 'socket for all ping checks' "$T/err")" = 2 ] ||
    fail "expected one ICMP and one ICMPv6 socket for all ping checks"
pass "PING_CHECK: one socket per family for all probes"

# ---- MISC -------------------------------------------------------------------------
line "OK MISC_CHECK [$R]:25"
line "FAIL MISC_CHECK [$R]:25: $T/exit.sh exited with status 1"
pass "MISC_CHECK: exit 0 is up, 1 is down"
line "OK MISC_CHECK [$R]:25 weight 3"
pass "MISC_CHECK: misc_dynamic exit 5 is up with weight 3"
line "FAIL MISC_CHECK [$R]:25: $T/exit.sh exited with status 5"
pass "MISC_CHECK: exit 5 without misc_dynamic is down"
line "FAIL MISC_CHECK [$R]:25: /bin/sleep timed out after 1.0 s"
pass "MISC_CHECK: a script past misc_timeout is killed and down"
line "OK MISC_CHECK [$R]:25"
pass "MISC_CHECK: the script runs as its user"
_got=$(sed -n "$((n + 1))p" "$T/out")
n=$((n + 1))
case $_got in
"FAIL MISC_CHECK [$R]:25: cannot run $T/missing.sh: "*) ;;
*) fail "line $n: got '$_got'" ;;
esac
pass "MISC_CHECK: a missing script is down and says why"

# ---- FILE -------------------------------------------------------------------------
line "OK FILE_CHECK [$R]:25 weight 13"
pass "FILE_CHECK: value 5 times the track_file's weight 2 adds to weight 3"
line "FAIL FILE_CHECK [$R]:25: $T/five holds 5"
pass "FILE_CHECK: with weight 0 a non-zero value is down"
line "FAIL FILE_CHECK [$R]:25: $T/zero holds 0"
pass "FILE_CHECK: weight 0 reverse: a zero value is down"
line "OK FILE_CHECK [$R]:25 weight -13"
pass "FILE_CHECK: a hex value with a negative weight lowers the weight"
line "OK FILE_CHECK [$R]:25 weight 3"
pass "FILE_CHECK: a missing file reads as 0"
line "FAIL FILE_CHECK [$R]:25: track_file tf_nowhere not found"
pass "FILE_CHECK: an unknown track_file is down"

[ "$(wc -l <"$T/out")" = "$n" ] || fail "expected $n lines"

# ---- 500 pings at once over the one socket ------------------------------------------
# 10.77.1.1-250 answer; echoes to 10.77.2.1-250 are dropped
{
	for i in $(seq 1 250); do
		echo "addr add 10.77.1.$i/32 dev veth1"
		echo "addr add 10.77.2.$i/32 dev veth1"
	done
} >"$T/addrs"
ip -n "$NS" -batch "$T/addrs" || fail "addresses not added"
ip netns exec "$NS" nft add rule inet vgproto in \
    ip daddr 10.77.2.0/24 icmp type echo-request drop ||
    fail "nft rule not added"
{
	echo "virtual_server 10.77.0.100 80 {"
	echo " protocol TCP"
	for i in $(seq 1 250); do
		for net in 1 2; do
			echo " real_server 10.77.$net.$i 80 {"
			echo "  PING_CHECK {"
			echo "   connect_timeout 3"
			echo "  }"
			echo " }"
		done
	done
	echo "}"
} >"$T/ping.conf"
in_ns "$CHK_PROBE" "$T/ping.conf" >"$T/ping.out" 2>"$T/ping.err" ||
    fail "chk_probe failed on 500 pings"
[ "$(grep -c '^OK PING_CHECK \[10\.77\.1\.[0-9]*\]:80$' "$T/ping.out")" = 250 ] ||
    fail "not every answering address was up: $(grep -c '^OK' "$T/ping.out") up"
[ "$(grep -c '^FAIL PING_CHECK \[10\.77\.2\.[0-9]*\]:80: timeout after 3\.0 s$' "$T/ping.out")" = 250 ] ||
    fail "not every silent address was down"
[ "$(grep -c 'socket for all ping checks' "$T/ping.err")" = 1 ] ||
    fail "expected one ICMP socket for 500 probes"
pass "PING_CHECK: 500 probes at once over one socket, each reply to its probe"

# ---- the same kinds in vigild's checker child ------------------------------------
cat >"$T/whoami5.sh" <<'SH'
#!/bin/sh
[ "$(id -un)" = nobody ] && exit 5
exit 1
SH
chmod 755 "$T/whoami5.sh"
cat >"$T/vigild.conf" <<CONF
global_defs {
    script_user nobody
}
track_file tf_vigild {
    file $T/five
    weight 2
}
virtual_server 10.77.0.100 80 {
    lb_kind NAT
    protocol TCP
    delay_loop 1
    real_server 10.77.0.2 80 {
        weight 1
        MISC_CHECK {
            misc_path $T/whoami5.sh
            misc_dynamic
        }
    }
    real_server 10.77.0.1 80 {
        PING_CHECK {
            alpha
            connect_timeout 2
        }
    }
    real_server 10.77.0.99 80 {
        PING_CHECK {
            connect_timeout 1
        }
    }
    real_server 10.77.0.3 80 {
        FILE_CHECK {
            track_file tf_vigild
        }
    }
}
CONF
start_vigild "$T/vigild.conf"
wait_for 100 log_has "10.77.0.2]:80: weight 1 -> 3" ||
    fail "MISC_CHECK under global_defs' script_user did not set weight 3"
pass "vigild: MISC_CHECK runs as script_user; misc_dynamic sets the weight"
wait_for 100 log_has "PING_CHECK \[10.77.0.1\]:80: success" ||
    fail "PING_CHECK success not logged"
wait_for 100 log_has "PING_CHECK \[10.77.0.99\]:80: timeout after 1.0 s" ||
    fail "PING_CHECK failure not logged with its reason"
pass "vigild: PING_CHECK up and down, with the reason"
wait_for 100 log_has "10.77.0.3]:80: weight 1 -> 11" ||
    fail "FILE_CHECK naming a top-level track_file block did not set weight 11"
pass "vigild: FILE_CHECK reads the track_file block it names"
stop_vigild
[ "$VSTATUS" = 0 ] || fail "vigild exited with $VSTATUS"
check_sanitizers
done_testing
