/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Configuration reader: files and the include family, physical lines,
 * comments. Each decommented line goes to the preprocessor.
 *
 * Include lines are recognised on the lines the preprocessor produces,
 * after conditionals and parameter substitution, as keepalived does (see
 * cl_read_include). Relative
 * names resolve against the directory of the including file; globs and
 * csh-style braces are expanded. include_check decides which problems are
 * errors; the others are warnings.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf_int.h"

#define CL_MAX_FILE	(256u << 20)	/* bytes in one configuration file */
#define CL_MAX_BRACE	1024		/* patterns from one brace expression */

struct cl_file {
	struct cl_file *up;
	const char *name;	/* interned in the tree's arena */
	char *dir;		/* absolute directory, for includes and ${_PWD} */
	dev_t dev;
	ino_t ino;
	int has_id;
	unsigned inc_check;	/* include_check bits for this file */
};

static const struct {
	const char *kw;
	unsigned checks;
} inc_kinds[] = {
	{ "include", 0 },
	{ "includer", CL_INC_READABLE },
	{ "includem", CL_INC_MATCH | CL_INC_READABLE },
	{ "includew", CL_INC_WILDCARD | CL_INC_READABLE },
	{ "includeb", CL_INC_BRACE | CL_INC_READABLE },
	{ "includea", CL_INC_ALL },
};

static int read_file(struct conf_load *, const char *, const struct conf_loc *,
    unsigned);

const char *
cl_cur_dir(struct conf_load *cl)
{
	return cl->file != NULL && cl->file->dir != NULL ? cl->file->dir : ".";
}

void
cl_read_free(struct conf_load *cl)
{
	struct cl_file *f;

	while ((f = cl->file) != NULL) {
		cl->file = f->up;
		free(f->dir);
		free(f);
	}
}

/* ---- lines ---------------------------------------------------------- */

/*
 * Remove leading and trailing blanks and a comment ('#' or '!' outside
 * double quotes, "\#" and "\!" being the characters themselves; single
 * quotes do not hide a comment, as in keepalived). A final unescaped '\'
 * is removed and reported in *cont, even at the end of a comment: a
 * comment line inside a multi-line definition continues it.
 */
static const unsigned char comment_bytes[256] = {
	['\\'] = 1, ['"'] = 1, ['#'] = 1, ['!'] = 1,
};

static size_t
decomment(char *s, size_t len, int *cont)
{
	size_t i = 0, o = 0;
	int quote = 0;

	*cont = 0;
	while (len > 0 && s[len - 1] == '\r')
		len--;
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\f' ||
	    s[i] == '\v' || s[i] == '\r'))
		i++;
	while (i < len) {
		char c;

		/* the run of characters that are neither quote, escape nor
		 * comment */
		if (o == i) {
			/* nothing removed yet: no need to move */
			while (i < len && !comment_bytes[(unsigned char)s[i]])
				i++;
			o = i;
		} else {
			while (i < len && !comment_bytes[(unsigned char)s[i]])
				s[o++] = s[i++];
		}
		if (i == len)
			break;
		c = s[i];
		if (c == '\\') {
			if (i + 1 == len) {
				*cont = 1;
				break;
			}
			if (!quote && (s[i + 1] == '#' || s[i + 1] == '!')) {
				s[o++] = s[i + 1];
			} else {
				s[o++] = c;
				s[o++] = s[i + 1];
			}
			i += 2;
			continue;
		}
		if (c == '"') {
			quote = !quote;
		} else if (!quote && (c == '#' || c == '!')) {
			/* the comment: only a final '\' still counts */
			for (; i < len; i++)
				if (s[i] == '\\' && ++i == len)
					*cont = 1;
			break;
		}
		s[o++] = c;
		i++;
	}
	while (o > 0 && (s[o - 1] == ' ' || s[o - 1] == '\t' ||
	    s[o - 1] == '\f' || s[o - 1] == '\v' || s[o - 1] == '\r'))
		o--;
	s[o] = '\0';
	return o;
}

