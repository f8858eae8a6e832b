#!/bin/sh
# HTTP_GET in vigild's checker child, end to end against nginx: a page
# whose digest vigil-genhash gave keeps the real server in the desired
# table; the page gone (503) takes it out, logged as the issue shows it
# ("HTTP_GET [10.79.0.2]:8080: /health: status 503, expected 200"); the
# page back brings it back; an edited page takes it out again (digest
# mismatch).
. "$(dirname "$0")/lib.sh"

GENHASH="${top_builddir:-.}/healthcheck/vigil-genhash"
[ -x "$GENHASH" ] || fail "$GENHASH not built"
command -v nginx >/dev/null || fail "nginx not installed"

A=10.79.0.2
ip -n "$NS" addr add 10.79.0.1/24 dev veth0
ip -n "$NS" addr add $A/24 dev veth1

mkdir -p "$T/www" "$T/ngx"
printf 'healthy\n' >"$T/health.good"
cp "$T/health.good" "$T/www/health.html"
cat >"$T/nginx.conf" <<NGX
worker_processes 1;
pid $T/nginx.pid;
error_log $T/nginx.err warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $T/ngx/body;
    proxy_temp_path $T/ngx/proxy;
    fastcgi_temp_path $T/ngx/fastcgi;
    uwsgi_temp_path $T/ngx/uwsgi;
    scgi_temp_path $T/ngx/scgi;
    server {
        listen $A:8080;
        root $T/www;
        location = /health { try_files /health.html =503; }
    }
}
NGX
in_ns nginx -c "$T/nginx.conf" -p "$T/ngx/" -g 'daemon off; user root;' \
    >"$T/nginx.out" 2>&1 &
wait_for 100 sh -c "ip netns exec $NS ss -ltn | grep -q '$A:8080 '" ||
    fail "nginx did not start: $(cat "$T/nginx.out" "$T/nginx.err" 2>/dev/null)"

digest=$(in_ns "$GENHASH" -s $A -p 8080 -u /health | sed -n 's/^digest //p')
[ -n "$digest" ] || fail "vigil-genhash gave no digest"

cat >"$T/vigil.conf" <<CONF
virtual_server 10.79.0.100 80 {
    delay_loop 1
    lb_kind NAT
    protocol TCP
    real_server $A 8080 {
        HTTP_GET {
            connect_timeout 2
            retry 0
            url {
                path /health
                status_code 200
                digest $digest
            }
        }
    }
}
CONF
# seen TEXT: TEXT (a fixed string) is in vigild's log
seen() { grep -qF -- "$1" "$LOG"; }
start_vigild "$T/vigil.conf"
VS="[10.79.0.100]:tcp:80"
RS="real server $VS / [$A]:8080"
wait_for 100 seen "desired: $VS: add [$A]:8080 weight 1" ||
    fail "the real server did not enter the desired table"
pass "HTTP_GET with the digest vigil-genhash gave: in the desired table"

rm "$T/www/health.html"
wait_for 100 seen "$RS: UP -> DOWN: HTTP_GET [$A]:8080: /health: status 503, expected 200" ||
    fail "a 503 was not logged with its reason"
wait_for 50 seen "desired: $VS: remove [$A]:8080" ||
    fail "the real server did not leave the desired table"
pass "the page gone: status 503, expected 200; out of the desired table"

cp "$T/health.good" "$T/www/health.html"
wait_for 100 seen "$RS: DOWN -> UP" || fail "the page back did not bring it up"
pass "the page back: up again"

printf 'edited\n' >"$T/www/health.html"
wait_for 100 seen "HTTP_GET [$A]:8080: /health: digest mismatch" ||
    fail "an edited page did not fail the digest"
pass "an edited page: digest mismatch"
stop_vigild
[ "$VSTATUS" = 0 ] || fail "vigild exited with $VSTATUS"
done_testing
