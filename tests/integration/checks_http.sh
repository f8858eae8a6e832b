#!/bin/sh
# HTTP_GET and SSL_GET through the probe core (tests/chk_probe runs every
# checker of a configuration once) against nginx in a namespace, with a
# test CA, a server certificate for two names (SNI) and a self-signed
# "bad" one made here; vigil-genhash's digest; and hostile servers
# (endless headers, endless body, garbage, a TLS handshake that stalls,
# slow-loris, a TLS server closing in the handshake): each fails cleanly,
# with its reason, within its timeout.
. "$(dirname "$0")/lib.sh"

CHK_PROBE="${top_builddir:-.}/tests/chk_probe"
GENHASH="${top_builddir:-.}/healthcheck/vigil-genhash"
[ -x "$CHK_PROBE" ] || fail "$CHK_PROBE not built"
[ -x "$GENHASH" ] || fail "$GENHASH not built"
command -v nginx >/dev/null || fail "nginx not installed"

A=10.78.0.2
ip -n "$NS" addr add 10.78.0.1/24 dev veth0
ip -n "$NS" addr add $A/24 dev veth1
ip -n "$NS" addr add fd00:78::1/64 dev veth0 nodad
ip -n "$NS" addr add fd00:78::2/64 dev veth1 nodad

# ---- certificates ---------------------------------------------------------
mkcert() {	# name CN SAN... (signed by the test CA)
	_n=$1
	_cn=$2
	shift 2
	_san=$(printf 'DNS:%s,' "$@")
	openssl req -new -newkey rsa:2048 -nodes -subj "/CN=$_cn" \
	    -keyout "$T/$_n.key" -out "$T/$_n.csr" 2>/dev/null || return 1
	printf 'subjectAltName=%s\n' "${_san%,}" >"$T/$_n.ext"
	openssl x509 -req -in "$T/$_n.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" \
	    -CAcreateserial -days 2 -extfile "$T/$_n.ext" \
	    -out "$T/$_n.crt" 2>/dev/null
}
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=vigil test CA" \
    -keyout "$T/ca.key" -out "$T/ca.crt" -days 2 2>/dev/null ||
    fail "cannot make the test CA"
mkcert www www.test www.test || fail "cannot make the server certificate"
mkcert alt alt.test alt.test || fail "cannot make the second certificate"
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=www.test" \
    -keyout "$T/bad.key" -out "$T/bad.crt" -days 2 2>/dev/null ||
    fail "cannot make the bad certificate"
# a client certificate of the CA, its key under a password
mkcert client director.test director.test ||
    fail "cannot make the client certificate"
openssl pkey -in "$T/client.key" -aes256 -passout pass:s3cret \
    -out "$T/client.enc.key" 2>/dev/null || fail "cannot encrypt the key"

# ---- nginx ---------------------------------------------------------------
mkdir -p "$T/www" "$T/ngx"
printf 'vigil health page: all good\n' >"$T/www/ok.html"
head -c 300 /dev/zero | tr '\0' 's' >"$T/www/slow.html"
head -c 1500000 /dev/urandom >"$T/www/big.bin"
cat >"$T/nginx.conf.in" <<'NGX'
worker_processes 1;
pid @T@/nginx.pid;
error_log @T@/nginx.err warn;
events { worker_connections 256; }
http {
    access_log off;
    sendfile off;
    client_body_temp_path @T@/ngx/body;
    proxy_temp_path @T@/ngx/proxy;
    fastcgi_temp_path @T@/ngx/fastcgi;
    uwsgi_temp_path @T@/ngx/uwsgi;
    scgi_temp_path @T@/ngx/scgi;
    default_type text/plain;
    server {
        listen @A@:8080;
        listen [fd00:78::2]:8080;
        root @T@/www;
        location = /ok { try_files /ok.html =404; }
        location = /down { return 503 "maintenance\n"; }
        location = /redir { return 302 /ok; }
        location = /slow { limit_rate 10; try_files /slow.html =404; }
        location = /host { return 200 "$host\n"; }
        location = /rawhost { return 200 "$http_host\n"; }
        location = /proto {
            return 200 "[$server_protocol $http_connection $http_user_agent]\n";
        }
    }
    server {
        listen @A@:8443 ssl;
        server_name www.test;
        ssl_certificate @T@/www.crt;
        ssl_certificate_key @T@/www.key;
        location / { return 200 "sni=$ssl_server_name host=$host\n"; }
        location = /big { root @T@/www; try_files /big.bin =404; }
    }
    server {
        listen @A@:8443 ssl;
        server_name alt.test;
        ssl_certificate @T@/alt.crt;
        ssl_certificate_key @T@/alt.key;
        location / { return 200 "sni=$ssl_server_name host=$host\n"; }
    }
    server {
        listen @A@:8445 ssl;
        ssl_certificate @T@/www.crt;
        ssl_certificate_key @T@/www.key;
        ssl_client_certificate @T@/ca.crt;
        ssl_verify_client on;
        location / { return 200 "client=$ssl_client_s_dn\n"; }
    }
    server {
        listen @A@:8444 ssl;
        ssl_certificate @T@/bad.crt;
        ssl_certificate_key @T@/bad.key;
        location / { return 200 "bad\n"; }
    }
}
NGX
sed -e "s|@T@|$T|g" -e "s|@A@|$A|g" "$T/nginx.conf.in" >"$T/nginx.conf"
in_ns nginx -c "$T/nginx.conf" -p "$T/ngx/" -g 'daemon off; user root;' \
    >"$T/nginx.out" 2>&1 &
