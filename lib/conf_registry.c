/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Keyword registry: tables of keywords per context, and the walk that
 * dispatches a configuration tree onto them.
 *
 * Each context ("" for the top level, else the name of the block whose
 * children it describes) is a hash table from keyword name to its table
 * entry, so one lookup per statement is O(1) whatever the config size.
 */
#include "conf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define REG_MAX_DEPTH 256	/* guard against hand-built runaway trees */

struct reg_ent {
	struct reg_ent *next;
	const char *name;
	const struct conf_kw *kw;
	enum conf_owner owner;
};

struct reg_ctx {
	struct reg_ctx *next;
	char *name;
	struct reg_ent **bucket;
	size_t nbucket;		/* power of two */
	size_t count;
};

struct conf_registry {
	struct reg_ctx **bucket;
	size_t nbucket;
	size_t count;
};

/*
 * Look-ups of one conf_apply remembered by the address of the word: the
 * words of a tree are one copy each (and never change), so a real
 * server's "weight" is the same pointer in every real server and is
 * looked up once, not hashed and compared 100,000 times.
 */
#define REG_MEMO	64	/* a power of two */

struct reg_memo {
	const void *in;		/* the context (or NULL: context names) */
	const char *name;
	const void *out;	/* the entry or context found (maybe NULL) */
};

struct conf_ctx {
	const struct conf_registry *reg;
	void **roots;
	unsigned mask;
	struct arena *arena;
	struct conf_diag *diag;
	unsigned depth;
	/* memo[i] holds something when bit i is set: a conf_apply per
	 * statement (vigild -t) does not clear the array each time */
	uint64_t memo_set;
	struct reg_memo memo[REG_MEMO];
};

static uint64_t
reg_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* ---- contexts ---------------------------------------------------------- */

static struct reg_ctx *
reg_ctx_find(const struct conf_registry *r, const char *name)
{
	struct reg_ctx *c;

	if (r->nbucket == 0)
		return NULL;
	c = r->bucket[reg_hash(name) & (r->nbucket - 1)];
	for (; c != NULL; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static int
reg_ctx_grow(struct conf_registry *r)
{
	size_t n = r->nbucket == 0 ? 16 : r->nbucket * 2, i;
	struct reg_ctx **b = calloc(n, sizeof(*b)), *c, *next;

	if (b == NULL)
		return -1;
	for (i = 0; i < r->nbucket; i++)
		for (c = r->bucket[i]; c != NULL; c = next) {
			size_t h = reg_hash(c->name) & (n - 1);

			next = c->next;
			c->next = b[h];
			b[h] = c;
		}
	free(r->bucket);
	r->bucket = b;
	r->nbucket = n;
	return 0;
}

static struct reg_ctx *
reg_ctx_get(struct conf_registry *r, const char *name)
{
	struct reg_ctx *c = reg_ctx_find(r, name);
	size_t h;

	if (c != NULL)
		return c;
	if (r->count >= r->nbucket && reg_ctx_grow(r) == -1)
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->name = strdup(name)) == NULL) {
		free(c);
		return NULL;
	}
	h = reg_hash(name) & (r->nbucket - 1);
	c->next = r->bucket[h];
	r->bucket[h] = c;
	r->count++;
	return c;
}

static void
reg_ctx_free(struct reg_ctx *c)
{
	struct reg_ent *e, *n;
	size_t i;

	for (i = 0; i < c->nbucket; i++)
		for (e = c->bucket[i]; e != NULL; e = n) {
			n = e->next;
			free(e);
		}
	free(c->bucket);
	free(c->name);
	free(c);
}

/* ---- keywords in a context --------------------------------------------- */

