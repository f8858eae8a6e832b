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

/* ---- equality of settings -------------------------------------------------- */

/*
 * What a reload compares is written down as one table per struct, listing
 * every field in declaration order with how it is compared, or why it is
 * not (CHK_CMP_SKIP). The unit tests check that each table covers its
 * struct from the first byte to the last, so a field added to a struct
 * and forgotten here fails the build's tests instead of leaving a reload
 * with stale settings.
 */

#define FIELD(T, f, how, sub, variant, aux) { #f, offsetof(T, f),	\
	sizeof(((T *)0)->f), _Alignof(__typeof__(((T *)0)->f)), how, sub,	\
	variant, aux }
#define SKIP(f)		FIELD(T, f, CHK_CMP_SKIP, NULL, NULL, 0)
#define MEM(f)		FIELD(T, f, CHK_CMP_MEM, NULL, NULL, 0)
#define CSTR(f)		FIELD(T, f, CHK_CMP_CSTR, NULL, NULL, 0)
#define STR(f)		FIELD(T, f, CHK_CMP_STR, NULL, NULL, 0)
#define ADDR(f)		FIELD(T, f, CHK_CMP_ADDR, NULL, NULL, 0)
#define BYTES(f, len)	FIELD(T, f, CHK_CMP_BYTES, NULL, NULL, offsetof(T, len))
#define SUB(f, l)	FIELD(T, f, CHK_CMP_SUB, &l, NULL, 0)
#define PTR(f, l)	FIELD(T, f, CHK_CMP_PTR, &l, NULL, 0)
#define LIST(f, l, E)	FIELD(T, f, CHK_CMP_LIST, &l, NULL, offsetof(E, next))
#define UNION(f, v, k)	FIELD(T, f, CHK_CMP_UNION, NULL, v, offsetof(T, k))
#define LAYOUT(name, f) { name, sizeof(T), _Alignof(T), f,		\
	sizeof(f) / sizeof(f[0]) }

#define T struct chk_conf_script
static const struct chk_conf_field script_f[] = { STR(cmd), STR(user),
    STR(group) };
static const struct chk_conf_layout script_l = LAYOUT("chk_conf_script",
    script_f);
#undef T

#define T struct chk_conf_fwd_method
static const struct chk_conf_field fwd_f[] = {
	MEM(method), MEM(tun_type), MEM(tun_port), MEM(tun_csum),
};
static const struct chk_conf_layout fwd_l = LAYOUT("chk_conf_fwd_method",
    fwd_f);
#undef T

#define T struct chk_conf_vsg_entry
static const struct chk_conf_field vsg_entry_f[] = {
	SKIP(next), SKIP(loc),
	MEM(is_fwmark), ADDR(lo), ADDR(hi), MEM(port), MEM(fwmark),
	MEM(family),
};
static const struct chk_conf_layout vsg_entry_l = LAYOUT("chk_conf_vsg_entry",
    vsg_entry_f);
#undef T

#define T struct chk_vsg_conf
static const struct chk_conf_field vsg_f[] = {
	SKIP(next), SKIP(loc),
	SKIP(name),		/* identity: the virtual server's group_name */
	LIST(entries, vsg_entry_l, struct chk_conf_vsg_entry),
	SKIP(entries_tail),	/* the end of entries */
	MEM(nentries),
};
static const struct chk_conf_layout vsg_l = LAYOUT("chk_vsg_conf", vsg_f);
#undef T

#define T struct chk_sorry_conf
static const struct chk_conf_field sorry_f[] = {
	MEM(set), SKIP(loc), ADDR(addr), MEM(port), MEM(inhibit),
	SUB(fwd, fwd_l),
};
static const struct chk_conf_layout sorry_l = LAYOUT("chk_sorry_conf", sorry_f);
#undef T

