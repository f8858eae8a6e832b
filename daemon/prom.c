/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The state store as Prometheus / OpenMetrics text (see prom.h). Each
 * metric family is written whole (its samples together, as both formats
 * require) by one pass over the stores. A value the record does not carry
 * (an attr a child does not send) is left out, never made up.
 */
#include "prom.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ipc_msg.h"
#include "state.h"

enum ptype { P_GAUGE, P_COUNTER, P_HIST, P_INFO };

struct pw {
	FILE *fp;
	int om;			/* OpenMetrics */
	const struct prom_view *v;
};

struct lbl {
	const char *k, *v;
};

#define NLBL 6

/* ---- the format ----------------------------------------------------------- */

int
prom_wants_openmetrics(const char *accept)
{
	return accept != NULL &&
	    strstr(accept, "application/openmetrics-text") != NULL;
}

void
prom_label_value(FILE *fp, const char *s)
{
	while (*s != '\0') {
		size_t n = strcspn(s, "\\\"\n");

		fwrite(s, 1, n, fp);
		s += n;
		if (*s == '\0')
			break;
		fputs(*s == '\\' ? "\\\\" : *s == '"' ? "\\\"" : "\\n", fp);
		s++;
	}
}

static const char *
type_name(const struct pw *w, enum ptype t)
{
	switch (t) {
	case P_COUNTER:
		return "counter";
	case P_HIST:
		return "histogram";
	case P_INFO:
		return w->om ? "info" : "gauge";
	default:
		return "gauge";
	}
}

/* What a sample adds to the family name: counters end in _total; an info
 * family is named without _info in OpenMetrics, with it in Prometheus'. */
static const char *
sample_suffix(const struct pw *w, enum ptype t)
{
	(void)w;
	if (t == P_COUNTER)
		return "_total";
	if (t == P_INFO)
		return "_info";
	return "";
}

static const char *
family_suffix(const struct pw *w, enum ptype t)
{
	return w->om ? "" : sample_suffix(w, t);
}

static const char *
unit_of(const char *name)
{
	size_t n = strlen(name);

	if (n > 8 && strcmp(name + n - 8, "_seconds") == 0)
		return "seconds";
	if (n > 6 && strcmp(name + n - 6, "_bytes") == 0)
		return "bytes";
	return NULL;
}

static void
family(struct pw *w, const char *name, enum ptype t, const char *help)
{
	const char *sfx = family_suffix(w, t), *unit = unit_of(name);

	fprintf(w->fp, "# HELP %s%s %s\n", name, sfx, help);
	fprintf(w->fp, "# TYPE %s%s %s\n", name, sfx, type_name(w, t));
	if (w->om && unit != NULL)
		fprintf(w->fp, "# UNIT %s %s\n", name, unit);
}

static void
sample(struct pw *w, const char *name, const char *sfx, const struct lbl *l,
    const char *value)
{
	fprintf(w->fp, "%s%s", name, sfx);
	for (int i = 0; i < NLBL && l != NULL && l[i].k != NULL; i++) {
		fprintf(w->fp, "%c%s=\"", i == 0 ? '{' : ',', l[i].k);
		prom_label_value(w->fp, l[i].v);
		fputc('"', w->fp);
		if (i + 1 == NLBL || l[i + 1].k == NULL)
			fputc('}', w->fp);
	}
	fprintf(w->fp, " %s\n", value);
}

static void
sample_u64(struct pw *w, const char *name, enum ptype t, const struct lbl *l,
    uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	sample(w, name, sample_suffix(w, t), l, buf);
}

static void
sample_dbl(struct pw *w, const char *name, enum ptype t, const struct lbl *l,
    double v)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "%.9g", v);
	sample(w, name, sample_suffix(w, t), l, buf);
}

/* ---- attrs ---------------------------------------------------------------- */

/* An attr as a number: 1, 0 if absent or not a number. */
static int
attr_num(const struct state_obj *o, const char *key, double *out)
{
	char buf[64], *end;

	if (!ipc_attrs_get(o->attrs, key, buf, sizeof(buf)) || buf[0] == '\0')
		return 0;
	errno = 0;
	*out = strtod(buf, &end);
	return errno == 0 && *end == '\0';
}

