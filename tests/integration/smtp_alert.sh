#!/bin/sh
# E-mail alerts (global_defs smtp_server, notification_email, smtp_alert):
# vigild against Python's own SMTP server (tests/integration/smtp_sink.py,
# the standard library's smtpd) in the test's namespace.
#  - VRRP: VI_1 starts BACKUP and becomes MASTER: one mail each, in that
#    order, with keepalived's subject and body; Debian's keepalived, run
#    beside it on the VRRP part of the same configuration, sends the same
#    mail (only Date and X-Mailer differ).
#  - checks: a real server's TCP_CHECK fails and recovers: "Realserver
#    ... - DOWN" / "- UP" and its virtual server's quorum mails; a second
#    virtual server on the same real server mails nothing (its real server
#    says smtp_alert off; a virtual server's quorum mails are off unless
#    asked for, as in keepalived 2.2.7).
#  - a dead server (SYNs dropped): alerts hang until smtp_connect_timeout
#    while VRRP changes state and the checks go on; each failure is logged
#    once, naming the server, the step and the alert.
. "$(dirname "$0")/lib.sh"
command -v socat >/dev/null || { echo "1..0 # SKIP no socat"; exit 77; }
command -v python3 >/dev/null || { echo "1..0 # SKIP no python3"; exit 77; }
command -v nft >/dev/null || { echo "1..0 # SKIP no nft"; exit 77; }
python3 -W ignore -c 'import smtpd' 2>/dev/null ||
    { echo "1..0 # SKIP python3 has no smtpd module"; exit 77; }
KEEPALIVED=${KEEPALIVED:-$(command -v keepalived || echo /usr/sbin/keepalived)}

ip -n "$NS" addr add 10.79.0.1/24 dev veth0
ip -n "$NS" addr add 10.79.0.2/24 dev veth1
mkdir "$T/mail"
ip netns exec "$NS" python3 "$top_srcdir/tests/integration/smtp_sink.py" \
    127.0.0.1 2525 "$T/mail" >>"$T/sink.log" 2>&1 &
wait_for 100 test -s "$T/mail/sink.pid" || fail "the SMTP sink did not start: $(cat "$T/sink.log")"

rs_listen 10.79.0.2 8080	# the real server

