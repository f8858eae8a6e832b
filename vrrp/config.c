/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VRRP configuration: registration, the root object and its defaults, the
 * VRRP keywords of global_defs, and handlers shared by the other
 * vrrp/config_*.c files (tracking lines, notify scripts).
 */
#include <arpa/inet.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "config_priv.h"

/* ---- shared helpers ------------------------------------------------------ */

void
vrrp_conf_list_append(struct vrrp_conf_list *l, void *item)
{
	struct link { struct link *next; } *it = item;

	it->next = NULL;
	if (l->last != NULL)
		((struct link *)l->last)->next = it;
	else
		l->first = it;
	l->last = it;
	l->n++;
}

/* ---- indexes ------------------------------------------------------------ */

#define NAMED_OK(type) (offsetof(struct type, name) == \
	offsetof(struct vrrp_conf_named, name) && \
	offsetof(struct type, loc) == offsetof(struct vrrp_conf_named, loc) && \
	offsetof(struct type, name_node) == \
	offsetof(struct vrrp_conf_named, name_node))
_Static_assert(NAMED_OK(vrrp_instance_conf) &&
    NAMED_OK(vrrp_sync_group_conf) && NAMED_OK(vrrp_script_conf) &&
    NAMED_OK(vrrp_track_file_conf) && NAMED_OK(vrrp_track_process_conf) &&
    NAMED_OK(vrrp_track_group_conf), "named object layout");

static const size_t ix_list[VRRP_IX_MAX] = {
	[VRRP_IX_INSTANCE] = offsetof(struct vrrp_conf, instances),
	[VRRP_IX_SYNC_GROUP] = offsetof(struct vrrp_conf, sync_groups),
	[VRRP_IX_SCRIPT] = offsetof(struct vrrp_conf, scripts),
	[VRRP_IX_TRACK_FILE] = offsetof(struct vrrp_conf, track_files),
	[VRRP_IX_TRACK_PROCESS] = offsetof(struct vrrp_conf, track_processes),
	[VRRP_IX_TRACK_GROUP] = offsetof(struct vrrp_conf, track_groups),
};

#define NAMED(n) HTAB_ENTRY(n, struct vrrp_conf_named, name_node)

static size_t
name_hash(const struct htab_node *n)
{
	return htab_hash_str(NAMED(n)->name);
}

static int
name_eq(const struct htab_node *n, const void *name)
{
	return strcmp(NAMED(n)->name, name) == 0;
}

static size_t
identity_hash(const struct htab_node *n)
{
	return vrrp_conf_instance_key_hash(HTAB_ENTRY(n,
	    struct vrrp_instance_conf, id_node));
}

int
vrrp_conf_link_named(struct vrrp_conf *c, enum vrrp_ix k, void *obj)
{
	struct vrrp_conf_named *o = obj;

	if (htab_add(&c->names[k], &o->name_node) == -1)
		return -1;
	vrrp_conf_list_append((struct vrrp_conf_list *)(void *)((char *)c +
	    ix_list[k]), o);
	return 0;
}

