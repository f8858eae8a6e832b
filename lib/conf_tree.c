/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Configuration tree: statements and { } blocks built from the lexer's
 * tokens, the load entry points, printing back as normalised text, and a
 * flat binary encoding (with a validating decoder) for ipc.
 *
 * A statement is the words of a line up to its end, a '{' or a '}'. A
 * '{' opens a block for the statement before it on the same line, or for
 * the statement alone on the line before (keyword, then '{' on the next
 * line, as keepalived allows). '}' closes the innermost block and may
 * follow items on the same line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "conf_int.h"
#include "strtab.h"

/* a large file has hundreds of thousands of nodes */
_Static_assert(sizeof(void *) != 8 || sizeof(struct conf_node) == 48,
    "struct conf_node grew");

struct cl_frame {
	struct conf_node *node;		/* NULL: top level */
	struct conf_node **tail;
};

/* ---- building ------------------------------------------------------- */

static void
oom(struct conf_load *cl, const struct conf_loc *loc)
{
	cl_error(cl, loc, "out of memory");
	cl->abort = 1;
}

void
cl_tree_word(struct conf_load *cl, const char *w, size_t len,
    const struct conf_loc *loc)
{
	const char *s;

	if (cl->nwords + 1 >= cl->cwords) {
		unsigned nc = cl->cwords ? cl->cwords * 2 : 16;
		char **nw = realloc(cl->words, nc * sizeof(*nw));

		if (nw == NULL) {
			oom(cl, loc);
			return;
		}
		cl->words = nw;
		cl->cwords = nc;
	}
	/* words are never written to once in the tree: equal ones share one
	 * copy (with top_drop, the arguments inside a block once their
	 * statement is known to stay; keywords are entered at once, being
	 * few and looked up by address when built, and so are a top-level
	 * statement's words: the scratch arena is reset when they are read,
	 * as the statement before them completes) */
	if (cl->top_drop != NULL && cl->nframes > 1 && cl->nwords > 0 ?
	    (s = arena_strndup(cl->nodes, w, len)) == NULL :
	    strtab_add(cl->strs, w, len, &s) < 0) {
		oom(cl, loc);
		return;
	}
	if (cl->nwords == 0)
		cl->stmt_loc = *loc;
	cl->words[cl->nwords++] = (char *)s;
}

/* A node with room for argc words (and the NULL after them) in argv. */
static struct conf_node *
node_new(struct arena *a, size_t argc)
{
	struct conf_node *n;

	if (argc > (SIZE_MAX - sizeof(*n)) / sizeof(char *) - 1 ||
	    (n = arena_alloc(a, sizeof(*n) + (argc + 1) * sizeof(char *))) ==
	    NULL)
		return NULL;
	n->argv = (char **)(void *)(n + 1);
	return n;
}

/* n and everything below it, copied into a (words are shared). */
static struct conf_node *
node_copy(struct arena *a, const struct conf_node *n)
{
	struct conf_node *c, **tail;

	if ((c = node_new(a, n->argc)) == NULL)
		return NULL;
	c->loc = n->loc;
	c->argc = n->argc;
	c->block = n->block;
	memcpy(c->argv, n->argv, n->argc * sizeof(char *));
	tail = &c->child;
	for (n = n->child; n != NULL; n = n->next) {
		if ((*tail = node_copy(a, n)) == NULL)
			return NULL;
		tail = &(*tail)->next;
	}
	return c;
}

/* The words of n, its siblings after it and everything below them, in
 * the scratch arena, become the tree's one copy of each (top_drop). 0, or
 * -1 when out of memory. Recursion is bounded by the nesting limit. */
static int
intern_words(struct conf_load *cl, struct conf_node *n)
{
	for (; n != NULL; n = n->next) {
		for (unsigned i = 0; i < n->argc; i++) {
			const char *s;

			if (strtab_add(cl->strs, n->argv[i],
			    strlen(n->argv[i]), &s) < 0)
				return -1;
			n->argv[i] = (char *)s;
		}
		if (n->child != NULL && intern_words(cl, n->child) < 0)
			return -1;
	}
	return 0;
}

/*
 * With top_done: the pending top-level statement is complete. It is kept
 * (copied out of the scratch arena) or dropped, and the scratch arena is
 * reused for the next one.
 */
