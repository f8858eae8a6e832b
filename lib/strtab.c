/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Open addressing over an array of entries kept in insertion order; the
 * slots (at most half full) hold each string's hash, pointer and entry
 * number, so a look-up costs one hash and a probe or two whatever the
 * size.
 */
#include "strtab.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct strtab_ent {
	const char *s;
	size_t len;
};

/* A slot is the string's hash and its entry number: eight bytes, so the
 * table of a large file (a few hundred thousand distinct words, most of
 * them addresses seen once) stays small; a probe looks at the string only
 * when the hashes are equal. */
struct strtab_slot {
	uint32_t hash;
	uint32_t no;		/* entry number + 1; 0: empty */
};

/*
 * Both arrays are mapped (arena_map), not malloc()ed: they grow by
 * doubling and are dropped with the load, and a fresh mapping populated
 * at once costs one call where touching fresh heap pages costs a fault
 * each (most of a large load's system time, the first time a process or
 * thread loads one).
 */
struct strtab {
	struct arena *arena;
	struct strtab_ent *ent;
	size_t ent_map;
	uint32_t n, cap;	/* entries used, allocated */
	struct strtab_slot *slot;
	size_t slot_map;
	uint32_t nslots;	/* a power of two, or 0 */
};

/* Eight bytes at a time, multiply and fold (words of a configuration are
 * short: the per-byte FNV loop was a tenth of a large load). Only this
 * table sees the values. */
static uint32_t
hash_bytes(const char *s, size_t len)
{
	const uint64_t m = 0xff51afd7ed558ccdull;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len, v;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&v, s, 8);
		h = (h ^ v) * m;
		h ^= h >> 32;
	}
	if (len > 0) {
		/* the last 1-7 bytes, in loads of fixed size */
		uint32_t w4 = 0;
		uint16_t w2 = 0;
		unsigned sh = 0;

		v = 0;
		if (len & 4) {
			memcpy(&w4, s, 4);
			v = w4;
			s += 4;
			sh = 32;
		}
		if (len & 2) {
			memcpy(&w2, s, 2);
			v |= (uint64_t)w2 << sh;
			s += 2;
			sh += 16;
		}
		if (len & 1)
			v |= (uint64_t)(unsigned char)*s << sh;
		h = (h ^ v) * m;
	}
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return (uint32_t)h;
}

struct strtab *
strtab_new(struct arena *copy_into)
{
	struct strtab *t = calloc(1, sizeof(*t));

	if (t != NULL)
		t->arena = copy_into;
	return t;
}

void
strtab_free(struct strtab *t)
{
	if (t == NULL)
		return;
	arena_unmap(t->ent, t->ent_map);
	arena_unmap(t->slot, t->slot_map);
	free(t);
}

static int
rehash(struct strtab *t)
{
	uint32_t ns = t->nslots ? t->nslots * 2 : 1024;
	struct strtab_slot *sl;
	size_t map;

	if (ns == 0 || (sl = arena_map((size_t)ns * sizeof(*sl), &map)) == NULL)
		return -1;
	for (uint32_t i = 0; i < t->nslots; i++) {
		uint32_t j;

		if (t->slot[i].no == 0)
			continue;
		j = t->slot[i].hash & (ns - 1);
		while (sl[j].no != 0)
			j = (j + 1) & (ns - 1);
		sl[j] = t->slot[i];
	}
	arena_unmap(t->slot, t->slot_map);
	t->slot = sl;
	t->slot_map = map;
	t->nslots = ns;
	return 0;
}

/* The slot holding s, or the empty slot where it would go. */
static struct strtab_slot *
probe(const struct strtab *t, const char *s, size_t len, uint32_t h)
{
	uint32_t j = h & (t->nslots - 1);

	for (;;) {
		struct strtab_slot *x = &t->slot[j];

		if (x->no == 0)
			return x;
		if (x->hash == h) {
			const struct strtab_ent *e = &t->ent[x->no - 1];

			if (e->len == len && memcmp(e->s, s, len) == 0)
				return x;
		}
		j = (j + 1) & (t->nslots - 1);
	}
}

int64_t
strtab_find(const struct strtab *t, const char *s, size_t len)
{
	const struct strtab_slot *x;

	if (t->nslots == 0 || len > UINT32_MAX)
		return -1;
	x = probe(t, s, len, hash_bytes(s, len));
	return x->no != 0 ? (int64_t)x->no - 1 : -1;
}

int64_t
strtab_add(struct strtab *t, const char *s, size_t len, const char **stored)
{
	struct strtab_slot *x;
	struct strtab_ent *e;
	uint32_t h;

	if (len > UINT32_MAX || t->n >= UINT32_MAX / 2 - 1)
		return -1;
	if ((t->n + 1) * 2 > t->nslots && rehash(t) < 0)
		return -1;
	h = hash_bytes(s, len);
	x = probe(t, s, len, h);
	if (x->no != 0) {
		if (stored != NULL)
			*stored = t->ent[x->no - 1].s;
		return (int64_t)x->no - 1;
	}
	if (t->n == t->cap) {
		uint32_t nc = t->cap ? t->cap * 2 : 512;
		struct strtab_ent *ne;
		size_t map;

		if ((ne = arena_map((size_t)nc * sizeof(*ne), &map)) == NULL)
			return -1;
		if (t->n > 0)
			memcpy(ne, t->ent, t->n * sizeof(*ne));
		arena_unmap(t->ent, t->ent_map);
		t->ent = ne;
		t->ent_map = map;
		t->cap = nc;
	}
	e = &t->ent[t->n];
	e->s = t->arena != NULL ? arena_strndup(t->arena, s, len) : s;
	if (e->s == NULL)
		return -1;
	e->len = len;
	x->hash = h;
	x->no = ++t->n;
	if (stored != NULL)
		*stored = e->s;
	return (int64_t)t->n - 1;
}

uint32_t
strtab_count(const struct strtab *t)
{
	return t->n;
}

const char *
strtab_get(const struct strtab *t, uint32_t i, size_t *len)
{
	if (i >= t->n)
		return NULL;
	if (len != NULL)
		*len = t->ent[i].len;
	return t->ent[i].s;
}
