/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The BFD subsystem: its entry in vigild's table of subsystems. */
#ifndef VIGIL_BFD_H
#define VIGIL_BFD_H

#include "subsys.h"

extern const struct subsys bfd_subsys;

#endif