static void
top_complete(struct conf_load *cl)
{
	struct conf_node *n = cl->pend, *keep = NULL;
	int drop = 0;

	if (n == NULL)
		return;
	cl->pend = NULL;
	if (cl->top_keep) {
		/* built in the tree's arena: stays where it is */
		if (cl->nerr == 0 && !cl->abort)
			(void)cl->top_done(cl->top_arg, n);
		if (cl->last_stmt == n)
			cl->last_stmt = NULL;
		return;
	}
	if (cl->top_drop != NULL && cl->nerr == 0 && !cl->abort &&
	    !(drop = cl->top_drop(cl->top_arg, n) == 1)) {
		/* the last top-level statement: n->next is NULL */
		if (intern_words(cl, n) < 0)
			oom(cl, &n->loc);
	}
	if (cl->nerr == 0 && !cl->abort && cl->top_done(cl->top_arg, n) == 1 &&
	    !drop && (keep = node_copy(cl->tree->arena, n)) == NULL)
		oom(cl, &n->loc);
	*cl->pend_link = keep;
	cl->frames[0].tail = keep != NULL ? &keep->next : cl->pend_link;
	if (cl->last_stmt == n)
		cl->last_stmt = NULL;
	arena_reset(cl->nodes);
}

/* The pending words become a statement of the innermost block. */
static struct conf_node *
flush(struct conf_load *cl)
{
	struct cl_frame *f = &cl->frames[cl->nframes - 1];
	struct conf_node *n;

	if (cl->nwords == 0)
		return NULL;
	if (cl->top_done != NULL && cl->nframes == 1) {
		top_complete(cl);
		cl->pend_link = f->tail;
	}
	if ((n = node_new(cl->nodes, cl->nwords)) == NULL) {
		oom(cl, &cl->stmt_loc);
		cl->nwords = 0;
		return NULL;
	}
	memcpy(n->argv, cl->words, cl->nwords * sizeof(char *));
	n->argc = cl->nwords;
	n->loc = cl->stmt_loc;
	*f->tail = n;
	f->tail = &n->next;
	if (cl->top_done != NULL && cl->nframes == 1)
		cl->pend = n;
	cl->tree->nnodes++;
	cl->nwords = 0;
	return n;
}

static int
push_frame(struct conf_load *cl, struct conf_node *n,
    const struct conf_loc *loc)
{
	if (cl->nframes > cl->lim.nesting) {
		cl_error(cl, loc, "blocks nested deeper than %u levels",
		    cl->lim.nesting);
		cl->abort = 1;
		return -1;
	}
	if (cl->nframes == cl->cframes) {
		unsigned nc = cl->cframes * 2;
		struct cl_frame *nf = realloc(cl->frames, nc * sizeof(*nf));

		if (nf == NULL) {
			oom(cl, loc);
			return -1;
		}
		cl->frames = nf;
		cl->cframes = nc;
	}
	n->block = 1;
	cl->frames[cl->nframes].node = n;
	cl->frames[cl->nframes].tail = &n->child;
	cl->nframes++;
	return 0;
}

void
cl_tree_open(struct conf_load *cl, const struct conf_loc *loc)
{
	struct conf_node *n = flush(cl);

	if (n == NULL && cl->abort)
		return;
	if (n == NULL) {
		n = cl->last_stmt;
		if (n == NULL || n->block) {
			cl_error(cl, loc, "'{' without a statement before it");
			/* parse the block anyway, into a node of its own */
			n = arena_alloc(cl->nodes, sizeof(*n));
			if (n == NULL) {
				oom(cl, loc);
				return;
			}
			n->loc = *loc;
		}
	}
	cl->last_stmt = NULL;
	push_frame(cl, n, loc);
}

void
cl_tree_close(struct conf_load *cl, const struct conf_loc *loc)
{
	flush(cl);
	cl->last_stmt = NULL;
	if (cl->nframes <= 1) {
		cl_error(cl, loc, "unexpected '}': no block is open");
		return;
	}
	cl->nframes--;
}

void
cl_tree_eol(struct conf_load *cl)
{
	struct conf_node *n = flush(cl);

	if (n != NULL)
		cl->last_stmt = n;
}

static void
finish(struct conf_load *cl)
{
	unsigned i;

	cl_tree_eol(cl);
	if (cl->abort)
		return;
	for (i = cl->nframes; i-- > 1; ) {
		const struct conf_node *n = cl->frames[i].node;

		cl_error(cl, &n->loc, "block '%s' is not closed (missing '}' "
		    "at the end of the configuration)",
		    n->argv != NULL ? n->argv[0] : "{");
	}
	if (cl->top_done != NULL)
		top_complete(cl);
}

/* ---- loading ------------------------------------------------------------ */

