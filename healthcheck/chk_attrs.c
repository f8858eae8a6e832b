/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the checker child shows of its objects beyond their state: the
 * attrs of "virtual_server" and "real_server" records (docs/state.md is
 * the contract), the latency histogram of a virtual server and the
 * classes of check failures.
 */
#include "autoconfig.h"

#include <netinet/in.h>
#include <stddef.h>
#include <string.h>

#include "healthcheck/chk_attrs.h"
#include "healthcheck/config_priv.h"
#include "healthcheck/engine.h"

/* ---- latency histogram ---------------------------------------------------- */

const uint64_t chk_hist_le[CHK_HIST_BUCKETS - 1] = {
	500, 1000, 2500, 5000, 10000, 50000, 250000, 1000000, 5000000,
};

void
chk_hist_add(struct chk_hist *h, uint64_t usec)
{
	unsigned i = 0;

	while (i < CHK_HIST_BUCKETS - 1 && usec > chk_hist_le[i])
		i++;
	h->count[i]++;
	h->sum_us += usec;
}

/* ---- failure classes ------------------------------------------------------ */

static const char *const fail_names[CHK_FAIL_MAX] = {
	[CHK_FAIL_TIMEOUT] = "timeout",
	[CHK_FAIL_CONNECT] = "connect",
	[CHK_FAIL_RESET] = "reset",
	[CHK_FAIL_STATUS] = "status",
	[CHK_FAIL_DIGEST] = "digest",
	[CHK_FAIL_REGEX] = "regex",
	[CHK_FAIL_TLS] = "tls",
	[CHK_FAIL_SCRIPT] = "script",
	[CHK_FAIL_REPLY] = "reply",
};

const char *
chk_fail_name(enum chk_fail f)
{
	return f < CHK_FAIL_MAX ? fail_names[f] : "reply";
}

enum chk_fail
chk_fail_class(enum chk_checker_kind kind, const char *r)
{
	if (strstr(r, "timeout") != NULL || strstr(r, "timed out") != NULL)
		return CHK_FAIL_TIMEOUT;
	if (kind == CHK_MISC || kind == CHK_FILE)
		return CHK_FAIL_SCRIPT;
	if (strstr(r, "reset") != NULL)
		return CHK_FAIL_RESET;
	if (strstr(r, "refused") != NULL || strstr(r, "unreachable") != NULL ||
	    strstr(r, "no route") != NULL || strncmp(r, "socket", 6) == 0 ||
	    strncmp(r, "bind", 4) == 0 || strstr(r, "network is down") != NULL)
		return CHK_FAIL_CONNECT;
	if (strstr(r, "TLS") != NULL || strstr(r, "certificate") != NULL)
		return CHK_FAIL_TLS;
	if (strstr(r, "status ") != NULL && strstr(r, "expected") != NULL)
		return CHK_FAIL_STATUS;
	if (strstr(r, "digest") != NULL)
		return CHK_FAIL_DIGEST;
	if (strstr(r, "regex") != NULL)
		return CHK_FAIL_REGEX;
	return CHK_FAIL_REPLY;
}

/* ---- attrs ------------------------------------------------------------------ */

/* docs/state.md: the kernel's counters of a service or destination */
static const struct {
	const char *key;
	size_t off;
	int dest;		/* destinations only */
} ipvs_keys[] = {
	{ "ipvs_connections", offsetof(struct dp_counters, conns), 0 },
	{ "ipvs_active_connections", offsetof(struct dp_counters, active), 1 },
	{ "ipvs_inactive_connections", offsetof(struct dp_counters, inactive),
	    1 },
	{ "ipvs_persistent_connections", offsetof(struct dp_counters, persist),
	    1 },
	{ "ipvs_packets_in", offsetof(struct dp_counters, inpkts), 0 },
	{ "ipvs_packets_out", offsetof(struct dp_counters, outpkts), 0 },
	{ "ipvs_bytes_in", offsetof(struct dp_counters, inbytes), 0 },
	{ "ipvs_bytes_out", offsetof(struct dp_counters, outbytes), 0 },
	{ "ipvs_rate_connections", offsetof(struct dp_counters, cps), 0 },
	{ "ipvs_rate_packets_in", offsetof(struct dp_counters, inpps), 0 },
	{ "ipvs_rate_packets_out", offsetof(struct dp_counters, outpps), 0 },
	{ "ipvs_rate_bytes_in", offsetof(struct dp_counters, inbps), 0 },
	{ "ipvs_rate_bytes_out", offsetof(struct dp_counters, outbps), 0 },
};

