/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The parent's HTTP listener (metrics.h): evhttp parses the requests;
 * this file bounds what clients may hold. evhttp 2.1 has no connection
 * cap, so every connection's bufferevent is made here (evhttp's bevcb)
 * and kept referenced: a sweep sees which ones evhttp has let go
 * (callbacks cleared), drops them, and shuts down the ones over the cap
 * or past their lifetime, which evhttp then closes as if the client had.
 */
#include "autoconfig.h"

#include "metrics.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>

#include "global_conf.h"
#include "log.h"
#include "loop.h"
#include "offload.h"
#include "prom.h"
#include "refresh.h"
#include "status.h"
#include "supervisor_int.h"
#include "vconfig.h"

struct mconn {
	struct bufferevent *bev;	/* one reference is ours */
	uint64_t born;
	int served;		/* a request of it was answered */
	int doomed;		/* to be shut down by the next sweep */
	int shut;
};

/* What a request asks for. */
enum page { PAGE_METRICS, PAGE_STATUS, PAGE_JSON, PAGE_N };

/* A request waiting for fresh counters, or for its page's rendering. */
struct pending {
	struct pending *next;
	struct evhttp_request *req;	/* NULL: its connection went away */
	struct evhttp_connection *ec;
	enum page page;
	int om;
};

/* A page as last rendered. */
struct cached {
	struct evbuffer *body;
	uint64_t at;
	/* a large store: a forked copy renders it (offload.h), and the
	 * requests for it wait */
	struct offload *rendering;
	struct pending *waiting;
	struct metrics *m;
	enum page page;
	int om;
};

struct metrics {
	struct supervisor *sv;
	struct pending *pending;
	int refreshing;		/* a refresh is under way */
	uint64_t fresh_at;	/* when the last one ended */
	struct cached cache[PAGE_N][2];	/* [page][OpenMetrics] */
	char *listen;		/* what it is bound to, as configured */
	struct evhttp *http;
	struct event *sweep_now;
	struct loop_timer *sweep;
	struct mconn *conns;
	size_t nconns, cap;
	unsigned long requests, refused, expired;
};

/* ---- connections ---------------------------------------------------------- */

static int
conn_gone(const struct mconn *c)
{
	bufferevent_data_cb r, w;
	bufferevent_event_cb e;

	bufferevent_getcb(c->bev, &r, &w, &e, NULL);
	return (r == NULL && e == NULL) || bufferevent_getfd(c->bev) < 0;
}

static void
sweep_run(struct metrics *m)
{
	uint64_t now = loop_now_usec();
	size_t j = 0;

	for (size_t i = 0; i < m->nconns; i++) {
		struct mconn *c = &m->conns[i];

		if (conn_gone(c)) {
			bufferevent_decref(c->bev);
			continue;
		}
		if (!c->doomed && now - c->born > METRICS_CONN_LIFE_USEC) {
			c->doomed = 1;
			m->expired++;
		}
		if (c->doomed && !c->shut) {
			/* evhttp sees the end of the stream and closes it */
			shutdown(bufferevent_getfd(c->bev), SHUT_RDWR);
			c->shut = 1;
		}
		m->conns[j++] = *c;
	}
	m->nconns = j;
	if (m->nconns == 0)
		loop_timer_stop(m->sweep);
	else if (!loop_timer_pending(m->sweep))
		loop_timer_start(m->sweep, 1000000, 1);
}

static void
sweep_tick(struct loop_timer *t, void *arg)
{
	(void)t;
	sweep_run(arg);
}

static void
sweep_now_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	sweep_run(arg);
}

/* Room for one more: drop what evhttp let go; over the cap, the oldest
 * connection that has not been answered yet goes (a client that connects
 * and never speaks), else the newest. */
static void
make_room(struct metrics *m, struct mconn *fresh)
{
	size_t live = 0, oldest = SIZE_MAX;

	for (size_t i = 0; i < m->nconns; i++) {
		struct mconn *c = &m->conns[i];

		/* the new one has no socket yet: evhttp gives it one next */
		if (c->doomed || (c != fresh && conn_gone(c)))
			continue;
		live++;
		if (!c->served && c != fresh && (oldest == SIZE_MAX ||
		    c->born < m->conns[oldest].born))
			oldest = i;
	}
	if (live <= METRICS_MAX_CONNS)
		return;
	(oldest != SIZE_MAX ? &m->conns[oldest] : fresh)->doomed = 1;
	m->refused++;
	event_active(m->sweep_now, EV_TIMEOUT, 1);
}

