#!/bin/sh
# keepalived's checker as the reference, per real server (inside
# User-Mode Linux, run by tests/kernel/kernel.sh). vigild in d1 and
# Debian's keepalived in d2 read one configuration with several checker
# kinds on distinct real servers: TCP_CHECK (nginx stopped and started,
# which also takes a third virtual server below its quorum: its sorry
# server in, its live real servers out, quorum_down, then all back),
# HTTP_GET (a status 200 -> 503 -> 200 with inhibit_on_failure, and a page
# whose digest changes and returns), SMTP_CHECK (Python's SMTP server
# stopped and started), DNS_CHECK (dnsmasq stopped and started) and two
# MISC_CHECKs whose exit codes follow a plan, one run after the other, the
# same for both daemons (misc_dynamic weights, retry absorbing a short
# failure, alpha, inhibit_on_failure). A poller in each director records
# /proc/net/ip_vs whenever it changes; per real server the ordered
# sequence of its states (absent, or present with a weight), repeats
# collapsed, must be the same for both daemons and the one written here.
# notify_up / notify_down scripts log per real server too, and their
# sequences (with rs_init_notifies at start and omega at stop) must also
# agree. Differences allowed on purpose are listed in ALLOWED below, each
# with its reason (none today). The failures and recoveries of TCP, HTTP
# and DNS happen together, while the MISC plans run. With
# snmpd and SNMP in both daemons (unless VIGIL_KERNEL_SNMP=0), each director has
# an snmpd (AgentX on its loopback)
# and KEEPALIVED-MIB's checker subtree (virtualServerTable,
# realServerTable, the LVS scalars) is walked in both at the end: equal
# but for the columns in SNMP_ALLOWED, each with its reason.
#
# ipvs_keepalived.sh sources this script once its own daemons have
# stopped (KA_SHARED_TOPO=1), so that both run on one topology (klib.sh's:
# making it costs the loaded guest tens of seconds); alone
# (VIGIL_KERNEL_TESTS=ipvs_ka_checks.sh) it makes its own.
if [ -z "${KA_SHARED_TOPO:-}" ]; then
	. "$(dirname "$0")/klib.sh"
	command -v ipvsadm >/dev/null || { echo "SKIP: no ipvsadm"; exit 77; }
	command -v nginx >/dev/null || { echo "SKIP: no nginx"; exit 77; }
	command -v keepalived >/dev/null || { echo "SKIP: no keepalived"; exit 77; }
fi
if ! command -v dnsmasq >/dev/null || ! command -v bash >/dev/null ||
    ! python3 -W ignore -c 'import smtpd' 2>/dev/null; then
	[ -n "${KA_SHARED_TOPO:-}" ] && {
		echo "# the checker comparison needs dnsmasq, bash and python3's smtpd: skipped"
		return 0
	}
	echo "SKIP: no dnsmasq, no bash or no python3 smtpd"
	exit 77
fi
[ -n "${KA_SHARED_TOPO:-}" ] || topo
note "checkers: vigild and keepalived, transitions per real server"

# which director runs a script: d1 alone has eth1 (to the client)
cat >"$T/me.sh" <<EOF
if [ -d /proc/sys/net/ipv4/conf/eth1 ]; then me=d1; else me=d2; fi
EOF
# misc.sh NAME: exit with the next code of plan.NAME (one a line; past
# the end, the last), counting the runs per director: both daemons see
# the same results in the same order however the guest schedules them
cat >"$T/misc.sh" <<EOF
. $T/me.sh
n=0
[ -f $T/count.\$1.\$me ] && read n <$T/count.\$1.\$me
i=0 code=0
while read c; do
	code=\$c i=\$((i + 1))
	[ \$i -gt \$n ] && break