/* Control characters other than blanks, and DEL: not text. */
static const unsigned char bad_bytes[256] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1,
	[0x05] = 1, [0x06] = 1, [0x07] = 1, [0x08] = 1, [0x0a] = 1,
	[0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1,
	[0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
	[0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1,
	[0x1d] = 1, [0x1e] = 1, [0x1f] = 1, [0x7f] = 1,
};

/* What makes a line more than plain text: bad bytes, and what decomment
 * acts on. */
static const unsigned char special_bytes[256] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1,
	[0x05] = 1, [0x06] = 1, [0x07] = 1, [0x08] = 1, [0x0a] = 1,
	[0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1,
	[0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
	[0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1,
	[0x1d] = 1, [0x1e] = 1, [0x1f] = 1, [0x7f] = 1,
	['\\'] = 1, ['"'] = 1, ['#'] = 1, ['!'] = 1,
};

static int
is_trim(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r';
}

/*
 * Copy a line with none of special_bytes to s, as decomment would leave
 * it: without leading and trailing blanks. Returns its length.
 */
static size_t
copy_plain(char *s, const char *src, size_t len)
{
	size_t b = 0;

	while (b < len && is_trim(src[b]))
		b++;
	while (len > b && is_trim(src[len - 1]))
		len--;
	memcpy(s, src + b, len - b);
	s[len - b] = '\0';
	return len - b;
}

static int
bad_byte(const char *s, size_t len, size_t *at)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < len; i++) {
		if (bad_bytes[p[i]]) {
			*at = i;
			return 1;
		}
	}
	return 0;
}

/* ---- include_check and include lines ------------------------------- */

static void
include_check(struct conf_load *cl, char **w, int n, const struct conf_loc *loc)
{
	static const struct {
		const char *name;
		unsigned bit;
	} opts[] = {
		{ "readable", CL_INC_READABLE },
		{ "match", CL_INC_MATCH | CL_INC_READABLE },
		{ "wildcard_match", CL_INC_WILDCARD | CL_INC_READABLE },
		{ "brace_match", CL_INC_BRACE | CL_INC_READABLE },
	};
	unsigned v = cl->file->inc_check;
	int i, reset = 0;
	size_t k;

	if (n == 1) {
		cl->file->inc_check = CL_INC_ALL;
		return;
	}
	for (i = 1; i < n; i++) {
		const char *o = w[i];
		int op = 0;

		if (*o == '+' || *o == '-')
			op = *o++;
		else if (!reset) {
			v = 0;
			reset = 1;
		}
		for (k = 0; k < sizeof(opts) / sizeof(opts[0]); k++)
			if (strcmp(o, opts[k].name) == 0)
				break;
		if (k == sizeof(opts) / sizeof(opts[0])) {
			cl_warn(cl, loc, "include_check: unknown option '%s'",
			    w[i]);
			continue;
		}
		if (op == '-')
			v &= ~opts[k].bit | (opts[k].bit == CL_INC_READABLE ?
			    0 : CL_INC_READABLE);
		else
			v |= opts[k].bit;
	}
	cl->file->inc_check = v;
}

struct strv {
	char **v;
	size_t n, cap;
};

static int
strv_add(struct strv *sv, char *s)
{
	if (s == NULL)
		return -1;
	if (sv->n == sv->cap) {
		size_t nc = sv->cap ? sv->cap * 2 : 8;
		char **nv = realloc(sv->v, nc * sizeof(*nv));

		if (nv == NULL) {
			free(s);
			return -1;
		}
		sv->v = nv;
		sv->cap = nc;
	}
	sv->v[sv->n++] = s;
	return 0;
}

static void
strv_free(struct strv *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

/* Expand csh-style {a,b} alternatives (backslash escapes respected). */
static int
brace_expand(const char *s, struct strv *out, int *had)
{
	size_t len = strlen(s), i, open = 0, close = 0, start;
	int depth = 0, found = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len) {
			i++;
			continue;
		}
		if (s[i] == '{') {
			if (depth++ == 0)
				open = i;
		} else if (s[i] == '}' && depth > 0) {
			if (--depth == 0) {
				close = i;
				found = 1;
				break;
			}
		}
	}
	if (!found)
		return out->n >= CL_MAX_BRACE ? -1 : strv_add(out, strdup(s));
	*had = 1;
	depth = 0;
	start = open + 1;
	for (i = open + 1; i <= close; i++) {
		if (s[i] == '\\' && i + 1 < close) {
			i++;
			continue;
		}
		if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && i < close)
			depth--;
		if ((s[i] == ',' && depth == 0) || i == close) {
			size_t alen = i - start;
			char *p = malloc(len + 1);
			int r;

			if (p == NULL)
				return -1;
			memcpy(p, s, open);
			memcpy(p + open, s + start, alen);
			strcpy(p + open + alen, s + close + 1);
			r = brace_expand(p, out, had);
			free(p);
			if (r < 0)
				return -1;
			start = i + 1;
		}
	}
	return 0;
}

static int
has_wildcard(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' && s[1] != '\0')
			s++;
		else if (*s == '*' || *s == '?' || *s == '[')
			return 1;
	}
	return 0;
}

