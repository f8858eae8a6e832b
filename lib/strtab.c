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

/* A slot carries what a probe compares, so a look-up touches the slot
 * and the string, not the entry. */
struct strtab_slot {
	const char *s;		/* '\0' terminated */
	uint32_t hash;
	uint32_t no;		/* entry number + 1; 0: empty */
};

struct strtab {
	struct arena *arena;
	struct strtab_ent *ent;
	uint32_t n, cap;	/* entries used, allocated */
	struct strtab_slot *slot;
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
	free(t->ent);
	free(t->slot);
	free(t);
}

static int
rehash(struct strtab *t)
{
	uint32_t ns = t->nslots ? t->nslots * 2 : 1024;
	struct strtab_slot *sl;

	if (ns == 0 || (sl = calloc(ns, sizeof(*sl))) == NULL)
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
	free(t->slot);
	t->slot = sl;
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

		if (x->no == 0 || (x->hash == h && memcmp(x->s, s, len) == 0 &&
		    x->s[len] == '\0'))
			return x;
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
			*stored = x->s;
		return (int64_t)x->no - 1;
	}
	if (t->n == t->cap) {
		uint32_t nc = t->cap ? t->cap * 2 : 256;
		struct strtab_ent *ne = realloc(t->ent, nc * sizeof(*ne));

		if (ne == NULL)
			return -1;
		t->ent = ne;
		t->cap = nc;
	}
	e = &t->ent[t->n];
	e->s = t->arena != NULL ? arena_strndup(t->arena, s, len) : s;
	if (e->s == NULL)
		return -1;
	e->len = len;
	x->s = e->s;
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
