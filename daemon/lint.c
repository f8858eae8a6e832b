/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vigilctl lint A B: a director pair compared offline (see lint.h).
 *
 * VRRP instances are paired by (VRID, family), preferring the same name,
 * then the same interface; an instance with no partner is paired by name
 * when the other side has one of that name (a VRID mismatch). Virtual
 * servers are paired by identity ((protocol, VIP, port), fwmark or group),
 * real servers by (address, port) within them.
 */
#include "autoconfig.h"

#include "lint.h"

#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "healthcheck/config.h"
#include "vconfig.h"
#include "vrrp/config.h"

struct lint {
	const struct vigil_config *c[2];
	FILE *out;
	unsigned n;
	json_t *json;			/* findings as objects, or NULL: text */
	const struct conf_loc *other;	/* the other side's place, if named */
	int nomem;
};

/* ---- where things were written ---------------------------------------------- */

static int
loc_eq(const struct conf_loc *a, const struct conf_loc *b)
{
	return a->line == b->line && conf_str_eq(a->file, b->file);
}

/* The statement written at loc (blocks nest a few levels at most). */
static const struct conf_node *
node_at(const struct conf_node *n, const struct conf_loc *at, unsigned depth)
{
	const struct conf_node *r;

	for (; n != NULL; n = n->next) {
		if (loc_eq(&n->loc, at))
			return n;
		if (n->child != NULL && depth < 6 &&
		    (r = node_at(n->child, at, depth + 1)) != NULL)
			return r;
	}
	return NULL;
}

/* The last statement kw directly inside block n, or NULL. */
static const struct conf_node *
last_kw(const struct conf_node *n, const char *kw)
{
	const struct conf_node *k, *found = NULL;

	for (k = n != NULL ? n->child : NULL; k != NULL; k = k->next)
		if (strcmp(k->argv[0], kw) == 0)
			found = k;
	return found;
}

/*
 * Where kw (inside sub { }, when sub is not NULL) was written in the block
 * that starts at block; the block itself when it was not written there.
 */
static const struct conf_loc *
kw_loc(const struct vigil_config *c, const struct conf_loc *block,
    const char *sub, const char *kw)
{
	const struct conf_node *b = node_at(c->tree->first, block, 0), *k;

	if (b == NULL)
		return block;
	if (sub != NULL)
		b = last_kw(b, sub);
	k = last_kw(b, kw);
	return k != NULL ? &k->loc : block;
}

/* The first of the keywords in the block that was written, else block. */
static const struct conf_loc *
kw_loc2(const struct vigil_config *c, const struct conf_loc *block,
    const char *kw1, const char *kw2)
{
	const struct conf_loc *l = kw_loc(c, block, NULL, kw1);

	return l != block ? l : kw_loc(c, block, NULL, kw2);
}

static int
written(const struct vigil_config *c, const struct conf_loc *block,
    const char *kw)
{
	return kw_loc(c, block, NULL, kw) != block;
}

/*
 * "file:line" of loc, for the other side's place in a finding's text; the
 * first one a finding names is also its "other" place in JSON.
 */
static const char *
where(struct lint *l, const struct conf_loc *loc, char *buf, size_t len)
{
	if (l->other == NULL)
		l->other = loc;
	snprintf(buf, len, "%s:%u", loc->file != NULL ? loc->file : "?",
	    loc->line);
	return buf;
}

static void
finding(struct lint *l, const struct conf_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static json_t *
loc_json(const struct conf_loc *loc)
{
	return json_pack("{s:s, s:I}", "file", loc->file != NULL ? loc->file :
	    "?", "line", (json_int_t)loc->line);
}

static void
finding_json(struct lint *l, const struct conf_loc *loc, const char *fmt,
    va_list ap) __attribute__((format(printf, 3, 0)));

static void
finding_json(struct lint *l, const struct conf_loc *loc, const char *fmt,
    va_list ap)
{
	json_t *o, *other;
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0) {
		l->nomem = 1;
		return;
	}
	if ((o = loc_json(loc)) == NULL) {
		l->nomem = 1;
		free(msg);
		return;
	}
	/* the _new setters take the value's reference even when they fail */
	if (json_object_set_new(o, "message", json_string(msg)) < 0)
		l->nomem = 1;
	free(msg);
	if (l->other != NULL && ((other = loc_json(l->other)) == NULL ||
	    json_object_set_new(o, "other", other) < 0))
		l->nomem = 1;
	if (json_array_append_new(l->json, o) < 0)
		l->nomem = 1;
}

