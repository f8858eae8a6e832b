/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The state store as JSON. The schema is docs/json.md's; a field that
 * changes meaning or type bumps STATE_JSON_VERSION (new fields do not).
 */
#include "state_json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipc_msg.h"
#include "objname.h"
#include "state.h"
#include "subsys.h"
#include "supervisor_int.h"
#include "vconfig.h"

/* ---- typed attrs ---------------------------------------------------------- */

enum atype { A_STR, A_INT, A_REAL, A_BOOL, A_WORDS, A_COMMAS, A_HIST };

static const struct {
	const char *key;
	enum atype type;
} akeys[] = {
	/* vrrp_instance, vrrp_sync_group */
	{ "vrid", A_INT }, { "version", A_INT }, { "priority", A_INT },
	{ "effective_priority", A_INT }, { "master_priority", A_INT },
	{ "vips", A_WORDS }, { "vips_present", A_INT },
	{ "preempt", A_BOOL }, { "forced_backup", A_BOOL },
	{ "transitions", A_INT }, { "became_master", A_INT },
	{ "adverts_sent", A_INT }, { "adverts_received", A_INT },
	{ "adverts_send_failed", A_INT },
	{ "priority_zero_sent", A_INT }, { "priority_zero_received", A_INT },
	{ "auth_failures", A_INT }, { "members", A_WORDS },
	{ "new_master_reason", A_INT },
	/* virtual_server, real_server */
	{ "port", A_INT }, { "dest_port", A_INT }, { "fwmark", A_INT },
	{ "real_servers", A_INT },
	{ "real_servers_up", A_INT }, { "quorum", A_INT },
	{ "hysteresis", A_INT }, { "quorum_up", A_BOOL },
	{ "sorry_active", A_BOOL }, { "ha_suspended", A_BOOL },
	{ "check_latency_buckets", A_HIST },
	{ "check_latency_count", A_INT }, { "weight", A_INT },
	{ "checker", A_COMMAS }, { "checks", A_INT }, { "drained", A_BOOL },
	{ "set_weight", A_INT },
	{ "runtime", A_BOOL },
};

static const struct {
	const char *affix;
	int suffix;
	enum atype type;
} apatterns[] = {
	{ "drops_", 0, A_INT }, { "failures_", 0, A_INT },
	{ "ipvs_", 0, A_INT }, { "sorry_ipvs_", 0, A_INT }, { "_ms", 1, A_INT }, { "_us", 1, A_INT },
	{ "_seconds", 1, A_REAL },
};

static enum atype
attr_type(const char *key, size_t klen)
{
	for (size_t i = 0; i < sizeof(akeys) / sizeof(akeys[0]); i++)
		if (strlen(akeys[i].key) == klen &&
		    memcmp(akeys[i].key, key, klen) == 0)
			return akeys[i].type;
	for (size_t i = 0; i < sizeof(apatterns) / sizeof(apatterns[0]); i++) {
		size_t n = strlen(apatterns[i].affix);

		if (n > klen)
			continue;
		if (memcmp(apatterns[i].suffix ? key + klen - n : key,
		    apatterns[i].affix, n) == 0)
			return apatterns[i].type;
	}
	return A_STR;
}

static json_t *
parse_int(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return json_null();	/* a child's bad value: shown unknown */
	return json_integer(v);
}

static json_t *
parse_real(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0')
		return json_null();
	return json_real(v);
}

/* "a b c" (sep ' ') or "a,b" (sep ',') -> ["a","b","c"] */
static json_t *
split_list(const char *s, char sep)
{
	json_t *a = json_array();
	const char *p = s;

	while (a != NULL && *p != '\0') {
		const char *e;

		while (*p == sep || *p == ' ')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e != '\0' && *e != sep && *e != ' '; e++)
			;
		json_array_append_new(a, json_stringn(p, (size_t)(e - p)));
		p = e;
	}
	return a;
}

/* "0.005:3 0.01:7 +Inf:9" -> [{"le":0.005,"count":3}, ..., {"le":"+Inf",...}] */
static json_t *
split_hist(const char *s)
{
	json_t *a = json_array();
	const char *p = s;

	while (a != NULL && *p != '\0') {
		char le[32], cnt[32];
		const char *e, *colon;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e != '\0' && *e != ' '; e++)
			;
		colon = memchr(p, ':', (size_t)(e - p));
		if (colon != NULL && (size_t)(colon - p) < sizeof(le) &&
		    (size_t)(e - colon - 1) < sizeof(cnt)) {
			memcpy(le, p, (size_t)(colon - p));
			le[colon - p] = '\0';
			memcpy(cnt, colon + 1, (size_t)(e - colon - 1));
			cnt[e - colon - 1] = '\0';
			json_array_append_new(a, json_pack("{s:o,s:o}", "le",
			    strcmp(le, "+Inf") == 0 ? json_string("+Inf") :
			    parse_real(le), "count", parse_int(cnt)));
		}
		p = e;
	}
	return a;
}

