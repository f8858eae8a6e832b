#!/bin/sh
# The VRRP child's notify fifos: vrrp_notify_fifo, made by vigild, read by
# its vrrp_notify_fifo_script (started once, the fifo's name appended),
# and the global notify_fifo, made beforehand and read by the test. Lines
# are keepalived's: 'INSTANCE "VI_1" MASTER 100', 'GROUP "G1" MASTER 0',
# in the order the states were entered. fifo_write_vrrp_states_on_reload
# writes every group's and instance's state again after a reload; without
# it a reload that changes nothing writes nothing. On stop: STOP lines, the
# fifo vigild made removed, the other left; each group's STOP after its
# members', as keepalived's.
. "$(dirname "$0")/lib.sh"

ip -n "$NS" addr add 10.79.0.1/24 dev veth0
fifo_reader "$T/reader.sh" "$T/vrrp.lines"
mkfifo "$T/all.fifo"
ip netns exec "$NS" cat "$T/all.fifo" >"$T/all.lines" &
CATPID=$!

conf() { # [EXTRA global_defs line]
	cat <<EOF
global_defs {
    vrrp_notify_fifo $T/vrrp.fifo
    vrrp_notify_fifo_script "$T/reader.sh first-arg" root
    notify_fifo $T/all.fifo
    ${1:-}
}
vrrp_sync_group G1 {
    group {
        VI_1
        VI_2
    }
}
vrrp_instance VI_1 {
    state BACKUP
    interface veth0
    virtual_router_id 61
    priority 100
    advert_int 1
    virtual_ipaddress {
        10.79.0.100/24
    }
}
vrrp_instance VI_2 {
    state BACKUP
    interface veth0
    virtual_router_id 62
    priority 110
    advert_int 1
    virtual_ipaddress {
        10.79.0.101/24
    }
}
vrrp_instance VI_3 {
    state BACKUP
    interface veth0
    virtual_router_id 63
    priority 120
    advert_int 1
    virtual_ipaddress {
        10.79.0.102/24
    }
}
EOF
}
conf >"$T/vigil.conf"
start_vigild "$T/vigil.conf"
n_lines() { grep -c -- "$2" "$T/$1.lines" 2>/dev/null || true; }
has_line() { [ "$(n_lines "$1" "$2")" -ge "${3:-1}" ]; }
for f in vrrp all; do
	for l in 'INSTANCE "VI_1" MASTER 100' 'INSTANCE "VI_2" MASTER 110' \
	    'INSTANCE "VI_3" MASTER 120' 'GROUP "G1" MASTER 0'; do
		wait_for 100 has_line "$f" "$l" || fail "$f fifo: no line '$l': $(cat "$T/$f.lines" 2>/dev/null)"
	done
done
[ "$(cat "$T/reader.args")" = "first-arg $T/vrrp.fifo" ] ||
    fail "vrrp_notify_fifo_script's arguments: $(cat "$T/reader.args")"
# each instance was BACKUP before it was MASTER
for i in VI_1 VI_2 VI_3; do
	b=$(grep -n "INSTANCE \"$i\" BACKUP" "$T/vrrp.lines" | head -1 | cut -d: -f1)
	m=$(grep -n "INSTANCE \"$i\" MASTER" "$T/vrrp.lines" | head -1 | cut -d: -f1)
	[ -n "$b" ] && [ "$b" -lt "$m" ] || fail "$i: not BACKUP then MASTER on the fifo: $(cat "$T/vrrp.lines")"
done
pass "vrrp_notify_fifo (its script started with the fifo's name) and notify_fifo: keepalived's lines, BACKUP then MASTER, the group's"

# a reload that changes nothing writes nothing without the option
nl=$(wc -l <"$T/vrrp.lines")
kill -HUP "$VPID"
wait_for 100 log_has "reloaded configuration generation 2" || fail "the first reload did not reach the children"
sleep 1
[ "$(wc -l <"$T/vrrp.lines")" -eq "$nl" ] || fail "a reload without fifo_write_vrrp_states_on_reload wrote: $(tail -n +$((nl + 1)) "$T/vrrp.lines")"
# with it, every state again: the group's first, then each instance's
conf fifo_write_vrrp_states_on_reload >"$T/vigil.conf"
kill -HUP "$VPID"
wait_for 100 log_has "reloaded configuration generation 3" || fail "the second reload did not reach the children"
for l in 'GROUP "G1" MASTER 0' 'INSTANCE "VI_1" MASTER 100' 'INSTANCE "VI_2" MASTER 110' \
    'INSTANCE "VI_3" MASTER 120'; do
	wait_for 50 has_line vrrp "$l" 2 || fail "after the reload: no second '$l': $(cat "$T/vrrp.lines")"
	wait_for 50 has_line all "$l" 2 || fail "notify_fifo after the reload: no second '$l'"
done
log_has "not supported yet" && fail "a keyword warns: $(grep 'not supported yet' "$LOG")"
[ "$(tail -n +$((nl + 1)) "$T/vrrp.lines" | head -1)" = 'GROUP "G1" MASTER 0' ] ||
    fail "the reload's lines do not start with the group's: $(tail -n +$((nl + 1)) "$T/vrrp.lines")"
[ "$(tail -n +$((nl + 1)) "$T/vrrp.lines" | wc -l)" -eq 4 ] ||
    fail "the reload wrote other than one line a group and instance: $(tail -n +$((nl + 1)) "$T/vrrp.lines")"
pass "fifo_write_vrrp_states_on_reload: a reload writes each group's and instance's state once; without it nothing"

stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited with status $VSTATUS"
wait "$CATPID" 2>/dev/null
for l in 'INSTANCE "VI_1" STOP' 'INSTANCE "VI_3" STOP' 'GROUP "G1" STOP'; do
	has_line all "$l" || fail "notify_fifo: no '$l' on stop: $(tail -5 "$T/all.lines")"
done
gs=$(grep -n 'GROUP "G1" STOP' "$T/all.lines" | cut -d: -f1)
is=$(grep -n 'INSTANCE "VI_[12]" STOP' "$T/all.lines" | tail -1 | cut -d: -f1)
[ "$is" -lt "$gs" ] || fail "the group's STOP came before its members': $(tail -5 "$T/all.lines")"
[ -e "$T/vrrp.fifo" ] && fail "the fifo vigild made is still there"
[ -p "$T/all.fifo" ] || fail "the fifo vigild did not make was removed"
pass "on stop: STOP lines, the group's after its members'; the fifo vigild made removed, the other left"
done_testing
