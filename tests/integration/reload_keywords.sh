#!/bin/sh
# keepalived's reload keywords in global_defs. reload_time_file: an entry
# two seconds ahead (dated, in UTC) reloads at that time, not before, and
# the file is removed; under reload_repeat a time of day reloads and the
# file stays, the next reload scheduled a day later; removing the file
# cancels its reload and a bad entry is logged and schedules nothing;
# a reload naming another file stops watching the first. reload_file
# (its default name, beside the pid file): a leftover goes at the start,
# it is there, emptied, while a reload reads the files (the parse held
# by VIGIL_RELOAD_HOLD; a second vigild refused by the pid file leaves
# it) and gone once they are read. reload_check_config
# LOG_FILE: the file gets the errors of a bad configuration and the
# verdict, the running generation stays; an interface this host lacks
# rejects the reload too, and the start. A reload ending while vigild
# stops does not watch reload_time_file again.
. "$(dirname "$0")/lib.sh"

# both vigild and date(1) in UTC: "tomorrow" is 86,400 s on
TZ=UTC0
export TZ
CONF="$T/vigil.conf"
RT="$T/rt/at"
RT2="$T/rt2/at"
RELOADING="$T/vigild.reload"
CHECK="$T/check.log"
HOLD="$T/hold"
mkdir "$T/rt" "$T/rt2"

# conf PRIORITY [GLOBAL_DEFS_LINES] [INTERFACE]
conf() {
	cat <<EOF
global_defs {
    reload_time_file ${RTFILE:-$RT}
    reload_file
    reload_check_config $CHECK
${2:-}
}
vrrp_instance VI_1 {
    state BACKUP
    interface ${3:-veth0}
    virtual_router_id 51
    priority $1
    advert_int 1
    virtual_ipaddress {
        10.10.0.100/24
    }
}
EOF
}

# loaded N: generation N is the running one
loaded() { log_has "configuration generation $1 loaded"; }
# count PATTERN: the log's lines matching it
count() { grep -c -- "$1" "$LOG"; }
# more PATTERN N: more than N such lines
more() { [ "$(count "$1")" -gt "$2" ]; }
# at SECONDS [FORMAT]: the epoch SECONDS on, and that time formatted
at() {
	_at=$(($(date +%s) + $1))
	_at_text=$(date -d "@$_at" "+${2:-%H:%M:%S}")
}

echo leftover >"$RELOADING"
conf 100 >"$CONF"
VIGIL_RELOAD_HOLD="$HOLD" start_vigild "$CONF"
wait_for 100 log_has "vrrp child: running configuration generation 1" ||
    fail "generation 1 not running"
[ -e "$RELOADING" ] && fail "the reload file left from before is still there after the start"
pass "the start removes a reload file left from before, once the file is read"

# a dated entry in UTC, two seconds ahead: the reload is that time's
conf 110 >"$CONF"
at 2 "%Y-%m-%d %H:%M:%SZ"
due=$_at
shown=$(date -d "@$due" "+%Y-%m-%d %H:%M:%S")
echo "$_at_text" >"$RT"
wait_for 30 log_has "reload_time_file $RT: reload scheduled for $shown\$" ||
    fail "no reload scheduled for $shown"
wait_for 60 loaded 2 || fail "the scheduled reload did not happen"
[ "$(date +%s)" -ge "$due" ] || fail "reloaded before $shown"
log_has "reload_time_file $RT: the reload scheduled for $shown is due; removing the file" ||
    fail "the due reload not logged"
log_has "reloading $CONF (reload_time_file)" || fail "the reload does not say reload_time_file asked for it"
[ -e "$RT" ] && fail "$RT still there after its reload"
grep -q "^$CONF: configuration is valid (0 error(s), 0 warning(s))\$" "$CHECK" ||
    fail "the check's log does not say the file is valid: $(cat "$CHECK")"
pass "a reload two seconds ahead happens at that time and removes the file (check log: valid)"

# reload_repeat: a time of day reloads and stays, scheduled again for
# tomorrow
conf 120 "    reload_repeat" >"$CONF"
kill -HUP "$VPID"
wait_for 50 loaded 3 || fail "generation 3 (reload_repeat) not loaded"
conf 130 "    reload_repeat" >"$CONF"
at 2
due=$_at
echo "$_at_text" >"$RT"
wait_for 30 log_has "reload scheduled for $(date -d "@$due" "+%Y-%m-%d %H:%M:%S") (a time of day)" ||
    fail "no reload scheduled for $_at_text"
wait_for 60 loaded 4 || fail "the repeated reload did not happen"
[ "$(date +%s)" -ge "$due" ] || fail "reloaded before $_at_text"
log_has "the reload scheduled for .* is due; the file is kept (reload_repeat)" ||
    fail "the due reload does not say the file is kept"