in_ns python3 "$top_srcdir/tests/integration/http_hostile.py" $A 300 \
    "$T/www.crt" "$T/www.key" "$T/tls_end.log" &
wait_for 100 sh -c "ip netns exec $NS ss -ltn | grep -q '$A:8445 ' &&
    ip netns exec $NS ss -ltn | grep -q 'fd00:78::2.:8080 ' &&
    ip netns exec $NS ss -ltn | grep -q '$A:9008 '" || {
	cat "$T/nginx.out" "$T/nginx.err" 2>/dev/null
	fail "nginx or the hostile servers did not start"
}

# run CONF: every checker of CONF once, the lines in $T/out
run() {
	in_ns "$CHK_PROBE" "$1" >"$T/out" 2>"$T/err" || {
		cat "$T/err"
		fail "chk_probe $1 failed"
	}
	cat "$T/out"
}
# line N TEXT: line N of the output is exactly TEXT
line() {
	sed -n "$1p" "$T/out" | grep -qxF -- "$2" || {
		echo "line $1: expected: $2"
		echo "line $1: got:      $(sed -n "$1p" "$T/out")"
		return 1
	}
}

# ---- vigil-genhash -------------------------------------------------------
in_ns "$GENHASH" -s $A -p 8080 -u /ok >"$T/gh" 2>"$T/gh.err" ||
    fail "vigil-genhash failed: $(cat "$T/gh.err")"
want=$(md5sum <"$T/www/ok.html" | cut -d' ' -f1)
[ "$(cat "$T/gh")" = "digest $want" ] ||
    fail "vigil-genhash printed '$(cat "$T/gh")', the body's MD5 is $want"
pass "vigil-genhash prints the body's MD5 as a digest line"
in_ns "$GENHASH" -k -s $A -p 9006 -u / -P 1.1 >"$T/gh" 2>&1 ||
    fail "vigil-genhash on a chunked reply failed: $(cat "$T/gh")"
[ "$(cat "$T/gh")" = "$(printf 'hello world' | md5sum | cut -d' ' -f1)" ] ||
    fail "a chunked body is not digested decoded: $(cat "$T/gh")"
pass "vigil-genhash -k: keepalived's bare output; a chunked body is decoded"
in_ns "$GENHASH" -S -I -V alt.test -s $A -p 8443 -u / >"$T/gh" 2>&1 ||
    fail "vigil-genhash -S failed: $(cat "$T/gh")"
[ "$(cat "$T/gh")" = "digest $(printf 'sni=alt.test host=alt.test\n' |
    md5sum | cut -d' ' -f1)" ] || fail "vigil-genhash -S -I -V: $(cat "$T/gh")"
pass "vigil-genhash -S -I -V: TLS with SNI and the Host header"
if in_ns "$GENHASH" -s $A -p 8080 -u /ok -H sha1 >"$T/gh" 2>&1 ||
    ! grep -q "hash sha1 is not supported" "$T/gh"; then
	fail "vigil-genhash -H sha1 was not refused clearly: $(cat "$T/gh")"
fi
in_ns "$GENHASH" -s $A -p 9003 -u / -t 2 >"$T/gh" 2>&1 &&
    fail "vigil-genhash succeeded on garbage"
grep -q "not an HTTP/1.x status line" "$T/gh" ||
    fail "vigil-genhash on garbage: $(cat "$T/gh")"
pass "vigil-genhash refuses other hashes and says why a fetch failed"

