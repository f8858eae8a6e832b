/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vrrp_instance { } and its authentication { } block: keywords, defaults,
 * and the checks run at the closing brace (family, version, advert_int
 * rounding, ranges, duplicate names and identity keys, strict mode).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <net/if.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "config_priv.h"

#define I(f) offsetof(struct vrrp_instance_conf, f)

static const char *
fam_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

static int
set_state(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_instance_conf *vi = obj;

	(void)kw;
	if (strcasecmp(n->argv[1], "MASTER") == 0)
		vi->p.state = VRRP_INIT_MASTER;
	else if (strcasecmp(n->argv[1], "BACKUP") == 0)
		vi->p.state = VRRP_INIT_BACKUP;
	else {
		conf_error(cx, n, "expected MASTER or BACKUP, got %s",
		    n->argv[1]);
		return -1;
	}
	return 0;
}

static int
set_ifname(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	size_t len = strlen(n->argv[1]);

	if (len == 0 || len >= IFNAMSIZ || strchr(n->argv[1], '/') != NULL) {
		conf_error(cx, n, "invalid interface name '%s' (1-%d "
		    "characters, no '/')", n->argv[1], IFNAMSIZ - 1);
		return -1;
	}
	return conf_set_str(cx, n, kw, obj);
}

/* vrf NAME: the VRF a unicast instance without an interface runs in */
static int
set_vrf(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_instance_conf *vi = obj;

	if (vi->vrf != NULL) {
		conf_error(cx, n, "given twice in %s (first %s)",
		    vi->name, vi->vrf);
		return -1;
	}
	if (set_ifname(cx, n, kw, obj) == -1)
		return -1;
	vi->vrf_loc = n->loc;
	return 0;
}

static int
parse_mac(const char *s, unsigned char *mac, unsigned *len)
{
	unsigned i = 0, v;
	char *end;

	while (i < 6) {
		if (!isxdigit((unsigned char)*s))
			return -1;
		v = (unsigned)strtoul(s, &end, 16);
		if (v > 255 || end - s > 2)
			return -1;
		mac[i++] = (unsigned char)v;
		if (*end == '\0')
			break;
		if (*end != ':')
			return -1;
		s = end + 1;
	}
	if (i < 5 || *end != '\0')
		return -1;
	*len = i;
	return 0;
}

/* use_vmac [NAME] [MAC] */
static int
set_use_vmac(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_instance_conf *vi = obj;
	unsigned i;

	(void)kw;
	vi->p.use_vmac = 1;
	for (i = 1; i < n->argc; i++) {
		const char *a = n->argv[i];

		if (strchr(a, ':') != NULL) {
			if (parse_mac(a, vi->p.vmac_mac,
			    &vi->p.vmac_mac_len) == -1) {
				conf_error(cx, n, "invalid MAC address %s "
				    "(expected 5 or 6 octets)", a);
				return -1;
			}
			continue;
		}
		if (vi->vmac_ifname != NULL || strlen(a) >= IFNAMSIZ) {
			conf_error(cx, n, "invalid interface name '%s'", a);
			return -1;
		}
		if ((vi->vmac_ifname = conf_strdup(cx, n, a)) == NULL)
			return -1;
	}
	return 0;
}

/*
 * use_ipvlan [NAME] [ADDR[/PREFIX]] [bridge|private|vepa], the words in
 * any order as keepalived reads them: a mode word, an address (IPv4 or
 * IPv6, the prefix defaulting to /32 or /128), or else the ipvlan's name.
 * Each at most once; the keyword itself at most once.
 */
static int
set_use_ipvlan(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_instance_conf *vi = obj;
	static const char *modes[] = { "bridge", "private", "vepa" };
	int had_mode = 0;
	unsigned i, m;

	(void)kw;
	if (vi->p.use_ipvlan) {
		conf_error(cx, n, "given twice in %s", vi->name);
		return -1;
	}
	vi->p.use_ipvlan = 1;
	for (i = 1; i < n->argc; i++) {
		const char *a = n->argv[i];
		struct vg_addr addr;
		unsigned prefix;

		for (m = 0; m < 3; m++)
			if (strcmp(a, modes[m]) == 0)
				break;
		if (m < 3) {
			if (had_mode) {
				conf_error(cx, n, "mode given twice ('%s')",
				    a);
				return -1;
			}
			had_mode = 1;
			vi->p.ipvlan_mode = (int)m;
			continue;
		}
		if (strchr(a, ':') != NULL || strchr(a, '/') != NULL ||
		    (a[0] >= '0' && a[0] <= '9' && strchr(a, '.') != NULL)) {
			if (addr_parse_prefix(a, &addr, &prefix) == -1) {
				conf_error(cx, n, "invalid address '%s' "
				    "(expected ADDR[/PREFIX])", a);
				return -1;
			}
			if (vi->p.ipvlan_addr.family != 0) {
				conf_error(cx, n, "address given twice "
				    "('%s')", a);
				return -1;
			}
			vi->p.ipvlan_addr = addr;
			vi->p.ipvlan_prefix = prefix;
			continue;
		}
		if (vi->ipvlan_ifname != NULL) {
			conf_error(cx, n, "interface name given twice "
			    "('%s')", a);
			return -1;
		}
		if (strlen(a) >= IFNAMSIZ || strcmp(a, ".") == 0 ||
		    strcmp(a, "..") == 0) {
			conf_error(cx, n, "invalid interface name '%s' (1-%d "
			    "characters)", a, IFNAMSIZ - 1);
			return -1;
		}
		if ((vi->ipvlan_ifname = conf_strdup(cx, n, a)) == NULL)
			return -1;
	}
	vi->ipvlan_loc = n->loc;
	return 0;
}

