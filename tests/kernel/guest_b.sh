#!/bin/sh
# make check's second User-Mode Linux guest (tests/kernel/kernel.sh says
# how a guest runs): vigild with real servers and traffic, the connection
# sync daemon across a failover, VRRP on links the host kernel lacks, a
# route's encap mpls, net_namespace_ipvs, lvs_flush_on_stop.
# It runs beside the first (guest_a.sh).
KERNEL_GUEST=b exec sh "$(dirname "$0")/kernel.sh" ipvs_vigild.sh \
    ipvs_sync.sh vrrp_links.sh route_mpls.sh ipvs_netns.sh ipvs_flush.sh
