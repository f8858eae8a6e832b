#!/bin/sh
# The kernel tests: boots one User-Mode Linux guest (tests/kernel/uml-run)
# whose kernel has IPVS and runs in it, on this build (gcc: sanitizer
# builds abort under UML), each area's script: ipvs_lib.sh (lib/ipvs
# against the kernel, compared with ipvsadm) and ipvs_vigild.sh (vigild
# with real servers and a client in namespaces, real traffic) and
# ipvs_keepalived.sh (vigild's table against keepalived's, step by step;
# then, on its topology, ipvs_ka_checks.sh: each real server's ordered
# transitions under several checker kinds, vigild's against keepalived's)
# and ipvs_sync.sh (two directors, the sync daemon following VRRP, long-lived
# NAT and DR connections surviving a failover) and vrrp_links.sh (VRRP on
# links the host kernel may lack: use_ipvlan, interfaces in a VRF, an
# instance without an interface in a VRF) and route_mpls.sh (a route's
# encap mpls, which needs the guest's mpls modules) and ipvs_netns.sh
# (net_namespace_ipvs: IPVS programmed in another namespace) and
# ipvs_flush.sh (lvs_flush_on_stop against keepalived's, and -I).
# SKIP (77) without UML or its IPVS modules, when UML cannot boot here
# (tests/kernel/uml-run: no linux.uml, or no executable mappings in
# /dev/shm), with VIGIL_SKIP_INTEGRATION or on a sanitizer build; FAIL
# when a scenario fails, and when the guest does not finish within
# VIGIL_KERNEL_TIMEOUT seconds (default 1500: a loaded 2-core machine
# slows the guest tenfold): a script still running 40 s before that is
# stopped in the guest (guest.sh) and fails with its daemons' output; a
# guest past the bound itself fails with the end of its output and of
# what its scripts left in KTMP.
# make check boots two guests side by side, each with a share of the
# scripts (tests/kernel/guest_a.sh, guest_b.sh: kernel.sh with the
# scripts as arguments and KERNEL_GUEST naming its work directory,
# build/gcc/uml-a, uml-b); kernel.sh alone runs every script in one guest
# (in build/gcc/uml).
# VIGIL_KERNEL_TESTS="a.sh b.sh" runs only those (of a guest's share: a
# guest with none of them reports SKIP); VIGIL_KERNEL_SNMP=0 leaves
# out the KEEPALIVED-MIB checker comparison of ipvs_ka_checks.sh (on by
# default where snmpd and keepalived's SNMP are there: two bulk walks, about
# 10 s of the guest).
set -u
if [ -n "${VIGIL_SKIP_INTEGRATION:-}" ]; then
	echo "SKIP: integration tests switched off (VIGIL_SKIP_INTEGRATION)"
	exit 77
fi
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${VIGILD:=$top_builddir/daemon/vigild}"
limit=${VIGIL_KERNEL_TIMEOUT:-1500}
tool=$top_builddir/tests/kernel/ipvs_tool
[ -x "$tool" ] || { echo "SKIP: $tool is not built"; exit 77; }
[ -x "$VIGILD" ] || { echo "SKIP: $VIGILD is not built"; exit 77; }
if nm -a "$VIGILD" 2>/dev/null | grep -q __asan_init; then
	echo "SKIP: a sanitizer build (ASan aborts under User-Mode Linux)"
	exit 77
fi
share=${*:-"ipvs_lib.sh ipvs_vigild.sh ipvs_keepalived.sh ipvs_traffic.sh ipvs_sync.sh vrrp_links.sh route_mpls.sh ipvs_netns.sh ipvs_flush.sh"}
tests=$share
if [ -n "${VIGIL_KERNEL_TESTS:-}" ]; then
	tests=
	for t in $VIGIL_KERNEL_TESTS; do
		case " $share " in *" $t "*) tests="$tests $t" ;; esac
	done
	[ -n "$tests" ] || { echo "SKIP: none of VIGIL_KERNEL_TESTS in this guest's share ($share)"; exit 77; }
fi
cd "$top_builddir" || exit 1
work=$top_builddir/uml${KERNEL_GUEST:+-$KERNEL_GUEST}
ktmp=$work/tmp
mkdir -p "$ktmp"
out=$work/guest.out
start=$(date +%s)
UML_WORKDIR=$work "$top_srcdir/tests/kernel/uml-run" -m 768M \
    -t "$limit" env top_srcdir="$top_srcdir" top_builddir="$top_builddir" \
    VIGILD="$VIGILD" KTMP="$ktmp" \
    VIGIL_SYNC_CONNS="${VIGIL_SYNC_CONNS:-1000}" \
    VIGIL_KERNEL_SNMP="${VIGIL_KERNEL_SNMP:-1}" \
    GUEST_BUDGET=$((limit - 40)) \
    sh "$top_srcdir/tests/kernel/guest.sh" $tests >"$out" 2>&1
rc=$?
cat "$out"
echo "# the guest ran $(($(date +%s) - start)) s"
case $rc in
0|77) exit $rc ;;
124)
	echo "FAIL: the guest did not finish within $limit s; the last 40 lines of its output:"
	tail -40 "$out" | sed 's/^/| /'
	# what the running script left (the guest was killed before its
	# cleanup): the end of each daemon's output
	for d in "$ktmp"/vigil-kernel.*; do
		[ -d "$d" ] || continue
		for f in "$d"/*.out; do
			[ -f "$f" ] || continue
			echo "--- ${f#"$ktmp"/} (last 15 lines):"
			tail -15 "$f" | sed 's/^/| /'
		done
		rm -rf "$d"
	done
	exit 1 ;;
*) exit 1 ;;
esac
