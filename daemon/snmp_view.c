/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "autoconfig.h"

#include "snmp_view.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

int
snmp_view_init(struct snmp_view *w)
{
	memset(w, 0, sizeof(*w));
	return (w->arena = arena_new()) != NULL ? 0 : -1;
}

void
snmp_view_reset(struct snmp_view *w)
{
	w->n = 0;
	w->sorted = 0;
	arena_reset(w->arena);
}

void
snmp_view_fini(struct snmp_view *w)
{
	free(w->v);
	arena_free(w->arena);
	memset(w, 0, sizeof(*w));
}

static struct snmp_vb *
view_add(struct snmp_view *w)
{
	struct snmp_vb *b;

	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 256;
		struct snmp_vb *v = realloc(w->v, cap * sizeof(*v));

		if (v == NULL)
			return NULL;
		w->v = v;
		w->cap = cap;
	}
	b = &w->v[w->n++];
	memset(b, 0, sizeof(*b));
	w->sorted = 0;
	return b;
}

struct snmp_vb *
snmp_view_cell(struct snmp_view *w, const oid *entry, size_t elen,
    unsigned column, const oid *idx, size_t ilen)
{
	struct snmp_vb *b;
	oid *name;

	if (elen + 1 + ilen > SNMP_VIEW_OID_MAX ||
	    (name = arena_alloc(w->arena, (elen + 1 + ilen) * sizeof(oid))) ==
	    NULL || (b = view_add(w)) == NULL)
		return NULL;
	memcpy(name, entry, elen * sizeof(oid));
	name[elen] = column;
	memcpy(name + elen + 1, idx, ilen * sizeof(oid));
	b->name = name;
	b->len = elen + 1 + ilen;
	return b;
}

struct snmp_vb *
snmp_view_scalar(struct snmp_view *w, const oid *base, size_t blen,
    const oid *sub, size_t slen)
{
	struct snmp_vb *b;
	oid *name;

	if (blen + slen + 1 > SNMP_VIEW_OID_MAX ||
	    (name = arena_alloc(w->arena, (blen + slen + 1) * sizeof(oid))) ==
	    NULL || (b = view_add(w)) == NULL)
		return NULL;
	memcpy(name, base, blen * sizeof(oid));
	memcpy(name + blen, sub, slen * sizeof(oid));
	name[blen + slen] = 0;
	b->name = name;
	b->len = blen + slen + 1;
	return b;
}

void
snmp_vb_int(struct snmp_vb *b, u_char type, int64_t v)
{
	if (b == NULL)
		return;
	b->type = type;
	b->i = v;
}

void
snmp_vb_bytes(struct snmp_view *w, struct snmp_vb *b, u_char type,
    const void *p, size_t len)
{
	char *s;

	if (b == NULL)
		return;
	b->type = type;
	if ((s = arena_alloc(w->arena, len + 1)) == NULL) {
		b->s = "";
		b->slen = 0;
		return;
	}
	memcpy(s, p, len);
	s[len] = '\0';
	b->s = s;
	b->slen = len;
}

void
snmp_vb_str(struct snmp_view *w, struct snmp_vb *b, const char *s)
{
	snmp_vb_bytes(w, b, ASN_OCTET_STR, s != NULL ? s : "",
	    s != NULL ? strlen(s) : 0);
}

static int
vb_cmp(const void *a, const void *b)
{
	const struct snmp_vb *x = a, *y = b;

	return snmp_oid_compare(x->name, x->len, y->name, y->len);
}

void
snmp_view_sort(struct snmp_view *w)
{
	if (!w->sorted && w->n > 1)
		qsort(w->v, w->n, sizeof(w->v[0]), vb_cmp);
	w->sorted = 1;
}

/* Index of the first value whose OID is >= name (or > name if after). */
static size_t
lower_bound(const struct snmp_view *w, const oid *name, size_t len, int after)
{
	size_t lo = 0, hi = w->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = snmp_oid_compare(w->v[mid].name, w->v[mid].len, name,
		    len);

		if (c < 0 || (after && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct snmp_vb *
snmp_view_get(const struct snmp_view *w, const oid *name, size_t len)
{
	size_t i = lower_bound(w, name, len, 0);

	if (i < w->n && snmp_oid_compare(w->v[i].name, w->v[i].len, name,
	    len) == 0)
		return &w->v[i];
	return NULL;
}

const struct snmp_vb *
snmp_view_next(const struct snmp_view *w, const oid *name, size_t len,
    const oid *root, size_t rlen)
{
	size_t i = lower_bound(w, name, len, 1);

	if (i < w->n && snmp_oidtree_compare(root, rlen, w->v[i].name,
	    w->v[i].len) == 0)
		return &w->v[i];
	return NULL;
}

size_t
snmp_oid_inet(oid *idx, const void *bytes, size_t blen)
{
	const unsigned char *p = bytes;

	idx[0] = blen;
	for (size_t i = 0; i < blen; i++)
		idx[i + 1] = p[i];
	return blen + 1;
}
