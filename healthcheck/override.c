/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runtime overrides of real servers (healthcheck/engine.h): drained, a
 * weight set at runtime, real servers added or removed at runtime. They
 * act through the real server's run state, so the desired table sees only
 * the difference they make, as it sees the checks' results.
 *
 * A real server added at runtime has a configuration of its own: its
 * checkers are either parsed from the text given (in an arena of its own,
 * finalized against its virtual server as a configured one is) or copied
 * from the virtual server's first real server; a copy points into the
 * running configuration and is made again after every reload.
 */
#include "autoconfig.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "healthcheck/config_priv.h"
#include "healthcheck/engine.h"
#include "log.h"

static size_t
ovr_key_hash(const struct chk_vsrun *vs, const struct vg_addr *a,
    unsigned port)
{
	size_t h = htab_hash_bytes(HTAB_HASH_INIT, &vs, sizeof(vs));

	return htab_hash_bytes(addr_hash(h, a), &port, sizeof(port));
}

static size_t
ovr_hash(const struct htab_node *n)
{
	const struct chk_ovr *o = HTAB_ENTRY(n, struct chk_ovr, hnode);

	return ovr_key_hash(o->vs, &o->addr, o->port);
}

struct ovr_key {
	const struct chk_vsrun *vs;
	const struct vg_addr *addr;
	unsigned port;
};

static int
ovr_eq(const struct htab_node *n, const void *key)
{
	const struct chk_ovr *o = HTAB_ENTRY(n, struct chk_ovr, hnode);
	const struct ovr_key *k = key;

	return o->vs == k->vs && o->port == k->port &&
	    addr_cmp(&o->addr, k->addr) == 0;
}

struct chk_ovr *
chk_ovr_find(const struct chk_engine *e, const struct chk_vsrun *vs,
    const struct vg_addr *addr, unsigned port)
{
	struct ovr_key k = { vs, addr, port };
	struct htab_node *n;

	if (e->novrs == 0)
		return NULL;
	n = htab_find(&e->ovrs, ovr_key_hash(vs, addr, port), ovr_eq, &k);
	return n != NULL ? HTAB_ENTRY(n, struct chk_ovr, hnode) : NULL;
}

static struct chk_ovr *
ovr_get(struct chk_vsrun *vs, const struct vg_addr *addr, unsigned port)
{
	struct chk_engine *e = vs->eng;
	struct chk_ovr *o = chk_ovr_find(e, vs, addr, port);

	if (o != NULL)
		return o;
	if (e->ovrs.hash == NULL) {
		htab_init(&e->ovrs, ovr_hash, NULL);
		TAILQ_INIT(&e->ovrlist);
	}
	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	o->vs = vs;
	o->addr = *addr;
	o->port = port;
	o->weight = o->rt_weight = CHK_INT_UNSET;
	if (htab_add(&e->ovrs, &o->hnode) < 0) {
		free(o);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&e->ovrlist, o, link);
	e->novrs++;
	return o;
}

static void
ovr_free(struct chk_ovr *o)
{
	struct chk_engine *e = o->vs->eng;

	if (o->rs != NULL)
		o->rs->ovr = NULL;
	htab_del(&e->ovrs, &o->hnode);
	TAILQ_REMOVE(&e->ovrlist, o, link);
	e->novrs--;
	if (o->arena != NULL)
		arena_free(o->arena);
	else
		free(o->conf);
	free(o->check);
	free(o);
}

/* Drop o once it holds nothing. */
static void
ovr_put(struct chk_ovr *o)
{
	if (!o->drained && !o->runtime && !o->removed &&
	    o->weight == CHK_INT_UNSET)
		ovr_free(o);
}

static struct chk_ovr *
ovr_of(struct chk_rsrun *rs)
{
	struct chk_ovr *o = rs->ovr;

	if (o == NULL && (o = ovr_get(rs->vs, &rs->conf->addr,
	    rs->conf->port)) != NULL) {
		o->rs = rs;
		rs->ovr = o;
	}
	return o;
}

