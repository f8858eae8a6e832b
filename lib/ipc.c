/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Framed messages on a non-blocking SOCK_STREAM socket. Reads accumulate
 * in an evbuffer and every complete frame is delivered; writes queue in an
 * evbuffer and drain when the socket is writable. ipc_free() may be called
 * from inside the channel's own callbacks: the free is then deferred until
 * the callback returns.
 */
#include "ipc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "loop.h"

#define IPC_READ_CHUNK (256 * 1024)
#define IPC_WRITE_IOV 64
/* Queue limit: a peer that stops reading cannot make us grow forever. */
#define IPC_MAX_PENDING ((size_t)IPC_MAX_FRAME * 2 + 4096)

struct ipc {
	int fd;
	struct event *rev;
	struct event *wev;
	struct evbuffer *in;
	struct evbuffer *out;
	ipc_msg_fn *on_msg;
	ipc_close_fn *on_close;
	void *arg;
	uint32_t max_in;	/* largest frame accepted from the peer */
	int busy;		/* depth of our callbacks on the stack */
	int closed;		/* on_close delivered (or owner freed) */
	int peer_gone;		/* it closed: EOF, reset, broken pipe */
	int doomed;		/* ipc_free() called while busy */
};

int
ipc_pair(int fds[2])
{
	return socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0, fds);
}

static void
ipc_destroy(struct ipc *c)
{
	event_free(c->rev);
	event_free(c->wev);
	evbuffer_free(c->in);
	evbuffer_free(c->out);
	if (c->fd >= 0)
		close(c->fd);
	free(c);
}

/* Leave a callback section; 1 if c was destroyed (caller must stop). */
static int
ipc_leave(struct ipc *c)
{
	if (--c->busy == 0 && c->doomed) {
		ipc_destroy(c);
		return 1;
	}
	return 0;
}

static void
ipc_fail(struct ipc *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ipc_fail(struct ipc *c, const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	if (c->closed)
		return;
	c->closed = 1;
	event_del(c->rev);
	event_del(c->wev);
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	c->busy++;
	c->on_close(c, reason, c->arg);
	ipc_leave(c);
}

/*
 * Deliver every complete frame in the input buffer. Called with busy held,
 * so c survives; stops once the owner closed or freed it.
 */
static void
ipc_deliver(struct ipc *c)
{
	struct ipc_hdr h;
	unsigned char *p;
	size_t have;

	for (;;) {
		if (c->closed || c->doomed)
			return;
		have = evbuffer_get_length(c->in);
		if (have < sizeof(h))
			return;
		evbuffer_copyout(c->in, &h, sizeof(h));
		if (h.len > c->max_in) {
			ipc_fail(c, "frame of %u bytes exceeds limit of %u "
			    "(type %u)", h.len, c->max_in, h.type);
			return;
		}
		if (h.type == 0 || h.type > IPC_TYPE_LIMIT) {
			ipc_fail(c, "unknown message type %u (length %u)",
			    h.type, h.len);
			return;
		}
		if (have - sizeof(h) < h.len)
			return;
		p = evbuffer_pullup(c->in, (ev_ssize_t)(sizeof(h) + h.len));
		if (p == NULL) {
			ipc_fail(c, "out of memory assembling a %u byte frame",
			    h.len);
			return;
		}
		c->on_msg(c, h.type, p + sizeof(h), h.len, c->arg);
		evbuffer_drain(c->in, sizeof(h) + h.len);
	}
}

/* 1 when the input holds the start of a frame and not yet all of it (a
 * frame the peer may not send is left to ipc_deliver() to refuse). */
static int
ipc_frame_partial(const struct ipc *c)
{
	struct ipc_hdr h;
	size_t have = evbuffer_get_length(c->in);

	if (have < sizeof(h))
		return 0;
	evbuffer_copyout(c->in, &h, sizeof(h));
	return h.len <= c->max_in && have - sizeof(h) < h.len;
}

static void
ipc_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ipc *c = arg;
	int n;

	(void)what;
	n = evbuffer_read(c->in, fd, IPC_READ_CHUNK);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return;
		c->peer_gone = errno == ECONNRESET;
		ipc_fail(c, "read: %s", strerror(errno));
		return;
	}
	if (n == 0) {
		size_t left = evbuffer_get_length(c->in);

		c->peer_gone = 1;
		if (left > 0)
			ipc_fail(c, "peer closed mid-frame (%zu bytes of a "
			    "partial frame)", left);
		else
			ipc_fail(c, "%s", IPC_EOF_REASON);
		return;
	}
	/* the rest of a large frame (a reload's configuration, a
	 * snapshot) in this turn of the loop, not one turn per chunk: a
	 * busy loop turns a few times a second */
	while (ipc_frame_partial(c) &&
	    evbuffer_read(c->in, fd, IPC_READ_CHUNK) > 0)
		;
	c->busy++;
	ipc_deliver(c);
	ipc_leave(c);
}

