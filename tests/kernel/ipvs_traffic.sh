#!/bin/sh
# Direct routing and tunnelling carry real traffic (inside User-Mode Linux,
# run by tests/kernel/kernel.sh; NAT's traffic is ipvs_vigild.sh's).
# vigild on the director d1 programs four services whose real servers r1
# and r2 (nginx, TCP_CHECK) answer a client lc on the same LAN directly,
# not through d1:
#   10.9.4.1:80  lvs_method DR, rr, r1, r2 and 10.9.0.13 (no such host:
#                its check fails, it leaves the table)
#   10.9.4.2:80  lvs_method TUN type ipip, wrr, r1 weight 1, r2 weight 3
#   10.9.4.3:80  lvs_method TUN type gre, rr
#   10.9.4.4:80  lvs_method TUN type gue port 6080, rr
# The real servers hold the VIPs on lo and do not answer ARP for them
# (arp_ignore 1, arp_announce 2); for TUN they decapsulate on tunl0
# (ipip), gre0 (GRE) and a fou GUE port, reverse-path filtering off. The
# client routes the VIPs through d1. Every request must be answered, and
# each real server must answer the share its scheduler gives it.
. "$(dirname "$0")/klib.sh"
command -v ipvsadm >/dev/null || { echo "SKIP: no ipvsadm"; exit 77; }
command -v nginx >/dev/null || { echo "SKIP: no nginx"; exit 77; }
for m in ipip ip_gre fou; do
	modprobe "$m" 2>/dev/null ||
	    { echo "SKIP: the guest kernel has no $m module"; exit 77; }
done

cleanup_lc() {
	ip netns pids "$(ns lc)" 2>/dev/null | xargs -r kill -9 2>/dev/null
	ip netns del "$(ns lc)" 2>/dev/null
	cleanup
}
trap cleanup_lc EXIT

topo
# lc: the client, on the LAN beside the real servers
ip netns add "$(ns lc)" || fail "cannot create namespace $(ns lc)"
in_ns lc ip link set lo up
in_ns lan ip link add llc type veth peer name eth0 netns "$(ns lc)"
in_ns lan ip link set llc master br0 up
in_ns lc ip addr add 10.9.0.20/24 dev eth0
in_ns lc ip link set eth0 up
in_ns lc ip route add 10.9.4.0/24 via 10.9.0.1
for v in 1 2 3 4; do
	in_ns d1 ip addr add "10.9.4.$v/32" dev lo
done
for x in r1 r2; do
	in_ns $x sysctl -q -w net.ipv4.conf.all.arp_ignore=1 \
	    net.ipv4.conf.all.arp_announce=2 net.ipv4.conf.eth0.arp_ignore=1 \
	    net.ipv4.conf.eth0.arp_announce=2 net.ipv4.conf.all.rp_filter=0 \
	    net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0 ||
	    fail "$x: sysctl"
	for v in 1 2 3 4; do
		in_ns $x ip addr add "10.9.4.$v/32" dev lo
	done
	for d in tunl0 gre0; do
		in_ns $x ip link set "$d" up || fail "$x: no $d device"
		in_ns $x sysctl -q -w "net.ipv4.conf.$d.rp_filter=0"
	done
	in_ns $x ip fou add port 6080 gue || fail "$x: ip fou add port 6080 gue"
done
web r1 r1 r1 80
web r2 r2 r2 80

