/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runtime commands: find the owner, check the object, forward, record.
 * The override is recorded only once the child has done the command (so
 * status never shows a change that did not happen), or at once when the
 * child is down and will be handed it when it starts again.
 */
#include "autoconfig.h"

#include "route.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc_msg.h"
#include "log.h"
#include "loop.h"
#include "objname.h"
#include "state.h"
#include "subsys.h"
#include "supervisor_int.h"

#define ROUTE_MAX_WEIGHT 65535

enum rec {
	REC_DRAIN, REC_UNDRAIN, REC_WEIGHT, REC_ADD, REC_REMOVE, REC_FORCE,
	REC_RELEASE, REC_PRIORITY, REC_PREEMPT,
};

static const struct {
	const char *cmd;
	const char *owner;	/* the subsystem's name */
	enum rec rec;
	int min, max;		/* argc */
	int vs_at;		/* where VS stands (0: nowhere) */
	const char *usage;
} cmds[] = {
	{ "drain", "checker", REC_DRAIN, 2, 3, 2, "drain REAL [VS]" },
	{ "undrain", "checker", REC_UNDRAIN, 2, 3, 2, "undrain REAL [VS]" },
	{ "set-weight", "checker", REC_WEIGHT, 4, 4, 1,
	    "set-weight VS REAL W" },
	{ "add-real", "checker", REC_ADD, 3, IPC_CMD_MAX_ARGS, 1,
	    "add-real VS REAL [weight W] [check ...]" },
	{ "remove-real", "checker", REC_REMOVE, 3, 3, 1,
	    "remove-real VS REAL" },
	{ "force-backup", "vrrp", REC_FORCE, 2, 2, 0,
	    "force-backup INSTANCE" },
	{ "release", "vrrp", REC_RELEASE, 2, 2, 0, "release INSTANCE" },
	{ "set-priority", "vrrp", REC_PRIORITY, 3, 3, 0,
	    "set-priority INSTANCE PRIORITY" },
	{ "set-preempt", "vrrp", REC_PREEMPT, 3, 3, 0,
	    "set-preempt INSTANCE on|off" },
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

struct route_req {
	struct route_req *next;
	struct supervisor *sv;
	route_fn *fn;
	void *arg;
	struct loop_timer *timer;	/* an answer of the parent's own */
	int status;
	char *text;
	size_t len;
	struct slot *slot;
	unsigned cmd;		/* index in cmds */
	char *argv0;		/* for the log */
	/* what to record: objects of kind in slot's store */
	const char *kind;
	char **names;
	size_t nnames;
	int32_t weight;
	char *attrs;		/* REC_ADD */
};

int
route_known(const char *cmd)
{
	for (size_t i = 0; i < NCMDS; i++)
		if (strcmp(cmds[i].cmd, cmd) == 0)
			return 1;
	return 0;
}

/* ---- requests ------------------------------------------------------------- */

static void
req_free(struct route_req *r)
{
	for (struct route_req **pp = &r->sv->routes; *pp != NULL;
	    pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	loop_timer_free(r->timer);
	for (size_t i = 0; i < r->nnames; i++)
		free(r->names[i]);
	free(r->names);
	free(r->attrs);
	free(r->text);
	free(r->argv0);
	free(r);
}

static void
req_fire(struct loop_timer *t, void *arg)
{
	struct route_req *r = arg;

	(void)t;
	if (r->fn != NULL)
		r->fn(r->arg, r->status, r->text != NULL ? r->text : "",
		    r->len);
	req_free(r);
}

/* Answer from the loop, not from inside route_command(). */
static void
__attribute__((format(printf, 3, 4)))
req_answer(struct route_req *r, int status, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&r->text, fmt, ap);
	va_end(ap);
	if (n < 0) {
		r->text = NULL;
		n = 0;
	}
	r->len = (size_t)n;
	r->status = status;
	loop_timer_start(r->timer, 0, 0);
}

static int
req_add_name(struct route_req *r, const char *name)
{
	char **v = realloc(r->names, (r->nnames + 1) * sizeof(*v));

	if (v == NULL)
		return -1;
	r->names = v;
	if ((v[r->nnames] = strdup(name)) == NULL)
		return -1;
	r->nnames++;
	return 0;
}

/* ---- recording ------------------------------------------------------------ */

static void
record_one(struct route_req *r, const char *name)
{
	struct state_store *st = &r->slot->st;
	const struct state_obj *ov = state_override_find(st, r->kind, name);
	uint32_t flags = ov != NULL ? ov->flags : 0;
	int32_t weight = ov != NULL ? ov->weight : IPC_OBJ_NO_WEIGHT;
	const char *attrs = ov != NULL ? ov->attrs : "";
	char *keep = NULL;
	int rc = 0;

	switch (cmds[r->cmd].rec) {
	case REC_DRAIN:
		flags |= IPC_OBJ_DRAIN;
		break;
	case REC_UNDRAIN:
		flags &= ~(uint32_t)IPC_OBJ_DRAIN;
		break;
	case REC_WEIGHT:
		weight = r->weight;
		break;
	case REC_ADD:
		if (flags & IPC_OBJ_REMOVED) {
			/* a configured one back: as configured */
			state_override_clear(st, r->kind, name);
			return;
		}
		flags = IPC_OBJ_ADDED;
		weight = r->weight;
		attrs = r->attrs;
		break;
	case REC_REMOVE:
		if (flags & IPC_OBJ_ADDED) {
			state_override_clear(st, r->kind, name);
			return;
		}
		flags = IPC_OBJ_REMOVED;
		weight = IPC_OBJ_NO_WEIGHT;
		break;
	case REC_FORCE:
		flags |= IPC_OBJ_FORCED_BACKUP;
		break;
	case REC_RELEASE:
		flags &= ~(uint32_t)IPC_OBJ_FORCED_BACKUP;
		break;
	case REC_PRIORITY:
		flags |= IPC_OBJ_PRIORITY;
		weight = r->weight;
		break;
	case REC_PREEMPT:
		flags &= ~(uint32_t)(IPC_OBJ_PREEMPT_ON | IPC_OBJ_PREEMPT_OFF);
		flags |= r->weight ? IPC_OBJ_PREEMPT_ON : IPC_OBJ_PREEMPT_OFF;
		break;
	}
	if (flags == 0 && weight == IPC_OBJ_NO_WEIGHT) {
		state_override_clear(st, r->kind, name);
		return;
	}
	/* attrs may point into the override being replaced */
	if ((keep = strdup(attrs)) == NULL ||
	    state_override_set_attrs(st, r->kind, name, weight, flags,
	    keep) < 0)
		rc = -1;
	free(keep);
	if (rc < 0)
		log_err("%s: out of memory recording the runtime change of "
		    "%s %s; a respawned child will not get it back",
		    r->argv0, r->kind, name);
}

static void
record(struct route_req *r)
{
	for (size_t i = 0; i < r->nnames; i++)
		record_one(r, r->names[i]);
}

/* ---- forwarding ----------------------------------------------------------- */

static void
child_done(void *arg, int status, const char *text, size_t len)
{
	struct route_req *r = arg;
	char *msg = NULL;
	size_t loglen = len > 512 ? 512 : len;
	int n;

	if (status == IPC_CMD_OK)
		record(r);
	while (loglen > 0 && text[loglen - 1] == '\n')
		loglen--;	/* the reply's last line break */
	log_info("%s: %s child answered %s: %.*s", r->argv0,
	    r->slot->sub->name, ipc_cmd_status_name(status), (int)loglen,
	    text);
	if (status == IPC_CMD_EUNKNOWN) {
		n = asprintf(&msg, "the %s child does not know the command "
		    "'%s' (not supported by this version yet)%s%.*s",
		    r->slot->sub->name, r->argv0, len > 0 ? ": " : "",
		    (int)len, text);
		if (n >= 0) {
			text = msg;
			len = (size_t)n;
		}
	}
	if (r->fn != NULL)
		r->fn(r->arg, status, text, len);
	free(msg);
	req_free(r);
}

static void
forward(struct route_req *r, int argc, char *const argv[])
{
	struct slot *s = r->slot;

	if (slot_command(s, argc, argv, child_done, r) == 0)
		return;
	if (s->pid == 0 && s->wanted && !s->sv->stopping) {
		/* restarting: its hand-over carries the change */
		record(r);
		req_answer(r, IPC_CMD_OK, "recorded; the %s child is "
		    "restarting and applies it when it starts", s->sub->name);
		return;
	}
	req_answer(r, IPC_CMD_EGONE, "the %s child is %s; try again in a "
	    "moment", s->sub->name, s->pid != 0 ? "starting" : "not running");
}

/* ---- matching objects ----------------------------------------------------- */

static struct slot *
owner_slot(struct supervisor *sv, const char *name)
{
	for (unsigned i = 0; i < sv->nslots; i++)
		if (strcmp(sv->slots[i].sub->name, name) == 0)
			return &sv->slots[i];
	return NULL;
}

/* Real servers named by REAL (canonical) in the virtual servers vs
 * designates (NULL: all) -> r->names. Returns how many, -1 out of memory. */
static int
match_reals(struct route_req *r, const char *real, const char *vs)
{
	const struct state_store *st = &r->slot->st;
	int n = 0;

	for (int pass = 0; pass < 2; pass++) {
		const struct state_set *set = pass == 0 ? &st->objs :
		    &st->overrides;

		for (size_t i = 0; i < set->n; i++) {
			const struct state_obj *o = set->v[i];
			char v[IPC_OBJ_MAX_STR], rl[IPC_OBJ_MAX_STR];

			if (strcmp(o->kind, "real_server") != 0 ||
			    (pass == 1 && (!(o->flags & IPC_OBJ_ADDED) ||
			    state_find(st, o->kind, o->name) != NULL)) ||
			    objname_rs_split(o->name, v, sizeof(v), rl,
			    sizeof(rl)) < 0 || strcmp(rl, real) != 0 ||
			    (vs != NULL && !objname_vs_match(v, vs)))
				continue;
			if (req_add_name(r, o->name) < 0)
				return -1;
			n++;
		}
	}
	return n;
}

/* Whether o is a real server on the IPVS destination REAL (its dest_port
 * attr: DR / TUN take the virtual server's port): its virtual server's
 * name -> v. alen: the length of REAL's "[addr]:". */
static int
on_dest(const struct state_obj *o, const char *real, size_t alen, char *v,
    size_t vlen)
{
	char rl[IPC_OBJ_MAX_STR], dp[16];

	return strcmp(o->kind, "real_server") == 0 &&
	    objname_rs_split(o->name, v, vlen, rl, sizeof(rl)) == 0 &&
	    strncmp(rl, real, alen) == 0 && o->attrs != NULL &&
	    ipc_attrs_get(o->attrs, "dest_port", dp, sizeof(dp)) &&
	    strcmp(dp, real + alen) == 0;
}

/* The real servers whose IPVS destination is REAL, as ipvsadm, the fifo
 * lines and SNMP name them, found as the checker child finds them
 * (chk_cmd.c's cmd_rs_find), virtual server by virtual server: only in
 * one without a real server written with REAL's port (the first nwritten
 * of r->names, match_reals'), and only alone there -> r->names. Two of
 * one virtual server on it are neither: the first such pair -> twin.
 * How many, -1 out of memory. */
static int
match_reals_dest(struct route_req *r, const char *real, const char *vs,
    size_t nwritten, const char *twin[2])
{
	const struct state_store *st = &r->slot->st;
	const char *colon = strrchr(real, ':');
	size_t alen;
	int n = 0;

	if (colon == NULL)
		return 0;
	alen = (size_t)(colon - real) + 1;	/* "[addr]:" */
	for (size_t i = 0; i < st->objs.n; i++) {
		const struct state_obj *o = st->objs.v[i], *other = NULL;
		char v[IPC_OBJ_MAX_STR], w[IPC_OBJ_MAX_STR];
		char rl[IPC_OBJ_MAX_STR];
		size_t k;

		if (!on_dest(o, real, alen, v, sizeof(v)) ||
		    (vs != NULL && !objname_vs_match(v, vs)))
			continue;
		for (k = 0; k < nwritten; k++)
			if (objname_rs_split(r->names[k], w, sizeof(w), rl,
			    sizeof(rl)) == 0 && strcmp(w, v) == 0)
				break;
		if (k < nwritten)
			continue;	/* its virtual server's written one */
		for (size_t j = 0; j < st->objs.n && other == NULL; j++)
			if (j != i && on_dest(st->objs.v[j], real, alen, w,
			    sizeof(w)) && strcmp(w, v) == 0)
				other = st->objs.v[j];
		if (other != NULL) {
			if (twin[0] == NULL) {
				twin[0] = o->name;
				twin[1] = other->name;
			}
			continue;
		}
		if (req_add_name(r, o->name) < 0)
			return -1;
		n++;
	}
	return n;
}

/* The virtual servers vs designates: how many; the first one's name in
 * out. */
static int
match_vs(const struct state_store *st, const char *vs, char *out, size_t len)
{
	int n = 0;

	for (size_t i = 0; i < st->objs.n; i++) {
		const struct state_obj *o = st->objs.v[i];

		if (strcmp(o->kind, "virtual_server") != 0 ||
		    !objname_vs_match(o->name, vs))
			continue;
		if (n++ == 0)
			snprintf(out, len, "%s", o->name);
	}
	return n;
}

static int
parse_weight(const char *s, int32_t *w)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0 ||
	    v > ROUTE_MAX_WEIGHT)
		return -1;
	*w = (int32_t)v;
	return 0;
}

