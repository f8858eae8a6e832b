/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "vrrp/state.h"

const char *
vrrp_state_name(enum vrrp_state s)
{
	switch (s) {
	case VRRP_STATE_INIT:
		return "INIT";
	case VRRP_STATE_BACKUP:
		return "BACKUP";
	case VRRP_STATE_MASTER:
		return "MASTER";
	case VRRP_STATE_FAULT:
		return "FAULT";
	case VRRP_STATE_STOP:
		return "STOP";
	case VRRP_STATE_DELETED:
		return "DELETED";
	}
	return "{UNKNOWN}";
}