static struct bufferevent *
new_bev(struct event_base *base, void *arg)
{
	struct metrics *m = arg;
	struct bufferevent *bev;
	struct mconn *c;

	bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL)
		return NULL;	/* evhttp tries its own, and fails */
	bufferevent_priority_set(bev, LOOP_PRIO_LOW);
	if (m->nconns == m->cap) {
		size_t ncap = m->cap == 0 ? 128 : m->cap * 2;
		struct mconn *n = realloc(m->conns, ncap * sizeof(*n));

		if (n == NULL)
			return bev;	/* untracked: evhttp's timeouts only */
		m->conns = n;
		m->cap = ncap;
	}
	bufferevent_incref(bev);
	c = &m->conns[m->nconns++];
	*c = (struct mconn){ .bev = bev, .born = loop_now_usec() };
	make_room(m, c);
	if (!loop_timer_pending(m->sweep))
		loop_timer_start(m->sweep, 1000000, 1);
	return bev;
}

static void
mark_served(struct metrics *m, struct evhttp_request *req)
{
	struct evhttp_connection *ec = evhttp_request_get_connection(req);
	struct bufferevent *bev = ec != NULL ?
	    evhttp_connection_get_bufferevent(ec) : NULL;

	for (size_t i = 0; bev != NULL && i < m->nconns; i++)
		if (m->conns[i].bev == bev)
			m->conns[i].served = 1;
}

/* ---- requests ------------------------------------------------------------- */

static void
reply_text(struct evhttp_request *req, int code, const char *reason,
    const char *text)
{
	struct evbuffer *b = evbuffer_new();

	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; charset=utf-8");
	if (b != NULL)
		evbuffer_add_printf(b, "%s\n", text);
	evhttp_send_reply(req, code, reason, b);
	if (b != NULL)
		evbuffer_free(b);
}

static ssize_t
evbuf_write(void *cookie, const char *data, size_t len)
{
	return evbuffer_add(cookie, data, len) == 0 ? (ssize_t)len : -1;
}

/* What fn writes, through a stdio buffer straight into an evbuffer,
 * whose chains grow without copying what is already there. NULL when out
 * of memory. */
static struct evbuffer *
render_body(int (*fn)(FILE *fp, void *arg), void *arg)
{
	static const cookie_io_functions_t io = { .write = evbuf_write };
	struct evbuffer *b = evbuffer_new();
	FILE *fp = b != NULL ? fopencookie(b, "w", io) : NULL;
	int rc;

	if (fp == NULL) {
		if (b != NULL)
			evbuffer_free(b);
		return NULL;
	}
	setvbuf(fp, NULL, _IOFBF, 64 * 1024);
	rc = fn(fp, arg);
	if (fclose(fp) != 0 || rc < 0) {
		evbuffer_free(b);
		return NULL;
	}
	return b;
}

struct render_arg {
	struct metrics *m;
	int om;
};

static int
render_metrics(FILE *fp, void *arg)
{
	struct render_arg *ra = arg;
	struct supervisor *sv = ra->m->sv;
	struct prom_child ch[SLOT_MAX];
	struct prom_view v = {
		.children = ch, .nchildren = sv->nslots,
		.generation = sv->cfg->generation, .reloads = sv->reloads,
		.reloads_rejected = sv->reloads_rejected,
		.started = sv->started, .http_requests = ra->m->requests,
		.http_refused = ra->m->refused, .http_expired = ra->m->expired,
		.version = PACKAGE_VERSION,
	};

	for (unsigned i = 0; i < sv->nslots; i++) {
		const struct slot *s = &sv->slots[i];

		ch[i] = (struct prom_child){ .name = s->sub->name, .st = &s->st,
		    .running = s->pid != 0,
		    .restarts = s->starts > 0 ? s->starts - 1 : 0,
		    .generation = s->gen_acked };
	}
	return prom_render(fp, &v, ra->om);
}

