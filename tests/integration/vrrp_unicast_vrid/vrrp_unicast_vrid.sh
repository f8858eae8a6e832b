#!/bin/sh
# Two unicast instances sharing VRID 60 on one interface of dir1, told
# apart by the adverts' source: VI_A (150) with dir2 (100) as its peer
# holding 10.10.0.100, VI_B (50) with dir3 (100) as its peer holding
# 10.10.0.101. dir1 is MASTER of VI_A and BACKUP of VI_B at once; each
# instance learns its master only from its own peer; dir4 sending VRID 60
# to dir1 is no peer of either and its adverts are dropped (counted by
# source, logged once), never taken by an instance. dir3 stopping moves
# VI_B to dir1 and leaves VI_A alone; dir2 stopping leaves VI_B alone.
# keepalived 2.2.7 accepts the same file (VRIDs are unique per interface
# and peer set). Order and outcome from the logs, the dump and `ip addr`.
. "$(dirname "$0")/../topo.sh"

count() { grep -c -- "$2" "$(node_log "$1")" 2>/dev/null || true; }

# inst NAME PRIORITY SRC PEER VIP
inst() {
	cat <<EOF
vrrp_instance $1 {
    state BACKUP
    interface eth0
    virtual_router_id 60
    priority $2
    advert_int 1
    unicast_src_ip $3
    unicast_peer {
        $4
    }
    virtual_ipaddress {
        $5/24
    }
}
EOF
}

topo_bridge lan
topo_node dir1 10.10.0.1/24
topo_node dir2 10.10.0.2/24
topo_node dir3 10.10.0.3/24
topo_node dir4 10.10.0.4/24
{
	printf 'global_defs {\n    log_unknown_vrids\n}\n'
	inst VI_A 150 10.10.0.1 10.10.0.2 10.10.0.100
	inst VI_B 50 10.10.0.1 10.10.0.3 10.10.0.101
} >"$T/dir1/vigil.conf"
inst VI_A 100 10.10.0.2 10.10.0.1 10.10.0.100 >"$T/dir2/vigil.conf"
inst VI_B 100 10.10.0.3 10.10.0.1 10.10.0.101 >"$T/dir3/vigil.conf"
inst VI_X 200 10.10.0.4 10.10.0.1 10.10.0.102 >"$T/dir4/vigil.conf"

if command -v keepalived >/dev/null 2>&1; then
	node_exec dir1 keepalived -t -l -D -f "$T/dir1/vigil.conf" >"$T/dir1/ka-t.out" 2>&1 ||
	    fail "keepalived refuses dir1's file: $(cat "$T/dir1/ka-t.out")"
fi
# dir1 last, once dir3 is VI_B's master: its VI_B (50) hears dir3 from
# the start and never has cause to be MASTER
for n in dir2 dir3; do
	start_vigild_on "$n" "$T/$n/vigil.conf"
done
wait_for 150 is dir3 VI_B MASTER || fail "dir3 alone did not become VI_B's master"
start_vigild_on dir1 "$T/dir1/vigil.conf"

# --- dir1 MASTER of one instance, BACKUP of the other ------------------------
a_master() { is dir1 VI_A MASTER && has dir1 10.10.0.100 && is dir2 VI_A BACKUP && ! has dir2 10.10.0.100; }
b_dir3() { is dir1 VI_B BACKUP && ! has dir1 10.10.0.101 && is dir3 VI_B MASTER && has dir3 10.10.0.101; }
b_dir1() { is dir1 VI_B MASTER && has dir1 10.10.0.101 && ! has dir3 10.10.0.101; }
wait_for 150 a_master || fail "VI_A: dir1 (150) is not MASTER over dir2 (100)"
wait_for 150 b_dir3 || fail "VI_B: dir3 (100) is not MASTER over dir1 (50)"
[ "$(count dir1 "(VI_B) Entering MASTER STATE")" -eq 0 ] ||
    fail "VI_B on dir1 was MASTER though dir3 (100) was there: it took VI_A's peer's adverts"
