/* SPDX-License-Identifier: GPL-2.0-or-later */
/* virtual_server { } and virtual_server_group { } keywords. */
#include "config_priv.h"

#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

static const char *const schedulers[] = {
	"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq",
	"fo", "ovf", "mh", "twos", NULL
};

/* ---- virtual_server ---------------------------------------------------- */

static void *
vs_open(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent)
{
	struct chk_conf *c = parent;
	struct chk_vs_conf *vs;
	long long v;

	(void)kw;
	if ((vs = chk_conf_obj_new(cx, n, sizeof(*vs),
	    offsetof(struct chk_vs_conf, loc))) == NULL)
		return NULL;
	vs->protocol = 0;		/* unset: see finalize */
	vs->smtp_alert = CHK_INT_UNSET;
	vs->inhibit_on_failure = CHK_INT_UNSET;
	vs->alpha = vs->omega = 0;
	vs->quorum = 1;
	vs->weight = 1;
	vs->retry = CHK_INT_UNSET;
	vs->delay_before_retry = vs->warmup = vs->delay_loop =
	    vs->connect_timeout = CHK_TIMER_UNSET;
	vs->fwd.method = CHK_FWD_NAT;
	chk_conf_vs_rs_reserve(c->arena, vs, n);

	if (strcmp(n->argv[1], "fwmark") == 0) {
		if (n->argc != 3 ||
		    conf_parse_ll(n->argv[2], 1, 4294967295LL, &v) == -1) {
			conf_error(cx, n, "fwmark: expected 1-4294967295%s%s",
			    n->argc == 3 ? ", got " : "",
			    n->argc == 3 ? n->argv[2] : "");
			return NULL;
		}
		vs->kind = CHK_VS_FWMARK;
		vs->fwmark = (unsigned)v;
		return vs;
	}
	if (strcmp(n->argv[1], "group") == 0) {
		if (n->argc != 3) {
			conf_error(cx, n, "group: expected a group name");
			return NULL;
		}
		vs->kind = CHK_VS_GROUP;
		vs->group_name = arena_strdup(c->arena, n->argv[2]);
		return vs->group_name != NULL ? vs : NULL;
	}
	vs->kind = CHK_VS_ADDR;
	if (chk_conf_parse_addr_port(cx, n, 1, &vs->addr, &vs->port) == -1)
		return NULL;
	vs->family = vs->addr.family;
	return vs;
}

static int
vs_close(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj)
{
	struct chk_conf *c = parent;
	struct chk_vs_conf *vs = obj;

	(void)cx;
	(void)n;
	(void)kw;
	if (c->vs_tail != NULL)
		c->vs_tail->next = vs;
	else
		c->vs = vs;
	c->vs_tail = vs;
	c->nvs++;
	return 0;
}

#define VS_OBJ(obj) ((struct chk_vs_conf *)(obj))

static int
set_sched(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	size_t i;

	(void)kw;
	for (i = 0; schedulers[i] != NULL; i++)
		if (strcmp(n->argv[1], schedulers[i]) == 0) {
			strcpy(VS_OBJ(obj)->sched, schedulers[i]);
			return 0;
		}
	conf_error(cx, n, "unknown scheduler '%s' (expected rr|wrr|lc|wlc|"
	    "lblc|lblcr|dh|sh|sed|nq|fo|ovf|mh|twos)", n->argv[1]);
	return -1;
}

static int
set_vs_flag(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	(void)cx;
	(void)n;
	VS_OBJ(obj)->flags |= (unsigned)kw->lo;
	return 0;
}

/*
 * sh-port, sh-fallback, mh-port, mh-fallback: decided at their line from
 * the scheduler set so far, as keepalived 2.2.7 decides them (the kernel's
 * flag-2 / flag-1 bit, kept if lvs_sched changes later): written before
 * lvs_sched (or under another scheduler) they are ignored there too, so
 * the same file gives the same table; here with a warning saying so.
 */
static int
set_sched_flag(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_vs_conf *vs = obj;
	const char *want = (unsigned)kw->hi == 1 ? "sh" : "mh";

	if (strcmp(vs->sched, want) == 0) {
		vs->flags |= (unsigned)kw->lo;
		return 0;
	}
	if (vs->sched[0] == '\0')
		conf_warn(cx, n, "only applies to the %s scheduler, and "
		    "lvs_sched is not set before this line - ignoring (as "
		    "keepalived 2.2.7 does: write lvs_sched %s first)",
		    want, want);
	else
		conf_warn(cx, n, "only applies to the %s scheduler, and "
		    "lvs_sched is %s at this line - ignoring (as keepalived "
		    "2.2.7 does)", want, vs->sched);
	return 0;
}

