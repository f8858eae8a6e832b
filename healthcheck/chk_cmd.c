/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checker child's runtime commands (healthcheck/chk_attrs.h): the
 * operator's argv checked and resolved to virtual and real servers, the
 * override made (healthcheck/override.c), an answer written. The same
 * resolution serves the overrides a respawned child is handed back.
 *
 *	drain REAL [VS]		undrain REAL [VS]
 *	set-weight VS REAL W	(W "-" or "default": the configured one)
 *	add-real VS REAL [weight W] [check CHECKER...]
 *	remove-real VS REAL
 *
 * REAL is addr:port or [v6]:port (a bare address: port 0, fwmark
 * services); VS is the virtual server's name ("[10.0.0.1]:tcp:80",
 * "fwmark 3", "group G:tcp"), addr:port[/proto], "fwmark N" or
 * "group NAME" (one word or two).
 */
#include "autoconfig.h"

#include <ctype.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "healthcheck/chk_attrs.h"
#include "healthcheck/engine.h"
#include "log.h"

#define MAX_MATCH 64
#define CHK_WEIGHT_MAX 65535

/* ---- parsing ---------------------------------------------------------------- */

/* "10.0.0.2:80", "[fe80::2]:80", "10.0.0.2" / "fe80::2" (port 0). */
static int
parse_real(const char *s, struct vg_addr *a, unsigned *port)
{
	const char *c;

	*port = 0;
	if (s[0] == '[') {
		if ((c = strchr(s, ']')) == NULL ||
		    addr_parse_len(s + 1, (size_t)(c - s - 1), a) < 0)
			return -1;
		if (c[1] == '\0')
			return 0;
		return c[1] == ':' ? addr_parse_port(c + 2, port) : -1;
	}
	c = strchr(s, ':');
	if (c != NULL && strchr(c + 1, ':') == NULL)	/* v4:port */
		return addr_parse_len(s, (size_t)(c - s), a) < 0 ? -1 :
		    addr_parse_port(c + 1, port);
	return addr_parse(s, a);
}

static void
real_str(const struct vg_addr *a, unsigned port, char *buf, size_t len)
{
	char t[ADDR_STRLEN];

	snprintf(buf, len, "[%s]:%u", addr_ntop(a, t, sizeof(t)), port);
}

static int
parse_weight(const char *s, int *w)
{
	long long v;

	if (strcmp(s, "-") == 0 || strcmp(s, "default") == 0) {
		*w = CHK_INT_UNSET;
		return 0;
	}
	if (conf_parse_ll(s, 0, CHK_WEIGHT_MAX, &v) < 0)
		return -1;
	*w = (int)v;
	return 0;
}

/* A virtual server as the operator names it. */
struct vs_spec {
	enum { SPEC_NAME, SPEC_ADDR, SPEC_FWMARK, SPEC_GROUP } kind;
	const char *name;
	struct vg_addr addr;
	unsigned port, fwmark;
	int protocol;		/* 0: any */
	char text[160];
};

static int
proto_parse(const char *s)
{
	if (strcasecmp(s, "tcp") == 0)
		return IPPROTO_TCP;
	if (strcasecmp(s, "udp") == 0)
		return IPPROTO_UDP;
	if (strcasecmp(s, "sctp") == 0)
		return IPPROTO_SCTP;
	return -1;
}

