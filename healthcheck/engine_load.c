/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The health-check engine's start and reload (healthcheck/engine.h): the
 * queue of real servers waiting for their checks, attached in slices so
 * that running checks keep their schedule; a reload's diff applied to the
 * running virtual and real servers; ha_suspend's watch of the host's
 * addresses.
 */
#include "autoconfig.h"

#include <stdlib.h>

#include <event2/event.h>

#include "healthcheck/addrwatch.h"
#include "healthcheck/config_priv.h"
#include "healthcheck/engine.h"
#include "log.h"
#include "loop.h"

/* Real servers whose checks a start or reload attaches per turn of the
 * loop. */
#define CHK_RELOAD_SLICE 2000

/* ha_suspend: which virtual servers' addresses are not on this host. */
static void
engine_addrs(void *arg)
{
	struct chk_engine *e = arg;
	struct chk_vsrun *vs;
	int s;

	TAILQ_FOREACH(vs, &e->vslist, link) {
		s = vs->conf->ha_suspend && vs->conf->kind == CHK_VS_ADDR &&
		    !chk_addrwatch_has(e->aw, &vs->conf->addr);
		if (s == vs->suspended)
			continue;
		vs->suspended = s;
		if (s)
			log_notice("virtual server %s: its address is not on "
			    "this host: checks suspended (ha_suspend)",
			    vs->name);
		else
			log_notice("virtual server %s: its address is on this "
			    "host: checks resumed", vs->name);
		if (e->hooks.vs_changed != NULL)
			e->hooks.vs_changed(e->hooks.arg, vs);
	}
}

/* Watch the host's addresses once a virtual server asks for it. */
static void
engine_watch_addrs(struct chk_engine *e, const struct chk_conf *c)
{
	const struct chk_vs_conf *vc;

	for (vc = c->vs; vc != NULL; vc = vc->next)
		if (vc->ha_suspend && vc->kind == CHK_VS_ADDR)
			break;
	if (vc == NULL)
		return;
	/* keepalived's monitor socket: the address events */
	if (e->aw == NULL) {
		e->aw = chk_addrwatch_new(e->env.base, engine_addrs, e);
		chk_addrwatch_rcvbuf(e->aw, c->g.lvs_netlink_monitor_rcv_bufs,
		    c->g.lvs_netlink_monitor_rcv_bufs_force);
	} else {
		chk_addrwatch_rcvbuf(e->aw, c->g.lvs_netlink_monitor_rcv_bufs,
		    c->g.lvs_netlink_monitor_rcv_bufs_force);
		engine_addrs(e);
	}
}

/* Room for one more in the queue; 0 or -1. */
static int
pend_room(struct chk_engine *e)
{
	struct chk_rsrun **q;
	uint32_t cap;

	if (e->pend_tail < e->pend_cap)
		return 0;
	if (e->pend_head > 0 && e->pend_head >= e->pend_tail / 2) {
		/* slide what is left to the front */
		for (uint32_t i = e->pend_head; i < e->pend_tail; i++) {
			e->pendq[i - e->pend_head] = e->pendq[i];
			if (e->pendq[i] != NULL)
				e->pendq[i]->pidx = i - e->pend_head;
		}
		e->pend_tail -= e->pend_head;
		e->pend_head = 0;
		return 0;
	}
	if (e->pend_cap >= UINT32_MAX / 2)
		return -1;
	cap = e->pend_cap > 0 ? e->pend_cap * 2 : 1024;
	if ((q = realloc(e->pendq, cap * sizeof(*q))) == NULL)
		return -1;
	e->pendq = q;
	e->pend_cap = cap;
	return 0;
}

void
chk_engine_pend(struct chk_engine *e, struct chk_rsrun *rs)
{
	if (rs->pending)
		return;
	if (pend_room(e) < 0) {
		/* out of memory for the queue: attached now instead */
		if (chk_rs_attach(rs) < 0)
			log_err("checks: out of memory attaching the checks "
			    "of a real server");
		return;
	}
	rs->pending = 1;
	rs->pidx = e->pend_tail;
	e->pendq[e->pend_tail++] = rs;
	e->npending++;
	rs->vs->npending++;
	if (e->slice != NULL)
		event_active(e->slice, EV_TIMEOUT, 1);
}