static const struct reg_ent *
reg_ent_find(const struct reg_ctx *c, const char *name)
{
	const struct reg_ent *e;

	if (c == NULL || c->nbucket == 0)
		return NULL;
	e = c->bucket[reg_hash(name) & (c->nbucket - 1)];
	for (; e != NULL; e = e->next)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

/* The slot of (in, name), emptied if it held something else; NULL when
 * it already holds (in, name). */
static struct reg_memo *
memo_slot(struct conf_ctx *cx, const void *in, const char *name,
    const void **out)
{
	uintptr_t k = (uintptr_t)name >> 3 ^ (uintptr_t)in >> 5;
	unsigned i = (unsigned)((k ^ k >> 7) & (REG_MEMO - 1));
	struct reg_memo *m = &cx->memo[i];

	if ((cx->memo_set >> i & 1) && m->name == name && m->in == in) {
		*out = m->out;
		return NULL;
	}
	cx->memo_set |= (uint64_t)1 << i;
	m->in = in;
	m->name = name;
	return m;
}

/* reg_ent_find(rc, name), remembered */
static const struct reg_ent *
memo_ent(struct conf_ctx *cx, const struct reg_ctx *rc, const char *name)
{
	struct reg_memo *m;
	const void *out;

	if (rc == NULL)
		return NULL;
	if ((m = memo_slot(cx, rc, name, &out)) == NULL)
		return out;
	return m->out = reg_ent_find(rc, name);
}

/* reg_ctx_find(cx->reg, name), remembered */
static const struct reg_ctx *
memo_ctx(struct conf_ctx *cx, const char *name)
{
	struct reg_memo *m;
	const void *out;

	if ((m = memo_slot(cx, NULL, name, &out)) == NULL)
		return out;
	return m->out = reg_ctx_find(cx->reg, name);
}

static int
reg_ent_reserve(struct reg_ctx *c, size_t more)
{
	size_t want = c->count + more, n = c->nbucket == 0 ? 16 : c->nbucket, i;
	struct reg_ent **b, *e, *next;

	while (n < want)
		n *= 2;
	if (n == c->nbucket)
		return 0;
	if ((b = calloc(n, sizeof(*b))) == NULL)
		return -1;
	for (i = 0; i < c->nbucket; i++)
		for (e = c->bucket[i]; e != NULL; e = next) {
			size_t h = reg_hash(e->name) & (n - 1);

			next = e->next;
			e->next = b[h];
			b[h] = e;
		}
	free(c->bucket);
	c->bucket = b;
	c->nbucket = n;
	return 0;
}

static int
reg_kw_valid(const struct conf_kw *kw)
{
	if (kw->name[0] == '\0' || kw->min_args < 0)
		return 0;
	if (kw->max_args != CONF_ARGS_ANY && kw->max_args < kw->min_args)
		return 0;
	if ((kw->flags & CONF_F_BLOCK) && (kw->flags & CONF_F_LIST))
		return 0;
	return 1;
}

struct conf_registry *
conf_registry_new(void)
{
	return calloc(1, sizeof(struct conf_registry));
}

void
conf_registry_free(struct conf_registry *r)
{
	struct reg_ctx *c, *n;
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nbucket; i++)
		for (c = r->bucket[i]; c != NULL; c = n) {
			n = c->next;
			reg_ctx_free(c);
		}
	free(r->bucket);
	free(r);
}

int
conf_registry_add(struct conf_registry *r, enum conf_owner owner,
    const char *context, const struct conf_kw *table)
{
	struct reg_ctx *c;
	size_t n, i, j;

	if (r == NULL || table == NULL || (unsigned)owner >= CONF_OWNER_MAX)
		return -1;
	if (context == NULL)
		context = "";
	c = reg_ctx_find(r, context);
	/* check the whole table first: a refused table adds nothing */
	for (n = 0; table[n].name != NULL; n++) {
		if (!reg_kw_valid(&table[n]))
			return -1;
		if (reg_ent_find(c, table[n].name) != NULL)
			return -1;
		for (j = 0; j < n; j++)
			if (strcmp(table[j].name, table[n].name) == 0)
				return -1;
	}
	if ((c = reg_ctx_get(r, context)) == NULL)
		return -1;
	if (reg_ent_reserve(c, n) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		struct reg_ent *e = calloc(1, sizeof(*e));
		size_t h;

		if (e == NULL)
			return -1;
		e->name = table[i].name;
		e->kw = &table[i];
		e->owner = owner;
		h = reg_hash(e->name) & (c->nbucket - 1);
		e->next = c->bucket[h];
		c->bucket[h] = e;
		c->count++;
	}
	return 0;
}

