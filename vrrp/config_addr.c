/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Item grammar of virtual_ipaddress / virtual_ipaddress_excluded /
 * static_ipaddress (ip address add), virtual_routes / static_routes
 * (ip route add) and virtual_rules / static_rules (ip rule add).
 *
 * A bad address is an error. A route or rule that does not parse is
 * reported as a warning and left out, as keepalived does, so existing
 * configurations keep loading.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <linux/fib_rules.h>
#include <linux/lwtunnel.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "config_priv.h"

static const struct {
	const char *name;
	int scope;
} scopes[] = {
	{ "global", RT_SCOPE_UNIVERSE }, { "universe", RT_SCOPE_UNIVERSE },
	{ "site", RT_SCOPE_SITE }, { "link", RT_SCOPE_LINK },
	{ "host", RT_SCOPE_HOST }, { "nowhere", RT_SCOPE_NOWHERE },
};

/* Parse a scope name or number. 0 or -1. */
static int
parse_scope(const char *s, int *scope)
{
	long long v;
	size_t i;

	for (i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++)
		if (strcmp(s, scopes[i].name) == 0) {
			*scope = scopes[i].scope;
			return 0;
		}
	if (conf_parse_ll(s, 0, 255, &v) == -1)
		return -1;
	*scope = (int)v;
	return 0;
}

const char *
vrrp_conf_scope_name(int scope, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++)
		if (scopes[i].scope == scope)
			return scopes[i].name;
	snprintf(buf, len, "%d", scope);
	return buf;
}

static int
ifname_ok(const char *s)
{
	size_t l = strlen(s);

	return l > 0 && l < IFNAMSIZ && strchr(s, '/') == NULL;
}

/* ---- addresses ----------------------------------------------------------- */

/* Address options without a value. */
static const struct {
	const char *name;
	unsigned flag;
} ipa_flags[] = {
	{ "home", VRRP_IPA_HOME }, { "-nodad", VRRP_IPA_DAD },
	{ "nodad", VRRP_IPA_NODAD }, { "mngtmpaddr", VRRP_IPA_MNGTMPADDR },
	{ "noprefixroute", VRRP_IPA_NOPREFIXROUTE },
	{ "no_prefix_route", VRRP_IPA_NOPREFIXROUTE },
	{ "autojoin", VRRP_IPA_AUTOJOIN }, { "no_track", VRRP_IPA_NO_TRACK },
	{ "use_vmac", VRRP_IPA_USE_VMAC },
};

int
vrrp_conf_set_ipaddr_item(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_conf_list *l = VRRP_FIELD(obj, kw, struct vrrp_conf_list);
	struct vrrp_conf_ipaddr *a;
	struct vrrp_conf_ipaddr_params *p;
	long long v;
	unsigned i;
	size_t k;

	if ((a = conf_alloc(cx, n, sizeof(*a))) == NULL)
		return -1;
	a->loc = n->loc;
	p = &a->p;
	if (addr_parse_prefix(n->argv[0], &p->addr, &p->prefix) == -1) {
		conf_error(cx, n, "expected ADDRESS[/PREFIX], got %s",
		    n->argv[0]);
		return -1;
	}
	for (i = 1; i < n->argc; i++) {
		const char *o = n->argv[i];
		const char *arg = i + 1 < n->argc ? n->argv[i + 1] : NULL;

		for (k = 0; k < sizeof(ipa_flags) / sizeof(ipa_flags[0]); k++)
			if (strcmp(o, ipa_flags[k].name) == 0)
				break;
		if (k < sizeof(ipa_flags) / sizeof(ipa_flags[0])) {
			p->flags |= ipa_flags[k].flag;
			continue;
		}
		if (arg == NULL) {
			conf_error(cx, n, "%s: '%s' needs a value", n->argv[0],
			    o);
			return -1;
		}
		i++;
		if (strcmp(o, "brd") == 0 || strcmp(o, "broadcast") == 0) {
			if (strcmp(arg, "+") == 0)
				p->brd_mode = VRRP_BRD_SET;
			else if (strcmp(arg, "-") == 0)
				p->brd_mode = VRRP_BRD_CLEAR;
			else if (addr_parse(arg, &p->brd) == 0 &&
			    p->brd.family == AF_INET &&
			    p->addr.family == AF_INET)
				p->brd_mode = VRRP_BRD_ADDR;
			else {
				conf_error(cx, n, "%s: brd expects an IPv4 "
				    "address, + or -, got %s", n->argv[0], arg);
				return -1;
			}
		} else if (strcmp(o, "dev") == 0) {
			if (!ifname_ok(arg)) {
				conf_error(cx, n, "%s: invalid interface name "
				    "'%s'", n->argv[0], arg);
				return -1;
			}
			if ((a->dev = conf_strdup(cx, n, arg)) == NULL)
				return -1;
		} else if (strcmp(o, "scope") == 0) {
			if (parse_scope(arg, &p->scope) == -1) {
				conf_error(cx, n, "%s: scope expects global, "
				    "site, link, host, nowhere or 0-255, got %s",
				    n->argv[0], arg);
				return -1;
			}
		} else if (strcmp(o, "label") == 0) {
			if (strlen(arg) >= IFNAMSIZ) {
				conf_error(cx, n, "%s: label '%s' longer than "
				    "%d characters", n->argv[0], arg,
				    IFNAMSIZ - 1);
				return -1;
			}
			if ((a->label = conf_strdup(cx, n, arg)) == NULL)
				return -1;
		} else if (strcmp(o, "peer") == 0) {
			if (addr_parse_prefix(arg, &p->peer,
			    &p->peer_prefix) == -1 ||
			    p->peer.family != p->addr.family) {
				conf_error(cx, n, "%s: peer expects an %s "
				    "address, got %s", n->argv[0],
				    p->addr.family == AF_INET ? "IPv4" : "IPv6",
				    arg);
				return -1;
			}
		} else if (strcmp(o, "track_group") == 0) {
			if ((a->track_group = conf_strdup(cx, n,
			    arg)) == NULL)
				return -1;
		} else if (strcmp(o, "preferred_lft") == 0) {
			p->flags |= VRRP_IPA_PREFERRED_LFT;
			if (strcmp(arg, "forever") == 0)
				p->preferred_lft = 0xffffffffu;
			else if (conf_parse_ll(arg, 0, 0xfffffffeLL, &v) == 0)
				p->preferred_lft = (unsigned)v;
			else {
				conf_error(cx, n, "%s: preferred_lft expects "
				    "seconds or forever, got %s", n->argv[0],
				    arg);
				return -1;
			}
		} else {
			conf_error(cx, n, "%s: unknown option '%s'", n->argv[0],
			    o);
			return -1;
		}
	}
	/* keepalived's default: an IPv6 /128 is deprecated (preferred_lft
	 * 0), so that the host never takes it as a source address of its
	 * own connections; preferred_lft given decides */
	if (p->addr.family == AF_INET6 && p->prefix == 128 &&
	    !(p->flags & VRRP_IPA_PREFERRED_LFT)) {
		p->flags |= VRRP_IPA_PREFERRED_LFT;
		p->preferred_lft = 0;
	}
	vrrp_conf_list_append(l, a);
	return 0;
}