/* The VS words at argv[i]; *used: how many (1 or 2). 0, or -1. */
static int
spec_parse(struct vs_spec *sp, int argc, const char *const argv[], int i,
    int *used)
{
	const char *w = argv[i], *arg = NULL, *slash;
	char buf[160];
	long long v;

	memset(sp, 0, sizeof(*sp));
	*used = 1;
	if ((strcmp(w, "fwmark") == 0 || strcmp(w, "group") == 0) &&
	    i + 1 < argc) {
		arg = argv[i + 1];
		*used = 2;
	} else if (strncmp(w, "fwmark ", 7) == 0 ||
	    strncmp(w, "group ", 6) == 0) {
		arg = strchr(w, ' ') + 1;
	}
	snprintf(sp->text, sizeof(sp->text), "%s%s%s", w, arg != NULL &&
	    *used == 2 ? " " : "", arg != NULL && *used == 2 ? arg : "");
	sp->name = sp->text;
	sp->kind = SPEC_NAME;
	if (arg != NULL && w[0] == 'f') {
		if (conf_parse_ll(arg, 1, 0xffffffffLL, &v) == 0) {
			sp->kind = SPEC_FWMARK;
			sp->fwmark = (unsigned)v;
		}
		return 0;	/* else "fwmark 3 (inet6)": by name */
	}
	if (arg != NULL) {
		snprintf(buf, sizeof(buf), "%s", arg);
		if (strchr(buf, ':') != NULL)
			return 0;	/* "group G:tcp": by name */
		sp->kind = SPEC_GROUP;
		sp->name = arg;
		return 0;
	}
	/* addr:port[/proto]; else a name ("[10.0.0.1]:tcp:80") */
	snprintf(buf, sizeof(buf), "%s", w);
	if ((slash = strrchr(buf, '/')) != NULL) {
		if ((sp->protocol = proto_parse(slash + 1)) < 0)
			return 0;
		buf[slash - buf] = '\0';
	}
	if (parse_real(buf, &sp->addr, &sp->port) == 0 && sp->port != 0)
		sp->kind = SPEC_ADDR;
	else
		sp->protocol = 0;
	return 0;
}

static int
spec_match(const struct vs_spec *sp, const struct chk_vsrun *vs)
{
	const struct chk_vs_conf *c = vs->conf;

	switch (sp->kind) {
	case SPEC_ADDR:
		return c->kind == CHK_VS_ADDR && c->port == sp->port &&
		    addr_cmp(&c->addr, &sp->addr) == 0 &&
		    (sp->protocol == 0 || sp->protocol == c->protocol);
	case SPEC_FWMARK:
		return c->kind == CHK_VS_FWMARK && c->fwmark == sp->fwmark;
	case SPEC_GROUP:
		return c->kind == CHK_VS_GROUP &&
		    strcmp(c->group_name, sp->name) == 0;
	default:
		return strcmp(vs->name, sp->name) == 0;
	}
}

/* The virtual servers sp names (at most max). */
static unsigned
spec_find(const struct chk_engine *e, const struct vs_spec *sp,
    struct chk_vsrun **out, unsigned max)
{
	struct chk_vsrun *vs;
	unsigned n = 0;

	TAILQ_FOREACH(vs, &e->vslist, link)
		if (spec_match(sp, vs) && n < max)
			out[n++] = vs;
	return n;
}

/* Exactly one virtual server; else an answer. */
static int
spec_one(const struct chk_engine *e, const struct vs_spec *sp,
    struct chk_vsrun **vs, FILE *out)
{
	struct chk_vsrun *m[2];
	unsigned n = spec_find(e, sp, m, 2);

	if (n == 0) {
		fprintf(out, "no virtual server %s\n", sp->text);
		return IPC_CMD_ENOENT;
	}
	if (n > 1) {
		fprintf(out, "%s names more than one virtual server (%s, "
		    "%s, ...): give its protocol (ADDR:PORT/udp) or its "
		    "name\n", sp->text, m[0]->name, m[1]->name);
		return IPC_CMD_EUSAGE;
	}
	*vs = m[0];
	return IPC_CMD_OK;
}

/* ---- the commands ---------------------------------------------------------- */

/* The real server of vs REAL names: by its port as written, else by the
 * port of its IPVS destination (DR / TUN: the virtual server's; the one
 * the fifo lines, SNMP and ipvsadm show) when one real server alone is
 * on it. NULL with *twin set: more than one is (said to out). */
static struct chk_rsrun *
cmd_rs_find(const struct chk_vsrun *vs, const struct vg_addr *a,
    unsigned port, int *twin, FILE *out)
{
	struct chk_rsrun *rs, *other;
	char n1[256], n2[256];

	*twin = 0;
	if ((rs = chk_rs_find(vs, a, port)) != NULL ||
	    (rs = chk_rs_dest_find(vs, a, port, NULL)) == NULL)
		return rs;
	if ((other = chk_rs_dest_find(vs, a, port, rs)) == NULL)
		return rs;
	chk_rs_name(rs, n1, sizeof(n1));
	chk_rs_name(other, n2, sizeof(n2));
	fprintf(out, "real servers %s and %s are both on that IPVS "
	    "destination: name one by the port written in the "
	    "configuration\n", n1, n2);
	*twin = 1;
	return NULL;
}

