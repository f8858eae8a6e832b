/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IPVS backend's own error handling, adoption and retry, driven
 * through the data-plane interface (dp_table_* with dp_ipvs_backend, as
 * the engine and the checker child drive it) against a scripted kernel.
 *
 * lib/ipvs is replaced at link time: this file defines the lib/ipvs.c
 * functions the backend calls (ipvs_open, ipvs_q_*, ipvs_commit,
 * ipvs_dump_*, ipvs_close), so the archive's netlink object is never
 * linked. The fake records every request queued and answers each commit
 * as the kernel does (EEXIST, ESRCH, ENOENT for a missing scheduler
 * module), and keeps a kernel table the dumps read. Log lines are captured
 * (log_capture).
 *
 * Cases: a refused request is logged once with its service and the
 * kernel's error, the rest of its batch applied, and it is sent again
 * with the next change only; a kernel service matching a configured one
 * is adopted without a request, a foreign one left alone (logged once)
 * or removed at the first configuration only with lvs_flush; one that
 * differs is edited in place; lvs_flush_on_stop empties the table at
 * stop; no IPVS at all is logged and leaves
 * nothing behind.
 */
#include "autoconfig.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "healthcheck/dataplane.h"
#include "healthcheck/ipvs_backend.h"
#include "ipvs.h"
#include "log.h"
#include "check_run.h"

/* ---- the scripted kernel: lib/ipvs's functions ------------------------------ */

enum rq_what { RQ_SVC, RQ_DEST, RQ_FLUSH, RQ_TIMEOUTS };

struct rq {
	unsigned commit;		/* the commit that sent it; 0: queued */
	enum rq_what what;
	enum ipvs_op op;
	struct ipvs_svc s;
	struct ipvs_dest d;
	struct ipvs_timeouts t;
	int err;			/* the kernel's answer */
};

#define MAX_RQ 256
#define MAX_KSVC 8
#define MAX_KDEST 8

struct ksvc {
	struct ipvs_svc s;
	struct ipvs_dest d[MAX_KDEST];
	int nd;
};

struct ipvs {
	int unused;
};

static struct rq rq[MAX_RQ];
static size_t nrq, batch_from;		/* batch_from: first not committed */
static unsigned commits, opens, closes;
static struct ksvc ktab[MAX_KSVC];
static int nk;
static unsigned rcvbuf_size;		/* ipvs_set_rcvbuf's last */
static int rcvbuf_force = -1, rcvbuf_err;
static int open_err;			/* ipvs_open fails with it */
static int dump_err;			/* ipvs_dump_svcs fails with it */
static const char *no_module;		/* a scheduler whose module is absent */
static struct ipvs_timeouts ktimeouts;	/* the kernel's */
static unsigned timeout_reads;

static int
kfind(const struct ipvs_svc *id)
{
	for (int i = 0; i < nk; i++)
		if (ipvs_svc_same_id(&ktab[i].s, id))
			return i;
	return -1;
}

static int
kfind_dest(const struct ksvc *k, const struct ipvs_dest *d)
{
	for (int j = 0; j < k->nd; j++)
		if (addr_cmp(&k->d[j].addr, &d->addr) == 0 &&
		    k->d[j].port == d->port)
			return j;
	return -1;
}

static int
sched_missing(const char *sched)
{
	return no_module != NULL && strcmp(sched, no_module) == 0;
}

/* What the kernel answers to q, the table changed when 0. */
static int
kernel_do(const struct rq *q)
{
	int i, j;
	struct ksvc *k;

	if (q->what == RQ_FLUSH) {
		nk = 0;
		return 0;
	}
	if (q->what == RQ_TIMEOUTS) {
		/* the kernel leaves a timeout of 0 as it is */
		ktimeouts.tcp = q->t.tcp ? q->t.tcp : ktimeouts.tcp;
		ktimeouts.tcp_fin = q->t.tcp_fin ? q->t.tcp_fin :
		    ktimeouts.tcp_fin;
		ktimeouts.udp = q->t.udp ? q->t.udp : ktimeouts.udp;
		return 0;
	}
	i = kfind(&q->s);
	if (q->what == RQ_SVC) {
		switch (q->op) {
		case IPVS_ADD:
			if (i >= 0)
				return -EEXIST;
			if (sched_missing(q->s.sched))
				return -ENOENT;
			ck_assert_int_lt(nk, MAX_KSVC);
			memset(&ktab[nk], 0, sizeof(ktab[nk]));
			ktab[nk].s = q->s;
			ktab[nk].s.flags |= IPVS_SVC_HASHED;
			nk++;
			return 0;
		case IPVS_EDIT:
			if (i < 0)
				return -ESRCH;
			if (sched_missing(q->s.sched))
				return -ENOENT;
			ktab[i].s = q->s;
			ktab[i].s.flags |= IPVS_SVC_HASHED;
			return 0;
		case IPVS_DEL:
			if (i < 0)
				return -ESRCH;
			ktab[i] = ktab[--nk];
			return 0;
		}
	}
	if (i < 0)
		return -ESRCH;	/* a destination of a missing service */
	k = &ktab[i];
	j = kfind_dest(k, &q->d);
	switch (q->op) {
	case IPVS_ADD:
		if (j >= 0)
			return -EEXIST;
		ck_assert_int_lt(k->nd, MAX_KDEST);
		k->d[k->nd++] = q->d;
		return 0;
	case IPVS_EDIT:
		if (j < 0)
			return -ENOENT;
		k->d[j] = q->d;
		return 0;
	case IPVS_DEL:
		if (j < 0)
			return -ENOENT;
		k->d[j] = k->d[--k->nd];
		return 0;
	}
	return -EINVAL;
}