static void
finding(struct lint *l, const struct conf_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (l->json != NULL) {
		finding_json(l, loc, fmt, ap);
	} else {
		fprintf(l->out, "%s:%u: ", loc->file != NULL ? loc->file :
		    "?", loc->line);
		vfprintf(l->out, fmt, ap);
		fputc('\n', l->out);
	}
	va_end(ap);
	l->other = NULL;
	l->n++;
}

/* ---- VRRP instances ------------------------------------------------------------ */

struct side {
	const struct vigil_config *c;
	const struct vrrp_instance_conf *i;
};

static const struct vrrp_conf *
vrrp_of(const struct vigil_config *c)
{
	return c->conf[CONF_OWNER_VRRP];
}

static const char *
auth_name(enum vrrp_auth_type t)
{
	switch (t) {
	case VRRP_AUTH_PASS:
		return "PASS";
	case VRRP_AUTH_AH:
		return "AH";
	default:
		return "none";
	}
}

static const char *
ifname(const struct vrrp_instance_conf *i)
{
	return i->interface != NULL ? i->interface : "(no interface)";
}

static const struct vrrp_conf_ipaddr *
vip_find(const struct vrrp_conf_list *l, const struct vg_addr *a)
{
	for (const struct vrrp_conf_ipaddr *v = l->first; v != NULL;
	    v = v->next)
		if (addr_cmp(&v->p.addr, a) == 0)
			return v;
	return NULL;
}

static int
vips_meet(const struct vrrp_instance_conf *a,
    const struct vrrp_instance_conf *b)
{
	for (const struct vrrp_conf_ipaddr *v = a->vips.first; v != NULL;
	    v = v->next)
		if (vip_find(&b->vips, &v->p.addr) != NULL)
			return 1;
	return 0;
}

/* Addresses in x's list (what) that y's lacks, and prefixes that differ. */
static void
vips_one_way(struct lint *l, const struct side *x, const struct side *y,
    const struct vrrp_conf_list *lx, const struct vrrp_conf_list *ly,
    const char *what)
{
	char a[ADDR_STRLEN], w[512];

	for (const struct vrrp_conf_ipaddr *v = lx->first; v != NULL;
	    v = v->next) {
		const struct vrrp_conf_ipaddr *o = vip_find(ly, &v->p.addr);

		addr_ntop(&v->p.addr, a, sizeof(a));
		if (o == NULL)
			finding(l, &v->loc, "%s: %s %s/%u is missing from %s "
			    "(instance %s): the VIP set differs, so a "
			    "failover moves a different set of addresses",
			    x->i->name, what, a, v->p.prefix, where(l, &y->i->loc,
			    w, sizeof(w)), y->i->name);
		else if (o->p.prefix != v->p.prefix && x->c == l->c[0])
			finding(l, &v->loc, "%s: %s %s/%u has prefix /%u at %s",
			    x->i->name, what, a, v->p.prefix, o->p.prefix,
			    where(l, &o->loc, w, sizeof(w)));
	}
}

static int
peer_has(const struct vrrp_instance_conf *i, const struct vg_addr *a)
{
	for (const struct vrrp_conf_peer *p = i->unicast_peers.first;
	    p != NULL; p = p->next)
		if (addr_cmp(&p->addr, a) == 0)
			return 1;
	return 0;
}

/* x's unicast_src_ip must be one of y's peers (x's own address is
 * known only when unicast_src_ip is written). */
