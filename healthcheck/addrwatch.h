/* SPDX-License-Identifier: GPL-2.0-or-later */
/* This host's addresses from rtnetlink, for ha_suspend. */
#ifndef VIGIL_CHK_ADDRWATCH_H
#define VIGIL_CHK_ADDRWATCH_H

#include "addr.h"

struct event_base;
struct chk_addrwatch;

/* Called after the first dump and whenever an address comes or goes. */
typedef void chk_addrwatch_fn(void *arg);

struct chk_addrwatch *chk_addrwatch_new(struct event_base *base,
    chk_addrwatch_fn *fn, void *arg);
void chk_addrwatch_free(struct chk_addrwatch *w);
/* The event socket's receive buffer (lvs_netlink_monitor_rcv_bufs):
 * size bytes by SO_RCVBUFFORCE when force, else SO_RCVBUF; 0: the size
 * it was opened with. Failures are logged. */
void chk_addrwatch_rcvbuf(struct chk_addrwatch *w, unsigned size, int force);
/* 1 if a is an address of this host (0 until the first dump is read). */
int chk_addrwatch_has(const struct chk_addrwatch *w, const struct vg_addr *a);

#endif
