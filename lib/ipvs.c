/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IPVS netlink socket (lib/ipvs.h): requests queued in one buffer,
 * sent many to a sendmsg, acknowledged in bulk, dumps read page by page.
 *
 * A queued request is written into one message kept for the handle (no
 * allocation per request: under User-Mode Linux a start's 110,000
 * requests paid a 4 KB malloc and free each) and copied to the batch.
 *
 * Only the last request of each send asks for an acknowledgement; the
 * kernel answers every failing request anyway (netlink_rcv_skb goes on to
 * the next message after an error), in order, so once the last one is
 * answered every error of that send has been read. Error acks are capped
 * (NETLINK_CAP_ACK) and the receive buffer is large, so a send of
 * failing requests does not overflow it.
 */
#include "autoconfig.h"

#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "ipvs.h"
#include "ipvs_int.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

#define IPVS_SEND_MAX	(128 * 1024)	/* bytes of requests per sendmsg */
#define IPVS_RCVBUF	(8 * 1024 * 1024)
#define IPVS_RECV_LEN	(64 * 1024)
#define IPVS_TIMEOUT_S	30		/* no answer from the kernel */

struct ipvs {
	struct nl_sock *sk;
	int fd;
	int family;
	uint32_t portid;
	uint32_t seq;			/* seq of request 0 of the batch */
	/* the batch's requests not sent yet, from request base on: a batch
	 * goes to the kernel a chunk at a time as it is queued, so that its
	 * messages take IPVS_SEND_MAX, not 16 MB (110,000 requests: 4,000
	 * pages touched once each, 0.5 ms a page under User-Mode Linux) */
	unsigned char *buf;		/* netlink messages */
	size_t len, cap;
	size_t *off;			/* offset of each, from base */
	size_t nreq, offcap, base;
	/* what the chunks sent before the commit answered: the requests
	 * that failed, in order; the socket's error and the first request
	 * it left unanswered */
	struct ipvs_fail {
		size_t idx;
		int err;
	} *fails;
	size_t nfails, failcap;
	int sock_err;
	size_t sock_from;
	unsigned char *rbuf;		/* IPVS_RECV_LEN */
	struct nl_msg *qm;		/* the request being queued */
};

static char *ipvs_netns;	/* the namespace's file, NULL: our own */

int
ipvs_set_netns(const char *name)
{
	char *p = NULL;

	if (name != NULL && asprintf(&p, "%s%s", name[0] != '\0' ?
	    "/run/netns/" : "/proc/1/ns/net", name) < 0)
		return -1;
	free(ipvs_netns);
	ipvs_netns = p;
	return 0;
}

/* Into ipvs_netns: the descriptor of the namespace to go back to, -2
 * when none is set, -1 with errno on failure. */