# ---- HTTP_GET ------------------------------------------------------------
cat >"$T/http.conf" <<CONF
virtual_server 10.78.0.100 80 {
    lb_kind NAT
    protocol TCP
    real_server $A 1 {
        HTTP_GET {
            connect_port 8080
            connect_timeout 3
            url {
                path /ok
                digest $want
            }
            url {
                path /ok
                regex "health page"
            }
        }
    }
    real_server $A 2 {
        HTTP_GET {
            connect_port 8080
            connect_timeout 3
            url {
                path /down
                status_code 200
            }
        }
    }
    real_server $A 3 {
        HTTP_GET {
            connect_port 8080
            connect_timeout 3
            url {
                path /redir
            }
        }
    }
    real_server $A 4 {
        HTTP_GET {
            connect_port 8080
            connect_timeout 3
            url {
                path /redir
                status_code 301-302 307
            }
        }
    }
    real_server $A 5 {
        HTTP_GET {
            connect_port 8080
            connect_timeout 2
            url {
                path /slow
                digest 00000000000000000000000000000000
            }
        }
    }
    real_server $A 6 {
        HTTP_GET {
            connect_port 8080
            connect_timeout 3
            url {
                path /ok
                digest 0123456789abcdef0123456789abcdef
            }
        }
    }
    real_server $A 7 {
        HTTP_GET {
            connect_port 8080
            connect_timeout 3
            url {
                path /ok
                regex "all bad"
            }
            url {
                path /ok
            }
        }
    }
    real_server $A 8 {
        HTTP_GET {
            connect_port 8080
            connect_timeout 3
            url {
                path /ok
                regex "all good"
                regex_no_match
            }
        }
    }
    real_server $A 9 {
        virtualhost www.example.test
        HTTP_GET {
            connect_port 8080
            connect_timeout 3
            http_protocol 1.1
            url {
                path /host
                regex ^www.example.test$
                regex_options multiline
            }
        }
    }
    real_server $A 10 {
        HTTP_GET {
            connect_port 8081
            connect_timeout 3
            url {
                path /
            }
        }
    }
    real_server $A 11 {
        HTTP_GET {
            connect_port 8080
            connect_timeout 3
            url {
                path /proto
                regex "^.HTTP/1.0 +KeepAliveClient.$"
            }
        }
    }
    real_server $A 12 {
        HTTP_GET {
            connect_port 8080
            connect_timeout 3
            http_protocol 1.0C
            url {
                path /proto
                regex "^.HTTP/1.0 close KeepAliveClient.$"
            }
        }
    }
    real_server $A 13 {
        HTTP_GET {
            connect_port 8080
            connect_timeout 3
            http_protocol 1.1
            url {
                path /proto
                regex "^.HTTP/1.1 close KeepAliveClient.$"
            }
        }
    }
}
virtual_server fd00:78::100 80 {
    lb_kind NAT
    protocol TCP
    real_server fd00:78::2 8080 {
        HTTP_GET {
            connect_timeout 3
            url {
                path /rawhost
                regex "^.fd00:78::2.:8080$"
            }
        }
    }
}
CONF
run "$T/http.conf"
line 1 "OK HTTP_GET [$A]:8080" || fail "a good page with digest and regex is not up"
pass "HTTP_GET: status, digest and regex of two urls pass"
line 2 "FAIL HTTP_GET [$A]:8080: /down: status 503, expected 200" ||
    fail "a 503 is not down with its reason"
pass "HTTP_GET: a 503 is down: status 503, expected 200"
line 3 "FAIL HTTP_GET [$A]:8080: /redir: status 302, expected 200-299" ||
    fail "a redirect is not down by default"
line 4 "OK HTTP_GET [$A]:8080" || fail "status_code 301-302 307 does not take a 302"
pass "HTTP_GET: a redirect is down unless status_code lists it"
line 5 "FAIL HTTP_GET [$A]:8080: timeout after 2.0 s" ||
    fail "a slow body is not a timeout"
pass "HTTP_GET: a slow reply times out after connect_timeout"
grep -q "^FAIL HTTP_GET \[$A\]:8080: /ok: digest mismatch (body $want)\$" "$T/out" ||
    fail "a wrong digest is not down with 'digest mismatch'"
pass "HTTP_GET: a body whose MD5 differs is down: digest mismatch"
line 7 "FAIL HTTP_GET [$A]:8080: /ok: regex not matched" ||
    fail "a regex that does not match is not down"
line 8 "FAIL HTTP_GET [$A]:8080: /ok: regex matched (regex_no_match)" ||
    fail "regex_no_match does not fail on a match"
pass "HTTP_GET: regex not matched / regex_no_match fail with their reason"
line 9 "OK HTTP_GET [$A]:8080" ||
    fail "the real server's virtualhost is not the Host header"
