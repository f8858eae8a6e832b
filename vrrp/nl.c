/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP child's rtnetlink command socket: one libnl socket, requests
 * sent with an acknowledgement asked for, the kernel's errno returned as
 * it is (libnl's own error codes lose EEXIST from ENOENT and the like).
 */
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "log.h"
#include "vrrp/nl.h"
#include "vrrp/vip.h"

/* The kernel's answers to commands are small; this is room for many. */
#define NL_CMD_RCVBUF_DEFAULT (1u << 20)

#ifndef SO_RCVBUFFORCE
#define SO_RCVBUFFORCE 33
#endif

struct vrrp_kernel *
vrrp_kernel_new(unsigned rcvbuf, int rcvbuf_force)
{
	struct vrrp_kernel *k;
	int fd, sz, err;

	if ((k = calloc(1, sizeof(*k))) == NULL) {
		log_err("rtnetlink: out of memory");
		return NULL;
	}
	if ((k->sk = nl_socket_alloc()) == NULL) {
		log_err("rtnetlink: cannot allocate a socket");
		free(k);
		return NULL;
	}
	if ((err = nl_connect(k->sk, NETLINK_ROUTE)) < 0) {
		log_err("rtnetlink: cannot open the command socket: %s",
		    nl_geterror(err));
		vrrp_kernel_free(k);
		return NULL;
	}
	fd = nl_socket_get_fd(k->sk);
	sz = (int)(rcvbuf != 0 && rcvbuf <= INT_MAX ? rcvbuf :
	    NL_CMD_RCVBUF_DEFAULT);
	/* the default size is ours to choose: past net.core.rmem_max too */
	if ((rcvbuf_force || rcvbuf == 0) && setsockopt(fd, SOL_SOCKET,
	    SO_RCVBUFFORCE, &sz, sizeof(sz)) == 0)
		return k;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz)) == -1)
		log_warn("rtnetlink: command socket receive buffer %d: %s", sz,
		    strerror(errno));
	return k;
}

void
vrrp_kernel_free(struct vrrp_kernel *k)
{
	struct vrrp_vmac_base *b;
	struct vrrp_vmac_ent *e;

	if (k == NULL)
		return;
	while ((e = k->vmacs) != NULL) {
		k->vmacs = e->next;
		free(e);
	}
	while ((b = k->bases) != NULL) {
		k->bases = b->next;
		free(b);
	}
	nl_socket_free(k->sk);
	free(k);
}

/* A copy of the socket's callbacks (nl_socket_get_cb takes a reference). */
static struct nl_cb *
clone_cb(struct nl_sock *sk)
{
	struct nl_cb *s = nl_socket_get_cb(sk), *cb;

	cb = nl_cb_clone(s);
	nl_cb_put(s);
	return cb;
}

static int
on_error(struct sockaddr_nl *sa, struct nlmsgerr *e, void *arg)
{
	(void)sa;
	*(int *)arg = e->error < 0 ? e->error : -e->error;
	if (*(int *)arg == 0)
		*(int *)arg = -EPROTO;
	return NL_STOP;
}

static int
on_ack(struct nl_msg *m, void *arg)
{
	(void)m;
	*(int *)arg = 0;
	return NL_STOP;
}

int
vrrp_nl_talk(struct vrrp_kernel *k, struct nl_msg *m)
{
	struct nl_cb *cb;
	int res = 1, rc, n;

	nlmsg_hdr(m)->nlmsg_flags |= NLM_F_ACK;
	rc = nl_send_auto(k->sk, m);
	nlmsg_free(m);
	if (rc < 0)
		return -EIO;
	if ((cb = clone_cb(k->sk)) == NULL)
		return -ENOMEM;
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &res);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &res);
	/* the answer to one request: bounded, whatever else arrives */
	for (n = 0; res == 1 && n < 64; n++)
		if ((rc = nl_recvmsgs(k->sk, cb)) < 0 && res == 1)
			res = -EIO;
	nl_cb_put(cb);
	return res == 1 ? -ETIMEDOUT : res;
}

/* The answers to the batch's requests seq first..first + n - 1: each
 * NLMSG_ERROR (0: acknowledged) into rc. The kernel queued them before
 * sendmsg returned: what is not there now is not coming. */