static int
netns_enter(void)
{
	int cur, tgt, e;

	if (ipvs_netns == NULL)
		return -2;
	if ((cur = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if ((tgt = open(ipvs_netns, O_RDONLY | O_CLOEXEC)) < 0 ||
	    setns(tgt, CLONE_NEWNET) < 0) {
		e = errno;
		if (tgt >= 0)
			close(tgt);
		close(cur);
		errno = e;
		return -1;
	}
	close(tgt);
	return cur;
}

static void
netns_leave(int cur)
{
	if (cur < 0)
		return;
	(void)setns(cur, CLONE_NEWNET);
	close(cur);
}

struct ipvs *
ipvs_open(int *err)
{
	struct ipvs *v = calloc(1, sizeof(*v));
	struct timeval tv = { IPVS_TIMEOUT_S, 0 };
	int one = 1, sz = IPVS_RCVBUF, r, ns;

	*err = -ENOMEM;
	if (v == NULL || (v->rbuf = malloc(IPVS_RECV_LEN)) == NULL ||
	    (v->qm = nlmsg_alloc()) == NULL ||
	    (v->sk = nl_socket_alloc()) == NULL)
		goto fail;
	/* the socket belongs to the namespace it is made in */
	if ((ns = netns_enter()) == -1) {
		*err = -errno;
		goto fail;
	}
	r = genl_connect(v->sk);
	netns_leave(ns);
	if (r < 0) {
		*err = -EPROTONOSUPPORT;
		goto fail;
	}
	if ((r = genl_ctrl_resolve(v->sk, IPVS_GENL_NAME)) < 0) {
		*err = -ENOENT;
		goto fail;
	}
	v->family = r;
	v->fd = nl_socket_get_fd(v->sk);
	v->portid = nl_socket_get_local_port(v->sk);
	v->seq = (uint32_t)time(NULL) << 8;
	(void)ipvs_set_rcvbuf(v, 0, 0);
	sz = 4 * IPVS_SEND_MAX;
	if (setsockopt(v->fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		(void)setsockopt(v->fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	(void)setsockopt(v->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one,
	    sizeof(one));
	(void)setsockopt(v->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	*err = 0;
	return v;
fail:
	ipvs_close(v);
	return NULL;
}

int
ipvs_set_rcvbuf(struct ipvs *v, unsigned size, int force)
{
	int sz = size == 0 ? IPVS_RCVBUF : size > INT_MAX / 2 ? INT_MAX / 2 :
	    (int)size;

	if ((force || size == 0) && setsockopt(v->fd, SOL_SOCKET,
	    SO_RCVBUFFORCE, &sz, sizeof(sz)) == 0)
		return 0;
	if (force)
		return -errno;
	return setsockopt(v->fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz)) < 0 ?
	    -errno : 0;
}

void
ipvs_close(struct ipvs *v)
{
	if (v == NULL)
		return;
	if (v->sk != NULL)
		nl_socket_free(v->sk);
	if (v->qm != NULL)
		nlmsg_free(v->qm);
	free(v->buf);
	free(v->off);
	free(v->fails);
	free(v->rbuf);
	free(v);
}

size_t
ipvs_pending(const struct ipvs *v)
{
	return v->nreq;
}

/* A request message for cmd, seq = its index in the batch. */
static struct nl_msg *
req_new(struct ipvs *v, int cmd, int flags, uint32_t seq)
{
	struct nl_msg *m = nlmsg_alloc();

	if (m == NULL)
		return NULL;
	if (genlmsg_put(m, v->portid, seq, v->family, 0,
	    NLM_F_REQUEST | flags, (uint8_t)cmd, IPVS_GENL_VERSION) == NULL) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

/* The handle's message emptied and headed for cmd, to be queued. */
static struct nl_msg *
req_begin(struct ipvs *v, int cmd)
{
	nlmsg_hdr(v->qm)->nlmsg_len = NLMSG_HDRLEN;
	if (genlmsg_put(v->qm, v->portid, 0, v->family, 0, NLM_F_REQUEST,
	    (uint8_t)cmd, IPVS_GENL_VERSION) == NULL)
		return NULL;
	return v->qm;
}

static int send_chunk(struct ipvs *v, size_t from, size_t to,
    ipvs_err_fn *fn, void *arg, int *nfail);

/* A request of a chunk sent before the commit failed: kept for it. */
static void
keep_fail(void *arg, size_t idx, int err)
{
	struct ipvs *v = arg;

	if (v->nfails == v->failcap) {
		size_t cap = v->failcap ? v->failcap * 2 : 64;
		struct ipvs_fail *f = realloc(v->fails, cap * sizeof(*f));

		if (f == NULL) {
			/* its error is lost, not the request: counted as
			 * the socket's failure from here on */
			if (v->sock_err == 0) {
				v->sock_err = -ENOMEM;
				v->sock_from = idx;
			}
			return;
		}
		v->fails = f;
		v->failcap = cap;
	}
	v->fails[v->nfails++] = (struct ipvs_fail){ idx, err };
}

/* The requests queued since the last chunk, sent now: their answers
 * kept for the commit. */
static void
send_queued(struct ipvs *v)
{
	int nfail = 0, r;

	if (v->nreq == v->base || v->sock_err != 0)
		return;
	if ((r = send_chunk(v, v->base, v->nreq, keep_fail, v, &nfail)) < 0 &&
	    v->sock_err == 0) {
		v->sock_err = r;
		v->sock_from = v->base;
	}
	v->base = v->nreq;
	v->len = 0;
}

/* Append m (the handle's message) to the batch; returns its index or
 * -errno. */
static int
req_queue(struct ipvs *v, struct nl_msg *m)
{
	struct nlmsghdr *h = nlmsg_hdr(m);
	size_t n = NLMSG_ALIGN(h->nlmsg_len);

	if (v->len > 0 && v->len + n > IPVS_SEND_MAX)
		send_queued(v);
	if (v->sock_err != 0)
		return (int)v->nreq++;	/* fails with the socket at commit */
	if (v->nreq - v->base == v->offcap) {
		size_t cap = v->offcap ? v->offcap * 2 : 256;
		size_t *o = realloc(v->off, cap * sizeof(*o));

		if (o == NULL)
			goto nomem;
		v->off = o;
		v->offcap = cap;
	}
	if (v->len + n > v->cap) {
		size_t cap = v->cap ? v->cap : 64 * 1024;
		unsigned char *b;

		while (cap < v->len + n)
			cap *= 2;
		if ((b = realloc(v->buf, cap)) == NULL)
			goto nomem;
		v->buf = b;
		v->cap = cap;
	}
	h->nlmsg_seq = v->seq + (uint32_t)v->nreq;
	memcpy(v->buf + v->len, h, h->nlmsg_len);
	memset(v->buf + v->len + h->nlmsg_len, 0, n - h->nlmsg_len);
	v->off[v->nreq - v->base] = v->len;
	v->len += n;
	return (int)v->nreq++;
nomem:
	return -ENOMEM;
}

int
ipvs_q_svc(struct ipvs *v, enum ipvs_op op, const struct ipvs_svc *s)
{
	static const int cmd[] = { IPVS_CMD_NEW_SERVICE, IPVS_CMD_SET_SERVICE,
	    IPVS_CMD_DEL_SERVICE };
	struct nl_msg *m = req_begin(v, cmd[op]);
	int r;

	if (m == NULL)
		return -EMSGSIZE;
	if ((r = ipvs_put_svc(m, s, op != IPVS_DEL)) < 0)
		return r;
	return req_queue(v, m);
}

int
ipvs_q_dest(struct ipvs *v, enum ipvs_op op, const struct ipvs_svc *s,
    const struct ipvs_dest *d)
{
	static const int cmd[] = { IPVS_CMD_NEW_DEST, IPVS_CMD_SET_DEST,
	    IPVS_CMD_DEL_DEST };
	struct nl_msg *m = req_begin(v, cmd[op]);
	int r;

	if (m == NULL)
		return -EMSGSIZE;
	if ((r = ipvs_put_svc(m, s, 0)) < 0 ||
	    (r = ipvs_put_dest(m, s, d, op != IPVS_DEL)) < 0)
		return r;
	return req_queue(v, m);
}

int
ipvs_q_flush(struct ipvs *v)
{
	struct nl_msg *m = req_begin(v, IPVS_CMD_FLUSH);

	return m != NULL ? req_queue(v, m) : -EMSGSIZE;
}

int
ipvs_q_timeouts(struct ipvs *v, const struct ipvs_timeouts *t)
{
	struct nl_msg *m = req_begin(v, IPVS_CMD_SET_CONFIG);
	int r;

	if (m == NULL)
		return -EMSGSIZE;
	if ((r = ipvs_put_timeouts(m, t)) < 0)
		return r;
	return req_queue(v, m);
}

/* Read one datagram into rbuf: its length or -errno. */
static ssize_t
recv_one(struct ipvs *v)
{
	struct sockaddr_nl sa;
	struct iovec iov = { v->rbuf, IPVS_RECV_LEN };
	struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof(sa),
	    .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	for (;;) {
		n = recvmsg(v->fd, &mh, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if (mh.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		if (sa.nl_pid != 0)	/* not from the kernel */
			continue;
		return n;
	}
}

static int
send_all(struct ipvs *v, const void *buf, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	do
		n = sendto(v->fd, buf, len, 0, (struct sockaddr *)&sa,
		    sizeof(sa));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EMSGSIZE;
}

/*
 * Send requests [from, to) of the batch in one sendmsg, the last asking
 * for an ack; read answers until it is answered. Errors go to fn.
 */
static int
send_chunk(struct ipvs *v, size_t from, size_t to, ipvs_err_fn *fn,
    void *arg, int *nfail)
{
	size_t first = v->off[from - v->base], lastoff = v->off[to - 1 -
	    v->base];
	struct nlmsghdr *last = (struct nlmsghdr *)(v->buf + lastoff);
	size_t end = lastoff + NLMSG_ALIGN(last->nlmsg_len);
	uint32_t want = last->nlmsg_seq;
	int r, done = 0;

	last->nlmsg_flags |= NLM_F_ACK;
	if ((r = send_all(v, v->buf + first, end - first)) < 0)
		return r;
	while (!done) {
		ssize_t n = recv_one(v);
		struct nlmsghdr *h = (struct nlmsghdr *)v->rbuf;
		int rem = (int)n;

		if (n < 0)
			return (int)n;
		for (; nlmsg_ok(h, rem); h = nlmsg_next(h, &rem)) {
			struct nlmsgerr *e = nlmsg_data(h);
			uint32_t idx = h->nlmsg_seq - v->seq;

			if (h->nlmsg_type != NLMSG_ERROR ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)) ||
			    idx < from || idx >= to)
				continue;
			if (e->error < 0) {
				(*nfail)++;
				if (fn != NULL)
					fn(arg, idx, e->error);
			}
			if (h->nlmsg_seq == want)
				done = 1;
		}
	}
	return 0;
}

static void
batch_reset(struct ipvs *v)
{
	v->seq += (uint32_t)v->nreq + 1;
	v->nreq = 0;
	v->base = 0;
	v->len = 0;
	v->nfails = 0;
	v->sock_err = 0;
}

int
ipvs_commit(struct ipvs *v, ipvs_err_fn *fn, void *arg)
{
	size_t from = v->base, to;
	int nfail = 0, r = v->sock_err;

	/* the chunks sent as the batch was queued: their failures first */
	for (size_t i = 0; i < v->nfails; i++) {
		nfail++;
		if (fn != NULL)
			fn(arg, v->fails[i].idx, v->fails[i].err);
	}
	if (r < 0)
		from = v->sock_from;
	while (r == 0 && from < v->nreq) {
		for (to = from + 1; to < v->nreq && v->off[to - v->base] +
		    512 - v->off[from - v->base] <= IPVS_SEND_MAX; to++)
			;
		if ((r = send_chunk(v, from, to, fn, arg, &nfail)) < 0)
			break;
		from = to;
	}
	if (r < 0) {
		/* unanswered requests failed with the socket's error */
		for (; from < v->nreq; from++) {
			nfail++;
			if (fn != NULL)
				fn(arg, from, r);
		}
	}
	batch_reset(v);
	return r < 0 ? r : nfail;
}

/* ---- dumps and single requests ------------------------------------------ */

typedef int reply_fn(void *arg, struct nlattr **tb);

/* Send m (consumed) and hand every reply message's attributes to fn
 * until NLMSG_DONE (dump) or the first reply. */
static int
request(struct ipvs *v, struct nl_msg *m, int dump, reply_fn *fn, void *arg)
{
	struct nlmsghdr *h;
	uint32_t seq;
	int r, stop = 0, done = 0;

	if ((r = ipvs_commit(v, NULL, NULL)) < 0) {
		nlmsg_free(m);
		return r;
	}
	seq = v->seq++;
	h = nlmsg_hdr(m);
	h->nlmsg_seq = seq;
	r = send_all(v, h, h->nlmsg_len);
	nlmsg_free(m);
	if (r < 0)
		return r;
	while (!done) {
		ssize_t n = recv_one(v);
		int rem = (int)n;

		if (n < 0)
			return (int)n;
		for (h = (struct nlmsghdr *)v->rbuf; nlmsg_ok(h, rem);
		    h = nlmsg_next(h, &rem)) {
			struct nlattr *tb[IPVS_CMD_ATTR_MAX + 1];

			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE) {
				int e = 0;

				if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(e)))
					memcpy(&e, nlmsg_data(h), sizeof(e));
				return e < 0 ? e : stop;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = nlmsg_data(h);

				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					return -EPROTO;
				/* a failed dump; or the ack of a request */
				return e->error < 0 ? e->error : stop;
			}
			if (stop != 0)
				continue;	/* drain the rest */
			if (ipvs_parse_cmd(h, tb) < 0)
				stop = -EPROTO;
			else
				stop = fn(arg, tb);
			if (!dump)
				done = 1;
		}
	}
	return stop;
}

struct svc_walk {
	ipvs_svc_fn *fn;
	void *arg;
};

static int
svc_reply(void *arg, struct nlattr **tb)
{
	struct svc_walk *w = arg;
	struct ipvs_svc s;

	if (ipvs_get_svc(tb[IPVS_CMD_ATTR_SERVICE], &s) < 0)
		return -EPROTO;
	return w->fn(w->arg, &s);
}

int
ipvs_dump_svcs(struct ipvs *v, ipvs_svc_fn *fn, void *arg)
{
	struct svc_walk w = { fn, arg };
	struct nl_msg *m = req_new(v, IPVS_CMD_GET_SERVICE, NLM_F_DUMP, 0);

	if (m == NULL)
		return -ENOMEM;
	return request(v, m, 1, svc_reply, &w);
}

struct dest_walk {
	const struct ipvs_svc *s;
	ipvs_dest_fn *fn;
	void *arg;
};

static int
dest_reply(void *arg, struct nlattr **tb)
{
	struct dest_walk *w = arg;
	struct ipvs_dest d;
	struct ipvs_dest_stats st;

	if (ipvs_get_dest(tb[IPVS_CMD_ATTR_DEST], w->s->af, &d, &st) < 0)
		return -EPROTO;
	return w->fn(w->arg, w->s, &d, &st);
}

int
ipvs_dump_dests(struct ipvs *v, const struct ipvs_svc *s, ipvs_dest_fn *fn,
    void *arg)
{
	struct dest_walk w = { s, fn, arg };
	struct nl_msg *m = req_new(v, IPVS_CMD_GET_DEST, NLM_F_DUMP, 0);
	int r;

	if (m == NULL)
		return -ENOMEM;
	if ((r = ipvs_put_svc(m, s, 0)) < 0) {
		nlmsg_free(m);
		return r;
	}
	return request(v, m, 1, dest_reply, &w);
}

static int
timeouts_reply(void *arg, struct nlattr **tb)
{
	struct ipvs_timeouts *t = arg;

	if (tb[IPVS_CMD_ATTR_TIMEOUT_TCP] != NULL)
		t->tcp = nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_TCP]);
	if (tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN] != NULL)
		t->tcp_fin = nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]);
	if (tb[IPVS_CMD_ATTR_TIMEOUT_UDP] != NULL)
		t->udp = nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_UDP]);
	return 0;
}

