/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * show ipvs as JSON text, written straight from the store (state_json.h,
 * STATE_JSON_IPVS): the same document state_json() makes with that
 * section, without a tree of JSON values. At 100,000 real servers the
 * tree costs a few million allocations (seconds, tenfold under a slow
 * kernel); written this way the reply costs one pass to group the real
 * servers under their virtual servers and one to write them.
 */
#include "autoconfig.h"

#include "state_json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipc_msg.h"
#include "objname.h"
#include "state.h"
#include "supervisor_int.h"
#include "vconfig.h"

/* A real server (or a runtime override's stub) and the virtual server it
 * belongs to, in store order. */
struct rsref {
	const char *vs;			/* into o->name: vslen bytes */
	size_t vslen;
	const char *real;		/* into o->name, to its end */
	const struct state_obj *o;
	int stub;			/* an override the child did not report */
	size_t seq;
};

#define TCOLS 10

struct w {
	FILE *fp;
	const struct state_store *st;
	struct rsref *rs;
	size_t nrs;
	unsigned char *done;		/* per rs group: its VS written */
	unsigned nvs;			/* virtual servers written */
	/* the table (state_ipvs_table_write): pass 0 measures the columns,
	 * pass 1 prints */
	int table, pass;
	size_t width[TCOLS];
};

/* A JSON string; bytes that are not UTF-8 become '?' (as jansson would
 * refuse them). */
