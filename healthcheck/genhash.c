/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vigil-genhash: fetch one url as HTTP_GET / SSL_GET would (the checker's
 * own code, run once) and print the MD5 of the body as a url block's
 * digest line. Takes keepalived's genhash options.
 */
#include "autoconfig.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/event.h>

#include "healthcheck/check_http.h"
#include "healthcheck/config.h"
#include "healthcheck/probe.h"
#include "log.h"
#include "loop.h"

#define HEAD_KEEP 8192			/* header bytes shown with -v */

struct genhash {
	int verbose, bare;
	int got;			/* a reply was read */
	int status;
	unsigned long long body_bytes;
	int truncated;
	unsigned char md5[16];
	size_t head_len;
	int head_done;
	char head[HEAD_KEEP];
	int finished;
};

static void
usage(FILE *fp, const char *prog)
{
	fprintf(fp,
	    "usage: %s [options] -s server-address -p port -u url\n"
	    "  -s, --server ADDR          the server's IP address\n"
	    "  -p, --port PORT            its port\n"
	    "  -u, --url PATH             the url's path (\"/health\")\n"
	    "  -S, --use-ssl              HTTPS (SSL_GET)\n"
	    "  -I, --use-sni              send the virtual host as SNI\n"
	    "  -V, --use-virtualhost HOST the Host header (and SNI name)\n"
	    "  -P, --protocol 1.0|1.0c|1.1  HTTP version (default 1.0)\n"
	    "  -t, --timeout SECONDS      connect_timeout (default 5)\n"
	    "  -m, --fwmark MARK          firewall mark on the socket\n"
	    "  -H, --hash md5             the digest (md5 is the only one)\n"
	    "      --bind-ip ADDR         source address (checker's bindto)\n"
	    "  -k, --keepalived-output    print the bare digest, as\n"
	    "                             keepalived's genhash does\n"
	    "  -v, --verbose              show the reply's headers and more\n"
	    "  -h, --help                 this help\n"
	    "Prints \"digest <md5 of the body>\", the line for a url block.\n",
	    prog);
}

static void
on_bytes(void *arg, const unsigned char *data, size_t len,
    const struct http_reply *r)
{
	struct genhash *g = arg;
	size_t n;

	if (!g->verbose || g->head_done || r->headers_done)
		return;
	n = sizeof(g->head) - g->head_len < len ? sizeof(g->head) -
	    g->head_len : len;
	memcpy(g->head + g->head_len, data, n);
	g->head_len += n;
}

static void
on_reply(void *arg, const struct chk_url_conf *url, const struct http_reply *r,
    const unsigned char md5[16])
{
	struct genhash *g = arg;

	(void)url;
	g->got = 1;
	g->status = r->status;
	g->body_bytes = r->body_bytes;
	g->truncated = r->truncated;
	memcpy(g->md5, md5, sizeof(g->md5));
}

static void
done(struct chk_probe *p, void *arg)
{
	struct genhash *g = arg;

	(void)p;
	g->finished = 1;
}

/* The headers kept with -v, up to the blank line. */
static void
print_head(const struct genhash *g)
{
	size_t i, end = g->head_len;

	for (i = 0; i + 1 < g->head_len; i++) {
		if (g->head[i] == '\n' && g->head[i + 1] == '\n') {
			end = i + 1;
			break;
		}
		if (i + 3 < g->head_len && memcmp(g->head + i, "\r\n\r\n", 4) ==
		    0) {
			end = i + 2;
			break;
		}
	}
	printf("---- reply headers ----\n%.*s", (int)end, g->head);
	printf("---- end of headers ----\n");
}