static int
render_status(FILE *fp, void *arg)
{
	return status_page(fp, ((struct metrics *)arg)->sv);
}

static int
render_json(FILE *fp, void *arg)
{
	return status_json(fp, ((struct metrics *)arg)->sv);
}

/* The page of c, written by a forked copy or here. */
static int
render_page(FILE *fp, void *arg)
{
	struct cached *c = arg;
	struct render_arg ra = { .m = c->m, .om = c->om };

	switch (c->page) {
	case PAGE_METRICS:
		return render_metrics(fp, &ra);
	case PAGE_STATUS:
		return render_status(fp, c->m);
	default:
		return render_json(fp, c->m);
	}
}

/* Reply with c's body (shared: the reply references its chains). */
static void
reply_cached(struct evhttp_request *req, const struct cached *c)
{
	static const char *const ctypes[PAGE_N][2] = {
		[PAGE_METRICS] = { PROM_CTYPE_TEXT, PROM_CTYPE_OPENMETRICS },
		[PAGE_STATUS] = { "text/html; charset=utf-8" },
		[PAGE_JSON] = { "application/json" },
	};
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	struct evbuffer *out;

	if ((out = evbuffer_new()) == NULL ||
	    evbuffer_add_buffer_reference(out, c->body) < 0) {
		if (out != NULL)
			evbuffer_free(out);
		reply_text(req, HTTP_INTERNAL, "Internal Server Error",
		    "out of memory");
		return;
	}
	if (c->page == PAGE_STATUS) {
		evhttp_add_header(h, "Content-Security-Policy", STATUS_CSP);
		evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	}
	evhttp_add_header(h, "Content-Type", ctypes[c->page][c->om]);
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_send_reply(req, HTTP_OK, "OK", out);
	evbuffer_free(out);
}

static void
pending_closed(struct evhttp_connection *ec, void *arg)
{
	struct pending *p = arg;

	(void)ec;
	p->req = NULL;
}

/* A forked copy rendered c (buf NULL: it failed): the page is cached
 * and every request that waited for it answered. */
static void
rendered(void *arg, const char *buf, size_t len, const char *why)
{
	struct cached *c = arg;
	struct pending *p = c->waiting, *next;
	struct evbuffer *b = NULL;

	c->rendering = NULL;
	c->waiting = NULL;
	if (buf != NULL && ((b = evbuffer_new()) == NULL ||
	    evbuffer_add(b, buf, len) < 0)) {
		if (b != NULL)
			evbuffer_free(b);
		b = NULL;
		why = "out of memory";
	}
	if (b != NULL) {
		if (c->body != NULL)
			evbuffer_free(c->body);
		c->body = b;
		c->at = loop_now_usec();
	} else
		log_warn("metrics: rendering a page: %s", why);
	for (; p != NULL; p = next) {
		next = p->next;
		if (p->req != NULL) {
			evhttp_connection_set_closecb(p->ec, NULL, NULL);
			if (b != NULL)
				reply_cached(p->req, c);
			else
				reply_text(p->req, HTTP_INTERNAL,
				    "Internal Server Error", why);
		}
		free(p);
	}
}

/* req waits for c's rendering; -1 out of memory. */
static int
wait_render(struct cached *c, struct evhttp_request *req)
{
	struct pending *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return -1;
	*p = (struct pending){ .next = c->waiting, .req = req,
	    .ec = evhttp_request_get_connection(req), .page = c->page,
	    .om = c->om };
	c->waiting = p;
	evhttp_connection_set_closecb(p->ec, pending_closed, p);
	return 0;
}

/*
 * Answer with the page, rendered at most once per METRICS_FRESH_USEC and
 * after every refresh: clients asking at once share one rendering (the
 * reply references its chains), so a hundred scrapers of 100,000 real
 * servers cost one rendering, not a hundred. A large store's page is
 * rendered by a forked copy while the loop goes on (offload.h).
 */
