/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's IPVS counters of the virtual and real servers, read in
 * rounds while a reader wants them (healthcheck/chk_stats.h).
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "healthcheck/chk_attrs.h"
#include "healthcheck/chk_stats.h"
#include "healthcheck/engine.h"
#include "ipc_msg.h"
#include "log.h"

struct chk_stats {
	struct chk_engine *e;
	chk_stats_send_fn *send;
	void *arg;
	struct event *tick;		/* the next round */
	struct event *step;		/* the next slice of a round */
	struct event *hold;		/* the bound of a held snapshot */
	struct event *fire;		/* calls ready from the loop */
	chk_stats_ready_fn *ready;	/* a held snapshot can be taken */
	void *ready_arg;
	int held;			/* a reader waits for the round */
	unsigned long long holds, holds_cut;
	unsigned interval;		/* seconds; 0: never */
	double last_ask;		/* monotonic seconds; < 0: never */
	double last_begin;		/* of the last round; < 0: none */
	int running;
	unsigned long round;
	struct chk_vsrun *cursor;	/* next to read; NULL: from the head */
	unsigned long cursor_freed;	/* e->vs_freed when cursor was set */
	unsigned long long rounds, requests, records, whole, failed;
	/* the round being read, then the last one read whole */
	struct round_fig {
		unsigned services, requests, slices;
		double started, longest;	/* seconds */
		double took;			/* 0: not over */
	} cur, last;
};

static double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Compare what was read with what was last sent and tell the parent. */
static void
report(struct chk_stats *s, const char *kind, const char *name,
    struct dp_counters *have, unsigned char *have_known,
    const struct dp_counters *c,
    int known, int dest, const struct chk_rsrun *rs,
    const struct chk_vsrun *vs)
{
	struct chk_engine *e = s->e;
	struct ipc_attrs a;

	if (!known && !*have_known)
		return;
	if (known != *have_known) {
		/* the kernel holds it now, or no longer: a whole record */
		*have_known = known != 0;
		*have = *c;
		s->whole++;
		if (rs != NULL && e->hooks.rs_changed != NULL)
			e->hooks.rs_changed(e->hooks.arg, rs);
		if (vs != NULL && e->hooks.vs_changed != NULL)
			e->hooks.vs_changed(e->hooks.arg, vs);
		return;
	}
	ipc_attrs_init(&a);
	if (chk_ipvs_attrs(c, have, dest, &a) == 0)
		return;
	*have = *c;
	s->records++;
	s->send(s->arg, kind, name, a.buf);
}

/* Read one virtual server's destinations, then report it and its real
 * servers. Returns the kernel requests made. */
static int
read_vs(struct chk_stats *s, struct chk_vsrun *vs)
{
	struct chk_engine *e = s->e;
	struct chk_rsrun *rs;
	struct dp_counters c;
	char name[256];
	int n, known;

	vs->stats_round = s->round;
	if (vs->svc == NULL)
		return 0;
	if ((n = dp_stats_read(e->dp, vs->svc)) < 0) {
		s->failed++;
		return 1;
	}
	s->requests += (unsigned)n;
	known = dp_counters_get(e->dp, vs->svc, NULL, 0, &c);
	report(s, "virtual_server", vs->name, &vs->ipvs, &vs->ipvs_known, &c,
	    known, 0, NULL, vs);
	TAILQ_FOREACH(rs, &vs->rs, link) {
		known = dp_counters_get(e->dp, vs->svc, &rs->conf->addr,
		    chk_conf_ipvs_port(vs->conf, &rs->conf->fwd,
		    rs->conf->port), &c);
		if (!known && !rs->ipvs_known)
			continue;
		/* a real server's counters are made when the kernel first
		 * reports them: one whose counters nobody reads holds none */
		if (rs->ipvs == NULL &&
		    (rs->ipvs = calloc(1, sizeof(*rs->ipvs))) == NULL)
			continue;
		chk_rs_name(rs, name, sizeof(name));
		report(s, "real_server", name, rs->ipvs, &rs->ipvs_known, &c,
		    known, 1, rs, NULL);
	}
	/* the sorry server, a destination like the others while in */
	memset(&c, 0, sizeof(c));
	known = vs->conf->sorry.set && dp_counters_get(e->dp, vs->svc,
	    &vs->conf->sorry.addr, chk_conf_ipvs_port(vs->conf,
	    &vs->conf->sorry.fwd, vs->conf->sorry.port), &c);
	report(s, "virtual_server", vs->name, &vs->sorry_ipvs,
	    &vs->sorry_ipvs_known, &c, known, CHK_IPVS_SORRY, NULL, vs);
	return n;
}

