/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the tracking and notify tests: a configuration
 * generation from text (global_defs and VRRP), a real event loop with a
 * reaper, bounded waits, a temporary directory and small files. */
#ifndef VIGIL_TEST_VRRP_TRACK_TEST_H
#define VIGIL_TEST_VRRP_TRACK_TEST_H

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>

#include "conf.h"
#include "global_conf.h"
#include "loop.h"
#include "proc.h"
#include "reap.h"
#include "subsys.h"
#include "vrrp/config.h"

struct gen {
	struct conf_tree *tree;
	struct conf_registry *reg;
	struct vigil_config vc;	/* conf[] filled; tree and arena borrowed */
	struct vrrp_conf *vrrp;
	struct global_conf *global;
};

static void
gen_diag(void *arg, enum conf_sev sev, const struct conf_loc *loc,
    const char *msg)
{
	(void)arg;
	if (sev == CONF_ERR)
		fprintf(stderr, "%s:%u: %s\n", loc->file, loc->line, msg);
}

/* A generation from text; every error fails the test. */
static inline void
gen_load(struct gen *g, const char *text)
{
	struct conf_load_opts o;
	struct conf_diag d;
	void *roots[CONF_OWNER_MAX] = { 0 };
	unsigned nerr;

	memset(g, 0, sizeof(*g));
	memset(&d, 0, sizeof(d));
	memset(&o, 0, sizeof(o));
	d.emit = gen_diag;
	o.config_id = "test";
	g->reg = conf_registry_new();
	ck_assert_ptr_nonnull(g->reg);
	ck_assert_int_eq(global_conf_register(g->reg), 0);
	ck_assert_int_eq(vrrp_conf_register(g->reg), 0);
	ck_assert_int_eq(conf_load_buffer("test.conf", text, strlen(text), &o,
	    &d, &g->tree), 0);
	g->vrrp = vrrp_conf_new(g->tree->arena);
	g->global = global_conf_new(g->tree->arena);
	roots[CONF_OWNER_GLOBAL] = g->global;
	roots[CONF_OWNER_VRRP] = g->vrrp;
	nerr = conf_apply(g->reg, g->tree, CONF_OWNER_BIT(CONF_OWNER_GLOBAL) |
	    CONF_OWNER_BIT(CONF_OWNER_VRRP), roots, g->tree->arena, &d);
	nerr += vrrp_conf_check(g->vrrp, &d);
	ck_assert_uint_eq(nerr, 0);
	g->vc.tree = g->tree;
	g->vc.arena = g->tree->arena;
	g->vc.generation = 1;
	g->vc.path = (char *)"test.conf";
	g->vc.conf[CONF_OWNER_GLOBAL] = g->global;
	g->vc.conf[CONF_OWNER_VRRP] = g->vrrp;
}

static inline void
gen_free(struct gen *g)
{
	conf_tree_free(g->tree);
	conf_registry_free(g->reg);
	memset(g, 0, sizeof(*g));
}

static inline const struct vrrp_instance_conf *
gen_instance(const struct gen *g, const char *name)
{
	const struct vrrp_instance_conf *i;

	i = vrrp_conf_find_instance(g->vrrp, name);
	ck_assert_msg(i != NULL, "no instance %s", name);
	return i;
}

/* ---- loop ------------------------------------------------------------- */

struct tloop {
	struct event_base *base;
	struct reaper *reaper;
	struct proc_env env;
};

static inline void
tloop_init(struct tloop *l)
{
	l->base = loop_new();
	ck_assert_ptr_nonnull(l->base);
	l->reaper = reaper_new(l->base);
	ck_assert_ptr_nonnull(l->reaper);
	l->env.base = l->base;
	l->env.reaper = l->reaper;
	l->env.proc = NULL;
}

static inline void
tloop_fini(struct tloop *l)
{
	reaper_free(l->reaper);
	event_base_free(l->base);
}

/* Run the loop for about ms milliseconds. */
static inline void
tloop_run(struct tloop *l, unsigned ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	event_base_loopexit(l->base, &tv);
	event_base_dispatch(l->base);
}

/* Run the loop until pred(arg) holds, at most max_ms; 1 if it held. */
static inline int
tloop_until(struct tloop *l, int (*pred)(void *), void *arg, unsigned max_ms)
{
	unsigned waited;

	for (waited = 0; waited <= max_ms; waited += 20) {
		if (pred(arg))
			return 1;
		tloop_run(l, 20);
	}
	return pred(arg);
}

/* ---- files ------------------------------------------------------------ */

static inline char *
tmp_dir(void)
{
	char tmpl[] = "/tmp/vigil-vt.XXXXXX", *d;

	d = mkdtemp(tmpl);
	ck_assert_ptr_nonnull(d);
	chmod(d, 0755);
	return strdup(d);
}

static inline void
rm_rf(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static inline void put_file(const char *path, mode_t mode, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static inline void
put_file(const char *path, mode_t mode, const char *fmt, ...)
{
	va_list ap;
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* The whole file as a string (malloc()ed), "" if missing. */
static inline char *
get_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);
	size_t n;

	ck_assert_ptr_nonnull(buf);
	if (f == NULL)
		return buf;
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static inline unsigned
count_lines(const char *path, const char *line)
{
	char *s = get_file(path), *p, *nl;
	unsigned n = 0;
	size_t len = strlen(line);

	for (p = s; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			break;
		if ((size_t)(nl - p) == len && strncmp(p, line, len) == 0)
			n++;
	}
	free(s);
	return n;
}

#endif