static void
set_limits(struct conf_limits *l, const struct conf_limits *in)
{
	*l = *in;
	if (!l->include_depth)
		l->include_depth = 32;
	if (!l->include_files)
		l->include_files = 10000;
	if (!l->nesting)
		l->nesting = 64;
	if (!l->line_len)
		l->line_len = 65536;
	if (!l->def_len)
		l->def_len = 1u << 20;
	if (!l->subst_depth)
		l->subst_depth = 32;
	if (!l->seq_lines)
		l->seq_lines = 1000000;
	if (!l->total_lines)
		l->total_lines = 4000000;
}

static struct conf_tree *
tree_new(void)
{
	struct arena *a = arena_new();
	struct conf_tree *t;

	if (a == NULL)
		return NULL;
	if ((t = arena_alloc(a, sizeof(*t))) == NULL) {
		arena_free(a);
		return NULL;
	}
	t->arena = a;
	return t;
}

void
conf_tree_free(struct conf_tree *t)
{
	if (t != NULL)
		arena_free(t->arena);
}

static int
load(const char *path, const char *name, const char *buf, size_t len,
    const struct conf_load_opts *opts, struct conf_diag *d,
    struct conf_tree **out)
{
	static const struct conf_load_opts defopts;
	struct conf_load cl = { .d = d };
	struct utsname u;
	char id[sizeof(u.nodename)];
	int rc = -1;

	*out = NULL;
	if (opts == NULL)
		opts = &defopts;
	set_limits(&cl.lim, &opts->limits);
	cl.no_include = opts->no_include;
	cl.include_check_all = opts->include_check_all;
	cl.copy = opts->copy;
	if (opts->config_id != NULL) {
		cl.config_id = opts->config_id;
	} else {
		id[0] = '\0';
		if (uname(&u) == 0) {
			memcpy(id, u.nodename, sizeof(id));
			id[sizeof(id) - 1] = '\0';
			id[strcspn(id, ".")] = '\0';
		}
		cl.config_id = id;
	}
	cl.tree = tree_new();
	cl.frames = malloc(8 * sizeof(*cl.frames));
	if (cl.tree != NULL)
		cl.strs = strtab_new(cl.tree->arena);
	if (cl.tree == NULL || cl.frames == NULL || cl.strs == NULL ||
	    cl_pre_init(&cl, opts->random_seed) < 0) {
		conf_diag_report(d, CONF_ERR, NULL, "out of memory");
		goto out;
	}
	cl.nodes = cl.tree->arena;
	if (opts->top_done != NULL && opts->top_keep) {
		cl.top_done = opts->top_done;
		cl.top_arg = opts->top_arg;
		cl.top_keep = 1;
	} else if (opts->top_done != NULL) {
		if ((cl.nodes = arena_new()) == NULL) {
			conf_diag_report(d, CONF_ERR, NULL, "out of memory");
			goto out;
		}
		cl.top_done = opts->top_done;
		cl.top_arg = opts->top_arg;
		cl.top_drop = opts->top_drop;
	}
	cl.cframes = 8;
	cl.nframes = 1;
	cl.frames[0].node = NULL;
	cl.frames[0].tail = &cl.tree->first;
	if (path != NULL)
		cl_read_path(&cl, path);
	else
		cl_read_mem(&cl, name, buf, len);
	finish(&cl);
	if (cl.abort && cl.nerr == 0)
		cl_error(&cl, NULL, "configuration not loaded");
	if (cl.nerr == 0 && !cl.abort) {
		*out = cl.tree;
		cl.tree = NULL;
		rc = 0;
	}
out:
	cl_pre_free(&cl);
	cl_read_free(&cl);
	free(cl.frames);
	free(cl.words);
	free(cl.wbuf);
	strtab_free(cl.strs);
	if (cl.top_done != NULL && !cl.top_keep)
		arena_free(cl.nodes);
	conf_tree_free(cl.tree);
	return rc;
}

int
conf_load_file(const char *path, const struct conf_load_opts *opts,
    struct conf_diag *d, struct conf_tree **out)
{
	return load(path, NULL, NULL, 0, opts, d, out);
}

int
conf_load_buffer(const char *name, const char *buf, size_t len,
    const struct conf_load_opts *opts, struct conf_diag *d,
    struct conf_tree **out)
{
	return load(NULL, name != NULL ? name : "<buffer>", buf, len, opts,
	    d, out);
}

/* ---- walking without recursion ------------------------------------------ */

struct walk {
	const struct conf_node **st;
	size_t n, cap;
};

static int
walk_push(struct walk *w, const struct conf_node *n)
{
	if (w->n == w->cap) {
		size_t nc = w->cap ? w->cap * 2 : 32;
		const struct conf_node **ns = realloc(w->st, nc * sizeof(*ns));

		if (ns == NULL)
			return -1;
		w->st = ns;
		w->cap = nc;
	}
	w->st[w->n++] = n;
	return 0;
}

