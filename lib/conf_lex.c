/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Configuration lexer: splits a logical line (comments already removed)
 * into words and braces. Words are delimited by blanks; " and ' quote
 * (the quotes are removed, blanks inside are kept, a quoted part may be
 * glued to unquoted text); backslash escapes as in the shell:
 * \a \b \E \f \n \r \t \v \nnn (octal) \xXX (hex) \cC (control) and \C.
 * '{' and '}' outside quotes are tokens on their own wherever they are.
 */
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

enum tok { T_END, T_WORD, T_OPEN, T_CLOSE, T_ERR };

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r' ||
	    c == '\n';
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode the escape after a '\' at *pp (< end); returns the byte. */
static char
escape(const char **pp, const char *end)
{
	const char *p = *pp;
	unsigned v;
	int n;

	if (*p == 'x' && p + 1 < end && hexval(p[1]) >= 0) {
		for (v = 0, p++; p < end && hexval(*p) >= 0; p++)
			v = (v << 4 | (unsigned)hexval(*p)) & 0xff;
		*pp = p;
		return (char)v;
	}
	if (*p == 'c' && p + 1 < end) {
		*pp = p + 2;
		return (char)(p[1] & 0x1f);
	}
	if (*p >= '0' && *p <= '7') {
		for (v = 0, n = 0; n < 3 && p < end && *p >= '0' && *p <= '7';
		    n++, p++)
			v = v * 8 + (unsigned)(*p - '0');
		*pp = p;
		return (char)(v & 0xff);
	}
	*pp = p + 1;
	switch (*p) {
	case 'a': return '\a';
	case 'b': return '\b';
	case 'E': return 0x1b;
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	case 'v': return '\v';
	default: return *p;
	}
}

/* Next token from *pp; a word goes to out (room for end - *pp bytes). */
static enum tok
next_tok(const char **pp, const char *end, char *out, size_t *olen,
    const char **err, int braces)
{
	const char *p = *pp;
	char quote = 0;
	size_t o = 0;

	while (p < end && is_blank(*p))
		p++;
	if (p == end) {
		*pp = p;
		return T_END;
	}
	if (braces && (*p == '{' || *p == '}')) {
		*pp = p + 1;
		return *p == '{' ? T_OPEN : T_CLOSE;
	}
	while (p < end) {
		char c = *p;

		if (!quote && c == '$' && p + 1 < end && p[1] == '{') {
			/* an undefined ${NAME} stays one word */
			const char *q = p + 2;

			while (q < end && *q != '}' && !is_blank(*q) &&
			    *q != '{' && *q != '"' && *q != '\'' && *q != '\\')
				q++;
			if (q < end && *q == '}') {
				memcpy(out + o, p, (size_t)(q + 1 - p));
				o += (size_t)(q + 1 - p);
				p = q + 1;
				continue;
			}
		}
		if (!quote && (is_blank(c) || (braces && (c == '{' ||
		    c == '}'))))
			break;
		if (c == '\\') {
			if (++p == end) {
				*err = "'\\' at the end of the line escapes "
				    "nothing";
				return T_ERR;
			}
			out[o++] = escape(&p, end);
			continue;
		}
		p++;
		if (quote && c == quote)
			quote = 0;
		else if (!quote && (c == '"' || c == '\''))
			quote = c;
		else
			out[o++] = c;
	}
	if (quote) {
		*err = quote == '"' ? "unterminated quoted string (missing \")" :
		    "unterminated quoted string (missing ')";
		return T_ERR;
	}
	*pp = p;
	*olen = o;
	return T_WORD;
}

static int
grow(char **buf, size_t *cap, size_t need)
{
	char *nb;

	if (need <= *cap)
		return 0;
	if ((nb = realloc(*buf, need)) == NULL)
		return -1;
	*buf = nb;
	*cap = need;
	return 0;
}

void
cl_lex_line(struct conf_load *cl, const char *s, size_t len,
    const struct conf_loc *loc)
{
	const char *p = s, *end = s + len, *err = NULL;
	enum tok t;
	size_t wl;

	if (grow(&cl->wbuf, &cl->wcap, len + 1) < 0) {
		cl_error(cl, loc, "out of memory");
		cl->abort = 1;
		return;
	}
	while (!cl->abort &&
	    (t = next_tok(&p, end, cl->wbuf, &wl, &err, 1)) != T_END) {
		if (t == T_ERR) {
			cl_error(cl, loc, "%s", err);
			break;
		}
		if (t == T_OPEN) {
			cl_tree_open(cl, loc);
		} else if (t == T_CLOSE) {
			cl_tree_close(cl, loc);
		} else if (memchr(cl->wbuf, '\0', wl) != NULL) {
			cl_error(cl, loc, "a NUL character (\\0) is not allowed "
			    "in a word");
		} else {
			cl_tree_word(cl, cl->wbuf, wl, loc);
		}
	}
	cl_tree_eol(cl);
}

void
cl_lex_words_free(char **v)
{
	char **p;

	if (v == NULL)
		return;
	for (p = v; *p != NULL; p++)
		free(*p);
	free(v);
}

int
cl_lex_words(const char *s, size_t len, char ***out)
{
	const char *p = s, *end = s + len, *err;
	char *buf = malloc(len + 1), **v = NULL;
	size_t n = 0, wl = 0;
	enum tok t;

	*out = NULL;
	if (buf == NULL)
		return -1;
	if ((v = calloc(1, sizeof(*v))) == NULL)
		goto fail;
	while ((t = next_tok(&p, end, buf, &wl, &err, 0)) != T_END) {
		char **nv;

		if (t == T_ERR)
			goto fail;
		if ((nv = realloc(v, (n + 2) * sizeof(*v))) == NULL)
			goto fail;
		v = nv;
		if ((v[n] = strndup(buf, wl)) == NULL)
			goto fail;
		v[++n] = NULL;
	}
	free(buf);
	*out = v;
	return (int)n;
fail:
	free(buf);
	cl_lex_words_free(v);
	return -1;
}
