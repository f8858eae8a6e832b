#!/bin/sh
# vigild against Debian's keepalived with VRRPv2 simple password
# authentication (auth_type PASS): elections and failovers both ways, and
# another password dropped on both sides (vigild counts the drops).
# FRR's vrrpd has no VRRPv2 authentication: not tested there.
. "$(dirname "$0")/../topo.sh"
. "$SCENARIO_DIR/interop.sh"
. "$SCENARIO_DIR/ka_lib.sh"

topo_bridge lan
topo_node dir1 10.10.0.1/24
topo_node ka 10.10.0.3/24

auth_round PASS

topo_teardown
[ -z "$(topo_leftovers)" ] || fail "namespaces left: $(topo_leftovers)"
done_testing