/* The attrs show ipvs shows (STATE_JSON_IPVS). */
static int
ipvs_key(const char *k, size_t klen)
{
	static const char *const keep[] = { "protocol", "address", "port",
	    "dest_port", "fwmark", "group", "weight", "sorry_server",
	    "sorry_active" };

	if ((klen > 5 && memcmp(k, "ipvs_", 5) == 0) ||
	    (klen > 11 && memcmp(k, "sorry_ipvs_", 11) == 0))
		return 1;
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (strlen(keep[i]) == klen && memcmp(keep[i], k, klen) == 0)
			return 1;
	return 0;
}

static json_t *
attrs_json(const char *attrs, int slim)
{
	json_t *j = json_object();
	const char *p = attrs, *key, *val;
	size_t klen, vlen;

	while (j != NULL && ipc_attrs_next(&p, &key, &klen, &val, &vlen)) {
		char k[128], *v;
		json_t *x;

		if (klen == 0 || klen >= sizeof(k) ||
		    (slim && !ipvs_key(key, klen)))
			continue;
		memcpy(k, key, klen);
		k[klen] = '\0';
		if ((v = strndup(val, vlen)) == NULL)
			break;
		switch (attr_type(k, klen)) {
		case A_INT:
			x = parse_int(v);
			break;
		case A_REAL:
			x = parse_real(v);
			break;
		case A_BOOL:
			x = json_boolean(strcmp(v, "1") == 0 ||
			    strcmp(v, "true") == 0);
			break;
		case A_WORDS:
			x = split_list(v, ' ');
			break;
		case A_COMMAS:
			x = split_list(v, ',');
			break;
		case A_HIST:
			x = split_hist(v);
			break;
		default:
			x = json_string(v);
			break;
		}
		free(v);
		json_object_set_new(j, k, x);
	}
	return j;
}

json_t *
state_json_attrs(const char *attrs)
{
	return attrs_json(attrs, 0);
}

/* ---- objects --------------------------------------------------------------- */

static json_t *
weight_or_null(int32_t w)
{
	return w == IPC_OBJ_NO_WEIGHT ? json_null() : json_integer(w);
}

static json_t *
override_json(const struct state_obj *ov)
{
	int prio = (ov != NULL && (ov->flags & IPC_OBJ_PRIORITY)) != 0;

	if (ov == NULL)
		return json_null();
	/* a VRRP instance's runtime priority travels in weight */
	return json_pack("{s:b,s:o,s:b,s:b,s:b,s:o,s:o}",
	    "drained", (ov->flags & IPC_OBJ_DRAIN) != 0,
	    "weight", weight_or_null(prio ? IPC_OBJ_NO_WEIGHT : ov->weight),
	    "added", (ov->flags & IPC_OBJ_ADDED) != 0,
	    "removed", (ov->flags & IPC_OBJ_REMOVED) != 0,
	    "forced_backup", (ov->flags & IPC_OBJ_FORCED_BACKUP) != 0,
	    "priority", weight_or_null(prio ? ov->weight : IPC_OBJ_NO_WEIGHT),
	    "preempt", ov->flags & IPC_OBJ_PREEMPT_ON ? json_true() :
	    ov->flags & IPC_OBJ_PREEMPT_OFF ? json_false() : json_null());
}

/* slim (STATE_JSON_IPVS): the ipvs attrs, name, state and weights */
static json_t *
obj_json(const struct state_store *st, const struct state_obj *o, int slim)
{
	json_t *j = attrs_json(o->attrs, slim), *cw;

	if (j == NULL)
		return NULL;
	if (strcmp(o->kind, "real_server") == 0) {
		char vs[IPC_OBJ_MAX_STR], real[IPC_OBJ_MAX_STR];

		/* the configured weight is an attr; "weight" is the live one */
		if ((cw = json_object_get(j, "weight")) != NULL) {
			json_object_set(j, "configured_weight", cw);
			json_object_del(j, "weight");
		}
		json_object_set_new(j, "weight", weight_or_null(o->weight));
		json_object_set_new(j, "in_table",
		    json_boolean(o->weight != IPC_OBJ_NO_WEIGHT));
		if (objname_rs_split(o->name, vs, sizeof(vs), real,
		    sizeof(real)) == 0) {
			json_object_set_new(j, "virtual_server",
			    json_string(vs));
			json_object_set_new(j, "real", json_string(real));
		}
	} else if (strcmp(o->kind, "virtual_server") == 0) {
		json_object_set_new(j, "weight_sum", weight_or_null(o->weight));
	} else if (strcmp(o->kind, "vrrp_instance") == 0 &&
	    json_object_get(j, "effective_priority") == NULL &&
	    o->weight != IPC_OBJ_NO_WEIGHT) {
		json_object_set_new(j, "effective_priority",
		    json_integer(o->weight));
	}
	json_object_set_new(j, "name", json_string(o->name));
	json_object_set_new(j, "state", json_string(o->state));
	if (slim)
		return j;
	json_object_set_new(j, "detail", json_string(o->detail));
	json_object_set_new(j, "since", o->since != 0 ?
	    json_integer((json_int_t)o->since) : json_null());
	json_object_set_new(j, "generation", json_integer(o->generation));
	json_object_set_new(j, "override",
	    override_json(state_override_find(st, o->kind, o->name)));
	return j;
}