void *
vrrp_conf_lookup(const struct vrrp_conf *c, enum vrrp_ix k, const char *name)
{
	const struct vrrp_conf_list *l = (const struct vrrp_conf_list *)
	    (const void *)((const char *)c + ix_list[k]);
	struct vrrp_conf_named *o;
	struct htab_node *e;

	if (c->names[k].n == l->n) {
		e = htab_find(&c->names[k], htab_hash_str(name), name_eq, name);
		return e != NULL ? NAMED(e) : NULL;
	}
	/* a list not built by the keyword handlers */
	for (o = l->first; o != NULL; o = o->next)
		if (strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

size_t
vrrp_conf_instance_key_hash(const struct vrrp_instance_conf *vi)
{
	size_t h = htab_hash_str(vi->interface != NULL ? vi->interface : "");

	return h ^ ((size_t)vi->p.vrid * 0x9e3779b9u) ^
	    ((size_t)vi->p.family << 20);
}

int
vrrp_conf_instance_same_key(const struct vrrp_instance_conf *a,
    const struct vrrp_instance_conf *b)
{
	if (a->p.vrid != b->p.vrid || a->p.family != b->p.family)
		return 0;
	if (a->interface == NULL || b->interface == NULL)
		return a->interface == b->interface;
	return strcmp(a->interface, b->interface) == 0;
}

/* ---- allocation and shared handlers --------------------------------------- */

void *
vrrp_conf_named_new(struct conf_ctx *cx, const struct conf_node *n, size_t size,
    const char *name)
{
	struct vrrp_conf_named *o;

	if ((o = conf_alloc(cx, n, size)) == NULL)
		return NULL;
	o->loc = n->loc;
	if ((o->name = conf_strdup(cx, n, name)) == NULL)
		return NULL;
	return o;
}

int
vrrp_conf_parse_weight(struct conf_ctx *cx, const struct conf_node *n,
    unsigned i, long long lo, long long hi, int *weight, int *reverse)
{
	long long v;

	for (; i < n->argc; i++) {
		const char *w = n->argv[i];

		if (strcmp(w, "weight") == 0) {
			if (i + 1 >= n->argc) {
				conf_error(cx, n, "weight: missing value "
				    "(expected %lld..%lld)", lo, hi);
				return -1;
			}
			if (conf_parse_ll(n->argv[i + 1], lo, hi, &v) == -1) {
				conf_error(cx, n, "weight: expected %lld..%lld, "
				    "got %s", lo, hi, n->argv[i + 1]);
				return -1;
			}
			*weight = (int)v;
			i++;
		} else if (strcmp(w, "reverse") == 0) {
			*reverse = 1;
		} else if (strcmp(w, "noreverse") == 0 ||
		    strcmp(w, "no_reverse") == 0) {
			*reverse = 0;
		} else {
			conf_error(cx, n, "unexpected '%s' (expected weight "
			    "<%lld..%lld> [reverse|noreverse])", w, lo, hi);
			return -1;
		}
	}
	return 0;
}

int
vrrp_conf_set_track_item(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_conf_list *l = VRRP_FIELD(obj, kw, struct vrrp_conf_list);
	struct vrrp_conf_track *t;
	int weight = 0, reverse = -1;
	unsigned i;

	for (i = 1; i < n->argc; i++)
		if (strcmp(n->argv[i], "weight") == 0)
			break;
	if (vrrp_conf_parse_weight(cx, n, 1, kw->lo, kw->hi, &weight,
	    &reverse) == -1)
		return -1;
	if ((t = vrrp_conf_named_new(cx, n, sizeof(*t), n->argv[0])) == NULL)
		return -1;
	t->weight = weight;
	t->weight_set = i < n->argc;
	t->reverse = reverse == 1;
	t->noreverse = reverse == 0;
	vrrp_conf_list_append(l, t);
	return 0;
}

int
vrrp_conf_set_name_item(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_conf_list *l = VRRP_FIELD(obj, kw, struct vrrp_conf_list);
	struct vrrp_conf_track *t;

	if (n->argc > 1) {
		conf_error(cx, n, "expected one name per line, got '%s' after "
		    "it", n->argv[1]);
		return -1;
	}
	if ((t = vrrp_conf_named_new(cx, n, sizeof(*t), n->argv[0])) == NULL)
		return -1;
	vrrp_conf_list_append(l, t);
	return 0;
}

int
vrrp_conf_set_strs(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	char **f = VRRP_FIELD(obj, kw, char *);
	unsigned i;

	for (i = 1; i < n->argc && (int)i <= kw->max_args; i++)
		if ((f[i - 1] = conf_strdup(cx, n, n->argv[i])) == NULL)
			return -1;
	return 0;
}

int
vrrp_conf_set_const(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	(void)cx;
	(void)n;
	*VRRP_FIELD(obj, kw, int) = (int)kw->lo;
	return 0;
}

int
vrrp_conf_set_notify(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_conf_notify *nt = VRRP_FIELD(obj, kw,
	    struct vrrp_conf_notify);
	struct vrrp_conf_notify v = { NULL, NULL, NULL };

	if (n->argc < 2)	/* notify_deleted alone */
		return 0;
	if (n->argv[1][0] == '\0') {
		conf_error(cx, n, "empty script");
		return -1;
	}
	if ((v.cmd = conf_strdup(cx, n, n->argv[1])) == NULL)
		return -1;
	if (n->argc > 2 &&
	    (v.user = conf_strdup(cx, n, n->argv[2])) == NULL)
		return -1;
	if (n->argc > 3 &&
	    (v.group = conf_strdup(cx, n, n->argv[3])) == NULL)
		return -1;
	*nt = v;
	return 0;
}

/* ---- global_defs ---------------------------------------------------------- */

#define G(f) offsetof(struct vrrp_conf, g.f)

static int
set_mcast_group(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vg_addr *p = VRRP_FIELD(obj, kw, struct vg_addr), a;
	int ok;

	if (addr_parse(n->argv[1], &a) == -1 || a.family != kw->lo) {
		conf_error(cx, n, "expected an %s multicast address, got %s",
		    kw->lo == AF_INET ? "IPv4" : "IPv6", n->argv[1]);
		return -1;
	}
	if (a.family == AF_INET)
		ok = IN_MULTICAST(ntohl(a.u.v4.s_addr));
	else
		ok = IN6_IS_ADDR_MC_LINKLOCAL(&a.u.v6);
	if (!ok) {
		conf_error(cx, n, "%s is not a%s multicast address",
		    n->argv[1], a.family == AF_INET ? "n IPv4" :
		    " link-local IPv6");
		return -1;
	}
	*p = a;
	return 0;
}

int
vrrp_conf_set_garp_extra_if(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_conf_garp_params *g = VRRP_FIELD(obj, kw,
	    struct vrrp_conf_garp_params);
	long long v = -1;
	int all = 0;

	/* garp_extra_if [all] SECONDS, "all" on either side */
	for (unsigned i = 1; i < n->argc; i++) {
		if (strcmp(n->argv[i], "all") == 0 && !all)
			all = 1;
		else if (v != -1 ||
		    conf_parse_ll(n->argv[i], 0, 86400, &v) == -1) {
			conf_error(cx, n, "expected [all] <0..86400>, got '%s'",
			    n->argv[i]);
			return -1;
		}
	}
	if (v == -1) {
		conf_error(cx, n, "expected [all] <0..86400>");
		return -1;
	}
	g->extra_if = (int)v;
	g->extra_if_all = all;
	return 0;
}

/* nftables [TABLE]: the int flag at kw->lo, the name into the char *
 * field at kw->off. */
static int
set_use_strs(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	*(int *)(void *)((char *)obj + (size_t)kw->lo) = 1;
	return vrrp_conf_set_strs(cx, n, kw, obj);
}

/* vrrp_iptables [IN [OUT]], vrrp_ipsets [NAME...]: where the keyword is
 * into the struct conf_loc at kw->lo (vrrp_process_warn_globals names it),
 * the names into the char * fields from kw->off. */
static int
set_fw_strs(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	*(struct conf_loc *)(void *)((char *)obj + (size_t)kw->lo) = n->loc;
	return vrrp_conf_set_strs(cx, n, kw, obj);
}

/*
 * vrrp_min_garp [BOOL]: as keepalived 2.2.7's handler, one gratuitous ARP
 * / NA on becoming MASTER, no repeat, no refresh: the GARP globals that
 * still hold their default (in file order) become the minimum; one set
 * before, or after, keeps its value.
 */
static int
set_min_garp(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_conf *c = obj;
	struct vrrp_conf_garp_params *g = &c->g.garp;

	if (conf_set_flag(cx, n, kw, obj) == -1)
		return -1;
	if (!c->g.min_garp)
		return 0;
	if (g->master_repeat == VRRP_GARP_REPEAT)
		g->master_repeat = 1;
	/* master_refresh's default is already 0 (none) */
	if (g->master_refresh_repeat == 1)
		g->master_refresh_repeat = 0;
	if (g->master_delay == VRRP_GARP_DELAY)
		g->master_delay = 0;
	return 0;
}

static int
set_rx_bufs_policy(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_conf *c = obj;
	long long v;

	(void)kw;
	if (strcasecmp(n->argv[1], "MTU") == 0)
		c->g.rx_bufs_policy = 1;
	else if (strcasecmp(n->argv[1], "ADVERT") == 0)
		c->g.rx_bufs_policy = 2;
	else if (conf_parse_ll(n->argv[1], 1, UINT_MAX, &v) == 0) {
		c->g.rx_bufs_policy = 3;
		c->g.rx_bufs_size = (unsigned)v;
	} else {
		conf_error(cx, n, "expected MTU, ADVERT or a size in bytes, "
		    "got %s", n->argv[1]);
		return -1;
	}
	return 0;
}

static int
set_dynamic_interfaces(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct vrrp_conf *c = obj;

	(void)kw;
	if (n->argc > 1 && strcmp(n->argv[1], "allow_if_changes") != 0) {
		conf_error(cx, n, "expected [allow_if_changes], got %s",
		    n->argv[1]);
		return -1;
	}
	/* vigil follows an instance's interface by name as it comes, goes
	 * and changes kind or lower link, and faults an instance whose VRID
	 * a change puts twice on one wire (vrrp_engine_clash_check): what
	 * keepalived does with allow_if_changes, and vigil without it */
	c->g.dynamic_interfaces = 1;
	return 0;
}

static const struct conf_kw global_kw[] = {
	CONF_KW_RANGE("vrrp_mcast_group4", 1, 1, set_mcast_group,
	    G(mcast_group4), AF_INET, 0),
	CONF_KW_RANGE("vrrp_mcast_group6", 1, 1, set_mcast_group,
	    G(mcast_group6), AF_INET6, 0),
	CONF_KW_INT("vrrp_version", G(version), 2, 3),
	CONF_KW_INT("vrrp_garp_master_delay", G(garp.master_delay), 0, 86400),
	CONF_KW_INT("vrrp_garp_master_repeat", G(garp.master_repeat), 0, 1000),
	CONF_KW_INT("vrrp_garp_lower_prio_delay", G(garp.lower_prio_delay), 0,
	    86400),
	CONF_KW_INT("vrrp_garp_lower_prio_repeat", G(garp.lower_prio_repeat), 0,
	    1000),
	CONF_KW_INT("vrrp_garp_master_refresh", G(garp.master_refresh), 0,
	    86400),
	CONF_KW_INT("vrrp_garp_master_refresh_repeat",
	    G(garp.master_refresh_repeat), 0, 1000),
	CONF_KW("vrrp_garp_extra_if", 1, 2, vrrp_conf_set_garp_extra_if,
	    G(garp)),
	CONF_KW_DEPRECATED("vrrp_vmac_garp_intvl", 1, 2,
	    vrrp_conf_set_garp_extra_if, G(garp), 0, 0),
	CONF_KW_TIMER("vrrp_garp_interval", G(garp_interval), 1, 1000000000),
	CONF_KW_TIMER("vrrp_gna_interval", G(gna_interval), 1, 1000000000),
	CONF_KW("vrrp_min_garp", 0, 1, set_min_garp, G(min_garp)),
	CONF_KW_INT("vrrp_down_timer_adverts", G(down_timer_adverts), 1, 100),
	CONF_KW_FLAG("vrrp_lower_prio_no_advert", G(lower_prio_no_advert)),
	CONF_KW_FLAG("vrrp_higher_prio_send_advert",
	    G(higher_prio_send_advert)),
	CONF_KW_FLAG("vrrp_check_unicast_src", G(check_unicast_src)),
	CONF_KW_FLAG("vrrp_skip_check_adv_addr", G(skip_check_adv_addr)),
	CONF_KW_FLAG("vrrp_strict", G(strict)),
	CONF_KW_FLAG("vrrp_notify_priority_changes",
	    G(notify_priority_changes)),
	CONF_KW_RANGE("vrrp_iptables", 0, 2, set_fw_strs, G(iptables_in),
	    G(iptables_loc), 0),
	CONF_KW_RANGE("vrrp_ipsets", 0, 5, set_fw_strs, G(ipsets),
	    G(ipsets_loc), 0),
	CONF_KW_RANGE("nftables", 0, 1, set_use_strs, G(nft_table),
	    G(use_nftables), 0),
	CONF_KW_INT("nftables_priority", G(nft_priority), INT_MIN, INT_MAX),
	CONF_KW_FLAG("nftables_counters", G(nft_counters)),
	CONF_KW_FLAG("nftables_ifindex", G(nft_ifindex)),
	CONF_KW_INT("vrrp_priority", G(process_priority), -20, 19),
	CONF_KW_FLAG("vrrp_no_swap", G(no_swap)),
	CONF_KW_INT("vrrp_rt_priority", G(rt_priority), 1, 99),
	CONF_KW_UINT("vrrp_rlimit_rttime", G(rlimit_rttime), 2, UINT_MAX),
	CONF_KW_DEPRECATED("vrrp_rlimit_rtime", 1, 1, conf_set_uint,
	    G(rlimit_rttime), 2, UINT_MAX),
	CONF_KW_CPUS("vrrp_cpu_affinity", G(cpu_affinity), G(cpu_mask)),
	CONF_KW("vrrp_notify_fifo", 1, 3, vrrp_conf_set_notify, G(notify_fifo)),
	CONF_KW("vrrp_notify_fifo_script", 1, 3, vrrp_conf_set_notify,
	    G(notify_fifo_script)),
	CONF_KW_UINT("vrrp_netlink_cmd_rcv_bufs", G(netlink_cmd_rcv_bufs), 0,
	    UINT_MAX),
	CONF_KW_FLAG("vrrp_netlink_cmd_rcv_bufs_force",
	    G(netlink_cmd_rcv_bufs_force)),
	CONF_KW_UINT("vrrp_netlink_monitor_rcv_bufs",
	    G(netlink_monitor_rcv_bufs), 0, UINT_MAX),
	CONF_KW_FLAG("vrrp_netlink_monitor_rcv_bufs_force",
	    G(netlink_monitor_rcv_bufs_force)),
	CONF_KW("vrrp_rx_bufs_policy", 1, 1, set_rx_bufs_policy, 0),
	CONF_KW_INT("vrrp_rx_bufs_multiplier", G(rx_bufs_multiplier), 1,
	    1000000),
	CONF_KW_TIMER("vrrp_startup_delay", G(startup_delay), 0, 3600000000ULL),
	CONF_KW_STR("vmac_prefix", G(vmac_prefix)),
	CONF_KW_STR("vmac_addr_prefix", G(vmac_addr_prefix)),
	CONF_KW_END
};

/*
 * global_defs keywords that concern VRRP but that another subsystem may
 * also claim: registered one by one, a clash is not fatal.
 */
static const struct conf_kw shared_kw[][2] = {
	CONF_KW_ONE(CONF_KW_STR("default_interface", G(default_interface))),
	CONF_KW_ONE(CONF_KW("dynamic_interfaces", 0, 1, set_dynamic_interfaces,
	    0)),
	CONF_KW_ONE(CONF_KW_FLAG("disable_local_igmp",
	    G(disable_local_igmp))),
	CONF_KW_ONE(CONF_KW_FLAG("log_unknown_vrids", G(log_unknown_vrids))),
	CONF_KW_ONE(CONF_KW_FLAG("fifo_write_vrrp_states_on_reload",
	    G(fifo_write_states_on_reload))),
	CONF_KW_ONE(CONF_KW_FLAG("smtp_alert_vrrp", G(smtp_alert_vrrp))),
	CONF_KW_ONE(CONF_KW_FLAG("no_email_faults", G(no_email_faults))),
};

int
vrrp_conf_register(struct conf_registry *r)
{
	if (r == NULL)
		return -1;
	if (conf_registry_add(r, CONF_OWNER_VRRP, "global_defs",
	    global_kw) == -1)
		return -1;
	if (conf_registry_add_each(r, CONF_OWNER_VRRP, "global_defs",
	    shared_kw, sizeof(shared_kw) / sizeof(shared_kw[0])) == -1)
		return -1;
	if (vrrp_conf_register_syncd(r) == -1)
		return -1;
	if (vrrp_conf_register_instance(r) == -1)
		return -1;
	if (vrrp_conf_register_track(r) == -1)
		return -1;
	return 0;
}

struct vrrp_conf *
vrrp_conf_new(struct arena *a)
{
	struct vrrp_conf *c;
	struct vrrp_conf_globals *g;
	unsigned k;

	if (a == NULL || (c = arena_alloc(a, sizeof(*c))) == NULL)
		return NULL;
	c->arena = a;
	for (k = 0; k < VRRP_IX_MAX; k++)
		htab_init(&c->names[k], name_hash, a);
	htab_init(&c->identity, identity_hash, a);
	g = &c->g;
	g->mcast_group4.family = AF_INET;
	inet_pton(AF_INET, "224.0.0.18", &g->mcast_group4.u.v4);
	g->mcast_group6.family = AF_INET6;
	inet_pton(AF_INET6, "ff02::12", &g->mcast_group6.u.v6);
	g->version = 2;
	g->garp.master_delay = VRRP_GARP_DELAY;
	g->garp.master_repeat = VRRP_GARP_REPEAT;
	g->garp.lower_prio_delay = VRRP_UNSET;
	g->garp.lower_prio_repeat = VRRP_UNSET;
	g->garp.master_refresh = 0;
	g->garp.master_refresh_repeat = 1;
	g->garp.extra_if = 0;
	g->down_timer_adverts = 3;
	g->nft_priority = -1;
	g->rx_bufs_multiplier = 3;
	g->smtp_alert_vrrp = VRRP_UNSET;
	return c;
}

const struct vrrp_instance_conf *
vrrp_conf_find_instance(const struct vrrp_conf *c, const char *name)
{
	if (c == NULL || name == NULL)
		return NULL;
	return vrrp_conf_lookup(c, VRRP_IX_INSTANCE, name);
}
