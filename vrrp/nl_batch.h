/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Batches of rtnetlink requests on the VRRP child's command socket
 * (vrrp/nl.c), apart from vrrp/nl.h so that vrrp/vip.h can hold one
 * without libnl's headers.
 */
#ifndef VIGIL_VRRP_NL_BATCH_H
#define VIGIL_VRRP_NL_BATCH_H

#include <stdint.h>

struct nl_msg;
struct vrrp_kernel;

/*
 * Requests sent in one sendmsg, each with its own answer. The kernel runs
 * them one after the other inside that sendmsg whatever each answers, so
 * the answers are all queued when it returns; what a batch saves is the
 * kernel's work deferred per request (an IPv4 address add queues a walk
 * of every address of the namespace, check_lifetime, which then runs and
 * takes the CPU once per sendmsg) and a round trip per request.
 */
#define VRRP_NL_BATCH_MAX 16
struct vrrp_nl_batch {
	struct nl_msg *m[VRRP_NL_BATCH_MAX];
	int rc[VRRP_NL_BATCH_MAX];	/* 0 or -errno, after the send */
	unsigned n;
};
/* Queue m (consumed): its index, or -1 if the batch is full (m freed). */
int vrrp_nl_batch_add(struct vrrp_nl_batch *b, struct nl_msg *m);
/* Send what b holds and read the answers: rc[0..n) set (-ETIMEDOUT for
 * one the kernel did not answer), the messages freed; n is kept for the
 * caller to read rc and reset. */
void vrrp_nl_batch_send(struct vrrp_kernel *k, struct vrrp_nl_batch *b);

#endif
