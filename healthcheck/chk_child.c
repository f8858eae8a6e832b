/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The health-check subsystem: its entry in vigild's table of subsystems
 * and its child. The child runs the engine (healthcheck/engine.h) on the
 * configuration, keeps the real server states the parent hands over on a
 * respawn, moves the engine on reload, and reports every virtual and real
 * server to the parent ("virtual_server" / "real_server" records: state
 * "up" or "down", the last failure, the weight).
 */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <event2/event.h>

#include "addr.h"
#include "healthcheck/check.h"
#include "healthcheck/chk_attrs.h"
#include "healthcheck/chk_autoprio.h"
#include "healthcheck/chk_stats.h"
#include "healthcheck/check_proto.h"
#include "healthcheck/config.h"
#include "healthcheck/engine.h"
#include "healthcheck/ipvs_backend.h"
#include "healthcheck/lograte.h"
#include "htab.h"
#include "ipc_msg.h"
#include "ipvs.h"
#include "log.h"
#include "global_conf.h"
#include "proc.h"
#include "proc_rt.h"
#include "script.h"
#include "vrrp/config.h"
#include "vrrp/syncd.h"

struct chk_child {
	const struct proc_env *env;
	struct script_runner *scripts;
	struct chk_engine *eng;
	struct chk_stats *stats;	/* the kernel's IPVS counters */
	struct event *flush;		/* state records: once per turn */
	struct event *trim;		/* after a start or reload */
	struct htab known;		/* hand-over: real server states */
	int keep_ipvs;			/* -I: the kernel keeps vigil's services */
	unsigned reloads;
	/* lvs_sync_daemon without a vrrp_instance: master and backup */
	struct vrrp_syncd *syncd;
};

/* how long the scripts a stop starts (omega) may run */
#define CHK_STOP_SCRIPTS_USEC 1000000ULL

static const struct chk_conf *
chk_part(const struct vigil_config *cfg)
{
	return cfg->conf[CONF_OWNER_CHECK];
}

static void chk_autoprio_apply(const struct proc_env *env,
    const struct vigil_config *cfg);

static unsigned
chk_count_rs(const struct chk_conf *c)
{
	unsigned n = 0;

	for (const struct chk_vs_conf *vs = c->vs; vs != NULL; vs = vs->next)
		n += vs->nrs;
	return n;
}

/* "<virtual server> / [address]:port", the name of a real server (as
 * chk_rs_name() makes it at run time). */
static void
chk_rs_conf_name(const struct chk_vs_conf *vs, const struct chk_rs_conf *rs,
    char *buf, size_t len)
{
	char v[128];

	chk_rs_name_of(chk_conf_vs_name(vs, v, sizeof(v)), &rs->addr, rs->port,
	    buf, len);
}

static unsigned
chk_objects(const void *conf, subsys_obj_fn *fn, void *arg)
{
	const struct chk_conf *c = conf;
	char v[128], name[256];

	if (fn != NULL) {
		for (const struct chk_vs_conf *vs = c->vs; vs != NULL;
		    vs = vs->next) {
			size_t nv;

			fn(arg, "virtual_server", chk_conf_vs_name(vs, name,
			    sizeof(name)));
			/* that name once for all its real servers', cut as
			 * chk_rs_conf_name cuts it */
			if ((nv = strlen(name)) >= sizeof(v))
				nv = sizeof(v) - 1;
			memcpy(v, name, nv);
			v[nv] = '\0';
			for (const struct chk_rs_conf *rs = vs->rs; rs != NULL;
			    rs = rs->next) {
				chk_rs_name_of(v, &rs->addr, rs->port, name,
				    sizeof(name));
				fn(arg, "real_server", name);
			}
		}
	}
	return c->nvs;
}

/* ---- state records to the parent ---------------------------------------- */

static void
chk_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	struct chk_child *ch = arg;

	(void)fd;
	(void)what;
	if (proc_state_flush(ch->env->proc) < 0)
		log_warn("state records: cannot send to the parent");
}

