/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keepalived's dump shapes (dump_ka.h). The line names and JSON keys are
 * keepalived's, so that scripts reading them keep working; the values are
 * what the children reported to the parent's store (docs/state.md).
 */
#include "autoconfig.h"

#include "dump_ka.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "global_conf.h"
#include "ipc_msg.h"
#include "state.h"
#include "subsys.h"
#include "supervisor_int.h"

/* ---- reading records ------------------------------------------------------ */

static const char *
attr(const struct state_obj *o, const char *key, char *buf, size_t len)
{
	return ipc_attrs_get(o->attrs, key, buf, len) && buf[0] != '\0' ?
	    buf : NULL;
}

static int
attr_u64(const struct state_obj *o, const char *key, uint64_t *v)
{
	char buf[32], *end;

	if (attr(o, key, buf, sizeof(buf)) == NULL || buf[0] < '0' ||
	    buf[0] > '9')
		return 0;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	return errno == 0 && *end == '\0';
}

static uint64_t
u64_or0(const struct state_obj *o, const char *key)
{
	uint64_t v = 0;

	return attr_u64(o, key, &v) ? v : 0;
}

typedef void each_fn(const struct state_obj *o, void *arg);

static void
each(const struct supervisor *sv, const char *kind, each_fn *fn, void *arg)
{
	for (unsigned i = 0; i < sv->nslots; i++) {
		const struct state_store *st = &sv->slots[i].st;

		for (size_t j = 0; j < st->objs.n; j++)
			if (strcmp(st->objs.v[j]->kind, kind) == 0)
				fn(st->objs.v[j], arg);
	}
}

/* keepalived's numbers of the VRRP states (vrrp.h) */
static int
state_num(const char *s)
{
	static const char *const names[] = { "INIT", "BACKUP", "MASTER",
	    "FAULT" };

	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return strcmp(s, "STOP") == 0 ? 97 : 0;
}

/* keepalived's get_state_str(): a group or instance not started yet (the
 * store's "not started", the group's INIT) is INIT */
static const char *
ka_state(const char *s)
{
	return strcmp(s, "not started") == 0 ? "INIT" : s;
}

/* vigil's drop reasons summed into keepalived's error counters */
struct ka_drops {
	uint64_t len, ttl, type, interval, addrs, authtype, mismatch, auth;
};

static void
drops_of(const struct state_obj *o, struct ka_drops *d)
{
	memset(d, 0, sizeof(*d));
	d->len = u64_or0(o, "drops_short") + u64_or0(o, "drops_ip") +
	    u64_or0(o, "drops_count");
	d->ttl = u64_or0(o, "drops_ttl");
	d->type = u64_or0(o, "drops_type") + u64_or0(o, "drops_version");
	d->interval = u64_or0(o, "drops_interval");
	d->addrs = u64_or0(o, "drops_addrs");
	d->authtype = u64_or0(o, "drops_invalid_auth_type");
	d->mismatch = u64_or0(o, "drops_auth_type");
	d->auth = u64_or0(o, "drops_auth");
}

/* ---- the data dump -------------------------------------------------------- */

static void
line_attr(FILE *fp, const struct state_obj *o, const char *label,
    const char *key)
{
	char buf[512];

	if (attr(o, key, buf, sizeof(buf)) != NULL)
		fprintf(fp, "   %s = %s\n", label, buf);
}

/* When it last changed: the child's "last_transition" (seconds.micro),
 * else the record's whole seconds */
static void
transition_of(const struct state_obj *o, unsigned long long *sec,
    unsigned long *usec)
{
	char buf[64], *end;

	*sec = o->since;
	*usec = 0;
	if (attr(o, "last_transition", buf, sizeof(buf)) == NULL ||
	    buf[0] < '0' || buf[0] > '9')
		return;
	errno = 0;
	*sec = strtoull(buf, &end, 10);
	if (errno == 0 && *end == '.') {
		*usec = strtoul(end + 1, &end, 10);
		if (errno == 0 && *end == '\0' && *usec <= 999999)
			return;
	}
	*sec = o->since;
	*usec = 0;
}

