/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ipvs_tool SCENARIO: drives lib/ipvs against the kernel for
 * tests/kernel/ipvs_lib.sh, which compares the kernel table with
 * `ipvsadm -Sn` afterwards. Prints what it did and what came back;
 * exits 1 when something read back differs from what was written.
 *
 *   scheds NAME...	one TCP service per scheduler, one batch; prints
 *			"NAME ok" or "NAME error E" per request
 *   table		fwmark, IPv6, NAT/DR/TUN (ipip, gue, gre), persistence,
 *			sh/mh flags, ops, thresholds, pe sip: one batch
 *   readback		dump services and destinations: the table's lines
 *   many N		a service with N destinations, dumped back exactly
 *   errors		a batch whose failing requests are reported by index
 *   errors-chunks	the same over 4,001 requests: the batch goes to the
 *			kernel a chunk at a time as it is queued, the
 *			failures of every chunk reported at the commit
 *   edit		weight and scheduler edited in place
 *   timeouts		set and read back lvs timeouts
 *   daemon IF		start and stop the sync daemon master and backup
 *   flush		remove everything
 *   bulk N R		N services x R destinations (bench/ipvs-sync's table)
 *			in one batch: prints the ms spent queueing and
 *			committing (the floor of vigild's kernel part)
 */
#include "autoconfig.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ipvs.h"

static void
svc4(struct ipvs_svc *s, int proto, const char *a, unsigned port,
    const char *sched)
{
	memset(s, 0, sizeof(*s));
	s->af = AF_INET;
	s->protocol = proto;
	addr_parse(a, &s->addr);
	s->port = port;
	snprintf(s->sched, sizeof(s->sched), "%s", sched);
}

static void
dest(struct ipvs_dest *d, const char *a, unsigned port, int weight,
    enum ipvs_fwd fwd)
{
	memset(d, 0, sizeof(*d));
	addr_parse(a, &d->addr);
	d->port = port;
	d->weight = weight;
	d->fwd = fwd;
}

static void
on_err(void *arg, size_t idx, int err)
{
	const char *const *names = arg;

	if (names != NULL)
		printf("request %zu (%s): %s\n", idx, names[idx], strerror(-err));
	else
		printf("request %zu: %s\n", idx, strerror(-err));
}

static int
commit(struct ipvs *v, const char *const *names)
{
	int r = ipvs_commit(v, on_err, (void *)names);

	printf("commit: %d failed\n", r);
	return r;
}

static int
scheds(struct ipvs *v, int argc, char **argv)
{
	struct ipvs_svc s;
	int i;

	for (i = 0; i < argc; i++) {
		svc4(&s, IPPROTO_TCP, "10.10.0.1", 1000 + (unsigned)i, argv[i]);
		if (ipvs_q_svc(v, IPVS_ADD, &s) != i)
			return 1;
	}
	commit(v, (const char *const *)argv);
	return 0;
}

static int
table(struct ipvs *v)
{
	struct ipvs_svc s;
	struct ipvs_dest d;

	/* NAT, persistence with netmask, thresholds */
	svc4(&s, IPPROTO_TCP, "10.20.0.1", 80, "wrr");
	s.timeout = 300;
	s.netmask = htonl(0xffffff00);
	ipvs_q_svc(v, IPVS_ADD, &s);
	dest(&d, "10.20.1.1", 8080, 3, IPVS_FWD_NAT);
	d.u_thresh = 100;
	d.l_thresh = 10;
	ipvs_q_dest(v, IPVS_ADD, &s, &d);
	dest(&d, "10.20.1.2", 8080, 0, IPVS_FWD_NAT);
	ipvs_q_dest(v, IPVS_ADD, &s, &d);
	/* DR on UDP, one-packet scheduling */
	svc4(&s, IPPROTO_UDP, "10.20.0.2", 53, "rr");
	s.flags = IPVS_SVC_ONEPACKET;
	ipvs_q_svc(v, IPVS_ADD, &s);
	dest(&d, "10.20.2.1", 53, 1, IPVS_FWD_DR);
	ipvs_q_dest(v, IPVS_ADD, &s, &d);
	/* TUN: ipip, gue with a port and checksum, gre with remote csum */
	svc4(&s, IPPROTO_SCTP, "10.20.0.3", 9000, "sh");
	s.flags = IPVS_SVC_SCHED1 | IPVS_SVC_SCHED2;
	ipvs_q_svc(v, IPVS_ADD, &s);
	dest(&d, "10.20.3.1", 9000, 2, IPVS_FWD_TUN);
	ipvs_q_dest(v, IPVS_ADD, &s, &d);
	dest(&d, "10.20.3.2", 9000, 2, IPVS_FWD_TUN);
	d.tun_type = IPVS_TUN_GUE;
	d.tun_port = 6080;
	d.tun_flags = IPVS_TUN_CSUM;
	ipvs_q_dest(v, IPVS_ADD, &s, &d);
	dest(&d, "10.20.3.3", 9000, 2, IPVS_FWD_TUN);
	d.tun_type = IPVS_TUN_GRE;
	d.tun_flags = IPVS_TUN_REMCSUM;
	ipvs_q_dest(v, IPVS_ADD, &s, &d);
	/* fwmark, mh with flags */
	memset(&s, 0, sizeof(s));
	s.af = AF_INET;
	s.fwmark = 7;
	snprintf(s.sched, sizeof(s.sched), "mh");
	s.flags = IPVS_SVC_SCHED2;
	ipvs_q_svc(v, IPVS_ADD, &s);
	dest(&d, "10.20.4.1", 0, 5, IPVS_FWD_DR);
	ipvs_q_dest(v, IPVS_ADD, &s, &d);
	/* IPv6, persistence with prefix, the sip engine on UDP */
	memset(&s, 0, sizeof(s));
	s.af = AF_INET6;
	s.protocol = IPPROTO_UDP;
	addr_parse("fd00::1", &s.addr);
	s.port = 5060;
	snprintf(s.sched, sizeof(s.sched), "lc");
	snprintf(s.pe, sizeof(s.pe), "sip");
	s.timeout = 60;
	s.netmask = 64;
	ipvs_q_svc(v, IPVS_ADD, &s);
	dest(&d, "fd00::10", 5060, 1, IPVS_FWD_NAT);
	ipvs_q_dest(v, IPVS_ADD, &s, &d);
	/* IPv6 fwmark */
	memset(&s, 0, sizeof(s));
	s.af = AF_INET6;
	s.fwmark = 8;
	snprintf(s.sched, sizeof(s.sched), "wlc");
	ipvs_q_svc(v, IPVS_ADD, &s);
	dest(&d, "fd00::20", 0, 1, IPVS_FWD_DR);
	ipvs_q_dest(v, IPVS_ADD, &s, &d);
	return commit(v, NULL) == 0 ? 0 : 1;
}

static int
print_dest(void *arg, const struct ipvs_svc *s, const struct ipvs_dest *d,
    const struct ipvs_dest_stats *st)
{
	char a[ADDR_STRLEN];

	(void)arg;
	(void)s;
	(void)st;
	printf("  -> [%s]:%u fwd %d weight %d u %u l %u tun %d/%u/%u\n",
	    addr_ntop(&d->addr, a, sizeof(a)), d->port, d->fwd, d->weight,
	    d->u_thresh, d->l_thresh, d->tun_type, d->tun_port, d->tun_flags);
	return 0;
}

static int
print_svc(void *arg, const struct ipvs_svc *s)
{
	struct ipvs *v = arg;
	char n[IPVS_SVC_NAME_LEN];

	printf("%s %s flags %#x timeout %u netmask %#x pe '%s'\n",
	    ipvs_svc_name(s, n, sizeof(n)), s->sched,
	    s->flags & ~(unsigned)IPVS_SVC_HASHED, s->timeout, s->netmask, s->pe);
	(void)v;
	return 0;
}

struct svcs {
	struct ipvs_svc s[64];
	int n;
};

static int
keep_svc(void *arg, const struct ipvs_svc *s)
{
	struct svcs *l = arg;

	if (l->n < 64)
		l->s[l->n++] = *s;
	return 0;
}

static int
readback(struct ipvs *v)
{
	struct svcs l = { .n = 0 };
	int r;

	if ((r = ipvs_dump_svcs(v, keep_svc, &l)) < 0) {
		printf("dump: %s\n", strerror(-r));
		return 1;
	}
	for (int i = 0; i < l.n; i++) {
		print_svc(v, &l.s[i]);
		if ((r = ipvs_dump_dests(v, &l.s[i], print_dest, NULL)) < 0) {
			printf("dump dests: %s\n", strerror(-r));
			return 1;
		}
	}
	return 0;
}

struct many {
	unsigned n;
	unsigned char *seen;
	unsigned got, bad;
};

static int
check_many(void *arg, const struct ipvs_svc *s, const struct ipvs_dest *d,
    const struct ipvs_dest_stats *st)
{
	struct many *m = arg;
	uint32_t a = ntohl(d->addr.u.v4.s_addr) - 0x0a400000u;

	(void)s;
	(void)st;
	m->got++;
	if (a >= m->n || m->seen[a] || d->port != 1000 + a % 50000 ||
	    d->weight != (int)(a % 100) + 1 || d->fwd != IPVS_FWD_DR) {
		m->bad++;
		return 0;
	}
	m->seen[a] = 1;
	return 0;
}

static int
many(struct ipvs *v, unsigned n)
{
	struct ipvs_svc s;
	struct ipvs_dest d;
	struct many m = { n, calloc(n ? n : 1, 1), 0, 0 };
	int r;

	svc4(&s, IPPROTO_TCP, "10.30.0.1", 80, "wrr");
	ipvs_q_svc(v, IPVS_ADD, &s);
	for (unsigned i = 0; i < n; i++) {
		memset(&d, 0, sizeof(d));
		d.addr.family = AF_INET;
		d.addr.u.v4.s_addr = htonl(0x0a400000u + i);
		d.port = 1000 + i % 50000;
		d.weight = (int)(i % 100) + 1;
		d.fwd = IPVS_FWD_DR;
		if (ipvs_q_dest(v, IPVS_ADD, &s, &d) < 0)
			return 1;
	}
	if (commit(v, NULL) != 0)
		return 1;
	r = ipvs_dump_dests(v, &s, check_many, &m);
	printf("dump: %d, %u read back, %u wrong\n", r, m.got, m.bad);
	free(m.seen);
	return r == 0 && m.got == n && m.bad == 0 ? 0 : 1;
}

static int
errors(struct ipvs *v)
{
	static const char *const names[] = {
		"add svc A", "add svc A again", "add dest to a missing svc",
		"add svc with scheduler nosuch", "add dest to A",
		"add the same dest again", "edit a missing dest",
		"delete svc B (missing)", "add dest to A lthresh > uthresh",
		"add svc C",
	};
	struct ipvs_svc a, b, c;
	struct ipvs_dest d;

	svc4(&a, IPPROTO_TCP, "10.40.0.1", 80, "rr");
	svc4(&b, IPPROTO_TCP, "10.40.0.2", 80, "rr");
	svc4(&c, IPPROTO_UDP, "10.40.0.3", 80, "rr");
	ipvs_q_svc(v, IPVS_ADD, &a);
	ipvs_q_svc(v, IPVS_ADD, &a);
	dest(&d, "10.40.1.1", 80, 1, IPVS_FWD_NAT);
	ipvs_q_dest(v, IPVS_ADD, &b, &d);
	b.port = 81;
	snprintf(b.sched, sizeof(b.sched), "nosuch");
	ipvs_q_svc(v, IPVS_ADD, &b);
	ipvs_q_dest(v, IPVS_ADD, &a, &d);
	ipvs_q_dest(v, IPVS_ADD, &a, &d);
	dest(&d, "10.40.1.9", 80, 1, IPVS_FWD_NAT);
	ipvs_q_dest(v, IPVS_EDIT, &a, &d);
	b.port = 80;
	ipvs_q_svc(v, IPVS_DEL, &b);
	dest(&d, "10.40.1.2", 80, 1, IPVS_FWD_NAT);
	d.u_thresh = 5;
	d.l_thresh = 10;
	ipvs_q_dest(v, IPVS_ADD, &a, &d);
	ipvs_q_svc(v, IPVS_ADD, &c);
	commit(v, names);
	return 0;
}

/* A service and 4,000 destinations, every thousandth the one before
 * again (EEXIST): requests 1000, 2000, 3000 and 4000 fail, in chunks sent
 * before the commit and in the last one. */
static int
errors_chunks(struct ipvs *v)
{
	struct ipvs_svc s;
	struct ipvs_dest d;
	char a[ADDR_STRLEN];

	svc4(&s, IPPROTO_TCP, "10.41.0.1", 80, "rr");
	if (ipvs_q_svc(v, IPVS_ADD, &s) != 0)
		return 1;
	for (unsigned i = 0; i < 4000; i++) {
		unsigned k = i % 1000 == 999 ? i - 1 : i;

		snprintf(a, sizeof(a), "10.41.%u.%u", 1 + k / 250, 1 + k % 250);
		dest(&d, a, 80, 1, IPVS_FWD_NAT);
		if (ipvs_q_dest(v, IPVS_ADD, &s, &d) != (int)i + 1)
			return 1;
	}
	printf("queued %zu\n", ipvs_pending(v));
	commit(v, NULL);
	return 0;
}

static int
edit(struct ipvs *v)
{
	struct ipvs_svc s;
	struct ipvs_dest d;

	svc4(&s, IPPROTO_TCP, "10.20.0.1", 80, "lc");
	s.timeout = 300;
	s.netmask = htonl(0xffffff00);
	ipvs_q_svc(v, IPVS_EDIT, &s);
	dest(&d, "10.20.1.1", 8080, 7, IPVS_FWD_NAT);
	ipvs_q_dest(v, IPVS_EDIT, &s, &d);
	dest(&d, "10.20.1.2", 8080, 0, IPVS_FWD_NAT);
	ipvs_q_dest(v, IPVS_DEL, &s, &d);
	return commit(v, NULL) == 0 ? 0 : 1;
}

static int
timeouts(struct ipvs *v)
{
	struct ipvs_timeouts t = { 900, 60, 200 }, got;
	int r;

	ipvs_q_timeouts(v, &t);
	if (commit(v, NULL) != 0)
		return 1;
	r = ipvs_get_timeouts(v, &got);
	printf("timeouts: %d tcp %u tcpfin %u udp %u\n", r, got.tcp,
	    got.tcp_fin, got.udp);
	return r == 0 && got.tcp == 900 && got.tcp_fin == 60 &&
	    got.udp == 200 ? 0 : 1;
}

static int
print_daemon(void *arg, const struct ipvs_daemon *d)
{
	char a[ADDR_STRLEN] = "-";

	(void)arg;
	if (d->group.family != 0)
		addr_ntop(&d->group, a, sizeof(a));
	printf("daemon %s if %s syncid %u maxlen %u group %s port %u ttl %u\n",
	    d->state == IPVS_SYNC_MASTER ? "master" : "backup", d->ifname,
	    d->syncid, d->maxlen, a, d->port, d->ttl);
	return 0;
}

static int
daemon_run(struct ipvs *v, const char *ifname)
{
	struct ipvs_daemon m = { .state = IPVS_SYNC_MASTER, .syncid = 51,
	    .maxlen = 1400, .port = 8850, .ttl = 2 };
	struct ipvs_daemon b = m;
	int r1, r2, r3;

	snprintf(m.ifname, sizeof(m.ifname), "%s", ifname);
	addr_parse("224.0.0.82", &m.group);
	b = m;
	b.state = IPVS_SYNC_BACKUP;
	r1 = ipvs_daemon_start(v, &m);
	r2 = ipvs_daemon_start(v, &b);
	r3 = ipvs_daemon_start(v, &m);
	printf("start master %d backup %d master again %d\n", r1, r2, r3);
	ipvs_daemon_dump(v, print_daemon, NULL);
	if (getenv("IPVS_TOOL_KEEP") != NULL)
		return 0;
	r1 = ipvs_daemon_stop(v, IPVS_SYNC_MASTER);
	r2 = ipvs_daemon_stop(v, IPVS_SYNC_BACKUP);
	printf("stop master %d backup %d\n", r1, r2);
	ipvs_daemon_dump(v, print_daemon, NULL);
	return 0;
}

static double
ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* bench/ipvs-sync's table: 172.x.y.1:80+ wrr, 10.x.y.r:80 NAT weight 1 */
static int
bulk(struct ipvs *v, unsigned n, unsigned rs)
{
	struct timespec t0;
	struct ipvs_svc s;
	struct ipvs_dest d;
	char a[ADDR_STRLEN];
	double tq;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned i = 0; i < n; i++) {
		snprintf(a, sizeof(a), "172.%u.%u.1", 16 + i / 256 % 16, i % 256);
		svc4(&s, IPPROTO_TCP, a, 80 + i / 4096, "wrr");
		if (ipvs_q_svc(v, IPVS_ADD, &s) < 0)
			return 1;
		for (unsigned j = 0; j < rs; j++) {
			snprintf(a, sizeof(a), "10.%u.%u.%u", 1 + i / 256 % 250,
			    i % 256, j + 1);
			dest(&d, a, 80, 1, IPVS_FWD_NAT);
			if (ipvs_q_dest(v, IPVS_ADD, &s, &d) < 0)
				return 1;
		}
	}
	tq = ms_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = ipvs_commit(v, on_err, NULL);
	printf("bulk: %u requests queued in %.1f ms, committed in %.1f ms: "
	    "%d failed\n", n * (rs + 1), tq, ms_since(&t0), r);
	return r == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct ipvs *v;
	int err, r = 2;

	if (argc < 2) {
		fprintf(stderr, "usage: ipvs_tool SCENARIO [ARG...]\n");
		return 2;
	}
	if ((v = ipvs_open(&err)) == NULL) {
		printf("ipvs_open: %s\n", strerror(-err));
		return 3;
	}
	if (strcmp(argv[1], "scheds") == 0)
		r = scheds(v, argc - 2, argv + 2);
	else if (strcmp(argv[1], "table") == 0)
		r = table(v);
	else if (strcmp(argv[1], "readback") == 0)
		r = readback(v);
	else if (strcmp(argv[1], "many") == 0 && argc == 3)
		r = many(v, (unsigned)strtoul(argv[2], NULL, 10));
	else if (strcmp(argv[1], "errors") == 0)
		r = errors(v);
	else if (strcmp(argv[1], "errors-chunks") == 0)
		r = errors_chunks(v);
	else if (strcmp(argv[1], "edit") == 0)
		r = edit(v);
	else if (strcmp(argv[1], "timeouts") == 0)
		r = timeouts(v);
	else if (strcmp(argv[1], "daemon") == 0 && argc == 3)
		r = daemon_run(v, argv[2]);
	else if (strcmp(argv[1], "bulk") == 0 && argc == 4)
		r = bulk(v, (unsigned)strtoul(argv[2], NULL, 10),
		    (unsigned)strtoul(argv[3], NULL, 10));
	else if (strcmp(argv[1], "flush") == 0) {
		ipvs_q_flush(v);
		r = commit(v, NULL) == 0 ? 0 : 1;
	}
	ipvs_close(v);
	return r;
}
