/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP_CHECK: the real server is up when a TCP connection to it completes.
 * Refused, unreachable or no answer before connect_timeout: down, with the
 * reason. The connection is closed as soon as it is made.
 */
#include "autoconfig.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "healthcheck/probe.h"

/*
 * The connects in flight wait in one epoll set of this kind's own
 * (EPOLLOUT, one-shot) that one libevent event watches, so a check costs
 * what the raw limit of bench/checks does: socket, connect, one
 * epoll_ctl, getsockopt and close (closing the socket takes it out of the
 * set; a libevent event per probe would add an epoll_ctl to delete it).
 * An event carries its socket's number and the generation of its
 * registration: one left over from a socket closed since (its number
 * taken again, or its file still open in a script's child before exec)
 * names no probe, or another generation, and is dropped.
 */
struct tcp_slot {
	struct chk_probe *p;		/* NULL: none waits on this fd */
	uint32_t gen;
};

struct tcp_shared {			/* env->kinds[CHK_TCP] */
	int ep;
	struct event *ev;
	struct tcp_slot *slot;		/* by descriptor */
	unsigned nslot;
	uint32_t gen;
};

/* Completions handled per wake-up, at most: the loop's other events
 * come in between. */
#define TCP_BATCH 64
#define TCP_ROUNDS 16

static void
tcp_result(struct chk_probe *p)
{
	socklen_t len = sizeof(int);
	char eb[96];
	int err = 0;

	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err != 0) {
		chk_probe_done(p, 0, "%s", chk_probe_strerror(err, eb,
		    sizeof(eb)));
		return;
	}
	chk_probe_done(p, 1, "connected");
}

static void
tcp_ready(evutil_socket_t fd, short what, void *arg)
{
	struct tcp_shared *sh = arg;
	struct epoll_event evs[TCP_BATCH];
	struct chk_probe *p;
	unsigned rounds = 0;
	uint32_t sfd, gen;
	int n;

	(void)fd;
	(void)what;
	do {
		n = epoll_wait(sh->ep, evs, TCP_BATCH, 0);
		for (int i = 0; i < n; i++) {
			sfd = (uint32_t)evs[i].data.u64;
			gen = (uint32_t)(evs[i].data.u64 >> 32);
			if (sfd >= sh->nslot || sh->slot[sfd].p == NULL ||
			    sh->slot[sfd].gen != gen)
				continue;
			p = sh->slot[sfd].p;
			sh->slot[sfd].p = NULL;
			tcp_result(p);
		}
	} while (n == TCP_BATCH && ++rounds < TCP_ROUNDS);
}

static struct tcp_shared *
tcp_shared(struct chk_env *env)
{
	struct tcp_shared *sh = env->kinds[CHK_TCP];

	if (sh != NULL)
		return sh;
	if ((sh = calloc(1, sizeof(*sh))) == NULL)
		return NULL;
	sh->ep = epoll_create1(EPOLL_CLOEXEC);
	if (sh->ep < 0) {
		free(sh);
		return NULL;
	}
	sh->ev = event_new(env->base, sh->ep, EV_READ | EV_PERSIST,
	    tcp_ready, sh);
	if (sh->ev == NULL || event_add(sh->ev, NULL) < 0) {
		if (sh->ev != NULL)
			event_free(sh->ev);
		close(sh->ep);
		free(sh);
		return NULL;
	}
	env->kinds[CHK_TCP] = sh;
	return sh;
}

/* Room in the table for descriptor fd; 0 or -1. */
static int
tcp_room(struct tcp_shared *sh, int fd)
{
	struct tcp_slot *t;
	unsigned n;

	if ((unsigned)fd < sh->nslot)
		return 0;
	n = sh->nslot > 0 ? sh->nslot : 64;
	while (n <= (unsigned)fd)
		n *= 2;
	if ((t = realloc(sh->slot, n * sizeof(*t))) == NULL)
		return -1;
	memset(t + sh->nslot, 0, (n - sh->nslot) * sizeof(*t));
	sh->slot = t;
	sh->nslot = n;
	return 0;
}

static int
tcp_start(struct chk_probe *p)
{
	struct tcp_shared *sh;
	struct epoll_event ev;
	char eb[96];

	if ((sh = tcp_shared(p->env)) == NULL) {
		chk_probe_fail(p, "cannot watch connects: %s",
		    chk_probe_strerror(errno, eb, sizeof(eb)));
		return -1;
	}
	if (chk_probe_socket(p, SOCK_STREAM, IPPROTO_TCP) < 0)
		return -1;
	if (tcp_room(sh, p->fd) < 0) {
		chk_probe_fail(p, "out of memory");
		return -1;
	}
	if (++sh->gen == 0)
		sh->gen = 1;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLOUT | EPOLLONESHOT;
	ev.data.u64 = (uint64_t)sh->gen << 32 | (uint32_t)p->fd;
	if (epoll_ctl(sh->ep, EPOLL_CTL_ADD, p->fd, &ev) < 0) {
		chk_probe_fail(p, "cannot watch the socket: %s",
		    chk_probe_strerror(errno, eb, sizeof(eb)));
		return -1;
	}
	sh->slot[p->fd].p = p;
	sh->slot[p->fd].gen = sh->gen;
	return 0;
}

/* p stops waiting; the engine closes its socket next, which takes it out
 * of the set. */
static void
tcp_cancel(struct chk_probe *p)
{
	struct tcp_shared *sh = p->env->kinds[CHK_TCP];

	if (sh != NULL && p->fd >= 0 && (unsigned)p->fd < sh->nslot &&
	    sh->slot[p->fd].p == p)
		sh->slot[p->fd].p = NULL;
}

static void
tcp_kind_free(struct chk_env *env)
{
	struct tcp_shared *sh = env->kinds[CHK_TCP];

	if (sh == NULL)
		return;
	event_free(sh->ev);
	close(sh->ep);
	free(sh->slot);
	free(sh);
	env->kinds[CHK_TCP] = NULL;
}

const struct chk_kind chk_kind_tcp = {
	.kind = CHK_TCP,
	.name = "TCP_CHECK",
	.start = tcp_start,
	.cancel = tcp_cancel,
	.kind_free = tcp_kind_free,
	.fds = 1,
};
