#!/bin/sh
# A child the parent stops to start again at once (a reload the child
# could not apply, a broken ipc channel: the parent sends it
# proc_restart_signal(), SIGRTMIN + 6) leaves what it put in the kernel
# for the next child to adopt: the VRRP child its VIPs (no priority 0 and
# no gap in the address), the checker child its IPVS services (here the
# logging backend of a host without IPVS: no "remove service"). A stop
# for good (SIGTERM to vigild) still releases both.
. "$(dirname "$0")/lib.sh"

restart_sig() { # PID: the signal the parent sends for a restart
	python3 -c 'import os, signal, sys; os.kill(int(sys.argv[1]), signal.SIGRTMIN + 6)' "$1"
}
has_vip() { ip -n "$NS" -o -4 addr show dev veth0 | grep -q " 10.10.0.100/"; }
count() { grep -c -- "$1" "$LOG" || true; }

start_vigild "$CONF_DIR/lab.conf"
wait_for 100 log_has "VI_1: BACKUP -> MASTER" || fail "VI_1 never became MASTER"
wait_for 50 has_vip || fail "the VIP is not on veth0"
wait_for 50 log_has "checker child: running configuration generation 1:" ||
    fail "the checker child does not run generation 1"
wait_for 50 log_has "desired: .*add service" || fail "the checker child added no service"
pass "VI_1 is MASTER with its VIP; the checker child runs its services"

# the VRRP child, restarted: the VIP never leaves veth0
old=$(pidof_file "$VRRP_PIDF")
restart_sig "$old"
gone=0 i=0
while [ "$i" -lt 100 ]; do
	has_vip || gone=1
	new=$(pidof_file "$VRRP_PIDF" 2>/dev/null || true)
	[ -n "$new" ] && [ "$new" != "$old" ] && log_has "vrrp child (pid $new) is up" &&
	    log_has "VIPs already in place, kept" && break
	i=$((i + 1))
	sleep 0.05
done
[ "$i" -lt 100 ] || fail "the restarted VRRP child did not adopt its VIPs"
[ "$gone" -eq 0 ] || fail "the VIP left veth0 while the VRRP child restarted"
log_has "restarted by the parent (what this child put in the kernel stays" ||
    fail "the VRRP child did not say why it stopped"
! log_has "sent priority 0\|releases its VIPs\|VIPs removed" ||
    fail "the VRRP child released its VIPs on a restart"
has_vip || fail "the VIP is gone after the restart"
pass "a VRRP child stopped for a restart leaves its VIP, which the next one adopts"

# the checker child, restarted: no service removed
removed=$(count "desired: .*remove service")
old=$(pidof_file "$CHECK_PIDF")
restart_sig "$old"
wait_for 50 sh -c "[ \$(grep -c 'checker child: running configuration generation 1:' '$LOG') -ge 2 ]" ||
    fail "the restarted checker child does not run generation 1"
[ "$(count "desired: .*remove service")" -eq "$removed" ] ||
    fail "the checker child removed its services on a restart"
pass "a checker child stopped for a restart leaves its services"

# a stop for good releases both
kill -TERM "$VPID"
wait_for 100 sh -c "! kill -0 $VPID 2>/dev/null" || fail "vigild did not stop"
[ "$(count "desired: .*remove service")" -gt "$removed" ] ||
    fail "SIGTERM did not remove the services"
! has_vip || fail "SIGTERM left the VIP on veth0"
pass "SIGTERM still releases the VIP and the services"