struct ipvs *
ipvs_open(int *err)
{
	struct ipvs *v;

	if (open_err != 0) {
		*err = open_err;
		return NULL;
	}
	v = calloc(1, sizeof(*v));
	ck_assert_ptr_nonnull(v);
	opens++;
	return v;
}

int
ipvs_set_rcvbuf(struct ipvs *v, unsigned size, int force)
{
	ck_assert_ptr_nonnull(v);
	rcvbuf_size = size;
	rcvbuf_force = force;
	return rcvbuf_err;
}

void
ipvs_close(struct ipvs *v)
{
	if (v == NULL)
		return;
	ck_assert_uint_eq(nrq, batch_from);	/* nothing left queued */
	closes++;
	free(v);
}

static int
queue(enum rq_what what, enum ipvs_op op, const struct ipvs_svc *s,
    const struct ipvs_dest *d)
{
	struct rq *q;

	ck_assert_uint_lt(nrq, MAX_RQ);
	q = &rq[nrq++];
	memset(q, 0, sizeof(*q));
	q->what = what;
	q->op = op;
	if (s != NULL)
		q->s = *s;
	if (d != NULL)
		q->d = *d;
	return (int)(nrq - 1 - batch_from);
}

int
ipvs_q_svc(struct ipvs *v, enum ipvs_op op, const struct ipvs_svc *s)
{
	ck_assert_ptr_nonnull(v);
	return queue(RQ_SVC, op, s, NULL);
}

int
ipvs_q_dest(struct ipvs *v, enum ipvs_op op, const struct ipvs_svc *s,
    const struct ipvs_dest *d)
{
	ck_assert_ptr_nonnull(v);
	return queue(RQ_DEST, op, s, d);
}

int
ipvs_q_flush(struct ipvs *v)
{
	ck_assert_ptr_nonnull(v);
	return queue(RQ_FLUSH, IPVS_DEL, NULL, NULL);
}

int
ipvs_q_timeouts(struct ipvs *v, const struct ipvs_timeouts *t)
{
	int i;

	ck_assert_ptr_nonnull(v);
	i = queue(RQ_TIMEOUTS, IPVS_EDIT, NULL, NULL);
	rq[nrq - 1].t = *t;
	return i;
}

int
ipvs_get_timeouts(struct ipvs *v, struct ipvs_timeouts *t)
{
	ck_assert_ptr_nonnull(v);
	timeout_reads++;
	*t = ktimeouts;
	return 0;
}

int
ipvs_commit(struct ipvs *v, ipvs_err_fn *fn, void *arg)
{
	int failed = 0;

	ck_assert_ptr_nonnull(v);
	commits++;
	for (size_t i = batch_from; i < nrq; i++) {
		rq[i].commit = commits;
		rq[i].err = kernel_do(&rq[i]);
		if (rq[i].err < 0) {
			failed++;
			if (fn != NULL)
				fn(arg, i - batch_from, rq[i].err);
		}
	}
	batch_from = nrq;
	return failed;
}

int
ipvs_dump_svcs(struct ipvs *v, ipvs_svc_fn *fn, void *arg)
{
	int r;

	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(nrq, batch_from);	/* the backend commits first */
	if (dump_err != 0)
		return dump_err;
	for (int i = 0; i < nk; i++)
		if ((r = fn(arg, &ktab[i].s)) != 0)
			return r;
	return 0;
}

int
ipvs_dump_dests(struct ipvs *v, const struct ipvs_svc *s, ipvs_dest_fn *fn,
    void *arg)
{
	struct ipvs_dest_stats st;
	int i = kfind(s), r;

	ck_assert_ptr_nonnull(v);
	if (i < 0)
		return -ESRCH;
	memset(&st, 0, sizeof(st));
	for (int j = 0; j < ktab[i].nd; j++)
		if ((r = fn(arg, &ktab[i].s, &ktab[i].d[j], &st)) != 0)
			return r;
	return 0;
}

/* ---- the kernel table and requests, as text ----------------------------------- */

static void
k_svc(const char *addr, const char *sched)
{
	struct ksvc *k = &ktab[nk++];

	memset(k, 0, sizeof(*k));
	k->s.af = AF_INET;
	k->s.protocol = IPPROTO_TCP;
	ck_assert_int_eq(addr_parse(addr, &k->s.addr), 0);
	k->s.port = 80;
	snprintf(k->s.sched, sizeof(k->s.sched), "%s", sched);
	k->s.flags = IPVS_SVC_HASHED;
	k->s.netmask = 0xffffffffu;
}

/* a destination of the last service k_svc() made */
static void
k_dest(const char *addr, int weight)
{
	struct ksvc *k = &ktab[nk - 1];
	struct ipvs_dest *d = &k->d[k->nd++];

	memset(d, 0, sizeof(*d));
	ck_assert_int_eq(addr_parse(addr, &d->addr), 0);
	d->port = 80;
	d->fwd = IPVS_FWD_NAT;
	d->weight = weight;
}

/* "svc+ 10.0.0.2 mh =ENOENT; dst+ 10.0.0.2 10.0.1.2 w1 =ESRCH; " */
static const char *
rq_text(const struct rq *q, char *buf, size_t len)
{
	static const char *const op[] = { "+", "~", "-" };
	char a[ADDR_STRLEN], d[ADDR_STRLEN], e[16] = "";

	if (q->err != 0)
		snprintf(e, sizeof(e), " =%s", q->err == -ENOENT ? "ENOENT" :
		    q->err == -ESRCH ? "ESRCH" : q->err == -EEXIST ? "EEXIST" :
		    q->err == -EPERM ? "EPERM" : "E?");
	addr_ntop(&q->s.addr, a, sizeof(a));
	switch (q->what) {
	case RQ_SVC:
		snprintf(buf, len, "svc%s %s %s%s; ", op[q->op], a, q->s.sched,
		    e);
		break;
	case RQ_DEST:
		snprintf(buf, len, "dst%s %s %s w%d%s; ", op[q->op], a,
		    addr_ntop(&q->d.addr, d, sizeof(d)), q->d.weight, e);
		break;
	case RQ_FLUSH:
		snprintf(buf, len, "flush%s; ", e);
		break;
	case RQ_TIMEOUTS:
		snprintf(buf, len, "timeouts %u %u %u%s; ", q->t.tcp,
		    q->t.tcp_fin, q->t.udp, e);
		break;
	}
	return buf;
}

