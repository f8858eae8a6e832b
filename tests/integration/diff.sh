#!/bin/sh
# vigilctl diff FILE shows what a reload to FILE changes before anything
# is applied, in the words the reload then logs: instances and their VIPs,
# virtual and real servers and what happens to their IPVS entries. The
# preview's lines and the reload's "reload: " lines are the same, in the
# same order; a file a reload would reject is said to be rejected.
. "$(dirname "$0")/lib.sh"

: "${VIGILCTL:=$top_builddir/daemon/vigilctl}"
# the control socket sits beside the pid file
ctl() { "$VIGILCTL" -s "$T/vigild.ctl" "$@"; }

CONF="$T/vigil.conf"
cp "$CONF_DIR/lab.conf" "$CONF"
start_vigild "$CONF"
wait_for 50 log_has "vrrp child: running configuration generation 1" ||
    fail "VRRP child not started"
wait_for 50 log_has "checker child: running configuration generation 1" ||
    fail "checker child not started"
wait_for 50 ctl ping >/dev/null 2>&1 || fail "no control socket"

# The next configuration: VI_1 gets another priority and a second VIP,
# VI_2 is new, a real server goes, one comes, one gets another weight, a
# second virtual server appears.
NEW="$T/next.conf"
sed -e 's/priority 100/priority 150/' \
    -e 's|10.10.0.100/24 dev veth0|10.10.0.100/24 dev veth0\n        10.10.0.102/24 dev veth0|' \
    -e 's/real_server 10.10.1.12 80 {/real_server 10.10.1.13 80 {/' \
    -e '/real_server 10.10.1.11 80 {/{n;s/weight 1/weight 3/}' \
    "$CONF_DIR/lab.conf" >"$NEW"
cat >>"$NEW" <<'CONF'
vrrp_instance VI_2 {
    interface veth0
    virtual_router_id 52
    priority 100
    virtual_ipaddress {
        10.10.0.101/24
    }
}
virtual_server 10.10.0.101 443 {
    lb_algo wrr
    lb_kind DR
    protocol TCP
    real_server 10.10.1.21 443 {
        weight 2
        TCP_CHECK {
            connect_timeout 3
        }
    }
}
CONF

ctl diff "$NEW" >"$T/preview" 2>&1 || fail "diff failed: $(cat "$T/preview")"
cat "$T/preview"
# the summary line closes the preview; the rest are the changes
tail -1 "$T/preview" | grep -q "next.conf: 9 change(s) to configuration generation 1" ||
    fail "summary line: $(tail -1 "$T/preview")"
sed '$d' "$T/preview" >"$T/changes"
for want in \
    "instance VI_1: changed: priority 100 -> 150" \
    "instance VI_1: VIP 10.10.0.102/24 dev veth0 added" \
    "instance VI_2: added (interface veth0, VRID 52, priority 100, state BACKUP)" \
    "instance VI_2: VIP 10.10.0.101/24 added" \
    "virtual server \[10.10.0.100\]:tcp:80: real server \[10.10.1.11\]:80: changed: weight 1 -> 3" \
    "virtual server \[10.10.0.100\]:tcp:80: real server \[10.10.1.13\]:80: added (weight 1, 1 check(s)): IPVS destination added" \
    "virtual server \[10.10.0.100\]:tcp:80: real server \[10.10.1.12\]:80: removed: IPVS destination deleted" \
    "virtual server \[10.10.0.101\]:tcp:443: added (lb_algo wrr, lb_kind DR, 1 real server(s)): IPVS service added" \
    "virtual server \[10.10.0.101\]:tcp:443: real server \[10.10.1.21\]:443: added (weight 2, 1 check(s)): IPVS destination added"; do
	grep -q "^$want\$" "$T/changes" || fail "preview lacks '$want'"
done
pass "diff names the instances, VIPs, virtual and real servers and IPVS entries a reload changes"
log_has "reload: " && fail "a preview logged as if it reloaded: $(grep 'reload: ' "$LOG")"
log_has "configuration generation 2" && fail "a preview loaded a generation"
pass "the preview changes nothing: no reload line in the log"

