/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "subsys.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "global_conf.h"
#include "log.h"

/* Phase timings are logged at debug level (-D; bench/reload reads them). */
double
subsys_ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* "global+vrrp+checker": the subsystems whose owners are in mask. */
static const char *
owners_name(const struct subsys *const *tab, unsigned mask, char *buf,
    size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (; *tab != NULL && at < len; tab++)
		if (mask & CONF_OWNER_BIT((*tab)->owner))
			at += (size_t)snprintf(buf + at, len - at, "%s%s",
			    at > 0 ? "+" : "", (*tab)->name);
	return buf;
}

static void *
global_new(struct arena *a)
{
	return global_conf_new(a);
}

static void
global_dump(const void *conf, FILE *fp)
{
	global_conf_dump(conf, fp);
}

const struct subsys global_subsys = {
	.name = "global",
	.owner = CONF_OWNER_GLOBAL,
	.conf_register = global_conf_register,
	.conf_new = global_new,
	.conf_dump = global_dump,
	.conf_host_check = global_conf_host_check,
};

struct conf_registry *
subsys_registry_new(const struct subsys *const *tab)
{
	struct conf_registry *r;
	unsigned seen = 0;

	/* one owner number per subsystem, in range */
	for (const struct subsys *const *s = tab; *s != NULL; s++) {
		if ((unsigned)(*s)->owner >= CONF_OWNER_MAX ||
		    (seen & CONF_OWNER_BIT((*s)->owner)))
			return NULL;
		seen |= CONF_OWNER_BIT((*s)->owner);
	}
	if ((r = conf_registry_new()) == NULL)
		return NULL;
	for (; *tab != NULL; tab++) {
		if ((*tab)->conf_register(r) < 0) {
			conf_registry_free(r);
			return NULL;
		}
	}
	return r;
}

void
vconfig_free(struct vigil_config *c)
{
	if (c == NULL)
		return;
	conf_tree_free(c->tree);
	arena_free(c->arena);
	for (unsigned i = 0; i < CONF_OWNER_MAX; i++)
		free(c->part[i]);
	free(c);
}

/* A configuration with every owner's empty root; NULL after reporting. */
static struct vigil_config *
config_new(const struct subsys *const *tab, unsigned owners, const char *path,
    struct conf_diag *d)
{
	struct vigil_config *c = calloc(1, sizeof(*c));

	if (c == NULL || (c->arena = arena_new()) == NULL) {
		free(c);
		conf_diag_report(d, CONF_ERR, NULL, "out of memory");
		return NULL;
	}
	c->owners = owners | CONF_OWNER_BIT(CONF_OWNER_GLOBAL);
	c->path = arena_strdup(c->arena, path != NULL ? path : "-");
	c->generation = 1;
	for (const struct subsys *const *s = tab; *s != NULL; s++) {
		if (!(c->owners & CONF_OWNER_BIT((*s)->owner)))
			continue;
		c->conf[(*s)->owner] = (*s)->conf_new(c->arena);
		if (c->conf[(*s)->owner] == NULL) {
			conf_diag_report(d, CONF_ERR, NULL, "out of memory");
			vconfig_free(c);
			return NULL;
		}
	}
	return c;
}

/* Every owner's finalize; 0, or -1 with c freed. */
static int
config_finish(const struct subsys *const *tab, struct vigil_config *c,
    struct conf_diag *d, const struct timespec *t0)
{
	char name[128];

	for (const struct subsys *const *s = tab; *s != NULL; s++) {
		void *conf = c->conf[(*s)->owner];

		if (conf != NULL && (*s)->conf_finalize != NULL &&
		    (*s)->conf_finalize(conf, d) != 0) {
			vconfig_free(c);
			return -1;
		}
	}
	log_debug("built the %s configuration in %.1f ms",
	    owners_name(tab, c->owners, name, sizeof(name)), subsys_ms_since(t0));
	return 0;
}

int
vconfig_build_begin(struct vconfig_build *b, const struct subsys *const *tab,
    const struct conf_registry *reg, struct conf_tree *tree, unsigned owners,
    const char *path, struct conf_diag *d)
{
	memset(b, 0, sizeof(*b));
	if (reg == NULL) {
		conf_diag_report(d, CONF_ERR, NULL,
		    "keyword registry could not be built");
		conf_tree_free(tree);
		return -1;
	}
	if ((b->c = config_new(tab, owners, path, d)) == NULL) {
		conf_tree_free(tree);
		return -1;
	}
	b->c->tree = tree;
	b->tab = tab;
	b->reg = reg;
	b->d = d;
	b->nerr = d->nerr;
	b->at = tree != NULL ? tree->first : NULL;
	if (tree == NULL)	/* reported as conf_apply reports it */
		(void)conf_apply(reg, NULL, b->c->owners, b->c->conf,
		    b->c->arena, d);
	return 0;
}

