/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The probe core (healthcheck/probe.h): start a checker kind on one
 * target, bound it by the engine's timer, hand its result back from the
 * loop. A probe's two events (timeout, finish) are taken from a pool
 * when it starts and given back when it ends: an idle check holds none,
 * the pool grows to the most probes ever in flight at once (bounded by
 * the engine's descriptor budget) and running a probe allocates nothing
 * once it has.
 */
#include "autoconfig.h"

#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "healthcheck/probe.h"
#include "log.h"
#include "loop.h"

/* p->running */
enum { PROBE_IDLE = 0, PROBE_RUNNING, PROBE_FINISHING };

/*
 * libevent's common timeouts keep many timers of one duration in a queue
 * each (O(1) add and remove). Probes use a handful of durations
 * (connect_timeout values): remember up to this many per base.
 */
#define PROBE_COMMON_MAX 32

static struct {
	struct event_base *base;
	unsigned n;
	uint64_t usec[PROBE_COMMON_MAX];
	const struct timeval *tv[PROBE_COMMON_MAX];
} probe_common;

struct timeval
chk_timeout_tv(struct event_base *base, uint64_t usec)
{
	struct timeval tv = loop_tv(usec);
	const struct timeval *ct;

	if (probe_common.base != base) {
		probe_common.base = base;
		probe_common.n = 0;
	}
	for (unsigned i = 0; i < probe_common.n; i++)
		if (probe_common.usec[i] == usec)
			return *probe_common.tv[i];
	if (probe_common.n == PROBE_COMMON_MAX)
		return tv;
	ct = event_base_init_common_timeout(base, &tv);
	if (ct == NULL)
		return tv;
	probe_common.usec[probe_common.n] = usec;
	probe_common.tv[probe_common.n++] = ct;
	return *ct;
}

/* ---- the pool of event pairs ------------------------------------------ */

struct probe_evs {
	struct probe_evs *next;		/* in the pool */
	struct event *timer;
	struct event *finish;
	char reason[CHK_REASON_LEN];	/* the running probe's */
};

/* p->reason of a probe that does not run (none is written there but a
 * failure to start) and of the result done() is given: one probe at a
 * time reads it, in its done callback. */
static char probe_idle_reason[CHK_REASON_LEN];
static char probe_last_reason[CHK_REASON_LEN];

/* The probe's pooled events go back; its reason is kept for done(). */
static void pool_put(struct probe_evs *pe);
static void
probe_evs_drop(struct chk_probe *p, int keep_reason)
{
	if (keep_reason) {
		if (p->reason != probe_last_reason)
			snprintf(probe_last_reason, sizeof(probe_last_reason),
			    "%s", p->reason);
		p->reason = probe_last_reason;
	} else {
		p->reason = probe_idle_reason;
	}
	pool_put(p->evs);
	p->evs = NULL;
}

static struct {
	struct event_base *base;
	struct probe_evs *free;
} probe_pool;

static struct probe_evs *
pool_get(struct event_base *base)
{
	struct probe_evs *pe;
	size_t esz = event_get_struct_event_size();

	if (probe_pool.base != base) {
		/* a new loop (tests): the old pool's events belong to the
		 * old base; they are plain memory once assigned again */
		probe_pool.base = base;
	}
	if ((pe = probe_pool.free) != NULL) {
		probe_pool.free = pe->next;
		return pe;
	}
	/* one block: the pair and both events */
	pe = calloc(1, sizeof(*pe) + 2 * esz);
	if (pe == NULL)
		return NULL;
	pe->timer = (struct event *)(void *)((char *)pe + sizeof(*pe));
	pe->finish = (struct event *)(void *)((char *)pe + sizeof(*pe) +
	    esz);
	return pe;
}

static void
pool_put(struct probe_evs *pe)
{
	if (pe == NULL)
		return;
	event_del(pe->timer);
	event_del(pe->finish);
	pe->next = probe_pool.free;
	probe_pool.free = pe;
}

void
chk_probe_trim(void)
{
	struct probe_evs *pe;

	while ((pe = probe_pool.free) != NULL) {
		probe_pool.free = pe->next;
		free(pe);
	}
}

const char *
chk_probe_strerror(int err, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	snprintf(buf, len, "%s", strerror(err));
	/* "Connection refused" -> "connection refused", as logs read */
	if (isupper((unsigned char)buf[0]) && !isupper((unsigned char)buf[1]))
		buf[0] = (char)tolower((unsigned char)buf[0]);
	return buf;
}

static void probe_vreason(struct chk_probe *p, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void
probe_vreason(struct chk_probe *p, const char *fmt, va_list ap)
{
	if (fmt == NULL) {
		p->reason[0] = '\0';
		return;
	}
	vsnprintf(p->reason, CHK_REASON_LEN, fmt, ap);
}

void
chk_probe_fail(struct chk_probe *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	probe_vreason(p, fmt, ap);
	va_end(ap);
	p->ok = 0;
}

int
chk_later_start(struct chk_probe *p, size_t size,
    void (*cb)(int, short, void *), const char *what)
{
	struct chk_later *s = p->kstate;

	if (s == NULL) {
		if ((s = calloc(1, size)) == NULL ||
		    (s->ev = event_new(p->env->base, -1, 0, cb, p)) == NULL) {
			free(s);
			chk_probe_fail(p, "out of memory");
			return -1;
		}
		p->kstate = s;
	}
	/* the engine gives each run a probe of its pool: this run's */
	if (event_assign(s->ev, p->env->base, -1, 0, cb, p) < 0) {
		chk_probe_fail(p, "cannot schedule %s", what);
		return -1;
	}
	event_active(s->ev, EV_TIMEOUT, 1);
	return 0;
}

void
chk_later_cancel(struct chk_probe *p)
{
	struct chk_later *s = p->kstate;

	if (s != NULL)
		event_del(s->ev);
}

void
chk_later_release(struct chk_probe *p)
{
	struct chk_later *s = p->kstate;

	if (s == NULL)
		return;
	event_free(s->ev);
	free(s);
	p->kstate = NULL;
}

static void
probe_close(struct chk_probe *p)
{
	if (p->fd >= 0) {
		close(p->fd);
		p->fd = -1;
	}
}

void
chk_probe_done(struct chk_probe *p, int ok, const char *fmt, ...)
{
	va_list ap;

	if (p->running != PROBE_RUNNING)
		return;		/* a second result, or after cancel */
	p->ok = ok != 0;
	va_start(ap, fmt);
	probe_vreason(p, fmt, ap);
	va_end(ap);
	if (p->ok)
		p->reason[0] = '\0';
	else if (p->reason[0] == '\0')
		snprintf(p->reason, CHK_REASON_LEN, "failed");
	p->running = PROBE_FINISHING;
	event_del(p->evs->timer);
	event_active(p->evs->finish, EV_TIMEOUT, 1);
}

static void
probe_finish_cb(evutil_socket_t fd, short what, void *arg)
{
	struct chk_probe *p = arg;

	(void)fd;
	(void)what;
	if (p->running != PROBE_FINISHING)
		return;
	p->running = PROBE_IDLE;
	probe_close(p);
	probe_evs_drop(p, 1);
	p->done(p, p->done_arg);
}

static void
probe_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct chk_probe *p = arg;
	const struct chk_kind *k = chk_kind_find(p->conf->kind);

	(void)fd;
	(void)what;
	if (p->running != PROBE_RUNNING)
		return;
	if (k != NULL && k->cancel != NULL)
		k->cancel(p);
	probe_close(p);
	p->running = PROBE_IDLE;
	probe_evs_drop(p, 1);
	p->ok = 0;
	snprintf(p->reason, CHK_REASON_LEN, "timeout after %.1f s",
	    (double)p->timeout / 1e6);
	p->done(p, p->done_arg);
}

static int
probe_events(struct chk_probe *p)
{
	struct event_base *base = p->env->base;

	if (p->evs == NULL && (p->evs = pool_get(base)) == NULL)
		return -1;
	if (event_assign(p->evs->timer, base, -1, 0, probe_timeout_cb, p) <
	    0 || event_assign(p->evs->finish, base, -1, 0, probe_finish_cb,
	    p) < 0) {
		probe_evs_drop(p, 0);
		return -1;
	}
	p->reason = p->evs->reason;
	p->reason[0] = '\0';
	return 0;
}

int
chk_probe_start(struct chk_probe *p, chk_probe_done_fn *done, void *arg)
{
	const struct chk_kind *k = chk_kind_find(p->conf->kind);
	struct timeval tv;

	if (p->running != PROBE_IDLE)
		chk_probe_cancel(p);
	p->fd = -1;
	p->ok = 0;
	p->weight = CHK_INT_UNSET;
	p->reason = probe_idle_reason;
	p->reason[0] = '\0';
	p->done = done;
	p->done_arg = arg;
	p->started = loop_now_usec();
	if (k == NULL || k->start == NULL) {
		chk_probe_fail(p, "%s: not supported yet",
		    chk_conf_checker_kind_name(p->conf->kind));
		return -1;
	}
	if (probe_events(p) < 0) {
		chk_probe_fail(p, "out of memory");
		return -1;
	}
	p->running = PROBE_RUNNING;
	if (k->start(p) < 0) {
		int err = errno;	/* EMFILE: the engine queues the probe */

		p->running = PROBE_IDLE;
		probe_close(p);
		probe_evs_drop(p, 1);
		errno = err;
		p->ok = 0;
		if (p->reason[0] == '\0')
			snprintf(p->reason, CHK_REASON_LEN, "failed to "
			    "start");
		return -1;
	}
	if (p->running == PROBE_RUNNING && p->timeout > 0) {
		tv = chk_timeout_tv(p->env->base, p->timeout);
		event_add(p->evs->timer, &tv);
	}
	return 0;
}

void
chk_probe_cancel(struct chk_probe *p)
{
	const struct chk_kind *k;

	switch (p->running) {
	case PROBE_RUNNING:
		k = chk_kind_find(p->conf->kind);
		if (k != NULL && k->cancel != NULL)
			k->cancel(p);
		break;
	case PROBE_FINISHING:
		break;
	default:
		return;
	}
	probe_evs_drop(p, 0);
	probe_close(p);
	p->running = PROBE_IDLE;
}

void
chk_probe_release(struct chk_probe *p)
{
	const struct chk_kind *k;

	chk_probe_cancel(p);
	if (p->kstate != NULL && p->conf != NULL) {
		k = chk_kind_find(p->conf->kind);
		if (k != NULL && k->release != NULL)
			k->release(p);
	}
}

int
chk_probe_running(const struct chk_probe *p)
{
	return p->running != PROBE_IDLE;
}

/* p->addr:p->port as a sockaddr; scope from bind_if for link-local. */
static socklen_t
probe_sockaddr(const struct vg_addr *a, unsigned port, const char *ifname,
    struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		s6->sin6_addr = a->u.v6;
		if (IN6_IS_ADDR_LINKLOCAL(&a->u.v6) && ifname != NULL)
			s6->sin6_scope_id = if_nametoindex(ifname);
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	s4->sin_addr = a->u.v4;
	return sizeof(*s4);
}

static int
probe_bind(struct chk_probe *p, const struct chk_conf_conn *c, int family)
{
	struct sockaddr_storage ss;
	struct vg_addr any;
	socklen_t sl;
	char eb[96];
	int one = 1;

	if (addr_is_unset(&c->bindto) && c->bind_port == 0)
		return 0;
	if (!addr_is_unset(&c->bindto) && c->bindto.family != family) {
		chk_probe_fail(p, "bindto: address family differs from the "
		    "target's");
		return -1;
	}
	memset(&any, 0, sizeof(any));
	any.family = family;
	if (c->bind_port != 0)
		(void)setsockopt(p->fd, SOL_SOCKET, SO_REUSEADDR, &one,
		    sizeof(one));
	sl = probe_sockaddr(addr_is_unset(&c->bindto) ? &any : &c->bindto,
	    c->bind_port, c->bind_if, &ss);
	if (bind(p->fd, (struct sockaddr *)&ss, sl) < 0) {
		chk_probe_fail(p, "bindto: %s",
		    chk_probe_strerror(errno, eb, sizeof(eb)));
		return -1;
	}
	return 0;
}

int
chk_probe_socket(struct chk_probe *p, int type, int protocol)
{
	const struct chk_conf_conn *c = p->conn != NULL ? p->conn :
	    &p->conf->conn;
	int family = p->addr.family == AF_INET6 ? AF_INET6 : AF_INET;
	struct sockaddr_storage ss;
	socklen_t sl;
	char eb[96];

	probe_close(p);
	p->fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
	if (p->fd < 0) {
		chk_probe_fail(p, "socket: %s",
		    chk_probe_strerror(errno, eb, sizeof(eb)));
		return -1;
	}
	if (c->fwmark != 0 && setsockopt(p->fd, SOL_SOCKET, SO_MARK,
	    &c->fwmark, sizeof(c->fwmark)) < 0) {
		chk_probe_fail(p, "fwmark %u: %s", c->fwmark,
		    chk_probe_strerror(errno, eb, sizeof(eb)));
		goto fail;
	}
	if (c->bind_if != NULL && setsockopt(p->fd, SOL_SOCKET,
	    SO_BINDTODEVICE, c->bind_if, (socklen_t)strlen(c->bind_if) + 1) <
	    0) {
		chk_probe_fail(p, "bind_if %s: %s", c->bind_if,
		    chk_probe_strerror(errno, eb, sizeof(eb)));
		goto fail;
	}
	if (probe_bind(p, c, family) < 0)
		goto fail;
	sl = probe_sockaddr(&p->addr, p->port, c->bind_if, &ss);
	if (connect(p->fd, (struct sockaddr *)&ss, sl) < 0 &&
	    errno != EINPROGRESS) {
		chk_probe_fail(p, "%s", chk_probe_strerror(errno, eb,
		    sizeof(eb)));
		goto fail;
	}
	return 0;
fail:
	probe_close(p);
	return -1;
}

void
chk_probe_init(struct chk_probe *p, struct chk_env *env,
    const struct chk_vs_conf *vs, const struct chk_rs_conf *rs,
    const struct chk_checker_conf *ck)
{
	char a[ADDR_STRLEN];

	memset(p, 0, sizeof(*p));
	p->env = env;
	p->conf = ck;
	p->conn = &ck->conn;
	p->rs = rs;
	p->vs = vs;
	p->addr = *chk_conf_conn_addr(&ck->conn, rs);
	p->port = chk_conf_conn_port(&ck->conn, ck->kind, rs);
	p->timeout = ck->conn.connect_timeout;
	if (ck->kind == CHK_MISC)
		p->timeout = ck->u.misc.timeout != CHK_TIMER_UNSET &&
		    ck->u.misc.timeout != 0 ? ck->u.misc.timeout :
		    ck->delay_loop;
	if (p->timeout == CHK_TIMER_UNSET || p->timeout == 0)
		p->timeout = CHK_DEF_CONNECT_TIMEOUT;
	snprintf(p->name, sizeof(p->name), "[%s]:%u", addr_ntop(&p->addr, a,
	    sizeof(a)), p->port);
	p->fd = -1;
	p->weight = CHK_INT_UNSET;
	p->reason = probe_idle_reason;
}