int
chk_ovr_base_weight(const struct chk_rsrun *rs)
{
	const struct chk_ovr *o = rs->ovr;

	if (o != NULL && o->weight != CHK_INT_UNSET)
		return o->weight;
	return rs->conf->weight;
}

void
chk_ovr_drain(struct chk_rsrun *rs, int drain)
{
	struct chk_ovr *o = drain ? ovr_of(rs) : rs->ovr;

	if (o == NULL) {
		if (drain)
			log_err("runtime override: out of memory");
		return;
	}
	o->drained = drain != 0;
	ovr_put(o);
	chk_rs_reeval(rs);
}

void
chk_ovr_weight(struct chk_rsrun *rs, int weight)
{
	struct chk_ovr *o = weight != CHK_INT_UNSET ? ovr_of(rs) : rs->ovr;

	if (o == NULL) {
		if (weight != CHK_INT_UNSET)
			log_err("runtime override: out of memory");
		return;
	}
	o->weight = weight;
	ovr_put(o);
	chk_rs_reeval(rs);
}

/* ---- real servers added at runtime ------------------------------------- */

/* What finalize would give a real server of vs with nothing of its own. */
static void
rt_rs_defaults(const struct chk_vs_conf *vs, struct chk_rs_conf *rc,
    const struct vg_addr *addr, unsigned port, int weight)
{
	rc->addr = *addr;
	rc->port = port;
	rc->weight = weight != CHK_INT_UNSET ? weight : vs->weight;
	rc->inhibit_on_failure = vs->inhibit_on_failure == CHK_INT_UNSET ? 0 :
	    vs->inhibit_on_failure;
	rc->fwd = vs->fwd;
	rc->smtp_alert = 0;
	rc->checks->alpha = vs->alpha;
	rc->checks->retry = vs->retry;
	rc->checks->delay_before_retry = vs->delay_before_retry;
	rc->checks->warmup = vs->warmup;
	rc->checks->delay_loop = vs->delay_loop;
	rc->checks->connect_timeout = vs->connect_timeout;
}

/* A copy of the checkers of vs's first real server (pointing into the
 * running configuration), else a TCP_CHECK: one malloc'd block. */
static struct chk_rs_conf *
rt_copy_conf(const struct chk_engine *e, const struct chk_vs_conf *vs,
    const struct vg_addr *addr, unsigned port, int weight)
{
	const struct chk_rs_conf *t = vs->rs;
	unsigned n = t != NULL && t->checks->n > 0 ? t->checks->n : 1;
	struct chk_rs_conf *rc;
	struct chk_checker_conf *ck, **tail;
	const struct chk_checker_conf *tc;
	unsigned i = 0;

	/* the real server, its checks, its checkers */
	rc = calloc(1, sizeof(*rc) + sizeof(*rc->checks) + n * sizeof(*ck));
	if (rc == NULL)
		return NULL;
	rc->checks = (struct chk_rs_checks *)(void *)(rc + 1);
	chk_conf_rs_checks_init(rc->checks);
	ck = (struct chk_checker_conf *)(void *)(rc->checks + 1);
	rt_rs_defaults(vs, rc, addr, port, weight);
	tail = &rc->checks->list;
	if (t == NULL || t->checks->n == 0) {
		ck->kind = CHK_TCP;
		ck->conn.connect_timeout = CHK_TIMER_UNSET;
		ck->delay_loop = ck->delay_before_retry = ck->warmup =
		    CHK_TIMER_UNSET;
		ck->retry = ck->alpha = CHK_INT_UNSET;
		chk_conf_checker_finalize(vs, rc, ck);
		ck->log_all_failures = e->env.conf != NULL ?
		    e->env.conf->g.checker_log_all_failures : 0;
		rc->checks->list = ck;
		rc->checks->n = 1;
		return rc;
	}
	for (tc = t->checks->list; tc != NULL && i < n; tc = tc->next, i++) {
		ck[i] = *tc;
		ck[i].next = NULL;
		/* the template's own address becomes the new one's (an
		 * unset one, and the port unless given, are the real
		 * server's already) */
		if (!addr_is_unset(&tc->conn.connect_ip) &&
		    addr_cmp(&tc->conn.connect_ip, &t->addr) == 0)
			memset(&ck[i].conn.connect_ip, 0,
			    sizeof(ck[i].conn.connect_ip));
		if (tc->kind == CHK_SMTP) {	/* extra hosts: the template's */
			ck[i].u.smtp.hosts = NULL;
			ck[i].u.smtp.nhosts = 0;
		}
		*tail = &ck[i];
		tail = &ck[i].next;
	}
	rc->checks->n = i;
	return rc;
}