[ "$(cat "$RT" 2>/dev/null)" = "$_at_text" ] || fail "$RT not kept under reload_repeat"
tomorrow=$(date -d "@$((due + 86400))" "+%Y-%m-%d %H:%M:%S")
wait_for 30 log_has "reload_time_file $RT: reload scheduled for $tomorrow (a time of day)" ||
    fail "not scheduled again for $tomorrow"
rm "$RT"
wait_for 30 log_has "the reload scheduled for $tomorrow is cancelled: the file was removed" ||
    fail "removing the file did not cancel tomorrow's reload"
pass "under reload_repeat a time of day reloads, stays, and is scheduled for the same time tomorrow"

# removing the file cancels; a bad entry schedules nothing: once the time
# has passed, no reload came
cancelled=$(count "is cancelled: the file was removed")
at 3
due=$_at
echo "$_at_text" >"$RT"
wait_for 30 log_has "reload scheduled for $(date -d "@$due" "+%Y-%m-%d %H:%M:%S")" ||
    fail "no reload scheduled for $_at_text"
rm "$RT"
wait_for 30 more "is cancelled: the file was removed" "$cancelled" ||
    fail "removing the file cancelled nothing"
printf '25:00:00\n' >"$T/rt/tmp"
mv "$T/rt/tmp" "$RT"
wait_for 30 log_has "reload_time_file $RT: '25:00:00': hour 25 is not 00-23; no reload scheduled" ||
    fail "a bad entry not logged with the file and what is wrong"
printf '2026-12-04T10:00:00' >"$RT"
wait_for 30 log_has "'2026-12-04T10:00:00': character 11: expected one space (the format YYYY-MM-DD HH:MM:SS); no reload" ||
    fail "a bad date not logged"
wait_for 50 sh -c "[ \$(date +%s) -gt $((due + 1)) ]"
sleep 0.3
loaded 5 && fail "a reload came from a removed file or a bad entry"
[ "$(grep -c "is due" "$LOG")" -eq 2 ] || fail "a reload fell due after the file was removed"
pass "removing the file cancels its reload; a bad entry is logged and nothing happens"

# reload_file: there, emptied, while the reload reads; gone after
echo waiting >"$RELOADING"
touch "$HOLD"
kill -HUP "$VPID"
wait_for 50 log_has "reloading $CONF (SIGHUP)" || fail "SIGHUP did not start a reload"
# the worker empties it after the line above is logged
wait_for 50 sh -c "[ -e '$RELOADING' ] && [ ! -s '$RELOADING' ]" ||
    fail "the reload file is not there, emptied, while the reload reads"
loaded 5 && fail "generation 5 loaded while its parse was held"
# a second vigild on the same pid files, refused, leaves the running
# one's reload file alone (here in the middle of its reload)
in_ns "$VIGILD" -n -l -G -f "$CONF" -p "$PIDF" -r "$VRRP_PIDF" \
    -c "$CHECK_PIDF" >"$T/second.log" 2>&1 &&
    fail "a second vigild started on the running one's pid files"
grep -q "vigild is already running" "$T/second.log" ||
    fail "the second vigild not refused for the pid file: $(tail -3 "$T/second.log")"
[ -e "$RELOADING" ] || fail "the refused vigild removed the running one's reload file"
rm "$HOLD"
wait_for 50 loaded 5 || fail "generation 5 not loaded"
[ -e "$RELOADING" ] && fail "the reload file is still there after the read"
pass "reload_file is there (emptied) while a reload reads the files and gone after; a vigild refused by the pid file leaves it"

# reload_check_config: a bad file's errors in the check's log, the
# running generation stays; an interface the host lacks rejects it too
gen=5
sed 's/virtual_router_id 51/virtual_router_id 300/' "$CONF" >"$T/next"
mv "$T/next" "$CONF"
kill -HUP "$VPID"
wait_for 50 log_has "reload_check_config: the new configuration failed validation, see $CHECK for details" ||
    fail "the failed check not logged"
log_has "reload rejected: .*still running configuration generation $gen" || fail "the bad file not rejected"
grep -q "^$CONF:[0-9]*: error: .*virtual_router_id" "$CHECK" ||
    fail "the check's log lacks the error at file:line: $(cat "$CHECK")"
grep -q "^$CONF: configuration is NOT valid (2 error(s), 0 warning(s))\$" "$CHECK" ||
    fail "the check's log lacks the verdict: $(cat "$CHECK")"
conf 140 "    reload_repeat" nosuch0 >"$CONF"
kill -HUP "$VPID"
wait_for 50 sh -c "[ \$(grep -c 'failed validation' '$LOG') -eq 2 ]" ||
    fail "a missing interface passed reload_check_config"
