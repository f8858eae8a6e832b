/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP child's trackers: the table of tracked objects by name, their
 * lives across reloads, and the verdict of an instance's tracking lines
 * (keepalived's weight semantics). The kinds live in track_script.c,
 * track_file.c and track_process.c.
 */
#include "autoconfig.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "global_conf.h"
#include "log.h"
#include "proc.h"
#include "script.h"
#include "vrrp/config.h"
#include "vrrp/track_priv.h"

static size_t
tobj_hash(const struct htab_node *n)
{
	return htab_hash_str(HTAB_ENTRY(n, struct tobj, node)->name);
}

static int
tobj_is(const struct htab_node *n, const void *key)
{
	return strcmp(HTAB_ENTRY(n, struct tobj, node)->name, key) == 0;
}

static size_t
tlink_hash(const struct htab_node *n)
{
	return htab_hash_str(HTAB_ENTRY(n, struct tlink, node)->name);
}

static int
tlink_is(const struct htab_node *n, const void *key)
{
	return strcmp(HTAB_ENTRY(n, struct tlink, node)->name, key) == 0;
}

struct tobj *
vrrp_track_find(const struct htab *h, const char *name)
{
	struct htab_node *n;

	if (name == NULL)
		return NULL;
	n = htab_find(h, htab_hash_str(name), tobj_is, name);
	return n != NULL ? HTAB_ENTRY(n, struct tobj, node) : NULL;
}

static void
changed_cb(evutil_socket_t fd, short what, void *arg)
{
	struct vrrp_track *t = arg;

	(void)fd;
	(void)what;
	if (t->changed != NULL)
		t->changed(t->arg);
}

void
vrrp_track_notify(struct vrrp_track *t)
{
	struct timeval now = { 0, 0 };

	if (t->changed_ev != NULL && !evtimer_pending(t->changed_ev, NULL))
		evtimer_add(t->changed_ev, &now);
}

struct vrrp_track *
vrrp_track_new(const struct proc_env *env, vrrp_track_changed_fn *changed,
    void *arg)
{
	struct vrrp_track *t;

	if (env == NULL || env->base == NULL || env->reaper == NULL)
		return NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->env = env;
	t->changed = changed;
	t->arg = arg;
	htab_init(&t->scripts, tobj_hash, NULL);
	htab_init(&t->files, tobj_hash, NULL);
	htab_init(&t->procs, tobj_hash, NULL);
	htab_init(&t->links, tlink_hash, NULL);
	t->changed_ev = evtimer_new(env->base, changed_cb, t);
	t->sr = script_runner_new(env->base, env->reaper);
	if (t->changed_ev == NULL || t->sr == NULL) {
		vrrp_track_free(t);
		return NULL;
	}
	return t;
}

void
vrrp_track_free(struct vrrp_track *t)
{
	struct tscript *s;
	struct tfile *f;
	struct tproc *p;
	struct tlink *l;

	if (t == NULL)
		return;
	while ((s = t->script_list) != NULL) {
		t->script_list = s->next;
		tscript_free(s);
	}
	while ((f = t->file_list) != NULL) {
		t->file_list = f->next;
		tfile_free(t, f);
	}
	while ((p = t->proc_list) != NULL) {
		t->proc_list = p->next;
		tproc_free(p);
	}
	while ((l = t->link_list) != NULL) {
		t->link_list = l->next;
		free(l);
	}
	while (t->bfd_list != NULL) {
		struct tbfd *b = t->bfd_list;

		t->bfd_list = b->next;
		free(b);
	}
	tfile_ctx_free(t);
	tproc_ctx_free(t);
	script_runner_free(t->sr);
	tscript_runs_free(t);
	htab_free(&t->scripts);
	htab_free(&t->files);
	htab_free(&t->procs);
	htab_free(&t->links);
	if (t->changed_ev != NULL)
		event_free(t->changed_ev);
	runas_defaults_clear(&t->runas);
	runas_defaults_clear(&t->runas_next);
	free(t);
}

int
vrrp_track_set_global(struct vrrp_track *t, const struct global_conf *g)
{
	if (runas_defaults_set(&t->runas_next, g) < 0) {
		log_err("tracking: out of memory");
		return -1;
	}
	t->runas_set = 1;
	if (t->proc_rcvbuf != g->process_monitor_rcv_bufs ||
	    t->proc_rcvbuf_force != g->process_monitor_rcv_bufs_force) {
		t->proc_rcvbuf = g->process_monitor_rcv_bufs;
		t->proc_rcvbuf_force = g->process_monitor_rcv_bufs_force;
		tproc_rcvbuf(t);
	}
	return 0;
}

/* ---- apply ---------------------------------------------------------------- */

static void
mark_lines(const struct htab *h, const struct vrrp_conf_list *l)
{
	const struct vrrp_conf_track *ln;
	struct tobj *o;

	for (ln = l->first; ln != NULL; ln = ln->next)
		if ((o = vrrp_track_find(h, ln->name)) != NULL)
			o->used = 1;
}

static void
mark_used(struct vrrp_track *t, const struct vrrp_conf *c)
{
	const struct vrrp_instance_conf *i;
	const struct vrrp_sync_group_conf *g;

	for (i = c->instances.first; i != NULL; i = i->next) {
		mark_lines(&t->scripts, &i->track_script);
		mark_lines(&t->files, &i->track_file);
		mark_lines(&t->procs, &i->track_process);
	}
	for (g = c->sync_groups.first; g != NULL; g = g->next) {
		mark_lines(&t->scripts, &g->track_script);
		mark_lines(&t->files, &g->track_file);
		mark_lines(&t->procs, &g->track_process);
	}
}

/* Scripts: keep the unchanged, replace the changed, add the new. The new
 * ones are started once unused ones are dropped. */
static int
apply_scripts(struct vrrp_track *t, const struct vrrp_conf *c, int user_moved)
{
	const struct vrrp_script_conf *sc;
	struct tscript *s, **pp;

	for (s = t->script_list; s != NULL; s = s->next)
		s->o.seen = s->o.used = 0;
	for (sc = c->scripts.first; sc != NULL; sc = sc->next) {
		s = (struct tscript *)vrrp_track_find(&t->scripts, sc->name);
		if (s != NULL && tscript_same(s, sc) &&
		    !(user_moved && s->user == NULL)) {
			s->o.seen = 1;
			s->o.weight = sc->weight;
			s->o.reverse = sc->weight_reverse;
			continue;
		}
		if (s != NULL) {
			log_info("vrrp_script %s: settings changed; restarting "
			    "it", sc->name);
			htab_del(&t->scripts, &s->o.node);
			for (pp = &t->script_list; *pp != s; pp = &(*pp)->next)
				;
			*pp = s->next;
			tscript_free(s);
		}
		if ((s = tscript_new(t, sc)) == NULL)
			return -1;
		s->o.seen = 1;
		htab_add(&t->scripts, &s->o.node);
		s->next = t->script_list;
		t->script_list = s;
	}
	return 0;
}

static int
apply_files(struct vrrp_track *t, const struct vrrp_conf *c)
{
	const struct vrrp_track_file_conf *fc;
	struct tfile *f, **pp;

	for (f = t->file_list; f != NULL; f = f->next)
		f->o.seen = f->o.used = 0;
	for (fc = c->track_files.first; fc != NULL; fc = fc->next) {
		f = (struct tfile *)vrrp_track_find(&t->files, fc->name);
		if (f != NULL && tfile_same(f, fc)) {
			f->o.seen = 1;
			f->o.weight = fc->weight;
			f->o.reverse = fc->weight_reverse;
			continue;
		}
		if (f != NULL) {
			htab_del(&t->files, &f->o.node);
			for (pp = &t->file_list; *pp != f; pp = &(*pp)->next)
				;
			*pp = f->next;
			tfile_free(t, f);
		}
		if ((f = tfile_new(t, fc)) == NULL)
			return -1;
		f->o.seen = 1;
		htab_add(&t->files, &f->o.node);
		f->next = t->file_list;
		t->file_list = f;
	}
	return 0;
}

static int
apply_procs(struct vrrp_track *t, const struct vrrp_conf *c, int *moved)
{
	const struct vrrp_track_process_conf *pc;
	struct tproc *p, **pp;

	for (p = t->proc_list; p != NULL; p = p->next)
		p->o.seen = p->o.used = 0;
	for (pc = c->track_processes.first; pc != NULL; pc = pc->next) {
		p = (struct tproc *)vrrp_track_find(&t->procs, pc->name);
		if (p != NULL && tproc_same(p, pc)) {
			p->o.seen = 1;
			p->o.weight = pc->weight;
			p->o.reverse = pc->weight_reverse;
			continue;
		}
		if (p != NULL) {
			htab_del(&t->procs, &p->o.node);
			for (pp = &t->proc_list; *pp != p; pp = &(*pp)->next)
				;
			*pp = p->next;
			tproc_free(p);
		}
		if ((p = tproc_new(t, pc)) == NULL)
			return -1;
		p->o.seen = 1;
		htab_add(&t->procs, &p->o.node);
		p->next = t->proc_list;
		t->proc_list = p;
		*moved = 1;
	}
	return 0;
}

/* Drop what the configuration no longer names or no line tracks. */
static void
sweep(struct vrrp_track *t, int *procs_moved)
{
	struct tscript *s, **sp;
	struct tfile *f, **fp;
	struct tproc *p, **pp;

	for (sp = &t->script_list; (s = *sp) != NULL;) {
		if (s->o.seen && s->o.used) {
			sp = &s->next;
			continue;
		}
		if (s->o.seen)
			log_info("vrrp_script %s: not tracked by any instance "
			    "or sync group; not run", s->o.name);
		*sp = s->next;
		htab_del(&t->scripts, &s->o.node);
		tscript_free(s);
	}
	for (fp = &t->file_list; (f = *fp) != NULL;) {
		if (f->o.seen && f->o.used) {
			fp = &f->next;
			continue;
		}
		*fp = f->next;
		htab_del(&t->files, &f->o.node);
		tfile_free(t, f);
	}
	for (pp = &t->proc_list; (p = *pp) != NULL;) {
		if (p->o.seen && p->o.used) {
			pp = &p->next;
			continue;
		}
		*pp = p->next;
		htab_del(&t->procs, &p->o.node);
		tproc_free(p);
		*procs_moved = 1;
	}
}

int
vrrp_track_apply(struct vrrp_track *t, const struct vrrp_conf *c)
{
	struct tscript *s;
	struct tfile *f;
	int user_moved, procs_moved = 0;

	if (t == NULL || c == NULL)
		return -1;
	user_moved = t->runas_set &&
	    !runas_defaults_equal(&t->runas, &t->runas_next);
	if (t->runas_set) {
		runas_defaults_clear(&t->runas);
		t->runas = t->runas_next;
		memset(&t->runas_next, 0, sizeof(t->runas_next));
		t->runas_set = 0;
	}
	if (apply_scripts(t, c, user_moved) < 0 || apply_files(t, c) < 0 ||
	    apply_procs(t, c, &procs_moved) < 0) {
		log_err("tracking: out of memory applying the configuration");
		return -1;
	}
	mark_used(t, c);
	sweep(t, &procs_moved);
	for (s = t->script_list; s != NULL; s = s->next)
		if (s->timer == NULL && !s->o.disabled)
			tscript_start(s);
	if (t->file_list != NULL && tfile_ctx_new(t) < 0)
		log_err("track_file: cannot watch files: out of resources");
	for (f = t->file_list; f != NULL; f = f->next)
		if (f->path == NULL && !f->o.disabled)
			tfile_start(t, f);
	if (procs_moved) {
		if (t->proc_list != NULL && tproc_ctx_new(t) < 0)
			log_err("track_process: cannot follow processes");
		tproc_sync(t);
	}
	t->applies++;
	vrrp_track_notify(t);
	return 0;
}

/* ---- links ---------------------------------------------------------------- */

static struct tlink *
link_find(const struct vrrp_track *t, const char *ifname)
{
	struct htab_node *n;

	n = htab_find(&t->links, htab_hash_str(ifname), tlink_is, ifname);
	return n != NULL ? HTAB_ENTRY(n, struct tlink, node) : NULL;
}

void
vrrp_track_link(struct vrrp_track *t, const char *ifname, int up)
{
	struct tlink *l;
	size_t len;

	if (t == NULL || ifname == NULL)
		return;
	up = up != 0;
	if ((l = link_find(t, ifname)) == NULL) {
		len = strlen(ifname) + 1;
		if ((l = calloc(1, sizeof(*l) + len)) == NULL) {
			log_err("track_interface %s: out of memory", ifname);
			return;
		}
		memcpy(l->name, ifname, len);
		l->up = !up;
		htab_add(&t->links, &l->node);
		l->next = t->link_list;
		t->link_list = l;
	}
	if (l->up == up)
		return;
	l->up = up;
	log_debug("track_interface %s: link %s", ifname, up ? "up" : "down");
	vrrp_track_notify(t);
}

/* ---- evaluation ----------------------------------------------------------- */

/* The weight and direction of a line: its own, else the object's. */
static void
line_weight(const struct vrrp_conf_track *ln, const struct tobj *o, int *w,
    int *rev)
{
	*w = ln->weight_set ? ln->weight : o->weight;
	if (ln->reverse)
		*rev = 1;
	else if (ln->noreverse)
		*rev = 0;
	else
		*rev = o->reverse;
}

static void
set_fault(struct vrrp_track_eval *out, const char *kind, const char *name,
    const char *state)
{
	if (!out->fault)
		snprintf(out->why, sizeof(out->why), "%s %s %s", kind, name,
		    state);
	out->fault = 1;
}

/* An up/down object: weight 0 is FAULT when down (up, with reverse);
 * else a positive weight counts while up, a negative one while down,
 * reverse flipping the sign. */
static void
eval_updown(struct vrrp_track_eval *out, int w, int rev, int up,
    const char *kind, const char *name, const char *state)
{
	int m = rev ? -1 : 1;

	if (w == 0) {
		if (up == rev)
			set_fault(out, kind, name, state != NULL ? state :
			    up ? "is up (reverse)" : "is down");
		return;
	}
	if (up && w > 0)
		out->delta += w * m;
	else if (!up && w < 0)
		out->delta += w * m;
}

static void
eval_file(struct vrrp_track_eval *out, const struct tfile *f, int w, int rev)
{
	char buf[48];
	int64_t st;

	if (w == 0) {
		if ((f->value != 0) != rev) {
			snprintf(buf, sizeof(buf), "has value %lld%s",
			    (long long)f->value, rev ? " (reverse)" : "");
			set_fault(out, "track_file", f->o.name, buf);
		}
		return;
	}
	st = f->value * (int64_t)w * (rev ? -1 : 1);
	if (st <= -254) {
		snprintf(buf, sizeof(buf), "has value %lld (weight %d%s)",
		    (long long)f->value, w, rev ? " reverse" : "");
		set_fault(out, "track_file", f->o.name, buf);
		return;
	}
	out->delta += st > 253 ? 253 : (int)st;
}

static void
eval_links(const struct vrrp_track *t, const struct vrrp_conf_list *ifs,
    int (*zero)(const char *, void *), void *arg,
    struct vrrp_track_eval *out)
{
	const struct tlink *l;
	int z;

	if (ifs == NULL)
		return;
	for (const struct vrrp_conf_track *ln = ifs->first; ln != NULL;
	    ln = ln->next) {
		l = link_find(t, ln->name);
		z = ln->weight != 0 && zero != NULL && zero(ln->name, arg);
		eval_updown(out, z ? 0 : ln->weight, z ? 0 : ln->reverse,
		    l != NULL && l->up, "interface", ln->name,
		    l == NULL ? "is not present" : NULL);
	}
}

void
vrrp_track_eval(const struct vrrp_track *t,
    const struct vrrp_conf_list *ifs, const struct vrrp_conf_list *scripts,
    const struct vrrp_conf_list *files, const struct vrrp_conf_list *procs,
    struct vrrp_track_eval *out)
{
	vrrp_track_eval_zero(t, ifs, NULL, NULL, scripts, files, procs, out);
}

void
vrrp_track_eval_zero(const struct vrrp_track *t,
    const struct vrrp_conf_list *ifs, int (*zero)(const char *, void *),
    void *arg, const struct vrrp_conf_list *scripts,
    const struct vrrp_conf_list *files, const struct vrrp_conf_list *procs,
    struct vrrp_track_eval *out)
{
	const struct vrrp_conf_track *ln;
	const struct tscript *s;
	const struct tfile *f;
	const struct tproc *p;
	char buf[96], q[32];
	int w, rev;

	memset(out, 0, sizeof(*out));
	if (t == NULL)
		return;
	eval_links(t, ifs, zero, arg, out);
	for (ln = scripts != NULL ? scripts->first : NULL; ln != NULL;
	    ln = ln->next) {
		s = (const struct tscript *)vrrp_track_find(&t->scripts,
		    ln->name);
		if (s == NULL || s->o.disabled)
			continue;
		line_weight(ln, &s->o, &w, &rev);
		if (!s->has_result) {
			if (w == 0)
				out->pending = 1;
			continue;
		}
		eval_updown(out, w, rev, s->up, "track_script",
		    s->o.name, NULL);
	}
	for (ln = files != NULL ? files->first : NULL; ln != NULL;
	    ln = ln->next) {
		f = (const struct tfile *)vrrp_track_find(&t->files, ln->name);
		if (f == NULL || f->o.disabled)
			continue;
		line_weight(ln, &f->o, &w, &rev);
		eval_file(out, f, w, rev);
	}
	for (ln = procs != NULL ? procs->first : NULL; ln != NULL;
	    ln = ln->next) {
		p = (const struct tproc *)vrrp_track_find(&t->procs, ln->name);
		if (p == NULL || p->o.disabled)
			continue;
		line_weight(ln, &p->o, &w, &rev);
		if (p->quorum_max == UINT_MAX)
			snprintf(q, sizeof(q), "%u", p->quorum);
		else
			snprintf(q, sizeof(q), "%u-%u", p->quorum,
			    p->quorum_max);
		snprintf(buf, sizeof(buf), "has %u matching process%s "
		    "(quorum %s)%s", p->count, p->count == 1 ? "" : "es", q,
		    p->up ? " (reverse)" : "");
		eval_updown(out, w, rev, p->up, "track_process", p->o.name,
		    buf);
	}
}

/* ---- BFD sessions ---------------------------------------------------------- */

static struct tbfd *
bfd_find(const struct vrrp_track *t, const char *name)
{
	for (struct tbfd *b = t->bfd_list; b != NULL; b = b->next)
		if (strcmp(b->name, name) == 0)
			return b;
	return NULL;
}

int
vrrp_track_bfd(struct vrrp_track *t, const char *name, const char *state)
{
	struct tbfd *b;
	int up = strcmp(state, "Up") == 0;

	if (t == NULL || strlen(name) >= sizeof(b->name))
		return 0;
	if ((b = bfd_find(t, name)) == NULL) {
		if ((b = calloc(1, sizeof(*b))) == NULL)
			return -1;
		snprintf(b->name, sizeof(b->name), "%s", name);
		b->next = t->bfd_list;
		t->bfd_list = b;
	}
	snprintf(b->state, sizeof(b->state), "%s", state);
	if (b->up == up)
		return 0;
	b->up = up;
	vrrp_track_notify(t);
	return 1;
}

int
vrrp_track_bfd_up(const struct vrrp_track *t, const char *name)
{
	const struct tbfd *b = t != NULL ? bfd_find(t, name) : NULL;

	return b != NULL && b->up;
}

void
vrrp_track_eval_bfd(const struct vrrp_track *t, const struct vrrp_conf_list *l,
    struct vrrp_track_eval *out)
{
	char buf[48];

	if (t == NULL || l == NULL)
		return;
	for (const struct vrrp_conf_track *ln = l->first; ln != NULL;
	    ln = ln->next) {
		const struct tbfd *b = bfd_find(t, ln->name);
		int up = b != NULL && b->up;

		snprintf(buf, sizeof(buf), "is %s%s", b != NULL ? b->state :
		    "not known yet", up ? " (reverse)" : "");
		eval_updown(out, ln->weight, ln->reverse, up, "track_bfd",
		    ln->name, buf);
	}
}

/* ---- dump ----------------------------------------------------------------- */

void
vrrp_track_dump(const struct vrrp_track *t, FILE *fp)
{
	const struct tscript *s;
	const struct tfile *f;
	const struct tproc *p;
	const struct tlink *l;

	if (t == NULL)
		return;
	for (s = t->script_list; s != NULL; s = s->next)
		tscript_dump(s, fp);
	for (f = t->file_list; f != NULL; f = f->next)
		tfile_dump(f, fp);
	for (p = t->proc_list; p != NULL; p = p->next)
		tproc_dump(p, fp);
	for (const struct tbfd *b = t->bfd_list; b != NULL; b = b->next)
		fprintf(fp, " Tracked BFD = %s\n   Status = %s\n", b->name,
		    b->up ? "UP" : "DOWN");
	for (l = t->link_list; l != NULL; l = l->next)
		fprintf(fp, " Tracked interface = %s, link %s\n", l->name,
		    l->up ? "up" : "down");
}
