/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * real_server { } keywords, and the per-virtual-server index of real
 * servers by (address, port) used for duplicate detection and reload
 * matching.
 */
#include "config_priv.h"

#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

struct rs_key {
	const struct vg_addr *addr;
	unsigned port;
};

#define RS_OF(n) HTAB_ENTRY(n, struct chk_rs_conf, hnode)

static size_t
rs_key_hash(const struct vg_addr *a, unsigned port)
{
	return htab_hash_bytes(addr_hash(HTAB_HASH_INIT, a), &port,
	    sizeof(port));
}

static size_t
rs_node_hash(const struct htab_node *n)
{
	return rs_key_hash(&RS_OF(n)->addr, RS_OF(n)->port);
}

static int
rs_key_eq(const struct htab_node *n, const void *key)
{
	const struct rs_key *k = key;

	return RS_OF(n)->port == k->port && addr_cmp(&RS_OF(n)->addr,
	    k->addr) == 0;
}

struct chk_rs_conf *
chk_conf_vs_find_rs(const struct chk_vs_conf *vs, const struct vg_addr *addr,
    unsigned port)
{
	struct rs_key k = { addr, port };
	struct htab_node *n;

	n = htab_find(&vs->rs_index, rs_key_hash(addr, port), rs_key_eq, &k);
	return n != NULL ? RS_OF(n) : NULL;
}

void
chk_conf_vs_rs_reserve(struct arena *a, struct chk_vs_conf *vs,
    const struct conf_node *n)
{
	size_t nrs = 0;

	for (const struct conf_node *k = n->child; k != NULL; k = k->next)
		if (strcmp(k->argv[0], "real_server") == 0)
			nrs++;
	htab_init(&vs->rs_index, rs_node_hash, a);
	if (nrs > 0)
		(void)htab_reserve(&vs->rs_index, nrs);	/* else grown */
}

/* Link rs into vs; -1 if (addr, port) is already there, -2 if out of
 * memory. */
static int
vs_insert_rs(struct arena *a, struct chk_vs_conf *vs,
    struct chk_rs_conf *rs)
{
	if (chk_conf_vs_find_rs(vs, &rs->addr, rs->port) != NULL)
		return -1;
	if (vs->rs_index.hash == NULL)
		htab_init(&vs->rs_index, rs_node_hash, a);
	if (htab_add(&vs->rs_index, &rs->hnode) == -1)
		return -2;
	rs->next = NULL;
	if (vs->rs_tail != NULL)
		vs->rs_tail->next = rs;
	else
		vs->rs = rs;
	vs->rs_tail = rs;
	vs->nrs++;
	return 0;
}

void
chk_conf_rs_checks_init(struct chk_rs_checks *k)
{
	memset(k, 0, sizeof(*k));
	k->alpha = CHK_INT_UNSET;
	k->retry = CHK_INT_UNSET;
	k->delay_before_retry = k->warmup = k->delay_loop =
	    k->connect_timeout = CHK_TIMER_UNSET;
}

/* A real server's own checks while its block is read: one a real server
 * gave back (it shares another's), else a new one. */
static struct chk_rs_checks *
rs_checks_new(struct chk_conf *c)
{
	struct chk_rs_checks *k = c->rsck_spare;

	if (k != NULL)
		c->rsck_spare = k->spare;
	else if ((k = arena_alloc(c->arena, sizeof(*k))) == NULL)
		return NULL;
	chk_conf_rs_checks_init(k);
	return k;
}

static void
rs_init(struct chk_rs_conf *rs)
{
	rs->weight = CHK_INT_UNSET;	/* finalize: the virtual server's */
	rs->inhibit_on_failure = CHK_INT_UNSET;
	rs->smtp_alert = CHK_INT_UNSET;
}

static void *
rs_open(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent)
{
	struct chk_rs_conf *rs;

	(void)kw;
	(void)parent;
	if ((rs = chk_conf_obj_new(cx, n, sizeof(*rs),
	    offsetof(struct chk_rs_conf, loc))) == NULL)
		return NULL;
	rs_init(rs);
	if ((rs->checks = rs_checks_new(chk_conf_root(cx))) == NULL) {
		conf_error(cx, n, "out of memory");
		return NULL;
	}
	if (chk_conf_parse_addr_port(cx, n, 1, &rs->addr, &rs->port) == -1)
		return NULL;
	return rs;
}

/* a and b give their checkers the same settings to inherit
 * (chk_conf_checker_finalize, chk_conf_http_finalize) and have equal
 * checkers: finalized, the lists would be equal too */
static int
rs_checkers_eq(const struct chk_rs_conf *a, const struct chk_rs_conf *b)
{
	const struct chk_rs_checks *p = a->checks, *q = b->checks;
	const struct chk_checker_conf *x, *y;

	if (p->n != q->n || p->alpha != q->alpha || p->retry != q->retry ||
	    p->delay_before_retry != q->delay_before_retry ||
	    p->warmup != q->warmup || p->delay_loop != q->delay_loop ||
	    p->connect_timeout != q->connect_timeout ||
	    !conf_str_eq(p->virtualhost, q->virtualhost))
		return 0;
	for (x = p->list, y = q->list; x != NULL && y != NULL;
	    x = x->next, y = y->next)
		if (!chk_conf_checker_eq(x, y))
			return 0;
	return x == NULL && y == NULL;
}