/* The queue is empty: its array goes. */
static void
pend_drop(struct chk_engine *e)
{
	free(e->pendq);
	e->pendq = NULL;
	e->pend_head = e->pend_tail = e->pend_cap = 0;
}

void
chk_engine_unpend(struct chk_rsrun *rs)
{
	struct chk_engine *e = rs->vs->eng;

	if (!rs->pending)
		return;
	e->pendq[rs->pidx] = NULL;
	rs->pending = 0;
	e->npending--;
	rs->vs->npending--;
	if (e->npending == 0)
		pend_drop(e);
}

/* The first real server waiting for its checks, or NULL. */
static struct chk_rsrun *
pend_first(struct chk_engine *e)
{
	while (e->pend_head < e->pend_tail) {
		if (e->pendq[e->pend_head] != NULL)
			return e->pendq[e->pend_head];
		e->pend_head++;
	}
	return NULL;
}

/* A virtual server and its real servers, decided by engine_decide;
 * their checks are attached in slices (slice_cb). */
static int
engine_add_vs(struct chk_engine *e, const struct chk_vs_conf *vc,
    chk_engine_known_fn *known, void *arg)
{
	struct chk_vsrun *vs = chk_vs_new(e, vc);
	struct chk_rsrun *rs;

	if (vs == NULL)
		return -1;
	for (const struct chk_rs_conf *rc = vc->rs; rc != NULL;
	    rc = rc->next) {
		if (chk_ovr_removed(vs, rc))
			continue;
		rs = chk_rs_new(vs, rc, known != NULL ? known(arg, vc, rc) :
		    -1);
		if (rs == NULL)
			return -1;
		chk_engine_pend(e, rs);
	}
	e->undecided = 1;
	event_active(e->slice, EV_TIMEOUT, 1);
	return 0;
}

/*
 * The virtual servers not decided yet (a start's, once the runtime
 * changes handed over are in; a reload's new ones): each real server as
 * its checks will start (chk_rs_start: up unless alpha, or its
 * handed-over state), then the virtual server, as keepalived starts
 * them, so that the whole desired table goes to the backend before the
 * slices attach 100,000 checks. 1 if it decided any.
 */
static int
engine_decide(struct chk_engine *e, int hold_reports)
{
	struct chk_vsrun *vs;
	struct chk_rsrun *rs;
	time_t held;

	if (!e->undecided)
		return 0;
	e->undecided = 0;
	e->hold_reports = hold_reports;
	held = chk_engine_clock_hold(e);
	TAILQ_FOREACH(vs, &e->vslist, link) {
		if (vs->quorum_up >= 0)
			continue;
		TAILQ_FOREACH(rs, &vs->rs, link)
			if (rs->pending && !rs->early)
				chk_rs_start(rs);
		chk_vs_eval(vs, 1);
	}
	chk_vs_first_logged(e);
	chk_engine_clock_release(e, held);
	e->hold_reports = 0;
	return 1;
}

/* The reports engine_decide held: each real server of a virtual server
 * decided, then the virtual server. */
static void
engine_report_held(struct chk_engine *e)
{
	struct chk_vsrun *vs;
	struct chk_rsrun *rs;

	TAILQ_FOREACH(vs, &e->vslist, link) {
		if (!vs->held)
			continue;
		vs->held = 0;
		TAILQ_FOREACH(rs, &vs->rs, link)
			if (rs->up >= 0 && e->hooks.rs_changed != NULL)
				e->hooks.rs_changed(e->hooks.arg, rs);
		if (e->hooks.vs_changed != NULL)
			e->hooks.vs_changed(e->hooks.arg, vs);
	}
}

int
chk_engine_start(struct chk_engine *e, const struct chk_conf *c,
    chk_engine_known_fn *known, void *arg)
{
	time_t held = chk_engine_clock_hold(e);

	e->env.conf = c;
	for (const struct chk_vs_conf *vc = c->vs; vc != NULL; vc = vc->next)
		if (engine_add_vs(e, vc, known, arg) < 0) {
			log_err("checks: out of memory starting %s", vc->loc.file
			    != NULL ? vc->loc.file : "the configuration");
			chk_engine_clock_release(e, held);
			return -1;
		}
	chk_engine_clock_release(e, held);
	engine_watch_addrs(e, c);
	chk_engine_touch(e);
	log_info("checks: %u virtual server(s), %u real server(s), decided "
	    "as their checks start (the desired table goes to the backend "
	    "whole); their checks start in slices of %u", e->nvs, e->nrs,
	    CHK_RELOAD_SLICE);
	return 0;
}