static void
chk_put(struct chk_child *ch, struct ipc_obj *o)
{
	o->generation = proc_generation(ch->env->proc);
	if (proc_state_add(ch->env->proc, o) < 0)
		log_warn("state records: out of memory");
	event_active(ch->flush, EV_TIMEOUT, 1);
}

static void
chk_rs_obj(const struct chk_rsrun *rs, struct ipc_obj *o, char *name,
    size_t len, char *why, size_t wlen, struct ipc_attrs *a)
{
	ipc_attrs_init(a);
	chk_rs_attrs(rs, a);
	chk_rs_name(rs, name, len);
	memset(o, 0, sizeof(*o));
	o->kind = "real_server";
	o->name = name;
	o->state = rs->up < 0 ? "starting" : rs->up ? "up" : "down";
	o->detail = rs->up == 0 ? chk_rs_reason(rs, why, wlen) : "";
	o->weight = rs->up == 1 || rs->conf->inhibit_on_failure ?
	    (rs->up == 1 ? rs->weight : 0) : IPC_OBJ_NO_WEIGHT;
	o->since = (uint64_t)rs->since;
	o->attrs = a->buf;
}

static void
chk_vs_obj(const struct chk_vsrun *vs, struct ipc_obj *o, char *detail,
    size_t len, struct ipc_attrs *a)
{
	ipc_attrs_init(a);
	chk_vs_attrs(vs, a);
	memset(o, 0, sizeof(*o));
	o->kind = "virtual_server";
	o->name = vs->name;
	o->state = vs->quorum_up == 1 ? "up" : "down";
	snprintf(detail, len, "%u of %u real server(s) up, live weight %ld, "
	    "quorum %u%s%s", vs->nup, vs->nrs, vs->weight_sum,
	    vs->conf->quorum, vs->sorry_in ? "; sorry server in" : "",
	    vs->suspended ? "; checks suspended (ha_suspend)" : "");
	o->detail = detail;
	o->weight = (int32_t)vs->weight_sum;
	o->since = (uint64_t)vs->since;
	o->attrs = a->buf;
}

static void
chk_hook_rs(void *arg, const struct chk_rsrun *rs)
{
	struct chk_child *ch = arg;
	struct ipc_obj o;
	struct ipc_attrs a;
	char name[256], why[CHK_RS_REASON_LEN];

	chk_rs_obj(rs, &o, name, sizeof(name), why, sizeof(why), &a);
	chk_put(ch, &o);
}

/* remove-real: the parent sees it go; its next snapshot drops it */
static void
chk_hook_rs_gone(void *arg, const struct chk_rsrun *rs)
{
	struct chk_child *ch = arg;
	struct ipc_obj o;
	struct ipc_attrs a;
	char name[256], why[CHK_RS_REASON_LEN];

	chk_rs_obj(rs, &o, name, sizeof(name), why, sizeof(why), &a);
	o.state = "removed";
	o.detail = "removed at runtime (remove-real)";
	o.weight = IPC_OBJ_NO_WEIGHT;
	o.since = (uint64_t)time(NULL);
	chk_put(ch, &o);
}

/* a reload changed a real server: the parent forgets its override too */
static void
chk_hook_ovr_dropped(void *arg, const struct chk_vsrun *vs,
    const struct vg_addr *addr, unsigned port)
{
	struct chk_child *ch = arg;
	struct ipc_obj o;
	char name[256];

	chk_rs_name_of(vs->name, addr, port, name, sizeof(name));
	memset(&o, 0, sizeof(o));
	o.kind = "real_server";
	o.name = name;
	o.state = o.detail = o.attrs = "";
	o.flags = IPC_OBJ_OVERRIDE;
	o.weight = IPC_OBJ_NO_WEIGHT;
	chk_put(ch, &o);
}

