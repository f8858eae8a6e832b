/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * real_server { } keywords, and the per-virtual-server hash of real servers
 * by (address, port) used for duplicate detection and reload matching.
 */
#include "config_priv.h"

#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

static size_t
rs_hash(const struct vg_addr *a, unsigned port)
{
	const unsigned char *p = a->family == AF_INET6 ?
	    a->u.v6.s6_addr : (const unsigned char *)&a->u.v4;
	size_t n = a->family == AF_INET6 ? 16 : 4, i;
	uint64_t h = 1469598103934665603ULL ^ (unsigned)a->family;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	h = (h ^ (port & 0xff)) * 1099511628211ULL;
	h = (h ^ (port >> 8)) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 29));
}

struct chk_rs_conf *
chk_vs_find_rs(const struct chk_vs_conf *vs, const struct vg_addr *addr,
    unsigned port)
{
	struct chk_rs_conf *rs;

	if (vs->rs_hash_size == 0)
		return NULL;
	rs = vs->rs_hash[rs_hash(addr, port) & (vs->rs_hash_size - 1)];
	for (; rs != NULL; rs = rs->hnext)
		if (rs->port == port && addr_cmp(&rs->addr, addr) == 0)
			return rs;
	return NULL;
}

static int
rs_hash_grow(struct arena *a, struct chk_vs_conf *vs)
{
	unsigned size = vs->rs_hash_size == 0 ? 16 : vs->rs_hash_size * 2, i;
	struct chk_rs_conf **tab, *rs, *next;

	if ((tab = arena_calloc(a, size, sizeof(*tab))) == NULL)
		return -1;
	for (i = 0; i < vs->rs_hash_size; i++)
		for (rs = vs->rs_hash[i]; rs != NULL; rs = next) {
			size_t h = rs_hash(&rs->addr, rs->port) & (size - 1);

			next = rs->hnext;
			rs->hnext = tab[h];
			tab[h] = rs;
		}
	vs->rs_hash = tab;
	vs->rs_hash_size = size;
	return 0;
}

int
chk_vs_insert_rs(struct arena *a, struct chk_vs_conf *vs,
    struct chk_rs_conf *rs)
{
	size_t h;

	if (chk_vs_find_rs(vs, &rs->addr, rs->port) != NULL)
		return -1;
	if (vs->nrs + 1 > vs->rs_hash_size && rs_hash_grow(a, vs) == -1)
		return -2;
	h = rs_hash(&rs->addr, rs->port) & (vs->rs_hash_size - 1);
	rs->hnext = vs->rs_hash[h];
	vs->rs_hash[h] = rs;
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
chk_rs_init(struct chk_rs_conf *rs)
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
	if ((rs = chk_obj_new(cx, n, sizeof(*rs),
	    offsetof(struct chk_rs_conf, loc))) == NULL)
		return NULL;
	chk_rs_init(rs);
	if (chk_parse_addr_port(cx, n, 1, &rs->addr, &rs->port) == -1)
		return NULL;
	return rs;
}

static int
rs_close(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj)
{
	struct chk_vs_conf *vs = parent;
	struct chk_rs_conf *rs = obj, *old;
	char buf[ADDR_STRLEN];

	(void)kw;
	switch (chk_vs_insert_rs(chk_root(cx)->arena, vs, rs)) {
	case 0:
		return 0;
	case -1:
		old = chk_vs_find_rs(vs, &rs->addr, rs->port);
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
	CHK_LEAF("weight", 1, 1, conf_set_int, O(weight), 0, 65535),
	CHK_LEAF("lvs_method", 1, 6, chk_set_fwd, O(fwd), 0, 0),
	CHK_LEAF("notify_up", 1, 3, chk_set_script, O(notify_up), 0, 0),
	CHK_LEAF("notify_down", 1, 3, chk_set_script, O(notify_down), 0, 0),
	CHK_LEAF("uthreshold", 1, 1, conf_set_uint, O(uthreshold), 0,
	    4294967295LL),
	CHK_LEAF("lthreshold", 1, 1, conf_set_uint, O(lthreshold), 0,
	    4294967295LL),
	CHK_LEAF("inhibit_on_failure", 0, 1, conf_set_flag,
	    O(inhibit_on_failure), 0, 0),
	CHK_LEAF("alpha", 0, 1, conf_set_flag, O(alpha), 0, 0),
	CHK_LEAF("smtp_alert", 0, 1, conf_set_flag, O(smtp_alert), 0, 0),
	CHK_LEAF("virtualhost", 1, 1, conf_set_str, O(virtualhost), 0, 0),
	CHK_LEAF("snmp_name", 1, 1, conf_set_str, O(snmp_name), 0, 0),
	CHK_TIMING_KW(struct chk_rs_conf),
	CHK_CONNECT_TIMEOUT_KW(struct chk_rs_conf),
	CHK_END
};

static const struct conf_kw vs_rs_kw[] = {
	{ "real_server", CONF_F_BLOCK | CONF_F_BLOCK_OPT, 1, 2, NULL, 0, 0, 0,
	    CHK_CTX_RS, rs_open, rs_close, NULL },
	CHK_END
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
chk_vs_remove_rs(struct chk_vs_conf *vs, struct chk_rs_conf *rs)
{
	struct chk_rs_conf **pp;

	if (vs->rs_hash_size != 0) {
		pp = &vs->rs_hash[rs_hash(&rs->addr, rs->port) &
		    (vs->rs_hash_size - 1)];
		for (; *pp != NULL; pp = &(*pp)->hnext)
			if (*pp == rs) {
				*pp = rs->hnext;
				break;
			}
	}
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
