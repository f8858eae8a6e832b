/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the configuration language core: load a buffer
 * with small limits (no includes), print it, encode it and decode the
 * encoding, and decode the raw input as well; the streaming decoder (a
 * reload of a child that drops its tree) takes the same buffers as the
 * whole-tree one, statement for statement.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "conf.h"

static FILE *devnull;

static void
count_top(void *arg, const struct conf_node *n)
{
	(void)n;
	(*(size_t *)arg)++;
}

/* Top-level statements of t. */
static size_t
tree_top(const struct conf_tree *t)
{
	size_t n = 0;

	for (const struct conf_node *c = t->first; c != NULL; c = c->next)
		n++;
	return n;
}

/* buf decoded statement by statement: -1 if malformed, else how many
 * top-level statements it handed on. */
static long
decode_each(const void *buf, size_t len)
{
	struct arena *words = arena_new();
	size_t n = 0;
	int rc;

	if (words == NULL)
		abort();
	rc = conf_tree_decode_each(buf, len, words, count_top, &n);
	arena_free(words);
	return rc < 0 ? -1 : (long)n;
}

/* Decoded in steps of a statement each: the tree (NULL where it does not
 * decode) and, in *steps, the steps that left more to come. */
static struct conf_tree *
decode_steps(const void *buf, size_t len, long *steps)
{
	struct conf_decoder *dec;
	struct conf_tree *t = NULL;

	*steps = 0;
	if (conf_tree_decode_begin(buf, len, &dec) < 0)
		return NULL;
	while (conf_tree_decode_step(dec, 0) > 0)
		(*steps)++;
	(void)conf_tree_decode_end(dec, &t);
	return t;
}

/* conf_tree_decode's verdict and tree (t, NULL where it fails) are those
 * of the decoding in steps, one statement a step */
static void
same_in_steps(const void *buf, size_t len, const struct conf_tree *t)
{
	long steps;
	struct conf_tree *t3 = decode_steps(buf, len, &steps);

	if ((t == NULL) != (t3 == NULL) || (t != NULL &&
	    (conf_nodes_equal(t->first, t3->first) != 1 ||
	    steps != (long)tree_top(t))))
		abort();
	conf_tree_free(t3);
}

/*
 * Printing and loading again gives the same tree. The language has no
 * escape outside script lines (as in keepalived), so a word holding a
 * predefined name ($_NAME, ${_NAME}) cannot be printed so that it is not
 * replaced when read again: such trees are not compared.
 */
static void
reload(const struct conf_tree *t)
{
	struct conf_load_opts o = { 0 };
	struct conf_tree *t2 = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	if (fp == NULL)
		return;
	conf_tree_print(t, fp);
	fclose(fp);
	if (memmem(text, len, "$_", 2) != NULL ||
	    memmem(text, len, "${_", 3) != NULL) {
		free(text);
		return;
	}
	o.config_id = "main";
	o.no_include = 1;
	if (conf_load_buffer("printed.conf", text, len, &o, NULL, &t2) != 0 ||
	    conf_nodes_equal(t->first, t2->first) != 1) {
		fprintf(stderr, "print/reload differs:\n%s\n", text);
		abort();
	}
	conf_tree_free(t2);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_load_opts o = { 0 };
	struct conf_diag d = { 0 };
	struct conf_tree *t = NULL, *t2 = NULL;
	void *buf;
	size_t len;

	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	o.config_id = "main";
	o.random_seed = 1;
	o.no_include = 1;
	o.limits.include_depth = 2;
	o.limits.include_files = 2;
	o.limits.nesting = 16;
	o.limits.line_len = 4096;
	o.limits.def_len = 8192;
	o.limits.subst_depth = 8;
	o.limits.seq_lines = 2000;
	o.limits.total_lines = 20000;

	if (conf_tree_decode(data, size, &t) == 0) {
		/* what decodes whole decodes statement by statement */
		if (decode_each(data, size) != (long)tree_top(t))
			abort();
		same_in_steps(data, size, t);
		conf_tree_print(t, devnull);
		conf_tree_free(t);
		t = NULL;
	} else {
		(void)decode_each(data, size);
		same_in_steps(data, size, NULL);
	}
	if (conf_load_buffer("fuzz.conf", (const char *)data, size, &o, &d,
	    &t) != 0)
		return 0;
	conf_tree_print(t, devnull);
	reload(t);
	if (conf_tree_encode(t, &buf, &len) == 0) {
		if (conf_tree_decode(buf, len, &t2) != 0 ||
		    conf_nodes_equal(t->first, t2->first) != 1 ||
		    decode_each(buf, len) != (long)tree_top(t))
			abort();
		same_in_steps(buf, len, t2);
		conf_tree_free(t2);
		free(buf);
	}
	conf_tree_free(t);
	return 0;
}