/* the kernel's counters changed: only those keys (chk_stats.c) */
static void
chk_send_counters(void *arg, const char *kind, const char *name,
    const char *attrs)
{
	struct chk_child *ch = arg;
	struct ipc_obj o;

	memset(&o, 0, sizeof(o));
	o.kind = kind;
	o.name = name;
	o.state = o.detail = "";
	o.attrs = attrs;
	o.flags = IPC_OBJ_COUNTERS;
	o.weight = IPC_OBJ_NO_WEIGHT;
	chk_put(ch, &o);
}

static unsigned
chk_stats_interval_of(const struct chk_conf *c)
{
	return c->g.ipvs_stats_interval == CHK_INT_UNSET ?
	    CHK_STATS_INTERVAL_S : (unsigned)c->g.ipvs_stats_interval;
}

static void
chk_hook_vs(void *arg, const struct chk_vsrun *vs)
{
	struct chk_child *ch = arg;
	struct ipc_obj o;
	struct ipc_attrs a;
	char detail[192];

	chk_vs_obj(vs, &o, detail, sizeof(detail), &a);
	chk_put(ch, &o);
}

/*
 * A start or reload of many real servers holds large buffers for a while
 * (the configuration message and its tree, the snapshot on its way to the
 * parent, then the records of each real server's first result); once
 * they are freed, the heap pages they leave between long-lived objects go
 * back to the system: 5 s after the start or reload, and again 5 s after
 * every check it made has its first result (chk_hook_settled).
 */
#define CHK_TRIM_DELAY_USEC (5 * 1000000)

static void
chk_trim_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

static void
chk_trim_later(struct chk_child *ch)
{
	struct timeval tv = { CHK_TRIM_DELAY_USEC / 1000000, 0 };

	if (ch->trim != NULL)
		event_add(ch->trim, &tv);
}

/* Every check has its first result: the records of the real servers'
 * first states are on their way, and the heap they churned goes back. */
static void
chk_hook_settled(void *arg)
{
	chk_trim_later(arg);
}

/* ---- the hand-over: a respawned child keeps what its parent knew -------- */

struct known_ent {
	struct htab_node hnode;
	int up;
	char name[];
};

static size_t
known_hash(const struct htab_node *n)
{
	return htab_hash_str(HTAB_ENTRY(n, struct known_ent, hnode)->name);
}

static int
known_eq(const struct htab_node *n, const void *key)
{
	return strcmp(HTAB_ENTRY(n, struct known_ent, hnode)->name, key) == 0;
}

static unsigned
chk_known_load(struct chk_child *ch, const struct proc_handover *h)
{
	const char *p = h->data;
	size_t left = h->len;
	struct known_ent *k;
	struct ipc_obj o;
	unsigned n = 0;

	htab_init(&ch->known, known_hash, NULL);
	while (p != NULL && ipc_obj_next(&p, &left, &o) == 1) {
		if ((o.flags & IPC_OBJ_OVERRIDE) != 0 ||
		    strcmp(o.kind, "real_server") != 0 ||
		    (strcmp(o.state, "up") != 0 &&
		    strcmp(o.state, "down") != 0))
			continue;
		k = malloc(sizeof(*k) + strlen(o.name) + 1);
		if (k == NULL)
			break;
		k->up = strcmp(o.state, "up") == 0;
		strcpy(k->name, o.name);
		if (htab_add(&ch->known, &k->hnode) < 0) {
			free(k);
			break;
		}
		n++;
	}
	return n;
}

static void
chk_known_free(struct chk_child *ch)
{
	struct htab_iter it;
	struct htab_node *n, *next;

	for (n = htab_first(&ch->known, &it); n != NULL; n = next) {
		next = htab_next(&ch->known, &it);
		free(HTAB_ENTRY(n, struct known_ent, hnode));
	}
	htab_free(&ch->known);
}

static int
chk_known_name(void *arg, const char *name)
{
	struct chk_child *ch = arg;
	struct htab_node *n;

	if (ch->known.n == 0)
		return -1;
	n = htab_find(&ch->known, htab_hash_str(name), known_eq, name);
	return n != NULL ? HTAB_ENTRY(n, struct known_ent, hnode)->up : -1;
}

