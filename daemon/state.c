/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "state.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ipc_msg.h"
#include "subsys.h"

/* ---- objects and sets ---------------------------------------------------- */

/* One allocation: the struct, then its four strings. */
static struct state_obj *
obj_new(const char *kind, const char *name, const char *state,
    const char *detail)
{
	size_t lk = strlen(kind) + 1, ln = strlen(name) + 1,
	    ls = strlen(state) + 1, ld = strlen(detail) + 1;
	struct state_obj *o = malloc(sizeof(*o) + lk + ln + ls + ld);
	char *p;

	if (o == NULL)
		return NULL;
	p = (char *)(o + 1);
	o->kind = memcpy(p, kind, lk);
	o->name = memcpy(p += lk, name, ln);
	o->state = memcpy(p += ln, state, ls);
	o->detail = memcpy(p += ls, detail, ld);
	o->generation = 0;
	o->flags = 0;
	o->weight = IPC_OBJ_NO_WEIGHT;
	o->since = (uint64_t)time(NULL);
	return o;
}

static struct state_obj *
obj_from_ipc(const struct ipc_obj *r)
{
	struct state_obj *o = obj_new(r->kind, r->name, r->state, r->detail);

	if (o == NULL)
		return NULL;
	o->generation = r->generation;
	o->flags = r->flags;
	o->weight = r->weight;
	o->since = r->since;
	return o;
}

static int
key_cmp(const char *k1, const char *n1, const char *k2, const char *n2)
{
	int c = strcmp(k1, k2);

	return c != 0 ? c : strcmp(n1, n2);
}

static int
obj_cmp(const void *a, const void *b)
{
	const struct state_obj *x = *(struct state_obj *const *)a;
	const struct state_obj *y = *(struct state_obj *const *)b;

	return key_cmp(x->kind, x->name, y->kind, y->name);
}