static void
rt_diag(void *arg, enum conf_sev sev, const struct conf_loc *loc,
    const char *msg)
{
	FILE *fp = arg;

	(void)loc;
	if (fp != NULL)
		fprintf(fp, "check: %s%s\n", sev == CONF_WARN ? "warning: " :
		    "", msg);
}

/* Parse check (checker blocks) for a real server of vs, in an arena of
 * its own; finalized against vs. */
static struct chk_rs_conf *
rt_parse_conf(const struct chk_engine *e, const struct chk_vs_conf *vs,
    const struct vg_addr *addr, unsigned port, int weight,
    const char *check, struct arena **ap, FILE *err)
{
	struct conf_load_opts lo = { 0 };
	struct conf_diag d = { .emit = rt_diag, .arg = err };
	struct conf_registry *reg = conf_registry_new();
	struct arena *a = arena_new();
	struct conf_tree *tree = NULL;
	void *roots[CONF_OWNER_MAX] = { 0 };
	struct chk_conf *c;
	struct chk_rs_conf *rc = NULL;
	struct chk_checker_conf *ck;
	char *text = NULL, abuf[ADDR_STRLEN];
	int v6 = addr->family == AF_INET6;
	unsigned nerr;

	lo.no_include = 1;
	if (reg == NULL || a == NULL || chk_conf_register(reg) < 0 ||
	    (c = chk_conf_new(a)) == NULL)
		goto out;
	text = arena_printf(a, "virtual_server %s %u {\n protocol %s\n "
	    "real_server %s %u {\n%s\n }\n}\n", v6 ? "2001:db8::1" :
	    "192.0.2.1", port != 0 ? port : 1, vs->protocol == IPPROTO_UDP ?
	    "UDP" : vs->protocol == IPPROTO_SCTP ? "SCTP" : "TCP",
	    addr_ntop(addr, abuf, sizeof(abuf)), port != 0 ? port : 1, check);
	if (text == NULL || conf_load_buffer("check", text, strlen(text), &lo,
	    &d, &tree) < 0)
		goto out;
	roots[CONF_OWNER_CHECK] = c;
	nerr = conf_apply(reg, tree, 1u << CONF_OWNER_CHECK, roots, a, &d);
	if (nerr > 0 || c->vs == NULL || (rc = c->vs->rs) == NULL) {
		rc = NULL;
		goto out;
	}
	if (rc->checks->n == 0) {
		rt_diag(err, CONF_ERR, NULL, "no checker given (TCP_CHECK "
		    "{ }, HTTP_GET { url { path / } }, ...)");
		rc = NULL;
		goto out;
	}
	rc->port = port;
	rt_rs_defaults(vs, rc, addr, port, weight);
	for (ck = rc->checks->list; ck != NULL; ck = ck->next) {
		chk_conf_checker_finalize(vs, rc, ck);
		if (ck->log_all_failures == CHK_INT_UNSET)
			ck->log_all_failures = e->env.conf != NULL ?
			    e->env.conf->g.checker_log_all_failures : 0;
	}
out:
	if (tree != NULL)
		conf_tree_free(tree);
	if (reg != NULL)
		conf_registry_free(reg);
	if (rc == NULL) {
		if (a != NULL)
			arena_free(a);
		return NULL;
	}
	*ap = a;
	return rc;
}

