/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What vip.c, route.c, vmac.c and static.c share inside the VRRP child's
 * kernel side: the rtnetlink command socket (struct vrrp_kernel) and the
 * request/acknowledge exchange over it.
 */
#ifndef VIGIL_VRRP_NL_H
#define VIGIL_VRRP_NL_H

#include <netlink/msg.h>

#include "addr.h"
#include "vrrp/nl_batch.h"

struct nl_sock;

/* A base interface whose arp_ignore/arp_filter the VMACs on it changed:
 * the values found, restored when its last VMAC goes. */
struct vrrp_vmac_base {
	struct vrrp_vmac_base *next;
	int ifindex;
	unsigned refs;
	int arp_ignore, arp_filter;	/* -1: not read */
};

/* A VMAC this child made or adopted, on base. */
struct vrrp_vmac_ent {
	struct vrrp_vmac_ent *next;
	int ifindex, base;
};

struct vrrp_kernel {
	struct nl_sock *sk;
	struct vrrp_vmac_base *bases;
	struct vrrp_vmac_ent *vmacs;
	uint32_t batch_seq;		/* the next batch request's */
};

/* Send m (consumed) and wait for the kernel's answer: 0 or -errno. */
int vrrp_nl_talk(struct vrrp_kernel *k, struct nl_msg *m);

/* Put address a (4 or 16 bytes) as attribute type. 0 or -1. */
int vrrp_nl_put_addr(struct nl_msg *m, int type, const struct vg_addr *a);
/* A routing table number for name (rt_tables files): 0 or -1. */
int vrrp_nl_table(const char *name, unsigned *table);
/* Whether s is one of the NULL-terminated words l. */
int vrrp_nl_word_in(const char *const *l, const char *s);
/* "10.0.0.1/24" into buf. */
const char *vrrp_nl_prefix(const struct vg_addr *a, unsigned len, char *buf,
    size_t size);

#endif