static void
serve(struct metrics *m, struct evhttp_request *req, enum page page, int om)
{
	int o = page == PAGE_METRICS && om;
	struct cached *c = &m->cache[page][o];
	uint64_t now = loop_now_usec();

	c->m = m;
	c->page = page;
	c->om = o;
	if (c->body == NULL || now - c->at >= METRICS_FRESH_USEC ||
	    c->at < m->fresh_at) {
		struct evbuffer *b;

		if ((c->rendering != NULL || (offload_worth(m->sv) &&
		    (c->rendering = offload_start(m->sv->base,
		    m->sv->reaper, render_page, rendered, c, 0)) != NULL)) &&
		    wait_render(c, req) == 0)
			return;
		if ((b = render_body(render_page, c)) == NULL) {
			reply_text(req, HTTP_INTERNAL, "Internal Server Error",
			    "out of memory");
			return;
		}
		if (c->body != NULL)
			evbuffer_free(c->body);
		c->body = b;
		c->at = now;
	}
	reply_cached(req, c);
}

/* Fresh counters came (or the bound passed): answer what waited. */
static void
refreshed(void *arg, int timed_out)
{
	struct metrics *m = arg;
	struct pending *p = m->pending, *next;

	(void)timed_out;
	m->pending = NULL;
	m->refreshing = 0;
	m->fresh_at = loop_now_usec();
	for (; p != NULL; p = next) {
		next = p->next;
		if (p->req != NULL) {
			evhttp_connection_set_closecb(p->ec, NULL, NULL);
			serve(m, p->req, p->page, p->om);
		}
		free(p);
	}
}

/* Answer from a store at most METRICS_FRESH_USEC old: ask the children
 * for a snapshot first unless one just came. Every request waiting shares
 * one refresh. */
static void
serve_fresh(struct metrics *m, struct evhttp_request *req, enum page page,
    int om)
{
	struct pending *p;

	if (loop_now_usec() - m->fresh_at < METRICS_FRESH_USEC ||
	    (p = calloc(1, sizeof(*p))) == NULL) {
		serve(m, req, page, om);
		return;
	}
	if (!m->refreshing) {
		if (refresh_request(m->sv, METRICS_REFRESH_WAIT_USEC,
		    METRICS_REFRESH_MAX_USEC, refreshed, m) < 0) {
			free(p);
			serve(m, req, page, om);
			return;
		}
		m->refreshing = 1;
	}
	*p = (struct pending){ .next = m->pending, .req = req,
	    .ec = evhttp_request_get_connection(req), .page = page, .om = om };
	m->pending = p;
	evhttp_connection_set_closecb(p->ec, pending_closed, p);
}

static void
on_request(struct evhttp_request *req, void *arg)
{
	struct metrics *m = arg;
	const char *uri = evhttp_request_get_uri(req), *q;
	size_t plen;

	m->requests++;
	mark_served(m, req);
	q = strchr(uri, '?');
	plen = q != NULL ? (size_t)(q - uri) : strlen(uri);
	if (plen == 8 && strncmp(uri, "/metrics", plen) == 0)
		serve_fresh(m, req, PAGE_METRICS, prom_wants_openmetrics(
		    evhttp_find_header(evhttp_request_get_input_headers(req),
		    "Accept")));
	else if (plen == 1 && uri[0] == '/')
		serve_fresh(m, req, PAGE_STATUS, 0);
	else if (plen == 11 && strncmp(uri, "/state.json", plen) == 0)
		serve_fresh(m, req, PAGE_JSON, 0);
	else
		reply_text(req, HTTP_NOTFOUND, "Not Found",
		    "not found: try /, /metrics or /state.json");
}

/* ---- the listener --------------------------------------------------------- */

static void
metrics_close(struct metrics *m)
{
	if (m->http != NULL)
		evhttp_free(m->http);	/* frees its connections */
	m->http = NULL;
	for (size_t i = 0; i < m->nconns; i++)
		bufferevent_decref(m->conns[i].bev);
	m->nconns = 0;
	for (int i = 0; i < PAGE_N; i++)
		for (int j = 0; j < 2; j++) {
			struct cached *c = &m->cache[i][j];

			if (c->body != NULL)
				evbuffer_free(c->body);
			c->body = NULL;
			/* its requests' connections went with evhttp */
			offload_cancel(c->rendering);
			c->rendering = NULL;
			for (struct pending *p = c->waiting, *next; p != NULL;
			    p = next) {
				next = p->next;
				free(p);
			}
			c->waiting = NULL;
		}
	loop_timer_stop(m->sweep);
	free(m->listen);
	m->listen = NULL;
}