static int
attr_u64(const struct state_obj *o, const char *key, uint64_t *out)
{
	char buf[32], *end;
	unsigned long long v;

	if (!ipc_attrs_get(o->attrs, key, buf, sizeof(buf)) ||
	    buf[0] < '0' || buf[0] > '9')
		return 0;
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno != 0 || *end != '\0')
		return 0;
	*out = v;
	return 1;
}

/* ---- walking the stores --------------------------------------------------- */

typedef void obj_fn(struct pw *w, const struct state_obj *o, void *arg);

static void
each(struct pw *w, const char *kind, obj_fn *fn, void *arg)
{
	for (unsigned c = 0; c < w->v->nchildren; c++) {
		const struct state_store *st = w->v->children[c].st;

		for (size_t i = 0; st != NULL && i < st->objs.n; i++)
			if (strcmp(st->objs.v[i]->kind, kind) == 0)
				fn(w, st->objs.v[i], arg);
	}
}

/* The labels naming an object of its kind. A real server is named
 * "VS / [addr]:port": both halves are labels. */
static void
obj_labels(const struct state_obj *o, struct lbl *l, char *buf, size_t len)
{
	const char *sep;

	memset(l, 0, sizeof(*l) * NLBL);
	if (strcmp(o->kind, "vrrp_instance") == 0) {
		l[0] = (struct lbl){ "instance", o->name };
	} else if (strcmp(o->kind, "vrrp_sync_group") == 0) {
		l[0] = (struct lbl){ "group", o->name };
	} else if (strcmp(o->kind, "virtual_server") == 0) {
		l[0] = (struct lbl){ "virtual_server", o->name };
	} else if (strcmp(o->kind, "real_server") == 0 &&
	    (sep = strstr(o->name, " / ")) != NULL) {
		const char *next;

		while ((next = strstr(sep + 3, " / ")) != NULL)
			sep = next;
		snprintf(buf, len, "%.*s", (int)(sep - o->name), o->name);
		l[0] = (struct lbl){ "virtual_server", buf };
		l[1] = (struct lbl){ "real_server", sep + 3 };
	} else {
		l[0] = (struct lbl){ "name", o->name };
	}
}

static void
add_label(struct lbl *l, const char *k, const char *v)
{
	for (int i = 0; i < NLBL; i++)
		if (l[i].k == NULL) {
			l[i] = (struct lbl){ k, v };
			return;
		}
}

/* ---- families from attrs -------------------------------------------------- */

struct attr_family {
	const char *kind, *key, *name;
	enum ptype type;
	double scale;		/* 0: the integer as it is */
	const char *help;
	const char *olabel;	/* an attr of the object as a label too */
};