/*
 * rs joined vs: it shares the checks (checker list and inherited
 * settings) of one of the last real servers of vs whose checks would be
 * the same once finalized (giving its own back for the next real server
 * and checker blocks), else it is one of those the next one is compared
 * with. Real servers almost always carry the same checker
 * settings, differing only in the address and port they take from the
 * real server: 100,000 of them hold one list.
 */
static void
rs_share_checkers(struct chk_conf *c, const struct chk_vs_conf *vs,
    struct chk_rs_conf *rs)
{
	unsigned i;

	if (c->share_vs != vs) {
		memset(c->share_rs, 0, sizeof(c->share_rs));
		c->share_vs = vs;
		c->share_at = 0;
	}
	for (i = 0; i < CHK_SHARE_RECENT; i++) {
		const struct chk_rs_conf *o = c->share_rs[i];

		if (o != NULL && rs_checkers_eq(o, rs)) {
			chk_conf_checker_spare(c, rs->checks->list);
			rs->checks->spare = c->rsck_spare;
			c->rsck_spare = rs->checks;
			rs->checks = o->checks;
			return;
		}
	}
	c->share_rs[c->share_at] = rs;
	c->share_at = (c->share_at + 1) % CHK_SHARE_RECENT;
}

static int
rs_close(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj)
{
	struct chk_vs_conf *vs = parent;
	struct chk_rs_conf *rs = obj, *old;
	char buf[ADDR_STRLEN];

	(void)kw;
	switch (vs_insert_rs(chk_conf_root(cx)->arena, vs, rs)) {
	case 0:
		rs_share_checkers(chk_conf_root(cx), vs, rs);
		return 0;
	case -1:
		old = chk_conf_vs_find_rs(vs, &rs->addr, rs->port);
		conf_warn(cx, n, "real server %s port %u already configured "
		    "at line %u of this virtual server - ignoring it",
		    addr_ntop(&rs->addr, buf, sizeof(buf)), rs->port,
		    old != NULL ? old->loc.line : 0);
		return 0;
	}
	conf_error(cx, n, "out of memory");
	return -1;
}

#define O(f) offsetof(struct chk_rs_conf, f)
/* A setting the real server hands its checkers: in its checks. */
#define K(f) offsetof(struct chk_rs_checks, f)

#define RS_CK_SETTER(name, setter)					\
static int								\
name(struct conf_ctx *cx, const struct conf_node *n,			\
    const struct conf_kw *kw, void *obj)				\
{									\
	return setter(cx, n, kw, ((struct chk_rs_conf *)obj)->checks);	\
}
RS_CK_SETTER(rs_ck_flag, conf_set_flag)
RS_CK_SETTER(rs_ck_str, conf_set_str)
RS_CK_SETTER(rs_ck_int, conf_set_int)
RS_CK_SETTER(rs_ck_timer, conf_set_timer)

static const struct conf_kw rs_kw[] = {
	CONF_KW_INT("weight", O(weight), 0, 65535),
	CONF_KW("lvs_method", 1, 6, chk_conf_set_fwd, O(fwd)),
	CONF_KW("notify_up", 1, 3, chk_conf_set_script_ptr, O(notify_up)),
	CONF_KW("notify_down", 1, 3, chk_conf_set_script_ptr, O(notify_down)),
	CONF_KW_UINT("uthreshold", O(uthreshold), 0, 4294967295LL),
	CONF_KW_UINT("lthreshold", O(lthreshold), 0, 4294967295LL),
	CONF_KW_FLAG("inhibit_on_failure", O(inhibit_on_failure)),
	CONF_KW("alpha", 0, 1, rs_ck_flag, K(alpha)),
	CONF_KW_FLAG("smtp_alert", O(smtp_alert)),
	CONF_KW("virtualhost", 1, 1, rs_ck_str, K(virtualhost)),
	CONF_KW_STR("snmp_name", O(snmp_name)),
	CONF_KW_RANGE("retry", 1, 1, rs_ck_int, K(retry), 0, 2147483647LL),
	CONF_KW_RANGE("delay_before_retry", 1, 1, rs_ck_timer,
	    K(delay_before_retry), 0, CHK_TMAX),
	CONF_KW_RANGE("warmup", 1, 1, rs_ck_timer, K(warmup), 0, CHK_TMAX),
	CONF_KW_RANGE("delay_loop", 1, 1, rs_ck_timer, K(delay_loop), 1,
	    CHK_TMAX),
	CONF_KW_RANGE("connect_timeout", 1, 1, rs_ck_timer,
	    K(connect_timeout), 1, CHK_TMAX),
	CONF_KW_END
};

static const struct conf_kw vs_rs_kw[] = {
	CONF_KW_BLOCK("real_server", CONF_F_BLOCK_OPT, 1, 2, CHK_CTX_RS,
	    rs_open, rs_close, 0),
	CONF_KW_END
};

int
chk_conf_register_rs(struct conf_registry *r)
{
	if (conf_registry_add(r, CONF_OWNER_CHECK, CHK_CTX_VS, vs_rs_kw) == -1 ||
	    conf_registry_add(r, CONF_OWNER_CHECK, CHK_CTX_RS, rs_kw) == -1)
		return -1;
	return 0;
}

void
chk_conf_vs_remove_rs(struct chk_vs_conf *vs, struct chk_rs_conf *rs)
{
	struct chk_rs_conf **pp;

	htab_del(&vs->rs_index, &rs->hnode);
	vs->rs_tail = NULL;
	for (pp = &vs->rs; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == rs) {
			*pp = rs->next;
			vs->nrs--;
			if (*pp == NULL)
				break;
		}
		vs->rs_tail = *pp;
	}
}