/* The include pattern made absolute against the including file's dir. */
static char *
include_pattern(struct conf_load *cl, const char *pat)
{
	const char *dir = cl_cur_dir(cl), *p;
	char *r, *o;

	if (pat[0] == '/' || cl->file == NULL || cl->file->dir == NULL)
		return strdup(pat);
	r = malloc(strlen(dir) * 2 + strlen(pat) + 2);
	if (r == NULL)
		return NULL;
	for (o = r, p = dir; *p; p++) {
		if (strchr("\\*?[]{}", *p) != NULL)
			*o++ = '\\';
		*o++ = *p;
	}
	*o++ = '/';
	strcpy(o, pat);
	return r;
}

static void
inc_report(struct conf_load *cl, unsigned checks, unsigned bit,
    const struct conf_loc *loc, const char *kw, const char *what,
    const char *name)
{
	if (checks & bit)
		cl_error(cl, loc, "%s: %s '%s'", kw, what, name);
	else
		cl_warn(cl, loc, "%s: %s '%s'", kw, what, name);
}

static void
do_include(struct conf_load *cl, const char *kw, unsigned checks,
    const char *pat, const struct conf_loc *loc)
{
	struct strv pats = { 0 }, files = { 0 };
	char *full;
	int had_brace = 0;
	size_t i, j;

	if (cl->no_include) {
		cl_error(cl, loc, "%s: includes are not allowed here", kw);
		return;
	}
	full = include_pattern(cl, pat);
	if (full == NULL || brace_expand(full, &pats, &had_brace) < 0) {
		cl_error(cl, loc, "%s: pattern '%s' expands to too many names",
		    kw, pat);
		goto out;
	}
	for (i = 0; i < pats.n; i++) {
		glob_t g;
		size_t before = files.n;
		int r = glob(pats.v[i], 0, NULL, &g);

		if (r != 0 && r != GLOB_NOMATCH) {
			inc_report(cl, checks, CL_INC_READABLE, loc, kw,
			    "cannot expand", pat);
			continue;
		}
		for (j = 0; r == 0 && j < g.gl_pathc; j++) {
			struct stat st;

			if (stat(g.gl_pathv[j], &st) == 0 && S_ISDIR(st.st_mode))
				continue;
			if (strv_add(&files, strdup(g.gl_pathv[j])) < 0)
				break;
		}
		if (r == 0)
			globfree(&g);
		if (had_brace && files.n == before && pats.n > 1)
			inc_report(cl, checks, CL_INC_BRACE, loc, kw,
			    "no file matches brace alternative", pats.v[i]);
	}
	if (files.n == 0) {
		inc_report(cl, checks, has_wildcard(full) ? CL_INC_WILDCARD :
		    CL_INC_MATCH, loc, kw, "no file matches", pat);
		goto out;
	}
	for (i = 0; i < files.n && !cl->abort; i++)
		read_file(cl, files.v[i], loc, checks);
out:
	free(full);
	strv_free(&pats);
	strv_free(&files);
}

/*
 * Called by the preprocessor for every line it produces, as keepalived
 * does: include lines are recognised after conditionals, definitions and
 * ~SEQ/~LST, so "@node include FILE" and "include $DIR/x.conf" work.
 * Returns 1 if the line was an include line (handled).
 */
int
cl_read_include(struct conf_load *cl, const char *line, size_t len,
    const struct conf_loc *loc)
{
	size_t k, wl = 0;
	char **w;
	int n;

	/* most lines: not an include (every include keyword starts so) */
	if (len < 7 || line[0] != 'i' || line[1] != 'n')
		return 0;
	while (wl < len && line[wl] != ' ' && line[wl] != '\t' &&
	    line[wl] != '\f' && line[wl] != '\v' && line[wl] != '\r')
		wl++;
	if (cl->file == NULL || wl < 7 || strncmp(line, "include", 7) != 0)
		return 0;
	if (wl == 13 && strncmp(line, "include_check", 13) == 0) {
		if ((n = cl_lex_words(line, len, &w)) > 0)
			include_check(cl, w, n, loc);
		cl_lex_words_free(w);
		return 0;	/* stays in the tree for global_defs */
	}
	for (k = 0; k < sizeof(inc_kinds) / sizeof(inc_kinds[0]); k++)
		if (strlen(inc_kinds[k].kw) == wl &&
		    strncmp(line, inc_kinds[k].kw, wl) == 0)
			break;
	if (k == sizeof(inc_kinds) / sizeof(inc_kinds[0]))
		return 0;
	n = cl_lex_words(line, len, &w);
	if (n != 2)
		cl_error(cl, loc, "%s: expected exactly one file name",
		    inc_kinds[k].kw);
	else
		do_include(cl, inc_kinds[k].kw,
		    cl->file->inc_check | inc_kinds[k].checks, w[1], loc);
	cl_lex_words_free(w);
	return 1;
}