static uint64_t
counter_at(const struct dp_counters *c, size_t off)
{
	uint64_t v;

	memcpy(&v, (const char *)c + off, sizeof(v));
	return v;
}

unsigned
chk_ipvs_attrs(const struct dp_counters *c, const struct dp_counters *old,
    int dest, struct ipc_attrs *a)
{
	unsigned n = 0;

	for (size_t i = 0; i < sizeof(ipvs_keys) / sizeof(ipvs_keys[0]); i++) {
		uint64_t v = counter_at(c, ipvs_keys[i].off);

		if (ipvs_keys[i].dest && !dest)
			continue;
		if (old != NULL && counter_at(old, ipvs_keys[i].off) == v)
			continue;
		if (dest == CHK_IPVS_SORRY) {
			char key[64];

			snprintf(key, sizeof(key), "sorry_%s",
			    ipvs_keys[i].key);
			ipc_attrs_add(a, key, "%llu", (unsigned long long)v);
		} else
			ipc_attrs_add(a, ipvs_keys[i].key, "%llu",
			    (unsigned long long)v);
		n++;
	}
	return n;
}

static const char *
proto_name(int p)
{
	return p == IPPROTO_UDP ? "UDP" : p == IPPROTO_SCTP ? "SCTP" : "TCP";
}

void
chk_vs_attrs(const struct chk_vsrun *vs, struct ipc_attrs *a)
{
	const struct chk_vs_conf *c = vs->conf;
	char buf[ADDR_STRLEN], b[CHK_HIST_BUCKETS * 24];
	uint64_t cum = 0;
	size_t len = 0;

	switch (c->kind) {
	case CHK_VS_FWMARK:
		ipc_attrs_add(a, "protocol", "fwmark");
		ipc_attrs_add(a, "fwmark", "%u", c->fwmark);
		break;
	case CHK_VS_GROUP:
		ipc_attrs_add(a, "protocol", "%s", proto_name(c->protocol));
		ipc_attrs_add(a, "group", "%s", c->group_name);
		break;
	default:
		ipc_attrs_add(a, "protocol", "%s", proto_name(c->protocol));
		ipc_attrs_add(a, "address", "%s", addr_ntop(&c->addr, buf,
		    sizeof(buf)));
		ipc_attrs_add(a, "port", "%u", c->port);
		break;
	}
	if (c->sched[0] != '\0')
		ipc_attrs_add(a, "scheduler", "%s", c->sched);
	if (c->fwd.method != CHK_FWD_UNSET)
		ipc_attrs_add(a, "forwarding", "%s",
		    chk_conf_fwd_name(c->fwd.method));
	ipc_attrs_add(a, "real_servers", "%u", vs->nrs);
	ipc_attrs_add(a, "real_servers_up", "%u", vs->nup);
	ipc_attrs_add(a, "quorum", "%u", c->quorum);
	ipc_attrs_add(a, "hysteresis", "%u", c->hysteresis);
	if (vs->quorum_up >= 0)
		ipc_attrs_add(a, "quorum_up", "%d", vs->quorum_up);
	if (c->sorry.set) {
		ipc_attrs_add(a, "sorry_server", "%s%s%s:%u",
		    c->sorry.addr.family == AF_INET6 ? "[" : "",
		    addr_ntop(&c->sorry.addr, buf, sizeof(buf)),
		    c->sorry.addr.family == AF_INET6 ? "]" : "",
		    c->sorry.port);
		ipc_attrs_add(a, "sorry_active", "%d", vs->sorry_in ? 1 : 0);
	}
	if (c->ha_suspend)
		ipc_attrs_add(a, "ha_suspended", "%d", vs->suspended ? 1 : 0);
	for (unsigned i = 0; i < CHK_HIST_BUCKETS; i++) {
		cum += vs->hist.count[i];
		if (i < CHK_HIST_BUCKETS - 1)
			len += (size_t)snprintf(b + len, sizeof(b) - len,
			    "%s%g:%llu", i > 0 ? " " : "",
			    (double)chk_hist_le[i] / 1e6,
			    (unsigned long long)cum);
		else
			len += (size_t)snprintf(b + len, sizeof(b) - len,
			    " +Inf:%llu", (unsigned long long)cum);
		if (len >= sizeof(b))
			return;
	}
	ipc_attrs_add(a, "check_latency_buckets", "%s", b);
	ipc_attrs_add(a, "check_latency_sum_seconds", "%.6f",
	    (double)vs->hist.sum_us / 1e6);
	ipc_attrs_add(a, "check_latency_count", "%llu",
	    (unsigned long long)cum);
	if (vs->ipvs_known)
		(void)chk_ipvs_attrs(&vs->ipvs, NULL, 0, a);
	if (vs->sorry_ipvs_known)
		(void)chk_ipvs_attrs(&vs->sorry_ipvs, NULL, CHK_IPVS_SORRY, a);
}

