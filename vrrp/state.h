/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The states of a VRRP instance or sync group (RFC 5798 6.4, and FAULT as
 * keepalived has it), shared by the state machine, notify and reports. */
#ifndef VIGIL_VRRP_STATE_H
#define VIGIL_VRRP_STATE_H

enum vrrp_state {
	VRRP_STATE_INIT = 0,
	VRRP_STATE_BACKUP,
	VRRP_STATE_MASTER,
	VRRP_STATE_FAULT,
	VRRP_STATE_STOP,		/* notify only: the instance stopped */
	VRRP_STATE_DELETED,		/* notify only: removed by a reload */
};

/* "INIT", "BACKUP", "MASTER", "FAULT", "STOP", "DELETED". */
const char *vrrp_state_name(enum vrrp_state s);

#endif