/* "Thu Dec  3 14:09:43.054104 2026", keepalived's ctime_us_r() */
static void
line_transition(FILE *fp, const struct state_obj *o)
{
	char when[32], year[8];
	unsigned long long sec;
	unsigned long usec;
	time_t t;
	struct tm tm;

	transition_of(o, &sec, &usec);
	t = (time_t)sec;
	if (sec == 0 || localtime_r(&t, &tm) == NULL ||
	    strftime(when, sizeof(when), "%a %b %e %H:%M:%S", &tm) == 0 ||
	    strftime(year, sizeof(year), "%Y", &tm) == 0)
		return;
	fprintf(fp, "   Last transition = %llu.%06lu (%s.%06lu %s)\n", sec,
	    usec, when, usec, year);
}

/* each tab-separated part of buf on a line of its own */
static void
tab_lines(FILE *fp, char *buf)
{
	for (char *w = buf, *tab; w != NULL; w = tab) {
		if ((tab = strchr(w, '\t')) != NULL)
			*tab++ = '\0';
		fprintf(fp, "     %s\n", w);
	}
}

static void
data_instance(const struct state_obj *o, void *arg)
{
	FILE *fp = arg;
	char buf[IPC_OBJ_MAX_ATTRS];
	uint64_t v, ver = 0;
	int backup = strcmp(o->state, "BACKUP") == 0;

	attr_u64(o, "version", &ver);
	fprintf(fp, " VRRP Instance = %s\n", o->name);
	line_attr(fp, o, "VRRP Version", "version");
	line_attr(fp, o, "Sync group", "sync_group");
	if (attr(o, "family", buf, sizeof(buf)) != NULL &&
	    strcmp(buf, "inet6") == 0)
		fprintf(fp, "   Using Native IPv6\n");
	fprintf(fp, "   State = %s\n", ka_state(o->state));
	if (backup) {
		line_attr(fp, o, "Master router", "master");
		line_attr(fp, o, "Master priority", "master_priority");
		if (ver == 3 && attr_u64(o, "master_advert_int_ms", &v))
			fprintf(fp, "   Master advert int = %.2f sec\n",
			    (double)v / 1000.0);
	}
	fprintf(fp, "   Wantstate = %s\n", ka_state(o->state));
	line_transition(fp, o);
	if (o->detail[0] != '\0')
		fprintf(fp, "   Last transition reason = %s\n", o->detail);
	line_attr(fp, o, "Interface", "interface");
	line_attr(fp, o, "VRF", "vrf");
	line_attr(fp, o, "Virtual Router ID", "vrid");
	line_attr(fp, o, "Priority", "priority");
	if (attr_u64(o, "effective_priority", &v))
		fprintf(fp, "   Effective priority = %llu\n",
		    (unsigned long long)v);
	else if (o->weight != IPC_OBJ_NO_WEIGHT)
		fprintf(fp, "   Effective priority = %d\n", (int)o->weight);
	/* keepalived: whole seconds for VRRPv2, milliseconds for v3 */
	if (attr_u64(o, "advert_int_ms", &v)) {
		if (ver == 2)
			fprintf(fp, "   Advert interval = %llu sec\n",
			    (unsigned long long)(v / 1000));
		else
			fprintf(fp, "   Advert interval = %llu milli-sec\n",
			    (unsigned long long)v);
	}
	if (backup && ver == 3 && attr_u64(o, "master_advert_int_ms", &v))
		fprintf(fp, "   Master advert interval = %llu milli-sec\n",
		    (unsigned long long)v);
	if (attr(o, "preempt", buf, sizeof(buf)) != NULL)
		fprintf(fp, "   Preempt = %s\n", strcmp(buf, "0") == 0 ?
		    "disabled" : "enabled");
	if (attr(o, "vip_lines", buf, sizeof(buf)) != NULL) {
		/* keepalived's format_ipaddress(), from the child */
		unsigned n = 1;

		for (const char *p = buf; *p != '\0'; p++)
			n += *p == '\t';
		fprintf(fp, "   Virtual IP (%u):\n", n);
		tab_lines(fp, buf);
		if (attr(o, "evip_lines", buf, sizeof(buf)) != NULL) {
			fprintf(fp, "   Virtual IP Excluded :\n");
			tab_lines(fp, buf);
		}
	} else if (attr(o, "vips", buf, sizeof(buf)) != NULL) {
		char *save = NULL, *w, *ifname, ifbuf[64];
		unsigned n = 0;

		for (const char *p = buf; *p != '\0'; p++)
			n += (p == buf || p[-1] == ' ') && *p != ' ';
		fprintf(fp, "   Virtual IP (%u):\n", n);
		ifname = attr(o, "interface", ifbuf, sizeof(ifbuf)) != NULL ?
		    ifbuf : NULL;
		for (w = strtok_r(buf, " ", &save); w != NULL;
		    w = strtok_r(NULL, " ", &save))
			fprintf(fp, "     %s%s%s\n", w, ifname ? " dev " : "",
			    ifname ? ifname : "");
	}
}

