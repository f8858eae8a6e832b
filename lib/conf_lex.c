/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Configuration lexer: splits a logical line (comments already removed)
 * into words and braces, as keepalived splits the words of a keyword:
 *  - words are delimited by blanks;
 *  - a word that starts with '"' runs to the next '"': the quotes are
 *    removed, blanks, braces, '#' and '!' inside are kept, and the word
 *    ends at the closing quote ("30"0 is the two words 30 and 0);
 *  - any other word ends at a blank, a '"' (which starts the next word),
 *    or a brace; an unterminated '"' is an error and the rest of the line
 *    is dropped (the words before it stay);
 *  - single quotes and backslashes are ordinary characters (no escapes);
 *  - an unquoted '#' or '!' (e.g. from ${_HASH}) ends the line;
 *  - '{' and '}' outside quotes are tokens on their own wherever they are.
 * The statements of script keywords (script, misc_path, regex, notify*,
 * quorum_up/down, startup_script, ... see script_kw[]) are read again, as
 * keepalived does, with quotes and escapes: after the keyword, up to the
 * end of the line or the next brace, " and ' quote (the quotes are
 * removed, a quoted part may be glued to unquoted text) and a backslash
 * escapes as in the shell: \a \b \E \f \n \r \t \v \nnn (octal) \xXX
 * (hex) \cC (control) and \C. The command is one word; it is split into
 * argv when run (script_split()).
 */
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

enum tok { T_END, T_WORD, T_OPEN, T_CLOSE, T_ERR };

/* keywords whose line is read with quotes and escapes (sorted; the first
 * letters' rows and the lengths are in cl_lex_script_kw) */
static const char *const script_kw[] = {
	"lvs_notify_fifo_script", "misc_path", "notify", "notify_backup",
	"notify_deleted", "notify_down", "notify_fault", "notify_fifo_script",
	"notify_master", "notify_master_rx_lower_pri", "notify_stop",
	"notify_up", "quorum_down", "quorum_up", "regex", "script",
	"shutdown_script", "startup_script", "vrrp_notify_fifo_script",
};

int
cl_lex_script_kw(const char *w, size_t len)
{
	/* lengths of the script keywords: most words are not one of them
	 * by their length or their first letter alone */
	static const unsigned long long lens = 1ull << 5 | 1ull << 6 |
	    1ull << 9 | 1ull << 11 | 1ull << 12 | 1ull << 13 | 1ull << 14 |
	    1ull << 15 | 1ull << 18 | 1ull << 22 | 1ull << 23 | 1ull << 26;

	size_t lo, hi;

	if (len < 5 || len > 26 || !(lens >> len & 1))
		return 0;
	/* the sorted table's rows of each first letter */
	switch (w[0]) {
	case 'l': lo = 0; hi = 1; break;
	case 'm': lo = 1; hi = 2; break;
	case 'n': lo = 2; hi = 12; break;
	case 'q': lo = 12; hi = 14; break;
	case 'r': lo = 14; hi = 15; break;
	case 's': lo = 15; hi = 18; break;
	case 'v': lo = 18; hi = 19; break;
	default: return 0;
	}
	for (; lo < hi; lo++)
		if (strncmp(w, script_kw[lo], len) == 0 &&
		    script_kw[lo][len] == '\0')
			return 1;
	return 0;
}

int
conf_script_kw(const char *w)
{
	return cl_lex_script_kw(w, strlen(w));
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r' ||
	    c == '\n';
}

/* What ends an unquoted word: a blank, a quote, a comment; a brace
 * where braces are tokens. */
#define WORD_END	1u
#define WORD_BRACE	2u
static const unsigned char word_stop[256] = {
	[' '] = WORD_END, ['\t'] = WORD_END, ['\f'] = WORD_END,
	['\v'] = WORD_END, ['\r'] = WORD_END, ['\n'] = WORD_END,
	['"'] = WORD_END, ['#'] = WORD_END, ['!'] = WORD_END,
	['{'] = WORD_BRACE, ['}'] = WORD_BRACE,
};

/* Next token from *pp; a word is the *olen bytes at *word, in the text
 * (it needs no copy: no escapes outside script lines). */
static enum tok
next_tok(const char **pp, const char *end, const char **word, size_t *olen,
    const char **err, int braces)
{
	const char *p = *pp, *q;
	unsigned char stop;

	while (p < end && is_blank(*p))
		p++;
	if (p == end || *p == '#' || *p == '!') {
		*pp = end;
		return T_END;
	}
	if (braces && (*p == '{' || *p == '}')) {
		*pp = p + 1;
		return *p == '{' ? T_OPEN : T_CLOSE;
	}
	if (*p == '"') {
		if ((q = memchr(p + 1, '"', (size_t)(end - p - 1))) == NULL) {
			*err = "unterminated quoted string (missing \")";
			*pp = end;
			return T_ERR;
		}
		*word = p + 1;
		*olen = (size_t)(q - p - 1);
		*pp = q + 1;
		return T_WORD;
	}
	stop = braces ? WORD_END | WORD_BRACE : WORD_END;
	*word = p;
	while (p < end && !(word_stop[(unsigned char)*p] & stop))
		p++;
	*olen = (size_t)(p - *word);
	*pp = p;
	return T_WORD;
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

/* The same for the line of a script keyword: quotes and escapes. */
static enum tok
next_tok_qe(const char **pp, const char *end, char *out, size_t *olen,
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
	const char *p = s, *end = s + len, *err = NULL, *w = NULL;
	enum tok t;
	size_t wl;
	int first = 1, qe = 0;

	while (!cl->abort && (t = qe ?
	    next_tok_qe(&p, end, cl->wbuf, &wl, &err, 1) :
	    next_tok(&p, end, &w, &wl, &err, 1)) != T_END) {
		if (t == T_ERR) {
			cl_error(cl, loc, "%s", err);
			break;
		}
		if (t == T_OPEN) {
			cl_tree_open(cl, loc);
			first = 1;
			qe = 0;
		} else if (t == T_CLOSE) {
			cl_tree_close(cl, loc);
			first = 1;
			qe = 0;
		} else if (memchr(w, '\0', wl) != NULL) {
			cl_error(cl, loc, "a NUL character (\\0) is not allowed "
			    "in a word");
		} else {
			if (first && cl_lex_script_kw(w, wl)) {
				/* the rest of the line is read with escapes,
				 * into wbuf */
				if (grow(&cl->wbuf, &cl->wcap, len + 1) < 0) {
					cl_error(cl, loc, "out of memory");
					cl->abort = 1;
					return;
				}
				qe = 1;
			}
			first = 0;
			cl_tree_word(cl, w, wl, loc);
			w = cl->wbuf;
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
	const char *p = s, *end = s + len, *err, *w;
	char **v = NULL;
	size_t n = 0, wl = 0;
	enum tok t;

	*out = NULL;
	if ((v = calloc(1, sizeof(*v))) == NULL)
		goto fail;
	while ((t = next_tok(&p, end, &w, &wl, &err, 0)) != T_END) {
		char **nv;

		if (t == T_ERR)
			goto fail;
		if ((nv = realloc(v, (n + 2) * sizeof(*v))) == NULL)
			goto fail;
		v = nv;
		if ((v[n] = strndup(w, wl)) == NULL)
			goto fail;
		v[++n] = NULL;
	}
	*out = v;
	return (int)n;
fail:
	cl_lex_words_free(v);
	return -1;
}