done <$T/plan.\$1
echo \$((n + 1)) >$T/count.\$1.\$me
exit \$code
EOF
# notify.sh NAME EVENT: one line per notify_up / notify_down, led by the
# time the daemon started the script (clock ticks since boot: field 22 of
# /proc/PID/stat) and its pid: two scripts of one real server can finish
# out of order in a starved guest, and ordered() puts their lines back in
# the order they were started
cat >"$T/notify.sh" <<EOF
. $T/me.sh
read -r st </proc/\$\$/stat
n=\$1 e=\$2
set -- \$st
shift 21
echo "\$1 \$\$ \$n \$e" >>$T/notify.\$me
EOF
ordered() { sort -k1,1n -k2,2n "$1" | cut -d' ' -f3-; }
: >"$T/notify.d1"
: >"$T/notify.d2"

# MISC A: misc_dynamic, retry 2, alpha (its virtual server's), weight 4.
# Three failures at start (down from the first), up, a failure and a
# second one absorbed by retry, weight 10 then 0 (exit codes 12, 2), down,
# up with weight 5 (exit 7), back to its configured weight (exit 0). Each
# state holds for several runs, so that the pollers see it.
printf '%s\n' 1 1 1  0 0 0  1 1 0  12 12 12  2 2 2  1 1 1 1 1  7 7 7  0 \
    >"$T/plan.A"
# MISC B: retry 1, alpha, inhibit_on_failure, weight 2: in the table with
# weight 0 from the start, up, down again (weight 0), up.
printf '%s\n' 1 1 1  0 0 0  1 1 1 1  0 >"$T/plan.B"
plan_len() { wc -l <"$T/plan.$1"; }