static void
set_clear(struct state_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int
set_push(struct state_set *s, struct state_obj *o)
{
	if (s->n == s->cap) {
		size_t cap = s->cap > 0 ? s->cap * 2 : 64;
		struct state_obj **v = realloc(s->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = o;
	return 0;
}

/* Sort, and keep the last of objects with the same key. */
static void
set_sort(struct state_set *s)
{
	size_t out = 0;

	if (s->n == 0)
		return;
	qsort(s->v, s->n, sizeof(s->v[0]), obj_cmp);
	for (size_t i = 1; i < s->n; i++) {
		if (obj_cmp(&s->v[out], &s->v[i]) == 0) {
			free(s->v[out]);
			s->v[out] = s->v[i];
		} else
			s->v[++out] = s->v[i];
	}
	s->n = out + 1;
}

/* Index of kind/name, or -(insertion point) - 1. */
static long
set_search(const struct state_set *s, const char *kind, const char *name)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = key_cmp(kind, name, s->v[mid]->kind, s->v[mid]->name);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -(long)lo - 1;
}

/* Put o in its place, replacing (and freeing) one with the same key. */
static int
set_upsert(struct state_set *s, struct state_obj *o)
{
	long i = set_search(s, o->kind, o->name);
	size_t at;

	if (i >= 0) {
		free(s->v[i]);
		s->v[i] = o;
		return 0;
	}
	if (set_push(s, o) < 0)
		return -1;
	at = (size_t)(-i - 1);
	memmove(&s->v[at + 1], &s->v[at], (s->n - 1 - at) * sizeof(s->v[0]));
	s->v[at] = o;
	return 0;
}

static void
set_remove(struct state_set *s, const char *kind, const char *name)
{
	long i = set_search(s, kind, name);

	if (i < 0)
		return;
	free(s->v[i]);
	memmove(&s->v[i], &s->v[i + 1], (s->n - (size_t)i - 1) *
	    sizeof(s->v[0]));
	s->n--;
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
	struct state_set next;
	uint32_t generation;
	int failed;
};

static void
sync_obj(void *arg, const char *kind, const char *name)
{
	struct sync_ctx *sc = arg;
	struct state_obj *o;

	if (sc->failed)
		return;
	o = obj_new(kind, name, "not started", "");
	if (o == NULL || set_push(&sc->next, o) < 0) {
		free(o);
		sc->failed = 1;
		return;
	}
	o->generation = sc->generation;
}

int
state_conf_sync(struct state_store *st, const struct subsys *s,
    const struct vigil_config *cfg)
{
	struct sync_ctx sc = { .generation = cfg->generation };
	struct state_set keep = { 0 };

	vconfig_objects(s, cfg, sync_obj, &sc);
	if (sc.failed) {
		set_clear(&sc.next);
		return -1;
	}
	set_sort(&sc.next);
	/* what the store held of objects still configured stays */
	for (size_t i = 0; i < sc.next.n; i++) {
		struct state_obj *n = sc.next.v[i];
		long j = set_search(&st->objs, n->kind, n->name);

		if (j >= 0) {
			sc.next.v[i] = st->objs.v[j];
			st->objs.v[j] = n;	/* freed with the old set */
		}
	}
	/* overrides of objects no longer configured go */
	for (size_t i = 0; i < st->overrides.n; i++) {
		struct state_obj *o = st->overrides.v[i];

		if (set_search(&sc.next, o->kind, o->name) >= 0) {
			if (set_push(&keep, o) < 0) {
				/* cannot fail: keep is no larger than the
				 * old set; be safe anyway */
				set_clear(&keep);
				set_clear(&sc.next);
				return -1;
			}
			st->overrides.v[i] = NULL;
		}
	}
	set_clear(&st->overrides);
	st->overrides = keep;
	set_clear(&st->objs);
	st->objs = sc.next;
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

		if (r.flags & IPC_OBJ_OVERRIDE)
			return -1;	/* the parent owns those */
		if ((o = obj_from_ipc(&r)) == NULL)
			return -1;
		if (st->receiving) {
			if (set_push(&st->pending, o) < 0) {
				free(o);
				return -1;
			}
		} else {
			if (set_upsert(&st->objs, o) < 0) {
				free(o);
				return -1;
			}
			st->events++;
		}
	}
	if (rc < 0)
		return -1;
	if (h.flags & IPC_STATE_END) {
		if (!st->receiving)
			return -1;
		set_sort(&st->pending);
		set_clear(&st->objs);
		st->objs = st->pending;
		memset(&st->pending, 0, sizeof(st->pending));
		st->receiving = 0;
		st->generation = h.generation;
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
	    o->generation, o->flags | flags, o->weight, o->since };

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
	long i = set_search(&st->objs, kind, name);

	return i >= 0 ? st->objs.v[i] : NULL;
}

int
state_override_set(struct state_store *st, const char *kind,
    const char *name, int32_t weight, uint32_t flags)
{
	struct state_obj *o = obj_new(kind, name, "", "");

	if (o == NULL)
		return -1;
	o->weight = weight;
	o->flags = flags & ~(uint32_t)IPC_OBJ_OVERRIDE;
	if (set_upsert(&st->overrides, o) < 0) {
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

const struct state_obj *
state_override_find(const struct state_store *st, const char *kind,
    const char *name)
{
	long i = set_search(&st->overrides, kind, name);

	return i >= 0 ? st->overrides.v[i] : NULL;
}

void
state_dump(const struct state_store *st, const char *child, FILE *fp)
{
	fprintf(fp, " Objects of the %s child = %zu (last snapshot: "
	    "generation %u, %lu snapshot(s), %lu event(s))\n", child,
	    st->objs.n, st->generation, st->snapshots, st->events);
	for (size_t i = 0; i < st->objs.n; i++) {
		const struct state_obj *o = st->objs.v[i];

		fprintf(fp, "  %s %s: %s%s%s (generation %u)\n", o->kind,
		    o->name, o->state, o->detail[0] != '\0' ? ", " : "",
		    o->detail, o->generation);
	}
	for (size_t i = 0; i < st->overrides.n; i++) {
		const struct state_obj *o = st->overrides.v[i];

		fprintf(fp, "  override %s %s:%s", o->kind, o->name,
		    o->flags & IPC_OBJ_DRAIN ? " drained" : "");
		if (o->weight != IPC_OBJ_NO_WEIGHT)
			fprintf(fp, " weight %d", (int)o->weight);
		fputc('\n', fp);
	}
}
