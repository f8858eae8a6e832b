/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Configuration preprocessor: @id / @^id conditional lines, $NAME=value
 * definitions (single and multi-line), their recursive replacement at use
 * time ($NAME followed by a blank, ',' or ')' or the end of the line, or
 * ${NAME}), the predefined ${_PWD} ${_INSTANCE} ${_RANDOM [MIN [MAX]]}
 * ${_HASH} ${_BANG}, and ~SEQ / ~SEQx / ~LST line generators, with the
 * semantics keepalived.conf(5) gives them.
 *
 * Every expansion is bounded by struct conf_limits: substitution depth,
 * substitutions per line, expanded line length, definition length, lines
 * produced by ~SEQ/~LST and logical lines in the load.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf_int.h"

enum { FN_NONE, FN_PWD, FN_INSTANCE, FN_RANDOM, FN_HASH, FN_BANG };

struct def {
	struct def *next;
	char *name;
	size_t nlen;
	char *val;
	size_t vlen, vcap;
	int multiline;
	int fn;
};

#define DEF_BUCKETS 1024

struct cl_defs {
	struct def *tab[DEF_BUCKETS];
	struct def *mdef;	/* multi-line definition being read */
	struct conf_loc mloc;
	int mskip;		/* skipping the lines of a dropped one */
};

/* ---- the definition table ------------------------------------------------ */

static size_t
hash(const char *s, size_t n)
{
	size_t h = 2166136261u;

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h % DEF_BUCKETS;
}

static struct def *
def_find(struct cl_defs *ds, const char *name, size_t n)
{
	struct def *d;

	for (d = ds->tab[hash(name, n)]; d != NULL; d = d->next)
		if (d->nlen == n && memcmp(d->name, name, n) == 0)
			return d;
	return NULL;
}

/* Set (or reset) a definition; val may be NULL for an empty value. */
static struct def *
def_set(struct cl_defs *ds, const char *name, size_t n, const char *val,
    size_t vlen)
{
	struct def *d = def_find(ds, name, n);

	if (d == NULL) {
		size_t h = hash(name, n);

		if ((d = calloc(1, sizeof(*d))) == NULL)
			return NULL;
		if ((d->name = malloc(n + 1)) == NULL) {
			free(d);
			return NULL;
		}
		memcpy(d->name, name, n);
		d->name[n] = '\0';
		d->nlen = n;
		d->next = ds->tab[h];
		ds->tab[h] = d;
	}
	if (vlen + 1 > d->vcap) {
		char *nv = realloc(d->val, vlen + 1);

		if (nv == NULL)
			return NULL;
		d->val = nv;
		d->vcap = vlen + 1;
	}
	if (vlen > 0)
		memcpy(d->val, val, vlen);
	d->val[vlen] = '\0';
	d->vlen = vlen;
	d->multiline = 0;
	d->fn = FN_NONE;
	return d;
}

static int
def_append(struct def *d, const char *s, size_t n, int nl)
{
	size_t need = d->vlen + (nl ? 1 : 0) + n + 1;

	if (need > d->vcap) {
		size_t nc = d->vcap * 2 > need ? d->vcap * 2 : need;
		char *nv = realloc(d->val, nc);

		if (nv == NULL)
			return -1;
		d->val = nv;
		d->vcap = nc;
	}
	if (nl)
		d->val[d->vlen++] = '\n';
	memcpy(d->val + d->vlen, s, n);
	d->vlen += n;
	d->val[d->vlen] = '\0';
	return 0;
}

int
cl_pre_init(struct conf_load *cl, unsigned long seed)
{
	static const struct {
		const char *name;
		int fn;
	} std[] = {
		{ "_PWD", FN_PWD }, { "_INSTANCE", FN_INSTANCE },
		{ "_RANDOM", FN_RANDOM }, { "_HASH", FN_HASH },
		{ "_BANG", FN_BANG },
	};
	size_t i;

	if ((cl->defs = calloc(1, sizeof(*cl->defs))) == NULL)
		return -1;
	for (i = 0; i < sizeof(std) / sizeof(std[0]); i++) {
		struct def *d = def_set(cl->defs, std[i].name,
		    strlen(std[i].name), NULL, 0);

		if (d == NULL)
			return -1;
		d->fn = std[i].fn;
	}
	if (seed == 0)
		seed = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16);
	cl->rng = seed * 0x9e3779b97f4a7c15ull + 1;
	return 0;
}