static const struct attr_family attr_families[] = {
	{ "vrrp_instance", "priority", "vigil_vrrp_instance_priority", P_GAUGE,
	    0, "Configured VRRP priority.", NULL },
	{ "vrrp_instance", "master_priority",
	    "vigil_vrrp_instance_master_priority", P_GAUGE, 0,
	    "Priority in the current master's last advert.", NULL },
	{ "vrrp_instance", "advert_int_ms",
	    "vigil_vrrp_instance_advert_interval_seconds", P_GAUGE, 1e-3,
	    "Configured advert interval.", NULL },
	{ "vrrp_instance", "vips_present", "vigil_vrrp_instance_vips_present",
	    P_GAUGE, 0, "Virtual addresses of the instance on the interface "
	    "now.", NULL },
	{ "vrrp_instance", "forced_backup",
	    "vigil_vrrp_instance_forced_backup", P_GAUGE, 0,
	    "1 while vigilctl vrrp force-backup holds the instance.", NULL },
	{ "vrrp_instance", "transitions", "vigil_vrrp_instance_transitions",
	    P_COUNTER, 0, "VRRP state changes.", NULL },
	{ "vrrp_instance", "became_master",
	    "vigil_vrrp_instance_became_master", P_COUNTER, 0,
	    "Transitions into MASTER.", NULL },
	{ "vrrp_instance", "adverts_sent", "vigil_vrrp_instance_adverts_sent",
	    P_COUNTER, 0, "VRRP adverts sent.", NULL },
	{ "vrrp_instance", "adverts_received",
	    "vigil_vrrp_instance_adverts_received", P_COUNTER, 0,
	    "VRRP adverts received and accepted.", NULL },
	{ "vrrp_instance", "priority_zero_sent",
	    "vigil_vrrp_instance_priority_zero_sent", P_COUNTER, 0,
	    "Adverts with priority 0 sent.", NULL },
	{ "vrrp_instance", "priority_zero_received",
	    "vigil_vrrp_instance_priority_zero_received", P_COUNTER, 0,
	    "Adverts with priority 0 received.", NULL },
	{ "vrrp_instance", "auth_failures", "vigil_vrrp_instance_auth_failures",
	    P_COUNTER, 0, "Adverts failing authentication.", NULL },
	{ "virtual_server", "real_servers", "vigil_virtual_server_real_servers",
	    P_GAUGE, 0, "Real servers configured in the virtual server.", NULL },
	{ "virtual_server", "sorry_active",
	    "vigil_virtual_server_sorry_server_active", P_GAUGE, 0,
	    "1 when the sorry server is in the table.", NULL },
	{ "virtual_server", "ha_suspended",
	    "vigil_virtual_server_checks_suspended", P_GAUGE, 0,
	    "1 while checks are suspended (ha_suspend).", NULL },
	{ "virtual_server", "ipvs_connections",
	    "vigil_virtual_server_ipvs_connections", P_COUNTER, 0,
	    "Connections the kernel scheduled to the service.", NULL },
	{ "real_server", "weight", "vigil_real_server_configured_weight",
	    P_GAUGE, 0, "Weight as configured (or set at run time).", NULL },
	{ "real_server", "last_latency_us",
	    "vigil_real_server_last_check_latency_seconds", P_GAUGE, 1e-6,
	    "Latency of the last check.", NULL },
	{ "real_server", "checks", "vigil_real_server_checks", P_COUNTER, 0,
	    "Checks run.", NULL },
	{ "real_server", "drained", "vigil_real_server_drained", P_GAUGE, 0,
	    "1 while drained at run time.", NULL },
	{ "real_server", "ipvs_connections",
	    "vigil_real_server_ipvs_connections", P_COUNTER, 0,
	    "Connections the kernel scheduled to the destination.", NULL },
	{ "real_server", "ipvs_active_connections",
	    "vigil_real_server_ipvs_active_connections", P_GAUGE, 0,
	    "Active connections of the destination.", NULL },
	{ "real_server", "ipvs_inactive_connections",
	    "vigil_real_server_ipvs_inactive_connections", P_GAUGE, 0,
	    "Inactive connections of the destination.", NULL },
	{ "real_server", "ipvs_persistent_connections",
	    "vigil_real_server_ipvs_persistent_connections", P_GAUGE, 0,
	    "Persistence templates of the destination.", NULL },
	/* the sorry server: a destination of its virtual server's service */
	{ "virtual_server", "sorry_ipvs_connections",
	    "vigil_sorry_server_ipvs_connections", P_COUNTER, 0,
	    "Connections the kernel scheduled to the sorry server.",
	    "sorry_server" },
	{ "virtual_server", "sorry_ipvs_active_connections",
	    "vigil_sorry_server_ipvs_active_connections", P_GAUGE, 0,
	    "Active connections of the sorry server.", "sorry_server" },
	{ "virtual_server", "sorry_ipvs_inactive_connections",
	    "vigil_sorry_server_ipvs_inactive_connections", P_GAUGE, 0,
	    "Inactive connections of the sorry server.", "sorry_server" },
	{ "virtual_server", "sorry_ipvs_persistent_connections",
	    "vigil_sorry_server_ipvs_persistent_connections", P_GAUGE, 0,
	    "Persistence templates of the sorry server.", "sorry_server" },
};