/* The requests commit c sent, in order. */
static const char *
batch(unsigned c)
{
	static char out[2048];
	char one[160];

	out[0] = '\0';
	for (size_t i = 0; i < nrq; i++)
		if (rq[i].commit == c)
			strncat(out, rq_text(&rq[i], one, sizeof(one)),
			    sizeof(out) - strlen(out) - 1);
	return out;
}

/* The kernel table, services and destinations sorted. */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *
kernel(void)
{
	static char out[2048], lines[MAX_KSVC * (MAX_KDEST + 1)][80];
	char *p[MAX_KSVC * (MAX_KDEST + 1)];
	char a[ADDR_STRLEN], d[ADDR_STRLEN];
	int n = 0;

	for (int i = 0; i < nk; i++) {
		addr_ntop(&ktab[i].s.addr, a, sizeof(a));
		snprintf(lines[n], sizeof(lines[n]), "%s %s", a,
		    ktab[i].s.sched);
		p[n] = lines[n];
		n++;
		for (int j = 0; j < ktab[i].nd; j++) {
			snprintf(lines[n], sizeof(lines[n]), "%s %s w%d", a,
			    addr_ntop(&ktab[i].d[j].addr, d, sizeof(d)),
			    ktab[i].d[j].weight);
			p[n] = lines[n];
			n++;
		}
	}
	qsort(p, (size_t)n, sizeof(p[0]), cmp_str);
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		strncat(out, p[i], sizeof(out) - strlen(out) - 1);
		strncat(out, "; ", sizeof(out) - strlen(out) - 1);
	}
	return out;
}

/* ---- captured log lines ------------------------------------------------------ */

#define MAX_LOG 128
static char logs[MAX_LOG][512];
static int log_prio[MAX_LOG];
static int nlogs;

static void
sink(void *arg, int prio, const char *msg)
{
	(void)arg;
	if (nlogs < MAX_LOG) {
		snprintf(logs[nlogs], sizeof(logs[nlogs]), "%s", msg);
		log_prio[nlogs++] = prio;
	}
}

/* Lines at prio or more urgent containing every one of the words. */
static int
logged(int prio, const char *w1, const char *w2)
{
	int n = 0;

	for (int i = 0; i < nlogs; i++)
		if (log_prio[i] <= prio && strstr(logs[i], w1) != NULL &&
		    (w2 == NULL || strstr(logs[i], w2) != NULL))
			n++;
	return n;
}

static void
show_logs(void)
{
	for (int i = 0; i < nlogs; i++)
		fprintf(stderr, "  log %d: %s\n", log_prio[i], logs[i]);
}

static void
setup(void)
{
	nrq = batch_from = 0;
	commits = opens = closes = 0;
	nk = 0;
	open_err = dump_err = 0;
	rcvbuf_size = 0;
	rcvbuf_force = -1;
	rcvbuf_err = 0;
	no_module = NULL;
	ktimeouts = (struct ipvs_timeouts){ 900, 120, 300 };
	timeout_reads = 0;
	nlogs = 0;
	log_capture(sink, NULL);
}

static void
teardown(void)
{
	log_capture(NULL, NULL);
}

/* ---- the configuration and the desired table ---------------------------------- */

#define MAX_VS 4

struct fixture {
	struct chk_conf conf;
	struct chk_vs_conf vs[MAX_VS];
	int nvs;
	struct dp_table *t;
};

static struct chk_vs_conf *
conf_vs(struct fixture *f, const char *addr, const char *sched)
{
	struct chk_vs_conf *vs = &f->vs[f->nvs];

	ck_assert_int_lt(f->nvs, MAX_VS);
	memset(vs, 0, sizeof(*vs));
	vs->kind = CHK_VS_ADDR;
	vs->protocol = IPPROTO_TCP;
	vs->family = AF_INET;
	ck_assert_int_eq(addr_parse(addr, &vs->addr), 0);
	vs->port = 80;
	snprintf(vs->sched, sizeof(vs->sched), "%s", sched);
	if (f->nvs > 0)
		f->vs[f->nvs - 1].next = vs;
	else
		f->conf.vs = vs;
	f->conf.nvs = (unsigned)++f->nvs;
	return vs;
}

/* The desired service of vs, as the engine sets it. */
static struct dp_svc *
want_vs(struct fixture *f, const struct chk_vs_conf *vs)
{
	struct dp_service s;
	struct dp_svc *h;

	dp_service_from_conf(&s, vs);
	h = dp_svc_set(f->t, &s);
	ck_assert_ptr_nonnull(h);
	return h;
}

static void
want_rs(struct fixture *f, struct dp_svc *svc, const char *addr, int weight)
{
	struct dp_dest d;

	memset(&d, 0, sizeof(d));
	ck_assert_int_eq(addr_parse(addr, &d.addr), 0);
	d.port = 80;
	d.weight = weight;
	d.fwd.method = CHK_FWD_NAT;
	ck_assert_int_eq(dp_dest_set(f->t, svc, &d), 0);
}

/* The checker child's start: the backend opened (the kernel table read),
 * then given the configuration. */
static void
start(struct fixture *f)
{
	f->t = dp_table_new(&dp_ipvs_backend, NULL);
	ck_assert_ptr_nonnull(f->t);
	ck_assert_uint_eq(opens, 1);
	dp_table_config(f->t, &f->conf);
}

