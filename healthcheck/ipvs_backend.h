/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The IPVS data-plane backend (healthcheck/ipvs_backend.c). */
#ifndef VIGIL_CHK_IPVS_BACKEND_H
#define VIGIL_CHK_IPVS_BACKEND_H

#include "healthcheck/dataplane.h"

/* Reconciles the kernel's IPVS table with the desired one. */
extern const struct dp_backend_ops dp_ipvs_backend;

/* 0 when the kernel has the IPVS netlink family, else -errno (-ENOENT:
 * no IPVS in this kernel or network namespace). */
int dp_ipvs_available(void);

#endif