struct fam_state {
	const struct attr_family *f;
	const char *key;
	const char *label;	/* extra label, for prefix and pair families */
	const char *lvalue;
	int seen;		/* the family header is out */
};

static void
fam_header(struct pw *w, struct fam_state *fs, const char *name,
    enum ptype t, const char *help)
{
	if (!fs->seen)
		family(w, name, t, help);
	fs->seen = 1;
}

static void
attr_one(struct pw *w, const struct state_obj *o, void *arg)
{
	struct fam_state *fs = arg;
	const struct attr_family *f = fs->f;
	struct lbl l[NLBL];
	char buf[512];
	uint64_t u;
	double d;

	char ov[256];

	obj_labels(o, l, buf, sizeof(buf));
	if (fs->label != NULL)
		add_label(l, fs->label, fs->lvalue);
	if (f->olabel != NULL) {
		if (!ipc_attrs_get(o->attrs, f->olabel, ov, sizeof(ov)))
			return;
		add_label(l, f->olabel, ov);
	}
	if (f->scale == 0 && attr_u64(o, fs->key, &u)) {
		fam_header(w, fs, f->name, f->type, f->help);
		sample_u64(w, f->name, f->type, l, u);
	} else if (f->scale != 0 && attr_num(o, fs->key, &d)) {
		fam_header(w, fs, f->name, f->type, f->help);
		sample_dbl(w, f->name, f->type, l, d * f->scale);
	}
}

static void
attr_family(struct pw *w, const struct attr_family *f)
{
	struct fam_state fs = { .f = f, .key = f->key };

	each(w, f->kind, attr_one, &fs);
}

/* The same counter split by a label: key_in / key_out, or key_* by the
 * rest of the key (drops_<reason>, failures_<reason>). */
struct split_family {
	const char *kind, *prefix, *name, *label, *help;
	enum ptype type;
	const char *const *values;	/* NULL: every key with the prefix */
	const char *olabel;		/* an attr of the object as a label */
};

static const char *const dir_values[] = { "in", "out", NULL };

static const struct split_family split_families[] = {
	{ "vrrp_instance", "drops_", "vigil_vrrp_instance_drops", "reason",
	    "Received VRRP packets dropped, by reason.", P_COUNTER, NULL, NULL },
	{ "virtual_server", "ipvs_packets_", "vigil_virtual_server_ipvs_packets",
	    "direction", "Packets of the service, by direction.", P_COUNTER,
	    dir_values, NULL },
	{ "virtual_server", "ipvs_bytes_", "vigil_virtual_server_ipvs_bytes",
	    "direction", "Bytes of the service, by direction.", P_COUNTER,
	    dir_values, NULL },
	{ "real_server", "failures_", "vigil_real_server_failures", "reason",
	    "Failed checks, by reason.", P_COUNTER, NULL, NULL },
	{ "real_server", "ipvs_packets_", "vigil_real_server_ipvs_packets",
	    "direction", "Packets of the destination, by direction.",
	    P_COUNTER, dir_values, NULL },
	{ "real_server", "ipvs_bytes_", "vigil_real_server_ipvs_bytes",
	    "direction", "Bytes of the destination, by direction.", P_COUNTER,
	    dir_values, NULL },
	{ "virtual_server", "sorry_ipvs_packets_",
	    "vigil_sorry_server_ipvs_packets", "direction",
	    "Packets of the sorry server, by direction.", P_COUNTER,
	    dir_values, "sorry_server" },
	{ "virtual_server", "sorry_ipvs_bytes_", "vigil_sorry_server_ipvs_bytes",
	    "direction", "Bytes of the sorry server, by direction.", P_COUNTER,
	    dir_values, "sorry_server" },
};

struct split_state {
	const struct split_family *sf;
	int seen;
};