static void
data_group(const struct state_obj *o, void *arg)
{
	FILE *fp = arg;
	char buf[IPC_OBJ_MAX_ATTRS];

	fprintf(fp, " VRRP Sync Group = %s, %s\n", o->name, ka_state(o->state));
	if (attr(o, "members", buf, sizeof(buf)) != NULL) {
		char *save = NULL;

		fprintf(fp, "   VRRP member instances :\n");
		for (char *w = strtok_r(buf, " ", &save); w != NULL;
		    w = strtok_r(NULL, " ", &save))
			fprintf(fp, "     %s\n", w);
	}
}

/* keepalived's inet_sockaddrtotrio() protocol names */
static const char *
trio_proto(const struct state_obj *vs)
{
	char p[16];

	if (attr(vs, "protocol", p, sizeof(p)) == NULL)
		return "none";
	if (strcmp(p, "TCP") == 0)
		return "tcp";
	if (strcmp(p, "UDP") == 0)
		return "udp";
	if (strcmp(p, "SCTP") == 0)
		return "sctp";
	return strcmp(p, "fwmark") == 0 ? "none" : "?";
}

static void
data_rs(FILE *fp, const struct state_obj *o)
{
	char addr[128], port[16], w[32];
	const char *real = strrchr(o->name, '/');
	int weight = o->weight == IPC_OBJ_NO_WEIGHT ? 0 : (int)o->weight;

	fprintf(fp, "   ------< Real server >------\n");
	/* keepalived's RPORT: the port it reset it to (dest_port) */
	if (attr(o, "address", addr, sizeof(addr)) != NULL &&
	    (attr(o, "dest_port", port, sizeof(port)) != NULL ||
	    attr(o, "port", port, sizeof(port)) != NULL))
		fprintf(fp, "   RIP = %s, RPORT = %s", addr, port);
	else
		fprintf(fp, "   RS = %s", real != NULL ? real + 2 : o->name);
	fprintf(fp, ", WEIGHT = %d EFF WEIGHT = %d\n", weight, weight);
	if (attr(o, "weight", w, sizeof(w)) != NULL)
		fprintf(fp, "   initial weight = %s\n", w);
	fprintf(fp, "   effective weight = %d\n", weight);
	fprintf(fp, "   alive = %d\n", strcmp(o->state, "up") == 0);
	if (o->detail[0] != '\0')
		fprintf(fp, "   last failure = %s\n", o->detail);
}

/* "10.0.0.13:80" or "[fd00::13]:80" as keepalived's "[10.0.0.13]:tcp:80" */
static void
line_sorry(FILE *fp, const struct state_obj *vs)
{
	char buf[128];
	char *colon;
	const char *host;

	if (attr(vs, "sorry_server", buf, sizeof(buf)) == NULL)
		return;
	colon = strrchr(buf, ':');
	if (colon == NULL) {
		fprintf(fp, "   sorry server = %s\n", buf);
		return;
	}
	*colon = '\0';
	host = buf;
	if (buf[0] == '[' && colon > buf + 1 && colon[-1] == ']') {
		colon[-1] = '\0';
		host = buf + 1;
	}
	fprintf(fp, "   sorry server = [%s]:%s:%s\n", host, trio_proto(vs),
	    colon + 1);
}