static const char *
backend_dump(struct fixture *f)
{
	static char out[4096];
	FILE *fp = fmemopen(out, sizeof(out), "w");

	ck_assert_ptr_nonnull(fp);
	dp_table_dump(f->t, fp);
	fclose(fp);
	return out;
}

/* ---- 1. a refused request: logged once, the rest applied, retried with the
 * next change only ------------------------------------------------------------ */

START_TEST(a_refused_service_is_logged_once_and_retried_with_the_next_change)
{
	struct fixture f = { 0 };
	struct chk_vs_conf *va = conf_vs(&f, "10.0.0.1", "rr");
	struct chk_vs_conf *vb = conf_vs(&f, "10.0.0.2", "mh");
	struct chk_vs_conf *vc = conf_vs(&f, "10.0.0.3", "rr");
	struct dp_svc *a, *b, *c;
	int errs;

	no_module = "mh";	/* ip_vs_mh is not loaded: ENOENT */
	start(&f);
	ck_assert_uint_eq(commits, 0);	/* an empty kernel: nothing to do */

	/* the start: every service and its real server in one batch */
	a = want_vs(&f, va);
	want_rs(&f, a, "10.0.1.1", 1);
	b = want_vs(&f, vb);
	want_rs(&f, b, "10.0.1.2", 1);
	c = want_vs(&f, vc);
	want_rs(&f, c, "10.0.1.3", 1);
	ck_assert_uint_gt(dp_commit(f.t), 0);
	ck_assert_uint_eq(commits, 1);
	/* B refused (its scheduler's module), its destination with it (no
	 * service): everything after it in the batch was still sent */
	ck_assert_str_eq(batch(1),
	    "svc+ 10.0.0.1 rr; dst+ 10.0.0.1 10.0.1.1 w1; "
	    "svc+ 10.0.0.2 mh =ENOENT; dst+ 10.0.0.2 10.0.1.2 w1 =ESRCH; "
	    "svc+ 10.0.0.3 rr; dst+ 10.0.0.3 10.0.1.3 w1; ");
	ck_assert_str_eq(kernel(), "10.0.0.1 10.0.1.1 w1; 10.0.0.1 rr; "
	    "10.0.0.3 10.0.1.3 w1; 10.0.0.3 rr; ");

	/* one error line: the service (vigil's name and the kernel's), the
	 * scheduler and the kernel's error; not one for its destination */
	errs = logged(LOG_ERR, "IPVS", NULL);
	if (errs != 1 || logged(LOG_ERR, "[10.0.0.2]:tcp:80 (TCP [10.0.0.2]:80)",
	    strerror(ENOENT)) != 1 || logged(LOG_ERR, "scheduler mh",
	    NULL) != 1)
		show_logs();
	ck_assert_int_eq(errs, 1);
	ck_assert_int_eq(logged(LOG_ERR, "[10.0.0.2]:tcp:80 (TCP [10.0.0.2]:80)",
	    strerror(ENOENT)), 1);
	ck_assert_int_eq(logged(LOG_ERR, "scheduler mh", NULL), 1);
	ck_assert_int_eq(logged(LOG_ERR, strerror(ESRCH), NULL), 0);
	/* the state dump says what is not yet as desired, and why */
	ck_assert_ptr_nonnull(strstr(backend_dump(&f), "not yet as desired: "
	    "[10.0.0.2]:tcp:80 (TCP [10.0.0.2]:80): No such file or directory"));
	ck_assert_ptr_nonnull(strstr(backend_dump(&f), "6 request(s) in 1 "
	    "batch(es), 2 refused"));

	/* no change: nothing is sent again, however often the engine
	 * commits, sets the same table or reads the counters */
	for (int turn = 0; turn < 5; turn++) {
		ck_assert_uint_eq(dp_commit(f.t), 0);
		ck_assert_ptr_eq(want_vs(&f, vb), b);
		want_rs(&f, b, "10.0.1.2", 1);
		ck_assert_uint_eq(dp_commit(f.t), 0);
		ck_assert_int_eq(dp_stats_begin(f.t), 0);
		ck_assert_int_ge(dp_stats_read(f.t, b), 0);
	}
	ck_assert_uint_eq(commits, 1);
	ck_assert_uint_eq(nrq, 6);
	ck_assert_int_eq(logged(LOG_ERR, "IPVS", NULL), 1);

	/* the next change (another service's weight): sent with B's retry;
	 * still refused, not logged again (the same error) */
	want_rs(&f, a, "10.0.1.1", 2);
	ck_assert_uint_eq(dp_commit(f.t), 1);
	ck_assert_uint_eq(commits, 2);
	ck_assert_str_eq(batch(2),
	    "svc+ 10.0.0.2 mh =ENOENT; dst+ 10.0.0.2 10.0.1.2 w1 =ESRCH; "
	    "dst~ 10.0.0.1 10.0.1.1 w2; ");
	ck_assert_int_eq(logged(LOG_ERR, "IPVS", NULL), 1);
	ck_assert_uint_eq(dp_commit(f.t), 0);
	ck_assert_uint_eq(commits, 2);

	/* the module loaded: the next change brings B in, and then B is
	 * settled: the change after sends only itself */
	no_module = NULL;
	want_rs(&f, c, "10.0.1.3", 5);
	ck_assert_uint_eq(dp_commit(f.t), 1);
	ck_assert_str_eq(batch(3),
	    "svc+ 10.0.0.2 mh; dst+ 10.0.0.2 10.0.1.2 w1; "
	    "dst~ 10.0.0.3 10.0.1.3 w5; ");
	ck_assert_str_eq(kernel(), "10.0.0.1 10.0.1.1 w2; 10.0.0.1 rr; "
	    "10.0.0.2 10.0.1.2 w1; 10.0.0.2 mh; "
	    "10.0.0.3 10.0.1.3 w5; 10.0.0.3 rr; ");
	ck_assert_int_eq(logged(LOG_INFO, "[10.0.0.2]:tcp:80 (TCP "
	    "[10.0.0.2]:80): service added (scheduler mh)", NULL), 1);
	ck_assert_ptr_null(strstr(backend_dump(&f), "not yet as desired"));
	want_rs(&f, a, "10.0.1.1", 3);
	ck_assert_uint_eq(dp_commit(f.t), 1);
	ck_assert_str_eq(batch(4), "dst~ 10.0.0.1 10.0.1.1 w3; ");
	ck_assert_int_eq(logged(LOG_ERR, "IPVS", NULL), 1);

	dp_table_free(f.t, 0);
	ck_assert_uint_eq(closes, 1);
	ck_assert_uint_eq(commits, 4);	/* not flushed: nothing removed */
}
END_TEST

