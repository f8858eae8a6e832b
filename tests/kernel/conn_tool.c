/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Long-lived TCP connections through a VIP, for the failover tests
 * (tests/kernel/ipvs_sync.sh; ipvs_vigild.sh: through a VIP across a
 * reload and a restart of vigild -I).
 *
 *	conn_tool serve PORT
 *		An echo server (epoll, one process): every byte read is
 *		written back. It holds at most the open-files limit less a
 *		margin; a connection past that is closed at once and counted.
 *	conn_tool client ADDR PORT N STOPFILE
 *		Opens N connections to ADDR:PORT (64 connecting at a time),
 *		then in rounds sends one byte on each and reads it back.
 *		Prints "ready: N open, every one echoed" once all of them
 *		answered, and one line per round. When STOPFILE exists it
 *		runs a last round that waits up to 120 s for every
 *		connection to echo every byte sent, prints
 *		"final: N opened, S survived, D dead, L silent" with the
 *		first few failures by index and reason, and exits 0 only
 *		if all N survived.
 *
 * Time bounds only limit how long it waits; no figure is asserted.
 */
#define _GNU_SOURCE 1
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CONNECTING_MAX	64
#define ROUND_SECS	10
#define FINAL_SECS	120
#define OPEN_SECS	300

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1024;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		getrlimit(RLIMIT_NOFILE, &rl);
	return rl.rlim_cur > 1000000 ? 1000000 : (unsigned)rl.rlim_cur;
}

/* ---- serve ------------------------------------------------------------- */

static int
serve(unsigned port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct epoll_event ev, evs[256];
	unsigned limit = raise_nofile(), open = 0, turned = 0;
	int one = 1, ls, ep;

	/* the listener, epoll, stdio and a margin */
	limit = limit > 32 ? limit - 32 : 1;
	sa.sin_port = htons((uint16_t)port);
	if ((ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) < 0 ||
	    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(ls, 1024) < 0 || (ep = epoll_create1(0)) < 0) {
		fprintf(stderr, "serve: port %u: %s\n", port, strerror(errno));
		return 1;
	}
	ev.events = EPOLLIN;
	ev.data.fd = ls;
	epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
	printf("listening on %u (at most %u connections)\n", port, limit);
	fflush(stdout);
	for (;;) {
		int n = epoll_wait(ep, evs, 256, -1);

		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			char buf[4096];
			ssize_t r;

			if (fd == ls) {
				int c;

				while ((c = accept4(ls, NULL, NULL,
				    SOCK_NONBLOCK)) >= 0) {
					if (open >= limit) {
						close(c);
						if (turned++ == 0)
							fprintf(stderr, "serve: "
							    "%u connections: "
							    "closing new ones\n",
							    open);
						continue;
					}
					ev.events = EPOLLIN;
					ev.data.fd = c;
					epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
					open++;
				}
				continue;
			}
			r = read(fd, buf, sizeof(buf));
			if (r > 0) {
				/* a byte or a few: the socket buffer takes
				 * them */
				if (write(fd, buf, (size_t)r) == r)
					continue;
			} else if (r < 0 && errno == EAGAIN)
				continue;
			close(fd);
			open--;
		}
	}
}

/* ---- client ------------------------------------------------------------ */

enum cstate { C_NEW, C_CONNECTING, C_OPEN, C_DEAD };

struct conn {
	int fd;
	enum cstate st;
	unsigned sent, got;
	char why[48];
};

static struct conn *conns;
static unsigned nconns;

static void
kill_conn(int ep, struct conn *c, const char *why, int err)
{
	if (c->st == C_DEAD)
		return;
	snprintf(c->why, sizeof(c->why), "%s%s%s", why, err ? ": " : "",
	    err ? strerror(err) : "");
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	c->st = C_DEAD;
}

/* Reads what c's echo brought; 0, or -1 when it died. */
static int
drain(int ep, struct conn *c)
{
	char buf[256];
	ssize_t r;

	for (;;) {
		r = read(c->fd, buf, sizeof(buf));
		if (r > 0) {
			c->got += (unsigned)r;
			continue;
		}
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		kill_conn(ep, c, r == 0 ? "closed by the peer" : "read", r == 0
		    ? 0 : errno);
		return -1;
	}
}

static int
start_connect(int ep, struct conn *c, const struct sockaddr_in *sa)
{
	struct epoll_event ev;
	int one = 1;

	if ((c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) < 0)
		return -1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0 &&
	    errno != EINPROGRESS) {
		kill_conn(ep, c, "connect", errno);
		return 0;
	}
	ev.events = EPOLLOUT | EPOLLIN;
	ev.data.u32 = (uint32_t)(c - conns);
	epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
	c->st = C_CONNECTING;
	return 0;
}

