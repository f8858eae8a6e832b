/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Top-level VRRP objects other than instances: vrrp_script, track_file,
 * track_process, vrrp_sync_group, garp_group, track_group,
 * interface_up_down_delays, linkbeat_interfaces and the static
 * address/route/rule lists.
 */
#include <limits.h>
#include <net/if.h>
#include <stddef.h>
#include <string.h>

#include "bfd/config.h"
#include "config_priv.h"

#define ROOT(f) offsetof(struct vrrp_conf, f)

static void *
named_open(struct conf_ctx *cx, const struct conf_node *n, size_t size)
{
	return vrrp_conf_named_new(cx, n, size, n->argv[1]);
}

/* Link o into the root's list indexed by kw->lo unless its name is taken. */
static int
named_link(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj)
{
	struct vrrp_conf *c = parent;
	enum vrrp_ix k = (enum vrrp_ix)kw->lo;
	struct vrrp_conf_named *o = obj, *prev;

	if ((prev = vrrp_conf_lookup(c, k, o->name)) != NULL) {
		conf_error(cx, n, "duplicate %s '%s' (first defined at %s:%u)",
		    n->argv[0], o->name, prev->loc.file, prev->loc.line);
		return -1;
	}
	if (vrrp_conf_link_named(c, k, o) == -1) {
		conf_error(cx, n, "out of memory");
		return -1;
	}
	return 0;
}

/* Link o if the keyword it needs was given (have), else warn and drop it. */
static int
link_if(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj, const void *have,
    const char *what)
{
	if (have == NULL) {
		conf_warn(cx, n, "%s: no %s given; ignored",
		    ((struct vrrp_conf_named *)obj)->name, what);
		return 0;
	}
	return named_link(cx, n, kw, parent, obj);
}

/* "weight W [reverse]" leaf, kw->off: int weight followed by int reverse */
static int
set_weight(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	int *w = VRRP_FIELD(obj, kw, int);
	int rev = 0;

	if (vrrp_conf_parse_weight(cx, n, 0, kw->lo, kw->hi, &w[0], &rev) == -1)
		return -1;
	w[1] = rev;
	return 0;
}

/* ---- vrrp_script ------------------------------------------------------------ */

#define S(f) offsetof(struct vrrp_script_conf, f)

static void *
script_open(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent)
{
	struct vrrp_script_conf *s;

	(void)kw;
	(void)parent;
	if ((s = named_open(cx, n, sizeof(*s))) == NULL)
		return NULL;
	s->interval = 1000000;
	s->rise = s->fall = 1;
	return s;
}

static int
script_close(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj)
{
	return link_if(cx, n, kw, parent, obj,
	    ((struct vrrp_script_conf *)obj)->script, "script");
}

/*
 * "script CMD": the command line is CMD alone (quoted to hold arguments);
 * as keepalived does, words after it are not part of the command.
 */
static int
set_script(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	char **f = VRRP_FIELD(obj, kw, char *);

	if (n->argv[1][0] == '\0') {
		conf_error(cx, n, "empty script");
		return -1;
	}
	if (n->argc > 2)
		conf_warn(cx, n, "'%s' and what follows are ignored; "
		    "quote the command to give it arguments", n->argv[2]);
	return (*f = conf_strdup(cx, n, n->argv[1])) == NULL ? -1 : 0;
}

static const struct conf_kw script_kw[] = {
	CONF_KW("script", 1, CONF_ARGS_ANY, set_script, S(script)),
	CONF_KW_TIMER("interval", S(interval), 1000, 0),
	CONF_KW_TIMER("timeout", S(timeout), 1000, 0),
	CONF_KW_RANGE("weight", 1, 2, set_weight, S(weight), -253, 253),
	CONF_KW_INT("rise", S(rise), 1, INT_MAX),
	CONF_KW_INT("fall", S(fall), 1, INT_MAX),
	CONF_KW("user", 1, 2, vrrp_conf_set_strs, S(user)),
	CONF_KW("init_fail", 0, 0, conf_set_flag, S(init_fail)),
	CONF_KW_END
};

