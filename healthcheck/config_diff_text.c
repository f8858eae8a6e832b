/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A reload of the virtual and real servers in words: one line per
 * virtual server added, removed or changed (naming the settings that
 * changed and what happens to its IPVS service) and per real server
 * added, removed or changed (and its IPVS destination). The parent logs
 * these on reload and vigilctl diff shows them before one (struct subsys'
 * conf_diff_text): one function, one wording.
 */
#include "config_priv.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "subsys.h"

#define LINE_MAX_LEN 1024

struct text {
	subsys_line_fn *fn;
	void *arg;
};

static void
say(struct text *t, unsigned flags, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(struct text *t, unsigned flags, const char *fmt, ...)
{
	char line[LINE_MAX_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	t->fn(t->arg, flags, line);
}

/* The keyword an admin wrote for a struct field, when it differs. */
static const char *
field_word(const char *f)
{
	static const char *const map[][2] = {
		{ "sched", "lb_algo" }, { "flags", "scheduler flags" },
		{ "fwd", "lb_kind" }, { "group", "group entries" },
		{ "sorry", "sorry_server" }, { "list", "checkers" },
		{ "persistence_mask", "persistence_granularity" },
		{ "persistence_prefix", "persistence_granularity" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], f) == 0)
			return map[i][1];
	return f;
}

/* Fields whose change another field already names. */
static int
field_quiet(const char *f)
{
	return strcmp(f, "n") == 0 ||	/* chk_rs_checks: the checkers */
	    strcmp(f, "checks") == 0 ||	/* chk_rs_conf: named inside */
	    strcmp(f, "persistence_set") == 0 ||
	    strcmp(f, "persistence_prefix") == 0;
}

/* The settings of layout l that differ between a and b, by name; the
 * ones in skip (NULL-ended) are said by the caller. */
static void
fields_changed(struct subsys_what *w, const struct chk_conf_layout *l, const void *a,
    const void *b, const char *const *skip)
{
	for (size_t i = 0; i < l->nfields; i++) {
		const struct chk_conf_field *f = &l->fields[i];
		struct chk_conf_layout one = { l->name, l->size, l->align, f,
		    1 };
		int said = 0;

		if (f->how == CHK_CMP_SKIP || field_quiet(f->name))
			continue;
		/* no sorry server on either side: its defaults do not
		 * count */
		if (strcmp(f->name, "sorry") == 0 &&
		    !((const struct chk_sorry_conf *)((const char *)a +
		    f->off))->set && !((const struct chk_sorry_conf *)
		    ((const char *)b + f->off))->set)
			continue;
		for (const char *const *s = skip; *s != NULL; s++)
			said |= strcmp(*s, f->name) == 0;
		if (!said && !chk_conf_layout_eq(&one, a, b))
			subsys_what_add(w, "%s", field_word(f->name));
	}
}

static int
vs_ipvs_changed(const struct chk_vs_conf *o, const struct chk_vs_conf *n)
{
	return strcmp(o->sched, n->sched) != 0 || o->flags != n->flags ||
	    o->persistence_timeout != n->persistence_timeout ||
	    addr_cmp(&o->persistence_mask, &n->persistence_mask) != 0 ||
	    o->persistence_prefix != n->persistence_prefix ||
	    !conf_str_eq(o->persistence_engine, n->persistence_engine);
}

static void
vs_changed(struct text *t, const char *name, const struct chk_vs_conf *o,
    const struct chk_vs_conf *n)
{
	static const char *const said[] = { "sched", "fwd", NULL };
	struct subsys_what w = { .at = 0 };

	w.buf[0] = '\0';
	if (strcmp(o->sched, n->sched) != 0)
		subsys_what_add(&w, "lb_algo %s -> %s", o->sched, n->sched);
	if (o->fwd.method != n->fwd.method)
		subsys_what_add(&w, "lb_kind %s -> %s", chk_conf_fwd_name(o->fwd.method),
		    chk_conf_fwd_name(n->fwd.method));
	fields_changed(&w, &chk_conf_vs_layout, o, n, said);
	if (w.at == 0)
		subsys_what_add(&w, "settings");
	say(t, SUBSYS_LINE_BULK, "virtual server %s: changed: %s%s", name,
	    w.buf,
	    vs_ipvs_changed(o, n) ? "; IPVS service edited" : "");
}

static void
rs_changed(struct text *t, const char *name, const char *rs,
    const struct chk_rs_conf *o, const struct chk_rs_conf *n)
{
	static const char *const said[] = { "weight", "fwd", NULL };
	struct subsys_what w = { .at = 0 };

	w.buf[0] = '\0';
	if (o->weight != n->weight)
		subsys_what_add(&w, "weight %d -> %d", o->weight, n->weight);
	if (o->fwd.method != n->fwd.method)
		subsys_what_add(&w, "lvs_method %s -> %s", chk_conf_fwd_name(o->fwd.method),
		    chk_conf_fwd_name(n->fwd.method));
	fields_changed(&w, &chk_conf_rs_layout, o, n, said);
	fields_changed(&w, &chk_conf_rs_checks_layout, o->checks, n->checks,
	    said);
	if (w.at == 0)
		subsys_what_add(&w, "settings");
	say(t, SUBSYS_LINE_BULK, "virtual server %s: real server %s: "
	    "changed: %s", name, rs, w.buf);
}

/* alpha: a check starts down (healthcheck/engine.c), and so does the
 * real server whose checks are not all up */
static int
starts_down(const struct chk_rs_conf *rs)
{
	for (const struct chk_checker_conf *c = rs->checks->list; c != NULL;
	    c = c->next)
		if (c->alpha)
			return 1;
	return 0;
}

static void
text_ev(void *arg, const struct chk_conf_diff_ev *ev)
{
	struct text *t = arg;
	const struct chk_vs_conf *vs = ev->vs_new != NULL ? ev->vs_new :
	    ev->vs_old;
	const struct chk_rs_conf *rs = ev->rs_new != NULL ? ev->rs_new :
	    ev->rs_old;
	char name[160], a[ADDR_STRLEN], r[ADDR_STRLEN + 16];

	if (ev->kind == CONF_DIFF_UNCHANGED || vs == NULL)
		return;
	chk_conf_vs_name(vs, name, sizeof(name));
	if (!ev->is_rs) {
		switch (ev->kind) {
		case CONF_DIFF_ADDED:
			say(t, SUBSYS_LINE_BULK, "virtual server %s: added "
			    "(lb_algo %s, lb_kind %s, %u real server(s)): "
			    "IPVS service added", name, vs->sched,
			    chk_conf_fwd_name(vs->fwd.method), vs->nrs);
			break;
		case CONF_DIFF_REMOVED:
			say(t, SUBSYS_LINE_BULK, "virtual server %s: "
			    "removed: IPVS service and its destinations "
			    "deleted", name);
			break;
		default:
			vs_changed(t, name, ev->vs_old, ev->vs_new);
			break;
		}
		return;
	}
	if (rs == NULL)
		return;
	snprintf(r, sizeof(r), "[%s]:%u", addr_ntop(&rs->addr, a, sizeof(a)),
	    rs->port);
	switch (ev->kind) {
	case CONF_DIFF_ADDED:
		say(t, SUBSYS_LINE_BULK, "virtual server %s: real server %s: "
		    "added (weight %d, %u check(s)): IPVS destination %s",
		    name, r, rs->weight, rs->checks->n, starts_down(rs) ?
		    "once its checks pass" : "added");
		break;
	case CONF_DIFF_REMOVED:
		say(t, SUBSYS_LINE_BULK, "virtual server %s: real server %s: "
		    "removed: IPVS destination deleted", name, r);
		break;
	default:
		rs_changed(t, name, r, ev->rs_old, ev->rs_new);
		break;
	}
}

int
chk_conf_diff_text(const void *old, const void *new, subsys_line_fn *fn,
    void *arg)
{
	struct text t = { fn, arg };

	return chk_conf_diff(old, new, NULL, text_ev, &t);
}