rs() {	# rs ADDR [WEIGHT]
	cat <<EOF
	real_server $1 80 {
		weight ${2:-1}
		TCP_CHECK {
			connect_timeout 5
			retry 1
			delay_before_retry 1
		}
	}
EOF
}
vs() {	# vs VIP SCHED METHOD...
	_vip=$1 _sched=$2; shift 2
	cat <<EOF
virtual_server $_vip 80 {
	delay_loop 1
	lvs_sched $_sched
	lvs_method $*
	protocol TCP
EOF
}
{
	echo "global_defs { router_id kernel_traffic }"
	vs 10.9.4.1 rr DR; rs 10.9.0.11; rs 10.9.0.12; rs 10.9.0.13; echo "}"
	vs 10.9.4.2 wrr TUN type ipip; rs 10.9.0.11 1; rs 10.9.0.12 3; echo "}"
	vs 10.9.4.3 rr TUN type gre; rs 10.9.0.11; rs 10.9.0.12; echo "}"
	vs 10.9.4.4 rr TUN type gue port 6080; rs 10.9.0.11; rs 10.9.0.12
	echo "}"
} >"$T/vigil.conf"
sort >"$T/want" <<EOF
-A -t 10.9.4.1:80 -s rr
-a -t 10.9.4.1:80 -r 10.9.0.11:80 -g -w 1
-a -t 10.9.4.1:80 -r 10.9.0.12:80 -g -w 1
-A -t 10.9.4.2:80 -s wrr
-a -t 10.9.4.2:80 -r 10.9.0.11:80 -i -w 1 --tun-type ipip
-a -t 10.9.4.2:80 -r 10.9.0.12:80 -i -w 3 --tun-type ipip
-A -t 10.9.4.3:80 -s rr
-a -t 10.9.4.3:80 -r 10.9.0.11:80 -i -w 1 --tun-type gre --tun-nocsum
-a -t 10.9.4.3:80 -r 10.9.0.12:80 -i -w 1 --tun-type gre --tun-nocsum
-A -t 10.9.4.4:80 -s rr
-a -t 10.9.4.4:80 -r 10.9.0.11:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-nocsum
-a -t 10.9.4.4:80 -r 10.9.0.12:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-nocsum
EOF
full() { table d1 >"$T/table"; cmp -s "$T/table" "$T/want"; }

note "starting vigild"
bg vigild d1 "$VIGILD" -n -l -C -f "$T/vigil.conf" -p "$T/v.pid" \
    -c "$T/vc.pid" --child-watchdog 0
wait_for 180 full ||
    { diff -u "$T/want" "$T/table"; fail "vigild's table is not the configuration's (- wanted, + got)"; }
pass "vigild's table: DR, TUN ipip, gre and gue services; the real server that fails its check left it"

# spread VIP N R1 R2 WHAT: N requests from lc to VIP:80, all answered,
# R1 by r1 and R2 by r2. A request the starved guest lost and the client
# tried again took its own turn in the scheduler: each retry may move one
# answer from one real server to the other.
spread() {
	ASK_FROM=lc ask "$1" 80 "$2"
	_r1=$(answered r1) _r2=$(answered r2) _tries=$(cat "$T/tries")
	_slack=$((_tries - $2))
	[ $((_r1 + _r2)) = "$2" ] ||
	    fail "$5: $2 requests to $1:80, $((_r1 + _r2)) answered in $_tries tries: $(cat "$T/answers")"
	[ "$_r1" -ge $(($3 - _slack)) ] && [ "$_r1" -le $(($3 + _slack)) ] ||
	    fail "$5: $2 requests to $1:80: r1 answered $_r1, r2 $_r2 (wanted $3 and $4, $_tries tries)"
	pass "$5: $2 of $2 requests answered through $1, r1 $_r1, r2 $_r2 (the scheduler's $3 and $4; $_tries tries)"
}
spread 10.9.4.1 6 3 3 "DR (rr, the failing real server left out)"
spread 10.9.4.2 8 2 6 "TUN ipip (wrr 1:3)"
spread 10.9.4.3 4 2 2 "TUN gre (rr)"
spread 10.9.4.4 4 2 2 "TUN gue (rr)"

# the replies went from the real servers straight to the client: d1 saw
# only the requests (IPVS counts no outgoing packets for DR and TUN; the
# kernel adds the counters up every two seconds)
dr_counted() {
	in_ns d1 ipvsadm -Ln --stats -t 10.9.4.1:80 >"$T/stats"
	[ "$(awk '$1 == "TCP" { print $3; exit }' "$T/stats")" -ge 6 ]
}
wait_for 20 dr_counted || fail "DR: d1 counted fewer than 6 connections: $(cat "$T/stats")"
inpkts=$(awk '$1 == "TCP" { print $4; exit }' "$T/stats")
outpkts=$(awk '$1 == "TCP" { print $5; exit }' "$T/stats")
[ "$outpkts" = 0 ] && [ "$inpkts" -ge 12 ] ||
    fail "DR: d1's counters: $(cat "$T/stats")"
pass "DR: the replies bypass the director ($inpkts packets in, 0 out)"

stop_bg vigild
[ -z "$(in_ns d1 ipvsadm -Sn)" ] || fail "after stop: $(in_ns d1 ipvsadm -Sn)"
pass "vigild stopping removes the four services"
echo "1..$n"