/*
 * An address; "ADDR/PREFIX" is accepted with a warning and the prefix
 * dropped, as keepalived does.
 */
static int
addr_parse_noprefix(struct conf_ctx *cx, const struct conf_node *n,
    const char *s, struct vg_addr *a)
{
	const char *slash = strchr(s, '/');
	char buf[64];
	size_t len;

	if (slash == NULL)
		return addr_parse(s, a);
	len = (size_t)(slash - s);
	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (addr_parse(buf, a) == -1)
		return -1;
	conf_warn(cx, n, "%s: the prefix length %s is ignored", s, slash);
	return 0;
}

static int
set_src_ip(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_instance_conf *vi = obj;

	(void)kw;
	if (addr_parse_noprefix(cx, n, n->argv[1], &vi->p.src_ip) == -1) {
		conf_error(cx, n, "expected an IP address, got %s", n->argv[1]);
		return -1;
	}
	return 0;
}

static int
set_mcast_dst(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_instance_conf *vi = obj;
	struct vg_addr a;
	int ok = 0;

	(void)kw;
	if (addr_parse(n->argv[1], &a) == 0)
		ok = a.family == AF_INET ? IN_MULTICAST(ntohl(a.u.v4.s_addr)) :
		    IN6_IS_ADDR_MC_LINKLOCAL(&a.u.v6);
	if (!ok) {
		conf_error(cx, n, "expected an IPv4 multicast or link-local "
		    "IPv6 multicast address, got %s", n->argv[1]);
		return -1;
	}
	vi->p.mcast_dst = a;
	return 0;
}

/* unicast_peer item: ADDR [min_ttl N] [max_ttl N] */
static int
set_peer(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_instance_conf *vi = obj;
	struct vrrp_conf_peer *p;
	long long v;
	unsigned i;

	(void)kw;
	if ((p = conf_alloc(cx, n, sizeof(*p))) == NULL)
		return -1;
	p->loc = n->loc;
	p->min_ttl = p->max_ttl = VRRP_UNSET;
	if (addr_parse_noprefix(cx, n, n->argv[0], &p->addr) == -1) {
		conf_error(cx, n, "unicast_peer: expected an IP address, got "
		    "%s", n->argv[0]);
		return -1;
	}
	for (i = 1; i < n->argc; i += 2) {
		int *f;

		if (strcmp(n->argv[i], "min_ttl") == 0)
			f = &p->min_ttl;
		else if (strcmp(n->argv[i], "max_ttl") == 0)
			f = &p->max_ttl;
		else {
			conf_error(cx, n, "unicast_peer: unexpected '%s' "
			    "(expected min_ttl or max_ttl)", n->argv[i]);
			return -1;
		}
		if (i + 1 >= n->argc ||
		    conf_parse_ll(n->argv[i + 1], 0, 255, &v) == -1) {
			conf_error(cx, n, "unicast_peer: %s expects 0..255",
			    n->argv[i]);
			return -1;
		}
		*f = (int)v;
	}
	if (p->min_ttl != VRRP_UNSET && p->max_ttl != VRRP_UNSET &&
	    p->min_ttl > p->max_ttl) {
		conf_error(cx, n, "unicast_peer: min_ttl %d above max_ttl %d",
		    p->min_ttl, p->max_ttl);
		return -1;
	}
	if (p->min_ttl != VRRP_UNSET || p->max_ttl != VRRP_UNSET)
		vi->p.check_unicast_src = 1;
	vrrp_conf_list_append(&vi->unicast_peers, p);
	return 0;
}

static int
set_old_chksum(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_instance_conf *vi = obj;

	(void)kw;
	if (n->argc > 1 && strcmp(n->argv[1], "never") != 0) {
		conf_error(cx, n, "expected [never], got %s", n->argv[1]);
		return -1;
	}
	vi->p.old_unicast_checksum = n->argc > 1 ? 2 : 1;
	return 0;
}

