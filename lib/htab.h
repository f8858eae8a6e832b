/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hash table of embedded nodes (chained, power-of-two buckets). An object
 * goes into a table through a struct htab_node inside it, so adding one
 * allocates nothing but, now and then, a bucket array twice as large
 * (amortised O(1) per add). The caller supplies the hash of an object, at
 * htab_init, and the equality of a key, at each lookup.
 *
 * The bucket array comes from an arena (configuration objects: freed with
 * the arena; htab_free does nothing) or, with no arena, from malloc
 * (runtime objects: htab_free releases it). A zeroed struct htab with its
 * hash function set is an empty malloc-backed table.
 *
 * Several nodes may share a key: a lookup finds the one added last first.
 * Nodes are never moved or freed by the table.
 *
 *	struct obj { struct htab_node node; char *name; };
 *	static size_t obj_hash(const struct htab_node *n)
 *	{ return htab_hash_str(HTAB_ENTRY(n, struct obj, node)->name); }
 *	htab_init(&h, obj_hash, NULL);
 *	htab_add(&h, &o->node);
 *	n = htab_find(&h, htab_hash_str("x"), obj_is_named, "x");
 */
#ifndef VIGIL_HTAB_H
#define VIGIL_HTAB_H

#include <stddef.h>

struct arena;

struct htab_node {
	struct htab_node *next;
};

/* The hash of the object holding n. */
typedef size_t htab_hash_fn(const struct htab_node *n);
/* Whether the object holding n has this key. */
typedef int htab_eq_fn(const struct htab_node *n, const void *key);

struct htab {
	struct htab_node **tab;
	unsigned bits;		/* log2 of the buckets; tab NULL: none */
	size_t n;		/* nodes */
	htab_hash_fn *hash;
	struct arena *arena;	/* NULL: malloc */
};

/* The object of type holding the node n in its member. */
#define HTAB_ENTRY(n, type, member) \
	((type *)(void *)((char *)(n) - offsetof(type, member)))

void htab_init(struct htab *h, htab_hash_fn *hash, struct arena *a);
/* Release a malloc-backed bucket array; the table is empty after. */
void htab_free(struct htab *h);
/* Add n (the table may hold other nodes with the same key). 0, or -1 if
 * the table has no bucket array and none can be allocated; when growing
 * fails, n is added all the same. */
int htab_add(struct htab *h, struct htab_node *n);
/* An empty table gets the buckets n nodes take without growing (an
 * arena-backed one then leaves no outgrown bucket arrays behind); a
 * table that has buckets is left alone. 0, or -1 when out of memory. */
int htab_reserve(struct htab *h, size_t n);
/* Remove n, which the table holds. */
void htab_del(struct htab *h, struct htab_node *n);
/* The last added node with eq(node, key) among those of this hash, or
 * NULL. */
struct htab_node *htab_find(const struct htab *h, size_t hash,
    htab_eq_fn *eq, const void *key);
/* The next node after n (a result of htab_find) with the same key, or
 * NULL: older nodes of one key, newest first. */
struct htab_node *htab_find_next(const struct htab_node *n, htab_eq_fn *eq,
    const void *key);

/*
 * Every node once, in no particular order. The node last returned may be
 * deleted before the next call; adding nodes during a walk is not allowed.
 *
 *	for (n = htab_first(&h, &it); n != NULL; n = htab_next(&h, &it))
 */
struct htab_iter {
	struct htab_node *next;
	size_t bucket;
};
struct htab_node *htab_first(const struct htab *h, struct htab_iter *it);
struct htab_node *htab_next(const struct htab *h, struct htab_iter *it);

/* FNV-1a: of a string; of n bytes, continuing from h (start with
 * HTAB_HASH_INIT). */
#define HTAB_HASH_INIT ((size_t)14695981039346656037ULL)
size_t htab_hash_str(const char *s);
size_t htab_hash_bytes(size_t h, const void *p, size_t n);

#endif