/* ---- equality ----------------------------------------------------------- */

static int
node_same(const struct conf_node *a, const struct conf_node *b)
{
	if (a->argc != b->argc || a->block != b->block ||
	    (a->child == NULL) != (b->child == NULL))
		return 0;
	for (unsigned i = 0; i < a->argc; i++)
		if (strcmp(a->argv[i], b->argv[i]) != 0)
			return 0;
	return 1;
}

int
conf_nodes_equal(const struct conf_node *a, const struct conf_node *b)
{
	/* lock-step pre-order walk; the stacks hold the nodes whose next
	 * siblings come after their children */
	struct walk wa = { 0 }, wb = { 0 };
	int eq = 1;

	for (;;) {
		while (a == NULL && b == NULL && wa.n > 0) {
			a = wa.st[--wa.n]->next;
			b = wb.st[--wb.n]->next;
		}
		if (a == NULL || b == NULL) {
			eq = a == b;
			break;
		}
		if (!node_same(a, b)) {
			eq = 0;
			break;
		}
		if (a->child != NULL) {
			if (walk_push(&wa, a) < 0 || walk_push(&wb, b) < 0) {
				eq = -1;
				break;
			}
			a = a->child;
			b = b->child;
		} else {
			a = a->next;
			b = b->next;
		}
	}
	free(wa.st);
	free(wb.st);
	return eq;
}

/* ---- printing ----------------------------------------------------------- */

static int
needs_quotes(const char *s, int kw)
{
	const unsigned char *p = (const unsigned char *)s;

	if (*p == '\0')
		return 1;
	if (kw && (*p == '@' || *p == '~' || strncmp(s, "include", 7) == 0))
		return 1;
	for (; *p; p++)
		if (!(*p >= 0x80 || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("_-./:,+%^&*?<>|;[]()=@~", *p) != NULL))
			return 1;
	return 0;
}

/*
 * A word that needs quotes is printed between double quotes as it is: the
 * lexer has no escapes. A word cannot hold a '"' when it comes from the
 * lexer; one from a decoded tree that does has it printed as '\''. The
 * words of a script keyword are read with escapes (qe): they are printed
 * with them.
 */
static void print_word(const char *s, int kw, int qe, FILE *fp);

void
conf_print_word(FILE *fp, const char *s)
{
	print_word(s, 0, 0, fp);
}

void
conf_print_arg(FILE *fp, const char *kw, const char *s)
{
	if (kw == NULL)
		print_word(s, 1, 0, fp);
	else
		print_word(s, 0, cl_lex_script_kw(kw, strlen(kw)), fp);
}

static void
print_word(const char *s, int kw, int qe, FILE *fp)
{
	const unsigned char *p;

	if (!needs_quotes(s, kw)) {
		fputs(s, fp);
		return;
	}
	putc('"', fp);
	for (p = (const unsigned char *)s; *p; p++) {
		if (!qe)
			putc(*p == '"' ? '\'' : *p, fp);
		else if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f || *p == '$')
			fprintf(fp, "\\%03o", *p);
		else
			putc(*p, fp);
	}
	putc('"', fp);
}

static void
print_node(const struct conf_node *n, size_t depth, FILE *fp)
{
	unsigned i;
	int qe = n->argc > 0 &&
	    cl_lex_script_kw(n->argv[0], strlen(n->argv[0]));

	fprintf(fp, "%*s", (int)(depth * 4), "");
	for (i = 0; i < n->argc; i++) {
		if (i > 0)
			putc(' ', fp);
		print_word(n->argv[i], i == 0, i > 0 && qe, fp);
	}
	if (n->block)
		fputs(" {\n", fp);
	else
		putc('\n', fp);
	if (n->block && n->child == NULL)
		fprintf(fp, "%*s}\n", (int)(depth * 4), "");
}

void
conf_tree_print(const struct conf_tree *t, FILE *fp)
{
	struct walk w = { 0 };
	const struct conf_node *n;

	if (t == NULL)
		return;
	for (n = t->first; n != NULL; ) {
		print_node(n, w.n, fp);
		if (n->child != NULL && walk_push(&w, n) == 0) {
			n = n->child;
			continue;
		}
		n = n->next;
		while (n == NULL && w.n > 0) {
			const struct conf_node *p = w.st[--w.n];

			fprintf(fp, "%*s}\n", (int)(w.n * 4), "");
			n = p->next;
		}
	}
	free(w.st);
}

/* ---- binary encoding ------------------------------------------------------ */

