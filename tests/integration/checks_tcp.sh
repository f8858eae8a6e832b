#!/bin/sh
# TCP_CHECK through the probe core (tests/chk_probe runs every checker of a
# configuration once): a listener is up; a closed port is refused; a port
# whose SYNs are dropped times out; bindto sets the source address a
# filter wants; bindto to an address this host lacks fails and says why.
. "$(dirname "$0")/lib.sh"

CHK_PROBE="${top_builddir:-.}/tests/chk_probe"
[ -x "$CHK_PROBE" ] || fail "$CHK_PROBE not built"

ip -n "$NS" addr add 10.77.0.1/24 dev veth0
ip -n "$NS" addr add 10.77.0.2/24 dev veth1
ip -n "$NS" addr add 10.77.0.3/24 dev veth1

# 8080 and 8083 listen; 8081 is closed; 8082 drops every SYN; 8083 only
# answers 10.77.0.3
for port in 8080 8083; do
	ip netns exec "$NS" socat TCP-LISTEN:$port,bind=10.77.0.2,reuseaddr,fork \
	    SYSTEM:true >/dev/null 2>&1 &
done
ip netns exec "$NS" nft -f - <<'NFT' || fail "nft rules not loaded"
table inet vgchk {
	chain in {
		type filter hook input priority 0;
		tcp dport 8082 drop
		tcp dport 8083 ip saddr != 10.77.0.3 drop
	}
}
NFT
wait_for 50 sh -c "ip netns exec $NS ss -ltn | grep -q ':8083 '" ||
    fail "listeners did not start"

cat >"$T/chk.conf" <<'CONF'
virtual_server 10.77.0.100 80 {
    lb_kind NAT
    protocol TCP
    real_server 10.77.0.2 8080 {
        TCP_CHECK {
            connect_timeout 2
        }
        TCP_CHECK {
            connect_timeout 2
            bindto 10.77.0.9
        }
    }
    real_server 10.77.0.2 8081 {
        TCP_CHECK {
            connect_timeout 2
        }
    }
    real_server 10.77.0.2 8082 {
        TCP_CHECK {
            connect_timeout 1
        }
    }
    real_server 10.77.0.2 8083 {
        TCP_CHECK {
            connect_timeout 1
            bindto 10.77.0.3
        }
        TCP_CHECK {
            connect_timeout 1
        }
    }
    real_server 10.77.0.2 9000 {
        TCP_CHECK {
            connect_port 8080
            connect_timeout 2
        }
    }
}
CONF
in_ns "$CHK_PROBE" "$T/chk.conf" >"$T/out" 2>"$T/err" || {
	cat "$T/err"
	fail "chk_probe failed"
}
cat "$T/out"
sed -n 1p "$T/out" | grep -qx "OK TCP_CHECK \[10.77.0.2\]:8080" ||
    fail "a listening port is not up"
pass "TCP_CHECK: a listening port is up"
sed -n 2p "$T/out" | grep -qx "FAIL TCP_CHECK \[10.77.0.2\]:8080: bindto: cannot assign requested address" ||
    fail "bindto an address the host lacks did not fail with the reason"
pass "TCP_CHECK: bindto an address the host lacks fails and says why"
sed -n 3p "$T/out" | grep -qx "FAIL TCP_CHECK \[10.77.0.2\]:8081: connection refused" ||
    fail "a closed port is not down with 'connection refused'"
pass "TCP_CHECK: a closed port is down: connection refused"
sed -n 4p "$T/out" | grep -qx "FAIL TCP_CHECK \[10.77.0.2\]:8082: timeout after 1.0 s" ||
    fail "dropped SYNs are not a timeout"
pass "TCP_CHECK: dropped SYNs time out after connect_timeout"
sed -n 5p "$T/out" | grep -qx "OK TCP_CHECK \[10.77.0.2\]:8083" ||
    fail "bindto did not set the source address"
sed -n 6p "$T/out" | grep -qx "FAIL TCP_CHECK \[10.77.0.2\]:8083: timeout after 1.0 s" ||
    fail "the filter on the source address did not hold"
pass "TCP_CHECK: bindto sets the source address"
sed -n 7p "$T/out" | grep -qx "OK TCP_CHECK \[10.77.0.2\]:8080" ||
    fail "connect_port not used"
pass "TCP_CHECK: connect_port replaces the real server's port"
[ "$(wc -l <"$T/out")" = 7 ] || fail "expected 7 lines"
done_testing