static int
set_notify_deleted(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	int *has = (int *)(void *)((char *)obj + (size_t)kw->lo);

	*has = 1;
	return vrrp_conf_set_notify(cx, n, kw, obj);
}

static int
set_auth_type(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_instance_conf *vi = obj;

	(void)kw;
	if (strcmp(n->argv[1], "PASS") == 0)
		vi->p.auth_type = VRRP_AUTH_PASS;
	else if (strcmp(n->argv[1], "AH") == 0)
		vi->p.auth_type = VRRP_AUTH_AH;
	else {
		conf_error(cx, n, "expected PASS or AH, got %s", n->argv[1]);
		return -1;
	}
	return 0;
}

static int
set_auth_pass(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_instance_conf *vi = obj;
	size_t len = strlen(n->argv[1]);

	(void)kw;
	if (len > VRRP_AUTH_PASS_LEN) {
		conf_warn(cx, n, "password longer than %d characters; "
		    "truncated to the first %d", VRRP_AUTH_PASS_LEN,
		    VRRP_AUTH_PASS_LEN);
		len = VRRP_AUTH_PASS_LEN;
	}
	memset(vi->p.auth_pass, 0, sizeof(vi->p.auth_pass));
	memcpy(vi->p.auth_pass, n->argv[1], len);
	return 0;
}

static void *
instance_open(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent)
{
	struct vrrp_instance_conf *vi;
	struct vrrp_conf_instance_params *p;

	(void)kw;
	(void)parent;
	if ((vi = vrrp_conf_named_new(cx, n, sizeof(*vi), n->argv[1])) == NULL)
		return NULL;
	p = &vi->p;
	p->version_cfg = VRRP_UNSET;
	p->priority = 100;
	p->advert_int = 1000000;
	p->accept = VRRP_UNSET;
	p->unicast_ttl = VRRP_UNSET;
	p->garp.master_delay = p->garp.master_repeat = VRRP_UNSET;
	p->garp.lower_prio_delay = p->garp.lower_prio_repeat = VRRP_UNSET;
	p->garp.master_refresh = p->garp.master_refresh_repeat = VRRP_UNSET;
	p->garp.extra_if = VRRP_UNSET;
	p->down_timer_adverts = VRRP_UNSET;
	p->lower_prio_no_advert = p->higher_prio_send_advert = VRRP_UNSET;
	p->skip_check_adv_addr = p->strict_mode = VRRP_UNSET;
	p->smtp_alert = p->notify_priority_changes = VRRP_UNSET;
	return vi;
}

/* The instance's family: from its VIPs, else its unicast/source addresses. */
static int
derive_family(struct conf_ctx *cx, const struct conf_node *n,
    struct vrrp_instance_conf *vi)
{
	const struct vrrp_conf_ipaddr *a;
	const struct vrrp_conf_peer *peer;
	int fam = 0, bad = 0;

	for (a = vi->vips.first; a != NULL; a = a->next) {
		if (fam == 0)
			fam = a->p.addr.family;
		else if (a->p.addr.family != fam) {
			conf_diag_report(conf_diag_of(cx), CONF_ERR, &a->loc,
			    "virtual_ipaddress: %s address in an %s instance "
			    "(%s); put it in virtual_ipaddress_excluded",
			    fam_name(a->p.addr.family), fam_name(fam),
			    vi->name);
			bad = 1;
		}
	}
	if (fam == 0 && vi->p.src_ip.family != 0)
		fam = vi->p.src_ip.family;
	if (fam == 0 && (peer = vi->unicast_peers.first) != NULL)
		fam = peer->addr.family;
	if (fam == 0)
		fam = vi->p.native_ipv6 ? AF_INET6 : AF_INET;
	if (vi->p.native_ipv6 && fam != AF_INET6) {
		conf_error(cx, n, "%s: native_ipv6 with IPv4 addresses",
		    vi->name);
		bad = 1;
	}
	for (peer = vi->unicast_peers.first; peer != NULL; peer = peer->next)
		if (peer->addr.family != fam) {
			conf_diag_report(conf_diag_of(cx), CONF_ERR,
			    &peer->loc, "unicast_peer: %s peer in an %s "
			    "instance (%s)", fam_name(peer->addr.family),
			    fam_name(fam), vi->name);
			bad = 1;
		}
	if (vi->p.src_ip.family != 0 && vi->p.src_ip.family != fam) {
		conf_error(cx, n, "%s: source address family (%s) differs "
		    "from the instance's (%s)", vi->name,
		    fam_name(vi->p.src_ip.family), fam_name(fam));
		bad = 1;
	}
	if (vi->p.mcast_dst.family != 0 && vi->p.mcast_dst.family != fam) {
		conf_error(cx, n, "%s: mcast_dst_ip family (%s) differs from "
		    "the instance's (%s)", vi->name,
		    fam_name(vi->p.mcast_dst.family), fam_name(fam));
		bad = 1;
	}
	vi->p.family = fam;
	return bad ? -1 : 0;
}