static void
split_one(struct pw *w, const struct state_obj *o, void *arg)
{
	struct split_state *ss = arg;
	const struct split_family *sf = ss->sf;
	size_t plen = strlen(sf->prefix), klen, vlen;
	const char *p = o->attrs, *k, *val;
	char key[64], value[32], reason[64], buf[512], ov[256];
	struct lbl l[NLBL];

	if (sf->olabel != NULL && !ipc_attrs_get(o->attrs, sf->olabel, ov,
	    sizeof(ov)))
		return;
	while (ipc_attrs_next(&p, &k, &klen, &val, &vlen)) {
		unsigned long long u;
		char *end;
		int ok = 0;

		if (klen <= plen || klen >= sizeof(key) || vlen == 0 ||
		    vlen >= sizeof(value) || strncmp(k, sf->prefix, plen) != 0)
			continue;
		memcpy(key, k, klen);
		key[klen] = '\0';
		memcpy(value, val, vlen);
		value[vlen] = '\0';
		snprintf(reason, sizeof(reason), "%s", key + plen);
		for (const char *const *v = sf->values; v != NULL && *v != NULL;
		    v++)
			ok |= strcmp(*v, reason) == 0;
		if (sf->values != NULL && !ok)
			continue;
		errno = 0;
		u = strtoull(value, &end, 10);
		if (errno != 0 || *end != '\0' || value[0] < '0' ||
		    value[0] > '9')
			continue;
		if (!ss->seen)
			family(w, sf->name, sf->type, sf->help);
		ss->seen = 1;
		obj_labels(o, l, buf, sizeof(buf));
		if (sf->olabel != NULL)
			add_label(l, sf->olabel, ov);
		add_label(l, sf->label, reason);
		sample_u64(w, sf->name, sf->type, l, u);
	}
}

/* ---- families from the records -------------------------------------------- */

static const char *const vrrp_states[] = { "INIT", "BACKUP", "MASTER",
    "FAULT", "STOP", NULL };

static void
state_one(struct pw *w, const struct state_obj *o, void *arg)
{
	const char *name = arg;
	struct lbl l[NLBL];
	char buf[512];

	for (const char *const *s = vrrp_states; *s != NULL; s++) {
		obj_labels(o, l, buf, sizeof(buf));
		add_label(l, "state", *s);
		sample(w, name, "", l, strcmp(o->state, *s) == 0 ? "1" : "0");
	}
}

static void
info_one(struct pw *w, const struct state_obj *o, void *arg)
{
	static const char *const keys[] = { "interface", "vrid", "version",
	    "family" };
	char vals[4][64], buf[512];
	struct lbl l[NLBL];

	(void)arg;
	obj_labels(o, l, buf, sizeof(buf));
	for (int i = 0; i < 4; i++)
		if (ipc_attrs_get(o->attrs, keys[i], vals[i], sizeof(vals[i])))
			add_label(l, keys[i], vals[i]);
	sample(w, "vigil_vrrp_instance", sample_suffix(w, P_INFO), l, "1");
}

static void
eff_prio_one(struct pw *w, const struct state_obj *o, void *arg)
{
	struct lbl l[NLBL];
	char buf[512];
	uint64_t u;

	(void)arg;
	obj_labels(o, l, buf, sizeof(buf));
	if (attr_u64(o, "effective_priority", &u))
		sample_u64(w, "vigil_vrrp_instance_effective_priority", P_GAUGE,
		    l, u);
	else if (o->weight != IPC_OBJ_NO_WEIGHT && o->weight >= 0)
		sample_u64(w, "vigil_vrrp_instance_effective_priority", P_GAUGE,
		    l, (uint64_t)o->weight);
}

static void
since_one(struct pw *w, const struct state_obj *o, void *arg)
{
	struct lbl l[NLBL];
	char buf[512];

	if (o->since == 0)
		return;
	obj_labels(o, l, buf, sizeof(buf));
	sample_u64(w, arg, P_GAUGE, l, o->since);
}

/* 1 when the record's state is `up`; "" names the attr that says so. */
struct up_arg {
	const char *name, *attr;
};

static void
up_one(struct pw *w, const struct state_obj *o, void *arg)
{
	const struct up_arg *ua = arg;
	struct lbl l[NLBL];
	char buf[512];
	uint64_t u;

	obj_labels(o, l, buf, sizeof(buf));
	if (ua->attr != NULL && attr_u64(o, ua->attr, &u))
		sample_u64(w, ua->name, P_GAUGE, l, u != 0);
	else
		sample_u64(w, ua->name, P_GAUGE, l,
		    strcmp(o->state, "up") == 0);
}

