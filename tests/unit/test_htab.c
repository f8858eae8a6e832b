/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/htab: insert, lookup, delete, iteration, growth; malloc and arena. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check_run.h"
#include "htab.h"

struct item {
	unsigned key;
	unsigned seen;
	struct htab_node node;
};

/* Operations the table asked for: a table that forgot to grow, or that
 * grew by a constant step, makes these grow faster than the entries. */
static unsigned long nhash, neq;
/* Keys per hash value: 1, or more to make nodes share a hash. */
static unsigned share = 1;

static size_t
key_hash(unsigned key)
{
	return htab_hash_bytes(HTAB_HASH_INIT, &(unsigned){ key / share },
	    sizeof(unsigned));
}

static size_t
item_hash(const struct htab_node *n)
{
	nhash++;
	return key_hash(HTAB_ENTRY(n, struct item, node)->key);
}

static int
item_eq(const struct htab_node *n, const void *key)
{
	neq++;
	return HTAB_ENTRY(n, struct item, node)->key == *(const unsigned *)key;
}

static struct item *
find(const struct htab *h, unsigned key)
{
	struct htab_node *n = htab_find(h, key_hash(key), item_eq, &key);

	return n != NULL ? HTAB_ENTRY(n, struct item, node) : NULL;
}

static struct item *
make(unsigned n)
{
	struct item *v = calloc(n, sizeof(*v));
	unsigned i;

	ck_assert_ptr_nonnull(v);
	for (i = 0; i < n; i++)
		v[i].key = i;
	return v;
}

static void
setup(void)
{
	nhash = neq = 0;
	share = 1;
}

START_TEST(empty)
{
	struct htab h = { .hash = item_hash };
	struct htab_iter it;
	unsigned k = 1;

	ck_assert_ptr_null(htab_find(&h, key_hash(1), item_eq, &k));
	ck_assert_ptr_null(htab_first(&h, &it));
	htab_free(&h);
	ck_assert_uint_eq(h.n, 0);
}
END_TEST

START_TEST(add_find_del)
{
	struct item *v = make(100);
	struct htab h;
	unsigned i;

	htab_init(&h, item_hash, NULL);
	for (i = 0; i < 100; i += 2)
		ck_assert_int_eq(htab_add(&h, &v[i].node), 0);
	ck_assert_uint_eq(h.n, 50);
	for (i = 0; i < 100; i++) {
		if (i % 2 == 0)
			ck_assert_ptr_eq(find(&h, i), &v[i]);
		else
			ck_assert_ptr_null(find(&h, i));
	}
	for (i = 0; i < 100; i += 4)
		htab_del(&h, &v[i].node);
	ck_assert_uint_eq(h.n, 25);
	for (i = 0; i < 100; i++)
		ck_assert_ptr_eq(find(&h, i), i % 4 == 2 ? &v[i] : NULL);
	/* a deleted node goes back in */
	ck_assert_int_eq(htab_add(&h, &v[8].node), 0);
	ck_assert_ptr_eq(find(&h, 8), &v[8]);
	htab_free(&h);
	free(v);
}
END_TEST

/* Nodes of one key: newest first, each once, also across growth. */
START_TEST(same_key)
{
	struct item *v = make(1000);
	struct htab_node *n;
	struct htab h;
	unsigned i, k = 7, count;

	htab_init(&h, item_hash, NULL);
	for (i = 0; i < 1000; i++) {
		v[i].key = i % 10 == 0 ? 7 : 1000 + i;
		ck_assert_int_eq(htab_add(&h, &v[i].node), 0);
	}
	count = 0;
	i = 1000;
	for (n = htab_find(&h, key_hash(7), item_eq, &k); n != NULL;
	    n = htab_find_next(n, item_eq, &k)) {
		i -= 10;
		ck_assert_ptr_eq(n, &v[i].node);
		count++;
	}
	ck_assert_uint_eq(count, 100);
	htab_free(&h);
	free(v);
}
END_TEST

/* Distinct keys sharing hash values are told apart by eq. */
START_TEST(shared_hash)
{
	struct item *v = make(4096);
	struct htab h;
	unsigned i;

	share = 8;
	htab_init(&h, item_hash, NULL);
	for (i = 0; i < 4096; i++)
		ck_assert_int_eq(htab_add(&h, &v[i].node), 0);
	for (i = 0; i < 4096; i++)
		ck_assert_ptr_eq(find(&h, i), &v[i]);
	htab_free(&h);
	free(v);
}
END_TEST