static int
chk_known(void *arg, const struct chk_vs_conf *vs,
    const struct chk_rs_conf *rs)
{
	struct chk_child *ch = arg;
	char name[256];

	if (ch->known.n == 0)
		return -1;
	chk_rs_conf_name(vs, rs, name, sizeof(name));
	return chk_known_name(ch, name);
}

/* ---- the child's ops ------------------------------------------------------ */

static void chk_child_stop(void *state);

/* ---- lvs_sync_daemon without a vrrp_instance ------------------------------ */

/*
 * keepalived's checker runs the master and the backup sync daemon when
 * lvs_sync_daemon names no vrrp_instance to follow (the VRRP child runs
 * the one that follows an instance).
 */
static void
chk_syncd_apply(struct chk_child *ch, const struct vigil_config *cfg)
{
	const struct vrrp_conf *vc = cfg->conf[CONF_OWNER_VRRP];
	const struct vrrp_conf_syncd *c = vc != NULL ? &vc->g.lvs_syncd : NULL;

	if (c != NULL && (!c->set || c->instance != NULL))
		c = NULL;
	if (ch->syncd == NULL &&
	    (c == NULL || (ch->syncd = vrrp_syncd_new_kernel()) == NULL))
		return;
	vrrp_syncd_configure(ch->syncd, c, VRRP_STATE_INIT);
}

static void
chk_syncd_free(struct chk_child *ch)
{
	if (ch->syncd == NULL)
		return;
	vrrp_syncd_stop(ch->syncd);
	vrrp_syncd_free(ch->syncd);
	ch->syncd = NULL;
}

/* IPVS when the kernel has it, else the logging backend. */
static chk_stats_ready_fn chk_stats_ready;

static const struct dp_backend_ops *
chk_backend(void)
{
	int r = dp_ipvs_available();

	if (r == 0)
		return &dp_ipvs_backend;
	log_warn("IPVS: not available (%s): the desired table is only "
	    "logged", r == -ENOENT ? "the kernel has no IPVS" : strerror(-r));
	return &dp_log_backend;
}

