/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Human-readable summary of a VRRP configuration (vigild -d, SIGUSR1). */
#include <stdio.h>
#include <sys/socket.h>

#include "config_priv.h"
#include "loop.h"

static const char *
ntop(const struct vg_addr *a, char *buf, size_t len)
{
	if (a->family == 0)
		return "-";
	return addr_ntop(a, buf, len);
}

/* pre, then s as a word that reads back the same (conf_print_word) */
static void
word(FILE *fp, const char *pre, const char *s)
{
	fputs(pre, fp);
	conf_print_word(fp, s);
}

static void
dump_secs(FILE *fp, const char *label, unsigned long long usec)
{
	fprintf(fp, "%s%llu.%06llu s\n", label, usec / 1000000,
	    usec % 1000000);
}

static void
dump_notify(FILE *fp, const char *ind, const char *what,
    const struct vrrp_conf_notify *nt)
{
	if (nt->cmd == NULL)
		return;
	fprintf(fp, "%s%s: ", ind, what);
	conf_print_arg(fp, what, nt->cmd);
	if (nt->user != NULL) {
		word(fp, " user ", nt->user);
		if (nt->group != NULL)
			word(fp, ":", nt->group);
	}
	fputc('\n', fp);
}

static void
dump_tracks(FILE *fp, const char *ind, const char *what,
    const struct vrrp_conf_list *l)
{
	const struct vrrp_conf_track *t;

	for (t = l->first; t != NULL; t = t->next) {
		fprintf(fp, "%s%s:", ind, what);
		word(fp, " ", t->name);
		if (t->weight_set)
			fprintf(fp, " weight %d", t->weight);
		if (t->reverse)
			fputs(" reverse", fp);
		fputc('\n', fp);
	}
}

static void
dump_ipaddrs(FILE *fp, const char *ind, const char *what,
    const struct vrrp_conf_list *l)
{
	const struct vrrp_conf_ipaddr *a;
	char b[ADDR_STRLEN], s[16];

	for (a = l->first; a != NULL; a = a->next) {
		fprintf(fp, "%s%s: %s/%u", ind, what,
		    ntop(&a->p.addr, b, sizeof(b)), a->p.prefix);
		if (a->p.brd_mode == VRRP_BRD_ADDR)
			fprintf(fp, " brd %s", ntop(&a->p.brd, b, sizeof(b)));
		else if (a->p.brd_mode != VRRP_BRD_NONE)
			fprintf(fp, " brd %c",
			    a->p.brd_mode == VRRP_BRD_SET ? '+' : '-');
		if (a->dev != NULL)
			word(fp, " dev ", a->dev);
		if (a->p.scope != 0)
			fprintf(fp, " scope %s",
			    vrrp_conf_scope_name(a->p.scope, s, sizeof(s)));
		if (a->label != NULL)
			word(fp, " label ", a->label);
		if (a->p.peer.family != 0)
			fprintf(fp, " peer %s/%u",
			    ntop(&a->p.peer, b, sizeof(b)), a->p.peer_prefix);
		if (a->p.flags & VRRP_IPA_NO_TRACK)
			fputs(" no_track", fp);
		if (a->p.flags & VRRP_IPA_USE_VMAC)
			fputs(" use_vmac", fp);
		if (a->track_group != NULL)
			word(fp, " track_group ", a->track_group);
		fputc('\n', fp);
	}
}

static void
dump_argv(FILE *fp, const char *ind, const char *what, unsigned argc,
    char **argv)
{
	unsigned i;

	fprintf(fp, "%s%s:", ind, what);
	for (i = 0; i < argc; i++)
		word(fp, " ", argv[i]);
	fputc('\n', fp);
}

static void
dump_routes(FILE *fp, const char *ind, const struct vrrp_conf_list *routes,
    const struct vrrp_conf_list *rules)
{
	const struct vrrp_conf_route *r;
	const struct vrrp_conf_rule *ru;

	for (r = routes->first; r != NULL; r = r->next)
		dump_argv(fp, ind, "route", r->argc, r->argv);
	for (ru = rules->first; ru != NULL; ru = ru->next)
		dump_argv(fp, ind, "rule", ru->argc, ru->argv);
}