/* Version, advert interval and authentication, as keepalived resolves them. */
static void
resolve_version(struct conf_ctx *cx, const struct conf_node *n,
    const struct vrrp_conf *c, struct vrrp_instance_conf *vi)
{
	struct vrrp_conf_instance_params *p = &vi->p;
	unsigned long long adv = p->advert_int;

	if (p->version_cfg == VRRP_UNSET)
		p->version = p->family == AF_INET6 ? 3 : (unsigned)c->g.version;
	else
		p->version = (unsigned)p->version_cfg;
	if (p->family == AF_INET6 && p->version == 2) {
		conf_warn(cx, n, "%s: IPv6 needs VRRP version 3; using 3",
		    vi->name);
		p->version = 3;
	}
	if (p->version == 2) {
		if (adv % 1000000 != 0) {
			unsigned long long r = (adv + 500000) / 1000000;

			if (r == 0)
				r = 1;
			conf_warn(cx, n, "%s: VRRPv2 advert_int must be whole "
			    "seconds; rounded to %llu", vi->name, r);
			adv = r * 1000000;
		}
	} else {
		if (adv > 40950000) {
			conf_warn(cx, n, "%s: advert_int too large for VRRPv3; "
			    "set to 40.95", vi->name);
			adv = 40950000;
		} else if (adv % 10000 != 0) {
			unsigned long long r = (adv + 5000) / 10000;

			if (r == 0)
				r = 1;
			conf_warn(cx, n, "%s: VRRPv3 advert_int has a "
			    "resolution of 10 ms; rounded", vi->name);
			adv = r * 10000;
		}
	}
	p->advert_int = adv;

	if (p->auth_type != VRRP_AUTH_NONE && p->version == 3) {
		conf_warn(cx, n, "%s: VRRPv3 has no authentication; "
		    "authentication ignored", vi->name);
		p->auth_type = VRRP_AUTH_NONE;
		memset(p->auth_pass, 0, sizeof(p->auth_pass));
	}
}

static int
check_strict(struct conf_ctx *cx, const struct conf_node *n,
    const struct vrrp_conf *c, const struct vrrp_instance_conf *vi)
{
	const struct vrrp_conf_instance_params *p = &vi->p;
	int strict = p->strict_mode != VRRP_UNSET ? p->strict_mode :
	    c->g.strict;
	const char *why = NULL;

	if (!strict)
		return 0;
	if (vi->vips.n == 0)
		why = "an instance needs at least one virtual_ipaddress";
	/* keepalived allows them where no interface takes multicast */
	else if (vi->unicast_peers.n != 0 && vi->interface != NULL)
		why = "unicast_peer is not allowed";
	else if (p->auth_type != VRRP_AUTH_NONE)
		why = "authentication is not allowed";
	else if ((p->state == VRRP_INIT_MASTER) != (p->priority == 255))
		why = "state MASTER is allowed only with priority 255";
	else if (p->preempt_delay != 0)
		why = "preempt_delay is not allowed";
	else if (p->version == 2 && p->accept == 1)
		why = "accept is not allowed with VRRPv2";
	else if (p->vmac_xmit_base)
		why = "vmac_xmit_base is not allowed";
	if (why == NULL)
		return 0;
	conf_error(cx, n, "%s: strict mode: %s", vi->name, why);
	return -1;
}

/*
 * keepalived 2.2.7 (vrrp_complete_instance): a multicast IPv6 instance's
 * first VIP should be link-local (RFC 5798 5.2.9). keepalived -t counts it
 * an error under strict mode, but its daemon only logs that and runs the
 * instance: vigil warns in both modes, so that a configuration keepalived
 * runs starts here too. Reported at the VIP's line.
 */
static int
check_v6_first_vip(struct conf_ctx *cx, const struct vrrp_conf *c,
    const struct vrrp_instance_conf *vi)
{
	const struct vrrp_conf_instance_params *p = &vi->p;
	const struct vrrp_conf_ipaddr *a = vi->vips.first;
	int strict = p->strict_mode != VRRP_UNSET ? p->strict_mode :
	    c->g.strict;

	if (p->family != AF_INET6 || vi->unicast_peers.n != 0 || a == NULL ||
	    a->p.addr.family != AF_INET6 ||
	    IN6_IS_ADDR_LINKLOCAL(&a->p.addr.u.v6))
		return 0;
	conf_diag_report(conf_diag_of(cx), CONF_WARN, &a->loc,
	    "%s: the first IPv6 VIP address should be link local%s",
	    vi->name, strict ? " (vrrp_strict: keepalived -t refuses this; "
	    "its daemon runs the instance, as vigild does)" : "");
	return 0;
}