static int
parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	if (*s == '\0' || *s == '-')
		return -1;
	*out = strtoull(s, &end, 10);
	return *end == '\0' && *out <= max ? 0 : -1;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "use-ssl", no_argument, NULL, 'S' },
		{ "use-sni", no_argument, NULL, 'I' },
		{ "server", required_argument, NULL, 's' },
		{ "hash", required_argument, NULL, 'H' },
		{ "use-virtualhost", required_argument, NULL, 'V' },
		{ "port", required_argument, NULL, 'p' },
		{ "url", required_argument, NULL, 'u' },
		{ "fwmark", required_argument, NULL, 'm' },
		{ "protocol", required_argument, NULL, 'P' },
		{ "timeout", required_argument, NULL, 't' },
		{ "keepalived-output", no_argument, NULL, 'k' },
		{ "bind-ip", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	static struct genhash g;
	struct chk_http_observer obs = { on_bytes, on_reply, &g };
	struct chk_url_conf url;
	struct chk_checker_conf ck;
	struct chk_rs_conf rs;
	struct chk_vs_conf vs;
	struct chk_env env;
	struct chk_probe p;
	const struct chk_kind *kd;
	unsigned long long v;
	uint64_t t0;
	int c, have_s = 0, have_p = 0, i, rc = 0;
	char a[ADDR_STRLEN];

	memset(&url, 0, sizeof(url));
	memset(&ck, 0, sizeof(ck));
	memset(&rs, 0, sizeof(rs));
	memset(&vs, 0, sizeof(vs));
	memset(&env, 0, sizeof(env));
	ck.kind = CHK_HTTP;
	ck.conn.connect_timeout = CHK_DEF_CONNECT_TIMEOUT;
	ck.u.http.proto = CHK_HTTP_10;
	ck.u.http.urls = &url;
	ck.u.http.nurls = 1;
	/* every status gives a digest, as keepalived's genhash */
	for (i = CHK_STATUS_MIN; i <= CHK_STATUS_MAX; i++)
		url.status[i / 8] |= (unsigned char)(1u << (i % 8));

	while ((c = getopt_long(argc, argv, "hvSIks:H:V:p:u:m:P:t:", opts,
	    NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		case 'v':
			g.verbose = 1;
			break;
		case 'k':
			g.bare = 1;
			break;
		case 'S':
			ck.kind = CHK_SSL;
			break;
		case 'I':
			ck.u.http.enable_sni = 1;
			break;
		case 's':
			if (addr_parse(optarg, &rs.addr) != 0) {
				fprintf(stderr, "%s: server should be an IP "
				    "address, not %s\n", argv[0], optarg);
				return 2;
			}
			have_s = 1;
			break;
		case 'b':
			if (addr_parse(optarg, &ck.conn.bindto) != 0) {
				fprintf(stderr, "%s: --bind-ip: not an IP "
				    "address: %s\n", argv[0], optarg);
				return 2;
			}
			break;
		case 'H':
			if (strcasecmp(optarg, "md5") != 0) {
				fprintf(stderr, "%s: hash %s is not supported: "
				    "url digests are MD5 (-H md5)\n", argv[0],
				    optarg);
				return 2;
			}
			break;
		case 'V':
			url.virtualhost = optarg;
			ck.u.http.virtualhost = optarg;
			break;
		case 'p':
			if (parse_uint(optarg, 65535, &v) != 0 || v == 0) {
				fprintf(stderr, "%s: invalid port number "
				    "'%s'\n", argv[0], optarg);
				return 2;
			}
			rs.port = (unsigned)v;
			have_p = 1;
			break;
		case 'u':
			url.path = optarg;
			break;
		case 'm':
			if (parse_uint(optarg, 0xffffffffULL, &v) != 0) {
				fprintf(stderr, "%s: invalid fwmark '%s'\n",
				    argv[0], optarg);
				return 2;
			}
			ck.conn.fwmark = (unsigned)v;
			break;
		case 'P':
			if (strcmp(optarg, "1.0") == 0)
				ck.u.http.proto = CHK_HTTP_10;
			else if (strcasecmp(optarg, "1.0c") == 0)
				ck.u.http.proto = CHK_HTTP_10C;
			else if (strcmp(optarg, "1.1") == 0)
				ck.u.http.proto = CHK_HTTP_11;
			else {
				fprintf(stderr, "%s: invalid HTTP protocol "
				    "version '%s' (1.0, 1.0c or 1.1)\n",
				    argv[0], optarg);
				return 2;
			}
			break;
		case 't':
			if (parse_uint(optarg, 86400, &v) != 0 || v == 0) {
				fprintf(stderr, "%s: invalid timeout '%s'\n",
				    argv[0], optarg);
				return 2;
			}
			ck.conn.connect_timeout = v * 1000000ULL;
			break;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument %s\n", argv[0],
		    argv[optind]);
		return 2;
	}
	if (!have_s || !have_p || url.path == NULL) {
		fprintf(stderr, "%s: -s server, -p port and -u url are "
		    "needed\n", argv[0]);
		usage(stderr, argv[0]);
		return 2;
	}
	if (!addr_is_unset(&ck.conn.bindto) &&
	    ck.conn.bindto.family != rs.addr.family) {
		fprintf(stderr, "%s: --bind-ip and -s differ in address "
		    "family\n", argv[0]);
		return 2;
	}
	ck.conn.connect_port = rs.port;
	ck.conn.has_port = 1;

	/* a server closing early must not kill us in a TLS write */
	signal(SIGPIPE, SIG_IGN);
	log_init("vigil-genhash", LOG_F_STDERR, LOG_DAEMON, 0);
	if ((env.base = loop_new()) == NULL) {
		fprintf(stderr, "%s: cannot set up the event loop\n", argv[0]);
		return 1;
	}
	if (chk_http_observe(&env, ck.kind, &obs) != 0) {
		fprintf(stderr, "%s: out of memory\n", argv[0]);
		return 1;
	}
	chk_probe_init(&p, &env, &vs, &rs, &ck);
	t0 = loop_now_usec();
	if (chk_probe_start(&p, done, &g) < 0)
		g.finished = 1;
	/* the probe's timer bounds the loop */
	while (!g.finished && event_base_loop(env.base, EVLOOP_ONCE) == 0)
		;
	if (!g.got) {
		fprintf(stderr, "%s: %s%s: %s\n", argv[0], p.name, url.path,
		    p.reason[0] != '\0' ? p.reason : "no reply");
		rc = 1;
	} else {
		if (g.verbose) {
			print_head(&g);
			printf("status %d, body %llu bytes%s\n", g.status,
			    g.body_bytes, g.truncated ? " (cut short: the "
			    "connection ended before Content-Length)" : "");
		}
		if (!g.bare)
			printf("digest ");
		for (i = 0; i < 16; i++)
			printf("%02x", g.md5[i]);
		printf("\n");
		if (g.status < 200 || g.status > 299)
			fprintf(stderr, "%s: warning: %s%s answered status %d\n",
			    argv[0], addr_ntop(&rs.addr, a, sizeof(a)),
			    url.path, g.status);
		if (g.verbose)
			printf("response time for [%s] = %llu usecs\n",
			    url.path, (unsigned long long)(loop_now_usec() -
			    t0));
	}
	chk_probe_release(&p);
	if ((kd = chk_kind_find(ck.kind)) != NULL && kd->kind_free != NULL)
		kd->kind_free(&env);
	event_base_free(env.base);
	return rc;
}