/* ---- the document ---------------------------------------------------------- */

json_t *
state_json_doc(uint32_t generation, unsigned sections)
{
	json_t *d = json_pack("{s:i,s:I}", "version", STATE_JSON_VERSION,
	    "generation", (json_int_t)generation);

	if (d == NULL)
		return NULL;
	if (sections & STATE_JSON_DAEMON) {
		json_object_set_new(d, "children", json_array());
		json_object_set_new(d, "bfd_sessions", json_array());
	}
	if (sections & STATE_JSON_VRRP) {
		json_object_set_new(d, "vrrp_instances", json_array());
		json_object_set_new(d, "vrrp_sync_groups", json_array());
	}
	if (sections & STATE_JSON_CHECKS)
		json_object_set_new(d, "virtual_servers", json_array());
	return d;
}

static int
vrrp_wanted(const struct state_obj *o, const char *name)
{
	char g[IPC_OBJ_MAX_STR];

	if (name == NULL || strcmp(o->name, name) == 0)
		return 1;
	return strcmp(o->kind, "vrrp_instance") == 0 &&
	    ipc_attrs_get(o->attrs, "sync_group", g, sizeof(g)) &&
	    strcmp(g, name) == 0;
}

/* The JSON of virtual server vsname in doc's index, made (as a stub if the
 * store does not hold it) and appended when first asked for. */
static json_t *
vs_entry(json_t *vss, json_t *index, const struct state_store *st,
    const char *vsname, int slim)
{
	json_t *v = json_object_get(index, vsname);
	const struct state_obj *o;

	if (v != NULL)
		return v;
	if ((o = state_find(st, "virtual_server", vsname)) != NULL)
		v = obj_json(st, o, slim);
	else
		v = json_pack("{s:s,s:s,s:s,s:n,s:n,s:n,s:n}", "name", vsname,
		    "state", "unknown", "detail", "", "since", "generation",
		    "weight_sum", "override");
	if (v == NULL)
		return NULL;
	json_object_set_new(v, "real_servers", json_array());
	json_array_append_new(vss, v);
	json_object_set(index, vsname, v);
	return v;
}

/* name as a filter of real servers: REAL ("[addr]:port") if it is one. */
static int
rs_wanted(const char *vs, const char *real, const char *name,
    const char *name_real)
{
	if (name == NULL || objname_vs_match(vs, name))
		return 1;
	return name_real[0] != '\0' && strcmp(real, name_real) == 0;
}

/* A real server its child does not report: added at runtime and not
 * reported yet, or a configured one removed at runtime. */
static json_t *
override_stub(const struct state_obj *ov, const char *vs, const char *real)
{
	int added = (ov->flags & IPC_OBJ_ADDED) != 0;

	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:n,s:n,s:b,s:o,s:b}", "name",
	    ov->name, "real", real, "virtual_server", vs, "state",
	    added ? "not started" : "removed", "detail", added ? "" :
	    "removed at runtime (vigilctl remove-real)", "since", "weight",
	    "in_table", 0, "override", override_json(ov), "runtime", added);
}

