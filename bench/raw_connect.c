/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The raw limit for bench/checks: the least a TCP check can cost. A
 * minimal epoll loop connects to N addresses in turn (10.64.0.0 and up,
 * as bench/checks numbers its real servers), keeps at most INFLIGHT
 * connects open, and on each completion reads SO_ERROR and closes:
 * socket, connect, one epoll_ctl ADD, getsockopt, close per check, as a
 * checker at its cheapest. Runs SECONDS and prints the connects that
 * completed per second, those that failed, the CPU seconds it used (user
 * and system) and the connects that completed.
 * Usage: raw_connect N SECONDS [INFLIGHT] [PORT]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
start_one(int ep, unsigned i, unsigned port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct epoll_event ev = { .events = EPOLLOUT };
	int fd;

	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl((10u << 24) | ((64u << 16) + i));
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 &&
	    errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	ev.data.fd = fd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
		close(fd);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct epoll_event evs[256];
	unsigned n, inflight = 0, max, port, next = 0;
	unsigned long long ok = 0, failed = 0;
	double secs, t0, end;
	int ep;

	if (argc < 3) {
		fprintf(stderr, "usage: raw_connect N SECONDS [INFLIGHT] "
		    "[PORT]\n");
		return 2;
	}
	n = (unsigned)strtoul(argv[1], NULL, 10);
	secs = strtod(argv[2], NULL);
	max = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 1000;
	port = argc > 4 ? (unsigned)strtoul(argv[4], NULL, 10) : 80;
	if (n == 0 || max == 0 || secs <= 0)
		return 2;
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return 1;
	t0 = now();
	end = t0 + secs;
	while (now() < end) {
		while (inflight < max) {
			if (start_one(ep, next, port) < 0) {
				failed++;
				break;
			}
			next = (next + 1) % n;
			inflight++;
		}
		int k = epoll_wait(ep, evs, 256, 100);

		for (int i = 0; i < k; i++) {
			int fd = evs[i].data.fd, err = 0;
			socklen_t len = sizeof(err);

			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) <
			    0 || err != 0)
				failed++;
			else
				ok++;
			close(fd);
			inflight--;
		}
	}
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return 1;
	printf("%.0f %llu %.3f %llu\n", (double)ok / (now() - t0), failed,
	    (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6,
	    (unsigned long long)ok);
	return 0;
}
