/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vigilctl's tables: the JSON state (docs/json.md) as aligned columns.
 * Anything missing prints as "-"; nothing in the document is trusted to
 * have the type the schema says.
 */
#include "autoconfig.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vigilctl.h"

#define COLS_MAX 12

struct table {
	size_t ncols, nrows, cap;
	const char *head[COLS_MAX];
	size_t width[COLS_MAX];
	char **cells;		/* nrows * ncols */
};

static void
table_init(struct table *t, const char *const *head)
{
	memset(t, 0, sizeof(*t));
	for (; head[t->ncols] != NULL && t->ncols < COLS_MAX; t->ncols++) {
		t->head[t->ncols] = head[t->ncols];
		t->width[t->ncols] = strlen(head[t->ncols]);
	}
}

/* Columns a cell takes: UTF-8 continuation bytes take none (names from
 * configurations may hold any). */
static size_t
text_width(const char *s)
{
	size_t w = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

/* One row; cells are strings (copied). */
static void
table_row(struct table *t, const char *const *cells)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap > 0 ? t->cap * 2 : 16;
		char **c = realloc(t->cells, cap * t->ncols * sizeof(*c));

		if (c == NULL)
			return;
		t->cells = c;
		t->cap = cap;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		char *s = strdup(cells[i] != NULL && cells[i][0] != '\0' ?
		    cells[i] : "-");
		size_t w = s != NULL ? text_width(s) : 0;

		t->cells[t->nrows * t->ncols + i] = s;
		if (w > t->width[i])
			t->width[i] = w;
	}
	t->nrows++;
}

/* the last column unpadded */
static void
cell(FILE *fp, const struct table *t, size_t i, const char *s)
{
	if (s == NULL)
		s = "-";
	if (i + 1 < t->ncols)
		fprintf(fp, "%s%*s", s, (int)(t->width[i] - text_width(s) +
		    2), "");
	else
		fprintf(fp, "%s\n", s);
}