#define T struct chk_vs_conf
static const struct chk_conf_field vs_f[] = {
	SKIP(next), SKIP(loc), SKIP(key_node),
	/* identity: matched already */
	SKIP(kind), MEM(protocol), SKIP(addr), SKIP(port), SKIP(fwmark),
	SKIP(group_name),
	PTR(group, vsg_l),
	MEM(family),
	CSTR(sched), MEM(flags), SUB(fwd, fwd_l),
	MEM(persistence_timeout), MEM(persistence_set),
	ADDR(persistence_mask), MEM(persistence_prefix),
	STR(persistence_engine),
	MEM(ha_suspend), MEM(smtp_alert), STR(virtualhost), STR(snmp_name),
	MEM(alpha), MEM(omega), MEM(quorum), MEM(hysteresis),
	SKIP(weight),		/* the real servers' default: compared there */
	SUB(quorum_up, script_l), SUB(quorum_down, script_l),
	SUB(sorry, sorry_l),
	MEM(inhibit_on_failure),
	MEM(retry), MEM(delay_before_retry), MEM(warmup), MEM(delay_loop),
	MEM(connect_timeout),
	/* real servers: compared one by one */
	SKIP(rs), SKIP(rs_tail), SKIP(nrs), SKIP(rs_index),
};
const struct chk_conf_layout chk_conf_vs_layout = LAYOUT("chk_vs_conf", vs_f);
#undef T

#define T struct chk_conf_conn
static const struct chk_conf_field conn_f[] = {
	ADDR(connect_ip), MEM(connect_port),
	SKIP(has_port),		/* connect_port is the effective port */
	ADDR(bindto), MEM(bind_port), STR(bind_if), MEM(fwmark),
	MEM(connect_timeout),
};
static const struct chk_conf_layout conn_l = LAYOUT("chk_conf_conn", conn_f);
#undef T

#define T struct chk_url_conf
static const struct chk_conf_field url_f[] = {
	SKIP(next), SKIP(loc),
	STR(path), MEM(has_digest), MEM(digest),
	SKIP(has_status),	/* status holds the effective codes */
	MEM(status), STR(virtualhost), STR(regex), MEM(regex_no_match),
	STR(regex_options), MEM(regex_stack_start), MEM(regex_stack_max),
	MEM(regex_min_offset), MEM(regex_max_offset),
};
static const struct chk_conf_layout url_l = LAYOUT("chk_url_conf", url_f);
#undef T

#define T struct chk_conf_smtp_host
static const struct chk_conf_field host_f[] = {
	SUB(conn, conn_l), SKIP(next), SKIP(loc),
	SKIP(checker),		/* only used while parsing */
};
static const struct chk_conf_layout host_l = LAYOUT("chk_conf_smtp_host",
    host_f);
#undef T

/* The members of chk_checker_conf.u, one per kind. */
#define U(m) __typeof__(((struct chk_checker_conf *)0)->u.m)

#define T U(http)
static const struct chk_conf_field http_f[] = {
	LIST(urls, url_l, struct chk_url_conf), MEM(nurls), MEM(proto),
	MEM(fast_recovery), MEM(enable_sni), MEM(tls_compliant),
	STR(virtualhost),
};
static const struct chk_conf_layout http_l = LAYOUT("u.http", http_f);
#undef T

#define T U(smtp)
static const struct chk_conf_field smtp_f[] = {
	STR(helo_name), LIST(hosts, host_l, struct chk_conf_smtp_host),
	    MEM(nhosts),
};
static const struct chk_conf_layout smtp_l = LAYOUT("u.smtp", smtp_f);
#undef T

#define T U(dns)
static const struct chk_conf_field dns_f[] = { MEM(type), STR(name) };
static const struct chk_conf_layout dns_l = LAYOUT("u.dns", dns_f);
#undef T

#define T U(udp)
static const struct chk_conf_field udp_f[] = {
	BYTES(payload, payload_len), MEM(payload_len), MEM(require_reply),
	BYTES(reply, reply_len), BYTES(reply_mask, reply_len), MEM(reply_len),
	MEM(min_reply_length), MEM(max_reply_length),
};
static const struct chk_conf_layout udp_l = LAYOUT("u.udp", udp_f);
#undef T

#define T U(misc)
static const struct chk_conf_field misc_f[] = {
	SUB(script, script_l), MEM(timeout), MEM(dynamic),
};
static const struct chk_conf_layout misc_l = LAYOUT("u.misc", misc_f);
#undef T

#define T U(file)
static const struct chk_conf_field file_f[] = {
	STR(track_file), MEM(dynamic), MEM(weight), MEM(reverse),
};
static const struct chk_conf_layout file_l = LAYOUT("u.file", file_f);
#undef T

#define T U(bfd)
static const struct chk_conf_field bfd_f[] = { STR(name) };
static const struct chk_conf_layout bfd_l = LAYOUT("u.bfd", bfd_f);
#undef T