pass "HTTP_GET: virtualhost (real server) is the Host header"
line 10 "FAIL HTTP_GET [$A]:8081: connection refused" ||
    fail "a closed port is not refused"
pass "HTTP_GET: a closed port is down: connection refused"
for n in 11 12 13; do
	line $n "OK HTTP_GET [$A]:8080" ||
	    fail "http_protocol: the request is not as keepalived sends it"
done
pass "HTTP_GET: http_protocol 1.0, 1.0C and 1.1 send keepalived's request"
line 14 "OK HTTP_GET [fd00:78::2]:8080" ||
    fail "IPv6: the Host header is not [address]:port"
pass "HTTP_GET over IPv6: the Host header is [address]:port"

# the page changes: the digest genhash gave no longer matches
printf 'vigil health page: edited\n' >"$T/www/ok.html"
run "$T/http.conf"
line 1 "FAIL HTTP_GET [$A]:8080: /ok: digest mismatch (body $(md5sum <"$T/www/ok.html" | cut -d' ' -f1))" ||
    fail "an edited body did not fail the digest"
pass "HTTP_GET: an edited page fails the digest vigil-genhash gave"

# ---- SSL_GET -------------------------------------------------------------
ssl_conf() {	# with_ca
	if [ "$1" = 1 ]; then
		printf 'SSL {\n    ca %s\n    certificate %s\n' "$T/ca.crt" \
		    "$T/client.crt"
		printf '    key %s\n    password s3cret\n}\n' \
		    "$T/client.enc.key"
	fi
	cat <<CONF
virtual_server 10.78.0.100 443 {
    lb_kind NAT
    protocol TCP
    real_server $A 1 {
        SSL_GET {
            connect_port 8443
            connect_timeout 3
            enable_sni
            virtualhost alt.test
            url {
                path /
                regex "^sni=alt.test host=alt.test"
            }
        }
    }
    real_server $A 2 {
        SSL_GET {
            connect_port 8443
            connect_timeout 3
            virtualhost alt.test
            url {
                path /
                regex "^sni=alt.test"
            }
        }
    }
    real_server $A 3 {
        SSL_GET {
            connect_port 8444
            connect_timeout 3
            url {
                path /
            }
        }
    }
    real_server $A 4 {
        SSL_GET {
            connect_port 8080
            connect_timeout 3
            url {
                path /
            }
        }
    }
    real_server $A 5 {
        SSL_GET {
            connect_port 9004
            connect_timeout 1
            url {
                path /
            }
        }
    }
    real_server $A 7 {
        SSL_GET {
            connect_port 8443
            connect_timeout 5
            url {
                path /big
                digest $bigsum
            }
        }
    }
    real_server $A 6 {
        SSL_GET {
            connect_port 8445
            connect_timeout 3
            url {
                path /
                regex "client=CN=director.test"
            }
        }
    }
}
CONF
}
bigsum=$(in_ns "$GENHASH" -S -s $A -p 8443 -u /big -t 5 | sed -n 's/^digest //p')
[ "$bigsum" = "$(md5sum <"$T/www/big.bin" | cut -d' ' -f1)" ] ||
    fail "vigil-genhash -S on a 1.5 MB body: '$bigsum'"
pass "vigil-genhash -S: the digest of a 1.5 MB body over TLS"
ssl_conf 0 >"$T/ssl.conf"
run "$T/ssl.conf"
line 1 "OK SSL_GET [$A]:8443" || fail "SSL_GET with SNI is not up"
line 2 "FAIL SSL_GET [$A]:8443: /: regex not matched" ||
    fail "without enable_sni the server still saw the name"
pass "SSL_GET: enable_sni sends the virtual host as the server name"
line 3 "OK SSL_GET [$A]:8444" ||
    fail "without a ca the certificate was verified"
pass "SSL_GET: no ca in the SSL block: the certificate is not verified"
sed -n 4p "$T/out" | grep -q "^FAIL SSL_GET \[$A\]:8080: TLS handshake failed: " ||
    fail "TLS to a plain HTTP port did not fail the handshake"
pass "SSL_GET: a plain HTTP server fails the TLS handshake with its reason"
line 5 "FAIL SSL_GET [$A]:9004: timeout after 1.0 s" ||
    fail "a stalled handshake did not time out"
pass "SSL_GET: a handshake that stalls times out"
line 6 "OK SSL_GET [$A]:8443" ||
    fail "SSL_GET of a 1.5 MB body did not match its digest"
pass "SSL_GET: a 1.5 MB body's digest over TLS"
line 7 "FAIL SSL_GET [$A]:8445: /: status 400, expected 200-299" ||
    fail "a server requiring a client certificate took none"

