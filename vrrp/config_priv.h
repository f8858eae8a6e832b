/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to vrrp/config*.c: shared handlers and per-file registration. */
#ifndef VIGIL_VRRP_CONFIG_PRIV_H
#define VIGIL_VRRP_CONFIG_PRIV_H

#include <stddef.h>

#include "config.h"

#define VRRP_FIELD(obj, kw, type) ((type *)(void *)((char *)(obj) + (kw)->off))

void vrrp_conf_list_append(struct vrrp_conf_list *l, void *item);

/* Top-level objects laid out as { next; loc; name; name_node; ... }. */
struct vrrp_conf_named {
	struct vrrp_conf_named *next;
	struct conf_loc loc;
	char *name;
	struct htab_node name_node;
};

/* Route and rule items begin alike: { next; loc; argc; argv; ... }. */
struct vrrp_conf_argv_item {
	struct vrrp_conf_argv_item *next;
	struct conf_loc loc;
	unsigned argc;
	char **argv;
};

/* Append a named object to its list and index it; 0, or -1 if out of
 * memory. */
int vrrp_conf_link_named(struct vrrp_conf *c, enum vrrp_ix k, void *obj);
/* The object named name in the list indexed by k, or NULL. */
void *vrrp_conf_lookup(const struct vrrp_conf *c, enum vrrp_ix k,
    const char *name);

/* Instance identity key: (interface, VRID, family). */
size_t vrrp_conf_instance_key_hash(const struct vrrp_instance_conf *vi);
int vrrp_conf_instance_same_key(const struct vrrp_instance_conf *a,
    const struct vrrp_instance_conf *b);
/* Allocate a zeroed object, reporting "out of memory" against n. */
/* A zeroed named object (struct vrrp_conf_named layout) at n's location. */
void *vrrp_conf_named_new(struct conf_ctx *cx, const struct conf_node *n,
    size_t size, const char *name);

/* Parse "weight W [reverse|noreverse|no_reverse]" from argv[i..]. */
int vrrp_conf_parse_weight(struct conf_ctx *cx, const struct conf_node *n,
    unsigned i, long long lo, long long hi, int *weight, int *reverse);

/* Leaf: the arguments into consecutive char * fields from kw->off. */
conf_set_fn vrrp_conf_set_strs;
/* Leaf: store kw->lo into the int at kw->off. */
conf_set_fn vrrp_conf_set_const;

/* List item handlers: kw->off is the struct vrrp_conf_list in obj. */
/* NAME [weight W [reverse]]; lo/hi */
conf_set_fn vrrp_conf_set_track_item;
/* NAME (extra words: error) */
conf_set_fn vrrp_conf_set_name_item;
conf_set_fn vrrp_conf_set_ipaddr_item;	/* VIP grammar */
conf_set_fn vrrp_conf_set_route_item;	/* route grammar */
conf_set_fn vrrp_conf_set_rule_item;		/* rule grammar */
/* Leaf: SCRIPT [user [group]] into the struct vrrp_conf_notify at kw->off. */
conf_set_fn vrrp_conf_set_notify;
/* [all] SECONDS into the struct vrrp_conf_garp_params at kw->off. */
conf_set_fn vrrp_conf_set_garp_extra_if;

/* use_vmac on c's VIPs and eVIPs where keepalived refuses it, reported at
 * each address's line: the number of errors. */
unsigned vrrp_conf_check_addr_vmac(struct conf_ctx *cx,
    const struct vrrp_instance_conf *c);

/* VMACs of single VIPs shared by instances with the same VRID outside one
 * sync group, reported at the later one: the number of errors. */
unsigned vrrp_conf_check_vmac_shared(const struct vrrp_conf *c,
    struct conf_diag *d);

/* The name of a scope number (or the number) in buf. */
const char *vrrp_conf_scope_name(int scope, char *buf, size_t len);

/* track_bfd item: NAME [weight W [reverse]], NAME a bfd_instance given
 * before (its weight and reverse the default) that reports to VRRP. */
conf_set_fn vrrp_conf_set_track_bfd_item;

/* The tracking keywords an instance and a sync group share, into the lists
 * of the same names in struct T. */
#define VRRP_CONF_TRACK_KW(T)						\
	CONF_KW_LIST("track_interface", vrrp_conf_set_track_item,	\
	    offsetof(T, track_if), -253, 253),				\
	CONF_KW_LIST("track_script", vrrp_conf_set_track_item,		\
	    offsetof(T, track_script), -253, 253),			\
	CONF_KW_LIST("track_file", vrrp_conf_set_track_item,		\
	    offsetof(T, track_file), -254, 254),			\
	CONF_KW_LIST("track_process", vrrp_conf_set_track_item,	\
	    offsetof(T, track_process), -254, 254),			\
	CONF_KW_LIST("track_bfd", vrrp_conf_set_track_bfd_item,	\
	    offsetof(T, track_bfd), -253, 253)
/* The notify scripts an instance and a sync group share, into the struct
 * vrrp_conf_notify fields of the same names in struct T. */
#define VRRP_CONF_NOTIFY_KW(T)						\
	CONF_KW("notify_master", 1, 3, vrrp_conf_set_notify,		\
	    offsetof(T, notify_master)),				\
	CONF_KW("notify_backup", 1, 3, vrrp_conf_set_notify,		\
	    offsetof(T, notify_backup)),				\
	CONF_KW("notify_fault", 1, 3, vrrp_conf_set_notify,		\
	    offsetof(T, notify_fault)),					\
	CONF_KW("notify_stop", 1, 3, vrrp_conf_set_notify,		\
	    offsetof(T, notify_stop)),					\
	CONF_KW("notify", 1, 3, vrrp_conf_set_notify, offsetof(T, notify))

int vrrp_conf_register_instance(struct conf_registry *r);
int vrrp_conf_register_track(struct conf_registry *r);

#endif