static void
unicast_one_way(struct lint *l, const struct side *x, const struct side *y)
{
	const struct vrrp_instance_conf *i = x->i;
	char a[ADDR_STRLEN], w[512];

	if (i->p.src_ip.family == 0)
		return;
	addr_ntop(&i->p.src_ip, a, sizeof(a));
	if (peer_has(i, &i->p.src_ip))
		finding(l, kw_loc(x->c, &i->loc, NULL, "unicast_src_ip"),
		    "%s: unicast_src_ip %s is also one of this side's own "
		    "unicast_peer addresses: it names itself, not the other "
		    "side (%s)", i->name, a, where(l, kw_loc(y->c, &y->i->loc,
		    NULL, "unicast_src_ip"), w, sizeof(w)));
	if (!peer_has(y->i, &i->p.src_ip))
		finding(l, kw_loc(x->c, &i->loc, NULL, "unicast_src_ip"),
		    "%s: unicast_src_ip %s is not a unicast_peer of %s "
		    "(instance %s): its adverts are not expected there",
		    i->name, a, where(l, kw_loc(y->c, &y->i->loc, NULL,
		    "unicast_peer"), w, sizeof(w)), y->i->name);
}

static void
unicast(struct lint *l, const struct side *a, const struct side *b)
{
	const struct vrrp_instance_conf *ia = a->i, *ib = b->i;
	const struct vrrp_conf_peer *pa = ia->unicast_peers.first,
	    *pb = ib->unicast_peers.first;
	char w[512], s[ADDR_STRLEN];

	if ((pa == NULL) != (pb == NULL)) {
		const struct side *u = pa != NULL ? a : b, *m = pa != NULL ?
		    b : a;

		finding(l, kw_loc(u->c, &u->i->loc, NULL, "unicast_peer"),
		    "%s: unicast here, multicast at %s (instance %s): "
		    "neither hears the other", u->i->name, where(l, &m->i->loc,
		    w, sizeof(w)), m->i->name);
		return;
	}
	if (pa == NULL)
		return;
	/* a pair where each names one peer, the same one: one names
	 * itself (told more precisely below when unicast_src_ip is
	 * written) */
	if (ia->unicast_peers.n == 1 && ib->unicast_peers.n == 1 &&
	    addr_cmp(&pa->addr, &pb->addr) == 0 &&
	    ia->p.src_ip.family == 0 && ib->p.src_ip.family == 0)
		finding(l, &pa->loc, "%s: unicast_peer %s is also the only "
		    "unicast_peer at %s: one side names itself, not the "
		    "other", ia->name, addr_ntop(&pa->addr, s, sizeof(s)),
		    where(l, &pb->loc, w, sizeof(w)));
	unicast_one_way(l, a, b);
	unicast_one_way(l, b, a);
}

/* The instance's version line, else global_defs' vrrp_version, else the
 * instance. */
static const struct conf_loc *
version_loc(const struct side *x)
{
	const struct conf_loc *l = kw_loc(x->c, &x->i->loc, NULL, "version");
	const struct conf_node *g;

	if (l != &x->i->loc || x->i->p.version_cfg != VRRP_UNSET)
		return l;
	g = vconfig_find(x->c, "global_defs", "vrrp_version");
	return g != NULL ? &g->loc : l;
}

