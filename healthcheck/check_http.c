/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HTTP_GET and SSL_GET. One run checks the checker's url blocks in turn,
 * one connection each (keepalived checks them in turn too, and calls the
 * real server up only when every url passed): connect, TLS handshake for
 * SSL_GET, send the GET, read the reply through the incremental parser
 * (healthcheck/http_reply.c), which streams the body to the MD5 digest
 * and the regex window. The first url that fails ends the run with its
 * reason ("/health: status 503, expected 200"). A run holds no more
 * than a fixed buffer set, whatever the server sends; the engine's timer
 * bounds its time (connect_timeout per url, as keepalived's).
 *
 * Buffers (parser, request, regex window) live in a run taken from a
 * per-kind free list when a probe starts and given back when it ends, so
 * memory follows the probes in flight, not the number of real servers.
 */
#include "autoconfig.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "healthcheck/check_http.h"
#include "healthcheck/http_regex.h"
#include "healthcheck/http_reply.h"
#include "healthcheck/http_tls.h"
#include "md5.h"

#define HTTP_REQ_MAX	2048
#define HTTP_READ_CHUNK	16384
#define HTTP_READS_PER_WAKE 8	/* then back to the loop */
#define HTTP_FREE_RUNS_MAX 256	/* idle runs kept for reuse (~3 KiB each) */
#define HTTP_FREE_WINDOWS_MAX 16	/* of which with a regex window */
#define HTTP_USER_AGENT	"KeepAliveClient"	/* as keepalived: server
						 * logs and filters know it */

struct http_regex_cache {
	struct http_regex_cache *next;
	struct http_regex *re;
};

/* env->kinds[CHK_HTTP] and env->kinds[CHK_SSL] */
struct http_kind {
	struct http_tls_ctx *tls;	/* SSL_GET */
	char tls_err[128];		/* why there is none */
	struct http_regex_cache *regexes;
	struct http_run *free_runs;
	unsigned nfree;
	const struct chk_http_observer *obs;
};

enum { PH_CONNECT = 0, PH_HANDSHAKE, PH_SEND, PH_READ, PH_NO_URL };

struct http_run {
	struct http_run *next_free;
	struct chk_probe *p;
	struct http_kind *k;
	const struct chk_url_conf *url;
	int phase;
	struct event *ev;
	struct http_tls *tls;
	struct md5_ctx md5;
	int want_md5, want_body;
	struct http_regex_run *rx;	/* kept for the next run */
	const struct http_regex *rx_re;
	int rx_on;			/* this url has a regex */
	size_t req_len, req_off;
	char req[HTTP_REQ_MAX];
	struct http_reply reply;
};

static void run_event(evutil_socket_t fd, short what, void *arg);

/* ---- kind state -------------------------------------------------------- */

static struct http_kind *
kind_state(struct chk_env *env, enum chk_checker_kind kind)
{
	struct http_kind *k = env->kinds[kind];

	if (k == NULL && (k = calloc(1, sizeof(*k))) != NULL)
		env->kinds[kind] = k;
	return k;
}

static void
run_free(struct http_run *r)
{
	if (r == NULL)
		return;
	free(r->ev);
	http_regex_run_free(r->rx);
	free(r);
}

static void
http_kind_free(struct chk_env *env, enum chk_checker_kind kind)
{
	struct http_kind *k = env->kinds[kind];
	struct http_regex_cache *c;
	struct http_run *r;

	if (k == NULL)
		return;
	while ((r = k->free_runs) != NULL) {
		k->free_runs = r->next_free;
		run_free(r);
	}
	while ((c = k->regexes) != NULL) {
		k->regexes = c->next;
		http_regex_free(c->re);
		free(c);
	}
	http_tls_ctx_free(k->tls);
	free(k);
	env->kinds[kind] = NULL;
}

int
chk_http_observe(struct chk_env *env, enum chk_checker_kind kind,
    const struct chk_http_observer *o)
{
	struct http_kind *k = kind_state(env, kind);

	if (k == NULL)
		return -1;
	k->obs = o;
	return 0;
}

static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* The compiled regex of url u, compiled once per child. */
static const struct http_regex *
regex_get(struct http_kind *k, const struct chk_url_conf *u, char *err,
    size_t errlen)
{
	struct http_regex_cache *c;
	struct http_regex *re;

	for (c = k->regexes; c != NULL; c = c->next)
		if (strcmp(http_regex_pattern(c->re), u->regex) == 0 &&
		    str_eq(http_regex_options(c->re), u->regex_options) &&
		    http_regex_stack_max(c->re) == u->regex_stack_max)
			return c->re;
	re = http_regex_compile(u->regex, u->regex_options,
	    u->regex_stack_start, u->regex_stack_max, err, errlen);
	if (re == NULL)
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		http_regex_free(re);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->re = re;
	c->next = k->regexes;
	k->regexes = c;
	return re;
}

/* The TLS context from the running configuration's SSL block. */
static struct http_tls_ctx *
tls_get(struct http_kind *k, const struct chk_env *env)
{
	const struct chk_ssl_conf *ssl = env->conf != NULL ? &env->conf->ssl :
	    NULL;

	if (k->tls != NULL && http_tls_ctx_same(k->tls, ssl))
		return k->tls;
	http_tls_ctx_free(k->tls);
	k->tls = http_tls_ctx_new(ssl, k->tls_err, sizeof(k->tls_err));
	return k->tls;
}

/* ---- runs ------------------------------------------------------------ */

static struct http_run *
run_get(struct http_kind *k)
{
	struct http_run *r = k->free_runs;

	if (r != NULL) {
		k->free_runs = r->next_free;
		k->nfree--;
		return r;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if ((r->ev = calloc(1, event_get_struct_event_size())) == NULL) {
		free(r);
		return NULL;
	}
	r->k = k;
	return r;
}

/* Stop what the current url's connection does (the fd stays open). */
static void
conn_stop(struct http_run *r)
{
	if (event_initialized(r->ev))
		event_del(r->ev);
	http_tls_free(r->tls);
	r->tls = NULL;
}

static void
run_put(struct http_run *r)
{
	struct http_kind *k = r->k;

	conn_stop(r);
	r->p->kstate = NULL;
	r->p = NULL;
	if (k->nfree >= HTTP_FREE_RUNS_MAX) {
		run_free(r);
		return;
	}
	if (k->nfree >= HTTP_FREE_WINDOWS_MAX && r->rx != NULL) {
		/* a regex window is 64 KiB: few are kept idle */
		http_regex_run_free(r->rx);
		r->rx = NULL;
		r->rx_re = NULL;
	}
	r->next_free = k->free_runs;
	k->free_runs = r;
	k->nfree++;
}

static void run_fail(struct http_run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* End the run with a failure. */
static void
run_fail(struct http_run *r, const char *fmt, ...)
{
	struct chk_probe *p = r->p;
	char why[CHK_REASON_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	run_put(r);
	chk_probe_done(p, 0, "%s", why);
}

static int
watch(struct http_run *r, short what)
{
	if (event_initialized(r->ev))
		event_del(r->ev);
	if (event_assign(r->ev, r->p->env->base, r->p->fd, what, run_event,
	    r) < 0 || event_add(r->ev, NULL) < 0)
		return -1;
	return 0;
}

const char *
chk_http_status_str(const struct chk_url_conf *u, char *buf, size_t len)
{
	size_t o = 0;
	int v, lo;

	buf[0] = '\0';
	for (v = CHK_STATUS_MIN; v <= CHK_STATUS_MAX; v++) {
		if (!(u->status[v / 8] & (1u << (v % 8))))
			continue;
		lo = v;
		while (v + 1 <= CHK_STATUS_MAX &&
		    (u->status[(v + 1) / 8] & (1u << ((v + 1) % 8))))
			v++;
		if (o < len)
			o += (size_t)snprintf(buf + o, len - o, lo == v ?
			    "%s%d" : "%s%d-%d", o > 0 ? "," : "", lo, v);
	}
	if (o >= len && len > 4)
		memcpy(buf + len - 4, "...", 4);
	return buf;
}

static int
status_ok(const struct chk_url_conf *u, int status)
{
	return status >= CHK_STATUS_MIN && status <= CHK_STATUS_MAX &&
	    (u->status[status / 8] & (1u << (status % 8))) != 0;
}

static void
on_body(void *arg, const unsigned char *data, size_t len)
{
	struct http_run *r = arg;

	if (r->want_md5)
		md5_update(&r->md5, data, len);
	if (r->rx_on)
		http_regex_feed(r->rx, data, len);
}

/* The GET as keepalived sends it. 0, or -1 with the reason set. */
static int
build_request(struct http_run *r)
{
	const struct chk_probe *p = r->p;
	const struct chk_url_conf *u = r->url;
	const char *vh = u->virtualhost;
	enum chk_http_proto proto = p->conf->u.http.proto;
	char host[ADDR_STRLEN + 16], a[ADDR_STRLEN];
	const char *s;
	int n;

	for (s = u->path; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f) {
			chk_probe_fail(r->p, "url path %.40s: a space or a "
			    "control character", u->path);
			return -1;
		}
	if (vh != NULL)
		snprintf(host, sizeof(host), "%s", vh);
	else if (p->addr.family == AF_INET6)
		snprintf(host, sizeof(host), "[%s]:%u", addr_ntop(&p->addr, a,
		    sizeof(a)), p->port);
	else
		snprintf(host, sizeof(host), "%s:%u", addr_ntop(&p->addr, a,
		    sizeof(a)), p->port);
	n = snprintf(r->req, sizeof(r->req), "GET %s HTTP/1.%d\r\n"
	    "User-Agent: " HTTP_USER_AGENT "\r\n%sHost: %s\r\n\r\n", u->path,
	    proto == CHK_HTTP_11 ? 1 : 0, proto == CHK_HTTP_10 ? "" :
	    "Connection: close\r\n", host);
	if (n < 0 || (size_t)n >= sizeof(r->req)) {
		chk_probe_fail(r->p, "url path %.40s...: request over %d "
		    "bytes", u->path, HTTP_REQ_MAX);
		return -1;
	}
	r->req_len = (size_t)n;
	r->req_off = 0;
	return 0;
}

/* Connect for r->url. 0, or -1 with the reason set. */
static int
url_begin(struct http_run *r)
{
	const struct chk_url_conf *u = r->url;
	const struct http_regex *re = NULL;
	char err[160];

	conn_stop(r);
	if (build_request(r) < 0)
		return -1;
	r->want_md5 = u->has_digest || r->k->obs != NULL;
	if (r->want_md5)
		md5_init(&r->md5);
	if (u->regex != NULL && http_regex_supported()) {
		re = regex_get(r->k, u, err, sizeof(err));
		if (re == NULL) {
			chk_probe_fail(r->p, "%s: %s", u->path, err);
			return -1;
		}
		if (r->rx != NULL && r->rx_re != re) {
			http_regex_run_free(r->rx);
			r->rx = NULL;
		}
		if (r->rx == NULL) {
			r->rx = http_regex_run_new(re, u->regex_min_offset,
			    u->regex_max_offset);
			if (r->rx == NULL) {
				chk_probe_fail(r->p, "out of memory");
				return -1;
			}
			r->rx_re = re;
		} else
			http_regex_run_reset(r->rx);
	}
	r->rx_on = re != NULL;
	r->want_body = r->want_md5 || re != NULL;
	http_reply_init(&r->reply, on_body, r);
	if (chk_probe_socket(r->p, SOCK_STREAM, IPPROTO_TCP) < 0)
		return -1;
	r->phase = PH_CONNECT;
	if (watch(r, EV_WRITE) < 0) {
		chk_probe_fail(r->p, "cannot watch the socket");
		return -1;
	}
	return 0;
}

/* The reply of r->url was read: judge it, then go on or end. */
static void
url_end(struct http_run *r)
{
	const struct chk_url_conf *u = r->url;
	struct http_reply *rp = &r->reply;
	unsigned char md[MD5_DIGEST_LEN];
	char sb[64], hex[2 * MD5_DIGEST_LEN + 1];
	int matched, i;

	if (r->want_md5)
		md5_final(&r->md5, md);
	if (r->k->obs != NULL && r->k->obs->on_reply != NULL)
		r->k->obs->on_reply(r->k->obs->arg, u, rp, md);
	if (!status_ok(u, rp->status)) {
		run_fail(r, "%s: status %d, expected %s", u->path, rp->status,
		    chk_http_status_str(u, sb, sizeof(sb)));
		return;
	}
	if (u->has_digest && memcmp(md, u->digest, sizeof(md)) != 0) {
		for (i = 0; i < MD5_DIGEST_LEN; i++)
			snprintf(hex + 2 * i, 3, "%02x", md[i]);
		run_fail(r, "%s: digest mismatch (body %s%s)", u->path, hex,
		    rp->truncated ? ", cut short" : "");
		return;
	}
	if (r->rx_on) {
		matched = http_regex_finish(r->rx);
		if (matched && u->regex_no_match) {
			run_fail(r, "%s: regex matched (regex_no_match)",
			    u->path);
			return;
		}
		if (!matched && !u->regex_no_match) {
			run_fail(r, "%s: regex not matched", u->path);
			return;
		}
	}
	if (u->next != NULL) {
		r->url = u->next;
		if (url_begin(r) < 0)
			run_fail(r, "%s", r->p->reason);
		return;
	}
	{
		struct chk_probe *p = r->p;

		run_put(r);
		chk_probe_done(p, 1, NULL);
	}
}

/* Parse what arrived. 1: the url is judged (r may be gone), 0: more. */
static int
take(struct http_run *r, const unsigned char *buf, size_t n, int eof)
{
	struct http_reply *rp = &r->reply;
	enum http_reply_result res;

	if (n > 0 && r->k->obs != NULL && r->k->obs->on_bytes != NULL)
		r->k->obs->on_bytes(r->k->obs->arg, buf, n, rp);
	res = eof ? http_reply_eof(rp) : http_reply_feed(rp, buf, n);
	if (res == HTTP_REPLY_ERROR) {
		run_fail(r, "%s: %s", r->url->path, rp->error);
		return 1;
	}
	/* the status alone may settle it; the body only matters for a
	 * digest or a regex */
	if (res == HTTP_REPLY_DONE || (rp->headers_done &&
	    (!r->want_body || !status_ok(r->url, rp->status)))) {
		url_end(r);
		return 1;
	}
	return 0;
}

static void
do_read(struct http_run *r)
{
	unsigned char buf[HTTP_READ_CHUNK];
	char err[160], eb[96];
	enum http_io io;
	size_t got;
	ssize_t n;
	int i;

	for (i = 0; i < HTTP_READS_PER_WAKE; i++) {
		if (r->tls != NULL) {
			io = http_tls_read(r->tls, buf, sizeof(buf), &got, err,
			    sizeof(err));
			if (io == HTTP_IO_WANT_READ || io == HTTP_IO_WANT_WRITE) {
				if (watch(r, io == HTTP_IO_WANT_READ ? EV_READ :
				    EV_WRITE) < 0)
					run_fail(r, "cannot watch the socket");
				return;
			}
			if (io == HTTP_IO_ERROR) {
				run_fail(r, "%s: TLS read: %s", r->url->path,
				    err);
				return;
			}
			if (take(r, buf, got, io == HTTP_IO_EOF))
				return;
			continue;
		}
		n = read(r->p->fd, buf, sizeof(buf));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n < 0) {
			run_fail(r, "%s: read: %s", r->url->path,
			    chk_probe_strerror(errno, eb, sizeof(eb)));
			return;
		}
		if (take(r, buf, (size_t)n, n == 0))
			return;
	}
	if (watch(r, EV_READ) < 0) {
		run_fail(r, "cannot watch the socket");
		return;
	}
	/* decrypted bytes waiting in OpenSSL: no socket event will come */
	if (r->tls != NULL && http_tls_pending(r->tls))
		event_active(r->ev, EV_READ, 1);
}

static void
do_send(struct http_run *r)
{
	char err[160], eb[96];
	enum http_io io;
	size_t done;
	ssize_t n;

	while (r->req_off < r->req_len) {
		if (r->tls != NULL) {
			io = http_tls_write(r->tls, r->req + r->req_off,
			    r->req_len - r->req_off, &done, err, sizeof(err));
			if (io == HTTP_IO_WANT_READ || io == HTTP_IO_WANT_WRITE) {
				if (watch(r, io == HTTP_IO_WANT_READ ? EV_READ :
				    EV_WRITE) < 0)
					run_fail(r, "cannot watch the socket");
				return;
			}
			if (io != HTTP_IO_OK) {
				run_fail(r, "%s: TLS write: %s", r->url->path,
				    err);
				return;
			}
			r->req_off += done;
			continue;
		}
		n = send(r->p->fd, r->req + r->req_off, r->req_len - r->req_off,
		    MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (watch(r, EV_WRITE) < 0)
				run_fail(r, "cannot watch the socket");
			return;
		}
		if (n < 0) {
			run_fail(r, "%s: send: %s", r->url->path,
			    chk_probe_strerror(errno, eb, sizeof(eb)));
			return;
		}
		r->req_off += (size_t)n;
	}
	r->phase = PH_READ;
	do_read(r);
}

static void
do_handshake(struct http_run *r)
{
	char err[160];
	enum http_io io;

	io = http_tls_handshake(r->tls, err, sizeof(err));
	switch (io) {
	case HTTP_IO_OK:
		r->phase = PH_SEND;
		do_send(r);
		return;
	case HTTP_IO_WANT_READ:
	case HTTP_IO_WANT_WRITE:
		if (watch(r, io == HTTP_IO_WANT_READ ? EV_READ : EV_WRITE) < 0)
			run_fail(r, "cannot watch the socket");
		return;
	default:
		run_fail(r, "TLS handshake failed: %s", err);
		return;
	}
}

static void
connected(struct http_run *r)
{
	const struct chk_probe *p = r->p;
	socklen_t len = sizeof(int);
	char eb[96], err[160];
	int e = 0;

	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
		e = errno;
	if (e != 0) {
		run_fail(r, "%s", chk_probe_strerror(e, eb, sizeof(eb)));
		return;
	}
	if (p->conf->kind != CHK_SSL) {
		r->phase = PH_SEND;
		do_send(r);
		return;
	}
	r->tls = http_tls_new(r->k->tls, p->fd, p->conf->u.http.enable_sni ?
	    r->url->virtualhost : NULL, p->conf->u.http.tls_compliant, err,
	    sizeof(err));
	if (r->tls == NULL) {
		run_fail(r, "TLS: %s", err);
		return;
	}
	r->phase = PH_HANDSHAKE;
	do_handshake(r);
}

static void
run_event(evutil_socket_t fd, short what, void *arg)
{
	struct http_run *r = arg;

	(void)fd;
	(void)what;
	switch (r->phase) {
	case PH_CONNECT:
		connected(r);
		break;
	case PH_HANDSHAKE:
		do_handshake(r);
		break;
	case PH_SEND:
		do_send(r);
		break;
	case PH_READ:
		do_read(r);
		break;
	case PH_NO_URL: {
		struct chk_probe *p = r->p;

		run_put(r);
		chk_probe_done(p, 1, NULL);
		break;
	}
	}
}

/* ---- the kinds ---------------------------------------------------------- */

static int
http_start(struct chk_probe *p)
{
	const struct chk_checker_conf *ck = p->conf;
	struct http_kind *k = kind_state(p->env, ck->kind);
	unsigned long long per_url = ck->conn.connect_timeout;
	struct http_run *r;

	if (k == NULL) {
		chk_probe_fail(p, "out of memory");
		return -1;
	}
	if (ck->kind == CHK_SSL && tls_get(k, p->env) == NULL) {
		chk_probe_fail(p, "TLS: %s", k->tls_err);
		return -1;
	}
	/* keepalived's connect_timeout bounds each url's exchange */
	if (per_url == CHK_TIMER_UNSET || per_url == 0)
		per_url = CHK_DEF_CONNECT_TIMEOUT;
	p->timeout = per_url * (ck->u.http.nurls > 0 ? ck->u.http.nurls : 1);
	if ((r = run_get(k)) == NULL) {
		chk_probe_fail(p, "out of memory");
		return -1;
	}
	r->p = p;
	p->kstate = r;
	r->url = ck->u.http.urls;
	if (r->url == NULL) {
		/* keepalived: no url to check, the server is up (from the
		 * loop: never done inside start) */
		r->phase = PH_NO_URL;
		if (event_assign(r->ev, p->env->base, -1, 0, run_event, r) < 0) {
			run_put(r);
			chk_probe_fail(p, "cannot schedule the result");
			return -1;
		}
		event_active(r->ev, EV_TIMEOUT, 1);
		return 0;
	}
	if (url_begin(r) < 0) {
		run_put(r);
		return -1;
	}
	return 0;
}

static void
http_cancel(struct chk_probe *p)
{
	struct http_run *r = p->kstate;

	if (r != NULL)
		run_put(r);
}

static void
http_kind_free_http(struct chk_env *env)
{
	http_kind_free(env, CHK_HTTP);
}

static void
http_kind_free_ssl(struct chk_env *env)
{
	http_kind_free(env, CHK_SSL);
}

const struct chk_kind chk_kind_http = {
	.kind = CHK_HTTP,
	.name = "HTTP_GET",
	.start = http_start,
	.cancel = http_cancel,
	.release = http_cancel,
	.kind_free = http_kind_free_http,
	.fds = 1,
};

const struct chk_kind chk_kind_ssl = {
	.kind = CHK_SSL,
	.name = "SSL_GET",
	.start = http_start,
	.cancel = http_cancel,
	.release = http_cancel,
	.kind_free = http_kind_free_ssl,
	.fds = 1,
};
