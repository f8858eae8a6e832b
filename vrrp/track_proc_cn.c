/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * track_process' feed: the kernel's process events over the netlink proc
 * connector (fork, exec, comm, exit), a /proc scan after the socket
 * overran (ENOBUFS), and, where the connector is silent (it speaks only
 * in the initial network namespace), a /proc scan every second.
 */
#include "autoconfig.h"

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "loop.h"
#include "proc.h"
#include "vrrp/track_priv.h"
#include "vrrp/track_proc.h"

#define TPROC_ACK_USEC 1000000u		/* wait for the kernel's ack */
#define TPROC_RESYNC_USEC 1000000u	/* rescan after an overrun */
#define TPROC_POLL_USEC 1000000u	/* rescan without the connector */
#define TPROC_RCVBUF_MAX (64u << 20)

/* ---- the proc connector ---------------------------------------------------- */

static int
tproc_listen(int fd, int on)
{
	union {
		struct nlmsghdr nh;
		char buf[NLMSG_SPACE(sizeof(struct cn_msg) +
		    sizeof(enum proc_cn_mcast_op))];
	} u;
	enum proc_cn_mcast_op op = on ? PROC_CN_MCAST_LISTEN :
	    PROC_CN_MCAST_IGNORE;
	struct cn_msg cn;
	size_t len = NLMSG_LENGTH(sizeof(cn) + sizeof(op));

	memset(&u, 0, sizeof(u));
	memset(&cn, 0, sizeof(cn));
	u.nh.nlmsg_len = (__u32)len;
	u.nh.nlmsg_type = NLMSG_DONE;
	cn.id.idx = CN_IDX_PROC;
	cn.id.val = CN_VAL_PROC;
	cn.len = sizeof(op);
	memcpy(NLMSG_DATA(&u.nh), &cn, sizeof(cn));
	memcpy((char *)NLMSG_DATA(&u.nh) + sizeof(cn), &op, sizeof(op));
	return send(fd, u.buf, len, 0) == (ssize_t)len ? 0 : -1;
}

static void tproc_timer(struct loop_timer *lt, void *arg);

static void
tproc_overrun(struct tproc_ctx *x)
{
	int size = 0, now = 0;
	socklen_t len = sizeof(size);

	if (getsockopt(x->fd, SOL_SOCKET, SO_RCVBUF, &size, &len) < 0)
		size = 0;
	now = size;
	if (size > 0 && (unsigned)size < TPROC_RCVBUF_MAX) {
		/* the kernel holds twice what it is given: giving it what
		 * it holds doubles the buffer */
		if (setsockopt(x->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
		    sizeof(size)) < 0)
			(void)setsockopt(x->fd, SOL_SOCKET, SO_RCVBUF, &size,
			    sizeof(size));
		len = sizeof(now);
		if (getsockopt(x->fd, SOL_SOCKET, SO_RCVBUF, &now, &len) < 0)
			now = size;
	}
	if (now != size)
		log_warn("track_process: process events were lost (receive "
		    "buffer overrun; buffer %d -> %d bytes); counting the "
		    "processes again in %.0f s", size, now,
		    TPROC_RESYNC_USEC / 1e6);
	else
		log_warn("track_process: process events were lost (receive "
		    "buffer overrun at %d bytes); counting the processes again "
		    "in %.0f s", size, TPROC_RESYNC_USEC / 1e6);
	loop_timer_start(x->timer, TPROC_RESYNC_USEC, 0);
}

