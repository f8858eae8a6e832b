/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SNMP subsystem: its entry in vigild's table and its child. The child
 * keeps a mirror of the parent's state store, one per reporting child,
 * fed by SNMP_MSG_FEED; it builds the view the agent answers from when a
 * request comes and what it shows changed; it turns the feed's state
 * changes into notifications; a write becomes a runtime command to the
 * parent (SNMP_MSG_CMD).
 *
 * Its configuration: global_defs (enable_snmp_*, enable_traps,
 * snmp_socket), vigild's -x and -A, and the VRRP and checker statements it
 * borrows to show configured values.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "bfd/config.h"
#include "global_conf.h"
#include "healthcheck/config.h"
#include "log.h"
#include "loop.h"
#include "proc.h"
#include "snmp.h"
#include "subsys.h"
#include "vrrp/config.h"

#ifdef HAVE_SNMP
#include "snmp_int.h"
#endif

static struct {
	int snmp;		/* -x */
	const char *socket;	/* -A */
} opt;

void
snmp_child_options(int snmp, const char *socket)
{
	opt.snmp = snmp;
	opt.socket = socket;
}

/* ---- configuration: nothing of its own --------------------------------- */

struct snmp_conf {
	int unused;
};

static int
snmp_conf_register(struct conf_registry *r)
{
	(void)r;
	return 0;
}

static void *
snmp_conf_new(struct arena *a)
{
	return arena_calloc(a, 1, sizeof(struct snmp_conf));
}

/* Every top-level statement of the VRRP and checker subsystems. */
static const char *const snmp_borrows[] = {
	"vrrp_instance", "vrrp_sync_group", "vrrp_script", "vrrp_track_file",
	"vrrp_track_process", "track_file", "track_group", "garp_group",
	"static_ipaddress", "static_routes", "static_rules",
	"linkbeat_interfaces", "linkbeat_use_polling",
	"interface_up_down_delays", "bfd_instance", "virtual_server",
	"virtual_server_group", "SSL", NULL
};

#ifdef HAVE_SNMP

/* Snapshots asked of the VRRP child this often while traps are on (its
 * error counters drive vrrpTrapAuthFailure and vrrpv3ProtoError), and of
 * every child at most this often while the agent is polled. */
#define SNMP_REFRESH_TRAPS_USEC (5ULL * 1000000)
#define SNMP_REFRESH_POLL_USEC (10ULL * 1000000)

struct snmp_child {
	const struct proc_env *env;
	const struct vigil_config *cfg;
	struct state_store mirror[CONF_OWNER_MAX];
	struct snmp_settings set;
	struct snmp_agent *agent;
	struct snmp_view view;
	int stale;		/* the view is out of date */
	time_t started;
	uint32_t cmd_seq;
	struct loop_timer *refresh;	/* VRRP snapshots, traps on */
	uint64_t polled_refresh;	/* last refresh a request asked */
};

static void
ask_refresh(struct snmp_child *c, uint32_t owners)
{
	struct snmp_refresh r = { owners };

	if (proc_send(c->env->proc, SNMP_MSG_REFRESH, &r, sizeof(r)) < 0)
		log_debug("cannot ask the parent for fresh state");
}

static void
refresh_tick(struct loop_timer *t, void *arg)
{
	struct snmp_child *c = arg;

	(void)t;
	if (c->set.traps && (c->set.mibs & (SNMP_MIB_RFCV2 | SNMP_MIB_RFCV3)))
		ask_refresh(c, CONF_OWNER_BIT(CONF_OWNER_VRRP));
}

static void
settings_of(const struct vigil_config *cfg, struct snmp_settings *s)
{
	const struct global_conf *g = cfg->conf[CONF_OWNER_GLOBAL];
	const struct chk_conf *k = cfg->conf[CONF_OWNER_CHECK];
	const char *sock = opt.socket != NULL ? opt.socket :
	    g != NULL ? g->snmp_socket : NULL;

	memset(s, 0, sizeof(*s));
	if (opt.snmp)
		s->mibs = SNMP_MIB_VRRP | SNMP_MIB_CHECKER | SNMP_MIB_RFCV2 |
		    SNMP_MIB_RFCV3;
	if (g != NULL) {
		if (g->enable_snmp_vrrp)
			s->mibs |= SNMP_MIB_VRRP;
		if (g->enable_snmp_rfcv2)
			s->mibs |= SNMP_MIB_RFCV2;
		if (g->enable_snmp_rfcv3)
			s->mibs |= SNMP_MIB_RFCV3;
		s->traps = g->enable_traps;
	}
	if (k != NULL && k->g.enable_snmp_checker)
		s->mibs |= SNMP_MIB_CHECKER;
	if (sock != NULL)
		snprintf(s->socket, sizeof(s->socket), "%s", sock);
}