/* ---- attaching in slices, reload ----------------------------------------------- */

void
chk_engine_slice_cb(evutil_socket_t fd, short what, void *arg)
{
	struct chk_engine *e = arg;
	struct chk_rsrun *rs;
	unsigned n = 0;
	uint64_t t0, t1;
	time_t held;

	(void)fd;
	(void)what;
	t0 = loop_now_usec();
	if (engine_decide(e, 1)) {
		size_t svcs, dests;

		/* the start's table goes first, before the reports of its
		 * first decisions and the checks' attaching */
		dp_table_count(e->dp, &svcs, &dests);
		t1 = loop_now_usec();
		log_info("checks: every virtual server decided in %.1f ms: "
		    "the desired table holds %zu service(s), %zu "
		    "destination(s); handed to the backend", (double)(t1 -
		    t0) / 1000.0, svcs, dests);
		dp_commit(e->dp);
		log_debug("checks: the backend took the desired table in "
		    "%.1f ms", (double)(loop_now_usec() - t1) / 1000.0);
		engine_report_held(e);
		if (e->npending > 0)
			event_active(e->slice, EV_TIMEOUT, 1);
		return;
	}
	held = chk_engine_clock_hold(e);
	while (n++ < CHK_RELOAD_SLICE && (rs = pend_first(e)) != NULL) {
		chk_engine_unpend(rs);
		e->batch_rs++;
		if (chk_rs_attach(rs) < 0)
			log_err("checks: out of memory attaching the checks "
			    "of a real server");
	}
	chk_engine_clock_release(e, held);
	if (e->npending > 0)
		event_active(e->slice, EV_TIMEOUT, 1);
	else if (n > 1 && e->reloaded)
		log_info("checks: the reload's real servers are attached: %u "
		    "real server(s), %u new check(s) (%u distinct check(s) "
		    "for %u real server(s) in all)", e->batch_rs, e->batch_new,
		    e->nchecks, e->nrs);
	else if (n > 1)
		log_info("checks: every real server's checks started: %u "
		    "distinct check(s) for %u real server(s)", e->nchecks,
		    e->nrs);
	chk_engine_touch(e);
}

struct reload_run {
	struct chk_engine *e;
	unsigned fail;
	/* the virtual server matched last and its new configuration: its
	 * real servers' events follow it (100,000 lookups saved) */
	struct chk_vsrun *vs;
	const struct chk_vs_conf *vs_new;
};

/* A real server the reload brings: its checks attached in the slices. */
static void
reload_rs_add(struct reload_run *r, struct chk_vsrun *vs,
    const struct chk_rs_conf *rc)
{
	struct chk_rsrun *rs = chk_rs_new(vs, rc, -1);

	if (rs == NULL)
		r->fail++;
	else
		chk_engine_pend(r->e, rs);
}