/* add-real's words after REAL: "weight W" read, the rest kept as arg=
 * lines for the hand-over. 0, or -1 (usage). */
static int
add_real_args(struct route_req *r, int argc, char *const argv[],
    const char *vsname)
{
	struct ipc_attrs a;

	ipc_attrs_init(&a);
	ipc_attrs_add(&a, "virtual_server", "%s", vsname);
	r->weight = IPC_OBJ_NO_WEIGHT;
	for (int i = 3; i < argc; i++) {
		if (strcmp(argv[i], "weight") == 0) {
			if (i + 1 >= argc || parse_weight(argv[i + 1],
			    &r->weight) < 0)
				return -1;
		}
		ipc_attrs_add(&a, "arg", "%s", argv[i]);
	}
	if (a.dropped > 0 || (r->attrs = strdup(a.buf)) == NULL)
		return -1;
	return 0;
}

/* Check the checker's command against its store; 0 to forward, or -1
 * when answered. */
static int
check_checker(struct route_req *r, int argc, char *const argv[])
{
	const char *cmd = argv[0], *realarg, *vsarg;
	char real[OBJNAME_REAL_MAX], vsname[IPC_OBJ_MAX_STR];
	enum rec rec = cmds[r->cmd].rec;
	const char *twin[2] = { NULL, NULL };
	int n, nd;

	if (rec == REC_DRAIN || rec == REC_UNDRAIN) {
		realarg = argv[1];
		vsarg = argc > 2 ? argv[2] : NULL;
	} else {
		vsarg = argv[1];
		realarg = argv[2];
	}
	if (objname_real(realarg, real, sizeof(real)) < 0) {
		req_answer(r, IPC_CMD_EUSAGE, "%s: '%s' is not a real server "
		    "address (addr:port or [v6]:port)", cmd, realarg);
		return -1;
	}
	if (vsarg != NULL && match_vs(&r->slot->st, vsarg, vsname,
	    sizeof(vsname)) == 0) {
		req_answer(r, IPC_CMD_ENOENT, "%s: no virtual server '%s'",
		    cmd, vsarg);
		return -1;
	}
	if (rec == REC_WEIGHT && parse_weight(argv[3], &r->weight) < 0) {
		req_answer(r, IPC_CMD_EUSAGE, "%s: weight '%s' is not a "
		    "number from 0 to %d", cmd, argv[3], ROUTE_MAX_WEIGHT);
		return -1;
	}
	if (rec == REC_ADD) {
		if (match_vs(&r->slot->st, vsarg, vsname, sizeof(vsname)) > 1) {
			req_answer(r, IPC_CMD_EUSAGE, "%s: '%s' names several "
			    "virtual servers; add the protocol (%s)", cmd,
			    vsarg, cmds[r->cmd].usage);
			return -1;
		}
		if (add_real_args(r, argc, argv, vsname) < 0) {
			req_answer(r, IPC_CMD_EUSAGE, "usage: %s",
			    cmds[r->cmd].usage);
			return -1;
		}
		n = match_reals(r, real, vsname);
		if (n > 0) {
			const struct state_obj *ov = state_override_find(
			    &r->slot->st, "real_server", r->names[0]);

			if (ov == NULL || !(ov->flags & IPC_OBJ_REMOVED)) {
				req_answer(r, IPC_CMD_EFAIL, "%s: %s is "
				    "already a real server of %s", cmd, real,
				    vsname);
				return -1;
			}
			return 0;	/* a removed one comes back */
		}
		if (n < 0)
			goto oom;
		{
			char name[IPC_OBJ_MAX_STR + OBJNAME_REAL_MAX + 4];

			snprintf(name, sizeof(name), "%s / %s", vsname, real);
			if (req_add_name(r, name) < 0)
				goto oom;
		}
		return 0;
	}
	if ((n = match_reals(r, real, vsarg != NULL ? vsarg : NULL)) < 0 ||
	    (nd = match_reals_dest(r, real, vsarg, (size_t)n, twin)) < 0)
		goto oom;
	n += nd;
	if (n == 0 && twin[0] != NULL) {
		/* as the child answers it, which a restarting one cannot */
		req_answer(r, IPC_CMD_EUSAGE, "%s: real servers %s and %s are "
		    "both on the IPVS destination %s: name one by the port "
		    "written in the configuration", cmd, twin[0], twin[1],
		    real);
		return -1;
	}
	if (n == 0) {
		req_answer(r, IPC_CMD_ENOENT, "%s: no real server %s%s%s",
		    cmd, real, vsarg != NULL ? " in " : "",
		    vsarg != NULL ? vsarg : "");
		return -1;
	}
	return 0;
oom:
	req_answer(r, IPC_CMD_EFAIL, "%s: out of memory", cmd);
	return -1;
}

