/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vigilctl: the control program (vigilctl.c: arguments and the exchange
 * with vigild; vigilctl_show.c: the tables).
 */
#ifndef VIGIL_VIGILCTL_H
#define VIGIL_VIGILCTL_H

#include <stdio.h>

#include <jansson.h>

/* exit codes besides ctl_status_exit()'s */
#define VIGILCTL_EXIT_CONNECT 7	/* no vigild at the socket, or it broke
				 * the protocol */

/* What status prints: the daemon, its children, every instance and
 * virtual server. */
void vigilctl_show_status(FILE *fp, json_t *doc);
/* show vrrp|checks|ipvs as tables. */
void vigilctl_show_vrrp(FILE *fp, json_t *doc);
/* filtered: the reply is about one NAME (a real server's rows only): the
 * REALS UP column gives the virtual server's count of real servers up. */
void vigilctl_show_checks(FILE *fp, json_t *doc, int filtered);
void vigilctl_show_ipvs(FILE *fp, json_t *doc);

#endif