/* ---- track_file ---------------------------------------------------------- */

#define TF(f) offsetof(struct vrrp_track_file_conf, f)

static void *
tfile_open(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent)
{
	struct vrrp_track_file_conf *t;

	(void)kw;
	(void)parent;
	if ((t = named_open(cx, n, sizeof(*t))) == NULL)
		return NULL;
	t->weight = 1;
	return t;
}

static int
tfile_close(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj)
{
	return link_if(cx, n, kw, parent, obj,
	    ((struct vrrp_track_file_conf *)obj)->file, "file");
}

static int
set_init_file(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_track_file_conf *t = obj;
	long long v;
	unsigned i;

	(void)kw;
	t->init_file = 1;
	for (i = 1; i < n->argc; i++) {
		if (strcmp(n->argv[i], "overwrite") == 0)
			t->init_overwrite = 1;
		else if (conf_parse_ll(n->argv[i], INT_MIN, INT_MAX, &v) == 0)
			t->init_value = v;
		else {
			conf_error(cx, n, "expected [VALUE] [overwrite], got %s",
			    n->argv[i]);
			return -1;
		}
	}
	return 0;
}

static const struct conf_kw tfile_kw[] = {
	CONF_KW_STR("file", TF(file)),
	CONF_KW_RANGE("weight", 1, 2, set_weight, TF(weight), -2147483647LL,
	    2147483647LL),
	CONF_KW("init_file", 0, 2, set_init_file, 0),
	CONF_KW_END
};

/* ---- track_process ----------------------------------------------------------- */

#define TP(f) offsetof(struct vrrp_track_process_conf, f)

static void *
tproc_open(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent)
{
	struct vrrp_track_process_conf *t;

	(void)kw;
	(void)parent;
	if ((t = named_open(cx, n, sizeof(*t))) == NULL)
		return NULL;
	/* weight 0 by default (a process missing puts the instance in
	 * FAULT): keepalived 2.2.7's code, whatever its man page says */
	t->quorum = 1;
	t->quorum_max = UINT_MAX;
	return t;
}

static int
tproc_close(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj)
{
	struct vrrp_track_process_conf *t = obj;

	if (t->process != NULL && t->quorum_max < t->quorum) {
		conf_error(cx, n, "%s: quorum_max %u is below quorum %u",
		    t->name, t->quorum_max, t->quorum);
		return -1;
	}
	if (t->param_match == VRRP_PMATCH_NONE && t->nparams > 0)
		t->param_match = VRRP_PMATCH_EXACT;
	return link_if(cx, n, kw, parent, obj, t->process, "process");
}

static int
set_process(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_track_process_conf *t = obj;
	unsigned i;

	(void)kw;
	if ((t->process = conf_strdup(cx, n, n->argv[1])) == NULL)
		return -1;
	t->nparams = n->argc - 2;
	if ((t->params = conf_alloc(cx, n,
	    (t->nparams + 1) * sizeof(char *))) == NULL)
		return -1;
	for (i = 0; i < t->nparams; i++)
		if ((t->params[i] = conf_strdup(cx, n,
		    n->argv[i + 2])) == NULL)
			return -1;
	return 0;
}

static int
set_param_match(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_track_process_conf *t = obj;

	(void)kw;
	if (n->argc == 1)
		t->param_match = VRRP_PMATCH_EXACT;
	else if (strcmp(n->argv[1], "initial") == 0)
		t->param_match = VRRP_PMATCH_INITIAL;
	else if (strcmp(n->argv[1], "partial") == 0)
		t->param_match = VRRP_PMATCH_PARTIAL;
	else {
		conf_error(cx, n, "expected initial or partial, got %s",
		    n->argv[1]);
		return -1;
	}
	return 0;
}