/* NULL: the kind has no settings of its own. */
static const struct chk_conf_layout *const variants[CHK_KIND_MAX] = {
	[CHK_HTTP] = &http_l, [CHK_SSL] = &http_l, [CHK_SMTP] = &smtp_l,
	[CHK_DNS] = &dns_l, [CHK_UDP] = &udp_l, [CHK_MISC] = &misc_l,
	[CHK_FILE] = &file_l, [CHK_BFD] = &bfd_l,
};

#define T struct chk_checker_conf
static const struct chk_conf_field checker_f[] = {
	SUB(conn, conn_l), SKIP(next), SKIP(loc), MEM(kind),
	MEM(retry), MEM(delay_before_retry), MEM(warmup), MEM(delay_loop),
	MEM(alpha), MEM(log_all_failures),
	UNION(u, variants, kind),
};
static const struct chk_conf_layout checker_l = LAYOUT("chk_checker_conf",
    checker_f);
#undef T

#define T struct chk_rs_checks
static const struct chk_conf_field rs_checks_f[] = {
	LIST(list, checker_l, struct chk_checker_conf), MEM(n),
	MEM(alpha), MEM(retry), STR(virtualhost),
	MEM(delay_before_retry), MEM(warmup), MEM(delay_loop),
	MEM(connect_timeout),
	SKIP(spare),		/* while parsing only */
};
const struct chk_conf_layout chk_conf_rs_checks_layout =
    LAYOUT("chk_rs_checks", rs_checks_f);
#define rs_checks_l chk_conf_rs_checks_layout
#undef T

#define T struct chk_rs_conf
static const struct chk_conf_field rs_f[] = {
	SKIP(next), SKIP(hnode), SKIP(loc),
	SKIP(addr), SKIP(port),	/* identity: matched already */
	MEM(weight), MEM(inhibit_on_failure), SUB(fwd, fwd_l),
	PTR(notify_up, script_l), PTR(notify_down, script_l),
	MEM(uthreshold), MEM(lthreshold), MEM(smtp_alert),
	SKIP(dest_share),	/* the others': a reload applies them again */
	STR(snmp_name),
	PTR(checks, rs_checks_l),
};
const struct chk_conf_layout chk_conf_rs_layout = LAYOUT("chk_rs_conf", rs_f);
#undef T

_Static_assert(sizeof(enum chk_checker_kind) == sizeof(int),
    "the kind of a checker is read as an int");

