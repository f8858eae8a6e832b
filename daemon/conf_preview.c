/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A reload's changes in words, for the reload's log and for vigilctl diff
 * (conf_preview.h).
 */
#include "autoconfig.h"

#include "conf_preview.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "vconfig.h"

/*
 * Top-level blocks no subsystem's conf_diff_text speaks for (global_defs,
 * vrrp_script, track_file, track_process, garp_group, ...), compared as
 * written: "vrrp_script chk_web: changed". The blocks named here are said
 * by the subsystems, object by object.
 */
static int
said_by_subsystem(const char *kw)
{
	static const char *const said[] = { "vrrp_instance",
	    "vrrp_sync_group", "virtual_server", "virtual_server_group",
	    "static_ipaddress", "static_routes", "static_rules", NULL };

	for (const char *const *k = said; *k != NULL; k++)
		if (strcmp(*k, kw) == 0)
			return 1;
	return 0;
}

static int
same_key(const struct conf_node *a, const struct conf_node *b)
{
	return strcmp(a->argv[0], b->argv[0]) == 0 &&
	    conf_str_eq(a->argc > 1 ? a->argv[1] : NULL,
	    b->argc > 1 ? b->argv[1] : NULL);
}

/* 1 equal, 0 not, -1 out of memory */
static int
same_block(const struct conf_node *a, const struct conf_node *b)
{
	if (a->argc != b->argc)
		return 0;
	for (unsigned i = 0; i < a->argc; i++)
		if (strcmp(a->argv[i], b->argv[i]) != 0)
			return 0;
	return conf_nodes_equal(a->child, b->child);
}

/* The untyped top-level blocks of a tree, in order. */
static const struct conf_node **
untyped(const struct vigil_config *c, size_t *n)
{
	const struct conf_node **v = NULL, **nv;
	size_t cap = 0;

	*n = 0;
	for (const struct conf_node *x = c != NULL && c->tree != NULL ?
	    c->tree->first : NULL; x != NULL; x = x->next) {
		if (!x->block || said_by_subsystem(x->argv[0]))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				free(v);
				*n = 0;
				return NULL;
			}
			v = nv;
		}
		v[(*n)++] = x;
	}
	return v;
}

static void
say_block(subsys_line_fn *fn, void *arg, const struct conf_node *x,
    const char *what)
{
	char line[512];

	if (x->argc > 1)
		snprintf(line, sizeof(line), "%s %s: %s", x->argv[0],
		    x->argv[1], what);
	else
		snprintf(line, sizeof(line), "%s: %s", x->argv[0], what);
	fn(arg, 0, line);
}

static int
blocks(const struct vigil_config *old, const struct vigil_config *new,
    subsys_line_fn *fn, void *arg)
{
	size_t no, nn, i, j;
	const struct conf_node **o = untyped(old, &no), **n = untyped(new,
	    &nn);
	unsigned char *used = no > 0 ? calloc(no, 1) : NULL;
	int rc = 0, eq;

	if ((no > 0 && (o == NULL || used == NULL)) || (nn > 0 && n == NULL))
		rc = -1;
	for (i = 0; rc == 0 && i < nn; i++) {
		for (j = 0; j < no; j++)
			if (!used[j] && same_key(o[j], n[i]))
				break;
		if (j == no) {
			say_block(fn, arg, n[i], "added");
			continue;
		}
		used[j] = 1;
		if ((eq = same_block(o[j], n[i])) < 0)
			rc = -1;
		else if (!eq)
			say_block(fn, arg, n[i], "changed");
	}
	for (j = 0; rc == 0 && j < no; j++)
		if (!used[j])
			say_block(fn, arg, o[j], "removed");
	free(o);
	free(n);
	free(used);
	return rc;
}