/* The other members of inst's sync group (its record's sync_group attr,
 * the group's members attr) -> r->names: the child moves and releases
 * the group whole, so the overrides follow it. 0, or -1 out of memory. */
static int
vrrp_group_names(struct route_req *r, const struct state_obj *inst)
{
	const struct state_obj *g;
	char name[IPC_OBJ_MAX_STR], members[IPC_OBJ_MAX_ATTRS];
	char *p, *m;

	if (ipc_attrs_get(inst->attrs, "sync_group", name,
	    sizeof(name)) != 1 || (g = state_find(&r->slot->st,
	    "vrrp_sync_group", name)) == NULL ||
	    ipc_attrs_get(g->attrs, "members", members, sizeof(members)) != 1)
		return 0;
	for (p = members; (m = strsep(&p, " ")) != NULL;)
		if (*m != '\0' && strcmp(m, inst->name) != 0 &&
		    req_add_name(r, m) < 0)
			return -1;
	return 0;
}

static int
check_vrrp(struct route_req *r, char *const argv[])
{
	const struct state_obj *o = state_find(&r->slot->st,
	    "vrrp_instance", argv[1]);

	if (o == NULL) {
		req_answer(r, IPC_CMD_ENOENT, "%s: no VRRP instance '%s'",
		    argv[0], argv[1]);
		return -1;
	}
	/* the child checks the values; the parent records what it took */
	if (cmds[r->cmd].rec == REC_PRIORITY)
		r->weight = (int32_t)strtol(argv[2], NULL, 10);
	else if (cmds[r->cmd].rec == REC_PREEMPT)
		r->weight = strcmp(argv[2], "on") == 0;
	/* a sync group moves whole: force-backup and release hold its
	 * members too; a priority or preemption is the instance's own */
	if (req_add_name(r, argv[1]) < 0 || ((cmds[r->cmd].rec == REC_FORCE ||
	    cmds[r->cmd].rec == REC_RELEASE) && vrrp_group_names(r, o) < 0)) {
		req_answer(r, IPC_CMD_EFAIL, "%s: out of memory", argv[0]);
		return -1;
	}
	return 0;
}