static void
reload_rs(struct reload_run *r, const struct chk_conf_diff_ev *ev)
{
	/* its virtual server was matched (and re-keyed) just before */
	struct chk_vsrun *vs = r->vs_new == ev->vs_new ? r->vs :
	    chk_vs_find(r->e, ev->vs_new);
	struct chk_rsrun *rs;

	if (vs == NULL)
		return;
	/* an IPVS destination real servers share (or shared) is decided
	 * again once every one of them has its new configuration */
	if ((ev->rs_old != NULL && ev->rs_old->dest_share != CHK_DEST_OWN) ||
	    (ev->rs_new != NULL && ev->rs_new->dest_share != CHK_DEST_OWN))
		vs->dest_recheck = 1;
	/* the configuration changed it: its runtime changes go */
	if (ev->kind != CONF_DIFF_UNCHANGED)
		chk_ovr_conf_changed(vs, ev->rs_new != NULL ? &ev->rs_new->addr :
		    &ev->rs_old->addr, ev->rs_new != NULL ? ev->rs_new->port :
		    ev->rs_old->port);
	if (ev->kind == CONF_DIFF_ADDED) {
		reload_rs_add(r, vs, ev->rs_new);
		return;
	}
	rs = chk_rs_find(vs, &ev->rs_old->addr, ev->rs_old->port);
	if (rs == NULL) {
		/* removed at runtime: a change brings it back */
		if (ev->kind == CONF_DIFF_CHANGED)
			reload_rs_add(r, vs, ev->rs_new);
		return;
	}
	switch (ev->kind) {
	case CONF_DIFF_REMOVED:
		chk_rs_free(rs, 1);
		break;
	case CONF_DIFF_CHANGED:
		chk_rs_detach(rs);
		rs->conf = ev->rs_new;
		chk_rs_dest_moved(rs, chk_conf_dest_port(ev->vs_old,
		    &ev->rs_old->fwd, ev->rs_old->port));
		/* not attached yet: decided again as its new checkers
		 * will start */
		if (rs->early)
			chk_rs_start(rs);
		chk_engine_pend(r->e, rs);
		break;
	default: {
		/* unchanged: the same checkers in the same order */
		const struct chk_checker_conf *ck = ev->rs_new->checks->list;

		rs->conf = ev->rs_new;
		struct chk_sub *subs = chk_rs_subs(rs);

		for (unsigned i = 0; i < rs->nsubs && ck != NULL; i++,
		    ck = ck->next)
			subs[i].conf = ck;
		break;
	}
	}
}

static void
reload_ev(void *arg, const struct chk_conf_diff_ev *ev)
{
	struct reload_run *r = arg;
	struct chk_vsrun *vs;

	if (ev->is_rs) {
		if (ev->vs_old != NULL && ev->vs_new != NULL)
			reload_rs(r, ev);
		return;
	}
	switch (ev->kind) {
	case CONF_DIFF_ADDED:
		if (engine_add_vs(r->e, ev->vs_new, NULL, NULL) < 0)
			r->fail++;
		break;
	case CONF_DIFF_REMOVED:
		if ((vs = chk_vs_find(r->e, ev->vs_old)) != NULL)
			chk_vs_free(vs);
		break;
	default:
		/* matched: the new configuration (its real servers follow
		 * as events of their own) */
		if ((vs = chk_vs_find(r->e, ev->vs_old)) != NULL) {
			chk_vs_reconf(vs, ev->vs_new,
			    ev->kind != CONF_DIFF_UNCHANGED);
			r->vs = vs;
			r->vs_new = ev->vs_new;
		}
		break;
	}
}

int
chk_engine_reload(struct chk_engine *e, const struct chk_conf *old,
    const struct chk_conf *new)
{
	return chk_engine_reload_diff(e, old, new, NULL);
}

int
chk_engine_reload_diff(struct chk_engine *e, const struct chk_conf *old,
    const struct chk_conf *new, struct chk_conf_diff *d)
{
	struct reload_run r = { e, 0, NULL, NULL };
	struct chk_vsrun *vs;
	time_t held = chk_engine_clock_hold(e);

	e->reloaded = 1;
	e->batch_rs = e->batch_new = 0;
	chk_conf_diff(old, new, d, reload_ev, &r);
	e->env.conf = new;
	chk_ovr_reload(e);
	chk_ovr_reload_shared(e);
	chk_engine_repoint(e);
	engine_watch_addrs(e, new);
	(void)engine_decide(e, 0);
	TAILQ_FOREACH(vs, &e->vslist, link) {
		if (vs->dest_recheck) {
			struct chk_rsrun *rs;

			vs->dest_recheck = 0;
			TAILQ_FOREACH(rs, &vs->rs, link)
				chk_rs_apply(rs);
		}
		chk_vs_eval(vs, 0);
	}
	if (e->npending > 0)
		event_active(e->slice, EV_TIMEOUT, 1);
	chk_engine_touch(e);
	chk_engine_clock_release(e, held);
	log_info("checks: %u virtual server(s), %u real server(s), %u "
	    "distinct check(s); %u real server(s) to attach", e->nvs, e->nrs,
	    e->nchecks, e->npending);
	return r.fail > 0 ? -1 : 0;
}