static void
dump_instance(FILE *fp, const struct vrrp_instance_conf *vi)
{
	const struct vrrp_conf_instance_params *p = &vi->p;
	const struct vrrp_conf_peer *peer;
	char b[ADDR_STRLEN];

	word(fp, "VRRP instance ", vi->name);
	fprintf(fp, " (%s:%u)\n", vi->loc.file, vi->loc.line);
	if (vi->interface != NULL)
		word(fp, "  interface: ", vi->interface);
	else
		fputs("  interface: -", fp);
	fputc('\n', fp);
	fprintf(fp, "  virtual_router_id: %u\n", p->vrid);
	fprintf(fp, "  family: %s, version: %u\n",
	    p->family == AF_INET6 ? "IPv6" : "IPv4", p->version);
	fprintf(fp, "  state: %s, priority: %u%s\n",
	    p->state == VRRP_INIT_MASTER ? "MASTER" : "BACKUP", p->priority,
	    p->priority == 255 ? " (address owner)" : "");
	dump_secs(fp, "  advert_int: ", p->advert_int);
	fprintf(fp, "  preempt: %s\n", p->nopreempt ? "no" : "yes");
	if (p->preempt_delay)
		dump_secs(fp, "  preempt_delay: ", p->preempt_delay);
	if (p->accept != VRRP_UNSET)
		fprintf(fp, "  accept: %s\n", p->accept ? "yes" : "no");
	if (p->src_ip.family != 0)
		fprintf(fp, "  source: %s\n", ntop(&p->src_ip, b, sizeof(b)));
	if (p->mcast_dst.family != 0)
		fprintf(fp, "  mcast_dst_ip: %s\n",
		    ntop(&p->mcast_dst, b, sizeof(b)));
	for (peer = vi->unicast_peers.first; peer; peer = peer->next)
		fprintf(fp, "  unicast_peer: %s\n",
		    ntop(&peer->addr, b, sizeof(b)));
	if (p->auth_type != VRRP_AUTH_NONE)
		fprintf(fp, "  authentication: %s\n",
		    p->auth_type == VRRP_AUTH_PASS ? "PASS" : "AH");
	if (p->use_vmac) {
		if (vi->vmac_ifname != NULL)
			word(fp, "  use_vmac: ", vi->vmac_ifname);
		else
			fputs("  use_vmac: (generated)", fp);
		fprintf(fp, "%s\n", p->vmac_xmit_base ? " xmit_base" : "");
	}
	if (p->use_vmac_addr)
		fputs("  use_vmac_addr\n", fp);
	if (p->use_ipvlan) {
		static const char *const modes[] = { "bridge", "private",
			"vepa" };

		if (vi->ipvlan_ifname != NULL)
			word(fp, "  use_ipvlan: ", vi->ipvlan_ifname);
		else
			fputs("  use_ipvlan: (generated)", fp);
		if (p->ipvlan_addr.family != 0)
			fprintf(fp, " %s/%u", ntop(&p->ipvlan_addr, b,
			    sizeof(b)), p->ipvlan_prefix);
		fprintf(fp, " %s\n", modes[p->ipvlan_mode % 3]);
	}
	if (vi->vrf != NULL) {
		word(fp, "  vrf: ", vi->vrf);
		fputc('\n', fp);
	}
	if (vi->sync_group != NULL) {
		word(fp, "  sync group: ", vi->sync_group);
		fputc('\n', fp);
	}
	dump_ipaddrs(fp, "  ", "vip", &vi->vips);
	dump_ipaddrs(fp, "  ", "excluded vip", &vi->evips);
	dump_routes(fp, "  ", &vi->routes, &vi->rules);
	dump_tracks(fp, "  ", "track_interface", &vi->track_if);
	dump_tracks(fp, "  ", "track_script", &vi->track_script);
	dump_tracks(fp, "  ", "track_file", &vi->track_file);
	dump_tracks(fp, "  ", "track_process", &vi->track_process);
	dump_tracks(fp, "  ", "track_bfd", &vi->track_bfd);
	dump_notify(fp, "  ", "notify_master", &vi->notify_master);
	dump_notify(fp, "  ", "notify_backup", &vi->notify_backup);
	dump_notify(fp, "  ", "notify_fault", &vi->notify_fault);
	dump_notify(fp, "  ", "notify_stop", &vi->notify_stop);
	dump_notify(fp, "  ", "notify", &vi->notify);
}

