# FRR's vrrpd as a peer (sourced after interop.sh; nodes dir1, frr and
# client on one bridge): zebra and vrrpd run as the frr user (FRR insists
# on its vty group) with their own configuration, pid files and sockets
# under $T/frr. vrrpd needs its macvlan (the virtual MAC, the VIP on it)
# made beforehand, and keeps the VIP on it in every state (protodown in
# Backup): its state is read from its log.
FRRDIR=${FRRDIR:-/usr/lib/frr}
if [ ! -x "$FRRDIR/vrrpd" ] || [ ! -x "$FRRDIR/zebra" ] || ! id frr >/dev/null 2>&1; then
	echo "1..0 # SKIP FRR is not installed"
	exit 77
fi

# frr_setup: the macvlan of VRID 51 for $FAM (IPv6: a random link-local
# address, not the EUI-64 one the virtual MAC would give every router),
# then zebra
frr_setup() {
	FRR_FAM=IPv$FAM
	FRR_DEV=vrrp$FAM-2-51
	chmod 777 "$T/frr"
	if [ "$FAM" = 6 ]; then
		node_exec frr ip link add "$FRR_DEV" link eth0 type macvlan mode bridge ||
		    fail "frr: cannot make $FRR_DEV"
		node_exec frr ip link set dev "$FRR_DEV" addrgenmode random ||
		    fail "frr: no random link-local address on $FRR_DEV"
		node_exec frr ip link set dev "$FRR_DEV" address 00:00:5e:00:02:33
	else
		node_exec frr ip link add "$FRR_DEV" link eth0 type macvlan mode bridge ||
		    fail "frr: cannot make $FRR_DEV"
		node_exec frr ip link set dev "$FRR_DEV" address 00:00:5e:00:01:33
	fi
	node_exec frr ip addr add "$VIP/$PLEN" dev "$FRR_DEV"
	# the VIP is vrrpd's in every state: only its macvlan answers ARP
	# for it (IPv6 answers neighbour solicitations on the address's
	# own interface anyway)
	node_exec frr sysctl -q -w net.ipv4.conf.all.arp_ignore=1 >/dev/null
	node_exec frr ip link set "$FRR_DEV" up
	echo "hostname frr" >"$T/frr/zebra.conf"
	ip netns exec "$(node_ns frr)" "$FRRDIR/zebra" -u frr -g frr -f "$T/frr/zebra.conf" \
	    -i "$T/frr/zebra.pid" -z "$T/frr/zserv.api" --vty_socket "$T/frr" \
	    --log "file:$T/frr/zebra.log" >>"$T/frr/zebra.out" 2>&1 &
	wait_for 50 test -S "$T/frr/zserv.api" || fail "zebra did not start"
}

# the state vrrpd entered last for $FAM ("Master", "Backup")
frr_state() {
	grep -o "\[$FRR_FAM\] [A-Za-z]* -> [A-Za-z]*" "$(node_log frr)" 2>/dev/null |
	    tail -1 | awk '{print $4}'
}
frr_is() { [ "$(frr_state)" = "$1" ]; }
start_frr() { # PRIORITY
	printf 'hostname frr\ninterface eth0\n vrrp 51 version %s\n vrrp 51 priority %s\n vrrp 51 advertisement-interval %s\n vrrp 51 %s %s\n' \
	    "$VER" "$1" "$FRR_ADV" "$([ "$FAM" = 6 ] && echo ipv6 || echo ip)" \
	    "$VIP" >"$T/frr/vrrpd.conf"
	: >"$(node_log frr)"
	chmod 666 "$(node_log frr)"
	ip netns exec "$(node_ns frr)" "$FRRDIR/vrrpd" -u frr -g frr -f "$T/frr/vrrpd.conf" \
	    -i "$T/frr/vrrpd.pid" -z "$T/frr/zserv.api" --vty_socket "$T/frr" \
	    --log "file:$(node_log frr)" >>"$T/frr/vrrpd.out" 2>&1 &
	FRR_PID=$!
	wait_for 50 node_log_has frr "\[$FRR_FAM\] 'Startup' event" ||
	    fail "vrrpd did not start its $FRR_FAM router"
}
stop_frr() {
	kill -TERM "$FRR_PID" 2>/dev/null
	wait_for 100 dead "$FRR_PID" || fail "vrrpd did not stop"
	wait "$FRR_PID" 2>/dev/null
}
# the address vrrpd's adverts come from: its macvlan's (IPv6: link-local)
frr_src() {
	if [ "$FAM" = 6 ]; then
		node_exec frr ip -6 -o addr show dev "$FRR_DEV" scope link |
		    awk '{sub("/.*", "", $4); print $4; exit}'
	else
		node_src frr
	fi
}
# vigild MASTER with the VIP and vrrpd Backup, or the other way round
dir_master() { is_state dir1 MASTER && has_vip dir1 && frr_is Backup; }
frr_master() { is_state dir1 BACKUP && no_vip dir1 && frr_is Master; }
holds() { # dir_master|frr_master: and still so past a master down interval
	_end=$(hold_end)
	while [ "$(now_ms)" -lt "$_end" ]; do
		"$1" || fail "v$VER: $1 did not hold (vigild: $(last_state dir1), vrrpd: $(frr_state))"
		sleep 0.1
	done
}