/* A destination refused alone (its service is there): logged once with its
 * service, address and error; the other destination of the batch applied;
 * retried with the next change. */
START_TEST(a_refused_destination_is_logged_with_its_service_and_retried)
{
	struct fixture f = { 0 };
	struct chk_vs_conf *va = conf_vs(&f, "10.0.0.1", "rr");
	struct dp_svc *a;

	k_svc("10.0.0.1", "rr");
	k_dest("10.0.1.1", 1);
	start(&f);
	a = want_vs(&f, va);
	want_rs(&f, a, "10.0.1.1", 1);
	ck_assert_uint_eq(dp_commit(f.t), 2);
	ck_assert_uint_eq(commits, 0);	/* adopted as it is */

	/* the kernel loses 10.0.1.1 behind vigil's back: its edit is
	 * refused (ENOENT), the add of 10.0.1.2 still applied */
	ktab[0].nd = 0;
	want_rs(&f, a, "10.0.1.1", 4);
	want_rs(&f, a, "10.0.1.2", 1);
	ck_assert_uint_eq(dp_commit(f.t), 2);
	ck_assert_str_eq(batch(1), "dst~ 10.0.0.1 10.0.1.1 w4 =ENOENT; "
	    "dst+ 10.0.0.1 10.0.1.2 w1; ");
	if (logged(LOG_ERR, "IPVS", NULL) != 1)
		show_logs();
	ck_assert_int_eq(logged(LOG_ERR, "IPVS", NULL), 1);
	ck_assert_int_eq(logged(LOG_ERR, "[10.0.0.1]:tcp:80 (TCP [10.0.0.1]:80): "
	    "edit [10.0.1.1]:80 weight 4", strerror(ENOENT)), 1);
	ck_assert_uint_eq(dp_commit(f.t), 0);
	ck_assert_uint_eq(commits, 1);

	/* the next change: 10.0.1.1 added back (known to be gone now) */
	want_rs(&f, a, "10.0.1.2", 2);
	ck_assert_uint_eq(dp_commit(f.t), 1);
	ck_assert_str_eq(batch(2), "dst+ 10.0.0.1 10.0.1.1 w4; "
	    "dst~ 10.0.0.1 10.0.1.2 w2; ");
	ck_assert_str_eq(kernel(), "10.0.0.1 10.0.1.1 w4; 10.0.0.1 10.0.1.2 w2; "
	    "10.0.0.1 rr; ");
	ck_assert_int_eq(logged(LOG_ERR, "IPVS", NULL), 1);
	dp_table_free(f.t, 0);
}
END_TEST

/* A service removed from the kernel behind vigil's back (ipvsadm -D): the
 * kernel's ESRCH to an edit of it, or to a request on one of its
 * destinations, says its destinations went with it; the next change adds
 * the service back with every desired destination, not only the ones that
 * changed. */
START_TEST(a_service_gone_from_the_kernel_comes_back_whole)
{
	struct fixture f = { 0 };
	struct chk_vs_conf *va = conf_vs(&f, "10.0.0.1", "rr");
	struct chk_vs_conf *vb = conf_vs(&f, "10.0.0.2", "rr");
	struct dp_svc *a, *b;

	start(&f);
	a = want_vs(&f, va);
	want_rs(&f, a, "10.0.1.1", 1);
	want_rs(&f, a, "10.0.1.2", 1);
	b = want_vs(&f, vb);
	want_rs(&f, b, "10.0.2.1", 1);
	want_rs(&f, b, "10.0.2.2", 1);
	ck_assert_uint_gt(dp_commit(f.t), 0);
	ck_assert_uint_eq(commits, 1);
	ck_assert_int_eq(logged(LOG_ERR, "IPVS", NULL), 0);

	/* both removed by hand */
	nk = 0;
	/* a reload edits A's scheduler: refused, the service is gone */
	snprintf(va->sched, sizeof(va->sched), "wrr");
	ck_assert_ptr_eq(want_vs(&f, va), a);
	/* a health change on B's destination: refused likewise */
	want_rs(&f, b, "10.0.2.1", 2);
	ck_assert_uint_eq(dp_commit(f.t), 2);
	ck_assert_str_eq(batch(2), "svc~ 10.0.0.1 wrr =ESRCH; "
	    "dst~ 10.0.0.2 10.0.2.1 w2 =ESRCH; ");
	if (logged(LOG_ERR, "IPVS", NULL) != 2)
		show_logs();
	ck_assert_int_eq(logged(LOG_ERR, "[10.0.0.1]:tcp:80 (TCP "
	    "[10.0.0.1]:80): edit service (scheduler wrr)", strerror(ESRCH)), 1);
	ck_assert_int_eq(logged(LOG_ERR, "[10.0.0.2]:tcp:80 (TCP "
	    "[10.0.0.2]:80): edit [10.0.2.1]:80 weight 2", strerror(ESRCH)), 1);
	ck_assert_int_eq(logged(LOG_ERR, "IPVS", NULL), 2);
	ck_assert_uint_eq(dp_commit(f.t), 0);
	ck_assert_uint_eq(commits, 2);

	/* the next change: each service added back with all its real
	 * servers (the changed ones with their new weight) */
	want_rs(&f, a, "10.0.1.1", 4);
	ck_assert_uint_eq(dp_commit(f.t), 1);
	ck_assert_str_eq(kernel(), "10.0.0.1 10.0.1.1 w4; 10.0.0.1 10.0.1.2 w1; "
	    "10.0.0.1 wrr; 10.0.0.2 10.0.2.1 w2; 10.0.0.2 10.0.2.2 w1; "
	    "10.0.0.2 rr; ");
	ck_assert_uint_eq(commits, 3);
	ck_assert_int_eq(logged(LOG_ERR, "IPVS", NULL), 2);
	/* and settled: nothing more is sent */
	want_rs(&f, b, "10.0.2.2", 3);
	ck_assert_uint_eq(dp_commit(f.t), 1);
	ck_assert_str_eq(batch(4), "dst~ 10.0.0.2 10.0.2.2 w3; ");
	ck_assert_ptr_null(strstr(backend_dump(&f), "not yet as desired"));
	dp_table_free(f.t, 0);
}
END_TEST