struct chk_rsrun *
chk_ovr_add_real(struct chk_vsrun *vs, const struct vg_addr *addr,
    unsigned port, int weight, const char *check, int known, FILE *err)
{
	struct chk_engine *e = vs->eng;
	struct chk_ovr *o = chk_ovr_find(e, vs, addr, port);
	const struct chk_rs_conf *cfgrs;
	struct chk_rsrun *rs;

	/* a configured one removed at runtime comes back as configured */
	if (o != NULL && o->removed) {
		cfgrs = chk_conf_vs_find_rs(vs->conf, addr, port);
		if (cfgrs == NULL || (rs = chk_rs_new(vs, cfgrs, known)) ==
		    NULL)
			return NULL;
		o->removed = 0;
		o->rs = rs;
		rs->ovr = o;
		if (weight != CHK_INT_UNSET)
			o->weight = weight;
		ovr_put(o);
		chk_engine_pend(e, rs);
		return rs;
	}
	if ((o = ovr_get(vs, addr, port)) == NULL)
		return NULL;
	o->runtime = 1;
	o->rt_weight = weight;
	if (check != NULL && (o->check = strdup(check)) == NULL)
		goto fail;
	o->conf = check != NULL ? rt_parse_conf(e, vs->conf, addr, port,
	    weight, check, &o->arena, err) : rt_copy_conf(e, vs->conf, addr,
	    port, weight);
	if (o->conf == NULL || (rs = chk_rs_new(vs, o->conf, known)) == NULL)
		goto fail;
	o->rs = rs;
	rs->ovr = o;
	chk_engine_pend(e, rs);
	return rs;
fail:
	ovr_free(o);
	return NULL;
}

void
chk_ovr_remove_real(struct chk_rsrun *rs)
{
	struct chk_ovr *o = rs->ovr;
	struct chk_engine *e = rs->vs->eng;

	if (e->hooks.rs_gone != NULL)
		e->hooks.rs_gone(e->hooks.arg, rs);
	if (o != NULL && o->runtime) {
		chk_rs_free(rs, 1);	/* clears o->rs */
		ovr_free(o);
		return;
	}
	if ((o = ovr_of(rs)) == NULL) {
		log_err("runtime override: out of memory");
		return;
	}
	o->removed = 1;
	o->drained = 0;
	o->weight = CHK_INT_UNSET;
	chk_rs_free(rs, 1);
}

int
chk_ovr_removed(const struct chk_vsrun *vs, const struct chk_rs_conf *rc)
{
	const struct chk_ovr *o = chk_ovr_find(vs->eng, vs, &rc->addr,
	    rc->port);

	return o != NULL && o->removed;
}

void
chk_ovr_conf_changed(struct chk_vsrun *vs, const struct vg_addr *addr,
    unsigned port)
{
	struct chk_ovr *o = chk_ovr_find(vs->eng, vs, addr, port);
	char a[ADDR_STRLEN];

	if (o == NULL)
		return;
	log_info("virtual server %s: real server [%s]:%u: the configuration "
	    "changed it: its runtime changes are dropped", vs->name,
	    addr_ntop(addr, a, sizeof(a)), port);
	if (vs->eng->hooks.ovr_dropped != NULL)
		vs->eng->hooks.ovr_dropped(vs->eng->hooks.arg, vs, addr, port);
	if (o->runtime && o->rs != NULL)
		chk_rs_free(o->rs, 1);
	ovr_free(o);
}

/* The configured real server of vs other than rs on the IPVS destination
 * (addr, port), or NULL. */
static struct chk_rsrun *
conf_on_dest(const struct chk_vsrun *vs, const struct chk_rsrun *rs,
    const struct vg_addr *addr, unsigned port)
{
	struct chk_rsrun *m;

	TAILQ_FOREACH(m, &vs->rs, link)
		if (m != rs && (m->ovr == NULL || !m->ovr->runtime) &&
		    addr_cmp(&m->conf->addr, addr) == 0 &&
		    chk_conf_dest_port(vs->conf, &m->conf->fwd,
		    m->conf->port) == port)
			return m;
	return NULL;
}

