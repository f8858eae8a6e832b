/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Framed messages on a non-blocking SOCK_STREAM socket. Reads accumulate
 * in an evbuffer and every complete frame is delivered; writes queue in an
 * evbuffer and drain when the socket is writable. ipc_free() may be called
 * from inside the channel's own callbacks: the free is then deferred until
 * the callback returns.
 *
 * A large frame (IPC_BIG and up: a reload's configuration, a snapshot) is
 * copied once on each side, not three times: it goes straight from the
 * sender's memory into the socket when nothing is queued before it, and
 * is read straight into one block of its size, delivered from there (not
 * read into the evbuffer's chunks, then copied into one piece). At 10,000
 * virtual servers x 10 a reload's part is 5 MB, and on a first reload
 * every copy is into fresh memory.
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
#define IPC_BIG (256 * 1024)
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
	/* a large frame being read: its header, then its bytes */
	unsigned char *big;
	size_t big_have, big_len;	/* the frame's, header included */
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
	free(c->big);
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

/* Whether a frame may come from the peer: 0, or -1 after failing c. */
static int
ipc_frame_ok(struct ipc *c, const struct ipc_hdr *h)
{
	if (h->len > c->max_in) {
		ipc_fail(c, "frame of %u bytes exceeds limit of %u (type %u)",
		    h->len, c->max_in, h->type);
		return -1;
	}
	if (h->type == 0 || h->type > IPC_TYPE_LIMIT) {
		ipc_fail(c, "unknown message type %u (length %u)", h->type,
		    h->len);
		return -1;
	}
	return 0;
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
		if (ipc_frame_ok(c, &h) < 0)
			return;
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

/* The end of the stream, or a read error: c fails. */
static void
ipc_read_end(struct ipc *c, ssize_t n, size_t partial)
{
	if (n < 0) {
		c->peer_gone = errno == ECONNRESET;
		ipc_fail(c, "read: %s", strerror(errno));
		return;
	}
	c->peer_gone = 1;
	if (partial > 0)
		ipc_fail(c, "peer closed mid-frame (%zu bytes of a partial "
		    "frame)", partial);
	else
		ipc_fail(c, "%s", IPC_EOF_REASON);
}

/*
 * The input's first frame is a large one not all here yet (what came
 * before it was delivered): it moves into a block of its own, read into
 * from now on. Called after ipc_deliver, which checked its header. 1 if
 * it did, 0 if not (none, or small), -1 when out of memory (c failed).
 */
static int
ipc_big_start(struct ipc *c)
{
	struct ipc_hdr h;
	size_t have = evbuffer_get_length(c->in);

	if (c->closed || c->doomed || have < sizeof(h))
		return 0;
	/* ipc_deliver let it through (ipc_frame_ok), or c is closed */
	evbuffer_copyout(c->in, &h, sizeof(h));
	if (h.len < IPC_BIG || have - sizeof(h) >= h.len)
		return 0;
	if ((c->big = malloc(sizeof(h) + h.len)) == NULL) {
		ipc_fail(c, "out of memory for a %u byte frame", h.len);
		return -1;
	}
	c->big_len = sizeof(h) + h.len;
	c->big_have = have;
	evbuffer_remove(c->in, c->big, have);
	return 1;
}

/*
 * Read the large frame on; delivered once complete. 0: go on reading
 * (the frame is done, or the socket has no more for now: c->big says),
 * -1: c failed.
 */
static int
ipc_big_read(struct ipc *c, int fd)
{
	struct ipc_hdr h;
	ssize_t n;

	while (c->big_have < c->big_len) {
		n = read(fd, c->big + c->big_have, c->big_len - c->big_have);
		if (n > 0) {
			c->big_have += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		ipc_read_end(c, n, c->big_have);
		return -1;
	}
	memcpy(&h, c->big, sizeof(h));
	c->on_msg(c, h.type, c->big + sizeof(h), h.len, c->arg);
	free(c->big);
	c->big = NULL;
	return 0;
}

static void
ipc_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ipc *c = arg;
	int n, big;

	(void)what;
	c->busy++;
	if (c->big != NULL &&
	    (ipc_big_read(c, fd) < 0 || c->big != NULL || c->closed ||
	    c->doomed)) {
		ipc_leave(c);
		return;
	}
	n = evbuffer_read(c->in, fd, IPC_READ_CHUNK);
	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == EINTR)) {
			ipc_leave(c);
			return;
		}
		ipc_read_end(c, n, evbuffer_get_length(c->in));
		ipc_leave(c);
		return;
	}
	ipc_deliver(c);
	/* the rest of a large frame (a reload's configuration, a
	 * snapshot) in this turn of the loop, not one turn per chunk: a
	 * busy loop turns a few times a second; straight into its own
	 * block from IPC_BIG up */
	if ((big = ipc_big_start(c)) > 0 && ipc_big_read(c, fd) == 0 &&
	    c->big == NULL)
		ipc_deliver(c);
	else if (big == 0 && !c->closed && !c->doomed) {
		while (ipc_frame_partial(c) &&
		    evbuffer_read(c->in, fd, IPC_READ_CHUNK) > 0)
			;
		ipc_deliver(c);
	}
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

/* Write the pieces of a frame now, as far as the socket takes them: the
 * bytes written (0 on any error: the frame is queued whole, and a broken
 * socket is found by the write callback as before). */
static size_t
ipc_write_now(struct ipc *c, const struct iovec piece[3])
{
	struct msghdr mh;
	ssize_t n;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = (struct iovec *)piece;
	mh.msg_iovlen = 3;
	do
		n = sendmsg(c->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	return n > 0 ? (size_t)n : 0;
}

int
ipc_send2(struct ipc *c, uint32_t type, const void *a, size_t alen,
    const void *b, size_t blen)
{
	struct ipc_hdr h;
	struct evbuffer_iovec v;
	struct iovec piece[3];
	size_t len = alen + blen, skip = 0, off = 0;

	if (c == NULL || c->closed || c->doomed) {
		errno = EPIPE;
		return -1;
	}
	if (alen > IPC_MAX_FRAME || blen > IPC_MAX_FRAME - alen) {
		errno = EMSGSIZE;
		return -1;
	}
	if ((alen > 0 && a == NULL) || (blen > 0 && b == NULL)) {
		errno = EINVAL;
		return -1;
	}
	if (evbuffer_get_length(c->out) + sizeof(h) + len > IPC_MAX_PENDING) {
		errno = ENOBUFS;
		return -1;
	}
	h.type = type;
	h.len = (uint32_t)len;
	piece[0] = (struct iovec){ &h, sizeof(h) };
	piece[1] = (struct iovec){ (void *)a, alen };
	piece[2] = (struct iovec){ (void *)b, blen };
	/* a large frame behind nothing goes into the socket from where it
	 * is; what it does not take now is queued */
	if (len >= IPC_BIG && evbuffer_get_length(c->out) == 0)
		skip = ipc_write_now(c, piece);
	if (skip == sizeof(h) + len)
		return 0;
	/* The whole frame (or what is left of it) goes in at once, or
	 * nothing: what was queued before is never touched. */
	if (evbuffer_reserve_space(c->out, (ev_ssize_t)(sizeof(h) + len -
	    skip), &v, 1) != 1 || v.iov_len < sizeof(h) + len - skip)
		goto nomem;
	for (unsigned i = 0; i < 3; i++) {
		size_t from = skip < piece[i].iov_len ? skip : piece[i].iov_len;

		skip -= from;
		if (piece[i].iov_len > from)
			memcpy((char *)v.iov_base + off,
			    (char *)piece[i].iov_base + from,
			    piece[i].iov_len - from);
		off += piece[i].iov_len - from;
	}
	v.iov_len = off;
	if (evbuffer_commit_space(c->out, &v, 1) != 0)
		goto nomem;
	if (event_add(c->wev, NULL) != 0)
		goto nomem;
	return 0;
nomem:
	errno = ENOMEM;
	return -1;
}

int
ipc_send(struct ipc *c, uint32_t type, const void *data, size_t len)
{
	return ipc_send2(c, type, data, len, NULL, 0);
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
