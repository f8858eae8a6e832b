/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Notifications of VRRP state changes, as keepalived sends them:
 *  - the state's own script (notify_master, _backup, _fault, _stop,
 *    _deleted), run as written;
 *  - the generic "notify" script with TYPE NAME STATE PRIORITY appended
 *    ("INSTANCE" "VI_1" "MASTER" "100"; a group's priority is 0);
 *  - a line on the notify fifos (global_defs' notify_fifo and
 *    vrrp_notify_fifo): 'INSTANCE "VI_1" MASTER 100\n', through the fifo
 *    writer the checker child shares (lib/notify_fifo.c): a fifo is made
 *    if missing and its script is started once with the fifo's name
 *    appended; a fifo nobody reads drops lines rather than block.
 *  - an e-mail (lib/smtp_alert.c) where smtp_alert asks for it:
 *    "[router_id] VRRP Instance VI_1 - Entering MASTER state",
 *    "=> VRRP Instance is now owning VRRP VIPs <=" (no_email_faults:
 *    none for FAULT); a state is mailed only when it differs from the
 *    one last mailed for that instance or group.
 * An instance removed by a reload without notify_deleted is reported
 * FAULT (keepalived's compatibility). Stop scripts get 1 s to finish.
 */
#include "autoconfig.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "global_conf.h"
#include "htab.h"
#include "log.h"
#include "notify_fifo.h"
#include "proc.h"
#include "script.h"
#include "smtp_alert.h"
#include "subsys.h"
#include "vrrp/config.h"
#include "vrrp/notify.h"
#include "runas.h"

#define NOTIFY_STOP_TIMEOUT 1000000u	/* usec, as keepalived */

struct vrrp_notify {
	const struct proc_env *env;
	struct script_runner *sr;
	struct runas_defaults runas;
	struct notify_fifo fifo[2];
	int prio_changes;	/* vrrp_notify_priority_changes */
	struct smtp_alert *smtp;
	int smtp_default;	/* smtp_alert_vrrp, else smtp_alert, else 0 */
	int no_email_faults;
	int smtp_warned;
	struct htab mailed;	/* struct mail_last: the last state mailed */
};

/*
 * The last state mailed per instance and per group: keepalived mails a
 * state only when it differs from the one it mailed last (with
 * no_email_faults, BACKUP -> FAULT -> BACKUP mails nothing).
 */
struct mail_last {
	struct htab_node node;
	int group;
	enum vrrp_state state;
	char name[];
};

struct mail_key {
	int group;
	const char *name;
};

static size_t
mail_last_hash(const struct htab_node *hn)
{
	const struct mail_last *m = HTAB_ENTRY(hn, struct mail_last, node);

	return htab_hash_str(m->name) ^ (size_t)m->group;
}

static int
mail_last_is(const struct htab_node *hn, const void *key)
{
	const struct mail_last *m = HTAB_ENTRY(hn, struct mail_last, node);
	const struct mail_key *k = key;

	return m->group == k->group && strcmp(m->name, k->name) == 0;
}

/* The record of name (made when missing); NULL when out of memory. */
static struct mail_last *
mail_last_get(struct vrrp_notify *n, int group, const char *name)
{
	struct mail_key k = { group, name };
	struct htab_node *hn;
	struct mail_last *m;
	size_t len = strlen(name);

	hn = htab_find(&n->mailed, htab_hash_str(name) ^ (size_t)group,
	    mail_last_is, &k);
	if (hn != NULL)
		return HTAB_ENTRY(hn, struct mail_last, node);
	if ((m = calloc(1, sizeof(*m) + len + 1)) == NULL)
		return NULL;
	m->group = group;
	m->state = VRRP_STATE_INIT;
	memcpy(m->name, name, len + 1);
	if (htab_add(&n->mailed, &m->node) < 0) {
		free(m);
		return NULL;
	}
	return m;
}

static void
mail_last_free(struct vrrp_notify *n)
{
	struct htab_iter it;
	struct htab_node *hn;

	while ((hn = htab_first(&n->mailed, &it)) != NULL) {
		htab_del(&n->mailed, hn);
		free(HTAB_ENTRY(hn, struct mail_last, node));
	}
	htab_free(&n->mailed);
}

struct vrrp_notify *
vrrp_notify_new(const struct proc_env *env)
{
	struct vrrp_notify *n;

	if (env == NULL || env->base == NULL || env->reaper == NULL)
		return NULL;
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	n->env = env;
	htab_init(&n->mailed, mail_last_hash, NULL);
	notify_fifo_init(&n->fifo[0], "notify_fifo");
	notify_fifo_init(&n->fifo[1], "vrrp_notify_fifo");
	if ((n->sr = script_runner_new(env->base, env->reaper)) == NULL ||
	    (n->smtp = smtp_alert_new(env->base)) == NULL) {
		script_runner_release(n->sr);
		free(n);
		return NULL;
	}
	return n;
}

/* ---- scripts -------------------------------------------------------------- */

static void
notify_done(struct script_run *run, enum script_result res, int status,
    void *arg)
{
	const char *what = arg;

	(void)run;
	if (res == SCRIPT_EXITED && status == 0)
		return;
	log_info("%s script: %s %d", what, res == SCRIPT_EXITED ?
	    "exited with status" : res == SCRIPT_TIMEOUT ?
	    "timed out, signal" : res == SCRIPT_SIGNALED ?
	    "killed by signal" : "could not run, error", status);
}

/* Start cmd (as user/group, or the default user) with extra words after
 * its own. 0, or -1 (logged). */
static int
notify_run(struct vrrp_notify *n, const char *what, const char *cmd,
    const char *user, const char *group, const char *const *extra,
    size_t nextra, uint64_t timeout)
{
	struct script_opts o;
	char **argv, **full;
	char why[256];
	uid_t uid;
	gid_t gid;
	int rc = -1;

	if (cmd == NULL)
		return 0;
	if ((argv = runas_argv_new(cmd)) == NULL) {
		log_warn("%s: cannot split '%s' into words; not run", what,
		    cmd);
		return -1;
	}
	full = nextra > 0 ? runas_argv_append(argv, extra, nextra) : argv;
	if (full == NULL)
		goto out;
	if (runas_resolve(&n->runas, full, user, group, &uid, &gid, why,
	    sizeof(why)) < 0) {
		log_warn("%s %s: not run: %s", what, full[0], why);
		goto out;
	}
	memset(&o, 0, sizeof(o));
	o.argv = full;
	o.uid = uid;
	o.gid = gid;
	o.timeout_usec = timeout;
	if (script_start(n->sr, &o, notify_done, (void *)(uintptr_t)what) ==
	    NULL)
		log_warn("%s %s: could not start it", what, full[0]);
	else
		rc = 0;
out:
	if (full != argv)
		free(full);
	free(argv);
	return rc;
}

/* ---- fifos ---------------------------------------------------------------- */

/* A fifo's script (notify_fifo_run_fn): the fifo's name appended, no
 * timeout. */
static int
fifo_run(void *arg, const char *what, const char *cmd, const char *user,
    const char *group, const char *path)
{
	const char *extra[1] = { path };

	return notify_run(arg, what, cmd, user, group, extra, 1, 0);
}

static void
fifo_line(struct vrrp_notify *n, const char *type, const char *name,
    const char *state, unsigned prio)
{
	char line[512];

	if (!notify_fifo_pair_open(n->fifo))
		return;
	notify_fifo_pair_write(n->fifo, line, snprintf(line, sizeof(line),
	    "%s \"%s\" %s %u\n", type, name, state, prio), sizeof(line));
}

/* ---- smtp ------------------------------------------------------------------- */

/* Whether an instance or group with its own smtp_alert mails. */
static int
smtp_on(const struct vrrp_notify *n, int own)
{
	return own != VRRP_UNSET ? own > 0 : n->smtp_default;
}

/* Alerts asked for with nowhere to send them: keepalived sends nothing
 * then; say so once, where they were asked for. */
static void
smtp_warn(struct vrrp_notify *n, const struct vigil_config *cfg,
    const struct global_conf *g, const struct vrrp_conf *vc)
{
	const struct vrrp_instance_conf *ic;
	const struct vrrp_sync_group_conf *sg;
	const struct conf_loc *loc = NULL;
	const struct conf_node *node = NULL;
	int on = 0;

	if (n->smtp_warned || smtp_alert_ready(n->smtp) || vc == NULL)
		return;
	/* the first instance or group that would mail: where its own
	 * smtp_alert is, else where the default came from */
	for (ic = vc->instances.first; ic != NULL && !on; ic = ic->next)
		if ((on = smtp_on(n, ic->p.smtp_alert)) &&
		    ic->p.smtp_alert != VRRP_UNSET)
			loc = vconfig_loc_in(cfg, &ic->loc, "smtp_alert");
	for (sg = vc->sync_groups.first; sg != NULL && !on; sg = sg->next)
		if ((on = smtp_on(n, sg->smtp_alert)) &&
		    sg->smtp_alert != VRRP_UNSET)
			loc = vconfig_loc_in(cfg, &sg->loc, "smtp_alert");
	if (!on)
		return;
	if (loc == NULL) {
		if (vc->g.smtp_alert_vrrp != VRRP_UNSET)
			node = vconfig_find(cfg, "global_defs",
			    "smtp_alert_vrrp");
		else
			node = vconfig_find(cfg, "global_defs", "smtp_alert");
		if (node != NULL)
			loc = &node->loc;
	}
	n->smtp_warned = 1;
	if (loc != NULL)
		log_warn("%s:%u: smtp_alert: no e-mail alert is sent without "
		    "%s in global_defs", loc->file, loc->line, g == NULL ||
		    g->smtp_server == NULL ? "smtp_server" :
		    "notification_email");
	else
		log_warn("smtp_alert: no e-mail alert is sent without %s in "
		    "global_defs", g == NULL || g->smtp_server == NULL ?
		    "smtp_server" : "notification_email");
}

/* keepalived's subjects and bodies (vrrp_notify.c) */
static void
smtp_state(struct vrrp_notify *n, int group, const char *name, int own,
    enum vrrp_state s)
{
	static const char *const inst[][2] = {
		[VRRP_STATE_MASTER] = { "Entering MASTER state",
		    "=> VRRP Instance is now owning VRRP VIPs <=" },
		[VRRP_STATE_BACKUP] = { "Entering BACKUP state",
		    "=> VRRP Instance is no longer owning VRRP VIPs <=" },
		[VRRP_STATE_FAULT] = { "Entering FAULT state",
		    "=> VRRP Instance is no longer owning VRRP VIPs <=" },
		[VRRP_STATE_STOP] = { "Stopping",
		    "=> VRRP Instance stopping <=" },
		[VRRP_STATE_DELETED] = { "Deleted",
		    "=> VRRP Deleted at reload <=" },
	};
	static const char *const grp[][2] = {
		[VRRP_STATE_MASTER] = { "Entering MASTER state",
		    "=> All VRRP group instances are now in MASTER state <=" },
		[VRRP_STATE_BACKUP] = { "Entering BACKUP state",
		    "=> All VRRP group instances are now in BACKUP state <=" },
		[VRRP_STATE_FAULT] = { "Entering FAULT state",
		    "=> All VRRP group instances are now in FAULT state <=" },
		[VRRP_STATE_STOP] = { "Stopping",
		    "=> All VRRP group instances are now stopping <=" },
	};
	const char *const *t;
	char subject[SMTP_ALERT_SUBJECT_MAX];
	struct mail_last *last;

	if (!smtp_on(n, own) || !smtp_alert_ready(n->smtp) ||
	    (n->no_email_faults && s == VRRP_STATE_FAULT))
		return;
	if ((unsigned)s >= (group ? sizeof(grp) / sizeof(grp[0]) :
	    sizeof(inst) / sizeof(inst[0])))
		return;
	t = group ? grp[s] : inst[s];
	if (t[0] == NULL)
		return;
	if ((last = mail_last_get(n, group, name)) != NULL) {
		if (last->state == s)
			return;
		last->state = s;
	}
	snprintf(subject, sizeof(subject), "VRRP %s %s - %s", group ?
	    "Group" : "Instance", name, t[0]);
	(void)smtp_alert_send(n->smtp, subject, t[1]);
}

/* An instance or group gone at reload: one made again under its name
 * starts afresh. */
static void
mail_last_drop(struct vrrp_notify *n, int group, const char *name)
{
	struct mail_key k = { group, name };
	struct htab_node *hn;

	hn = htab_find(&n->mailed, htab_hash_str(name) ^ (size_t)group,
	    mail_last_is, &k);
	if (hn != NULL) {
		htab_del(&n->mailed, hn);
		free(HTAB_ENTRY(hn, struct mail_last, node));
	}
}

/* ---- the interface ------------------------------------------------------- */

int
vrrp_notify_apply(struct vrrp_notify *n, const struct vigil_config *cfg)
{
	const struct global_conf *g;
	const struct vrrp_conf *vc;
	struct notify_fifo_conf gf, vf = { 0 };
	int rc = 0;

	if (n == NULL || cfg == NULL)
		return -1;
	g = cfg->conf[CONF_OWNER_GLOBAL];
	vc = cfg->conf[CONF_OWNER_VRRP];
	if (runas_defaults_set(&n->runas, g) < 0)
		rc = -1;
	notify_fifo_conf_global(&gf, g);
	if (vc != NULL) {
		vf = (struct notify_fifo_conf){ vc->g.notify_fifo.cmd,
		    vc->g.notify_fifo.user, vc->g.notify_fifo.group,
		    vc->g.notify_fifo_script.cmd, vc->g.notify_fifo_script.user,
		    vc->g.notify_fifo_script.group };
	}
	if (notify_fifo_pair_apply(n->fifo, &gf, &vf, fifo_run, n) < 0)
		rc = -1;
	n->prio_changes = vc != NULL && vc->g.notify_priority_changes > 0;
	/* keepalived 2.2.7: an instance's or group's own smtp_alert, else
	 * smtp_alert_vrrp, else global_defs' smtp_alert, else off */
	n->smtp_default = vc != NULL && vc->g.smtp_alert_vrrp != VRRP_UNSET ?
	    vc->g.smtp_alert_vrrp > 0 : g != NULL && g->smtp_alert > 0;
	n->no_email_faults = vc != NULL && vc->g.no_email_faults > 0;
	if (smtp_alert_apply(n->smtp, g) < 0)
		rc = -1;
	smtp_warn(n, cfg, g, vc);
	if (rc < 0)
		log_err("notify: out of memory applying the configuration");
	return rc;
}

void
vrrp_notify_free(struct vrrp_notify *n)
{
	if (n == NULL)
		return;
	notify_fifo_pair_close(n->fifo);
	mail_last_free(n);
	script_runner_release(n->sr);
	runas_defaults_clear(&n->runas);
	/* the stop's mails ("Stopping") get the stop scripts' second */
	smtp_alert_finish(n->smtp, NOTIFY_STOP_TIMEOUT);
	free(n);
}

static const struct vrrp_conf_notify *
state_script(enum vrrp_state s, const struct vrrp_conf_notify *master,
    const struct vrrp_conf_notify *backup,
    const struct vrrp_conf_notify *fault, const struct vrrp_conf_notify *stop,
    const struct vrrp_conf_notify *deleted)
{
	switch (s) {
	case VRRP_STATE_MASTER:
		return master;
	case VRRP_STATE_BACKUP:
		return backup;
	case VRRP_STATE_FAULT:
		return fault;
	case VRRP_STATE_STOP:
		return stop;
	case VRRP_STATE_DELETED:
		return deleted;
	default:
		return NULL;
	}
}

static void
notify_state(struct vrrp_notify *n, const char *type, const char *name,
    enum vrrp_state s, unsigned prio, const struct vrrp_conf_notify *own,
    const struct vrrp_conf_notify *generic)
{
	uint64_t timeout = s == VRRP_STATE_STOP ? NOTIFY_STOP_TIMEOUT : 0;
	const char *extra[4];
	char pbuf[16];

	if (own != NULL && own->cmd != NULL)
		(void)notify_run(n, "notify", own->cmd, own->user, own->group,
		    NULL, 0, timeout);
	if (generic->cmd != NULL) {
		snprintf(pbuf, sizeof(pbuf), "%u", prio);
		extra[0] = type;
		extra[1] = name;
		extra[2] = vrrp_state_name(s);
		extra[3] = pbuf;
		(void)notify_run(n, "notify", generic->cmd, generic->user,
		    generic->group, extra, 4, timeout);
	}
	fifo_line(n, type, name, vrrp_state_name(s), prio);
}

void
vrrp_notify_instance(struct vrrp_notify *n,
    const struct vrrp_instance_conf *ic, enum vrrp_state s,
    unsigned priority)
{
	int deleted = s == VRRP_STATE_DELETED;

	if (n == NULL || ic == NULL)
		return;
	if (deleted && !ic->has_notify_deleted)
		s = VRRP_STATE_FAULT;
	notify_state(n, "INSTANCE", ic->name, s, priority,
	    state_script(s, &ic->notify_master, &ic->notify_backup,
	    &ic->notify_fault, &ic->notify_stop, &ic->notify_deleted),
	    &ic->notify);
	smtp_state(n, 0, ic->name, ic->p.smtp_alert, s);
	if (deleted)
		mail_last_drop(n, 0, ic->name);
}

void
vrrp_notify_group(struct vrrp_notify *n, const struct vrrp_sync_group_conf *g,
    enum vrrp_state s)
{
	int deleted = s == VRRP_STATE_DELETED;

	if (n == NULL || g == NULL)
		return;
	if (deleted && !g->has_notify_deleted)
		s = VRRP_STATE_FAULT;
	notify_state(n, "GROUP", g->name, s, 0,
	    state_script(s, &g->notify_master, &g->notify_backup,
	    &g->notify_fault, &g->notify_stop, &g->notify_deleted),
	    &g->notify);
	smtp_state(n, 1, g->name, g->smtp_alert, s);
	if (deleted)
		mail_last_drop(n, 1, g->name);
}

void
vrrp_notify_fifo_state(struct vrrp_notify *n, const char *type,
    const char *name, enum vrrp_state s, unsigned priority)
{
	if (n != NULL)
		fifo_line(n, type, name, vrrp_state_name(s), priority);
}

void
vrrp_notify_rx_lower_pri(struct vrrp_notify *n,
    const struct vrrp_instance_conf *ic, unsigned priority)
{
	const struct vrrp_conf_notify *sc;

	if (n == NULL || ic == NULL)
		return;
	sc = &ic->notify_master_rx_lower_pri;
	if (sc->cmd != NULL)
		(void)notify_run(n, "notify_master_rx_lower_pri", sc->cmd,
		    sc->user, sc->group, NULL, 0, 0);
	fifo_line(n, "INSTANCE", ic->name, "MASTER_RX_LOWER_PRI", priority);
}

void
vrrp_notify_priority(struct vrrp_notify *n,
    const struct vrrp_instance_conf *ic, enum vrrp_state s,
    unsigned priority)
{
	int on;

	if (n == NULL || ic == NULL)
		return;
	on = ic->p.notify_priority_changes != VRRP_UNSET ?
	    ic->p.notify_priority_changes > 0 : n->prio_changes;
	if (!on)
		return;
	fifo_line(n, "INSTANCE", ic->name, s == VRRP_STATE_MASTER ?
	    "MASTER_PRIORITY" : "BACKUP_PRIORITY", priority);
}
