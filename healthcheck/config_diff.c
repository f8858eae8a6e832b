/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Old against new health-check configuration on reload: virtual servers
 * matched by identity key, real servers by (address, port) within a
 * matched virtual server, so that unchanged objects keep their state.
 */
#include "config_priv.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ---- identity keys --------------------------------------------------------- */

static uint64_t
mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

static uint64_t
addr_mix(uint64_t h, const struct vg_addr *a)
{
	h = mix(h, &a->family, sizeof(a->family));
	if (a->family == AF_INET6)
		return mix(h, a->u.v6.s6_addr, 16);
	return mix(h, &a->u.v4, sizeof(a->u.v4));
}

size_t
chk_vs_key_hash(const struct chk_vs_conf *vs)
{
	uint64_t h = 1469598103934665603ULL;
	int k = (int)vs->kind;

	h = mix(h, &k, sizeof(k));
	switch (vs->kind) {
	case CHK_VS_ADDR:
		h = mix(h, &vs->protocol, sizeof(vs->protocol));
		h = addr_mix(h, &vs->addr);
		h = mix(h, &vs->port, sizeof(vs->port));
		break;
	case CHK_VS_FWMARK:
		h = mix(h, &vs->fwmark, sizeof(vs->fwmark));
		h = mix(h, &vs->family, sizeof(vs->family));
		break;
	case CHK_VS_GROUP:
		h = mix(h, &vs->protocol, sizeof(vs->protocol));
		h = mix(h, vs->group_name, strlen(vs->group_name));
		break;
	}
	return (size_t)(h ^ (h >> 31));
}

int
chk_vs_key_eq(const struct chk_vs_conf *a, const struct chk_vs_conf *b)
{
	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case CHK_VS_ADDR:
		return a->protocol == b->protocol && a->port == b->port &&
		    addr_cmp(&a->addr, &b->addr) == 0;
	case CHK_VS_FWMARK:
		return a->fwmark == b->fwmark && a->family == b->family;
	case CHK_VS_GROUP:
		return a->protocol == b->protocol &&
		    strcmp(a->group_name, b->group_name) == 0;
	}
	return 0;
}

int
chk_vs_index_init(struct chk_vs_index *ix, unsigned n)
{
	size_t size = 16;

	while (size < (size_t)n * 2)
		size *= 2;
	ix->slot = calloc(size, sizeof(*ix->slot));
	ix->size = ix->slot != NULL ? size : 0;
	return ix->slot != NULL ? 0 : -1;
}

void
chk_vs_index_free(struct chk_vs_index *ix)
{
	free(ix->slot);
	ix->slot = NULL;
	ix->size = 0;
}

const struct chk_vs_conf *
chk_vs_index_put(struct chk_vs_index *ix, const struct chk_vs_conf *vs)
{
	size_t i = chk_vs_key_hash(vs) & (ix->size - 1);

	for (; ix->slot[i] != NULL; i = (i + 1) & (ix->size - 1))
		if (chk_vs_key_eq(ix->slot[i], vs))
			return ix->slot[i];
	ix->slot[i] = vs;
	return NULL;
}

const struct chk_vs_conf *
chk_vs_index_get(const struct chk_vs_index *ix, const struct chk_vs_conf *vs)
{
	size_t i = chk_vs_key_hash(vs) & (ix->size - 1);

	for (; ix->slot[i] != NULL; i = (i + 1) & (ix->size - 1))
		if (chk_vs_key_eq(ix->slot[i], vs))
			return ix->slot[i];
	return NULL;
}

/* ---- equality of settings -------------------------------------------------- */

static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
addr_eq(const struct vg_addr *a, const struct vg_addr *b)
{
	if (a->family != b->family)
		return 0;
	return a->family == 0 || addr_cmp(a, b) == 0;
}

static int
script_eq(const struct chk_script *a, const struct chk_script *b)
{
	return str_eq(a->cmd, b->cmd) && str_eq(a->user, b->user) &&
	    str_eq(a->group, b->group);
}

static int
fwd_eq(const struct chk_fwd_method *a, const struct chk_fwd_method *b)
{
	return a->method == b->method && a->tun_type == b->tun_type &&
	    a->tun_port == b->tun_port && a->tun_csum == b->tun_csum;
}

