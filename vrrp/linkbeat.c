/* SPDX-License-Identifier: GPL-2.0-or-later */
/* linkbeat (vrrp/linkbeat.h) */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/ethtool.h>
#include <linux/mii.h>
#include <linux/sockios.h>
#include <net/if.h>

#include "log.h"
#include "vrrp/config.h"
#include "vrrp/engine_priv.h"
#include "vrrp/iface.h"
#include "vrrp/linkbeat.h"

const char *
vrrp_linkbeat_type(int type)
{
	return type == VRRP_LB_MII ? "MII" : type == VRRP_LB_ETHTOOL ?
	    "ETHTOOL" : type == VRRP_LB_IOCTL ? "IOCTL" : "none";
}

/* the BMSR link bit: 1, 0, or -1 (no MII) */
static int
probe_mii(int fd, const char *name)
{
	struct ifreq ifr;
	struct mii_ioctl_data *mii = (struct mii_ioctl_data *)&ifr.ifr_data;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGMIIPHY, &ifr) < 0)
		return -1;
	mii->reg_num = MII_BMSR;
	if (ioctl(fd, SIOCGMIIREG, &ifr) < 0)
		return -1;
	return (mii->val_out & BMSR_LSTATUS) != 0;
}

/* ETHTOOL_GLINK: 1, 0, or -1 (not there) */
static int
probe_ethtool(int fd, const char *name)
{
	struct ifreq ifr;
	struct ethtool_value ev = { .cmd = ETHTOOL_GLINK };

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_data = (char *)&ev;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		return -1;
	return ev.data != 0;
}

/* IFF_UP and IFF_RUNNING */
static int
probe_flags(int fd, const char *name)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return 0;
	return (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
}

int
vrrp_linkbeat_probe(int fd, const char *name, int *type)
{
	int r = -1;

	/* keepalived's order; a given type that fails falls back */
	if (*type == VRRP_LB_ANY || *type == VRRP_LB_MII)
		if ((r = probe_mii(fd, name)) >= 0)
			*type = VRRP_LB_MII;
	if (r < 0 && *type != VRRP_LB_IOCTL)
		if ((r = probe_ethtool(fd, name)) >= 0)
			*type = VRRP_LB_ETHTOOL;
	if (r < 0 && *type == VRRP_LB_ETHTOOL && (r = probe_mii(fd, name)) >= 0)
		*type = VRRP_LB_MII;
	if (r < 0) {
		*type = VRRP_LB_IOCTL;
		r = 1;
	}
	return r && probe_flags(fd, name);
}

/* Whether an instance or sync group follows link name (its interface or
 * a track_interface) */
static int
tracked(const struct vrrp_conf *c, const char *name)
{
	const struct vrrp_instance_conf *i;
	const struct vrrp_sync_group_conf *g;
	const struct vrrp_conf_track *t;

	for (i = c->instances.first; i != NULL; i = i->next) {
		if (i->interface != NULL && strcmp(i->interface, name) == 0)
			return 1;
		for (t = i->track_if.first; t != NULL; t = t->next)
			if (strcmp(t->name, name) == 0)
				return 1;
	}
	for (g = c->sync_groups.first; g != NULL; g = g->next)
		for (t = g->track_if.first; t != NULL; t = t->next)
			if (strcmp(t->name, name) == 0)
				return 1;
	return 0;
}

static void
poll_add(struct vrrp_iface_poll *p, unsigned *n, const char *name, int type)
{
	for (unsigned i = 0; i < *n; i++)
		if (strcmp(p[i].name, name) == 0)
			return;
	snprintf(p[*n].name, sizeof(p[*n].name), "%s", name);
	p[*n].type = type;
	(*n)++;
}

void
vrrp_engine_linkbeat(struct vrrp_engine *e)
{
	const struct vrrp_conf *c = e->conf;
	const struct vrrp_conf_linkbeat *lb;
	const struct vrrp_instance_conf *i;
	struct vrrp_iface_poll *p;
	unsigned n = 0;

	if (e->ifaces == NULL)
		return;
	if ((p = calloc(c->linkbeat_ifs.n + c->instances.n + 1,
	    sizeof(*p))) == NULL) {
		log_err("linkbeat: out of memory; not applied");
		return;
	}
	for (lb = c->linkbeat_ifs.first; lb != NULL; lb = lb->next) {
		if (!tracked(c, lb->ifname)) {
			log_info("%s:%u: linkbeat_interfaces: %s is not "
			    "polled: no instance tracks it", lb->loc.file,
			    lb->loc.line, lb->ifname);
			continue;
		}
		poll_add(p, &n, lb->ifname, lb->type);
	}
	for (i = c->instances.first; i != NULL; i = i->next)
		if (i->interface != NULL && (i->linkbeat_use_polling ||
		    c->g.linkbeat_use_polling))
			poll_add(p, &n, i->interface, VRRP_LB_ANY);
	(void)vrrp_ifaces_set_polled(e->ifaces, p, n);
	free(p);
}
