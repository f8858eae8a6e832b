/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * After the whole file is read: resolve group references, address
 * families, scheduler flags, defaults and inheritance (virtual server ->
 * real server -> checker), and drop what keepalived drops with a message.
 */
#include "config_priv.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static void __attribute__((format(printf, 4, 5)))
report(struct conf_diag *d, enum conf_sev sev, const struct conf_loc *loc,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_diag_vreport(d, sev, loc != NULL && loc->file != NULL ? loc : NULL,
	    fmt, ap);
	va_end(ap);
}

static const struct chk_vsg_conf *
find_group(const struct chk_conf *c, const char *name)
{
	const struct chk_vsg_conf *g;

	for (g = c->groups; g != NULL; g = g->next)
		if (strcmp(g->name, name) == 0)
			return g;
	return NULL;
}

/* Whether a group has address entries (not only fwmarks). */
static int
group_has_addresses(const struct chk_vsg_conf *g)
{
	for (const struct chk_conf_vsg_entry *e = g->entries; e != NULL;
	    e = e->next)
		if (!e->is_fwmark)
			return 1;
	return 0;
}

/* Family of a fwmark or group service, as keepalived picks it. */
static int
guess_family(const struct chk_vs_conf *vs)
{
	const struct chk_rs_conf *rs;
	const struct chk_conf_vsg_entry *e;
	int af = 0, mixed = 0;

	for (rs = vs->rs; rs != NULL; rs = rs->next)
		if (rs->fwd.method != CHK_FWD_TUN)
			return rs->addr.family;
	if (vs->sorry.set && vs->sorry.fwd.method != CHK_FWD_TUN)
		return vs->sorry.addr.family;
	if (vs->group != NULL)
		for (e = vs->group->entries; e != NULL; e = e->next)
			if (e->family != 0)
				return e->family;
	for (rs = vs->rs; rs != NULL; rs = rs->next) {
		if (af == 0)
			af = rs->addr.family;
		else if (af != rs->addr.family)
			mixed = 1;
	}
	return af != 0 && !mixed ? af : AF_INET;
}

/* *done: the checks finalized last (real servers sharing them follow
 * each other, and finalize them once). */
static void
finalize_rs(const struct chk_conf *c, struct chk_vs_conf *vs,
    struct chk_rs_conf *rs, const struct chk_rs_checks **done)
{
	struct chk_rs_checks *k = rs->checks;
	struct chk_checker_conf *ck;

	if (rs->fwd.method == CHK_FWD_UNSET)
		rs->fwd = vs->fwd;
	if (rs->weight == CHK_INT_UNSET)
		rs->weight = vs->weight;
	if (rs->inhibit_on_failure == CHK_INT_UNSET)
		rs->inhibit_on_failure = vs->inhibit_on_failure ==
		    CHK_INT_UNSET ? 0 : vs->inhibit_on_failure;
	/* smtp_alert is not the virtual server's: keepalived 2.2.7 takes
	 * an unset one from global_defs (healthcheck/chk_mail.c) */
	if (k == *done)
		return;
	*done = k;
	/* shared with real servers further on, all of this virtual server
	 * with the same settings (config_rs.c): once is enough */
	if (k->alpha == CHK_INT_UNSET)
		k->alpha = vs->alpha;
	if (k->retry == CHK_INT_UNSET)
		k->retry = vs->retry;
	if (k->delay_before_retry == CHK_TIMER_UNSET)
		k->delay_before_retry = vs->delay_before_retry;
	if (k->warmup == CHK_TIMER_UNSET)
		k->warmup = vs->warmup;
	if (k->delay_loop == CHK_TIMER_UNSET)
		k->delay_loop = vs->delay_loop;
	if (k->connect_timeout == CHK_TIMER_UNSET)
		k->connect_timeout = vs->connect_timeout;
	for (ck = k->list; ck != NULL; ck = ck->next) {
		chk_conf_checker_finalize(vs, rs, ck);
		if (ck->log_all_failures == CHK_INT_UNSET)
			ck->log_all_failures = c->g.checker_log_all_failures;
	}
}

/* A real or sorry server whose port the kernel's table does not take
 * (chk_conf_ipvs_port()), said as keepalived 2.2.7 does ("ports don't
 * match - resetting", "has port specified - clearing"). keepalived then
 * names it by that port everywhere; so do the fifo lines, the e-mail
 * alerts, SNMP's realServerPort and the log lines (with its name as
 * written), while its checks keep the port written. */
