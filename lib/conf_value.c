/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Typed value parsers and the generic setters used by keyword tables.
 * Setters write at kw->off in the object and report errors as
 * "file:line: keyword: expected WHAT, got VALUE".
 */
#include "conf.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "str.h"

int
conf_parse_bool(const char *s, int *out)
{
	static const char *const yes[] = { "on", "true", "yes" };
	static const char *const no[] = { "off", "false", "no" };
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

int
conf_parse_ll(const char *s, long long lo, long long hi, long long *out)
{
	const char *p;
	long long v;
	char *end;

	if (s == NULL)
		return -1;
	p = s;
	if (*p == '+' || *p == '-')
		p++;
	if (*p < '0' || *p > '9')	/* no blanks, no empty number */
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int
conf_parse_timer(const char *s, unsigned long long *usec)
{
	unsigned long long sec = 0, frac = 0;
	unsigned ndig = 0, nfrac = 0;

	if (s == NULL)
		return -1;
	for (; *s >= '0' && *s <= '9'; s++, ndig++) {
		unsigned d = (unsigned)(*s - '0');

		if (sec > (ULLONG_MAX / 1000000 - d) / 10)
			return -1;
		sec = sec * 10 + d;
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, nfrac++) {
			if (nfrac == 6)
				return -1;
			frac = frac * 10 + (unsigned)(*s - '0');
		}
	}
	if (*s != '\0' || ndig + nfrac == 0)
		return -1;
	for (; nfrac < 6; nfrac++)
		frac *= 10;
	if (sec * 1000000 > ULLONG_MAX - frac)
		return -1;
	*usec = sec * 1000000 + frac;
	return 0;
}

int
conf_str_eq(const char *a, const char *b)
{
	return str_eq(a, b);
}

static const char *const diff_kind_names[] = {
	[CONF_DIFF_ADDED] = "added",
	[CONF_DIFF_REMOVED] = "removed",
	[CONF_DIFF_CHANGED] = "changed",
	[CONF_DIFF_UNCHANGED] = "unchanged",
};

const char *
conf_diff_kind_name(enum conf_diff_kind k)
{
	if ((unsigned)k >= sizeof(diff_kind_names) / sizeof(diff_kind_names[0]))
		return "?";
	return diff_kind_names[k];
}

void
conf_diff_count_add(struct conf_diff_count *c, enum conf_diff_kind k)
{
	unsigned *const by_kind[] = {
		[CONF_DIFF_ADDED] = &c->added,
		[CONF_DIFF_REMOVED] = &c->removed,
		[CONF_DIFF_CHANGED] = &c->changed,
		[CONF_DIFF_UNCHANGED] = &c->unchanged,
	};

	if ((unsigned)k < sizeof(by_kind) / sizeof(by_kind[0]))
		(*by_kind[k])++;
}

/* ---- generic setters --------------------------------------------------- */

static void *
field(struct conf_ctx *cx, const struct conf_node *n, const struct conf_kw *kw,
    void *obj)
{
	if (obj == NULL) {
		conf_error(cx, n, "nothing to store the value in");
		return NULL;
	}
	return (char *)obj + kw->off;
}

static int
one_arg(struct conf_ctx *cx, const struct conf_node *n)
{
	if (n->argc == 2)
		return 0;
	conf_error(cx, n, "expected 1 argument, got %u", n->argc - 1);
	return -1;
}

static void
range_error(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, long long lo, long long hi)
{
	if (kw->expect != NULL)
		conf_error(cx, n, "expected %s, got %s", kw->expect, n->argv[1]);
	else if (lo < 0)
		conf_error(cx, n, "expected an integer from %lld to %lld, got %s",
		    lo, hi, n->argv[1]);
	else
		conf_error(cx, n, "expected %lld-%lld, got %s", lo, hi,
		    n->argv[1]);
}

int
conf_set_flag(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	int *p = field(cx, n, kw, obj), v = 1;

	if (p == NULL)
		return -1;
	if (n->argc > 2) {
		conf_error(cx, n, "expected 0..1 arguments, got %u",
		    n->argc - 1);
		return -1;
	}
	if (n->argc == 2 && conf_parse_bool(n->argv[1], &v) == -1) {
		conf_error(cx, n, "expected %s, got %s",
		    kw->expect != NULL ? kw->expect :
		    "on|off|true|false|yes|no", n->argv[1]);
		return -1;
	}
	*p = v;
	return 0;
}

int
conf_set_int(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	int *p = field(cx, n, kw, obj);
	long long lo = kw->lo, hi = kw->hi, v;

	if (p == NULL || one_arg(cx, n) == -1)
		return -1;
	if (lo == 0 && hi == 0)
		lo = INT_MIN, hi = INT_MAX;
	if (lo < INT_MIN)
		lo = INT_MIN;
	if (hi > INT_MAX)
		hi = INT_MAX;
	if (conf_parse_ll(n->argv[1], lo, hi, &v) == -1) {
		range_error(cx, n, kw, lo, hi);
		return -1;
	}
	*p = (int)v;
	return 0;
}

int
conf_set_uint(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	unsigned *p = field(cx, n, kw, obj);
	long long lo = kw->lo, hi = kw->hi, v;

	if (p == NULL || one_arg(cx, n) == -1)
		return -1;
	if (lo == 0 && hi == 0)
		hi = UINT_MAX;
	if (lo < 0)
		lo = 0;
	if (hi > (long long)UINT_MAX)
		hi = UINT_MAX;
	if (conf_parse_ll(n->argv[1], lo, hi, &v) == -1) {
		range_error(cx, n, kw, lo, hi);
		return -1;
	}
	*p = (unsigned)v;
	return 0;
}

/* usec as seconds without trailing zeros: 1500000 -> "1.5" */
static void
fmt_secs(char *buf, size_t len, unsigned long long usec)
{
	unsigned long long frac = usec % 1000000;
	int w = 6;

	if (frac == 0) {
		snprintf(buf, len, "%llu", usec / 1000000);
		return;
	}
	while (frac % 10 == 0) {
		frac /= 10;
		w--;
	}
	snprintf(buf, len, "%llu.%0*llu", usec / 1000000, w, frac);
}

int
conf_set_timer(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	unsigned long long *p = field(cx, n, kw, obj), v;
	unsigned long long lo = kw->lo > 0 ? (unsigned long long)kw->lo : 0;
	unsigned long long hi = kw->hi > 0 ? (unsigned long long)kw->hi :
	    ULLONG_MAX;
	char a[32], b[32];

	if (p == NULL || one_arg(cx, n) == -1)
		return -1;
	if (conf_parse_timer(n->argv[1], &v) == 0 && v >= lo && v <= hi) {
		*p = v;
		return 0;
	}
	if (kw->expect != NULL)
		conf_error(cx, n, "expected %s, got %s", kw->expect, n->argv[1]);
	else if (hi == ULLONG_MAX) {
		fmt_secs(a, sizeof(a), lo);
		conf_error(cx, n, "expected seconds (at least %s, up to 6 "
		    "decimals), got %s", a, n->argv[1]);
	} else {
		fmt_secs(a, sizeof(a), lo);
		fmt_secs(b, sizeof(b), hi);
		conf_error(cx, n, "expected seconds %s-%s (up to 6 decimals), "
		    "got %s", a, b, n->argv[1]);
	}
	return -1;
}

int
conf_set_str(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	char **p = field(cx, n, kw, obj), *s;

	if (p == NULL || one_arg(cx, n) == -1)
		return -1;
	if ((s = arena_strdup(conf_arena(cx), n->argv[1])) == NULL) {
		conf_error(cx, n, "out of memory");
		return -1;
	}
	*p = s;
	return 0;
}

int
conf_set_strv(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	char **p = field(cx, n, kw, obj), *s;
	size_t len = 0, off = 0, l;
	unsigned i;

	if (p == NULL)
		return -1;
	if (n->argc < 2) {
		conf_error(cx, n, "expected at least 1 argument, got 0");
		return -1;
	}
	for (i = 1; i < n->argc; i++)
		len += strlen(n->argv[i]) + 1;
	if ((s = arena_alloc(conf_arena(cx), len)) == NULL) {
		conf_error(cx, n, "out of memory");
		return -1;
	}
	for (i = 1; i < n->argc; i++) {
		l = strlen(n->argv[i]);
		memcpy(s + off, n->argv[i], l);
		off += l;
		s[off++] = i + 1 < n->argc ? ' ' : '\0';
	}
	*p = s;
	return 0;
}

/* <who>_cpu_affinity CPU...: the CPU numbers 0-63 as a mask at kw->lo,
 * the words joined at kw->off (for the log and the dump). */
int
conf_set_cpus(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	unsigned long long mask = 0;
	long long v;
	unsigned i;

	if (obj == NULL)
		return conf_set_strv(cx, n, kw, obj);
	for (i = 1; i < n->argc; i++) {
		if (conf_parse_ll(n->argv[i], 0, 63, &v) == -1) {
			conf_error(cx, n, "expected CPU numbers 0-63, got %s",
			    n->argv[i]);
			return -1;
		}
		mask |= 1ULL << v;
	}
	*(unsigned long long *)(void *)((char *)obj + (size_t)kw->lo) = mask;
	return conf_set_strv(cx, n, kw, obj);
}

/* Validation only, for keywords without effect (obj is NULL). */
int
conf_check_uint(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	long long v;

	(void)obj;
	if (conf_parse_ll(n->argv[1], kw->lo, kw->hi, &v) == -1) {
		conf_error(cx, n, "expected %lld-%lld, got %s", kw->lo, kw->hi,
		    n->argv[1]);
		return -1;
	}
	return 0;
}

int
conf_check_bool(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	int v;

	(void)kw, (void)obj;
	if (n->argc > 2) {
		conf_error(cx, n, "expected 0..1 arguments, got %u",
		    n->argc - 1);
		return -1;
	}
	if (n->argc > 1 && conf_parse_bool(n->argv[1], &v) == -1) {
		conf_error(cx, n, "expected on|off|true|false|yes|no, got %s",
		    n->argv[1]);
		return -1;
	}
	return 0;
}

int
conf_set_unsupported(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	(void)kw;
	(void)obj;
	conf_warn(cx, n, "not supported yet; ignored");
	return 0;
}
