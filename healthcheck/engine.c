/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The health-check engine's checks (healthcheck/engine.h): one schedule
 * and one probe per distinct check, shared by every real server that
 * names it; the bound on probes in flight; the retry logic; the engine's
 * life (its start and reload: engine_load.c; stop).
 */
#include "autoconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <event2/event.h>

#include "healthcheck/addrwatch.h"
#include "healthcheck/config_priv.h"
#include "healthcheck/engine.h"
#include "healthcheck/lograte.h"
#include "log.h"
#include "runas.h"
#include "loop.h"

/* Descriptors kept for everything but probes (ipc, logs, scripts). */
#define CHK_FD_RESERVE 128
static void check_run(struct chk_check *c);

/* ---- random numbers for the initial spread ----------------------------------- */

static uint64_t rng_state;

static uint64_t
rng_next(void)
{
	/* xorshift64*: spreads first runs; nothing depends on its quality */
	if (rng_state == 0)
		rng_state = loop_now_usec() ^ ((uint64_t)getpid() << 32) ^
		    0x9e3779b97f4a7c15ULL;
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* ---- the checks' index ----------------------------------------------------------- */

/* A check is its settings and its target: checker configurations are
 * shared by real servers that differ only in their address and port
 * (healthcheck/config_rs.c), which are the target's unless given. */
struct check_key {
	const struct chk_checker_conf *ck;
	const struct chk_rs_conf *rs;	/* whose address and port */
};

static size_t
check_key_hash(const struct check_key *k)
{
	const struct chk_checker_conf *ck = k->ck;
	unsigned port = chk_conf_conn_port(&ck->conn, ck->kind, k->rs);
	size_t h = htab_hash_bytes(HTAB_HASH_INIT, &ck->kind,
	    sizeof(ck->kind));

	h = addr_hash(h, chk_conf_conn_addr(&ck->conn, k->rs));
	h = htab_hash_bytes(h, &port, sizeof(port));
	return htab_hash_bytes(h, &ck->delay_loop, sizeof(ck->delay_loop));
}

/* c's key: its configuration and a subscriber's real server (they all
 * have the same target; a check always has one) */
static struct check_key
check_key_of(const struct chk_check *c)
{
	struct check_key k = { c->conf, LIST_FIRST(&c->subs)->rs->conf };

	return k;
}

static size_t
check_hash(const struct htab_node *n)
{
	struct check_key k = check_key_of(HTAB_ENTRY(n, struct chk_check,
	    hnode));

	return check_key_hash(&k);
}

static int
check_eq(const struct htab_node *n, const void *key)
{
	const struct chk_check *c = HTAB_ENTRY(n, struct chk_check, hnode);
	const struct check_key *k = key;
	struct check_key ck = check_key_of(c);

	if (c->conf != k->ck && !chk_conf_checker_eq(c->conf, k->ck))
		return 0;
	return addr_cmp(chk_conf_conn_addr(&c->conf->conn, ck.rs),
	    chk_conf_conn_addr(&k->ck->conn, k->rs)) == 0 &&
	    chk_conf_conn_port(&c->conf->conn, c->conf->kind, ck.rs) ==
	    chk_conf_conn_port(&k->ck->conn, k->ck->kind, k->rs);
}

const struct chk_kind *
chk_check_kind(const struct chk_check *c)
{
	return chk_kind_find(c->conf->kind);
}

unsigned long long
chk_check_failures(const struct chk_check *c)
{
	unsigned long long n = 0;

	if (c->fails != NULL)
		for (unsigned f = 0; f < CHK_FAIL_MAX; f++)
			n += c->fails->n[f];
	return n;
}

const char *
chk_check_target(const struct chk_check *c, char *buf, size_t len)
{
	const struct chk_sub *s = LIST_FIRST(&c->subs);
	char a[ADDR_STRLEN];

	if (s == NULL) {
		snprintf(buf, len, "[?]");
		return buf;
	}
	snprintf(buf, len, "[%s]:%u", addr_ntop(chk_conf_conn_addr(
	    &c->conf->conn, s->rs->conf), a, sizeof(a)), chk_conf_conn_port(
	    &c->conf->conn, c->conf->kind, s->rs->conf));
	return buf;
}

/* The engine of a check with subscribers. */
static struct chk_engine *
check_eng(const struct chk_check *c)
{
	return LIST_FIRST(&c->subs)->rs->vs->eng;
}

/* ---- probes in flight ----------------------------------------------------------- */

/* A probe of the engine's pool: while a check runs it, c is the check. */
struct chk_probe_slot {
	struct chk_probe p;
	struct chk_probe_slot *next;	/* in the pool */
};

static struct chk_probe *
slot_get(struct chk_engine *e)
{
	struct chk_probe_slot *sl = e->pool;

	if (sl != NULL) {
		e->pool = sl->next;
		e->npool--;
		return &sl->p;
	}
	if ((sl = calloc(1, sizeof(*sl))) == NULL)
		return NULL;
	e->nslots++;
	return &sl->p;
}

static void
slot_put(struct chk_engine *e, struct chk_probe *p)
{
	struct chk_probe_slot *sl = (struct chk_probe_slot *)(void *)p;

	sl->next = e->pool;
	e->pool = sl;
	e->npool++;
}

/* The check's run ends (done, failed to start, cancelled): what the kind
 * keeps goes back to the check. Returns the probe, which the caller gives
 * back to the pool (slot_put) once it has read its result. */
static struct chk_probe *
check_unslot(struct chk_check *c)
{
	struct chk_probe *p = c->r.probe;

	c->running = 0;
	c->r.kstate = p->kstate;
	p->kstate = NULL;
	return p;
}

/* A probe for c's next run, holding what the kind kept; NULL when out of
 * memory. */
static struct chk_probe *
check_slot(struct chk_engine *e, struct chk_check *c)
{
	const struct chk_sub *s = LIST_FIRST(&c->subs);
	struct chk_probe *p = slot_get(e);

	if (p == NULL)
		return NULL;
	chk_probe_init(p, &e->env, s->rs->vs->conf, s->rs->conf, c->conf);
	p->kstate = c->r.kstate;
	c->r.probe = p;
	c->running = 1;
	return p;
}

/* Stop c's run if it has one (done is not called). */
static void
check_cancel(struct chk_engine *e, struct chk_check *c)
{
	const struct chk_kind *k = chk_check_kind(c);

	if (!c->running)
		return;
	chk_probe_cancel(c->r.probe);
	if (k != NULL) {
		e->inflight--;
		e->inflight_fds -= k->fds;
	}
	slot_put(e, check_unslot(c));
}

/* ---- scheduling ---------------------------------------------------------------- */

static void
check_schedule(struct chk_engine *e, struct chk_check *c, uint64_t usec)
{
	if (e->stopping || c->queued)
		return;
	chk_sched_add(e->sched, &c->w.sched, usec);
}

static void
check_due(struct chk_sched_node *n, void *arg)
{
	(void)arg;
	check_run(HTAB_ENTRY(n, struct chk_check, w.sched));
}

static void
check_enqueue(struct chk_engine *e, struct chk_check *c, int front)
{
	if (c->queued)
		return;
	chk_sched_del(e->sched, &c->w.sched);
	c->queued = 1;
	e->queued_total++;
	e->nqueued++;
	if (front) {
		c->w.qnext = e->qhead;
		if (e->qhead == NULL)
			e->qtail = &c->w.qnext;
		e->qhead = c;
	} else {
		c->w.qnext = NULL;
		*e->qtail = c;
		e->qtail = &c->w.qnext;
	}
}

static void
check_dequeue(struct chk_engine *e, struct chk_check *c)
{
	struct chk_check **pp;

	if (!c->queued)
		return;
	/* the first, but for a check freed while it waits */
	for (pp = &e->qhead; *pp != c; pp = &(*pp)->w.qnext)
		;
	*pp = c->w.qnext;
	if (e->qtail == &c->w.qnext)
		e->qtail = pp;
	c->queued = 0;
	c->w.sched.idx = 0;
	e->nqueued--;
}

static void
engine_pump(struct chk_engine *e)
{
	struct chk_check *c;

	while ((c = e->qhead) != NULL &&
	    e->inflight_fds + chk_check_kind(c)->fds <= e->max_fds) {
		check_dequeue(e, c);
		check_run(c);
		if (c->queued)
			break;		/* out of descriptors after all */
	}
}

/* ---- results ------------------------------------------------------------------- */

/* A failure of class f: counted, and its reason kept while it fails
 * (most checks succeed: they hold none); the same text is not copied
 * again. */
static void
check_note_failure(struct chk_check *c, enum chk_fail f, const char *why)
{
	size_t n = strlen(why);
	struct chk_check_fails *x;

	if (c->fails == NULL) {
		if ((x = calloc(1, sizeof(*x) + n + 1)) == NULL)
			return;		/* not counted */
		c->fails = x;
	} else if (strcmp(c->fails->reason, why) != 0 &&
	    (x = realloc(c->fails, sizeof(*x) + n + 1)) != NULL)
		c->fails = x;
	else
		n = SIZE_MAX;		/* the same, or the old one stays */
	c->fails->n[f]++;
	if (n != SIZE_MAX)
		memcpy(c->fails->reason, why, n + 1);
}

/* It succeeds: its reason goes (its counts stay). */
static void
check_clear_reason(struct chk_check *c)
{
	struct chk_check_fails *x;

	if (c->fails == NULL || c->fails->reason[0] == '\0')
		return;
	c->fails->reason[0] = '\0';
	if ((x = realloc(c->fails, sizeof(*x) + 1)) != NULL)
		c->fails = x;
}

/* The pools of probes (the engine's, probe.c's events, the kinds') grew
 * to the most probes in flight at once, which a start's first runs make
 * many: they go, and grow again to what the steady state keeps in flight. */
static void
engine_trim(struct chk_engine *e)
{
	struct chk_probe_slot *sl;

	while ((sl = e->pool) != NULL) {
		e->pool = sl->next;
		free(sl);
	}
	e->nslots -= e->npool;
	e->npool = 0;
	chk_probe_trim();
	for (unsigned k = 0; k < CHK_KIND_MAX; k++) {
		const struct chk_kind *kd = chk_kind_find(k);

		if (kd != NULL && kd->kind_trim != NULL)
			kd->kind_trim();
	}
}

/* c has its first result, or goes before it: once every check a start
 * or reload made has one, the engine has settled. */
static void
check_unfresh(struct chk_engine *e, struct chk_check *c)
{
	if (!c->fresh)
		return;
	c->fresh = 0;
	if (--e->nfresh > 0 || e->npending > 0 || e->stopping)
		return;
	if (e->reloaded)
		log_info("checks: the reload's %u new check(s) have their "
		    "first result (%u distinct check(s) in all)", e->batch_new,
		    e->nchecks);
	else
		log_info("checks: every check has its first result (%u "
		    "distinct check(s))", e->nchecks);
	engine_trim(e);
	if (e->hooks.settled != NULL)
		e->hooks.settled(e->hooks.arg);
}

/* p: the probe's result (its run has ended: p is not c's any more). */
static void
check_result(struct chk_engine *e, struct chk_check *c,
    const struct chk_probe *p)
{
	const struct chk_checker_conf *ck = c->conf;
	const struct chk_kind *k = chk_check_kind(c);
	const char *kind = k != NULL ? k->name :
	    chk_conf_checker_kind_name(ck->kind);
	uint64_t next = ck->delay_loop, lat;
	int changed = 0, was_up = c->up, first_down = 0;
	struct chk_sub *s, *sn;

	lat = loop_now_usec() - p->started;
	c->runs++;
	c->has_result = 1;
	c->last_ok = p->ok != 0;
	c->latency = lat > UINT32_MAX ? UINT32_MAX : (uint32_t)lat;
	c->last = (uint32_t)time(NULL);
	check_unfresh(e, c);
	if (p->ok) {
		c->retries = 0;
		c->decided = 1;
		check_clear_reason(c);
		if (!c->up) {
			c->up = 1;
			changed = 1;
			if (chk_log_allow(CHK_LOG_CHECK))
				log_info("%s %s: success", kind, p->name);
		}
		if (p->weight != CHK_INT_UNSET && p->weight != c->weight) {
			c->weight = p->weight;
			changed = 1;
		}
	} else {
		check_note_failure(c, chk_fail_class(ck->kind, p->reason),
		    p->reason);
		/* retry also before the first result past them: an alpha
		 * check that started down (keepalived's !has_run) */
		if ((c->up || !c->decided) &&
		    c->retries < (ck->retry < (int)CHK_RETRIES_MAX ?
		    (unsigned)ck->retry : CHK_RETRIES_MAX)) {
			c->retries++;
			next = ck->delay_before_retry;
			log_msg(ck->log_all_failures ? LOG_NOTICE : LOG_DEBUG,
			    "%s %s: %s (retry %u of %d)", kind, p->name,
			    p->reason, c->retries, ck->retry);
		} else {
			c->retries = 0;
			if (c->up) {
				c->up = 0;
				changed = 1;
			} else if (!c->decided && c->alpha_start)
				first_down = 1;
			c->decided = 1;
			/* the real server's "UP -> DOWN" line carries the
			 * reason: one line per transition, not two; every
			 * failure with log_all_failures */
			if (ck->log_all_failures &&
			    chk_log_allow(CHK_LOG_CHECK))
				log_notice("%s %s: %s", kind, p->name,
				    p->reason);
			else if (was_up)
				log_debug("%s %s: %s", kind, p->name,
				    p->reason);
		}
	}
	c->flipped = c->up != was_up;
	/* MISC_CHECK runs every delay_loop from the start of the last run,
	 * as keepalived's does: a slow script does not stretch it */
	if (ck->kind == CHK_MISC)
		check_schedule(e, c, next > lat ? next - lat : 1);
	else
		check_schedule(e, c, next);
	/* a subscriber may detach itself (never the check) while told */
	LIST_FOREACH(s, &c->subs, link)
		chk_hist_add(&s->rs->vs->hist, c->latency);
	for (s = LIST_FIRST(&c->subs); s != NULL; s = sn) {
		sn = LIST_NEXT(s, link);
		if (first_down)
			chk_rs_first_down(s->rs, c);
		chk_rs_update(s->rs, c, changed);
	}
}

static void
check_done(struct chk_probe *p, void *arg)
{
	struct chk_check *c = arg;
	struct chk_engine *e = check_eng(c);
	const struct chk_kind *k = chk_check_kind(c);

	if (k != NULL) {
		e->inflight--;
		e->inflight_fds -= k->fds;
	}
	(void)check_unslot(c);
	check_result(e, c, p);
	slot_put(e, p);
	engine_pump(e);
}

/* ha_suspend: every virtual server the check serves is suspended. */
static int
check_suspended(const struct chk_check *c)
{
	const struct chk_sub *s;

	LIST_FOREACH(s, &c->subs, link)
		if (!s->rs->vs->suspended)
			return 0;
	return !LIST_EMPTY(&c->subs);
}

static void
check_run(struct chk_check *c)
{
	struct chk_engine *e = check_eng(c);
	const struct chk_kind *k = chk_check_kind(c);
	struct chk_probe *p;

	if (e->stopping || c->running || c->queued)
		return;
	if (check_suspended(c)) {
		check_schedule(e, c, c->conf->delay_loop);
		return;
	}
	if (k != NULL && e->inflight_fds + k->fds > e->max_fds) {
		check_enqueue(e, c, 0);
		return;
	}
	if ((p = check_slot(e, c)) == NULL) {
		/* out of memory: try again later, as on EMFILE */
		check_schedule(e, c, 100000);
		return;
	}
	e->probes++;
	errno = 0;
	if (chk_probe_start(p, check_done, c) < 0) {
		int err = errno;

		(void)check_unslot(c);
		if (err == EMFILE || err == ENFILE) {
			/* someone else holds descriptors: wait for ours */
			if (!e->emfile_logged)
				log_warn("out of file descriptors with %u "
				    "probe(s) in flight: checks wait for a "
				    "free one", e->inflight);
			e->emfile_logged = 1;
			if (e->inflight > 0) {
				e->max_fds = e->inflight_fds;
				check_enqueue(e, c, 1);
			} else {
				check_schedule(e, c, 100000);
			}
			slot_put(e, p);
			return;
		}
		check_result(e, c, p);	/* failed at once: p->reason */
		slot_put(e, p);
		return;
	}
	if (k != NULL) {
		e->inflight++;
		e->inflight_fds += k->fds;
	}
}

/* ---- subscribing ---------------------------------------------------------------- */

static void
check_free(struct chk_engine *e, struct chk_check *c)
{
	const struct chk_kind *k = chk_check_kind(c);
	struct chk_probe p;

	check_unfresh(e, c);
	check_cancel(e, c);
	check_dequeue(e, c);
	chk_sched_unreserve(e->sched, &c->w.sched);
	if (c->r.kstate != NULL) {
		/* what the kind kept, released through a probe of c's */
		memset(&p, 0, sizeof(p));
		p.env = &e->env;
		p.conf = c->conf;
		p.fd = -1;
		p.kstate = c->r.kstate;
		if (k != NULL && k->release != NULL)
			k->release(&p);
	}
	free(c->fails);
	htab_del(&e->checks, &c->hnode);
	e->nchecks--;
	free(c);
}

/* A new check starts in its real server's handed-over state, else up
 * unless alpha (keepalived's rule). */
static int
check_start_up(const struct chk_checker_conf *ck, int initial_up)
{
	return initial_up > 0 || (initial_up < 0 && !ck->alpha);
}

int
chk_check_initial(const struct chk_engine *e, const struct chk_checker_conf *ck,
    const struct chk_rs_conf *rc, int initial_up)
{
	struct check_key key = { ck, rc };
	struct htab_node *n;

	/* a start has none yet: 100,000 lookups saved */
	if (e->nchecks > 0 && (n = htab_find(&e->checks,
	    check_key_hash(&key), check_eq, &key)) != NULL)
		return HTAB_ENTRY(n, struct chk_check, hnode)->up;
	return check_start_up(ck, initial_up);
}

int
chk_check_attach(struct chk_engine *e, struct chk_sub *s, int initial_up)
{
	const struct chk_checker_conf *ck = s->conf;
	struct check_key key = { ck, s->rs->conf };
	struct htab_node *n = htab_find(&e->checks, check_key_hash(&key),
	    check_eq, &key);
	struct chk_check *c;
	uint64_t first;
	char name[CHK_TARGET_LEN];

	if (n != NULL) {
		c = HTAB_ENTRY(n, struct chk_check, hnode);
		goto link;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	c->conf = ck;
	c->up = check_start_up(ck, initial_up);
	c->alpha_start = initial_up < 0 && ck->alpha;
	c->weight = CHK_INT_UNSET;
	c->fresh = 1;
	e->nfresh++;
	e->batch_new++;
	LIST_INIT(&c->subs);
	if (chk_sched_reserve(e->sched) < 0) {
		e->nfresh--;
		e->batch_new--;
		free(c);
		return -1;
	}
	/* its key is read from its subscriber's real server */
	LIST_INSERT_HEAD(&c->subs, s, link);
	if (htab_add(&e->checks, &c->hnode) < 0) {
		LIST_REMOVE(s, link);
		chk_sched_unreserve(e->sched, &c->w.sched);
		e->nfresh--;
		e->batch_new--;
		free(c);
		return -1;
	}
	e->nchecks++;
	s->check = c;
	if (chk_check_kind(c) == NULL)
		log_warn("%s %s: not supported yet; the check fails",
		    chk_conf_checker_kind_name(ck->kind),
		    chk_check_target(c, name, sizeof(name)));
	/* the first run: a random point within warmup, so that checks
	 * sharing an interval spread over it */
	first = ck->warmup > 0 ? rng_next() % ck->warmup : 0;
	check_schedule(e, c, first);
	return 0;
link:
	LIST_INSERT_HEAD(&c->subs, s, link);
	s->check = c;
	return 0;
}

/* c runs what its first subscriber's configuration says; a probe in flight
 * on another one's runs again (the kind may hold pointers into it). */
static void
check_repoint(struct chk_engine *e, struct chk_check *c)
{
	const struct chk_sub *s = LIST_FIRST(&c->subs);

	if (s == NULL || c->conf == s->conf)
		return;
	if (c->running) {
		check_cancel(e, c);
		check_schedule(e, c, 0);
	}
	c->conf = s->conf;
}

void
chk_check_detach(struct chk_sub *s)
{
	struct chk_check *c = s->check;
	struct chk_engine *e;

	if (c == NULL)
		return;
	e = s->rs->vs->eng;
	if (!chk_check_shared(c)) {
		/* out of the index while s still gives its key */
		check_free(e, c);
		s->check = NULL;
		return;
	}
	LIST_REMOVE(s, link);
	s->check = NULL;
	/* the probe reads a subscriber's configuration: another one's */
	if (c->conf == s->conf)
		check_repoint(e, c);
}

/* ---- engine --------------------------------------------------------------------- */

static unsigned
engine_fd_budget(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1024 - CHK_FD_RESERVE;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 1u << 20)
		rl.rlim_cur = 1u << 20;
	if (rl.rlim_cur <= 2 * CHK_FD_RESERVE)
		return rl.rlim_cur > 16 ? (unsigned)rl.rlim_cur / 2 : 4;
	return (unsigned)rl.rlim_cur - CHK_FD_RESERVE;
}

static size_t
vsrun_hash(const struct htab_node *n)
{
	const struct chk_vsrun *v = HTAB_ENTRY(n, struct chk_vsrun, hnode);

	return htab_hash_bytes(HTAB_HASH_INIT, &v->conf, sizeof(v->conf));
}

static void
commit_cb(evutil_socket_t fd, short what, void *arg)
{
	struct chk_engine *e = arg;

	(void)fd;
	(void)what;
	/* a start's decisions are pending (the slice makes them): the
	 * whole desired table, services and destinations, goes then in one
	 * batch, not the services first in a batch of their own */
	if (e->undecided)
		return;
	dp_commit(e->dp);
}

time_t
chk_engine_clock_hold(struct chk_engine *e)
{
	time_t held = e->clock;

	if (held == 0)
		e->clock = time(NULL);
	return held;
}

void
chk_engine_clock_release(struct chk_engine *e, time_t held)
{
	e->clock = held;
}

void
chk_engine_touch(struct chk_engine *e)
{
	if (e->commit != NULL && !e->stopping)
		event_active(e->commit, EV_TIMEOUT, 1);
}

struct chk_env *
chk_engine_env(struct chk_engine *e)
{
	return &e->env;
}

struct chk_engine *
chk_engine_new(struct event_base *base, struct script_runner *scripts,
    const struct dp_backend_ops *dp, const struct chk_engine_hooks *hooks)
{
	struct chk_engine *e = calloc(1, sizeof(*e));

	if (e == NULL)
		return NULL;
	e->env.base = base;
	e->env.scripts = scripts;
	notify_fifo_init(&e->fifo[0], "notify_fifo");
	notify_fifo_init(&e->fifo[1], "lvs_notify_fifo");
	if (hooks != NULL)
		e->hooks = *hooks;
	htab_init(&e->checks, check_hash, NULL);
	htab_init(&e->vsruns, vsrun_hash, NULL);
	TAILQ_INIT(&e->vslist);
	e->qtail = &e->qhead;
	e->max_fds = engine_fd_budget();
	e->dp = dp_table_new(dp, base);
	e->commit = event_new(base, -1, 0, commit_cb, e);
	e->slice = event_new(base, -1, 0, chk_engine_slice_cb, e);
	e->sched = chk_sched_new(base, check_due, e);
	chk_log_rate_init(base);
	if (e->dp == NULL || e->commit == NULL || e->slice == NULL ||
	    e->sched == NULL) {
		(void)chk_engine_free(e, 0);
		return NULL;
	}
	log_debug("checks: at most %u descriptor(s) for probes in flight",
	    e->max_fds);
	return e;
}

/* Every check reads its configuration from a subscriber of the new
 * generation; a probe in flight on the old one runs again. */
void
chk_engine_repoint(struct chk_engine *e)
{
	struct htab_iter it;
	struct htab_node *n;

	for (n = htab_first(&e->checks, &it); n != NULL;
	    n = htab_next(&e->checks, &it))
		check_repoint(e, HTAB_ENTRY(n, struct chk_check, hnode));
}

/* ---- stop ----------------------------------------------------------- */

unsigned
chk_engine_free(struct chk_engine *e, int flush)
{
	struct chk_vsrun *vs;
	unsigned started;

	if (e == NULL)
		return 0;
	e->stopping = 1;
	while ((vs = TAILQ_FIRST(&e->vslist)) != NULL)
		chk_vs_free(vs);
	chk_ovr_free_all(e);
	chk_fifo_close(e);	/* after the omega lines */
	if (e->dp != NULL) {
		dp_commit(e->dp);
		dp_table_free(e->dp, flush);
	}
	chk_mail_free(e);	/* sent for a second at most, the table done */
	for (unsigned k = 0; k < CHK_KIND_MAX; k++) {
		const struct chk_kind *kd = chk_kind_find(k);

		if (kd != NULL && kd->kind_free != NULL)
			kd->kind_free(&e->env);
	}
	runas_defaults_clear(&e->env.runas);
	chk_addrwatch_free(e->aw);
	chk_log_rate_free();
	if (e->commit != NULL)
		event_free(e->commit);
	if (e->slice != NULL)
		event_free(e->slice);
	engine_trim(e);
	chk_sched_free(e->sched);
	free(e->pendq);
	htab_free(&e->checks);
	htab_free(&e->vsruns);
	started = e->stop_scripts;
	free(e);
	return started;
}