const struct conf_kw *
conf_registry_find(const struct conf_registry *r, const char *context,
    const char *name, enum conf_owner *owner)
{
	const struct reg_ent *e;

	if (r == NULL || name == NULL)
		return NULL;
	e = reg_ent_find(reg_ctx_find(r, context == NULL ? "" : context),
	    name);
	if (e == NULL)
		return NULL;
	if (owner != NULL)
		*owner = e->owner;
	return e->kw;
}

void
conf_registry_walk(const struct conf_registry *r, conf_registry_walk_fn *fn,
    void *arg)
{
	const struct reg_ctx *c;
	const struct reg_ent *e;
	size_t i, j;

	if (r == NULL || fn == NULL)
		return;
	for (i = 0; i < r->nbucket; i++)
		for (c = r->bucket[i]; c != NULL; c = c->next)
			for (j = 0; j < c->nbucket; j++)
				for (e = c->bucket[j]; e != NULL; e = e->next)
					fn(arg, c->name, e->kw, e->owner);
}

int
conf_registry_add_each(struct conf_registry *r, enum conf_owner owner,
    const char *context, const struct conf_kw (*tables)[2], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (conf_registry_find(r, context, tables[i][0].name,
		    NULL) != NULL)
			continue;
		if (conf_registry_add(r, owner, context, tables[i]) == -1)
			return -1;
	}
	return 0;
}

/* ---- handler helpers --------------------------------------------------- */

struct arena *
conf_arena(struct conf_ctx *cx)
{
	return cx->arena;
}

void *
conf_root(struct conf_ctx *cx, enum conf_owner owner)
{
	if ((unsigned)owner >= CONF_OWNER_MAX || cx->roots == NULL)
		return NULL;
	return cx->roots[owner];
}

struct conf_diag *
conf_diag_of(struct conf_ctx *cx)
{
	return cx->diag;
}

void *
conf_alloc(struct conf_ctx *cx, const struct conf_node *n, size_t size)
{
	void *p = arena_alloc(cx->arena, size);

	if (p == NULL)
		conf_error(cx, n, "out of memory");
	return p;
}

char *
conf_strdup(struct conf_ctx *cx, const struct conf_node *n, const char *s)
{
	char *p = arena_strdup(cx->arena, s);

	if (p == NULL)
		conf_error(cx, n, "out of memory");
	return p;
}

static void __attribute__((format(printf, 4, 0)))
reg_vreport(struct conf_ctx *cx, enum conf_sev sev, const struct conf_node *n,
    const char *fmt, va_list ap)
{
	conf_diag_vreport_kw(cx->diag, sev, n != NULL ? &n->loc : NULL,
	    n != NULL && n->argv != NULL ? n->argv[0] : "?", fmt, ap);
}

void
conf_error(struct conf_ctx *cx, const struct conf_node *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	reg_vreport(cx, CONF_ERR, n, fmt, ap);
	va_end(ap);
}

void
conf_warn(struct conf_ctx *cx, const struct conf_node *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	reg_vreport(cx, CONF_WARN, n, fmt, ap);
	va_end(ap);
}

/* ---- the walk ---------------------------------------------------------- */

static void walk(struct conf_ctx *cx, const struct reg_ctx *rc,
    const char *ctxname, const struct conf_node *first, int opener, void *obj);

