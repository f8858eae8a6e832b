/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a reload costs at scale: the tree keeps one copy of each distinct
 * word, its encoding sends each once, load/encode/decode stay linear, and
 * an arena gives its memory back to the system when freed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"
#include "check_run.h"

/* AddressSanitizer's quarantine and shadow memory make RSS say nothing
 * about the arena's own */
#if defined(__SANITIZE_ADDRESS__)
#define RSS_MEANINGFUL 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RSS_MEANINGFUL 0
#endif
#endif
#ifndef RSS_MEANINGFUL
#define RSS_MEANINGFUL 1
#endif

/* n virtual servers of rs real servers each with a TCP_CHECK, as in
 * bench/reload */
static char *
gen_servers(unsigned n, unsigned rs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	for (unsigned v = 0; v < n; v++) {
		fprintf(f, "virtual_server 172.%u.%u.1 %u {\n    delay_loop 6\n"
		    "    lb_algo wrr\n    lb_kind NAT\n    protocol TCP\n",
		    16 + v / 256 % 16, v % 256, 80 + v / 4096);
		for (unsigned r = 0; r < rs; r++)
			fprintf(f, "    real_server 127.%u.%u.%u 80 {\n"
			    "        weight 1\n        TCP_CHECK {\n"
			    "            connect_timeout 2\n        }\n"
			    "    }\n", 1 + v / 256 % 250, v % 256, r + 1);
		fprintf(f, "}\n");
	}
	fclose(f);
	return buf;
}

static struct conf_tree *
load_text(const char *text)
{
	struct conf_diag d = { 0 };
	struct conf_tree *t = NULL;

	ck_assert_int_eq(conf_load_buffer("scale.conf", text, strlen(text),
	    NULL, &d, &t), 0);
	ck_assert_uint_eq(d.nerr, 0);
	return t;
}

/* the first real_server block of the i-th top-level statement */
static const struct conf_node *
real_server(const struct conf_tree *t, unsigned i)
{
	const struct conf_node *n = t->first;

	while (i-- > 0)
		n = n->next;
	for (n = n->child; n != NULL; n = n->next)
		if (strcmp(n->argv[0], "real_server") == 0)
			return n;
	ck_abort_msg("no real_server");
	return NULL;
}

/* Equal words of a tree are one copy, loaded and decoded alike. */
static void
check_shared(const struct conf_tree *t)
{
	const struct conf_node *a = real_server(t, 0), *b = real_server(t, 7);

	ck_assert_ptr_eq(a->argv[0], b->argv[0]);		/* real_server */
	ck_assert_ptr_eq(a->argv[2], b->argv[2]);		/* 80 */
	ck_assert_ptr_eq(a->child->argv[0], b->child->argv[0]);	/* weight */
	ck_assert_ptr_eq(a->child->argv[1], b->child->argv[1]);	/* 1 */
	ck_assert_ptr_ne(a->argv[1], b->argv[1]);		/* addresses */
	ck_assert_str_eq(a->argv[1], "127.1.0.1");
	ck_assert_str_eq(b->argv[1], "127.1.7.1");
	ck_assert_ptr_eq(a->loc.file, b->loc.file);
	ck_assert_str_eq(a->loc.file, "scale.conf");
}

START_TEST(test_words_shared)
{
	char *text = gen_servers(10, 3);
	struct conf_tree *t = load_text(text), *t2 = NULL;
	const struct conf_node *a, *b;
	void *buf;
	size_t len;

	check_shared(t);
	ck_assert_int_eq(conf_tree_encode(t, &buf, &len), 0);
	ck_assert_int_eq(conf_tree_decode(buf, len, &t2), 0);
	check_shared(t2);
	ck_assert_int_eq(conf_nodes_equal(t->first, t2->first), 1);
	/* locations travel too */
	a = real_server(t, 9);
	b = real_server(t2, 9);
	ck_assert_uint_eq(a->loc.line, b->loc.line);
	ck_assert_uint_eq(a->child->loc.line, b->child->loc.line);
	ck_assert_uint_gt(b->loc.line, 100);
	ck_assert_uint_eq(t2->nnodes, t->nnodes);
	free(buf);
	conf_tree_free(t2);
	conf_tree_free(t);
	free(text);
}
END_TEST

struct cost {
	size_t text;		/* bytes of configuration text */
	size_t tree;		/* bytes the loaded tree holds */
	size_t enc;		/* bytes of its encoding */
	size_t dec;		/* bytes the decoded tree holds */
	double cpu;		/* CPU seconds: load, encode, decode (best) */
};

