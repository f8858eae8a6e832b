/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * For test_kwfields: flatten a typed configuration into sorted
 * "path=value" lines with the layouts of kwfields_layout.h, and compare two
 * flattenings. Bytes of a struct that no field of its layout covers are
 * printed too (as "path.@OFFSET=hex" when not all zero), so a field the
 * layout forgot still shows up when it changes.
 */
#ifndef VIGIL_TEST_KWFIELDS_RENDER_H
#define VIGIL_TEST_KWFIELDS_RENDER_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "kwfields_layout.h"

#define KW_PATH_MAX 512
#define KW_LIST_MAX 10000	/* elements followed in one list */

struct out {
	FILE *fp;
};

static void kw_render(struct out *o, const char *path,
    const struct layout *l, const void *obj);

static void
kw_line(struct out *o, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
kw_line(struct out *o, const char *path, const char *fmt, ...)
{
	va_list ap;

	fprintf(o->fp, "%s=", path);
	va_start(ap, fmt);
	vfprintf(o->fp, fmt, ap);
	va_end(ap);
	fputc('\n', o->fp);
}

static void
kw_hex(struct out *o, const char *path, const unsigned char *p, size_t n)
{
	size_t i;

	fprintf(o->fp, "%s=", path);
	for (i = 0; i < n; i++)
		fprintf(o->fp, "%02x", p[i]);
	fputc('\n', o->fp);
}

static void
kw_print_track_bits(struct out *o, const char *path, const void *obj)
{
	const struct vrrp_conf_track *t = obj;

	kw_line(o, path, "%s%s%s%s", t->weight_set ? "weight_set " : "",
	    t->reverse ? "reverse " : "", t->noreverse ? "noreverse " : "",
	    !t->weight_set && !t->reverse && !t->noreverse ? "-" : "");
}

/* A path into buf[KW_PATH_MAX] (cut short if it had to be). */
static void
kw_path(char *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
kw_path(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, KW_PATH_MAX, fmt, ap);
	va_end(ap);
}

static void
kw_join(char *buf, const char *path, const char *name)
{
	kw_path(buf, "%s%s%s", path, *path != '\0' ? "." : "", name);
}

/* Elements of a chain starting at first, linked at l->next. */
static void
kw_chain(struct out *o, const char *path, const struct layout *l,
    const void *first)
{
	char p[KW_PATH_MAX];
	const void *e;
	unsigned i;

	for (e = first, i = 0; e != NULL && i < KW_LIST_MAX; i++) {
		kw_path(p, "%s[%u]", path, i);
		kw_render(o, p, l, e);
		e = *(const void *const *)(const void *)((const char *)e +
		    l->next);
	}
}

static void
kw_field(struct out *o, const char *path, const struct fld *f,
    const void *obj)
{
	const char *at = (const char *)obj + f->off;
	char p[KW_PATH_MAX], abuf[ADDR_STRLEN];
	const struct vg_addr *a;
	unsigned i, n;

	kw_join(p, path, f->name);
	switch (f->k) {
	case FK_SKIP:
		break;
	case FK_INT:
		kw_line(o, p, "%d", *(const int *)(const void *)at);
		break;
	case FK_UINT:
		kw_line(o, p, "%u", *(const unsigned *)(const void *)at);
		break;
	case FK_UL:
		kw_line(o, p, "%lu", *(const unsigned long *)(const void *)at);
		break;
	case FK_LL:
		kw_line(o, p, "%lld", *(const long long *)(const void *)at);
		break;
	case FK_ULL:
		kw_line(o, p, "%llu",
		    *(const unsigned long long *)(const void *)at);
		break;
	case FK_SIZE:
		kw_line(o, p, "%zu", *(const size_t *)(const void *)at);
		break;
	case FK_STR:
		kw_line(o, p, "%s", *(char *const *)(const void *)at != NULL ?
		    *(char *const *)(const void *)at : "(null)");
		break;
	case FK_CHARS:
		kw_line(o, p, "%.*s", (int)strnlen(at, f->size), at);
		break;
	case FK_BYTES:
		kw_hex(o, p, (const unsigned char *)at, f->size);
		break;
	case FK_BITS:
		fprintf(o->fp, "%s=", p);
		for (i = 0, n = 0; i < f->size * 8; i++)
			if (((const unsigned char *)at)[i / 8] & (1u << (i % 8)))
				fprintf(o->fp, "%s%u", n++ > 0 ? "," : "", i);
		fputc('\n', o->fp);
		break;
	case FK_ADDR:
		a = (const struct vg_addr *)(const void *)at;
		if (a->family == 0)
			kw_line(o, p, "unset");
		else
			kw_line(o, p, "%s", addr_ntop(a, abuf, sizeof(abuf)));
		break;
	case FK_SUB:
		kw_render(o, p, f->sub, at);
		break;
	case FK_PTR: {
		static const max_align_t zero[16];
		const void *to = *(const void *const *)(const void *)at;

		ck_assert(f->sub->size <= sizeof(zero));
		kw_render(o, p, f->sub, to != NULL ? to : (const void *)zero);
		break;
	}
	case FK_VLIST: {
		const struct vrrp_conf_list *vl = (const void *)at;
		char np[KW_PATH_MAX];

		kw_path(np, "%s.n", p);
		kw_line(o, np, "%u", vl->n);
		kw_chain(o, p, f->sub, vl->first);
		break;
	}
	case FK_CHAIN:
		kw_chain(o, p, f->sub, *(const void *const *)(const void *)at);
		break;
	case FK_STRV: {
		char *const *v = *(char **const *)(const void *)at;
		char ep[KW_PATH_MAX];

		n = *(const unsigned *)(const void *)((const char *)obj +
		    f->aux);
		for (i = 0; v != NULL && i < n && i < KW_LIST_MAX; i++) {
			kw_path(ep, "%s[%u]", p, i);
			kw_line(o, ep, "%s", v[i] != NULL ? v[i] : "(null)");
		}
		break;
	}
	case FK_BUF: {
		const unsigned char *b = *(const unsigned char *const *)
		    (const void *)at;
		size_t len = *(const size_t *)(const void *)((const char *)obj +
		    f->aux);

		if (b == NULL)
			kw_line(o, p, "(null)");
		else
			kw_hex(o, p, b, len);
		break;
	}
	case FK_VARIANT: {
		int sel = *(const int *)(const void *)((const char *)obj + f->aux);
		const struct layout *v = sel >= 0 && sel < CHK_KIND_MAX ?
		    f->var[sel] : NULL;
		size_t j;

		/* the variant's fields are named from the enclosing struct */
		for (j = 0; v != NULL && j < v->nf; j++)
			kw_field(o, path, &v->f[j], obj);
		break;
	}
	case FK_FN:
		f->fn(o, p, obj);
		break;
	}
}

/* Bytes [from, to) of obj that no field covers, when not all zero. */
static void
kw_gap(struct out *o, const char *path, const void *obj, size_t from,
    size_t to)
{
	const unsigned char *b = obj;
	char p[KW_PATH_MAX];
	size_t i;

	for (i = from; i < to; i++)
		if (b[i] != 0)
			break;
	if (i == to)
		return;
	kw_path(p, "%s.@%zu", path, from);
	kw_hex(o, p, b + from, to - from);
}

static void
kw_render(struct out *o, const char *path, const struct layout *l,
    const void *obj)
{
	size_t i, end = 0;

	if (obj == NULL) {
		kw_line(o, path, "(null)");
		return;
	}
	for (i = 0; i < l->nf; i++) {
		const struct fld *f = &l->f[i];

		if (f->off > end)
			kw_gap(o, path, obj, end, f->off);
		kw_field(o, path, f, obj);
		if (f->off + f->size > end)
			end = f->off + f->size;
	}
	if (l->size > end)
		kw_gap(o, path, obj, end, l->size);
}

/* ---- flattened configurations ------------------------------------------- */

struct kv {
	char *path;
	char *val;
};

struct flat {
	char *buf;		/* the lines, split in place */
	size_t len;
	struct kv *kv;
	size_t n;
};

static int
kw_kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kv *)a)->path,
	    ((const struct kv *)b)->path);
}