static void
batch_answers(int fd, uint32_t first, struct vrrp_nl_batch *b)
{
	unsigned char answered[VRRP_NL_BATCH_MAX] = { 0 };
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	unsigned left = b->n, reads;
	ssize_t got;

	for (reads = 0; left > 0 && reads < 64 + b->n; reads++) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		int len;

		if ((got = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (len = (int)got; nlmsg_ok(h, len); h = nlmsg_next(h,
		    &len)) {
			const struct nlmsgerr *e = NLMSG_DATA(h);
			uint32_t i = h->nlmsg_seq - first;

			if (h->nlmsg_type != NLMSG_ERROR || i >= b->n ||
			    answered[i])
				continue;
			answered[i] = 1;
			left--;
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				b->rc[i] = -EPROTO;
			else
				b->rc[i] = e->error <= 0 ? e->error :
				    -e->error;
		}
	}
}

/* Send b's requests in one sendmsg: rc[0..n) the kernel's answers, the
 * messages freed. */
static void
batch_talk(struct vrrp_kernel *k, struct vrrp_nl_batch *b)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	uint32_t first = k->batch_seq;
	uint32_t port = nl_socket_get_local_port(k->sk);
	size_t len = 0, off = 0;
	unsigned char *buf;
	unsigned i;
	int rc = 0;

	for (i = 0; i < b->n; i++) {
		len += NLMSG_ALIGN(nlmsg_hdr(b->m[i])->nlmsg_len);
		b->rc[i] = -ETIMEDOUT;
	}
	if ((buf = calloc(1, len)) == NULL)
		rc = -ENOMEM;
	for (i = 0; i < b->n; i++) {
		struct nlmsghdr *h = nlmsg_hdr(b->m[i]);

		h->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
		h->nlmsg_seq = first + i;
		h->nlmsg_pid = port;
		if (buf != NULL)
			memcpy(buf + off, h, h->nlmsg_len);
		off += NLMSG_ALIGN(h->nlmsg_len);
		nlmsg_free(b->m[i]);
		b->m[i] = NULL;
	}
	k->batch_seq += b->n;
	b->sends++;
	if (buf != NULL && sendto(nl_socket_get_fd(k->sk), buf, len, 0,
	    (struct sockaddr *)&kernel, sizeof(kernel)) != (ssize_t)len)
		rc = -EIO;
	free(buf);
	if (rc < 0) {
		for (i = 0; i < b->n; i++)
			b->rc[i] = rc;
		return;
	}
	batch_answers(nl_socket_get_fd(k->sk), first, b);
}

int
vrrp_nl_batch_add(struct vrrp_kernel *k, struct vrrp_nl_batch *b,
    struct nl_msg *m, const struct vrrp_nl_op *op)
{
	/* those of the batch sent now are counted by the next send */
	if (b->n >= VRRP_NL_BATCH_MAX)
		b->failed = vrrp_nl_batch_send(k, b);
	b->m[b->n] = m;
	b->op[b->n] = *op;
	b->rc[b->n] = -ETIMEDOUT;
	return (int)b->n++;
}

int
vrrp_nl_batch_send(struct vrrp_kernel *k, struct vrrp_nl_batch *b)
{
	int failed = b->failed;

	if (b->n > 0)
		batch_talk(k, b);
	/* every answer taken, a failure among them or not */
	for (unsigned i = 0; i < b->n; i++)
		if ((b->rc[i] = b->op[i].done(&b->op[i], b->rc[i])) < 0)
			failed++;
	b->n = 0;
	b->failed = 0;
	return failed;
}

int
vrrp_nl_request(struct vrrp_kernel *k, struct vrrp_nl_batch *b,
    struct nl_msg *m, const struct vrrp_nl_op *op, int rc)
{
	if (m == NULL)
		return rc;
	if (b == NULL)
		return op->done(op, vrrp_nl_talk(k, m));
	vrrp_nl_batch_add(k, b, m, op);
	return 0;
}

int
vrrp_nl_put_addr(struct nl_msg *m, int type, const struct vg_addr *a)
{
	if (a->family == AF_INET)
		return nla_put(m, type, 4, &a->u.v4) < 0 ? -1 : 0;
	if (a->family == AF_INET6)
		return nla_put(m, type, 16, &a->u.v6) < 0 ? -1 : 0;
	return -1;
}

int
vrrp_nl_word_in(const char *const *l, const char *s)
{
	for (; *l != NULL; l++)
		if (strcmp(*l, s) == 0)
			return 1;
	return 0;
}

const char *
vrrp_nl_prefix(const struct vg_addr *a, unsigned len, char *buf, size_t size)
{
	char s[ADDR_STRLEN];

	snprintf(buf, size, "%s/%u", addr_ntop(a, s, sizeof(s)), len);
	return buf;
}

/* "NUMBER NAME" lines of an rt_tables file. 0 found, -1 not. */
static int
table_in_file(const char *path, const char *name, unsigned *table)
{
	char line[256], word[128];
	unsigned long v;
	FILE *fp;
	int found = -1;

	if ((fp = fopen(path, "re")) == NULL)
		return -1;
	while (found == -1 && fgets(line, sizeof(line), fp) != NULL) {
		char *p = line, *end;

		while (isspace((unsigned char)*p))
			p++;
		if (*p == '#' || *p == '\0')
			continue;
		v = strtoul(p, &end, 0);
		if (end == p || v == 0 || v > UINT_MAX)
			continue;
		if (sscanf(end, "%127s", word) == 1 &&
		    strcmp(word, name) == 0) {
			*table = (unsigned)v;
			found = 0;
		}
	}
	fclose(fp);
	return found;
}

int
vrrp_nl_table(const char *name, unsigned *table)
{
	static const char *const files[] = {
		"/etc/iproute2/rt_tables", "/usr/share/iproute2/rt_tables",
		"/usr/lib/iproute2/rt_tables",
	};
	static const char *const dirs[] = {
		"/etc/iproute2/rt_tables.d/*.conf",
		"/usr/share/iproute2/rt_tables.d/*.conf",
		"/usr/lib/iproute2/rt_tables.d/*.conf",
	};
	glob_t g;
	size_t i, j;
	int found = -1;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (table_in_file(files[i], name, table) == 0)
			return 0;
	for (i = 0; found == -1 && i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (glob(dirs[i], 0, NULL, &g) != 0)
			continue;
		for (j = 0; found == -1 && j < g.gl_pathc; j++)
			found = table_in_file(g.gl_pathv[j], name, table);
		globfree(&g);
	}
	return found;
}