static void
pair_params(struct lint *l, const struct side *a, const struct side *b)
{
	const struct vrrp_instance_conf *ia = a->i, *ib = b->i;
	char w[512];

	if (ia->p.priority == ib->p.priority)
		finding(l, kw_loc(a->c, &ia->loc, NULL, "priority"),
		    "%s: priority %u ties with %s (instance %s): the "
		    "election then falls to the higher primary address",
		    ia->name, ia->p.priority, where(l, kw_loc(b->c, &ib->loc,
		    NULL, "priority"), w, sizeof(w)), ib->name);
	if (ia->p.state == VRRP_INIT_MASTER &&
	    ib->p.state == VRRP_INIT_MASTER &&
	    (written(a->c, &ia->loc, "nopreempt") ||
	    written(b->c, &ib->loc, "nopreempt")))
		finding(l, kw_loc(a->c, &ia->loc, NULL, "state"),
		    "%s: state MASTER here and at %s, with nopreempt: "
		    "nopreempt needs state BACKUP and is ignored, so both "
		    "start as master and the higher priority takes over",
		    ia->name, where(l, kw_loc(b->c, &ib->loc, NULL, "state"), w,
		    sizeof(w)));
	if (ia->p.version != ib->p.version)
		finding(l, version_loc(a), "%s: VRRP version %u here, %u at "
		    "%s (instance %s): neither accepts the other's adverts",
		    ia->name, ia->p.version, ib->p.version,
		    where(l, version_loc(b), w, sizeof(w)), ib->name);
	if (ia->p.advert_int != ib->p.advert_int)
		finding(l, kw_loc(a->c, &ia->loc, NULL, "advert_int"),
		    "%s: advert_int %g s here, %g s at %s (instance %s)",
		    ia->name, (double)ia->p.advert_int / 1e6,
		    (double)ib->p.advert_int / 1e6, where(l, kw_loc(b->c,
		    &ib->loc, NULL, "advert_int"), w, sizeof(w)), ib->name);
	if (ia->p.auth_type != ib->p.auth_type)
		finding(l, kw_loc(a->c, &ia->loc, "authentication",
		    "auth_type"), "%s: auth_type %s here, %s at %s "
		    "(instance %s): adverts are dropped", ia->name,
		    auth_name(ia->p.auth_type), auth_name(ib->p.auth_type),
		    where(l, kw_loc(b->c, &ib->loc, "authentication",
		    "auth_type"), w, sizeof(w)), ib->name);
	else if (ia->p.auth_type != VRRP_AUTH_NONE &&
	    strcmp(ia->p.auth_pass, ib->p.auth_pass) != 0)
		finding(l, kw_loc(a->c, &ia->loc, "authentication",
		    "auth_pass"), "%s: auth_pass differs from %s (instance "
		    "%s): adverts are dropped", ia->name, where(l, kw_loc(b->c,
		    &ib->loc, "authentication", "auth_pass"), w, sizeof(w)),
		    ib->name);
}

static void
pair_instances(struct lint *l, const struct side *a, const struct side *b)
{
	const struct vrrp_instance_conf *ia = a->i, *ib = b->i;
	char w[512];

	if (!conf_str_eq(ia->name, ib->name) &&
	    conf_str_eq(ia->interface, ib->interface) && !vips_meet(ia, ib)) {
		finding(l, kw_loc(a->c, &ia->loc, NULL, "virtual_router_id"),
		    "VRID %u clash on %s: instance %s here and instance %s "
		    "at %s are different instances (other names, no VIP in "
		    "common) on one VRID", ia->p.vrid, ifname(ia), ia->name,
		    ib->name, where(l, kw_loc(b->c, &ib->loc, NULL,
		    "virtual_router_id"), w, sizeof(w)));
		return;
	}
	pair_params(l, a, b);
	vips_one_way(l, a, b, &ia->vips, &ib->vips, "VIP");
	vips_one_way(l, b, a, &ib->vips, &ia->vips, "VIP");
	vips_one_way(l, a, b, &ia->evips, &ib->evips, "excluded VIP");
	vips_one_way(l, b, a, &ib->evips, &ia->evips, "excluded VIP");
	unicast(l, a, b);
}

/* B's instances as an array, with a mark for those paired. */
struct others {
	const struct vrrp_instance_conf **v;
	unsigned char *used;
	unsigned n;
};

static int
others_init(struct others *o, const struct vrrp_conf *c)
{
	const struct vrrp_instance_conf *i;

	memset(o, 0, sizeof(*o));
	if (c == NULL || c->instances.n == 0)
		return 0;
	o->v = calloc(c->instances.n, sizeof(*o->v));
	o->used = calloc(c->instances.n, 1);
	if (o->v == NULL || o->used == NULL)
		return -1;
	for (i = c->instances.first; i != NULL && o->n < c->instances.n;
	    i = i->next)
		o->v[o->n++] = i;
	return 0;
}