static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct cost
measure(unsigned n, unsigned runs)
{
	char *text = gen_servers(n, 10);
	struct cost c = { .text = strlen(text), .cpu = 1e9 };

	while (runs-- > 0) {
		struct conf_tree *t, *t2 = NULL;
		void *buf;
		size_t len;
		double t0 = cpu_now(), t1;

		t = load_text(text);
		ck_assert_int_eq(conf_tree_encode(t, &buf, &len), 0);
		ck_assert_int_eq(conf_tree_decode(buf, len, &t2), 0);
		t1 = cpu_now() - t0;
		if (t1 < c.cpu)
			c.cpu = t1;
		c.tree = arena_mapped(t->arena);
		c.enc = len;
		c.dec = arena_mapped(t2->arena);
		ck_assert_uint_eq(t2->nnodes, t->nnodes);
		free(buf);
		conf_tree_free(t2);
		conf_tree_free(t);
	}
	free(text);
	return c;
}

/*
 * Memory and encoding are linear in the input and smaller than it; ten
 * times the input must take well under a hundred times the CPU time (a
 * measurement disturbed by a busy machine is taken again; quadratic
 * growth fails every attempt).
 */
START_TEST(test_reload_linear)
{
	struct cost s, l;

	for (unsigned attempt = 1; attempt <= 3; attempt++) {
		s = measure(300, 5);
		l = measure(3000, 3);
		fprintf(stderr, "conf scale: %zu -> %zu bytes of text: tree %zu "
		    "-> %zu, encoded %zu -> %zu, decoded %zu -> %zu bytes, "
		    "cpu %.4f -> %.4f s (x%.1f; linear ~10)\n", s.text,
		    l.text, s.tree, l.tree, s.enc, l.enc, s.dec, l.dec, s.cpu,
		    l.cpu, l.cpu / s.cpu);
		if (l.cpu < 25 * s.cpu)
			break;
	}
	ck_assert_msg(l.cpu < 25 * s.cpu, "10x the servers took %.1fx the "
	    "CPU time", l.cpu / s.cpu);
	/* each distinct word is sent once: far less than the text */
	ck_assert_msg(l.enc * 2 < l.text, "encoding %zu bytes for %zu of text",
	    l.enc, l.text);
	ck_assert_msg(l.enc < 11 * s.enc, "encoding grew %zu -> %zu", s.enc,
	    l.enc);
	/* one copy of each word: a tree holds about 3x its text, not 5x */
	ck_assert_msg(l.tree < 4 * l.text, "tree of %zu bytes for %zu of text",
	    l.tree, l.text);
	ck_assert_msg(l.dec < 4 * l.text, "decoded tree of %zu bytes for %zu "
	    "of text", l.dec, l.text);
	ck_assert_msg(l.tree < 11 * s.tree + (4u << 20), "tree grew %zu -> "
	    "%zu", s.tree, l.tree);
}
END_TEST

/* ---- arena --------------------------------------------------------------- */

static long
rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, res = 0;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%ld %ld", &size, &res), 2);
	fclose(f);
	return res * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Allocations are zeroed and aligned, strings packed; a freed arena's
 * memory leaves the process (not kept by malloc for later). */
START_TEST(test_arena_returns_memory)
{
	struct arena *a = arena_new();
	long before, full, after;
	size_t n = 0, bad = 0;

	ck_assert_ptr_nonnull(a);
	before = rss_kb();
	/* a million allocations: counted here, asserted once (each check
	 * assertion costs the framework a write) */
	while (arena_used(a) < (64u << 20)) {
		unsigned char *p = arena_alloc(a, 40 + n % 100);
		char *s = arena_strndup(a, "weight", 3);

		if (p == NULL || s == NULL) {
			bad++;
			break;
		}
		if ((uintptr_t)p % _Alignof(max_align_t) != 0 ||
		    strcmp(s, "wei") != 0)
			bad++;
		for (size_t i = 0; i < 40; i++)
			if (p[i] != 0)
				bad++;
		memset(p, 0xa5, 40 + n % 100);
		n++;
	}
	ck_assert_msg(bad == 0, "%zu of %zu allocations failed, misaligned, "
	    "not zeroed or not packed", bad, n);
	/* a block larger than any chunk */
	ck_assert_ptr_nonnull(arena_alloc(a, 5u << 20));
	full = rss_kb();
	ck_assert_uint_ge(arena_mapped(a), arena_used(a));
	ck_assert_uint_lt(arena_mapped(a), arena_used(a) + (16u << 20));
	arena_free(a);
	after = rss_kb();
	if (!RSS_MEANINGFUL)
		return;
	ck_assert_msg(full - before > 48 * 1024, "64 MiB arena: RSS %ld -> %ld "
	    "kB", before, full);
	ck_assert_msg(after - before < 8 * 1024, "freed arena: RSS %ld -> %ld "
	    "-> %ld kB", before, full, after);
}
END_TEST

/* While the pool is on, a freed arena's chunks are kept up to its
 * bound and the next arena gets them back zeroed; off, nothing is kept;
 * released, the memory leaves the process. */