static uint64_t
mono_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000;
}

int
vconfig_build_step(struct vconfig_build *b, uint64_t budget)
{
	uint64_t t0 = mono_usec(), now = t0;
	struct conf_tree one = { .arena = NULL };

	if (b->at == NULL)
		return 0;
	one.arena = b->c->tree->arena;

	/* each top-level statement alone, as vconfig_from_encoded applies
	 * them: the walk keeps nothing from one statement to the next */
	while (b->at != NULL) {
		struct conf_node *n = b->at;

		b->at = n->next;
		n->next = NULL;
		one.first = n;
		conf_apply(b->reg, &one, b->c->owners, b->c->conf,
		    b->c->arena, b->d);
		n->next = b->at;
		now = mono_usec();
		if (now - t0 >= budget)
			break;
	}
	b->usec += now - t0;
	return b->at != NULL;
}

int
vconfig_build_end(struct vconfig_build *b, struct vigil_config **out)
{
	struct vigil_config *c = b->c;
	struct timespec t0;
	uint64_t ns;

	*out = NULL;
	while (c != NULL && b->at != NULL)
		(void)vconfig_build_step(b, UINT64_MAX);
	b->c = NULL;
	if (c == NULL || b->d->nerr != b->nerr) {
		vconfig_free(c);
		return -1;
	}
	/* the time the steps took, not the gaps between them */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ns = b->usec * 1000;
	t0.tv_sec -= (time_t)(ns / 1000000000u);
	t0.tv_nsec -= (long)(ns % 1000000000u);
	if (t0.tv_nsec < 0) {
		t0.tv_sec--;
		t0.tv_nsec += 1000000000L;
	}
	if (config_finish(b->tab, c, b->d, &t0) != 0)
		return -1;
	*out = c;
	return 0;
}

void
vconfig_build_abort(struct vconfig_build *b)
{
	vconfig_free(b->c);
	b->c = NULL;
	b->at = NULL;
}

int
vconfig_from_tree(const struct subsys *const *tab,
    const struct conf_registry *reg, struct conf_tree *tree, unsigned owners,
    const char *path, struct conf_diag *d, struct vigil_config **out)
{
	struct vconfig_build b;

	*out = NULL;
	if (vconfig_build_begin(&b, tab, reg, tree, owners, path, d) < 0)
		return -1;
	return vconfig_build_end(&b, out);
}

struct from_enc {
	const struct conf_registry *reg;
	struct vigil_config *c;
	struct conf_diag *d;
};

static void
enc_top(void *arg, const struct conf_node *n)
{
	struct from_enc *fe = arg;
	struct conf_tree one = { .first = (struct conf_node *)n };

	/* n->next is NULL: n alone is applied */
	conf_apply(fe->reg, &one, fe->c->owners, fe->c->conf, fe->c->arena,
	    fe->d);
}

int
vconfig_from_encoded(const struct subsys *const *tab,
    const struct conf_registry *reg, const void *buf, size_t len,
    unsigned owners, const char *path, struct conf_diag *d,
    struct vigil_config **out)
{
	struct from_enc fe = { .reg = reg, .d = d };
	struct arena *words;
	struct timespec t0;
	unsigned nerr = d->nerr;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	*out = NULL;
	if (reg == NULL) {
		conf_diag_report(d, CONF_ERR, NULL,
		    "keyword registry could not be built");
		return -1;
	}
	if ((words = arena_new()) == NULL) {
		conf_diag_report(d, CONF_ERR, NULL, "out of memory");
		return -1;
	}
	if ((fe.c = config_new(tab, owners, path, d)) == NULL) {
		arena_free(words);
		return -1;
	}
	rc = conf_tree_decode_each(buf, len, words, enc_top, &fe);
	/* the builders copied what they keep of the words */
	arena_free(words);
	if (rc < 0 || d->nerr != nerr) {
		vconfig_free(fe.c);
		return rc < 0 ? -2 : -1;
	}
	log_debug("decoded and applied %zu bytes in %.1f ms", len,
	    subsys_ms_since(&t0));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (config_finish(tab, fe.c, d, &t0) != 0)
		return -1;
	*out = fe.c;
	return 0;
}