static void
connected(int ep, struct conn *c)
{
	struct epoll_event ev;
	int err = 0;
	socklen_t len = sizeof(err);

	getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
	if (err != 0) {
		kill_conn(ep, c, "connect", err);
		return;
	}
	c->st = C_OPEN;
	ev.events = EPOLLIN;
	ev.data.u32 = (uint32_t)(c - conns);
	epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Events for up to ms; connecting ones complete, echoes are counted. */
static void
pump(int ep, int ms)
{
	struct epoll_event evs[256];
	int n = epoll_wait(ep, evs, 256, ms);

	for (int i = 0; i < n; i++) {
		struct conn *c = &conns[evs[i].data.u32];

		if (c->st == C_CONNECTING)
			connected(ep, c);
		else if (c->st == C_OPEN)
			drain(ep, c);
	}
}

static unsigned
count(enum cstate st)
{
	unsigned n = 0;

	for (unsigned i = 0; i < nconns; i++)
		n += conns[i].st == st;
	return n;
}

static unsigned
echoed(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < nconns; i++)
		n += conns[i].st == C_OPEN && conns[i].got == conns[i].sent;
	return n;
}

/* One byte on every open connection, then wait up to secs for all the
 * echoes (or for stopfile, when given). */
static void
round_trip(int ep, double secs, const char *stopfile)
{
	static unsigned r;
	double end = now() + secs;
	char b = (char)('a' + r++ % 26);
	struct stat st;

	for (unsigned i = 0; i < nconns; i++) {
		struct conn *c = &conns[i];
		ssize_t w;

		if (c->st != C_OPEN)
			continue;
		w = write(c->fd, &b, 1);
		if (w == 1)
			c->sent++;
		else if (w < 0 && errno != EAGAIN)
			kill_conn(ep, c, "write", errno);
	}
	while (now() < end && echoed() < count(C_OPEN)) {
		if (stopfile != NULL && stat(stopfile, &st) == 0)
			return;
		pump(ep, 200);
	}
}

static void
report_failures(void)
{
	unsigned shown = 0;

	for (unsigned i = 0; i < nconns && shown < 5; i++) {
		struct conn *c = &conns[i];

		if (c->st == C_DEAD) {
			printf("  connection %u: dead (%s)\n", i, c->why);
			shown++;
		} else if (c->got != c->sent) {
			printf("  connection %u: silent (%u of %u bytes "
			    "echoed)\n", i, c->got, c->sent);
			shown++;
		}
	}
}

static int
client(const char *addr, unsigned port, unsigned n, const char *stopfile)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	unsigned limit = raise_nofile(), next = 0, rounds = 0, ok;
	double end;
	struct stat st;
	int ep;

	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		fprintf(stderr, "client: bad address %s\n", addr);
		return 2;
	}
	if (n + 32 > limit) {
		fprintf(stderr, "client: %u connections need %u files, the "
		    "limit is %u\n", n, n + 32, limit);
		return 2;
	}
	if ((conns = calloc(n, sizeof(*conns))) == NULL ||
	    (ep = epoll_create1(0)) < 0)
		return 2;
	nconns = n;
	for (unsigned i = 0; i < n; i++)
		conns[i].fd = -1;
	/* open them, CONNECTING_MAX at a time */
	end = now() + OPEN_SECS;
	while (now() < end && (next < n || count(C_CONNECTING) > 0)) {
		while (next < n && count(C_CONNECTING) < CONNECTING_MAX)
			if (start_connect(ep, &conns[next++], &sa) < 0) {
				fprintf(stderr, "client: socket: %s\n",
				    strerror(errno));
				return 2;
			}
		pump(ep, 200);
	}
	/* every one echoes once before it counts as ready */
	round_trip(ep, OPEN_SECS, NULL);
	if (echoed() != n) {
		printf("open failed: %u of %u open and echoed, %u dead\n",
		    echoed(), n, count(C_DEAD));
		report_failures();
		return 1;
	}
	printf("ready: %u open, every one echoed\n", n);
	fflush(stdout);
	while (stat(stopfile, &st) != 0) {
		round_trip(ep, ROUND_SECS, stopfile);
		printf("round %u: %u echoed, %u dead\n", ++rounds, echoed(),
		    count(C_DEAD));
		fflush(stdout);
		end = now() + 1;
		while (now() < end)
			pump(ep, 200);
	}
	round_trip(ep, FINAL_SECS, NULL);
	ok = echoed();
	printf("final: %u opened, %u survived, %u dead, %u silent\n", n, ok,
	    count(C_DEAD), count(C_OPEN) - ok);
	report_failures();
	fflush(stdout);
	return ok == n ? 0 : 1;
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "serve") == 0)
		return serve((unsigned)atoi(argv[2]));
	if (argc == 6 && strcmp(argv[1], "client") == 0)
		return client(argv[2], (unsigned)atoi(argv[3]),
		    (unsigned)atoi(argv[4]), argv[5]);
	fprintf(stderr, "usage: conn_tool serve PORT | conn_tool client ADDR "
	    "PORT N STOPFILE\n");
	return 2;
}