static void
jstr(FILE *fp, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;

	putc_unlocked('"', fp);
	while (p < e) {
		const unsigned char *q = p;
		unsigned c;
		size_t len, i;

		/* plain ASCII in one go */
		while (q < e && *q >= 0x20 && *q < 0x80 && *q != '"' &&
		    *q != '\\')
			q++;
		if (q > p) {
			fwrite_unlocked(p, 1, (size_t)(q - p), fp);
			p = q;
			continue;
		}
		c = *p;
		len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 :
		    (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		if (c == '"' || c == '\\') {
			putc_unlocked('\\', fp);
			putc_unlocked((int)c, fp);
		} else if (c < 0x20) {
			fprintf(fp, "\\u%04x", c);
		} else {
			for (i = 1; len > 1 && i < len; i++)
				if (p + i >= e || (p[i] & 0xc0) != 0x80)
					break;
			if (len < 2 || i < len || (len == 2 && c < 0xc2)) {
				putc_unlocked('?', fp);
			} else {
				fwrite_unlocked(p, 1, len, fp);
				p += len;
				continue;
			}
		}
		p++;
	}
	putc_unlocked('"', fp);
}

static void
jkey(FILE *fp, int *first, const char *k, size_t klen)
{
	if (!*first)
		putc_unlocked(',', fp);
	*first = 0;
	jstr(fp, k, klen);
	putc_unlocked(':', fp);
}

/* An integer as the JSON document has it (null when it does not read). */
static void
jint(FILE *fp, const char *v, size_t n)
{
	char buf[32], *end;
	long long x;

	if (n == 0 || n >= sizeof(buf)) {
		fputs("null", fp);
		return;
	}
	memcpy(buf, v, n);
	buf[n] = '\0';
	errno = 0;
	x = strtoll(buf, &end, 10);
	if (errno != 0 || *end != '\0')
		fputs("null", fp);
	else
		fprintf(fp, "%lld", x);
}

static int
is(const char *k, size_t klen, const char *name)
{
	return strlen(name) == klen && memcmp(k, name, klen) == 0;
}

/* The attrs show ipvs shows, typed as state_json.c types them. */
static void
attrs(FILE *fp, int *first, const char *a, int rs)
{
	const char *p = a, *k, *v;
	size_t klen, vlen;

	while (ipc_attrs_next(&p, &k, &klen, &v, &vlen)) {
		int counter = (klen > 5 && memcmp(k, "ipvs_", 5) == 0) ||
		    (klen > 11 && memcmp(k, "sorry_ipvs_", 11) == 0);

		if (counter || is(k, klen, "port") ||
		    is(k, klen, "dest_port") || is(k, klen, "fwmark")) {
			jkey(fp, first, k, klen);
			jint(fp, v, vlen);
		} else if (is(k, klen, "weight")) {
			/* the configured weight: "weight" is the live one */
			if (rs)
				jkey(fp, first, "configured_weight", 17);
			else
				jkey(fp, first, k, klen);
			jint(fp, v, vlen);
		} else if (is(k, klen, "sorry_active")) {
			jkey(fp, first, k, klen);
			fputs((vlen == 1 && v[0] == '1') || (vlen == 4 &&
			    memcmp(v, "true", 4) == 0) ? "true" : "false", fp);
		} else if (is(k, klen, "protocol") || is(k, klen, "address") ||
		    is(k, klen, "group") || is(k, klen, "sorry_server")) {
			jkey(fp, first, k, klen);
			jstr(fp, v, vlen);
		}
	}
}

static void
jweight(FILE *fp, int32_t w)
{
	if (w == IPC_OBJ_NO_WEIGHT)
		fputs("null", fp);
	else
		fprintf(fp, "%ld", (long)w);
}

/* ---- vigilctl show ipvs's table (vigilctl_show.c draws the same from
 * the JSON document) --------------------------------------------------- */

static const char *const thead[TCOLS] = { "SERVICE", "DESTINATION",
    "WEIGHT", "CONNS", "ACTIVE", "INACTIVE", "PKTS IN", "PKTS OUT",
    "BYTES IN", "BYTES OUT" };

/* One row; "" and NULL show as "-", the last column unpadded. */
static void
trow(struct w *w, const char *const *c)
{
	for (size_t i = 0; i < TCOLS; i++) {
		const char *v = c[i] != NULL && c[i][0] != '\0' ? c[i] : "-";

		if (w->pass == 0) {
			size_t n = strlen(v);

			if (n > w->width[i])
				w->width[i] = n;
		} else if (i + 1 < TCOLS)
			fprintf(w->fp, "%-*s  ", (int)w->width[i], v);
		else
			fprintf(w->fp, "%s\n", v);
	}
}

/* attr key of o as the JSON document's integer shows it ("" when absent
 * or not one) */
static const char *
tint(const struct state_obj *o, const char *key, char *buf, size_t len)
{
	char *end;
	long long x;

	if (o == NULL || !ipc_attrs_get(o->attrs, key, buf, len)) {
		buf[0] = '\0';
		return buf;
	}
	errno = 0;
	x = strtoll(buf, &end, 10);
	if (errno != 0 || end == buf || *end != '\0')
		buf[0] = '\0';
	else
		snprintf(buf, len, "%lld", x);
	return buf;
}

static const char *
tweight(int32_t wt, char *buf, size_t len)
{
	if (wt == IPC_OBJ_NO_WEIGHT)
		buf[0] = '\0';
	else
		snprintf(buf, len, "%ld", (long)wt);
	return buf;
}

/* the counters of the columns from CONNS on, keys prefix + these */
static void
tcounters(const struct state_obj *o, const char *prefix, int dest,
    char b[][32], const char **c)
{
	static const char *const keys[] = { "connections",
	    "active_connections", "inactive_connections", "packets_in",
	    "packets_out", "bytes_in", "bytes_out" };

	for (size_t i = 0; i < 7; i++) {
		char key[64];

		snprintf(key, sizeof(key), "%sipvs_%s", prefix, keys[i]);
		c[3 + i] = (i == 1 || i == 2) && !dest ? "" :
		    tint(o, key, b[3 + i], sizeof(b[3 + i]));
	}
}

static void
table_vs(struct w *w, const char *vsname, const struct state_obj *o)
{
	char b[TCOLS][32];
	const char *c[TCOLS] = { vsname, "" };

	c[2] = o != NULL ? tweight(o->weight, b[2], sizeof(b[2])) : "";
	tcounters(o, "", 0, b, c);
	trow(w, c);
}

static void
table_sorry(struct w *w, const struct state_obj *o)
{
	char b[TCOLS][32], sorry[IPC_OBJ_MAX_STR], dest[IPC_OBJ_MAX_STR + 8];
	const char *c[TCOLS] = { "", dest };

	if (o == NULL || !ipc_attrs_get(o->attrs, "sorry_server", sorry,
	    sizeof(sorry)))
		return;
	snprintf(dest, sizeof(dest), "sorry:%s", sorry);
	tcounters(o, "sorry_", 1, b, c);
	if (c[3][0] == '\0')
		c[2] = "";	/* the kernel does not hold it */
	else
		c[2] = ipc_attrs_get(o->attrs, "sorry_active", b[2],
		    sizeof(b[2])) && strcmp(b[2], "1") == 0 ? "1" : "0";
	trow(w, c);
}

static void
table_rs(struct w *w, const struct rsref *r)
{
	char b[TCOLS][32], real[IPC_OBJ_MAX_STR];
	const char *c[TCOLS] = { "", real };

	snprintf(real, sizeof(real), "%s", r->real);
	c[2] = r->stub ? "" : tweight(r->o->weight, b[2], sizeof(b[2]));
	tcounters(r->stub ? NULL : r->o, "", 1, b, c);
	trow(w, c);
}

static void
write_rs(struct w *w, const struct rsref *r)
{
	FILE *fp = w->fp;
	const struct state_obj *o = r->o;
	int first = 1;

	if (w->table) {
		table_rs(w, r);
		return;
	}
	putc_unlocked('{', fp);
	if (r->stub) {
		/* state_json.c's override_stub(), the fields show ipvs
		 * reads */
		int added = (o->flags & IPC_OBJ_ADDED) != 0;

		jkey(fp, &first, "name", 4);
		jstr(fp, o->name, strlen(o->name));
		jkey(fp, &first, "real", 4);
		jstr(fp, r->real, strlen(r->real));
		jkey(fp, &first, "virtual_server", 14);
		jstr(fp, r->vs, r->vslen);
		fprintf(fp, ",\"state\":\"%s\",\"weight\":null,"
		    "\"in_table\":false,\"runtime\":%s}", added ?
		    "not started" : "removed", added ? "true" : "false");
		return;
	}
	attrs(fp, &first, o->attrs, 1);
	jkey(fp, &first, "weight", 6);
	jweight(fp, o->weight);
	fprintf(fp, ",\"in_table\":%s", o->weight != IPC_OBJ_NO_WEIGHT ?
	    "true" : "false");
	/* its name and virtual_server are the enclosing virtual server's
	 * name and real: left out (a fifth of a large reply) */
	fputs(",\"real\":", fp);
	jstr(fp, r->real, strlen(r->real));
	fputs(",\"state\":", fp);
	jstr(fp, o->state, strlen(o->state));
	putc_unlocked('}', fp);
}

/* Like strcmp() of the two virtual servers' names. */
static int
vs_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	return c != 0 ? c : alen < blen ? -1 : alen > blen;
}