static int
set_persist_timeout(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_vs_conf *vs = obj;
	long long v = CHK_DEF_PERSISTENCE;

	(void)kw;
	if (n->argc == 2 &&
	    conf_parse_ll(n->argv[1], 1, 2678400, &v) == -1) {
		conf_error(cx, n, "expected seconds 1-2678400 (31 days), got %s",
		    n->argv[1]);
		return -1;
	}
	vs->persistence_timeout = (unsigned)v;
	vs->persistence_set = 1;
	return 0;
}

static int
set_persist_gran(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_vs_conf *vs = obj;
	struct vg_addr a;
	long long v;
	uint32_t m;

	(void)kw;
	if (strchr(n->argv[1], '.') != NULL) {
		if (addr_parse(n->argv[1], &a) == -1 || a.family != AF_INET) {
			conf_error(cx, n, "expected an IPv4 netmask or an IPv6 "
			    "prefix length 1-128, got %s", n->argv[1]);
			return -1;
		}
		m = ntohl(a.u.v4.s_addr);
		if (m == 0 || (~m & (~m + 1)) != 0) {
			conf_error(cx, n, "netmask %s is not contiguous",
			    n->argv[1]);
			return -1;
		}
		vs->persistence_mask = a;
	} else {
		if (conf_parse_ll(n->argv[1], 1, 128, &v) == -1) {
			conf_error(cx, n, "expected an IPv4 netmask or an IPv6 "
			    "prefix length 1-128, got %s", n->argv[1]);
			return -1;
		}
		vs->persistence_prefix = (unsigned)v;
	}
	if (!vs->persistence_set) {
		vs->persistence_timeout = CHK_DEF_PERSISTENCE;
		vs->persistence_set = 1;
	}
	return 0;
}

static int
set_protocol(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_vs_conf *vs = obj;

	(void)kw;
	if (strcasecmp(n->argv[1], "TCP") == 0)
		vs->protocol = IPPROTO_TCP;
	else if (strcasecmp(n->argv[1], "UDP") == 0)
		vs->protocol = IPPROTO_UDP;
	else if (strcasecmp(n->argv[1], "SCTP") == 0)
		vs->protocol = IPPROTO_SCTP;
	else {
		conf_error(cx, n, "expected TCP|UDP|SCTP, got %s", n->argv[1]);
		return -1;
	}
	return 0;
}

/* quorum: as conf_set_uint, but 0 is raised to 1 with a warning */
static int
set_quorum(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	if (conf_set_uint(cx, n, kw, obj) == -1)
		return -1;
	if (VS_OBJ(obj)->quorum == 0) {
		conf_warn(cx, n, "quorum must be at least 1; using 1");
		VS_OBJ(obj)->quorum = 1;
	}
	return 0;
}

/* "inet" or "inet6" into *af. */
static int
parse_family(struct conf_ctx *cx, const struct conf_node *n, const char *s,
    int *af)
{
	if (strcmp(s, "inet") == 0)
		*af = AF_INET;
	else if (strcmp(s, "inet6") == 0)
		*af = AF_INET6;
	else {
		conf_error(cx, n, "expected inet|inet6, got %s", s);
		return -1;
	}
	return 0;
}

static int
set_ip_family(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_vs_conf *vs = obj;
	int af;

	(void)kw;
	if (parse_family(cx, n, n->argv[1], &af) == -1)
		return -1;
	if (vs->kind == CHK_VS_ADDR && vs->family != af) {
		conf_error(cx, n, "%s conflicts with the virtual server address",
		    n->argv[1]);
		return -1;
	}
	vs->family = af;
	return 0;
}

static int
set_sorry(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_vs_conf *vs = obj;
	struct vg_addr a;
	unsigned port;

	(void)kw;
	if (chk_conf_parse_addr_port(cx, n, 1, &a, &port) == -1)
		return -1;
	vs->sorry.set = 1;
	vs->sorry.addr = a;
	vs->sorry.port = port;
	chk_conf_loc(chk_conf_root(cx), n, &vs->sorry.loc);
	return 0;
}

#define O(f) offsetof(struct chk_vs_conf, f)