static int
set_delay(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_track_process_conf *t = obj;
	unsigned long long v;

	(void)kw;
	if (conf_parse_timer(n->argv[1], &v) == -1) {
		conf_error(cx, n, "expected seconds, got %s", n->argv[1]);
		return -1;
	}
	if (strcmp(n->argv[0], "fork_delay") != 0)
		t->terminate_delay = v;
	if (strcmp(n->argv[0], "terminate_delay") != 0)
		t->fork_delay = v;
	return 0;
}

static const struct conf_kw tproc_kw[] = {
	CONF_KW("process", 1, CONF_ARGS_ANY, set_process, 0),
	CONF_KW("param_match", 0, 1, set_param_match, 0),
	CONF_KW_RANGE("weight", 1, 2, set_weight, TP(weight), -254, 254),
	CONF_KW_UINT("quorum", TP(quorum), 1, 65535),
	CONF_KW_UINT("quorum_max", TP(quorum_max), 0, 65535),
	CONF_KW("fork_delay", 1, 1, set_delay, 0),
	CONF_KW("terminate_delay", 1, 1, set_delay, 0),
	CONF_KW("delay", 1, 1, set_delay, 0),
	CONF_KW_FLAG("full_command", TP(full_command)),
	CONF_KW_END
};

/* ---- vrrp_sync_group ----------------------------------------------------------- */

#define SG(f) offsetof(struct vrrp_sync_group_conf, f)

static void *
sgroup_open(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent)
{
	struct vrrp_sync_group_conf *g;

	(void)kw;
	(void)parent;
	if ((g = named_open(cx, n, sizeof(*g))) == NULL)
		return NULL;
	g->smtp_alert = VRRP_UNSET;
	g->notify_priority_changes = VRRP_UNSET;
	return g;
}

static int
sgroup_close(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj)
{
	struct vrrp_sync_group_conf *g = obj;

	if (g->members.n == 0) {
		conf_warn(cx, n, "%s: no group { } of instances; ignored",
		    g->name);
		return 0;
	}
	if (g->members.n == 1)
		conf_warn(cx, n, "%s: only one instance in the group",
		    g->name);
	return named_link(cx, n, kw, parent, obj);
}

static int
set_sg_notify_deleted(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	((struct vrrp_sync_group_conf *)obj)->has_notify_deleted = 1;
	return vrrp_conf_set_notify(cx, n, kw, obj);
}

static const struct conf_kw sgroup_kw[] = {
	CONF_KW_LIST("group", vrrp_conf_set_name_item, SG(members), 0, 0),
	VRRP_CONF_TRACK_KW(struct vrrp_sync_group_conf),
	VRRP_CONF_NOTIFY_KW(struct vrrp_sync_group_conf),
	CONF_KW("notify_deleted", 0, 3, set_sg_notify_deleted,
	    SG(notify_deleted)),
	CONF_KW_FLAG("notify_priority_changes", SG(notify_priority_changes)),
	CONF_KW_FLAG("smtp_alert", SG(smtp_alert)),
	CONF_KW_DEPRECATED("global_tracking", 0, 0, conf_set_flag,
	    SG(global_tracking), 0, 0),
	CONF_KW_FLAG("sync_group_tracking_weight", SG(tracking_weight)),
	CONF_KW_END
};

/* ---- garp_group, track_group, delays ------------------------------------- */

#define GG(f) offsetof(struct vrrp_garp_group_conf, f)

static void *
ggroup_open(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent)
{
	struct vrrp_garp_group_conf *g;

	(void)kw;
	(void)parent;
	if ((g = conf_alloc(cx, n, sizeof(*g))) == NULL)
		return NULL;
	g->loc = n->loc;
	return g;
}

