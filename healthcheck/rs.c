/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A real server as one virtual server sees it (healthcheck/engine.h): up
 * when every one of its checks is up (keepalived's rule), its weight
 * (MISC_CHECK's dynamic weight replaces the configured one),
 * inhibit_on_failure (a failed server stays in the table with weight 0),
 * notify_up / notify_down, and its destination in the desired table.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "healthcheck/engine.h"
#include "healthcheck/lograte.h"
#include "log.h"
#include "loop.h"

static size_t
rs_key_hash(const struct vg_addr *a, unsigned port)
{
	return htab_hash_bytes(addr_hash(HTAB_HASH_INIT, a), &port,
	    sizeof(port));
}

static size_t
rs_hash(const struct htab_node *n)
{
	const struct chk_rsrun *rs = HTAB_ENTRY(n, struct chk_rsrun, hnode);

	return rs_key_hash(&rs->conf->addr, rs->conf->port);
}

struct rs_key {
	const struct vg_addr *addr;
	unsigned port;
};

static int
rs_eq(const struct htab_node *n, const void *key)
{
	const struct chk_rsrun *rs = HTAB_ENTRY(n, struct chk_rsrun, hnode);
	const struct rs_key *k = key;

	return rs->conf->port == k->port &&
	    addr_cmp(&rs->conf->addr, k->addr) == 0;
}

void
chk_rs_index_init(struct htab *h)
{
	htab_init(h, rs_hash, NULL);
}

struct chk_rsrun *
chk_rs_find(const struct chk_vsrun *vs, const struct vg_addr *addr,
    unsigned port)
{
	struct rs_key k = { addr, port };
	struct htab_node *n = htab_find(&vs->rsidx, rs_key_hash(addr, port),
	    rs_eq, &k);

	return n != NULL ? HTAB_ENTRY(n, struct chk_rsrun, hnode) : NULL;
}

void
chk_rs_name_of(const char *vs, const struct vg_addr *addr, unsigned port,
    char *buf, size_t len)
{
	char a[ADDR_STRLEN], p[12], *q = p + sizeof(p);
	size_t nv = strlen(vs), na, np;

	/* "%s / [%s]:%u" without a format (the state store names every
	 * real server at each reload) */
	addr_ntop(addr, a, sizeof(a));
	na = strlen(a);
	do
		*--q = (char)('0' + port % 10);
	while ((port /= 10) != 0 && q > p);
	np = (size_t)(p + sizeof(p) - q);
	if (len < nv + na + np + 7) {
		snprintf(buf, len, "%s / [%s]:%.*s", vs, a, (int)np, q);
		return;
	}
	memcpy(buf, vs, nv);
	memcpy(buf + nv, " / [", 4);
	memcpy(buf + nv + 4, a, na);
	memcpy(buf + nv + 4 + na, "]:", 2);
	memcpy(buf + nv + 6 + na, q, np);
	buf[nv + 6 + na + np] = '\0';
}

void
chk_rs_name(const struct chk_rsrun *rs, char *buf, size_t len)
{
	chk_rs_name_of(rs->vs->name, &rs->conf->addr, rs->conf->port, buf,
	    len);
}

void
chk_rs_logname(const struct chk_rsrun *rs, char *buf, size_t len)
{
	unsigned dport = chk_conf_ipvs_port(rs->vs->conf, &rs->conf->fwd,
	    rs->conf->port);
	size_t n;
	char a[ADDR_STRLEN];

	chk_rs_name(rs, buf, len);
	if (dport == rs->conf->port || (n = strlen(buf)) + 1 >= len)
		return;
	snprintf(buf + n, len - n, " (IPVS [%s]:%u)", addr_ntop(
	    &rs->conf->addr, a, sizeof(a)), dport);
}

struct chk_rsrun *
chk_rs_new(struct chk_vsrun *vs, const struct chk_rs_conf *conf, int known)
{
	struct chk_rsrun *rs = calloc(1, sizeof(*rs));

	if (rs == NULL)
		return NULL;
	rs->vs = vs;
	rs->conf = conf;
	rs->up = (signed char)known;	/* -1: decided by its checks when
					 * attached, or as they will start
					 * (chk_rs_start) */
	rs->handed = (unsigned)(known + 1) & 3;
	rs->weight = conf->weight;
	rs->since = (uint32_t)chk_engine_now(vs->eng);
	if ((rs->ovr = chk_ovr_find(vs->eng, vs, &conf->addr, conf->port)) !=
	    NULL) {
		rs->ovr->rs = rs;
		rs->weight = rs->ovr->drained ? 0 : chk_ovr_base_weight(rs);
	}
	if (htab_add(&vs->rsidx, &rs->hnode) < 0) {
		free(rs);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&vs->rs, rs, link);
	vs->nrs++;
	vs->eng->nrs++;
	return rs;
}

/* Up when every check is up; the first failed one says why. */
static int
rs_checks_up(const struct chk_rsrun *rs, const struct chk_check **failed)
{
	const struct chk_sub *subs = chk_rs_subs(rs);

	*failed = NULL;
	for (unsigned i = 0; i < rs->nsubs; i++) {
		const struct chk_check *c = subs[i].check;

		if (c != NULL && !c->up) {
			*failed = c;
			return 0;
		}
	}
	return 1;
}

/* Drain beats everything; set-weight replaces the configured weight; a
 * dynamic weight from the checks acts on top. */
static int
rs_weight(const struct chk_rsrun *rs)
{
	int w = chk_ovr_base_weight(rs);
	const struct chk_sub *subs = chk_rs_subs(rs);

	if (rs->ovr != NULL && rs->ovr->drained)
		return 0;

	for (unsigned i = 0; i < rs->nsubs; i++) {
		const struct chk_check *c = subs[i].check;

		if (c != NULL && c->weight != CHK_INT_UNSET)
			w = c->weight;
	}
	return w;
}

static unsigned
rs_dest_port(const struct chk_rsrun *rs)
{
	return chk_conf_dest_port(rs->vs->conf, &rs->conf->fwd,
	    rs->conf->port);
}

/* A real server of vs but except whose IPVS destination is (a, port),
 * or NULL. */
struct chk_rsrun *
chk_rs_dest_find(const struct chk_vsrun *vs, const struct vg_addr *a,
    unsigned port, const struct chk_rsrun *except)
{
	struct chk_rsrun *m;

	TAILQ_FOREACH(m, &vs->rs, link)
		if (m != except && addr_cmp(&m->conf->addr, a) == 0 &&
		    rs_dest_port(m) == port)
			return m;
	return NULL;
}

/* Another real server on rs's IPVS destination, or NULL (only one the
 * configuration marks can have one). */
static struct chk_rsrun *
rs_dest_twin(const struct chk_rsrun *rs)
{
	if (rs->conf->dest_share == CHK_DEST_OWN)
		return NULL;
	return chk_rs_dest_find(rs->vs, &rs->conf->addr, rs_dest_port(rs),
	    rs);
}

/* The state of rs's IPVS destination when real servers share it
 * (config_finalize.c's shared_dests): up while every one of them is up,
 * down once one is down, undecided (-1) while one is undecided and none
 * down; *first is the one the entry takes its weight and settings from,
 * the first in the file (or the first here when that one is gone). The
 * entry follows no single real server's last change, so one failing
 * while another passes does not flap it. */
static int
rs_dest_state(const struct chk_rsrun *rs, const struct chk_rsrun **first)
{
	const struct chk_rsrun *m, *any = NULL;
	unsigned port = rs_dest_port(rs);
	int up = 1;

	*first = NULL;
	TAILQ_FOREACH(m, &rs->vs->rs, link) {
		if (addr_cmp(&m->conf->addr, &rs->conf->addr) != 0 ||
		    rs_dest_port(m) != port)
			continue;
		if (any == NULL)
			any = m;
		if (*first == NULL && m->conf->dest_share != CHK_DEST_LATER)
			*first = m;
		if (m->up == 0)
			up = 0;
		else if (m->up < 0 && up == 1)
			up = -1;
	}
	if (*first == NULL)
		*first = any != NULL ? any : rs;
	return up;
}

void
chk_rs_apply(struct chk_rsrun *rs)
{
	struct chk_engine *e = rs->vs->eng;
	const struct chk_rsrun *o = rs;	/* the entry's settings */
	struct dp_dest d;
	int up = rs->up;

	/* until its virtual server is first decided (quorum, sorry server)
	 * nothing enters the table: no add-then-remove at start */
	if (rs->up < 0 || rs->vs->svc == NULL || rs->vs->quorum_up < 0)
		return;
	if (rs->conf->dest_share != CHK_DEST_OWN &&
	    (up = rs_dest_state(rs, &o)) < 0)
		return;
	if (rs->vs->sorry_in || (!up && !o->conf->inhibit_on_failure)) {
		dp_dest_del(e->dp, rs->vs->svc, &rs->conf->addr,
		    rs_dest_port(rs));
		chk_engine_touch(e);
		return;
	}
	memset(&d, 0, sizeof(d));
	d.addr = o->conf->addr;
	d.port = rs_dest_port(o);
	d.weight = up ? o->weight : 0;
	d.fwd = dp_fwd_of(&o->conf->fwd);
	d.uthreshold = o->conf->uthreshold;
	d.lthreshold = o->conf->lthreshold;
	if (dp_dest_set(e->dp, rs->vs->svc, &d) < 0)
		log_err("desired table: out of memory adding a real server");
	chk_engine_touch(e);
}

void
chk_rs_dest_moved(struct chk_rsrun *rs, unsigned old_port)
{
	struct chk_vsrun *vs = rs->vs;

	if (vs->svc == NULL || old_port == rs_dest_port(rs))
		return;
	/* its IPVS destination moved (a reload changed lb_kind or
	 * lvs_method: DR and TUN take the virtual server's port): the old
	 * entry goes; the real servers of vs decide theirs again after the
	 * reload (one on the old entry adds it back in the same batch) */
	dp_dest_del(vs->eng->dp, vs->svc, &rs->conf->addr, old_port);
	vs->dest_recheck = 1;
	chk_engine_touch(vs->eng);
}

static void
rs_report(struct chk_rsrun *rs)
{
	struct chk_engine *e = rs->vs->eng;

	if (e->hold_reports)
		rs->vs->held = 1;
	else if (e->hooks.rs_changed != NULL)
		e->hooks.rs_changed(e->hooks.arg, rs);
}

static const char *
rs_kind_name(const struct chk_check *c)
{
	const struct chk_kind *k = chk_check_kind(c);

	return k != NULL ? k->name : chk_conf_checker_kind_name(c->conf->kind);
}

const struct chk_check *
chk_rs_failed(const struct chk_rsrun *rs)
{
	const struct chk_check *failed;

	(void)rs_checks_up(rs, &failed);
	return failed;
}

const char *
chk_rs_reason(const struct chk_rsrun *rs, char *buf, size_t len)
{
	const struct chk_check *c = chk_rs_failed(rs);
	char t[CHK_TARGET_LEN];

	if (c == NULL) {
		snprintf(buf, len, "%s", rs->up != 0 ? "" : rs->early ?
		    "its checks have not run yet" : "its checks restart");
		return buf;
	}
	snprintf(buf, len, "%s %s: %s", rs_kind_name(c),
	    chk_check_target(c, t, sizeof(t)), !c->has_result ? "no success yet" :
	    chk_check_reason(c) != NULL ? chk_check_reason(c) : "failed");
	return buf;
}

/* Decide it up or down; init: no scripts, no transition logged as such.
 * 1 if it acted (table, report, quorum). */
static int
rs_decide(struct chk_rsrun *rs, int up, int init)
{
	int weight = rs_weight(rs);
	int was = rs->up, changed = 0, prio;
	char name[256], why[CHK_RS_REASON_LEN];

	if (weight != rs->weight) {
		chk_rs_logname(rs, name, sizeof(name));
		log_info("real server %s: weight %d -> %d", name, rs->weight,
		    weight);
		rs->weight = weight;
		changed = 1;
	}
	if (up != was) {
		/* a first decision (100,000 at a start) is logged at debug:
		 * its name and reason are made only when a line takes them */
		prio = was < 0 ? LOG_DEBUG : LOG_INFO;
		if (prio == LOG_INFO || log_detail() >= 1 || (up &&
		    rs->vs->eng->env.rs_init_notifies)) {
			chk_rs_reason(rs, why, sizeof(why));
			chk_rs_logname(rs, name, sizeof(name));
		}
		rs->up = (signed char)up;
		rs->since = (uint32_t)chk_engine_now(rs->vs->eng);
		rs->transitions++;
		changed = 1;
		if (was < 0 && up && rs->vs->eng->env.rs_init_notifies) {
			/* rs_init_notifies: up from the start (no alpha)
			 * says so, as keepalived does */
			log_info("real server %s: up from the start: "
			    "notify_up (rs_init_notifies)", name);
			chk_engine_script(rs->vs->eng, rs->conf->notify_up,
			    "notify_up");
			chk_fifo_rs(rs->vs->eng, rs->vs->conf, rs->conf, 1);
		} else if (was < 0 || init) {
			/* a first decision (100k of them at start): debug;
			 * a handed-over state the checks contradict: info */
			log_msg(prio, "real server %s: %s%s%s", name, up ? "up" :
			    "down", up ? "" : ": ", up ? "" : why);
		} else if (up) {
			if (chk_log_allow(CHK_LOG_RS_UP))
				log_notice("real server %s: DOWN -> UP: every "
				    "check succeeds", name);
			chk_engine_script(rs->vs->eng, rs->conf->notify_up,
			    "notify_up");
			chk_fifo_rs(rs->vs->eng, rs->vs->conf, rs->conf, 1);
		} else {
			if (chk_log_allow(CHK_LOG_RS_DOWN))
				log_notice("real server %s: UP -> DOWN: %s",
				    name, why);
			chk_engine_script(rs->vs->eng, rs->conf->notify_down,
			    "notify_down");
			chk_fifo_rs(rs->vs->eng, rs->vs->conf, rs->conf, 0);
		}
	}
	if (!changed && !init)
		return 0;
	chk_rs_apply(rs);
	rs_report(rs);
	if (rs->vs->quorum_up >= 0)	/* else its first evaluation follows */
		chk_vs_eval(rs->vs, 0);
	return 1;
}

/* Decide again from the checks (decided early: the state they start in
 * until they are attached). */
static int
rs_eval(struct chk_rsrun *rs, int init)
{
	const struct chk_check *failed;

	return rs_decide(rs, rs->early ? rs->up : rs_checks_up(rs, &failed),
	    init);
}

void
chk_rs_start(struct chk_rsrun *rs)
{
	const struct chk_checker_conf *ck = rs->conf->checks->list;
	int up = 1;

	for (unsigned i = 0; up && ck != NULL && i < rs->conf->checks->n;
	    i++, ck = ck->next)
		up = chk_check_initial(rs->vs->eng, ck, rs->conf,
		    (int)rs->handed - 1);
	rs->early = 1;
	(void)rs_decide(rs, up, 1);
}

void
chk_rs_reeval(struct chk_rsrun *rs)
{
	/* not attached nor decided yet: its checks decide it when they
	 * are */
	if (rs->pending && !rs->early)
		return;
	if (rs_eval(rs, 0))
		return;
	chk_rs_apply(rs);	/* drained with the same weight: attrs */
	rs_report(rs);
}

void
chk_rs_first_down(struct chk_rsrun *rs, const struct chk_check *c)
{
	char name[256], t[CHK_TARGET_LEN];

	if (rs->pending || rs->up != 0)
		return;
	chk_rs_logname(rs, name, sizeof(name));
	log_info("real server %s: down: %s %s: %s (its first result; alpha): "
	    "notify_down", name, rs_kind_name(c),
	    chk_check_target(c, t, sizeof(t)), chk_check_reason(c) != NULL ? chk_check_reason(c) :
	    "failed");
	chk_engine_script(rs->vs->eng, rs->conf->notify_down, "notify_down");
	chk_fifo_rs(rs->vs->eng, rs->vs->conf, rs->conf, 0);
}

void
chk_rs_update(struct chk_rsrun *rs, const struct chk_check *c, int changed)
{
	int was = rs->up;

	if (changed)
		(void)rs_eval(rs, 0);
	/* after the real server's and its quorum's changes, as keepalived
	 * mails */
	if (c->flipped)
		chk_mail_check(rs, c, was);
}

int
chk_rs_attach(struct chk_rsrun *rs)
{
	const struct chk_checker_conf *ck;
	unsigned i, n = rs->conf->checks->n;
	/* decided early: its new checks start as it was decided */
	int initial = rs->early ? (int)rs->handed - 1 : rs->up;
	struct chk_sub *subs;

	if (rs->many)
		free(rs->s.many);
	rs->many = 0;
	rs->nsubs = 0;
	memset(&rs->s, 0, sizeof(rs->s));
	if (n > 1) {
		if ((rs->s.many = calloc(n, sizeof(*rs->s.many))) == NULL)
			return -1;
		rs->many = 1;
	}
	subs = chk_rs_subs(rs);
	for (ck = rs->conf->checks->list, i = 0; ck != NULL && i < n;
	    ck = ck->next, i++) {
		subs[i].rs = rs;
		subs[i].conf = ck;
		if (chk_check_attach(rs->vs->eng, &subs[i], initial) < 0)
			return -1;
		rs->nsubs = i + 1;
	}
	if (!rs->early) {
		(void)rs_eval(rs, 1);
		return 0;
	}
	/* decided early as its checks start: only a shared check that has
	 * run since (a check of a real server attached before) changes it,
	 * as that real server's own check would in keepalived */
	rs->early = 0;
	(void)rs_eval(rs, 0);
	return 0;
}

void
chk_rs_detach(struct chk_rsrun *rs)
{
	struct chk_sub *subs = chk_rs_subs(rs);

	for (unsigned i = 0; i < rs->nsubs; i++)
		chk_check_detach(&subs[i]);
	rs->nsubs = 0;
}

void
chk_rs_free(struct chk_rsrun *rs, int remove)
{
	struct chk_vsrun *vs = rs->vs;
	struct chk_engine *e = vs->eng;
	struct chk_rsrun *twin;
	char name[256];

	if (e->stopping && vs->conf != NULL && vs->conf->omega &&
	    rs->up == 1) {
		chk_rs_logname(rs, name, sizeof(name));
		log_info("real server %s: stopping (omega): notify_down",
		    name);
		chk_engine_script(e, rs->conf->notify_down, "notify_down");
		chk_fifo_rs(e, vs->conf, rs->conf, 0);
		chk_mail_rs_gone(rs, 1);
	} else if (!e->stopping && rs->up == 1)
		chk_mail_rs_gone(rs, 0);	/* removed (reload, command) */
	chk_rs_detach(rs);
	if (rs->ovr != NULL)
		rs->ovr->rs = NULL;
	/* a real server sharing its IPVS destination leaves it to the
	 * others, as they decide it without this one */
	twin = remove ? rs_dest_twin(rs) : NULL;
	if (remove && vs->svc != NULL && twin == NULL) {
		dp_dest_del(e->dp, vs->svc, &rs->conf->addr,
		    rs_dest_port(rs));
		chk_engine_touch(e);
	}
	chk_engine_unpend(rs);
	htab_del(&vs->rsidx, &rs->hnode);
	TAILQ_REMOVE(&vs->rs, rs, link);
	vs->nrs--;
	e->nrs--;
	if (twin != NULL)
		chk_rs_apply(twin);
	if (rs->many)
		free(rs->s.many);
	free(rs->ipvs);
	free(rs);
}

void
chk_rs_dump(const struct chk_rsrun *rs, FILE *fp)
{
	char a[ADDR_STRLEN], why[CHK_RS_REASON_LEN], t[CHK_TARGET_LEN];
	const struct chk_sub *subs = chk_rs_subs(rs);

	fprintf(fp, "   Real server [%s]:%u: %s, weight %d%s%s\n",
	    addr_ntop(&rs->conf->addr, a, sizeof(a)), rs->conf->port,
	    rs->up < 0 ? "starting" : rs->up ? "up" : "down", rs->weight,
	    rs->up == 0 ? ", reason: " : "", rs->up == 0 ?
	    chk_rs_reason(rs, why, sizeof(why)) : "");
	for (unsigned i = 0; i < rs->nsubs; i++) {
		const struct chk_check *c = subs[i].check;

		if (c == NULL)
			continue;
		fprintf(fp, "    %s %s: %s, last result %s%s%s, latency "
		    "%.3f ms, %llu run(s), %llu failure(s)%s\n",
		    rs_kind_name(c), chk_check_target(c, t, sizeof(t)), c->up ? "up" : "down",
		    !c->has_result ? "none yet" : c->last_ok ? "success" :
		    "failure", c->has_result && !c->last_ok ? ": " : "",
		    c->has_result && !c->last_ok && chk_check_reason(c) !=
		    NULL ? chk_check_reason(c) : "",
		    (double)c->latency / 1000.0, c->runs,
		    chk_check_failures(c),
		    chk_check_shared(c) ? " (shared)" : "");
	}
}