grep -q "^$CONF:[0-9]*: error: host: .*nosuch0" "$CHECK" ||
    fail "the check's log lacks the host's problem: $(cat "$CHECK")"
log_has "problem(s) on this host; reload_check_config holds the file to what vigild -t accepts" ||
    fail "the host check's rejection not explained"
loaded $((gen + 1)) && fail "a rejected file was loaded"
pass "reload_check_config: the check's log has the errors and the verdict; the running generation stays"

# a reload naming another reload_time_file stops watching the first
RTFILE=$RT2 conf 150 "    reload_repeat" >"$CONF"
kill -HUP "$VPID"
wait_for 50 loaded $((gen + 1)) || fail "the reload to $RT2 not loaded"
wait_for 30 log_has "reload_time_file $RT: no longer watched (reload_time_file is now $RT2)" ||
    fail "$RT still watched"
scheduled=$(count "reload_time_file $RT: reload scheduled")
at 60
echo "$_at_text" >"$RT"
echo "$_at_text" >"$RT2"
wait_for 30 log_has "reload_time_file $RT2: reload scheduled for" || fail "$RT2 not watched"
more "reload_time_file $RT: reload scheduled" "$scheduled" &&
    fail "$RT still schedules reloads"
rm "$RT2"
wait_for 30 log_has "reload_time_file $RT2: the reload scheduled for .* is cancelled" ||
    fail "removing $RT2 did not cancel"
pass "a reload naming another reload_time_file watches it and no longer the first"

stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"

# a reload whose parts were sent as vigild is told to stop (its end held
# by VIGIL_RELOAD_HOLD_SENT, the VRRP child stopped so that vigild waits
# for it) does not watch reload_time_file again: an entry due meanwhile
# neither schedules a reload nor removes the file
mark=$(wc -l <"$LOG")
# since PATTERN: a log line matching it since the mark
since() { tail -n "+$((mark + 1))" "$LOG" | grep -q -- "$1"; }
rm -f "$RT" "$RT2" "$HOLD"
{ echo "child_wait_time 30"; conf 160; } >"$CONF"
VIGIL_RELOAD_HOLD_SENT="$HOLD" start_vigild "$CONF"
wait_for 100 since "vrrp child: running configuration generation 1" ||
    fail "the new vigild's generation 1 not running"
touch "$HOLD"
{ echo "child_wait_time 30"; conf 170; } >"$CONF"
kill -HUP "$VPID"
wait_for 100 since "vrrp child: running configuration generation 2" ||
    fail "generation 2 not sent to the VRRP child"
vrrp=$(pidof_file "$VRRP_PIDF")
kill -STOP "$vrrp"
kill -TERM "$VPID"
wait_for 50 since "stopping (SIGTERM)" || { kill -CONT "$vrrp"; fail "vigild not stopping"; }
at 2 "%Y-%m-%d %H:%M:%SZ"
due=$_at
echo "$_at_text" >"$RT"
rm "$HOLD"
# the reload's end: it says it does not watch the file, or (wrongly)
# reads it
wait_for 50 sh -c "tail -n +$((mark + 1)) '$LOG' | grep -q -e 'reload_time_file $RT: not watched again: vigild is stopping' -e 'reload_time_file $RT: reload scheduled'" ||
    { kill -CONT "$vrrp"; fail "the reload's end while stopping not logged"; }
wait_for 50 sh -c "[ \$(date +%s) -gt $((due + 1)) ]"
sleep 0.3
kill -CONT "$vrrp"
since "reload_time_file $RT: reload scheduled" && fail "the reload's end watched $RT again while vigild was stopping"
[ -e "$RT" ] || fail "$RT removed while vigild was stopping"
wait_for 100 dead "$VPID" || fail "vigild did not stop"
wait "$VPID" 2>/dev/null
VSTATUS=$?
check_sanitizers
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
pass "a reload ending while vigild stops does not watch reload_time_file again; the file keeps its entry"

# the start, under reload_check_config, refuses what the host lacks
conf 100 "" nosuch0 >"$T/bad.conf"
in_ns "$VIGILD" -n -l -G -f "$T/bad.conf" -p "$T/b.pid" -r "$T/b-vrrp.pid" \
    -c "$T/b-chk.pid" >"$T/bad.log" 2>&1 && fail "vigild started on a missing interface under reload_check_config"
grep -q "problem(s) on this host, errors under reload_check_config; not starting" "$T/bad.log" ||
    fail "the refusal does not say why: $(tail -3 "$T/bad.log")"
pass "under reload_check_config vigild does not start on what the host lacks"
done_testing
