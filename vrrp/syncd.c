/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IPVS connection sync daemon following a VRRP instance
 * (vrrp/syncd.h). keepalived 2.2.7 does the same from its VRRP process:
 * backup when the instance starts, master on becoming MASTER (the backup
 * stopped first), backup again on leaving it, the running one stopped at
 * shutdown, restarted on a reload only when its settings changed.
 * Without an instance to follow, both the master and the backup daemon
 * run, as keepalived 2.2.7's checker process runs them then.
 */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "vrrp/config.h"
#include "vrrp/syncd.h"

struct vrrp_syncd {
	const struct vrrp_syncd_ops *ops;
	void *arg;
	int configured;			/* configure() ran once (adoption) */
	char instance[64];		/* "" : none configured */
	int both;			/* no instance: master and backup */
	struct ipvs_daemon want;	/* settings; .state unused */
	enum vrrp_state st;		/* the instance's, for the log */
	unsigned running;		/* IPVS_SYNC_* of ours; 0: none */
	struct ipvs_daemon cur;		/* what runs */
	int no_ipvs;			/* logged once */
	char failed[160];		/* the last start's error, or "" */
	int own_kernel;			/* arg is vrrp_syncd_kernel_new's */
};

#define BOTH (IPVS_SYNC_MASTER | IPVS_SYNC_BACKUP)
/* the daemons in the order they are stopped and started */
static const enum ipvs_sync_state order[] = { IPVS_SYNC_MASTER,
    IPVS_SYNC_BACKUP };

enum ipvs_sync_state
vrrp_syncd_role(enum vrrp_state st)
{
	return st == VRRP_STATE_MASTER ? IPVS_SYNC_MASTER : IPVS_SYNC_BACKUP;
}

const char *
vrrp_syncd_role_name(enum ipvs_sync_state role)
{
	return role == IPVS_SYNC_MASTER ? "master" : "backup";
}

static const char *
roles_name(unsigned roles)
{
	return roles == BOTH ? "master+backup" :
	    vrrp_syncd_role_name((enum ipvs_sync_state)roles);
}

/* The daemons wanted now: the instance's role, or both without one. */
static unsigned
wanted(const struct vrrp_syncd *s)
{
	return s->both ? BOTH : (unsigned)vrrp_syncd_role(s->st);
}

/* Who the log lines speak of. */
static const char *
who(const struct vrrp_syncd *s)
{
	return s->both ? "no vrrp_instance" : s->instance;
}

struct vrrp_syncd *
vrrp_syncd_new(const struct vrrp_syncd_ops *ops, void *arg)
{
	struct vrrp_syncd *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->ops = ops;
	s->arg = arg;
	return s;
}

struct vrrp_syncd *
vrrp_syncd_new_kernel(void)
{
	void *k = vrrp_syncd_kernel_new();
	struct vrrp_syncd *s;

	if (k == NULL || (s = vrrp_syncd_new(&vrrp_syncd_kernel_ops,
	    k)) == NULL) {
		log_err("lvs_sync_daemon: out of memory: no connection sync "
		    "daemon");
		vrrp_syncd_kernel_free(k);
		return NULL;
	}
	s->own_kernel = 1;
	return s;
}

void
vrrp_syncd_free(struct vrrp_syncd *s)
{
	if (s != NULL && s->own_kernel)
		vrrp_syncd_kernel_free(s->arg);
	free(s);
}

/* Whether the daemon d (from the kernel) runs with the settings w; what
 * w leaves to the kernel's default is not compared. */
static int
same_settings(const struct ipvs_daemon *d, const struct ipvs_daemon *w)
{
	if (strcmp(d->ifname, w->ifname) != 0 || d->syncid != w->syncid)
		return 0;
	if (w->maxlen != 0 && d->maxlen != w->maxlen)
		return 0;
	if (w->port != 0 && d->port != w->port)
		return 0;
	if (w->ttl != 0 && d->ttl != w->ttl)
		return 0;
	if (w->group.family != 0 && (d->group.family != w->group.family ||
	    addr_cmp(&d->group, &w->group) != 0))
		return 0;
	return 1;
}

static const char *
where(const struct ipvs_daemon *d, char *buf, size_t len)
{
	snprintf(buf, len, "on %s, syncid %u", d->ifname, d->syncid);
	return buf;
}

/* A failed request, said once per kind: no IPVS is one line until it
 * works; anything else names the daemon and the error. */