static void
others_free(struct others *o)
{
	free(o->v);
	free(o->used);
}

/* The unpaired instance of o that pairs with i, or -1. */
static int
partner(const struct others *o, const struct vrrp_instance_conf *i)
{
	int by_if = -1, any = -1;

	for (unsigned k = 0; k < o->n; k++) {
		const struct vrrp_instance_conf *x = o->v[k];

		if (o->used[k] || x->p.vrid != i->p.vrid ||
		    x->p.family != i->p.family)
			continue;
		if (conf_str_eq(x->name, i->name))
			return (int)k;
		if (by_if < 0 && conf_str_eq(x->interface, i->interface))
			by_if = (int)k;
		if (any < 0)
			any = (int)k;
	}
	return by_if >= 0 ? by_if : any;
}

static int
same_name(const struct others *o, const struct vrrp_instance_conf *i)
{
	for (unsigned k = 0; k < o->n; k++)
		if (!o->used[k] && conf_str_eq(o->v[k]->name, i->name))
			return (int)k;
	return -1;
}

static void
lone_instance(struct lint *l, const struct vigil_config *here,
    const struct vigil_config *there, const struct vrrp_instance_conf *i)
{
	finding(l, kw_loc(here, &i->loc, NULL, "virtual_router_id"),
	    "%s: VRID %u on %s has no instance in %s: no backup for it",
	    i->name, i->p.vrid, ifname(i), there->path);
}

static int
lint_vrrp(struct lint *l)
{
	const struct vrrp_conf *ca = vrrp_of(l->c[0]), *cb = vrrp_of(l->c[1]);
	const struct vrrp_instance_conf *i;
	struct others o;
	char w[512];
	int k;

	if (others_init(&o, cb) < 0) {
		others_free(&o);
		return -1;
	}
	for (i = ca != NULL ? ca->instances.first : NULL; i != NULL;
	    i = i->next) {
		struct side a = { l->c[0], i }, b = { l->c[1], NULL };

		if ((k = partner(&o, i)) >= 0) {
			o.used[k] = 1;
			b.i = o.v[k];
			pair_instances(l, &a, &b);
		} else if ((k = same_name(&o, i)) >= 0) {
			o.used[k] = 1;
			finding(l, kw_loc(l->c[0], &i->loc, NULL,
			    "virtual_router_id"), "%s: VRID %u here, VRID %u "
			    "at %s: the two never meet", i->name, i->p.vrid,
			    o.v[k]->p.vrid, where(l, kw_loc(l->c[1],
			    &o.v[k]->loc, NULL, "virtual_router_id"), w,
			    sizeof(w)));
		} else
			lone_instance(l, l->c[0], l->c[1], i);
	}
	for (unsigned n = 0; n < o.n; n++)
		if (!o.used[n])
			lone_instance(l, l->c[1], l->c[0], o.v[n]);
	others_free(&o);
	return 0;
}

/* ---- virtual and real servers ------------------------------------------------- */

static const struct chk_conf *
chk_of(const struct vigil_config *c)
{
	return c->conf[CONF_OWNER_CHECK];
}

struct vs_name {
	char name[160];
	const struct chk_vs_conf *vs;
};

static int
vs_name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct vs_name *)a)->name,
	    ((const struct vs_name *)b)->name);
}

/* c's virtual servers sorted by identity; NULL (and *n = 0) if none. */
static struct vs_name *
vs_index(const struct chk_conf *c, unsigned *n, int *err)
{
	struct vs_name *v;
	unsigned k = 0;

	*n = 0;
	*err = 0;
	if (c == NULL || c->nvs == 0)
		return NULL;
	if ((v = calloc(c->nvs, sizeof(*v))) == NULL) {
		*err = 1;
		return NULL;
	}
	for (const struct chk_vs_conf *vs = c->vs; vs != NULL && k < c->nvs;
	    vs = vs->next, k++) {
		chk_conf_vs_name(vs, v[k].name, sizeof(v[k].name));
		v[k].vs = vs;
	}
	qsort(v, k, sizeof(*v), vs_name_cmp);
	*n = k;
	return v;
}