static int
ggroup_close(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj)
{
	struct vrrp_conf *c = parent;
	struct vrrp_garp_group_conf *g = obj;

	(void)kw;
	if (g->interfaces.n == 0) {
		conf_error(cx, n, "no interface or interfaces given");
		return -1;
	}
	if (g->garp_interval != 0)
		g->have_garp_interval = 1;
	if (g->gna_interval != 0)
		g->have_gna_interval = 1;
	vrrp_conf_list_append(&c->garp_groups, g);
	return 0;
}

static int
set_gg_interface(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct conf_node one = *n;

	one.argc = 1;
	one.argv = n->argv + 1;
	return vrrp_conf_set_name_item(cx, &one, kw, obj);
}

static const struct conf_kw ggroup_kw[] = {
	CONF_KW_TIMER("garp_interval", GG(garp_interval), 0, 1000000000),
	CONF_KW_TIMER("gna_interval", GG(gna_interval), 0, 1000000000),
	CONF_KW("interface", 1, 1, set_gg_interface, GG(interfaces)),
	CONF_KW_LIST("interfaces", vrrp_conf_set_name_item, GG(interfaces), 0,
	    0),
	CONF_KW_END
};

static void *
tgroup_open(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent)
{
	(void)kw;
	(void)parent;
	return named_open(cx, n, sizeof(struct vrrp_track_group_conf));
}

static const struct conf_kw tgroup_kw[] = {
	CONF_KW_LIST("group", vrrp_conf_set_name_item,
	    offsetof(struct vrrp_track_group_conf, members), 0, 0),
	CONF_KW_END
};

/* interface_up_down_delays item: IFNAME DOWN [UP] */
static int
set_if_delay(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_conf *c = obj;
	struct vrrp_conf_if_delay *d;

	(void)kw;
	if ((d = conf_alloc(cx, n, sizeof(*d))) == NULL)
		return -1;
	d->loc = n->loc;
	if (n->argc < 2 || n->argc > 3 || strlen(n->argv[0]) >= IFNAMSIZ ||
	    conf_parse_timer(n->argv[1], &d->down_delay) == -1 ||
	    d->down_delay > 255000000 ||
	    (n->argc == 3 && (conf_parse_timer(n->argv[2], &d->up_delay) == -1
	    || d->up_delay > 255000000))) {
		conf_error(cx, n, "expected IFNAME DOWN_DELAY [UP_DELAY] "
		    "(seconds, at most 255)");
		return -1;
	}
	if (n->argc == 2)
		d->up_delay = d->down_delay;
	if ((d->ifname = conf_strdup(cx, n, n->argv[0])) == NULL)
		return -1;
	vrrp_conf_list_append(&c->if_delays, d);
	return 0;
}

/* ---- track_bfd ----------------------------------------------------------- */

int
vrrp_conf_set_track_bfd_item(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_conf_list *l = (struct vrrp_conf_list *)((char *)obj +
	    kw->off);
	const struct bfd_conf *bc = conf_root(cx, CONF_OWNER_BFD);
	const struct bfd_instance_conf *b;
	struct vrrp_conf_track *t;
	int weight, reverse = -1;

	if (bc == NULL)
		/* built without the BFD configuration (a child that does
		 * not read it): the parent checked the names */
		b = NULL;
	else if ((b = bfd_conf_find(bc, n->argv[0])) == NULL) {
		conf_error(cx, n, "unknown bfd_instance '%s' (it must be "
		    "defined before the track_bfd naming it)", n->argv[0]);
		return -1;
	} else if (!b->vrrp) {
		conf_error(cx, n, "bfd_instance '%s' reports to the checker "
		    "only (its block says checker, not vrrp)", n->argv[0]);
		return -1;
	}
	for (t = l->first; t != NULL; t = t->next)
		if (strcmp(t->name, n->argv[0]) == 0) {
			conf_error(cx, n, "duplicate track_bfd %s", n->argv[0]);
			return -1;
		}
	weight = b != NULL ? b->weight : 0;
	if (n->argc > 1 && strcmp(n->argv[1], "weight") != 0) {
		conf_error(cx, n, "unknown track_bfd %s option %s (expected "
		    "weight W [reverse])", n->argv[0], n->argv[1]);
		return -1;
	}
	if (n->argc > 4 || (n->argc == 4 && strcmp(n->argv[3], "reverse")
	    != 0)) {
		conf_error(cx, n, "unexpected '%s' (expected weight W "
		    "[reverse])", n->argv[3]);
		return -1;
	}
	if (vrrp_conf_parse_weight(cx, n, 1, kw->lo, kw->hi, &weight,
	    &reverse) == -1)
		return -1;
	if ((t = vrrp_conf_named_new(cx, n, sizeof(*t), n->argv[0])) == NULL)
		return -1;
	t->weight = weight;
	t->weight_set = 1;
	t->reverse = reverse == 1 || (reverse == -1 && b != NULL &&
	    n->argc == 1 && b->weight_reverse);
	vrrp_conf_list_append(l, t);
	return 0;
}