/*
 * "fwmark N" and "group NAME" typed as two words at argv[at]: one word in
 * nargv (joined holds it), the others moved up. Returns the new argc, or
 * 0 when argv[at] is neither.
 */
static int
join_vs(int argc, char *const argv[], int at, char **nargv, char *joined,
    size_t jlen)
{
	int n = 0;

	if ((strcmp(argv[at], "fwmark") != 0 && strcmp(argv[at], "group") !=
	    0) || argc > IPC_CMD_MAX_ARGS)
		return 0;
	snprintf(joined, jlen, "%s %s", argv[at], argv[at + 1]);
	for (int i = 0; i < argc; i++) {
		if (i == at + 1)
			continue;
		nargv[n++] = i == at ? joined : argv[i];
	}
	nargv[n] = NULL;
	return n;
}

int
route_command(struct supervisor *sv, int argc, char *const argv[],
    route_fn *fn, void *arg)
{
	struct route_req *r = calloc(1, sizeof(*r));
	char *nargv[IPC_CMD_MAX_ARGS + 1];
	char joined[IPC_OBJ_MAX_STR];
	unsigned i;
	int n;

	if (r == NULL)
		return -1;
	r->sv = sv;
	r->fn = fn;
	r->arg = arg;
	r->weight = IPC_OBJ_NO_WEIGHT;
	if ((r->timer = loop_timer_new(sv->base, req_fire, r)) == NULL ||
	    (r->argv0 = strdup(argc > 0 ? argv[0] : "")) == NULL) {
		loop_timer_free(r->timer);
		free(r);
		return -1;
	}
	r->next = sv->routes;
	sv->routes = r;
	for (i = 0; i < NCMDS && argc > 0; i++)
		if (strcmp(cmds[i].cmd, argv[0]) == 0)
			break;
	if (argc <= 0 || i == NCMDS) {
		req_answer(r, IPC_CMD_EUNKNOWN, "unknown command '%s'",
		    argc > 0 ? argv[0] : "");
		return 0;
	}
	r->cmd = i;
	if (cmds[i].vs_at > 0 && argc > cmds[i].vs_at + 1 &&
	    (n = join_vs(argc, argv, cmds[i].vs_at, nargv, joined,
	    sizeof(joined))) > 0) {
		argc = n;
		argv = nargv;
	}
	if (argc < cmds[i].min || argc > cmds[i].max) {
		req_answer(r, IPC_CMD_EUSAGE, "usage: %s", cmds[i].usage);
		return 0;
	}
	r->slot = owner_slot(sv, cmds[i].owner);
	r->kind = strcmp(cmds[i].owner, "vrrp") == 0 ? "vrrp_instance" :
	    "real_server";
	if (r->slot == NULL || !r->slot->wanted) {
		req_answer(r, r->slot == NULL ? IPC_CMD_EUNKNOWN :
		    IPC_CMD_ENOENT, "%s: no %s child runs (the configuration "
		    "gives it nothing to do)", argv[0], cmds[i].owner);
		return 0;
	}
	if ((r->kind[0] == 'v' ? check_vrrp(r, argv) :
	    check_checker(r, argc, argv)) < 0)
		return 0;
	log_info("%s: runtime command for the %s child (%zu object(s))",
	    argv[0], r->slot->sub->name, r->nnames);
	forward(r, argc, argv);
	return 0;
}

void
route_cancel(struct supervisor *sv, void *arg)
{
	for (struct route_req *r = sv->routes; r != NULL; r = r->next)
		if (r->arg == arg)
			r->fn = NULL;
}

void
route_fini(struct supervisor *sv)
{
	/* those waiting for a child are freed by slot_command_gone() */
	struct route_req *r = sv->routes;

	while (r != NULL) {
		struct route_req *next = r->next;

		if (loop_timer_pending(r->timer))
			req_free(r);
		r = next;
	}
}