ssl_conf 1 >"$T/ssl_ca.conf"
run "$T/ssl_ca.conf"
line 1 "OK SSL_GET [$A]:8443" || fail "a certificate of the ca is refused"
pass "SSL_GET: with ca, a certificate the ca signed passes"
sed -n 3p "$T/out" | grep -q "^FAIL SSL_GET \[$A\]:8444: TLS handshake failed: certificate verify failed (self-signed certificate" ||
    fail "a self-signed certificate passed the verification"
pass "SSL_GET: with ca, a bad certificate fails: certificate verify failed"
line 7 "OK SSL_GET [$A]:8445" ||
    fail "the client certificate (key under a password) was not presented"
pass "SSL_GET: certificate, key and password give a client certificate"

# tls_compliant: the check ends with a close_notify; without it, quietly
ends=0
for compliant in "" tls_compliant; do
	ends=$((ends + 1))
	cat >"$T/notify.conf" <<CONF
virtual_server 10.78.0.100 443 {
    lb_kind NAT
    protocol TCP
    real_server $A 9008 {
        SSL_GET {
            connect_timeout 3
            $compliant
            url {
                path /
            }
        }
    }
}
CONF
	run "$T/notify.conf"
	line 1 "OK SSL_GET [$A]:9008" || fail "SSL_GET to the notify server failed"
	wait_for 50 sh -c "[ \$(cat '$T/tls_end.log' 2>/dev/null | wc -l) -ge $ends ]" ||
	    fail "the server did not see the end"
done
[ "$(cat "$T/tls_end.log")" = "no close_notify
close_notify" ] || fail "tls_compliant: the ends were: $(cat "$T/tls_end.log")"
pass "SSL_GET: tls_compliant ends with a close_notify, quietly without it"

# ---- hostile servers -----------------------------------------------------
cat >"$T/hostile.conf" <<CONF
virtual_server 10.78.0.100 80 {
    lb_kind NAT
    protocol TCP
    real_server $A 9001 {
        HTTP_GET {
            connect_timeout 3
            url {
                path /
            }
        }
    }
    real_server $A 9002 {
        HTTP_GET {
            connect_timeout 2
            url {
                path /
                digest 0123456789abcdef0123456789abcdef
            }
        }
    }
    real_server $A 9003 {
        HTTP_GET {
            connect_timeout 3
            url {
                path /
            }
        }
    }
    real_server $A 9004 {
        SSL_GET {
            connect_timeout 1
            url {
                path /
            }
        }
    }
    real_server $A 9005 {
        HTTP_GET {
            connect_timeout 1
            url {
                path /
            }
        }
    }
    real_server $A 9006 {
        HTTP_GET {
            connect_timeout 3
            http_protocol 1.1
            url {
                path /
                digest $(printf 'hello world' | md5sum | cut -d' ' -f1)
            }
        }
    }
    real_server $A 9007 {
        SSL_GET {
            connect_timeout 3
            url {
                path /
            }
        }
    }
}
CONF
run "$T/hostile.conf"
line 1 "FAIL HTTP_GET [$A]:9001: /: more than 100 header lines" ||
    fail "endless headers did not fail at the bound"
pass "hostile: endless headers fail at the header bound"
line 2 "FAIL HTTP_GET [$A]:9002: timeout after 2.0 s" ||
    fail "an endless body did not end at the timeout"
pass "hostile: an endless body ends at the timeout"
sed -n 3p "$T/out" | grep -q "^FAIL HTTP_GET \[$A\]:9003: /: not an HTTP/1.x status line" ||
    fail "garbage did not fail as garbage"
pass "hostile: garbage fails: not an HTTP/1.x status line"
line 4 "FAIL SSL_GET [$A]:9004: timeout after 1.0 s" ||
    fail "a TLS server stalling in the handshake did not time out"
line 5 "FAIL HTTP_GET [$A]:9005: timeout after 1.0 s" ||
    fail "a slow-loris server did not time out"
pass "hostile: a stalled handshake and a slow-loris time out"
line 6 "OK HTTP_GET [$A]:9006" || fail "a chunked reply's digest did not match"
pass "HTTP_GET: a chunked body is digested decoded"
line 7 "FAIL SSL_GET [$A]:9007: TLS handshake failed: connection closed by the server" ||
    fail "a TLS server closing in the handshake did not fail with its reason"
pass "hostile: a TLS server closing in the handshake fails at once, saying so"
[ "$(wc -l <"$T/out")" = 7 ] || fail "expected 7 lines"
done_testing