/* A listening socket that closes on exec (the children are started by
 * executing vigild again), bound without resolving anything. */
static int
listen_socket(const struct vg_addr *a, unsigned port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1, e;

	memset(&ss, 0, sizeof(ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = a->u.v6;
		s6->sin6_port = htons((uint16_t)port);
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_addr = a->u.v4;
		s4->sin_port = htons((uint16_t)port);
		len = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (ss.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &one, sizeof(one)) < 0) ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0 ||
	    listen(fd, 128) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int
metrics_open(struct metrics *m, const struct global_conf *g)
{
	struct evconnlistener *lev;
	int fd;

	m->http = evhttp_new(m->sv->base);
	if (m->http == NULL || (m->listen = strdup(g->metrics_listen)) == NULL)
		goto fail;
	evhttp_set_max_headers_size(m->http, METRICS_MAX_HEADERS);
	evhttp_set_max_body_size(m->http, 0);
	evhttp_set_timeout(m->http, METRICS_IDLE_SECS);
	evhttp_set_allowed_methods(m->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
	evhttp_set_bevcb(m->http, new_bev, m);
	evhttp_set_gencb(m->http, on_request, m);
	if ((fd = listen_socket(&g->metrics_addr, g->metrics_port)) < 0) {
		log_err("metrics_listen %s: cannot listen: %s; no metrics "
		    "endpoint", g->metrics_listen, strerror(errno));
		metrics_close(m);
		return -1;
	}
	/* the accepted sockets close on exec too: a child started while a
	 * client is connected must not hold its connection open */
	lev = evconnlistener_new(m->sv->base, NULL, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0, fd);
	if (lev == NULL) {
		close(fd);
		goto fail;
	}
	if (evhttp_bind_listener(m->http, lev) == NULL) {
		evconnlistener_free(lev);
		goto fail;
	}
	log_info("metrics and status page on http://%s/ (metrics_listen)",
	    g->metrics_listen);
	return 0;
fail:
	log_err("metrics_listen %s: out of memory", g->metrics_listen);
	metrics_close(m);
	return -1;
}

void
metrics_configure(struct supervisor *sv)
{
	const struct global_conf *g = sv->cfg->conf[CONF_OWNER_GLOBAL];
	const char *want = g != NULL ? g->metrics_listen : NULL;
	struct metrics *m = sv->metrics;

	if (m != NULL && m->listen != NULL && want != NULL &&
	    strcmp(m->listen, want) == 0)
		return;
	if (m != NULL && m->listen != NULL) {
		log_info("metrics listener on %s closed (metrics_listen %s)",
		    m->listen, want != NULL ? "changed" : "removed");
		metrics_close(m);
	}
	if (want == NULL)
		return;
	if (m == NULL) {
		m = calloc(1, sizeof(*m));
		if (m == NULL) {
			log_err("metrics_listen %s: out of memory", want);
			return;
		}
		m->sv = sv;
		m->sweep = loop_timer_new(sv->base, sweep_tick, m);
		m->sweep_now = event_new(sv->base, -1, 0, sweep_now_cb, m);
		if (m->sweep_now != NULL)
			event_priority_set(m->sweep_now, LOOP_PRIO_LOW);
		if (m->sweep == NULL || m->sweep_now == NULL) {
			log_err("metrics_listen %s: out of memory", want);
			loop_timer_free(m->sweep);
			if (m->sweep_now != NULL)
				event_free(m->sweep_now);
			free(m);
			return;
		}
		sv->metrics = m;
	}
	metrics_open(m, g);
}

void
metrics_free(struct supervisor *sv)
{
	struct metrics *m = sv->metrics;

	if (m == NULL)
		return;
	metrics_close(m);
	refresh_cancel(sv, m);
	for (struct pending *p = m->pending, *next; p != NULL; p = next) {
		next = p->next;
		free(p);
	}
	loop_timer_free(m->sweep);
	event_free(m->sweep_now);
	free(m->conns);
	free(m);
	sv->metrics = NULL;
}
