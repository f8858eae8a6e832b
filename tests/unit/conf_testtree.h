/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test helpers for the keyword registry: build a struct conf_tree by hand
 * from a tiny subset of the configuration syntax (one statement per line,
 * words split on blanks, a trailing "{" opens a block, a line "}" closes
 * it), so registry tests do not depend on the reader; and collect
 * diagnostics as "file:line: message" strings.
 */
#ifndef VIGIL_TEST_CONF_TESTTREE_H
#define VIGIL_TEST_CONF_TESTTREE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "conf.h"

#define TT_MAXDEPTH 32

static inline struct conf_node *
tt_node(struct arena *a, const char *file, unsigned line, const char *words,
    size_t len)
{
	struct conf_node *n = arena_alloc(a, sizeof(*n));
	char *copy = arena_strndup(a, words, len), *w, *save = NULL;
	unsigned cap = 8;

	n->loc.file = file;
	n->loc.line = line;
	n->argv = arena_calloc(a, cap + 1, sizeof(char *));
	for (w = strtok_r(copy, " \t", &save); w != NULL;
	    w = strtok_r(NULL, " \t", &save)) {
		if (n->argc == cap) {
			char **nv = arena_calloc(a, cap * 2 + 1, sizeof(char *));

			memcpy(nv, n->argv, cap * sizeof(char *));
			n->argv = nv;
			cap *= 2;
		}
		n->argv[n->argc++] = w;
	}
	return n;
}

/* Parse text into a tree named file; the tree owns a new arena. */
static inline struct conf_tree *
tt_tree(const char *file, const char *text)
{
	struct arena *a = arena_new();
	struct conf_tree *t = arena_alloc(a, sizeof(*t));
	struct conf_node **tail[TT_MAXDEPTH];
	const char *p = text, *eol, *fname = arena_strdup(a, file);
	unsigned line = 0, depth = 0;

	t->arena = a;
	tail[0] = &t->first;
	for (; *p != '\0'; p = *eol != '\0' ? eol + 1 : eol) {
		size_t len;
		int open = 0;
		struct conf_node *n;

		line++;
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		len = (size_t)(eol - p);
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == 0)
			continue;
		if (len == 1 && *p == '}') {
			if (depth > 0)
				depth--;
			continue;
		}
		if (p[len - 1] == '{') {
			open = 1;
			len--;
		}
		n = tt_node(a, fname, line, p, len);
		if (n->argc == 0)
			continue;
		n->block = open;
		*tail[depth] = n;
		tail[depth] = &n->next;
		t->nnodes++;
		if (open && depth + 1 < TT_MAXDEPTH) {
			depth++;
			tail[depth] = &n->child;
		}
	}
	return t;
}

static inline void
tt_tree_free(struct conf_tree *t)
{
	if (t != NULL)
		arena_free(t->arena);
}

/* Collected diagnostics, one "file:line: msg" (or "msg") per entry. */
struct tt_diag {
	struct conf_diag d;
	char *msg[256];
	enum conf_sev sev[256];
	unsigned n;
};

static inline void
tt_emit(void *arg, enum conf_sev sev, const struct conf_loc *loc,
    const char *msg)
{
	struct tt_diag *td = arg;
	char *buf;

	if (td->n >= sizeof(td->msg) / sizeof(td->msg[0]))
		return;
	if (loc != NULL) {
		int len = snprintf(NULL, 0, "%s:%u: %s", loc->file, loc->line,
		    msg);

		buf = len < 0 ? NULL : malloc((size_t)len + 1);
		if (buf != NULL)
			snprintf(buf, (size_t)len + 1, "%s:%u: %s", loc->file,
			    loc->line, msg);
	} else
		buf = strdup(msg);
	td->sev[td->n] = sev;
	td->msg[td->n++] = buf != NULL ? buf : strdup("(out of memory)");
}

static inline void
tt_diag_init(struct tt_diag *td)
{
	memset(td, 0, sizeof(*td));
	td->d.emit = tt_emit;
	td->d.arg = td;
}

static inline void
tt_diag_clear(struct tt_diag *td)
{
	unsigned i;

	for (i = 0; i < td->n; i++)
		free(td->msg[i]);
	tt_diag_init(td);
}

/* 1 if some message of severity sev equals s. */
static inline int
tt_has(const struct tt_diag *td, enum conf_sev sev, const char *s)
{
	unsigned i;

	for (i = 0; i < td->n; i++)
		if (td->sev[i] == sev && strcmp(td->msg[i], s) == 0)
			return 1;
	return 0;
}

static inline void
tt_dump(const struct tt_diag *td)
{
	unsigned i;

	for (i = 0; i < td->n; i++)
		fprintf(stderr, "  [%s] %s\n",
		    td->sev[i] == CONF_ERR ? "err" : "warn", td->msg[i]);
}

#endif
