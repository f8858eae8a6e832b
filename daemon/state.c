/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "state.h"

#include "arena.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "htab.h"
#include "ipc_msg.h"
#include "log.h"
#include "subsys.h"

/* ---- objects and sets ---------------------------------------------------- */

static size_t
key_hash(const char *kind, const char *name)
{
	size_t h = htab_hash_bytes(HTAB_HASH_INIT, kind, strlen(kind) + 1);

	return htab_hash_bytes(h, name, strlen(name));
}

/* One allocation: the struct, then its five strings. since: the wall
 * clock of its state (read once by a caller making many: time() is a
 * system call where there is no vDSO, 37 us under User-Mode Linux). */
static struct state_obj *
obj_new(const char *kind, const char *name, const char *state,
    const char *detail, const char *attrs, uint64_t since)
{
	size_t lk = strlen(kind) + 1, ln = strlen(name) + 1,
	    ls = strlen(state) + 1, ld = strlen(detail) + 1,
	    la = strlen(attrs) + 1;
	struct state_obj *o = malloc(sizeof(*o) + lk + ln + ls + ld + la);
	char *p;

	if (o == NULL)
		return NULL;
	p = (char *)(o + 1);
	o->kind = memcpy(p, kind, lk);
	o->name = memcpy(p += lk, name, ln);
	o->state = memcpy(p += ln, state, ls);
	o->detail = memcpy(p += ls, detail, ld);
	o->attrs = memcpy(p += ld, attrs, la);
	o->generation = 0;
	o->flags = 0;
	o->weight = IPC_OBJ_NO_WEIGHT;
	o->since = since;
	o->hash = key_hash(kind, name);
	o->node.next = NULL;
	o->at = 0;
	return o;
}

static struct state_obj *
obj_from_ipc(const struct ipc_obj *r)
{
	struct state_obj *o = obj_new(r->kind, r->name, r->state, r->detail,
	    r->attrs, r->since);

	if (o == NULL)
		return NULL;
	o->generation = r->generation;
	o->flags = r->flags;
	o->weight = r->weight;
	return o;
}

/* ---- counters records ----------------------------------------------------- */

/* The value of key in attrs, or NULL. */
static const char *
attrs_find(const char *attrs, const char *key, size_t klen, size_t *vlen)
{
	const char *p = attrs, *k, *v;
	size_t kl;

	while (ipc_attrs_next(&p, &k, &kl, &v, vlen))
		if (kl == klen && memcmp(k, key, klen) == 0)
			return v;
	return NULL;
}

static void
line_put(char *out, size_t *len, const char *k, size_t kl, const char *v,
    size_t vl)
{
	size_t sep = *len > 0;

	/* whole lines only, as a child's attrs are bounded */
	if (*len + sep + kl + 1 + vl > IPC_OBJ_MAX_ATTRS - 1)
		return;
	if (sep)
		out[(*len)++] = '\n';
	memcpy(out + *len, k, kl);
	*len += kl;
	out[(*len)++] = '=';
	memcpy(out + *len, v, vl);
	*len += vl;
	out[*len] = '\0';
}

/* The attrs of old with upd's keys replacing theirs, in old's order, and
 * upd's new keys at the end; malloc'd. NULL when out of memory. */
static char *
attrs_merge(const char *old, const char *upd)
{
	size_t len = 0, kl, vl, ul;
	char *out = malloc(strlen(old) + strlen(upd) + 2);
	const char *p = old, *k, *v, *u;

	if (out == NULL)
		return NULL;
	out[0] = '\0';
	while (ipc_attrs_next(&p, &k, &kl, &v, &vl)) {
		if (attrs_find(out, k, kl, &ul) != NULL)
			continue;	/* a key twice: the first counts */
		if ((u = attrs_find(upd, k, kl, &ul)) != NULL)
			line_put(out, &len, k, kl, u, ul);
		else
			line_put(out, &len, k, kl, v, vl);
	}
	p = upd;
	while (ipc_attrs_next(&p, &k, &kl, &v, &vl))
		if (attrs_find(out, k, kl, &ul) == NULL)
			line_put(out, &len, k, kl, v, vl);
	return out;
}

/* A counters record (IPC_OBJ_COUNTERS) for the object of s it names:
 * the object again with the merged attrs. 0; 1 when s holds no such
 * object (it went: the record is dropped); -1 when out of memory. */
