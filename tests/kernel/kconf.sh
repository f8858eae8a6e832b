# The configurations the vigild and keepalived kernel tests share
# (sourced): conf WEIGHT writes the first, want WEIGHT the sorted
# ipvsadm -Sn it asks for with every real server up. WEIGHT is r2's
# weight on 10.9.1.100:80 (a reload changes it). servers starts the real
# servers. conf2 / want2 are the second (UDP, SCTP, IPv6, one-packet
# scheduling, the sip persistence engine, mh and sh flags, TUN ipip / gue
# / gre with their checksum options, lvs_timeouts, a TUN real server with
# another port, no protocol, ops on TCP), whatever of it the guest's IPVS
# has (kconf2_probe).

CONN_TOOL=$top_builddir/tests/kernel/conn_tool

# v6: the real servers' nginx also listen on IPv6 (conf2's IPv6 real
# servers) when the guest has IPv6
v6() { [ -e /proc/net/if_inet6 ] && echo "$@"; }

web_r2() { web r2 r2 r2 80 $(v6 '[::]:80'); }

servers() {
	web r1 r1 r1 80 8080 $(v6 '[::]:80')
	web_r2
	web r2b r2 r2 8080
	web sorry r1 sorry 8081
	# the long-lived connections (10.9.1.104:9000): an echo server
	bg listen-r1-9000 r1 "$CONN_TOOL" serve 9000
}

rs() {	# rs ADDR PORT [WEIGHT [EXTRA]]: a real server behind TCP_CHECK
	cat <<EOF
	real_server $1 $2 {
		weight ${3:-1}
		${4:-}
		TCP_CHECK {
			connect_timeout 5
			retry 1
			delay_before_retry 1
		}
	}
EOF
}

conf() {	# conf WEIGHT: the configuration, r2's weight on the first VS
	cat <<EOF
global_defs {
	router_id kernel_test
}
virtual_server_group G1 {
	10.9.2.1-3 8080
	fwmark 9
}
virtual_server 10.9.1.100 80 {
	delay_loop 1
	lvs_sched rr
	lvs_method NAT
	protocol TCP
$(rs 10.9.0.11 80 1)
$(rs 10.9.0.12 80 "$1")
}
virtual_server 10.9.1.101 443 {
	delay_loop 1
	lvs_sched wlc
	lvs_method DR
	persistence_timeout 120
	persistence_granularity 255.255.255.0
	protocol TCP
	real_server 10.9.0.11 443 {
		weight 3
		uthreshold 100
		lthreshold 10
		TCP_CHECK {
			connect_timeout 5
			connect_port 80
		}
	}
}
virtual_server 10.9.1.102 80 {
	delay_loop 1
	lvs_sched rr
	lvs_method NAT
	protocol TCP
	quorum 2
	sorry_server 10.9.0.11 8081
$(rs 10.9.0.11 80)
$(rs 10.9.0.12 80)
}
virtual_server 10.9.1.103 80 {
	delay_loop 1
	lvs_sched rr
	lvs_method NAT
	protocol TCP
$(rs 10.9.0.11 80 1 inhibit_on_failure)
$(rs 10.9.0.12 80 1 inhibit_on_failure)
}
virtual_server 10.9.1.104 9000 {
	lvs_sched rr
	lvs_method NAT
	protocol TCP
	real_server 10.9.0.11 9000 {
		weight 1
	}
}
virtual_server fwmark 5 {
	delay_loop 1
	lvs_sched sh
	sh-port
	lvs_method TUN
$(rs 10.9.0.12 80)
}
virtual_server group G1 {
	delay_loop 1
	lvs_sched wrr
	lvs_method NAT
	protocol TCP
$(rs 10.9.0.11 8080 2)
$(rs 10.9.0.12 8080 2)
}
EOF
}