static void
port_warn(const struct chk_vs_conf *vs, const struct chk_conf_fwd_method *fwd,
    unsigned port, const struct conf_loc *loc, const char *what,
    const struct vg_addr *addr, struct conf_diag *d)
{
	char buf[ADDR_STRLEN], name[ADDR_STRLEN + 32], tail[64] = "";
	const char *where = "the IPVS table and SNMP";

	if (fwd->method == CHK_FWD_NAT || port == 0)
		return;
	if (strcmp(what, "real") == 0) {
		where = "the IPVS table, the fifo lines, SNMP and the logs";
		snprintf(tail, sizeof(tail), "; checks default to port %u as "
		    "written", port);
	}
	addr_ntop(addr, buf, sizeof(buf));
	if (vs->kind == CHK_VS_GROUP && vs->group != NULL) {
		/* each entry's port in the table, none on its fwmarks; the
		 * lines name it by the port written, as keepalived's */
		int fwm = 0, other = 0;
		unsigned eport = 0;

		for (const struct chk_conf_vsg_entry *e = vs->group->entries;
		    e != NULL; e = e->next) {
			if (e->is_fwmark)
				fwm = 1;
			else if (e->port != port && other++ == 0)
				eport = e->port;
		}
		if (fwm)
			report(d, CONF_WARN, loc, "%s_server: group %s, %s "
			    "server [%s]:%u has a port: fwmark entries take "
			    "none for DR and TUN - port will be ignored there",
			    what, vs->group_name, what, buf, port);
		if (other > 0)
			report(d, CONF_WARN, loc, "%s_server: group %s and %s "
			    "server [%s]:%u ports don't match (DR and TUN) - "
			    "[%s]:%u%s in the IPVS table, each entry's port",
			    what, vs->group_name, what, buf, port, buf, eport,
			    other > 1 ? " and others" : "");
		return;
	}
	if (vs->kind == CHK_VS_FWMARK)
		report(d, CONF_WARN, loc, "%s_server: %s, %s server [%s]:%u "
		    "has a port: fwmark services take none for DR and TUN - "
		    "clearing: [%s]:0 in %s%s", what, chk_conf_vs_name(vs,
		    name, sizeof(name)), what, buf, port, buf, where, tail);
	else if (vs->kind == CHK_VS_ADDR && port != vs->port)
		report(d, CONF_WARN, loc, "%s_server: %s and %s server "
		    "[%s]:%u ports don't match (DR and TUN) - resetting: "
		    "[%s]:%u in %s%s", what, chk_conf_vs_name(vs, name,
		    sizeof(name)), what, buf, port, buf, vs->port, where, tail);
}

/* ---- real servers sharing one IPVS destination -------------------------------- */

struct dest_of {
	struct chk_rs_conf *rs;
	unsigned port;		/* in the IPVS table */
	unsigned idx;		/* in the file */
};

static int
dest_of_cmp(const void *pa, const void *pb)
{
	const struct dest_of *a = pa, *b = pb;
	int c = addr_cmp(&a->rs->addr, &b->rs->addr);

	if (c != 0)
		return c;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Real servers of vs whose IPVS destinations are one (DR and TUN take
 * the virtual server's port, a fwmark's none, a group's each entry's
 * whatever port was written; keepalived 2.2.7 resets the
 * port and then lets both add and remove that one entry, the last change
 * of either winning): each after the first in the file is told at its
 * line, naming the first at its own, and every one of them is marked so
 * that the entry is in while all of them are up, with the first's
 * weight and settings (rs.c). Only a real server whose port the table
 * does not take can meet another: the rest are sorted only then. */
static void
shared_dests(struct chk_vs_conf *vs, struct conf_diag *d)
{
	struct chk_rs_conf *rs;
	struct dest_of *v;
	unsigned n = 0, i, j, moved = 0;
	char a[ADDR_STRLEN], name[ADDR_STRLEN + 32], where[PATH_MAX + 16];
	char dest[ADDR_STRLEN + 32];

	for (rs = vs->rs; rs != NULL; rs = rs->next) {
		rs->dest_share = CHK_DEST_OWN;
		if (chk_conf_dest_port(vs, &rs->fwd, rs->port) != rs->port)
			moved++;
		n++;
	}
	if (moved == 0 || n < 2)
		return;
	if ((v = calloc(n, sizeof(*v))) == NULL) {
		report(d, CONF_ERR, &vs->loc, "out of memory");
		return;
	}
	for (rs = vs->rs, i = 0; rs != NULL; rs = rs->next, i++) {
		v[i].rs = rs;
		v[i].port = chk_conf_dest_port(vs, &rs->fwd, rs->port);
		v[i].idx = i;
	}
	qsort(v, n, sizeof(*v), dest_of_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && addr_cmp(&v[j].rs->addr,
		    &v[i].rs->addr) == 0 && v[j].port == v[i].port; j++) {
			const struct conf_loc *at = &v[i].rs->loc;

			v[j].rs->dest_share = CHK_DEST_LATER;
			if (at->file != NULL)
				snprintf(where, sizeof(where), "%s:%u",
				    at->file, at->line);
			else
				snprintf(where, sizeof(where), "line %u",
				    at->line);
			addr_ntop(&v[j].rs->addr, a, sizeof(a));
			if (vs->kind == CHK_VS_GROUP)
				snprintf(dest, sizeof(dest), "[%s] (each "
				    "entry's port)", a);
			else
				snprintf(dest, sizeof(dest), "[%s]:%u", a,
				    v[i].port);
			report(d, CONF_WARN, &v[j].rs->loc, "real_server: %s: "
			    "real server [%s]:%u is the IPVS destination "
			    "%s of real server [%s]:%u at %s too (%s) - "
			    "the entry is in the table while every real "
			    "server on it is up, with the weight and "
			    "settings of the one at %s",
			    chk_conf_vs_name(vs, name, sizeof(name)), a,
			    v[j].rs->port, dest, a, v[i].rs->port,
			    where, vs->kind == CHK_VS_FWMARK ? "fwmark "
			    "services take no port for DR and TUN" :
			    vs->kind == CHK_VS_GROUP ? "a group's DR and TUN "
			    "destinations take each entry's port" : "DR and "
			    "TUN take the virtual server's port", where);
		}
		if (j > i + 1)
			v[i].rs->dest_share = CHK_DEST_FIRST;
	}
	free(v);
}