static const struct chk_vs_conf *
vs_lookup(const struct vs_name *ix, unsigned n, const struct chk_vs_conf *vs)
{
	struct vs_name key;
	const struct vs_name *f;

	if (n == 0)
		return NULL;
	chk_conf_vs_name(vs, key.name, sizeof(key.name));
	f = bsearch(&key, ix, n, sizeof(*ix), vs_name_cmp);
	return f != NULL ? f->vs : NULL;
}

static const char *
fwd_name(enum chk_fwd f)
{
	switch (f) {
	case CHK_FWD_DR:
		return "DR";
	case CHK_FWD_TUN:
		return "TUN";
	default:
		return "NAT";
	}
}

/* What a failover changes for the clients of a virtual server. */
static void
vs_settings(struct lint *l, const struct chk_vs_conf *va,
    const struct chk_vs_conf *vb, const char *name)
{
	char w[512];

	if (strcmp(va->sched, vb->sched) != 0)
		finding(l, kw_loc2(l->c[0], &va->loc, "lb_algo", "lvs_sched"),
		    "virtual server %s: scheduler %s here, %s at %s", name,
		    va->sched, vb->sched, where(l, kw_loc2(l->c[1], &vb->loc,
		    "lb_algo", "lvs_sched"), w, sizeof(w)));
	if (va->fwd.method != vb->fwd.method)
		finding(l, kw_loc2(l->c[0], &va->loc, "lb_kind",
		    "lvs_method"), "virtual server %s: forwarding %s here, "
		    "%s at %s", name, fwd_name(va->fwd.method),
		    fwd_name(vb->fwd.method), where(l, kw_loc2(l->c[1],
		    &vb->loc, "lb_kind", "lvs_method"), w, sizeof(w)));
}

/* Real servers of x missing in y (the same virtual server). */
static void
rs_one_way(struct lint *l, const struct chk_vs_conf *x,
    const struct chk_vs_conf *y, const char *name)
{
	char a[ADDR_STRLEN], w[512];

	for (const struct chk_rs_conf *rs = x->rs; rs != NULL; rs = rs->next)
		if (chk_conf_vs_find_rs(y, &rs->addr, rs->port) == NULL)
			finding(l, &rs->loc, "virtual server %s: real server "
			    "[%s]:%u is missing from the same virtual server "
			    "at %s", name, addr_ntop(&rs->addr, a, sizeof(a)),
			    rs->port, where(l, &y->loc, w, sizeof(w)));
}

static void
vs_one_way(struct lint *l, const struct chk_conf *x, const struct vs_name *iy,
    unsigned ny, const struct vigil_config *cy, int first)
{
	char name[160];

	for (const struct chk_vs_conf *vs = x != NULL ? x->vs : NULL;
	    vs != NULL; vs = vs->next) {
		const struct chk_vs_conf *o = vs_lookup(iy, ny, vs);

		chk_conf_vs_name(vs, name, sizeof(name));
		if (o == NULL) {
			finding(l, &vs->loc, "virtual server %s is missing "
			    "from %s: it stops on failover", name, cy->path);
			continue;
		}
		if (first)
			vs_settings(l, vs, o, name);
		rs_one_way(l, vs, o, name);
	}
}

static int
lint_vs(struct lint *l)
{
	const struct chk_conf *ca = chk_of(l->c[0]), *cb = chk_of(l->c[1]);
	struct vs_name *ia, *ib;
	unsigned na, nb;
	int ea, eb;

	ia = vs_index(ca, &na, &ea);
	ib = vs_index(cb, &nb, &eb);
	if (!ea && !eb) {
		vs_one_way(l, ca, ib, nb, l->c[1], 1);
		vs_one_way(l, cb, ia, na, l->c[0], 0);
	}
	free(ia);
	free(ib);
	return ea || eb ? -1 : 0;
}

/* ---- the pair --------------------------------------------------------------------- */