static void
data_vs(FILE *fp, const struct state_store *st, size_t at)
{
	const struct state_obj *vs = st->objs.v[at];
	size_t nlen = strlen(vs->name);
	char buf[256], port[16];
	uint64_t q, h;
	int up = strcmp(vs->state, "up") == 0;

	fprintf(fp, " ------< Virtual server >------\n");
	/* keepalived's dump_vs() heads */
	if (attr(vs, "group", buf, sizeof(buf)) != NULL)
		fprintf(fp, " VS GROUP = [%s]:%s\n", buf,
		    attr(vs, "port", port, sizeof(port)) != NULL ? port : "0");
	else if (attr(vs, "fwmark", buf, sizeof(buf)) != NULL)
		fprintf(fp, " VS FWMARK = %s\n", buf);
	else if (attr(vs, "address", buf, sizeof(buf)) != NULL &&
	    attr(vs, "port", port, sizeof(port)) != NULL) {
		fprintf(fp, " VS VIP = %s, VPORT = %s\n", buf, port);
		fprintf(fp, "   Address family = inet%s\n",
		    strchr(buf, ':') != NULL ? "6" : "");
	} else
		fprintf(fp, " VS = %s\n", vs->name);
	line_attr(fp, vs, "lvs_sched", "scheduler");
	if (attr(vs, "protocol", buf, sizeof(buf)) != NULL)
		fprintf(fp, "   protocol = %s\n", strcmp(buf, "fwmark") == 0 ?
		    "none" : buf);
	if (attr_u64(vs, "quorum", &q) && attr_u64(vs, "hysteresis", &h))
		fprintf(fp, "   quorum = %llu, hysteresis = %llu\n",
		    (unsigned long long)q, (unsigned long long)h);
	line_attr(fp, vs, "default forwarding method", "forwarding");
	line_sorry(fp, vs);
	fprintf(fp, "   alive = %d\n", up);
	fprintf(fp, "   quorum_state_up = %d\n", up);
	/* its real servers follow it in the store */
	for (size_t i = at + 1; i < st->objs.n; i++) {
		const struct state_obj *o = st->objs.v[i];

		if (strcmp(o->kind, "real_server") != 0 ||
		    strncmp(o->name, vs->name, nlen) != 0 ||
		    strncmp(o->name + nlen, " / ", 3) != 0)
			break;
		data_rs(fp, o);
	}
}

static int
any(const struct supervisor *sv, const char *kind)
{
	for (unsigned i = 0; i < sv->nslots; i++) {
		const struct state_store *st = &sv->slots[i].st;

		for (size_t j = 0; j < st->objs.n; j++)
			if (strcmp(st->objs.v[j]->kind, kind) == 0)
				return 1;
	}
	return 0;
}

/* keepalived's dump_global_data(), which heads both children's files:
 * the lines vigil knows, in its order */
static void
data_global(FILE *fp, const struct supervisor *sv)
{
	const struct global_conf *g = sv->cfg->conf[CONF_OWNER_GLOBAL];

	fprintf(fp, "------< Global definitions >------\n");
	fprintf(fp, " Network namespace = (default)\n");
	fprintf(fp, " Network namespace ipvs = (main namespace)\n");
	if (g != NULL && g->instance != NULL)
		fprintf(fp, " Instance name = %s\n", g->instance);
	if (g != NULL && g->router_id != NULL)
		fprintf(fp, " Router ID = %s\n", g->router_id);
	if (g != NULL && g->data_use_instance)
		fprintf(fp, " Use instance name in data dumps\n");
}

void
dump_ka_data(FILE *fp, const struct supervisor *sv)
{
	data_global(fp, sv);
	if (any(sv, "vrrp_instance")) {
		fprintf(fp, "------< VRRP Topology >------\n");
		each(sv, "vrrp_instance", data_instance, fp);
	}
	if (any(sv, "vrrp_sync_group")) {
		fprintf(fp, "------< VRRP Sync groups >------\n");
		each(sv, "vrrp_sync_group", data_group, fp);
	}
}

