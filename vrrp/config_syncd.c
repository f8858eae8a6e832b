/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lvs_sync_daemon (global_defs): the IPVS connection sync daemon the VRRP
 * child runs for one instance (or, naming none, the checker child runs
 * as master and backup both), and the instance's deprecated
 * lvs_sync_daemon_interface. keepalived 2.2.7's grammar:
 *
 *	lvs_sync_daemon IFNAME [[inst] VRRP_INSTANCE] [id SYNCID]
 *	    [maxlen LEN] [port PORT] [ttl TTL] [group IP]
 *
 * and the old form "lvs_sync_daemon IFNAME VRRP_INSTANCE SYNCID" (warns).
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <string.h>

#include "config_priv.h"

static int
syncd_num(struct conf_ctx *cx, const struct conf_node *n, unsigned i,
    long long lo, long long hi, unsigned *out)
{
	long long v;

	if (i + 1 >= n->argc ||
	    conf_parse_ll(n->argv[i + 1], lo, hi, &v) == -1) {
		conf_error(cx, n, "%s: expected %lld-%lld%s%s", n->argv[i], lo,
		    hi, i + 1 < n->argc ? ", got " : "",
		    i + 1 < n->argc ? n->argv[i + 1] : "");
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

static int
syncd_group(struct conf_ctx *cx, const struct conf_node *n, unsigned i,
    struct vg_addr *out)
{
	struct vg_addr a;
	int mc;

	if (i + 1 >= n->argc || addr_parse(n->argv[i + 1], &a) == -1) {
		conf_error(cx, n, "group: expected a multicast address%s%s",
		    i + 1 < n->argc ? ", got " : "",
		    i + 1 < n->argc ? n->argv[i + 1] : "");
		return -1;
	}
	mc = a.family == AF_INET ? IN_MULTICAST(ntohl(a.u.v4.s_addr)) :
	    IN6_IS_ADDR_MULTICAST(&a.u.v6);
	if (!mc) {
		conf_error(cx, n, "group: %s is not a multicast address",
		    n->argv[i + 1]);
		return -1;
	}
	*out = a;
	return 0;
}

static int
set_syncd(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_conf_syncd s, *dst = &((struct vrrp_conf *)obj)->g.lvs_syncd;
	struct arena *a = conf_arena(cx);
	size_t len = strlen(n->argv[1]);
	unsigned i;

	(void)kw;
	if (dst->set) {
		conf_warn(cx, n, "already given at %s:%u (%s); ignored",
		    dst->loc.file, dst->loc.line, dst->ifname);
		return 0;
	}
	if (len == 0 || len >= IFNAMSIZ || strchr(n->argv[1], '/') != NULL) {
		conf_error(cx, n, "invalid interface name '%s' (1-%d "
		    "characters, no '/')", n->argv[1], IFNAMSIZ - 1);
		return -1;
	}
	memset(&s, 0, sizeof(s));
	s.set = 1;
	s.loc = n->loc;
	if ((s.ifname = arena_strdup(a, n->argv[1])) == NULL)
		return -1;
	for (i = 2; i < n->argc; i += 2) {
		const char *k = n->argv[i];

		if (strcmp(k, "id") == 0) {
			if (syncd_num(cx, n, i, 0, 255, &s.syncid) == -1)
				return -1;
			s.syncid_set = 1;
		} else if (strcmp(k, "maxlen") == 0) {
			if (syncd_num(cx, n, i, 1, 65535 - 20 - 8,
			    &s.maxlen) == -1)
				return -1;
		} else if (strcmp(k, "port") == 0) {
			if (syncd_num(cx, n, i, 1, 65535, &s.port) == -1)
				return -1;
		} else if (strcmp(k, "ttl") == 0) {
			if (syncd_num(cx, n, i, 1, 255, &s.ttl) == -1)
				return -1;
		} else if (strcmp(k, "group") == 0) {
			if (syncd_group(cx, n, i, &s.group) == -1)
				return -1;
		} else if (strcmp(k, "inst") == 0) {
			if (i + 1 >= n->argc) {
				conf_error(cx, n, "inst: expected a "
				    "vrrp_instance name");
				return -1;
			}
			if (s.instance != NULL) {
				conf_error(cx, n, "inst: the vrrp_instance "
				    "is already given (%s)", s.instance);
				return -1;
			}
			s.instance = arena_strdup(a, n->argv[i + 1]);
		} else if (i == 2) {
			/* the instance without "inst" (keepalived's usual
			 * form) */
			s.instance = arena_strdup(a, k);
			i--;
		} else if (i == 3 && s.instance != NULL && !s.syncid_set) {
			/* the old form: IFNAME INSTANCE SYNCID */
			long long v;

			if (conf_parse_ll(k, 0, 255, &v) == -1) {
				conf_error(cx, n, "unexpected '%s' (expected "
				    "id, maxlen, port, ttl, group or a sync "
				    "id 0-255)", k);
				return -1;
			}
			s.syncid = (unsigned)v;
			s.syncid_set = 1;
			conf_warn(cx, n, "write 'id %s' for the sync id",
			    n->argv[i]);
			i--;
		} else {
			conf_error(cx, n, "unexpected '%s' (expected id, "
			    "maxlen, port, ttl, group or inst)", k);
			return -1;
		}
	}
	*dst = s;
	return 0;
}

static const struct conf_kw syncd_kw[] = {
	CONF_KW("lvs_sync_daemon", 1, 13, set_syncd, 0),
	CONF_KW_END
};

int
vrrp_conf_register_syncd(struct conf_registry *r)
{
	return conf_registry_add(r, CONF_OWNER_VRRP, "global_defs", syncd_kw);
}

unsigned
vrrp_conf_check_syncd(struct vrrp_conf *c, struct conf_diag *d)
{
	struct vrrp_conf_syncd *s = &c->g.lvs_syncd;
	const struct vrrp_instance_conf *vi, *named = NULL;

	/* an instance's lvs_sync_daemon_interface, when global_defs has
	 * no lvs_sync_daemon (keepalived: the first one wins) */
	for (vi = c->instances.first; vi != NULL; vi = vi->next) {
		if (vi->lvs_sync_daemon_interface == NULL)
			continue;
		if (s->set) {
			conf_diag_report(d, CONF_WARN, &vi->loc,
			    "vrrp_instance %s: lvs_sync_daemon_interface: "
			    "the sync daemon is already given at %s:%u (%s); "
			    "ignored", vi->name, s->loc.file, s->loc.line,
			    s->ifname);
			continue;
		}
		s->set = 1;
		s->loc = vi->loc;
		s->ifname = vi->lvs_sync_daemon_interface;
		s->instance = vi->name;
	}
	if (!s->set)
		return 0;
	/* no instance to follow: the checker child runs both the master
	 * and the backup daemon, syncid 0 unless given (keepalived) */
	if (s->instance == NULL)
		return 0;
	/* A child that borrows VRRP's track_file blocks (the checker's
	 * FILE_CHECK) builds this from global_defs without any instance:
	 * nothing to check there. The parent's host check reports a
	 * configuration without instances (vrrp_conf_host_check). */
	if (c->instances.n == 0)
		return 0;
	if ((named = vrrp_conf_find_instance(c, s->instance)) == NULL) {
		conf_diag_report(d, CONF_ERR, &s->loc, "lvs_sync_daemon: "
		    "unknown vrrp_instance '%s'", s->instance);
		return 1;
	}
	if (!s->syncid_set)
		s->syncid = named->p.vrid;
	return 0;
}

int
vrrp_conf_syncd_same(const struct vrrp_conf_syncd *a,
    const struct vrrp_conf_syncd *b)
{
	if (a->set != b->set)
		return 0;
	if (!a->set)
		return 1;
	return strcmp(a->ifname, b->ifname) == 0 && a->syncid == b->syncid &&
	    a->maxlen == b->maxlen && a->port == b->port &&
	    a->ttl == b->ttl && a->group.family == b->group.family &&
	    (a->group.family == 0 || addr_cmp(&a->group, &b->group) == 0);
}