static void
log_change(const struct chk_rsrun *rs, const char *what)
{
	char name[256];

	chk_rs_logname(rs, name, sizeof(name));
	log_notice("real server %s: %s (runtime command)", name, what);
}

static int
cmd_drain(struct chk_engine *e, int argc, const char *const argv[],
    FILE *out)
{
	int drain = strcmp(argv[0], "drain") == 0, used = 0, twin, twins = 0;
	struct chk_vsrun *m[MAX_MATCH], *vs;
	struct chk_rsrun *rs;
	struct vs_spec sp;
	struct vg_addr a;
	unsigned port, n = 0, done = 0;
	char real[ADDR_STRLEN + 8];

	if (argc < 2 || argc > 4 || parse_real(argv[1], &a, &port) < 0 ||
	    (argc > 2 && (spec_parse(&sp, argc, argv, 2, &used) < 0 ||
	    2 + used != argc))) {
		fprintf(out, "usage: %s REAL [VS] (REAL: addr:port or "
		    "[v6]:port)\n", argv[0]);
		return IPC_CMD_EUSAGE;
	}
	real_str(&a, port, real, sizeof(real));
	if (argc > 2 && (n = spec_find(e, &sp, m, MAX_MATCH)) == 0) {
		fprintf(out, "no virtual server %s\n", sp.text);
		return IPC_CMD_ENOENT;
	}
	TAILQ_FOREACH(vs, &e->vslist, link) {
		if (argc > 2) {
			unsigned i;

			for (i = 0; i < n && m[i] != vs; i++)
				;
			if (i == n)
				continue;
		}
		if ((rs = cmd_rs_find(vs, &a, port, &twin, out)) == NULL) {
			twins += twin;
			continue;
		}
		if (drain != (rs->ovr != NULL && rs->ovr->drained)) {
			chk_ovr_drain(rs, drain);
			log_change(rs, drain ? "drained (weight 0)" :
			    "undrained (weight back)");
		}
		fprintf(out, "%s %s in %s\n", drain ? "drained" : "undrained",
		    real, vs->name);
		done++;
	}
	if (done == 0 && twins > 0)
		return IPC_CMD_EUSAGE;
	if (done == 0) {
		if (argc > 2)
			fprintf(out, "no real server %s in %s\n", real,
			    sp.text);
		else
			fprintf(out, "no virtual server holds real server "
			    "%s\n", real);
		return IPC_CMD_ENOENT;
	}
	return IPC_CMD_OK;
}

/* VS REAL at argv[1..]: the real server's virtual server and address;
 * *next: the argument after REAL. */
static int
vs_real(struct chk_engine *e, int argc, const char *const argv[],
    struct chk_vsrun **vs, struct vg_addr *a, unsigned *port, int *next,
    FILE *out)
{
	struct vs_spec sp;
	int used, rc;

	if (argc < 3 || spec_parse(&sp, argc, argv, 1, &used) < 0 ||
	    1 + used >= argc || parse_real(argv[1 + used], a, port) < 0)
		return IPC_CMD_EUSAGE;
	*next = 2 + used;
	if ((rc = spec_one(e, &sp, vs, out)) != IPC_CMD_OK)
		return rc == IPC_CMD_ENOENT ? rc : -rc;	/* answered */
	return IPC_CMD_OK;
}

static int
cmd_set_weight(struct chk_engine *e, int argc, const char *const argv[],
    FILE *out)
{
	struct chk_vsrun *vs;
	struct chk_rsrun *rs;
	struct vg_addr a;
	unsigned port;
	int next, w, rc, twin;
	char real[ADDR_STRLEN + 8], what[64];

	rc = vs_real(e, argc, argv, &vs, &a, &port, &next, out);
	if (rc == IPC_CMD_ENOENT || rc < 0)
		return rc < 0 ? -rc : rc;
	if (rc != IPC_CMD_OK || next + 1 != argc ||
	    parse_weight(argv[next], &w) < 0) {
		fprintf(out, "usage: set-weight VS REAL WEIGHT (0-%d, or "
		    "\"default\": the configured one)\n", CHK_WEIGHT_MAX);
		return IPC_CMD_EUSAGE;
	}
	real_str(&a, port, real, sizeof(real));
	if ((rs = cmd_rs_find(vs, &a, port, &twin, out)) == NULL) {
		if (twin)
			return IPC_CMD_EUSAGE;
		fprintf(out, "no real server %s in %s\n", real, vs->name);
		return IPC_CMD_ENOENT;
	}
	chk_ovr_weight(rs, w);
	if (w == CHK_INT_UNSET)
		snprintf(what, sizeof(what), "weight back to the configured %d",
		    rs->conf->weight);
	else
		snprintf(what, sizeof(what), "weight set to %d", w);
	log_change(rs, what);
	fprintf(out, "%s %s: %s%s\n", vs->name, real, what, rs->ovr != NULL &&
	    rs->ovr->drained ? " (drained: 0 until undrained)" : "");
	return IPC_CMD_OK;
}

