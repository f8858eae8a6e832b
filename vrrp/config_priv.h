/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to vrrp/config*.c: shared handlers and per-file registration. */
#ifndef VIGIL_VRRP_CONFIG_PRIV_H
#define VIGIL_VRRP_CONFIG_PRIV_H

#include "config.h"

#define VRRP_FIELD(obj, kw, type) ((type *)(void *)((char *)(obj) + (kw)->off))

void vrrp_list_append(struct vrrp_list *l, void *item);
/* Allocate a zeroed object, reporting "out of memory" against n. */
void *vrrp_conf_alloc(struct conf_ctx *cx, const struct conf_node *n,
    size_t size);
char *vrrp_conf_strdup(struct conf_ctx *cx, const struct conf_node *n,
    const char *s);

/* Parse "weight W [reverse|noreverse|no_reverse]" from argv[i..]. */
int vrrp_parse_weight(struct conf_ctx *cx, const struct conf_node *n,
    unsigned i, long long lo, long long hi, int *weight, int *reverse);

/* List item handlers: kw->off is the struct vrrp_list in obj. */
conf_set_fn vrrp_set_track_item;	/* NAME [weight W [reverse]]; lo/hi */
conf_set_fn vrrp_set_name_item;		/* NAME (extra words: error) */
conf_set_fn vrrp_set_ipaddr_item;	/* VIP grammar */
conf_set_fn vrrp_set_route_item;	/* route grammar */
conf_set_fn vrrp_set_rule_item;		/* rule grammar */
/* Leaf: SCRIPT [user [group]] into the struct vrrp_notify at kw->off. */
conf_set_fn vrrp_set_notify;
/* [all] SECONDS into the struct vrrp_garp_params at kw->off. */
conf_set_fn vrrp_set_garp_extra_if;

/* Parse a scope name or number. 0 or -1. */
int vrrp_parse_scope(const char *s, int *scope);
const char *vrrp_scope_name(int scope, char *buf, size_t len);

int vrrp_conf_register_instance(struct conf_registry *r);
int vrrp_conf_register_track(struct conf_registry *r);

#endif
