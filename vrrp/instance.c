/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runtime VRRP instances: made from their configuration, following it
 * across reloads, their effective priority and the RFC's timer figures.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "vrrp/config.h"
#include "vrrp/instance.h"

static int
inherit(int v, int global)
{
	return v == VRRP_UNSET ? global : v;
}

/* The addresses adverts carry: the VIPs of the instance's family. */
static int
inst_vaddrs(struct vrrp_inst *vi, const struct vrrp_instance_conf *c)
{
	struct vg_addr *v;
	unsigned n = 0;

	v = calloc(c->vips.n > 0 ? c->vips.n : 1, sizeof(*v));
	if (v == NULL)
		return -1;
	for (const struct vrrp_conf_ipaddr *a = c->vips.first; a != NULL &&
	    n < c->vips.n && n < VRRP_MAX_ADDRS; a = a->next)
		if (a->p.addr.family == c->p.family)
			v[n++] = a->p.addr;
	free(vi->vaddrs);
	vi->vaddrs = v;
	vi->nvaddrs = n;
	return 0;
}

static int
inst_follow(struct vrrp_inst *vi, const struct vrrp_instance_conf *c,
    const struct vrrp_conf *all)
{
	unsigned long long cs = c->p.advert_int / 10000;

	if (inst_vaddrs(vi, c) < 0)
		return -1;

	vi->conf = c;
	vi->lnames_ok = 0;
	vi->name = c->name;
	if (!vi->prio_set)	/* a runtime set-priority holds until a
				 * reload changes the instance
				 * (vrrp_command_settings_dropped) */
		vi->base_prio = c->p.priority;
	vi->prio = vrrp_inst_eff_prio(vi->base_prio, vi->track_delta);
	vi->adver_int = cs == 0 ? 1 : cs > 4095 ? 4095 : (unsigned)cs;
	vi->down_adverts = (unsigned)inherit(c->p.down_timer_adverts,
	    all != NULL ? all->g.down_timer_adverts : 3);
	if (vi->down_adverts == 0)
		vi->down_adverts = 3;
	vi->lower_prio_no_advert = inherit(c->p.lower_prio_no_advert,
	    all != NULL ? all->g.lower_prio_no_advert : 0) > 0;
	vi->higher_prio_send_advert = inherit(c->p.higher_prio_send_advert,
	    all != NULL ? all->g.higher_prio_send_advert : 0) > 0;
	if (c->p.version != 3 || vi->master_adver_int == 0)
		vi->master_adver_int = vi->adver_int;
	return 0;
}

struct vrrp_inst *
vrrp_inst_new(const struct vrrp_instance_conf *c, const struct vrrp_conf *all)
{
	struct vrrp_inst *vi = calloc(1, sizeof(*vi));

	if (vi == NULL)
		return NULL;
	vi->state = VRRP_STATE_INIT;
	if (inst_follow(vi, c, all) < 0) {
		free(vi);
		return NULL;
	}
	return vi;
}

void
vrrp_inst_free(struct vrrp_inst *vi)
{
	if (vi == NULL)
		return;
	free(vi->vaddrs);
	free(vi);
}

int
vrrp_inst_rebind(struct vrrp_inst *vi, const struct vrrp_instance_conf *c,
    const struct vrrp_conf *all)
{
	if (inst_follow(vi, c, all) < 0)
		return -1;
	/* keepalived's reload makes each instance anew and restores its
	 * counters (newMasterReason among them), not the last master heard
	 * (master_saddr): vrrpOperMasterIpAddr is 0.0.0.0 again until an
	 * advert is taken as BACKUP */
	memset(&vi->heard_addr, 0, sizeof(vi->heard_addr));
	return 0;
}

unsigned
vrrp_inst_eff_prio(unsigned base, int delta)
{
	long p = (long)base + delta;

	if (base >= VRRP_PRIO_OWNER)
		return VRRP_PRIO_OWNER;
	if (p < 1)
		return 1;
	if (p > VRRP_PRIO_OWNER - 1)
		return VRRP_PRIO_OWNER - 1;
	return (unsigned)p;
}

int
vrrp_inst_set_tracking(struct vrrp_inst *vi, int fault, int delta,
    const char *why)
{
	unsigned prio = vrrp_inst_eff_prio(vi->base_prio, delta);
	int changed = prio != vi->prio || (fault != 0) != (vi->track_fault != 0);

	vi->track_delta = delta;
	vi->prio = prio;
	vi->track_fault = fault != 0;
	if (fault && why != NULL)
		snprintf(vi->fault_why, sizeof(vi->fault_why), "%s", why);
	return changed;
}

int
vrrp_inst_preempt(const struct vrrp_inst *vi)
{
	if (vi->preempt_set != 0)
		return vi->preempt_set == 1;
	return !vi->conf->p.nopreempt;
}

int
vrrp_inst_faulty(const struct vrrp_inst *vi)
{
	return vi->track_fault || vi->if_fault || vi->group_fault ||
	    vi->clash_fault;
}

uint64_t
vrrp_inst_skew(const struct vrrp_inst *vi)
{
	/* ((256 - Priority) * Master_Adver_Interval) / 256, centiseconds;
	 * v2 (RFC 3768) is the same with its own interval in seconds */
	return (uint64_t)(256 - vi->prio) * vi->master_adver_int * 10000 / 256;
}

uint64_t
vrrp_inst_down_interval(const struct vrrp_inst *vi)
{
	return (uint64_t)vi->down_adverts * vi->master_adver_int * 10000 +
	    vrrp_inst_skew(vi);
}

void
vrrp_inst_dump(const struct vrrp_inst *vi, FILE *fp)
{
	char a[ADDR_STRLEN], m[ADDR_STRLEN];

	fprintf(fp, " VRRP Instance = %s\n", vi->name);
	fprintf(fp, "   State = %s (%s)\n", vrrp_state_name(vi->state),
	    vi->why);
	fprintf(fp, "   Priority = %u (configured %u, tracking %+d)\n",
	    vi->prio, vi->base_prio, vi->track_delta);
	if (vrrp_inst_faulty(vi))
		fprintf(fp, "   Fault = %s\n", vi->fault_why);
	fprintf(fp, "   Advert interval = %.2f s, master's = %.2f s\n",
	    vi->adver_int / 100.0, vi->master_adver_int / 100.0);
	fprintf(fp, "   Source = %s, master = %s priority %u\n",
	    addr_is_unset(&vi->src) ? "none" :
	    addr_ntop(&vi->src, a, sizeof(a)),
	    addr_is_unset(&vi->master_addr) ? "none" :
	    addr_ntop(&vi->master_addr, m, sizeof(m)), vi->master_prio);
	fprintf(fp, "   VIPs held = %s\n", vi->vips_held ? "yes" : "no");
	fprintf(fp, "   Adverts received = %llu, sent = %llu, not sent = %llu, "
	    "became master %llu time(s)\n", (unsigned long long)vi->rx,
	    (unsigned long long)vi->tx, (unsigned long long)vi->tx_dropped,
	    (unsigned long long)vi->became_master);
	for (int d = 1; d < VRRP_DROP_MAX; d++)
		if (vi->drops[d] > 0)
			fprintf(fp, "   Dropped (%s) = %llu\n",
			    vrrp_drop_name((enum vrrp_drop)d),
			    (unsigned long long)vi->drops[d]);
}
