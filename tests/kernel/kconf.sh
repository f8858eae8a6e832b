# The configuration the vigild and keepalived kernel tests share
# (sourced): conf WEIGHT writes it, want WEIGHT the sorted ipvsadm -Sn it
# asks for with every real server up. WEIGHT is r2's weight on
# 10.9.1.100:80 (a reload changes it). servers starts the real servers.

servers() {
	web r1 r1 r1 80 8080
	web r2 r2 r2 80
	web r2b r2 r2 8080
	web sorry r1 sorry 8081
	# the long-lived connection: an answer now, another 25 s later
	bg listen-r1-9000 r1 socat TCP-LISTEN:9000,fork,reuseaddr \
	    SYSTEM:"echo hello; sleep 25; echo bye"
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