/* Read up to budget kernel services' destinations; 1 when the round is
 * over. */
static int
slice(struct chk_stats *s, unsigned budget)
{
	struct chk_engine *e = s->e;
	struct chk_vsrun *vs = s->cursor;
	unsigned used = 0;

	if (vs == NULL || s->cursor_freed != e->vs_freed)
		vs = TAILQ_FIRST(&e->vslist);	/* the read ones are skipped */
	while (vs != NULL && used < budget) {
		struct chk_vsrun *next = TAILQ_NEXT(vs, link);

		if (vs->stats_round != s->round) {
			int n = read_vs(s, vs);

			used += n > 0 ? (unsigned)n : 1;
			s->cur.services++;
			s->cur.requests += n > 0 ? (unsigned)n : 0;
		}
		vs = next;
	}
	s->cursor = vs;
	s->cursor_freed = e->vs_freed;
	return vs == NULL;
}

/* One slice, timed (the figures chk_stats_dump shows). */
static int
timed_slice(struct chk_stats *s, unsigned budget)
{
	double t0 = mono_now(), t;
	int done = slice(s, budget);

	t = mono_now() - t0;
	s->cur.slices++;
	if (t > s->cur.longest)
		s->cur.longest = t;
	return done;
}

static void
fire_cb(evutil_socket_t fd, short what, void *arg)
{
	struct chk_stats *s = arg;

	(void)fd;
	(void)what;
	if (s->ready != NULL)
		s->ready(s->ready_arg);
}

/* The reader waiting for the round gets its snapshot, from the loop (not
 * in the middle of a reload that stopped the round). */
static void
release(struct chk_stats *s)
{
	struct timeval zero = { 0, 0 };

	if (!s->held)
		return;
	s->held = 0;
	evtimer_del(s->hold);
	evtimer_add(s->fire, &zero);
}

static void
hold_cb(evutil_socket_t fd, short what, void *arg)
{
	struct chk_stats *s = arg;

	(void)fd;
	(void)what;
	s->holds_cut++;
	log_info("IPVS counters: the round is still running after %u s: the "
	    "snapshot goes out with the counters read so far",
	    CHK_STATS_HOLD_S);
	release(s);
}

static void
round_end(struct chk_stats *s, int whole)
{
	s->running = 0;
	s->cursor = NULL;
	release(s);
	if (!whole)
		return;
	s->cur.took = mono_now() - s->cur.started;
	s->last = s->cur;
	log_debug("IPVS counters: %u service(s) read in %.1f ms, %u "
	    "request(s) in %u slice(s), the longest %.1f ms", s->last.services,
	    s->last.took * 1e3, s->last.requests + 1, s->last.slices,
	    s->last.longest * 1e3);
}

static int
round_begin(struct chk_stats *s)
{
	s->round++;
	s->rounds++;
	s->running = 1;
	s->cursor = NULL;
	s->last_begin = mono_now();
	memset(&s->cur, 0, sizeof(s->cur));
	s->cur.started = s->last_begin;
	s->requests++;
	if (dp_stats_begin(s->e->dp) < 0) {
		s->failed++;
		round_end(s, 0);
		return -1;
	}
	s->cur.longest = mono_now() - s->cur.started;	/* the dump */
	return 0;
}

static void
step_cb(evutil_socket_t fd, short what, void *arg)
{
	struct chk_stats *s = arg;
	struct timeval now = { 0, 0 };

	(void)fd;
	(void)what;
	if (!s->running)
		return;
	if (timed_slice(s, CHK_STATS_BUDGET))
		round_end(s, 1);
	else
		evtimer_add(s->step, &now);	/* after the loop's other work */
}

static void
start_round(struct chk_stats *s, int now_if_small)
{
	struct timeval zero = { 0, 0 };

	if (s->running || round_begin(s) < 0)
		return;
	if (now_if_small && s->e->nvs <= CHK_STATS_BUDGET) {
		while (!timed_slice(s, CHK_STATS_BUDGET))
			;
		round_end(s, 1);
		return;
	}
	evtimer_add(s->step, &zero);
}

static void
arm(struct chk_stats *s)
{
	struct timeval tv = { (time_t)s->interval, 0 };

	if (s->interval > 0)
		evtimer_add(s->tick, &tv);
}