static void
report_error(struct vrrp_syncd *s, const char *what, enum ipvs_sync_state r,
    int err)
{
	char w[64];

	if (err == -ENOENT) {
		snprintf(s->failed, sizeof(s->failed), "no IPVS in the "
		    "kernel");
		if (!s->no_ipvs)
			log_err("lvs_sync_daemon: the kernel has no IPVS (is "
			    "the ip_vs module loaded?): no connection sync "
			    "daemon for %s", who(s));
		s->no_ipvs = 1;
		return;
	}
	snprintf(s->failed, sizeof(s->failed), "%s %s: %s%s", what,
	    vrrp_syncd_role_name(r), strerror(-err),
	    err == -ENODEV ? " (no such interface)" : "");
	log_err("lvs_sync_daemon: %s: cannot %s the %s sync daemon (%s): "
	    "%s%s", who(s), what, vrrp_syncd_role_name(r),
	    where(&s->want, w, sizeof(w)), strerror(-err),
	    err == -ENODEV ? " (no such interface)" : "");
}

/* Stop the daemons of ours among roles. */
static void
stop_roles(struct vrrp_syncd *s, unsigned roles, const char *why)
{
	char w[64];
	int r;

	for (size_t i = 0; i < 2; i++) {
		if (!(s->running & roles & order[i]))
			continue;
		if ((r = s->ops->stop(s->arg, order[i])) < 0 && r != -ESRCH)
			report_error(s, "stop", order[i], r);
		else
			log_info("lvs_sync_daemon: %s: %s sync daemon stopped "
			    "(%s): %s", who(s), vrrp_syncd_role_name(order[i]),
			    where(&s->cur, w, sizeof(w)), why);
		s->running &= ~(unsigned)order[i];
	}
}

static void
stop_running(struct vrrp_syncd *s, const char *why)
{
	stop_roles(s, BOTH, why);
}

static void
follow(struct vrrp_syncd *s, const char *why)
{
	unsigned want = wanted(s);
	struct ipvs_daemon d;
	char w[64];
	int r;

	if ((s->instance[0] == '\0' && !s->both) || s->running == want)
		return;
	stop_roles(s, ~want, why);
	for (size_t i = 0; i < 2; i++) {
		if (!(want & order[i]) || (s->running & order[i]))
			continue;
		d = s->want;
		d.state = order[i];
		if ((r = s->ops->start(s->arg, &d)) < 0) {
			report_error(s, "start", order[i], r);
			continue;
		}
		s->no_ipvs = 0;
		s->failed[0] = '\0';
		s->running |= order[i];
		s->cur = d;
		if (s->both)
			log_info("lvs_sync_daemon: no vrrp_instance to follow: "
			    "%s sync daemon started (%s)",
			    vrrp_syncd_role_name(order[i]),
			    where(&d, w, sizeof(w)));
		else
			log_info("lvs_sync_daemon: %s is %s: %s sync daemon "
			    "started (%s)", s->instance, vrrp_state_name(s->st),
			    vrrp_syncd_role_name(order[i]),
			    where(&d, w, sizeof(w)));
	}
}

/* The first configuration: a running daemon that is one wanted is
 * adopted, any other is stopped (lvs_sync_daemon gives the daemon to
 * vigil). */
static void
adopt(struct vrrp_syncd *s)
{
	struct ipvs_daemon run[2];
	unsigned want = wanted(s);
	char w[64];
	int n, r;

	memset(run, 0, sizeof(run));
	if ((n = s->ops->dump(s->arg, run)) < 0) {
		if (n == -ENOENT)
			report_error(s, "start", s->both ? IPVS_SYNC_MASTER :
			    vrrp_syncd_role(s->st), n);
		return;
	}
	for (int i = 0; i < n && i < 2; i++) {
		if ((want & run[i].state) && !(s->running & run[i].state) &&
		    same_settings(&run[i], &s->want)) {
			s->running |= run[i].state;
			s->cur = run[i];
			if (s->both)
				log_info("lvs_sync_daemon: adopting the "
				    "running %s sync daemon (%s)",
				    vrrp_syncd_role_name(run[i].state),
				    where(&run[i], w, sizeof(w)));
			else
				log_info("lvs_sync_daemon: %s is %s: adopting "
				    "the running %s sync daemon (%s)",
				    s->instance, vrrp_state_name(s->st),
				    vrrp_syncd_role_name(run[i].state),
				    where(&run[i], w, sizeof(w)));
			continue;
		}
		if ((r = s->ops->stop(s->arg, run[i].state)) < 0 &&
		    r != -ESRCH)
			report_error(s, "stop", run[i].state, r);
		else
			log_info("lvs_sync_daemon: %s: stopped the running "
			    "%s sync daemon (%s): not the configured one",
			    who(s), vrrp_syncd_role_name(run[i].state),
			    where(&run[i], w, sizeof(w)));
	}
}