/* 0: keep, -1: drop the virtual server (reported). */
static int
finalize_vs(struct chk_conf *c, struct chk_vs_conf *vs, struct conf_diag *d)
{
	struct chk_rs_conf *rs, *next;
	const struct chk_rs_checks *done = NULL;
	char buf[ADDR_STRLEN], name[ADDR_STRLEN + 32];
	int by_addr;

	if (vs->kind == CHK_VS_GROUP) {
		vs->group = find_group(c, vs->group_name);
		if (vs->group == NULL) {
			report(d, CONF_WARN, &vs->loc, "virtual_server: group %s "
			    "is not defined - ignoring this virtual server",
			    vs->group_name);
			return -1;
		}
	}
	by_addr = vs->kind == CHK_VS_ADDR || (vs->kind == CHK_VS_GROUP &&
	    group_has_addresses(vs->group));
	if (vs->protocol == 0 && by_addr) {
		/* the kernel's default: keepalived 2.2.7 says it and sets it */
		vs->protocol = IPPROTO_UDP;
		report(d, CONF_WARN, &vs->loc, "virtual_server: %s: no "
		    "protocol set - defaulting to UDP", chk_conf_vs_name(vs,
		    name, sizeof(name)));
	} else if (vs->protocol == 0) {
		vs->protocol = IPPROTO_TCP;	/* a fwmark's */
	} else if (!by_addr) {
		/* the kernel takes none for a fwmark service; the fifo
		 * lines and mail say "none", as keepalived's (chk_rs_text) */
		report(d, CONF_WARN, &vs->loc, "virtual_server: %s: "
		    "protocol specified for fwmark - protocol will be "
		    "ignored", chk_conf_vs_name(vs, name, sizeof(name)));
	}
	if ((vs->flags & CHK_VS_F_ONEPACKET) && by_addr &&
	    vs->protocol != IPPROTO_UDP) {
		report(d, CONF_WARN, &vs->loc, "virtual_server: %s: one "
		    "packet scheduling (ops) requires UDP - resetting",
		    chk_conf_vs_name(vs, name, sizeof(name)));
		vs->flags &= ~(unsigned)CHK_VS_F_ONEPACKET;
	}
	if (vs->kind == CHK_VS_ADDR && vs->port == 0 && !vs->persistence_set) {
		report(d, CONF_WARN, &vs->loc, "virtual_server: %s: a port is "
		    "required unless the service is persistent - ignoring "
		    "this virtual server", chk_conf_vs_name(vs, name,
		        sizeof(name)));
		return -1;
	}
	if (vs->sched[0] == '\0')
		strcpy(vs->sched, "wlc");
	if (vs->hysteresis >= vs->quorum) {
		report(d, CONF_WARN, &vs->loc, "virtual_server: hysteresis %u "
		    "must be below quorum %u - using %u", vs->hysteresis,
		    vs->quorum, vs->quorum - 1);
		vs->hysteresis = vs->quorum - 1;
	}
	if (vs->sorry.fwd.method == CHK_FWD_UNSET)
		vs->sorry.fwd = vs->fwd;
	if (vs->sorry.inhibit && !vs->sorry.set)
		report(d, CONF_WARN, &vs->loc, "virtual_server: "
		    "sorry_server_inhibit without sorry_server - ignoring");
	for (rs = vs->rs; rs != NULL; rs = rs->next)
		if (rs->fwd.method == CHK_FWD_UNSET)
			rs->fwd = vs->fwd;
	if (vs->family == 0)
		vs->family = guess_family(vs);
	if (vs->sorry.set && vs->sorry.fwd.method != CHK_FWD_TUN &&
	    vs->sorry.addr.family != vs->family) {
		report(d, CONF_WARN, &vs->sorry.loc, "sorry_server: address "
		    "family of %s does not match the virtual server - "
		    "ignoring it", addr_ntop(&vs->sorry.addr, buf, sizeof(buf)));
		vs->sorry.set = 0;
	}
	for (rs = vs->rs; rs != NULL; rs = next) {
		next = rs->next;
		if (rs->fwd.method != CHK_FWD_TUN &&
		    rs->addr.family != vs->family) {
			report(d, CONF_WARN, &rs->loc, "real_server: address "
			    "family of %s does not match the virtual server - "
			    "ignoring it", addr_ntop(&rs->addr, buf,
			    sizeof(buf)));
			chk_conf_vs_remove_rs(vs, rs);
			continue;
		}
		port_warn(vs, &rs->fwd, rs->port, &rs->loc, "real", &rs->addr,
		    d);
		finalize_rs(c, vs, rs, &done);
	}
	if (vs->sorry.set)
		port_warn(vs, &vs->sorry.fwd, vs->sorry.port, &vs->sorry.loc,
		    "sorry", &vs->sorry.addr, d);
	shared_dests(vs, d);
	return 0;
}