static int set_put(struct state_set *s, struct state_obj *o);
static struct state_obj *set_find(const struct state_set *s,
    const char *kind, const char *name);

static int
counters_apply(struct state_set *s, const struct ipc_obj *r)
{
	const struct state_obj *old = set_find(s, r->kind, r->name);
	struct state_obj *o;
	char *attrs;

	if (old == NULL)
		return 1;
	if ((attrs = attrs_merge(old->attrs, r->attrs)) == NULL)
		return -1;
	o = obj_new(old->kind, old->name, old->state, old->detail, attrs,
	    old->since);
	free(attrs);
	if (o == NULL)
		return -1;
	o->generation = old->generation;
	o->flags = old->flags;
	o->weight = old->weight;
	if (set_put(s, o) < 0) {	/* cannot fail: it takes old's place */
		free(o);
		return -1;
	}
	return 0;
}

static size_t
obj_hash(const struct htab_node *n)
{
	return HTAB_ENTRY(n, struct state_obj, node)->hash;
}

struct obj_key {
	const char *kind, *name;
};

static int
obj_is(const struct htab_node *n, const void *key)
{
	const struct state_obj *o = HTAB_ENTRY(n, struct state_obj, node);
	const struct obj_key *k = key;

	return strcmp(o->name, k->name) == 0 && strcmp(o->kind, k->kind) == 0;
}

static void
set_clear(struct state_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	htab_free(&s->ix);
	memset(s, 0, sizeof(*s));
}

/* The object of kind/name, whose key_hash() is hash, or NULL. */
static struct state_obj *
set_find_hashed(const struct state_set *s, size_t hash, const char *kind,
    const char *name)
{
	struct obj_key k = { kind, name };
	struct htab_node *n;

	if (s->ix.hash == NULL)
		return NULL;
	n = htab_find(&s->ix, hash, obj_is, &k);
	return n != NULL ? HTAB_ENTRY(n, struct state_obj, node) : NULL;
}

static struct state_obj *
set_find(const struct state_set *s, const char *kind, const char *name)
{
	return set_find_hashed(s, key_hash(kind, name), kind, name);
}

/* The object of s with the key of o (another object). */
static struct state_obj *
set_find_obj(const struct state_set *s, const struct state_obj *o)
{
	return set_find_hashed(s, o->hash, o->kind, o->name);
}

/* Add o at the end, or in the place of the object with its key (freed).
 * 0, or -1 when out of memory (o is then not in the set). */
