/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Configuration line generators: ~SEQ(var, [start,] [step,] end),
 * ~SEQx(...) (hexadecimal values) and ~LST(var, v1, v2, ...) /
 * ~LST({var, ...}, {v1, ...}, ...). The rest of the line is run through
 * the preprocessor once per value, with $var defined; generators nest.
 * The number of lines they produce in one load is bounded.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

static int
seq_count(struct conf_load *cl, unsigned long long n,
    const struct conf_loc *loc, const char *what)
{
	if (n > cl->lim.seq_lines || cl->seq_lines > cl->lim.seq_lines - n) {
		cl_error(cl, loc, "%s would produce too many lines (%llu, "
		    "limit %lu in one load)", what, n, cl->lim.seq_lines);
		return -1;
	}
	cl->seq_lines += n;
	return 0;
}

static int
valid_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || (!isalpha((unsigned char)s[0]) && s[0] != '_'))
		return 0;
	for (i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return 1;
}

static int
get_num(const char **pp, long *v)
{
	const char *p = *pp;
	char *e;

	p += strspn(p, " \t");
	errno = 0;
	*v = strtol(p, &e, 0);
	if (e == p || errno == ERANGE)
		return -1;
	*pp = e + strspn(e, " \t");
	return 0;
}

/* ~SEQ(var, [start,] [step,] end) rest / ~SEQx(...) rest */
void
cl_gen_seq(struct conf_load *cl, const char *s, size_t len,
    const struct conf_loc *loc, unsigned depth)
{
	const char *p = s + 4, *var, *close, *q;
	size_t vlen;
	char *params;
	long a[3], start, step, end, v;
	int n = 0, hex = 0;
	unsigned long long cnt, i;

	if (*p == 'x') {
		hex = 1;
		p++;
	}
	p += strspn(p, " \t");
	if (*p++ != '(')
		goto bad;
	p += strspn(p, " \t");
	var = p;
	p += strcspn(p, " \t,)");
	vlen = (size_t)(p - var);
	p += strspn(p, " \t");
	if (*p != ',' || !valid_name(var, vlen))
		goto bad;
	p++;
	if ((close = memchr(p, ')', len - (size_t)(p - s))) == NULL)
		goto bad;
	if ((params = cl_expand_params(cl, p, (size_t)(close - p), loc)) == NULL)
		return;
	for (q = params; n < 3; ) {
		if (get_num(&q, &a[n++]) < 0)
			break;
		if (*q == '\0') {
			n = -n;
			break;
		}
		if (*q != ',')
			break;
		q++;
	}
	free(params);
	if (n >= 0)
		goto bad;
	n = -n;
	if (n == 1) {
		end = a[0];
		step = end < 1 ? -1 : 1;
		start = end < 0 ? -1 : 1;
	} else if (n == 2) {
		start = a[0];
		end = a[1];
		step = start <= end ? 1 : -1;
	} else {
		start = a[0];
		step = a[1];
		end = a[2];
		if (step == 0 || (start < end && step < 0) ||
		    (start > end && step > 0)) {
			cl_error(cl, loc, "~SEQ: step %ld cannot go from %ld "
			    "to %ld", step, start, end);
			return;
		}
	}
	if (hex && (start < 0 || end < 0)) {
		cl_error(cl, loc, "~SEQx is only valid for positive numbers");
		return;
	}
	if (step > 0)
		cnt = ((unsigned long long)end - (unsigned long long)start) /
		    (unsigned long long)step + 1;
	else
		cnt = ((unsigned long long)start - (unsigned long long)end) /
		    (0ull - (unsigned long long)step) + 1;
	if (seq_count(cl, cnt, loc, "~SEQ") < 0)
		return;
	p = close + 1;
	p += strspn(p, " \t");
	for (i = 0, v = start; i < cnt && !cl->abort; i++) {
		char buf[32];
		int bl = hex ? snprintf(buf, sizeof(buf), "%lx",
		    (unsigned long)v) : snprintf(buf, sizeof(buf), "%ld", v);

		if (cl_def_set(cl, var, vlen, buf, (size_t)bl) < 0) {
			cl->abort = 1;
			break;
		}
		cl_pre_line(cl, p, len - (size_t)(p - s), loc, depth + 1, 0);
		if (i + 1 < cnt)
			v = (long)((unsigned long)v + (unsigned long)step);
	}
	return;
bad:
	cl_error(cl, loc, "bad ~SEQ: expected ~SEQ(var, [start,] [step,] end)");
}