/*
 * "VGCT", then five little-endian 32-bit words: version, number of
 * distinct strings, of nodes, of top-level nodes, bytes of the nodes.
 * Then the nodes in pre-order, each as: file (string number + 1, 0 for
 * none), line, argc << 1 | block, number of children, argc string
 * numbers. Then each distinct string once (length, bytes; distinct by
 * address, see enc_str), in the order the nodes first used them. Numbers after the header are LEB128 varints:
 * most take one byte, and a word that recurs (a keyword, "1", an
 * interface name) costs its number only. One pass writes the nodes while
 * numbering the strings, which follow.
 */
#define ENC_MAGIC	"VGCT"
#define ENC_VERSION	2u
#define ENC_HDR		24u
#define ENC_MIN_NODE	5u	/* five one-byte varints, argc >= 1 */
#define ENC_VMAX	5u	/* bytes of the longest 32-bit varint */

struct obuf {
	unsigned char *b;
	size_t len, cap;
	int fail;
};

/* Room for n more bytes. */
static int
reserve(struct obuf *o, size_t n)
{
	size_t nc;
	unsigned char *nb;

	if (o->fail)
		return -1;
	if (o->cap - o->len >= n)
		return 0;
	nc = o->cap ? o->cap : 65536;
	while (nc - o->len < n) {
		if (nc > SIZE_MAX / 2) {
			o->fail = 1;
			return -1;
		}
		nc *= 2;
	}
	if ((nb = realloc(o->b, nc)) == NULL) {
		o->fail = 1;
		return -1;
	}
	o->b = nb;
	o->cap = nc;
	return 0;
}