/* linkbeat_interfaces item: IFNAME [MII|ETHTOOL|IOCTL] */
static int
set_linkbeat_item(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_conf *c = obj;
	struct vrrp_conf_linkbeat *lb;
	static const char *const types[] = { "MII", "ETHTOOL", "IOCTL" };

	(void)kw;
	if (n->argc > 2 || strlen(n->argv[0]) >= IFNAMSIZ) {
		conf_error(cx, n, "expected IFNAME [MII|ETHTOOL|IOCTL]");
		return -1;
	}
	if ((lb = conf_alloc(cx, n, sizeof(*lb))) == NULL)
		return -1;
	lb->loc = n->loc;
	if (n->argc == 2) {
		for (unsigned i = 0; i < 3; i++)
			if (strcmp(n->argv[1], types[i]) == 0)
				lb->type = VRRP_LB_MII + (int)i;
		if (lb->type == VRRP_LB_ANY) {
			conf_error(cx, n, "linkbeat type: expected MII, ETHTOOL "
			    "or IOCTL, got %s", n->argv[1]);
			return -1;
		}
	}
	if ((lb->ifname = conf_strdup(cx, n, n->argv[0])) == NULL)
		return -1;
	vrrp_conf_list_append(&c->linkbeat_ifs, lb);
	return 0;
}

/* ---- registration ------------------------------------------------------- */

/* A named top-level block; kw->lo: the index of the list it goes to. */

static const struct conf_kw top_kw[] = {
	CONF_KW_BLOCK("vrrp_sync_group", 0, 1, 1, "vrrp_sync_group",
	    sgroup_open, sgroup_close, VRRP_IX_SYNC_GROUP),
	CONF_KW_BLOCK("vrrp_script", 0, 1, 1, "vrrp_script", script_open,
	    script_close, VRRP_IX_SCRIPT),
	CONF_KW_BLOCK("vrrp_track_process", 0, 1, 1, "vrrp_track_process",
	    tproc_open, tproc_close, VRRP_IX_TRACK_PROCESS),
	CONF_KW_BLOCK("garp_group", 0, 0, 0, "vrrp_garp_group", ggroup_open,
	    ggroup_close, 0),
	CONF_KW_LIST("static_ipaddress", vrrp_conf_set_ipaddr_item,
	    ROOT(static_addrs), 0, 0),
	CONF_KW_LIST("static_routes", vrrp_conf_set_route_item,
	    ROOT(static_routes), 0, 0),
	CONF_KW_LIST("static_rules", vrrp_conf_set_rule_item,
	    ROOT(static_rules), 0, 0),
	/* the interface view delays each listed link's changes
	 * (vrrp_engine_link_delays) */
	{ .name = "interface_up_down_delays",
	  .flags = CONF_F_LIST, .set = set_if_delay,
	  .off = ROOT(if_delays) },
	CONF_KW_END
};