/* ---- a VIP's own VMAC (use_vmac on the address, use_vmac_addr) ----- */

int
vrrp_conf_addr_vmac(const struct vrrp_instance_conf *c,
    const struct vrrp_conf_ipaddr *a)
{
	int own_if = a->dev == NULL || conf_str_eq(a->dev, c->interface);
	int same_fam = a->p.addr.family == c->p.family;
	int asked = (a->p.flags & VRRP_IPA_USE_VMAC) != 0;

	if (a->dev == NULL && c->interface == NULL)
		return 0;
	if (own_if)
		/* of the instance's own VMAC's interface and family: on it */
		return !(c->p.use_vmac && same_fam) &&
		    (asked || (c->p.use_vmac_addr && !same_fam));
	return asked || c->p.use_vmac_addr;
}

const char *
vrrp_conf_addr_base(const struct vrrp_instance_conf *c,
    const struct vrrp_conf_ipaddr *a)
{
	return a->dev != NULL ? a->dev : c->interface;
}

void
vrrp_conf_vmac_mac(const struct vrrp_instance_conf *c, int family,
    unsigned char mac[6])
{
	static const unsigned char rfc[4] = { 0x00, 0x00, 0x5e, 0x00 };

	memcpy(mac, rfc, 4);
	mac[4] = family == AF_INET6 ? 0x02 : 0x01;
	if (c->p.vmac_mac_len >= 5)
		memcpy(mac, c->p.vmac_mac, c->p.vmac_mac_len);
	if (c->p.vmac_mac_len != 6)
		mac[5] = (unsigned char)c->p.vrid;
}

/*
 * use_vmac on a VIP or eVIP of c, as keepalived 2.2.7 refuses it: on one
 * of the interface and family of the instance's own VMAC (it goes there
 * already), with use_vmac_addr where that applies (it says the same), or
 * with no interface to make the VMAC on. Each at the address's line; the
 * number of errors.
 */
unsigned
vrrp_conf_check_addr_vmac(struct conf_ctx *cx,
    const struct vrrp_instance_conf *c)
{
	const struct vrrp_conf_list *lists[] = { &c->vips, &c->evips };
	struct conf_diag *d = conf_diag_of(cx);
	char s[ADDR_STRLEN];
	unsigned nerr = 0;

	for (unsigned l = 0; l < 2; l++)
		for (const struct vrrp_conf_ipaddr *a = lists[l]->first;
		    a != NULL; a = a->next) {
			int own_if, same_fam;

			if (!(a->p.flags & VRRP_IPA_USE_VMAC))
				continue;
			own_if = a->dev == NULL ||
			    conf_str_eq(a->dev, c->interface);
			same_fam = a->p.addr.family == c->p.family;
			addr_ntop(&a->p.addr, s, sizeof(s));
			/* (an instance without an interface has a dev on
			 * every address: check_no_interface) */
			if (own_if && same_fam && c->p.use_vmac)
				conf_diag_report(d, CONF_ERR, &a->loc, "%s: "
				    "use_vmac on %s and on the instance: the "
				    "address goes on the instance's VMAC "
				    "already", c->name, s);
			else if ((!own_if || !same_fam) &&
			    c->p.use_vmac_addr)
				conf_diag_report(d, CONF_ERR, &a->loc, "%s: "
				    "use_vmac on %s and use_vmac_addr on the "
				    "instance: give one or the other", c->name,
				    s);
			else
				continue;
			nerr++;
		}
	return nerr;
}

/* Whether c uses the VMAC on base carrying mac: its own (*at NULL) or the
 * one of an address of its own (*at). */
static int
uses_vmac(const struct vrrp_instance_conf *c, const char *base,
    const unsigned char mac[6], const struct vrrp_conf_ipaddr **at)
{
	const struct vrrp_conf_list *lists[] = { &c->vips, &c->evips };
	unsigned char m[6];

	*at = NULL;
	if (c->p.use_vmac && !c->p.use_ipvlan &&
	    conf_str_eq(c->interface, base)) {
		vrrp_conf_vmac_mac(c, c->p.family, m);
		if (memcmp(m, mac, 6) == 0)
			return 1;
	}
	for (unsigned l = 0; l < 2; l++)
		for (*at = lists[l]->first; *at != NULL; *at = (*at)->next) {
			if (!vrrp_conf_addr_vmac(c, *at) ||
			    strcmp(vrrp_conf_addr_base(c, *at), base) != 0)
				continue;
			vrrp_conf_vmac_mac(c, (*at)->p.addr.family, m);
			if (memcmp(m, mac, 6) == 0)
				return 1;
		}
	return 0;
}