/* A varint; room was reserved. */
static void
vput(struct obuf *o, uint32_t v)
{
	while (v >= 0x80) {
		o->b[o->len++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	o->b[o->len++] = (unsigned char)v;
}

static void
put32le(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

static uint32_t
count_list(const struct conf_node *n)
{
	uint32_t c = 0;

	for (; n != NULL; n = n->next)
		c++;
	return c;
}

/* Pre-order step: the node after n (children first). */
static const struct conf_node *
walk_next(struct walk *w, const struct conf_node *n, int *fail)
{
	if (n->child != NULL) {
		if (walk_push(w, n) < 0) {
			*fail = 1;
			return NULL;
		}
		return n->child;
	}
	n = n->next;
	while (n == NULL && w->n > 0)
		n = w->st[--w->n]->next;
	return n;
}

/*
 * Strings are numbered by address: a loaded (or decoded) tree keeps one
 * copy of each distinct word, so the same pointer comes back again and
 * again ("weight", "1", the file name) and a word is known by its address
 * without reading or hashing its text. Equal words at two addresses (a
 * tree put together by hand) are sent twice, which decodes the same. The
 * table is mapped (arena_map): it grows by doubling and is dropped at the
 * end. A small cache by address in front of it answers the frequent words
 * from memory the processor holds.
 */
#define ENC_CACHE 4096u

struct enc_slot {
	const char *s;		/* NULL: empty */
	uint32_t no;
};

struct enc_strs {
	struct enc_slot *slot;
	size_t slot_map;
	uint32_t nslots, n;	/* nslots: a power of two */
	const char **v;		/* the strings by number */
	size_t v_map;
	uint32_t cap;
	struct enc_slot cache[ENC_CACHE];
};

static uint32_t
ptr_hash(const char *s)
{
	uint64_t h = (uint64_t)(uintptr_t)s * 0x9e3779b97f4a7c15ull;

	return (uint32_t)(h >> 32);
}

static int
enc_grow(struct enc_strs *e)
{
	uint32_t ns = e->nslots ? e->nslots * 2 : 4096;
	struct enc_slot *sl;
	size_t map;

	if (ns == 0 || (sl = arena_map((size_t)ns * sizeof(*sl), &map)) == NULL)
		return -1;
	for (uint32_t i = 0; i < e->nslots; i++) {
		uint32_t j;

		if (e->slot[i].s == NULL)
			continue;
		j = ptr_hash(e->slot[i].s) & (ns - 1);
		while (sl[j].s != NULL)
			j = (j + 1) & (ns - 1);
		sl[j] = e->slot[i];
	}
	arena_unmap(e->slot, e->slot_map);
	e->slot = sl;
	e->slot_map = map;
	e->nslots = ns;
	return 0;
}

/* The number of s, numbering it if new; -1 when out of memory. */
static int64_t
enc_str(struct enc_strs *e, const char *s)
{
	struct enc_slot *c = &e->cache[((uintptr_t)s >> 3) % ENC_CACHE], *x;
	uint32_t j;

	if (c->s == s)
		return c->no;
	if ((e->n + 1) * 2 > e->nslots && enc_grow(e) < 0)
		return -1;
	for (j = ptr_hash(s) & (e->nslots - 1);; j = (j + 1) & (e->nslots - 1)) {
		x = &e->slot[j];
		if (x->s == s || x->s == NULL)
			break;
	}
	if (x->s == NULL) {
		if (e->n == UINT32_MAX - 1)
			return -1;
		if (e->n == e->cap) {
			uint32_t nc = e->cap ? e->cap * 2 : 4096;
			const char **nv;
			size_t map;

			if ((nv = arena_map((size_t)nc * sizeof(*nv), &map)) ==
			    NULL)
				return -1;
			if (e->n > 0)
				memcpy(nv, e->v, e->n * sizeof(*nv));
			arena_unmap(e->v, e->v_map);
			e->v = nv;
			e->v_map = map;
			e->cap = nc;
		}
		e->v[e->n] = s;
		x->s = s;
		x->no = e->n++;
	}
	*c = *x;
	return x->no;
}

/* Number a string (adding it the first time) and write the number. */
static void
put_str(struct obuf *o, struct enc_strs *e, const char *s, uint32_t plus)
{
	int64_t i = enc_str(e, s);

	if (i < 0) {
		o->fail = 1;
		return;
	}
	vput(o, (uint32_t)i + plus);
}

struct conf_encoder {
	struct enc_strs *e;
	struct obuf o;
	struct walk w;
	uint32_t nn, ntop;
};

int
conf_encoder_new(struct conf_encoder **out)
{
	struct conf_encoder *k = calloc(1, sizeof(*k));

	*out = NULL;
	if (k == NULL || (k->e = calloc(1, sizeof(*k->e))) == NULL ||
	    reserve(&k->o, ENC_HDR) < 0) {
		conf_encoder_free(k);
		return -1;
	}
	k->o.len = ENC_HDR;
	*out = k;
	return 0;
}

void
conf_encoder_free(struct conf_encoder *k)
{
	if (k == NULL)
		return;
	free(k->w.st);
	if (k->e != NULL) {
		arena_unmap(k->e->slot, k->e->slot_map);
		arena_unmap(k->e->v, k->e->v_map);
		free(k->e);
	}
	free(k->o.b);
	free(k);
}

/* One node's record (its children follow it). */
static void
enc_node(struct conf_encoder *k, const struct conf_node *n)
{
	struct obuf *o = &k->o;

	if (k->nn == UINT32_MAX || n->argc > UINT32_MAX >> 1 ||
	    reserve(o, ((size_t)n->argc + 4) * ENC_VMAX) < 0) {
		o->fail = 1;
		return;
	}
	k->nn++;
	if (n->loc.file != NULL)
		put_str(o, k->e, n->loc.file, 1);
	else
		vput(o, 0);
	vput(o, n->loc.line);
	vput(o, n->argc << 1 | (n->block ? 1 : 0));
	vput(o, count_list(n->child));
	for (unsigned j = 0; j < n->argc; j++)
		put_str(o, k->e, n->argv[j], 0);
}

int
conf_encoder_add(struct conf_encoder *k, const struct conf_node *n)
{
	const struct conf_node *c;

	if (k->o.fail || k->ntop == UINT32_MAX)
		return -1;
	k->ntop++;
	enc_node(k, n);
	/* below n in pre-order; the walk ends with n's last child, before
	 * n->next */
	for (c = n->child; c != NULL && !k->o.fail;
	    c = walk_next(&k->w, c, &k->o.fail))
		enc_node(k, c);
	return k->o.fail ? -1 : 0;
}

int
conf_encoder_end(struct conf_encoder *k, void **buf, size_t *len)
{
	struct obuf *o = &k->o;
	size_t nodes_end = o->len;
	uint32_t ns = k->e->n;
	int rc = -1;

	*buf = NULL;
	*len = 0;
	for (uint32_t i = 0; i < ns && !o->fail; i++) {
		size_t l = strlen(k->e->v[i]);

		if (l > UINT32_MAX || reserve(o, l + ENC_VMAX) < 0) {
			o->fail = 1;
			break;
		}
		vput(o, (uint32_t)l);
		memcpy(o->b + o->len, k->e->v[i], l);
		o->len += l;
	}
	if (!o->fail && nodes_end - ENC_HDR <= UINT32_MAX) {
		memcpy(o->b, ENC_MAGIC, 4);
		put32le(o->b + 4, ENC_VERSION);
		put32le(o->b + 8, ns);
		put32le(o->b + 12, k->nn);
		put32le(o->b + 16, k->ntop);
		put32le(o->b + 20, (uint32_t)(nodes_end - ENC_HDR));
		*buf = o->b;
		*len = o->len;
		o->b = NULL;
		rc = 0;
	}
	conf_encoder_free(k);
	return rc;
}

int
conf_tree_encode(const struct conf_tree *t, void **buf, size_t *len)
{
	struct conf_encoder *k;

	*buf = NULL;
	*len = 0;
	if (conf_encoder_new(&k) < 0)
		return -1;
	for (const struct conf_node *n = t->first; n != NULL; n = n->next)
		if (conf_encoder_add(k, n) < 0) {
			conf_encoder_free(k);
			return -1;
		}
	return conf_encoder_end(k, buf, len);
}

struct ibuf {
	const unsigned char *b;
	size_t len, pos;
};

static int
get32(struct ibuf *in, uint32_t *v)
{
	const unsigned char *p = in->b + in->pos;

	if (in->len - in->pos < 4)
		return -1;
	*v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
	in->pos += 4;
	return 0;
}

/* A varint of at most 32 bits, in its shortest form. */
static int
getv(struct ibuf *in, uint32_t *v)
{
	uint64_t x = 0;

	for (unsigned shift = 0; shift < 35; shift += 7) {
		unsigned char c;

		if (in->pos >= in->len)
			return -1;
		c = in->b[in->pos++];
		x |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			if (x > UINT32_MAX || (c == 0 && shift > 0))
				return -1;
			*v = (uint32_t)x;
			return 0;
		}
	}
	return -1;
}

struct dframe {
	struct conf_node **tail;
	uint32_t left;
};

/*
 * A decoding under way (both entry points and the one in steps): the
 * strings into words first, then the nodes into nodes (the tree's arena,
 * linked from first; or, with each, a scratch arena reset after each
 * top-level statement is handed over), a top-level statement at a time.
 */
struct conf_decoder {
	struct ibuf in;
	struct dframe *st;
	size_t nst, cst;
	uint32_t nstr, nnodes, count;
	char **strs;
	struct conf_node *top;
	struct arena *words, *nodes;
	void (*each)(void *arg, const struct conf_node *n);
	void *arg;
	struct conf_tree *t;	/* the tree built (not with each) */
	int failed;
};

static void
decoder_free(struct conf_decoder *d)
{
	if (d == NULL)
		return;
	free(d->st);
	free(d->strs);
	conf_tree_free(d->t);
	if (d->each != NULL)
		arena_free(d->nodes);
	free(d);
}

/* The header and the strings; NULL on a malformed buffer or out of
 * memory. With each, the words go to words; else to a new tree's. */
static struct conf_decoder *
decoder_new(const void *buf, size_t len, struct arena *words,
    void (*each)(void *arg, const struct conf_node *n), void *arg)
{
	struct conf_decoder *d;
	uint32_t ver, ntop, nbytes, i;

	if (buf == NULL || len < ENC_HDR || memcmp(buf, ENC_MAGIC, 4) != 0)
		return NULL;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->in = (struct ibuf){ buf, len, 4 };
	d->each = each;
	d->arg = arg;
	if (each != NULL) {
		d->words = words;
		if ((d->nodes = arena_new()) == NULL)
			goto bad;
	} else {
		if ((d->t = tree_new()) == NULL)
			goto bad;
		d->words = d->nodes = d->t->arena;
	}
	get32(&d->in, &ver);
	get32(&d->in, &d->nstr);
	get32(&d->in, &d->nnodes);
	get32(&d->in, &ntop);
	get32(&d->in, &nbytes);
	if (ver != ENC_VERSION || nbytes > len - ENC_HDR ||
	    d->nstr > len - ENC_HDR - nbytes ||
	    d->nnodes > nbytes / ENC_MIN_NODE || ntop > d->nnodes)
		goto bad;
	if (d->nstr > 0 &&
	    (d->strs = malloc(d->nstr * sizeof(*d->strs))) == NULL)
		goto bad;
	/* each distinct string once, in words; they follow the nodes */
	d->in.pos = ENC_HDR + nbytes;
	for (i = 0; i < d->nstr; i++) {
		uint32_t l;
		const char *s;

		if (getv(&d->in, &l) < 0 || d->in.len - d->in.pos < l)
			goto bad;
		s = (const char *)d->in.b + d->in.pos;
		if (memchr(s, '\0', l) != NULL ||
		    (d->strs[i] = arena_strndup(d->words, s, l)) == NULL)
			goto bad;
		d->in.pos += l;
	}
	if (d->in.pos != len)
		goto bad;
	/* then the nodes */
	d->in.len = ENC_HDR + nbytes;
	d->in.pos = ENC_HDR;
	if ((d->st = malloc(16 * sizeof(*d->st))) == NULL)
		goto bad;
	d->cst = 16;
	d->st[d->nst++] = (struct dframe){ each != NULL ? &d->top :
	    &d->t->first, ntop };
	return d;
bad:
	decoder_free(d);
	return NULL;
}

static uint64_t
decode_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000;
}

/* A top-level statement is complete: handed to each, if any. */
static void
decoded_top(struct conf_decoder *d)
{
	if (d->each == NULL)
		return;
	d->each(d->arg, d->top);
	d->top = NULL;
	d->st[0].tail = &d->top;
	arena_reset(d->nodes);
}

/* Nodes until budget usec have passed at the end of a top-level
 * statement (at least one), or the end: 1 more to come, 0 done, -1
 * malformed. */
static int
decoder_step(struct conf_decoder *d, uint64_t budget)
{
	uint64_t t0 = budget != UINT64_MAX ? decode_usec() : 0;
	struct ibuf *in = &d->in;

	if (d->failed)
		return -1;
	while (d->nst > 0) {
		struct dframe *f = &d->st[d->nst - 1];
		struct conf_node *n;
		uint32_t file, line, ab, argc, nch, j, k;
		int top_done = 0;

		if (f->left == 0) {
			if (--d->nst == 1) {
				decoded_top(d);
				top_done = 1;
			}
		} else {
			f->left--;
			if (getv(in, &file) < 0 || getv(in, &line) < 0 ||
			    getv(in, &ab) < 0 || getv(in, &nch) < 0)
				goto bad;
			argc = ab >> 1;
			if (file > d->nstr || argc == 0 ||
			    argc > in->len - in->pos || nch > d->nnodes ||
			    (nch > 0 && !(ab & 1)) || ++d->count > d->nnodes)
				goto bad;
			if ((n = node_new(d->nodes, argc)) == NULL)
				goto bad;
			n->loc.file = file == 0 ? NULL : d->strs[file - 1];
			n->loc.line = line;
			n->block = ab & 1;
			n->argc = argc;
			for (j = 0; j < argc; j++) {
				if (getv(in, &k) < 0 || k >= d->nstr)
					goto bad;
				n->argv[j] = d->strs[k];
			}
			*f->tail = n;
			f->tail = &n->next;
			if (nch == 0) {
				if (d->nst == 1) {
					/* a statement without a block */
					decoded_top(d);
					top_done = 1;
				}
			} else {
				if (d->nst == d->cst) {
					struct dframe *ns = realloc(d->st,
					    d->cst * 2 * sizeof(*ns));

					if (ns == NULL)
						goto bad;
					d->st = ns;
					d->cst *= 2;
				}
				d->st[d->nst++] = (struct dframe){ &n->child,
				    nch };
			}
		}
		if (top_done && d->nst > 0 && budget != UINT64_MAX &&
		    decode_usec() - t0 >= budget)
			return 1;
	}
	if (d->count != d->nnodes || in->pos != in->len)
		goto bad;
	return 0;
bad:
	d->failed = 1;
	return -1;
}

int
conf_tree_decode_begin(const void *buf, size_t len, struct conf_decoder **out)
{
	return (*out = decoder_new(buf, len, NULL, NULL, NULL)) != NULL ?
	    0 : -1;
}

int
conf_tree_decode_step(struct conf_decoder *d, uint64_t budget)
{
	return decoder_step(d, budget);
}

int
conf_tree_decode_end(struct conf_decoder *d, struct conf_tree **out)
{
	int rc = decoder_step(d, UINT64_MAX);

	*out = NULL;
	if (rc == 0) {
		d->t->nnodes = d->count;
		*out = d->t;
		d->t = NULL;
	}
	decoder_free(d);
	return rc;
}

void
conf_tree_decode_abort(struct conf_decoder *d)
{
	decoder_free(d);
}

int
conf_tree_decode(const void *buf, size_t len, struct conf_tree **out)
{
	struct conf_decoder *d;

	*out = NULL;
	if (conf_tree_decode_begin(buf, len, &d) < 0)
		return -1;
	return conf_tree_decode_end(d, out);
}

int
conf_tree_decode_each(const void *buf, size_t len, struct arena *words,
    void (*each)(void *arg, const struct conf_node *n), void *arg)
{
	struct conf_decoder *d = decoder_new(buf, len, words, each, arg);
	int rc;

	if (d == NULL)
		return -1;
	rc = decoder_step(d, UINT64_MAX);
	decoder_free(d);
	return rc;
}