static int
group_eq(const struct chk_vsg_conf *a, const struct chk_vsg_conf *b)
{
	const struct chk_vsg_entry *x, *y;

	if (a == NULL || b == NULL)
		return a == b;
	if (a->nentries != b->nentries)
		return 0;
	for (x = a->entries, y = b->entries; x != NULL && y != NULL;
	    x = x->next, y = y->next)
		if (x->is_fwmark != y->is_fwmark || x->port != y->port ||
		    x->fwmark != y->fwmark || x->family != y->family ||
		    !addr_eq(&x->lo, &y->lo) || !addr_eq(&x->hi, &y->hi))
			return 0;
	return x == NULL && y == NULL;
}

static int
vs_eq(const struct chk_vs_conf *a, const struct chk_vs_conf *b)
{
	return group_eq(a->group, b->group) && a->family == b->family &&
	    a->protocol == b->protocol &&
	    strcmp(a->sched, b->sched) == 0 && a->flags == b->flags &&
	    fwd_eq(&a->fwd, &b->fwd) &&
	    a->persistence_timeout == b->persistence_timeout &&
	    addr_eq(&a->persistence_mask, &b->persistence_mask) &&
	    a->persistence_prefix == b->persistence_prefix &&
	    str_eq(a->persistence_engine, b->persistence_engine) &&
	    a->ha_suspend == b->ha_suspend && a->smtp_alert == b->smtp_alert &&
	    str_eq(a->virtualhost, b->virtualhost) &&
	    str_eq(a->snmp_name, b->snmp_name) && a->alpha == b->alpha &&
	    a->omega == b->omega && a->quorum == b->quorum &&
	    a->hysteresis == b->hysteresis &&
	    script_eq(&a->quorum_up, &b->quorum_up) &&
	    script_eq(&a->quorum_down, &b->quorum_down) &&
	    a->sorry.set == b->sorry.set &&
	    addr_eq(&a->sorry.addr, &b->sorry.addr) &&
	    a->sorry.port == b->sorry.port &&
	    a->sorry.inhibit == b->sorry.inhibit &&
	    fwd_eq(&a->sorry.fwd, &b->sorry.fwd) &&
	    a->inhibit_on_failure == b->inhibit_on_failure &&
	    a->retry == b->retry &&
	    a->delay_before_retry == b->delay_before_retry &&
	    a->warmup == b->warmup && a->delay_loop == b->delay_loop &&
	    a->connect_timeout == b->connect_timeout;
}

static int
conn_eq(const struct chk_conn *a, const struct chk_conn *b)
{
	return addr_eq(&a->connect_ip, &b->connect_ip) &&
	    a->connect_port == b->connect_port &&
	    addr_eq(&a->bindto, &b->bindto) && a->bind_port == b->bind_port &&
	    str_eq(a->bind_if, b->bind_if) && a->fwmark == b->fwmark &&
	    a->connect_timeout == b->connect_timeout;
}

static int
bytes_eq(const unsigned char *a, size_t alen, const unsigned char *b,
    size_t blen)
{
	if (alen != blen || (a == NULL) != (b == NULL))
		return 0;
	return alen == 0 || memcmp(a, b, alen) == 0;
}

static int
url_eq(const struct chk_url_conf *a, const struct chk_url_conf *b)
{
	return str_eq(a->path, b->path) && a->has_digest == b->has_digest &&
	    memcmp(a->digest, b->digest, sizeof(a->digest)) == 0 &&
	    memcmp(a->status, b->status, sizeof(a->status)) == 0 &&
	    str_eq(a->virtualhost, b->virtualhost) &&
	    str_eq(a->regex, b->regex) &&
	    a->regex_no_match == b->regex_no_match &&
	    str_eq(a->regex_options, b->regex_options) &&
	    a->regex_stack_start == b->regex_stack_start &&
	    a->regex_stack_max == b->regex_stack_max &&
	    a->regex_min_offset == b->regex_min_offset &&
	    a->regex_max_offset == b->regex_max_offset;
}