/*
 * Two instances on one interface, VRID and family clash only when both
 * send multicast adverts to the same group; unicast instances (or
 * multicast ones to different mcast_dst_ip groups) tell their adverts
 * apart by peer, as keepalived allows.
 */
static int
clashes(const struct htab_node *node, const void *key)
{
	const struct vrrp_instance_conf *a = HTAB_ENTRY(node,
	    struct vrrp_instance_conf, id_node), *b = key;

	return vrrp_conf_instance_same_key(a, b) && a->unicast_peers.n == 0 &&
	    b->unicast_peers.n == 0 &&
	    a->p.mcast_dst.family == b->p.mcast_dst.family &&
	    (addr_is_unset(&a->p.mcast_dst) ||
	    addr_cmp(&a->p.mcast_dst, &b->p.mcast_dst) == 0);
}

/*
 * use_ipvlan as keepalived 2.2.7 takes it: an IPv4 instance needs the
 * ipvlan's address, of the instance's family; the address is the adverts'
 * source unless mcast_src_ip / unicast_src_ip says otherwise; the name is
 * no other instance's VMAC or ipvlan; with use_vmac too, the ipvlan wins.
 */
static int
check_ipvlan(struct conf_ctx *cx, const struct conf_node *n,
    const struct vrrp_conf *c, struct vrrp_instance_conf *vi)
{
	struct vrrp_conf_instance_params *p = &vi->p;
	struct conf_diag *d = conf_diag_of(cx);
	const struct vrrp_instance_conf *o;

	if (!p->use_ipvlan)
		return 0;
	if (vi->interface == NULL) {
		conf_diag_report(d, CONF_ERR, &vi->ipvlan_loc, "use_ipvlan: "
		    "%s has no interface to make the ipvlan on", vi->name);
		return -1;
	}
	if (p->ipvlan_addr.family == 0 && p->family == AF_INET) {
		conf_diag_report(d, CONF_ERR, &vi->ipvlan_loc, "use_ipvlan: "
		    "%s is an IPv4 instance: the ipvlan needs an address "
		    "(use_ipvlan [NAME] ADDR[/PREFIX])", vi->name);
		return -1;
	}
	if (p->ipvlan_addr.family != 0 && p->ipvlan_addr.family != p->family) {
		conf_diag_report(d, CONF_ERR, &vi->ipvlan_loc, "use_ipvlan: "
		    "%s address in an %s instance (%s)",
		    fam_name(p->ipvlan_addr.family), fam_name(p->family),
		    vi->name);
		return -1;
	}
	if (vi->ipvlan_ifname != NULL)
		for (o = c->instances.first; o != NULL; o = o->next)
			if (conf_str_eq(o->ipvlan_ifname, vi->ipvlan_ifname) ||
			    conf_str_eq(o->vmac_ifname, vi->ipvlan_ifname)) {
				conf_diag_report(d, CONF_ERR, &vi->ipvlan_loc,
				    "use_ipvlan: %s: %s is already the "
				    "interface of %s at %s:%u", vi->name,
				    vi->ipvlan_ifname, o->name, o->loc.file,
				    o->loc.line);
				return -1;
			}
	if (p->use_vmac) {
		conf_warn(cx, n, "%s: use_vmac and use_ipvlan: the ipvlan is "
		    "made, not the VMAC (as keepalived does)", vi->name);
		p->use_vmac = 0;
		p->vmac_xmit_base = 0;
	}
	if (p->ipvlan_addr.family != 0 && addr_is_unset(&p->src_ip))
		p->src_ip = p->ipvlan_addr;
	return 0;
}

/* vrf NAME: only for a unicast instance without an interface (keepalived
 * 2.2.7 clears it otherwise, with an error; one without an interface and
 * without unicast peers is refused already). */
static int
check_vrf(struct conf_ctx *cx, const struct vrrp_instance_conf *vi)
{
	struct conf_diag *d = conf_diag_of(cx);

	if (vi->vrf == NULL)
		return 0;
	if (vi->interface != NULL) {
		conf_diag_report(d, CONF_ERR, &vi->vrf_loc, "vrf: %s has an "
		    "interface: its VRF is the interface's (vrf is for a "
		    "unicast instance without an interface)", vi->name);
		return -1;
	}
	return 0;
}