# the web servers: r1:81 for TCP_CHECK; r2:82 for HTTP_GET's status,
# /status 503 while $T/http-down exists; r2:85 for its digest, /page the
# file $T/www/page
mkdir -p "$T/www"
echo "page one" >"$T/www/page"
chmod 755 "$T" "$T/www"	# nginx's worker reads the page as nobody
chmod 644 "$T/www/page"
digest=$(md5sum <"$T/www/page" | cut -d' ' -f1)
nginx_conf() {	# nginx_conf NAME SERVER-BLOCK
	mkdir -p "$T/web-$1"
	{
		echo "daemon off; worker_processes 1; pid $T/web-$1/pid;"
		echo "error_log $T/web-$1/error.log;"
		echo "events { worker_connections 256; }"
		echo "http { access_log off;"
		for _t in client_body proxy fastcgi uwsgi scgi; do
			echo "${_t}_temp_path $T/web-$1/$_t;"
		done
		echo "$2 }"
	} >"$T/web-$1.conf"
}
nginx_conf tcp 'server { listen 81; return 200 "tcp\n"; }'
nginx_conf http "server { listen 82;
	location = /status { if (-f $T/http-down) { return 503; } return 200 \"ok\\n\"; } }
	server { listen 85; location = /page { root $T/www; } }"
start_web() { bg "web-$1" "$2" nginx -c "$T/web-$1.conf" -p "$T/web-$1"; }
start_dns() {
	bg dns r2 dnsmasq -k -C /dev/null --port=53 --listen-address=10.9.0.12 \
	    --bind-interfaces --no-resolv --no-hosts --address=/www.test/10.9.0.99 \
	    --pid-file="$T/dnsmasq.pid"
}
# r2:25 for SMTP_CHECK: Python's own SMTP server
start_smtp() {
	bg smtp r2 python3 "$top_srcdir/tests/integration/smtp_sink.py" \
	    10.9.0.12 25 "$T/smtp"
}
mkdir -p "$T/smtp"
start_web tcp r1
start_web http r2
start_dns
start_smtp

notify() {	# notify NAME: its notify_up / notify_down
	echo "notify_up \"/bin/sh $T/notify.sh $1 UP\""
	echo "notify_down \"/bin/sh $T/notify.sh $1 DOWN\""
}
# KEEPALIVED-MIB's checker tables too, when snmpd and both daemons have
# SNMP (VIGIL_KERNEL_SNMP=0 leaves them out): an snmpd in each director
# (AgentX on its loopback), each walked with GETBULK (50 a request: one
# GETNEXT a value took minutes through the slow guest, this about 10 s).
SNMP=
if [ "${VIGIL_KERNEL_SNMP:-1}" = 1 ] &&
    command -v snmpd >/dev/null && command -v snmpwalk >/dev/null &&
    keepalived -v 2>&1 | grep -q SNMP_CHECKER &&
    grep -q '^#define HAVE_SNMP 1' "$top_builddir/autoconfig.h" 2>/dev/null; then
	SNMP=1
fi
snmp_conf() {
	[ -n "$SNMP" ] || return 0
	printf '\tenable_snmp_checker\n\tsnmp_socket tcp:127.0.0.1:705\n'
}
cat >"$T/checks.conf" <<EOF
global_defs {
	router_id kernel_checks
	rs_init_notifies
$(snmp_conf)
}
virtual_server 10.9.1.110 80 {
	delay_loop 1
	lvs_sched rr
	lvs_method NAT
	protocol TCP
	real_server 10.9.0.11 81 {
		weight 1
		$(notify tcp)
		TCP_CHECK {
			connect_timeout 2
			retry 1
			delay_before_retry 1
		}
	}
	real_server 10.9.0.12 82 {
		weight 3
		inhibit_on_failure
		$(notify http)
		HTTP_GET {
			url {
				path /status
				status_code 200
			}
			connect_timeout 2
		}
	}
	real_server 10.9.0.12 25 {
		weight 1
		$(notify smtp)
		SMTP_CHECK {
			connect_timeout 2
			helo_name check.test
		}
	}
	real_server 10.9.0.12 85 {
		weight 2
		$(notify digest)
		HTTP_GET {
			url {
				path /page
				digest $digest
			}
			connect_timeout 2
		}
	}
}
virtual_server 10.9.1.111 80 {
	delay_loop 1
	lvs_sched wrr
	lvs_method NAT
	protocol TCP
	alpha
	omega
	real_server 10.9.0.11 83 {
		weight 4
		$(notify miscA)
		MISC_CHECK {
			misc_path "/bin/sh $T/misc.sh A"
			misc_timeout 30
			misc_dynamic
			retry 2
			delay_before_retry 1
		}
	}
	real_server 10.9.0.11 84 {
		weight 2
		inhibit_on_failure
		$(notify miscB)
		MISC_CHECK {
			misc_path "/bin/sh $T/misc.sh B"
			misc_timeout 30
			retry 1
			delay_before_retry 1
		}
	}
	real_server 10.9.0.12 53 {
		weight 1
		$(notify dns)
		DNS_CHECK {
			type A
			name www.test
			connect_timeout 2
		}
	}
}
virtual_server 10.9.1.112 80 {
	delay_loop 1
	lvs_sched rr
	lvs_method NAT
	protocol TCP
	quorum 2
	quorum_up "/bin/sh $T/notify.sh quorum UP"
	quorum_down "/bin/sh $T/notify.sh quorum DOWN"
	sorry_server 10.9.0.12 86
	real_server 10.9.0.11 81 {
		weight 1
		TCP_CHECK {
			connect_timeout 2
			retry 1
			delay_before_retry 1
		}
	}
	real_server 10.9.0.12 82 {
		weight 1
		TCP_CHECK {
			connect_timeout 2
		}
	}
}
EOF

# The real servers, by name: the service and the destination as
# /proc/net/ip_vs writes them (hexadecimal address:port).
hex() { printf '%02X%02X%02X%02X:%04X' $(echo "$1" | tr . ' ') "$2"; }
RSS="tcp=$(hex 10.9.1.110 80)>$(hex 10.9.0.11 81)
http=$(hex 10.9.1.110 80)>$(hex 10.9.0.12 82)
digest=$(hex 10.9.1.110 80)>$(hex 10.9.0.12 85)
smtp=$(hex 10.9.1.110 80)>$(hex 10.9.0.12 25)
miscA=$(hex 10.9.1.111 80)>$(hex 10.9.0.11 83)
miscB=$(hex 10.9.1.111 80)>$(hex 10.9.0.11 84)
dns=$(hex 10.9.1.111 80)>$(hex 10.9.0.12 53)
q81=$(hex 10.9.1.112 80)>$(hex 10.9.0.11 81)
q82=$(hex 10.9.1.112 80)>$(hex 10.9.0.12 82)
qsorry=$(hex 10.9.1.112 80)>$(hex 10.9.0.12 86)"

# The sequences wanted, per real server: "-" absent, wN present with
# weight N. The table of each director starts empty.
WANT="tcp - w1 - w1
http - w3 w0 w3
digest - w2 - w2
smtp - w1 - w1
miscA - w4 w10 w0 - w5 w4
miscB - w0 w2 w0 w2
dns - w1 - w1
q81 - w1 - w1
q82 - w1 - w1
qsorry - w1 -"
# notify_up / notify_down, per real server, until the daemons stop:
# rs_init_notifies says UP at start for those not under alpha; alpha says
# DOWN when the first check fails for good. A virtual server starting with
# its quorum runs quorum_up ("Starting with quorum up").
NOTIFY_WANT="tcp UP DOWN UP
http UP DOWN UP
digest UP DOWN UP
smtp UP DOWN UP
miscA DOWN UP DOWN UP
miscB DOWN UP DOWN UP
dns UP DOWN UP
quorum UP DOWN UP"
# omega: on stop, notify_down for each real server up under it. Both
# daemons give those scripts a second and then kill them, which a starved
# guest's exec can miss (keepalived's too): vigild's decision is checked
# in its log, and the scripts that finished are printed, not compared.
OMEGA_WANT="miscA=10.9.0.11]:83 miscB=10.9.0.11]:84 dns=10.9.0.12]:53"
# Differences allowed on purpose: "NAME reason" (table sequences) and
# "notify:NAME reason" (notify sequences). None today.
ALLOWED=""

# poll NODE: /proc/net/ip_vs of NODE, appended to $T/poll.NODE after a
# line "--" whenever it changed; every 0.2 s (read -t on a fifo: no fork)
# until $T/poll.stop exists, 6000 rounds at most
mkfifo "$T/tick"
poll() {
	bg "poll-$1" "$1" bash -c '
	exec 9<>"$2"
	prev=
	for ((i = 0; i < 6000; i++)); do
		[ -e "$3" ] && break
		mapfile -t l </proc/net/ip_vs
		cur="${l[*]:3}"
		if [ "$cur" != "$prev" ] || [ $i = 0 ]; then
			printf "%s\n" -- "${l[@]:3}" >>"$1"
			prev=$cur
		fi
		read -t 0.2 -u 9
	done' poll "$T/poll.$1" "$T/tick" "$T/poll.stop"
}
# seqs NODE: per real server "NAME STATE...", repeats collapsed
seqs() {
	awk -v rss="$RSS" '
	BEGIN {
		n = split(rss, a, "\n")
		for (i = 1; i <= n; i++) {
			split(a[i], kv, "=")
			name[i] = kv[1]; key[i] = kv[2]
		}
	}
	function flush(  i, s) {
		for (i = 1; i <= n; i++) {
			s = (key[i] in cur) ? "w" cur[key[i]] : "-"
			if (s != last[i]) { seq[i] = seq[i] " " s; last[i] = s }
		}
		for (k in cur) delete cur[k]
	}
	$1 == "--" { if (started) flush(); started = 1; next }
	$1 == "TCP" || $1 == "UDP" || $1 == "FWM" { svc = $2; next }
	$1 == "->" { cur[svc ">" $2] = $4 }
	END {
		if (started) flush()
		for (i = 1; i <= n; i++) print name[i] seq[i]
	}' "$T/poll.$1"
}
# both NAME STATE...: in both directors, each real server NAME is in STATE
both() {
	seqs d1 >"$T/now.d1"
	seqs d2 >"$T/now.d2"
	awk -v want="$*" '
	BEGIN {
		n = split(want, w, " ")
		for (i = 1; i < n; i += 2) need[w[i]] = w[i + 1]
	}
	$1 in need { seen++; if ($NF != need[$1]) bad = 1 }
	END { exit bad || seen != n }' "$T/now.d1" "$T/now.d2"
}
step() {	# step WHAT NAME STATE...: wait until both directors agree
	_what=$1; shift
	wait_for 240 both "$@" || {
		echo "# vigild:"; sed 's/^/#   /' "$T/now.d1"
		echo "# keepalived:"; sed 's/^/#   /' "$T/now.d2"
		fail "$_what: not reached by both daemons: $*"
	}
	pass "$_what: both daemons: $*"
}
# ran NAME: both daemons ran MISC_CHECK NAME past the end of its plan
# (a count being written reads empty: not yet)
ran() {
	for d in d1 d2; do
		_c=
		[ -f "$T/count.$1.$d" ] && read -r _c <"$T/count.$1.$d"
		case $_c in ''|*[!0-9]*) return 1 ;; esac
		[ "$_c" -gt "$(plan_len "$1")" ] || return 1
	done
}