static int
kind_eq(const struct chk_checker_conf *a, const struct chk_checker_conf *b)
{
	const struct chk_url_conf *ua, *ub;
	const struct chk_smtp_host *ha, *hb;

	switch (a->kind) {
	case CHK_HTTP:
	case CHK_SSL:
		if (a->u.http.nurls != b->u.http.nurls ||
		    a->u.http.proto != b->u.http.proto ||
		    a->u.http.fast_recovery != b->u.http.fast_recovery ||
		    a->u.http.enable_sni != b->u.http.enable_sni ||
		    a->u.http.tls_compliant != b->u.http.tls_compliant ||
		    !str_eq(a->u.http.virtualhost, b->u.http.virtualhost))
			return 0;
		for (ua = a->u.http.urls, ub = b->u.http.urls; ua && ub;
		    ua = ua->next, ub = ub->next)
			if (!url_eq(ua, ub))
				return 0;
		return 1;
	case CHK_SMTP:
		if (!str_eq(a->u.smtp.helo_name, b->u.smtp.helo_name) ||
		    a->u.smtp.nhosts != b->u.smtp.nhosts)
			return 0;
		for (ha = a->u.smtp.hosts, hb = b->u.smtp.hosts; ha && hb;
		    ha = ha->next, hb = hb->next)
			if (!conn_eq(&ha->conn, &hb->conn))
				return 0;
		return 1;
	case CHK_DNS:
		return a->u.dns.type == b->u.dns.type &&
		    str_eq(a->u.dns.name, b->u.dns.name);
	case CHK_UDP:
		return bytes_eq(a->u.udp.payload, a->u.udp.payload_len,
		    b->u.udp.payload, b->u.udp.payload_len) &&
		    a->u.udp.require_reply == b->u.udp.require_reply &&
		    bytes_eq(a->u.udp.reply, a->u.udp.reply_len,
		    b->u.udp.reply, b->u.udp.reply_len) &&
		    bytes_eq(a->u.udp.reply_mask, a->u.udp.reply_len,
		    b->u.udp.reply_mask, b->u.udp.reply_len) &&
		    a->u.udp.min_reply_length == b->u.udp.min_reply_length &&
		    a->u.udp.max_reply_length == b->u.udp.max_reply_length;
	case CHK_MISC:
		return script_eq(&a->u.misc.script, &b->u.misc.script) &&
		    a->u.misc.timeout == b->u.misc.timeout &&
		    a->u.misc.dynamic == b->u.misc.dynamic;
	case CHK_FILE:
		return str_eq(a->u.file.track_file, b->u.file.track_file) &&
		    a->u.file.dynamic == b->u.file.dynamic &&
		    a->u.file.weight == b->u.file.weight &&
		    a->u.file.reverse == b->u.file.reverse;
	case CHK_BFD:
		return str_eq(a->u.bfd.name, b->u.bfd.name);
	default:
		return 1;
	}
}

static int
checker_eq(const struct chk_checker_conf *a, const struct chk_checker_conf *b)
{
	return a->kind == b->kind && conn_eq(&a->conn, &b->conn) &&
	    a->retry == b->retry &&
	    a->delay_before_retry == b->delay_before_retry &&
	    a->warmup == b->warmup && a->delay_loop == b->delay_loop &&
	    a->alpha == b->alpha && a->log_all_failures == b->log_all_failures &&
	    kind_eq(a, b);
}

static int
rs_eq(const struct chk_rs_conf *a, const struct chk_rs_conf *b)
{
	const struct chk_checker_conf *x, *y;

	if (!(a->weight == b->weight &&
	    a->inhibit_on_failure == b->inhibit_on_failure &&
	    fwd_eq(&a->fwd, &b->fwd) &&
	    script_eq(&a->notify_up, &b->notify_up) &&
	    script_eq(&a->notify_down, &b->notify_down) &&
	    a->uthreshold == b->uthreshold && a->lthreshold == b->lthreshold &&
	    a->smtp_alert == b->smtp_alert &&
	    str_eq(a->virtualhost, b->virtualhost) &&
	    str_eq(a->snmp_name, b->snmp_name) && a->alpha == b->alpha &&
	    a->retry == b->retry &&
	    a->delay_before_retry == b->delay_before_retry &&
	    a->warmup == b->warmup && a->delay_loop == b->delay_loop &&
	    a->connect_timeout == b->connect_timeout &&
	    a->ncheckers == b->ncheckers))
		return 0;
	for (x = a->checkers, y = b->checkers; x && y; x = x->next, y = y->next)
		if (!checker_eq(x, y))
			return 0;
	return 1;
}

/* ---- the walk ----------------------------------------------------------------- */