/* ---- vigild -t: building while reading ---------------------------------- */

/* One diagnostic of the building, held until the text is known good. */
struct held {
	struct held *next;
	enum conf_sev sev;
	int has_loc;
	struct conf_loc loc;	/* the file name lives as long as the tree */
	char msg[];
};

struct stream {
	const struct conf_registry *reg;
	struct vigil_config *c;
	unsigned drop;
	int encode;		/* the parts are encoded as statements come */
	struct conf_encoder *enc[CONF_OWNER_MAX];
	const struct subsys *enc_sub[CONF_OWNER_MAX];
	struct conf_diag hd;	/* counts and holds the building's */
	struct held *first, **tail;
	int oom;
};

static void
hold(void *arg, enum conf_sev sev, const struct conf_loc *loc,
    const char *msg)
{
	struct stream *st = arg;
	size_t len = strlen(msg);
	struct held *h = malloc(sizeof(*h) + len + 1);

	if (h == NULL) {
		st->oom = 1;
		return;
	}
	h->next = NULL;
	h->sev = sev;
	h->has_loc = loc != NULL;
	if (loc != NULL)
		h->loc = *loc;
	memcpy(h->msg, msg, len + 1);
	*st->tail = h;
	st->tail = &h->next;
}

/* Pass the held diagnostics on (replay non-zero) and free them. */
static void
held_flush(struct stream *st, struct conf_diag *d, int replay)
{
	struct held *h, *next;

	for (h = st->first; h != NULL; h = next) {
		next = h->next;
		if (replay)
			conf_diag_report(d, h->sev, h->has_loc ? &h->loc : NULL,
			    "%s", h->msg);
		free(h);
	}
	st->first = NULL;
	st->tail = &st->first;
}

static int
subsys_borrows(const struct subsys *s, const char *kw)
{
	for (const char *const *b = s->borrows; b != NULL && *b != NULL; b++)
		if (strcmp(*b, kw) == 0)
			return 1;
	return 0;
}

/* 1 if a statement at or below n names a script (host checks look at
 * its line). */
static int
names_script(const struct conf_node *n)
{
	for (; n != NULL; n = n->next)
		if ((n->argc > 0 && conf_script_kw(n->argv[0])) ||
		    names_script(n->child))
			return 1;
	return 0;
}

/* 1 if n is not kept in the tree: its owner is dropped and nothing in
 * it names a script. Asked before it is built (top_drop): the builders
 * of a dropped owner copy what they keep of the words. */
static int
stream_drop(void *arg, const struct conf_node *n)
{
	struct stream *st = arg;
	enum conf_owner o;

	if (conf_registry_find(st->reg, "", n->argv[0], &o) == NULL ||
	    !(st->drop & CONF_OWNER_BIT(o)))
		return 0;
	return !names_script(n->child);
}

/* Whether the part of the child of s has top-level statement kw, of
 * owner o (known 0: no keyword): its own, global_defs and what it
 * borrows. */
static int
part_has(const struct subsys *s, int known, enum conf_owner o, const char *kw)
{
	return known && ((CONF_OWNER_BIT(o) & (CONF_OWNER_BIT(s->owner) |
	    CONF_OWNER_BIT(CONF_OWNER_GLOBAL))) || subsys_borrows(s, kw));
}

static int
stream_top(void *arg, const struct conf_node *n)
{
	struct stream *st = arg;
	struct conf_tree one = { .first = (struct conf_node *)n };
	enum conf_owner o = CONF_OWNER_GLOBAL;
	int known, drop;

	/* n->next is NULL: n alone is applied */
	conf_apply(st->reg, &one, st->c->owners, st->c->conf, st->c->arena,
	    &st->hd);
	if (!st->encode)
		return 1;	/* unless stream_drop said so */
	known = conf_registry_find(st->reg, "", n->argv[0], &o) != NULL;
	for (unsigned i = 0; i < CONF_OWNER_MAX; i++)
		if (st->enc[i] != NULL &&
		    part_has(st->enc_sub[i], known, o, n->argv[0]) &&
		    conf_encoder_add(st->enc[i], n) < 0)
			st->oom = 1;
	drop = known && (st->drop & CONF_OWNER_BIT(o)) &&
	    !names_script(n->child);
	st->c->last_dropped = drop;
	return !drop;
}

/* The encoders of the children's parts (stream: encode). */
static int
stream_encoders(struct stream *st, const struct subsys *const *tab)
{
	for (; *tab != NULL; tab++)
		if ((*tab)->proc != NULL) {
			st->enc_sub[(*tab)->owner] = *tab;
			if (conf_encoder_new(&st->enc[(*tab)->owner]) < 0)
				return -1;
		}
	return 0;
}