/*
 * keepalived 2.2.7's check of VMACs shared by instances with the same
 * VRID, for the VMACs of single VIPs: an address of x on the same VMAC as
 * another instance's address or own VMAC (where its VIPs are), the two
 * not in one sync group, is an error at the later of the two (its
 * address, or the instance for its own VMAC), naming the other
 * (keepalived disables the later instance). The number of errors.
 */
unsigned
vrrp_conf_check_vmac_shared(const struct vrrp_conf *c, struct conf_diag *d)
{
	const struct vrrp_instance_conf *x, *y;
	unsigned nerr = 0;
	char s[ADDR_STRLEN];

	for (x = c->instances.first; x != NULL; x = x->next) {
		const struct vrrp_conf_list *lists[] = { &x->vips, &x->evips };

		for (unsigned l = 0; l < 2; l++)
			for (const struct vrrp_conf_ipaddr *a = lists[l]->first;
			    a != NULL; a = a->next) {
				const struct vrrp_conf_ipaddr *at;
				unsigned char mac[6];
				const char *base;
				int later = 0;

				if (!vrrp_conf_addr_vmac(x, a))
					continue;
				base = vrrp_conf_addr_base(x, a);
				vrrp_conf_vmac_mac(x, a->p.addr.family, mac);
				for (y = c->instances.first; y != NULL;
				    y = y->next) {
					if (y == x)
						later = 1;
					if (y == x || y->p.vrid != x->p.vrid ||
					    (x->sync_group != NULL &&
					    conf_str_eq(x->sync_group,
					    y->sync_group)) ||
					    !uses_vmac(y, base, mac, &at))
						continue;
					addr_ntop(&a->p.addr, s, sizeof(s));
					if (!later) {
						conf_diag_report(d, CONF_ERR,
						    &a->loc, "%s: %s goes on the "
						    "VMAC on %s that %s (%s:%u) "
						    "uses (VRID %u): instances "
						    "share a VMAC only in one "
						    "sync group", x->name, s,
						    base, y->name, y->loc.file,
						    y->loc.line, x->p.vrid);
						nerr++;
					} else if (at == NULL) {
						conf_diag_report(d, CONF_ERR,
						    &y->loc, "%s: its own VMAC on "
						    "%s is the one %s (%s:%u) "
						    "puts %s on (VRID %u): "
						    "instances share a VMAC only "
						    "in one sync group", y->name,
						    base, x->name, x->loc.file,
						    x->loc.line, s, x->p.vrid);
						nerr++;
					}
				}
			}
	}
	return nerr;
}

/* ---- routes and rules ----------------------------------------------------- */

struct perr {
	char msg[160];
};

static int __attribute__((format(printf, 2, 3)))
fail(struct perr *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static int
parse_num(const char *s, long long lo, long long hi, unsigned *out)
{
	long long v;

	if (s == NULL || conf_parse_ll(s, lo, hi, &v) == -1)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* "ADDR[/LEN]", "default" or "all" (family from the address or fam). */
static int
parse_prefix(const char *s, int fam, struct vg_addr *a, unsigned *len)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "default") == 0 || strcmp(s, "all") == 0) {
		/* family settled once the whole line is read */
		memset(a, 0, sizeof(*a));
		a->family = fam;
		*len = 0;
		return 0;
	}
	return addr_parse_prefix(s, a, len);
}

static int
parse_table(const char *s, unsigned *t)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "main") == 0)
		*t = RT_TABLE_MAIN;
	else if (strcmp(s, "local") == 0)
		*t = RT_TABLE_LOCAL;
	else if (strcmp(s, "default") == 0)
		*t = RT_TABLE_DEFAULT;
	else if (parse_num(s, 1, UINT_MAX, t) == -1) {
		/* a name from rt_tables: resolved by the engine */
		if (!isalpha((unsigned char)*s) || strlen(s) >= 64)
			return -1;
		*t = 0;
	}
	return 0;
}

static int
parse_proto(const char *s, unsigned *p)
{
	static const struct { const char *n; unsigned v; } protos[] = {
		{ "redirect", 1 }, { "kernel", 2 }, { "boot", 3 },
		{ "static", 4 }, { "gated", 8 }, { "ra", 9 }, { "mrt", 10 },
		{ "zebra", 11 }, { "bird", 12 }, { "dnrouted", 13 },
		{ "xorp", 14 }, { "ntk", 15 }, { "dhcp", 16 },
		{ "keepalived", 18 }, { "babel", 42 }, { "bgp", 186 },
		{ "isis", 187 }, { "ospf", 188 }, { "rip", 189 },
		{ "eigrp", 192 },
	};
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strcmp(s, protos[i].n) == 0) {
			*p = protos[i].v;
			return 0;
		}
	return parse_num(s, 0, 255, p);
}

static int
parse_tos(const char *s, unsigned *tos)
{
	unsigned long v;
	char *end;

	if (s == NULL || *s == '\0')
		return -1;
	v = strtoul(s, &end, 0);
	if (*end != '\0' || v > 255 || *s == '-')
		return -1;
	*tos = (unsigned)v;
	return 0;
}

/* "table T": a number, or a name kept for the engine to resolve. */
static int
opt_table(struct conf_ctx *cx, const struct conf_node *n, const char *arg,
    unsigned *table, char **name, struct perr *e)
{
	if (parse_table(arg, table) == -1)
		return fail(e, "invalid table %s", arg != NULL ? arg : "");
	if (*table == 0 && (*name = conf_strdup(cx, n, arg)) == NULL)
		return fail(e, "out of memory");
	return 0;
}

/* "dev IFNAME" and the like; opt names the option in the message. */
static int
opt_ifname(struct conf_ctx *cx, const struct conf_node *n, const char *opt,
    const char *arg, char **dst, struct perr *e)
{
	if (arg == NULL || !ifname_ok(arg))
		return fail(e, "%s expects an interface name", opt);
	if ((*dst = conf_strdup(cx, n, arg)) == NULL)
		return fail(e, "out of memory");
	return 0;
}