# the table the configuration asks for, every real server up (sorted
# ipvsadm -Sn); W is r2's weight on 10.9.1.100:80
want() {
	cat <<EOF | sort
-A -t 10.9.1.100:80 -s rr
-a -t 10.9.1.100:80 -r 10.9.0.11:80 -m -w 1
-a -t 10.9.1.100:80 -r 10.9.0.12:80 -m -w $1
-A -t 10.9.1.101:443 -s wlc -p 120 -M 255.255.255.0
-a -t 10.9.1.101:443 -r 10.9.0.11:443 -g -w 3
-A -t 10.9.1.102:80 -s rr
-a -t 10.9.1.102:80 -r 10.9.0.11:80 -m -w 1
-a -t 10.9.1.102:80 -r 10.9.0.12:80 -m -w 1
-A -t 10.9.1.103:80 -s rr
-a -t 10.9.1.103:80 -r 10.9.0.11:80 -m -w 1
-a -t 10.9.1.103:80 -r 10.9.0.12:80 -m -w 1
-A -t 10.9.1.104:9000 -s rr
-a -t 10.9.1.104:9000 -r 10.9.0.11:9000 -m -w 1
-A -f 5 -s sh -b sh-port
-a -f 5 -r 10.9.0.12:0 -i -w 1 --tun-type ipip
-A -f 9 -s wrr
-a -f 9 -r 10.9.0.11:8080 -m -w 2
-a -f 9 -r 10.9.0.12:8080 -m -w 2
-A -t 10.9.2.1:8080 -s wrr
-a -t 10.9.2.1:8080 -r 10.9.0.11:8080 -m -w 2
-a -t 10.9.2.1:8080 -r 10.9.0.12:8080 -m -w 2
-A -t 10.9.2.2:8080 -s wrr
-a -t 10.9.2.2:8080 -r 10.9.0.11:8080 -m -w 2
-a -t 10.9.2.2:8080 -r 10.9.0.12:8080 -m -w 2
-A -t 10.9.2.3:8080 -s wrr
-a -t 10.9.2.3:8080 -r 10.9.0.11:8080 -m -w 2
-a -t 10.9.2.3:8080 -r 10.9.0.12:8080 -m -w 2
EOF
}