mailconf() {	# mailconf SERVER PORT TIMEOUT: global_defs
	cat <<EOF
global_defs {
    router_id lvs_mail
    notification_email {
        ops@example.com
        oncall@example.com
    }
    notification_email_from vigil@lvs.example.com
    smtp_server $1 $2
    smtp_helo_name director.example.com
    smtp_connect_timeout $3
}
EOF
}
vrrpconf() {	# vrrpconf IFACE VRID
	cat <<EOF
vrrp_instance VI_1 {
    state BACKUP
    interface $1
    virtual_router_id $2
    priority 100
    advert_int 1
    virtual_ipaddress {
        10.79.$2.100/32
    }
    smtp_alert
}
EOF
}
lvsconf() {
	cat <<EOF
virtual_server 10.79.0.100 80 {
    delay_loop 1
    lb_kind DR
    protocol TCP
    smtp_alert
    real_server 10.79.0.2 8080 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}
virtual_server 10.79.0.101 80 {
    delay_loop 1
    lb_kind DR
    protocol TCP
    real_server 10.79.0.2 8080 {
        smtp_alert off
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}
EOF
}
{ mailconf 127.0.0.1 2525 5; vrrpconf veth0 79; lvsconf; } >"$T/vigil.conf"

# mail_is SUBJECT [MAILER]: the file of the mail with that subject
mail_is() {
	grep -lxF "Subject: [lvs_mail] $1" "$T"/mail/*.eml 2>/dev/null |
	    xargs -r grep -lxF "X-Mailer: ${2:-vigil}" 2>/dev/null | head -1
}
has_mail() { [ -n "$(mail_is "$@")" ]; }
nmails() { ls "$T"/mail/*.eml 2>/dev/null | wc -l; }
nsent() { grep -c 'smtp_alert: 127.0.0.1:2525: sent "' "$LOG"; }
body_of() { sed -n '/^$/,$p' "$1" | sed '1,/^$/d' | sed '/^$/d'; }

start_vigild "$T/vigil.conf"
if [ -x "$KEEPALIVED" ]; then
	# keepalived on a veth pair of its own, VRRP only
	ip -n "$NS" link add veth2 type veth peer name veth3
	ip -n "$NS" link set veth2 up
	ip -n "$NS" link set veth3 up
	ip -n "$NS" addr add 10.79.80.1/24 dev veth2
	{ mailconf 127.0.0.1 2525 5; vrrpconf veth2 80; } >"$T/ka.conf"
	ip netns exec "$NS" "$KEEPALIVED" -n -l -D -G -P -f "$T/ka.conf" \
	    -p "$T/ka.pid" -r "$T/ka-vrrp.pid" -c "$T/ka-chk.pid" \
	    -b "$T/ka-bfd.pid" >>"$T/ka.log" 2>&1 &
	KA_PID=$!
fi

M="VRRP Instance VI_1 - Entering MASTER state"
B="VRRP Instance VI_1 - Entering BACKUP state"
wait_for 150 has_mail "$M" || fail "no MASTER mail; mails: $(grep -h ^Subject "$T"/mail/*.eml)"
wait_for 30 has_mail "$B" || fail "no BACKUP mail"
[ "$(basename "$(mail_is "$B")" .eml)" -lt "$(basename "$(mail_is "$M")" .eml)" ] ||
    fail "the MASTER mail came before the BACKUP mail"
f=$(mail_is "$M")
sed -n 1,3p "$f" >"$T/env"
printf 'helo: director.example.com\nfrom: vigil@lvs.example.com\nto: ops@example.com,oncall@example.com\n' |
    cmp -s - "$T/env" || fail "envelope: $(cat "$T/env")"
grep -qx 'From: vigil@lvs.example.com' "$f" &&
    grep -qx 'To: ops@example.com, oncall@example.com' "$f" &&
    grep -qx 'X-Mailer: vigil' "$f" && grep -q '^Date: ' "$f" ||
    fail "headers: $(cat "$f")"
[ "$(body_of "$f")" = "=> VRRP Instance is now owning VRRP VIPs <=" ] ||
    fail "MASTER body: $(body_of "$f")"
[ "$(body_of "$(mail_is "$B")")" = "=> VRRP Instance is no longer owning VRRP VIPs <=" ] ||
    fail "BACKUP body: $(body_of "$(mail_is "$B")")"
pass "VRRP: BACKUP then MASTER mailed to both addresses: HELO, MAIL FROM, To, Subject and body as keepalived's"

if [ -n "${KA_PID:-}" ]; then
	wait_for 150 has_mail "$M" Keepalived ||
	    fail "no MASTER mail from keepalived: $(tail -5 "$T/ka.log"; grep -h -e ^Subject -e ^X-Mailer "$T"/mail/*.eml)"
	# the same mail but for the date and the mailer
	for who in vigil Keepalived; do
		grep -v -e '^Date: ' -e '^X-Mailer: ' "$(mail_is "$M" $who)" >"$T/$who.eml"
	done
	diff -u "$T/Keepalived.eml" "$T/vigil.eml" >"$T/ka.diff" ||
	    fail "vigild's mail differs from keepalived's: $(cat "$T/ka.diff")"
	kill -TERM "$KA_PID"
	wait_for 100 dead "$KA_PID" || fail "keepalived did not stop"
	pass "keepalived 2.2.7's MASTER mail of the same configuration is the same (Date, X-Mailer aside)"
else
	pass "# SKIP keepalived is not installed: no comparison"
fi

# the checks: the real server goes down and comes back
# DR: keepalived 2.2.7 names the real server by the port it reset it to,
# its virtual server's, in the subject (its check goes to 8080)
RS="Realserver [10.79.0.2]:tcp:80 of virtual server [10.79.0.100]:tcp:80"
VS="Virtualserver [10.79.0.100]:tcp:80"
wait_for 100 log_has 'smtp_alert: 127.0.0.1:2525: sent ".lvs_mail. VRRP Instance VI_1 - Entering MASTER' ||
    fail "vigild did not log the MASTER mail"
before=$(nsent)
kill "$(cat "$T/8080.listener")"
wait_for 100 has_mail "$RS - DOWN" || fail "no real server DOWN mail"
wait_for 50 has_mail "$VS - DOWN" || fail "no virtual server DOWN mail"
[ "$(body_of "$(mail_is "$RS - DOWN")")" = "=> TCP CHECK failed on service <=" ] ||
    fail "real server DOWN body: $(body_of "$(mail_is "$RS - DOWN")")"
[ "$(body_of "$(mail_is "$VS - DOWN")")" = "=> Lost quorum 1+0=1 <= 0 <=" ] ||
    fail "quorum lost body: $(body_of "$(mail_is "$VS - DOWN")")"
rs_listen 10.79.0.2 8080
wait_for 100 has_mail "$RS - UP" || fail "no real server UP mail"
# the virtual server's UP mails: at start ("Starting with quorum up", as
# keepalived sends it) and now
vs_up() {
	for _f in $(grep -lxF "Subject: [lvs_mail] $VS - UP" "$T"/mail/*.eml 2>/dev/null); do
		body_of "$_f"
	done | sort
}
wait_for 50 sh -c "[ \$(grep -lxF 'Subject: [lvs_mail] $VS - UP' $T/mail/*.eml | wc -l) -ge 2 ]" ||
    fail "no virtual server UP mail: $(vs_up)"
[ "$(body_of "$(mail_is "$RS - UP")")" = "=> TCP CHECK succeed on service <=" ] ||
    fail "real server UP body: $(body_of "$(mail_is "$RS - UP")")"
[ "$(vs_up)" = "=> Gained quorum 1+0=1 <= 1 <=
=> Starting with quorum up 1+0=1 <= 1 <=" ] ||
    fail "quorum up bodies: $(vs_up)"
wait_for 50 sh -c "[ \$(grep -c 'smtp_alert: 127.0.0.1:2525: sent \"' $LOG) -ge $((before + 4)) ]" ||
    fail "vigild logged $(nsent) mails sent, expected $((before + 4))"
[ "$(nsent)" = $((before + 4)) ] ||
    fail "$(($(nsent) - before)) checker mails, expected 4: $(grep -h ^Subject "$T"/mail/*.eml)"
! grep -q '10.79.0.101' "$T"/mail/*.eml || fail "the second virtual server mailed"
pass "checks: start with quorum, real server DOWN and UP, quorum lost and gained mailed; the virtual server whose real server says smtp_alert off mails nothing"

# a dead server: its SYNs are dropped (nftables in the namespace)
ip -n "$NS" addr add 10.79.9.9/32 dev veth1
ip netns exec "$NS" nft -f - <<EOF || fail "nft: cannot drop the SYNs"
table inet smtp_dead {
    chain in {
        type filter hook input priority 0;
        ip daddr 10.79.9.9 tcp dport 25 drop
    }
}
EOF
{ mailconf 10.79.9.9 25 8; vrrpconf veth0 79; lvsconf; } >"$T/vigil.conf"
kill -HUP "$VPID"
wait_for 100 log_has 'running configuration generation 2' || fail "reload did not finish"
ctl() { ip netns exec "$NS" "$top_builddir/daemon/vigilctl" -s "$T/vigild.ctl" "$@"; }
ctl vrrp force-backup VI_1 >/dev/null || fail "vigilctl vrrp force-backup failed"
wait_for 50 log_has 'VI_1: MASTER -> BACKUP' || fail "VI_1 did not go BACKUP"
ctl vrrp release VI_1 >/dev/null || fail "vigilctl vrrp release failed"
wait_for 100 sh -c "grep 'VI_1: ' $LOG | tail -1 | grep -q 'BACKUP -> MASTER'" ||
    fail "VI_1 did not become MASTER again"
kill "$(cat "$T/8080.listener")"
wait_for 100 log_has 'real server .*10.79.0.2.:8080 (IPVS .10.79.0.2.:80): UP -> DOWN' || fail "the real server was not seen down"
ctl status >/dev/null || fail "vigilctl status failed while alerts hang"
FAILB='smtp_alert: 10.79.9.9:25: connect: timeout after 8.0 s; alert "\[lvs_mail\] VRRP Instance VI_1 - Entering BACKUP state" not sent'
wait_for 150 log_has "$FAILB" || fail "the BACKUP alert's failure was not logged"
# order, not time: the state came back and the real server was seen down
# while that alert was still in flight
line_of() { grep -n -- "$1" "$LOG" | tail -1 | cut -d: -f1; }
[ "$(line_of 'VI_1: BACKUP -> MASTER')" -lt "$(line_of "$FAILB")" ] &&
    [ "$(line_of 'UP -> DOWN')" -lt "$(line_of "$FAILB")" ] ||
    fail "VRRP or the checks waited for the alert: $(grep -e 'VI_1: ' -e 'UP -> DOWN' -e 'smtp_alert' "$LOG" | tail -8)"
FAILM='smtp_alert: 10.79.9.9:25: connect: timeout after 8.0 s; alert "\[lvs_mail\] VRRP Instance VI_1 - Entering MASTER state" not sent'
wait_for 150 log_has "$FAILM" || fail "the MASTER alert's failure was not logged"
[ "$(grep -c "$FAILB" "$LOG")" = 1 ] || fail "a failure logged more than once"
pass "a dead smtp_server: VRRP state changes and checks go on while alerts hang; each failure logged once, naming the server, the step and the alert"

stop_vigild
[ "$VSTATUS" = 0 ] || fail "vigild exited with $VSTATUS"
kill "$(cat "$T/8080.listener")" "$(cat "$T/mail/sink.pid")" 2>/dev/null
pass "vigild stops with alerts in flight"
done_testing