# diff is for root, as reload is: vigild reads the file for the caller
# nobody in the socket's group (root): may read, not steer
setpriv --reuid=65534 --regid=0 --clear-groups "$VIGILCTL" -s "$T/vigild.ctl" diff "$NEW" >"$T/out" 2>&1
rc=$?
[ $rc -eq 4 ] || fail "diff as nobody: exit $rc: $(cat "$T/out")"
grep -q "diff: permission denied" "$T/out" || fail "diff as nobody: $(cat "$T/out")"
pass "diff needs root (exit 4), as reload does"

# the reload itself: its "reload: " lines are the preview's, in order
cp "$NEW" "$CONF"
kill -HUP "$VPID"
wait_for 100 log_has "vrrp child: running configuration generation 2" ||
    fail "VRRP child did not confirm generation 2"
wait_for 100 log_has "checker child: running configuration generation 2" ||
    fail "checker child did not confirm generation 2"
sed -n "s/^.* vigild\[$VPID\]: reload: //p" "$LOG" >"$T/logged"
diff -u "$T/changes" "$T/logged" >"$T/d" || fail "the reload logged other lines than diff showed: $(cat "$T/d")"
pass "the reload logs exactly the preview's lines ($(wc -l <"$T/changes") of them)"

# the running configuration is the new one: nothing left to change
cp "$NEW" "$T/same.conf"
(cd "$T" && ctl diff same.conf) >"$T/preview" 2>&1 || fail "diff failed: $(cat "$T/preview")"
grep -q "^$T/same.conf: no change to configuration generation 2" "$T/preview" ||
    fail "no-change preview: $(cat "$T/preview")"
ctl diff >"$T/preview" 2>&1 || fail "diff failed: $(cat "$T/preview")"
grep -q "^$CONF: no change to configuration generation 2" "$T/preview" ||
    fail "diff without a file: $(cat "$T/preview")"
pass "a file equal to the running one (named relative to the caller, or none: the running file): no change"

# a file a reload would reject: the errors and the verdict, nothing logged
printf 'vrrp_instance VI_1 {\n    interface veth0\n    virtual_router_id 300\n}\n' >"$T/bad.conf"
ctl diff "$T/bad.conf" >"$T/preview" 2>&1
rc=$?
[ $rc -eq 1 ] || fail "diff of a bad file: exit $rc: $(cat "$T/preview")"
grep -q "bad.conf:3: error: virtual_router_id: expected 1-255, got 300" "$T/preview" ||
    fail "bad file's error not shown: $(cat "$T/preview")"
grep -q "a reload would be rejected" "$T/preview" || fail "no verdict: $(cat "$T/preview")"
: >"$T/cut.conf"
ctl diff "$T/cut.conf" >"$T/preview" 2>&1 && fail "diff accepted an empty file"
grep -q "cut.conf: it has no configuration statements.*a reload would be rejected" "$T/preview" ||
    fail "empty file: $(cat "$T/preview")"
log_has "configuration generation 3" && fail "a rejected preview changed the generation"
pass "a file a reload would reject is shown as rejected, with its errors (exit 1)"

# vmac_prefix and vmac_addr_prefix (global_defs): the VMACs' names
sed 's/^    router_id lab_director$/    router_id lab_director\n    vmac_prefix vx\n    vmac_addr_prefix vy/' \
    "$CONF" >"$T/vmac.conf"
grep -q "vmac_addr_prefix vy" "$T/vmac.conf" || fail "no vmac_addr_prefix in $T/vmac.conf"
ctl diff "$T/vmac.conf" >"$T/preview" 2>&1 || fail "diff failed: $(cat "$T/preview")"
for want in \
    "vmac_prefix vrrp (default) -> vx: VMACs made from now on are named from it; those in place keep their names" \
    "vmac_addr_prefix none (vmac_prefix) -> vy: VMACs of VIPs made from now on are named from it; those in place keep their names"; do
	grep -q "^$want\$" "$T/preview" || fail "preview lacks '$want': $(cat "$T/preview")"
done
pass "diff names a vmac_prefix and a vmac_addr_prefix change"

stop_vigild
done_testing