# frr_cut NODE SETTLED: NODE (dir1 or frr, the master) loses its link
# (vrrpd's macvlan sits on eth0 and goes down with it): the other side
# takes over, the client following it; the link back, NODE preempts
# (SETTLED: dir_master or frr_master) and it holds
frr_cut() {
	node_exec "$1" ip link set eth0 down
	if [ "$1" = dir1 ]; then
		wait_for 150 frr_is Master || fail "v$VER: vrrpd did not take over from a cut vigild"
		client_follows frr "$FRR_DEV"
	else
		wait_for 150 is_state dir1 MASTER || fail "v$VER: vigild did not take over from a cut vrrpd"
		wait_for 50 has_vip dir1 || fail "v$VER: vigild MASTER without the VIP"
		client_follows dir1
	fi
	node_exec "$1" ip link set eth0 up
	wait_for 150 "$2" ||
	    fail "v$VER: $1 did not preempt on its return (vigild: $(last_state dir1), vrrpd: $(frr_state))"
	holds "$2"
}

# frr_round VERSION ADVERT_INT(vigild, s) ADVERT_INT(vrrpd, ms): either
# side master, either side cut off or stopped, preemption both ways, never two
# masters once settled, and the client's ARP / neighbour entry for the VIP
# follows the master (vrrpd answers from its macvlan: the virtual MAC)
frr_round() {
	VER=$1
	ADV=$2
	FRR_ADV=$3
	mark "FRR round"
	start_frr 100
	start_dir 150
	wait_for 150 dir_master || fail "v$VER: vigild (150) is not MASTER over vrrpd (100)"
	holds dir_master
	wait_for 50 client_ping || fail "v$VER: the client does not reach the VIP on vigild"
	client_follows dir1
	pass "v$VER: vigild (150) MASTER, FRR vrrpd (100) Backup"

	frr_cut dir1 dir_master
	client_follows dir1
	pass "v$VER: vigild cut off -> vrrpd Master; back -> vigild preempts; the client follows"

	stop_dir
	wait_for 100 frr_is Master || fail "v$VER: vrrpd did not take over from a stopped vigild"
	client_follows frr "$FRR_DEV"
	start_dir 50
	wait_for 150 frr_master || fail "v$VER: vigild (50) did not stay BACKUP under vrrpd (100)"
	holds frr_master
	pass "v$VER: vigild stops -> vrrpd Master; vigild (50) returns as BACKUP"

	stop_frr
	wait_for 150 is_state dir1 MASTER || fail "v$VER: vigild did not take over from a stopped vrrpd"
	wait_for 50 has_vip dir1 || fail "v$VER: vigild MASTER without the VIP"
	client_follows dir1
	start_frr 100
	wait_for 150 frr_master || fail "v$VER: vrrpd (100) did not preempt vigild (50)"
	holds frr_master
	node_log_has dir1 "higher priority advert from $(frr_src) (100 > 50)" ||
	    fail "v$VER: vigild does not say why it went back"
	client_follows frr "$FRR_DEV"
	pass "v$VER: vrrpd stops -> vigild MASTER; vrrpd returns and preempts"

	# vrrpd stays Master through its link's cut (it logs no change) and
	# so sends no gratuitous ARP / NA when its link returns: the client's
	# entry comes back to it only by its own re-resolution, not checked
	frr_cut frr frr_master
	pass "v$VER: vrrpd cut off -> vigild MASTER, the client follows; back -> vrrpd preempts"

	stop_dir
	start_dir 150
	wait_for 150 dir_master || fail "v$VER: vigild (150) did not preempt vrrpd (100)"
	holds dir_master
	client_follows dir1
	pass "v$VER: vigild (150) returns and preempts vrrpd"
	stop_dir
	stop_frr
	: >"$(node_log dir1)"
}