static int
set_put(struct state_set *s, struct state_obj *o)
{
	struct state_obj *old = set_find_obj(s, o);

	if (s->ix.hash == NULL)
		htab_init(&s->ix, obj_hash, NULL);
	if (old != NULL) {
		o->at = old->at;
		s->v[o->at] = o;
		htab_del(&s->ix, &old->node);
		free(old);
		if (htab_add(&s->ix, &o->node) < 0)
			abort();	/* the table has its buckets already */
		return 0;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap > 0 ? s->cap * 2 : 64;
		struct state_obj **v = realloc(s->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	if (htab_add(&s->ix, &o->node) < 0)
		return -1;
	o->at = s->n;
	s->v[s->n++] = o;
	return 0;
}

static void
set_remove(struct state_set *s, const char *kind, const char *name)
{
	struct state_obj *o = set_find(s, kind, name);

	if (o == NULL)
		return;
	htab_del(&s->ix, &o->node);
	for (size_t i = o->at + 1; i < s->n; i++) {
		s->v[i - 1] = s->v[i];
		s->v[i - 1]->at = i - 1;
	}
	s->n--;
	free(o);
}

/* ---- the store ----------------------------------------------------------- */

void
state_init(struct state_store *st)
{
	memset(st, 0, sizeof(*st));
}

void
state_fini(struct state_store *st)
{
	set_clear(&st->objs);
	set_clear(&st->overrides);
	set_clear(&st->pending);
	st->receiving = 0;
}

struct sync_ctx {
	struct state_store *st;
	struct state_set next;
	uint32_t generation;
	uint64_t now;			/* the new objects' since */
	int failed;
};

/* An object the configuration names: what the store held of it, moved
 * over, or a new one. */
static void
sync_obj(void *arg, const char *kind, const char *name)
{
	struct sync_ctx *sc = arg;
	struct state_obj *o;

	if (sc->failed)
		return;
	o = set_find(&sc->st->objs, kind, name);
	if (o != NULL) {
		htab_del(&sc->st->objs.ix, &o->node);
		sc->st->objs.v[o->at] = NULL;
	} else if ((o = obj_new(kind, name, "not started", "", "",
	    sc->now)) != NULL)
		o->generation = sc->generation;
	if (o == NULL || set_put(&sc->next, o) < 0) {
		free(o);
		sc->failed = 1;
	}
}

/* Whether override o still has something to act on: its object, or for a
 * real server added at runtime, the virtual server it was added to. */
static int
override_alive(const struct state_store *st, const struct state_obj *o)
{
	char vs[IPC_OBJ_MAX_STR];

	if (!(o->flags & IPC_OBJ_ADDED))
		return set_find_obj(&st->objs, o) != NULL;
	return ipc_attrs_get(o->attrs, "virtual_server", vs, sizeof(vs)) &&
	    set_find(&st->objs, "virtual_server", vs) != NULL;
}

/* Objects no longer in the configuration lose their overrides. */
static void
sync_overrides(struct state_store *st)
{
	size_t out = 0;

	for (size_t i = 0; i < st->overrides.n; i++) {
		struct state_obj *o = st->overrides.v[i];

		if (!override_alive(st, o)) {
			htab_del(&st->overrides.ix, &o->node);
			free(o);
			continue;
		}
		o->at = out;
		st->overrides.v[out++] = o;
	}
	st->overrides.n = out;
}

int
state_conf_sync(struct state_store *st, const struct subsys *s,
    const struct vigil_config *cfg)
{
	struct sync_ctx sc = { .st = st, .generation = cfg->generation,
	    .now = (uint64_t)time(NULL) };

	vconfig_objects(s, cfg, sync_obj, &sc);
	if (sc.failed) {
		/* the objects moved over are lost with it: the store then
		 * holds what the child reports next */
		set_clear(&sc.next);
		set_clear(&st->objs);
		set_clear(&st->overrides);
		return -1;
	}
	set_clear(&st->objs);	/* what was not moved over */
	st->objs = sc.next;
	sync_overrides(st);
	return 0;
}

struct state_name {
	size_t hash;
	const char *kind, *name;
};

/* A subsystem's objects are of a few kinds: each is copied and its part
 * of the key's hash computed once, not once per object. */
#define NAMES_KINDS 8

struct state_names {
	struct arena *a;
	struct state_name *v;
	size_t n, cap;
	struct {
		const char *kind;
		size_t hash;	/* of the kind and its NUL (key_hash) */
	} kinds[NAMES_KINDS];
	unsigned nkinds;
	int failed;
};

/* kind's copy in nm and its key_hash() prefix; NULL if out of memory */
static const char *
names_kind(struct state_names *nm, const char *kind, size_t *hash)
{
	const char *k;
	unsigned i;

	for (i = 0; i < nm->nkinds; i++)
		if (strcmp(nm->kinds[i].kind, kind) == 0) {
			*hash = nm->kinds[i].hash;
			return nm->kinds[i].kind;
		}
	if ((k = arena_strdup(nm->a, kind)) == NULL)
		return NULL;
	*hash = htab_hash_bytes(HTAB_HASH_INIT, kind, strlen(kind) + 1);
	if (i < NAMES_KINDS) {
		nm->kinds[i].kind = k;
		nm->kinds[i].hash = *hash;
		nm->nkinds++;
	}
	return k;
}

static void
names_add(void *arg, const char *kind, const char *name)
{
	struct state_names *nm = arg;
	struct state_name *e;
	size_t h, len;

	if (nm->failed)
		return;
	if (nm->n == nm->cap) {
		size_t cap = nm->cap > 0 ? nm->cap * 2 : 64;
		struct state_name *v = realloc(nm->v, cap * sizeof(*v));

		if (v == NULL) {
			nm->failed = 1;
			return;
		}
		nm->v = v;
		nm->cap = cap;
	}
	e = &nm->v[nm->n];
	len = strlen(name);
	if ((e->kind = names_kind(nm, kind, &h)) == NULL ||
	    (e->name = arena_strndup(nm->a, name, len)) == NULL) {
		nm->failed = 1;
		return;
	}
	e->hash = htab_hash_bytes(h, name, len);	/* key_hash() */
	nm->n++;
}

struct state_names *
state_names_new(const struct subsys *s, const struct vigil_config *cfg)
{
	struct state_names *nm = calloc(1, sizeof(*nm));

	if (nm == NULL || (nm->a = arena_new()) == NULL) {
		free(nm);
		return NULL;
	}
	vconfig_objects(s, cfg, names_add, nm);
	if (nm->failed) {
		state_names_free(nm);
		return NULL;
	}
	return nm;
}

void
state_names_free(struct state_names *nm)
{
	if (nm == NULL)
		return;
	arena_free(nm->a);
	free(nm->v);
	free(nm);
}

int
state_names_sync(struct state_store *st, const struct state_names *nm,
    uint32_t generation)
{
	struct sync_ctx sc = { .st = st, .generation = generation,
	    .now = (uint64_t)time(NULL) };
	size_t i;

	/* the same objects (a reload that changed settings only): the store
	 * stays as it is, overrides included */
	if (st->objs.n == nm->n) {
		for (i = 0; i < nm->n; i++)
			if (set_find_hashed(&st->objs, nm->v[i].hash,
			    nm->v[i].kind, nm->v[i].name) == NULL)
				break;
		if (i == nm->n)
			return 0;
	}
	for (i = 0; i < nm->n && !sc.failed; i++) {
		const struct state_name *e = &nm->v[i];
		struct state_obj *o = set_find_hashed(&st->objs, e->hash,
		    e->kind, e->name);

		if (o != NULL) {
			htab_del(&st->objs.ix, &o->node);
			st->objs.v[o->at] = NULL;
		} else if ((o = obj_new(e->kind, e->name, "not started", "",
		    "", sc.now)) != NULL)
			o->generation = generation;
		if (o == NULL || set_put(&sc.next, o) < 0) {
			free(o);
			sc.failed = 1;
		}
	}
	if (sc.failed) {
		set_clear(&sc.next);
		set_clear(&st->objs);
		set_clear(&st->overrides);
		return -1;
	}
	set_clear(&st->objs);
	st->objs = sc.next;
	sync_overrides(st);
	return 0;
}

int
state_ipc(struct state_store *st, const void *data, size_t len)
{
	struct ipc_state h;
	const char *p;
	size_t left;
	struct ipc_obj r;
	int rc;

	if (len < sizeof(h))
		return -1;
	memcpy(&h, data, sizeof(h));
	p = (const char *)data + sizeof(h);
	left = len - sizeof(h);
	if (h.flags & IPC_STATE_BEGIN) {
		set_clear(&st->pending);
		st->receiving = 1;
	}
	while ((rc = ipc_obj_next(&p, &left, &r)) > 0) {
		struct state_obj *o;

		if (r.flags & IPC_OBJ_OVERRIDE) {
			/* the parent owns those; a child only says that a
			 * reload changed the object, so its override went
			 * (or the parts of it flagged) */
			if ((r.flags & ~(uint32_t)(IPC_OBJ_OVERRIDE |
			    IPC_OBJ_VRRP_SETTINGS)) != 0 ||
			    r.weight != IPC_OBJ_NO_WEIGHT)
				return -1;
			state_override_drop(st, r.kind, r.name,
			    r.flags & IPC_OBJ_VRRP_SETTINGS);
			continue;
		}
		if (r.flags & IPC_OBJ_COUNTERS) {
			if (r.flags != IPC_OBJ_COUNTERS ||
			    (rc = counters_apply(st->receiving ? &st->pending :
			    &st->objs, &r)) < 0)
				return -1;
			if (rc == 0 && !st->receiving)
				st->counters++;
			continue;
		}
		if ((o = obj_from_ipc(&r)) == NULL)
			return -1;
		if (set_put(st->receiving ? &st->pending : &st->objs, o) < 0) {
			free(o);
			return -1;
		}
		if (!st->receiving)
			st->events++;
	}
	if (rc < 0)
		return -1;
	if (h.flags & IPC_STATE_END) {
		if (!st->receiving)
			return -1;
		set_clear(&st->objs);
		st->objs = st->pending;
		memset(&st->pending, 0, sizeof(st->pending));
		st->receiving = 0;
		st->generation = h.generation;
		if (h.answers != 0)
			st->answered = h.answers;
		st->snapshots++;
	}
	return 0;
}

void
state_child_gone(struct state_store *st)
{
	set_clear(&st->pending);
	st->receiving = 0;
}

static int
handover_add(struct ipc_chunker *c, const struct state_obj *o, uint32_t flags)
{
	struct ipc_obj r = { o->kind, o->name, o->state, o->detail,
	    o->generation, o->flags | flags, o->weight, o->since, o->attrs };

	return ipc_chunker_add(c, &r);
}

int
state_handover(const struct state_store *st, uint32_t generation,
    int (*send)(void *arg, const void *buf, size_t len), void *arg)
{
	struct ipc_chunker c = { .generation = generation, .send = send,
	    .arg = arg };
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < st->objs.n; i++)
		rc = handover_add(&c, st->objs.v[i], 0);
	for (size_t i = 0; rc == 0 && i < st->overrides.n; i++)
		rc = handover_add(&c, st->overrides.v[i], IPC_OBJ_OVERRIDE);
	if (rc == 0)
		rc = ipc_chunker_send(&c, IPC_STATE_END);
	ipc_objbuf_free(&c.buf);
	return rc;
}

const struct state_obj *
state_find(const struct state_store *st, const char *kind, const char *name)
{
	return set_find(&st->objs, kind, name);
}

int
state_override_set(struct state_store *st, const char *kind,
    const char *name, int32_t weight, uint32_t flags)
{
	return state_override_set_attrs(st, kind, name, weight, flags, "");
}

int
state_override_set_attrs(struct state_store *st, const char *kind,
    const char *name, int32_t weight, uint32_t flags, const char *attrs)
{
	struct state_obj *o = obj_new(kind, name, "", "", attrs,
	    (uint64_t)time(NULL));

	if (o == NULL)
		return -1;
	o->weight = weight;
	o->flags = flags & ~(uint32_t)IPC_OBJ_OVERRIDE;
	if (set_put(&st->overrides, o) < 0) {
		free(o);
		return -1;
	}
	return 0;
}

void
state_override_clear(struct state_store *st, const char *kind,
    const char *name)
{
	set_remove(&st->overrides, kind, name);
}

void
state_override_drop(struct state_store *st, const char *kind,
    const char *name, uint32_t parts)
{
	struct state_obj *o;

	if (parts == 0) {
		state_override_clear(st, kind, name);
		return;
	}
	if ((o = set_find(&st->overrides, kind, name)) == NULL)
		return;
	o->flags &= ~parts;
	if (parts & IPC_OBJ_PRIORITY)
		o->weight = IPC_OBJ_NO_WEIGHT;
	if (o->flags == 0 && o->weight == IPC_OBJ_NO_WEIGHT)
		state_override_clear(st, kind, name);
}

const struct state_obj *
state_override_find(const struct state_store *st, const char *kind,
    const char *name)
{
	return set_find(&st->overrides, kind, name);
}

void
state_dump(const struct state_store *st, const char *child, FILE *fp)
{
	fprintf(fp, " Objects of the %s child = %zu (last snapshot: "
	    "generation %u, %lu snapshot(s), %lu event(s), %lu counters "
	    "record(s))\n", child, st->objs.n, st->generation,
	    st->snapshots, st->events, st->counters);
	for (size_t i = 0; i < st->objs.n; i++) {
		const struct state_obj *o = st->objs.v[i];

		fprintf(fp, "  %s %s: %s%s%s (generation %u)\n", o->kind,
		    o->name, o->state, o->detail[0] != '\0' ? ", " : "",
		    o->detail, o->generation);
	}
	for (size_t i = 0; i < st->overrides.n; i++) {
		const struct state_obj *o = st->overrides.v[i];

		fprintf(fp, "  override %s %s:%s%s%s%s%s%s", o->kind, o->name,
		    o->flags & IPC_OBJ_DRAIN ? " drained" : "",
		    o->flags & IPC_OBJ_ADDED ? " added" : "",
		    o->flags & IPC_OBJ_REMOVED ? " removed" : "",
		    o->flags & IPC_OBJ_FORCED_BACKUP ? " forced backup" : "",
		    o->flags & IPC_OBJ_PREEMPT_ON ? " preempt on" : "",
		    o->flags & IPC_OBJ_PREEMPT_OFF ? " preempt off" : "");
		if (o->weight != IPC_OBJ_NO_WEIGHT)
			fprintf(fp, " %s %d", o->flags & IPC_OBJ_PRIORITY ?
			    "priority" : "weight", (int)o->weight);
		fputc('\n', fp);
	}
}