# kconf2_probe: what of conf2 the guest's IPVS (and ipvsadm) can hold,
# tried in a namespace of its own: sets K_SCTP, K_V6, K_MH, K_SIP, K_OPS,
# K_GUE, K_GRE to 1 or 0, and lists in $T/kskip each part left out with
# its reason (the scripts print them as skipped checks)
kconf2_probe() {
	_pn=$P-probe
	: >"$T/kskip"
	ip netns add "$_pn" || fail "cannot create namespace $_pn"
	# a tunnel's destination must be an address the namespace can reach
	ip -n "$_pn" link set lo up
	_try() {	# _try VAR WHAT IPVSADM-ARGS [";" IPVSADM-ARGS...]
		_var=$1 _what=$2; shift 2
		_ok=1
		while [ $# -gt 0 ]; do
			_a=
			while [ $# -gt 0 ] && [ "$1" != ";" ]; do _a="$_a $1"; shift; done
			[ $# -gt 0 ] && shift
			# shellcheck disable=SC2086
			ip netns exec "$_pn" ipvsadm $_a >"$T/probe.err" 2>&1 ||
			    { _ok=0; break; }
		done
		eval "$_var=$_ok"
		[ $_ok = 1 ] || echo "$_what: $(head -1 "$T/probe.err")" >>"$T/kskip"
	}
	_try K_SCTP "SCTP services (no IPVS SCTP in the guest's kernel)" \
	    -A --sctp-service 10.255.0.1:9 -s rr
	if [ -e /proc/net/if_inet6 ]; then
		_try K_V6 "IPv6 services (no IPVS IPv6 in the guest's kernel)" \
		    -A -t "[fd00:ff::1]:9" -s rr
	else
		K_V6=0
		echo "IPv6 services: the guest's kernel has no IPv6" >>"$T/kskip"
	fi
	_try K_MH "the mh scheduler and its flags (no ip_vs_mh)" \
	    -A -t 10.255.0.2:9 -s mh -b mh-port,mh-fallback
	_try K_SIP "persistence_engine sip (no ip_vs_pe_sip)" \
	    -A -u 10.255.0.3:5060 -s rr -p 60 --pe sip
	_try K_OPS "one-packet scheduling (ops)" -A -u 10.255.0.4:9 -s rr -o
	_try K_GUE "TUN type gue (no GUE encapsulation in the guest's IPVS or ipvsadm)" \
	    -A -t 10.255.0.5:9 -s rr ";" -a -t 10.255.0.5:9 -r 127.0.0.2 -i \
	    --tun-type gue --tun-port 6080 --tun-csum
	if [ $K_GUE = 1 ] &&
	    ! ip netns exec "$_pn" ipvsadm -Sn | grep -q -- '--tun-type gue'; then
		K_GUE=0
		echo "TUN type gue: the guest's IPVS does not keep the tunnel type" >>"$T/kskip"
	fi
	_try K_GRE "TUN type gre (no GRE encapsulation in the guest's IPVS)" \
	    -A -t 10.255.0.6:9 -s rr ";" -a -t 10.255.0.6:9 -r 127.0.0.2 -i \
	    --tun-type gre --tun-csum
	ip netns del "$_pn"
}

# kconf2_topo: IPv6 on the LAN (fd00:9::/64, d1 ::1, d2 ::2, r1 ::11,
# r2 ::12) for the checks of conf2's IPv6 real servers
kconf2_topo() {
	[ "$K_V6" = 1 ] || return 0
	for _x in d1:1 d2:2 r1:11 r2:12; do
		in_ns "${_x%%:*}" ip -6 addr add "fd00:9::${_x#*:}/64" dev eth0 nodad
	done
}

# conf2 VARIANT: the second configuration. a: the first; b: the same
# services with their settings edited (a reload edits them in place),
# an IPv6 service gone and another added, lvs_timeouts with tcp alone
# (keepalived sets the others back to the kernel's values from before
# its first lvs_timeouts); c: b without lvs_timeouts (all set back)
conf2() {
	_v=$1
	printf 'global_defs {\n\trouter_id kernel_test\n'
	case $_v in
	a) printf '\tlvs_timeouts tcp 900 tcpfin 60 udp 200\n' ;;
	b) printf '\tlvs_timeouts tcp 1000\n' ;;
	esac
	printf '}\n'
	# UDP with one-packet scheduling (b: without), no checker
	printf 'virtual_server 10.9.1.110 53 {\n\tlvs_sched rr\n\tlvs_method NAT\n\tprotocol UDP\n'
	[ "$_v" = a ] && [ "$K_OPS" = 1 ] && printf '\tops\n'
	printf '\treal_server 10.9.0.11 53 {\n\t\tweight 1\n\t}\n'
	printf '\treal_server 10.9.0.12 53 {\n\t\tweight 2\n\t}\n}\n'
	# the sip persistence engine (b: another persistence timeout)
	if [ "$K_SIP" = 1 ]; then
		printf 'virtual_server 10.9.1.111 5060 {\n\tlvs_sched lc\n\tlvs_method NAT\n\tprotocol UDP\n'
		printf '\tpersistence_timeout %s\n\tpersistence_engine sip\n' \
		    "$([ "$_v" = a ] && echo 60 || echo 90)"
		printf '\treal_server 10.9.0.11 5060 {\n\t\tweight 1\n\t}\n}\n'
	fi
	# mh with both flags (b: mh-fallback alone)
	if [ "$K_MH" = 1 ]; then
		printf 'virtual_server 10.9.1.112 80 {\n\tdelay_loop 1\n\tlvs_sched mh\n'
		[ "$_v" = a ] && printf '\tmh-port\n'
		printf '\tmh-fallback\n\tlvs_method DR\n\tprotocol TCP\n'
		rs 10.9.0.11 80
		rs 10.9.0.12 80
		printf '}\n'
	fi
	# sh with sh-fallback (b: sh-port too) on a fwmark
	printf 'virtual_server fwmark 12 {\n\tdelay_loop 1\n\tlvs_sched sh\n\tsh-fallback\n'
	[ "$_v" = a ] || printf '\tsh-port\n'
	printf '\tlvs_method DR\n'
	rs 10.9.0.11 80
	printf '}\n'
	# TUN: the virtual server's method for r1 (gue with csum; b: another
	# port, remcsum); r2 gre with csum (b: nocsum); 10.9.0.13 ipip
	_tun="TUN type ipip"
	if [ "$K_GUE" = 1 ]; then
		_tun="TUN type gue port 6080 csum"
		[ "$_v" = a ] || _tun="TUN type gue port 6081 remcsum"
	fi
	_gre=
	if [ "$K_GRE" = 1 ]; then
		_gre="lvs_method TUN type gre csum"
		[ "$_v" = a ] || _gre="lvs_method TUN type gre nocsum"
	fi
	printf 'virtual_server 10.9.1.113 80 {\n\tdelay_loop 1\n\tlvs_sched rr\n\tlvs_method %s\n\tprotocol TCP\n' "$_tun"
	rs 10.9.0.11 80
	rs 10.9.0.12 80 1 "$_gre"
	# no checker; its port is not the service's: keepalived takes the
	# service's (not NAT)
	printf '\treal_server 10.9.0.13 8080 {\n\t\tweight 1\n\t\tlvs_method TUN type ipip\n\t}\n}\n'
	# SCTP, no checker (b: r2's weight 1 -> 4)
	if [ "$K_SCTP" = 1 ]; then
		printf 'virtual_server 10.9.1.114 9900 {\n\tlvs_sched wrr\n\tlvs_method NAT\n\tprotocol SCTP\n'
		printf '\treal_server 10.9.0.11 9900 {\n\t\tweight 3\n\t}\n'
		printf '\treal_server 10.9.0.12 9900 {\n\t\tweight %s\n\t}\n}\n' \
		    "$([ "$_v" = a ] && echo 1 || echo 4)"
	fi
	# no protocol: the kernel's default, UDP (keepalived says so); ops
	# on a TCP service: keepalived leaves it out
	printf 'virtual_server 10.9.1.115 7000 {\n\tlvs_sched rr\n\tlvs_method NAT\n'
	printf '\treal_server 10.9.0.11 7000 {\n\t\tweight 1\n\t}\n}\n'
	printf 'virtual_server 10.9.1.116 7000 {\n\tlvs_sched rr\n\tlvs_method NAT\n\tprotocol TCP\n\tops\n'
	printf '\treal_server 10.9.0.11 7000 {\n\t\tweight 1\n\t}\n}\n'
	[ "$K_V6" = 1 ] || return 0
	# IPv6: NAT with persistence (b: none), a fwmark (its family from
	# its real server), UDP with ops (b: gone, an SCTP service instead)
	printf 'virtual_server fd00:9:1::100 80 {\n\tdelay_loop 1\n\tlvs_sched wrr\n\tlvs_method NAT\n\tprotocol TCP\n'
	[ "$_v" = a ] && printf '\tpersistence_timeout 30\n\tpersistence_granularity 64\n'
	rs fd00:9::11 80 2
	rs fd00:9::12 80 1
	printf '}\n'
	printf 'virtual_server fwmark 13 {\n\tdelay_loop 1\n\tlvs_sched rr\n\tlvs_method DR\n'
	rs fd00:9::12 80
	printf '}\n'
	if [ "$_v" = a ] && [ "$K_OPS" = 1 ]; then
		printf 'virtual_server fd00:9:1::101 53 {\n\tlvs_sched rr\n\tlvs_method NAT\n\tprotocol UDP\n\tops\n'
		printf '\treal_server fd00:9::11 53 {\n\t\tweight 1\n\t}\n}\n'
	elif [ "$_v" != a ] && [ "$K_SCTP" = 1 ]; then
		printf 'virtual_server fd00:9:1::102 9900 {\n\tlvs_sched rr\n\tlvs_method DR\n\tprotocol SCTP\n'
		printf '\treal_server fd00:9::12 9900 {\n\t\tweight 1\n\t}\n}\n'
	fi
	return 0
}

# want2 VARIANT [down]: the table conf2 VARIANT asks for (sorted ipvsadm
# -Sn), every real server up; with "down", r2's port 80 (IPv4 and IPv6)
# down
want2() {
	_v=$1 _down=${2:-}
	{
	_ops=
	[ "$_v" = a ] && [ "$K_OPS" = 1 ] && _ops=" -o"
	echo "-A -u 10.9.1.110:53 -s rr$_ops"
	echo "-a -u 10.9.1.110:53 -r 10.9.0.11:53 -m -w 1"
	echo "-a -u 10.9.1.110:53 -r 10.9.0.12:53 -m -w 2"
	if [ "$K_SIP" = 1 ]; then
		echo "-A -u 10.9.1.111:5060 -s lc -p $([ "$_v" = a ] && echo 60 || echo 90) --pe sip"
		echo "-a -u 10.9.1.111:5060 -r 10.9.0.11:5060 -m -w 1"
	fi
	if [ "$K_MH" = 1 ]; then
		echo "-A -t 10.9.1.112:80 -s mh -b mh-fallback$([ "$_v" = a ] && echo ,mh-port)"
		echo "-a -t 10.9.1.112:80 -r 10.9.0.11:80 -g -w 1"
		[ -n "$_down" ] || echo "-a -t 10.9.1.112:80 -r 10.9.0.12:80 -g -w 1"
	fi
	echo "-A -f 12 -s sh -b sh-fallback$([ "$_v" = a ] || echo ,sh-port)"
	echo "-a -f 12 -r 10.9.0.11:0 -g -w 1"
	echo "-A -t 10.9.1.113:80 -s rr"
	_r1="--tun-type ipip"
	if [ "$K_GUE" = 1 ]; then
		_r1="--tun-type gue --tun-port 6080 --tun-csum"
		[ "$_v" = a ] || _r1="--tun-type gue --tun-port 6081 --tun-remcsum"
	fi
	echo "-a -t 10.9.1.113:80 -r 10.9.0.11:80 -i -w 1 $_r1"
	_r2="--tun-type ipip"
	if [ "$K_GRE" = 1 ]; then
		_r2="--tun-type gre --tun-csum"
		[ "$_v" = a ] || _r2="--tun-type gre --tun-nocsum"
	fi
	[ -n "$_down" ] || echo "-a -t 10.9.1.113:80 -r 10.9.0.12:80 -i -w 1 $_r2"
	echo "-a -t 10.9.1.113:80 -r 10.9.0.13:80 -i -w 1 --tun-type ipip"
	if [ "$K_SCTP" = 1 ]; then
		echo "-A --sctp-service 10.9.1.114:9900 -s wrr"
		echo "-a --sctp-service 10.9.1.114:9900 -r 10.9.0.11:9900 -m -w 3"
		echo "-a --sctp-service 10.9.1.114:9900 -r 10.9.0.12:9900 -m -w $([ "$_v" = a ] && echo 1 || echo 4)"
	fi
	echo "-A -u 10.9.1.115:7000 -s rr"
	echo "-a -u 10.9.1.115:7000 -r 10.9.0.11:7000 -m -w 1"
	echo "-A -t 10.9.1.116:7000 -s rr"
	echo "-a -t 10.9.1.116:7000 -r 10.9.0.11:7000 -m -w 1"
	if [ "$K_V6" = 1 ]; then
		echo "-A -t [fd00:9:1::100]:80 -s wrr$([ "$_v" = a ] && echo " -p 30 -M 64")"
		echo "-a -t [fd00:9:1::100]:80 -r [fd00:9::11]:80 -m -w 2"
		[ -n "$_down" ] || echo "-a -t [fd00:9:1::100]:80 -r [fd00:9::12]:80 -m -w 1"
		echo "-A -f 13 -6 -s rr"
		[ -n "$_down" ] || echo "-a -f 13 -6 -r [fd00:9::12]:0 -g -w 1"
		if [ "$_v" = a ] && [ "$K_OPS" = 1 ]; then
			echo "-A -u [fd00:9:1::101]:53 -s rr -o"
			echo "-a -u [fd00:9:1::101]:53 -r [fd00:9::11]:53 -m -w 1"
		elif [ "$_v" != a ] && [ "$K_SCTP" = 1 ]; then
			echo "-A --sctp-service [fd00:9:1::102]:9900 -s rr"
			echo "-a --sctp-service [fd00:9:1::102]:9900 -r [fd00:9::12]:9900 -g -w 1"
		fi
	fi
	} | sort
}

# want2_timeouts VARIANT: ipvsadm -L --timeout after conf2 VARIANT, the
# kernel's values before the first lvs_timeouts being 900 120 300
want2_timeouts() {
	case $1 in
	a) echo "Timeout (tcp tcpfin udp): 900 60 200" ;;
	b) echo "Timeout (tcp tcpfin udp): 1000 120 300" ;;
	*) echo "Timeout (tcp tcpfin udp): 900 120 300" ;;
	esac
}