/* ---- 2. adoption at start; foreign services ----------------------------------- */

START_TEST(a_matching_kernel_service_is_adopted_and_a_foreign_one_left_alone)
{
	struct fixture f = { 0 };
	struct chk_vs_conf *va = conf_vs(&f, "10.0.0.1", "rr");
	struct dp_svc *a;

	k_svc("10.0.0.1", "rr");
	k_dest("10.0.1.1", 1);
	k_dest("10.0.1.2", 3);
	k_svc("10.0.0.9", "wlc");	/* made by hand */
	k_dest("10.0.9.1", 1);
	start(&f);
	ck_assert_int_eq(logged(LOG_INFO, "the kernel holds 2 service(s), 3 "
	    "destination(s)", NULL), 1);
	a = want_vs(&f, va);
	want_rs(&f, a, "10.0.1.1", 1);
	want_rs(&f, a, "10.0.1.2", 3);
	ck_assert_uint_eq(dp_commit(f.t), 3);
	/* nothing to send: the kernel is as desired */
	ck_assert_uint_eq(nrq, 0);
	ck_assert_uint_eq(commits, 0);
	ck_assert_int_eq(logged(LOG_INFO, "[10.0.0.1]:tcp:80: adopting TCP "
	    "[10.0.0.1]:80 with 2 destination(s)", NULL), 1);
	ck_assert_int_eq(logged(LOG_INFO, "TCP [10.0.0.9]:80 is not in the "
	    "configuration: left alone", NULL), 1);

	/* reloads of the same configuration: not logged again, not touched */
	dp_table_config(f.t, &f.conf);
	dp_table_config(f.t, &f.conf);
	ck_assert_uint_eq(commits, 0);
	ck_assert_int_eq(logged(LOG_INFO, "[10.0.0.9]", NULL), 1);
	/* lvs_flush set by a reload: it flushes at the start only */
	f.conf.g.lvs_flush = 1;
	dp_table_config(f.t, &f.conf);
	ck_assert_uint_eq(commits, 0);
	ck_assert_int_eq(logged(LOG_INFO, "[10.0.0.9]", NULL), 1);
	ck_assert_ptr_nonnull(strstr(backend_dump(&f), "2 kernel service(s) (1 "
	    "vigil's, 1 left alone), 3 destination(s)"));

	/* a change to vigil's service touches only it */
	want_rs(&f, a, "10.0.1.2", 2);
	ck_assert_uint_eq(dp_commit(f.t), 1);
	ck_assert_str_eq(batch(1), "dst~ 10.0.0.1 10.0.1.2 w2; ");

	/* stopping without -I removes vigil's service, not the other */
	dp_table_free(f.t, 1);
	ck_assert_str_eq(batch(2), "svc- 10.0.0.1 rr; ");
	ck_assert_str_eq(kernel(), "10.0.0.9 10.0.9.1 w1; 10.0.0.9 wlc; ");
	ck_assert_int_eq(logged(LOG_ERR, "IPVS", NULL), 0);
}
END_TEST

START_TEST(lvs_flush_removes_foreign_services_at_the_first_configuration_only)
{
	struct fixture f = { 0 };
	struct chk_vs_conf *va = conf_vs(&f, "10.0.0.1", "rr");
	struct dp_svc *a;

	f.conf.g.lvs_flush = 1;
	k_svc("10.0.0.1", "rr");
	k_dest("10.0.1.1", 1);
	k_svc("10.0.0.9", "wlc");
	k_dest("10.0.9.1", 1);
	start(&f);
	/* the foreign one goes (its destinations with it); the configured
	 * one stays as it is */
	ck_assert_uint_eq(commits, 1);
	ck_assert_str_eq(batch(1), "svc- 10.0.0.9 wlc; ");
	ck_assert_int_eq(logged(LOG_INFO, "TCP [10.0.0.9]:80 is not in the "
	    "configuration: removed (lvs_flush)", NULL), 1);
	a = want_vs(&f, va);
	want_rs(&f, a, "10.0.1.1", 1);
	ck_assert_uint_eq(dp_commit(f.t), 2);
	ck_assert_uint_eq(commits, 1);
	ck_assert_str_eq(kernel(), "10.0.0.1 10.0.1.1 w1; 10.0.0.1 rr; ");

	/* a service made by hand since: a reload (the same configuration,
	 * then one naming another service) leaves it alone */
	k_svc("10.0.0.8", "wlc");
	k_dest("10.0.8.1", 1);
	dp_table_config(f.t, &f.conf);
	(void)conf_vs(&f, "10.0.0.7", "rr");
	dp_table_config(f.t, &f.conf);
	ck_assert_uint_eq(commits, 1);
	ck_assert_str_eq(kernel(), "10.0.0.1 10.0.1.1 w1; 10.0.0.1 rr; "
	    "10.0.0.8 10.0.8.1 w1; 10.0.0.8 wlc; ");
	ck_assert_int_eq(logged(LOG_INFO, "removed (lvs_flush)", NULL), 1);
	ck_assert_int_eq(logged(LOG_INFO, "[10.0.0.8]", "removed"), 0);
	dp_table_free(f.t, 0);
	ck_assert_uint_eq(commits, 1);
}
END_TEST