/* The parts into c (0), or -1 (out of memory); the encoders are freed. */
static int
stream_parts(struct stream *st, struct vigil_config *c)
{
	struct timespec t0;
	size_t bytes = 0;
	unsigned n = 0;
	int rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned i = 0; i < CONF_OWNER_MAX; i++) {
		if (st->enc[i] == NULL)
			continue;
		if (c != NULL && rc == 0) {
			if (conf_encoder_end(st->enc[i], &c->part[i],
			    &c->part_len[i]) < 0)
				rc = -1;
			bytes += c->part_len[i];
			n++;
		} else
			conf_encoder_free(st->enc[i]);
		st->enc[i] = NULL;
	}
	if (c != NULL && rc == 0 && n > 0)
		log_debug("encoded %u children's parts while reading (%zu "
		    "bytes), their strings added in %.1f ms", n, bytes,
		    subsys_ms_since(&t0));
	return rc;
}

int
vconfig_load_stream(const struct subsys *const *tab,
    const struct conf_registry *reg, const char *path,
    const struct conf_load_opts *lo, unsigned drop_owners, int encode,
    struct conf_diag *d, struct vigil_config **out)
{
	static const struct conf_load_opts defopts;
	struct stream st = { .reg = reg, .drop = drop_owners,
	    .encode = encode };
	struct conf_load_opts o = lo != NULL ? *lo : defopts;
	struct conf_tree *tree;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	*out = NULL;
	if (reg == NULL) {
		conf_diag_report(d, CONF_ERR, NULL,
		    "keyword registry could not be built");
		return -1;
	}
	if ((st.c = config_new(tab, CONF_OWNERS_ALL, path, d)) == NULL)
		return -1;
	st.hd.emit = d->emit != NULL ? hold : NULL;
	st.hd.arg = &st;
	st.tail = &st.first;
	o.top_done = stream_top;
	o.top_arg = &st;
	/* encoding: stream_top drops, keeping the words */
	if (drop_owners != 0 && !encode)
		o.top_drop = stream_drop;
	/* nothing dropped: every statement is built where the tree keeps
	 * it */
	o.top_keep = drop_owners == 0;
	if (encode && stream_encoders(&st, tab) < 0)
		st.oom = 1;
	if (conf_load_file(path, &o, d, &tree) < 0) {
		held_flush(&st, d, 0);
		stream_parts(&st, NULL);
		vconfig_free(st.c);
		return -1;
	}
	st.c->tree = tree;
	log_debug("read and applied %s (%zu statements) in %.1f ms", path,
	    tree->nnodes, subsys_ms_since(&t0));
	/* the encoders' words are the tree's: it stays until they end */
	if (stream_parts(&st, st.oom ? NULL : st.c) < 0)
		st.oom = 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	held_flush(&st, d, 1);
	if (st.oom)
		conf_diag_report(d, CONF_ERR, NULL, "out of memory");
	/* counted here when d has no emit (nothing was held) */
	if (d->emit == NULL) {
		d->nerr += st.hd.nerr;
		d->nwarn += st.hd.nwarn;
	}
	if (st.hd.nerr > 0 || st.oom) {
		vconfig_free(st.c);
		return -1;
	}
	if (config_finish(tab, st.c, d, &t0) != 0)
		return -1;
	*out = st.c;
	return 0;
}

unsigned
subsys_child_owners(const struct conf_registry *reg, const struct subsys *s)
{
	unsigned owners = CONF_OWNER_BIT(s->owner);
	enum conf_owner o;

	for (const char *const *b = s->borrows; b != NULL && *b != NULL; b++)
		if (conf_registry_find(reg, "", *b, &o) != NULL)
			owners |= CONF_OWNER_BIT(o);
	return owners;
}

int
vconfig_encode(const struct conf_registry *reg, const struct vigil_config *c,
    const struct subsys *s, void **buf, size_t *len)
{
	struct conf_encoder *k;

	*buf = NULL;
	*len = 0;
	if (reg == NULL || conf_encoder_new(&k) < 0)
		return -1;
	/* the statements the part has, in order: what a load encoding
	 * as it reads puts in it (stream_top) */
	for (const struct conf_node *n = c->tree->first; n != NULL;
	    n = n->next) {
		enum conf_owner o = CONF_OWNER_GLOBAL;
		int known = conf_registry_find(reg, "", n->argv[0], &o) != NULL;

		if (part_has(s, known, o, n->argv[0]) &&
		    conf_encoder_add(k, n) < 0) {
			conf_encoder_free(k);
			return -1;
		}
	}
	return conf_encoder_end(k, buf, len);
}

