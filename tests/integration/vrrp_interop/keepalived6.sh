#!/bin/sh
# vigild against Debian's keepalived over IPv6 (VRRPv3 to ff02::12 from
# link-local addresses, an IPv6 VIP): the same round as keepalived.sh,
# with the client's neighbour entry for the VIP following the master by
# unsolicited NAs alone.
. "$(dirname "$0")/../topo.sh"
. "$SCENARIO_DIR/interop.sh"
. "$SCENARIO_DIR/ka_lib.sh"

interop_family 6
topo_bridge lan
topo_node dir1 fd00::1/64
topo_node ka fd00::3/64
topo_node client fd00::50/64

ka_round 3 0.4

topo_teardown
[ -z "$(topo_leftovers)" ] || fail "namespaces left: $(topo_leftovers)"
done_testing
