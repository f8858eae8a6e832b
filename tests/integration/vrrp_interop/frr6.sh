#!/bin/sh
# vigild against FRR's vrrpd over IPv6 (VRRPv3 to ff02::12 from link-local
# addresses, an IPv6 VIP on vrrpd's macvlan vrrp6-2-51): the same round as
# frr.sh, with the client's neighbour entry for the VIP following the
# master by unsolicited NAs alone.
. "$(dirname "$0")/../topo.sh"
. "$SCENARIO_DIR/interop.sh"
. "$SCENARIO_DIR/frr_lib.sh"

interop_family 6
topo_bridge lan
topo_node dir1 fd00::1/64
topo_node frr fd00::4/64
topo_node client fd00::50/64
frr_setup

frr_round 3 0.4 400

topo_teardown
[ -z "$(topo_leftovers)" ] || fail "namespaces left: $(topo_leftovers)"
done_testing
