/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The health-check subsystem, as vigild's table of subsystems lists it. */
#ifndef VIGIL_CHECK_H
#define VIGIL_CHECK_H

#include "subsys.h"

extern const struct subsys chk_subsys;

#endif