/* Top-level keywords another subsystem may share: each added alone. */
static const struct conf_kw shared_top_kw[][2] = {
	CONF_KW_ONE(CONF_KW_BLOCK("vrrp_track_file", 0, 1, 1, "vrrp_track_file",
	    tfile_open, tfile_close, VRRP_IX_TRACK_FILE)),
	CONF_KW_ONE(CONF_KW_BLOCK("track_file", 0, 1, 1, "vrrp_track_file",
	    tfile_open, tfile_close, VRRP_IX_TRACK_FILE)),
	CONF_KW_ONE(CONF_KW_BLOCK("track_process", 0, 1, 1,
	    "vrrp_track_process", tproc_open, tproc_close,
	    VRRP_IX_TRACK_PROCESS)),
	/* a static entry's track_group: its members track the entry's
	 * interface (vrrp_conf_check) */
	CONF_KW_ONE(CONF_KW_BLOCK("track_group", 0, 1, 1,
	    "vrrp_track_group", tgroup_open, named_link, VRRP_IX_TRACK_GROUP)),
	/* polled links (vrrp/linkbeat.c) */
	CONF_KW_ONE({ .name = "linkbeat_interfaces", .flags = CONF_F_LIST,
	    .set = set_linkbeat_item, .off = ROOT(linkbeat_ifs) }),
	CONF_KW_ONE(CONF_KW_FLAG("linkbeat_use_polling",
	    ROOT(g.linkbeat_use_polling))),
};

int
vrrp_conf_register_track(struct conf_registry *r)
{
	if (conf_registry_add(r, CONF_OWNER_VRRP, "", top_kw) == -1 ||
	    conf_registry_add(r, CONF_OWNER_VRRP, "vrrp_sync_group",
	    sgroup_kw) == -1 ||
	    conf_registry_add(r, CONF_OWNER_VRRP, "vrrp_script",
	    script_kw) == -1 ||
	    conf_registry_add(r, CONF_OWNER_VRRP, "vrrp_track_file",
	    tfile_kw) == -1 ||
	    conf_registry_add(r, CONF_OWNER_VRRP, "vrrp_track_process",
	    tproc_kw) == -1 ||
	    conf_registry_add(r, CONF_OWNER_VRRP, "vrrp_garp_group",
	    ggroup_kw) == -1 ||
	    conf_registry_add(r, CONF_OWNER_VRRP, "vrrp_track_group",
	    tgroup_kw) == -1)
		return -1;
	return conf_registry_add_each(r, CONF_OWNER_VRRP, "", shared_top_kw,
	    sizeof(shared_top_kw) / sizeof(shared_top_kw[0]));
}

static int
list_names(const struct vrrp_conf_list *l, const char *name)
{
	for (const struct vrrp_conf_track *t = l->first; t != NULL;
	    t = t->next)
		if (t->name != NULL && strcmp(t->name, name) == 0)
			return 1;
	return 0;
}

int
vrrp_conf_tracked(const struct vrrp_conf *c, enum vrrp_ix ix,
    const char *name)
{
	size_t off;

	switch (ix) {
	case VRRP_IX_SCRIPT:
		off = 0;
		break;
	case VRRP_IX_TRACK_FILE:
		off = 1;
		break;
	case VRRP_IX_TRACK_PROCESS:
		off = 2;
		break;
	default:
		return 0;
	}
	for (const struct vrrp_instance_conf *i = c->instances.first;
	    i != NULL; i = i->next) {
		const struct vrrp_conf_list *l[3] = { &i->track_script,
		    &i->track_file, &i->track_process };

		if (list_names(l[off], name))
			return 1;
	}
	for (const struct vrrp_sync_group_conf *g = c->sync_groups.first;
	    g != NULL; g = g->next) {
		const struct vrrp_conf_list *l[3] = { &g->track_script,
		    &g->track_file, &g->track_process };

		if (list_names(l[off], name))
			return 1;
	}
	return 0;
}