void
dump_ka_check_data(FILE *fp, const struct supervisor *sv)
{
	data_global(fp, sv);
	if (!any(sv, "virtual_server"))
		return;
	fprintf(fp, "------< LVS Topology >------\n");
	/* the IPVS generic netlink interface vigil speaks */
	fprintf(fp, " System is compiled with LVS v1.2.1\n");
	for (unsigned i = 0; i < sv->nslots; i++) {
		const struct state_store *st = &sv->slots[i].st;

		for (size_t j = 0; j < st->objs.n; j++)
			if (strcmp(st->objs.v[j]->kind, "virtual_server") == 0)
				data_vs(fp, st, j);
	}
}

/* ---- the statistics ------------------------------------------------------- */

static void
stats_instance(const struct state_obj *o, void *arg)
{
	FILE *fp = arg;
	struct ka_drops d;

	drops_of(o, &d);
	fprintf(fp, "VRRP Instance: %s\n", o->name);
	fprintf(fp, "  Advertisements:\n");
	fprintf(fp, "    Received: %llu\n",
	    (unsigned long long)u64_or0(o, "adverts_received"));
	fprintf(fp, "    Sent: %llu\n",
	    (unsigned long long)u64_or0(o, "adverts_sent"));
	fprintf(fp, "  Became master: %llu\n",
	    (unsigned long long)u64_or0(o, "became_master"));
	fprintf(fp, "  Released master: %llu\n",
	    (unsigned long long)u64_or0(o, "released_master"));
	fprintf(fp, "  Packet Errors:\n");
	fprintf(fp, "    Length: %llu\n", (unsigned long long)d.len);
	fprintf(fp, "    TTL: %llu\n", (unsigned long long)d.ttl);
	fprintf(fp, "    Invalid Type: %llu\n", (unsigned long long)d.type);
	fprintf(fp, "    Advertisement Interval: %llu\n",
	    (unsigned long long)d.interval);
	fprintf(fp, "    Address List: %llu\n", (unsigned long long)d.addrs);
	fprintf(fp, "  Authentication Errors:\n");
	fprintf(fp, "    Invalid Type: %llu\n", (unsigned long long)d.authtype);
	fprintf(fp, "    Type Mismatch: %llu\n",
	    (unsigned long long)d.mismatch);
	fprintf(fp, "    Failure: %llu\n", (unsigned long long)d.auth);
	fprintf(fp, "  Priority Zero:\n");
	fprintf(fp, "    Received: %llu\n",
	    (unsigned long long)u64_or0(o, "priority_zero_received"));
	fprintf(fp, "    Sent: %llu\n",
	    (unsigned long long)u64_or0(o, "priority_zero_sent"));
}

void
dump_ka_stats(FILE *fp, const struct supervisor *sv)
{
	each(sv, "vrrp_instance", stats_instance, fp);
}

/* ---- the JSON dump -------------------------------------------------------- */

/* the tab-separated words of buf appended to arr */
static void
tab_split(json_t *arr, char *buf)
{
	for (char *w = buf, *tab; w != NULL; w = tab) {
		if ((tab = strchr(w, '\t')) != NULL)
			*tab++ = '\0';
		json_array_append_new(arr, json_string(w));
	}
}