static int
opt_track_group(struct conf_ctx *cx, const struct conf_node *n,
    const char *arg, char **dst, struct perr *e)
{
	if (arg == NULL)
		return fail(e, "track_group needs a name");
	if ((*dst = conf_strdup(cx, n, arg)) == NULL)
		return fail(e, "out of memory");
	return 0;
}

static const struct { const char *n; int type; } rtypes[] = {
	{ "unicast", RTN_UNICAST }, { "local", RTN_LOCAL },
	{ "broadcast", RTN_BROADCAST }, { "anycast", RTN_ANYCAST },
	{ "multicast", RTN_MULTICAST }, { "blackhole", RTN_BLACKHOLE },
	{ "unreachable", RTN_UNREACHABLE }, { "prohibit", RTN_PROHIBIT },
	{ "throw", RTN_THROW }, { "nat", RTN_NAT },
};

/* ---- route options held in the words ------------------------------------ */

enum mkind { M_NUM, M_RTT, M_RTTVAR, M_MS, M_STR, M_BOOL, M_U8, M_FEAT };

static const struct {
	const char *name;
	int rtax;
	enum mkind kind;
	int lockable;
} route_metrics[] = {
	{ "mtu", RTAX_MTU, M_NUM, 1 }, { "window", RTAX_WINDOW, M_NUM, 0 },
	{ "rtt", RTAX_RTT, M_RTT, 1 }, { "rttvar", RTAX_RTTVAR, M_RTTVAR, 1 },
	{ "ssthresh", RTAX_SSTHRESH, M_NUM, 1 },
	{ "cwnd", RTAX_CWND, M_NUM, 1 }, { "advmss", RTAX_ADVMSS, M_NUM, 1 },
	{ "reordering", RTAX_REORDERING, M_NUM, 1 },
	{ "hoplimit", RTAX_HOPLIMIT, M_U8, 0 },
	{ "initcwnd", RTAX_INITCWND, M_NUM, 0 },
	{ "features", RTAX_FEATURES, M_FEAT, 0 },
	{ "rto_min", RTAX_RTO_MIN, M_MS, 1 },
	{ "initrwnd", RTAX_INITRWND, M_NUM, 0 },
	{ "quickack", RTAX_QUICKACK, M_BOOL, 0 },
	{ "congctl", RTAX_CC_ALGO, M_STR, 1 },
	{ "fastopen_no_cookie", RTAX_FASTOPEN_NO_COOKIE, M_BOOL, 0 },
};

