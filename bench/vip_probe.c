/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The client of bench/failover: sends an ICMP echo request to each target
 * address every INTERVAL microseconds (on an absolute CLOCK_MONOTONIC
 * schedule; a late send skips ahead rather than bursting) and measures the
 * gaps between consecutive echo replies from each target. Runs until
 * SIGINT / SIGTERM or SECONDS have passed, then prints one line per target:
 *
 *   ADDR sent N replies M maxgap_us G open_us O gaps_over_us:T K
 *
 * G is the longest time between two consecutive replies, O the time from
 * the last reply to the end of the run (a gap still open), K how many gaps
 * were longer than T (4 intervals). Needs a raw ICMP socket (root or
 * CAP_NET_RAW). Usage: vip_probe [-i INTERVAL_US] [-d SECONDS] ADDR...
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_TARGETS 16

struct target {
	struct sockaddr_in sin;
	uint64_t sent, replies;
	uint64_t last;		/* usec of the last reply, 0 before the first */
	uint64_t maxgap, over;
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t
now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint16_t
cksum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len == 1)
		sum += (uint32_t)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static void
send_echo(int fd, struct target *t, uint16_t id, uint16_t seq)
{
	uint8_t pkt[16];
	struct icmphdr *h = (struct icmphdr *)pkt;

	memset(pkt, 0, sizeof(pkt));
	h->type = ICMP_ECHO;
	h->un.echo.id = htons(id);
	h->un.echo.sequence = htons(seq);
	h->checksum = cksum(pkt, sizeof(pkt));
	/* a full socket buffer or no route yet: counted as sent, no reply */
	(void)sendto(fd, pkt, sizeof(pkt), MSG_DONTWAIT,
	    (const struct sockaddr *)&t->sin, sizeof(t->sin));
	t->sent++;
}

static void
on_reply(struct target *tg, int n, const uint8_t *buf, size_t len,
    const struct sockaddr_in *from, uint16_t id, uint64_t gapmark)
{
	const struct iphdr *ip = (const struct iphdr *)buf;
	const struct icmphdr *h;
	size_t hl;

	if (len < sizeof(*ip))
		return;
	hl = (size_t)ip->ihl * 4;
	if (hl < sizeof(*ip) || len < hl + sizeof(*h))
		return;
	h = (const struct icmphdr *)(buf + hl);
	if (h->type != ICMP_ECHOREPLY || ntohs(h->un.echo.id) != id)
		return;
	for (int i = 0; i < n; i++) {
		struct target *t = &tg[i];
		uint64_t now;

		if (t->sin.sin_addr.s_addr != from->sin_addr.s_addr)
			continue;
		now = now_usec();
		if (t->last != 0) {
			uint64_t gap = now - t->last;

			if (gap > t->maxgap)
				t->maxgap = gap;
			if (gap > gapmark)
				t->over++;
		}
		t->last = now;
		t->replies++;
		return;
	}
}

int
main(int argc, char **argv)
{
	struct target tg[MAX_TARGETS];
	uint64_t interval = 2000, seconds = 60, start, next, end, now;
	uint16_t id = (uint16_t)(getpid() & 0xffff), seq = 0;
	struct sigaction sa;
	int fd, n = 0, opt;

	while ((opt = getopt(argc, argv, "i:d:")) != -1) {
		switch (opt) {
		case 'i':
			interval = strtoull(optarg, NULL, 10);
			break;
		case 'd':
			seconds = strtoull(optarg, NULL, 10);
			break;
		default:
			goto usage;
		}
	}
	if (interval < 100 || interval > 1000000 || seconds < 1 ||
	    seconds > 3600 || optind >= argc || argc - optind > MAX_TARGETS)
		goto usage;
	memset(tg, 0, sizeof(tg));
	for (int i = optind; i < argc; i++, n++) {
		tg[n].sin.sin_family = AF_INET;
		if (inet_pton(AF_INET, argv[i], &tg[n].sin.sin_addr) != 1)
			goto usage;
	}
	if ((fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)) < 0) {
		perror("vip_probe: raw ICMP socket");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* the parent's print-and-go: a line on stdout says we are sending */
	printf("vip_probe: %d target(s) every %llu us\n", n,
	    (unsigned long long)interval);
	fflush(stdout);

	start = next = now_usec();
	end = start + seconds * 1000000u;
	while (!stop && (now = now_usec()) < end) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct timespec wait;
		uint64_t w;

		if (now >= next) {
			for (int i = 0; i < n; i++)
				send_echo(fd, &tg[i], id, seq);
			seq++;
			next += interval;
			if (next <= now)	/* fell behind: skip, never burst */
				next = now + interval - (now - start) % interval;
		}
		w = next > now ? next - now : 0;
		wait.tv_sec = (time_t)(w / 1000000u);
		wait.tv_nsec = (long)(w % 1000000u) * 1000;
		if (ppoll(&pfd, 1, &wait, NULL) <= 0)
			continue;
		for (int k = 0; k < 64; k++) {
			uint8_t buf[1500];
			struct sockaddr_in from;
			socklen_t fl = sizeof(from);
			ssize_t r = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
			    (struct sockaddr *)&from, &fl);

			if (r < 0)
				break;
			on_reply(tg, n, buf, (size_t)r, &from, id, 4 * interval);
		}
	}
	now = now_usec();
	for (int i = 0; i < n; i++) {
		char a[INET_ADDRSTRLEN];
		uint64_t open = tg[i].last != 0 ? now - tg[i].last : now - start;

		inet_ntop(AF_INET, &tg[i].sin.sin_addr, a, sizeof(a));
		printf("%s sent %llu replies %llu maxgap_us %llu open_us %llu "
		    "gaps_over_us:%llu %llu\n", a,
		    (unsigned long long)tg[i].sent,
		    (unsigned long long)tg[i].replies,
		    (unsigned long long)tg[i].maxgap, (unsigned long long)open,
		    (unsigned long long)(4 * interval),
		    (unsigned long long)tg[i].over);
	}
	close(fd);
	return 0;
usage:
	fprintf(stderr, "usage: vip_probe [-i INTERVAL_US] [-d SECONDS] "
	    "ADDR... (at most %d)\n", MAX_TARGETS);
	return 2;
}