KA=.1.3.6.1.4.1.9586.100.5
if [ -n "$SNMP" ]; then
	# the net-snmp tools load no MIB files: numeric OIDs only
	MIBS= MIBDIRS=$T/nomibs
	export MIBS MIBDIRS
	mkdir -p "$T/nomibs"
	cat >"$T/snmpd.conf" <<EOF
master agentx
agentXSocket tcp:127.0.0.1:705
agentaddress udp:127.0.0.1:1161
rocommunity public 127.0.0.1
EOF
	for d in d1 d2; do
		bg snmpd-$d $d snmpd -f -C -c "$T/snmpd.conf" -Lf "$T/snmpd-$d.log" \
		    -p "$T/snmpd-$d.pid"
	done
	snmpd_up() { grep -q 'NET-SNMP version' "$T/snmpd-d1.log" "$T/snmpd-d2.log" 2>/dev/null &&
	    [ "$(grep -l 'NET-SNMP version' "$T/snmpd-d1.log" "$T/snmpd-d2.log" | wc -l)" = 2 ]; }
	wait_for 120 snmpd_up || fail "snmpd did not start in both directors"
fi
# walk NODE: KEEPALIVED-MIB's checker subtree in NODE
walk() {
	in_ns "$1" snmpbulkwalk -v2c -c public -On -Cr50 -t 5 -r 2 127.0.0.1:1161 $KA.3 2>/dev/null
}