/*
 * A unicast instance without an interface, as keepalived takes it
 * (vrrp_complete_instance, vrrp_end_handler; 2.2.7 itself refuses every
 * such instance in chk_min_cfg, before it knows the instance unicast: a
 * bug fixed in 2.2.8, keepalived's commit 75f3073): the kernel's routing
 * takes its adverts to its peers, so it needs unicast_src_ip (the
 * adverts' source, the address its socket is bound to), not a link-local
 * one;
 * there is no interface to make a VMAC on, nor to put a VIP on that names
 * no dev (keepalived drops such a VIP with an error; vigil refuses the
 * file). keepalived takes no notice of its track_interface lines, nor of
 * dont_track_primary; vigil tracks the former and says so.
 */
static int
check_no_interface(struct conf_ctx *cx, const struct conf_node *n,
    const struct vrrp_instance_conf *vi)
{
	struct conf_diag *d = conf_diag_of(cx);
	const struct vrrp_conf_list *lists[2] = { &vi->vips, &vi->evips };
	const char *what[2] = { "virtual_ipaddress",
	    "virtual_ipaddress_excluded" };
	char a[ADDR_STRLEN];
	int bad = 0;

	if (vi->interface != NULL)
		return 0;
	if (addr_is_unset(&vi->p.src_ip)) {
		conf_error(cx, n, "%s: no interface: unicast_src_ip is needed "
		    "(the adverts' source, and the address their socket is "
		    "bound to)", vi->name);
		bad = 1;
	} else if (vi->p.src_ip.family == AF_INET6 &&
	    IN6_IS_ADDR_LINKLOCAL(&vi->p.src_ip.u.v6)) {
		conf_error(cx, n, "%s: no interface: a link-local "
		    "unicast_src_ip needs one", vi->name);
		bad = 1;
	}
	if (vi->p.use_vmac) {
		conf_error(cx, n, "%s: use_vmac needs an interface to make "
		    "the VMAC on", vi->name);
		bad = 1;
	}
	for (int l = 0; l < 2; l++)
		for (const struct vrrp_conf_ipaddr *x = lists[l]->first;
		    x != NULL; x = x->next)
			if (x->dev == NULL) {
				conf_diag_report(d, CONF_ERR, &x->loc,
				    "%s: %s names no dev and %s has no "
				    "interface to put it on", what[l],
				    addr_ntop(&x->p.addr, a, sizeof(a)),
				    vi->name);
				bad = 1;
			}
	if (bad)
		return -1;
	for (const struct vrrp_conf_track *t = vi->track_if.first; t != NULL;
	    t = t->next)
		conf_diag_report(d, CONF_WARN, &t->loc, "track_interface: "
		    "%s has no interface; %s is tracked (keepalived 2.2.7 "
		    "does not track it there)", vi->name, t->name);
	if (vi->p.dont_track_primary > 0)
		conf_warn(cx, n, "%s: dont_track_primary without an "
		    "interface: nothing to do", vi->name);
	conf_warn(cx, n, "%s: no interface: keepalived 2.2.7 refuses this "
	    "(\"Unknown interface!\", fixed in 2.2.8); vigild runs it as "
	    "keepalived 2.2.8 does", vi->name);
	return 0;
}