static void *
chk_child_start(const struct proc_env *env, const struct vigil_config *cfg,
    const struct proc_handover *h)
{
	struct chk_child *ch = calloc(1, sizeof(*ch));
	const struct chk_conf *c = chk_part(cfg);
	struct chk_engine_hooks hooks = { chk_hook_rs, chk_hook_vs, ch,
	    chk_hook_rs_gone, chk_hook_ovr_dropped, chk_hook_settled };
	unsigned nknown, novr;

	if (ch == NULL)
		return NULL;
	ch->env = env;
	/* built and read-only from now on: its chunks' unused room goes */
	if (c != NULL)
		arena_trim(c->arena);
	/* as the VRRP child's (vrrp_process_apply): nice and mlockall,
	 * the realtime priority, then the CPUs */
	proc_sched_apply("checker", c->g.checker_priority,
	    c->g.checker_no_swap, 0, NULL);
	if (c->g.checker_rt_priority > 0)
		proc_rt_apply(env->base, "checker", "health-check",
		    c->g.checker_rt_priority, c->g.checker_rlimit_rttime);
	proc_sched_apply("checker", 0, 0, c->g.checker_cpu_mask,
	    c->g.checker_cpu_affinity);
	chk_autoprio_apply(env, cfg);
	/* before the first IPVS socket: net_namespace_ipvs */
	if (ipvs_set_netns(c->g.net_namespace_ipvs) < 0)
		log_err("net_namespace_ipvs: out of memory");
	else if (c->g.net_namespace_ipvs != NULL)
		log_info("net_namespace_ipvs: IPVS is programmed in network "
		    "namespace %s", c->g.net_namespace_ipvs[0] != '\0' ?
		    c->g.net_namespace_ipvs : "of pid 1 (the initial one)");
	if (c->g.net_namespace_ipvs != NULL &&
	    cfg->conf[CONF_OWNER_VRRP] != NULL) {
		const struct vrrp_conf *vc = cfg->conf[CONF_OWNER_VRRP];

		if (vc->g.lvs_syncd.set && vc->g.lvs_syncd.instance != NULL)
			log_warn("net_namespace_ipvs: the sync daemon of "
			    "lvs_sync_daemon following %s (the VRRP child's) "
			    "runs in vigild's own namespace: its "
			    "net_namespace_ipvs is not supported yet",
			    vc->g.lvs_syncd.instance);
	}
	nknown = chk_known_load(ch, h);
	log_info("LVS configuration loaded: %u virtual server(s), %u real "
	    "server(s), %u group(s); %u object(s) handed over, %u real "
	    "server state(s) kept", c->nvs, chk_count_rs(c), c->ngroups,
	    h->count, nknown);
	ch->flush = event_new(env->base, -1, 0, chk_flush_cb, ch);
	ch->trim = evtimer_new(env->base, chk_trim_cb, ch);
	ch->scripts = script_runner_new(env->base, env->reaper);
	ch->keep_ipvs = (env->flags & PROC_F_DONT_RELEASE_IPVS) != 0;
	ch->eng = chk_engine_new(env->base, ch->scripts, chk_backend(),
	    &hooks);
	if (ch->eng != NULL) {
		dp_table_config(ch->eng->dp, c);
		ch->stats = chk_stats_new(env->base, ch->eng,
		    chk_send_counters, ch);
		if (ch->stats == NULL)
			log_warn("IPVS counters: out of memory; not read");
		chk_stats_on_ready(ch->stats, chk_stats_ready, ch);
		chk_stats_interval(ch->stats, chk_stats_interval_of(c));
	}
	if (ch->eng != NULL &&
	    chk_proto_setup(chk_engine_env(ch->eng), cfg) < 0)
		log_warn("script_user unknown: MISC_CHECK scripts without a "
		    "user run as the default script user");
	if (ch->eng != NULL) {
		(void)chk_fifo_apply(ch->eng, cfg);
		(void)chk_mail_apply(ch->eng, cfg);
	}
	if (ch->flush == NULL || ch->scripts == NULL || ch->eng == NULL ||
	    chk_engine_start(ch->eng, c, chk_known, ch) < 0) {
		chk_known_free(ch);
		chk_child_stop(ch);
		return NULL;
	}
	chk_syncd_apply(ch, cfg);
	chk_trim_later(ch);
	novr = chk_cmd_handover(ch->eng, h, chk_known_name, ch);
	if (novr > 0)
		log_info("%u runtime override(s) handed over and applied", novr);
	chk_known_free(ch);
	return ch;
}

/* max_auto_priority and min_auto_priority_delay (global_defs) */
static void
chk_autoprio_apply(const struct proc_env *env, const struct vigil_config *cfg)
{
	const struct global_conf *g = cfg->conf[CONF_OWNER_GLOBAL];
	const struct chk_conf *c = chk_part(cfg);

	chk_autoprio_set(env->base, g != NULL ? g->max_auto_priority : 0,
	    g != NULL ? g->min_auto_priority_delay : 0,
	    c != NULL ? c->g.checker_rlimit_rttime : 0);
}