/* Split s at top-level commas into trimmed pieces (s is modified). */
static int
split(char *s, char **v, int max)
{
	int n = 0;
	char *p = s;

	for (;;) {
		char *c = strchr(p, ','), *e;

		if (c != NULL)
			*c = '\0';
		p += strspn(p, " \t");
		e = p + strlen(p);
		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (n == max)
			return -1;
		v[n++] = p;
		if (c == NULL)
			return n;
		p = c + 1;
	}
}

#define LST_MAXVARS 16

/* ~LST(var, v1, v2, ...) rest / ~LST({a, b}, {1, 2}, ...) rest */
void
cl_gen_lst(struct conf_load *cl, const char *s, size_t len,
    const struct conf_loc *loc, unsigned depth)
{
	const char *p = s + 4, *close, *rest;
	char *params = NULL, *q, *vars[LST_MAXVARS];
	char **vals = NULL;
	int nvars, nvals = 0, i, j;
	size_t cap = 0;

	p += strspn(p, " \t");
	if (*p++ != '(')
		goto bad;
	if ((close = memchr(p, ')', len - (size_t)(p - s))) == NULL)
		goto bad;
	if ((params = cl_expand_params(cl, p, (size_t)(close - p), loc)) == NULL)
		return;
	q = params + strspn(params, " \t");
	if (*q == '{') {
		char *e = strchr(q, '}');

		if (e == NULL)
			goto bad;
		*e = '\0';
		nvars = split(q + 1, vars, LST_MAXVARS);
		q = e + 1;
		q += strspn(q, " \t");
		if (*q++ != ',')
			goto bad;
	} else {
		char *c = strchr(q, ',');

		if (c == NULL)
			goto bad;
		*c = '\0';
		nvars = split(q, vars, 1);
		q = c + 1;
	}
	if (nvars < 1)
		goto bad;
	for (i = 0; i < nvars; i++)
		if (!valid_name(vars[i], strlen(vars[i])))
			goto bad;
	for (;;) {
		char *e;
		int more;

		if ((size_t)nvals + (size_t)nvars > cap) {
			char **nv;

			cap = cap ? cap * 2 : 16;
			if ((size_t)nvals + (size_t)nvars > cap)
				cap = (size_t)nvals + (size_t)nvars;
			if ((nv = realloc(vals, cap * sizeof(*nv))) == NULL)
				goto bad;
			vals = nv;
		}
		q += strspn(q, " \t");
		if (nvars > 1) {
			if (*q != '{' || (e = strchr(q, '}')) == NULL)
				goto bad;
			*e = '\0';
			if (split(q + 1, vals + nvals, nvars) != nvars)
				goto bad;
			q = e + 1;
			q += strspn(q, " \t");
			more = *q == ',';
			if (!more && *q != '\0')
				goto bad;
			q += more;
		} else {
			e = q + strcspn(q, ",");
			more = *e == ',';
			*e = '\0';
			split(q, vals + nvals, 1);
			q = e + more;
		}
		nvals += nvars;
		if (!more)
			break;
	}
	if (nvals == 0)
		goto bad;
	if (seq_count(cl, (unsigned long long)(nvals / nvars), loc,
	    "~LST") < 0)
		goto out;
	rest = close + 1;
	rest += strspn(rest, " \t");
	for (i = 0; i < nvals && !cl->abort; i += nvars) {
		for (j = 0; j < nvars; j++)
			if (cl_def_set(cl, vars[j], strlen(vars[j]),
			    vals[i + j], strlen(vals[i + j])) < 0)
				cl->abort = 1;
		cl_pre_line(cl, rest, len - (size_t)(rest - s), loc, depth + 1, 0);
	}
	goto out;
bad:
	cl_error(cl, loc, "bad ~LST: expected ~LST(var, value, ...) or "
	    "~LST({var, ...}, {value, ...}, ...)");
out:
	free(vals);
	free(params);
}