static void
tproc_event(struct tproc_ctx *x, const struct proc_event *ev)
{
	char comm[sizeof(ev->event_data.comm.comm) + 1];

	switch (ev->what) {
	case PROC_EVENT_NONE:
		if (!x->acked)
			log_debug("track_process: the kernel's process events "
			    "are on");
		x->acked = 1;
		break;
	case PROC_EVENT_FORK:
		/* a new process, not a thread */
		if (ev->event_data.fork.child_pid ==
		    ev->event_data.fork.child_tgid)
			tpid_fork(x, ev->event_data.fork.parent_tgid,
			    ev->event_data.fork.child_tgid);
		break;
	case PROC_EVENT_EXEC:
		if (ev->event_data.exec.process_pid ==
		    ev->event_data.exec.process_tgid)
			tpid_check(x, ev->event_data.exec.process_tgid, NULL,
			    TP_EXEC);
		break;
	case PROC_EVENT_COMM:
		if (ev->event_data.comm.process_pid ==
		    ev->event_data.comm.process_tgid) {
			memcpy(comm, ev->event_data.comm.comm,
			    sizeof(ev->event_data.comm.comm));
			comm[sizeof(comm) - 1] = '\0';
			tpid_check(x, ev->event_data.comm.process_tgid, comm,
			    TP_COMM);
		}
		break;
	case PROC_EVENT_EXIT:
		if (ev->event_data.exit.process_pid ==
		    ev->event_data.exit.process_tgid)
			tpid_exit(x, ev->event_data.exit.process_tgid);
		break;
	default:
		break;
	}
}

static void
tproc_read(evutil_socket_t fd, short what, void *arg)
{
	union {
		struct nlmsghdr nh;
		char buf[8192];
	} u;
	struct tproc_ctx *x = arg;
	struct sockaddr_nl sa;
	struct proc_event ev;
	struct cn_msg cn;
	struct nlmsghdr *nh;
	socklen_t salen;
	unsigned rounds;
	size_t avail, off;
	ssize_t n;

	(void)what;
	for (rounds = 0; rounds < 256; rounds++) {
		salen = sizeof(sa);
		n = recvfrom(fd, u.buf, sizeof(u.buf), 0,
		    (struct sockaddr *)&sa, &salen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS)
				tproc_overrun(x);
			else if (errno != EAGAIN)
				log_warn("track_process: recv: %s",
				    strerror(errno));
			return;
		}
		if (salen != sizeof(sa) || sa.nl_pid != 0)
			continue;	/* only the kernel speaks here */
		for (off = 0; off + NLMSG_HDRLEN <= (size_t)n;
		    off += NLMSG_ALIGN(nh->nlmsg_len)) {
			nh = (struct nlmsghdr *)(void *)(u.buf + off);
			if (nh->nlmsg_len < NLMSG_HDRLEN ||
			    nh->nlmsg_len > (size_t)n - off)
				break;
			if (nh->nlmsg_type == NLMSG_ERROR ||
			    nh->nlmsg_type == NLMSG_NOOP ||
			    nh->nlmsg_len < NLMSG_LENGTH(sizeof(cn)))
				continue;
			memcpy(&cn, NLMSG_DATA(nh), sizeof(cn));
			if (cn.id.idx != CN_IDX_PROC ||
			    cn.id.val != CN_VAL_PROC)
				continue;
			avail = nh->nlmsg_len - NLMSG_LENGTH(sizeof(cn));
			if (avail > cn.len)
				avail = cn.len;
			if (avail < offsetof(struct proc_event, event_data))
				continue;
			memset(&ev, 0, sizeof(ev));
			memcpy(&ev, (char *)NLMSG_DATA(nh) + sizeof(cn),
			    avail < sizeof(ev) ? avail : sizeof(ev));
			tproc_event(x, &ev);
		}
	}
}

static void
tproc_timer(struct loop_timer *lt, void *arg)
{
	struct tproc_ctx *x = arg;

	(void)lt;
	if (!x->acked && !x->polling) {
		log_warn("track_process: no process events from the kernel "
		    "(not the initial network namespace, or no "
		    "CONFIG_PROC_EVENTS); counting processes in /proc every "
		    "%.0f s instead", TPROC_POLL_USEC / 1e6);
		x->polling = 1;
	}
	tproc_scan(x);
	if (x->polling)
		loop_timer_start(x->timer, TPROC_POLL_USEC, 0);
}