static int
chk_child_reload(void *state, const struct vigil_config *old,
    const struct vigil_config *new, char *msg, size_t msglen)
{
	struct chk_child *ch = state;
	struct chk_conf_diff d;

	if (chk_part(new) != NULL)
		arena_trim(chk_part(new)->arena);
	if (chk_part(old) != NULL && chk_part(new) != NULL) {
		const char *a = chk_part(old)->g.net_namespace_ipvs;
		const char *b = chk_part(new)->g.net_namespace_ipvs;

		/* keepalived asks for a restart too */
		if ((a == NULL) != (b == NULL) ||
		    (a != NULL && strcmp(a, b) != 0))
			log_warn("net_namespace_ipvs cannot change at a reload: "
			    "IPVS stays in %s; restart vigild to move it",
			    a == NULL ? "vigild's own namespace" :
			    a[0] == '\0' ? "the initial namespace" : a);
	}
	dp_table_config(ch->eng->dp, chk_part(new));
	chk_stats_interval(ch->stats, chk_stats_interval_of(chk_part(new)));
	/* before the old generation goes: FILE_CHECK's lookup points in */
	(void)chk_proto_setup(chk_engine_env(ch->eng), new);
	(void)chk_fifo_apply(ch->eng, new);
	(void)chk_mail_apply(ch->eng, new);
	/* the parent logged each change (chk_conf_diff_text); the counts
	 * go back to it in msg, from the engine's own pass over the two */
	memset(&d, 0, sizeof(d));
	if (chk_engine_reload_diff(ch->eng, chk_part(old), chk_part(new),
	    &d) < 0)
		log_err("reload: out of memory; some real servers are not "
		    "checked");
	chk_syncd_apply(ch, new);
	chk_autoprio_apply(ch->env, new);
	ch->reloads++;
	chk_trim_later(ch);
	snprintf(msg, msglen, "virtual servers: %u unchanged, %u changed, "
	    "%u added, %u removed; real servers: %u unchanged, %u changed, "
	    "%u added, %u removed", d.vs.unchanged, d.vs.changed, d.vs.added,
	    d.vs.removed, d.rs.unchanged, d.rs.changed, d.rs.added,
	    d.rs.removed);
	return 0;
}

static void
chk_child_dump(void *state, const struct vigil_config *cfg, FILE *fp)
{
	struct chk_child *ch = state;

	fprintf(fp, " Configuration generation = %u\n", cfg->generation);
	fprintf(fp, " Reloads = %u\n", ch->reloads);
	if (ch->syncd != NULL) {
		char d[256];

		fprintf(fp, " LVS sync daemon = %s\n",
		    vrrp_syncd_describe(ch->syncd, d, sizeof(d)));
	}
	chk_engine_dump(ch->eng, fp);
	chk_stats_dump(ch->stats, fp);
	chk_conf_dump(chk_part(cfg), fp);
}

struct snap {
	struct proc *p;
	struct ipc_attrs a;
};

static void
chk_snap_vs(void *arg, const struct chk_vsrun *vs)
{
	struct snap *s = arg;
	struct ipc_obj o;
	char detail[192];

	chk_vs_obj(vs, &o, detail, sizeof(detail), &s->a);
	o.generation = proc_generation(s->p);
	(void)proc_state_add(s->p, &o);
}

static void
chk_snap_rs(void *arg, const struct chk_rsrun *rs)
{
	struct snap *s = arg;
	struct ipc_obj o;
	char name[256], why[CHK_RS_REASON_LEN];

	chk_rs_obj(rs, &o, name, sizeof(name), why, sizeof(why), &s->a);
	o.generation = proc_generation(s->p);
	(void)proc_state_add(s->p, &o);
}

static void
chk_child_snapshot(void *state, const struct vigil_config *cfg,
    struct proc *p)
{
	struct chk_child *ch = state;
	struct snap *s = malloc(sizeof(*s));

	(void)cfg;
	if (s == NULL) {
		log_warn("snapshot: out of memory");
		return;
	}
	s->p = p;
	chk_engine_walk(ch->eng, chk_snap_vs, chk_snap_rs, s);
	free(s);
}

static int
chk_child_asked(void *state)
{
	struct chk_child *ch = state;

	return chk_stats_asked(ch->stats) > 0 ? CHK_STATS_HOLD_S * 1000 : 0;
}

/* the counters round a snapshot waited for is over */
static void
chk_stats_ready(void *arg)
{
	struct chk_child *ch = arg;

	proc_snapshot_ready(ch->env->proc);
}

static int
chk_child_command(void *state, int argc, const char *const argv[], FILE *out)
{
	struct chk_child *ch = state;

	return chk_cmd_run(ch->eng, argc, argv, out);
}