static void
ctx_of(const struct snmp_child *c, struct snmp_ctx *x)
{
	x->g = c->cfg->conf[CONF_OWNER_GLOBAL];
	x->vrrp = c->cfg->conf[CONF_OWNER_VRRP];
	x->chk = c->cfg->conf[CONF_OWNER_CHECK];
	x->bfd = c->cfg->conf[CONF_OWNER_BFD];
	x->vrrp_st = &c->mirror[CONF_OWNER_VRRP];
	x->chk_st = &c->mirror[CONF_OWNER_CHECK];
	x->set = &c->set;
	x->started = c->started;
}

static struct snmp_view *
child_view(void *arg)
{
	struct snmp_child *c = arg;
	struct snmp_ctx x;

	/* counters are as fresh as the last snapshot: a poll asks for new
	 * ones (for the next poll), at most every SNMP_REFRESH_POLL_USEC */
	if (loop_now_usec() - c->polled_refresh >= SNMP_REFRESH_POLL_USEC) {
		c->polled_refresh = loop_now_usec();
		ask_refresh(c, CONF_OWNER_BIT(CONF_OWNER_VRRP) |
		    CONF_OWNER_BIT(CONF_OWNER_CHECK));
	}
	if (!c->stale)
		return &c->view;
	ctx_of(c, &x);
	snmp_view_reset(&c->view);
	snmp_mib_keepalived(&c->view, &x);
	snmp_mib_rfc(&c->view, &x);
	snmp_view_sort(&c->view);
	c->stale = 0;
	return &c->view;
}

/* The view for a notification's values: rebuilt if stale, no refresh
 * asked (that is for polls). */
static struct snmp_view *
trap_view(void *arg)
{
	struct snmp_child *c = arg;
	uint64_t asked = c->polled_refresh;
	struct snmp_view *w;

	c->polled_refresh = loop_now_usec();
	w = child_view(c);
	c->polled_refresh = asked;
	return w;
}

/* Send argv to the parent as a runtime command (SNMP_MSG_CMD). */
static int
send_cmd(struct snmp_child *c, int argc, char **argv)
{
	void *buf;
	size_t len;

	if ((buf = ipc_cmd_encode(++c->cmd_seq, argc, argv, &len)) == NULL)
		return SNMP_ERR_RESOURCEUNAVAILABLE;
	if (proc_send(c->env->proc, SNMP_MSG_CMD, buf, len) < 0) {
		free(buf);
		return SNMP_ERR_COMMITFAILED;
	}
	free(buf);
	return SNMP_ERR_NOERROR;
}

/*
 * A write: checked (wrongValue for a value keepalived would refuse or
 * vigil cannot take), then sent to the parent as the runtime command
 * the child that owns the object applies: a real server's weight
 * (set-weight VS REAL W, 0-65535), an instance's base priority
 * (set-priority INSTANCE P, 1-254: 255 is the address owner's) or
 * preemption (set-preempt INSTANCE on|off: TruthValue 1 or 2).
 */
static int
child_write(void *arg, const struct snmp_vb *b, long value, int commit)
{
	struct snmp_child *c = arg;
	char w[24];
	char *argv[4];

	switch (b->write) {
	case SNMP_VB_RS_WEIGHT:
		if (b->w1 == NULL || b->w2 == NULL)
			return SNMP_ERR_NOTWRITABLE;
		if (value < 0 || value > 65535)
			return SNMP_ERR_WRONGVALUE;
		if (!commit)
			return SNMP_ERR_NOERROR;
		snprintf(w, sizeof(w), "%ld", value);
		argv[0] = "set-weight";
		argv[1] = (char *)b->w1;
		argv[2] = (char *)b->w2;
		argv[3] = w;
		log_info("SNMP set: real server %s in %s: weight %ld", b->w2,
		    b->w1, value);
		return send_cmd(c, 4, argv);
	case SNMP_VB_INST_PRIORITY:
		if (b->w1 == NULL)
			return SNMP_ERR_NOTWRITABLE;
		if (value < 1 || value > 254)
			return SNMP_ERR_WRONGVALUE;
		/* the address owner keeps 255 (the VRRP child refuses) */
		if (b->i == 255)
			return SNMP_ERR_INCONSISTENTVALUE;
		if (!commit)
			return SNMP_ERR_NOERROR;
		snprintf(w, sizeof(w), "%ld", value);
		argv[0] = "set-priority";
		argv[1] = (char *)b->w1;
		argv[2] = w;
		log_info("SNMP set: instance %s: base priority %ld", b->w1,
		    value);
		return send_cmd(c, 3, argv);
	case SNMP_VB_INST_PREEMPT:
		if (b->w1 == NULL)
			return SNMP_ERR_NOTWRITABLE;
		if (value != 1 && value != 2)
			return SNMP_ERR_WRONGVALUE;
		if (!commit)
			return SNMP_ERR_NOERROR;
		argv[0] = "set-preempt";
		argv[1] = (char *)b->w1;
		argv[2] = value == 1 ? "on" : "off";
		log_info("SNMP set: instance %s: preemption %s", b->w1,
		    argv[2]);
		return send_cmd(c, 3, argv);
	default:
		return SNMP_ERR_NOTWRITABLE;
	}
}