static int
tproc_connect(struct tproc_ctx *x)
{
	struct sockaddr_nl sa;
	int fd;

	fd = socket(PF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    NETLINK_CONNECTOR);
	if (fd < 0) {
		log_warn("track_process: the kernel's process events are not "
		    "available (netlink connector: %s)", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = CN_IDX_PROC;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    tproc_listen(fd, 1) < 0) {
		log_warn("track_process: the kernel's process events are not "
		    "available here (%s%s)", strerror(errno),
		    errno == ECONNREFUSED ? ": not the initial network "
		    "namespace" : "");
		close(fd);
		return -1;
	}
	x->ev = event_new(x->t->env->base, fd, EV_READ | EV_PERSIST,
	    tproc_read, x);
	if (x->ev == NULL || event_add(x->ev, NULL) < 0) {
		if (x->ev != NULL)
			event_free(x->ev);
		x->ev = NULL;
		close(fd);
		return -1;
	}
	x->fd = fd;
	tproc_rcvbuf(x->t);
	return 0;
}

void
tproc_rcvbuf(struct vrrp_track *t)
{
	struct tproc_ctx *x = t->pctx;
	int size, now = 0;
	socklen_t len = sizeof(now);

	if (x == NULL || x->fd < 0 || t->proc_rcvbuf == 0)
		return;
	size = t->proc_rcvbuf > INT_MAX ? INT_MAX : (int)t->proc_rcvbuf;
	if (setsockopt(x->fd, SOL_SOCKET, t->proc_rcvbuf_force ?
	    SO_RCVBUFFORCE : SO_RCVBUF, &size, sizeof(size)) < 0) {
		log_warn("track_process: process_monitor_rcv_bufs %u: cannot "
		    "set the process events socket's SO_RCVBUF%s: %s",
		    t->proc_rcvbuf, t->proc_rcvbuf_force ? "FORCE" : "",
		    strerror(errno));
		return;
	}
	if (getsockopt(x->fd, SOL_SOCKET, SO_RCVBUF, &now, &len) == 0)
		log_info("track_process: process events receive buffer %d "
		    "bytes (process_monitor_rcv_bufs %u%s)", now,
		    t->proc_rcvbuf, t->proc_rcvbuf_force ? ", forced" : "");
}

int
tproc_ctx_new(struct vrrp_track *t)
{
	struct tproc_ctx *x;

	if (t->pctx != NULL)
		return 0;
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return -1;
	x->t = t;
	x->fd = -1;
	htab_init(&x->pids, tpid_hash, NULL);
	if ((x->timer = loop_timer_new(t->env->base, tproc_timer, x)) ==
	    NULL) {
		free(x);
		return -1;
	}
	t->pctx = x;
	/* without events, the timer scans /proc every second */
	if (tproc_connect(x) < 0) {
		x->polling = 1;
		log_warn("track_process: counting processes in /proc every "
		    "%.0f s instead", TPROC_POLL_USEC / 1e6);
	}
	loop_timer_start(x->timer, x->polling ? TPROC_POLL_USEC :
	    TPROC_ACK_USEC, 0);
	return 0;
}

void
tproc_ctx_free(struct vrrp_track *t)
{
	struct tproc_ctx *x = t->pctx;

	if (x == NULL)
		return;
	if (x->ev != NULL) {
		event_free(x->ev);
		(void)tproc_listen(x->fd, 0);
		close(x->fd);
	}
	loop_timer_free(x->timer);
	tpid_clear(x);
	htab_free(&x->pids);
	free(x);
	t->pctx = NULL;
}

void
tproc_sync(struct vrrp_track *t)
{
	if (t->proc_list == NULL) {
		tproc_ctx_free(t);
		return;
	}
	if (t->pctx != NULL)
		tproc_scan(t->pctx);
}