/* A handler said -1: make sure an error was counted even if it forgot. */
static void
handler_failed(struct conf_ctx *cx, const struct conf_node *n, unsigned before)
{
	if (cx->diag->nerr == before)
		conf_error(cx, n, "invalid value");
}

/*
 * The statement the handler sees, or NULL after an error. Too few
 * arguments is an error. Too many is a warning and the extra words are
 * dropped: keepalived ignores them silently, and files that load there
 * must load here.
 */
static const struct conf_node *
check_args(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw)
{
	long got = (long)n->argc - 1;
	long lo = kw->min_args, hi = kw->max_args;
	struct conf_node *trim;

	if (got >= lo && (hi == CONF_ARGS_ANY || got <= hi))
		return n;
	if (got > hi && hi != CONF_ARGS_ANY) {
		conf_warn(cx, n, "expected %s%ld argument%s, got %ld; ignoring "
		    "'%s'%s", lo == hi ? "" : "at most ", hi, hi == 1 ? "" : "s",
		    got, n->argv[hi + 1], got > hi + 1 ? " and what follows" :
		    "");
		trim = arena_alloc(cx->arena, sizeof(*trim));
		if (trim == NULL || (trim->argv = arena_calloc(cx->arena,
		    (size_t)hi + 2, sizeof(char *))) == NULL) {
			conf_error(cx, n, "out of memory");
			return NULL;
		}
		trim->loc = n->loc;
		trim->argc = (unsigned)hi + 1;
		memcpy(trim->argv, n->argv, ((size_t)hi + 1) * sizeof(char *));
		trim->child = n->child;
		trim->block = n->block;
		return trim;
	}
	if (hi == CONF_ARGS_ANY)
		conf_error(cx, n, "expected at least %ld argument%s, got %ld",
		    lo, lo == 1 ? "" : "s", got);
	else if (lo == hi)
		conf_error(cx, n, "expected %ld argument%s, got %ld",
		    lo, lo == 1 ? "" : "s", got);
	else
		conf_error(cx, n, "expected %ld..%ld arguments, got %ld",
		    lo, hi, got);
	return NULL;
}

static void
do_list(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj)
{
	const struct conf_node *c;
	unsigned before;

	for (c = n->child; c != NULL; c = c->next) {
		if (c->block) {
			conf_diag_report(cx->diag, CONF_ERR, &c->loc,
			    "%s: item '%s' cannot open a { } block",
			    n->argv[0], c->argv[0]);
			continue;
		}
		if (kw->set == NULL)
			continue;
		before = cx->diag->nerr;
		if (kw->set(cx, c, kw, obj) == -1)
			handler_failed(cx, c, before);
	}
	if (kw->close != NULL) {
		before = cx->diag->nerr;
		if (kw->close(cx, n, kw, parent, obj) == -1)
			handler_failed(cx, n, before);
	}
}

static void
do_block(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, enum conf_owner owner, void *parent)
{
	const char *ctxname = kw->block != NULL ? kw->block : n->argv[0];
	void *obj = parent;
	unsigned before;

	if (kw->open != NULL) {
		before = cx->diag->nerr;
		obj = kw->open(cx, n, kw, parent);
		if (obj == NULL) {
			if (cx->diag->nerr == before)
				conf_error(cx, n, "cannot set up the block");
			return;
		}
	}
	if (kw->flags & CONF_F_LIST) {
		do_list(cx, n, kw, parent, obj);
		return;
	}
	if (n->child != NULL) {
		if (cx->depth >= REG_MAX_DEPTH) {
			conf_error(cx, n, "blocks nested too deeply");
			return;
		}
		cx->depth++;
		walk(cx, memo_ctx(cx, ctxname), ctxname, n->child,
		    (int)owner, obj);
		cx->depth--;
	}
	if (kw->close != NULL) {
		before = cx->diag->nerr;
		if (kw->close(cx, n, kw, parent, obj) == -1)
			handler_failed(cx, n, before);
	}
}