/* lvs_flush_on_stop: stopping without -I empties the whole kernel table
 * (one flush request, the hand-made service gone too); a reload does
 * not. */
START_TEST(lvs_flush_on_stop_empties_the_table_at_stop_only)
{
	struct fixture f = { 0 };
	struct chk_vs_conf *va = conf_vs(&f, "10.0.0.1", "rr");
	struct dp_svc *a;

	f.conf.g.lvs_flush_on_stop = 1;
	k_svc("10.0.0.9", "wlc");	/* made by hand */
	k_dest("10.0.9.1", 1);
	start(&f);
	a = want_vs(&f, va);
	want_rs(&f, a, "10.0.1.1", 1);
	ck_assert_uint_eq(dp_commit(f.t), 2);
	ck_assert_uint_eq(commits, 1);
	/* a reload does not flush */
	dp_table_config(f.t, &f.conf);
	ck_assert_uint_eq(commits, 1);
	dp_table_free(f.t, 1);
	ck_assert_str_eq(batch(2), "flush; ");
	ck_assert_str_eq(kernel(), "");
	ck_assert_int_eq(logged(LOG_INFO, "emptying the kernel table "
	    "(lvs_flush_on_stop)", NULL), 1);

}
END_TEST

/* ---- 3. a kernel service that differs: edited in place ------------------------- */

START_TEST(a_differing_kernel_service_is_edited_in_place)
{
	struct fixture f = { 0 };
	struct chk_vs_conf *va = conf_vs(&f, "10.0.0.1", "rr");
	struct dp_svc *a;
	char one[160];
	int svc_edit = 0, dest_edit = 0, dest_del = 0;

	k_svc("10.0.0.1", "wlc");	/* another scheduler */
	k_dest("10.0.1.1", 1);		/* another weight */
	k_dest("10.0.1.2", 2);		/* as desired */
	k_dest("10.0.1.9", 1);		/* not desired */
	start(&f);
	ck_assert_uint_eq(commits, 0);
	a = want_vs(&f, va);
	want_rs(&f, a, "10.0.1.1", 3);
	want_rs(&f, a, "10.0.1.2", 2);
	ck_assert_uint_eq(dp_commit(f.t), 3);
	ck_assert_uint_eq(commits, 1);
	/* the service first, then its destinations (their order is the
	 * mirror's): one request each, nothing deleted and re-added */
	ck_assert_uint_eq(nrq, 3);
	ck_assert_str_eq(rq_text(&rq[0], one, sizeof(one)), "svc~ 10.0.0.1 rr; ");
	for (size_t i = 0; i < nrq; i++) {
		rq_text(&rq[i], one, sizeof(one));
		svc_edit += strcmp(one, "svc~ 10.0.0.1 rr; ") == 0;
		dest_edit += strcmp(one, "dst~ 10.0.0.1 10.0.1.1 w3; ") == 0;
		dest_del += strcmp(one, "dst- 10.0.0.1 10.0.1.9 w1; ") == 0;
	}
	ck_assert_int_eq(svc_edit, 1);
	ck_assert_int_eq(dest_edit, 1);
	ck_assert_int_eq(dest_del, 1);
	ck_assert_str_eq(kernel(), "10.0.0.1 10.0.1.1 w3; 10.0.0.1 10.0.1.2 w2; "
	    "10.0.0.1 rr; ");
	ck_assert_int_eq(logged(LOG_INFO, "adopting TCP [10.0.0.1]:80 with 3 "
	    "destination(s)", NULL), 1);
	ck_assert_int_eq(logged(LOG_ERR, "IPVS", NULL), 0);

	/* then as desired: nothing more */
	ck_assert_uint_eq(dp_commit(f.t), 0);
	dp_table_config(f.t, &f.conf);
	ck_assert_uint_eq(commits, 1);
	dp_table_free(f.t, 0);
}
END_TEST

/* ---- lvs_timeouts: what a configuration leaves out is the kernel's from
 * before the first one, as keepalived 2.2.7 sets them ---------------------------- */