void
cl_pre_free(struct conf_load *cl)
{
	size_t i;

	if (cl->defs == NULL)
		return;
	for (i = 0; i < DEF_BUCKETS; i++) {
		struct def *d, *n;

		for (d = cl->defs->tab[i]; d != NULL; d = n) {
			n = d->next;
			free(d->name);
			free(d->val);
			free(d);
		}
	}
	free(cl->defs);
	cl->defs = NULL;
}

static unsigned long long
rng_next(struct conf_load *cl)
{
	unsigned long long x = cl->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	cl->rng = x ? x : 0x2545f4914f6cdd1dull;
	return x * 0x2545f4914f6cdd1dull;
}

int
cl_def_set(struct conf_load *cl, const char *name, size_t n, const char *val,
    size_t vlen)
{
	return def_set(cl->defs, name, n, val, vlen) != NULL ? 0 : -1;
}

/* ---- expansion of one line ------------------------------------------- */

struct frame {
	const char *s;
	size_t len, pos;
	unsigned depth;
	char *own;		/* freed when the frame is popped */
};

struct xp {
	struct conf_load *cl;
	const struct conf_loc *loc;
	struct frame *f;
	unsigned nf, cf;
	char *out;
	size_t olen, ocap, limit;
	unsigned long steps;
	char *name;		/* scratch for a reference's name */
	size_t ncap;
	char **pend;		/* rest of multi-line values, in push order */
	unsigned npend;
	int changed;
};

static int
xp_push(struct xp *x, const char *s, size_t len, unsigned depth, char *own)
{
	if (x->nf == x->cf) {
		unsigned nc = x->cf ? x->cf * 2 : 8;
		struct frame *nf = realloc(x->f, nc * sizeof(*nf));

		if (nf == NULL) {
			free(own);
			return -1;
		}
		x->f = nf;
		x->cf = nc;
	}
	x->f[x->nf++] = (struct frame){ s, len, 0, depth, own };
	return 0;
}

static void
xp_free(struct xp *x)
{
	unsigned i;

	for (i = 0; i < x->nf; i++)
		free(x->f[i].own);
	for (i = 0; i < x->npend; i++)
		free(x->pend[i]);
	free(x->f);
	free(x->out);
	free(x->name);
	free(x->pend);
}

/* Character k ahead of the read position, across frames; -1 at the end. */
static int
xp_peek(const struct xp *x, size_t k)
{
	unsigned i = x->nf;

	while (i-- > 0) {
		const struct frame *f = &x->f[i];

		if (f->len - f->pos > k)
			return (unsigned char)f->s[f->pos + k];
		k -= f->len - f->pos;
	}
	return -1;
}

static void
xp_skip(struct xp *x, size_t k)
{
	while (x->nf > 0) {
		struct frame *f = &x->f[x->nf - 1];
		size_t left = f->len - f->pos;

		if (left > k) {
			f->pos += k;
			return;
		}
		k -= left;
		free(f->own);
		x->nf--;
	}
}

static int
xp_out(struct xp *x, const char *s, size_t n)
{
	if (x->olen + n > x->limit) {
		cl_error(x->cl, x->loc, "line too long after substitution "
		    "(limit %zu bytes)", x->limit);
		return -1;
	}
	if (x->olen + n + 1 > x->ocap) {
		size_t nc = x->ocap ? x->ocap * 2 : 256;
		char *no;

		while (nc < x->olen + n + 1)
			nc *= 2;
		if ((no = realloc(x->out, nc)) == NULL)
			return -1;
		x->out = no;
		x->ocap = nc;
	}
	memcpy(x->out + x->olen, s, n);
	x->olen += n;
	x->out[x->olen] = '\0';
	return 0;
}

/* Value of a function definition, malloc()ed. */
static char *
fn_value(struct conf_load *cl, const struct def *d, const char *params)
{
	char buf[64];
	unsigned long lo = 0, hi = 32767, v;
	char *e;

	switch (d->fn) {
	case FN_PWD:
		return strdup(cl_cur_dir(cl));
	case FN_INSTANCE:
		return strdup(cl->config_id);
	case FN_HASH:
		return strdup("#");
	case FN_BANG:
		return strdup("!");
	default:
		break;
	}
	if (params != NULL && *params != '\0') {
		lo = strtoul(params, &e, 10);
		if (*e != '\0')
			hi = strtoul(e, &e, 10);
		if (*e != '\0')
			cl_warn(cl, NULL, "${_RANDOM %s}: extra parameters "
			    "ignored", params);
	}
	if (lo > hi) {
		v = lo;
		lo = hi;
		hi = v;
	}
	v = (unsigned long)rng_next(cl);
	if (hi - lo + 1 != 0)
		v = lo + v % (hi - lo + 1);
	snprintf(buf, sizeof(buf), "%lu", v);
	return strdup(buf);
}

