/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * http_stress [COUNT [PARALLEL]]: run HTTP_GET probes against a hostile
 * server in this same process (on 127.0.0.1, an ephemeral port) until
 * COUNT (default 10000) have ended, PARALLEL (default 50) at a time. The
 * server answers the connections in turn with: garbage, headers past the
 * line bound, a header line past the length bound, a body far over the
 * reply buffer, a bad chunk size, a body cut short, a good page and a
 * 503. Prints how many of each it served and how each probe ended, and
 * the process's RSS after the first 10% and at the end; exits 1 if a
 * reply ended otherwise than its kind says or RSS grew by more than 5%.
 * For tests/integration/checks_http_memory.sh; not installed.
 */
#include "autoconfig.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "healthcheck/check_http.h"
#include "healthcheck/config.h"
#include "healthcheck/probe.h"
#include "log.h"
#include "loop.h"
#include "md5.h"

#define GOOD_BODY "all good\n"
#define BIG_BODY (256u * 1024)

enum mode {
	M_GARBAGE = 0, M_HEADERS, M_LONG_LINE, M_BIG_BODY, M_BAD_CHUNK,
	M_SHORT, M_GOOD, M_503, M_MAX
};

static const char *const mode_name[M_MAX] = {
	"garbage", "too many headers", "header line too long",
	"body over the buffer", "bad chunk size", "body cut short",
	"good page", "503"
};

/* how a probe of each mode must end (the start of its reason) */
static const char *const mode_reason[M_MAX] = {
	"/: not an HTTP/1.x status line",
	"/: more than 100 header lines",
	"/: header line over 8192 bytes",
	"/: digest mismatch",
	"/: bad chunk size line",
	"/: digest mismatch",
	"",
	"/: status 503, expected 200-299",
};

struct stress {
	struct event_base *base;
	unsigned served[M_MAX], ended[M_MAX], odd;
	unsigned next_mode;
	unsigned count, parallel, started, finished;
	long rss_before;
};

static struct stress S;

static long
rss_kb(void)
{
	FILE *fp = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(fp);
	return kb;
}

/* ---- the hostile server ------------------------------------------------ */

static void
srv_written(struct bufferevent *bev, void *arg)
{
	(void)arg;
	bufferevent_free(bev);
}

static void
srv_event(struct bufferevent *bev, short what, void *arg)
{
	(void)what;
	(void)arg;
	bufferevent_free(bev);
}

static void
srv_reply(struct bufferevent *bev, enum mode m)
{
	struct evbuffer *out = bufferevent_get_output(bev);
	unsigned i;

	switch (m) {
	case M_GARBAGE:
		for (i = 0; i < 64; i++)
			evbuffer_add_printf(out, "%c%c\x01\xfe", 0x16, 3);
		break;
	case M_HEADERS:
		evbuffer_add_printf(out, "HTTP/1.1 200 OK\r\n");
		for (i = 0; i < 150; i++)
			evbuffer_add_printf(out, "X-Filler-%u: aaaa\r\n", i);
		break;
	case M_LONG_LINE:
		evbuffer_add_printf(out, "HTTP/1.1 200 OK\r\nX-Long: ");
		for (i = 0; i < 200; i++)
			evbuffer_add_printf(out, "%050u", i);
		evbuffer_add_printf(out, "\r\n\r\n");
		break;
	case M_BIG_BODY:
		evbuffer_add_printf(out, "HTTP/1.1 200 OK\r\nContent-Length: "
		    "%u\r\n\r\n", BIG_BODY);
		for (i = 0; i < BIG_BODY / 64; i++)
			evbuffer_add_printf(out, "%064u", i);
		break;
	case M_BAD_CHUNK:
		evbuffer_add_printf(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
		    "chunked\r\n\r\n5\r\nhello\r\nxyz\r\n");
		break;
	case M_SHORT:
		evbuffer_add_printf(out, "HTTP/1.1 200 OK\r\nContent-Length: "
		    "1000\r\n\r\nall go");
		break;
	case M_GOOD:
		evbuffer_add_printf(out, "HTTP/1.0 200 OK\r\nContent-Length: "
		    "%zu\r\n\r\n" GOOD_BODY, strlen(GOOD_BODY));
		break;
	case M_503:
		evbuffer_add_printf(out, "HTTP/1.0 503 Busy\r\n\r\nbusy\n");
		break;
	default:
		break;
	}
}

/* Answer once the whole request is in (closing on an unread request
 * would reset the connection and lose the reply). */
static void
srv_read(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	struct evbuffer_ptr end;
	enum mode m;

	(void)arg;
	end = evbuffer_search(in, "\r\n\r\n", 4, NULL);
	if (end.pos < 0)
		return;
	evbuffer_drain(in, evbuffer_get_length(in));
	m = (enum mode)(S.next_mode++ % M_MAX);
	S.served[m]++;
	srv_reply(bev, m);
	bufferevent_setcb(bev, NULL, srv_written, srv_event, NULL);
	bufferevent_disable(bev, EV_READ);
}