START_TEST(lvs_timeouts_left_out_go_back_to_the_kernels_first)
{
	struct fixture f = { 0 };
	char one[160];

	/* none configured: the kernel's are not even read */
	start(&f);
	ck_assert_uint_eq(timeout_reads, 0);
	ck_assert_uint_eq(nrq, 0);
	/* all three: read once, then set */
	f.conf.g.lvs_timeout_tcp = 1000;
	f.conf.g.lvs_timeout_tcpfin = 60;
	f.conf.g.lvs_timeout_udp = 200;
	dp_table_config(f.t, &f.conf);
	ck_assert_uint_eq(timeout_reads, 1);
	ck_assert_uint_eq(nrq, 1);
	ck_assert_str_eq(rq_text(&rq[0], one, sizeof(one)),
	    "timeouts 1000 60 200; ");
	/* the same again: nothing sent */
	dp_table_config(f.t, &f.conf);
	ck_assert_uint_eq(nrq, 1);
	/* tcp alone: the others back to 120 and 300, not left at 60, 200 */
	f.conf.g.lvs_timeout_tcp = 950;
	f.conf.g.lvs_timeout_tcpfin = f.conf.g.lvs_timeout_udp = 0;
	dp_table_config(f.t, &f.conf);
	ck_assert_uint_eq(nrq, 2);
	ck_assert_str_eq(rq_text(&rq[1], one, sizeof(one)),
	    "timeouts 950 120 300; ");
	/* none: all three back, read only the first time */
	f.conf.g.lvs_timeout_tcp = 0;
	dp_table_config(f.t, &f.conf);
	ck_assert_uint_eq(nrq, 3);
	ck_assert_str_eq(rq_text(&rq[2], one, sizeof(one)),
	    "timeouts 900 120 300; ");
	ck_assert_uint_eq(timeout_reads, 1);
	ck_assert_uint_eq(ktimeouts.tcp, 900);
	ck_assert_uint_eq(ktimeouts.tcp_fin, 120);
	ck_assert_uint_eq(ktimeouts.udp, 300);
	dp_table_config(f.t, &f.conf);
	ck_assert_uint_eq(nrq, 3);
	ck_assert_int_eq(logged(LOG_ERR, "IPVS", NULL), 0);
	dp_table_free(f.t, 0);
}
END_TEST

/* lvs_netlink_cmd_rcv_bufs[_force]: the IPVS socket's receive buffer, at
 * each configuration (start and reload); a refusal is logged, naming the
 * keyword */
START_TEST(lvs_netlink_cmd_rcv_bufs_sizes_the_ipvs_socket)
{
	struct fixture f = { 0 };

	start(&f);
	ck_assert_uint_eq(rcvbuf_size, 0);	/* unset: ipvs.c's default */
	ck_assert_int_eq(rcvbuf_force, 0);
	f.conf.g.lvs_netlink_cmd_rcv_bufs = 300000;
	dp_table_config(f.t, &f.conf);
	ck_assert_uint_eq(rcvbuf_size, 300000);
	ck_assert_int_eq(rcvbuf_force, 0);
	f.conf.g.lvs_netlink_cmd_rcv_bufs_force = 1;
	rcvbuf_err = -EPERM;
	dp_table_config(f.t, &f.conf);
	ck_assert_int_eq(rcvbuf_force, 1);
	ck_assert_int_eq(logged(LOG_WARNING,
	    "lvs_netlink_cmd_rcv_bufs 300000 (force)", NULL), 1);
	rcvbuf_err = 0;
	f.conf.g.lvs_netlink_cmd_rcv_bufs = 0;
	f.conf.g.lvs_netlink_cmd_rcv_bufs_force = 0;
	dp_table_config(f.t, &f.conf);
	ck_assert_uint_eq(rcvbuf_size, 0);
	dp_table_free(f.t, 0);
}
END_TEST

/* ---- 4. no IPVS at all ------------------------------------------------------- */

START_TEST(no_ipvs_in_the_kernel_is_logged_and_leaves_nothing)
{
	open_err = -ENOENT;	/* no "IPVS" generic netlink family */
	/* what the checker child asks before choosing its backend (it
	 * falls back to the logging one) */
	ck_assert_int_eq(dp_ipvs_available(), -ENOENT);
	ck_assert_int_eq(nlogs, 0);
	/* opened anyway: the table is not made, the reason logged once */
	ck_assert_ptr_null(dp_table_new(&dp_ipvs_backend, NULL));
	if (logged(LOG_ERR, "cannot open the kernel's IPVS netlink family",
	    strerror(ENOENT)) != 1)
		show_logs();
	ck_assert_int_eq(logged(LOG_ERR, "cannot open the kernel's IPVS "
	    "netlink family", strerror(ENOENT)), 1);
	ck_assert_int_eq(nlogs, 1);
	ck_assert_uint_eq(nrq, 0);
	ck_assert_uint_eq(commits, 0);
	ck_assert_uint_eq(opens, 0);

	/* IPVS there, its table unreadable: logged, the handle closed */
	open_err = 0;
	ck_assert_int_eq(dp_ipvs_available(), 0);
	ck_assert_uint_eq(closes, 1);
	k_svc("10.0.0.1", "rr");
	dump_err = -EPERM;
	ck_assert_ptr_null(dp_table_new(&dp_ipvs_backend, NULL));
	ck_assert_int_eq(logged(LOG_ERR, "cannot read the kernel table",
	    strerror(EPERM)), 1);
	ck_assert_uint_eq(opens, 2);
	ck_assert_uint_eq(closes, 2);
	ck_assert_uint_eq(nrq, 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ipvs_backend");
	TCase *tc = tcase_create("backend");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc,
	    a_refused_service_is_logged_once_and_retried_with_the_next_change);
	tcase_add_test(tc,
	    a_refused_destination_is_logged_with_its_service_and_retried);
	tcase_add_test(tc, a_service_gone_from_the_kernel_comes_back_whole);
	tcase_add_test(tc,
	    a_matching_kernel_service_is_adopted_and_a_foreign_one_left_alone);
	tcase_add_test(tc,
	    lvs_flush_removes_foreign_services_at_the_first_configuration_only);
	tcase_add_test(tc, lvs_flush_on_stop_empties_the_table_at_stop_only);
	tcase_add_test(tc, a_differing_kernel_service_is_edited_in_place);
	tcase_add_test(tc, lvs_timeouts_left_out_go_back_to_the_kernels_first);
	tcase_add_test(tc, lvs_netlink_cmd_rcv_bufs_sizes_the_ipvs_socket);
	tcase_add_test(tc, no_ipvs_in_the_kernel_is_logged_and_leaves_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(suite());
}