void
chk_rs_attrs(const struct chk_rsrun *rs, struct ipc_attrs *a)
{
	const struct chk_rs_conf *c = rs->conf;
	const struct chk_ovr *o = rs->ovr;
	const struct chk_check *last = NULL;
	uint32_t fails[CHK_FAIL_MAX] = { 0 };
	unsigned long long runs = 0;
	char buf[ADDR_STRLEN], kinds[128];
	size_t klen = 0;
	unsigned dport;

	ipc_attrs_add(a, "virtual_server", "%s", rs->vs->name);
	ipc_attrs_add(a, "address", "%s", addr_ntop(&c->addr, buf,
	    sizeof(buf)));
	ipc_attrs_add(a, "port", "%u", c->port);
	/* DR / TUN: the virtual server's, a fwmark's none (config.h) */
	if ((dport = chk_conf_ipvs_port(rs->vs->conf, &c->fwd, c->port)) !=
	    c->port)
		ipc_attrs_add(a, "dest_port", "%u", dport);
	ipc_attrs_add(a, "weight", "%d", c->weight);
	kinds[0] = '\0';
	/* its configuration's: the same before its checks are attached
	 * (chk_rs_start) */
	const struct chk_checker_conf *ck = c->checks->list;

	for (unsigned i = 0; ck != NULL && i < c->checks->n; i++,
	    ck = ck->next) {
		const char *n = chk_conf_checker_kind_name(ck->kind);

		if (klen < sizeof(kinds) && strstr(kinds, n) == NULL)
			klen += (size_t)snprintf(kinds + klen, sizeof(kinds) -
			    klen, "%s%s", klen > 0 ? "," : "", n);
	}
	for (unsigned i = 0; i < rs->nsubs; i++) {
		const struct chk_check *k = chk_rs_subs(rs)[i].check;

		if (k == NULL)
			continue;
		runs += k->runs;
		for (unsigned f = 0; k->fails != NULL && f < CHK_FAIL_MAX;
		    f++)
			fails[f] += k->fails->n[f];
		if (k->has_result && (last == NULL || k->last > last->last ||
		    (!k->last_ok && last->last_ok)))
			last = k;
	}
	if (kinds[0] != '\0')
		ipc_attrs_add(a, "checker", "%s", kinds);
	if (last != NULL) {
		ipc_attrs_add(a, "last_result", "%s", last->last_ok ? "ok" :
		    chk_fail_name(chk_fail_class(last->conf->kind,
		    chk_check_reason(last) != NULL ? chk_check_reason(last) :
		    "")));
		ipc_attrs_add(a, "last_latency_us", "%llu",
		    (unsigned long long)last->latency);
	}
	ipc_attrs_add(a, "checks", "%llu", runs);
	for (unsigned f = 0; f < CHK_FAIL_MAX; f++)
		if (fails[f] > 0) {
			char key[32];

			snprintf(key, sizeof(key), "failures_%s",
			    chk_fail_name(f));
			ipc_attrs_add(a, key, "%u", fails[f]);
		}
	if (rs->ipvs_known && rs->ipvs != NULL)
		(void)chk_ipvs_attrs(rs->ipvs, NULL, 1, a);
	if (o == NULL)
		return;
	if (o->drained)
		ipc_attrs_add(a, "drained", "1");
	if (o->weight != CHK_INT_UNSET)
		ipc_attrs_add(a, "set_weight", "%d", o->weight);
	if (o->runtime) {
		ipc_attrs_add(a, "runtime", "1");
		if (o->check != NULL)
			ipc_attrs_add(a, "check", "%s", o->check);
	}
}