void
chk_ovr_reload_shared(struct chk_engine *e)
{
	struct chk_ovr *o, *next;
	struct chk_rsrun *rs, *cf;
	unsigned port;
	char a[ADDR_STRLEN], at[PATH_MAX + 16], dest[ADDR_STRLEN + 32];
	const char *why;

	if (e->novrs == 0)
		return;
	for (o = TAILQ_FIRST(&e->ovrlist); o != NULL; o = next) {
		next = TAILQ_NEXT(o, link);
		if (!o->runtime || (rs = o->rs) == NULL)
			continue;
		port = chk_conf_dest_port(o->vs->conf, &rs->conf->fwd, o->port);
		if ((cf = conf_on_dest(o->vs, rs, &o->addr, port)) == NULL)
			continue;
		if (cf->conf->loc.file != NULL)
			snprintf(at, sizeof(at), "%s:%u", cf->conf->loc.file,
			    cf->conf->loc.line);
		else
			snprintf(at, sizeof(at), "line %u", cf->conf->loc.line);
		addr_ntop(&o->addr, a, sizeof(a));
		/* a group's DR / TUN destination is at each entry's port */
		if (o->vs->conf->kind == CHK_VS_GROUP) {
			snprintf(dest, sizeof(dest), "[%s] (each entry's port)",
			    a);
			why = "a group's DR and TUN real servers take each "
			    "entry's port";
		} else {
			snprintf(dest, sizeof(dest), "[%s]:%u", a, port);
			why = o->vs->conf->kind == CHK_VS_FWMARK ? "fwmark "
			    "services take no port for DR and TUN" : "DR and "
			    "TUN take the virtual server's port";
		}
		log_warn("virtual server %s: real server [%s]:%u (configured "
		    "at %s) is the IPVS destination %s of real server "
		    "[%s]:%u added at runtime (%s): the runtime one is removed, "
		    "the configured one takes the entry (add-real onto a "
		    "configured real server's destination is refused too)",
		    o->vs->name, a, cf->conf->port, at, dest, a, o->port, why);
		if (e->hooks.ovr_dropped != NULL)
			e->hooks.ovr_dropped(e->hooks.arg, o->vs, &o->addr,
			    o->port);
		if (e->hooks.rs_gone != NULL)
			e->hooks.rs_gone(e->hooks.arg, rs);
		/* the entry stays for the configured one, decided again
		 * (chk_engine_reload_diff's recheck): no delete and add */
		o->vs->dest_recheck = 1;
		chk_rs_free(rs, 0);	/* clears o->rs */
		ovr_free(o);
	}
}

void
chk_ovr_vs_gone(struct chk_vsrun *vs)
{
	struct chk_engine *e = vs->eng;
	struct chk_ovr *o, *next;

	if (e->novrs == 0)
		return;
	for (o = TAILQ_FIRST(&e->ovrlist); o != NULL; o = next) {
		next = TAILQ_NEXT(o, link);
		if (o->vs == vs)
			ovr_free(o);
	}
}

void
chk_ovr_reload(struct chk_engine *e)
{
	struct chk_ovr *o;
	struct chk_rs_conf *rc;
	unsigned port;

	if (e->novrs == 0)
		return;
	TAILQ_FOREACH(o, &e->ovrlist, link) {
		if (!o->runtime || o->check != NULL || o->rs == NULL)
			continue;
		rc = rt_copy_conf(e, o->vs->conf, &o->addr, o->port,
		    o->rt_weight);
		if (rc == NULL) {
			log_err("reload: out of memory: a runtime real server "
			    "keeps its old checkers");
			continue;
		}
		chk_rs_detach(o->rs);
		port = chk_conf_dest_port(o->vs->conf, &o->rs->conf->fwd,
		    o->port);
		o->rs->conf = rc;
		chk_rs_dest_moved(o->rs, port);
		free(o->conf);
		o->conf = rc;
		chk_engine_pend(e, o->rs);
	}
}

void
chk_ovr_free_all(struct chk_engine *e)
{
	struct chk_ovr *o;

	if (e->ovrs.hash == NULL)
		return;
	while ((o = TAILQ_FIRST(&e->ovrlist)) != NULL)
		ovr_free(o);
	htab_free(&e->ovrs);
}