static void
srv_accept(evutil_socket_t lfd, short what, void *arg)
{
	struct bufferevent *bev;
	int fd;

	(void)what;
	(void)arg;
	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >=
	    0) {
		bev = bufferevent_socket_new(S.base, fd, BEV_OPT_CLOSE_ON_FREE);
		if (bev == NULL) {
			close(fd);
			continue;
		}
		bufferevent_setcb(bev, srv_read, NULL, srv_event, NULL);
		bufferevent_enable(bev, EV_READ);
	}
}

/* ---- the probes -------------------------------------------------------- */

static void
classify(const struct chk_probe *p)
{
	int m;

	/* the two digest mismatches: a body cut short says so */
	if (!p->ok && strncmp(p->reason, "/: digest mismatch", 18) == 0) {
		S.ended[strstr(p->reason, "cut short") != NULL ? M_SHORT :
		    M_BIG_BODY]++;
		return;
	}
	for (m = 0; m < M_MAX; m++) {
		if (m == M_GOOD ? p->ok : !p->ok && strncmp(p->reason,
		    mode_reason[m], strlen(mode_reason[m])) == 0) {
			S.ended[m]++;
			return;
		}
	}
	S.odd++;
	fprintf(stderr, "unexpected: %s %s\n", p->ok ? "OK" : "FAIL",
	    p->reason);
}

static void
probe_done(struct chk_probe *p, void *arg)
{
	(void)arg;
	classify(p);
	S.finished++;
	if (S.finished == S.count / 10)
		S.rss_before = rss_kb();
	if (S.started < S.count) {
		S.started++;
		if (chk_probe_start(p, probe_done, NULL) < 0) {
			classify(p);
			S.finished++;
		}
	}
}

int
main(int argc, char **argv)
{
	struct chk_url_conf url;
	struct chk_checker_conf ck;
	struct chk_rs_conf rs;
	struct chk_vs_conf vs;
	struct chk_env env;
	struct chk_probe *probes;
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	struct event *lev;
	const struct chk_kind *kd;
	long rss_after;
	unsigned i;
	int lfd, rc = 0;

	S.count = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 10000;
	S.parallel = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 50;
	if (S.count < 100 || S.parallel == 0 || S.parallel > S.count) {
		fprintf(stderr, "usage: http_stress [COUNT>=100 [PARALLEL]]\n");
		return 2;
	}
	log_init("http_stress", LOG_F_STDERR, LOG_DAEMON, 0);
	S.base = loop_new();
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (S.base == NULL || lfd < 0 ||
	    bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(lfd, 1024) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &sl) < 0) {
		perror("http_stress: listener");
		return 1;
	}
	lev = event_new(S.base, lfd, EV_READ | EV_PERSIST, srv_accept, NULL);
	event_add(lev, NULL);

	memset(&url, 0, sizeof(url));
	memset(&ck, 0, sizeof(ck));
	memset(&rs, 0, sizeof(rs));
	memset(&vs, 0, sizeof(vs));
	memset(&env, 0, sizeof(env));
	env.base = S.base;
	url.path = "/";
	url.has_digest = 1;
	md5(GOOD_BODY, strlen(GOOD_BODY), url.digest);
	for (i = 200; i <= 299; i++)
		url.status[i / 8] |= (unsigned char)(1u << (i % 8));
	ck.kind = CHK_HTTP;
	ck.conn.connect_timeout = 10 * 1000000ULL;
	ck.u.http.urls = &url;
	ck.u.http.nurls = 1;
	rs.addr.family = AF_INET;
	rs.addr.u.v4 = sin.sin_addr;
	rs.port = ntohs(sin.sin_port);
	ck.conn.connect_port = rs.port;

	probes = calloc(S.parallel, sizeof(*probes));
	if (probes == NULL)
		return 1;
	for (i = 0; i < S.parallel; i++) {
		chk_probe_init(&probes[i], &env, &vs, &rs, &ck);
		S.started++;
		if (chk_probe_start(&probes[i], probe_done, NULL) < 0) {
			classify(&probes[i]);
			S.finished++;
		}
	}
	/* every probe is bounded by its timeout */
	while (S.finished < S.count &&
	    event_base_loop(S.base, EVLOOP_ONCE) == 0)
		;
	rss_after = rss_kb();

	for (i = 0; i < M_MAX; i++) {
		printf("%-22s served %5u, ended so %5u\n", mode_name[i],
		    S.served[i], S.ended[i]);
		if (S.served[i] != S.ended[i] || S.served[i] == 0)
			rc = 1;
	}
	printf("unexpected endings: %u\n", S.odd);
	printf("rss after %u probes: %ld kB, after %u: %ld kB\n",
	    S.count / 10, S.rss_before, S.count, rss_after);
	if (S.odd != 0)
		rc = 1;
	if (S.rss_before <= 0 || rss_after > S.rss_before +
	    S.rss_before / 20) {
		printf("RSS grew by more than 5%%\n");
		rc = 1;
	}

	for (i = 0; i < S.parallel; i++)
		chk_probe_release(&probes[i]);
	free(probes);
	if ((kd = chk_kind_find(CHK_HTTP)) != NULL && kd->kind_free != NULL)
		kd->kind_free(&env);
	event_free(lev);
	close(lfd);
	event_base_free(S.base);
	return rc;
}