static unsigned
lint_run(struct lint *l)
{
	if (lint_vrrp(l) < 0 || lint_vs(l) < 0)
		l->nomem = 1;
	if (l->nomem && l->json == NULL) {
		fprintf(l->out, "lint: out of memory; the findings above are "
		    "not all\n");
		l->n++;
	}
	return l->n;
}

unsigned
lint_pair(const struct vigil_config *a, const struct vigil_config *b,
    FILE *out)
{
	struct lint l = { { a, b }, out, 0, NULL, NULL, 0 };

	return lint_run(&l);
}

/*
 * The JSON document of a pair (lint.h): its findings, or NULL out of
 * memory.
 */
static json_t *
lint_pair_json(const struct vigil_config *a, const struct vigil_config *b,
    const char *path_a, const char *path_b)
{
	struct lint l = { { a, b }, NULL, 0, NULL, NULL, 0 };
	json_t *doc;

	if ((l.json = json_array()) == NULL)
		return NULL;
	lint_run(&l);
	doc = json_pack("{s:i, s:[s, s], s:I, s:o}", "version", 1, "files",
	    path_a, path_b, "count", (json_int_t)l.n, "findings", l.json);
	if (doc == NULL || l.nomem) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

int
lint_files(const char *path_a, const char *id_a, const char *path_b,
    const char *id_b, int json, FILE *out, FILE *err)
{
	json_t *doc;
	struct conf_diag d = { .emit = conf_diag_print, .arg = err };
	struct conf_load_opts lo;
	struct vigil_config *a = NULL, *b = NULL;
	int rc = -1;

	memset(&lo, 0, sizeof(lo));
	lo.config_id = id_a;
	if (vconfig_load(path_a, &lo, &d, &a) < 0) {
		fprintf(err, "%s: does not load (%u error(s))\n", path_a,
		    d.nerr);
		goto out;
	}
	lo.config_id = id_b;
	d.nerr = 0;
	if (vconfig_load(path_b, &lo, &d, &b) < 0) {
		fprintf(err, "%s: does not load (%u error(s))\n", path_b,
		    d.nerr);
		goto out;
	}
	if (!json) {
		rc = (int)lint_pair(a, b, out);
		goto out;
	}
	if ((doc = lint_pair_json(a, b, path_a, path_b)) == NULL) {
		fprintf(err, "lint: out of memory\n");
		goto out;
	}
	rc = (int)json_integer_value(json_object_get(doc, "count"));
	if (json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0 ||
	    fputc('\n', out) == EOF)
		rc = -1;
	json_decref(doc);
out:
	vconfig_free(a);
	vconfig_free(b);
	return rc;
}

void
lint_usage(FILE *fp)
{
	fprintf(fp, "usage: vigilctl lint [--json] [-i ID_A] [-j ID_B] "
	    "FILE_A FILE_B\n"
	    "  lint a director pair offline; -i/-j: the @config-id of each "
	    "side\n  (one file with @lb1/@lb2 lines: -i lb1 -j lb2 FILE "
	    "FILE);\n  --json: the findings as one JSON document "
	    "(docs/json.md)\n");
}

int
lint_main(int argc, char **argv, int json, FILE *out, FILE *err)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *id_a = NULL, *id_b = NULL;
	int ch, n;

	optind = 0;		/* glibc: start again (vigilctl parsed its own) */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+i:j:h", lo, NULL)) != -1) {
		switch (ch) {
		case 'J':
			json = 1;
			break;
		case 'i':
			id_a = optarg;
			break;
		case 'j':
			id_b = optarg;
			break;
		case 'h':
			lint_usage(out);
			return 0;
		default:
			lint_usage(err);
			return 2;
		}
	}
	if (argc - optind != 2) {
		lint_usage(err);
		return 2;
	}
	n = lint_files(argv[optind], id_a, argv[optind + 1], id_b, json, out,
	    err);
	vconfig_registry_release();
	if (n < 0)
		return 2;
	fprintf(err, "%s, %s: %d finding(s)\n", argv[optind],
	    argv[optind + 1], n);
	return n > 0 ? 1 : 0;
}