static int
instance_close(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj)
{
	struct vrrp_conf *c = parent;
	struct vrrp_instance_conf *vi = obj, *o;
	const struct vrrp_conf_peer *peer;
	struct htab_node *e;
	int bad = 0;

	(void)kw;
	if (c == NULL)
		return -1;
	if ((o = vrrp_conf_lookup(c, VRRP_IX_INSTANCE, vi->name)) != NULL) {
		conf_error(cx, n, "duplicate vrrp_instance '%s' (first defined "
		    "at %s:%u)", vi->name, o->loc.file, o->loc.line);
		return -1;
	}
	if (vi->p.vrid == 0) {
		conf_error(cx, n, "%s: virtual_router_id not set (expected "
		    "1-255)", vi->name);
		bad = 1;
	}
	if (vi->interface == NULL && vi->unicast_peers.n == 0) {
		conf_error(cx, n, "%s: no interface (only a unicast instance "
		    "may omit it)", vi->name);
		bad = 1;
	}
	if (derive_family(cx, n, vi) == -1)
		bad = 1;
	if (vi->interface == NULL)
		for (peer = vi->unicast_peers.first; peer; peer = peer->next)
			if (peer->addr.family == AF_INET6 &&
			    IN6_IS_ADDR_LINKLOCAL(&peer->addr.u.v6)) {
				conf_error(cx, n, "%s: a link-local unicast "
				    "peer needs an interface", vi->name);
				bad = 1;
				break;
			}
	if (bad)
		return -1;
	resolve_version(cx, n, c, vi);
	if (vi->p.auth_type != VRRP_AUTH_NONE && vi->p.auth_pass[0] == '\0' &&
	    vi->p.auth_type == VRRP_AUTH_PASS) {
		conf_error(cx, n, "%s: auth_type PASS without auth_pass",
		    vi->name);
		return -1;
	}
	if (check_ipvlan(cx, n, c, vi) == -1 || check_vrf(cx, vi) == -1 ||
	    check_no_interface(cx, n, vi) == -1 ||
	    vrrp_conf_check_addr_vmac(cx, vi) > 0)
		return -1;
	/* keepalived warns too (then sends TTL 0); vigil keeps 255 */
	if (vi->p.unicast_ttl != VRRP_UNSET && vi->unicast_peers.n == 0)
		conf_warn(cx, n, "%s: unicast_ttl without unicast_peer; "
		    "ignored", vi->name);
	if (vi->p.use_vmac && vi->unicast_peers.n != 0 && !vi->p.vmac_xmit_base)
		conf_warn(cx, n, "%s: use_vmac with unicast_peer needs "
		    "vmac_xmit_base", vi->name);
	if (check_strict(cx, n, c, vi) == -1 ||
	    check_v6_first_vip(cx, c, vi) == -1)
		return -1;
	/* as keepalived: reported, not refused */
	if (vi->vips.n == 0)
		conf_warn(cx, n, "%s: no virtual_ipaddress; at least one is "
		    "sensible", vi->name);
	if (vi->p.nopreempt && vi->p.state == VRRP_INIT_MASTER) {
		conf_warn(cx, n, "%s: nopreempt is incompatible with state "
		    "MASTER; nopreempt cleared", vi->name);
		vi->p.nopreempt = 0;
	}
	if ((e = htab_find(&c->identity, vrrp_conf_instance_key_hash(vi),
	    clashes, vi)) != NULL) {
		o = HTAB_ENTRY(e, struct vrrp_instance_conf, id_node);
		conf_error(cx, n, "%s: virtual_router_id %u on %s (%s) is "
		    "already used by %s at %s:%u", vi->name, vi->p.vrid,
		    vi->interface != NULL ? vi->interface : "no interface",
		    fam_name(vi->p.family), o->name, o->loc.file, o->loc.line);
		return -1;
	}
	if (vrrp_conf_link_named(c, VRRP_IX_INSTANCE, vi) == -1 ||
	    htab_add(&c->identity, &vi->id_node) == -1) {
		conf_error(cx, n, "out of memory");
		return -1;
	}
	return 0;
}

