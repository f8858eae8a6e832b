/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The VRRP subsystem, as vigild's table of subsystems lists it. */
#ifndef VIGIL_VRRP_H
#define VIGIL_VRRP_H

#include "subsys.h"

extern const struct subsys vrrp_subsys;

#endif