int
ipvs_get_timeouts(struct ipvs *v, struct ipvs_timeouts *t)
{
	struct nl_msg *m = req_new(v, IPVS_CMD_GET_CONFIG, 0, 0);

	memset(t, 0, sizeof(*t));
	if (m == NULL)
		return -ENOMEM;
	return request(v, m, 0, timeouts_reply, t);
}

static int
no_reply(void *arg, struct nlattr **tb)
{
	(void)arg;
	(void)tb;
	return 0;
}

static int
daemon_req(struct ipvs *v, int cmd, const struct ipvs_daemon *d, int full)
{
	struct nl_msg *m = req_new(v, cmd, NLM_F_ACK, 0);
	int r;

	if (m == NULL)
		return -ENOMEM;
	if ((r = ipvs_put_daemon(m, d, full)) < 0) {
		nlmsg_free(m);
		return r;
	}
	return request(v, m, 0, no_reply, NULL);
}

int
ipvs_daemon_start(struct ipvs *v, const struct ipvs_daemon *d)
{
	return daemon_req(v, IPVS_CMD_NEW_DAEMON, d, 1);
}

int
ipvs_daemon_stop(struct ipvs *v, enum ipvs_sync_state state)
{
	struct ipvs_daemon d = { .state = state };

	return daemon_req(v, IPVS_CMD_DEL_DAEMON, &d, 0);
}

struct daemon_walk {
	ipvs_daemon_fn *fn;
	void *arg;
};

static int
daemon_reply(void *arg, struct nlattr **tb)
{
	struct daemon_walk *w = arg;
	struct ipvs_daemon d;

	if (ipvs_get_daemon(tb[IPVS_CMD_ATTR_DAEMON], &d) < 0)
		return -EPROTO;
	return w->fn(w->arg, &d);
}

int
ipvs_daemon_dump(struct ipvs *v, ipvs_daemon_fn *fn, void *arg)
{
	struct daemon_walk w = { fn, arg };
	struct nl_msg *m = req_new(v, IPVS_CMD_GET_DAEMON, NLM_F_DUMP, 0);

	if (m == NULL)
		return -ENOMEM;
	return request(v, m, 1, daemon_reply, &w);
}