: >"$T/poll.d1"
: >"$T/poll.d2"
poll d1
poll d2
note "starting vigild and keepalived"
bg vigild d1 "$VIGILD" -n -l -G -C -f "$T/checks.conf" -p "$T/v.pid" \
    -c "$T/vc.pid" -r "$T/vr.pid" --child-watchdog 0
bg keepalived d2 keepalived -n -l -D -C -f "$T/checks.conf" -p "$T/k.pid" \
    -c "$T/kc.pid" -r "$T/kr.pid"

step "start" tcp w1 http w3 digest w2 smtp w1 dns w1 q81 w1 q82 w1 qsorry -
note "breaking TCP (nginx stopped), HTTP (503, another digest), SMTP (its server stopped) and DNS (dnsmasq stopped)"
stop_bg web-tcp
touch "$T/http-down"
echo "page two" >"$T/www/page"
stop_bg dns
stop_bg smtp
step "TCP, HTTP status and digest, SMTP, DNS failing; quorum lost, the sorry server in" \
    tcp - http w0 digest - smtp - dns - q81 - q82 - qsorry w1
note "restoring them"
start_web tcp r1
rm -f "$T/http-down"
echo "page one" >"$T/www/page"
start_dns
start_smtp
step "TCP, HTTP status and digest, SMTP, DNS back; quorum regained, the sorry server out" \
    tcp w1 http w3 digest w2 smtp w1 dns w1 q81 w1 q82 w1 qsorry -
wait_for 240 ran A && wait_for 240 ran B ||
    fail "the MISC_CHECK plans did not run out (A: $(cat "$T"/count.A.* 2>/dev/null), B: $(cat "$T"/count.B.* 2>/dev/null))"
step "MISC_CHECK plans done" miscA w4 miscB w2