struct diff_run {
	struct chk_conf_diff *out;
	chk_diff_fn *fn;
	void *arg;
};

static void
emit(struct diff_run *d, enum chk_diff_kind kind, int is_rs,
    const struct chk_vs_conf *vo, const struct chk_vs_conf *vn,
    const struct chk_rs_conf *ro, const struct chk_rs_conf *rn)
{
	static const size_t vs_off[] = {
		offsetof(struct chk_conf_diff, vs_added),
		offsetof(struct chk_conf_diff, vs_removed),
		offsetof(struct chk_conf_diff, vs_changed),
		offsetof(struct chk_conf_diff, vs_unchanged),
	};
	static const size_t rs_off[] = {
		offsetof(struct chk_conf_diff, rs_added),
		offsetof(struct chk_conf_diff, rs_removed),
		offsetof(struct chk_conf_diff, rs_changed),
		offsetof(struct chk_conf_diff, rs_unchanged),
	};
	struct chk_diff_ev ev;

	(*(unsigned *)((char *)d->out +
	    (is_rs ? rs_off : vs_off)[kind]))++;
	if (d->fn == NULL)
		return;
	ev.kind = kind;
	ev.is_rs = is_rs;
	ev.vs_old = vo;
	ev.vs_new = vn;
	ev.rs_old = ro;
	ev.rs_new = rn;
	d->fn(d->arg, &ev);
}

static void
diff_rs(struct diff_run *d, const struct chk_vs_conf *vo,
    const struct chk_vs_conf *vn)
{
	const struct chk_rs_conf *ro, *rn;

	for (rn = vn->rs; rn != NULL; rn = rn->next) {
		ro = chk_vs_find_rs(vo, &rn->addr, rn->port);
		if (ro == NULL)
			emit(d, CHK_DIFF_ADDED, 1, vo, vn, NULL, rn);
		else
			emit(d, rs_eq(ro, rn) ? CHK_DIFF_UNCHANGED :
			    CHK_DIFF_CHANGED, 1, vo, vn, ro, rn);
	}
	for (ro = vo->rs; ro != NULL; ro = ro->next)
		if (chk_vs_find_rs(vn, &ro->addr, ro->port) == NULL)
			emit(d, CHK_DIFF_REMOVED, 1, vo, vn, ro, NULL);
}

int
chk_conf_diff(const struct chk_conf *old, const struct chk_conf *new,
    struct chk_conf_diff *out, chk_diff_fn *fn, void *arg)
{
	struct chk_vs_index io, in;
	struct diff_run d = { out, fn, arg };
	const struct chk_vs_conf *vo, *vn;
	const struct chk_rs_conf *rs;

	memset(out, 0, sizeof(*out));
	if (chk_vs_index_init(&io, old->nvs) == -1)
		return -1;
	if (chk_vs_index_init(&in, new->nvs) == -1) {
		chk_vs_index_free(&io);
		return -1;
	}
	for (vo = old->vs; vo != NULL; vo = vo->next)
		chk_vs_index_put(&io, vo);
	for (vn = new->vs; vn != NULL; vn = vn->next)
		chk_vs_index_put(&in, vn);

	for (vn = new->vs; vn != NULL; vn = vn->next) {
		vo = chk_vs_index_get(&io, vn);
		if (vo == NULL) {
			emit(&d, CHK_DIFF_ADDED, 0, NULL, vn, NULL, NULL);
			for (rs = vn->rs; rs != NULL; rs = rs->next)
				emit(&d, CHK_DIFF_ADDED, 1, NULL, vn, NULL, rs);
			continue;
		}
		emit(&d, vs_eq(vo, vn) ? CHK_DIFF_UNCHANGED : CHK_DIFF_CHANGED,
		    0, vo, vn, NULL, NULL);
		diff_rs(&d, vo, vn);
	}
	for (vo = old->vs; vo != NULL; vo = vo->next) {
		if (chk_vs_index_get(&in, vo) != NULL)
			continue;
		for (rs = vo->rs; rs != NULL; rs = rs->next)
			emit(&d, CHK_DIFF_REMOVED, 1, vo, NULL, rs, NULL);
		emit(&d, CHK_DIFF_REMOVED, 0, vo, NULL, NULL, NULL);
	}
	chk_vs_index_free(&io);
	chk_vs_index_free(&in);
	return 0;
}