/* The pointer stored at p (of any object pointer type). */
static const char *
ptr_at(const char *p)
{
	const void *v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static size_t
size_at(const char *p)
{
	size_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int
bytes_eq(const char *a, const char *b, const struct chk_conf_field *f)
{
	const char *pa = ptr_at(a + f->off), *pb = ptr_at(b + f->off);
	size_t alen = size_at(a + f->aux), blen = size_at(b + f->aux);

	if (alen != blen || (pa == NULL) != (pb == NULL))
		return 0;
	return alen == 0 || memcmp(pa, pb, alen) == 0;
}

static int
field_eq(const struct chk_conf_field *f, const char *a, const char *b)
{
	const char *pa = a + f->off, *pb = b + f->off;
	int kind;

	switch (f->how) {
	case CHK_CMP_SKIP:
		return 1;
	case CHK_CMP_MEM:
		return memcmp(pa, pb, f->size) == 0;
	case CHK_CMP_CSTR:
		return strcmp(pa, pb) == 0;
	case CHK_CMP_STR:
		return conf_str_eq(ptr_at(pa), ptr_at(pb));
	case CHK_CMP_ADDR:
		return addr_cmp((const struct vg_addr *)pa,
		    (const struct vg_addr *)pb) == 0;
	case CHK_CMP_BYTES:
		return bytes_eq(a, b, f);
	case CHK_CMP_SUB:
		return chk_conf_layout_eq(f->sub, pa, pb);
	case CHK_CMP_PTR:
		pa = ptr_at(pa);
		pb = ptr_at(pb);
		if (pa == NULL || pb == NULL)
			return pa == pb;
		return chk_conf_layout_eq(f->sub, pa, pb);
	case CHK_CMP_LIST:
		for (pa = ptr_at(pa), pb = ptr_at(pb); pa != NULL && pb != NULL;
		    pa = ptr_at(pa + f->aux), pb = ptr_at(pb + f->aux))
			if (!chk_conf_layout_eq(f->sub, pa, pb))
				return 0;
		return pa == NULL && pb == NULL;
	case CHK_CMP_UNION:
		memcpy(&kind, a + f->aux, sizeof(kind));
		if (memcmp(a + f->aux, b + f->aux, sizeof(kind)) != 0)
			return 0;
		if (kind < 0 || kind >= CHK_KIND_MAX ||
		    f->variant[kind] == NULL)
			return 1;
		return chk_conf_layout_eq(f->variant[kind], pa, pb);
	}
	return 0;
}

int
chk_conf_layout_eq(const struct chk_conf_layout *l, const void *a,
    const void *b)
{
	size_t i;

	for (i = 0; i < l->nfields; i++)
		if (!field_eq(&l->fields[i], a, b))
			return 0;
	return 1;
}

/* ---- the walk ----------------------------------------------------------------- */

struct diff_run {
	struct chk_conf_diff *out;
	chk_conf_diff_fn *cb;
	void *arg;
};

static void
emit(struct diff_run *d, enum conf_diff_kind kind, int is_rs,
    const struct chk_vs_conf *vo, const struct chk_vs_conf *vn,
    const struct chk_rs_conf *ro, const struct chk_rs_conf *rn)
{
	struct chk_conf_diff_ev ev = { kind, is_rs, vo, vn, ro, rn };

	conf_diff_count_add(is_rs ? &d->out->rs : &d->out->vs, kind);
	if (d->cb != NULL)
		d->cb(d->arg, &ev);
}

static void
diff_rs(struct diff_run *d, const struct chk_vs_conf *vo,
    const struct chk_vs_conf *vn)
{
	const struct chk_rs_conf *ro, *rn;

	for (rn = vn->rs; rn != NULL; rn = rn->next) {
		ro = chk_conf_vs_find_rs(vo, &rn->addr, rn->port);
		if (ro == NULL)
			emit(d, CONF_DIFF_ADDED, 1, vo, vn, NULL, rn);
		else
			emit(d, chk_conf_layout_eq(&chk_conf_rs_layout, ro,
			    rn) ? CONF_DIFF_UNCHANGED : CONF_DIFF_CHANGED, 1,
			    vo, vn, ro, rn);
	}
	for (ro = vo->rs; ro != NULL; ro = ro->next)
		if (chk_conf_vs_find_rs(vn, &ro->addr, ro->port) == NULL)
			emit(d, CONF_DIFF_REMOVED, 1, vo, vn, ro, NULL);
}

int
chk_conf_diff(const struct chk_conf *old, const struct chk_conf *new,
    struct chk_conf_diff *out, chk_conf_diff_fn *cb, void *arg)
{
	struct chk_conf_diff r;
	struct diff_run d = { &r, cb, arg };
	const struct chk_vs_conf *vo, *vn;
	const struct chk_rs_conf *rs;

	memset(&r, 0, sizeof(r));
	for (vn = new != NULL ? new->vs : NULL; vn != NULL; vn = vn->next) {
		vo = chk_conf_find_vs(old, vn);
		if (vo == NULL) {
			emit(&d, CONF_DIFF_ADDED, 0, NULL, vn, NULL, NULL);
			for (rs = vn->rs; rs != NULL; rs = rs->next)
				emit(&d, CONF_DIFF_ADDED, 1, NULL, vn, NULL, rs);
			continue;
		}
		emit(&d, chk_conf_layout_eq(&chk_conf_vs_layout, vo, vn) ?
		    CONF_DIFF_UNCHANGED : CONF_DIFF_CHANGED, 0, vo, vn, NULL,
		    NULL);
		diff_rs(&d, vo, vn);
	}
	for (vo = old != NULL ? old->vs : NULL; vo != NULL; vo = vo->next) {
		if (chk_conf_find_vs(new, vo) != NULL)
			continue;
		for (rs = vo->rs; rs != NULL; rs = rs->next)
			emit(&d, CONF_DIFF_REMOVED, 1, vo, NULL, rs, NULL);
		emit(&d, CONF_DIFF_REMOVED, 0, vo, NULL, NULL, NULL);
	}
	if (out != NULL)
		*out = r;
	return 0;
}

int
chk_conf_checker_eq(const struct chk_checker_conf *a,
    const struct chk_checker_conf *b)
{
	return chk_conf_layout_eq(&checker_l, a, b);
}