static void
weight_one(struct pw *w, const struct state_obj *o, void *arg)
{
	struct lbl l[NLBL];
	char buf[512];

	obj_labels(o, l, buf, sizeof(buf));
	sample_dbl(w, arg, P_GAUGE, l, o->weight == IPC_OBJ_NO_WEIGHT ? 0 :
	    (double)o->weight);
}

/* Real servers up in each virtual server: the attr when the child sends
 * it, else counted from the real servers' records. */
static void
rs_up_count(struct pw *w, const struct state_obj *vs, void *arg)
{
	struct lbl l[NLBL];
	char buf[512];
	uint64_t n = 0;
	size_t plen = strlen(vs->name);

	(void)arg;
	if (!attr_u64(vs, "real_servers_up", &n)) {
		for (unsigned c = 0; c < w->v->nchildren; c++) {
			const struct state_store *st = w->v->children[c].st;

			if (st == NULL || state_find(st, vs->kind, vs->name) !=
			    vs)
				continue;
			/* a virtual server's real servers follow it */
			for (size_t i = vs->at + 1; i < st->objs.n; i++) {
				const struct state_obj *o = st->objs.v[i];

				if (strcmp(o->kind, "real_server") != 0 ||
				    strncmp(o->name, vs->name, plen) != 0 ||
				    strncmp(o->name + plen, " / ", 3) != 0)
					break;
				n += strcmp(o->state, "up") == 0;
			}
		}
	}
	obj_labels(vs, l, buf, sizeof(buf));
	sample_u64(w, "vigil_virtual_server_real_servers_up", P_GAUGE, l, n);
}

/* check_latency_buckets "le:count ..." ascending, cumulative, ending in
 * +Inf: the histogram, or nothing if the attr is malformed. */
#define HIST_MAX 32

static void
hist_one(struct pw *w, const struct state_obj *o, void *arg)
{
	static const char name[] = "vigil_virtual_server_check_latency_seconds";
	char attr[1024], les[HIST_MAX][32], *save = NULL, *tok, lbuf[512];
	char v[32];
	uint64_t counts[HIST_MAX], prev = 0;
	double sum = 0, prev_le = -1;
	struct lbl l[NLBL];
	int n = 0, inf = 0;

	(void)arg;
	if (!ipc_attrs_get(o->attrs, "check_latency_buckets", attr,
	    sizeof(attr)))
		return;
	for (tok = strtok_r(attr, " ", &save); tok != NULL && !inf;
	    tok = strtok_r(NULL, " ", &save)) {
		char *colon = strrchr(tok, ':'), *end;
		unsigned long long c;
		double le;

		if (colon == NULL || n == HIST_MAX)
			return;
		*colon = '\0';
		errno = 0;
		c = strtoull(colon + 1, &end, 10);
		if (errno != 0 || *end != '\0' || colon[1] < '0' ||
		    colon[1] > '9' || c < prev)
			return;
		if (strcmp(tok, "+Inf") == 0) {
			inf = 1;
		} else {
			le = strtod(tok, &end);
			if (*end != '\0' || le <= prev_le || le != le)
				return;
			prev_le = le;
		}
		snprintf(les[n], sizeof(les[n]), "%s", tok);
		counts[n++] = prev = c;
	}
	if (!inf || tok != NULL)
		return;
	if (!attr_num(o, "check_latency_sum_seconds", &sum) || sum < 0)
		sum = 0;
	obj_labels(o, l, lbuf, sizeof(lbuf));
	for (int i = 0; i < n; i++) {
		struct lbl lb[NLBL];

		memcpy(lb, l, sizeof(lb));
		add_label(lb, "le", les[i]);
		snprintf(v, sizeof(v), "%" PRIu64, counts[i]);
		sample(w, name, "_bucket", lb, v);
	}
	snprintf(v, sizeof(v), "%.9g", sum);
	sample(w, name, "_sum", l, v);
	snprintf(v, sizeof(v), "%" PRIu64, counts[n - 1]);
	sample(w, name, "_count", l, v);
}