static int
cmd_add_real(struct chk_engine *e, int argc, const char *const argv[],
    FILE *out, int known)
{
	struct chk_vsrun *vs;
	struct chk_rsrun *rs, *twin;
	struct vg_addr a;
	unsigned port, dport;
	int next, w = CHK_INT_UNSET, rc;
	char real[ADDR_STRLEN + 8], other[ADDR_STRLEN + 8], *check = NULL;
	size_t len = 0;

	rc = vs_real(e, argc, argv, &vs, &a, &port, &next, out);
	if (rc == IPC_CMD_ENOENT || rc < 0)
		return rc < 0 ? -rc : rc;
	if (rc == IPC_CMD_OK && next + 1 < argc &&
	    strcmp(argv[next], "weight") == 0) {
		if (parse_weight(argv[next + 1], &w) < 0)
			rc = IPC_CMD_EUSAGE;
		next += 2;
	}
	if (rc == IPC_CMD_OK && next < argc &&
	    (strcmp(argv[next], "check") != 0 || next + 1 == argc))
		rc = IPC_CMD_EUSAGE;
	if (rc == IPC_CMD_OK && vs->conf->kind != CHK_VS_FWMARK && port == 0)
		rc = IPC_CMD_EUSAGE;
	if (rc != IPC_CMD_OK) {
		fprintf(out, "usage: add-real VS REAL [weight W] [check "
		    "CHECKER { ... }] (REAL addr:port; W 0-%d)\n",
		    CHK_WEIGHT_MAX);
		return IPC_CMD_EUSAGE;
	}
	real_str(&a, port, real, sizeof(real));
	if (chk_rs_find(vs, &a, port) != NULL) {
		fprintf(out, "%s already holds real server %s\n", vs->name,
		    real);
		return IPC_CMD_EFAIL;
	}
	/* one IPVS destination is one real server's (the configuration
	 * warns of those it has and decides them together; a configured
	 * one removed at runtime comes back as configured) */
	dport = chk_conf_dest_port(vs->conf, &vs->conf->fwd, port);
	if (chk_conf_vs_find_rs(vs->conf, &a, port) == NULL &&
	    (twin = chk_rs_dest_find(vs, &a, dport, NULL)) != NULL) {
		real_str(&twin->conf->addr, twin->conf->port, other,
		    sizeof(other));
		if (vs->conf->kind == CHK_VS_GROUP)
			fprintf(out, "%s: real server %s would be the IPVS "
			    "destination of real server %s (a group's DR and "
			    "TUN take each entry's port)\n", vs->name, real,
			    other);
		else
			fprintf(out, "%s: real server %s would be the IPVS "
			    "destination of real server %s (port %u: DR and "
			    "TUN take the virtual server's)\n", vs->name,
			    real, other, dport);
		return IPC_CMD_EFAIL;
	}
	for (int i = next + 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if (len > 0) {
		if ((check = malloc(len)) == NULL)
			return IPC_CMD_EFAIL;
		check[0] = '\0';
		for (int i = next + 1; i < argc; i++) {
			strcat(check, argv[i]);
			if (i + 1 < argc)
				strcat(check, " ");
		}
	}
	rs = chk_ovr_add_real(vs, &a, port, w, check, known, out);
	if (rs == NULL) {
		fprintf(out, "real server %s not added to %s\n", real,
		    vs->name);
		free(check);
		return check != NULL ? IPC_CMD_EUSAGE : IPC_CMD_EFAIL;
	}
	log_change(rs, check != NULL ? "added (runtime, its own check)" :
	    "added (runtime)");
	fprintf(out, "added %s to %s, weight %d, checked by %s%s\n", real,
	    vs->name, rs->conf->weight, check != NULL ? check :
	    rs->ovr != NULL && rs->ovr->runtime ? "a copy of the first real "
	    "server's checks" : "its configured checks", rs->ovr != NULL &&
	    rs->ovr->runtime ? "" : " (configured; it was removed)");
	free(check);
	return IPC_CMD_OK;
}

static int
cmd_remove_real(struct chk_engine *e, int argc, const char *const argv[],
    FILE *out)
{
	struct chk_vsrun *vs;
	struct chk_rsrun *rs;
	struct vg_addr a;
	unsigned port;
	int next, rc, runtime, twin;
	char real[ADDR_STRLEN + 8];

	rc = vs_real(e, argc, argv, &vs, &a, &port, &next, out);
	if (rc == IPC_CMD_ENOENT || rc < 0)
		return rc < 0 ? -rc : rc;
	if (rc != IPC_CMD_OK || next != argc) {
		fprintf(out, "usage: remove-real VS REAL\n");
		return IPC_CMD_EUSAGE;
	}
	real_str(&a, port, real, sizeof(real));
	if ((rs = cmd_rs_find(vs, &a, port, &twin, out)) == NULL) {
		if (twin)
			return IPC_CMD_EUSAGE;
		fprintf(out, "no real server %s in %s\n", real, vs->name);
		return IPC_CMD_ENOENT;
	}
	runtime = rs->ovr != NULL && rs->ovr->runtime;
	log_change(rs, runtime ? "removed (it was added at runtime)" :
	    "removed until the configuration changes it");
	chk_ovr_remove_real(rs);
	if (vs->quorum_up >= 0)
		chk_vs_eval(vs, 0);
	fprintf(out, "removed %s from %s%s\n", real, vs->name, runtime ? "" :
	    " (configured: back with add-real or when the configuration "
	    "changes it)");
	return IPC_CMD_OK;
}

int
chk_cmd_run(struct chk_engine *e, int argc, const char *const argv[],
    FILE *out)
{
	if (argc < 1)
		return IPC_CMD_EUSAGE;
	if (strcmp(argv[0], "drain") == 0 || strcmp(argv[0], "undrain") == 0)
		return cmd_drain(e, argc, argv, out);
	if (strcmp(argv[0], "set-weight") == 0)
		return cmd_set_weight(e, argc, argv, out);
	if (strcmp(argv[0], "add-real") == 0)
		return cmd_add_real(e, argc, argv, out, -1);
	if (strcmp(argv[0], "remove-real") == 0)
		return cmd_remove_real(e, argc, argv, out);
	return IPC_CMD_EUNKNOWN;
}

/* ---- the hand-over ------------------------------------------------------------ */

/*
 * The parent's records (daemon/route.c keeps them): kind "real_server",
 * name "VS / REAL"; IPC_OBJ_DRAIN; weight: set-weight (or add-real's
 * weight); IPC_OBJ_ADDED with attrs virtual_server=VS and the words after
 * REAL as arg= lines; IPC_OBJ_REMOVED.
 */

/* The virtual servers of "VS / REAL" (every one holding REAL when the
 * name has no VS) and the address. Returns how many. */
static unsigned
ho_resolve(struct chk_engine *e, const char *name, struct chk_vsrun **m,
    unsigned max, struct vg_addr *a, unsigned *port)
{
	const char *sep = NULL, *p;
	char vsname[IPC_OBJ_MAX_STR];
	const char *argv[1];
	struct vs_spec sp;
	struct chk_vsrun *vs;
	unsigned n = 0;
	int used;

	for (p = name; (p = strstr(p, " / ")) != NULL; p += 3)
		sep = p;
	if (parse_real(sep != NULL ? sep + 3 : name, a, port) < 0)
		return 0;
	if (sep != NULL) {
		snprintf(vsname, sizeof(vsname), "%.*s", (int)(sep - name),
		    name);
		argv[0] = vsname;
		if (spec_parse(&sp, 1, argv, 0, &used) < 0)
			return 0;
		return spec_find(e, &sp, m, max);
	}
	TAILQ_FOREACH(vs, &e->vslist, link)
		if (n < max && chk_rs_find(vs, a, *port) != NULL)
			m[n++] = vs;
	return n;
}

/* An IPC_OBJ_ADDED record: add-real again with the words it was given. */
static int
ho_add(struct chk_engine *e, const struct ipc_obj *o, chk_cmd_known_fn *known,
    void *arg)
{
	const char *argv[IPC_CMD_MAX_ARGS], *p = o->attrs, *k, *v, *sep = NULL;
	char vs[IPC_OBJ_MAX_STR], words[IPC_OBJ_MAX_ATTRS], *w = words;
	size_t kl, vl, left = sizeof(words);
	int argc = 3, rc;
	char *text = NULL;
	size_t tlen = 0;
	FILE *out;

	for (const char *q = o->name; (q = strstr(q, " / ")) != NULL; q += 3)
		sep = q;
	if (sep == NULL)
		return 0;
	if (!ipc_attrs_get(o->attrs, "virtual_server", vs, sizeof(vs)))
		snprintf(vs, sizeof(vs), "%.*s", (int)(sep - o->name),
		    o->name);
	argv[0] = "add-real";
	argv[1] = vs;
	argv[2] = sep + 3;
	while (ipc_attrs_next(&p, &k, &kl, &v, &vl) &&
	    argc < IPC_CMD_MAX_ARGS) {
		if (kl != 3 || strncmp(k, "arg", 3) != 0 || vl + 1 > left)
			continue;
		memcpy(w, v, vl);
		w[vl] = '\0';
		argv[argc++] = w;
		w += vl + 1;
		left -= vl + 1;
	}
	if ((out = open_memstream(&text, &tlen)) == NULL)
		return 0;
	rc = cmd_add_real(e, argc, argv, out, known != NULL ?
	    known(arg, o->name) : -1);
	fclose(out);
	if (rc != IPC_CMD_OK)
		log_warn("runtime real server %s handed over but not added: "
		    "%.*s", o->name, (int)strcspn(text, "\n"), text);
	free(text);
	return rc == IPC_CMD_OK;
}

static int
ho_apply(struct chk_engine *e, const struct ipc_obj *o, int pass,
    chk_cmd_known_fn *known, void *arg)
{
	struct chk_vsrun *m[MAX_MATCH];
	struct chk_rsrun *rs;
	struct vg_addr a;
	unsigned port, n;
	int done = 0;

	if (pass == 0 && (o->flags & IPC_OBJ_ADDED))
		return ho_add(e, o, known, arg);
	if (pass == 0 && !(o->flags & IPC_OBJ_REMOVED))
		return 0;
	n = ho_resolve(e, o->name, m, MAX_MATCH, &a, &port);
	for (unsigned i = 0; i < n; i++) {
		if ((rs = chk_rs_find(m[i], &a, port)) == NULL)
			continue;
		if (pass == 0) {
			chk_ovr_remove_real(rs);
			done = 1;
			continue;
		}
		if (o->flags & IPC_OBJ_DRAIN) {
			chk_ovr_drain(rs, 1);
			done = 1;
		}
		/* an added one's weight is add-real's unless set since */
		if (o->weight != IPC_OBJ_NO_WEIGHT && o->weight >= 0 &&
		    o->weight <= CHK_WEIGHT_MAX &&
		    (!(o->flags & IPC_OBJ_ADDED) ||
		    o->weight != rs->conf->weight)) {
			chk_ovr_weight(rs, o->weight);
			done = 1;
		}
	}
	return done;
}

unsigned
chk_cmd_handover(struct chk_engine *e, const struct proc_handover *h,
    chk_cmd_known_fn *known, void *arg)
{
	struct ipc_obj o;
	const char *p;
	size_t left;
	unsigned n = 0;

	for (int pass = 0; pass < 2; pass++) {
		p = h->data;
		left = h->len;
		while (p != NULL && ipc_obj_next(&p, &left, &o) == 1) {
			if ((o.flags & IPC_OBJ_OVERRIDE) == 0 ||
			    strcmp(o.kind, "real_server") != 0)
				continue;
			if (ho_apply(e, &o, pass, known, arg) > 0) {
				n++;
				log_info("runtime change handed over: "
				    "real_server %s:%s%s%s", o.name,
				    pass == 0 && (o.flags & IPC_OBJ_ADDED) ?
				    " added" : "", pass == 0 && (o.flags &
				    IPC_OBJ_REMOVED) ? " removed" : "",
				    pass == 1 ? " drain/weight" : "");
			}
		}
	}
	return n;
}
