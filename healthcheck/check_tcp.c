/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP_CHECK: the real server is up when a TCP connection to it completes.
 * Refused, unreachable or no answer before connect_timeout: down, with the
 * reason. The connection is closed as soon as it is made.
 */
#include "autoconfig.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "healthcheck/probe.h"

/*
 * kstate: the write event while the probe runs, from a pool of those no
 * probe uses (an idle check holds none; the pool grows to the most TCP
 * probes in flight at once).
 */
struct tcp_ev {
	struct tcp_ev *next;
};

static struct tcp_ev *tcp_pool;

static struct event *
tcp_ev_get(void)
{
	struct tcp_ev *t = tcp_pool;
	size_t sz = event_get_struct_event_size();

	if (t != NULL) {
		tcp_pool = t->next;
		return (struct event *)(void *)t;
	}
	return calloc(1, sz > sizeof(*t) ? sz : sizeof(*t));
}

static void
tcp_ev_put(struct chk_probe *p)
{
	struct event *ev = p->kstate;
	struct tcp_ev *t;

	if (ev == NULL)
		return;
	event_del(ev);
	t = (struct tcp_ev *)(void *)ev;
	t->next = tcp_pool;
	tcp_pool = t;
	p->kstate = NULL;
}

static void
tcp_writable(evutil_socket_t fd, short what, void *arg)
{
	struct chk_probe *p = arg;
	socklen_t len = sizeof(int);
	char eb[96];
	int err = 0;

	(void)what;
	tcp_ev_put(p);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err != 0) {
		chk_probe_done(p, 0, "%s", chk_probe_strerror(err, eb,
		    sizeof(eb)));
		return;
	}
	chk_probe_done(p, 1, "connected");
}

static int
tcp_start(struct chk_probe *p)
{
	struct event *ev;

	tcp_ev_put(p);
	if (chk_probe_socket(p, SOCK_STREAM, IPPROTO_TCP) < 0)
		return -1;
	if ((ev = tcp_ev_get()) == NULL) {
		chk_probe_fail(p, "out of memory");
		return -1;
	}
	p->kstate = ev;
	if (event_assign(ev, p->env->base, p->fd, EV_WRITE, tcp_writable,
	    p) < 0 || event_add(ev, NULL) < 0) {
		tcp_ev_put(p);
		chk_probe_fail(p, "cannot watch the socket");
		return -1;
	}
	return 0;
}

static void
tcp_cancel(struct chk_probe *p)
{
	tcp_ev_put(p);
}

static void
tcp_release(struct chk_probe *p)
{
	tcp_ev_put(p);
}

static void
tcp_trim(void)
{
	struct tcp_ev *t;

	while ((t = tcp_pool) != NULL) {
		tcp_pool = t->next;
		free(t);
	}
}

const struct chk_kind chk_kind_tcp = {
	.kind = CHK_TCP,
	.name = "TCP_CHECK",
	.start = tcp_start,
	.cancel = tcp_cancel,
	.release = tcp_release,
	.kind_trim = tcp_trim,
	.fds = 1,
};