static const struct conf_kw vs_kw[] = {
	CONF_KW("lb_algo", 1, 1, set_sched, 0),
	CONF_KW("lvs_sched", 1, 1, set_sched, 0),
	CONF_KW_RANGE("hashed", 0, 0, set_vs_flag, 0, CHK_VS_F_HASHED, 0),
	CONF_KW_RANGE("ops", 0, 0, set_vs_flag, 0, CHK_VS_F_ONEPACKET, 0),
	CONF_KW_RANGE("flag-1", 0, 0, set_vs_flag, 0, CHK_VS_F_FLAG1, 0),
	CONF_KW_RANGE("flag-2", 0, 0, set_vs_flag, 0, CHK_VS_F_FLAG2, 0),
	CONF_KW_RANGE("flag-3", 0, 0, set_vs_flag, 0, CHK_VS_F_FLAG3, 0),
	CONF_KW_RANGE("sh-port", 0, 0, set_sched_flag, 0, CHK_VS_F_FLAG2, 1),
	CONF_KW_RANGE("sh-fallback", 0, 0, set_sched_flag, 0, CHK_VS_F_FLAG1,
	    1),
	CONF_KW_RANGE("mh-port", 0, 0, set_sched_flag, 0, CHK_VS_F_FLAG2, 2),
	CONF_KW_RANGE("mh-fallback", 0, 0, set_sched_flag, 0, CHK_VS_F_FLAG1,
	    2),
	CONF_KW("lb_kind", 1, 6, chk_conf_set_fwd, O(fwd)),
	CONF_KW("lvs_method", 1, 6, chk_conf_set_fwd, O(fwd)),
	CONF_KW("persistence_timeout", 0, 1, set_persist_timeout, 0),
	CONF_KW("persistence_granularity", 1, 1, set_persist_gran, 0),
	CONF_KW_STR("persistence_engine", O(persistence_engine)),
	CONF_KW("protocol", 1, 1, set_protocol, 0),
	CONF_KW_FLAG("ha_suspend", O(ha_suspend)),
	CONF_KW_FLAG("smtp_alert", O(smtp_alert)),
	CONF_KW_STR("virtualhost", O(virtualhost)),
	CONF_KW_STR("snmp_name", O(snmp_name)),
	CONF_KW_FLAG("alpha", O(alpha)),
	CONF_KW_FLAG("omega", O(omega)),
	{ .name = "quorum", .min_args = 1, .max_args = 1, .set = set_quorum,
	    .off = O(quorum), .hi = 4294967295LL, .expect = "1-4294967295" },
	CONF_KW_UINT("hysteresis", O(hysteresis), 0, 4294967295LL),
	CONF_KW_INT("weight", O(weight), 1, 65535),
	CONF_KW("quorum_up", 1, 3, chk_conf_set_script, O(quorum_up)),
	CONF_KW("quorum_down", 1, 3, chk_conf_set_script, O(quorum_down)),
	CONF_KW("ip_family", 1, 1, set_ip_family, 0),
	CONF_KW("sorry_server", 1, 2, set_sorry, 0),
	CONF_KW_FLAG("sorry_server_inhibit", O(sorry.inhibit)),
	CONF_KW("sorry_server_lvs_method", 1, 6, chk_conf_set_fwd,
	    O(sorry.fwd)),
	CHK_CONNECT_TIMEOUT_KW(struct chk_vs_conf),
	CHK_TIMING_KW(struct chk_vs_conf),
	CONF_KW_FLAG("inhibit_on_failure", O(inhibit_on_failure)),
	CONF_KW_END
};

/* ---- virtual_server_group ------------------------------------------------ */

static void *
vsg_open(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent)
{
	struct chk_conf *c = parent;
	struct chk_vsg_conf *g;

	(void)kw;
	for (g = c->groups; g != NULL; g = g->next)
		if (strcmp(g->name, n->argv[1]) == 0) {
			conf_error(cx, n, "group %s is already defined at "
			    "%s:%u", n->argv[1], g->loc.file ? g->loc.file :
			    "?", g->loc.line);
			return NULL;
		}
	if ((g = chk_conf_obj_new(cx, n, sizeof(*g),
	    offsetof(struct chk_vsg_conf, loc))) == NULL ||
	    (g->name = conf_strdup(cx, n, n->argv[1])) == NULL)
		return NULL;
	return g;
}