/* ---- virtual servers by identity ---------------------------------------------- */

static size_t
vs_key_hash(const struct chk_vs_conf *vs)
{
	size_t h = htab_hash_bytes(HTAB_HASH_INIT, &vs->kind, sizeof(vs->kind));

	switch (vs->kind) {
	case CHK_VS_ADDR:
		h = htab_hash_bytes(h, &vs->protocol, sizeof(vs->protocol));
		h = addr_hash(h, &vs->addr);
		return htab_hash_bytes(h, &vs->port, sizeof(vs->port));
	case CHK_VS_FWMARK:
		h = htab_hash_bytes(h, &vs->fwmark, sizeof(vs->fwmark));
		return htab_hash_bytes(h, &vs->family, sizeof(vs->family));
	case CHK_VS_GROUP:
		h = htab_hash_bytes(h, &vs->protocol, sizeof(vs->protocol));
		return htab_hash_bytes(h, vs->group_name,
		    strlen(vs->group_name));
	}
	return h;
}

#define VS_OF(n) HTAB_ENTRY(n, struct chk_vs_conf, key_node)

static size_t
vs_node_hash(const struct htab_node *n)
{
	return vs_key_hash(VS_OF(n));
}

static int
vs_key_eq(const struct htab_node *n, const void *key)
{
	const struct chk_vs_conf *a = VS_OF(n), *b = key;

	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case CHK_VS_ADDR:
		return a->protocol == b->protocol && a->port == b->port &&
		    addr_cmp(&a->addr, &b->addr) == 0;
	case CHK_VS_FWMARK:
		return a->fwmark == b->fwmark && a->family == b->family;
	case CHK_VS_GROUP:
		return a->protocol == b->protocol &&
		    strcmp(a->group_name, b->group_name) == 0;
	}
	return 0;
}

const struct chk_vs_conf *
chk_conf_find_vs(const struct chk_conf *c, const struct chk_vs_conf *vs)
{
	struct htab_node *n;

	if (c == NULL)
		return NULL;
	n = htab_find(&c->vs_index, vs_key_hash(vs), vs_key_eq, vs);
	return n != NULL ? VS_OF(n) : NULL;
}

unsigned
chk_conf_finalize(struct chk_conf *c, struct conf_diag *d)
{
	struct chk_vs_conf **pp, *vs;
	const struct chk_vs_conf *dup;
	unsigned before = d->nerr;
	char name[ADDR_STRLEN + 32];

	if (c->finalized)
		return 0;
	c->finalized = 1;
	htab_init(&c->vs_index, vs_node_hash, c->arena);
	c->vs_tail = NULL;
	for (pp = &c->vs; (vs = *pp) != NULL;) {
		if (finalize_vs(c, vs, d) == 0) {
			dup = chk_conf_find_vs(c, vs);
			if (dup == NULL) {
				if (htab_add(&c->vs_index, &vs->key_node) == -1) {
					report(d, CONF_ERR, NULL,
					    "out of memory");
					return d->nerr - before;
				}
				c->vs_tail = vs;
				pp = &vs->next;
				continue;
			}
			report(d, CONF_WARN, &vs->loc, "virtual_server: %s is "
			    "already defined at line %u - ignoring this one",
			    chk_conf_vs_name(vs, name, sizeof(name)),
			        dup->loc.line);
		}
		*pp = vs->next;
		c->nvs--;
	}
	return d->nerr - before;
}
