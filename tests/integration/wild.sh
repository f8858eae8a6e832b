#!/bin/sh
# vigild -t over the wild-configs corpus (tests/wild-configs/README):
# keepalived.conf files from public repositories, each with the verdict
# keepalived 2.2.7 gave on a host holding exactly the interfaces lo, eth0,
# ifb0 and ifb1 (keepalived-results.tsv). Here vigild -t runs in a namespace
# holding exactly those. For each file: what keepalived accepted, vigild
# accepts with no error; what keepalived rejected, vigild diagnoses at
# file:line, and refuses (exit 1) unless the file is listed below as a
# deliberate difference, with the reason. A file of the results that is
# neither present nor listed as not shipped fails the test.
. "$(dirname "$0")/lib.sh"

CORPUS="$top_srcdir/tests/wild-configs"
RESULTS="$CORPUS/keepalived-results.tsv"
# the configurations themselves may be read from elsewhere (a checkout of
# the corpus with every file; see the README): VIGIL_WILD_DIR, else the
# project's reference copy beside the repository when there is one
REF="$top_srcdir/../shared/reference/wild-configs"
if [ -z "${VIGIL_WILD_DIR:-}" ] && [ -f "$REF/001.conf" ]; then
	VIGIL_WILD_DIR=$REF
fi
DIR=${VIGIL_WILD_DIR:-$CORPUS}
[ -f "$RESULTS" ] || fail "$RESULTS missing"

# Deliberate differences: keepalived rejects these files (exit 5) but only
# warnings are found; vigild keeps exit 0 on warnings (vigild(8), "DIFFERENCES
# FROM KEEPALIVED" in vigil.conf(5)). Each is still diagnosed at file:line.
DIFFERENCES='
025.conf warnings only: unknown keyword vvrp_script (keepalived exits 5 on warnings)
031.conf warnings only: unknown keyword nat_mask; nb_get_retry read as retry in TCP_CHECK
037.conf nb_get_retry read as the old name of retry in TCP_CHECK (keepalived: unknown keyword)
038.conf warnings only: unknown keyword local_address_group, include matching nothing
041.conf warnings only: auth_pass truncated to 8 characters
058.conf warnings only: nb_get_retry deprecated
077.conf nb_get_retry read as the old name of retry in TCP_CHECK (keepalived: unknown keyword)
'

# Exactly lo, eth0, ifb0, ifb1: a veth pair eth0/ifb0, and ifb1 whose peer
# lives in a second namespace of this test.
NS2="$NS-peer"
wild_cleanup() {
	ip netns del "$NS2" 2>/dev/null
	cleanup
}
trap wild_cleanup EXIT
ip -n "$NS" link del veth0 || fail "cannot remove veth0"
ip netns add "$NS2" || fail "cannot create namespace $NS2"
ip -n "$NS" link add eth0 type veth peer name ifb0 || fail "cannot add eth0/ifb0"
ip -n "$NS" link add ifb1 type veth peer name tmp1 netns "$NS2" ||
    fail "cannot add ifb1"
links=$(ip -n "$NS" -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' |
    sort | tr '\n' ' ')
[ "$links" = "eth0 ifb0 ifb1 lo " ] || fail "namespace holds '$links'"
pass "the namespace holds exactly lo, eth0, ifb0, ifb1"

accepted=0 diagnosed=0 differences=0 absent=0 n=0
while IFS='	' read -r f ka first; do
	[ "$f" = file ] && continue
	n=$((n + 1))
	[ $n -le 200 ] || fail "more than 200 rows in $RESULTS"
	conf="$DIR/$f"
	if [ ! -f "$conf" ]; then
		grep -q "^| $f |" "$CORPUS/README.md" ||
		    fail "$f: missing, and not listed as not shipped in the README"
		absent=$((absent + 1))
		continue
	fi
	# 10 s at most per file
	timeout 10 ip netns exec "$NS" "$VIGILD" -t -f "$conf" >"$T/out" 2>&1
	rc=$?
	[ $rc -le 1 ] || fail "$f: vigild -t exited $rc: $(tail -3 "$T/out")"
	if [ "$ka" = 0 ]; then
		[ $rc = 0 ] || fail "$f: keepalived accepts it, vigild -t refuses: $(grep ': error: ' "$T/out" | head -3)"
		accepted=$((accepted + 1))
		continue
	fi
	grep -q "^$conf:[0-9][0-9]*: \(error\|warning\): " "$T/out" ||
	    fail "$f: keepalived refuses it ($first), vigild -t names no file:line: $(cat "$T/out")"
	if [ $rc = 0 ]; then
		echo "$DIFFERENCES" | grep -q "^$f " ||
		    fail "$f: keepalived refuses it ($first), vigild -t accepts it and it is no listed difference: $(cat "$T/out")"
		differences=$((differences + 1))
	else
		diagnosed=$((diagnosed + 1))
	fi
done <"$RESULTS"
[ $n -ge 80 ] || fail "only $n files in $RESULTS"
if [ $((accepted + diagnosed + differences)) = 0 ]; then
	echo "# no configuration file of the corpus here (see tests/wild-configs/README.md; VIGIL_WILD_DIR)"
	exit 77
fi
pass "corpus of $n: $accepted accepted as keepalived does, $diagnosed refused with file:line, $differences deliberate differences (diagnosed, exit 0), $absent not shipped"
done_testing
