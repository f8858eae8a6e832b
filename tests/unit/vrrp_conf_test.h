/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the VRRP configuration tests: load text or a file
 * through the global and VRRP keyword tables, collect diagnostics. */
#ifndef VIGIL_TEST_VRRP_CONF_TEST_H
#define VIGIL_TEST_VRRP_CONF_TEST_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "global_conf.h"
#include "vrrp/config.h"

#define SAMPLES TEST_SRCDIR "/tests/samples/keepalived/"

struct loaded {
	struct conf_tree *tree;
	struct conf_registry *reg;
	struct vrrp_conf *vc;
	struct conf_diag d;
	char *msgs;		/* every diagnostic, conf_diag_print format */
	size_t msgs_len;
	FILE *mf;
	unsigned nerr;		/* load + apply + check */
};

static inline void
apply(struct loaded *l)
{
	void *roots[CONF_OWNER_MAX] = { 0 };

	l->vc = vrrp_conf_new(l->tree->arena);
	ck_assert_ptr_nonnull(l->vc);
	roots[CONF_OWNER_GLOBAL] = global_conf_new(l->tree->arena);
	roots[CONF_OWNER_VRRP] = l->vc;
	l->nerr += conf_apply(l->reg, l->tree,
	    CONF_OWNER_BIT(CONF_OWNER_GLOBAL) | CONF_OWNER_BIT(CONF_OWNER_VRRP),
	    roots, l->tree->arena, &l->d);
	l->nerr += vrrp_conf_check(l->vc, &l->d);
	fflush(l->mf);
}

static inline void
setup(struct loaded *l)
{
	memset(l, 0, sizeof(*l));
	l->mf = open_memstream(&l->msgs, &l->msgs_len);
	ck_assert_ptr_nonnull(l->mf);
	l->d.emit = conf_diag_print;
	l->d.arg = l->mf;
	l->reg = conf_registry_new();
	ck_assert_ptr_nonnull(l->reg);
	ck_assert_int_eq(global_conf_register(l->reg), 0);
	ck_assert_int_eq(vrrp_conf_register(l->reg), 0);
}

static inline void
load_str(struct loaded *l, const char *text)
{
	struct conf_load_opts o;

	setup(l);
	memset(&o, 0, sizeof(o));
	o.config_id = "test";
	ck_assert_int_eq(conf_load_buffer("test.conf", text, strlen(text), &o,
	    &l->d, &l->tree), 0);
	apply(l);
}

static inline int
load_file(struct loaded *l, const char *path, const char *id)
{
	struct conf_load_opts o;

	setup(l);
	memset(&o, 0, sizeof(o));
	o.config_id = id;
	if (conf_load_file(path, &o, &l->d, &l->tree) == -1) {
		fflush(l->mf);
		return -1;
	}
	apply(l);
	return 0;
}

static inline void
unload(struct loaded *l)
{
	fclose(l->mf);
	free(l->msgs);
	conf_tree_free(l->tree);
	conf_registry_free(l->reg);
}

static inline int
has_msg(const struct loaded *l, const char *s)
{
	return l->msgs != NULL && strstr(l->msgs, s) != NULL;
}

/* ---- samples ----------------------------------------------------------- */

#endif