static int
kind_has(const struct pw *w, const char *kind)
{
	for (unsigned c = 0; c < w->v->nchildren; c++) {
		const struct state_store *st = w->v->children[c].st;

		for (size_t i = 0; st != NULL && i < st->objs.n; i++)
			if (strcmp(st->objs.v[i]->kind, kind) == 0)
				return 1;
	}
	return 0;
}

static int
kind_has_attr(const struct pw *w, const char *kind, const char *key)
{
	char buf[8];

	for (unsigned c = 0; c < w->v->nchildren; c++) {
		const struct state_store *st = w->v->children[c].st;

		for (size_t i = 0; st != NULL && i < st->objs.n; i++)
			if (strcmp(st->objs.v[i]->kind, kind) == 0 &&
			    ipc_attrs_get(st->objs.v[i]->attrs, key, buf,
			    sizeof(buf)))
				return 1;
	}
	return 0;
}

/* ---- the parent ----------------------------------------------------------- */

static void
render_parent(struct pw *w)
{
	const struct prom_view *v = w->v;
	struct lbl l[NLBL] = { { "version", v->version != NULL ?
	    v->version : "unknown" } };

	family(w, "vigil_build", P_INFO, "vigild's version.");
	sample(w, "vigil_build", sample_suffix(w, P_INFO), l, "1");
	family(w, "vigil_start_time_seconds", P_GAUGE,
	    "When vigild started, seconds since the epoch.");
	sample_u64(w, "vigil_start_time_seconds", P_GAUGE, NULL,
	    (uint64_t)v->started);
	family(w, "vigil_config_generation", P_GAUGE,
	    "Configuration generation loaded (1 at start, +1 per reload).");
	sample_u64(w, "vigil_config_generation", P_GAUGE, NULL, v->generation);
	family(w, "vigil_reloads", P_COUNTER, "Reloads applied.");
	sample_u64(w, "vigil_reloads", P_COUNTER, NULL, v->reloads);
	family(w, "vigil_reloads_rejected", P_COUNTER,
	    "Reloads refused (the old configuration kept running).");
	sample_u64(w, "vigil_reloads_rejected", P_COUNTER, NULL,
	    v->reloads_rejected);

	family(w, "vigil_child_up", P_GAUGE, "1 while the child runs.");
	for (unsigned c = 0; c < v->nchildren; c++) {
		struct lbl cl[NLBL] = { { "child", v->children[c].name } };

		sample_u64(w, "vigil_child_up", P_GAUGE, cl,
		    v->children[c].running != 0);
	}
	family(w, "vigil_child_restarts", P_COUNTER,
	    "Times the child was started again after the first.");
	for (unsigned c = 0; c < v->nchildren; c++) {
		struct lbl cl[NLBL] = { { "child", v->children[c].name } };

		sample_u64(w, "vigil_child_restarts", P_COUNTER, cl,
		    v->children[c].restarts);
	}
	family(w, "vigil_child_config_generation", P_GAUGE,
	    "Configuration generation the child runs (0: none yet).");
	for (unsigned c = 0; c < v->nchildren; c++) {
		struct lbl cl[NLBL] = { { "child", v->children[c].name } };

		sample_u64(w, "vigil_child_config_generation", P_GAUGE, cl,
		    v->children[c].generation);
	}
	family(w, "vigil_http_requests", P_COUNTER,
	    "Requests served by the metrics listener.");
	sample_u64(w, "vigil_http_requests", P_COUNTER, NULL, v->http_requests);
	family(w, "vigil_http_connections_refused", P_COUNTER,
	    "Connections closed at once: too many open.");
	sample_u64(w, "vigil_http_connections_refused", P_COUNTER, NULL,
	    v->http_refused);
	family(w, "vigil_http_connections_expired", P_COUNTER,
	    "Connections closed for holding on too long.");
	sample_u64(w, "vigil_http_connections_expired", P_COUNTER, NULL,
	    v->http_expired);
}