static void
chk_child_stop(void *state)
{
	struct chk_child *ch = state;

	if (ch == NULL)
		return;
	chk_stats_free(ch->stats);	/* before the engine it reads */
	chk_syncd_free(ch);
	/* -I, or a restart by the parent: the next child adopts them */
	if (ch->env->flags & PROC_F_DONT_RELEASE_IPVS)
		ch->keep_ipvs = 1;
	if (ch->eng != NULL && ch->keep_ipvs)
		dp_table_hold(ch->eng->dp);	/* leave them */
	/* omega's notify_down / quorum_down scripts, started as the engine
	 * stops, get a second to run (keepalived's bound), then the rest
	 * is killed */
	if (chk_engine_free(ch->eng, !ch->keep_ipvs) > 0)
		script_runner_finish(ch->scripts, CHK_STOP_SCRIPTS_USEC);
	else if (ch->scripts != NULL)
		script_runner_free(ch->scripts);
	if (ch->flush != NULL)
		event_free(ch->flush);
	if (ch->trim != NULL)
		event_free(ch->trim);
	chk_autoprio_free();
	proc_rt_stop();
	free(ch);
}

/* BFD_CHECK: the sessions the BFD child reports, passed on by the parent */
static void
chk_child_peer_state(void *state, const struct ipc_obj *o)
{
	struct chk_child *ch = state;
	char on[8], st[16];

	/* a session whose block says vrrp only is not the checker's */
	if (strcmp(o->kind, "bfd_instance") != 0 ||
	    (ipc_attrs_get(o->attrs, "to_checker", on, sizeof(on)) &&
	    strcmp(on, "0") == 0))
		return;
	/* what the session means to its clients: a Down the peer's
	 * AdminDown caused is no path failure (RFC 5882 3.2) */
	if (!ipc_attrs_get(o->attrs, "client_state", st, sizeof(st)))
		snprintf(st, sizeof(st), "%s", o->state);
	if (chk_bfd_set(chk_engine_env(ch->eng), o->name, st) < 0)
		log_err("BFD_CHECK: out of memory for the state of %s",
		    o->name);
}

static const struct proc_ops chk_proc_ops = {
	.start = chk_child_start,
	.reload = chk_child_reload,
	.dump = chk_child_dump,
	.snapshot = chk_child_snapshot,
	.asked = chk_child_asked,
	.command = chk_child_command,
	.peer_state = chk_child_peer_state,
	.stop = chk_child_stop,
	/* the typed configuration holds all it reads (global_defs' too):
	 * the tree, about 250 bytes a real server, goes once it is built */
	.drop_tree = 1,
};

static void *
chk_new(struct arena *a)
{
	return chk_conf_new(a);
}

static int
chk_finalize(void *conf, struct conf_diag *d)
{
	return chk_conf_finalize(conf, d) != 0 ? -1 : 0;
}

static void
chk_dump(const void *conf, FILE *fp)
{
	chk_conf_dump(conf, fp);
}

/* FILE_CHECK names the top-level track_file blocks VRRP parses,
 * BFD_CHECK the bfd_instance blocks, whose sessions' states it follows. */
static const char *const chk_borrows[] = { "track_file", "bfd_instance",
	NULL };
static const char *const chk_follows[] = { "bfd_instance", NULL };

const struct subsys chk_subsys = {
	.name = "checker",
	.owner = CONF_OWNER_CHECK,
	.only_opt = 'C',
	.pid_file = "/run/vigild-checkers.pid",
	.conf_register = chk_conf_register,
	.conf_new = chk_new,
	.conf_finalize = chk_finalize,
	.conf_dump = chk_dump,
	.conf_objects = chk_objects,
	.conf_host_check = chk_conf_host_check,
	.conf_diff_text = chk_conf_diff_text,
	.proc = &chk_proc_ops,
	.borrows = chk_borrows,
	.follows = chk_follows,
};