pass "one VRID, two unicast instances: dir1 MASTER of VI_A over dir2, BACKUP of VI_B under dir3"

# --- a stranger sending the same VRID is no peer of either -------------------
start_vigild_on dir4 "$T/dir4/vigil.conf"
wait_for 100 is dir4 VI_X MASTER || fail "dir4 did not become MASTER of its own instance"
wait_for 50 node_log_has dir1 "Unknown VRID(60) received on interface(eth0) from 10.10.0.4" ||
    fail "dir1 does not log dir4's adverts of VRID 60 as from no peer"
dump_lock
rm -f /tmp/vigil.data
kill -USR1 "$(node_vpid dir1)"
wait_for 50 grep -q "VRRP Instance = VI_B" /tmp/vigil.data 2>/dev/null ||
    { dump_unlock; fail "dir1 wrote no data dump"; }
sleep 0.5
cp /tmp/vigil.data "$T/dir1/dump"
rm -f /tmp/vigil.data
dump_unlock
nsrc=$(sed -n 's/^ *Dropped (src) = \([0-9]*\)$/\1/p' "$T/dir1/dump" | head -1)
[ "${nsrc:-0}" -ge 1 ] || fail "dir1 counts no advert dropped for its source: $(cat "$T/dir1/dump")"
# each instance's master is its own peer's, never dir4 (200)
awk '/VRRP Instance = /{i=$4} /master = /{print i, $0}' "$T/dir1/dump" >"$T/dir1/masters"
grep -q "^VI_B .*master = 10.10.0.3 priority 100" "$T/dir1/masters" ||
    fail "dir1's VI_B does not name dir3 its master: $(cat "$T/dir1/masters")"
grep -q "10.10.0.4" "$T/dir1/masters" && fail "dir1 took dir4 for a master: $(cat "$T/dir1/masters")"
a_master && b_dir3 || fail "dir4's adverts moved dir1's instances"
[ "$(count dir1 "(VI_A) Entering BACKUP STATE")" -le 1 ] || fail "VI_A on dir1 left MASTER because of dir4"
sleep 2
stop_vigild_on dir4
[ "$(count dir1 "Unknown VRID(60)")" -eq 1 ] ||
    fail "dir1 logged dir4's adverts $(count dir1 "Unknown VRID(60)") times, not once"
pass "a third source of VRID 60 is dropped ($nsrc advert(s) at the dump, counted by source, logged once); neither instance moves"

# --- dir3 stops: VI_B moves to dir1, VI_A does not move ----------------------
ma=$(count dir1 "(VI_A) Entering")
stop_vigild_on dir3
wait_for 100 b_dir1 || fail "VI_B: dir1 did not take over from the stopped dir3"
node_log_has dir1 "VI_B: BACKUP -> MASTER: .* after the master stopped (priority 0)" ||
    fail "VI_B on dir1 did not take over on dir3's priority 0"
a_master || fail "VI_A moved when dir3 stopped"
[ "$(count dir1 "(VI_A) Entering")" -eq "$ma" ] || fail "VI_A changed state when VI_B's peer stopped"
pass "VI_B's peer stops: dir1 takes VI_B over, VI_A stays MASTER untouched"

# --- dir2 stops: nothing moves on dir1 ---------------------------------------
mb=$(count dir1 "(VI_B) Entering")
stop_vigild_on dir2
sleep 4
a_master_alone() { is dir1 VI_A MASTER && has dir1 10.10.0.100; }
a_master_alone && b_dir1 || fail "dir1 lost an instance when dir2 stopped"
[ "$(count dir1 "(VI_B) Entering")" -eq "$mb" ] || fail "VI_B changed state when VI_A's peer stopped"
pass "VI_A's peer stops: dir1 keeps both instances, VI_B untouched"

stop_vigild_on dir1
[ "$VSTATUS" -eq 0 ] || fail "dir1: vigild exited with status $VSTATUS"
has dir1 10.10.0.100 || has dir1 10.10.0.101 && fail "dir1 left a VIP behind"
pass "dir1 stops cleanly and releases both VIPs"
done_testing
