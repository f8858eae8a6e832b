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

/* kstate: the write event, kept from one run to the next. */

static void
tcp_writable(evutil_socket_t fd, short what, void *arg)
{
	struct chk_probe *p = arg;
	socklen_t len = sizeof(int);
	char eb[96];
	int err = 0;

	(void)what;
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
	struct event *ev = p->kstate;

	if (ev == NULL) {
		ev = calloc(1, event_get_struct_event_size());
		if (ev == NULL) {
			chk_probe_fail(p, "out of memory");
			return -1;
		}
		p->kstate = ev;
	} else if (event_initialized(ev)) {
		event_del(ev);
	}
	if (chk_probe_socket(p, SOCK_STREAM, IPPROTO_TCP) < 0)
		return -1;
	if (event_assign(ev, p->env->base, p->fd, EV_WRITE, tcp_writable,
	    p) < 0 || event_add(ev, NULL) < 0) {
		chk_probe_fail(p, "cannot watch the socket");
		return -1;
	}
	return 0;
}

static void
tcp_cancel(struct chk_probe *p)
{
	struct event *ev = p->kstate;

	if (ev != NULL && event_initialized(ev))
		event_del(ev);
}

static void
tcp_release(struct chk_probe *p)
{
	struct event *ev = p->kstate;

	if (ev != NULL && event_initialized(ev))
		event_del(ev);
	free(ev);
	p->kstate = NULL;
}

const struct chk_kind chk_kind_tcp = {
	.kind = CHK_TCP,
	.name = "TCP_CHECK",
	.start = tcp_start,
	.cancel = tcp_cancel,
	.release = tcp_release,
	.fds = 1,
};