START_TEST(iterate_and_delete)
{
	enum { N = 10000 };
	struct item *v = make(N);
	struct htab_node *n;
	struct htab_iter it;
	struct htab h;
	unsigned i, walked = 0;

	htab_init(&h, item_hash, NULL);
	for (i = 0; i < N; i++)
		ck_assert_int_eq(htab_add(&h, &v[i].node), 0);
	/* every node once; delete the odd keys on the way */
	for (n = htab_first(&h, &it); n != NULL; n = htab_next(&h, &it)) {
		struct item *e = HTAB_ENTRY(n, struct item, node);

		e->seen++;
		walked++;
		ck_assert_uint_le(walked, N);
		if (e->key % 2 == 1)
			htab_del(&h, n);
	}
	ck_assert_uint_eq(walked, N);
	for (i = 0; i < N; i++)
		ck_assert_uint_eq(v[i].seen, 1);
	ck_assert_uint_eq(h.n, N / 2);
	for (i = 0; i < N; i++)
		ck_assert_ptr_eq(find(&h, i), i % 2 == 0 ? &v[i] : NULL);
	/* a second walk sees the survivors only; delete them all */
	walked = 0;
	for (n = htab_first(&h, &it); n != NULL; n = htab_next(&h, &it)) {
		ck_assert_uint_eq(HTAB_ENTRY(n, struct item, node)->key % 2, 0);
		htab_del(&h, n);
		walked++;
		ck_assert_uint_le(walked, N);
	}
	ck_assert_uint_eq(walked, N / 2);
	ck_assert_uint_eq(h.n, 0);
	ck_assert_ptr_null(htab_first(&h, &it));
	htab_free(&h);
	free(v);
}
END_TEST

/* Buckets from an arena: freed with it, htab_free leaves them. */
START_TEST(arena_backed)
{
	enum { N = 20000 };
	struct arena *a = arena_new();
	struct item *v = make(N);
	struct htab h;
	unsigned i;

	ck_assert_ptr_nonnull(a);
	htab_init(&h, item_hash, a);
	for (i = 0; i < N; i++)
		ck_assert_int_eq(htab_add(&h, &v[i].node), 0);
	for (i = 0; i < N; i++)
		ck_assert_ptr_eq(find(&h, i), &v[i]);
	ck_assert_uint_gt(arena_used(a), N * sizeof(void *));
	htab_free(&h);
	arena_free(a);
	free(v);
}
END_TEST

/* A reserved arena-backed table never grows: its buckets are the only
 * ones the arena holds, and adding rehashes nothing. */
START_TEST(reserved)
{
	enum { N = 20000 };
	struct arena *a = arena_new();
	struct item *v = make(N);
	struct htab h;
	size_t used;
	unsigned i, bits;

	ck_assert_ptr_nonnull(a);
	htab_init(&h, item_hash, a);
	ck_assert_int_eq(htab_reserve(&h, N), 0);
	bits = h.bits;
	used = arena_used(a);
	ck_assert_uint_eq(used, ((size_t)1 << bits) * sizeof(void *));
	ck_assert_uint_gt((size_t)1 << bits, N);
	ck_assert_uint_le((size_t)1 << bits, 2 * N);
	for (i = 0; i < N; i++)
		ck_assert_int_eq(htab_add(&h, &v[i].node), 0);
	ck_assert_uint_eq(h.bits, bits);
	ck_assert_uint_eq(arena_used(a), used);
	ck_assert_uint_eq(nhash, N);	/* one per add: no rehash */
	for (i = 0; i < N; i++)
		ck_assert_ptr_eq(find(&h, i), &v[i]);
	/* a table with buckets is left as it is */
	ck_assert_int_eq(htab_reserve(&h, 4 * N), 0);
	ck_assert_uint_eq(h.bits, bits);
	arena_free(a);
	free(v);
}
END_TEST

/* Operations the table performs for n adds, n hits, n misses, n deletes. */
static unsigned long
cost(unsigned n)
{
	struct item *v = make(n);
	struct htab h;
	unsigned i, k;

	nhash = neq = 0;
	htab_init(&h, item_hash, NULL);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(htab_add(&h, &v[i].node), 0);
	for (i = 0; i < n; i++)
		ck_assert_ptr_eq(find(&h, i), &v[i]);
	for (i = 0; i < n; i++) {
		k = n + i;
		ck_assert_ptr_null(htab_find(&h, key_hash(k), item_eq, &k));
	}
	for (i = 0; i < n; i++)
		htab_del(&h, &v[i].node);
	ck_assert_uint_eq(h.n, 0);
	htab_free(&h);
	free(v);
	return nhash + neq;
}

/* 10x the entries costs about 10x the operations (a table that did not
 * grow would cost 100x), and each operation stays O(1) on average. */
START_TEST(scales_linearly)
{
	unsigned long small = cost(12500), large = cost(125000);

	ck_assert_uint_le(large, small * 15);
	ck_assert_uint_le(large, 125000UL * 4 * 4);
}
END_TEST

static Suite *
htab_suite(void)
{
	Suite *s = suite_create("htab");
	TCase *tc = tcase_create("htab");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, empty);
	tcase_add_test(tc, add_find_del);
	tcase_add_test(tc, same_key);
	tcase_add_test(tc, shared_hash);
	tcase_add_test(tc, iterate_and_delete);
	tcase_add_test(tc, arena_backed);
	tcase_add_test(tc, reserved);
	tcase_add_test(tc, scales_linearly);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(htab_suite());
}