static const struct conf_kw instance_kw[] = {
	CONF_KW("state", 1, 1, set_state, 0),
	CONF_KW("interface", 1, 1, set_ifname, I(interface)),
	CONF_KW("vrf", 1, 1, set_vrf, I(vrf)),
	CONF_KW("use_vmac", 0, 2, set_use_vmac, 0),
	CONF_KW_FLAG("use_vmac_addr", I(p.use_vmac_addr)),
	CONF_KW_FLAG("vmac_xmit_base", I(p.vmac_xmit_base)),
	CONF_KW("use_ipvlan", 0, 3, set_use_ipvlan, 0),
	CONF_KW_FLAG("native_ipv6", I(p.native_ipv6)),
	CONF_KW_FLAG("dont_track_primary", I(p.dont_track_primary)),
	VRRP_CONF_TRACK_KW(struct vrrp_instance_conf),
	CONF_KW("mcast_src_ip", 1, 1, set_src_ip, 0),
	CONF_KW("unicast_src_ip", 1, 1, set_src_ip, 0),
	CONF_KW("mcast_dst_ip", 1, 1, set_mcast_dst, 0),
	CONF_KW_FLAG("track_src_ip", I(p.track_src_ip)),
	CONF_KW_INT("version", I(p.version_cfg), 2, 3),
	CONF_KW_FLAG("check_unicast_src", I(p.check_unicast_src)),
	CONF_KW_LIST("unicast_peer", set_peer, I(unicast_peers), 0, 0),
	CONF_KW_FLAG("unicast_fault_no_peer", I(p.unicast_fault_no_peer)),
	CONF_KW_INT("unicast_ttl", I(p.unicast_ttl), 0, 255),
	CONF_KW("old_unicast_checksum", 0, 1, set_old_chksum, 0),
	CONF_KW_INT("garp_master_delay", I(p.garp.master_delay), 0, 86400),
	CONF_KW_INT("garp_master_repeat", I(p.garp.master_repeat), 0, 1000),
	CONF_KW_INT("garp_lower_prio_delay", I(p.garp.lower_prio_delay), 0,
	    86400),
	CONF_KW_INT("garp_lower_prio_repeat", I(p.garp.lower_prio_repeat), 0,
	    1000),
	CONF_KW_INT("garp_master_refresh", I(p.garp.master_refresh), 0, 86400),
	CONF_KW_INT("garp_master_refresh_repeat",
	    I(p.garp.master_refresh_repeat), 0, 1000),
	CONF_KW("garp_extra_if", 1, 2, vrrp_conf_set_garp_extra_if, I(p.garp)),
	CONF_KW_DEPRECATED("vmac_garp_intvl", 1, 2, vrrp_conf_set_garp_extra_if,
	    I(p.garp), 0, 0),
	CONF_KW_INT("down_timer_adverts", I(p.down_timer_adverts), 1, 100),
	CONF_KW_FLAG("lower_prio_no_advert", I(p.lower_prio_no_advert)),
	CONF_KW_FLAG("higher_prio_send_advert", I(p.higher_prio_send_advert)),
	CONF_KW_UINT("virtual_router_id", I(p.vrid), 1, 255),
	CONF_KW_UINT("priority", I(p.priority), 1, 255),
	CONF_KW_TIMER("advert_int", I(p.advert_int), 1, 255000000),
	CONF_KW_BLOCK("authentication", 0, 0, 0, "vrrp_authentication", NULL,
	    NULL, 0),
	CONF_KW_LIST("virtual_ipaddress", vrrp_conf_set_ipaddr_item, I(vips), 0,
	    0),
	CONF_KW_LIST("virtual_ipaddress_excluded", vrrp_conf_set_ipaddr_item,
	    I(evips), 0, 0),
	CONF_KW_FLAG("promote_secondaries", I(p.promote_secondaries)),
	CONF_KW_LIST("virtual_routes", vrrp_conf_set_route_item, I(routes), 0,
	    0),
	CONF_KW_LIST("virtual_rules", vrrp_conf_set_rule_item, I(rules), 0, 0),
	CONF_KW_RANGE("accept", 0, 0, vrrp_conf_set_const, I(p.accept), 1, 0),
	CONF_KW("no_accept", 0, 0, vrrp_conf_set_const, I(p.accept)),
	CONF_KW_FLAG("skip_check_adv_addr", I(p.skip_check_adv_addr)),
	CONF_KW_FLAG("strict_mode", I(p.strict_mode)),
	CONF_KW("preempt", 0, 0, vrrp_conf_set_const, I(p.nopreempt)),
	CONF_KW_RANGE("nopreempt", 0, 0, vrrp_conf_set_const, I(p.nopreempt), 1,
	    0),
	CONF_KW_TIMER("preempt_delay", I(p.preempt_delay), 0, 1000000000),
	CONF_KW_INT("debug", I(p.debug), 0, 4),
	VRRP_CONF_NOTIFY_KW(struct vrrp_instance_conf),
	CONF_KW("notify_master_rx_lower_pri", 1, 3, vrrp_conf_set_notify,
	    I(notify_master_rx_lower_pri)),
	CONF_KW_RANGE("notify_deleted", 0, 3, set_notify_deleted,
	    I(notify_deleted), I(has_notify_deleted), 0),
	CONF_KW_FLAG("notify_priority_changes", I(p.notify_priority_changes)),
	CONF_KW_FLAG("smtp_alert", I(p.smtp_alert)),
	CONF_KW("kernel_rx_buf_size", 1, 1, conf_set_uint,
	    I(p.kernel_rx_buf_size)),
	/* keepalived: deprecated, linkbeat_interfaces says it */
	CONF_KW_DEPRECATED("linkbeat_use_polling", 0, 0, conf_set_flag,
	    I(linkbeat_use_polling), 0, 0),
	CONF_KW_DEPRECATED("lvs_sync_daemon_interface", 1, 1, set_ifname,
	    I(lvs_sync_daemon_interface), 0, 0),
	CONF_KW_END
};

static const struct conf_kw auth_kw[] = {
	CONF_KW("auth_type", 1, 1, set_auth_type, 0),
	CONF_KW("auth_pass", 1, 1, set_auth_pass, 0),
	CONF_KW_END
};

static const struct conf_kw top_kw[] = {
	{ .name = "vrrp_instance", .flags = CONF_F_BLOCK, .min_args = 1,
	    .max_args = 1, .block = "vrrp_instance", .open = instance_open,
	    .close = instance_close, .expect = "vrrp_instance NAME { ... }" },
	CONF_KW_END
};

int
vrrp_conf_register_instance(struct conf_registry *r)
{
	if (conf_registry_add(r, CONF_OWNER_VRRP, "", top_kw) == -1 ||
	    conf_registry_add(r, CONF_OWNER_VRRP, "vrrp_instance",
	    instance_kw) == -1 ||
	    conf_registry_add(r, CONF_OWNER_VRRP, "vrrp_authentication",
	    auth_kw) == -1)
		return -1;
	return 0;
}