# the sequences so far: the SNMP walks below once made keepalived's
# checker process die and restart (its parent respawns it: notify_up
# again for every real server up, rs_init_notifies)
touch "$T/poll.stop"
for d in d1 d2; do
	wait_for 60 dead "$(cat "$T/poll-$d.pid")"
	seqs $d >"$T/seq.$d"
done
# the notify scripts of the last transitions have ended
nwant=$(printf '%s\n' "$NOTIFY_WANT" | awk '{ n += NF - 1 } END { print n }')
notified() { [ "$(wc -l <"$T/notify.d1")" -ge $nwant ] && [ "$(wc -l <"$T/notify.d2")" -ge $nwant ]; }
wait_for 60 notified
ordered "$T/notify.d1" >"$T/notify-run.d1"
ordered "$T/notify.d2" >"$T/notify-run.d2"

# What of the checker subtree may differ, each with why: snmp_allow KIND
# TABLE FIRST LAST WHY allows columns FIRST..LAST of virtualServerTable
# (3) or realServerTable (4). VALUE: the OID is in both walks, its value
# may differ (counters and rates); VIGIL_ONLY: columns vigild serves and
# keepalived 2.2.7 does not register. Anything else that differs fails:
# a value, an OID either walk lacks.
snmp_allow() {
	_c=$3
	while [ "$_c" -le "$4" ]; do
		echo "$1 $KA.3.$2.1.$_c. $5"
		_c=$((_c + 1))
	done
}
SNMP_ALLOWED=$(
	snmp_allow VALUE 3 27 50 "virtualServerStats*, Rate*: counters and rates"
	snmp_allow VALUE 4 14 39 "realServerStats*, Rate*: counters and rates"
	snmp_allow VIGIL_ONLY 3 74 78 "virtualServerRate*64: in the KEEPALIVED-MIB revision mibs/ ships (2024), not registered by keepalived 2.2.7"
	snmp_allow VIGIL_ONLY 4 58 62 "realServerRate*64: the same"
)
if [ -n "$SNMP" ]; then
	# every real server in both walks (realServerStatus), then compare
	note "walking KEEPALIVED-MIB's checker subtree in both directors"
	rounds=0
	walked() {
		rounds=$((rounds + 1))
		walk d1 | sort >"$T/snmp.d1"
		walk d2 | sort >"$T/snmp.d2"
		[ "$(grep -c "^$KA.3.4.1.6\\." "$T/snmp.d1")" -ge 9 ] &&
		    [ "$(grep -c "^$KA.3.4.1.6\\." "$T/snmp.d2")" -ge 9 ] &&
		    # vigild reads the kernel's counters when asked: a walk
		    # may come before the first read
		    [ "$(grep -c "^$KA.3.4.1.14\\." "$T/snmp.d1")" -ge \
		    "$(grep -c "^$KA.3.4.1.14\\." "$T/snmp.d2")" ]
	}
	wait_for 120 walked || fail "the walks do not show the 9 real servers, or vigild lacks counters keepalived shows (vigild $(grep -c . "$T/snmp.d1") lines, keepalived $(grep -c . "$T/snmp.d2"))"
	# one awk (a fork costs the starved guest): every OID either walk
	# has, with another value or missing in the other, not allowed
	printf '%s\n' "$SNMP_ALLOWED" | awk '
	FILENAME == "-" { kind[++na] = $1; allow[na] = $2; next }
	function allowed_as(k, oid,   i) {
		for (i = 1; i <= na; i++)
			if (kind[i] == k && index(oid, allow[i]) == 1)
				return 1
		return 0
	}
	{
		oid = $1; v = $0; sub(/^[^ ]* = /, "", v)
		if (FILENAME ~ /d1$/) vg[oid] = v; else ka[oid] = v
		all[oid] = 1
	}
	END {
		for (oid in all) {
			if ((oid in vg) && (oid in ka) && vg[oid] == ka[oid]) continue
			if ((oid in vg) && (oid in ka) && allowed_as("VALUE", oid)) {
				allowed++
				continue
			}
			if ((oid in vg) && !(oid in ka) && allowed_as("VIGIL_ONLY", oid)) {
				vonly++
				continue
			}
			bad++
			printf "# %s: keepalived %s, vigild %s\n", oid,
			    (oid in ka) ? ka[oid] : "(none)", (oid in vg) ? vg[oid] : "(none)"
		}
		printf "%d %d %d\n", bad, allowed, vonly > "/dev/stderr"
		exit bad > 0
	}' - "$T/snmp.d1" "$T/snmp.d2" 2>"$T/snmp.count" | sort | head -40
	read -r snmp_bad snmp_allowed snmp_vonly <"$T/snmp.count"
	[ "$snmp_bad" = 0 ] || fail "the KEEPALIVED-MIB checker walks differ at $snmp_bad OID(s) outside the allowed columns"
	pass "KEEPALIVED-MIB checker tables: vigild's walk is keepalived's ($(grep -c . "$T/snmp.d2") values) but for $snmp_allowed counters and rates, and $snmp_vonly values of columns keepalived 2.2.7 does not register ($rounds round(s) of walks)"
