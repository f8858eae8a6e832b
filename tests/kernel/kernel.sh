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
# links the host kernel may lack: use_ipvlan, interfaces in a VRF).
# SKIP (77) without UML or its IPVS modules, with VIGIL_SKIP_INTEGRATION,
# on a sanitizer build, or when the guest does not finish within
# VIGIL_KERNEL_TIMEOUT seconds (default 1500: a loaded 2-core machine
# slows the guest tenfold); FAIL when a scenario fails.
# VIGIL_KERNEL_TESTS="a.sh b.sh" runs only those; VIGIL_KERNEL_SNMP=0 leaves
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
tests=${VIGIL_KERNEL_TESTS:-"ipvs_lib.sh ipvs_vigild.sh ipvs_keepalived.sh ipvs_traffic.sh ipvs_sync.sh vrrp_links.sh"}
cd "$top_builddir" || exit 1
mkdir -p "$top_builddir/uml/tmp"
start=$(date +%s)
UML_WORKDIR=$top_builddir/uml "$top_srcdir/tests/kernel/uml-run" -m 768M \
    -t "$limit" env top_srcdir="$top_srcdir" top_builddir="$top_builddir" \
    VIGILD="$VIGILD" KTMP="$top_builddir/uml/tmp" \
    VIGIL_SYNC_CONNS="${VIGIL_SYNC_CONNS:-1000}" \
    VIGIL_KERNEL_SNMP="${VIGIL_KERNEL_SNMP:-1}" \
    sh "$top_srcdir/tests/kernel/guest.sh" $tests
rc=$?
echo "# the guest ran $(($(date +%s) - start)) s"
case $rc in
0|77) exit $rc ;;
124) echo "SKIP: the guest did not finish within $limit s (a loaded machine?)"
	exit 77 ;;
*) exit 1 ;;
esac