static int
ref_cmp(const void *a, const void *b)
{
	const struct rsref *x = a, *y = b;
	int c = vs_cmp(x->vs, x->vslen, y->vs, y->vslen);

	return c != 0 ? c : x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The first of the group of real servers of virtual server vs, or nrs. */
static size_t
group_of(const struct w *w, const char *vs, size_t vslen)
{
	size_t lo = 0, hi = w->nrs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (vs_cmp(w->rs[mid].vs, w->rs[mid].vslen, vs, vslen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < w->nrs && vs_cmp(w->rs[lo].vs, w->rs[lo].vslen, vs,
	    vslen) == 0 ? lo : w->nrs;
}

/* Virtual server vs (vslen bytes) with its real servers (once). */
static void
write_vs(struct w *w, const char *vs, size_t vslen)
{
	FILE *fp = w->fp;
	const struct state_obj *o;
	size_t g = group_of(w, vs, vslen);
	char vsname[IPC_OBJ_MAX_STR];
	int first = 1;

	snprintf(vsname, sizeof(vsname), "%.*s", (int)vslen, vs);
	if (g < w->nrs) {
		if (w->done[g])
			return;
		w->done[g] = 1;
	}
	if (w->table) {
		o = state_find(w->st, "virtual_server", vsname);
		w->nvs++;
		table_vs(w, vsname, o);
		for (size_t i = g; i < w->nrs && vs_cmp(w->rs[i].vs,
		    w->rs[i].vslen, vs, vslen) == 0; i++)
			write_rs(w, &w->rs[i]);
		table_sorry(w, o);
		return;
	}
	if (w->nvs++ > 0)
		putc_unlocked(',', fp);
	putc_unlocked('{', fp);
	if ((o = state_find(w->st, "virtual_server", vsname)) != NULL) {
		attrs(fp, &first, o->attrs, 0);
		jkey(fp, &first, "weight_sum", 10);
		jweight(fp, o->weight);
		fputs(",\"name\":", fp);
		jstr(fp, o->name, strlen(o->name));
		fputs(",\"state\":", fp);
		jstr(fp, o->state, strlen(o->state));
	} else {
		jkey(fp, &first, "name", 4);
		jstr(fp, vsname, strlen(vsname));
		fputs(",\"state\":\"unknown\",\"weight_sum\":null", fp);
	}
	fputs(",\"real_servers\":[", fp);
	for (size_t i = g; i < w->nrs && vs_cmp(w->rs[i].vs, w->rs[i].vslen,
	    vs, vslen) == 0; i++) {
		if (i > g)
			putc_unlocked(',', fp);
		write_rs(w, &w->rs[i]);
	}
	fputs("]}", fp);
}

/* "VS / [addr]:port" (the last " / ": a group's name may hold one), as
 * objname_rs_split() splits it. */
static int
split(const struct state_obj *o, struct rsref *r)
{
	const char *sep = strstr(o->name, " / "), *next;

	if (sep == NULL)
		return -1;
	while ((next = strstr(sep + 1, " / ")) != NULL)
		sep = next;
	r->vs = o->name;
	r->vslen = (size_t)(sep - o->name);
	r->real = sep + 3;
	r->o = o;
	return 0;
}

static int
rs_wanted(const struct rsref *r, const char *name, const char *name_real)
{
	char vs[IPC_OBJ_MAX_STR];

	if (name == NULL)
		return 1;
	snprintf(vs, sizeof(vs), "%.*s", (int)r->vslen, r->vs);
	if (objname_vs_match(vs, name))
		return 1;
	return name_real[0] != '\0' && strcmp(r->real, name_real) == 0;
}

/* One store's virtual servers, as add_checks() orders them: by the first
 * object naming each. -1 when out of memory. */
static int
write_store(struct w *w, const char *name)
{
	const struct state_store *st = w->st;
	char name_real[OBJNAME_REAL_MAX] = "";
	size_t cap = st->objs.n + st->overrides.n, n = 0;

	if (name != NULL && objname_real(name, name_real,
	    sizeof(name_real)) < 0)
		name_real[0] = '\0';
	w->rs = calloc(cap > 0 ? cap : 1, sizeof(*w->rs));
	w->done = calloc(cap > 0 ? cap : 1, 1);
	if (w->rs == NULL || w->done == NULL)
		return -1;
	for (size_t i = 0; i < st->objs.n; i++) {
		const struct state_obj *o = st->objs.v[i];
		struct rsref *r = &w->rs[n];

		if (strcmp(o->kind, "real_server") != 0 || split(o, r) < 0 ||
		    !rs_wanted(r, name, name_real))
			continue;
		r->seq = n++;
	}
	for (size_t i = 0; i < st->overrides.n; i++) {
		const struct state_obj *ov = st->overrides.v[i];
		struct rsref *r = &w->rs[n];

		if (!(ov->flags & (IPC_OBJ_ADDED | IPC_OBJ_REMOVED)) ||
		    strcmp(ov->kind, "real_server") != 0 ||
		    state_find(st, ov->kind, ov->name) != NULL ||
		    split(ov, r) < 0 || !rs_wanted(r, name, name_real))
			continue;
		r->stub = 1;
		r->seq = n++;
	}
	w->nrs = n;
	qsort(w->rs, n, sizeof(*w->rs), ref_cmp);
	for (size_t i = 0; i < st->objs.n; i++) {
		const struct state_obj *o = st->objs.v[i];
		struct rsref r;

		if (strcmp(o->kind, "virtual_server") == 0) {
			if (name == NULL || objname_vs_match(o->name, name))
				write_vs(w, o->name, strlen(o->name));
		} else if (strcmp(o->kind, "real_server") == 0 &&
		    split(o, &r) == 0 && rs_wanted(&r, name, name_real))
			write_vs(w, r.vs, r.vslen);
	}
	/* virtual servers only the overrides name */
	for (size_t i = 0; i < n; i++)
		if (w->rs[i].stub)
			write_vs(w, w->rs[i].vs, w->rs[i].vslen);
	return 0;
}

/* Every child's store in turn (the checker's holds the services). */
static int
write_slots(struct w *w, const struct supervisor *sv, const char *name)
{
	int rc = 0;

	for (unsigned i = 0; rc == 0 && i < sv->nslots; i++) {
		w->st = &sv->slots[i].st;
		rc = write_store(w, name);
		free(w->rs);
		free(w->done);
		w->rs = NULL;
		w->done = NULL;
	}
	return rc;
}

int
state_json_ipvs_write(FILE *fp, const struct supervisor *sv,
    const char *name, unsigned *nvs)
{
	struct w w = { .fp = fp };
	int rc = 0;

	flockfile(fp);
	fprintf(fp, "{\"version\":%d,\"generation\":%u,\"virtual_servers\":[",
	    STATE_JSON_VERSION, (unsigned)sv->cfg->generation);
	rc = write_slots(&w, sv, name);
	fputs("]}", fp);
	funlockfile(fp);
	*nvs = w.nvs;
	return rc < 0 || ferror(fp) ? -1 : 0;
}

int
state_ipvs_table_write(FILE *fp, const struct supervisor *sv,
    const char *name, unsigned *nvs)
{
	struct w w = { .fp = fp, .table = 1 };
	int rc = 0;

	for (size_t i = 0; i < TCOLS; i++)
		w.width[i] = strlen(thead[i]);
	flockfile(fp);
	for (w.pass = 0; rc == 0 && w.pass < 2; w.pass++) {
		if (w.pass == 1) {
			if (w.nvs == 0)
				break;
			trow(&w, thead);
		}
		w.nvs = 0;
		rc = write_slots(&w, sv, name);
	}
	if (w.nvs == 0)
		fputs("no virtual server\n", fp);
	else
		fputs("(counters come from the kernel's IPVS table; \"-\" until "
		    "the checker child has read them)\n", fp);
	funlockfile(fp);
	*nvs = w.nvs;
	return rc < 0 || ferror(fp) ? -1 : 0;
}
