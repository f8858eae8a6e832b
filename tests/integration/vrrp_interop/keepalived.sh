#!/bin/sh
# vigild against Debian's keepalived on one bridge, IPv4, VRRPv2 and
# VRRPv3: either side master, either side cut off or stopped, preemption
# both ways, never two masters once the election has settled, and the
# client's ARP entry for the VIP follows the master. Order and outcome
# come from both logs, `ip addr` and `ip neigh`, never from times.
. "$(dirname "$0")/../topo.sh"
. "$SCENARIO_DIR/interop.sh"
. "$SCENARIO_DIR/ka_lib.sh"

topo_bridge lan
topo_node dir1 10.10.0.1/24
topo_node ka 10.10.0.3/24
topo_node client 10.10.0.50/24

ka_round 2 1
ka_round 3 0.5

topo_teardown
[ -z "$(topo_leftovers)" ] || fail "namespaces left: $(topo_leftovers)"
done_testing