static json_t *
json_instance(const struct state_obj *o)
{
	char buf[IPC_OBJ_MAX_ATTRS];
	json_t *data, *stats, *vips = json_array(), *evips = json_array();
	struct ka_drops d;
	uint64_t eff = 0, ms = 0;
	int st = state_num(o->state);
	unsigned long long sec;
	unsigned long usec;

	if (!attr_u64(o, "effective_priority", &eff) &&
	    o->weight != IPC_OBJ_NO_WEIGHT && o->weight > 0)
		eff = (uint64_t)o->weight;
	if (attr(o, "vip_lines", buf, sizeof(buf)) != NULL && vips != NULL)
		tab_split(vips, buf);
	else if (attr(o, "vips", buf, sizeof(buf)) != NULL && vips != NULL) {
		char *save = NULL, ifbuf[64], one[256];
		const char *ifname = attr(o, "interface", ifbuf, sizeof(ifbuf));

		for (char *w = strtok_r(buf, " ", &save); w != NULL;
		    w = strtok_r(NULL, " ", &save)) {
			snprintf(one, sizeof(one), "%s%s%s", w,
			    ifname != NULL ? " dev " : "",
			    ifname != NULL ? ifname : "");
			json_array_append_new(vips, json_string(one));
		}
	}
	if (attr(o, "evip_lines", buf, sizeof(buf)) != NULL && evips != NULL)
		tab_split(evips, buf);
	attr_u64(o, "advert_int_ms", &ms);
	transition_of(o, &sec, &usec);
	data = json_pack("{s:s,s:s,s:I,s:f,s:I,s:I,s:I,s:f,s:b,s:I,s:I,s:I,"
	    "s:o,s:o}",
	    "iname", o->name,
	    "ifp_ifname", attr(o, "interface", buf, sizeof(buf)) != NULL ?
	    buf : "",
	    "master_priority", (json_int_t)u64_or0(o, "master_priority"),
	    "last_transition", (double)sec + (double)usec / 1e6,
	    "vrid", (json_int_t)u64_or0(o, "vrid"),
	    "base_priority", (json_int_t)u64_or0(o, "priority"),
	    "effective_priority", (json_int_t)eff,
	    "adver_int", (double)ms / 1000.0,
	    "nopreempt", u64_or0(o, "preempt") == 0 &&
	    ipc_attrs_get(o->attrs, "preempt", buf, sizeof(buf)),
	    "state", (json_int_t)st,
	    "wantstate", (json_int_t)st,
	    "version", (json_int_t)u64_or0(o, "version"),
	    "vips", vips != NULL ? vips : json_array(),
	    "evips", evips != NULL ? evips : json_array());
	drops_of(o, &d);
	stats = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,"
	    "s:I,s:I}",
	    "advert_rcvd", (json_int_t)u64_or0(o, "adverts_received"),
	    "advert_sent", (json_int_t)u64_or0(o, "adverts_sent"),
	    "become_master", (json_int_t)u64_or0(o, "became_master"),
	    "release_master", (json_int_t)u64_or0(o, "released_master"),
	    "packet_len_err", (json_int_t)d.len,
	    "advert_interval_err", (json_int_t)d.interval,
	    "ip_ttl_err", (json_int_t)d.ttl,
	    "invalid_type_rcvd", (json_int_t)d.type,
	    "addr_list_err", (json_int_t)d.addrs,
	    "invalid_authtype", (json_int_t)d.authtype,
	    "authtype_mismatch", (json_int_t)d.mismatch,
	    "auth_failure", (json_int_t)d.auth,
	    "pri_zero_rcvd", (json_int_t)u64_or0(o, "priority_zero_received"),
	    "pri_zero_sent", (json_int_t)u64_or0(o, "priority_zero_sent"));
	if (data == NULL || stats == NULL) {
		json_decref(data);
		json_decref(stats);
		return NULL;
	}
	return json_pack("{s:o,s:o}", "data", data, "stats", stats);
}

struct json_acc {
	json_t *arr;
	int failed;
};

static void
json_one(const struct state_obj *o, void *arg)
{
	struct json_acc *a = arg;
	json_t *j = json_instance(o);

	if (j == NULL || json_array_append_new(a->arr, j) < 0)
		a->failed = 1;
}

int
dump_ka_json(FILE *fp, const struct supervisor *sv, unsigned version)
{
	struct json_acc a = { .arr = json_array() };
	json_t *doc;
	int rc;

	if (a.arr == NULL)
		return -1;
	each(sv, "vrrp_instance", json_one, &a);
	if (a.failed) {
		json_decref(a.arr);
		return -1;
	}
	doc = version == 2 ? json_pack("{s:o}", "vrrp", a.arr) : a.arr;
	if (doc == NULL)
		return -1;
	rc = json_dumpf(doc, fp, JSON_INDENT(2)) == 0 &&
	    fputc('\n', fp) != EOF ? 0 : -1;
	json_decref(doc);
	return rc;
}