START_TEST(test_arena_pool)
{
	struct arena *a = arena_new(), *b;
	long before, pooled, after;
	size_t bad = 0;

	ck_assert_ptr_nonnull(a);
	before = rss_kb();
	arena_pool_keep(8u << 20);
	while (arena_used(a) < (24u << 20)) {
		unsigned char *p = arena_alloc(a, 1000);

		ck_assert_ptr_nonnull(p);
		memset(p, 0xa5, 1000);
	}
	arena_free(a);
	/* four 2 MiB chunks: the bound */
	ck_assert_uint_eq(arena_pool_bytes(), 8u << 20);
	pooled = rss_kb();
	ck_assert_ptr_nonnull(b = arena_new());
	while (arena_used(b) < (12u << 20)) {
		unsigned char *p = arena_alloc(b, 1000);

		ck_assert_ptr_nonnull(p);
		for (size_t i = 0; i < 1000; i++)
			bad += p[i] != 0;
		memset(p, 0x5a, 1000);
	}
	ck_assert_msg(bad == 0, "%zu bytes from the pool not zeroed", bad);
	ck_assert_uint_eq(arena_pool_bytes(), 0);
	arena_free(b);
	ck_assert_uint_eq(arena_pool_bytes(), 8u << 20);
	arena_pool_release();
	ck_assert_uint_eq(arena_pool_bytes(), 0);
	after = rss_kb();
	/* a table's mapping is kept for the next of its size, zeroed; one
	 * whose size is no power of two is not */
	{
		size_t m, m3, ps = (size_t)sysconf(_SC_PAGESIZE);
		unsigned char *q, *r;

		arena_pool_keep(1u << 20);
		ck_assert_ptr_nonnull(q = arena_map(64u << 10, &m));
		memset(q, 0xff, m);
		arena_unmap(q, m);
		ck_assert_uint_eq(arena_pool_bytes(), m);
		ck_assert_ptr_eq(r = arena_map(64u << 10, &m), q);
		for (size_t i = 0; i < m; i++)
			bad += r[i] != 0;
		ck_assert_msg(bad == 0, "%zu bytes of a pooled table not "
		    "zeroed", bad);
		ck_assert_uint_eq(arena_pool_bytes(), 0);
		arena_unmap(r, m);
		ck_assert_uint_eq(arena_pool_bytes(), m);
		/* no power of two: not kept; a small size the pool does not
		 * hold leaves the pool as it is */
		ck_assert_ptr_nonnull(r = arena_map(3 * ps, &m3));
		arena_unmap(r, m3);
		ck_assert_uint_eq(arena_pool_bytes(), m);
		/* a chunk's size or more that the pool does not hold: what it
		 * holds goes back to the system first (and this one, over the
		 * bound, is not kept) */
		ck_assert_ptr_nonnull(r = arena_map(4u << 20, &m3));
		ck_assert_uint_eq(arena_pool_bytes(), 0);
		arena_unmap(r, m3);
		ck_assert_uint_eq(arena_pool_bytes(), 0);
		arena_pool_release();
		ck_assert_uint_eq(arena_pool_bytes(), 0);
	}
	/* off: nothing is kept */
	ck_assert_ptr_nonnull(b = arena_new());
	while (arena_used(b) < (6u << 20))
		ck_assert_ptr_nonnull(arena_alloc(b, 1000));
	arena_free(b);
	ck_assert_uint_eq(arena_pool_bytes(), 0);
	if (!RSS_MEANINGFUL)
		return;
	ck_assert_msg(pooled - before > 6 * 1024, "pool of 8 MiB: RSS %ld -> "
	    "%ld kB", before, pooled);
	/* (under valgrind not all of it shows at once) */
	ck_assert_msg(pooled - after > 4 * 1024, "pool released: RSS %ld -> "
	    "%ld -> %ld kB", before, pooled, after);
}
END_TEST

/* A forked process (the parent's page renderers) has the pool off and
 * usable: what it frees goes back to the system. */
START_TEST(test_arena_pool_fork)
{
	struct arena *a;
	pid_t pid;
	int status;

	arena_pool_keep(8u << 20);
	ck_assert_int_ge(pid = fork(), 0);
	if (pid == 0) {
		a = arena_new();
		while (a != NULL && arena_used(a) < (4u << 20))
			if (arena_alloc(a, 1000) == NULL)
				_exit(2);
		arena_free(a);
		_exit(a != NULL && arena_pool_bytes() == 0 ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	/* the parent's pool is still on */
	ck_assert_ptr_nonnull(a = arena_new());
	while (arena_used(a) < (4u << 20))
		ck_assert_ptr_nonnull(arena_alloc(a, 1000));
	arena_free(a);
	ck_assert_uint_gt(arena_pool_bytes(), 0);
	arena_pool_release();
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("conf_scale");
	TCase *tc = tcase_create("scale");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_words_shared);
	tcase_add_test(tc, test_reload_linear);
	tcase_add_test(tc, test_arena_returns_memory);
	tcase_add_test(tc, test_arena_pool);
	tcase_add_test(tc, test_arena_pool_fork);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(suite());
}