int
vconfig_part(const struct conf_registry *reg, const struct vigil_config *c,
    const struct subsys *s, const void **buf, size_t *len, void **owned)
{
	*owned = NULL;
	if (c->part[s->owner] != NULL) {
		*buf = c->part[s->owner];
		*len = c->part_len[s->owner];
		return 0;
	}
	if (vconfig_encode(reg, c, s, owned, len) < 0)
		return -1;
	*buf = *owned;
	return 0;
}

/* Host findings read "file:line: error: host: ...", told apart from the
 * text's own problems. */
static void
host_emit(void *arg, enum conf_sev sev, const struct conf_loc *loc,
    const char *msg)
{
	struct conf_diag *outer = arg;

	conf_diag_report(outer, sev, loc, "host: %s", msg);
}

unsigned
vconfig_host_check(const struct subsys *const *tab,
    const struct vigil_config *c, struct conf_diag *d)
{
	struct conf_diag hd = { .emit = host_emit, .arg = d };

	for (; *tab != NULL; tab++) {
		const void *conf = c->conf[(*tab)->owner];

		if (conf != NULL && (*tab)->conf_host_check != NULL)
			(*tab)->conf_host_check(conf, c, &hd);
	}
	return hd.nerr;
}

static const struct conf_node *
find_block(const struct conf_node *n, const struct conf_loc *at)
{
	const struct conf_node *r;

	for (; n != NULL; n = n->next) {
		if (n->loc.line == at->line && n->child != NULL &&
		    (n->loc.file == at->file || (n->loc.file != NULL &&
		    at->file != NULL && strcmp(n->loc.file, at->file) == 0)))
			return n;
		if (n->child != NULL && (r = find_block(n->child, at)) != NULL)
			return r;
	}
	return NULL;
}

const struct conf_loc *
vconfig_loc_in(const struct vigil_config *c, const struct conf_loc *block,
    const char *kw)
{
	const struct conf_node *b, *k;

	if (c == NULL || c->tree == NULL || block == NULL ||
	    (b = find_block(c->tree->first, block)) == NULL)
		return block;
	for (k = b->child; k != NULL; k = k->next)
		if (strcmp(k->argv[0], kw) == 0)
			return &k->loc;
	return block;
}

const struct conf_node *
vconfig_find(const struct vigil_config *c, const char *block, const char *kw)
{
	const struct conf_node *n, *k;

	/* NULL: the child dropped it (struct proc_ops' drop_tree) */
	for (n = c->tree != NULL ? c->tree->first : NULL; n != NULL;
	    n = n->next) {
		if (block == NULL || *block == '\0') {
			if (strcmp(n->argv[0], kw) == 0)
				return n;
			continue;
		}
		if (strcmp(n->argv[0], block) != 0)
			continue;
		for (k = n->child; k != NULL; k = k->next)
			if (strcmp(k->argv[0], kw) == 0)
				return k;
	}
	return NULL;
}

unsigned
vconfig_objects(const struct subsys *s, const struct vigil_config *c,
    subsys_obj_fn *fn, void *arg)
{
	const void *conf = c->conf[s->owner];

	if (conf == NULL || s->conf_objects == NULL)
		return 0;
	return s->conf_objects(conf, fn, arg);
}

void
vconfig_dump_parts(const struct subsys *const *tab,
    const struct vigil_config *c, FILE *fp)
{
	for (; *tab != NULL; tab++)
		if (c->conf[(*tab)->owner] != NULL && (*tab)->conf_dump != NULL)
			(*tab)->conf_dump(c->conf[(*tab)->owner], fp);
}

void
subsys_what_add(struct subsys_what *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w->at >= sizeof(w->buf) - 1)
		return;
	if (w->at > 0)
		w->at += (size_t)snprintf(w->buf + w->at, sizeof(w->buf) - w->at,
		    ", ");
	if (w->at >= sizeof(w->buf) - 1) {
		w->at = sizeof(w->buf) - 1;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(w->buf + w->at, sizeof(w->buf) - w->at, fmt, ap);
	va_end(ap);
	if (n > 0)
		w->at += (size_t)n;
	if (w->at > sizeof(w->buf) - 1)
		w->at = sizeof(w->buf) - 1;
}