static void
table_print(FILE *fp, struct table *t, const char *indent)
{
	fputs(indent, fp);
	for (size_t i = 0; i < t->ncols; i++)
		cell(fp, t, i, t->head[i]);
	for (size_t r = 0; r < t->nrows; r++) {
		fputs(indent, fp);
		for (size_t i = 0; i < t->ncols; i++)
			cell(fp, t, i, t->cells[r * t->ncols + i]);
	}
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

/* ---- fields ---------------------------------------------------------------- */

/* Field key of o as text in buf ("" when absent or null). */
static const char *
fld(json_t *o, const char *key, char *buf, size_t len)
{
	json_t *v = json_object_get(o, key);

	buf[0] = '\0';
	if (json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, len, "%g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, len, "%s", json_is_true(v) ? "yes" : "no");
	else if (json_is_array(v)) {
		size_t i, off = 0;
		json_t *e;

		json_array_foreach(v, i, e) {
			int n;

			if (!json_is_string(e))
				continue;
			n = snprintf(buf + off, len - off, "%s%s",
			    off > 0 ? " " : "", json_string_value(e));
			if (n < 0 || (size_t)n >= len - off)
				break;
			off += (size_t)n;
		}
	}
	return buf;
}

static const char *
override_text(json_t *o, char *buf, size_t len)
{
	json_t *ov = json_object_get(o, "override");
	json_t *w = json_object_get(ov, "weight");
	json_t *p = json_object_get(ov, "priority");
	json_t *pre = json_object_get(ov, "preempt");

	buf[0] = '\0';
	if (!json_is_object(ov))
		return buf;
	snprintf(buf, len, "%s%s%s%s",
	    json_is_true(json_object_get(ov, "drained")) ? "drained " : "",
	    json_is_true(json_object_get(ov, "added")) ? "added " : "",
	    json_is_true(json_object_get(ov, "removed")) ? "removed " : "",
	    json_is_true(json_object_get(ov, "forced_backup")) ?
	    "forced-backup " : "");
	if (json_is_integer(w))
		snprintf(buf + strlen(buf), len - strlen(buf), "weight=%lld ",
		    (long long)json_integer_value(w));
	if (json_is_integer(p))
		snprintf(buf + strlen(buf), len - strlen(buf),
		    "priority=%lld ", (long long)json_integer_value(p));
	if (json_is_boolean(pre))
		snprintf(buf + strlen(buf), len - strlen(buf), "preempt=%s ",
		    json_is_true(pre) ? "on" : "off");
	if (buf[0] != '\0')
		buf[strlen(buf) - 1] = '\0';
	return buf;
}

static const char *
latency_text(json_t *o, char *buf, size_t len)
{
	json_t *v = json_object_get(o, "last_latency_us");

	buf[0] = '\0';
	if (json_is_integer(v))
		snprintf(buf, len, "%.1f ms", json_integer_value(v) / 1000.0);
	return buf;
}

static const char *
duration_text(long long s, char *buf, size_t len)
{
	if (s >= 86400)
		snprintf(buf, len, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(buf, len, "%lldh%02lldm", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(buf, len, "%lldm%02llds", s / 60, s % 60);
	else
		snprintf(buf, len, "%llds", s < 0 ? 0 : s);
	return buf;
}

/* An instance's interface, and the VRF it is in ("eth1 vrf blue"; "vrf
 * blue" for one without an interface). */
static const char *
iface_text(json_t *o, char *buf, size_t len)
{
	char vrf[64];

	fld(o, "interface", buf, len);
	if (*fld(o, "vrf", vrf, sizeof(vrf)) == '\0')
		return buf;
	snprintf(buf + strlen(buf), len - strlen(buf), "%svrf %s",
	    buf[0] != '\0' ? " " : "", vrf);
	return buf;
}

/* ---- sections -------------------------------------------------------------- */

/* The BFD child's sessions (status). */
static void
bfd_table(FILE *fp, json_t *doc)
{
	static const char *const head[] = { "BFD SESSION", "STATE",
	    "NEIGHBOR", "REMOTE", "DETECT US", "DETAIL", NULL };
	json_t *arr = json_object_get(doc, "bfd_sessions"), *o;
	struct table t;
	size_t i;

	table_init(&t, head);
	json_array_foreach(arr, i, o) {
		char b[COLS_MAX][512];
		const char *row[COLS_MAX];

		row[0] = fld(o, "name", b[0], sizeof(b[0]));
		row[1] = fld(o, "state", b[1], sizeof(b[1]));
		row[2] = fld(o, "neighbor", b[2], sizeof(b[2]));
		row[3] = fld(o, "remote_state", b[3], sizeof(b[3]));
		row[4] = fld(o, "detect_usec", b[4], sizeof(b[4]));
		row[5] = fld(o, "detail", b[5], sizeof(b[5]));
		table_row(&t, row);
	}
	table_print(fp, &t, "");
}

static void
vrrp_table(FILE *fp, json_t *doc, int wide)
{
	static const char *const head[] = { "INSTANCE", "STATE", "PRIO",
	    "EFF", "VRID", "INTERFACE", "MASTER", "VIPS", "OVERRIDE", NULL };
	static const char *const whead[] = { "INSTANCE", "STATE", "PRIO",
	    "EFF", "VRID", "INTERFACE", "SYNC GROUP", "TRANSITIONS",
	    "ADVERTS OUT", "ADVERTS IN", "DETAIL", NULL };
	json_t *arr = json_object_get(doc, "vrrp_instances"), *o;
	struct table t;
	size_t i;

	if (json_array_size(arr) == 0) {
		fprintf(fp, "no VRRP instance\n");
		return;
	}
	table_init(&t, wide ? whead : head);
	json_array_foreach(arr, i, o) {
		char b[COLS_MAX][512];
		const char *row[COLS_MAX];

		row[0] = fld(o, "name", b[0], sizeof(b[0]));
		row[1] = fld(o, "state", b[1], sizeof(b[1]));
		row[2] = fld(o, "priority", b[2], sizeof(b[2]));
		row[3] = fld(o, "effective_priority", b[3], sizeof(b[3]));
		row[4] = fld(o, "vrid", b[4], sizeof(b[4]));
		row[5] = iface_text(o, b[5], sizeof(b[5]));
		if (wide) {
			row[6] = fld(o, "sync_group", b[6], sizeof(b[6]));
			row[7] = fld(o, "transitions", b[7], sizeof(b[7]));
			row[8] = fld(o, "adverts_sent", b[8], sizeof(b[8]));
			row[9] = fld(o, "adverts_received", b[9],
			    sizeof(b[9]));
			row[10] = fld(o, "detail", b[10], sizeof(b[10]));
		} else {
			row[6] = fld(o, "master", b[6], sizeof(b[6]));
			row[7] = fld(o, "vips", b[7], sizeof(b[7]));
			row[8] = override_text(o, b[8], sizeof(b[8]));
		}
		table_row(&t, row);
	}
	table_print(fp, &t, "");
}

static void
vs_table(FILE *fp, json_t *vss, int filtered)
{
	static const char *const head[] = { "VIRTUAL SERVER", "STATE",
	    "REALS UP", "QUORUM", "WEIGHT", "DETAIL", NULL };
	struct table t;
	json_t *o;
	size_t i;

	table_init(&t, head);
	json_array_foreach(vss, i, o) {
		char b[COLS_MAX][512];
		const char *row[COLS_MAX];
		json_t *rss = json_object_get(o, "real_servers"), *r;
		json_t *nup = json_object_get(o, "real_servers_up");
		size_t j, up = 0, n = 0;

		/* the virtual server's own count (a reply about one real
		 * server lists only it); runtime-removed ones are no more */
		json_array_foreach(rss, j, r) {
			const char *st = json_string_value(json_object_get(r,
			    "state"));

			if (st != NULL && strcmp(st, "removed") == 0)
				continue;
			n++;
			if (st != NULL && strcmp(st, "up") == 0)
				up++;
		}
		if (filtered && json_is_integer(nup))
			snprintf(b[2], sizeof(b[2]), "%lld",
			    (long long)json_integer_value(nup));
		else
			snprintf(b[2], sizeof(b[2]), "%zu/%zu", up, n);
		row[0] = fld(o, "name", b[0], sizeof(b[0]));
		row[1] = fld(o, "state", b[1], sizeof(b[1]));
		row[2] = b[2];
		row[3] = fld(o, "quorum", b[3], sizeof(b[3]));
		row[4] = fld(o, "weight_sum", b[4], sizeof(b[4]));
		row[5] = fld(o, "detail", b[5], sizeof(b[5]));
		table_row(&t, row);
	}
	table_print(fp, &t, "");
}

static void
rs_table(FILE *fp, json_t *vss)
{
	static const char *const head[] = { "VIRTUAL SERVER", "REAL SERVER",
	    "STATE", "WEIGHT", "CONF", "LAST", "LATENCY", "REASON",
	    "OVERRIDE", NULL };
	struct table t;
	json_t *v, *o;
	size_t i, j;

	table_init(&t, head);
	json_array_foreach(vss, i, v) {
		json_array_foreach(json_object_get(v, "real_servers"), j, o) {
			char b[COLS_MAX][512];
			const char *row[COLS_MAX];

			row[0] = fld(v, "name", b[0], sizeof(b[0]));
			row[1] = fld(o, "real", b[1], sizeof(b[1]));
			row[2] = fld(o, "state", b[2], sizeof(b[2]));
			row[3] = fld(o, "weight", b[3], sizeof(b[3]));
			row[4] = fld(o, "configured_weight", b[4],
			    sizeof(b[4]));
			row[5] = fld(o, "last_result", b[5], sizeof(b[5]));
			row[6] = latency_text(o, b[6], sizeof(b[6]));
			row[7] = fld(o, "detail", b[7], sizeof(b[7]));
			row[8] = override_text(o, b[8], sizeof(b[8]));
			table_row(&t, row);
		}
	}
	table_print(fp, &t, "");
}

void
vigilctl_show_vrrp(FILE *fp, json_t *doc)
{
	vrrp_table(fp, doc, 1);
}

void
vigilctl_show_checks(FILE *fp, json_t *doc, int filtered)
{
	json_t *vss = json_object_get(doc, "virtual_servers");

	if (json_array_size(vss) == 0) {
		fprintf(fp, "no virtual server\n");
		return;
	}
	vs_table(fp, vss, filtered);
	fputc('\n', fp);
	rs_table(fp, vss);
}

/* The sorry server's row under its virtual server's real servers:
 * "sorry:ADDR:PORT", its weight in the table and its counters (the
 * sorry_ipvs_* fields; "-" while the kernel does not hold it). */
static void
sorry_row(struct table *t, json_t *v)
{
	static const char *const keys[] = { "connections",
	    "active_connections", "inactive_connections", "packets_in",
	    "packets_out", "bytes_in", "bytes_out" };
	char b[COLS_MAX][512], dest[520];
	const char *row[COLS_MAX];
	int in = json_object_get(v, "sorry_ipvs_connections") != NULL;

	if (!json_is_string(json_object_get(v, "sorry_server")))
		return;
	snprintf(dest, sizeof(dest), "sorry:%s", fld(v, "sorry_server", b[0],
	    sizeof(b[0])));
	row[0] = "";
	row[1] = dest;
	row[2] = !in ? "" : json_is_true(json_object_get(v, "sorry_active")) ?
	    "1" : "0";
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char key[64];

		snprintf(key, sizeof(key), "sorry_ipvs_%s", keys[i]);
		row[3 + i] = fld(v, key, b[3 + i], sizeof(b[3 + i]));
	}
	table_row(t, row);
}

void
vigilctl_show_ipvs(FILE *fp, json_t *doc)
{
	static const char *const head[] = { "SERVICE", "DESTINATION",
	    "WEIGHT", "CONNS", "ACTIVE", "INACTIVE", "PKTS IN", "PKTS OUT",
	    "BYTES IN", "BYTES OUT", NULL };
	json_t *vss = json_object_get(doc, "virtual_servers"), *v, *o;
	struct table t;
	size_t i, j;

	if (json_array_size(vss) == 0) {
		fprintf(fp, "no virtual server\n");
		return;
	}
	table_init(&t, head);
	json_array_foreach(vss, i, v) {
		char b[COLS_MAX][512];
		const char *row[COLS_MAX];

		row[0] = fld(v, "name", b[0], sizeof(b[0]));
		row[1] = "";
		row[2] = fld(v, "weight_sum", b[2], sizeof(b[2]));
		row[3] = fld(v, "ipvs_connections", b[3], sizeof(b[3]));
		row[4] = "";
		row[5] = "";
		row[6] = fld(v, "ipvs_packets_in", b[6], sizeof(b[6]));
		row[7] = fld(v, "ipvs_packets_out", b[7], sizeof(b[7]));
		row[8] = fld(v, "ipvs_bytes_in", b[8], sizeof(b[8]));
		row[9] = fld(v, "ipvs_bytes_out", b[9], sizeof(b[9]));
		table_row(&t, row);
		json_array_foreach(json_object_get(v, "real_servers"), j, o) {
			row[0] = "";
			row[1] = fld(o, "real", b[1], sizeof(b[1]));
			row[2] = fld(o, "weight", b[2], sizeof(b[2]));
			row[3] = fld(o, "ipvs_connections", b[3],
			    sizeof(b[3]));
			row[4] = fld(o, "ipvs_active_connections", b[4],
			    sizeof(b[4]));
			row[5] = fld(o, "ipvs_inactive_connections", b[5],
			    sizeof(b[5]));
			row[6] = fld(o, "ipvs_packets_in", b[6], sizeof(b[6]));
			row[7] = fld(o, "ipvs_packets_out", b[7],
			    sizeof(b[7]));
			row[8] = fld(o, "ipvs_bytes_in", b[8], sizeof(b[8]));
			row[9] = fld(o, "ipvs_bytes_out", b[9], sizeof(b[9]));
			table_row(&t, row);
		}
		sorry_row(&t, v);
	}
	table_print(fp, &t, "");
	fprintf(fp, "(counters come from the kernel's IPVS table; \"-\" until "
	    "the checker child has read them)\n");
}

void
vigilctl_show_status(FILE *fp, json_t *doc)
{
	json_t *d = json_object_get(doc, "daemon"), *o;
	json_t *vss = json_object_get(doc, "virtual_servers");
	char b[5][512];
	size_t i;

	if (json_is_object(d)) {
		fprintf(fp, "vigild pid %s, configuration generation %s, up %s, "
		    "reloads %s (%s rejected)\n", fld(d, "pid", b[0], 64),
		    fld(doc, "generation", b[1], 64),
		    duration_text(json_integer_value(json_object_get(d,
		    "uptime_seconds")), b[2], 64), fld(d, "reloads", b[3], 64),
		    fld(d, "reloads_rejected", b[4], 64));
		fprintf(fp, "configuration %s\n", fld(d, "config", b[0],
		    sizeof(b[0])));
	}
	json_array_foreach(json_object_get(doc, "children"), i, o) {
		fprintf(fp, "%s %s child", i == 0 ? "children:" : ",",
		    fld(o, "name", b[0], 64));
		fprintf(fp, " %s", fld(o, "state", b[1], 64));
		if (json_is_integer(json_object_get(o, "pid")))
			fprintf(fp, " (pid %s, generation %s, restarts %s)",
			    fld(o, "pid", b[2], 64), fld(o, "generation", b[3],
			    64), fld(o, "restarts", b[4], 64));
	}
	if (json_array_size(json_object_get(doc, "children")) > 0)
		fputc('\n', fp);
	fputc('\n', fp);
	if (json_array_size(json_object_get(doc, "vrrp_instances")) > 0) {
		vrrp_table(fp, doc, 0);
		fputc('\n', fp);
	}
	if (json_array_size(json_object_get(doc, "bfd_sessions")) > 0) {
		bfd_table(fp, doc);
		fputc('\n', fp);
	}
	if (json_array_size(vss) > 0) {
		vs_table(fp, vss, 0);
		fputc('\n', fp);
		rs_table(fp, vss);
	}
	if (json_array_size(json_object_get(doc, "vrrp_instances")) == 0 &&
	    json_array_size(vss) == 0)
		fprintf(fp, "no VRRP instance, no virtual server\n");
}