/* "A.B.C.D-E", "A.B.C.D-F.G.H.I", "A.B.C.D/nn" and IPv6 equivalents. */
static int
parse_range(const char *s, struct vg_addr *lo, struct vg_addr *hi)
{
	const char *sep;
	unsigned prefix, i;

	if ((sep = strchr(s, '/')) != NULL) {
		if (addr_parse_prefix(s, lo, &prefix) == -1)
			return -1;
		*hi = *lo;
		if (lo->family == AF_INET) {
			uint32_t m = prefix == 0 ? 0 : ~0u << (32 - prefix);
			uint32_t a = ntohl(lo->u.v4.s_addr);

			lo->u.v4.s_addr = htonl(a & m);
			hi->u.v4.s_addr = htonl(a | ~m);
			return 0;
		}
		for (i = 0; i < 16; i++) {
			unsigned bits = prefix > i * 8 ? prefix - i * 8 : 0;
			unsigned char m = bits >= 8 ? 0xff :
			    (unsigned char)(0xff << (8 - bits));

			lo->u.v6.s6_addr[i] &= m;
			hi->u.v6.s6_addr[i] |= (unsigned char)~m;
		}
		return 0;
	}
	if ((sep = strchr(s, '-')) == NULL) {
		if (addr_parse(s, lo) == -1)
			return -1;
		*hi = *lo;
		return 0;
	}
	if (addr_parse_len(s, (size_t)(sep - s), lo) == -1)
		return -1;
	sep++;
	if (addr_parse(sep, hi) == 0) {
		if (hi->family != lo->family)
			return -1;
	} else {
		long long v;

		*hi = *lo;
		if (lo->family == AF_INET) {
			if (conf_parse_ll(sep, 0, 255, &v) == -1)
				return -1;
			hi->u.v4.s_addr = htonl((ntohl(lo->u.v4.s_addr) &
			    ~0xffu) | (uint32_t)v);
		} else {
			char *end;
			unsigned long x;

			if (*sep == '\0' || strlen(sep) > 4)
				return -1;
			x = strtoul(sep, &end, 16);
			if (*end != '\0')
				return -1;
			hi->u.v6.s6_addr[14] = (unsigned char)(x >> 8);
			hi->u.v6.s6_addr[15] = (unsigned char)x;
		}
	}
	return addr_cmp(lo, hi) <= 0 ? 0 : -1;
}

static int
vsg_item(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_vsg_conf *g = obj;
	struct chk_conf_vsg_entry *e;
	long long v;

	(void)kw;
	if ((e = chk_conf_obj_new(cx, n, sizeof(*e),
	    offsetof(struct chk_conf_vsg_entry, loc))) == NULL)
		return -1;
	if (strcmp(n->argv[0], "fwmark") == 0) {
		if (n->argc < 2 || n->argc > 3 ||
		    conf_parse_ll(n->argv[1], 1, 4294967295LL, &v) == -1) {
			conf_error(cx, n, "expected fwmark 1-4294967295 "
			    "[inet|inet6]");
			return -1;
		}
		e->is_fwmark = 1;
		e->fwmark = (unsigned)v;
		if (n->argc == 3 &&
		    parse_family(cx, n, n->argv[2], &e->family) == -1)
			return -1;
	} else {
		if (n->argc > 2) {
			conf_error(cx, n, "expected ADDRESS[-END|/LEN] [PORT]");
			return -1;
		}
		if (parse_range(n->argv[0], &e->lo, &e->hi) == -1) {
			conf_error(cx, n, "expected an address or address "
			    "range, got %s", n->argv[0]);
			return -1;
		}
		e->family = e->lo.family;
		if (n->argc == 2 &&
		    chk_conf_parse_port(cx, n, n->argv[1], &e->port) == -1)
			return -1;
	}
	if (g->entries_tail != NULL)
		g->entries_tail->next = e;
	else
		g->entries = e;
	g->entries_tail = e;
	g->nentries++;
	return 0;
}

static int
vsg_close(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj)
{
	struct chk_conf *c = parent;
	struct chk_vsg_conf *g = obj;

	(void)kw;
	if (g->nentries == 0) {
		conf_warn(cx, n, "virtual server group %s has no entries - "
		    "removing", g->name);
		return 0;
	}
	if (c->groups_tail != NULL)
		c->groups_tail->next = g;
	else
		c->groups = g;
	c->groups_tail = g;
	c->ngroups++;
	return 0;
}

static const struct conf_kw top_kw[] = {
	CONF_KW_BLOCK("virtual_server", 0, 1, 2, CHK_CTX_VS, vs_open, vs_close,
	    0),
	{ .name = "virtual_server_group", .flags = CONF_F_LIST, .min_args = 1,
	    .max_args = 1, .set = vsg_item, .open = vsg_open,
	    .close = vsg_close },
	CONF_KW_END
};

int
chk_conf_register_vs(struct conf_registry *r)
{
	if (conf_registry_add(r, CONF_OWNER_CHECK, "", top_kw) == -1 ||
	    conf_registry_add(r, CONF_OWNER_CHECK, CHK_CTX_VS, vs_kw) == -1)
		return -1;
	return 0;
}