/* Split the rendered text into sorted path/value pairs. 0 or -1. */
static int
kw_flat_index(struct flat *fl)
{
	size_t cap = 0, i;
	char *line, *nl;

	for (i = 0; i < fl->len; i++)
		if (fl->buf[i] == '\n')
			cap++;
	if ((fl->kv = calloc(cap + 1, sizeof(*fl->kv))) == NULL)
		return -1;
	for (line = fl->buf; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		char *eq = strchr(line, '=');

		*nl = '\0';
		if (eq == NULL || eq > nl)
			continue;
		*eq = '\0';
		fl->kv[fl->n].path = line;
		fl->kv[fl->n].val = eq + 1;
		fl->n++;
	}
	qsort(fl->kv, fl->n, sizeof(*fl->kv), kw_kv_cmp);
	return 0;
}

static const char *
kw_flat_get(const struct flat *fl, const char *path)
{
	struct kv key = { (char *)path, NULL }, *r;

	r = bsearch(&key, fl->kv, fl->n, sizeof(*fl->kv), kw_kv_cmp);
	return r != NULL ? r->val : NULL;
}

static void
kw_flat_free(struct flat *fl)
{
	free(fl->kv);
	free(fl->buf);
	memset(fl, 0, sizeof(*fl));
}

#endif
