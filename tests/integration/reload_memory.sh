#!/bin/sh
# Memory across reloads: the parent holds one configuration generation,
# not the old one too, however many reloads it takes (what a reload frees
# is kept a few seconds for the next one, then given back); a child holds its
# own part, not everything it inherited. Figures are compared with each
# other in the same run (RSS from /proc), never with a fixed size.
. "$(dirname "$0")/lib.sh"

# gen PRIORITY WEIGHT: 2,000 virtual servers x 5 real servers (on
# loopback) and 20 VRRP instances; the two variants differ in every
# instance and in some real servers.
gen() {
	awk -v prio="$1" -v w="$2" 'BEGIN {
		for (i = 0; i < 20; i++)
			printf "vrrp_instance VI_%d {\n    interface veth0\n    virtual_router_id %d\n    priority %d\n    virtual_ipaddress {\n        10.0.%d.1/24\n    }\n}\n", i, i + 1, prio, i
		for (v = 0; v < 2000; v++) {
			printf "virtual_server 172.16.%d.%d 80 {\n    delay_loop 60\n    lb_algo wrr\n    lb_kind NAT\n    protocol TCP\n", int(v / 250), v % 250 + 1
			for (r = 0; r < 5; r++)
				printf "    real_server 127.0.%d.%d 80 {\n        weight %d\n        TCP_CHECK {\n            connect_timeout 2\n        }\n    }\n", int(v / 250), v % 250 + 1 + r, (r == 0 && v % 10 == 0) ? w : 1
			print "}"
		}
	}'
}
rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"; }
rss_within() { [ "$(rss "$1")" -le "$2" ]; }

# AddressSanitizer keeps freed memory in quarantine and maps shadow
# memory: its RSS says nothing about vigild's own
if grep -q __asan_init "$VIGILD" 2>/dev/null; then
	echo "# SKIP: vigild is built with AddressSanitizer"
	exit 77
fi

CONF="$T/vigil.conf"
gen 100 1 >"$T/a.conf"
gen 110 2 >"$T/b.conf"
cp "$T/a.conf" "$CONF"
start_vigild "$CONF"
wait_for 100 log_has "vrrp child (pid [0-9]*) is up" || fail "VRRP child never said hello"
wait_for 100 log_has "checker child (pid [0-9]*) is up" || fail "checker child never said hello"
vrrp=$(pidof_file "$VRRP_PIDF")
start=$(rss "$VPID")

for gen in 2 3 4 5 6; do
	if [ $((gen % 2)) -eq 0 ]; then cp "$T/b.conf" "$CONF"; else cp "$T/a.conf" "$CONF"; fi
	kill -HUP "$VPID"
	wait_for 300 log_has "vrrp child: running configuration generation $gen" ||
	    fail "VRRP child did not confirm generation $gen"
	wait_for 300 log_has "checker child: running configuration generation $gen" ||
	    fail "checker child did not confirm generation $gen"
	# what the reload freed is kept for the next one a few seconds
	# (daemon/reload.c, RELOAD_POOL_HOLD), then given back: the first
	# and the last reload are measured once it went (reloads 2-4 come
	# sooner, and take their memory from it)
	case $gen in
	2) wait_for 100 rss_within "$VPID" $((start * 15 / 10)) || true ;;
	6) wait_for 100 rss_within "$VPID" $((after2 * 13 / 10)) || true ;;
	esac
	eval "after$gen=\$(rss \"\$VPID\")"
done
[ "$(pidof_file "$VRRP_PIDF")" = "$vrrp" ] || fail "VRRP child restarted"
echo "# parent RSS (kB): start $start, after reload 1 $after2, after reload 5 $after6"
echo "# vrrp child RSS (kB): $(rss "$vrrp"), checker child: $(rss "$(pidof_file "$CHECK_PIDF")")"

# the old generation is not kept: the first reload does not double the
# parent, and later ones do not add to it
[ $((after2 * 10)) -le $((start * 15)) ] ||
    fail "parent RSS grew from $start to $after2 kB on the first reload"
[ $((after6 * 10)) -le $((after2 * 13)) ] ||
    fail "parent RSS grew from $after2 kB after one reload to $after6 after five"
pass "the parent's memory stays flat across reloads"

# the VRRP child's part (20 instances) is a sliver of the whole
v=$(rss "$vrrp")
[ $((v * 2)) -le "$after6" ] ||
    fail "VRRP child holds $v kB, the parent $after6 kB"
pass "the VRRP child holds its own part, not the whole configuration"
stop_vigild
[ "$VSTATUS" -eq 0 ] || fail "vigild exited $VSTATUS"
done_testing
