#!/bin/sh
# vigild against FRR's vrrpd (Debian's frr) on one bridge, IPv4, VRRPv2
# and VRRPv3: either side master, either side stopped, preemption both
# ways, never two masters once settled, the client's ARP entry following
# the master. Order and outcome come from both logs, `ip addr` and
# `ip neigh`, never from times.
. "$(dirname "$0")/../topo.sh"
. "$SCENARIO_DIR/interop.sh"
. "$SCENARIO_DIR/frr_lib.sh"

topo_bridge lan
topo_node dir1 10.10.0.1/24
topo_node frr 10.10.0.4/24
topo_node client 10.10.0.50/24
frr_setup

frr_round 2 1 1000
frr_round 3 0.5 500

topo_teardown
[ -z "$(topo_leftovers)" ] || fail "namespaces left: $(topo_leftovers)"
done_testing
