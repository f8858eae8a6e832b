/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Chained hash table of embedded nodes. The bucket of a hash is its top
 * bits after a Fibonacci multiply, so doubling the table splits bucket i
 * into buckets 2i and 2i + 1: growing moves each chain in order, and
 * nodes of one key keep their order (newest first).
 */
#include "htab.h"

#include <stdint.h>
#include <stdlib.h>

#include "arena.h"

#define HTAB_MIN_BITS 4

static size_t
bucket_of(unsigned bits, size_t hash)
{
	return (size_t)(((uint64_t)hash * 0x9e3779b97f4a7c15ULL) >>
	    (64 - bits));
}

static struct htab_node **
tab_alloc(struct htab *h, unsigned bits)
{
	size_t n = (size_t)1 << bits;

	if (h->arena != NULL)
		return arena_calloc(h->arena, n, sizeof(struct htab_node *));
	return calloc(n, sizeof(struct htab_node *));
}

void
htab_init(struct htab *h, htab_hash_fn *hash, struct arena *a)
{
	h->tab = NULL;
	h->bits = 0;
	h->n = 0;
	h->hash = hash;
	h->arena = a;
}

void
htab_free(struct htab *h)
{
	if (h->arena == NULL)
		free(h->tab);
	h->tab = NULL;
	h->bits = 0;
	h->n = 0;
}

/* Double the buckets (or make the first ones). 0 or -1. */
static int
grow(struct htab *h)
{
	unsigned bits = h->tab != NULL ? h->bits + 1 : HTAB_MIN_BITS;
	struct htab_node **tab, **tail[2], *e, *next;
	size_t i, b;

	if (bits >= 8 * sizeof(size_t) - 1 || (tab = tab_alloc(h, bits)) == NULL)
		return -1;
	for (i = 0; h->tab != NULL && i < ((size_t)1 << h->bits); i++) {
		tail[0] = &tab[2 * i];
		tail[1] = &tab[2 * i + 1];
		for (e = h->tab[i]; e != NULL; e = next) {
			next = e->next;
			b = bucket_of(bits, h->hash(e)) & 1;
			e->next = NULL;
			*tail[b] = e;
			tail[b] = &e->next;
		}
	}
	if (h->arena == NULL)
		free(h->tab);
	h->tab = tab;
	h->bits = bits;
	return 0;
}

int
htab_reserve(struct htab *h, size_t n)
{
	unsigned bits = HTAB_MIN_BITS;

	if (h->tab != NULL)
		return 0;
	while (bits < 8 * sizeof(size_t) - 2 && ((size_t)1 << bits) <= n)
		bits++;
	if ((h->tab = tab_alloc(h, bits)) == NULL)
		return -1;
	h->bits = bits;
	return 0;
}

int
htab_add(struct htab *h, struct htab_node *n)
{
	size_t b;

	if ((h->tab == NULL || h->n >= ((size_t)1 << h->bits)) &&
	    grow(h) == -1 && h->tab == NULL)
		return -1;
	b = bucket_of(h->bits, h->hash(n));
	n->next = h->tab[b];
	h->tab[b] = n;
	h->n++;
	return 0;
}

void
htab_del(struct htab *h, struct htab_node *n)
{
	struct htab_node **pp;

	if (h->tab == NULL)
		return;
	for (pp = &h->tab[bucket_of(h->bits, h->hash(n))]; *pp != NULL;
	    pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			n->next = NULL;
			h->n--;
			return;
		}
}

static struct htab_node *
match_from(struct htab_node *e, htab_eq_fn *eq, const void *key)
{
	for (; e != NULL; e = e->next)
		if (eq(e, key))
			return e;
	return NULL;
}

struct htab_node *
htab_find(const struct htab *h, size_t hash, htab_eq_fn *eq, const void *key)
{
	if (h->tab == NULL)
		return NULL;
	return match_from(h->tab[bucket_of(h->bits, hash)], eq, key);
}

struct htab_node *
htab_find_next(const struct htab_node *n, htab_eq_fn *eq, const void *key)
{
	return match_from(n->next, eq, key);
}

struct htab_node *
htab_next(const struct htab *h, struct htab_iter *it)
{
	struct htab_node *e = it->next;

	while (e == NULL && h->tab != NULL &&
	    it->bucket < ((size_t)1 << h->bits))
		e = h->tab[it->bucket++];
	it->next = e != NULL ? e->next : NULL;
	return e;
}

struct htab_node *
htab_first(const struct htab *h, struct htab_iter *it)
{
	it->next = NULL;
	it->bucket = 0;
	return htab_next(h, it);
}

size_t
htab_hash_bytes(size_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t v = h;
	size_t i;

	for (i = 0; i < n; i++)
		v = (v ^ b[i]) * 1099511628211ULL;
	return (size_t)v;
}

size_t
htab_hash_str(const char *s)
{
	uint64_t v = HTAB_HASH_INIT;

	for (; *s != '\0'; s++)
		v = (v ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)v;
}
