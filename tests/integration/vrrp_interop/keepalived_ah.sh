#!/bin/sh
# vigild against Debian's keepalived with VRRPv2 IPSEC-AH authentication
# (auth_type AH: HMAC-MD5-96 as keepalived computes it, its sequence
# numbers): elections and failovers both ways, each side restarting and
# numbering on from the other's, and another key dropped on both sides
# (vigild counts the drops).
. "$(dirname "$0")/../topo.sh"
. "$SCENARIO_DIR/interop.sh"
. "$SCENARIO_DIR/ka_lib.sh"

topo_bridge lan
topo_node dir1 10.10.0.1/24
topo_node ka 10.10.0.3/24

auth_round AH

topo_teardown
[ -z "$(topo_leftovers)" ] || fail "namespaces left: $(topo_leftovers)"
done_testing
