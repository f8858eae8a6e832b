/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Batches of rtnetlink requests on the VRRP child's command socket
 * (vrrp/nl.c), apart from vrrp/nl.h so that vrrp/vip.h can hold one
 * without libnl's headers. Addresses, routes, rules (vip.c, route.c,
 * rule.c) and a VMAC's settings (vmac.c) go through the same batch:
 * each request is queued with what takes its answer (struct vrrp_nl_op),
 * and each answer is taken on its own, logged naming the item it was
 * for, as a request sent alone is.
 */
#ifndef VIGIL_VRRP_NL_BATCH_H
#define VIGIL_VRRP_NL_BATCH_H

#include <stdint.h>

struct nl_msg;
struct vrrp_kernel;
struct vrrp_nl_op;

/* What the kernel's answer rc (0 or -errno) to op means: 0, or -errno
 * (logged, naming op's item). */
typedef int vrrp_nl_done_fn(const struct vrrp_nl_op *op, int rc);

/* One request's owner: the item it is for and how its answer is taken. */
struct vrrp_nl_op {
	vrrp_nl_done_fn *done;
	const void *item;		/* a configuration item, a link's name */
	int ifindex;
	int add;
};

/*
 * Requests sent in one sendmsg, each with its own answer. The kernel runs
 * them one after the other inside that sendmsg whatever each answers, so
 * the answers are all queued when it returns, and one request failing
 * leaves the others done; what a batch saves is the kernel's work
 * deferred per request (an IPv4 address add queues a walk of every
 * address of the namespace, check_lifetime, which then runs and takes the
 * CPU once per sendmsg) and a round trip per request. Start from a
 * zeroed batch.
 */
#define VRRP_NL_BATCH_MAX 16
struct vrrp_nl_batch {
	struct nl_msg *m[VRRP_NL_BATCH_MAX];
	struct vrrp_nl_op op[VRRP_NL_BATCH_MAX];
	/* each request's outcome (its op's done), after the send that
	 * took it, until the next add */
	int rc[VRRP_NL_BATCH_MAX];
	unsigned n;
	int failed;			/* in batches sent when full */
	unsigned sends;			/* sendmsg calls made */
};

/* Queue m (consumed) for op; a full batch is sent first. Its index in
 * rc, for the send that takes it. */
int vrrp_nl_batch_add(struct vrrp_kernel *k, struct vrrp_nl_batch *b,
    struct nl_msg *m, const struct vrrp_nl_op *op);
/* Send what b holds, each answer taken by its op (-ETIMEDOUT for one the
 * kernel did not answer, the send's error for all when it failed): the
 * number of requests that failed since the last vrrp_nl_batch_send, full
 * batches sent meanwhile included. b is empty after, rc kept. */
int vrrp_nl_batch_send(struct vrrp_kernel *k, struct vrrp_nl_batch *b);
/* The request m (consumed) for op sent alone when b is NULL, its answer
 * taken by op (done's result), else queued in b (0); rc, the reason,
 * when there is no request (m NULL). */
int vrrp_nl_request(struct vrrp_kernel *k, struct vrrp_nl_batch *b,
    struct nl_msg *m, const struct vrrp_nl_op *op, int rc);

#endif