/* Write what the socket takes now. 0 ok (maybe partial), -1 error. */
static int
ipc_write_some(struct ipc *c)
{
	struct evbuffer_iovec v[IPC_WRITE_IOV];
	struct iovec iov[IPC_WRITE_IOV];
	struct msghdr mh;
	ssize_t n;
	int cnt, i;

	while (evbuffer_get_length(c->out) > 0) {
		cnt = evbuffer_peek(c->out, -1, NULL, v, IPC_WRITE_IOV);
		if (cnt > IPC_WRITE_IOV)
			cnt = IPC_WRITE_IOV;
		for (i = 0; i < cnt; i++) {
			iov[i].iov_base = v[i].iov_base;
			iov[i].iov_len = v[i].iov_len;
		}
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = iov;
		mh.msg_iovlen = (size_t)cnt;
		n = sendmsg(c->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -1;
		}
		evbuffer_drain(c->out, (size_t)n);
	}
	return 0;
}

static void
ipc_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ipc *c = arg;

	(void)fd;
	(void)what;
	if (ipc_write_some(c) < 0) {
		c->peer_gone = errno == EPIPE || errno == ECONNRESET;
		ipc_fail(c, "write: %s", strerror(errno));
		return;
	}
	if (evbuffer_get_length(c->out) == 0)
		event_del(c->wev);
}

struct ipc *
ipc_new(struct event_base *base, int fd, ipc_msg_fn *on_msg,
    ipc_close_fn *on_close, void *arg)
{
	struct ipc *c;
	int fl;

	if (base == NULL || fd < 0 || on_msg == NULL || on_close == NULL) {
		if (fd >= 0)
			close(fd);
		errno = EINVAL;
		return NULL;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		return NULL;
	}
	c->fd = -1;
	c->max_in = IPC_MAX_FRAME;
	c->on_msg = on_msg;
	c->on_close = on_close;
	c->arg = arg;
	c->in = evbuffer_new();
	c->out = evbuffer_new();
	c->rev = event_new(base, fd, EV_READ | EV_PERSIST, ipc_read_cb, c);
	c->wev = event_new(base, fd, EV_WRITE | EV_PERSIST, ipc_write_cb, c);
	if (c->in == NULL || c->out == NULL || c->rev == NULL ||
	    c->wev == NULL || event_add(c->rev, NULL) != 0) {
		ipc_destroy(c);
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	c->fd = fd;
	return c;
}

int
ipc_peer_gone(const struct ipc *c)
{
	return c->peer_gone;
}

void
ipc_set_max_frame(struct ipc *c, uint32_t max)
{
	c->max_in = max < IPC_MAX_FRAME ? max : IPC_MAX_FRAME;
}

int
ipc_send(struct ipc *c, uint32_t type, const void *data, size_t len)
{
	struct ipc_hdr h;
	struct evbuffer_iovec v;

	if (c == NULL || c->closed || c->doomed) {
		errno = EPIPE;
		return -1;
	}
	if (len > IPC_MAX_FRAME) {
		errno = EMSGSIZE;
		return -1;
	}
	if (len > 0 && data == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (evbuffer_get_length(c->out) + sizeof(h) + len > IPC_MAX_PENDING) {
		errno = ENOBUFS;
		return -1;
	}
	h.type = type;
	h.len = (uint32_t)len;
	/* The whole frame goes in at once, or nothing: what was queued
	 * before is never touched. */
	if (evbuffer_reserve_space(c->out, (ev_ssize_t)(sizeof(h) + len), &v,
	    1) != 1 || v.iov_len < sizeof(h) + len)
		goto nomem;
	memcpy(v.iov_base, &h, sizeof(h));
	if (len > 0)
		memcpy((char *)v.iov_base + sizeof(h), data, len);
	v.iov_len = sizeof(h) + len;
	if (evbuffer_commit_space(c->out, &v, 1) != 0)
		goto nomem;
	if (event_add(c->wev, NULL) != 0)
		goto nomem;
	return 0;
nomem:
	errno = ENOMEM;
	return -1;
}

size_t
ipc_pending(const struct ipc *c)
{
	if (c == NULL)
		return 0;
	return evbuffer_get_length(c->out);
}

int
ipc_flush(struct ipc *c, int timeout_ms)
{
	uint64_t deadline;
	struct pollfd pfd;
	uint64_t now;
	int wait, r;

	if (c == NULL || c->fd < 0) {
		errno = EINVAL;
		return -1;
	}
	if (timeout_ms < 0)
		timeout_ms = 0;
	deadline = loop_now_usec() + (uint64_t)timeout_ms * 1000u;
	for (;;) {
		if (ipc_write_some(c) < 0)
			return -1;
		if (evbuffer_get_length(c->out) == 0) {
			event_del(c->wev);
			return 0;
		}
		now = loop_now_usec();
		if (now >= deadline) {
			errno = ETIMEDOUT;
			return -1;
		}
		wait = (int)((deadline - now + 999) / 1000);
		pfd.fd = c->fd;
		pfd.events = POLLOUT;
		pfd.revents = 0;
		r = poll(&pfd, 1, wait);
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

void
ipc_free(struct ipc *c)
{
	if (c == NULL)
		return;
	if (c->busy > 0) {
		c->doomed = 1;
		c->closed = 1;
		event_del(c->rev);
		event_del(c->wev);
		return;
	}
	ipc_destroy(c);
}