/* ---- the feed ----------------------------------------------------------- */

struct change {
	char *kind, *name, *state, *attrs;
};

static void
feed_apply(struct snmp_child *c, const void *data, size_t len)
{
	struct snmp_feed f;
	struct ipc_state h;
	struct state_store *st;
	const char *p;
	size_t left;
	struct ipc_obj r;
	struct change *ch = NULL;
	size_t nch = 0, cap = 0;
	char *copy;
	int rc;

	if (len < sizeof(f) + sizeof(h)) {
		log_warn("feed: short message (%zu bytes); dropped", len);
		return;
	}
	memcpy(&f, data, sizeof(f));
	if (f.owner >= CONF_OWNER_MAX || f.owner == CONF_OWNER_SNMP) {
		log_warn("feed: from unknown owner %u; dropped", f.owner);
		return;
	}
	st = &c->mirror[f.owner];
	data = (const char *)data + sizeof(f);
	len -= sizeof(f);
	/* what changed, before it is applied */
	p = (const char *)data + sizeof(h);
	left = len - sizeof(h);
	while ((rc = ipc_obj_next(&p, &left, &r)) > 0) {
		const struct state_obj *o = state_find(st, r.kind, r.name);
		const char *os = o != NULL ? o->state : "";
		const char *oa = o != NULL && o->attrs != NULL ? o->attrs : "";

		if (r.flags & IPC_OBJ_COUNTERS)
			continue;	/* counters never make a trap */
		if (strcmp(os, r.state) == 0 && strcmp(oa, r.attrs) == 0)
			continue;
		if (o == NULL || strcmp(r.state, "not started") == 0)
			continue;	/* nothing to tell yet */
		if (nch == cap) {
			size_t n = cap ? cap * 2 : 16;
			struct change *v = realloc(ch, n * sizeof(*v));

			if (v == NULL)
				break;
			ch = v;
			cap = n;
		}
		ch[nch].kind = strdup(r.kind);
		ch[nch].name = strdup(r.name);
		ch[nch].state = strdup(os);
		ch[nch].attrs = strdup(oa);
		if (ch[nch].kind == NULL || ch[nch].name == NULL ||
		    ch[nch].state == NULL || ch[nch].attrs == NULL) {
			free(ch[nch].kind);
			free(ch[nch].name);
			free(ch[nch].state);
			free(ch[nch].attrs);
			break;
		}
		nch++;
	}
	/* the end of a snapshot whose beginning came before this child was
	 * handed the store: its records are events */
	memcpy(&h, data, sizeof(h));
	copy = NULL;
	if ((h.flags & IPC_STATE_END) && !(h.flags & IPC_STATE_BEGIN) &&
	    !st->receiving && (copy = malloc(len)) != NULL) {
		memcpy(copy, data, len);
		h.flags &= ~(uint32_t)IPC_STATE_END;
		memcpy(copy, &h, sizeof(h));
		data = copy;
	}
	if (state_ipc(st, data, len) < 0)
		log_warn("feed: malformed state report from owner %u; what "
		    "came before the bad record is kept", f.owner);
	free(copy);
	c->stale = 1;
	if (nch > 0) {
		struct snmp_ctx x;

		ctx_of(c, &x);
		for (size_t i = 0; i < nch; i++)
			snmp_trap_change(c->agent, trap_view, c, &x,
			    ch[i].kind, ch[i].name, ch[i].state, ch[i].attrs);
	}
	for (size_t i = 0; i < nch; i++) {
		free(ch[i].kind);
		free(ch[i].name);
		free(ch[i].state);
		free(ch[i].attrs);
	}
	free(ch);
}

static void
cmd_reply(const void *data, size_t len)
{
	struct ipc_cmd_reply r;

	if (len < sizeof(r))
		return;
	memcpy(&r, data, sizeof(r));
	if (r.status == IPC_CMD_OK)
		log_info("SNMP set %u: done: %.*s", r.id,
		    (int)(len - sizeof(r)), (const char *)data + sizeof(r));
	else
		log_warn("SNMP set %u: %s: %.*s", r.id,
		    ipc_cmd_status_name(r.status), (int)(len - sizeof(r)),
		    (const char *)data + sizeof(r));
}