/*
 * Is there a reference at the read position ('$')? Sets *def, the length
 * of the reference and the parameters (copied into x->name after the name).
 */
static size_t
xp_ref(struct xp *x, struct def **def, const char **params)
{
	size_t k = 1, nlen = 0, plen = 0;
	int brace = 0, c, trail_blank = 0;
	struct def *d;

	*params = NULL;
	if (xp_peek(x, k) == '{') {
		brace = 1;
		k++;
	}
	c = xp_peek(x, k);
	if (c < 0 || (!isalpha(c) && c != '_'))
		return 0;
	for (;;) {
		c = xp_peek(x, k);
		if (c < 0 || (!isalnum(c) && c != '_'))
			break;
		if (nlen + 2 > x->ncap) {
			size_t nc = x->ncap ? x->ncap * 2 : 64;
			char *nn = realloc(x->name, nc);

			if (nn == NULL)
				return 0;
			x->name = nn;
			x->ncap = nc;
		}
		x->name[nlen++] = (char)c;
		k++;
	}
	x->name[nlen] = '\0';
	if (brace) {
		size_t pstart = k;

		while ((c = xp_peek(x, k)) == ' ' || (c >= '0' && c <= '9')) {
			trail_blank = c == ' ';
			k++;
		}
		plen = k - pstart;
		if (plen > 0 && trail_blank)
			return 0;
		if (c != '}')
			return 0;
		k++;
	} else {
		c = xp_peek(x, k);
		if (c != -1 && c != ' ' && c != '\t' && c != ',' && c != ')')
			return 0;
	}
	d = def_find(x->cl->defs, x->name, nlen);
	if (d == NULL)
		return 0;
	if (d->multiline && xp_peek(x, k) != -1)
		return 0;
	if (plen > 0) {
		size_t i, pstart = k - 1 - plen;

		if (d->fn != FN_RANDOM)
			return 0;
		if (nlen + 1 + plen + 1 > x->ncap) {
			char *nn = realloc(x->name, nlen + plen + 2);

			if (nn == NULL)
				return 0;
			x->name = nn;
			x->ncap = nlen + plen + 2;
		}
		for (i = 0; i < plen; i++)
			x->name[nlen + 1 + i] = (char)xp_peek(x, pstart + i);
		x->name[nlen + 1 + plen] = '\0';
		*params = x->name + nlen + 1 + strspn(x->name + nlen + 1, " ");
	}
	*def = d;
	return k;
}

/* Expand s into x->out. Returns 0 or -1 (error reported). */
static int
expand(struct xp *x, const char *s, size_t len)
{
	struct conf_load *cl = x->cl;

	if (xp_push(x, s, len, 0, NULL) < 0)
		return -1;
	while (x->nf > 0) {
		struct frame *f = &x->f[x->nf - 1];
		const char *dollar;
		struct def *d;
		const char *params, *val;
		char *own = NULL;
		size_t k, vlen;
		unsigned depth;

		if (f->pos == f->len) {
			free(f->own);
			x->nf--;
			continue;
		}
		dollar = memchr(f->s + f->pos, '$', f->len - f->pos);
		if (dollar != f->s + f->pos) {
			size_t n = dollar != NULL ? (size_t)(dollar -
			    (f->s + f->pos)) : f->len - f->pos;

			if (xp_out(x, f->s + f->pos, n) < 0)
				return -1;
			f->pos += n;
			continue;
		}
		depth = f->depth + 1;
		if ((k = xp_ref(x, &d, &params)) == 0) {
			if (xp_out(x, "$", 1) < 0)
				return -1;
			f->pos++;
			continue;
		}
		if (depth > cl->lim.subst_depth) {
			cl_error(cl, x->loc, "$%s: substitution nested deeper "
			    "than %u levels (does the definition refer to "
			    "itself?)", d->name, cl->lim.subst_depth);
			return -1;
		}
		if (++x->steps > cl->lim.def_len) {
			cl_error(cl, x->loc, "too many substitutions in one "
			    "line (limit %zu)", cl->lim.def_len);
			return -1;
		}
		x->changed = 1;
		xp_skip(x, k);
		if (d->fn != FN_NONE) {
			if ((own = fn_value(cl, d, params)) == NULL)
				return -1;
			val = own;
			vlen = strlen(own);
		} else {
			val = d->val;
			vlen = d->vlen;
		}
		if (d->multiline) {
			const char *nl = memchr(val, '\n', vlen);

			if (nl != NULL) {
				char **np = realloc(x->pend, (x->npend + 1) *
				    sizeof(*np));

				if (np == NULL)
					return -1;
				x->pend = np;
				np[x->npend] = strndup(nl + 1,
				    vlen - (size_t)(nl + 1 - val));
				if (np[x->npend] == NULL)
					return -1;
				x->npend++;
				vlen = (size_t)(nl - val);
			}
		}
		if (xp_push(x, val, vlen, depth, own) < 0)
			return -1;
		if (val[strspn(val, " \t")] == '~') {
			/* a generator: the rest is substituted per line */
			while (x->nf > 0) {
				f = &x->f[x->nf - 1];
				if (xp_out(x, f->s + f->pos, f->len - f->pos) < 0)
					return -1;
				xp_skip(x, f->len - f->pos);
			}
		}
	}
	return 0;
}