/* Where the reading of one file stands between blocks of it. */
struct cl_lines {
	struct conf_loc loc;
	char *line;		/* the decommented copy of one line */
	size_t cap;
	int stop;		/* binary data: the rest of the file is not read */
};

/* Room for a line of ll bytes and its '\0' in st->line: 1, or 0 after
 * reporting. */
static int
line_room(struct conf_load *cl, struct cl_lines *st, size_t ll)
{
	char *nline;
	size_t cap = ll + 1 > 256 ? ll + 1 : 256;

	if (ll + 1 <= st->cap)
		return 1;
	if ((nline = realloc(st->line, cap)) == NULL) {
		cl_error(cl, &st->loc, "out of memory");
		cl->abort = 1;
		return 0;
	}
	st->line = nline;
	st->cap = cap;
	return 1;
}

/*
 * Feed the lines of buf on: the complete ones, and at eof the last one
 * without its newline too. Returns the bytes used; the rest (a part of a
 * line) is to be given again with what follows it.
 */
static size_t
read_lines(struct conf_load *cl, struct cl_lines *st, const char *buf,
    size_t len, int eof)
{
	size_t pos = 0;

	while (pos < len && !cl->abort && !st->stop) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t ll = nl != NULL ? (size_t)(nl - (buf + pos)) : len - pos;
		const unsigned char *b, *q;
		size_t at, bad;
		int cont;

		if (nl == NULL && !eof)
			break;
		st->loc.line++;
		/* before the line is read: an include on it comes after */
		if (cl->copy != NULL) {
			(void)fwrite(buf + pos, 1, ll, cl->copy);
			putc('\n', cl->copy);
		}
		if (ll > cl->lim.line_len) {
			cl_error(cl, &st->loc, "line too long (%zu bytes, limit "
			    "%zu)", ll, cl->lim.line_len);
			pos += ll + 1;
			continue;
		}
		/* leading blanks go (decomment would drop them) before the
		 * copy */
		b = (const unsigned char *)buf + pos;
		for (q = b; q < b + ll && (*q == ' ' || *q == '\t'); q++)
			;
		at = (size_t)(q - b);
		/* most lines: plain text, copied and trimmed at once */
		while (q < b + ll && !special_bytes[*q])
			q++;
		if (q == b + ll) {
			if (!line_room(cl, st, ll))
				break;
			pos += ll + 1;
			ll = copy_plain(st->line, (const char *)b + at, ll - at);
			cl_pre_physical(cl, st->line, ll, 0, &st->loc);
			continue;
		}
		if (bad_byte(buf + pos + at, ll - at, &bad)) {
			cl_error(cl, &st->loc, "binary data (byte 0x%02x at "
			    "column %zu): not a text file?",
			    (unsigned char)buf[pos + at + bad], at + bad + 1);
			st->stop = 1;
			break;
		}
		if (!line_room(cl, st, ll))
			break;
		memcpy(st->line, buf + pos + at, ll - at);
		pos += ll + 1;
		ll = decomment(st->line, ll - at, &cont);
		cl_pre_physical(cl, st->line, ll, cont, &st->loc);
	}
	return pos < len ? pos : len;
}

/* A whole buffer (conf_load_buffer). */
static void
read_buffer(struct conf_load *cl, const char *buf, size_t len)
{
	struct cl_lines st = { .loc = { cl->file->name, 0 } };

	read_lines(cl, &st, buf, len, 1);
	cl_pre_eof(cl);
	free(st.line);
}

/*
 * A file, a block at a time: its text is never held whole (a large
 * configuration's text and what is built from it are not in memory at
 * once). A line longer than a block grows the block. 0, or -1 after a
 * read error.
 */
#define CL_READ_BLOCK	(256u * 1024)