static int
add_checks(json_t *doc, const struct state_store *st, const char *name,
    int slim)
{
	json_t *vss = json_object_get(doc, "virtual_servers");
	json_t *index = json_object();
	char name_real[OBJNAME_REAL_MAX] = "";
	int rc = 0;

	if (vss == NULL || index == NULL) {
		json_decref(index);
		return vss == NULL ? 0 : -1;
	}
	if (name != NULL && objname_real(name, name_real,
	    sizeof(name_real)) < 0)
		name_real[0] = '\0';
	for (size_t i = 0; rc == 0 && i < st->objs.n; i++) {
		const struct state_obj *o = st->objs.v[i];
		char vs[IPC_OBJ_MAX_STR], real[IPC_OBJ_MAX_STR];
		json_t *v, *r;

		if (strcmp(o->kind, "virtual_server") == 0) {
			if ((name == NULL || objname_vs_match(o->name, name)) &&
			    vs_entry(vss, index, st, o->name, slim) == NULL)
				rc = -1;
			continue;
		}
		if (strcmp(o->kind, "real_server") != 0 ||
		    objname_rs_split(o->name, vs, sizeof(vs), real,
		    sizeof(real)) < 0 ||
		    !rs_wanted(vs, real, name, name_real))
			continue;
		if ((v = vs_entry(vss, index, st, vs, slim)) == NULL ||
		    (r = obj_json(st, o, slim)) == NULL ||
		    json_array_append_new(json_object_get(v, "real_servers"),
		    r) < 0)
			rc = -1;
	}
	for (size_t i = 0; rc == 0 && i < st->overrides.n; i++) {
		const struct state_obj *ov = st->overrides.v[i];
		char vs[IPC_OBJ_MAX_STR], real[IPC_OBJ_MAX_STR];
		json_t *v;

		if (!(ov->flags & (IPC_OBJ_ADDED | IPC_OBJ_REMOVED)) ||
		    strcmp(ov->kind, "real_server") != 0 ||
		    state_find(st, ov->kind, ov->name) != NULL ||
		    objname_rs_split(ov->name, vs, sizeof(vs), real,
		    sizeof(real)) < 0 || !rs_wanted(vs, real, name, name_real))
			continue;
		if ((v = vs_entry(vss, index, st, vs, slim)) == NULL ||
		    json_array_append_new(json_object_get(v, "real_servers"),
		    override_stub(ov, vs, real)) < 0)
			rc = -1;
	}
	json_decref(index);
	return rc;
}

int
state_json_add_store(json_t *doc, const struct state_store *st,
    unsigned sections, const char *name)
{
	json_t *inst = json_object_get(doc, "vrrp_instances");
	json_t *groups = json_object_get(doc, "vrrp_sync_groups");

	json_t *bfd = json_object_get(doc, "bfd_sessions");

	if ((sections & STATE_JSON_DAEMON) && bfd != NULL)
		for (size_t i = 0; i < st->objs.n; i++) {
			const struct state_obj *o = st->objs.v[i];

			if (strcmp(o->kind, "bfd_instance") == 0 &&
			    json_array_append_new(bfd, obj_json(st, o, 0)) < 0)
				return -1;
		}
	if ((sections & STATE_JSON_VRRP) && inst != NULL && groups != NULL) {
		for (size_t i = 0; i < st->objs.n; i++) {
			const struct state_obj *o = st->objs.v[i];
			json_t *to = strcmp(o->kind, "vrrp_instance") == 0 ?
			    inst : strcmp(o->kind, "vrrp_sync_group") == 0 ?
			    groups : NULL;

			if (to == NULL || !vrrp_wanted(o, name))
				continue;
			if (json_array_append_new(to, obj_json(st, o, 0)) < 0)
				return -1;
		}
	}
	if (sections & STATE_JSON_CHECKS)
		return add_checks(doc, st, name,
		    (sections & STATE_JSON_IPVS) != 0);
	return 0;
}

/* ---- the running parent ---------------------------------------------------- */

static json_t *
child_json(const struct slot *s)
{
	return json_pack("{s:s,s:s,s:o,s:I,s:I,s:I,s:I,s:I,s:I}",
	    "name", s->sub->name,
	    "state", s->pid != 0 ? "running" : s->wanted ? "restarting" :
	    "not needed",
	    "pid", s->pid != 0 ? json_integer(s->pid) : json_null(),
	    "generation", (json_int_t)s->gen_acked,
	    "restarts", (json_int_t)(s->starts > 0 ? s->starts - 1 : 0),
	    "objects", (json_int_t)s->st.objs.n,
	    "overrides", (json_int_t)s->st.overrides.n,
	    "snapshots", (json_int_t)s->st.snapshots,
	    "events", (json_int_t)s->st.events);
}

json_t *
state_json(const struct supervisor *sv, unsigned sections, const char *name)
{
	json_t *d = state_json_doc(sv->cfg->generation, sections);

	if (d == NULL)
		return NULL;
	if (sections & STATE_JSON_DAEMON) {
		json_t *ch = json_object_get(d, "children");

		json_object_set_new(d, "daemon", json_pack(
		    "{s:I,s:s,s:I,s:I,s:I,s:I}",
		    "pid", (json_int_t)sv->pid,
		    "config", sv->cfg->path != NULL ? sv->cfg->path : "",
		    "started", (json_int_t)sv->started,
		    "uptime_seconds", (json_int_t)(time(NULL) - sv->started),
		    "reloads", (json_int_t)sv->reloads,
		    "reloads_rejected", (json_int_t)sv->reloads_rejected));
		for (unsigned i = 0; i < sv->nslots; i++)
			json_array_append_new(ch, child_json(&sv->slots[i]));
	}
	for (unsigned i = 0; i < sv->nslots; i++)
		if (state_json_add_store(d, &sv->slots[i].st, sections,
		    name) < 0) {
			json_decref(d);
			return NULL;
		}
	return d;
}
