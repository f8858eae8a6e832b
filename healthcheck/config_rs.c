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

static void
rs_init(struct chk_rs_conf *rs)
{
	rs->weight = CHK_INT_UNSET;	/* finalize: the virtual server's */
	rs->inhibit_on_failure = CHK_INT_UNSET;
	rs->smtp_alert = CHK_INT_UNSET;
	rs->alpha = CHK_INT_UNSET;
	rs->retry = CHK_INT_UNSET;
	rs->delay_before_retry = rs->warmup = rs->delay_loop =
	    rs->connect_timeout = CHK_TIMER_UNSET;
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
	const struct chk_checker_conf *x, *y;

	if (a->ncheckers != b->ncheckers || a->alpha != b->alpha ||
	    a->retry != b->retry ||
	    a->delay_before_retry != b->delay_before_retry ||
	    a->warmup != b->warmup || a->delay_loop != b->delay_loop ||
	    a->connect_timeout != b->connect_timeout ||
	    !conf_str_eq(a->virtualhost, b->virtualhost))
		return 0;
	for (x = a->checkers, y = b->checkers; x != NULL && y != NULL;
	    x = x->next, y = y->next)
		if (!chk_conf_checker_eq(x, y))
			return 0;
	return x == NULL && y == NULL;
}

/*
 * rs joined vs: it shares the checker list of one of the last real
 * servers of vs whose list would be the same once finalized (giving its
 * own back for the next checker blocks), else it is one of those the next
 * one is compared with. Real servers almost always carry the same checker
 * settings, differing only in the address and port they take from the
 * real server: 100,000 of them hold one list.
 */
static void
rs_share_checkers(struct chk_conf *c, const struct chk_vs_conf *vs,
    struct chk_rs_conf *rs)
{
	unsigned i;

	if (rs->checkers == NULL)
		return;
	if (c->share_vs != vs) {
		memset(c->share_rs, 0, sizeof(c->share_rs));
		c->share_vs = vs;
		c->share_at = 0;
	}
	for (i = 0; i < CHK_SHARE_RECENT; i++) {
		const struct chk_rs_conf *o = c->share_rs[i];

		if (o != NULL && rs_checkers_eq(o, rs)) {
			chk_conf_checker_spare(c, rs->checkers);
			rs->checkers = o->checkers;
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

static const struct conf_kw rs_kw[] = {
	CONF_KW_INT("weight", O(weight), 0, 65535),
	CONF_KW("lvs_method", 1, 6, chk_conf_set_fwd, O(fwd)),
	CONF_KW("notify_up", 1, 3, chk_conf_set_script_ptr, O(notify_up)),
	CONF_KW("notify_down", 1, 3, chk_conf_set_script_ptr, O(notify_down)),
	CONF_KW_UINT("uthreshold", O(uthreshold), 0, 4294967295LL),
	CONF_KW_UINT("lthreshold", O(lthreshold), 0, 4294967295LL),
	CONF_KW_FLAG("inhibit_on_failure", O(inhibit_on_failure)),
	CONF_KW_FLAG("alpha", O(alpha)),
	CONF_KW_FLAG("smtp_alert", O(smtp_alert)),
	CONF_KW_STR("virtualhost", O(virtualhost)),
	CONF_KW_STR("snmp_name", O(snmp_name)),
	CHK_TIMING_KW(struct chk_rs_conf),
	CHK_CONNECT_TIMEOUT_KW(struct chk_rs_conf),
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
