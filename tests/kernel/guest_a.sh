#!/bin/sh
# make check's first User-Mode Linux guest (tests/kernel/kernel.sh says how
# a guest runs): vigild's IPVS table and checkers against keepalived's, DR
# and TUN traffic, lib/ipvs.
# The second guest (guest_b.sh) runs beside it, so that neither half of the
# kernel tests holds make check up alone.
KERNEL_GUEST=a exec sh "$(dirname "$0")/kernel.sh" ipvs_keepalived.sh \
    ipvs_traffic.sh ipvs_lib.sh