void
vrrp_syncd_configure(struct vrrp_syncd *s, const struct vrrp_conf_syncd *c,
    enum vrrp_state st)
{
	struct ipvs_daemon w;
	int first = !s->configured, both;
	char why[128];

	if (c == NULL || !c->set) {
		stop_running(s, "lvs_sync_daemon is no longer configured");
		s->instance[0] = '\0';
		s->both = 0;
		return;
	}
	both = c->instance == NULL;
	memset(&w, 0, sizeof(w));
	snprintf(w.ifname, sizeof(w.ifname), "%s", c->ifname);
	w.syncid = c->syncid;
	w.maxlen = c->maxlen;
	w.port = c->port;
	w.ttl = c->ttl;
	w.group = c->group;
	if (s->running != 0 && (!same_settings(&s->cur, &w) ||
	    both != s->both))
		stop_running(s, "its settings changed");
	if (both)
		snprintf(why, sizeof(why), "no vrrp_instance to follow");
	else
		snprintf(why, sizeof(why), "%s is %s", c->instance,
		    vrrp_state_name(st));
	snprintf(s->instance, sizeof(s->instance), "%s",
	    both ? "" : c->instance);
	s->both = both;
	s->want = w;
	s->st = st;
	s->configured = 1;
	if (first)
		adopt(s);
	follow(s, why);
}

void
vrrp_syncd_follow(struct vrrp_syncd *s, enum vrrp_state st)
{
	if (s->instance[0] == '\0')
		return;
	s->st = st;
	follow(s, st == VRRP_STATE_MASTER ? "the instance became MASTER" :
	    "the instance left MASTER");
}

void
vrrp_syncd_stop(struct vrrp_syncd *s)
{
	stop_running(s, "vigild stops");
}

const char *
vrrp_syncd_instance(const struct vrrp_syncd *s)
{
	return s->instance[0] != '\0' ? s->instance : NULL;
}

unsigned
vrrp_syncd_running(const struct vrrp_syncd *s)
{
	return s->running;
}

const char *
vrrp_syncd_describe(const struct vrrp_syncd *s, char *buf, size_t len)
{
	char w[64];

	if (s->running != 0)
		snprintf(buf, len, "%s %s", roles_name(s->running),
		    where(&s->cur, w, sizeof(w)));
	else if (s->failed[0] != '\0')
		snprintf(buf, len, "failed: %s", s->failed);
	else
		snprintf(buf, len, "stopped");
	return buf;
}

/* ---- the kernel, through lib/ipvs ------------------------------------------ */

struct kernel {
	struct ipvs *v;
};

void *
vrrp_syncd_kernel_new(void)
{
	return calloc(1, sizeof(struct kernel));
}

void
vrrp_syncd_kernel_free(void *arg)
{
	struct kernel *k = arg;

	if (k == NULL)
		return;
	if (k->v != NULL)
		ipvs_close(k->v);
	free(k);
}

static int
kernel_open(struct kernel *k)
{
	int err = 0;

	if (k->v == NULL && (k->v = ipvs_open(&err)) == NULL)
		return err < 0 ? err : -ENOENT;
	return 0;
}

static int
k_start(void *arg, const struct ipvs_daemon *d)
{
	struct kernel *k = arg;
	int r;

	if ((r = kernel_open(k)) < 0)
		return r;
	return ipvs_daemon_start(k->v, d);
}

static int
k_stop(void *arg, enum ipvs_sync_state state)
{
	struct kernel *k = arg;
	int r;

	if ((r = kernel_open(k)) < 0)
		return r;
	return ipvs_daemon_stop(k->v, state);
}

struct collect {
	struct ipvs_daemon *out;
	int n;
};

static int
collect_one(void *arg, const struct ipvs_daemon *d)
{
	struct collect *c = arg;

	if (c->n < 2)
		c->out[c->n++] = *d;
	return 0;
}

static int
k_dump(void *arg, struct ipvs_daemon out[2])
{
	struct kernel *k = arg;
	struct collect c = { out, 0 };
	int r;

	if ((r = kernel_open(k)) < 0)
		return r;
	if ((r = ipvs_daemon_dump(k->v, collect_one, &c)) < 0)
		return r;
	return c.n;
}

const struct vrrp_syncd_ops vrrp_syncd_kernel_ops = {
	.start = k_start,
	.stop = k_stop,
	.dump = k_dump,
};