/* What precedes the instances: globals, scripts, tracking, sync groups. */
static void
dump_head(const struct vrrp_conf *c, FILE *fp)
{
	const struct vrrp_sync_group_conf *g;
	const struct vrrp_script_conf *s;
	const struct vrrp_track_file_conf *tf;
	const struct vrrp_track_process_conf *tp;
	const struct vrrp_conf_track *m;
	char b[ADDR_STRLEN];

	if (c == NULL || fp == NULL)
		return;
	fprintf(fp, "VRRP globals\n");
	fprintf(fp, "  version: %d, mcast_group4: %s", c->g.version,
	    ntop(&c->g.mcast_group4, b, sizeof(b)));
	fprintf(fp, ", mcast_group6: %s\n",
	    ntop(&c->g.mcast_group6, b, sizeof(b)));
	fprintf(fp, "  garp_master_delay: %d, garp_master_repeat: %d\n",
	    c->g.garp.master_delay, c->g.garp.master_repeat);
	fprintf(fp, "  strict: %s\n", c->g.strict ? "yes" : "no");
	dump_notify(fp, "  ", "vrrp_notify_fifo", &c->g.notify_fifo);
	if (c->g.lvs_syncd.set) {
		const struct vrrp_conf_syncd *y = &c->g.lvs_syncd;

		word(fp, "  lvs_sync_daemon: ", y->ifname);
		if (y->instance != NULL)
			word(fp, " instance ", y->instance);
		fprintf(fp, " id %u", y->syncid);
		if (y->maxlen != 0)
			fprintf(fp, " maxlen %u", y->maxlen);
		if (y->port != 0)
			fprintf(fp, " port %u", y->port);
		if (y->ttl != 0)
			fprintf(fp, " ttl %u", y->ttl);
		if (y->group.family != 0)
			fprintf(fp, " group %s", ntop(&y->group, b,
			    sizeof(b)));
		fputc('\n', fp);
	}
	for (s = c->scripts.first; s != NULL; s = s->next) {
		word(fp, "VRRP script ", s->name);
		fputs(": ", fp);
		conf_print_arg(fp, "script", s->script);
		fprintf(fp, " weight %d%s rise %d fall %d\n", s->weight,
		    s->weight_reverse ? " reverse" : "", s->rise, s->fall);
		dump_secs(fp, "  interval: ", s->interval);
	}
	for (tf = c->track_files.first; tf != NULL; tf = tf->next) {
		word(fp, "Track file ", tf->name);
		word(fp, ": ", tf->file);
		fprintf(fp, " weight %d\n", tf->weight);
	}
	for (tp = c->track_processes.first; tp != NULL; tp = tp->next) {
		word(fp, "Track process ", tp->name);
		word(fp, ": ", tp->process);
		fprintf(fp, " quorum %u weight %d\n", tp->quorum, tp->weight);
	}
	for (g = c->sync_groups.first; g != NULL; g = g->next) {
		word(fp, "VRRP sync group ", g->name);
		fputc(':', fp);
		for (m = g->members.first; m != NULL; m = m->next)
			word(fp, " ", m->name);
		fputc('\n', fp);
		dump_notify(fp, "  ", "notify_master", &g->notify_master);
		dump_notify(fp, "  ", "notify_backup", &g->notify_backup);
		dump_notify(fp, "  ", "notify_fault", &g->notify_fault);
	}
}

/* What follows the instances. */
static void
dump_tail(const struct vrrp_conf *c, FILE *fp)
{
	if (c->static_addrs.n || c->static_routes.n || c->static_rules.n) {
		fprintf(fp, "Static\n");
		dump_ipaddrs(fp, "  ", "address", &c->static_addrs);
		dump_routes(fp, "  ", &c->static_routes, &c->static_rules);
	}
}

enum { DUMP_HEAD, DUMP_INSTANCES, DUMP_TAIL };

int
vrrp_conf_dump_part(const struct vrrp_conf *c, FILE *fp,
    struct vrrp_dump_cursor *cur, uint64_t budget)
{
	uint64_t t0 = loop_now_usec();
	const struct vrrp_instance_conf *vi;

	if (c == NULL || fp == NULL)
		return 0;
	switch (cur->phase) {
	case DUMP_HEAD:
		dump_head(c, fp);
		cur->phase = DUMP_INSTANCES;
		cur->at = c->instances.first;
		if (loop_now_usec() - t0 >= budget)
			return 1;
		/* FALLTHROUGH */
	case DUMP_INSTANCES:
		for (vi = cur->at; vi != NULL; ) {
			dump_instance(fp, vi);
			vi = vi->next;
			if (loop_now_usec() - t0 >= budget) {
				cur->at = vi;
				if (vi == NULL)
					cur->phase = DUMP_TAIL;
				return 1;
			}
		}
		/* FALLTHROUGH */
	default:
		dump_tail(c, fp);
		cur->phase = DUMP_TAIL;
		cur->at = NULL;
		return 0;
	}
}

void
vrrp_conf_dump(const struct vrrp_conf *c, FILE *fp)
{
	struct vrrp_dump_cursor cur = { 0, NULL };

	while (vrrp_conf_dump_part(c, fp, &cur, UINT64_MAX))
		;
}