static void
tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct chk_stats *s = arg;

	(void)fd;
	(void)what;
	if (s->interval == 0 || s->last_ask < 0 ||
	    mono_now() - s->last_ask > CHK_STATS_IDLE_S)
		return;		/* nobody asked lately: the next ask re-arms */
	start_round(s, 0);
	arm(s);
}

struct chk_stats *
chk_stats_new(struct event_base *base, struct chk_engine *e,
    chk_stats_send_fn *send, void *arg)
{
	struct chk_stats *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->e = e;
	s->send = send;
	s->arg = arg;
	s->interval = CHK_STATS_INTERVAL_S;
	s->last_ask = s->last_begin = -1;
	s->tick = evtimer_new(base, tick_cb, s);
	s->step = evtimer_new(base, step_cb, s);
	s->hold = evtimer_new(base, hold_cb, s);
	s->fire = evtimer_new(base, fire_cb, s);
	if (s->tick == NULL || s->step == NULL || s->hold == NULL ||
	    s->fire == NULL) {
		chk_stats_free(s);
		return NULL;
	}
	return s;
}

void
chk_stats_free(struct chk_stats *s)
{
	if (s == NULL)
		return;
	if (s->tick != NULL)
		event_free(s->tick);
	if (s->step != NULL)
		event_free(s->step);
	if (s->hold != NULL)
		event_free(s->hold);
	if (s->fire != NULL)
		event_free(s->fire);
	free(s);
}

void
chk_stats_interval(struct chk_stats *s, unsigned seconds)
{
	if (s == NULL || s->interval == seconds)
		return;
	s->interval = seconds;
	evtimer_del(s->tick);
	if (seconds == 0) {
		evtimer_del(s->step);
		round_end(s, 0);
	} else if (s->last_ask >= 0)
		arm(s);
}

void
chk_stats_on_ready(struct chk_stats *s, chk_stats_ready_fn *fn, void *arg)
{
	if (s == NULL)
		return;
	s->ready = fn;
	s->ready_arg = arg;
}

int
chk_stats_asked(struct chk_stats *s)
{
	double now = mono_now();
	struct timeval bound = { CHK_STATS_HOLD_S, 0 };
	int started = 0;

	if (s == NULL || s->interval == 0 || !dp_stats_available(s->e->dp))
		return 0;
	s->last_ask = now;
	if (!s->running && (s->last_begin < 0 ||
	    now - s->last_begin >= s->interval)) {
		start_round(s, 1);
		started = s->running;
	}
	if (!evtimer_pending(s->tick, NULL))
		arm(s);
	if (s->held)
		return 1;	/* joins the reader already waiting */
	if (!started || s->ready == NULL)
		return 0;	/* none running, or one of the rounds that go on
				 * while readers ask: what the last read is
				 * fresh enough */
	/* the counters were older than the interval and the round this
	 * request started is spread over turns of the loop (a large
	 * table): the snapshot waits for its end, bounded */
	s->held = 1;
	s->holds++;
	evtimer_add(s->hold, &bound);
	return 1;
}

void
chk_stats_dump(const struct chk_stats *s, FILE *fp)
{
	double now = mono_now();

	if (s == NULL)
		return;
	if (s->interval == 0) {
		fprintf(fp, " IPVS counters: not read (ipvs_stats_interval 0)\n");
		return;
	}
	fprintf(fp, " IPVS counters: every %u s while asked (last ask %s%.0f s "
	    "ago), %llu round(s), %llu request(s), %llu counters record(s), "
	    "%llu whole record(s), %llu failure(s)%s\n", s->interval,
	    s->last_ask < 0 ? "never: " : "", s->last_ask < 0 ? 0 :
	    now - s->last_ask, s->rounds, s->requests, s->records, s->whole,
	    s->failed, s->running ? "; a round is running" : "");
	fprintf(fp, "  snapshots held for a round: %llu (%llu cut at %u s)%s\n",
	    s->holds, s->holds_cut, CHK_STATS_HOLD_S, s->held ?
	    "; one is held now" : "");
	if (s->last.took > 0)
		fprintf(fp, "  last round: %u service(s) in %.1f ms, %u "
		    "request(s) in %u slice(s), the longest (or the services' "
		    "dump) %.1f ms\n", s->last.services, s->last.took * 1e3,
		    s->last.requests + 1, s->last.slices,
		    s->last.longest * 1e3);
}
