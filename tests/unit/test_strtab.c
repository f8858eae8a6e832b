/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/strtab: numbering in first-seen order, one copy per string, look-ups
 * across growth, strings that differ only in length or in their last
 * byte, and arena_map/arena_unmap, which its tables live in. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check_run.h"
#include "strtab.h"

START_TEST(numbers_in_order)
{
	struct arena *a = arena_new();
	struct strtab *t = strtab_new(a);
	const char *s1, *s2, *s3;
	size_t len;

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(strtab_find(t, "weight", 6), -1);
	ck_assert_int_eq(strtab_add(t, "weight 1", 6, &s1), 0);
	ck_assert_str_eq(s1, "weight");
	ck_assert_int_eq(strtab_add(t, "1", 1, &s2), 1);
	/* the same text again: its first number and its one copy */
	ck_assert_int_eq(strtab_add(t, "weightx", 6, &s3), 0);
	ck_assert_ptr_eq(s3, s1);
	ck_assert_int_eq(strtab_find(t, "weight", 6), 0);
	ck_assert_int_eq(strtab_find(t, "weigh", 5), -1);
	ck_assert_uint_eq(strtab_count(t), 2);
	ck_assert_str_eq(strtab_get(t, 1, &len), "1");
	ck_assert_uint_eq(len, 1);
	ck_assert_ptr_null(strtab_get(t, 2, NULL));
	/* the empty string is a string */
	ck_assert_int_eq(strtab_add(t, "", 0, NULL), 2);
	ck_assert_int_eq(strtab_find(t, "", 0), 2);
	strtab_free(t);
	arena_free(a);
}
END_TEST

/* Many strings, most seen once (a large file's addresses), some often:
 * every one keeps its number through the table's growth. */
START_TEST(many)
{
	enum { N = 200000 };
	struct arena *a = arena_new();
	struct strtab *t = strtab_new(a);
	char buf[32];

	for (unsigned i = 0; i < N; i++) {
		int n = snprintf(buf, sizeof(buf), "10.%u.%u.%u", i >> 16,
		    (i >> 8) & 0xff, i & 0xff);

		/* numbers: 10.0.0.0 is 0, TCP_CHECK 1, then i + 1 */
		ck_assert_int_eq(strtab_add(t, buf, (size_t)n, NULL),
		    i == 0 ? 0 : (int64_t)i + 1);
		/* a frequent word between the unique ones */
		ck_assert_int_eq(strtab_add(t, "TCP_CHECK", 9, NULL), 1);
	}
	ck_assert_uint_eq(strtab_count(t), N + 1);
	for (unsigned i = 0; i < N; i++) {
		int n = snprintf(buf, sizeof(buf), "10.%u.%u.%u", i >> 16,
		    (i >> 8) & 0xff, i & 0xff);
		size_t len;
		int64_t want = i == 0 ? 0 : (int64_t)i + 1;

		ck_assert_int_eq(strtab_find(t, buf, (size_t)n), want);
		ck_assert_str_eq(strtab_get(t, (uint32_t)want, &len), buf);
		ck_assert_uint_eq(len, (size_t)n);
		/* one byte more or less is another string */
		ck_assert_int_eq(strtab_find(t, buf, (size_t)n - 1) == want, 0);
		buf[n - 1] ^= 0x40;
		ck_assert_int_eq(strtab_find(t, buf, (size_t)n), -1);
	}
	strtab_free(t);
	arena_free(a);
}
END_TEST

/* Without an arena the caller's strings are kept, not copied. */
START_TEST(no_copy)
{
	struct strtab *t = strtab_new(NULL);
	static const char word[] = "virtual_server";
	const char *s;

	ck_assert_int_eq(strtab_add(t, word, sizeof(word) - 1, &s), 0);
	ck_assert_ptr_eq(s, word);
	strtab_free(t);
	strtab_free(NULL);
}
END_TEST

START_TEST(mapped_blocks)
{
	size_t sizes[] = { 1, 4096, 100000, 2u << 20, (4u << 20) + 1 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t map = 0;
		unsigned char *p = arena_map(sizes[i], &map);

		ck_assert_ptr_nonnull(p);
		ck_assert_uint_ge(map, sizes[i]);
		/* zeroed, and all of it writable */
		ck_assert_uint_eq(p[0], 0);
		ck_assert_uint_eq(p[sizes[i] - 1], 0);
		memset(p, 0xa5, map);
		arena_unmap(p, map);
	}
	ck_assert_ptr_null(arena_map(0, &(size_t){ 0 }));
	arena_unmap(NULL, 0);
}
END_TEST

static Suite *
strtab_suite(void)
{
	Suite *s = suite_create("strtab");
	TCase *tc = tcase_create("strtab");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, numbers_in_order);
	tcase_add_test(tc, many);
	tcase_add_test(tc, no_copy);
	tcase_add_test(tc, mapped_blocks);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(strtab_suite());
}
