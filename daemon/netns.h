/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * net_namespace NAME: vigild runs in the network namespace
 * /run/netns/NAME (made with ip netns add), as keepalived runs all its
 * processes there. The parent enters it once the configuration is read,
 * before it opens any socket (the control socket, the metrics listener)
 * or starts a child; the children, started by executing vigild again,
 * are born in it.
 */
#ifndef VIGIL_NETNS_H
#define VIGIL_NETNS_H

struct vigil_config;

/* Enter c's net_namespace (none: nothing). 0, or -1 logged. */
int vigild_netns_enter(const struct vigil_config *c);
/* A reload to next: a net_namespace other than the one entered is
 * logged (it takes a restart; the processes stay where they are). */
void vigild_netns_reload(const struct vigil_config *next);

#endif