/* ---- lines ----------------------------------------------------------- */


/* "$NAME=value": the name length and where the value starts. */
static int
is_def(const char *s, size_t len, size_t *nlen, size_t *voff)
{
	size_t i;

	if (len < 3 || s[0] != '$' || (!isalpha((unsigned char)s[1]) &&
	    s[1] != '_'))
		return 0;
	for (i = 2; i < len && (isalnum((unsigned char)s[i]) || s[i] == '_');
	    i++)
		;
	if (i == len || s[i] != '=')
		return 0;
	*nlen = i - 1;
	i++;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	*voff = i;
	return 1;
}

static void
define(struct conf_load *cl, const char *s, size_t len, size_t nlen,
    size_t voff, int cont, const struct conf_loc *loc)
{
	struct def *d;

	if (len - voff > cl->lim.def_len) {
		cl_error(cl, loc, "definition of $%.*s too long (limit %zu "
		    "bytes)", (int)nlen, s + 1, cl->lim.def_len);
		cl->defs->mskip = cont;
		return;
	}
	d = def_set(cl->defs, s + 1, nlen, s + voff, len - voff);
	if (d == NULL) {
		cl_error(cl, loc, "out of memory");
		cl->abort = 1;
		return;
	}
	if (cont) {
		d->multiline = 1;
		cl->defs->mdef = d;
		cl->defs->mloc = *loc;
	}
}

/* Replace definitions in a ~SEQ/~LST parameter list. */
char *
cl_expand_params(struct conf_load *cl, const char *s, size_t len,
    const struct conf_loc *loc)
{
	struct xp x = { .cl = cl, .loc = loc, .limit = cl->lim.line_len };
	char *r = NULL;

	if (expand(&x, s, len) == 0) {
		if (x.npend > 0)
			cl_error(cl, loc, "multi-line definition used in a "
			    "~SEQ/~LST parameter");
		else
			r = x.out != NULL ? x.out : strdup("");
		if (r == x.out)
			x.out = NULL;
	}
	xp_free(&x);
	return r;
}

static void
emit(struct conf_load *cl, const char *s, size_t len,
    const struct conf_loc *loc)
{
	if (len > cl->lim.line_len) {
		cl_error(cl, loc, "line too long (%zu bytes, limit %zu)", len,
		    cl->lim.line_len);
		return;
	}
	if (cl_read_include(cl, s, len, loc))
		return;
	cl_lex_line(cl, s, len, loc);
}

/* Run the lines of a multi-line value (already copied: defs may change). */
static void
pre_lines(struct conf_load *cl, const char *s, const struct conf_loc *loc,
    unsigned depth)
{
	while (!cl->abort) {
		const char *nl = strchr(s, '\n');
		size_t n = nl != NULL ? (size_t)(nl - s) : strlen(s);

		cl_pre_line(cl, s, n, loc, depth, 0);
		if (nl == NULL)
			break;
		s = nl + 1;
	}
}

