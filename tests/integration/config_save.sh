#!/bin/sh
# config_save_dir: vigild saves each configuration it loads (the start and
# each reload) as DIR/keepalived.conf.PID.N, as keepalived 2.2.7 does: the
# directory made when missing, each file read between "# FILE" and "!",
# an included file after the line including it. tmp_config_directory
# warns at its line that it has no use in vigil and writes nothing there.
. "$(dirname "$0")/lib.sh"

SAVED="$T/saved"
mkdir "$T/tmpdir"
director_conf "    router_id save
    config_save_dir $SAVED
    tmp_config_directory $T/tmpdir" >"$T/main.conf"
cat >"$T/inc.conf" <<'CONF'
# the included file
vrrp_instance VI_2 {
    interface veth0
    virtual_router_id 52
    priority 90
    virtual_ipaddress {
        10.10.0.102/24 dev veth0
    }
}
CONF
echo "include $T/inc.conf" >>"$T/main.conf"

start_vigild "$T/main.conf"
wait_for 50 log_has "running configuration generation 1" || fail "vigild did not start its children"
log_has "main.conf:4: tmp_config_directory: no use in vigil" ||
    fail "no warning at tmp_config_directory's line: $(grep tmp_config "$LOG")"
log_has "main.conf:3: config_save_dir: each configuration loaded is saved in $SAVED" ||
    fail "no note at config_save_dir's line: $(grep config_save "$LOG")"
first="$SAVED/keepalived.conf.$VPID.0"
[ -f "$first" ] || fail "no $first: $(ls -la "$SAVED" 2>&1)"
[ "$(stat -c %a "$SAVED")" = 700 ] || fail "$SAVED made with mode $(stat -c %a "$SAVED"), not 700"
# the copy: main.conf's lines, inc.conf's after the include line, markers
{
	echo "# $T/main.conf"
	sed "/^include /q" "$T/main.conf"
	echo "# $T/inc.conf"
	cat "$T/inc.conf"
	echo "!"
	echo "!"
} >"$T/want0"
cmp -s "$T/want0" "$first" || fail "the saved copy is not the files read: $(diff -u "$T/want0" "$first")"
[ -z "$(ls -A "$T/tmpdir")" ] || fail "something was written in tmp_config_directory: $(ls -A "$T/tmpdir")"
pass "config_save_dir: the configuration loaded at the start saved as keepalived.conf.PID.0 (the directory made, mode 700), the included file after its include line; tmp_config_directory warns at its line, nothing written there"

sed -i 's/priority 90/priority 80/' "$T/inc.conf"
kill -HUP "$VPID"
wait_for 100 log_has "reloaded configuration generation 2" || fail "the reload did not reach the children"
second="$SAVED/keepalived.conf.$VPID.1"
[ -f "$second" ] || fail "no $second after the reload: $(ls -la "$SAVED")"
grep -qx "    priority 80" "$second" && ! grep -qx "    priority 90" "$second" ||
    fail "the reload's copy does not hold the edited file: $(cat "$second")"
cmp -s "$T/want0" "$first" || fail "the first copy changed"
[ "$(ls "$SAVED" | wc -l)" = 2 ] || fail "files saved: $(ls "$SAVED")"
pass "config_save_dir: a reload's configuration saved as keepalived.conf.PID.1, the first copy kept"

stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
done_testing