int
vrrp_conf_u32(const char *s, uint32_t max, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (s == NULL || *s == '\0' || *s == '-')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (*end != '\0' || errno != 0 || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* A time as ip-route(8) takes it: with a unit (s, ms, us and their long
 * forms) in milliseconds, *raw 0; a bare number as it is, *raw 1. */
static int
route_time(const char *s, uint32_t *out, int *raw)
{
	double v;
	char *end;

	if (s == NULL || *s == '\0' || *s == '-' || *s == '+' ||
	    strpbrk(s, "eEnNxX") != NULL)
		return -1;
	v = strtod(s, &end);
	if (end == s || v < 0 || v > 4e9)
		return -1;
	*raw = 0;
	if (*end == '\0') {
		if (strchr(s, '.') != NULL)
			return -1;
		*raw = 1;
	} else if (strcmp(end, "s") == 0 || strcmp(end, "sec") == 0 ||
	    strcmp(end, "secs") == 0)
		v *= 1000;
	else if (strcmp(end, "us") == 0 || strcmp(end, "usec") == 0 ||
	    strcmp(end, "usecs") == 0)
		v /= 1000;
	else if (strcmp(end, "ms") != 0 && strcmp(end, "msec") != 0 &&
	    strcmp(end, "msecs") != 0)
		return -1;
	if (v > 4e9 / 8)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int
route_metric(int k, const char *arg, struct vrrp_route_opts *o)
{
	uint32_t *v = &o->metric[route_metrics[k].rtax];
	int raw;

	switch (route_metrics[k].kind) {
	case M_STR:
		o->congctl = arg;
		return 0;
	case M_NUM:
		return vrrp_conf_u32(arg, UINT32_MAX, v);
	case M_U8:
		return vrrp_conf_u32(arg, 255, v);
	case M_BOOL:
		return vrrp_conf_u32(arg, 1, v);
	case M_FEAT:
		if (strcmp(arg, "ecn") == 0) {
			*v |= RTAX_FEATURE_ECN;
			return 0;
		}
		return vrrp_conf_u32(arg, UINT32_MAX, v);
	default:
		if (route_time(arg, v, &raw) == -1)
			return -1;
		if (!raw && route_metrics[k].kind != M_MS)
			*v *= route_metrics[k].kind == M_RTT ? 8 : 4;
		return 0;
	}
}

/* realms [FROM/]TO, numbers of 16 bits. */
int
vrrp_conf_realms(const char *arg, uint32_t *out)
{
	char buf[16];
	const char *slash = strchr(arg, '/');
	uint32_t from = 0, to;

	if (slash != NULL) {
		if ((size_t)(slash - arg) >= sizeof(buf))
			return -1;
		memcpy(buf, arg, (size_t)(slash - arg));
		buf[slash - arg] = '\0';
		if (vrrp_conf_u32(buf, 0xffff, &from) == -1)
			return -1;
		arg = slash + 1;
	}
	if (vrrp_conf_u32(arg, 0xffff, &to) == -1)
		return -1;
	*out = from << 16 | to;
	return 0;
}

/* mpls LABEL[/LABEL...]: each at most 2^20 - 1 */
static int
encap_labels(const char *s, struct vrrp_route_opts *o)
{
	char buf[16];

	o->nlabels = 0;
	while (*s != '\0') {
		size_t len = strcspn(s, "/");
		uint32_t v;

		if (len == 0 || len >= sizeof(buf) ||
		    o->nlabels == VRRP_MPLS_MAX)
			return -1;
		memcpy(buf, s, len);
		buf[len] = '\0';
		if (vrrp_conf_u32(buf, 0xfffff, &v) == -1)
			return -1;
		o->labels[o->nlabels++] = v;
		s += len;
		if (*s == '/' && *++s == '\0')
			return -1;
	}
	return o->nlabels > 0 ? 0 : -1;
}

int
vrrp_conf_encap(unsigned argc, char *const *argv, unsigned *pos,
    struct vrrp_route_opts *o, const char **word, const char **value)
{
	unsigned i = *pos + 1;
	int family;

	*word = "encap";
	*value = i < argc ? argv[i] : NULL;
	o->encap_tos = o->encap_ttl = o->encap_flags = -1;
	if (*value == NULL)
		return -1;
	if (strcmp(argv[i], "mpls") == 0) {
		*word = "encap mpls";
		*value = i + 1 < argc ? argv[i + 1] : NULL;
		if (*value == NULL || encap_labels(*value, o) == -1)
			return -1;
		o->encap = LWTUNNEL_ENCAP_MPLS;
		*pos = i + 1;
		return 0;
	}
	if (strcmp(argv[i], "ip") == 0) {
		o->encap = LWTUNNEL_ENCAP_IP;
		family = AF_INET;
	} else if (strcmp(argv[i], "ip6") == 0) {
		o->encap = LWTUNNEL_ENCAP_IP6;
		family = AF_INET6;
	} else
		return -1;	/* ila, seg6...: not taken */
	while (i + 2 < argc) {
		const char *w = argv[i + 1], *a = argv[i + 2];
		int v6 = family == AF_INET6;
		uint32_t v;

		*word = w;
		*value = a;
		if (strcmp(w, "id") == 0) {
			char *end;

			errno = 0;
			o->encap_id = strtoull(a, &end, 0);
			if (errno != 0 || end == a || *end != '\0' || *a == '-')
				return -1;
			o->has_id = 1;
		} else if (strcmp(w, "dst") == 0 || strcmp(w, "src") == 0) {
			struct vg_addr *x = w[0] == 'd' ? &o->encap_dst :
			    &o->encap_src;

			if (addr_parse(a, x) == -1 || x->family != family)
				return -1;
		} else if (strcmp(w, v6 ? "tc" : "tos") == 0) {
			if (vrrp_conf_u32(a, 255, &v) == -1)
				return -1;
			o->encap_tos = (int)v;
		} else if (strcmp(w, v6 ? "hoplimit" : "ttl") == 0) {
			if (vrrp_conf_u32(a, 255, &v) == -1)
				return -1;
			o->encap_ttl = (int)v;
		} else if (strcmp(w, "flags") == 0) {
			if (vrrp_conf_u32(a, 65535, &v) == -1)
				return -1;
			o->encap_flags = (int)v;
		} else
			break;
		i += 2;
	}
	if (o->encap_dst.family == 0 && !o->has_id) {
		*word = family == AF_INET ? "encap ip" : "encap ip6";
		*value = NULL;
		return -1;	/* keepalived: address or id missing */
	}
	*pos = i;
	return 0;
}

int
vrrp_conf_route_opts(unsigned argc, char *const *argv,
    struct vrrp_route_opts *o, const char **word, const char **value)
{
	unsigned i;
	size_t k;

	memset(o, 0, sizeof(*o));
	o->pref = -1;
	for (i = 0; i < argc && strcmp(argv[i], "nexthop") != 0; i++) {
		const char *w = argv[i];
		const char *arg = i + 1 < argc ? argv[i + 1] : NULL;

		*word = w;
		*value = arg;
		for (k = 0; k < sizeof(route_metrics) /
		    sizeof(route_metrics[0]); k++)
			if (strcmp(w, route_metrics[k].name) == 0)
				break;
		if (k < sizeof(route_metrics) / sizeof(route_metrics[0])) {
			if (arg != NULL && strcmp(arg, "lock") == 0 &&
			    route_metrics[k].lockable) {
				o->lock |= 1u << route_metrics[k].rtax;
				arg = ++i + 1 < argc ? argv[i + 1] : NULL;
				*value = arg;
			}
			if (arg == NULL || route_metric((int)k, arg, o) == -1)
				return -1;
			o->set |= 1u << route_metrics[k].rtax;
		} else if (strcmp(w, "pref") == 0) {
			uint32_t v;

			if (arg == NULL)
				return -1;
			if (strcmp(arg, "low") == 0)
				o->pref = 3;	/* ICMPV6_ROUTER_PREF_LOW */
			else if (strcmp(arg, "medium") == 0)
				o->pref = 0;
			else if (strcmp(arg, "high") == 0)
				o->pref = 1;
			else if (vrrp_conf_u32(arg, 255, &v) == 0)
				o->pref = (int)v;
			else
				return -1;
		} else if (strcmp(w, "encap") == 0) {
			if (vrrp_conf_encap(argc, argv, &i, o, word,
			    value) == -1)
				return -1;
			continue;
		} else if (strcmp(w, "expires") == 0) {
			if (vrrp_conf_u32(arg, UINT32_MAX, &o->expires) == -1)
				return -1;
			o->has_expires = 1;
		} else if (strcmp(w, "realms") == 0) {
			if (arg == NULL ||
			    vrrp_conf_realms(arg, &o->realms) == -1)
				return -1;
			o->has_realms = 1;
		} else
			continue;
		i++;	/* its value */
	}
	*word = *value = NULL;
	return 0;
}

/* Route options taking one value that is stored only in argv. */
static const char *const route_opt1[] = {
	"advmss", "rtt", "rttvar", "reordering", "window", "cwnd", "ssthresh",
	"realms", "rto_min", "initcwnd", "initrwnd", "hoplimit", "features",
	"quickack", "congctl", "fastopen_no_cookie", "pref", "expires", "vrf",
	"ttl-propagate", "weight", NULL,
};

static int
in_list(const char *const *l, const char *s)
{
	for (; *l != NULL; l++)
		if (strcmp(*l, s) == 0)
			return 1;
	return 0;
}

static int
set_via(struct perr *e, const char *o, const char *s, struct vg_addr *a)
{
	if (s == NULL || addr_parse(s, a) == -1)
		return fail(e, "%s expects an address, got %s", o,
		    s != NULL ? s : "nothing");
	return 0;
}

static int
parse_route(struct conf_ctx *cx, const struct conf_node *n, void *item,
    struct perr *e)
{
	struct vrrp_conf_route *r = item;
	struct vrrp_conf_route_params *p = &r->p;
	unsigned i, argc = n->argc;
	char **argv = n->argv;
	size_t k;
	int have_dst = 0;

	p->type = RTN_UNICAST;
	for (i = 0; i < argc; i++) {
		const char *o = argv[i];
		const char *arg = i + 1 < argc ? argv[i + 1] : NULL;

		for (k = 0; k < sizeof(rtypes) / sizeof(rtypes[0]); k++)
			if (strcmp(o, rtypes[k].n) == 0)
				break;
		if (k < sizeof(rtypes) / sizeof(rtypes[0]) && !have_dst) {
			p->type = rtypes[k].type;
			continue;
		}
		if (strcmp(o, "inet6") == 0) {
			p->flags |= VRRP_RT_INET6;
			p->family = AF_INET6;
		} else if (strcmp(o, "inet") == 0) {
			p->family = AF_INET;
		} else if (strcmp(o, "src") == 0) {
			if (set_via(e, o, arg, &p->src) == -1)
				return -1;
			i++;
		} else if (strcmp(o, "from") == 0) {
			if (parse_prefix(arg, p->family, &p->from,
			    &p->from_len) == -1)
				return fail(e, "from expects ADDR[/LEN]");
			i++;
		} else if (strcmp(o, "to") == 0) {
			if (parse_prefix(arg, p->family, &p->dst,
			    &p->dst_len) == -1)
				return fail(e, "to expects ADDR[/LEN], got %s",
				    arg != NULL ? arg : "nothing");
			have_dst = 1;
			i++;
		} else if (strcmp(o, "via") == 0 || strcmp(o, "gw") == 0) {
			if (arg != NULL && (strcmp(arg, "inet") == 0 ||
			    strcmp(arg, "inet6") == 0)) {
				i++;
				arg = i + 1 < argc ? argv[i + 1] : NULL;
			}
			if (set_via(e, o, arg, &p->via) == -1)
				return -1;
			i++;
		} else if (strcmp(o, "or") == 0) {
			if (set_via(e, o, arg, &p->or_via) == -1)
				return -1;
			i++;
		} else if (strcmp(o, "dev") == 0 || strcmp(o, "oif") == 0) {
			if (opt_ifname(cx, n, "dev", arg, &r->dev, e) == -1)
				return -1;
			i++;
		} else if (strcmp(o, "scope") == 0) {
			if (arg == NULL || parse_scope(arg, &p->scope) == -1)
				return fail(e, "invalid scope");
			p->flags |= VRRP_RT_SCOPE;
			i++;
		} else if (strcmp(o, "table") == 0) {
			if (opt_table(cx, n, arg, &p->table, &r->table_name,
			    e) == -1)
				return -1;
			p->flags |= VRRP_RT_TABLE;
			i++;
		} else if (strcmp(o, "metric") == 0 ||
		    strcmp(o, "priority") == 0 ||
		    strcmp(o, "preference") == 0) {
			if (parse_num(arg, 0, UINT_MAX, &p->metric) == -1)
				return fail(e, "invalid %s", o);
			p->flags |= VRRP_RT_METRIC;
			i++;
		} else if (strcmp(o, "protocol") == 0 ||
		    strcmp(o, "proto") == 0) {
			if (parse_proto(arg, &p->protocol) == -1)
				return fail(e, "invalid protocol");
			p->flags |= VRRP_RT_PROTO;
			i++;
		} else if (strcmp(o, "tos") == 0 || strcmp(o, "dsfield") == 0) {
			if (parse_tos(arg, &p->tos) == -1)
				return fail(e, "invalid tos");
			p->flags |= VRRP_RT_TOS;
			i++;
		} else if (strcmp(o, "mtu") == 0) {
			if (arg != NULL && strcmp(arg, "lock") == 0)
				arg = ++i + 1 < argc ? argv[i + 1] : NULL;
			if (parse_num(arg, 0, UINT_MAX, &p->mtu) == -1)
				return fail(e, "invalid mtu");
			p->flags |= VRRP_RT_MTU;
			i++;
		} else if (strcmp(o, "onlink") == 0) {
			p->flags |= VRRP_RT_ONLINK;
		} else if (strcmp(o, "append") == 0) {
			p->flags |= VRRP_RT_APPEND;
		} else if (strcmp(o, "no_track") == 0) {
			p->flags |= VRRP_RT_NO_TRACK;
		} else if (strcmp(o, "track_group") == 0) {
			if (opt_track_group(cx, n, arg, &r->track_group,
			    e) == -1)
				return -1;
			i++;
		} else if (strcmp(o, "nexthop") == 0) {
			/* the clauses end the line: theirs are the words
			 * after it (vrrp_conf_route_nexthop reads them) */
			struct vrrp_conf_route v = { .argc = argc,
			    .argv = argv };
			struct vrrp_conf_nexthop nh;
			unsigned pos = i;

			while (vrrp_conf_route_nexthop(&v, &pos, &nh) > 0) {
				p->nexthops++;
				if (nh.bad_value != NULL)
					return fail(e, "nexthop: %s %s: expected "
					    "%s", nh.unknown, nh.bad_value,
					    strcmp(nh.unknown, "weight") == 0 ?
					    "1-256" : strcmp(nh.unknown,
					    "realms") == 0 ? "[FROM/]TO" :
					    "an address");
				if (nh.unknown != NULL)
					conf_warn(cx, n, "nexthop: '%s' is not "
					    "supported yet; the rest of that "
					    "clause is ignored", nh.unknown);
				if (nh.via.family != 0 && p->family != 0 &&
				    nh.via.family != p->family)
					return fail(e, "nexthop gateway family "
					    "differs from the destination's");
			}
			break;
		} else if (strcmp(o, "encap") == 0) {
			struct vrrp_route_opts eo;
			const char *w, *v;

			memset(&eo, 0, sizeof(eo));
			if (vrrp_conf_encap(argc, argv, &i, &eo, &w, &v) == -1)
				return fail(e, "invalid %s%s%s (expected encap "
				    "mpls LABEL[/LABEL...], or ip|ip6 with id "
				    "or dst)", w, v != NULL ? " " : "",
				    v != NULL ? v : "");
		} else if (in_list(route_opt1, o)) {
			if (arg != NULL && strcmp(arg, "lock") == 0)
				i++;
			if (i + 1 >= argc)
				return fail(e, "%s needs a value", o);
			i++;
		} else if (!have_dst) {
			if (parse_prefix(o, p->family, &p->dst,
			    &p->dst_len) == -1)
				return fail(e, "invalid destination %s", o);
			have_dst = 1;
		} else
			return fail(e, "unknown option '%s'", o);
	}
	if (!have_dst)
		return fail(e, "no destination");
	if (p->family == 0)
		p->family = p->dst.family != 0 ? p->dst.family :
		    p->via.family != 0 ? p->via.family : AF_INET;
	if (p->dst.family == 0)		/* default */
		p->dst.family = p->family;
	if (p->dst.family != p->family)
		return fail(e, "destination is not %s",
		    p->family == AF_INET6 ? "IPv6" : "IPv4");
	if (p->via.family != 0 && p->via.family != p->family)
		return fail(e, "gateway family differs from the destination's");
	if (p->src.family != 0 && p->src.family != p->family)
		return fail(e, "src family differs from the destination's");
	{
		struct vrrp_route_opts ro;
		const char *w, *v;

		if (vrrp_conf_route_opts(argc, argv, &ro, &w, &v) == -1)
			return fail(e, "invalid %s %s", w, v != NULL ? v :
			    "(no value)");
		if ((ro.pref >= 0 || ro.has_expires) &&
		    p->family != AF_INET6)
			return fail(e, "%s is only valid for IPv6 routes",
			    ro.pref >= 0 ? "pref" : "expires");
		if (ro.has_realms && p->family != AF_INET)
			return fail(e, "realms are only valid for IPv4 routes");
	}
	return 0;
}

static int
keep_argv(struct conf_ctx *cx, const struct conf_node *n, unsigned *argc,
    char ***argv)
{
	char **v;
	unsigned i;

	if ((v = conf_alloc(cx, n, (n->argc + 1) * sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < n->argc; i++)
		if ((v[i] = conf_strdup(cx, n, n->argv[i])) == NULL)
			return -1;
	*argc = n->argc;
	*argv = v;
	return 0;
}

static const char *const rule_opt1[] = {
	"realms", "suppress_prefixlength", "suppress_ifgroup", "uidrange",
	"ip_proto", "ipproto", "sport", "dport", "protocol", NULL,
};

static int
parse_rule(struct conf_ctx *cx, const struct conf_node *n, void *item,
    struct perr *e)
{
	struct vrrp_conf_rule *r = item;
	struct vrrp_conf_rule_params *p = &r->p;
	unsigned i, argc = n->argc;
	char **argv = n->argv;
	char *end;

	p->action = FR_ACT_TO_TBL;
	for (i = 0; i < argc; i++) {
		const char *o = argv[i];
		const char *arg = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(o, "inet6") == 0) {
			p->family = AF_INET6;
			p->flags |= VRRP_RU_INET6;
		} else if (strcmp(o, "inet") == 0) {
			p->family = AF_INET;
		} else if (strcmp(o, "not") == 0) {
			p->flags |= VRRP_RU_NOT;
		} else if (strcmp(o, "from") == 0) {
			if (parse_prefix(arg, p->family, &p->from,
			    &p->from_len) == -1)
				return fail(e, "invalid from address %s",
				    arg != NULL ? arg : "");
			i++;
		} else if (strcmp(o, "to") == 0) {
			if (parse_prefix(arg, p->family, &p->to,
			    &p->to_len) == -1)
				return fail(e, "invalid to address %s",
				    arg != NULL ? arg : "");
			i++;
		} else if (strcmp(o, "table") == 0 || strcmp(o, "lookup") == 0) {
			if (opt_table(cx, n, arg, &p->table, &r->table_name,
			    e) == -1)
				return -1;
			p->flags |= VRRP_RU_TABLE;
			i++;
		} else if (strcmp(o, "preference") == 0 ||
		    strcmp(o, "priority") == 0 || strcmp(o, "prio") == 0 ||
		    strcmp(o, "pref") == 0 || strcmp(o, "order") == 0) {
			if (parse_num(arg, 0, UINT_MAX, &p->priority) == -1)
				return fail(e, "invalid %s", o);
			p->flags |= VRRP_RU_PRIORITY;
			i++;
		} else if (strcmp(o, "fwmark") == 0) {
			unsigned long long m, k = 0xffffffffULL;

			if (arg == NULL)
				return fail(e, "fwmark needs a value");
			m = strtoull(arg, &end, 0);
			if (*end == '/')
				k = strtoull(end + 1, &end, 0);
			if (end == arg || *end != '\0' || m > 0xffffffffULL ||
			    k > 0xffffffffULL)
				return fail(e, "invalid fwmark %s", arg);
			p->fwmark = (unsigned)m;
			p->fwmask = (unsigned)k;
			p->flags |= VRRP_RU_FWMARK;
			i++;
		} else if (strcmp(o, "tos") == 0 || strcmp(o, "dsfield") == 0) {
			if (parse_tos(arg, &p->tos) == -1)
				return fail(e, "invalid tos");
			p->flags |= VRRP_RU_TOS;
			i++;
		} else if (strcmp(o, "iif") == 0 || strcmp(o, "dev") == 0 ||
		    strcmp(o, "oif") == 0) {
			char **f = strcmp(o, "oif") == 0 ? &r->oif : &r->iif;

			if (opt_ifname(cx, n, o, arg, f, e) == -1)
				return -1;
			i++;
		} else if (strcmp(o, "goto") == 0) {
			if (parse_num(arg, 0, UINT_MAX, &p->goto_target) == -1)
				return fail(e, "invalid goto target");
			p->action = FR_ACT_GOTO;
			p->flags |= VRRP_RU_GOTO;
			i++;
		} else if (strcmp(o, "blackhole") == 0) {
			p->action = FR_ACT_BLACKHOLE;
		} else if (strcmp(o, "unreachable") == 0) {
			p->action = FR_ACT_UNREACHABLE;
		} else if (strcmp(o, "prohibit") == 0) {
			p->action = FR_ACT_PROHIBIT;
		} else if (strcmp(o, "nop") == 0) {
			p->action = FR_ACT_NOP;
		} else if (strcmp(o, "l3mdev") == 0) {
			p->flags |= VRRP_RU_L3MDEV;
		} else if (strcmp(o, "no_track") == 0) {
			p->flags |= VRRP_RU_NO_TRACK;
		} else if (strcmp(o, "track_group") == 0) {
			if (opt_track_group(cx, n, arg, &r->track_group,
			    e) == -1)
				return -1;
			i++;
		} else if (in_list(rule_opt1, o)) {
			uint32_t rv;

			if (arg == NULL)
				return fail(e, "%s needs a value", o);
			if (strcmp(o, "realms") == 0 &&
			    vrrp_conf_realms(arg, &rv) == -1)
				return fail(e, "realms expects [FROM/]TO (each "
				    "0-65535), got %s", arg);
			i++;
		} else
			return fail(e, "unknown option '%s'", o);
	}
	if (p->family == 0)
		p->family = p->from.family != 0 ? p->from.family :
		    p->to.family != 0 ? p->to.family : AF_INET;
	if ((p->from.family != 0 && p->from.family != p->family) ||
	    (p->to.family != 0 && p->to.family != p->family))
		return fail(e, "from and to must be of one family");
	return 0;
}

#define ARGV_ITEM_OK(type) (offsetof(struct type, argc) == \
	offsetof(struct vrrp_conf_argv_item, argc) && \
	offsetof(struct type, argv) == \
	offsetof(struct vrrp_conf_argv_item, argv))
_Static_assert(ARGV_ITEM_OK(vrrp_conf_route) && ARGV_ITEM_OK(vrrp_conf_rule),
    "route/rule item layout");

typedef int parse_item_fn(struct conf_ctx *, const struct conf_node *,
    void *, struct perr *);

/* Parse an item line into a new object of size bytes and append it to the
 * list at kw->off; one that does not parse is left out with a warning. */
static int
set_argv_item(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj, size_t size, parse_item_fn *parse,
    const char *what)
{
	struct vrrp_conf_list *l = VRRP_FIELD(obj, kw, struct vrrp_conf_list);
	struct vrrp_conf_argv_item *it;
	struct perr e;

	if ((it = conf_alloc(cx, n, size)) == NULL)
		return -1;
	it->loc = n->loc;
	if (parse(cx, n, it, &e) == -1) {
		conf_warn(cx, n, "%s ignored: %s", what, e.msg);
		return 0;
	}
	if (keep_argv(cx, n, &it->argc, &it->argv) == -1)
		return -1;
	vrrp_conf_list_append(l, it);
	return 0;
}

int
vrrp_conf_set_route_item(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	return set_argv_item(cx, n, kw, obj, sizeof(struct vrrp_conf_route),
	    parse_route, "route");
}

int
vrrp_conf_set_rule_item(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	return set_argv_item(cx, n, kw, obj, sizeof(struct vrrp_conf_rule),
	    parse_rule, "rule");
}

int
vrrp_conf_route_nexthop(const struct vrrp_conf_route *r, unsigned *pos,
    struct vrrp_conf_nexthop *nh)
{
	unsigned i = *pos;
	long long w;

	while (i < r->argc && strcmp(r->argv[i], "nexthop") != 0)
		i++;
	if (i >= r->argc) {
		*pos = i;
		return 0;
	}
	memset(nh, 0, sizeof(*nh));
	for (i++; i < r->argc && strcmp(r->argv[i], "nexthop") != 0; i++) {
		const char *o = r->argv[i];
		const char *arg = i + 1 < r->argc ? r->argv[i + 1] : NULL;

		if (strcmp(o, "onlink") == 0) {
			nh->onlink = 1;
			continue;
		}
		if (arg == NULL)
			break;
		if (strcmp(o, "via") == 0 || strcmp(o, "gw") == 0) {
			if ((strcmp(arg, "inet") == 0 ||
			    strcmp(arg, "inet6") == 0) && i + 2 < r->argc)
				arg = r->argv[++i + 1];
			if (addr_parse(arg, &nh->via) == -1) {
				nh->bad_value = arg;
				break;
			}
		} else if (strcmp(o, "dev") == 0) {
			nh->dev = arg;
		} else if (strcmp(o, "weight") == 0) {
			if (conf_parse_ll(arg, 1, 256, &w) == -1) {
				nh->bad_value = arg;
				break;
			}
			nh->weight = (unsigned)w;
		} else if (strcmp(o, "realms") == 0) {
			if (vrrp_conf_realms(arg, &nh->realms) == -1) {
				nh->bad_value = arg;
				break;
			}
			nh->has_realms = 1;
		} else
			break;
		i++;
	}
	if (i < r->argc && strcmp(r->argv[i], "nexthop") != 0) {
		nh->unknown = r->argv[i];
		while (i < r->argc && strcmp(r->argv[i], "nexthop") != 0)
			i++;
	}
	*pos = i;
	return 1;
}