fi

note "stopping both daemons (omega: notify_down)"
stop_bg vigild
stop_bg keepalived

allowed() { printf '%s\n' "$ALLOWED" | grep -q "^$1 "; }
# compare WHAT NAME WANT VIGILD KEEPALIVED
compare() {
	if [ "$4" = "$5" ] && [ "$4" = "$3" ]; then
		pass "$1 $2: vigild and keepalived: $4"
	elif allowed "$2" && [ "$4" = "$3" ]; then
		pass "$1 $2: vigild: $4; keepalived: $5 (allowed: $(printf '%s\n' "$ALLOWED" | grep "^$2 " | cut -d' ' -f2-))"
	else
		n=$((n + 1)) bad=$((bad + 1))
		echo "not ok $n - $1 $2: vigild and keepalived differ"
		echo "#   wanted:     $3"
		echo "#   vigild:     $4"
		echo "#   keepalived: $5"
	fi
}
# got NAME FILE: in _got, what follows NAME on its lines of FILE, joined
# by spaces (builtins only: a fork costs the starved guest)
got() {
	_got=
	while read -r _k _v; do
		[ "$_k" != "$1" ] || _got="${_got:+$_got }$_v"
	done <"$2"
}
bad=0
while read -r name want; do
	got "$name" "$T/seq.d1"
	v=$_got
	got "$name" "$T/seq.d2"
	compare "table sequence of" "$name" "$want" "$v" "$_got"
done <<EOF
$WANT
EOF
while read -r name want; do
	got "$name" "$T/notify-run.d1"
	v=$_got
	got "$name" "$T/notify-run.d2"
	compare "notify sequence of" "notify:$name" "$want" "$v" "$_got"
done <<EOF
$NOTIFY_WANT
EOF
omega=$(grep -o '/ \[[0-9.]*\]:[0-9]*: stopping (omega): notify_down' "$T/vigild.out" |
    sed 's,^/ \[,,; s,: stopping.*,,' | sort | tr '\n' ' ')
want_omega=$(printf '%s\n' $OMEGA_WANT | sed 's/^[a-zA-Z]*=//' | sort | tr '\n' ' ')
if [ "$omega" = "$want_omega" ]; then
	pass "omega: vigild ran notify_down on stop for the real servers up under it ($want_omega)"
else
	n=$((n + 1)) bad=$((bad + 1))
	echo "not ok $n - omega: vigild ran notify_down on stop for: $omega; wanted: $want_omega"
fi
for d in d1 d2; do
	echo "# scripts run on stop that finished within the second given, $d: $(ordered "$T/notify.$d" | tail -n +$(($(wc -l <"$T/notify-run.$d") + 1)) | tr '\n' ' ')"
done
[ $bad = 0 ] || fail "$bad sequence(s) of vigild differ from keepalived's or from those wanted"
[ -n "${KA_SHARED_TOPO:-}" ] || echo "1..$n"
