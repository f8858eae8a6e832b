#!/bin/sh
# vrrp_rt_priority with a small vrrp_rlimit_rttime across reloads: the
# VRRP child runs at a realtime priority, and RLIMIT_RTTIME's soft limit
# counts the CPU time it runs without blocking. A reload goes in pieces
# (decoding, building, applying, freeing, a snapshot in parts) and leads
# to work (the VIPs of the instances it changed); run back to back through
# the loop, they passed the limit and the child dropped to normal
# scheduling for a second after every reload. Now the child blocks
# briefly before a piece when the time run since it last blocked is near
# the limit. 300 instances on two links, 150 of them changed by each
# reload (priority and a VIP), three reloads. Asserted: the child slept
# before pieces (its own count), every instance stayed MASTER and the
# child was never killed. Whether a piece alone passes the limit is CPU
# time, as a machine's speed and load make it: the drops across the
# reloads are printed (bench/vrrp-scale counts them per phase), not
# asserted.
. "$(dirname "$0")/lib.sh"

N=300
RTTIME=5000
in_ns ip link add veth2 type veth peer name veth3 || fail "cannot add veth2"
in_ns ip link set veth2 up
in_ns ip link set veth3 up
in_ns ip addr add 10.80.255.254/16 dev veth0 || fail "cannot address veth0"
in_ns ip addr add 10.81.255.254/16 dev veth2 || fail "cannot address veth2"

# gen PRIO: instance i on veth0 (i < 150) or veth2, VRID i % 150 + 1; every
# second gets priority PRIO and, when it is not 100, another last VIP
gen() {
	awk -v n="$N" -v rt="$RTTIME" -v p1="$1" 'BEGIN {
		print "global_defs {\n    router_id rt_reload"
		print "    vrrp_rt_priority 1\n    vrrp_rlimit_rttime " rt
		print "    vrrp_garp_master_delay 0\n}"
		for (i = 0; i < n; i++) {
			l = int(i / 150); r = i % 150
			prio = (i % 2 == 1) ? p1 : 100
			printf "vrrp_instance VI_%d {\n    state BACKUP\n", i
			printf "    interface veth%d\n    virtual_router_id %d\n", 2 * l, r + 1
			printf "    priority %d\n    advert_int 1\n", prio
			print "    virtual_ipaddress {"
			for (j = 0; j < 3; j++) {
				k = r * 3 + j
				if (j == 2 && prio != 100) k += 500
				printf "        10.%d.%d.%d/16\n", 80 + l, int(k / 250), k % 250 + 1
			}
			print "    }\n}"
		}
	}'
}
gen 100 >"$T/a.conf"
gen 110 >"$T/b.conf"
cp "$T/a.conf" "$T/vigil.conf"

start_vigild "$T/vigil.conf"
masters() { grep -c "(VI_[0-9]*) Entering MASTER STATE" "$LOG"; }
denied() { log_has "vrrp_rt_priority 1: Operation not permitted"; }
up() { denied || [ "$(masters)" -eq "$N" ]; }
wait_for 300 up || fail "$(masters) of $N instances MASTER"
if denied; then
	echo "ok 1 - # SKIP realtime scheduling not permitted here"
	TESTS_RUN=1
	stop_vigild
	done_testing
	exit 0
fi
vips() { in_ns ip -o -4 addr show | grep -c ' 10\.8[01]\.[0-9]*\.[0-9]*/16 .*secondary'; }
all_vips() { [ "$(vips)" -eq $((N * 3)) ]; }
wait_for 300 all_vips || fail "$(vips) of $((N * 3)) VIPs in place"
pass "$N instances MASTER under vrrp_rt_priority, their $((N * 3)) VIPs in place"

# the start and the mass takeover are not cut into pieces: they may pass
# the limit (the child says so at its next one-second tick and is
# realtime again a second later); the reloads start once it is realtime
drops() { grep -c "without sleeping (vrrp_rlimit_rttime): normal scheduling" "$LOG"; }
agains() { grep -c "vrrp_rt_priority 1: realtime again" "$LOG"; }
settled() { [ "$(drops)" -eq "$(agains)" ]; }
sleep 2
wait_for 50 settled || fail "the child did not take its realtime priority back"
before=$(drops)
MARK=$(wc -l <"$LOG")

# the VIP an instance changed by the configuration conf holds
changed_vip() { # CONF: VI_1's last VIP (changed in b.conf) is in place
	case $1 in
	b) in_ns ip -o -4 addr show dev veth0 | grep -q ' 10\.80\.2\.6/16 ' ;;
	a) in_ns ip -o -4 addr show dev veth0 | grep -q ' 10\.80\.0\.6/16 ' ;;
	esac
}
h=1
for c in b a b; do
	cp "$T/$c.conf" "$T/vigil.conf"
	kill -HUP "$VPID"
	gen_done() { log_has "vrrp: reloaded configuration generation $((h + 1)):"; }
	wait_for 300 gen_done || fail "reload $h: the VRRP child did not reload"
	wait_for 300 changed_vip "$c" || fail "reload $h: VI_1's new VIP is not in place"
	wait_for 300 all_vips || fail "reload $h: $(vips) of $((N * 3)) VIPs in place"
	# a drop is logged at the child's next one-second tick, and for a
	# second after it the next reload could not show one
	sleep 1.2
	h=$((h + 1))
done
after=$(tail -n +"$((MARK + 1))" "$LOG" | grep -c "normal scheduling for a second")
echo "# 3 reloads changing $((N / 2)) of $N instances each: the child passed vrrp_rlimit_rttime $RTTIME us $after time(s) (the start: $before)"

# the child's own count: it slept before pieces, in its loop (and
# outside it when events kept the loop busy)
dump_lock
rm -f /tmp/vigil.data /tmp/vigil_check.data
kill -USR1 "$VPID"
rt_line() { grep -s "^ Realtime (vrrp_rt_priority 1, vrrp_rlimit_rttime $RTTIME us) = " /tmp/vigil.data; }
wait_for 100 rt_line >/dev/null || fail "no realtime line in the dump: $(grep -s Realtime /tmp/vigil.data)"
line=$(rt_line)
rm -f /tmp/vigil.data /tmp/vigil_check.data
dump_unlock
loop=$(echo "$line" | sed -n 's/.*sleeps before a piece: \([0-9]*\) in the loop.*/\1/p')
[ "${loop:-0}" -gt 0 ] || fail "the child never slept before a piece: $line"
pass "the child slept before pieces:${line#*=}"

trans=$(tail -n +"$((MARK + 1))" "$LOG" | grep -c "Entering \(BACKUP\|FAULT\) STATE")
[ "$trans" -eq 0 ] || fail "$trans instance(s) left MASTER across the reloads"
! log_has "killed by signal" || fail "the VRRP child was killed: $(grep 'killed by signal' "$LOG" | head -3)"
pass "every instance stayed MASTER, the child never killed"

stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited $VSTATUS"
done_testing
