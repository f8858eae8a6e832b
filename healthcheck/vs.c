/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A virtual server (healthcheck/engine.h): its service in the desired
 * table, its quorum and the sorry server, as keepalived decides them.
 *
 * The live weight is the sum of the weights of its real servers that are
 * up. Quorum is gained when it reaches quorum + hysteresis and lost when
 * it falls below quorum - hysteresis (on the first evaluation: quorum
 * alone). While quorum is lost and a sorry_server is set, the sorry
 * server alone is in the table (the live real servers leave it, as
 * keepalived's); when quorum returns they come back and the sorry server
 * leaves (with sorry_server_inhibit it stays with weight 0).
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "healthcheck/engine.h"
#include "healthcheck/lograte.h"
#include "log.h"

static size_t
vs_ptr_hash(const struct chk_vs_conf *c)
{
	return htab_hash_bytes(HTAB_HASH_INIT, &c, sizeof(c));
}

static int
vs_eq(const struct htab_node *n, const void *key)
{
	return HTAB_ENTRY(n, struct chk_vsrun, hnode)->conf == key;
}

struct chk_vsrun *
chk_vs_find(const struct chk_engine *e, const struct chk_vs_conf *conf)
{
	struct htab_node *n = htab_find(&e->vsruns, vs_ptr_hash(conf), vs_eq,
	    conf);

	return n != NULL ? HTAB_ENTRY(n, struct chk_vsrun, hnode) : NULL;
}

static void
vs_service(struct chk_vsrun *vs)
{
	struct dp_service s;

	dp_service_from_conf(&s, vs->conf);
	vs->svc = dp_svc_set(vs->eng->dp, &s);
	if (vs->svc == NULL)
		log_err("desired table: out of memory adding %s", vs->name);
	chk_engine_touch(vs->eng);
}

struct chk_vsrun *
chk_vs_new(struct chk_engine *e, const struct chk_vs_conf *conf)
{
	struct chk_vsrun *vs = calloc(1, sizeof(*vs));

	if (vs == NULL)
		return NULL;
	vs->eng = e;
	vs->conf = conf;
	vs->quorum_up = -1;
	vs->since = chk_engine_now(e);
	chk_conf_vs_name(conf, vs->name, sizeof(vs->name));
	chk_rs_index_init(&vs->rsidx);
	TAILQ_INIT(&vs->rs);
	if (htab_add(&e->vsruns, &vs->hnode) < 0) {
		free(vs);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&e->vslist, vs, link);
	e->nvs++;
	vs_service(vs);
	return vs;
}

/* A real server of vs whose entry in the table would be the sorry
 * server's (the same address and IPVS port; DR and TUN take the virtual
 * server's port): keepalived's s_svr_duplicates_rs. */
static struct chk_rsrun *
vs_sorry_twin(struct chk_vsrun *vs, const struct vg_addr *a, unsigned port)
{
	return chk_rs_dest_find(vs, a, port, NULL);
}

static void
vs_sorry_remove(struct chk_vsrun *vs)
{
	struct chk_rsrun *twin;

	if (!vs->sorry_set)
		return;
	vs->sorry_set = 0;
	twin = vs_sorry_twin(vs, &vs->sorry_dest.addr, vs->sorry_dest.port);
	if (twin != NULL)
		/* the entry is the real server's again, as its state says */
		chk_rs_apply(twin);
	else if (vs->svc != NULL)
		dp_dest_del(vs->eng->dp, vs->svc, &vs->sorry_dest.addr,
		    vs->sorry_dest.port);
	chk_engine_touch(vs->eng);
}

/* The sorry server as the state wants it: in (weight 1), inhibited
 * (weight 0) or out. */
static void
vs_sorry_apply(struct chk_vsrun *vs)
{
	const struct chk_sorry_conf *sc = &vs->conf->sorry;
	struct dp_dest d;

	if (!sc->set || (!vs->sorry_in && !sc->inhibit)) {
		vs_sorry_remove(vs);
		return;
	}
	memset(&d, 0, sizeof(d));
	d.addr = sc->addr;
	d.port = chk_conf_dest_port(vs->conf, &sc->fwd, sc->port);
	d.weight = vs->sorry_in ? 1 : 0;
	d.fwd = dp_fwd_of(&sc->fwd);
	d.sorry = 1;
	if (!vs->sorry_in && vs_sorry_twin(vs, &d.addr, d.port) != NULL) {
		/* inhibited on a real server's own entry: the real server's
		 * state decides that entry, not weight 0 */
		vs_sorry_remove(vs);
		return;
	}
	if (vs->sorry_set && (addr_cmp(&d.addr, &vs->sorry_dest.addr) != 0 ||
	    d.port != vs->sorry_dest.port))
		vs_sorry_remove(vs);
	if (vs->svc != NULL && dp_dest_set(vs->eng->dp, vs->svc, &d) == 0) {
		vs->sorry_dest = d;
		vs->sorry_set = 1;
	}
	chk_engine_touch(vs->eng);
}

static void
vs_report(struct chk_vsrun *vs)
{
	struct chk_engine *e = vs->eng;

	if (e->hold_reports)
		vs->held = 1;
	else if (e->hooks.vs_changed != NULL)
		e->hooks.vs_changed(e->hooks.arg, vs);
}

/* Whether a quorum line is logged, at *prio: a change's under the log
 * rate; a first decision's at notice for the first CHK_FIRST_LOG of a
 * start or reload, the others at debug and counted (10,000 lines at a
 * start, each a write: 1.1 ms each under User-Mode Linux held the table
 * back by 5 s). */
static int
vs_log_allow(struct chk_vsrun *vs, int was, int up, int *prio)
{
	struct chk_engine *e = vs->eng;

	*prio = LOG_NOTICE;
	if (was < 0 && e->first_logged >= CHK_FIRST_LOG) {
		e->first_quiet[up != 0]++;
		*prio = LOG_DEBUG;
		return log_detail() >= 1;
	}
	if (was < 0)
		e->first_logged++;
	return chk_log_allow(CHK_LOG_VS);
}

void
chk_vs_first_logged(struct chk_engine *e)
{
	if (e->first_quiet[0] + e->first_quiet[1] > 0)
		log_notice("checks: %u more virtual server(s) starting with "
		    "quorum up, %u with quorum lost (the first %u logged; "
		    "the others at debug, each in the state dump)",
		    e->first_quiet[1], e->first_quiet[0], CHK_FIRST_LOG);
	e->first_logged = 0;
	e->first_quiet[0] = e->first_quiet[1] = 0;
}

void
chk_vs_eval(struct chk_vsrun *vs, int init)
{
	const struct chk_vs_conf *c = vs->conf;
	struct chk_rsrun *rs;
	long sum = 0, hi, lo;
	unsigned nup = 0;
	int was = vs->quorum_up, up = was, sorry, prio;

	TAILQ_FOREACH(rs, &vs->rs, link)
		if (rs->up == 1) {
			sum += rs->weight;
			nup++;
		}
	hi = (long)c->quorum + (long)c->hysteresis;
	lo = (long)c->quorum - (long)c->hysteresis;
	/* the first decision, as keepalived's at start: against quorum +
	 * hysteresis (it counts from "down") */
	if (was < 0 || init)
		up = sum >= hi;
	else if (!was && sum >= hi)
		up = 1;
	else if (was && sum < lo)
		up = 0;
	if (up == was && sum == vs->weight_sum && nup == vs->nup && !init)
		return;
	vs->weight_sum = sum;
	vs->nup = nup;
	vs->quorum_up = up;
	if (up != was) {
		vs->since = chk_engine_now(vs->eng);
		if (up) {
			/* keepalived notifies a start with quorum too
			 * ("Starting with quorum up") */
			if (vs_log_allow(vs, was, up, &prio))
				log_msg(prio, "virtual server %s: %s: live weight "
				    "%ld >= %u + %u", vs->name, was >= 0 ?
				    "quorum gained" : "starting with quorum up",
				    sum, c->quorum, c->hysteresis);
			chk_engine_script(vs->eng, &c->quorum_up, "quorum_up");
			chk_fifo_vs(vs->eng, c, 1);
			chk_mail_quorum(vs, sum, was >= 0 ? CHK_MAIL_CHANGE :
			    CHK_MAIL_STARTING);
		} else {
			if (vs_log_allow(vs, was, up, &prio))
				log_msg(prio, "virtual server %s: quorum lost: "
				    "live weight %ld < %u - %u", vs->name, sum,
				    c->quorum, c->hysteresis);
			/* keepalived notifies a first decision down only
			 * where a sorry server takes over ("Starting with
			 * quorum down") */
			if (was >= 0 || c->sorry.set) {
				chk_engine_script(vs->eng, &c->quorum_down,
				    "quorum_down");
				chk_fifo_vs(vs->eng, c, 0);
				chk_mail_quorum(vs, sum, was >= 0 ?
				    CHK_MAIL_CHANGE : CHK_MAIL_STARTING);
			}
		}
	}
	sorry = !up && c->sorry.set;
	if (was < 0 && sorry == vs->sorry_in) {
		/* first decision: the real servers enter the table now */
		TAILQ_FOREACH(rs, &vs->rs, link)
			chk_rs_apply(rs);
	}
	if (sorry != vs->sorry_in) {
		vs->sorry_in = sorry;
		if (sorry && chk_log_allow(CHK_LOG_VS))
			log_notice("virtual server %s: sorry server in%s",
			    vs->name, nup > 0 ? "; live real servers leave "
			    "the table" : "");
		else if (!sorry && was >= 0 && chk_log_allow(CHK_LOG_VS))
			log_notice("virtual server %s: sorry server out; real "
			    "servers back in the table", vs->name);
		TAILQ_FOREACH(rs, &vs->rs, link)
			chk_rs_apply(rs);
	}
	vs_sorry_apply(vs);
	vs_report(vs);
}

void
chk_vs_reconf(struct chk_vsrun *vs, const struct chk_vs_conf *conf,
    int changed)
{
	struct chk_rsrun *rs;

	htab_del(&vs->eng->vsruns, &vs->hnode);
	vs->conf = conf;
	(void)htab_add(&vs->eng->vsruns, &vs->hnode);	/* node reused */
	vs_service(vs);
	if (!conf->sorry.set || !vs->sorry_in)
		vs->sorry_in = vs->sorry_in && conf->sorry.set;
	vs_sorry_apply(vs);
	/* unchanged: its real servers' destinations are as they were (a
	 * real server the reload changes is applied by its own event) */
	if (!changed)
		return;
	TAILQ_FOREACH(rs, &vs->rs, link)
		chk_rs_apply(rs);
}

void
chk_vs_free(struct chk_vsrun *vs)
{
	struct chk_engine *e = vs->eng;
	struct chk_rsrun *rs;

	while ((rs = TAILQ_FIRST(&vs->rs)) != NULL)
		chk_rs_free(rs, 0);
	chk_ovr_vs_gone(vs);
	if (e->stopping && vs->conf->omega && vs->quorum_up == 1) {
		log_info("virtual server %s: stopping (omega): quorum_down",
		    vs->name);
		chk_engine_script(e, &vs->conf->quorum_down, "quorum_down");
		chk_fifo_vs(e, vs->conf, 0);
		chk_mail_quorum(vs, vs->weight_sum, CHK_MAIL_STOPPING);
	}
	if (vs->svc != NULL)
		dp_svc_del(e->dp, vs->svc);
	chk_engine_touch(e);
	htab_del(&e->vsruns, &vs->hnode);
	htab_free(&vs->rsidx);
	TAILQ_REMOVE(&e->vslist, vs, link);
	e->nvs--;
	e->vs_freed++;
	free(vs);
}

void
chk_vs_dump(const struct chk_vsrun *vs, FILE *fp)
{
	const struct chk_rsrun *rs;

	fprintf(fp, "  Virtual server %s: quorum %s (live weight %ld, %u of "
	    "%u real server(s) up, quorum %u, hysteresis %u)%s\n", vs->name,
	    vs->quorum_up < 0 ? "not evaluated" : vs->quorum_up ? "up" :
	    "lost", vs->weight_sum, vs->nup, vs->nrs, vs->conf->quorum,
	    vs->conf->hysteresis, vs->sorry_in ? "; sorry server in" :
	    vs->suspended ? "; checks suspended (ha_suspend: its address "
	    "is not on this host)" : "");
	TAILQ_FOREACH(rs, &vs->rs, link)
		chk_rs_dump(rs, fp);
}

/* ---- the engine's virtual servers: dump and walk ---------------------------------- */

void
chk_engine_dump(const struct chk_engine *e, FILE *fp)
{
	const struct chk_vsrun *vs;

	fprintf(fp, " Checks: %u distinct for %u real server(s) of %u "
	    "virtual server(s); %u in flight, %u waiting for a descriptor "
	    "(budget %u, %llu waited so far); %llu probe(s) run; %u real "
	    "server(s) still to attach\n", e->nchecks, e->nrs, e->nvs,
	    e->inflight, e->nqueued, e->max_fds, e->queued_total, e->probes,
	    e->npending);
	TAILQ_FOREACH(vs, &e->vslist, link)
		chk_vs_dump(vs, fp);
	dp_table_dump(e->dp, fp);
}

void
chk_engine_walk(const struct chk_engine *e,
    void (*vsfn)(void *arg, const struct chk_vsrun *vs),
    void (*rsfn)(void *arg, const struct chk_rsrun *rs), void *arg)
{
	const struct chk_vsrun *vs;
	const struct chk_rsrun *rs;

	TAILQ_FOREACH(vs, &e->vslist, link) {
		if (vsfn != NULL)
			vsfn(arg, vs);
		if (rsfn != NULL)
			TAILQ_FOREACH(rs, &vs->rs, link)
				rsfn(arg, rs);
	}
}