static int
read_fd(struct conf_load *cl, int fd)
{
	struct cl_lines st = { .loc = { cl->file->name, 0 } };
	size_t cap = CL_READ_BLOCK, have = 0, total = 0, used;
	char *buf = malloc(cap), *nbuf;
	int eof = 0, rc = 0;

	if (buf == NULL) {
		cl_error(cl, NULL, "out of memory");
		cl->abort = 1;
		return 0;
	}
	while (!eof && !cl->abort && !st.stop) {
		ssize_t n;

		if (have == cap) {
			/* one line fills the block */
			if (cap >= CL_MAX_FILE ||
			    (nbuf = realloc(buf, cap * 2)) == NULL) {
				cl_error(cl, NULL, "out of memory");
				cl->abort = 1;
				break;
			}
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + have, cap - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -1;
			break;
		}
		eof = n == 0;
		have += (size_t)n;
		total += (size_t)n;
		if (total > CL_MAX_FILE) {
			cl_error(cl, NULL, "'%s' is too big (more than %u "
			    "bytes)", cl->file->name, CL_MAX_FILE);
			break;
		}
		used = read_lines(cl, &st, buf, have, eof);
		memmove(buf, buf + used, have - used);
		have -= used;
	}
	if (rc == 0)
		cl_pre_eof(cl);
	free(st.line);
	free(buf);
	return rc;
}

static struct cl_file *
push_file(struct conf_load *cl, const char *name, const char *dir)
{
	struct cl_file *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->name = arena_strdup(cl->tree->arena, name);
	f->dir = dir != NULL ? strdup(dir) : NULL;
	if (f->name == NULL || (dir != NULL && f->dir == NULL)) {
		free(f->dir);
		free(f);
		return NULL;
	}
	f->inc_check = cl->file != NULL ? cl->file->inc_check :
	    cl->include_check_all ? CL_INC_ALL : 0;
	f->up = cl->file;
	cl->file = f;
	cl->depth++;
	return f;
}

static void
pop_file(struct conf_load *cl)
{
	struct cl_file *f = cl->file;

	cl->file = f->up;
	cl->depth--;
	free(f->dir);
	free(f);
}

static char *
dir_of(const char *path)
{
	char *rp = realpath(path, NULL), *slash;

	if (rp == NULL)
		return NULL;
	slash = strrchr(rp, '/');
	if (slash == rp)
		slash[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';
	return rp;
}

/* Read and process one file; from is the include line (NULL: top). */
static int
read_file(struct conf_load *cl, const char *path, const struct conf_loc *from,
    unsigned checks)
{
	struct stat st;
	struct cl_file *f;
	char *dir;
	int fd, rc = -1;

	if (cl->depth >= cl->lim.include_depth) {
		cl_error(cl, from, "includes nested deeper than %u (at '%s')",
		    cl->lim.include_depth, path);
		return -1;
	}
	if (cl->nfiles >= cl->lim.include_files) {
		cl_error(cl, from, "more than %u files opened",
		    cl->lim.include_files);
		cl->abort = 1;
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (from == NULL)
			cl_error(cl, NULL, "cannot open '%s': %s", path,
			    strerror(errno));
		else
			inc_report(cl, checks, CL_INC_READABLE, from, "include",
			    strerror(errno), path);
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (from != NULL && (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)))) {
		if (from == NULL)
			cl_error(cl, NULL, "'%s' is not a regular file", path);
		else
			inc_report(cl, checks, CL_INC_READABLE, from, "include",
			    "not a regular non-executable file", path);
		close(fd);
		return -1;
	}
	for (f = cl->file; f != NULL; f = f->up) {
		if (f->has_id && f->dev == st.st_dev && f->ino == st.st_ino) {
			cl_error(cl, from, "include loop: '%s' is already being "
			    "read", path);
			close(fd);
			return -1;
		}
	}
	if ((size_t)st.st_size > CL_MAX_FILE) {
		cl_error(cl, from, "'%s' is too big (%lld bytes)", path,
		    (long long)st.st_size);
		close(fd);
		return -1;
	}
	dir = dir_of(path);
	f = push_file(cl, path, dir);
	free(dir);
	if (f == NULL) {
		cl_error(cl, from, "out of memory");
		cl->abort = 1;
		goto out;
	}
	f->has_id = 1;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	cl->nfiles++;
	if (cl->copy != NULL)
		fprintf(cl->copy, "# %s\n", path);
	if (read_fd(cl, fd) < 0)
		cl_error(cl, from, "cannot read '%s'", path);
	else
		rc = 0;
	if (cl->copy != NULL)
		fputs("!\n", cl->copy);
	pop_file(cl);
out:
	close(fd);
	return rc;
}

int
cl_read_path(struct conf_load *cl, const char *path)
{
	return read_file(cl, path, NULL, 0);
}

int
cl_read_mem(struct conf_load *cl, const char *name, const char *buf,
    size_t len)
{
	char *cwd = getcwd(NULL, 0);

	if (push_file(cl, name, cwd) == NULL) {
		free(cwd);
		cl_error(cl, NULL, "out of memory");
		return -1;
	}
	free(cwd);
	cl->nfiles++;
	read_buffer(cl, buf, len);
	pop_file(cl);
	return 0;
}