/* ---- all of it ------------------------------------------------------------ */

static void
render_vrrp(struct pw *w)
{
	if (kind_has(w, "vrrp_instance")) {
		family(w, "vigil_vrrp_instance", P_INFO,
		    "A VRRP instance: interface, VRID, version, family.");
		each(w, "vrrp_instance", info_one, NULL);
		family(w, "vigil_vrrp_instance_state", P_GAUGE,
		    "1 for the state the VRRP instance is in.");
		each(w, "vrrp_instance", state_one,
		    (void *)"vigil_vrrp_instance_state");
		family(w, "vigil_vrrp_instance_effective_priority", P_GAUGE,
		    "Priority after tracking weights.");
		each(w, "vrrp_instance", eff_prio_one, NULL);
		family(w, "vigil_vrrp_instance_last_transition_timestamp_seconds",
		    P_GAUGE, "When the instance last changed state, seconds "
		    "since the epoch.");
		each(w, "vrrp_instance", since_one, (void *)
		    "vigil_vrrp_instance_last_transition_timestamp_seconds");
	}
	if (kind_has(w, "vrrp_sync_group")) {
		family(w, "vigil_vrrp_sync_group_state", P_GAUGE,
		    "1 for the state the sync group is in.");
		each(w, "vrrp_sync_group", state_one,
		    (void *)"vigil_vrrp_sync_group_state");
	}
}

static void
render_checks(struct pw *w)
{
	static const struct up_arg vs_up = { "vigil_virtual_server_quorum_up",
	    "quorum_up" }, rs_up = { "vigil_real_server_up", NULL };

	if (kind_has(w, "virtual_server")) {
		family(w, "vigil_virtual_server_quorum_up", P_GAUGE,
		    "1 when the virtual server's quorum is met.");
		each(w, "virtual_server", up_one, (void *)&vs_up);
		family(w, "vigil_virtual_server_real_servers_up", P_GAUGE,
		    "Real servers up: the active destinations.");
		each(w, "virtual_server", rs_up_count, NULL);
		family(w, "vigil_virtual_server_weight", P_GAUGE,
		    "Sum of the live weights of its real servers.");
		each(w, "virtual_server", weight_one,
		    (void *)"vigil_virtual_server_weight");
		if (kind_has_attr(w, "virtual_server",
		    "check_latency_buckets")) {
			family(w, "vigil_virtual_server_check_latency_seconds",
			    P_HIST, "Latency of the checks of its real "
			    "servers.");
			each(w, "virtual_server", hist_one, NULL);
		}
	}
	if (kind_has(w, "real_server")) {
		family(w, "vigil_real_server_up", P_GAUGE,
		    "1 when the real server's checks pass.");
		each(w, "real_server", up_one, (void *)&rs_up);
		family(w, "vigil_real_server_weight", P_GAUGE,
		    "Weight in the desired table (0 when out of it).");
		each(w, "real_server", weight_one,
		    (void *)"vigil_real_server_weight");
		family(w, "vigil_real_server_last_change_timestamp_seconds",
		    P_GAUGE, "When the real server last changed state, "
		    "seconds since the epoch.");
		each(w, "real_server", since_one, (void *)
		    "vigil_real_server_last_change_timestamp_seconds");
	}
}

int
prom_render(FILE *fp, const struct prom_view *v, int openmetrics)
{
	struct pw w = { .fp = fp, .om = openmetrics, .v = v };

	render_parent(&w);
	render_vrrp(&w);
	render_checks(&w);
	for (size_t i = 0; i < sizeof(attr_families) /
	    sizeof(attr_families[0]); i++)
		attr_family(&w, &attr_families[i]);
	for (size_t i = 0; i < sizeof(split_families) /
	    sizeof(split_families[0]); i++) {
		struct split_state ss = { .sf = &split_families[i] };

		each(&w, split_families[i].kind, split_one, &ss);
	}
	if (openmetrics)
		fputs("# EOF\n", fp);
	return ferror(fp) ? -1 : 0;
}