void
cl_pre_line(struct conf_load *cl, const char *s, size_t len,
    const struct conf_loc *loc, unsigned depth, int cont)
{
	struct xp x = { .cl = cl, .loc = loc, .limit = cl->lim.line_len };
	size_t nlen, voff;
	unsigned i;

	if (cl->abort)
		return;
	if (++cl->total_lines > cl->lim.total_lines) {
		cl_error(cl, loc, "more than %lu lines in the configuration",
		    cl->lim.total_lines);
		cl->abort = 1;
		return;
	}
	if (depth > cl->lim.subst_depth) {
		cl_error(cl, loc, "substitutions and ~SEQ/~LST nested deeper "
		    "than %u levels", cl->lim.subst_depth);
		return;
	}
	/* one @id prefix only: "@a @b x" is the statement "@b x" */
	if (len > 0 && s[0] == '@') {
		int neg = len > 1 && s[1] == '^';
		const char *id = s + 1 + neg;
		size_t idl = 0, cidl = strlen(cl->config_id);

		while (id + idl < s + len && id[idl] != ' ' && id[idl] != '\t')
			idl++;
		/* a dropped line ending in '\' starts no definition: the next
		 * line is an ordinary line, as keepalived reads it */
		if (id + idl == s + len ||
		    ((idl == cidl && memcmp(id, cl->config_id, idl) == 0) ==
		    neg))
			return;
		len -= (size_t)(id + idl - s);
		s = id + idl;
		while (len > 0 && (*s == ' ' || *s == '\t')) {
			s++;
			len--;
		}
	}
	if (len == 0)
		return;
	if (is_def(s, len, &nlen, &voff)) {
		define(cl, s, len, nlen, voff, cont, loc);
		return;
	}
	if (cont)
		cl_error(cl, loc, "'\\' at end of line: lines can only be "
		    "continued in a $NAME= definition");
	/* generators: lines starting with '~' only */
	if (len >= 4 && s[0] == '~' && strncmp(s, "~SEQ", 4) == 0) {
		cl_gen_seq(cl, s, len, loc, depth);
		return;
	}
	if (len >= 4 && s[0] == '~' && strncmp(s, "~LST", 4) == 0) {
		cl_gen_lst(cl, s, len, loc, depth);
		return;
	}
	if (s[0] == '~' || memchr(s, '$', len) == NULL) {
		emit(cl, s, len, loc);
		return;
	}
	if (expand(&x, s, len) < 0)
		goto out;
	if (x.olen == 0)
		;
	else if (x.changed && (x.out[0] == '@' || x.out[0] == '~' ||
	    is_def(x.out, x.olen, &nlen, &voff)))
		cl_pre_line(cl, x.out, x.olen, loc, depth + 1, 0);
	else
		emit(cl, x.out, x.olen, loc);
	for (i = x.npend; i-- > 0 && !cl->abort; )
		pre_lines(cl, x.pend[i], loc, depth + 1);
out:
	xp_free(&x);
}

/* ---- entry points from the reader ---------------------------------------- */

static void
end_def(struct cl_defs *ds)
{
	if (ds->mdef != NULL && ds->mdef->vlen == 0)
		ds->mdef->multiline = 0;
	ds->mdef = NULL;
}

void
cl_pre_physical(struct conf_load *cl, char *line, size_t len, int cont,
    const struct conf_loc *loc)
{
	struct cl_defs *ds = cl->defs;
	struct def *d = ds->mdef;

	if (d != NULL) {
		/* an empty line (blank, or only a comment) ends the
		 * definition, as keepalived does */
		if (len == 0 && !cont) {
			end_def(ds);
			return;
		}
		if (len > 0) {
			if (d->vlen + len + 1 > cl->lim.def_len) {
				cl_error(cl, &ds->mloc, "definition of $%s too "
				    "long (limit %zu bytes)", d->name,
				    cl->lim.def_len);
				def_set(ds, d->name, d->nlen, NULL, 0);
				ds->mdef = NULL;
				ds->mskip = cont;
				return;
			}
			if (def_append(d, line, len, d->vlen > 0) < 0) {
				cl_error(cl, loc, "out of memory");
				cl->abort = 1;
				return;
			}
		}
		if (!cont && len > 0)
			end_def(ds);
		return;
	}
	if (ds->mskip) {
		if (!cont)
			ds->mskip = 0;
		return;
	}
	cl_pre_line(cl, line, len, loc, 0, cont);
}

void
cl_pre_eof(struct conf_load *cl)
{
	end_def(cl->defs);
	cl->defs->mskip = 0;
}