int
conf_preview(const struct vigil_config *old, const struct vigil_config *new,
    subsys_line_fn *fn, void *arg)
{
	int rc = 0;

	for (const struct subsys *const *s = vigil_subsystems; *s != NULL;
	    s++) {
		const void *o = old != NULL ? old->conf[(*s)->owner] : NULL;
		const void *n = new != NULL ? new->conf[(*s)->owner] : NULL;

		if ((*s)->conf_diff_text == NULL || (o == NULL && n == NULL))
			continue;
		if ((*s)->conf_diff_text(o, n, fn, arg) < 0)
			rc = -1;
	}
	if (blocks(old, new, fn, arg) < 0)
		rc = -1;
	return rc;
}

const char *
conf_reload_refusal(const struct vigil_config *next, char *buf, size_t len)
{
	const struct conf_node *last = next->tree->first;
	enum conf_owner o;

	/* the last statement was a checker's block, not kept in the tree
	 * (vconfig_load_run) */
	if (next->last_dropped)
		return NULL;
	if (last == NULL)
		return "it has no configuration statements (empty, or being "
		    "rewritten?)";
	while (last->next != NULL)
		last = last->next;
	if (!last->block && last->argc == 1 &&
	    conf_registry_find(vconfig_registry(), "", last->argv[0], &o) ==
	    NULL) {
		snprintf(buf, len, "its last statement, '%s' at %s:%u, is no "
		    "keyword (a file cut short while it is written?)",
		    last->argv[0], last->loc.file, last->loc.line);
		return buf;
	}
	return NULL;
}

/* ---- vigilctl diff ------------------------------------------------------------ */

struct print {
	FILE *out;
	unsigned lines;
};

static void
print_line(void *arg, unsigned flags, const char *line)
{
	struct print *p = arg;

	(void)flags;
	fprintf(p->out, "%s\n", line);
	p->lines++;
}

int
conf_preview_file(const struct vigil_config *cur, const char *path,
    const struct conf_load_opts *lo, FILE *out)
{
	struct conf_diag d = { .emit = conf_diag_print, .arg = out };
	struct print p = { out, 0 };
	struct vigil_config *next;
	char buf[512];
	const char *why;

	if (vconfig_load(path, lo, &d, &next) < 0) {
		fprintf(out, "%s: %u error(s): a reload would be rejected; "
		    "configuration generation %u would keep running\n", path,
		    d.nerr, cur->generation);
		return -1;
	}
	if ((why = conf_reload_refusal(next, buf, sizeof(buf))) != NULL) {
		fprintf(out, "%s: %s: a reload would be rejected; "
		    "configuration generation %u would keep running\n", path,
		    why, cur->generation);
		vconfig_free(next);
		return -1;
	}
	if (conf_preview(cur, next, print_line, &p) < 0)
		fprintf(out, "out of memory: the changes above are not all\n");
	if (p.lines == 0)
		fprintf(out, "%s: no change to configuration generation %u "
		    "(%u warning(s))\n", path, cur->generation, d.nwarn);
	else
		fprintf(out, "%s: %u change(s) to configuration generation "
		    "%u (%u warning(s))\n", path, p.lines, cur->generation,
		    d.nwarn);
	vconfig_free(next);
	return 0;
}

/* ---- the reload's log ----------------------------------------------------------- */

struct logged {
	unsigned bulk, dropped;
};

static void
log_line(void *arg, unsigned flags, const char *line)
{
	struct logged *l = arg;

	if ((flags & SUBSYS_LINE_BULK) &&
	    l->bulk++ >= CONF_PREVIEW_LOG_BULK) {
		l->dropped++;
		return;
	}
	log_info("reload: %s", line);
}

void
conf_preview_log(const struct vigil_config *old, const struct vigil_config *new)
{
	struct logged l = { 0, 0 };
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (conf_preview(old, new, log_line, &l) < 0)
		log_err("reload: out of memory listing the changes; the "
		    "reload goes on");
	if (l.dropped > 0)
		log_info("reload: %u more virtual or real server change(s) "
		    "not logged (vigilctl diff lists every one before a "
		    "reload)", l.dropped);
	log_debug("listed the reload's changes in %.1f ms",
	    subsys_ms_since(&t0));
}