static void
dispatch(struct conf_ctx *cx, const struct reg_ctx *rc, const char *ctxname,
    const struct conf_node *n, int opener, void *obj)
{
	const struct reg_ent *e;
	const struct conf_kw *kw;
	unsigned before;
	void *target;

	e = memo_ent(cx, rc, n->argv[0]);
	if (e == NULL) {
		conf_diag_report(cx->diag, CONF_WARN, &n->loc,
		    "unknown keyword '%s' in %s; ignored", n->argv[0],
		    ctxname[0] == '\0' ? "top level" : ctxname);
		return;
	}
	if (!(cx->mask & CONF_OWNER_BIT(e->owner)))
		return;
	kw = e->kw;
	if (kw->flags & CONF_F_UNSUPPORTED) {
		conf_diag_report(cx->diag, CONF_WARN, &n->loc,
		    "'%s' is not supported yet; ignored", n->argv[0]);
		return;
	}
	if (kw->flags & CONF_F_DEPRECATED)
		conf_diag_report(cx->diag, CONF_WARN, &n->loc,
		    "'%s' is deprecated", n->argv[0]);
	if ((n = check_args(cx, n, kw)) == NULL)
		return;
	if (kw->flags & CONF_F_NOT_YET)
		conf_diag_report(cx->diag, CONF_WARN, &n->loc,
		    "'%s' is not supported yet; ignored", n->argv[0]);
	if (kw->flags & CONF_F_IGNORED) {
		/* no effect, but a set handler may still validate the value */
		if (kw->set != NULL && !n->block &&
		    !(kw->flags & (CONF_F_BLOCK | CONF_F_LIST))) {
			before = cx->diag->nerr;
			if (kw->set(cx, n, kw, NULL) == -1)
				handler_failed(cx, n, before);
		}
		return;
	}

	/* a keyword of another owner than the block's writes into its root */
	target = opener == (int)e->owner ? obj : cx->roots[e->owner];

	if (kw->flags & (CONF_F_BLOCK | CONF_F_LIST)) {
		if (!n->block && !(kw->flags & CONF_F_BLOCK_OPT)) {
			conf_error(cx, n, "expected a { } block");
			return;
		}
		do_block(cx, n, kw, e->owner, target);
		return;
	}
	if (n->block) {
		conf_error(cx, n, "takes no { } block");
		return;
	}
	if (kw->set == NULL)
		return;
	before = cx->diag->nerr;
	if (kw->set(cx, n, kw, target) == -1)
		handler_failed(cx, n, before);
}

static void
walk(struct conf_ctx *cx, const struct reg_ctx *rc, const char *ctxname,
    const struct conf_node *first, int opener, void *obj)
{
	const struct conf_node *n;

	for (n = first; n != NULL; n = n->next) {
		if (n->argc == 0 || n->argv == NULL || n->argv[0] == NULL)
			continue;
		dispatch(cx, rc, ctxname, n, opener, obj);
	}
}

unsigned
conf_apply(const struct conf_registry *r, const struct conf_tree *t,
    unsigned owner_mask, void *roots[CONF_OWNER_MAX], struct arena *arena,
    struct conf_diag *d)
{
	struct conf_ctx cx;
	void *noroots[CONF_OWNER_MAX] = { 0 };
	unsigned before;

	if (d == NULL)
		return 1;
	before = d->nerr;
	if (r == NULL || t == NULL) {
		conf_diag_report(d, CONF_ERR, NULL, "no configuration to apply");
		return 1;
	}
	memset(&cx, 0, offsetof(struct conf_ctx, memo));
	cx.reg = r;
	cx.roots = roots != NULL ? roots : noroots;
	cx.mask = owner_mask;
	cx.arena = arena != NULL ? arena : t->arena;
	cx.diag = d;
	walk(&cx, reg_ctx_find(r, ""), "", t->first, -1, NULL);
	return d->nerr - before;
}