/* ---- ops ---------------------------------------------------------------- */

static void *
snmp_child_start(const struct proc_env *env, const struct vigil_config *cfg,
    const struct proc_handover *h)
{
	struct snmp_child *c = calloc(1, sizeof(*c));

	(void)h;
	if (c == NULL)
		return NULL;
	c->env = env;
	c->cfg = cfg;
	c->started = time(NULL);
	c->stale = 1;
	for (int i = 0; i < CONF_OWNER_MAX; i++)
		state_init(&c->mirror[i]);
	settings_of(cfg, &c->set);
	if ((c->refresh = loop_timer_new(env->base, refresh_tick, c)) == NULL ||
	    loop_timer_start(c->refresh, SNMP_REFRESH_TRAPS_USEC, 1) < 0 ||
	    snmp_view_init(&c->view) < 0 ||
	    (c->agent = snmp_agent_start(env->base, &c->set, child_view,
	    child_write, c)) == NULL) {
		log_err("cannot start the SNMP subagent");
		loop_timer_free(c->refresh);
		snmp_view_fini(&c->view);
		free(c);
		return NULL;
	}
	log_info("SNMP: serving%s%s%s%s; traps %s",
	    c->set.mibs & SNMP_MIB_VRRP ? " KEEPALIVED-MIB (vrrp)" : "",
	    c->set.mibs & SNMP_MIB_CHECKER ? " KEEPALIVED-MIB (checker)" : "",
	    c->set.mibs & SNMP_MIB_RFCV2 ? " VRRP-MIB" : "",
	    c->set.mibs & SNMP_MIB_RFCV3 ? " VRRPv3-MIB" : "",
	    c->set.traps ? "on" : "off");
	return c;
}

static int
snmp_child_reload(void *state, const struct vigil_config *old,
    const struct vigil_config *new, char *msg, size_t msglen)
{
	struct snmp_child *c = state;
	struct snmp_settings s;

	(void)old;
	settings_of(new, &s);
	if (strcmp(s.socket, c->set.socket) != 0) {
		/* net-snmp's session is process-wide: start over */
		snprintf(msg, msglen, "snmp_socket changed (%s -> %s): the "
		    "SNMP child restarts to reconnect",
		    c->set.socket[0] ? c->set.socket : "default",
		    s.socket[0] ? s.socket : "default");
		return -1;
	}
	c->set = s;
	c->cfg = new;
	c->stale = 1;
	snprintf(msg, msglen, "serving MIBs 0x%x, traps %s", s.mibs,
	    s.traps ? "on" : "off");
	return 0;
}

static void
snmp_child_dump(void *state, const struct vigil_config *cfg, FILE *fp)
{
	struct snmp_child *c = state;

	(void)cfg;
	fprintf(fp, "SNMP subagent: master agent %s: %s\n",
	    c->set.socket[0] ? c->set.socket : "unix:/var/agentx/master",
	    snmp_agent_connected(c->agent) ? "connected" : "not connected");
	for (int i = 0; i < CONF_OWNER_MAX; i++)
		if (c->mirror[i].objs.n > 0)
			fprintf(fp, " mirror of owner %d: %zu object(s)\n", i,
			    c->mirror[i].objs.n);
	fprintf(fp, " view: %zu value(s)%s\n", c->view.n,
	    c->stale ? " (stale)" : "");
}

static int
snmp_child_dispatch(void *state, uint32_t type, const void *data, size_t len)
{
	struct snmp_child *c = state;

	switch (type) {
	case SNMP_MSG_FEED:
		feed_apply(c, data, len);
		return 0;
	case SNMP_MSG_CMD_REPLY:
		cmd_reply(data, len);
		return 0;
	default:
		return -1;
	}
}

static void
snmp_child_stop(void *state)
{
	struct snmp_child *c = state;

	snmp_agent_stop(c->agent);
	loop_timer_free(c->refresh);
	snmp_view_fini(&c->view);
	for (int i = 0; i < CONF_OWNER_MAX; i++)
		state_fini(&c->mirror[i]);
	free(c);
}

static const struct proc_ops snmp_proc_ops = {
	.start = snmp_child_start,
	.reload = snmp_child_reload,
	.dump = snmp_child_dump,
	.dispatch = snmp_child_dispatch,
	.stop = snmp_child_stop,
};

#endif /* HAVE_SNMP */

const struct subsys snmp_subsys = {
	.name = "snmp",
	.owner = CONF_OWNER_SNMP,
	.pid_file = NULL,	/* keepalived has none for it either */
	.conf_register = snmp_conf_register,
	.conf_new = snmp_conf_new,
#ifdef HAVE_SNMP
	.proc = &snmp_proc_ops,
#endif
	.borrows = snmp_borrows,
};
