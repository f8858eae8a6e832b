#!/bin/sh
# make check's second User-Mode Linux guest (tests/kernel/kernel.sh says
# how a guest runs): vigild with real servers and traffic, the connection
# sync daemon across a failover, VRRP on links the host kernel lacks.
# It runs beside the first (guest_a.sh).
KERNEL_GUEST=b exec sh "$(dirname "$0")/kernel.sh" ipvs_vigild.sh \
    ipvs_sync.sh vrrp_links.sh
