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

#include "conf_int.h"

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
	char *s;

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
	if ((s = arena_strndup(cl->tree->arena, w, len)) == NULL) {
		oom(cl, loc);
		return;
	}
	if (cl->nwords == 0)
		cl->stmt_loc = *loc;
	cl->words[cl->nwords++] = s;
}

/* The pending words become a statement of the innermost block. */
static struct conf_node *
flush(struct conf_load *cl)
{
	struct arena *a = cl->tree->arena;
	struct cl_frame *f = &cl->frames[cl->nframes - 1];
	struct conf_node *n;

	if (cl->nwords == 0)
		return NULL;
	n = arena_alloc(a, sizeof(*n));
	if (n == NULL || (n->argv = arena_calloc(a, cl->nwords + 1,
	    sizeof(char *))) == NULL) {
		oom(cl, &cl->stmt_loc);
		cl->nwords = 0;
		return NULL;
	}
	memcpy(n->argv, cl->words, cl->nwords * sizeof(char *));
	n->argc = cl->nwords;
	n->loc = cl->stmt_loc;
	*f->tail = n;
	f->tail = &n->next;
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
			n = arena_alloc(cl->tree->arena, sizeof(*n));
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
	if (cl.tree == NULL || cl.frames == NULL ||
	    cl_pre_init(&cl, opts->random_seed) < 0) {
		conf_diag_report(d, CONF_ERR, NULL, "out of memory");
		goto out;
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

#define ENC_MAGIC	"VGCT"
#define ENC_VERSION	1u
#define ENC_HDR		20u	/* magic, version, nfiles, nnodes, ntop */
#define ENC_NODE	20u	/* file, line, flags, argc, nchildren */
#define ENC_NOFILE	0xffffffffu

struct obuf {
	unsigned char *b;
	size_t len, cap;
	int fail;
};

static void
put(struct obuf *o, const void *p, size_t n)
{
	if (o->fail || n == 0)
		return;
	if (o->len + n > o->cap) {
		size_t nc = o->cap ? o->cap * 2 : 4096;
		unsigned char *nb;

		while (nc < o->len + n)
			nc *= 2;
		if ((nb = realloc(o->b, nc)) == NULL) {
			o->fail = 1;
			return;
		}
		o->b = nb;
		o->cap = nc;
	}
	memcpy(o->b + o->len, p, n);
	o->len += n;
}

static void
put32(struct obuf *o, uint32_t v)
{
	unsigned char b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff,
	    (v >> 24) & 0xff };

	put(o, b, 4);
}

static void
putstr(struct obuf *o, const char *s)
{
	size_t n = strlen(s);

	if (n > UINT32_MAX) {
		o->fail = 1;
		return;
	}
	put32(o, (uint32_t)n);
	put(o, s, n);
}

/* File names: pointer -> index, open addressing. */
struct ftab {
	const char **k;
	uint32_t *v;
	size_t cap, n;
};

static uint32_t
ftab_index(struct ftab *ft, struct obuf *files, const char *f)
{
	size_t i;

	if (f == NULL)
		return ENC_NOFILE;
	if (ft->n * 2 >= ft->cap) {
		struct ftab nt = { 0 };
		size_t j;

		nt.cap = ft->cap ? ft->cap * 2 : 64;
		nt.k = calloc(nt.cap, sizeof(*nt.k));
		nt.v = calloc(nt.cap, sizeof(*nt.v));
		if (nt.k == NULL || nt.v == NULL) {
			free(nt.k);
			free(nt.v);
			files->fail = 1;
			return ENC_NOFILE;
		}
		for (j = 0; j < ft->cap; j++) {
			if (ft->k[j] == NULL)
				continue;
			i = ((uintptr_t)ft->k[j] >> 4) % nt.cap;
			while (nt.k[i] != NULL)
				i = (i + 1) % nt.cap;
			nt.k[i] = ft->k[j];
			nt.v[i] = ft->v[j];
		}
		free(ft->k);
		free(ft->v);
		nt.n = ft->n;
		*ft = nt;
	}
	i = ((uintptr_t)f >> 4) % ft->cap;
	while (ft->k[i] != NULL) {
		if (ft->k[i] == f)
			return ft->v[i];
		i = (i + 1) % ft->cap;
	}
	ft->k[i] = f;
	ft->v[i] = (uint32_t)ft->n++;
	putstr(files, f);
	return ft->v[i];
}

static uint32_t
count_list(const struct conf_node *n)
{
	uint32_t c = 0;

	for (; n != NULL; n = n->next)
		c++;
	return c;
}

int
conf_tree_encode(const struct conf_tree *t, void **buf, size_t *len)
{
	struct obuf nodes = { 0 }, files = { 0 }, all = { 0 };
	struct ftab ft = { 0 };
	struct walk w = { 0 };
	const struct conf_node *n;
	uint32_t nn = 0;
	unsigned i;

	*buf = NULL;
	*len = 0;
	for (n = t->first; n != NULL && !nodes.fail; ) {
		nn++;
		put32(&nodes, ftab_index(&ft, &files, n->loc.file));
		put32(&nodes, n->loc.line);
		put32(&nodes, n->block ? 1 : 0);
		put32(&nodes, n->argc);
		put32(&nodes, count_list(n->child));
		for (i = 0; i < n->argc; i++)
			putstr(&nodes, n->argv[i]);
		if (n->child != NULL) {
			if (walk_push(&w, n) < 0)
				nodes.fail = 1;
			n = n->child;
			continue;
		}
		n = n->next;
		while (n == NULL && w.n > 0)
			n = w.st[--w.n]->next;
	}
	put(&all, ENC_MAGIC, 4);
	put32(&all, ENC_VERSION);
	put32(&all, (uint32_t)ft.n);
	put32(&all, nn);
	put32(&all, count_list(t->first));
	put(&all, files.b, files.len);
	put(&all, nodes.b, nodes.len);
	free(w.st);
	free(ft.k);
	free(ft.v);
	free(files.b);
	free(nodes.b);
	if (nodes.fail || files.fail || all.fail) {
		free(all.b);
		return -1;
	}
	*buf = all.b;
	*len = all.len;
	return 0;
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

static char *
getstr(struct ibuf *in, struct arena *a)
{
	uint32_t n;
	const char *s;

	if (get32(in, &n) < 0 || in->len - in->pos < n)
		return NULL;
	s = (const char *)in->b + in->pos;
	if (memchr(s, '\0', n) != NULL)
		return NULL;
	in->pos += n;
	return arena_strndup(a, s, n);
}

struct dframe {
	struct conf_node **tail;
	uint32_t left;
};

int
conf_tree_decode(const void *buf, size_t len, struct conf_tree **out)
{
	struct ibuf in = { buf, len, 0 };
	struct conf_tree *t;
	struct dframe *st = NULL;
	size_t nst = 0, cst = 0;
	uint32_t ver, nfiles, nnodes, ntop, i, count = 0;
	char **files = NULL;

	*out = NULL;
	if (buf == NULL || len < ENC_HDR || memcmp(buf, ENC_MAGIC, 4) != 0)
		return -1;
	in.pos = 4;
	get32(&in, &ver);
	get32(&in, &nfiles);
	get32(&in, &nnodes);
	get32(&in, &ntop);
	if (ver != ENC_VERSION || nfiles > (len - ENC_HDR) / 4 ||
	    nnodes > (len - ENC_HDR) / (ENC_NODE + 4) || ntop > nnodes)
		return -1;
	if ((t = tree_new()) == NULL)
		return -1;
	if (nfiles > 0 && (files = arena_calloc(t->arena, nfiles,
	    sizeof(*files))) == NULL)
		goto bad;
	for (i = 0; i < nfiles; i++)
		if ((files[i] = getstr(&in, t->arena)) == NULL)
			goto bad;
	if ((st = malloc(16 * sizeof(*st))) == NULL)
		goto bad;
	cst = 16;
	st[nst++] = (struct dframe){ &t->first, ntop };
	while (nst > 0) {
		struct dframe *f = &st[nst - 1];
		struct conf_node *n;
		uint32_t file, line, flags, argc, nch, j;

		if (f->left == 0) {
			nst--;
			continue;
		}
		f->left--;
		if (get32(&in, &file) < 0 || get32(&in, &line) < 0 ||
		    get32(&in, &flags) < 0 || get32(&in, &argc) < 0 ||
		    get32(&in, &nch) < 0)
			goto bad;
		if ((file != ENC_NOFILE && file >= nfiles) || (flags & ~1u) ||
		    argc == 0 || argc > (len - in.pos) / 4 ||
		    nch > nnodes || (nch > 0 && !(flags & 1)) ||
		    ++count > nnodes)
			goto bad;
		if ((n = arena_alloc(t->arena, sizeof(*n))) == NULL ||
		    (n->argv = arena_calloc(t->arena, (size_t)argc + 1,
		    sizeof(char *))) == NULL)
			goto bad;
		n->loc.file = file == ENC_NOFILE ? NULL : files[file];
		n->loc.line = line;
		n->block = flags & 1;
		n->argc = argc;
		for (j = 0; j < argc; j++)
			if ((n->argv[j] = getstr(&in, t->arena)) == NULL)
				goto bad;
		*f->tail = n;
		f->tail = &n->next;
		if (nch == 0)
			continue;
		if (nst == cst) {
			struct dframe *ns = realloc(st, cst * 2 * sizeof(*ns));

			if (ns == NULL)
				goto bad;
			st = ns;
			cst *= 2;
		}
		st[nst++] = (struct dframe){ &n->child, nch };
	}
	if (count != nnodes || in.pos != len)
		goto bad;
	free(st);
	t->nnodes = count;
	*out = t;
	return 0;
bad:
	free(st);
	conf_tree_free(t);
	return -1;
}
